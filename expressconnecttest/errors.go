package expressconnecttest

import (
	"fmt"
	"net/http"
)

// The error codes the server answers with, as the service spells them.
const (
	CodeMissingParameter               = "MissingParameter"
	CodeInvalidParameter               = "InvalidParameter"
	CodeInvalidAction                  = "InvalidAction.NotFound"
	CodeInvalidVersion                 = "InvalidVersion"
	CodeIncompleteSignature            = "IncompleteSignature"
	CodeSignatureDoesNotMatch          = "SignatureDoesNotMatch"
	CodeInvalidAccessKeyIDNotFound     = "InvalidAccessKeyId.NotFound"
	CodeInvalidTimeStampFormat         = "InvalidTimeStamp.Format"
	CodeInvalidTimeStampExpired        = "InvalidTimeStamp.Expired"
	CodeSignatureNonceUsed             = "SignatureNonceUsed"
	CodeInvalidSecurityTokenMalformed  = "InvalidSecurityToken.Malformed"
	CodeInvalidSecurityTokenMismatch   = "InvalidSecurityToken.MismatchWithAccessKey"
	CodeInvalidSecurityTokenExpired    = "InvalidSecurityToken.Expired"
	CodeForbiddenRAM                   = "Forbidden.RAM"
	CodeMissingSpec                    = "MissingParam.Spec"
	CodeIllegalSpec                    = "IllegalParam.Spec"
	CodeIllegalVlanID                  = "IllegalParam.VlanId"
	CodeMalformedVlanID                = "InvalidVlanId.Malformed"
	CodeIllegalOrderMode               = "IllegalParam.OrderMode"
	CodeMalformedName                  = "InvalidName.Malformed"
	CodeMalformedDescription           = "InvalidDescription.Malformed"
	CodeIllegalVpconnAliUID            = "IllegalParam.VpconnAliUid"
	CodeIllegalResourceGroupID         = "IllegalParam.ResourceGroupId"
	CodeIllegalDryRun                  = "IllegalParam.DryRun"
	CodeIllegalToken                   = "IllegalParam.Token"
	CodeIllegalTagKey                  = "IllegalParam.TagKey"
	CodeIllegalTagValue                = "IllegalParam.TagValue"
	CodeDuplicatedTagKey               = "Forbidden.TagKey.Duplicated"
	CodeTooManyTags                    = "SizeLimitExceeded.TagNum"
	CodeIdempotentParameterMismatch    = "IdempotentParameterMismatch"
	CodeDryRunOperation                = "DryRunOperation"
	CodeCircuitNotFound                = "InvalidPhysicalConnectionId.NotFound"
	CodeCircuitNotEnabled              = "InvalidPhysicalConnectionId.NotEnabled"
	CodeVLANUsed                       = "VLAN_ID_HAS_BEEN_USED_IN_PHYSICAL_CONNECTION"
	CodeAllocateVLAN0                  = "OperationFailed.PconnAllocateVlan0"
	CodeQuotaExceeded                  = "QuotaExceeded.VPCONN"
	CodeBandwidthNotEnough             = "ResourceNotEnough.Bandwidth"
	CodeForbiddenTenant                = "Forbidden.VpconnAliUid"
	CodeQoSBound                       = "EcAssociatedQoSPconnNotAllowCreateVpconn"
	CodeThrottlingUser                 = "Throttling.User"
	CodeInternalError                  = "InternalError"
	CodeServiceUnavailable             = "ServiceUnavailable"
	MessageDryRunOperation             = "Request validation has been passed with DryRun flag set."
	messageSignatureDoesNotMatchPrefix = "Specified signature is not matched with our calculation. server string to sign is:"
)

// apiError is one error answer: HTTP status, Code and Message, and for Forbidden.RAM the
// AccessDeniedDetail.
type apiError struct {
	status  int
	code    string
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
func badRequest(code, message string) *apiError {
	return &apiError{status: http.StatusBadRequest, code: code, message: message}
}

func errMissingParameter(name string) *apiError {
	return badRequest(CodeMissingParameter, fmt.Sprintf(
		"The input parameter '%s' that is mandatory for processing this request is not supplied.", name))
}

func errInvalidParameter(message string) *apiError {
	return badRequest(CodeInvalidParameter, message)
}

func errUnparsableParams() *apiError {
	return errInvalidParameter("The request parameters cannot be parsed.")
}

func errBodyTooLarge(limit int) *apiError {
	return errInvalidParameter(fmt.Sprintf(
		"The request body is larger than %d bytes (%d MiB), the most this endpoint reads.", limit, limit>>20))
}

func errIllegalParam(code, name string) *apiError {
	return badRequest(code, fmt.Sprintf("The param of %s is illegal.", name))
}

func errInvalidAction() *apiError {
	return &apiError{status: http.StatusNotFound, code: CodeInvalidAction,
		message: "Specified api is not found, please check your url and method."}
}

func errInvalidVersion() *apiError {
	return badRequest(CodeInvalidVersion, "Specified parameter Version is not valid.")
}

func errIncompleteSignature() *apiError {
	return badRequest(CodeIncompleteSignature, "The request signature does not conform to Aliyun standards.")
}

func errSignatureDoesNotMatch(stringToSign string) *apiError {
	return badRequest(CodeSignatureDoesNotMatch, messageSignatureDoesNotMatchPrefix+stringToSign)
}

func errAccessKeyNotFound() *apiError {
	return &apiError{status: http.StatusNotFound, code: CodeInvalidAccessKeyIDNotFound,
		message: "Specified access key is not found."}
}

func errTimestampFormat() *apiError {
	return badRequest(CodeInvalidTimeStampFormat, "Specified time stamp or date value is not well formatted.")
}

func errTimestampExpired() *apiError {
	return badRequest(CodeInvalidTimeStampExpired, "Specified time stamp or date value is expired.")
}

func errNonceUsed() *apiError {
	return badRequest(CodeSignatureNonceUsed, "Specified signature nonce was used already.")
}

func errSecurityTokenMalformed() *apiError {
	return badRequest(CodeInvalidSecurityTokenMalformed, "Specified SecurityToken is malformed.")
}

func errSecurityTokenMismatch() *apiError {
	return badRequest(CodeInvalidSecurityTokenMismatch, "Specified SecurityToken mismatch with the AccessKey.")
}

func errSecurityTokenExpired() *apiError {
	return badRequest(CodeInvalidSecurityTokenExpired, "Specified SecurityToken is expired.")
}

func errForbiddenRAM(detail accessDeniedDetail) *apiError {
	return &apiError{status: http.StatusForbidden, code: CodeForbiddenRAM,
		message: "User not authorized to operate on the specified resource, or this API doesn't support RAM.",
		denied:  &detail}
}

func errIdempotentMismatch() *apiError {
	return badRequest(CodeIdempotentParameterMismatch,
		"The request uses the same client token as a previous, but non-identical request.")
}

func errDryRun() *apiError {
	return badRequest(CodeDryRunOperation, MessageDryRunOperation)
}

func errCircuitNotFound() *apiError {
	return badRequest(CodeCircuitNotFound, "The specified PhysicalConnectionId is not found.")
}

func errCircuitNotEnabled() *apiError {
	return badRequest(CodeCircuitNotEnabled, "The specified PhysicalConnectionId is not in Enabled state.")
}

func errVLANUsed() *apiError {
	return badRequest(CodeVLANUsed, "vlan id has been used in physical connection")
}

func errAllocateVLAN0() *apiError {
	return badRequest(CodeAllocateVLAN0, "The operation is failed because of PconnAllocatedResource.")
}

func errQuotaExceeded() *apiError {
	return badRequest(CodeQuotaExceeded, "The quota of VPCONN_COUNT_PER_PCONN is exceeded")
}

func errBandwidthNotEnough() *apiError {
	return badRequest(CodeBandwidthNotEnough, "The specified resource of Bandwidth is not enough.")
}

func errForbiddenTenant() *apiError {
	return badRequest(CodeForbiddenTenant,
		"Vpconn UID is forbidden to belong to a RAM account or partner account.")
}

func errQoSBound() *apiError {
	return badRequest(CodeQoSBound,
		"The specified Pconn associated with Qos is not allowed to create Vpconn.Please contact the business manager.")
}

func errThrottling() *apiError {
	return badRequest(CodeThrottlingUser, "Request was denied due to user flow control.")
}
