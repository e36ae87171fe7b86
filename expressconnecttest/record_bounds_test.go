package expressconnecttest_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/expressconnect-go/expressconnect"
	"github.com/expressconnect-go/expressconnect/expressconnecttest"
)

// vlansOf returns the VlanId parameter of each request.
func vlansOf(reqs []expressconnecttest.Request) []string {
	out := []string{}
	for _, r := range reqs {
		out = append(out, r.Params.Get("VlanId"))
	}
	return out
}

// TestRequestLogKeepsTheLastRequests checks that the log is a ring of the last requests to
// arrive, that it counts those it dropped, and that a reset empties both.
func TestRequestLogKeepsTheLastRequests(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		size    int
		kept    []string
		dropped uint64
	}{
		{"smaller than the traffic", 3, []string{"12", "13", "14"}, 2},
		{"as large as the traffic", 5, []string{"10", "11", "12", "13", "14"}, 0},
		{"keeps none", -1, []string{}, 5},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{RequestLogSize: tc.size})
			for vlan := 10; vlan < 15; vlan++ {
				resp, _, err := rawPost(context.Background(), s, vlan)
				require.NoError(t, err)
				require.Equal(t, http.StatusOK, resp.StatusCode)
			}
			page, err := s.Admin().Requests(context.Background(), 0, 0)
			require.NoError(t, err)
			assert.Equal(t, tc.kept, vlansOf(page.Requests))
			assert.Equal(t, tc.dropped, page.Dropped)

			admin(t, s).Reset()
			page, err = s.Admin().Requests(context.Background(), 0, 0)
			require.NoError(t, err)
			assert.Empty(t, page.Requests)
			assert.Zero(t, page.Dropped)
			resp, _, err := rawPost(context.Background(), s, 20)
			require.NoError(t, err)
			require.Equal(t, http.StatusOK, resp.StatusCode)
			assert.Len(t, admin(t, s).Requests(), max(min(tc.size, 1), 0), "the log works again after a reset")
		})
	}
}

// fieldBytes returns the bytes of the names and values of fields.
func fieldBytes(fields map[string][]string) int {
	n := 0
	for name, values := range fields {
		n += len(name)
		for _, v := range values {
			n += len(v)
		}
	}
	return n
}

// TestRecordIsBounded sends requests much larger than a record may be and checks what their
// records keep: bounded parts, the full body length, Truncated, and no secret.
func TestRecordIsBounded(t *testing.T) {
	t.Parallel()
	id, secret, token := "STS.NUBoundedRecord", "bounded-secret", "CAISbounded+token/with==signs"
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{STS: expressconnecttest.STSCredentials{AccessKeyID: id, AccessKeySecret: secret, SecurityToken: token}})
	huge := strings.Repeat("d", 64<<10)
	secrets := []string{secret, token, url.QueryEscape(token)}

	signed := func(vlan int, extra url.Values) url.Values {
		p := validParams(s)
		p.Set("AccessKeyId", id)
		p.Set("SecurityToken", token)
		p.Set("VlanId", strconv.Itoa(vlan))
		for k, v := range extra {
			p[k] = v
		}
		signWith(p, secret)
		secrets = append(secrets, p.Get("Signature"), url.QueryEscape(p.Get("Signature")))
		return p
	}
	// formFirst sends the signed parameters in a form body whose Description comes last, so
	// that the secrets fall within the recorded start of the body.
	formFirst := func(p url.Values) *http.Request {
		desc := p.Get("Description")
		p.Del("Description")
		body := encode(p) + "&Description=" + desc
		req, err := http.NewRequest(http.MethodPost, s.URL()+"/", strings.NewReader(body))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		return req
	}
	query := func(method, path string, p url.Values) *http.Request {
		req, err := http.NewRequest(method, s.URL()+path+"?"+encode(p), nil)
		require.NoError(t, err)
		return req
	}
	manyParams := url.Values{}
	for i := range 5000 {
		manyParams.Set(fmt.Sprintf("Zpad%05d", i), "v") // after the operation's names
	}
	withHeaders := query(http.MethodPost, "/", signed(12, nil))
	// 400 headers of about 150 bytes: under the 64 KiB the endpoint reads, and under the 500
	// header values that net/http's server accepts from Go 1.27 on (it answers 431 beyond).
	for i := range 400 {
		withHeaders.Header.Set(fmt.Sprintf("X-Padding-%03d", i), strings.Repeat("h", 135))
	}

	cases := []struct {
		name      string
		req       *http.Request
		code      string
		form      bool
		truncated bool
	}{
		{"small query request", query(http.MethodPost, "/", signed(10, nil)), "", false, false},
		{"huge form body", formFirst(signed(11, url.Values{"Description": {huge}})),
			string(expressconnect.CodeInvalidDescriptionMalformed), true, true},
		{"huge query value", query(http.MethodPost, "/", signed(13, url.Values{"Description": {huge}})),
			string(expressconnect.CodeInvalidDescriptionMalformed), false, true},
		{"many query parameters", query(http.MethodPost, "/", signed(14, manyParams)), "", false, true},
		{"many headers", withHeaders, "", false, true},
		{"long path", query(http.MethodPost, "/"+strings.Repeat("p", 10<<10), signed(15, nil)),
			string(expressconnect.CodeInvalidActionNotFound), false, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := do(t, tc.req)
			assert.Equal(t, tc.code, r.code(), r.Raw)
			var rec expressconnecttest.Request
			for _, have := range admin(t, s).Requests() {
				if have.RequestID == r.str("RequestId") {
					rec = have
				}
			}
			require.NotEmpty(t, rec.RequestID, "the request is in the log")

			assert.Equal(t, tc.req.ContentLength, rec.BodyLength)
			if tc.form { // its redacted start
				assert.Len(t, rec.Body, expressconnecttest.MaxRecordedBytes)
				assert.Contains(t, string(rec.Body), "Signature=<redacted>")
				assert.Contains(t, string(rec.Body), "SecurityToken=<redacted>")
			} else {
				assert.Nil(t, rec.Body)
			}
			assert.Equal(t, tc.truncated, rec.Truncated)
			assert.LessOrEqual(t, len(rec.Path), expressconnecttest.MaxRecordedBytes)
			assert.LessOrEqual(t, fieldBytes(rec.Header), expressconnecttest.MaxRecordedFieldBytes)
			assert.LessOrEqual(t, fieldBytes(rec.Params), expressconnecttest.MaxRecordedFieldBytes)
			assert.Equal(t, "<redacted>", rec.Params.Get("Signature"))
			assert.Equal(t, "<redacted>", rec.Params.Get("SecurityToken"))
			assert.Equal(t, id, rec.Params.Get("AccessKeyId"), "small parameters are kept")
			assert.NotEmpty(t, rec.Params.Get("VlanId"), "small parameters are kept")

			dump := fmt.Sprintf("%#v", rec)
			for _, secretText := range secrets {
				assert.NotContains(t, dump, secretText)
			}
		})
	}
}
