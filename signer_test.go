package expressconnect

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Published vectors. Sources: Alibaba Cloud API documentation "Request signatures" (V1),
// darabonba-openapi v2.1.8 utils/client_test.go (V2), alibaba-cloud-sdk-go v1.63.107
// sdk/auth/rpc_signature_composer_test.go (V3 to V5).
func TestSignatureVectors(t *testing.T) {
	t.Parallel()
	v3 := []param{
		{"AccessKeyId", "accessKeyId"}, {"Action", ""}, {"Format", "JSON"}, {"RegionId", "regionId"},
		{"SignatureMethod", "HMAC-SHA1"}, {"SignatureNonce", "MOCK_UUID"}, {"SignatureType", ""},
		{"SignatureVersion", "1.0"}, {"Timestamp", "mock date"}, {"Version", ""},
	}
	tests := []struct {
		name          string
		method        string
		secret        string
		params        []param
		stringToSign  string
		wantSignature string
	}{
		{
			name:   "V1 documentation DescribeRegions",
			method: "GET", secret: "testsecret",
			params: []param{
				{"Timestamp", "2016-02-23T12:46:24Z"}, {"Format", "XML"}, {"AccessKeyId", "testid"},
				{"Action", "DescribeRegions"}, {"SignatureMethod", "HMAC-SHA1"},
				{"SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"}, {"Version", "2014-05-26"},
				{"SignatureVersion", "1.0"},
			},
			stringToSign:  "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26",
			wantSignature: "OLeaidS1JvxuMvnyHOwuJ+uX5qY=",
		},
		{
			name:   "V2 darabonba test ok",
			method: "", secret: "accessKeySecret",
			params:        []param{{"test", "ok"}},
			stringToSign:  "&%2F&test%3Dok",
			wantSignature: "jHx/oHoHNrbVfhncHEvPdHXZwHU=",
		},
		{
			name:   "V3 old SDK composer",
			method: "GET", secret: "accessKeySecret",
			params:        v3,
			stringToSign:  "GET&%2F&AccessKeyId%3DaccessKeyId%26Action%3D%26Format%3DJSON%26RegionId%3DregionId%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3DMOCK_UUID%26SignatureType%3D%26SignatureVersion%3D1.0%26Timestamp%3Dmock%2520date%26Version%3D",
			wantSignature: "7loPmFjvDnzOVnQeQNj85S6nFGY=",
		},
		{
			name:   "V4 old SDK composer with SecurityToken",
			method: "GET", secret: "accessKeySecret",
			params:        append(append([]param(nil), v3...), param{"SecurityToken", "accessKeyStsToken"}),
			stringToSign:  "GET&%2F&AccessKeyId%3DaccessKeyId%26Action%3D%26Format%3DJSON%26RegionId%3DregionId%26SecurityToken%3DaccessKeyStsToken%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3DMOCK_UUID%26SignatureType%3D%26SignatureVersion%3D1.0%26Timestamp%3Dmock%2520date%26Version%3D",
			wantSignature: "5Nxdcler+ihqWqv0Hr2On4PsBf4=",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			sts := stringToSignFor(tc.method, tc.params)
			assert.Equal(t, tc.stringToSign, sts)
			assert.Equal(t, tc.wantSignature, signature(tc.secret, sts))
		})
	}
}

func TestStringToSignVectorsV5(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		params []param
		want   string
	}{
		{"no params", nil, "GET&%2F&"},
		{"one param", []param{{"key", "value"}}, "GET&%2F&key%3Dvalue"},
		{"two params", []param{{"q", "value"}, {"key", "value"}}, "GET&%2F&key%3Dvalue%26q%3Dvalue"},
		{"url value", []param{{"key", "value"}, {"q", "http://domain/?q=value&q2=value2"}},
			"GET&%2F&key%3Dvalue%26q%3Dhttp%253A%252F%252Fdomain%252F%253Fq%253Dvalue%2526q2%253Dvalue2"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tc.want, stringToSignFor("GET", tc.params))
		})
	}
}

func TestPercentEncoding(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, in, want string }{
		{"unreserved", "AZaz09-_.~", "AZaz09-_.~"},
		{"space", "a b", "a%20b"},
		{"star", "*", "%2A"},
		{"tilde", "~", "~"},
		{"slash", "/", "%2F"},
		{"plus", "+", "%2B"},
		{"equals", "=", "%3D"},
		{"ampersand", "&", "%26"},
		{"percent", "%", "%25"},
		{"colon", "12:46", "12%3A46"},
		{"chinese", "中", "%E4%B8%AD"},
		{"emoji", "😀", "%F0%9F%98%80"},
		{"umlaut", "ü", "%C3%BC"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tc.want, escape(tc.in))
		})
	}
}

func FuzzPercentEncoding(f *testing.F) {
	for _, s := range []string{"", "a b", "*~/+=&%", "中文 ünïcödé 😀", "\x00\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		enc := escape(s)
		for i := 0; i < len(enc); i++ {
			c := enc[i]
			require.True(t, isUnreserved(c) || c == '%' || ('A' <= c && c <= 'F'), "byte %q outside the alphabet", c)
		}
		dec, err := url.PathUnescape(enc)
		require.NoError(t, err)
		require.Equal(t, s, dec)
	})
}

// stringToSignFor sorts a copy of ps and returns the string-to-sign of a request with them.
func stringToSignFor(method string, ps []param) string {
	ps = slices.Clone(ps)
	sortParams(ps)
	return stringToSign(method, canonicalQuery(ps))
}

// fixedSigner returns a signer with a fixed clock and nonce.
func fixedSigner(now time.Time, nonce string) signer {
	return signer{now: func() time.Time { return now }, nonce: func() string { return nonce }}
}

// TestSignKnownAnswer checks a whole signed request: the common parameters, the exact
// string-to-sign and the exact signature (computed by hand with Python's hmac module), and that
// the skew is added to the clock.
func TestSignKnownAnswer(t *testing.T) {
	t.Parallel()
	s := fixedSigner(time.Date(2026, 11, 25, 8, 30, 0, 0, time.UTC), "0123456789abcdef0123456789abcdef")
	ps := []param{{"RegionId", "cn-hangzhou"}, {"VlanId", "0"}}
	cred := credentialValues{accessKeyID: "LTAI5tHarnessTestKey0001", accessKeySecret: "harness-secret", securityToken: "CAIS+harness/sts=token"}

	got := s.sign(signingInput{action: actionCreate, params: ps, cred: cred})

	values := mustParse(t, got.query)
	assert.Equal(t, "2026-11-25T08:30:00Z", values.Get("Timestamp"))
	assert.Equal(t, "0123456789abcdef0123456789abcdef", values.Get("SignatureNonce"))
	assert.Equal(t, "CAIS+harness/sts=token", values.Get("SecurityToken"))
	wantSTS := "POST&%2F&AccessKeyId%3DLTAI5tHarnessTestKey0001%26Action%3DCreateVirtualPhysicalConnection%26Format%3DJSON%26RegionId%3Dcn-hangzhou%26SecurityToken%3DCAIS%252Bharness%252Fsts%253Dtoken%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D0123456789abcdef0123456789abcdef%26SignatureVersion%3D1.0%26Timestamp%3D2026-11-25T08%253A30%253A00Z%26Version%3D2016-04-28%26VlanId%3D0"
	assert.Equal(t, wantSTS, got.stringToSign)
	assert.Equal(t, "bBEv7wuFO5vLHql9V41EnwrEkNY=", got.signature)
	assert.Equal(t, got.signature, values.Get("Signature"))
	assert.Equal(t, "2026-11-25T08:50:00Z", mustParse(t, s.sign(signingInput{action: actionCreate, params: nil, cred: cred, skew: 20 * time.Minute}).query).Get("Timestamp"), "skew is added to the clock")
}

// TestSignMatchesReference checks the signer against referenceSignature for values that need
// no escaping, some, and nothing but escapes, with and without a SecurityToken.
func TestSignMatchesReference(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, value string }{
		{"plain", "nametest"},
		{"some escapes", "Desc with space * ~ / + = & %"},
		{"only escapes", strings.Repeat("中文😀", 200)},
		{"empty", ""},
	}
	s := fixedSigner(time.Date(2026, 11, 25, 8, 30, 0, 0, time.UTC), "0123456789abcdef0123456789abcdef")
	for _, tc := range tests {
		for _, token := range []string{"", "CAIS+token/=="} {
			t.Run(tc.name+"/token="+token, func(t *testing.T) {
				t.Parallel()
				cred := credentialValues{accessKeyID: "LTAI5tHarnessTestKey0001", accessKeySecret: "harness-secret", securityToken: token}
				ops := []param{{"Description", tc.value}, {"Name", tc.value}, {"VlanId", "0"}}

				got := s.sign(signingInput{action: actionCreate, params: ops, cred: cred})

				values := mustParse(t, got.query)
				assert.Equal(t, referenceSignature(http.MethodPost, values, cred.accessKeySecret), values.Get("Signature"))
				assert.Equal(t, tc.value, values.Get("Name"))
				assert.Equal(t, token != "", values.Has("SecurityToken"))
			})
		}
	}
}

// FuzzSign checks that every query the signer produces, for any parameter name and value and
// any secret and SecurityToken, carries the signature referenceSignature computes for it. The
// name gets a prefix so that it cannot be one of the common parameters.
func FuzzSign(f *testing.F) {
	f.Add("Name", "tenant-vlan-100", "secret", "")
	f.Add("Description", "Desc with space * ~ / + = & %", "harness-secret", "CAIS+token/==")
	f.Add("Tag.1.Key", "中文😀", strings.Repeat("long-secret-", 20), "")
	f.Add("", "", "", "")
	f.Fuzz(func(t *testing.T, name, value, secret, token string) {
		s := fixedSigner(time.Date(2026, 11, 25, 8, 30, 0, 0, time.UTC), "nonce")
		cred := credentialValues{accessKeyID: "LTAI5tFuzz", accessKeySecret: secret, securityToken: token}
		got := s.sign(signingInput{action: actionCreate, params: []param{{"P" + name, value}}, cred: cred})
		values, err := url.ParseQuery(got.query)
		require.NoError(t, err)
		require.Equal(t, referenceSignature(http.MethodPost, values, secret), values.Get("Signature"))
	})
}

// referenceSignature signs values (all but Signature) the way Alibaba Cloud's signature
// document describes it for languages without an RFC 3986 encoder: url.QueryEscape, then "+"
// as "%20", "*" as "%2A" and "%7E" as "~". It shares no code with the signer.
func referenceSignature(method string, values url.Values, secret string) string {
	encode := func(s string) string {
		return strings.NewReplacer("+", "%20", "*", "%2A", "%7E", "~").Replace(url.QueryEscape(s))
	}
	names := make([]string, 0, len(values))
	for name := range values {
		if name != "Signature" {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	var pairs []string
	for _, name := range names {
		for _, v := range values[name] {
			pairs = append(pairs, encode(name)+"="+encode(v))
		}
	}
	sts := method + "&" + encode("/") + "&" + encode(strings.Join(pairs, "&"))
	mac := hmac.New(sha1.New, []byte(secret+"&"))
	mac.Write([]byte(sts))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

func mustParse(t *testing.T, query string) url.Values {
	t.Helper()
	v, err := url.ParseQuery(query)
	require.NoError(t, err)
	return v
}

func TestRandomValues(t *testing.T) {
	t.Parallel()
	assert.Regexp(t, `^[0-9a-f]{32}$`, randomNonce())
	assert.NotEqual(t, randomNonce(), randomNonce())
	tok := NewToken()
	assert.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`, tok)
	assert.NotEqual(t, tok, NewToken())
}

func BenchmarkSign(b *testing.B) {
	s := newSigner()
	req := benchRequest(2)
	cred := credentialValues{accessKeyID: "LTAI5tHarnessTestKey0001", accessKeySecret: "harness-secret"}
	ps := encodedParams(req)
	b.ReportAllocs()
	for b.Loop() {
		_ = s.sign(signingInput{action: actionCreate, params: ps, cred: cred})
	}
}

// benchRequest returns allParamsRequest with more tags up to n.
func benchRequest(n int) *CreateVirtualPhysicalConnectionRequest {
	req := allParamsRequest()
	for i := len(req.Tags); i < n; i++ {
		req.Tags = append(req.Tags, Tag{Key: fmt.Sprintf("key%02d", i), Value: fmt.Sprintf("value%02d", i)})
	}
	req.Tags = req.Tags[:n]
	return req
}

// BenchmarkValidateEncode measures what a call does before signing: validation and encoding of
// the parameters, with 2 and with 20 tags.
func BenchmarkValidateEncode(b *testing.B) {
	for _, n := range []int{2, 20} {
		b.Run(fmt.Sprintf("tags=%d", n), func(b *testing.B) {
			req := benchRequest(n)
			b.ReportAllocs()
			for b.Loop() {
				if err := encodeRequest(req, true, "cn-hangzhou").result(actionCreate); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
