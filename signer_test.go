package expressconnect

import (
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
			canonical := appendCanonicalQuery(nil, tc.params)
			sts := appendStringToSign(nil, tc.method, canonical)
			assert.Equal(t, tc.stringToSign, string(sts))
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
			assert.Equal(t, tc.want, string(appendStringToSign(nil, "GET", appendCanonicalQuery(nil, tc.params))))
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
	canonical, _, _ := strings.Cut(query, "&Signature=")
	assert.Equal(t, wantSTS, string(appendStringToSign(nil, "POST", []byte(canonical))))
	assert.Equal(t, signature("harness-secret", []byte(wantSTS)), values.Get("Signature"))
	assert.Equal(t, "2026-11-25T08:50:00Z", mustParse(t, s.signedQuery(ps[:0:0], cred, 20*time.Minute)).Get("Timestamp"), "skew is added to the clock")
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
	base := req.appendParams(nil, "", req.Token)
	ps := make([]param, 0, len(base)+9)
	b.ReportAllocs()
	for b.Loop() {
		ps = append(ps[:0], base...)
		_ = s.signedQuery(ps, cred, 0)
	}
}

// benchRequest returns the all-parameters request of the recorded wire files with n tags.
func benchRequest(n int) *CreateVirtualPhysicalConnectionRequest {
	req := &CreateVirtualPhysicalConnectionRequest{
		RegionID: "cn-hangzhou", PhysicalConnectionID: "pc-bp1ciz7ekd2grn1as0001", VpconnAliUID: "1210123456123456",
		VLANID: VLAN(4), Spec: Spec50M, OrderMode: PayByVirtualPhysicalConnectionOwner, Name: "nametest",
		Description: "desctest", Token: "CBCE910E-D396-4944-8A1B-7E0C5A3F0001", ResourceGroupID: "rg-aekzjty2chzuqky",
	}
	for i := range n {
		req.Tags = append(req.Tags, Tag{Key: "key" + string(rune('a'+i)), Value: "value" + string(rune('a'+i))})
	}
	return req
}
