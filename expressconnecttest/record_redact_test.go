package expressconnecttest_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/expressconnect-go/expressconnect/expressconnecttest"
)

// canary is the value every credential of TestRecordRedactsCredentials carries, so that a
// dump of the record shows at once whether one leaked.
const canary = "canary-credential-7f3a"

// TestRecordRedactsCredentials checks that a record keeps the value of the headers on its
// allow-list and of the parameters that carry no credential, and replaces every other value
// by "<redacted>", keeping its name: whether it comes in the URL query, in a form body or in
// a header, whatever the case of its name.
func TestRecordRedactsCredentials(t *testing.T) {
	t.Parallel()
	headers := []struct {
		name, sent, recorded string
	}{
		{"x-acs-security-token", canary, "<redacted>"},
		{"x-acs-bearer-token", canary, "<redacted>"},
		{"Proxy-Authorization", "Basic " + canary, "<redacted>"},
		{"Cookie", "session=" + canary, "<redacted>"},
		{"X-Api-Key", canary, "<redacted>"},
		{"X-Custom-Header", canary, "<redacted>"},
		{"Authorization", "ACS3-HMAC-SHA256 Credential=LTAI5tRecordTestKey01,SignedHeaders=host,Signature=" + canary,
			"ACS3-HMAC-SHA256 Credential=LTAI****ey01,SignedHeaders=host,Signature=<redacted>"},
		{"User-Agent", "record-test/1.0", "record-test/1.0"},
		{"Accept", "application/json", "application/json"},
		{"x-acs-action", "CreateVirtualPhysicalConnection", "CreateVirtualPhysicalConnection"},
		{"x-acs-version", "2016-04-28", "2016-04-28"},
		{"x-acs-date", "2026-11-25T08:30:00Z", "2026-11-25T08:30:00Z"},
		{"x-acs-signature-nonce", "nonce-1", "nonce-1"},
		{"x-acs-content-sha256", "e3b0c442", "e3b0c442"},
		{"x-acs-request-id", "REQ-1", "REQ-1"},
	}
	params := []struct {
		name, recorded string
	}{
		{"Signature", "<redacted>"},
		{"SecurityToken", "<redacted>"},
		{"BearerToken", "<redacted>"},
		{"AccessKeySecret", "<redacted>"},
		{"DbPassword", "<redacted>"},
		{"sessionCookie", "<redacted>"},
		{"XAUTHORIZATION", "<redacted>"},
		{"client_secret", "<redacted>"},
		{"Token", canary},
		{"ClientToken", canary},
		{"NextToken", canary},
		{"SignatureNonce", canary},
		{"SignatureMethod", canary},
		{"SignatureVersion", canary},
		{"Description", canary},
	}
	for _, where := range []string{"query", "form"} {
		t.Run(where, func(t *testing.T) {
			t.Parallel()
			s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{})
			p := url.Values{}
			for _, tc := range params {
				p.Set(tc.name, canary)
			}
			var req *http.Request
			var err error
			if where == "query" {
				req, err = http.NewRequest(http.MethodPost, s.URL()+"/?"+encode(p), nil)
			} else {
				req, err = http.NewRequest(http.MethodPost, s.URL()+"/", strings.NewReader(encode(p)))
			}
			require.NoError(t, err)
			if where == "form" {
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			}
			for _, h := range headers {
				req.Header.Set(h.name, h.sent)
			}
			do(t, req)
			reqs := admin(t, s).Requests()
			require.Len(t, reqs, 1)
			rec := reqs[0]

			for _, h := range headers {
				assert.Equal(t, []string{h.recorded}, rec.Header.Values(h.name), "header %s", h.name)
			}
			for _, tc := range params {
				assert.Equal(t, tc.recorded, rec.Params.Get(tc.name), "parameter %s", tc.name)
				if where == "form" {
					assert.Contains(t, string(rec.Body), tc.name+"="+tc.recorded,
						"parameter %s in the body", tc.name)
				}
			}
			assert.Equal(t, countKept(params, where), strings.Count(fmt.Sprintf("%#v", rec)+string(rec.Body), canary),
				"the canary shows only in the values kept")
		})
	}
}

// countKept returns how many times the canary may show in a record of the parameters: once
// for each parameter kept, twice when it also shows in the form body.
func countKept(params []struct{ name, recorded string }, where string) int {
	n := 0
	for _, p := range params {
		if p.recorded == canary {
			n++
		}
	}
	if where == "form" {
		n *= 2
	}
	return n
}
