package main

import (
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/expressconnect-go/expressconnect/expressconnecttest"
)

// guardCase is a request to the admin API and the status it must get.
type guardCase struct {
	name        string
	method      string
	host        string // the Host header; "" keeps the URL's
	origin      string // the Origin header; "" sends none
	contentType string // sent with the body; "" sends none
	body        string
	auth        string // the Authorization header; "" sends none
	status      int
	want        string // in the error, when status is not 200
}

// send sends tc to the admin API at base.
func (tc guardCase) send(t *testing.T, base string) adminAnswer {
	t.Helper()
	var rd io.Reader
	if tc.body != "" {
		rd = strings.NewReader(tc.body)
	}
	req, err := http.NewRequest(tc.method, base+"/_sandbox/clock", rd)
	require.NoError(t, err)
	if tc.host != "" {
		req.Host = tc.host
	}
	for name, value := range map[string]string{"Origin": tc.origin, "Content-Type": tc.contentType, "Authorization": tc.auth} {
		if value != "" {
			req.Header.Set(name, value)
		}
	}
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
	return adminAnswer{status: resp.StatusCode, header: resp.Header, body: string(raw)}
}

// check sends tc and checks its status and error.
func (tc guardCase) check(t *testing.T, base string) {
	t.Helper()
	a := tc.send(t, base)
	assert.Equal(t, tc.status, a.status, a.body)
	if tc.status != http.StatusOK {
		assert.Contains(t, a.errorText(t), tc.want)
	}
}

// TestAdminGuards checks what the admin API refuses before any route runs, the command
// listening on loopback: a body that is not JSON (415: a browser's form or text post from
// another origin needs no preflight), a Host or an Origin that is neither loopback nor allowed
// (403: DNS rebinding, cross-site requests), and a wrong admin token (401; the token is
// optional on loopback).
func TestAdminGuards(t *testing.T) {
	t.Parallel()
	const token = "0123456789abcdef0123456789abcdef"
	s := startSandbox(t, "-admin-token", token, "-admin-allowed-hosts", "sandbox.ci.internal", "-admin-allowed-hosts", "10.1.2.3")
	offset := `{"Offset":"0s"}`
	cases := []guardCase{
		{name: "JSON body", method: http.MethodPut, contentType: "application/json", body: offset, status: http.StatusOK},
		{name: "JSON body with a charset", method: http.MethodPut, contentType: "application/json; charset=utf-8", body: offset, status: http.StatusOK},
		{name: "JSON in upper case", method: http.MethodPut, contentType: "Application/JSON", body: offset, status: http.StatusOK},
		{name: "no body", method: http.MethodGet, status: http.StatusOK},
		{name: "form body", method: http.MethodPut, contentType: "application/x-www-form-urlencoded", body: offset,
			status: http.StatusUnsupportedMediaType, want: "Content-Type application/json"},
		{name: "text body", method: http.MethodPut, contentType: "text/plain", body: offset, status: http.StatusUnsupportedMediaType,
			want: `"text/plain"`},
		{name: "multipart body", method: http.MethodPut, contentType: "multipart/form-data; boundary=x", body: offset,
			status: http.StatusUnsupportedMediaType, want: "Content-Type application/json"},
		{name: "body without a type", method: http.MethodPut, body: offset, status: http.StatusUnsupportedMediaType,
			want: "Content-Type application/json"},
		{name: "bad type", method: http.MethodPut, contentType: "json;;", body: offset, status: http.StatusUnsupportedMediaType,
			want: "Content-Type application/json"},
		{name: "localhost", method: http.MethodGet, host: "localhost:8080", status: http.StatusOK},
		{name: "localhost in upper case, no port", method: http.MethodGet, host: "LOCALHOST", status: http.StatusOK},
		{name: "127/8", method: http.MethodGet, host: "127.1.2.3:80", status: http.StatusOK},
		{name: "IPv6 loopback", method: http.MethodGet, host: "[::1]:8080", status: http.StatusOK},
		{name: "allowed name", method: http.MethodGet, host: "sandbox.ci.internal:8080", status: http.StatusOK},
		{name: "allowed name in upper case", method: http.MethodGet, host: "SANDBOX.CI.INTERNAL", status: http.StatusOK},
		{name: "allowed address", method: http.MethodGet, host: "10.1.2.3:8080", status: http.StatusOK},
		{name: "other name", method: http.MethodGet, host: "attacker.example:8080", status: http.StatusForbidden, want: `Host "attacker.example:8080"`},
		{name: "loopback name as a prefix", method: http.MethodGet, host: "localhost.attacker.example", status: http.StatusForbidden, want: "Host"},
		{name: "loopback address as a prefix", method: http.MethodGet, host: "127.0.0.1.nip.io:8080", status: http.StatusForbidden, want: "Host"},
		{name: "other address", method: http.MethodGet, host: "192.168.1.10:8080", status: http.StatusForbidden, want: "Host"},
		{name: "any address", method: http.MethodGet, host: "0.0.0.0:8080", status: http.StatusForbidden, want: "Host"},
		{name: "loopback origin", method: http.MethodGet, origin: "http://localhost:3000", status: http.StatusOK},
		{name: "allowed origin", method: http.MethodGet, origin: "https://sandbox.ci.internal", status: http.StatusOK},
		{name: "other origin", method: http.MethodGet, origin: "https://attacker.example", status: http.StatusForbidden, want: `Origin "https://attacker.example"`},
		{name: "null origin", method: http.MethodGet, origin: "null", status: http.StatusForbidden, want: `Origin "null"`},
		{name: "other origin, JSON body", method: http.MethodPut, origin: "http://attacker.example", contentType: "application/json", body: offset,
			status: http.StatusForbidden, want: "Origin"},
		{name: "right token", method: http.MethodGet, auth: "Bearer " + token, status: http.StatusOK},
		{name: "right token, scheme in lower case", method: http.MethodGet, auth: "bearer " + token, status: http.StatusOK},
		{name: "wrong token", method: http.MethodGet, auth: "Bearer " + strings.Repeat("0", len(token)), status: http.StatusUnauthorized,
			want: "admin token"},
		{name: "token of another length", method: http.MethodGet, auth: "Bearer x", status: http.StatusUnauthorized, want: "admin token"},
		{name: "other scheme", method: http.MethodGet, auth: "Basic " + token, status: http.StatusUnauthorized, want: "Bearer"},
	}
	t.Run("cases", func(t *testing.T) { // returns once its parallel cases are done
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				t.Parallel()
				tc.check(t, s.banner.url)
			})
		}
	})
	require.NoError(t, s.stop())
	assert.NotContains(t, s.stderr.String(), token, "no log line holds the token")
	for _, status := range []string{"401", "403", "415"} {
		assert.Regexp(t, `msg=admin method=(GET|PUT) path=/_sandbox/clock status=`+status+`\n`, s.stderr.String())
	}
}

// TestAdminTokenRequiredBeyondLoopback checks that the admin API asks for the token (401,
// with a WWW-Authenticate header) when the command listens beyond loopback, and takes it when
// it is right. It serves the admin API through httptest's recorder, so that the test itself
// listens on no address but loopback.
func TestAdminTokenRequiredBeyondLoopback(t *testing.T) {
	t.Parallel()
	const token = "fedcba9876543210fedcba9876543210"
	adm := newAdmin(slog.New(slog.DiscardHandler), adminGuard{token: token, tokenRequired: true})
	adm.start(expressconnecttest.NewTestServer(t))
	cases := []struct {
		name   string
		auth   string
		status int
	}{
		{"no token", "", http.StatusUnauthorized},
		{"right token", "Bearer " + token, http.StatusOK},
		{"wrong token", "Bearer " + strings.ToUpper(token), http.StatusUnauthorized},
		{"empty token", "Bearer ", http.StatusUnauthorized},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			req := httptest.NewRequest(http.MethodGet, "http://127.0.0.1:8080/_sandbox/clock", nil)
			if tc.auth != "" {
				req.Header.Set("Authorization", tc.auth)
			}
			rec := httptest.NewRecorder()
			adm.ServeHTTP(rec, req)
			assert.Equal(t, tc.status, rec.Code, rec.Body.String())
			if tc.status == http.StatusUnauthorized {
				assert.Equal(t, `Bearer realm="expressconnect-local admin API"`, rec.Header().Get("WWW-Authenticate"))
				assert.Contains(t, rec.Body.String(), "admin token")
				assert.NotContains(t, rec.Body.String(), token)
			}
		})
	}
}

// TestTokenRequiredOn checks which listening addresses need the admin token: every address
// but a loopback one.
func TestTokenRequiredOn(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		ip       string
		required bool
	}{
		{"IPv4 loopback", "127.0.0.1", false},
		{"other IPv4 loopback", "127.0.0.2", false},
		{"IPv6 loopback", "::1", false},
		{"every IPv4 address", "0.0.0.0", true},
		{"every address", "::", true},
		{"private address", "10.0.0.5", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tc.required, tokenRequiredOn(&net.TCPAddr{IP: net.ParseIP(tc.ip), Port: 8080}))
		})
	}
}

// TestBannerPrintsTheAdminToken checks that the banner prints the admin token, random unless
// given, quoted for the shell, and that it opens the admin API.
func TestBannerPrintsTheAdminToken(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		args []string
		want string // "" for a random one
	}{
		{"random", nil, ""},
		{"given", []string{"-admin-token", "given-token-0123456789"}, "given-token-0123456789"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := startRun(t, noEnv, tc.args...)
			m := regexpFind(t, `(?m)^  Admin token      '([^']+)' \(optional on loopback\)$`, r.stdout.String())
			if tc.want == "" {
				assert.Regexp(t, `^[0-9a-f]{32}$`, m)
			} else {
				assert.Equal(t, tc.want, m)
			}
			assert.Contains(t, r.stdout.String(), "  export EXPRESSCONNECT_LOCAL_ADMIN_TOKEN='"+m+"'\n")
			guardCase{method: http.MethodGet, auth: "Bearer " + m, status: http.StatusOK}.check(t, r.banner.url)
		})
	}
}

// regexpFind returns the first submatch of pattern in text, failing the test when there is
// none.
func regexpFind(t *testing.T, pattern, text string) string {
	t.Helper()
	m := regexp.MustCompile(pattern).FindStringSubmatch(text)
	require.NotNil(t, m, "%s in:\n%s", pattern, text)
	return m[1]
}
