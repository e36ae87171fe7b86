package expressconnect

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/alibabacloud-go/tea/tea"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// This file checks the redaction boundary (redact.go) from the outside: every way an answer,
// a transport or the network can hand the signed request back to the client is played against
// a client with canary STS credentials, and every text the caller can reach (each error of the
// chain and its fields, every formatted value, the debug log) is searched for the canaries in
// every encoding an echo could use.

// Canary credentials. Each holds characters that percent-encoding changes ("/", "+", "=") and
// the token and secret a space, which form-encoding writes as "+", so that each encoding of
// them is a different string.
const (
	canaryKeyID  = "CANARYid/Key+Zz=0042"
	canarySecret = "canarySECRET/x+y=z 7Q"
	canaryToken  = "canaryTOKEN/a+b=c 9Kp+Q=="
)

// canaryPiece is the length of the shortest piece of a secret's form that counts as a leak:
// a cut (a header cap, a body snapshot) must not leave a long prefix of a secret behind.
const canaryPiece = 10

// canaryPct percent-encodes every byte of s but the RFC 3986 unreserved characters, with
// upper- or lower-case hex digits. It is written apart from the signer's encoder on purpose.
func canaryPct(s string, upper bool) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || strings.IndexByte("-_.~", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		if upper {
			fmt.Fprintf(&b, "%%%02X", c)
		} else {
			fmt.Fprintf(&b, "%%%02x", c)
		}
	}
	return b.String()
}

// canaryJSONAll writes every byte of s but letters and digits as a JSON \u escape.
func canaryJSONAll(s string, upper bool) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' {
			b.WriteByte(c)
			continue
		}
		if upper {
			fmt.Fprintf(&b, `\u%04X`, c)
		} else {
			fmt.Fprintf(&b, `\u%04x`, c)
		}
	}
	return b.String()
}

// canaryGson writes s as a JSON string's content the way Gson does: encoding/json's escapes,
// and "=" and "'" as \u003d and \u0027 too.
func canaryGson(s string) string {
	marshalled, _ := json.Marshal(s)
	return strings.NewReplacer("=", `\u003d`, "'", `\u0027`).Replace(string(marshalled[1 : len(marshalled)-1]))
}

// canaryBase64Core returns the characters of the base64 encoding (alphabet enc) of s that do
// not depend on what surrounds s, when s starts at byte offset of a larger encoded text. It
// encodes s between two different fillers and keeps what both encodings share; it is written
// apart from the redactor's own computation on purpose.
func canaryBase64Core(s string, offset int, enc *base64.Encoding) string {
	a := enc.EncodeToString([]byte(strings.Repeat("\x00", offset) + s + "\x00\x00"))
	b := enc.EncodeToString([]byte(strings.Repeat("\xff", offset) + s + "\xff\xff"))
	start, end := 0, len(a)
	for start < end && a[start] != b[start] {
		start++
	}
	for end > start && a[end-1] != b[end-1] {
		end--
	}
	return a[start:end]
}

// canaryForms returns s in every encoding an echo of a request may carry it: raw, in upper and
// lower case, percent-encoded once and twice with upper- and lower-case hex, as url.PathEscape
// and url.QueryEscape write it, JSON-escaped (encoding/json, Gson, "\/" for "/", and \u
// escapes), and base64-encoded in the standard and URL alphabets, alone with and without
// padding, and inside a larger encoded text at each of the three byte offsets.
func canaryForms(s string) []string {
	marshalled, _ := json.Marshal(s)
	forms := []string{
		s, strings.ToUpper(s), strings.ToLower(s),
		canaryPct(s, true), canaryPct(s, false),
		canaryPct(canaryPct(s, true), true), canaryPct(canaryPct(s, false), false),
		url.QueryEscape(s), url.PathEscape(s),
		string(marshalled[1 : len(marshalled)-1]),
		canaryGson(s),
		strings.ReplaceAll(s, "/", `\/`),
		canaryJSONAll(s, false), canaryJSONAll(s, true),
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.RawURLEncoding} {
		forms = append(forms, enc.EncodeToString([]byte(s)))
	}
	for offset := range 3 {
		forms = append(forms, canaryBase64Core(s, offset, base64.RawStdEncoding), canaryBase64Core(s, offset, base64.RawURLEncoding))
	}
	out := forms[:0]
	seen := map[string]bool{}
	for _, f := range forms {
		if !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	return out
}

// canaryRecorder is a RoundTripper that records the Signature and the AccessKeyId of every
// request the client sends, then hands it to next.
type canaryRecorder struct {
	next http.RoundTripper

	mu         sync.Mutex
	signatures []string
	keyIDs     []string
}

func (c *canaryRecorder) RoundTrip(r *http.Request) (*http.Response, error) {
	sent := canarySentBy(r)
	c.mu.Lock()
	c.signatures = append(c.signatures, sent.signature)
	c.keyIDs = append(c.keyIDs, sent.keyID)
	c.mu.Unlock()
	return c.next.RoundTrip(r)
}

// canarySent is what a request carries of its credentials.
type canarySent struct {
	keyID, token, signature string
}

// canarySentBy returns the AccessKeyId, SecurityToken and Signature r carries: in the query
// under the RPC signature, in the headers under the V3 signature.
func canarySentBy(r *http.Request) canarySent {
	q := r.URL.Query()
	if q.Get("Signature") != "" {
		return canarySent{keyID: q.Get("AccessKeyId"), token: q.Get("SecurityToken"), signature: q.Get("Signature")}
	}
	sent := canarySent{token: r.Header.Get("x-acs-security-token")}
	for _, part := range strings.Split(strings.TrimPrefix(r.Header.Get("Authorization"), "ACS3-HMAC-SHA256 "), ",") {
		switch name, value, _ := strings.Cut(part, "="); name {
		case "Credential":
			sent.keyID = value
		case "Signature":
			sent.signature = value
		}
	}
	return sent
}

func (c *canaryRecorder) sent() (signatures, keyIDs []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.signatures...), append([]string(nil), c.keyIDs...)
}

// canaryEcho returns what a careless server or proxy repeats of r: its URL, its raw query,
// and every secret it carries (and the AccessKeySecret, which no echo can know, for good
// measure) in every encoding.
func canaryEcho(r *http.Request) string {
	q := r.URL.Query()
	parts := []string{"url=" + r.URL.String(), "query=" + r.URL.RawQuery, "values=" + fmt.Sprint(q)}
	for _, s := range []string{q.Get("AccessKeyId"), canarySecret, q.Get("SecurityToken"), q.Get("Signature")} {
		parts = append(parts, canaryForms(s)...)
	}
	return strings.Join(parts, " ")
}

// canaryJSON answers status with body marshalled as JSON, and the header pairs.
func canaryJSON(w http.ResponseWriter, status int, body any, headers ...string) {
	b, err := json.Marshal(body)
	if err != nil {
		panic(err) // The bodies of this file always marshal.
	}
	w.Header().Set("Content-Type", "application/json")
	for i := 0; i+1 < len(headers); i += 2 {
		w.Header().Set(headers[i], headers[i+1])
	}
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// canaryEchoError answers an error of code with status whose Message, RequestId, HostId and
// Recommend each echo the request.
func canaryEchoError(status int, code Code) fixtureStep {
	return func(w http.ResponseWriter, r *http.Request) {
		echo := canaryEcho(r)
		body := map[string]any{"Code": code, "Message": "refused: " + echo, "RequestId": echo, "HostId": echo, "Recommend": echo}
		if code == CodeForbiddenRAM {
			body["AccessDeniedDetail"] = map[string]string{
				"AuthAction": echo, "AuthPrincipalType": echo, "AuthPrincipalOwnerId": echo,
				"AuthPrincipalDisplayName": echo, "NoPermissionType": echo, "PolicyType": echo,
				"EncodedDiagnosticMessage": echo, "Extra": echo,
			}
		}
		canaryJSON(w, status, body)
	}
}

// canaryHeaderID answers an error whose body has no RequestId, with pick(r) in
// x-acs-request-id.
func canaryHeaderID(status int, pick func(r *http.Request) string) fixtureStep {
	return func(w http.ResponseWriter, r *http.Request) {
		canaryJSON(w, status, map[string]any{"Code": CodeInvalidParameter, "Message": "refused"}, "x-acs-request-id", pick(r))
	}
}

// canaryRedirect answers 302 with Location built from the request.
func canaryRedirect(location func(r *http.Request) string) fixtureStep {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", location(r))
		w.WriteHeader(http.StatusFound)
	}
}

// canaryHTML answers status with an HTML page that echoes the request, as a proxy might, and
// the raw query in x-acs-request-id.
func canaryHTML(status int) fixtureStep {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Header().Set("x-acs-request-id", r.URL.RawQuery)
		w.WriteHeader(status)
		_, _ = io.WriteString(w, "<html><body><h1>Bad Gateway</h1><p>"+canaryEcho(r)+"</p></body></html>")
	}
}

// canaryStraddle returns filler followed by the raw SecurityToken of r, so that a cut at n
// bytes falls inside the token and leaves more than canaryPiece bytes of it before the cut.
func canaryStraddle(r *http.Request, n int) string {
	return strings.Repeat("x", n-canaryPiece-2) + r.URL.Query().Get("SecurityToken")
}

// canaryDoTransport sends the request with an http.Client of its own, so that a failure comes
// back as a *url.Error inside the client's *url.Error.
type canaryDoTransport struct{ base *http.Transport }

func (c canaryDoTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	return (&http.Client{Transport: c.base}).Do(r)
}

// errCanaryProxy is the cause canaryURLTransport wraps.
var errCanaryProxy = errors.New("canary proxy refused the request")

// canaryURLTransport fails every request with an error whose text holds the request's URL.
type canaryURLTransport struct{}

func (canaryURLTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	return nil, fmt.Errorf("proxy refused POST %s (values %v): %w", r.URL, r.URL.Query(), errCanaryProxy)
}

// canaryCase is one way the signed request can come back to the client.
type canaryCase struct {
	name string
	// steps are played by a fixtureServer; with none, the client sends to a closed port.
	steps []fixtureStep
	// transport, when set, sends the requests instead of the default transport.
	transport func(base *http.Transport) http.RoundTripper
	opts      []Option
	// timeout, when set, is the caller's deadline.
	timeout time.Duration
	// attempts is how many requests the client sends.
	attempts int
	// check checks what errors.Is and errors.As find through the redaction.
	check func(t *testing.T, err error)
}

// canaryIs returns a check that err matches every target.
func canaryIs(targets ...error) func(t *testing.T, err error) {
	return func(t *testing.T, err error) {
		t.Helper()
		for _, target := range targets {
			assert.ErrorIs(t, err, target)
		}
	}
}

// canaryTimeout checks that err is a timeout that errors.As finds as a net.Error.
func canaryTimeout(t *testing.T, err error) {
	t.Helper()
	var netErr net.Error
	require.ErrorAs(t, err, &netErr)
	assert.True(t, netErr.Timeout(), "a timeout: %v", err)
}

func canaryCases() []canaryCase {
	closed := func(t *testing.T, err error) {
		t.Helper()
		assert.ErrorIs(t, err, syscall.ECONNREFUSED)
		var opErr *net.OpError
		assert.ErrorAs(t, err, &opErr)
		var tErr *TransportError
		assert.ErrorAs(t, err, &tErr)
	}
	cases := []canaryCase{
		{
			name: "error echoing the request in Message, RequestId, HostId and Recommend", attempts: 1,
			steps: []fixtureStep{canaryEchoError(http.StatusBadRequest, CodeInvalidParameter)},
			check: canaryIs(CodeInvalidParameter, ErrInvalidParameter),
		},
		{
			name: "5xx error echoing the request, retried", attempts: 3,
			steps: []fixtureStep{canaryEchoError(http.StatusServiceUnavailable, CodeServiceUnavailable)},
			check: canaryIs(CodeServiceUnavailable, ErrServerSide),
		},
		{
			name: "Forbidden.RAM echoing the request in AccessDeniedDetail", attempts: 1,
			steps: []fixtureStep{canaryEchoError(http.StatusForbidden, CodeForbiddenRAM)},
			check: canaryIs(CodeForbiddenRAM, ErrPermission),
		},
		{
			name: "Forbidden.RAM body escaping only '+', as \\u002B", attempts: 1,
			steps: []fixtureStep{func(w http.ResponseWriter, r *http.Request) {
				q := r.URL.Query()
				var parts []string
				for _, v := range []string{q.Get("AccessKeyId"), canarySecret, q.Get("SecurityToken"), q.Get("Signature")} {
					parts = append(parts, strings.ReplaceAll(v, "+", `\u002B`))
				}
				echo := strings.Join(parts, " ")
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusForbidden)
				_, _ = io.WriteString(w, `{"Code":"Forbidden.RAM","RequestId":"CANARY-MIXED-1","Message":"`+echo+
					`","Echo":"`+echo+`","AccessDeniedDetail":{"AuthAction":"`+echo+`","Echo":"`+echo+`"}}`)
			}},
			check: canaryIs(CodeForbiddenRAM, ErrPermission),
		},
		{
			name: "x-acs-request-id is the raw query", attempts: 1,
			steps: []fixtureStep{canaryHeaderID(http.StatusBadRequest, func(r *http.Request) string { return r.URL.RawQuery })},
			check: canaryIs(CodeInvalidParameter),
		},
		{
			name: "x-acs-request-id over a RequestId's length, the SecurityToken across its end", attempts: 1,
			steps: []fixtureStep{canaryHeaderID(http.StatusBadRequest, func(r *http.Request) string { return canaryStraddle(r, maxRequestIDLen) })},
			check: canaryIs(CodeInvalidParameter),
		},
		{
			name: "SignatureDoesNotMatch with the marker in another casing", attempts: 1,
			steps: []fixtureStep{func(w http.ResponseWriter, r *http.Request) {
				sts := errsStringToSign(r.Method, r.URL.Query())
				canaryJSON(w, http.StatusBadRequest, map[string]any{
					"Code": CodeSignatureDoesNotMatch, "RequestId": "CANARY-SIG-1", "HostId": "vpc.aliyuncs.com",
					"Message": "Specified signature is not matched with our calculation. Server String To Sign Is:" + sts,
				})
			}},
			check: func(t *testing.T, err error) {
				t.Helper()
				canaryIs(CodeSignatureDoesNotMatch, ErrSignature)(t, err)
				var apiErr *APIError
				require.ErrorAs(t, err, &apiErr)
				assert.Equal(t, "Specified signature is not matched with our calculation.", apiErr.Message)
				assert.NotEmpty(t, apiErr.ServerStringToSign())
				assert.Equal(t, apiErr.ClientStringToSign(), apiErr.ServerStringToSign())
			},
		},
		{
			name: "302 with the query in the Location's path and fragment", attempts: 1,
			steps: []fixtureStep{canaryRedirect(func(r *http.Request) string {
				return "http://127.0.0.1:1/" + r.URL.RawQuery + "/" + canaryPct(r.URL.RawQuery, true) + "#" + r.URL.RawQuery
			})},
			check: canaryIs(ErrRedirectRefused),
		},
		{
			name: "302 with the query after '?'", attempts: 1,
			steps: []fixtureStep{canaryRedirect(func(r *http.Request) string { return "https://vpc.aliyuncs.com/?" + r.URL.RawQuery })},
			check: canaryIs(ErrRedirectRefused),
		},
		{
			name: "302 with an unparseable Location echoing the query, a transport failure", attempts: 3,
			steps: []fixtureStep{canaryRedirect(func(r *http.Request) string { return "http://[::1%zz/" + r.URL.RawQuery })},
			check: func(t *testing.T, err error) {
				t.Helper()
				var tErr *TransportError
				assert.ErrorAs(t, err, &tErr)
			},
		},
		{
			name: "HTML 502 echoing the query", attempts: 3,
			steps: []fixtureStep{canaryHTML(http.StatusBadGateway)},
			check: canaryIs(ErrMalformedResponse, ErrServerSide),
		},
		{
			name: "HTML 502 with the SecurityToken across the body snapshot's end", attempts: 1,
			opts: []Option{WithMaxAttempts(1)},
			steps: []fixtureStep{func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(http.StatusBadGateway)
				_, _ = io.WriteString(w, canaryStraddle(r, bodySnapshotSize)+" and more")
			}},
			check: canaryIs(ErrMalformedResponse, ErrServerSide),
		},
		{
			name: "transport calling http.Client.Do itself", attempts: 3,
			transport: func(base *http.Transport) http.RoundTripper { return canaryDoTransport{base: base} },
			check:     closed,
		},
		{
			name: "transport whose error holds the URL", attempts: 3,
			transport: func(*http.Transport) http.RoundTripper { return canaryURLTransport{} },
			check:     canaryIs(errCanaryProxy),
		},
		{name: "connection refused", attempts: 3, check: closed},
		{
			name: "caller's deadline while waiting for the answer", attempts: 1, timeout: 200 * time.Millisecond,
			steps: []fixtureStep{func(_ http.ResponseWriter, r *http.Request) { <-r.Context().Done() }},
			check: func(t *testing.T, err error) {
				t.Helper()
				assert.ErrorIs(t, err, context.DeadlineExceeded)
				assert.NotErrorIs(t, err, ErrAttemptTimeout)
				canaryTimeout(t, err)
			},
		},
		{
			name: "attempt timeout while waiting for the answer", attempts: 1,
			opts:  []Option{WithMaxAttempts(1), WithAttemptTimeout(100 * time.Millisecond)},
			steps: []fixtureStep{func(_ http.ResponseWriter, r *http.Request) { <-r.Context().Done() }},
			check: func(t *testing.T, err error) {
				t.Helper()
				assert.ErrorIs(t, err, ErrAttemptTimeout)
				assert.NotErrorIs(t, err, context.DeadlineExceeded)
				canaryTimeout(t, err)
			},
		},
	}
	// The header is cut at its cap, so each encoding of each echoed value gets a case of its
	// own that puts it first. sample has as many encodings as the value can have (a Signature
	// without "+" or "/" has fewer, and its last one stands in for the missing ones).
	for _, v := range []struct {
		name, sample string
		value        func(r *http.Request) string
	}{
		{"AccessKeyId", canaryKeyID, func(r *http.Request) string { return r.URL.Query().Get("AccessKeyId") }},
		{"SecurityToken", canaryToken, func(r *http.Request) string { return r.URL.Query().Get("SecurityToken") }},
		{"Signature", "Sig/with+all=", func(r *http.Request) string { return r.URL.Query().Get("Signature") }},
		{"AccessKeySecret", canarySecret, func(*http.Request) string { return canarySecret }},
	} {
		for i := range canaryForms(v.sample) {
			cases = append(cases, canaryCase{
				name: fmt.Sprintf("x-acs-request-id is the %s in encoding %d", v.name, i), attempts: 1,
				steps: []fixtureStep{canaryHeaderID(http.StatusBadRequest, func(r *http.Request) string {
					forms := canaryForms(v.value(r))
					return forms[min(i, len(forms)-1)]
				})},
				check: canaryIs(CodeInvalidParameter),
			})
		}
	}
	return cases
}

// TestRedactCanary plays every canaryCase with canary STS credentials and a debug JSON logger,
// and checks that no text the caller can reach holds the AccessKeySecret, the SecurityToken or
// a Signature that was sent in any encoding, nor the AccessKeyId unmasked, nor a long piece of
// any of them; and that errors.Is and errors.As still find what the case expects.
func TestRedactCanary(t *testing.T) {
	leakCheck(t)
	for _, tc := range canaryCases() {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			endpoint := ""
			if tc.steps == nil {
				endpoint = fixtureClosedURL(t)
			} else {
				endpoint = newFixtureServer(t, tc.steps...).URL
			}
			base := defaultTransport()
			t.Cleanup(base.CloseIdleConnections)
			var next http.RoundTripper = base
			if tc.transport != nil {
				next = tc.transport(base)
			}
			rec := &canaryRecorder{next: next}
			var logs bytes.Buffer
			var observed []string
			var observedMu sync.Mutex
			observe := func(v ...any) {
				observedMu.Lock()
				defer observedMu.Unlock()
				for _, x := range v {
					observed = append(observed, canaryFormats(x)...)
				}
			}
			opts := append([]Option{
				WithSTSCredentials(canaryKeyID, canarySecret, canaryToken),
				WithHTTPClient(&http.Client{Transport: rec}),
				WithObserver(LogObserver(slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})))),
				WithObserver(observerFuncs{
					Attempt: func(_ context.Context, _ CallInfo, a Attempt) { observe(a, a.Err) },
					Call:    func(_ context.Context, _ CallInfo, r CallResult) { observe(r, r.Err) },
				}),
			}, tc.opts...)
			c := fixtureClient(t, endpoint, opts...)
			ctx := context.Background()
			if tc.timeout > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tc.timeout)
				defer cancel()
			}

			resp, err := c.CreateVirtualPhysicalConnection(ctx, minimalRequest())

			require.Error(t, err)
			assert.Nil(t, resp)
			var uErr *url.Error
			assert.False(t, errors.As(err, &uErr), "a *url.Error, whose text is the signed URL, is reachable")
			if tc.check != nil {
				tc.check(t, err)
			}
			var opErr *OperationError
			require.ErrorAs(t, err, &opErr)
			assert.Len(t, opErr.Attempts, tc.attempts)
			signatures, keyIDs := rec.sent()
			require.Len(t, signatures, tc.attempts, "requests sent")
			for i := range signatures {
				require.NotEmpty(t, signatures[i])
				require.Equal(t, canaryKeyID, keyIDs[i])
			}
			require.NotEmpty(t, logs.String(), "the logger saw the attempts")

			texts := canaryErrorTexts(err, 0)
			texts = append(texts, strings.Split(logs.String(), "\n")...)
			texts = append(texts, observed...)
			secrets := append([]string{canaryKeyID, canarySecret, canaryToken}, signatures...)
			canaryAssertClean(t, texts, secrets)
		})
	}
}

// canaryAssertClean fails t if a text holds any secret in any encoding or, when none does, a
// piece of canaryPiece bytes of any of those forms, as a cut through a secret leaves behind.
func canaryAssertClean(t *testing.T, texts, secrets []string) {
	t.Helper()
	for _, s := range secrets {
		whole := false
		for i, f := range canaryForms(s) {
			if text, ok := canaryFind(texts, f); ok {
				whole = true
				t.Errorf("encoding %d of %q, %q, is in:\n%s", i, s, f, text)
			}
		}
		if whole {
			continue
		}
		for _, f := range canaryForms(s) {
			for i := 0; i+canaryPiece <= len(f); i++ {
				if text, ok := canaryFind(texts, f[i:i+canaryPiece]); ok {
					t.Errorf("%q, a piece of %q, is in:\n%s", f[i:i+canaryPiece], s, text)
					break
				}
			}
		}
	}
}

// canaryFind returns the first text that holds s.
func canaryFind(texts []string, s string) (string, bool) {
	for _, text := range texts {
		if strings.Contains(text, s) {
			return text, true
		}
	}
	return "", false
}

// canaryFormats returns v printed with the verbs a caller might log it with.
func canaryFormats(v any) []string {
	return []string{fmt.Sprint(v), fmt.Sprintf("%+v", v), fmt.Sprintf("%#v", v), fmt.Sprintf("%q", v)}
}

// canaryErrorTexts returns every text the caller can reach from err: the text and formats of
// each error of its chain, and the exported fields and string methods of the package's error
// types that errors.As finds, recursing into the attempts' errors.
func canaryErrorTexts(err error, depth int) []string {
	if err == nil || depth > 2 {
		return nil
	}
	var out []string
	for _, e := range errsChain(err) {
		out = append(out, e.Error())
		out = append(out, canaryFormats(e)...)
	}
	var opErr *OperationError
	if errors.As(err, &opErr) {
		out = append(out, canaryFields(reflect.ValueOf(opErr), depth)...)
		out = append(out, Remedy(opErr), strings.Join(opErr.RequestIDs(), " "))
	}
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		out = append(out, canaryFields(reflect.ValueOf(apiErr), depth)...)
		out = append(out, apiErr.ServerStringToSign(), apiErr.ClientStringToSign(), Remedy(apiErr))
		if d := apiErr.AccessDeniedDetail; d != nil {
			out = append(out, canaryFormats(*d)...)
		}
	}
	var respErr *ResponseError
	if errors.As(err, &respErr) {
		out = append(out, canaryFields(reflect.ValueOf(respErr), depth)...)
	}
	var tErr *TransportError
	if errors.As(err, &tErr) {
		out = append(out, canaryFields(reflect.ValueOf(tErr), depth)...)
	}
	var sdkErr *tea.SDKError
	if errors.As(err, &sdkErr) {
		out = append(out, sdkErr.Error(), tea.StringValue(sdkErr.Data), tea.StringValue(sdkErr.Message),
			tea.StringValue(sdkErr.Code), tea.StringValue(sdkErr.Description), fmt.Sprint(sdkErr.AccessDeniedDetail))
	}
	return out
}

// canaryFields returns the text of every exported field of v, a struct or a pointer to one:
// strings and byte slices as they are, errors through canaryErrorTexts, structs, pointers and
// slices field by field.
func canaryFields(v reflect.Value, depth int) []string {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return nil
		}
		return canaryFields(v.Elem(), depth)
	case reflect.String:
		return []string{v.String()}
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return []string{string(v.Bytes())}
		}
		var out []string
		for i := 0; i < v.Len(); i++ {
			out = append(out, canaryFields(v.Index(i), depth)...)
		}
		return out
	case reflect.Interface:
		if v.IsNil() {
			return nil
		}
		if e, ok := v.Interface().(error); ok {
			return canaryErrorTexts(e, depth+1)
		}
		return canaryFields(v.Elem(), depth)
	case reflect.Struct:
		var out []string
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				out = append(out, canaryFields(v.Field(i), depth)...)
			}
		}
		return out
	}
	return nil
}
