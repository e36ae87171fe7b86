package expressconnect

// Code is an error code the service answers with. Each documented code is an exported Code
// constant, and errors.Is(err, code) reports whether err holds an *APIError with that code,
// whatever its HTTP status and message.
type Code string

// Error returns the code itself.
func (c Code) Error() string { return string(c) }

// The error codes documented for CreateVirtualPhysicalConnection, with their documented meaning.
const (
	// ErrOperationFailedVbrBindedPconn (OperationFailed.VbrBindedPconn): a hosted connection is
	// already created for the VBR.
	ErrOperationFailedVbrBindedPconn Code = "OperationFailed.VbrBindedPconn"
	// ErrIllegalParamBandwidth (IllegalParam.Bandwidth): the bandwidth value is invalid.
	ErrIllegalParamBandwidth Code = "IllegalParam.Bandwidth"
	// ErrResourceNotFoundPhysicalConnectionID (ResourceNotFound.PhysicalConnectionId): the
	// PhysicalConnectionId does not name a circuit.
	ErrResourceNotFoundPhysicalConnectionID Code = "ResourceNotFound.PhysicalConnectionId"
	// ErrOperationFailedVPconnCreated (OperationFailed.VPconnCreated): the hosted connection
	// cannot be created on this circuit.
	ErrOperationFailedVPconnCreated Code = "OperationFailed.VPconnCreated"
	// ErrMissingParamSpec (MissingParam.Spec): the Spec parameter is not set.
	ErrMissingParamSpec Code = "MissingParam.Spec"
	// ErrIllegalParamSpec (IllegalParam.Spec): the Spec parameter is invalid.
	ErrIllegalParamSpec Code = "IllegalParam.Spec"
	// ErrIllegalParamVlanID (IllegalParam.VlanId): the VlanId parameter is invalid.
	ErrIllegalParamVlanID Code = "IllegalParam.VlanId"
	// ErrVLANIDHasBeenUsedInPhysicalConnection (VLAN_ID_HAS_BEEN_USED_IN_PHYSICAL_CONNECTION): the
	// VLAN is already used on the circuit; pick another.
	ErrVLANIDHasBeenUsedInPhysicalConnection Code = "VLAN_ID_HAS_BEEN_USED_IN_PHYSICAL_CONNECTION"
	// ErrInvalidPhysicalConnectionIDNotFound (InvalidPhysicalConnectionId.NotFound): the circuit
	// does not exist.
	ErrInvalidPhysicalConnectionIDNotFound Code = "InvalidPhysicalConnectionId.NotFound"
	// ErrMissingParameter (MissingParameter): a required parameter, such as
	// PhysicalConnectionId, is not supplied.
	ErrMissingParameter Code = "MissingParameter"
	// ErrInvalidPhysicalConnectionIDNotEnabled (InvalidPhysicalConnectionId.NotEnabled): the
	// circuit is not in the Enabled state; check it and try again.
	ErrInvalidPhysicalConnectionIDNotEnabled Code = "InvalidPhysicalConnectionId.NotEnabled"
	// ErrOperationFailedPconnAllocateVlan0 (OperationFailed.PconnAllocateVlan0): VLAN 0 cannot be
	// allocated, because the circuit already carries resources.
	ErrOperationFailedPconnAllocateVlan0 Code = "OperationFailed.PconnAllocateVlan0"
	// ErrInvalidVlanIDMalformed (InvalidVlanId.Malformed): the VlanId is not valid.
	ErrInvalidVlanIDMalformed Code = "InvalidVlanId.Malformed"
	// ErrInvalidNameMalformed (InvalidName.Malformed): the Name is not valid.
	ErrInvalidNameMalformed Code = "InvalidName.Malformed"
	// ErrResourceNotEnoughBandwidth (ResourceNotEnough.Bandwidth): the circuit has not enough
	// bandwidth left.
	ErrResourceNotEnoughBandwidth Code = "ResourceNotEnough.Bandwidth"
	// ErrIllegalParamVpconnAliUID (IllegalParam.VpconnAliUid): the tenant account ID is invalid.
	ErrIllegalParamVpconnAliUID Code = "IllegalParam.VpconnAliUid"
	// ErrIllegalParamOrderMode (IllegalParam.OrderMode): the OrderMode is invalid.
	ErrIllegalParamOrderMode Code = "IllegalParam.OrderMode"
	// ErrForbiddenVpconnAliUID (Forbidden.VpconnAliUid): the tenant account ID belongs to a RAM
	// user or a partner account, which cannot own a hosted connection.
	ErrForbiddenVpconnAliUID Code = "Forbidden.VpconnAliUid"
	// ErrQuotaExceededVPCONN (QuotaExceeded.VPCONN): the circuit has reached its quota of hosted
	// connections (VPCONN_COUNT_PER_PCONN).
	ErrQuotaExceededVPCONN Code = "QuotaExceeded.VPCONN"
	// ErrOperationDeniedCreateVpconn (OperationDenied.CreateVpconn): the account may not create
	// hosted connections; contact the business manager.
	ErrOperationDeniedCreateVpconn Code = "OperationDenied.CreateVpconn"
	// ErrInvalidDescriptionMalformed (InvalidDescription.Malformed): the Description is not
	// valid.
	ErrInvalidDescriptionMalformed Code = "InvalidDescription.Malformed"
	// ErrEcAssociatedQoSPconnNotAllowCreateVpconn (EcAssociatedQoSPconnNotAllowCreateVpconn): a
	// dedicated circuit bound to a QoS policy cannot carry hosted connections; contact the
	// business manager.
	ErrEcAssociatedQoSPconnNotAllowCreateVpconn Code = "EcAssociatedQoSPconnNotAllowCreateVpconn"
	// ErrIllegalParamResourceGroupID (IllegalParam.ResourceGroupId): the resource group is
	// invalid or does not exist.
	ErrIllegalParamResourceGroupID Code = "IllegalParam.ResourceGroupId"
)

// Codes the API gateway can answer to any call.
const (
	// ErrThrottling (Throttling): the request was throttled; back off and retry.
	ErrThrottling Code = "Throttling"
	// ErrThrottlingUser (Throttling.User): the account's request rate is over its limit.
	ErrThrottlingUser Code = "Throttling.User"
	// ErrThrottlingAPI (Throttling.Api): the operation's request rate is over its limit.
	ErrThrottlingAPI Code = "Throttling.Api"
	// ErrRejectedThrottling (Rejected.Throttling): the service shed the request under load.
	ErrRejectedThrottling Code = "Rejected.Throttling"

	// ErrInvalidAccessKeyIDNotFound (InvalidAccessKeyId.NotFound): the AccessKeyId does not exist.
	ErrInvalidAccessKeyIDNotFound Code = "InvalidAccessKeyId.NotFound"
	// ErrInvalidAccessKeyIDInactive (InvalidAccessKeyId.Inactive): the AccessKey is disabled.
	ErrInvalidAccessKeyIDInactive Code = "InvalidAccessKeyId.Inactive"
	// ErrForbiddenAccessKeyDisabled (Forbidden.AccessKeyDisabled): the AccessKey is disabled.
	ErrForbiddenAccessKeyDisabled Code = "Forbidden.AccessKeyDisabled"
	// ErrInvalidSecurityTokenExpired (InvalidSecurityToken.Expired): the STS token has expired.
	ErrInvalidSecurityTokenExpired Code = "InvalidSecurityToken.Expired"
	// ErrInvalidSecurityTokenMalformed (InvalidSecurityToken.Malformed): the STS token is not
	// well formed.
	ErrInvalidSecurityTokenMalformed Code = "InvalidSecurityToken.Malformed"
	// ErrInvalidSecurityTokenMismatchWithAccessKey (InvalidSecurityToken.MismatchWithAccessKey):
	// the STS token does not belong to the AccessKeyId.
	ErrInvalidSecurityTokenMismatchWithAccessKey Code = "InvalidSecurityToken.MismatchWithAccessKey"
	// ErrMissingSecurityToken (MissingSecurityToken): an STS AccessKeyId was sent without its
	// SecurityToken.
	ErrMissingSecurityToken Code = "MissingSecurityToken"

	// ErrSignatureDoesNotMatch (SignatureDoesNotMatch): the signature is wrong, most often
	// because the AccessKeySecret is. See APIError.ServerStringToSign.
	ErrSignatureDoesNotMatch Code = "SignatureDoesNotMatch"
	// ErrIncompleteSignature (IncompleteSignature): the signature does not cover the request.
	ErrIncompleteSignature Code = "IncompleteSignature"
	// ErrSignatureNonceUsed (SignatureNonceUsed): the SignatureNonce was used within the last
	// 15 minutes.
	ErrSignatureNonceUsed Code = "SignatureNonceUsed"
	// ErrInvalidTimeStampExpired (InvalidTimeStamp.Expired): the Timestamp is more than 15
	// minutes from the service's clock.
	ErrInvalidTimeStampExpired Code = "InvalidTimeStamp.Expired"
	// ErrInvalidTimeStampFormat (InvalidTimeStamp.Format): the Timestamp is not well formed.
	ErrInvalidTimeStampFormat Code = "InvalidTimeStamp.Format"

	// ErrForbiddenRAM (Forbidden.RAM): the RAM policy does not allow the call; see
	// APIError.AccessDeniedDetail.
	ErrForbiddenRAM Code = "Forbidden.RAM"
	// ErrForbidden (Forbidden): the caller may not make the call.
	ErrForbidden Code = "Forbidden"

	// ErrInternalError (InternalError): the service failed; the call may be retried.
	ErrInternalError Code = "InternalError"
	// ErrServiceUnavailable (ServiceUnavailable): the service is unavailable; the call may be
	// retried.
	ErrServiceUnavailable Code = "ServiceUnavailable"

	// ErrIdempotentParameterMismatch (IdempotentParameterMismatch): the Token was used before
	// with other parameters.
	ErrIdempotentParameterMismatch Code = "IdempotentParameterMismatch"
)

// Dry-run answers. They are not errors: a passed dry run returns a response with DryRun set.
const (
	codeDryRunOperation = "DryRunOperation"
	codeDryRunSuccess   = "DRYRUN.SUCCESS"
)

// Family groups error codes that call for the same reaction. errors.Is(err, family) reports
// whether err belongs to it; an error belongs to at most one family.
type Family string

// Error returns the family's name.
func (f Family) Error() string { return string(f) }

// The families of errors.
const (
	// ErrInvalidParameter holds the service's parameter codes (MissingParameter,
	// MissingParam.*, IllegalParam.*, *.Malformed) and the client's own *ValidationError.
	ErrInvalidParameter Family = "invalid parameter"
	// ErrNotFound holds the codes for a circuit that does not exist.
	ErrNotFound Family = "not found"
	// ErrVLANConflict holds the codes for a VLAN that cannot be used on the circuit.
	ErrVLANConflict Family = "VLAN conflict"
	// ErrQuotaOrCapacity holds the codes for a circuit out of hosted-connection quota or
	// bandwidth.
	ErrQuotaOrCapacity Family = "quota or capacity"
	// ErrInvalidState holds the codes for a circuit or VBR whose state forbids the call.
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

// familyOf returns the family of an answer with code and HTTP status, or "" for none.
func familyOf(code string, status int) Family {
	switch Code(code) {
	case ErrMissingParameter, ErrMissingParamSpec, ErrIllegalParamBandwidth, ErrIllegalParamSpec,
		ErrIllegalParamVlanID, ErrInvalidVlanIDMalformed, ErrInvalidNameMalformed,
		ErrIllegalParamVpconnAliUID, ErrIllegalParamOrderMode, ErrInvalidDescriptionMalformed,
		ErrIllegalParamResourceGroupID:
		return ErrInvalidParameter
	case ErrResourceNotFoundPhysicalConnectionID, ErrInvalidPhysicalConnectionIDNotFound:
		return ErrNotFound
	case ErrVLANIDHasBeenUsedInPhysicalConnection, ErrOperationFailedPconnAllocateVlan0:
		return ErrVLANConflict
	case ErrQuotaExceededVPCONN, ErrResourceNotEnoughBandwidth:
		return ErrQuotaOrCapacity
	case ErrInvalidPhysicalConnectionIDNotEnabled, ErrOperationFailedVbrBindedPconn,
		ErrOperationFailedVPconnCreated, ErrEcAssociatedQoSPconnNotAllowCreateVpconn:
		return ErrInvalidState
	case ErrForbiddenVpconnAliUID, ErrOperationDeniedCreateVpconn, ErrForbiddenRAM, ErrForbidden:
		return ErrPermission
	case ErrThrottling, ErrThrottlingUser, ErrThrottlingAPI, ErrRejectedThrottling:
		return ErrThrottled
	case ErrInvalidAccessKeyIDNotFound, ErrInvalidAccessKeyIDInactive, ErrForbiddenAccessKeyDisabled,
		ErrInvalidSecurityTokenExpired, ErrInvalidSecurityTokenMalformed,
		ErrInvalidSecurityTokenMismatchWithAccessKey, ErrMissingSecurityToken:
		return ErrAuthentication
	case ErrSignatureDoesNotMatch, ErrIncompleteSignature, ErrSignatureNonceUsed,
		ErrInvalidTimeStampExpired, ErrInvalidTimeStampFormat:
		return ErrSignature
	case ErrInternalError, ErrServiceUnavailable:
		return ErrServerSide
	case ErrIdempotentParameterMismatch:
		return ErrIdempotency
	}
	if status >= 500 {
		return ErrServerSide
	}
	return ""
}
