package expressconnecttest

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/expressconnect-go/expressconnect"
)

// Messages the server answers with that tests may compare.
const (
	// MessageDryRunOperation is the message of a passed dry run (HTTP 400 DryRunOperation).
	MessageDryRunOperation = "Request validation has been passed with DryRun flag set."
	// messageSignatureDoesNotMatchPrefix starts the message of SignatureDoesNotMatch, which
	// goes on with the server's string to sign.
	messageSignatureDoesNotMatchPrefix = "Specified signature is not matched with our calculation. server string to sign is:"
)

// apiError is one error answer: HTTP status, Code and Message, and for Forbidden.RAM the
// AccessDeniedDetail.
type apiError struct {
	status  int
	code    expressconnect.Code
	message string
	denied  *accessDeniedDetail
}

// accessDeniedDetail is the AccessDeniedDetail object of a Forbidden.RAM answer.
type accessDeniedDetail struct {
	AuthAction               string `json:"AuthAction"`
	AuthPrincipalType        string `json:"AuthPrincipalType"`
	AuthPrincipalOwnerID     string `json:"AuthPrincipalOwnerId"`
	AuthPrincipalDisplayName string `json:"AuthPrincipalDisplayName"`
	NoPermissionType         string `json:"NoPermissionType"`
	PolicyType               string `json:"PolicyType"`
	EncodedDiagnosticMessage string `json:"EncodedDiagnosticMessage"`
}

// badRequest returns an HTTP 400 error with code and message.
func badRequest(code expressconnect.Code, message string) *apiError {
	return &apiError{status: http.StatusBadRequest, code: code, message: message}
}

func errMissingParameter(name string) *apiError {
	return badRequest(expressconnect.CodeMissingParameter, fmt.Sprintf(
		"The input parameter '%s' that is mandatory for processing this request is not supplied.", name))
}

func errInvalidParameter(message string) *apiError {
	return badRequest(expressconnect.CodeInvalidParameter, message)
}

func errUnparsableParams() *apiError {
	return errInvalidParameter("The request parameters cannot be parsed.")
}

func errBodyTooLarge(limit int) *apiError {
	return errInvalidParameter(fmt.Sprintf(
		"The request body is larger than %d bytes (%d MiB), the most this endpoint reads.", limit, limit>>20))
}

func errIllegalParam(code expressconnect.Code, name string) *apiError {
	return badRequest(code, fmt.Sprintf("The param of %s is illegal.", name))
}

func errInvalidAction() *apiError {
	return &apiError{status: http.StatusNotFound, code: expressconnect.CodeInvalidActionNotFound,
		message: "Specified api is not found, please check your url and method."}
}

func errInvalidVersion() *apiError {
	return badRequest(expressconnect.CodeInvalidVersion, "Specified parameter Version is not valid.")
}

// errIncompleteSignature is the answer to a signature that does not conform, with detail
// (if any) after the documented message.
func errIncompleteSignature(detail string) *apiError {
	return badRequest(expressconnect.CodeIncompleteSignature, strings.TrimSpace("The request signature does not conform to Aliyun standards. "+detail))
}

func errSignatureDoesNotMatch(stringToSign string) *apiError {
	return badRequest(expressconnect.CodeSignatureDoesNotMatch, messageSignatureDoesNotMatchPrefix+stringToSign)
}

func errAccessKeyNotFound() *apiError {
	return &apiError{status: http.StatusNotFound, code: expressconnect.CodeInvalidAccessKeyIDNotFound,
		message: "Specified access key is not found."}
}

func errTimestampFormat() *apiError {
	return badRequest(expressconnect.CodeInvalidTimeStampFormat, "Specified time stamp or date value is not well formatted.")
}

func errTimestampExpired() *apiError {
	return badRequest(expressconnect.CodeInvalidTimeStampExpired, "Specified time stamp or date value is expired.")
}

func errNonceUsed() *apiError {
	return badRequest(expressconnect.CodeSignatureNonceUsed, "Specified signature nonce was used already.")
}

func errSecurityTokenMalformed() *apiError {
	return badRequest(expressconnect.CodeInvalidSecurityTokenMalformed, "Specified SecurityToken is malformed.")
}

func errSecurityTokenMismatch() *apiError {
	return badRequest(expressconnect.CodeInvalidSecurityTokenMismatchWithAccessKey, "Specified SecurityToken mismatch with the AccessKey.")
}

func errSecurityTokenExpired() *apiError {
	return badRequest(expressconnect.CodeInvalidSecurityTokenExpired, "Specified SecurityToken is expired.")
}

func errForbiddenRAM(detail accessDeniedDetail) *apiError {
	return &apiError{status: http.StatusForbidden, code: expressconnect.CodeForbiddenRAM,
		message: "User not authorized to operate on the specified resource, or this API doesn't support RAM.",
		denied:  &detail}
}

func errIdempotentMismatch() *apiError {
	return badRequest(expressconnect.CodeIdempotentParameterMismatch,
		"The request uses the same client token as a previous, but non-identical request.")
}

func errDryRun() *apiError {
	return badRequest(expressconnect.CodeDryRunOperation, MessageDryRunOperation)
}

func errCircuitNotFound() *apiError {
	return badRequest(expressconnect.CodeInvalidPhysicalConnectionIDNotFound, "The specified PhysicalConnectionId is not found.")
}

func errCircuitNotEnabled() *apiError {
	return badRequest(expressconnect.CodeInvalidPhysicalConnectionIDNotEnabled, "The specified PhysicalConnectionId is not in Enabled state.")
}

func errVLANUsed() *apiError {
	return badRequest(expressconnect.CodeVLANIDHasBeenUsedInPhysicalConnection, "vlan id has been used in physical connection")
}

func errAllocateVLAN0() *apiError {
	return badRequest(expressconnect.CodeOperationFailedPconnAllocateVLAN0, "The operation is failed because of PconnAllocatedResource.")
}

func errQuotaExceeded() *apiError {
	return badRequest(expressconnect.CodeQuotaExceededVpconn, "The quota of VPCONN_COUNT_PER_PCONN is exceeded")
}

func errBandwidthNotEnough() *apiError {
	return badRequest(expressconnect.CodeResourceNotEnoughBandwidth, "The specified resource of Bandwidth is not enough.")
}

func errForbiddenTenant() *apiError {
	return badRequest(expressconnect.CodeForbiddenVpconnAliUID,
		"Vpconn UID is forbidden to belong to a RAM account or partner account.")
}

func errQoSBound() *apiError {
	return badRequest(expressconnect.CodeEcAssociatedQoSPconnNotAllowCreateVpconn,
		"The specified Pconn associated with Qos is not allowed to create Vpconn.Please contact the business manager.")
}

func errThrottling() *apiError {
	return badRequest(expressconnect.CodeThrottlingUser, "Request was denied due to user flow control.")
}

func errVLANMalformed() *apiError {
	return badRequest(expressconnect.CodeInvalidVLANIDMalformed, "The specified VlanId is not valid.")
}

func errIllegalTagKey() *apiError {
	return badRequest(expressconnect.CodeIllegalParamTagKey, "The param of Tag.Key is illegal.")
}

func errRegionNotFound() *apiError {
	return &apiError{status: http.StatusNotFound, code: expressconnect.CodeInvalidRegionIDNotFound,
		message: "The RegionId provided does not exist in our records."}
}

func errIllegalNextToken() *apiError {
	return errIllegalParam(expressconnect.CodeIllegalParamNextToken, "NextToken")
}

func errConnectionNotFound(id string) *apiError {
	return badRequest(expressconnect.CodeResourceNotFoundPhysicalConnectionID,
		fmt.Sprintf("The specified PhysicalConnectionId [%s] is not found.", id))
}

func errNotAllowedInState() *apiError {
	return badRequest(expressconnect.CodeForbiddenNotAllowedInState, "The request does not allow in this state.")
}

// errPhysicalConnectionNotFound is DeletePhysicalConnection's answer to an ID it does not
// know, HTTP 404 as its reference gives it (Create's reference gives 400 for the same code).
func errPhysicalConnectionNotFound() *apiError {
	return &apiError{status: http.StatusNotFound, code: expressconnect.CodeInvalidPhysicalConnectionIDNotFound,
		message: "The PhysicalConnectionId provided does not exist in our records."}
}

// errNotInAllowDeleteStatus's message is as the reference begins it; the reference's text is
// cut off after "Allocati".
func errNotInAllowDeleteStatus() *apiError {
	return badRequest(expressconnect.CodeForbiddenNotInAllowDeleteStatus,
		"Only physical connection in the Cancelled, Rejected, Terminated, Allocated, or AllocationFailed state can be deleted.")
}

// codeVpconnAttached is the code of TerminatePhysicalConnection's reference for a circuit that
// still carries hosted connections (vpconn). The client has no constant for it yet.
const codeVpconnAttached expressconnect.Code = "OperationFailed.VpconnAttached"

// errVpconnAttached refuses to act on a circuit that still carries hosted connections. The
// message is the one the Terminate reference gives, with the action's verb.
func errVpconnAttached(verb string) *apiError {
	return badRequest(codeVpconnAttached, "Cannot "+verb+" physical connection when vpconn are still attached.")
}
