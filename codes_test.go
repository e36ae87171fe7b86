package expressconnect

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/alibabacloud-go/tea/tea"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// codesCase is one error answer of the service: its code, HTTP status, documented message and
// the family it must match ("" for none).
type codesCase struct {
	code    Code
	status  int
	message string
	family  Family
}

// codesDocumented are the 23 codes of the operation's error table, with the status and message
// the API reference gives (placeholders filled in).
var codesDocumented = []codesCase{
	{"OperationFailed.VbrBindedPconn", 400, "The operation is failed because of VbrBindedPconn.", ErrInvalidState},
	{"IllegalParam.Bandwidth", 400, "The param of Bandwidth [3000] is illegal.", ErrInvalidParameter},
	{"ResourceNotFound.PhysicalConnectionId", 400, "The specified PhysicalConnectionId [pc-bp1nosuchcircuit] is not found.", ErrNotFound},
	{"OperationFailed.VPconnCreated", 400, "The operation is failed because of VPconnCreated.", ErrInvalidState},
	{"MissingParam.Spec", 400, "The param of Spec is missing.", ErrInvalidParameter},
	{"IllegalParam.Spec", 400, "The param of Spec is illegal.", ErrInvalidParameter},
	{"IllegalParam.VlanId", 400, "The param of VlanId is illegal.", ErrInvalidParameter},
	{"VLAN_ID_HAS_BEEN_USED_IN_PHYSICAL_CONNECTION", 400, "vlan id has been used in physical connection", ErrVLANConflict},
	{"InvalidPhysicalConnectionId.NotFound", 400, "The specified PhysicalConnectionId is not found.", ErrNotFound},
	{"MissingParameter", 400, "The input parameter 'PhysicalConnectionId' that is mandatory for processing this request is not supplied.", ErrInvalidParameter},
	{"InvalidPhysicalConnectionId.NotEnabled", 400, "The specified PhysicalConnectionId is not in Enabled state.", ErrInvalidState},
	{"OperationFailed.PconnAllocateVlan0", 400, "The operation is failed because of PconnAllocatedResource.", ErrVLANConflict},
	{"InvalidVlanId.Malformed", 400, "The specified VlanId is not valid.", ErrInvalidParameter},
	{"InvalidName.Malformed", 400, "The specified Name is not valid.", ErrInvalidParameter},
	{"ResourceNotEnough.Bandwidth", 400, "The specified resource of Bandwidth is not enough.", ErrQuotaOrCapacity},
	{"IllegalParam.VpconnAliUid", 400, "The specified AliUid of Vpconn is illegal.", ErrInvalidParameter},
	{"IllegalParam.OrderMode", 400, "The param of OrderMode is illegal.", ErrInvalidParameter},
	{"Forbidden.VpconnAliUid", 400, "Vpconn UID is forbidden to belong to a RAM account or partner account.", ErrPermission},
	{"QuotaExceeded.VPCONN", 400, "The quota of VPCONN_COUNT_PER_PCONN is exceeded", ErrQuotaOrCapacity},
	{"OperationDenied.CreateVpconn", 400, "You are not allowed to create virtual physical connection. Please contact your CBM.", ErrPermission},
	{"InvalidDescription.Malformed", 400, "The specified Description is not valid.", ErrInvalidParameter},
	{"EcAssociatedQoSPconnNotAllowCreateVpconn", 400, "The specified Pconn associated with Qos is not allowed to create Vpconn.Please contact the business manager.", ErrInvalidState},
	{"IllegalParam.ResourceGroupId", 400, "Invalid ResourceGroupld value.", ErrInvalidParameter},
}

// codesGateway are the API gateway's common codes the issue lists, with a realistic status and
// message.
var codesGateway = []codesCase{
	{"Throttling", 400, "Request was denied due to request throttling.", ErrThrottled},
	{"Throttling.User", 400, "Request was denied due to user flow control.", ErrThrottled},
	{"Throttling.Api", 400, "Request was denied due to api flow control.", ErrThrottled},
	{"Rejected.Throttling", 503, "Request was rejected because of throttling.", ErrThrottled},
	{"InvalidAccessKeyId.NotFound", 404, "Specified access key is not found.", ErrAuthentication},
	{"InvalidAccessKeyId.Inactive", 400, "Specified access key is disabled.", ErrAuthentication},
	{"Forbidden.AccessKeyDisabled", 403, "The Access Key is disabled.", ErrAuthentication},
	{"InvalidSecurityToken.Expired", 400, "Specified SecurityToken is expired.", ErrAuthentication},
	{"InvalidSecurityToken.Malformed", 400, "Specified SecurityToken is malformed.", ErrAuthentication},
	{"InvalidSecurityToken.MismatchWithAccessKey", 400, "Specified SecurityToken mismatch with the AccessKey.", ErrAuthentication},
	{"MissingSecurityToken", 400, "SecurityToken is mandatory for this action.", ErrAuthentication},
	{"SignatureDoesNotMatch", 400, "Specified signature is not matched with our calculation.", ErrSignature},
	{"IncompleteSignature", 400, "The request signature does not conform to Aliyun standards.", ErrSignature},
	{"SignatureNonceUsed", 400, "Specified signature nonce was used already.", ErrSignature},
	{"InvalidTimeStamp.Expired", 400, "Specified time stamp or date value is expired.", ErrSignature},
	{"InvalidTimeStamp.Format", 400, "Specified time stamp or date value is not well formatted.", ErrSignature},
	{"Forbidden.RAM", 403, "User not authorized to operate on the specified resource, or this API doesn't support RAM.", ErrPermission},
	{"Forbidden", 403, "User not authorized to operate on the specified resource.", ErrPermission},
	{"InternalError", 500, "The request processing has failed due to some unknown error, exception or failure.", ErrServerSide},
	{"ServiceUnavailable", 503, "The request has failed due to a temporary failure of the server.", ErrServerSide},
	{"IdempotentParameterMismatch", 400, "The request uses the same client token as a previous, but non-identical request.", ErrIdempotency},
}

// codesUnknown are codes the SDK does not know: they still give a complete *APIError, with the
// server-side family for a 5xx and no family otherwise.
var codesUnknown = []codesCase{
	{"OperationFailed.SomethingNew", 400, "A code that did not exist when the SDK was written.", ""},
	{"InternalError.Gateway", 502, "The gateway failed to reach the service.", ErrServerSide},
}

// codesAllFamilies lists every Family constant.
var codesAllFamilies = []Family{
	ErrInvalidParameter, ErrNotFound, ErrVLANConflict, ErrQuotaOrCapacity, ErrInvalidState,
	ErrPermission, ErrThrottled, ErrAuthentication, ErrSignature, ErrServerSide, ErrIdempotency,
}

// codesConstants maps each code string to its exported constant, so that the table test also
// proves every listed code has one.
var codesConstants = map[string]Code{
	"OperationFailed.VbrBindedPconn":               CodeOperationFailedVBRBindedPconn,
	"IllegalParam.Bandwidth":                       CodeIllegalParamBandwidth,
	"ResourceNotFound.PhysicalConnectionId":        CodeResourceNotFoundPhysicalConnectionID,
	"OperationFailed.VPconnCreated":                CodeOperationFailedVpconnCreated,
	"MissingParam.Spec":                            CodeMissingParamSpec,
	"IllegalParam.Spec":                            CodeIllegalParamSpec,
	"IllegalParam.VlanId":                          CodeIllegalParamVLANID,
	"VLAN_ID_HAS_BEEN_USED_IN_PHYSICAL_CONNECTION": CodeVLANIDHasBeenUsedInPhysicalConnection,
	"InvalidPhysicalConnectionId.NotFound":         CodeInvalidPhysicalConnectionIDNotFound,
	"MissingParameter":                             CodeMissingParameter,
	"InvalidPhysicalConnectionId.NotEnabled":       CodeInvalidPhysicalConnectionIDNotEnabled,
	"OperationFailed.PconnAllocateVlan0":           CodeOperationFailedPconnAllocateVLAN0,
	"InvalidVlanId.Malformed":                      CodeInvalidVLANIDMalformed,
	"InvalidName.Malformed":                        CodeInvalidNameMalformed,
	"ResourceNotEnough.Bandwidth":                  CodeResourceNotEnoughBandwidth,
	"IllegalParam.VpconnAliUid":                    CodeIllegalParamVpconnAliUID,
	"IllegalParam.OrderMode":                       CodeIllegalParamOrderMode,
	"Forbidden.VpconnAliUid":                       CodeForbiddenVpconnAliUID,
	"QuotaExceeded.VPCONN":                         CodeQuotaExceededVpconn,
	"OperationDenied.CreateVpconn":                 CodeOperationDeniedCreateVpconn,
	"InvalidDescription.Malformed":                 CodeInvalidDescriptionMalformed,
	"EcAssociatedQoSPconnNotAllowCreateVpconn":     CodeEcAssociatedQoSPconnNotAllowCreateVpconn,
	"IllegalParam.ResourceGroupId":                 CodeIllegalParamResourceGroupID,
	"Throttling":                                   CodeThrottling,
	"Throttling.User":                              CodeThrottlingUser,
	"Throttling.Api":                               CodeThrottlingAPI,
	"Rejected.Throttling":                          CodeRejectedThrottling,
	"InvalidAccessKeyId.NotFound":                  CodeInvalidAccessKeyIDNotFound,
	"InvalidAccessKeyId.Inactive":                  CodeInvalidAccessKeyIDInactive,
	"Forbidden.AccessKeyDisabled":                  CodeForbiddenAccessKeyDisabled,
	"InvalidSecurityToken.Expired":                 CodeInvalidSecurityTokenExpired,
	"InvalidSecurityToken.Malformed":               CodeInvalidSecurityTokenMalformed,
	"InvalidSecurityToken.MismatchWithAccessKey":   CodeInvalidSecurityTokenMismatchWithAccessKey,
	"MissingSecurityToken":                         CodeMissingSecurityToken,
	"SignatureDoesNotMatch":                        CodeSignatureDoesNotMatch,
	"IncompleteSignature":                          CodeIncompleteSignature,
	"SignatureNonceUsed":                           CodeSignatureNonceUsed,
	"InvalidTimeStamp.Expired":                     CodeInvalidTimeStampExpired,
	"InvalidTimeStamp.Format":                      CodeInvalidTimeStampFormat,
	"Forbidden.RAM":                                CodeForbiddenRAM,
	"Forbidden":                                    CodeForbidden,
	"InternalError":                                CodeInternalError,
	"ServiceUnavailable":                           CodeServiceUnavailable,
	"IdempotentParameterMismatch":                  CodeIdempotentParameterMismatch,
}

// codesAccessDeniedDetail is the AccessDeniedDetail a 403 Forbidden.RAM carries: the seven
// known fields and one the SDK does not know.
const codesAccessDeniedDetail = `{"AuthAction":"vpc:CreateVirtualPhysicalConnection",` +
	`"AuthPrincipalType":"SubUser","AuthPrincipalOwnerId":"1234567890123456",` +
	`"AuthPrincipalDisplayName":"partner-automation","NoPermissionType":"ImplicitDeny",` +
	`"PolicyType":"AccountLevelIdentityBasedPolicy","EncodedDiagnosticMessage":"AQEAAAAAaBcd==",` +
	`"FutureField":{"nested":[1,2.5,"x"]}}`

// codesRequestID returns a realistic request ID for the i-th case.
func codesRequestID(i int) string {
	return fmt.Sprintf("5E3F%04X-0C2B-4D6A-9E1F-2A3B4C5D6E7F", i)
}

// codesErrorBody returns the JSON error body the service sends for c.
func codesErrorBody(c codesCase, requestID string) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, `{"RequestId":%q,"HostId":"vpc.aliyuncs.com","Code":%q,"Message":%s,`+
		`"Recommend":"https://api.aliyun.com/troubleshoot?q=%s&product=Vpc"`,
		requestID, c.code, codesJSONString(c.message), c.code)
	if c.code == CodeForbiddenRAM {
		b.WriteString(`,"AccessDeniedDetail":` + codesAccessDeniedDetail)
	}
	b.WriteString("}")
	return b.Bytes()
}

// codesJSONString encodes s as a JSON string without HTML escaping.
func codesJSONString(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	return strings.TrimSpace(b.String())
}

// codesWantSDKData is the Data the official SDK gives: the decoded error body (its Data holds
// no statusCode; the status is in StatusCode).
func codesWantSDKData(t *testing.T, body []byte) map[string]any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var m map[string]any
	require.NoError(t, dec.Decode(&m))
	return m
}

func TestCodesEveryCodeIsTyped(t *testing.T) {
	t.Parallel()
	var all []codesCase
	all = append(all, codesDocumented...)
	all = append(all, codesGateway...)
	all = append(all, codesUnknown...)
	require.Len(t, codesDocumented, 23)
	for i, tc := range all {
		t.Run(string(tc.code), func(t *testing.T) {
			t.Parallel()
			requestID := codesRequestID(i)
			body := codesErrorBody(tc, requestID)
			srv := newFixtureServer(t, fixtureJSON(tc.status, string(body), requestID))
			client := fixtureClient(t, srv.URL, WithMaxAttempts(1))

			resp, err := client.CreateVirtualPhysicalConnection(context.Background(), minimalRequest())
			require.Error(t, err)
			assert.Nil(t, resp)

			codesCheckIs(t, err, tc)
			codesCheckAPIError(t, err, tc, requestID)
			codesCheckSDKError(t, err, tc, body, requestID)

			msg := err.Error()
			assert.NotContains(t, msg, "\n")
			for _, part := range []string{actionCreate, strconv.Itoa(tc.status), string(tc.code), tc.message, requestID} {
				assert.Contains(t, msg, part)
			}
		})
	}
}

// codesCheckIs checks errors.Is for the code, the families, and codes that are not err's.
func codesCheckIs(t *testing.T, err error, tc codesCase) {
	t.Helper()
	if c, ok := codesConstants[string(tc.code)]; ok {
		assert.Equal(t, tc.code, c, "constant of %s", tc.code)
		assert.ErrorIs(t, err, c)
	} else {
		assert.ErrorIs(t, err, tc.code, "an unknown code still matches as a Code value")
	}
	for _, other := range codesConstants {
		if other != tc.code {
			assert.NotErrorIs(t, err, other)
		}
	}
	for _, f := range codesAllFamilies {
		if f == tc.family {
			assert.ErrorIs(t, err, f)
		} else {
			assert.NotErrorIs(t, err, f)
		}
	}
	assert.NotErrorIs(t, err, ErrMalformedResponse)
	assert.ErrorIs(t, err, &APIError{Code: tc.code})
}

// codesCheckAPIError checks every field of the *APIError in err.
func codesCheckAPIError(t *testing.T, err error, tc codesCase, requestID string) {
	t.Helper()
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, actionCreate, apiErr.Operation)
	assert.Equal(t, tc.status, apiErr.StatusCode)
	assert.Equal(t, Code(string(tc.code)), apiErr.Code)
	assert.Equal(t, tc.message, apiErr.Message)
	assert.Equal(t, requestID, apiErr.RequestID)
	assert.Equal(t, "vpc.aliyuncs.com", apiErr.HostID)
	assert.Equal(t, "https://api.aliyun.com/troubleshoot?q="+string(tc.code)+"&product=Vpc", apiErr.Recommend)
	assert.Empty(t, apiErr.ServerStringToSign())
	if tc.code != CodeForbiddenRAM {
		assert.Nil(t, apiErr.AccessDeniedDetail)
		return
	}
	d := apiErr.AccessDeniedDetail
	require.NotNil(t, d)
	assert.Equal(t, "vpc:CreateVirtualPhysicalConnection", d.AuthAction)
	assert.Equal(t, "SubUser", d.AuthPrincipalType)
	assert.Equal(t, "1234567890123456", d.AuthPrincipalOwnerID)
	assert.Equal(t, "partner-automation", d.AuthPrincipalDisplayName)
	assert.Equal(t, "ImplicitDeny", d.NoPermissionType)
	assert.Equal(t, "AccountLevelIdentityBasedPolicy", d.PolicyType)
	assert.Equal(t, "AQEAAAAAaBcd==", d.EncodedDiagnosticMessage)
	assert.JSONEq(t, codesAccessDeniedDetail, string(d.Raw))
}

// codesCheckSDKError checks the *tea.SDKError errors.As fills from err against what the
// official SDK builds for the same answer.
func codesCheckSDKError(t *testing.T, err error, tc codesCase, body []byte, requestID string) {
	t.Helper()
	var sdkErr *tea.SDKError
	require.ErrorAs(t, err, &sdkErr)
	require.NotNil(t, sdkErr)
	assert.Equal(t, string(tc.code), tea.StringValue(sdkErr.Code))
	assert.Equal(t, tc.status, tea.IntValue(sdkErr.StatusCode))
	assert.Equal(t, fmt.Sprintf("code: %d, %s request id: %s", tc.status, tc.message, requestID),
		tea.StringValue(sdkErr.Message))
	want, mErr := json.Marshal(codesWantSDKData(t, body))
	require.NoError(t, mErr)
	require.NotNil(t, sdkErr.Data)
	assert.JSONEq(t, string(want), *sdkErr.Data)
	if tc.code == CodeForbiddenRAM {
		gotDetail, mErr := json.Marshal(sdkErr.AccessDeniedDetail)
		require.NoError(t, mErr)
		assert.JSONEq(t, codesAccessDeniedDetail, string(gotDetail))
	} else {
		assert.Empty(t, sdkErr.AccessDeniedDetail)
	}
	assert.NotContains(t, sdkErr.Error(), "\n\n")
}

// TestCodesFamiliesAreDisjoint checks that an answer with any code of the code table matches
// exactly the family the table gives it, at 400 and at 503 (a 5xx with a code of another
// family is not also ErrServerSide), and a dry-run code, the only codes without a family,
// none at 400 and ErrServerSide at 503.
func TestCodesFamiliesAreDisjoint(t *testing.T) {
	t.Parallel()
	for code, info := range codeTable {
		t.Run(string(code), func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, isDryRunPass(code), info.family == "", "every code but the dry-run ones has a family")
			for _, status := range []int{400, 503} {
				want := info.family
				if want == "" && status >= 500 {
					want = ErrServerSide
				}
				e := &APIError{Operation: actionCreate, StatusCode: status, Code: code}
				var matched []Family
				for _, f := range codesAllFamilies {
					if errors.Is(e, f) {
						matched = append(matched, f)
					}
				}
				if want == "" {
					assert.Empty(t, matched, "HTTP %d", status)
					continue
				}
				assert.Equal(t, []Family{want}, matched, "HTTP %d", status)
			}
		})
	}
}

func TestCodesFamilyIsByCodeNotStatus(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		code   string
		status int
		want   Family
	}{
		{name: "throttling served as 503 stays throttled", code: "Throttling", status: 503, want: ErrThrottled},
		{name: "not found served as 404", code: "InvalidPhysicalConnectionId.NotFound", status: 404, want: ErrNotFound},
		{name: "unknown code with 504 is server side", code: "Gateway.Timeout", status: 504, want: ErrServerSide},
		{name: "unknown code with 400 has no family", code: "Brand.NewCode", status: 400, want: ""},
		{name: "dry-run code without a dry run has no family", code: "DryRunOperation", status: 400, want: ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := &APIError{Operation: actionCreate, StatusCode: tc.status, Code: Code(tc.code)}
			for _, f := range codesAllFamilies {
				assert.Equal(t, f == tc.want, errors.Is(e, f), "family %q", f)
			}
		})
	}
}

func TestCodesIsWithNilTargetsDoesNotPanic(t *testing.T) {
	t.Parallel()
	e := &APIError{Operation: actionCreate, StatusCode: 400, Code: "IllegalParam.Spec"}
	assert.NotPanics(t, func() {
		assert.False(t, errors.Is(e, (*APIError)(nil)))
	})
	var sdkErr *tea.SDKError
	assert.NotPanics(t, func() {
		require.True(t, errors.As(e, &sdkErr))
	})
	assert.Equal(t, "IllegalParam.Spec", tea.StringValue(sdkErr.Code))
}

func TestCodesErrorStrings(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		err  error
		want string
	}{
		{name: "code", err: CodeIllegalParamVLANID, want: "IllegalParam.VlanId"},
		{name: "family", err: ErrVLANConflict, want: "VLAN conflict"},
		{
			name: "api error",
			err: &APIError{Operation: actionCreate, StatusCode: 400, Code: "IllegalParam.VlanId",
				Message: "The param of VlanId is illegal.", RequestID: "RID-1"},
			want: "HTTP 400 IllegalParam.VlanId: The param of VlanId is illegal. (RequestId RID-1)",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tc.want, tc.err.Error())
		})
	}
}
