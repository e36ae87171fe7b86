package expressconnect

import (
	"net/http"
	"strings"
)

// Code is an error code the service answers with, such as "IllegalParam.VlanId". Each code the
// documentation gives is a Code constant, and errors.Is(err, code) reports whether err holds an
// *APIError with that code, whatever its HTTP status and message.
type Code string

// Error returns the code itself, so that a Code can be the target of errors.Is.
func (c Code) Error() string { return string(c) }

// Family returns the family the code belongs to: the one the code table gives, else the one
// its shape gives (MissingParameter, MissingParam.*, IllegalParam.*, InvalidParameter and
// *.Malformed are [ErrInvalidParameter]; Throttling and Throttling.* are [ErrThrottled]), else "".
func (c Code) Family() Family {
	if info, ok := codeTable[c]; ok {
		return info.family
	}
	s := string(c)
	switch {
	case s == "MissingParameter", s == "InvalidParameter", strings.HasPrefix(s, "MissingParam."),
		strings.HasPrefix(s, "IllegalParam."), strings.HasSuffix(s, ".Malformed"):
		return ErrInvalidParameter
	case s == "Throttling", strings.HasPrefix(s, "Throttling."):
		return ErrThrottled
	}
	return ""
}

// codeRemedy returns what to do about an answer with code and HTTP status: the code table's
// remedy, else its family's, else "". [Remedy] is the one public way to ask.
func codeRemedy(code Code, status int) string {
	if info, ok := codeTable[code]; ok && info.remedy != "" {
		return info.remedy
	}
	return familyRemedies[familyOf(code, status)]
}

// The error codes documented for CreateVirtualPhysicalConnection (API reference, "Error codes").
const (
	// CodeOperationFailedVBRBindedPconn: a hosted connection is already created for the VBR.
	CodeOperationFailedVBRBindedPconn Code = "OperationFailed.VbrBindedPconn"
	// CodeIllegalParamBandwidth: the bandwidth value is invalid.
	CodeIllegalParamBandwidth Code = "IllegalParam.Bandwidth"
	// CodeResourceNotFoundPhysicalConnectionID: the PhysicalConnectionId does not name a
	// circuit.
	CodeResourceNotFoundPhysicalConnectionID Code = "ResourceNotFound.PhysicalConnectionId"
	// CodeOperationFailedVpconnCreated: the hosted connection cannot be created on this circuit.
	CodeOperationFailedVpconnCreated Code = "OperationFailed.VPconnCreated"
	// CodeMissingParamSpec: the Spec parameter is not set.
	CodeMissingParamSpec Code = "MissingParam.Spec"
	// CodeIllegalParamSpec: the Spec parameter is invalid.
	CodeIllegalParamSpec Code = "IllegalParam.Spec"
	// CodeIllegalParamVLANID: the VlanId parameter is invalid.
	CodeIllegalParamVLANID Code = "IllegalParam.VlanId"
	// CodeVLANIDHasBeenUsedInPhysicalConnection: the VLAN is already used on the circuit.
	CodeVLANIDHasBeenUsedInPhysicalConnection Code = "VLAN_ID_HAS_BEEN_USED_IN_PHYSICAL_CONNECTION"
	// CodeInvalidPhysicalConnectionIDNotFound: the circuit does not exist.
	CodeInvalidPhysicalConnectionIDNotFound Code = "InvalidPhysicalConnectionId.NotFound"
	// CodeMissingParameter: a required parameter, such as PhysicalConnectionId, is not supplied.
	CodeMissingParameter Code = "MissingParameter"
	// CodeInvalidPhysicalConnectionIDNotEnabled: the circuit is not in the Enabled state.
	CodeInvalidPhysicalConnectionIDNotEnabled Code = "InvalidPhysicalConnectionId.NotEnabled"
	// CodeOperationFailedPconnAllocateVLAN0: VLAN 0 cannot be allocated, because the circuit
	// already carries resources.
	CodeOperationFailedPconnAllocateVLAN0 Code = "OperationFailed.PconnAllocateVlan0"
	// CodeInvalidVLANIDMalformed: the VlanId is not valid.
	CodeInvalidVLANIDMalformed Code = "InvalidVlanId.Malformed"
	// CodeInvalidNameMalformed: the Name is not valid.
	CodeInvalidNameMalformed Code = "InvalidName.Malformed"
	// CodeResourceNotEnoughBandwidth: the circuit has not enough bandwidth left.
	CodeResourceNotEnoughBandwidth Code = "ResourceNotEnough.Bandwidth"
	// CodeIllegalParamVpconnAliUID: the tenant account ID is invalid.
	CodeIllegalParamVpconnAliUID Code = "IllegalParam.VpconnAliUid"
	// CodeIllegalParamOrderMode: the OrderMode is invalid.
	CodeIllegalParamOrderMode Code = "IllegalParam.OrderMode"
	// CodeForbiddenVpconnAliUID: the tenant account ID belongs to a RAM user or a partner
	// account, which cannot own a hosted connection.
	CodeForbiddenVpconnAliUID Code = "Forbidden.VpconnAliUid"
	// CodeQuotaExceededVpconn: the circuit has reached its quota of hosted connections
	// (VPCONN_COUNT_PER_PCONN).
	CodeQuotaExceededVpconn Code = "QuotaExceeded.VPCONN"
	// CodeOperationDeniedCreateVpconn: the account may not create hosted connections.
	CodeOperationDeniedCreateVpconn Code = "OperationDenied.CreateVpconn"
	// CodeInvalidDescriptionMalformed: the Description is not valid.
	CodeInvalidDescriptionMalformed Code = "InvalidDescription.Malformed"
	// CodeEcAssociatedQoSPconnNotAllowCreateVpconn: a dedicated circuit bound to a QoS policy
	// cannot carry hosted connections.
	CodeEcAssociatedQoSPconnNotAllowCreateVpconn Code = "EcAssociatedQoSPconnNotAllowCreateVpconn"
	// CodeIllegalParamResourceGroupID: the resource group is invalid or does not exist.
	CodeIllegalParamResourceGroupID Code = "IllegalParam.ResourceGroupId"
)

// Codes documented for the operations on a hosted connection after its creation
// (DeletePhysicalConnection, UpdateVirtualPhysicalConnection and related actions).
const (
	// CodeInvalidRegionIDNotFound: the RegionId does not exist. It is in the
	// ErrInvalidParameter family, not ErrNotFound, so that a wrong region is never taken for
	// a deleted hosted connection.
	CodeInvalidRegionIDNotFound Code = "InvalidRegionId.NotFound"
	// CodeForbiddenNotAllowedInState: the resource's state does not allow the call.
	CodeForbiddenNotAllowedInState Code = "Forbidden.NotAllowedInState"
	// CodeInvalidPhysicalConnectionIDNotMatched: the ID does not match the instance.
	CodeInvalidPhysicalConnectionIDNotMatched Code = "InvalidPhysicalConnectionId.NotMatched"
	// CodeForbiddenVBRExists: a VBR still exists on the connection.
	CodeForbiddenVBRExists Code = "Forbidden.VBRExists"
	// CodeForbiddenAssociateToVBR: the connection is still associated with a VBR.
	CodeForbiddenAssociateToVBR Code = "Forbidden.AssociateToVBR"
	// CodeOperationDeniedNeedVpconnOwner: only the hosted connection's owner, the tenant, may
	// make the call.
	CodeOperationDeniedNeedVpconnOwner Code = "OperationDenied.NeedVpconnOwner"
	// CodeOperationDeniedNeedPconnOwner: only the circuit's owner, the partner, may make the
	// call.
	CodeOperationDeniedNeedPconnOwner Code = "OperationDenied.NeedPconnOwner"
	// CodeForbiddenNotInAllowDeleteStatus: the connection is not in a state that allows
	// deleting it.
	CodeForbiddenNotInAllowDeleteStatus Code = "Forbidden.NotInAllowDeleteStatus"
	// CodeIncorrectStatusPhysicalConnection: the hosted connection is not in the state the
	// call needs (such as Enabled).
	CodeIncorrectStatusPhysicalConnection Code = "IncorrectStatus.PhysicalConnection"
	// CodeForbiddenVbrAttached: a VBR is still attached, so the connection cannot be
	// terminated (TerminatePhysicalConnection).
	CodeForbiddenVbrAttached Code = "Forbidden.VbrAttached"
	// CodeOperationFailedVpconnAttached: the circuit still carries hosted connections, so it
	// cannot be terminated (TerminatePhysicalConnection).
	CodeOperationFailedVpconnAttached Code = "OperationFailed.VpconnAttached"
	// CodeOperationDeniedMacsecAttached: a MACsec key is still bound to the connection
	// (TerminatePhysicalConnection).
	CodeOperationDeniedMacsecAttached Code = "OperationDenied.MacsecAttached"
	// CodeOperationFailedResourceLockedBySystem: the system has locked the resource
	// (TerminatePhysicalConnection).
	CodeOperationFailedResourceLockedBySystem Code = "OperationFailed.ResourceLockedBySystem"
)

// Codes the API gateway can answer to any call (Alibaba Cloud's common error codes).
const (
	// CodeThrottling: the request was throttled.
	CodeThrottling Code = "Throttling"
	// CodeThrottlingUser: the account's request rate is over its limit.
	CodeThrottlingUser Code = "Throttling.User"
	// CodeThrottlingAPI: the operation's request rate is over its limit.
	CodeThrottlingAPI Code = "Throttling.Api"
	// CodeRejectedThrottling: the service shed the request under load.
	CodeRejectedThrottling Code = "Rejected.Throttling"

	// CodeInvalidAccessKeyIDNotFound: the AccessKeyId does not exist.
	CodeInvalidAccessKeyIDNotFound Code = "InvalidAccessKeyId.NotFound"
	// CodeInvalidAccessKeyIDInactive: the AccessKey is disabled.
	CodeInvalidAccessKeyIDInactive Code = "InvalidAccessKeyId.Inactive"
	// CodeForbiddenAccessKeyDisabled: the AccessKey is disabled.
	CodeForbiddenAccessKeyDisabled Code = "Forbidden.AccessKeyDisabled"
	// CodeInvalidSecurityTokenExpired: the STS token has expired.
	CodeInvalidSecurityTokenExpired Code = "InvalidSecurityToken.Expired"
	// CodeInvalidSecurityTokenMalformed: the STS token is not well formed.
	CodeInvalidSecurityTokenMalformed Code = "InvalidSecurityToken.Malformed"
	// CodeInvalidSecurityTokenMismatchWithAccessKey: the STS token does not belong to the
	// AccessKeyId.
	CodeInvalidSecurityTokenMismatchWithAccessKey Code = "InvalidSecurityToken.MismatchWithAccessKey"
	// CodeMissingSecurityToken: an STS AccessKeyId was sent without its SecurityToken.
	CodeMissingSecurityToken Code = "MissingSecurityToken"

	// CodeSignatureDoesNotMatch: the signature is wrong, most often because the
	// AccessKeySecret is; compare [APIError.ServerStringToSign] with
	// [APIError.ClientStringToSign].
	CodeSignatureDoesNotMatch Code = "SignatureDoesNotMatch"
	// CodeIncompleteSignature: the signature does not cover the request.
	CodeIncompleteSignature Code = "IncompleteSignature"
	// CodeMissingSignature: the request carries no signature ("Signature is mandatory for this
	// action."), as the gateway has been seen to answer an unsigned request.
	CodeMissingSignature Code = "MissingSignature"
	// CodeSignatureNonceUsed: the SignatureNonce was used within the last 15 minutes.
	CodeSignatureNonceUsed Code = "SignatureNonceUsed"
	// CodeInvalidTimeStampExpired: the Timestamp is more than 15 minutes from the service's
	// clock.
	CodeInvalidTimeStampExpired Code = "InvalidTimeStamp.Expired"
	// CodeInvalidTimeStampFormat: the Timestamp is not well formed.
	CodeInvalidTimeStampFormat Code = "InvalidTimeStamp.Format"

	// CodeForbiddenRAM: the RAM policy does not allow the call; see
	// [APIError.AccessDeniedDetail].
	CodeForbiddenRAM Code = "Forbidden.RAM"
	// CodeForbidden: the caller may not make the call.
	CodeForbidden Code = "Forbidden"

	// CodeInternalError: the service failed; the call may be retried.
	CodeInternalError Code = "InternalError"
	// CodeServiceUnavailable: the service is unavailable; the call may be retried.
	CodeServiceUnavailable Code = "ServiceUnavailable"

	// CodeIdempotentParameterMismatch: the Token was used before with other parameters.
	CodeIdempotentParameterMismatch Code = "IdempotentParameterMismatch"

	// CodeInvalidParameter: a parameter is invalid, or given more than once.
	CodeInvalidParameter Code = "InvalidParameter"
	// CodeInvalidActionNotFound: the endpoint does not serve the action.
	CodeInvalidActionNotFound Code = "InvalidAction.NotFound"
	// CodeInvalidVersion: the endpoint does not serve the API version.
	CodeInvalidVersion Code = "InvalidVersion"
)

// Codes Alibaba Cloud answers for tags, tokens and page tokens in other VPC operations. The
// references of these operations list none for them; the local endpoint (package
// expressconnecttest) answers these.
const (
	// CodeIllegalParamToken: the idempotency token is invalid.
	CodeIllegalParamToken Code = "IllegalParam.Token"
	// CodeIllegalParamDryRun: DryRun is neither true nor false.
	CodeIllegalParamDryRun Code = "IllegalParam.DryRun"
	// CodeIllegalParamTagKey: a tag key is invalid.
	CodeIllegalParamTagKey Code = "IllegalParam.TagKey"
	// CodeIllegalParamTagValue: a tag value is invalid.
	CodeIllegalParamTagValue Code = "IllegalParam.TagValue"
	// CodeForbiddenTagKeyDuplicated: two tags have the same key.
	CodeForbiddenTagKeyDuplicated Code = "Forbidden.TagKey.Duplicated"
	// CodeSizeLimitExceededTagNum: more than 20 tags.
	CodeSizeLimitExceededTagNum Code = "SizeLimitExceeded.TagNum"
	// CodeIllegalParamNextToken: the NextToken is not one the service issued.
	CodeIllegalParamNextToken Code = "IllegalParam.NextToken"
)

// The answers of a passed dry run. They are not errors: a call whose dry run passed returns a
// response with DryRun set. The operation's reference documents CodeDryRunSuccess; other VPC
// operations answer HTTP 400 with CodeDryRunOperation, and the client accepts both.
const (
	// CodeDryRunOperation: the request passed the dry run.
	CodeDryRunOperation Code = "DryRunOperation"
	// CodeDryRunSuccess: the request passed the dry run.
	CodeDryRunSuccess Code = "DRYRUN.SUCCESS"
)

// isDryRunPass reports whether c is the answer of a passed dry run.
func isDryRunPass(c Code) bool { return c == CodeDryRunOperation || c == CodeDryRunSuccess }

// Family groups error codes that call for the same reaction. errors.Is(err, family) reports
// whether err belongs to it; an error belongs to at most one family.
type Family string

// Error returns the family's name, so that a Family can be the target of errors.Is.
func (f Family) Error() string { return string(f) }

// The families of errors.
const (
	// ErrInvalidParameter holds the service's parameter codes (MissingParameter,
	// MissingParam.*, IllegalParam.*, InvalidParameter, *.Malformed) and the client's own
	// *ValidationError.
	ErrInvalidParameter Family = "invalid parameter"
	// ErrNotFound holds the codes for a circuit or hosted connection that does not exist.
	ErrNotFound Family = "not found"
	// ErrVLANConflict holds the codes for a VLAN that cannot be used on the circuit.
	ErrVLANConflict Family = "VLAN conflict"
	// ErrQuotaOrCapacity holds the codes for a circuit out of hosted-connection quota or
	// bandwidth.
	ErrQuotaOrCapacity Family = "quota or capacity"
	// ErrInvalidState holds the codes for a circuit, hosted connection or VBR whose state
	// forbids the call.
	ErrInvalidState Family = "invalid state"
	// ErrPermission holds the codes for a caller, tenant or account not allowed to make the call.
	ErrPermission Family = "permission denied"
	// ErrThrottled holds the throttling codes; the client retries them with a longer backoff.
	ErrThrottled Family = "throttled"
	// ErrAuthentication holds the codes for AccessKeys and STS tokens the service refuses.
	ErrAuthentication Family = "authentication failed"
	// ErrSignature holds the codes for a signature, nonce or timestamp the service refuses.
	ErrSignature Family = "signature rejected"
	// ErrServerSide holds InternalError, ServiceUnavailable, and every other HTTP 5xx answer
	// whose code belongs to no other family (a 503 Throttling is ErrThrottled only).
	ErrServerSide Family = "service-side failure"
	// ErrIdempotency holds the codes for a Token reused with other parameters.
	ErrIdempotency Family = "idempotency conflict"
)

var familyRemedies = map[Family]string{
	ErrInvalidParameter: "fix the parameter the message names; the same request fails again",
	ErrNotFound:         "check the ID and the region: the resource does not exist, is gone, or belongs to another account",
	ErrVLANConflict:     "pick another VLAN",
	ErrQuotaOrCapacity:  "free capacity on the circuit or ask the account manager for a higher quota",
	ErrInvalidState:     "wait until the resource is in a state that allows the call",
	ErrPermission:       "grant the permission the message names, or contact the account manager",
	ErrThrottled:        "retry later with the same Token",
	ErrAuthentication:   "check the AccessKey, or refresh the STS credentials",
	ErrSignature:        "check the AccessKeySecret and the machine's clock",
	ErrServerSide:       "retry later with the same Token",
	ErrIdempotency:      "repeat the original request unchanged, or use a new Token for a different request",
}

// codeInfo is what the client knows of one code.
type codeInfo struct {
	family Family
	// status is the HTTP status an Alibaba Cloud page documents for the code, or 0: the
	// operation's reference gives 400 for each of its codes, and Alibaba's common error codes
	// page gives 404 for InvalidAccessKeyId.NotFound; the gateway's other statuses are not
	// documented.
	status int
	// retry is how the client retries an answer with the code.
	retry RetryClass
	// remedy says what to do, when the family's remedy is not precise enough.
	remedy string
}

// codeTable is the one table of the service's codes: their family, documented HTTP status,
// retry class and remedy. Family, retry classification, error messages, the local endpoint
// and the table of docs/errors.md all read it.
var codeTable = map[Code]codeInfo{
	CodeOperationFailedVBRBindedPconn:            {ErrInvalidState, 400, NoRetry, "the VBR already has a hosted connection: use another VBR"},
	CodeIllegalParamBandwidth:                    {ErrInvalidParameter, 400, NoRetry, "use one of the documented Spec values"},
	CodeResourceNotFoundPhysicalConnectionID:     {ErrNotFound, 400, NoRetry, "check the circuit ID and the region"},
	CodeOperationFailedVpconnCreated:             {ErrInvalidState, 400, NoRetry, "the circuit cannot carry this hosted connection: check the circuit"},
	CodeMissingParamSpec:                         {ErrInvalidParameter, 400, NoRetry, "set Spec"},
	CodeIllegalParamSpec:                         {ErrInvalidParameter, 400, NoRetry, "use one of the documented Spec values; 2G and above need the account manager's approval"},
	CodeIllegalParamVLANID:                       {ErrInvalidParameter, 400, NoRetry, "use a VLAN from 0 to 2999"},
	CodeVLANIDHasBeenUsedInPhysicalConnection:    {ErrVLANConflict, 400, NoRetry, "pick another VLAN: this one is taken on the circuit"},
	CodeInvalidPhysicalConnectionIDNotFound:      {ErrNotFound, 400, NoRetry, "check the circuit ID and the region"},
	CodeMissingParameter:                         {ErrInvalidParameter, 400, NoRetry, "set the parameter the message names"},
	CodeInvalidPhysicalConnectionIDNotEnabled:    {ErrInvalidState, 400, NoRetry, "the circuit is not Enabled: check it and try again"},
	CodeOperationFailedPconnAllocateVLAN0:        {ErrVLANConflict, 400, NoRetry, "pick a VLAN from 1 to 2999: VLAN 0 needs a circuit with nothing else on it"},
	CodeInvalidVLANIDMalformed:                   {ErrInvalidParameter, 400, NoRetry, "use a VLAN from 0 to 2999"},
	CodeInvalidNameMalformed:                     {ErrInvalidParameter, 400, NoRetry, "fix the Name: 2 to 128 letters, digits, '_' or '-', starting with a letter"},
	CodeResourceNotEnoughBandwidth:               {ErrQuotaOrCapacity, 400, NoRetry, "pick a smaller Spec or free bandwidth on the circuit"},
	CodeIllegalParamVpconnAliUID:                 {ErrInvalidParameter, 400, NoRetry, "check the tenant's account ID"},
	CodeIllegalParamOrderMode:                    {ErrInvalidParameter, 400, NoRetry, "use PayByPhysicalConnectionOwner or PayByVirtualPhysicalConnectionOwner"},
	CodeForbiddenVpconnAliUID:                    {ErrPermission, 400, NoRetry, "use the tenant's main account ID, not a RAM user's or a partner's"},
	CodeQuotaExceededVpconn:                      {ErrQuotaOrCapacity, 400, NoRetry, "delete unused hosted connections or ask the account manager for a higher quota"},
	CodeOperationDeniedCreateVpconn:              {ErrPermission, 400, NoRetry, "contact the account manager to be allowed to create hosted connections"},
	CodeInvalidDescriptionMalformed:              {ErrInvalidParameter, 400, NoRetry, "fix the Description: 2 to 256 characters, starting with a letter"},
	CodeEcAssociatedQoSPconnNotAllowCreateVpconn: {ErrInvalidState, 400, NoRetry, "contact the account manager: a circuit bound to a QoS policy cannot carry hosted connections"},
	CodeIllegalParamResourceGroupID:              {ErrInvalidParameter, 400, NoRetry, "check the resource group ID"},

	CodeInvalidRegionIDNotFound:               {ErrInvalidParameter, 404, NoRetry, "check the region: it does not exist"},
	CodeForbiddenNotAllowedInState:            {ErrInvalidState, 400, NoRetry, ""},
	CodeInvalidPhysicalConnectionIDNotMatched: {ErrInvalidParameter, 400, NoRetry, "check the hosted connection's ID"},
	CodeForbiddenVBRExists:                    {ErrInvalidState, 400, NoRetry, "delete the VBR on the hosted connection first"},
	CodeForbiddenAssociateToVBR:               {ErrInvalidState, 400, NoRetry, "detach the VBR from the hosted connection first"},
	CodeOperationDeniedNeedVpconnOwner:        {ErrPermission, 400, NoRetry, "ask the tenant, who owns the hosted connection, to make the call"},
	CodeOperationDeniedNeedPconnOwner:         {ErrPermission, 400, NoRetry, "make the call from the account that owns the circuit"},
	CodeForbiddenNotInAllowDeleteStatus:       {ErrInvalidState, 400, NoRetry, "an Enabled hosted connection cannot be deleted: terminate it first, then wait until it is Terminated"},
	CodeIncorrectStatusPhysicalConnection:     {ErrInvalidState, 400, NoRetry, "wait until the hosted connection is in the state the call needs"},
	CodeForbiddenVbrAttached:                  {ErrInvalidState, 400, NoRetry, "detach the VBR from the hosted connection first"},
	CodeOperationFailedVpconnAttached:         {ErrInvalidState, 400, NoRetry, "the circuit still carries hosted connections: the ID is a circuit's, not a hosted connection's"},
	CodeOperationDeniedMacsecAttached:         {ErrInvalidState, 400, NoRetry, "unbind the MACsec key first"},
	CodeOperationFailedResourceLockedBySystem: {ErrInvalidState, 400, NoRetry, "the resource is locked by the system: contact Alibaba Cloud support"},

	CodeThrottling:         {ErrThrottled, 0, RetryThrottled, ""},
	CodeThrottlingUser:     {ErrThrottled, 0, RetryThrottled, ""},
	CodeThrottlingAPI:      {ErrThrottled, 0, RetryThrottled, ""},
	CodeRejectedThrottling: {ErrThrottled, 0, RetryThrottled, ""},

	CodeInvalidAccessKeyIDNotFound:                {ErrAuthentication, 404, NoRetry, "check the AccessKeyId"},
	CodeInvalidAccessKeyIDInactive:                {ErrAuthentication, 0, NoRetry, "enable the AccessKey or use another"},
	CodeForbiddenAccessKeyDisabled:                {ErrAuthentication, 0, NoRetry, "enable the AccessKey or use another"},
	CodeInvalidSecurityTokenExpired:               {ErrAuthentication, 0, NoRetry, "refresh the STS credentials"},
	CodeInvalidSecurityTokenMalformed:             {ErrAuthentication, 0, NoRetry, "check the SecurityToken"},
	CodeInvalidSecurityTokenMismatchWithAccessKey: {ErrAuthentication, 0, NoRetry, "use the SecurityToken issued with this AccessKeyId"},
	CodeMissingSecurityToken:                      {ErrAuthentication, 0, NoRetry, "send the SecurityToken of the STS credentials"},

	CodeSignatureDoesNotMatch:   {ErrSignature, 0, NoRetry, "check the AccessKeySecret: compare the server's and the client's string to sign"},
	CodeIncompleteSignature:     {ErrSignature, 0, NoRetry, "check the endpoint: something between the client and the service changed the request"},
	CodeMissingSignature:        {ErrSignature, 0, NoRetry, "check the endpoint: something between the client and the service removed the signature"},
	CodeSignatureNonceUsed:      {ErrSignature, 0, RetryTransient, "retry: every attempt draws a new nonce"},
	CodeInvalidTimeStampExpired: {ErrSignature, 0, RetryClockSkew, "set the machine's clock right (NTP), or keep clock-skew correction on"},
	CodeInvalidTimeStampFormat:  {ErrSignature, 0, NoRetry, "check the machine's clock"},

	CodeForbiddenRAM: {ErrPermission, 0, NoRetry, "grant the RAM permission in AccessDeniedDetail.AuthAction"},
	CodeForbidden:    {ErrPermission, 0, NoRetry, ""},

	CodeInternalError:      {ErrServerSide, 0, RetryTransient, ""},
	CodeServiceUnavailable: {ErrServerSide, 0, RetryTransient, ""},

	CodeIdempotentParameterMismatch: {ErrIdempotency, 0, NoRetry, ""},

	CodeInvalidParameter:      {ErrInvalidParameter, 0, NoRetry, ""},
	CodeInvalidActionNotFound: {ErrInvalidParameter, 0, NoRetry, "check WithEndpoint: the endpoint does not serve this action"},
	CodeInvalidVersion:        {ErrInvalidParameter, 0, NoRetry, "check WithEndpoint: the endpoint does not serve API version 2016-04-28"},

	CodeIllegalParamToken:         {ErrInvalidParameter, 0, NoRetry, "use a Token of at most 64 printable ASCII characters"},
	CodeIllegalParamDryRun:        {ErrInvalidParameter, 0, NoRetry, ""},
	CodeIllegalParamTagKey:        {ErrInvalidParameter, 0, NoRetry, "fix the tag key"},
	CodeIllegalParamTagValue:      {ErrInvalidParameter, 0, NoRetry, "fix the tag value"},
	CodeForbiddenTagKeyDuplicated: {ErrInvalidParameter, 0, NoRetry, "give each tag a different key"},
	CodeSizeLimitExceededTagNum:   {ErrInvalidParameter, 0, NoRetry, "send at most 20 tags"},
	CodeIllegalParamNextToken:     {ErrInvalidParameter, 0, NoRetry, "pass the NextToken of the previous page unchanged, or none for the first"},

	CodeDryRunOperation: {"", 0, NoRetry, "none: the dry run passed (an error only when no dry run was asked for)"},
	CodeDryRunSuccess:   {"", 0, NoRetry, "none: the dry run passed (an error only when no dry run was asked for)"},
}

// familyOf returns the family of an answer with code and HTTP status: the code's, else
// [ErrServerSide] for a 5xx, else "".
func familyOf(code Code, status int) Family {
	if f := code.Family(); f != "" {
		return f
	}
	if status >= http.StatusInternalServerError {
		return ErrServerSide
	}
	return ""
}

// retryClassOf returns how the client retries an answer with code and HTTP status: the code
// table's class, else a throttled retry for the throttling family, else a transient retry for
// HTTP 500, 502, 503 and 504.
func retryClassOf(code Code, status int) RetryClass {
	if info, ok := codeTable[code]; ok && info.retry != NoRetry {
		return info.retry
	}
	if code.Family() == ErrThrottled {
		return RetryThrottled
	}
	switch status {
	case http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return RetryTransient
	}
	return NoRetry
}
