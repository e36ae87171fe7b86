package expressconnecttest_test

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/expressconnect-go/expressconnect/expressconnecttest"
	"github.com/expressconnect-go/expressconnect/internal/localsign"
)

// TestAuthenticationErrors checks the answers to requests that fail authentication.
func TestAuthenticationErrors(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		mutate func(p url.Values)
		secret string // signing secret; empty means the server's
		status int
		code   string
	}{
		{"unknown AccessKeyId", func(p url.Values) { p.Set("AccessKeyId", "LTAI5tUnknown") }, "", 404, "InvalidAccessKeyId.NotFound"},
		{"wrong secret", nil, "wrong-secret", 400, "SignatureDoesNotMatch"},
		{"timestamp 16 minutes old", func(p url.Values) { p.Set("Timestamp", time.Now().UTC().Add(-16*time.Minute).Format(time.RFC3339)) }, "", 400, "InvalidTimeStamp.Expired"},
		{"timestamp 16 minutes ahead", func(p url.Values) { p.Set("Timestamp", time.Now().UTC().Add(16*time.Minute).Format(time.RFC3339)) }, "", 400, "InvalidTimeStamp.Expired"},
		{"timestamp malformed", func(p url.Values) { p.Set("Timestamp", "yesterday") }, "", 400, "InvalidTimeStamp.Format"},
		{"missing nonce", func(p url.Values) { p.Del("SignatureNonce") }, "", 400, "MissingParameter"},
		{"missing AccessKeyId", func(p url.Values) { p.Del("AccessKeyId") }, "", 400, "MissingParameter"},
		{"other action", func(p url.Values) { p.Set("Action", "DescribeVpcs") }, "", 404, "InvalidAction.NotFound"},
		{"other version", func(p url.Values) { p.Set("Version", "2014-05-26") }, "", 400, "InvalidVersion"},
		{"other signature method", func(p url.Values) { p.Set("SignatureMethod", "HMAC-SHA256") }, "", 400, "IncompleteSignature"},
		{"other signature version", func(p url.Values) { p.Set("SignatureVersion", "2.0") }, "", 400, "IncompleteSignature"},
		{"Format neither JSON nor XML", func(p url.Values) { p.Set("Format", "YAML") }, "", 400, "InvalidParameter"},
		{"SecurityToken with a plain AccessKey", func(p url.Values) { p.Set("SecurityToken", "x") }, "", 400, "InvalidSecurityToken.MismatchWithAccessKey"},
	}
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{})
	// A cleanup, so that it runs once the parallel subtests have.
	t.Cleanup(func() { assert.Empty(t, admin(t, s).Connections(), "no failed authentication may create anything") })
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := validParams(s)
			if tc.mutate != nil {
				tc.mutate(p)
			}
			secret := tc.secret
			if secret == "" {
				secret = s.Account().AccessKeySecret
			}
			r := postRaw(t, s, signWith(p, secret))
			assert.Equal(t, tc.status, r.Status)
			assert.Equal(t, tc.code, r.code())
		})
	}
}

// TestSignatureDoesNotMatchMessage checks that the message carries the server's string to
// sign, as the service's does.
func TestSignatureDoesNotMatchMessage(t *testing.T) {
	t.Parallel()
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{})
	p := validParams(s)
	signWith(p, "wrong")
	r := postRaw(t, s, p)
	require.Equal(t, "SignatureDoesNotMatch", r.code())
	want := "Specified signature is not matched with our calculation. server string to sign is:" +
		localsign.StringToSign("POST", p)
	assert.Equal(t, want, r.str("Message"))
	reqs := admin(t, s).Requests()
	require.Len(t, reqs, 1)
	assert.False(t, reqs[0].SignatureVerified)
}

// TestClockOffset checks that the Timestamp window and the Date header follow the server's
// clock.
func TestClockOffset(t *testing.T) {
	t.Parallel()
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{ClockOffset: time.Hour})
	p := validParams(s)
	p.Set("Timestamp", time.Now().UTC().Format("2006-01-02T15:04:05Z")) // the system clock: an hour behind
	r := post(t, s, p)
	assert.Equal(t, "InvalidTimeStamp.Expired", r.code())
	date, err := http.ParseTime(r.Header.Get("Date"))
	require.NoError(t, err)
	assert.WithinDuration(t, time.Now().Add(time.Hour), date, time.Minute)

	admin(t, s).SetClockOffset(0)
	p = validParams(s)
	r = post(t, s, p)
	assert.Equal(t, http.StatusOK, r.Status, r.Raw)
	date, err = http.ParseTime(r.Header.Get("Date"))
	require.NoError(t, err)
	assert.WithinDuration(t, time.Now(), date, time.Minute)
}

// TestNonceReuse checks that a SignatureNonce can be used once.
func TestNonceReuse(t *testing.T) {
	t.Parallel()
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{})
	p := validParams(s)
	first := post(t, s, p)
	require.Equal(t, http.StatusOK, first.Status, first.Raw)
	p.Set("VlanId", "11")
	second := post(t, s, p)
	assert.Equal(t, http.StatusBadRequest, second.Status)
	assert.Equal(t, "SignatureNonceUsed", second.code())
	assert.Len(t, admin(t, s).Connections(), 1)
}

// TestSTSCredentials checks the SecurityToken rules of STS credentials.
func TestSTSCredentials(t *testing.T) {
	t.Parallel()
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{})
	id, secret, token := s.Account().STS.AccessKeyID, s.Account().STS.AccessKeySecret, s.Account().STS.SecurityToken
	require.True(t, strings.HasPrefix(id, "STS."))
	cases := []struct {
		name  string
		token *string
		code  string
	}{
		{"token missing", nil, "InvalidSecurityToken.Malformed"},
		{"token of someone else", ptr("CAISother"), "InvalidSecurityToken.MismatchWithAccessKey"},
		{"right token", ptr(token), ""},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := validParams(s)
			p.Set("AccessKeyId", id)
			p.Set("VlanId", string(rune('1'+i)))
			if tc.token != nil {
				p.Set("SecurityToken", *tc.token)
			}
			r := postRaw(t, s, signWith(p, secret))
			assert.Equal(t, tc.code, r.code(), r.Raw)
		})
	}
	t.Run("expired", func(t *testing.T) {
		admin(t, s).ExpireSTSCredentials()
		p := validParams(s)
		p.Set("AccessKeyId", id)
		p.Set("SecurityToken", token)
		r := postRaw(t, s, signWith(p, secret))
		assert.Equal(t, "InvalidSecurityToken.Expired", r.code())
	})
}

func ptr(s string) *string { return &s }

// TestForbiddenRAM checks the answer to a RAM user lacking permission.
func TestForbiddenRAM(t *testing.T) {
	t.Parallel()
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{DeniedAccessKeys: []expressconnecttest.AccessKey{{AccessKeyID: "LTAI5tDenied", AccessKeySecret: "denied-secret"}}})
	p := validParams(s)
	p.Set("AccessKeyId", "LTAI5tDenied")
	r := postRaw(t, s, signWith(p, "denied-secret"))
	assert.Equal(t, http.StatusForbidden, r.Status)
	assert.Equal(t, "Forbidden.RAM", r.code())
	detail, ok := r.Body["AccessDeniedDetail"].(map[string]any)
	require.True(t, ok, r.Raw)
	assert.Equal(t, "vpc:CreateVirtualPhysicalConnection", detail["AuthAction"])
	assert.Equal(t, "SubUser", detail["AuthPrincipalType"])
	assert.Equal(t, s.Account().AccountID, detail["AuthPrincipalOwnerId"])
	assert.NotEmpty(t, detail["AuthPrincipalDisplayName"])
	assert.Equal(t, "ImplicitDeny", detail["NoPermissionType"])
	assert.Equal(t, "AccountLevelIdentityBasedPolicy", detail["PolicyType"])
	diag, err := base64.StdEncoding.DecodeString(detail["EncodedDiagnosticMessage"].(string))
	require.NoError(t, err)
	assert.Contains(t, string(diag), r.str("RequestId"))
	assert.Empty(t, admin(t, s).Connections())

	wrong := validParams(s)
	wrong.Set("AccessKeyId", "LTAI5tDenied")
	assert.Equal(t, "SignatureDoesNotMatch", postRaw(t, s, signWith(wrong, "guess")).code(),
		"the signature is checked before the permission")
}

// TestErrorBodyShape checks the fields and headers of an error answer.
func TestErrorBodyShape(t *testing.T) {
	t.Parallel()
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{})
	p := validParams(s)
	p.Set("Spec", "3M")
	r := post(t, s, p)
	assert.Equal(t, http.StatusBadRequest, r.Status)
	id := r.str("RequestId")
	assert.Regexp(t, `^[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$`, id)
	assert.Equal(t, id, r.Header.Get("x-acs-request-id"))
	assert.Equal(t, "vpc.aliyuncs.com", r.str("HostId"))
	assert.Equal(t, "IllegalParam.Spec", r.code())
	assert.Equal(t, "The param of Spec is illegal.", r.str("Message"))
	assert.Equal(t, "https://api.aliyun.com/troubleshoot?q=IllegalParam.Spec&product=Vpc&requestId="+id, r.str("Recommend"))
	assert.NotContains(t, r.Body, "AccessDeniedDetail")
	assert.Equal(t, "application/json;charset=utf-8", r.Header.Get("Content-Type"))
	_, err := http.ParseTime(r.Header.Get("Date"))
	assert.NoError(t, err)
}

// TestOtherWireForms checks that the server accepts what other clients send: a form body,
// lower-case Format, GET, and the old SDK's empty SignatureType; and that it answers JSON to
// Format XML.
func TestOtherWireForms(t *testing.T) {
	t.Parallel()
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{})

	form := validParams(s)
	form.Set("VlanId", "20")
	r := postForm(t, s, form)
	assert.Equal(t, http.StatusOK, r.Status, r.Raw)

	split := validParams(s)
	split.Set("VlanId", "21")
	signWith(split, s.Account().AccessKeySecret)
	body := url.Values{"Spec": split["Spec"], "Signature": split["Signature"]}
	split.Del("Spec")
	split.Del("Signature")
	req, err := http.NewRequest(http.MethodPost, s.URL()+"/?"+encode(split), strings.NewReader(encode(body)))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	r = do(t, req)
	assert.Equal(t, http.StatusOK, r.Status, "signature covers query and form together: %s", r.Raw)

	tea := validParams(s)
	tea.Set("VlanId", "22")
	tea.Set("Format", "json")
	tea.Set("SignatureType", "")
	r = post(t, s, tea)
	assert.Equal(t, http.StatusOK, r.Status, r.Raw)

	xml := validParams(s)
	xml.Set("VlanId", "24")
	xml.Set("Format", "XML")
	r = post(t, s, xml) // post decodes the answer as JSON
	assert.Equal(t, http.StatusOK, r.Status, r.Raw)
	assert.Equal(t, "application/json;charset=utf-8", r.Header.Get("Content-Type"), "JSON whatever Format says")

	get := validParams(s)
	get.Set("VlanId", "23")
	get.Set("Signature", localsign.Sign(http.MethodGet, get, s.Account().AccessKeySecret))
	req, err = http.NewRequest(http.MethodGet, s.URL()+"/?"+encode(get), nil)
	require.NoError(t, err)
	r = do(t, req)
	assert.Equal(t, http.StatusOK, r.Status, r.Raw)

	assert.Len(t, admin(t, s).Connections(), 5)
}

// TestActionsAreServed checks that every action the admin API's index lists is served, and
// nothing else.
func TestActionsAreServed(t *testing.T) {
	t.Parallel()
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{})
	var index struct{ Actions []string }
	adminCall(t, s, http.MethodGet, "/_sandbox/", "").decode(t, &index)
	assert.Equal(t, []string{"CancelPhysicalConnection", "CreateVirtualPhysicalConnection", "DeletePhysicalConnection",
		"DescribePhysicalConnections", "ListVirtualPhysicalConnections", "TerminatePhysicalConnection",
		"UpdateVirtualPhysicalConnection"}, index.Actions)
	for _, action := range append(index.Actions, "ConfirmPhysicalConnection", "DeleteVirtualPhysicalConnection",
		"RecoverPhysicalConnection", "EnablePhysicalConnection", "TerminateVirtualPhysicalConnection") {
		t.Run(action, func(t *testing.T) {
			t.Parallel()
			r := post(t, s, actionParams(s, action))
			if slices.Contains(index.Actions, action) {
				assert.NotEqual(t, "InvalidAction.NotFound", r.code(), r.Raw)
				return
			}
			assert.Equal(t, http.StatusNotFound, r.Status)
			assert.Equal(t, "InvalidAction.NotFound", r.code(), r.Raw)
		})
	}
}
