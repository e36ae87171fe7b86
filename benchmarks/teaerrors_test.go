package benchmarks

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	teaclient "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/alibabacloud-go/tea/tea"
	teavpc "github.com/alibabacloud-go/vpc-20160428/v6/client"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/expressconnect-go/expressconnect"
	"github.com/expressconnect-go/expressconnect/benchmarks/internal/fixture"
	"github.com/expressconnect-go/expressconnect/benchmarks/internal/floor"
	"github.com/expressconnect-go/expressconnect/internal/localsign"
)

// The STS credentials both SDKs sign with in the error tests. The token has the "+", "/" and
// "=" of a real one, so that it appears percent-encoded in a string-to-sign.
const (
	teaErrSecurityToken = "CAIS8gF1q6Ft5B2yfSjIr5fWLvXm2ohN+/a0d0u/t2eL9ZL/4Q==" // made up
	teaErrRequestID     = "9C4C8E8B-4E31-5B2A-9F4E-A1B2C3D4E5F6"
)

// teaErrorCase is one error answer of the service, sent alike to the Tea SDK and to this SDK.
type teaErrorCase struct {
	name   string
	status int
	header map[string]string
	body   string
	// leaked is the part of the body's Message that this SDK keeps out of the *tea.SDKError:
	// the server string-to-sign with its marker. "" when the Message has none.
	leaked string
}

// teaForbiddenRAMDetail is the AccessDeniedDetail of a 403 Forbidden.RAM: the documented
// fields and one no SDK knows, with a nested object and numbers.
const teaForbiddenRAMDetail = `{"AuthAction":"vpc:CreateVirtualPhysicalConnection",` +
	`"AuthPrincipalType":"SubUser","AuthPrincipalOwnerId":"1234567890123456",` +
	`"AuthPrincipalDisplayName":"partner-automation","NoPermissionType":"ImplicitDeny",` +
	`"PolicyType":"AccountLevelIdentityBasedPolicy","EncodedDiagnosticMessage":"AQEAAAAAaBcd==",` +
	`"FutureField":{"nested":[1,2.5,"x"]}}`

// teaServerStringToSign is what the service reports as its string-to-sign on
// SignatureDoesNotMatch: the canonical query of the request it got, SecurityToken included.
func teaServerStringToSign() string {
	params := fixture.Params()
	params.Set("Action", fixture.CreateAction)
	params.Set("Version", "2016-04-28")
	params.Set("Format", "JSON")
	params.Set("AccessKeyId", fixture.AccessKeyID)
	params.Set("SecurityToken", teaErrSecurityToken)
	params.Set("SignatureMethod", "HMAC-SHA1")
	params.Set("SignatureVersion", "1.0")
	params.Set("SignatureNonce", "3a1f2b4c5d6e7f8091a2b3c4d5e6f708")
	params.Set("Timestamp", "2026-11-26T00:19:00Z")
	return localsign.StringToSign(http.MethodPost, params)
}

// teaErrorCases returns the error answers compared: the common client, permission, server and
// throttling errors, a signature error whose Message carries the server's string-to-sign, and
// two answers with the shapes whose Tea conversion is least obvious (a Description and a null
// field; no Message).
func teaErrorCases() []teaErrorCase {
	body := func(code, message, extra string) string {
		return `{"RequestId":"` + teaErrRequestID + `","HostId":"vpc.aliyuncs.com","Code":"` + code +
			`","Message":"` + message + `","Recommend":"https://api.aliyun.com/troubleshoot?q=` + code +
			`&product=Vpc"` + extra + `}`
	}
	leaked := " server string to sign is:" + teaServerStringToSign()
	return []teaErrorCase{
		{name: "400 IllegalParam.VlanId", status: http.StatusBadRequest,
			body: body("IllegalParam.VlanId", "The param of VlanId is illegal.", "")},
		{name: "403 Forbidden.RAM with AccessDeniedDetail", status: http.StatusForbidden,
			body: body("Forbidden.RAM", "User not authorized to operate on the specified resource, or this API doesn't support RAM.",
				`,"AccessDeniedDetail":`+teaForbiddenRAMDetail)},
		{name: "503 ServiceUnavailable", status: http.StatusServiceUnavailable,
			body: body("ServiceUnavailable", "The request has failed due to a temporary failure of the server.", "")},
		{name: "400 Throttling.User", status: http.StatusBadRequest,
			header: map[string]string{"x-ratelimit-user-api": "Limit:100,Remain:0,TimeLeft:1200,Reset:1795657140000"},
			body:   body("Throttling.User", "Request was denied due to user flow control.", "")},
		{name: "400 SignatureDoesNotMatch with the server string-to-sign", status: http.StatusBadRequest,
			body:   body("SignatureDoesNotMatch", "Specified signature is not matched with our calculation."+leaked, ""),
			leaked: leaked},
		{name: "400 with a Description and a null field", status: http.StatusBadRequest,
			body: `{"RequestId":"` + teaErrRequestID + `","HostId":"vpc.aliyuncs.com","Code":"InvalidParameter",` +
				`"Message":"The specified parameter is invalid.","Description":"Name is too long.","Recommend":null}`},
		{name: "500 InternalError without a Message", status: http.StatusInternalServerError,
			body: `{"RequestId":"` + teaErrRequestID + `","HostId":"vpc.aliyuncs.com","Code":"InternalError"}`},
	}
}

// newErrorServer returns a loopback server that answers every request with tc's answer.
func newErrorServer(t *testing.T, tc teaErrorCase) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json;charset=utf-8")
		w.Header().Set("x-acs-request-id", teaErrRequestID)
		for k, v := range tc.header {
			w.Header().Set(k, v)
		}
		w.WriteHeader(tc.status)
		_, _ = w.Write([]byte(tc.body))
	}))
	t.Cleanup(srv.Close)
	return srv
}

// teaAlgorithms are the Tea SDK's two ways to sign an RPC call: SignatureAlgorithm "v2" (the
// HMAC-SHA1 RPC signature, through DoRPCRequest) and the default (ACS3-HMAC-SHA256, through
// DoRequest). They read an error answer with the same generated code.
var teaAlgorithms = []string{"v2", ""}

// teaError sends the fixture request with the Tea SDK to the server at addr and returns the
// error it gave.
func teaError(t *testing.T, addr, algorithm string) error {
	t.Helper()
	cfg := &openapiutil.Config{
		AccessKeyId:     dara.String(fixture.AccessKeyID),
		AccessKeySecret: dara.String(fixture.AccessKeySecret),
		SecurityToken:   dara.String(teaErrSecurityToken),
		Endpoint:        dara.String(addr),
		Protocol:        dara.String("http"),
		RegionId:        dara.String(fixture.RegionID),
	}
	if algorithm != "" {
		cfg.SignatureAlgorithm = dara.String(algorithm)
	}
	client, err := teavpc.NewClient(cfg)
	require.NoError(t, err)
	uid, err := strconv.ParseInt(fixture.VpconnAliUID, 10, 64)
	require.NoError(t, err)
	_, err = client.CreateVirtualPhysicalConnection(newTeaRequest(uid, fixture.Tags()))
	require.Error(t, err)
	return err
}

// sdkError sends the fixture request with this SDK, one attempt, to the server at addr and
// returns the error it gave.
func sdkError(t *testing.T, addr string) error {
	t.Helper()
	client, err := expressconnect.NewClient(
		expressconnect.WithRegion(fixture.RegionID),
		expressconnect.WithEndpoint("http://"+addr),
		expressconnect.WithSTSCredentials(fixture.AccessKeyID, fixture.AccessKeySecret, teaErrSecurityToken),
		expressconnect.WithHTTPClient(&http.Client{Transport: newTransport(t)}),
	)
	require.NoError(t, err)
	tags := make([]expressconnect.Tag, 0, len(fixture.Tags()))
	for _, tag := range fixture.Tags() {
		tags = append(tags, expressconnect.Tag{Key: tag.Key, Value: tag.Value})
	}
	_, err = client.CreateVirtualPhysicalConnection(context.Background(), newSDKRequest(tags), expressconnect.WithMaxAttempts(1))
	require.Error(t, err)
	return err
}

// TestTeaSDKReturnsSDKError pins down what the Tea SDK (vpc v6.12.8 through darabonba-openapi
// v2.1.8) returns for an error answer, with either signature algorithm: darabonba-openapi
// builds a *ClientError, *ServerError or *ThrottlingError and, as Config.DisableSDKError is
// not set, converts it with dara.TeaSDKError into a bare *tea.SDKError, which is what the
// caller gets. The generated error types are gone by then: errors.As reaches *tea.SDKError
// and none of them.
func TestTeaSDKReturnsSDKError(t *testing.T) {
	t.Parallel()
	for _, tc := range teaErrorCases() {
		for _, alg := range teaAlgorithms {
			t.Run(tc.name+"/algorithm="+algorithmName(alg), func(t *testing.T) {
				t.Parallel()
				err := teaError(t, newErrorServer(t, tc).Listener.Addr().String(), alg)
				assert.IsType(t, (*tea.SDKError)(nil), err)
				var sdkErr *tea.SDKError
				assert.ErrorAs(t, err, &sdkErr)
				var clientErr *teaclient.ClientError
				var serverErr *teaclient.ServerError
				var throttlingErr *teaclient.ThrottlingError
				assert.NotErrorAs(t, err, &clientErr)
				assert.NotErrorAs(t, err, &serverErr)
				assert.NotErrorAs(t, err, &throttlingErr)
			})
		}
	}
}

// TestSDKErrorMatchesTea checks that errors.As fills a *tea.SDKError from this SDK's error with
// exactly what the Tea SDK returns for the same answer, field by field, under either signature
// algorithm of the Tea SDK. The one documented difference: when the service's Message repeats
// its string-to-sign (SignatureDoesNotMatch), the Tea SDK passes it on in Message and Data,
// SecurityToken and AccessKeyId included, and this SDK leaves it out of both.
func TestSDKErrorMatchesTea(t *testing.T) {
	t.Parallel()
	for _, tc := range teaErrorCases() {
		for _, alg := range teaAlgorithms {
			t.Run(tc.name+"/algorithm="+algorithmName(alg), func(t *testing.T) {
				t.Parallel()
				addr := newErrorServer(t, tc).Listener.Addr().String()
				var teaErr, got *tea.SDKError
				require.ErrorAs(t, teaError(t, addr, alg), &teaErr)
				require.ErrorAs(t, sdkError(t, addr), &got)
				want := teaErr
				if tc.leaked != "" {
					want = withoutLeak(t, teaErr, tc.leaked)
				}
				assertSameSDKError(t, want, got)
			})
		}
	}
}

// withoutLeak returns a copy of the Tea SDK's error without the leaked server string-to-sign,
// after checking that the Tea SDK does pass it on, SecurityToken included.
func withoutLeak(t *testing.T, teaErr *tea.SDKError, leaked string) *tea.SDKError {
	t.Helper()
	// The string-to-sign percent-encodes the canonical query, whose values are percent-encoded:
	// the token is in it encoded twice.
	token := floor.PercentEncode(floor.PercentEncode(teaErrSecurityToken))
	require.Contains(t, leaked, token)
	require.Contains(t, tea.StringValue(teaErr.Message), leaked, "the Tea SDK passes the string-to-sign on in Message")
	require.Contains(t, tea.StringValue(teaErr.Data), leaked, "the Tea SDK passes the string-to-sign on in Data")
	want := *teaErr
	want.Message = tea.String(strings.Replace(tea.StringValue(teaErr.Message), leaked, "", 1))
	want.Data = tea.String(strings.Replace(tea.StringValue(teaErr.Data), leaked, "", 1))
	return &want
}

// sdkErrorFields are the exported fields of tea.SDKError that assertSameSDKError compares one
// by one; a field a newer tea adds fails TestSDKErrorFieldsCovered until it is added here.
var sdkErrorFields = []string{"Code", "StatusCode", "Message", "Data", "Stack", "Description", "Detail", "AccessDeniedDetail"}

// assertSameSDKError checks got against want field by field, then as a whole (which also
// compares the unexported fields, after Error has filled its cached text on both).
func assertSameSDKError(t *testing.T, want, got *tea.SDKError) {
	t.Helper()
	w, g := reflect.ValueOf(want).Elem(), reflect.ValueOf(got).Elem()
	for _, name := range sdkErrorFields {
		assert.Equal(t, fieldValue(w.FieldByName(name)), fieldValue(g.FieldByName(name)), "field %s", name)
	}
	assert.Equal(t, want.Error(), got.Error(), "Error()")
	assert.Equal(t, want, got, "the whole *tea.SDKError")
}

// fieldValue returns the value a field points to, or nil for a nil pointer, so that a
// failure shows values rather than addresses. Other fields (the map) are returned as they are.
func fieldValue(f reflect.Value) any {
	if f.Kind() != reflect.Pointer {
		return f.Interface()
	}
	if f.IsNil() {
		return nil
	}
	return f.Elem().Interface()
}

// TestSDKErrorFieldsCovered fails when tea.SDKError has an exported field that
// assertSameSDKError does not compare one by one.
func TestSDKErrorFieldsCovered(t *testing.T) {
	t.Parallel()
	typ := reflect.TypeFor[tea.SDKError]()
	var exported []string
	for i := range typ.NumField() {
		if f := typ.Field(i); f.IsExported() {
			exported = append(exported, f.Name)
		}
	}
	assert.ElementsMatch(t, sdkErrorFields, exported)
}

// TestSDKErrorKeepsNoSecret checks that what this SDK gives as *tea.SDKError for the signature
// error holds no secret of the request in any encoding, while the Tea SDK's holds the
// SecurityToken.
func TestSDKErrorKeepsNoSecret(t *testing.T) {
	t.Parallel()
	cases := teaErrorCases()
	i := slices.IndexFunc(cases, func(tc teaErrorCase) bool { return tc.leaked != "" })
	require.GreaterOrEqual(t, i, 0)
	addr := newErrorServer(t, cases[i]).Listener.Addr().String()
	var teaErr, got *tea.SDKError
	require.ErrorAs(t, teaError(t, addr, "v2"), &teaErr)
	require.ErrorAs(t, sdkError(t, addr), &got)
	encoded := url.QueryEscape(teaErrSecurityToken)
	twice := floor.PercentEncode(floor.PercentEncode(teaErrSecurityToken))
	assert.Contains(t, teaErr.Error(), twice, "the Tea SDK's error shows the SecurityToken")
	for _, s := range []string{got.Error(), tea.StringValue(got.Message), tea.StringValue(got.Data)} {
		for _, secret := range []string{teaErrSecurityToken, encoded, twice, fixture.AccessKeySecret} {
			assert.NotContains(t, s, secret)
		}
	}
}

// algorithmName names a Tea signature algorithm in a test name.
func algorithmName(alg string) string {
	if alg == "" {
		return "default"
	}
	return alg
}
