package expressconnect

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// This file fuzzes the redaction boundary (redact.go) with hostile answers: a status, a Location
// and an x-acs-request-id header, and a body, each built from the fuzz input with the canary
// secrets of the request spliced in, in the encodings hostileEncodings lists. A real client
// sends the request (signed under either signature) through an in-process transport that
// answers it, and no text the caller can reach may hold a secret in any of those encodings,
// nor, once decoded by hostileDecode, the secret itself in any letter case.

// hostileMarker starts a splice in a fuzz string: the byte after it picks a target (its two
// low bits: the AccessKeyId, the AccessKeySecret, the SecurityToken, the Signature) and an
// encoding of hostileEncodings (the bits above, modulo their number).
const hostileMarker = 0x00

// hostileEncodings are the encodings the fuzz splices the secrets in. They are written apart
// from the redactor, which must find each without a list.
var hostileEncodings = []func(string) string{
	func(s string) string { return s },
	strings.ToUpper,
	strings.ToLower,
	func(s string) string { return canaryPct(s, true) },
	func(s string) string { return canaryPct(s, false) },
	func(s string) string { return canaryPct(canaryPct(s, true), true) },
	func(s string) string { return canaryPct(canaryPct(s, false), false) },
	url.QueryEscape,
	url.PathEscape,
	func(s string) string { return url.QueryEscape(url.QueryEscape(s)) },
	func(s string) string { b, _ := json.Marshal(s); return string(b[1 : len(b)-1]) },
	canaryGson,
	func(s string) string { return strings.ReplaceAll(s, "/", `\/`) },
	func(s string) string { return canaryJSONAll(s, true) },
	func(s string) string { return canaryJSONAll(s, false) },
	hostileJSONSome,
	func(s string) string { return strings.ReplaceAll(canaryPct(s, true), "%", `\u0025`) },
	func(s string) string { return strings.ReplaceAll(canaryJSONAll(s, false), `\`, "%5C") },
	func(s string) string { return strings.ReplaceAll(canaryJSONAll(s, true), `\`, `\\`) },
	func(s string) string { return canaryJSONAll(canaryPct(s, false), true) },
	func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) },
	func(s string) string { return base64.RawStdEncoding.EncodeToString([]byte(s)) },
	func(s string) string { return base64.URLEncoding.EncodeToString([]byte(s)) },
	func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) },
	func(s string) string { return base64.StdEncoding.EncodeToString([]byte("x" + s + "yz")) },
	func(s string) string { return base64.StdEncoding.EncodeToString([]byte("xy" + s + "z")) },
	func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte("x" + s)) },
	func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte("xy" + s)) },
	func(s string) string { return url.QueryEscape(base64.StdEncoding.EncodeToString([]byte(s))) },
	func(s string) string { return canaryPct(strings.ToUpper(s), false) },
	func(s string) string { return strings.ReplaceAll(s, " ", "+") },
	func(s string) string {
		return strings.ReplaceAll(base64.StdEncoding.EncodeToString([]byte(s)), "/", `\u002F`)
	},
}

// hostileJSONSome writes every other byte of s as a JSON \u escape, in alternating hex case.
func hostileJSONSome(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch i % 4 {
		case 1:
			fmt.Fprintf(&b, `\u%04x`, s[i])
		case 3:
			fmt.Fprintf(&b, `\u%04X`, s[i])
		default:
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

// hostileSplice returns s with each marker and the byte after it replaced by the secret and
// encoding that byte picks. A marker at the end stays as it is.
func hostileSplice(s string, sent canarySent) string {
	if strings.IndexByte(s, hostileMarker) < 0 {
		return s
	}
	targets := [4]string{sent.keyID, canarySecret, sent.token, sent.signature}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != hostileMarker || i+1 == len(s) {
			b.WriteByte(s[i])
			continue
		}
		pick := s[i+1]
		b.WriteString(hostileEncodings[int(pick>>2)%len(hostileEncodings)](targets[pick&3]))
		i++
	}
	return b.String()
}

// hostileMark returns the marker that splices target (0 to 3) in encoding enc.
func hostileMark(target, enc int) string {
	return string([]byte{hostileMarker, byte(enc<<2 | target)})
}

// hostileTransport answers every request in-process with the fuzz answer, the secrets of the
// request spliced in, and records the signatures it saw.
type hostileTransport struct {
	status             int
	location, id, body string

	mu         sync.Mutex
	signatures []string
}

func (h *hostileTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	sent := canarySentBy(r)
	h.mu.Lock()
	h.signatures = append(h.signatures, sent.signature)
	h.mu.Unlock()
	header := http.Header{"Content-Type": {"application/json"}}
	if h.location != "" {
		header.Set("Location", hostileSplice(h.location, sent))
	}
	if h.id != "" {
		header.Set("x-acs-request-id", hostileSplice(h.id, sent))
	}
	body := hostileSplice(h.body, sent)
	return &http.Response{
		StatusCode: h.status, Status: http.StatusText(h.status), Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: header, Body: io.NopCloser(strings.NewReader(body)), ContentLength: int64(len(body)), Request: r,
	}, nil
}

// hostileSeeds are answers that reach every field the client keeps of one.
func hostileSeeds() []struct {
	status             int
	location, id, body string
} {
	type seed = struct {
		status             int
		location, id, body string
	}
	m := hostileMark
	return []seed{
		{400, "", "", `{"Code":"Tok=` + m(2, 0) + `","Message":"m","RequestId":"req-1"}`},
		{400, "", m(3, 1), `{"Code":"` + m(3, 0) + `","Message":"` + m(2, 15) + `","HostId":"` + m(1, 2) + `","Recommend":"` + m(0, 8) + `"}`},
		{403, "", "", `{"Code":"Forbidden.RAM","RequestId":"R","Message":{"d":"` + m(2, 16) + `"},"AccessDeniedDetail":{"AuthAction":"` +
			m(0, 12) + `","EncodedDiagnosticMessage":"` + m(2, 20) + `","Extra":"` + m(3, 24) + `"}}`},
		{400, "", "", `{"Code":"SignatureDoesNotMatch","RequestId":"R","Message":"bad. server string to sign is:POST&%2F&SecurityToken%3D` + m(2, 5) + `"}`},
		{302, "https://vpc.aliyuncs.com/" + m(2, 8) + "?q=" + m(3, 7) + "#" + m(0, 3), "", ""},
		{307, "http://[::1%zz/" + m(2, 0), "", ""},
		{301, "/" + m(1, 9), m(2, 29), ""},
		{502, "", m(2, 13), `<html><body>` + m(2, 11) + ` ` + m(3, 21) + ` ` + m(0, 26) + `</body></html>`},
		{503, "", "", `{"Code":"ServiceUnavailable","RequestId":"` + m(3, 2) + `","Message":"` + m(2, 18) + m(1, 19) + `"}`},
		{200, "", "", `{"RequestId":"` + m(3, 1) + `","VirtualPhysicalConnection":"pc-1"}`},
		{200, "", m(1, 23), `{"VirtualPhysicalConnection":"` + m(2, 22) + `"}`},
		{200, "", "", `{"RequestId":"R","VirtualPhysicalConnection":` + m(2, 30) + `}`},
		{101, "", m(2, 6), `{}`},
		{500, "", "", `\u00` + m(2, 4) + ` %2` + m(3, 3) + ` \` + m(1, 10) + ` ` + m(2, 31) + ` ` + m(2, 27) + ` ` + m(2, 28)},
	}
}

// FuzzHostileAnswer plays a hostile answer against a client with canary STS credentials, at
// most two attempts, a debug JSON logger and an observer, under the RPC signature or the V3
// one, and checks that no text the caller can reach holds a secret.
func FuzzHostileAnswer(f *testing.F) {
	for _, s := range hostileSeeds() {
		for _, v3 := range []bool{false, true} {
			f.Add(v3, s.status, s.location, s.id, []byte(s.body))
		}
	}
	f.Fuzz(func(t *testing.T, v3 bool, rawStatus int, location, id string, body []byte) {
		hostileRun(t, v3, rawStatus, location, id, body)
	})
}

// hostileRun plays one hostile answer and checks what the caller can reach of it.
func hostileRun(t testing.TB, v3 bool, rawStatus int, location, id string, body []byte) {
	status := 100 + int(uint(rawStatus)%500)
	alg := SignatureHMACSHA1
	if v3 {
		alg = SignatureACS3HMACSHA256
	}
	rt := &hostileTransport{status: status, location: location, id: id, body: string(body)}
	var logs bytes.Buffer
	var mu sync.Mutex
	var observed []string
	observe := func(v ...any) {
		mu.Lock()
		defer mu.Unlock()
		for _, x := range v {
			observed = append(observed, canaryFormats(x)...)
		}
	}
	c, err := NewClient(WithRegion("cn-hangzhou"), WithEndpoint("https://vpc.aliyuncs.com"),
		WithSTSCredentials(canaryKeyID, canarySecret, canaryToken), WithSignatureAlgorithm(alg),
		WithHTTPClient(&http.Client{Transport: rt}), WithMaxAttempts(2), WithBackoff(fixtureNoWait),
		WithObserver(LogObserver(slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})))),
		WithObserver(observerFuncs{
			Attempt: func(_ context.Context, _ CallInfo, a Attempt) { observe(a, a.Err) },
			Call:    func(_ context.Context, _ CallInfo, r CallResult) { observe(r, r.Err) },
		}))
	require.NoError(t, err)

	resp, err := c.CreateVirtualPhysicalConnection(context.Background(), minimalRequest())

	require.True(t, (resp == nil) != (err == nil), "exactly one of response and error")
	texts := append(canaryErrorTexts(err, 0), strings.Split(logs.String(), "\n")...)
	texts = append(texts, observed...)
	if resp != nil {
		texts = append(texts, canaryFormats(resp.ResponseMetadata)...)
	}
	rt.mu.Lock()
	secrets := append([]string{canaryKeyID, canarySecret, canaryToken}, rt.signatures...)
	rt.mu.Unlock()
	hostileAssertClean(t, texts, secrets)
}

// hostileAssertClean fails t when a text, as it is or decoded by hostileDecode, holds a secret
// in any letter case or one of its base64 forms. Percent-encoding and JSON escapes, which the
// fuzz splices too, are what hostileDecode undoes. The texts are searched joined, each once,
// so that a fuzz run stays fast.
func hostileAssertClean(t testing.TB, texts, secrets []string) {
	t.Helper()
	seen := make(map[string]bool, len(texts))
	unique := texts[:0:0]
	for _, text := range texts {
		if !seen[text] {
			seen[text] = true
			unique = append(unique, text)
		}
	}
	decoded := hostileDecode(strings.Join(unique, "\n\x00\n"))
	folded := make([]string, len(decoded))
	for i, d := range decoded {
		folded[i] = hostileFold(d)
	}
	for _, s := range secrets {
		for i, d := range folded {
			if at := strings.Index(d, hostileFold(s)); at >= 0 {
				t.Fatalf("%q is in a text decoded %d times:\n%s", s, i, hostileAround(d, at))
			}
		}
		for _, f := range hostileBase64Forms(s) {
			for i, d := range decoded {
				if at := strings.Index(d, f); at >= 0 {
					t.Fatalf("%q, a base64 form of %q, is in a text decoded %d times:\n%s", f, s, i, hostileAround(d, at))
				}
			}
		}
	}
}

// hostileBase64Forms returns the base64 encodings of s, alone and with and without padding,
// and canaryBase64Core's part of it at each offset of a larger encoded text, in the standard
// and URL alphabets.
func hostileBase64Forms(s string) []string {
	var forms []string
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		forms = append(forms, enc.EncodeToString([]byte(s)))
	}
	for offset := range 3 {
		forms = append(forms, canaryBase64Core(s, offset, base64.RawStdEncoding), canaryBase64Core(s, offset, base64.RawURLEncoding))
	}
	return forms
}

// hostileAround returns the text around text[i], up to the separators of the joined texts.
func hostileAround(text string, i int) string {
	start := strings.LastIndex(text[:i], "\x00") + 1
	end := len(text)
	if j := strings.IndexByte(text[i:], 0); j >= 0 {
		end = i + j
	}
	return text[start:end]
}

// hostileFold returns s in lower case with "+" for " ", as form-encoding and a change of letter
// case see them.
func hostileFold(s string) string {
	return strings.ReplaceAll(strings.ToLower(s), " ", "+")
}

// hostileDecode returns text and what three passes of hostileDecodeOnce make of it.
func hostileDecode(text string) []string {
	out := []string{text}
	for range 3 {
		next := hostileDecodeOnce(out[len(out)-1])
		if next == out[len(out)-1] {
			break
		}
		out = append(out, next)
	}
	return out
}

// hostileDecodeOnce decodes, in one pass from left to right, every percent-encoded byte, JSON
// \u escape and JSON escape of one character in text, and keeps every other byte.
func hostileDecodeOnce(text string) string {
	hex := func(s string) (int, bool) {
		v := 0
		for i := 0; i < len(s); i++ {
			c := s[i]
			switch {
			case '0' <= c && c <= '9':
				v = v<<4 | int(c-'0')
			case 'a' <= c && c <= 'f':
				v = v<<4 | int(c-'a'+10)
			case 'A' <= c && c <= 'F':
				v = v<<4 | int(c-'A'+10)
			default:
				return 0, false
			}
		}
		return v, true
	}
	var b strings.Builder
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case c == '%' && i+2 < len(text):
			if v, ok := hex(text[i+1 : i+3]); ok {
				b.WriteByte(byte(v))
				i += 2
				continue
			}
		case c == '\\' && i+5 < len(text) && (text[i+1] == 'u' || text[i+1] == 'U'):
			if v, ok := hex(text[i+2 : i+6]); ok {
				b.WriteString(string(rune(v)))
				i += 5
				continue
			}
		case c == '\\' && i+1 < len(text):
			if r, ok := map[byte]byte{'"': '"', '\\': '\\', '/': '/', 'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t'}[text[i+1]]; ok {
				b.WriteByte(r)
				i++
				continue
			}
		}
		b.WriteByte(c)
	}
	return b.String()
}
