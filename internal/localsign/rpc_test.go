package localsign_test

import (
	"errors"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/expressconnect-go/expressconnect/internal/localsign"
)

// v3Params are the parameters of vector V3 (alibaba-cloud-sdk-go v1.63.107
// sdk/auth/rpc_signature_composer_test.go).
func v3Params() url.Values {
	return url.Values{
		"AccessKeyId": {"accessKeyId"}, "Action": {""}, "Format": {"JSON"}, "RegionId": {"regionId"},
		"SignatureMethod": {"HMAC-SHA1"}, "SignatureNonce": {"MOCK_UUID"}, "SignatureType": {""},
		"SignatureVersion": {"1.0"}, "Timestamp": {"mock date"}, "Version": {""},
	}
}

// TestPublishedVectors checks the string to sign and the signature of every published vector
// (V1 to V4 of signature-vectors.md).
func TestPublishedVectors(t *testing.T) {
	t.Parallel()
	v4 := v3Params()
	v4.Set("SecurityToken", "accessKeyStsToken")
	cases := []struct {
		name, method, secret    string
		params                  url.Values
		stringToSign, signature string
	}{
		{
			name: "V1 documentation example", method: "GET", secret: "testsecret",
			params: url.Values{
				"Timestamp": {"2016-02-23T12:46:24Z"}, "Format": {"XML"}, "AccessKeyId": {"testid"},
				"Action": {"DescribeRegions"}, "SignatureMethod": {"HMAC-SHA1"},
				"SignatureNonce": {"3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"}, "Version": {"2014-05-26"},
				"SignatureVersion": {"1.0"},
			},
			stringToSign: "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26",
			signature:    "OLeaidS1JvxuMvnyHOwuJ+uX5qY=",
		},
		{
			name: "V2 darabonba-openapi empty method", method: "", secret: "accessKeySecret",
			params:       url.Values{"test": {"ok"}},
			stringToSign: "&%2F&test%3Dok",
			signature:    "jHx/oHoHNrbVfhncHEvPdHXZwHU=",
		},
		{
			name: "V3 alibaba-cloud-sdk-go empty values", method: "GET", secret: "accessKeySecret",
			params:       v3Params(),
			stringToSign: "GET&%2F&AccessKeyId%3DaccessKeyId%26Action%3D%26Format%3DJSON%26RegionId%3DregionId%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3DMOCK_UUID%26SignatureType%3D%26SignatureVersion%3D1.0%26Timestamp%3Dmock%2520date%26Version%3D",
			signature:    "7loPmFjvDnzOVnQeQNj85S6nFGY=",
		},
		{
			name: "V4 with SecurityToken", method: "GET", secret: "accessKeySecret",
			params:    v4,
			signature: "5Nxdcler+ihqWqv0Hr2On4PsBf4=",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if tc.stringToSign != "" {
				assert.Equal(t, tc.stringToSign, localsign.StringToSign(tc.method, tc.params))
			}
			assert.Equal(t, tc.signature, localsign.Sign(tc.method, tc.params, tc.secret))

			signed := url.Values{}
			for k, v := range tc.params {
				signed[k] = v
			}
			signed.Set("Signature", tc.signature)
			assert.NoError(t, localsign.VerifySignature(tc.method, signed, tc.secret))
		})
	}
}

// TestStringToSignVectorV5 checks the string-to-sign-only vectors of V5.
func TestStringToSignVectorV5(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		params url.Values
		want   string
	}{
		{"no params", url.Values{}, "GET&%2F&"},
		{"one param", url.Values{"key": {"value"}}, "GET&%2F&key%3Dvalue"},
		{"two params", url.Values{"key": {"value"}, "q": {"value"}}, "GET&%2F&key%3Dvalue%26q%3Dvalue"},
		{"url value", url.Values{"key": {"value"}, "q": {"http://domain/?q=value&q2=value2"}},
			"GET&%2F&key%3Dvalue%26q%3Dhttp%253A%252F%252Fdomain%252F%253Fq%253Dvalue%2526q2%253Dvalue2"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tc.want, localsign.StringToSign("GET", tc.params))
		})
	}
}

// TestCanonicalQueryEncoding checks the RFC 3986 encoding rules one character class at a time.
func TestCanonicalQueryEncoding(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, value, want string
	}{
		{"unreserved stay", "AZaz09-_.~", "AZaz09-_.~"},
		{"space is %20", "a b", "a%20b"},
		{"star is %2A", "*", "%2A"},
		{"plus slash equals", "+/=", "%2B%2F%3D"},
		{"percent and ampersand", "%&", "%25%26"},
		{"utf-8 bytes upper-case hex", "中ü", "%E4%B8%AD%C3%BC"},
		{"empty value stays", "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := localsign.CanonicalQuery(url.Values{"k": {tc.value}, "Signature": {"ignored"}})
			assert.Equal(t, "k="+tc.want, got)
		})
	}
}

// TestCanonicalQuerySortsByteOrder checks that names sort in byte order (upper case first).
func TestCanonicalQuerySortsByteOrder(t *testing.T) {
	t.Parallel()
	got := localsign.CanonicalQuery(url.Values{"b": {"1"}, "B": {"2"}, "a": {"3"}, "Tag.10.Key": {"x"}, "Tag.2.Key": {"y"}})
	assert.Equal(t, "B=2&Tag.10.Key=x&Tag.2.Key=y&a=3&b=1", got)
}

// TestVerifySignatureFailures checks the errors of VerifySignature.
func TestVerifySignatureFailures(t *testing.T) {
	t.Parallel()
	params := url.Values{"test": {"ok"}, "SecurityToken": {"top-secret-token"}}
	good := localsign.Sign("POST", params, "secret")

	t.Run("missing", func(t *testing.T) {
		t.Parallel()
		err := localsign.VerifySignature("POST", params, "secret")
		assert.ErrorIs(t, err, localsign.ErrMissingSignature)
	})
	t.Run("wrong secret holds the string to sign", func(t *testing.T) {
		t.Parallel()
		signed := url.Values{"test": {"ok"}, "SecurityToken": {"top-secret-token"}, "Signature": {good}}
		err := localsign.VerifySignature("POST", signed, "other")
		var sigErr *localsign.SignatureError
		require.True(t, errors.As(err, &sigErr))
		assert.Equal(t, localsign.StringToSign("POST", params), sigErr.StringToSign)
		assert.NotContains(t, err.Error(), "top-secret-token", "the error string must not leak the token")
	})
	t.Run("wrong method", func(t *testing.T) {
		t.Parallel()
		signed := url.Values{"test": {"ok"}, "SecurityToken": {"top-secret-token"}, "Signature": {good}}
		var sigErr *localsign.SignatureError
		assert.ErrorAs(t, localsign.VerifySignature("GET", signed, "secret"), &sigErr)
	})
	t.Run("changed value", func(t *testing.T) {
		t.Parallel()
		signed := url.Values{"test": {"ko"}, "SecurityToken": {"top-secret-token"}, "Signature": {good}}
		var sigErr *localsign.SignatureError
		assert.ErrorAs(t, localsign.VerifySignature("POST", signed, "secret"), &sigErr)
	})
	t.Run("good", func(t *testing.T) {
		t.Parallel()
		signed := url.Values{"test": {"ok"}, "SecurityToken": {"top-secret-token"}, "Signature": {good}}
		assert.NoError(t, localsign.VerifySignature("POST", signed, "secret"))
	})
}
