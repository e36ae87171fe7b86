package floor

import (
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestSignatureVectors checks the baseline signer against the published vectors, so that the
// floor measures a correct implementation.
func TestSignatureVectors(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, method, secret, want string
		params                     map[string]string
	}{
		{
			name: "alibaba documentation example", method: "GET", secret: "testsecret",
			params: map[string]string{
				"Timestamp": "2016-02-23T12:46:24Z", "Format": "XML", "AccessKeyId": "testid",
				"Action": "DescribeRegions", "SignatureMethod": "HMAC-SHA1",
				"SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf", "Version": "2014-05-26",
				"SignatureVersion": "1.0",
			},
			want: "OLeaidS1JvxuMvnyHOwuJ+uX5qY=",
		},
		{
			name: "darabonba-openapi test vector", method: "", secret: "accessKeySecret",
			params: map[string]string{"test": "ok"},
			want:   "jHx/oHoHNrbVfhncHEvPdHXZwHU=",
		},
		{
			name: "alibaba-cloud-sdk-go test vector with empty values and a space", method: "GET", secret: "accessKeySecret",
			params: map[string]string{
				"AccessKeyId": "accessKeyId", "Action": "", "Format": "JSON", "RegionId": "regionId",
				"SignatureMethod": "HMAC-SHA1", "SignatureNonce": "MOCK_UUID", "SignatureType": "",
				"SignatureVersion": "1.0", "Timestamp": "mock date", "Version": "",
			},
			want: "7loPmFjvDnzOVnQeQNj85S6nFGY=",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			params := url.Values{}
			for k, v := range tc.params {
				params.Set(k, v)
			}
			params.Set("Signature", "ignored")
			assert.Equal(t, tc.want, Signature(tc.method, params, tc.secret))
		})
	}
}

// TestPercentEncode checks the characters the RPC signature treats specially.
func TestPercentEncode(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "a%20b%2Ac~d%2Fe%2Bf%3Dg%26h%25i%E4%B8%AD", PercentEncode("a b*c~d/e+f=g&h%i中"))
}
