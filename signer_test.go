package expressconnect

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Published vectors from ../shared/reference/signature-vectors.md. Sources: Alibaba Cloud API
// documentation "Request signatures" (V1), darabonba-openapi v2.1.8 utils/client_test.go (V2),
// alibaba-cloud-sdk-go v1.63.107 sdk/auth/rpc_signature_composer_test.go (V3 to V5).
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
			w := canonicalFor(tc.method, tc.params)
			assert.Equal(t, tc.stringToSign, string(w.stringToSign()))
			assert.Equal(t, tc.wantSignature, signatureOf(&w, tc.secret))
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
			w := canonicalFor("GET", tc.params)
			assert.Equal(t, tc.want, string(w.stringToSign()))
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
			assert.Equal(t, tc.want, string(appendEscaped(nil, tc.in)))
		})
	}
}

func FuzzPercentEncoding(f *testing.F) {
	for _, s := range []string{"", "a b", "*~/+=&%", "中文 ünïcödé 😀", "\x00\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		enc := string(appendEscaped(nil, s))
		for i := 0; i < len(enc); i++ {
			c := enc[i]
			require.True(t, isUnreserved(c) || c == '%' || ('A' <= c && c <= 'F'), "byte %q outside the alphabet", c)
		}
		dec, err := url.PathUnescape(enc)
		require.NoError(t, err)
		require.Equal(t, s, dec)
	})
}

// fixedSigner returns a signer with a fixed clock and nonce.
func fixedSigner(now time.Time, nonce string) signer {
	return signer{now: func() time.Time { return now }, nonce: func() string { return nonce }}
}

func TestSignedQueryKnownAnswer(t *testing.T) {
	t.Parallel()
	s := fixedSigner(time.Date(2026, 11, 25, 8, 30, 0, 0, time.UTC), "0123456789abcdef0123456789abcdef")
	ps := []param{{"RegionId", "cn-hangzhou"}, {"VlanId", "0"}}
	cred := credentialValues{accessKeyID: "LTAI5tHarnessTestKey0001", accessKeySecret: "harness-secret", securityToken: "CAIS+harness/sts=token"}

	query := s.signedQuery(ps, cred, 0)

	values, err := url.ParseQuery(query)
	require.NoError(t, err)
	assert.Equal(t, "2026-11-25T08:30:00Z", values.Get("Timestamp"))
	assert.Equal(t, "0123456789abcdef0123456789abcdef", values.Get("SignatureNonce"))
	assert.Equal(t, "CAIS+harness/sts=token", values.Get("SecurityToken"))
	wantSTS := "POST&%2F&AccessKeyId%3DLTAI5tHarnessTestKey0001%26Action%3DCreateVirtualPhysicalConnection%26Format%3DJSON%26RegionId%3Dcn-hangzhou%26SecurityToken%3DCAIS%252Bharness%252Fsts%253Dtoken%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D0123456789abcdef0123456789abcdef%26SignatureVersion%3D1.0%26Timestamp%3D2026-11-25T08%253A30%253A00Z%26Version%3D2016-04-28%26VlanId%3D0"
	w := canonicalFor("POST", queryParams(values))
	assert.Equal(t, wantSTS, string(w.stringToSign()))
	assert.Equal(t, signatureOf(&w, "harness-secret"), values.Get("Signature"))
	assert.Equal(t, "2026-11-25T08:50:00Z", mustParse(t, s.signedQuery(ps[:0:0], cred, 20*time.Minute)).Get("Timestamp"), "skew is added to the clock")
}

// TestSignedQueryMatchesReference checks the one-pass signer against the step-by-step rules
// (sort, canonicalize, string-to-sign, HMAC) for values that need no escaping, some, and
// nothing but escapes, so that its buffer sizing is exercised past its estimate.
func TestSignedQueryMatchesReference(t *testing.T) {
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

				query := s.signedQuery(ops, cred, 0)

				values := mustParse(t, query)
				w := canonicalFor("POST", queryParams(values))
				assert.Equal(t, signatureOf(&w, cred.accessKeySecret), values.Get("Signature"))
				assert.Equal(t, string(w.query), strings.Split(query, "&Signature=")[0], "the query is the canonicalized query")
				assert.Equal(t, tc.value, values.Get("Name"))
				assert.Equal(t, token != "", values.Has("SecurityToken"))
			})
		}
	}
}

// canonicalFor sorts ps and writes them with a writer that starts with no room, so that the
// vectors also exercise its growth.
func canonicalFor(method string, ps []param) canonicalWriter {
	sortParams(ps)
	w := newCanonicalWriter(method, 0, 0)
	for _, p := range ps {
		w.add(p)
	}
	return w
}

// signatureOf returns the Base64 signature of w's string-to-sign.
func signatureOf(w *canonicalWriter, secret string) string {
	sum := w.sign(secret)
	return base64.StdEncoding.EncodeToString(sum[:])
}

// queryParams returns every parameter of values but Signature.
func queryParams(values url.Values) []param {
	var ps []param
	for name, vs := range values {
		if name == "Signature" {
			continue
		}
		for _, v := range vs {
			ps = append(ps, param{name, v})
		}
	}
	return ps
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
	tok := newToken()
	assert.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`, tok)
	assert.NotEqual(t, tok, newToken())
}

func BenchmarkSign(b *testing.B) {
	s := newSigner()
	req := benchRequest(2)
	cred := credentialValues{accessKeyID: "LTAI5tHarnessTestKey0001", accessKeySecret: "harness-secret"}
	ps := req.appendParams(nil, "", req.Token)
	sortParams(ps)
	b.ReportAllocs()
	for b.Loop() {
		_ = s.signedQuery(ps, cred, 0)
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
				if err := validate(req, "cn-hangzhou", false); err != nil {
					b.Fatal(err)
				}
				ps := req.appendParams(make([]param, 0, 11+2*len(req.Tags)), "cn-hangzhou", req.Token)
				sortParams(ps)
			}
		})
	}
}

// FuzzHMACSHA1 checks the in-place HMAC against crypto/hmac, for secrets shorter and longer
// than the SHA-1 block (a longer key is hashed first) and any message.
func FuzzHMACSHA1(f *testing.F) {
	f.Add("testsecret", []byte("GET&%2F&"))
	f.Add("", []byte{})
	f.Add(strings.Repeat("k", 63), []byte("exactly a block with the '&'"))
	f.Add(strings.Repeat("long-secret-", 20), []byte(strings.Repeat("message ", 300)))
	f.Fuzz(func(t *testing.T, secret string, msg []byte) {
		padded := append(make([]byte, sha1.BlockSize), msg...)
		got := hmacSHA1(secret, padded)
		mac := hmac.New(sha1.New, []byte(secret+"&"))
		mac.Write(msg)
		require.Equal(t, mac.Sum(nil), got[:])
	})
}
