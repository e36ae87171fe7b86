package expressconnecttest_test

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/expressconnect-go/expressconnect/expressconnecttest"
	"github.com/expressconnect-go/expressconnect/internal/localsign"
)

// createParamsV3 returns the operation's parameters of a valid create, without the common
// parameters of the RPC signature, which a V3 request carries in headers.
func createParamsV3(vlan string) url.Values {
	return url.Values{
		"RegionId":             {"cn-hangzhou"},
		"PhysicalConnectionId": {expressconnecttest.DefaultCircuitID},
		"VpconnAliUid":         {testTenant},
		"VlanId":               {vlan},
		"Spec":                 {"50M"},
		"OrderMode":            {"PayByVirtualPhysicalConnectionOwner"},
	}
}

// v3Request returns an unsigned V3 request to the server: POST / with params in the query, an
// empty body, and the common headers of a create, with a fresh nonce and the server's time.
func v3Request(t *testing.T, s *expressconnecttest.Server, params url.Values) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, s.URL()+"/?"+encode(params), nil)
	require.NoError(t, err)
	var nonce [16]byte
	_, _ = rand.Read(nonce[:])
	req.Header.Set("x-acs-action", "CreateVirtualPhysicalConnection")
	req.Header.Set("x-acs-version", "2016-04-28")
	req.Header.Set("x-acs-date", admin(t, s).Now().Format("2006-01-02T15:04:05Z"))
	req.Header.Set("x-acs-signature-nonce", hex.EncodeToString(nonce[:]))
	req.Header.Set("x-acs-content-sha256", localsign.HashedPayload(nil))
	return req
}

// TestV3Accepted checks that a V3-signed create succeeds with an empty body, a body of another
// type (which the signature covers) and a form body (whose parameters count), and what its
// record keeps.
func TestV3Accepted(t *testing.T) {
	t.Parallel()
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{})
	req := v3Request(t, s, createParamsV3("40"))
	localsign.SignV3(req, nil, s.Account().AccessKeyID, s.Account().AccessKeySecret)
	r := do(t, req)
	require.Equal(t, http.StatusOK, r.Status, r.Raw)

	body := []byte(`{"ignored":"by the operation, covered by the signature"}`)
	withBody := v3Request(t, s, createParamsV3("41"))
	withBody.Body, withBody.ContentLength = io.NopCloser(bytes.NewReader(body)), int64(len(body))
	withBody.Header.Set("Content-Type", "application/json")
	withBody.Header.Set("x-acs-content-sha256", localsign.HashedPayload(body))
	localsign.SignV3(withBody, body, s.Account().AccessKeyID, s.Account().AccessKeySecret)
	r = do(t, withBody)
	require.Equal(t, http.StatusOK, r.Status, r.Raw)

	form := []byte(encode(url.Values{"Name": {"from-the-form-body"}}))
	withForm := v3Request(t, s, createParamsV3("39"))
	withForm.Body, withForm.ContentLength = io.NopCloser(bytes.NewReader(form)), int64(len(form))
	withForm.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	withForm.Header.Set("x-acs-content-sha256", localsign.HashedPayload(form))
	localsign.SignV3(withForm, form, s.Account().AccessKeyID, s.Account().AccessKeySecret)
	r = do(t, withForm)
	require.Equal(t, http.StatusOK, r.Status, r.Raw)
	created := connOf(t, s, r.str("VirtualPhysicalConnection"))
	assert.Equal(t, "from-the-form-body", created.Name, "a form body's parameters are read")

	reqs := admin(t, s).Requests()
	require.Len(t, reqs, 3)
	rec := reqs[0]
	assert.True(t, rec.SignatureVerified)
	assert.Equal(t, "CreateVirtualPhysicalConnection", rec.Action, "the action of a V3 request is its x-acs-action")
	id := s.Account().AccessKeyID
	assert.Equal(t, "ACS3-HMAC-SHA256 Credential="+id[:4]+"****"+id[len(id)-4:]+
		",SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=<redacted>",
		rec.Header.Get("Authorization"), "the scheme, the masked AccessKeyId and the signed header names")
	assert.Len(t, admin(t, s).Connections(), 3)
}

// TestV3AuthenticationErrors checks the answers to V3 requests that fail authentication, in
// the order the server checks them.
func TestV3AuthenticationErrors(t *testing.T) {
	t.Parallel()
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{DeniedAccessKeys: []expressconnecttest.AccessKey{{AccessKeyID: "LTAI5tDenied", AccessKeySecret: "denied-secret"}}})
	stsID, stsSecret, stsToken := s.Account().STS.AccessKeyID, s.Account().STS.AccessKeySecret, s.Account().STS.SecurityToken
	date := func(d time.Duration) string { return admin(t, s).Now().Add(d).Format("2006-01-02T15:04:05Z") }
	cases := []struct {
		name string
		// before changes the request before it is signed; after, once it is signed.
		before, after func(r *http.Request)
		id, secret    string // signing AccessKey; empty means the server's
		status        int
		code          string
		message       string // the start of the message; empty means not checked
	}{
		{name: "wrong secret", secret: "wrong-secret", status: 400, code: "SignatureDoesNotMatch",
			message: "Specified signature is not matched with our calculation. server string to sign is:ACS3-HMAC-SHA256\n"},
		{name: "unknown AccessKeyId", id: "LTAI5tUnknown", status: 404, code: "InvalidAccessKeyId.NotFound"},
		{name: "no Authorization and no Signature", after: func(r *http.Request) { r.Header.Del("Authorization") },
			status: 400, code: "IncompleteSignature",
			message: "The request signature does not conform to Aliyun standards. It has neither a Signature parameter nor an Authorization header."},
		{name: "Authorization without Signature", after: func(r *http.Request) {
			r.Header.Set("Authorization", r.Header.Get("Authorization")[:strings.LastIndex(r.Header.Get("Authorization"), ",")])
		}, status: 400, code: "IncompleteSignature", message: "The request signature does not conform to Aliyun standards. The Authorization header"},
		{name: "other algorithm", after: func(r *http.Request) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "ACS3-HMAC-SHA256", "ACS3-HMAC-SM3", 1))
		}, status: 400, code: "IncompleteSignature"},
		{name: "empty Authorization", after: func(r *http.Request) { r.Header.Set("Authorization", "") }, status: 400, code: "IncompleteSignature"},
		{name: "two Authorization headers", after: func(r *http.Request) { r.Header.Add("Authorization", r.Header.Get("Authorization")) },
			status: 400, code: "IncompleteSignature"},
		{name: "x-acs-date missing", before: func(r *http.Request) { r.Header.Del("x-acs-date") }, status: 400, code: "MissingParameter",
			message: "The input parameter 'x-acs-date' that is mandatory"},
		{name: "x-acs-content-sha256 missing", before: func(r *http.Request) { r.Header.Del("x-acs-content-sha256") }, status: 400, code: "MissingParameter",
			message: "The input parameter 'x-acs-content-sha256' that is mandatory"},
		{name: "x-acs-date twice", before: func(r *http.Request) { r.Header.Add("x-acs-date", date(0)) }, status: 400, code: "InvalidParameter"},
		{name: "other action", before: func(r *http.Request) { r.Header.Set("x-acs-action", "DescribeVpcs") }, status: 404, code: "InvalidAction.NotFound"},
		{name: "other version", before: func(r *http.Request) { r.Header.Set("x-acs-version", "2014-05-26") }, status: 400, code: "InvalidVersion"},
		{name: "an x-acs- header not signed", after: func(r *http.Request) { r.Header.Set("x-acs-extra", "1") }, status: 400, code: "IncompleteSignature",
			message: "The request signature does not conform to Aliyun standards. SignedHeaders does not cover the header x-acs-extra"},
		{name: "host not signed", after: func(r *http.Request) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "SignedHeaders=host;", "SignedHeaders=", 1))
		}, status: 400, code: "IncompleteSignature"},
		{name: "a signed header missing", before: func(r *http.Request) { r.Header.Set("x-acs-extra", "1") },
			after: func(r *http.Request) { r.Header.Del("x-acs-extra") }, status: 400, code: "IncompleteSignature"},
		{name: "date 16 minutes old", before: func(r *http.Request) { r.Header.Set("x-acs-date", date(-16*time.Minute)) }, status: 400, code: "InvalidTimeStamp.Expired"},
		{name: "date 16 minutes ahead", before: func(r *http.Request) { r.Header.Set("x-acs-date", date(16*time.Minute)) }, status: 400, code: "InvalidTimeStamp.Expired"},
		{name: "date malformed", before: func(r *http.Request) { r.Header.Set("x-acs-date", "yesterday") }, status: 400, code: "InvalidTimeStamp.Format"},
		{name: "query changed after signing", after: func(r *http.Request) { r.URL.RawQuery += "&Name=x" }, status: 400, code: "SignatureDoesNotMatch"},
		{name: "x-acs-content-sha256 not that of the body", before: func(r *http.Request) {
			r.Header.Set("x-acs-content-sha256", localsign.HashedPayload([]byte("another body")))
		}, status: 400, code: "SignatureDoesNotMatch"},
		{name: "body added after signing", after: func(r *http.Request) {
			r.Body, r.ContentLength = io.NopCloser(strings.NewReader("x")), 1
		}, status: 400, code: "SignatureDoesNotMatch"},
		{name: "STS without x-acs-security-token", id: stsID, secret: stsSecret, status: 400, code: "InvalidSecurityToken.Malformed"},
		{name: "STS with another token", id: stsID, secret: stsSecret, before: func(r *http.Request) { r.Header.Set("x-acs-security-token", "CAISother") },
			status: 400, code: "InvalidSecurityToken.MismatchWithAccessKey"},
		{name: "a token with a plain AccessKey", before: func(r *http.Request) { r.Header.Set("x-acs-security-token", stsToken) },
			status: 400, code: "InvalidSecurityToken.MismatchWithAccessKey"},
		{name: "STS token not signed", id: stsID, secret: stsSecret, after: func(r *http.Request) { r.Header.Set("x-acs-security-token", stsToken) },
			status: 400, code: "IncompleteSignature"},
		{name: "RAM user lacking permission", id: "LTAI5tDenied", secret: "denied-secret", status: 403, code: "Forbidden.RAM"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			req := v3Request(t, s, createParamsV3("1"))
			if tc.before != nil {
				tc.before(req)
			}
			id, secret := s.Account().AccessKeyID, s.Account().AccessKeySecret
			if tc.id != "" {
				id = tc.id
			}
			if tc.secret != "" {
				secret = tc.secret
			}
			localsign.SignV3(req, nil, id, secret)
			if tc.after != nil {
				tc.after(req)
			}
			r := do(t, req)
			assert.Equal(t, tc.status, r.Status, r.Raw)
			assert.Equal(t, tc.code, r.code(), r.Raw)
			assert.True(t, strings.HasPrefix(r.str("Message"), tc.message), "message %q", r.str("Message"))
		})
	}
	t.Cleanup(func() { assert.Empty(t, admin(t, s).Connections(), "no failed authentication may create anything") })
}

// TestV3SignatureDoesNotMatchMessage checks that a wrong V3 signature's message carries the
// server's string to sign, as an RPC one's does.
func TestV3SignatureDoesNotMatchMessage(t *testing.T) {
	t.Parallel()
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{})
	params := createParamsV3("42")
	req := v3Request(t, s, params)
	localsign.SignV3(req, nil, s.Account().AccessKeyID, "wrong")
	canonical := localsign.CanonicalRequestV3(http.MethodPost, "/", params, withHost(req.Header, req.Host),
		[]string{"host", "x-acs-action", "x-acs-content-sha256", "x-acs-date", "x-acs-signature-nonce", "x-acs-version"},
		localsign.HashedPayload(nil))
	r := do(t, req)
	require.Equal(t, "SignatureDoesNotMatch", r.code())
	assert.Equal(t, "Specified signature is not matched with our calculation. server string to sign is:"+
		localsign.StringToSignV3(canonical), r.str("Message"))
	reqs := admin(t, s).Requests()
	require.Len(t, reqs, 1)
	assert.False(t, reqs[0].SignatureVerified)
}

// TestV3NonceReuse checks that a V3 request replayed as it was sent is refused.
func TestV3NonceReuse(t *testing.T) {
	t.Parallel()
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{})
	req := v3Request(t, s, createParamsV3("43"))
	localsign.SignV3(req, nil, s.Account().AccessKeyID, s.Account().AccessKeySecret)
	replay := req.Clone(req.Context())
	require.Equal(t, http.StatusOK, do(t, req).Status)
	r := do(t, replay)
	assert.Equal(t, http.StatusBadRequest, r.Status)
	assert.Equal(t, "SignatureNonceUsed", r.code())
	assert.Len(t, admin(t, s).Connections(), 1)
}

// TestV3STSCredentials checks STS credentials over V3: accepted with their token, refused once
// expired; the record keeps neither the token nor the signature.
func TestV3STSCredentials(t *testing.T) {
	t.Parallel()
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{})
	id, secret, token := s.Account().STS.AccessKeyID, s.Account().STS.AccessKeySecret, s.Account().STS.SecurityToken
	send := func(vlan string) result {
		req := v3Request(t, s, createParamsV3(vlan))
		req.Header.Set("x-acs-security-token", token)
		localsign.SignV3(req, nil, id, secret)
		return do(t, req)
	}
	r := send("44")
	require.Equal(t, http.StatusOK, r.Status, r.Raw)
	admin(t, s).ExpireSTSCredentials()
	assert.Equal(t, "InvalidSecurityToken.Expired", send("45").code())

	for _, rec := range admin(t, s).Requests() {
		assert.Equal(t, "<redacted>", rec.Header.Get("x-acs-security-token"))
		assert.True(t, strings.HasPrefix(rec.Header.Get("Authorization"), "ACS3-HMAC-SHA256 Credential="+id[:4]+"****"+id[len(id)-4:]+","),
			rec.Header.Get("Authorization"))
		assert.True(t, strings.HasSuffix(rec.Header.Get("Authorization"), ",Signature=<redacted>"), rec.Header.Get("Authorization"))
		for name, values := range rec.Header {
			for _, v := range values {
				assert.NotContains(t, v, token, "header %s", name)
			}
		}
	}
}

// TestV3MatchesPublishedVectors checks the server's V3 canonicalization against vectors
// computed elsewhere: darabonba-openapi v2.1.8's utils/client_test.go (Test_GetAuthorization:
// an empty method and path, an empty query value, a header sent twice, a given payload hash,
// the secret "secret"), and the client's known-answer vector (computed with Python's hashlib
// and hmac from the published algorithm; see the root package's TestSignV3KnownAnswer).
func TestV3MatchesPublishedVectors(t *testing.T) {
	t.Parallel()
	payload := "55e12e91650d2fec56ec74e1d3e4ddbfce2ef3a65890c2a19ecf88a307e76a23"
	header := http.Header{"X-Acs-Test": {"https", "http"}}
	canonical := localsign.CanonicalRequestV3("", "", url.Values{"test": {"ok"}, "empty": {""}}, header, []string{"x-acs-test"}, payload)
	assert.Equal(t, "\n/\nempty=&test=ok\nx-acs-test:http,https\n\nx-acs-test\n"+payload, canonical)
	withSignature := localsign.CanonicalRequestV3("POST", "/", url.Values{"Signature": {"s"}, "a": {"1"}}, http.Header{}, nil, payload)
	assert.Equal(t, "POST\n/\nSignature=s&a=1\n\n\n"+payload, withSignature,
		"unlike the RPC signature's, the V3 canonical query keeps a parameter named Signature")
	mac := hmac.New(sha256.New, []byte("secret"))
	mac.Write([]byte(localsign.StringToSignV3(canonical)))
	assert.Equal(t, "4ab59fffe3c5738ff8a2729f90cc04fe18b02a4b15b2102cbaf92f9ff3df2ea3", hex.EncodeToString(mac.Sum(nil)))

	req, err := http.NewRequest(http.MethodPost, "http://vpc.aliyuncs.com/?Name=vlan%20100%2A~%2F%E4%B8%AD&RegionId=cn-hangzhou&VlanId=0", nil)
	require.NoError(t, err)
	req.Header.Set("x-acs-action", "CreateVirtualPhysicalConnection")
	req.Header.Set("x-acs-version", "2016-04-28")
	req.Header.Set("x-acs-date", "2026-11-25T08:30:00Z")
	req.Header.Set("x-acs-signature-nonce", "3a1f2b4c5d6e7f8091a2b3c4d5e6f708")
	req.Header.Set("x-acs-content-sha256", localsign.HashedPayload(nil))
	req.Header.Set("x-acs-security-token", "CAIS+harness/sts=token")
	localsign.SignV3(req, nil, "LTAI5tHarnessTestKey0001", "harness-secret")
	assert.Equal(t, "ACS3-HMAC-SHA256 Credential=LTAI5tHarnessTestKey0001,"+
		"SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-security-token;x-acs-signature-nonce;x-acs-version,"+
		"Signature=b42dd2d933c642290fa1dcf1f6687efdb572973ae9e08d7d34accfc193759138", req.Header.Get("Authorization"))
}

// withHost returns a copy of h with the Host header host.
func withHost(h http.Header, host string) http.Header {
	out := h.Clone()
	out.Set("Host", host)
	return out
}

// TestRecordRedactsAuthorization checks that a record keeps no more of an Authorization
// header than its scheme, the masked AccessKeyId of its Credential and its signed header
// names, its signature redacted.
func TestRecordRedactsAuthorization(t *testing.T) {
	t.Parallel()
	cases := []struct{ name, sent, recorded string }{
		{"V3", "ACS3-HMAC-SHA256 Credential=LTAI5tRecorded01,SignedHeaders=host,Signature=0a1b",
			"ACS3-HMAC-SHA256 Credential=LTAI****ed01,SignedHeaders=host,Signature=<redacted>"},
		{"signature not last", "ACS3-HMAC-SHA256 Credential=LTAI5tRecorded01,Signature=0a1b,SignedHeaders=host",
			"ACS3-HMAC-SHA256 Credential=LTAI****ed01,Signature=<redacted>,SignedHeaders=host"},
		{"short AccessKeyId", "ACS3-HMAC-SHA256 Credential=LTAI5tX,SignedHeaders=host,Signature=0a1b",
			"ACS3-HMAC-SHA256 Credential=****,SignedHeaders=host,Signature=<redacted>"},
		{"scoped Credential", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE01234/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0a1b",
			"AWS4-HMAC-SHA256 Credential=AKID****1234,SignedHeaders=host,Signature=<redacted>"},
		{"signed headers that are not names", "ACS3-HMAC-SHA256 Credential=LTAI5tRecorded01,SignedHeaders=a secret,Signature=0a1b",
			"ACS3-HMAC-SHA256 Credential=LTAI****ed01,SignedHeaders=<redacted>,Signature=<redacted>"},
		{"another field", "ACS3-HMAC-SHA256 Credential=LTAI5tRecorded01,Token=0a1b", "ACS3-HMAC-SHA256 Credential=LTAI****ed01"},
		{"another scheme", "Bearer 0a1b", "Bearer <redacted>"},
		{"no scheme", "0a1b", "<redacted>"},
		{"not a scheme", "0a1b=; Signature", "<redacted>"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{})
			req := v3Request(t, s, createParamsV3("1"))
			req.Header.Set("Authorization", tc.sent)
			assert.Equal(t, "IncompleteSignature", do(t, req).code())
			reqs := admin(t, s).Requests()
			require.Len(t, reqs, 1)
			assert.Equal(t, []string{tc.recorded}, reqs[0].Header.Values("Authorization"))
		})
	}
}
