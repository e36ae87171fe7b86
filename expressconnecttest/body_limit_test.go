package expressconnecttest_test

import (
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/expressconnect-go/expressconnect"
	"github.com/expressconnect-go/expressconnect/expressconnecttest"
)

// TestBodyLimit checks that a form body up to MaxBodyBytes is read, and that a larger one is
// answered InvalidParameter with a message naming the limit, whether or not its length was
// declared.
func TestBodyLimit(t *testing.T) {
	t.Parallel()
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{})
	// formOf returns a signed form body of exactly size bytes, padded with a parameter the
	// operation ignores. The encoded signature's length varies with the nonce, so it tries a
	// few nonces.
	formOf := func(size int) string {
		for range 50 {
			p := validParams(s)
			p.Set("VlanId", "30")
			p.Set("Zpad", "")
			unpadded := len(encode(signWith(p, s.Account().AccessKeySecret)))
			p.Set("Zpad", strings.Repeat("z", size-unpadded))
			if body := encode(signWith(p, s.Account().AccessKeySecret)); len(body) == size {
				return body
			}
		}
		require.FailNow(t, "no nonce gives a body of the size", "%d bytes", size)
		return ""
	}
	const limitMessage = "The request body is larger than 1048576 bytes (1 MiB), the most this endpoint reads."
	cases := []struct {
		name     string
		body     string
		chunked  bool
		status   int
		code     string
		message  string
		recorded int64
	}{
		{"at the limit", formOf(expressconnecttest.MaxBodyBytes), false, http.StatusOK, "", "",
			expressconnecttest.MaxBodyBytes},
		{"one byte over", formOf(expressconnecttest.MaxBodyBytes + 1), false, http.StatusBadRequest,
			string(expressconnect.CodeInvalidParameter), limitMessage, expressconnecttest.MaxBodyBytes + 1},
		{"far over, length not declared", strings.Repeat("a", 3<<20), true, http.StatusBadRequest,
			string(expressconnect.CodeInvalidParameter), limitMessage, expressconnecttest.MaxBodyBytes + 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var body io.Reader = strings.NewReader(tc.body)
			if tc.chunked {
				body = io.MultiReader(body) // hides the length, so the client sends it chunked
			}
			req, err := http.NewRequest(http.MethodPost, s.URL()+"/", body)
			require.NoError(t, err)
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			r := do(t, req)
			assert.Equal(t, tc.status, r.Status, r.Raw)
			assert.Equal(t, tc.code, r.code())
			assert.Equal(t, tc.message, r.str("Message"))
			var rec expressconnecttest.Request
			for _, have := range admin(t, s).Requests() {
				if have.RequestID == r.str("RequestId") {
					rec = have
				}
			}
			assert.Equal(t, tc.recorded, rec.BodyLength)
		})
	}
}

// TestHeaderLimit checks that the server reads at most 64 KiB of headers: a request with
// more is refused with HTTP 431 by Go's HTTP server, before the server holds it in memory.
func TestHeaderLimit(t *testing.T) {
	t.Parallel()
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{})
	cases := []struct {
		name   string
		header int // bytes of padding header
		status int
	}{
		{"32 KiB", 32 << 10, http.StatusOK},
		{"96 KiB", 96 << 10, http.StatusRequestHeaderFieldsTooLarge},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := validParams(s)
			p.Set("VlanId", strconv.Itoa(40+tc.header>>10))
			req, err := http.NewRequest(http.MethodPost, s.URL()+"/?"+encode(signWith(p, s.Account().AccessKeySecret)), nil)
			require.NoError(t, err)
			req.Header.Set("X-Padding", strings.Repeat("h", tc.header))
			resp, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			_, _ = io.Copy(io.Discard, resp.Body)
			assert.Equal(t, tc.status, resp.StatusCode)
		})
	}
}
