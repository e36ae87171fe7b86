package expressconnect

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/alibabacloud-go/tea/tea"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// This file checks what the redaction boundary keeps of an answer by its shape (the Code, the
// RequestId, the HostId, a redirect's Location) and that free text is scrubbed of the secrets
// in the encodings a careless server echoes them in, under both signatures.

// shapeAlgorithms are the signatures every test of this file runs under.
var shapeAlgorithms = []SignatureAlgorithm{SignatureHMACSHA1, SignatureACS3HMACSHA256}

// shapeOutcome is what a call made by shapeCall left where the caller can read it.
type shapeOutcome struct {
	resp *CreateVirtualPhysicalConnectionResponse
	err  error
	// attempts are the attempts the observer saw.
	attempts []Attempt
	// logs is the debug JSON log of the call.
	logs string
	// texts are every text the caller can reach: the error's, the log's and the observer's.
	texts []string
	// secrets are the canary secrets, with every signature sent and the AccessKeyId.
	secrets []string
}

// shapeCall makes one call with canary STS credentials signed with alg, at most one attempt,
// to a server playing step, with a debug JSON logger and an observer installed.
func shapeCall(t *testing.T, alg SignatureAlgorithm, step fixtureStep) shapeOutcome {
	t.Helper()
	srv := newFixtureServer(t, step)
	base := defaultTransport()
	t.Cleanup(base.CloseIdleConnections)
	rec := &canaryRecorder{next: base}
	var logs bytes.Buffer
	var mu sync.Mutex
	var out shapeOutcome
	observe := func(v ...any) {
		mu.Lock()
		defer mu.Unlock()
		for _, x := range v {
			out.texts = append(out.texts, canaryFormats(x)...)
		}
	}
	c := fixtureClient(t, srv.URL,
		WithSTSCredentials(canaryKeyID, canarySecret, canaryToken), WithSignatureAlgorithm(alg),
		WithHTTPClient(&http.Client{Transport: rec}), WithMaxAttempts(1),
		WithObserver(LogObserver(slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})))),
		WithObserver(observerFuncs{
			Attempt: func(_ context.Context, _ CallInfo, a Attempt) {
				mu.Lock()
				out.attempts = append(out.attempts, a)
				mu.Unlock()
				observe(a, a.Err)
			},
			Call: func(_ context.Context, _ CallInfo, r CallResult) { observe(r, r.Err) },
		}),
	)

	out.resp, out.err = c.CreateVirtualPhysicalConnection(context.Background(), minimalRequest())

	signatures, _ := rec.sent()
	require.Len(t, signatures, 1, "requests sent")
	require.NotEmpty(t, signatures[0])
	out.logs = logs.String()
	out.secrets = append([]string{canaryKeyID, canarySecret, canaryToken}, signatures...)
	out.texts = append(out.texts, canaryErrorTexts(out.err, 0)...)
	out.texts = append(out.texts, strings.Split(out.logs, "\n")...)
	if out.resp != nil {
		out.texts = append(out.texts, canaryFormats(out.resp.ResponseMetadata)...)
	}
	return out
}

// shapeAnswer answers status with the JSON body that body builds from what the request
// carries of its credentials.
func shapeAnswer(status int, body func(sent canarySent) map[string]any) fixtureStep {
	return func(w http.ResponseWriter, r *http.Request) {
		canaryJSON(w, status, body(canarySentBy(r)))
	}
}

// shapeRaw answers status with the body text that body builds from what the request carries of
// its credentials, and the header pairs.
func shapeRaw(status int, body func(sent canarySent) string, headers ...string) fixtureStep {
	return func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i+1 < len(headers); i += 2 {
			w.Header().Set(headers[i], headers[i+1])
		}
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body(canarySentBy(r)))
	}
}

// TestRedactShapeCode checks that a Code that is not of the service's shape, or that holds a
// secret, is replaced by "InvalidCode" in every channel: the error's text and fields, the
// attempt records, the debug log, the observer and the *tea.SDKError.
func TestRedactShapeCode(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		code func(sent canarySent) string
	}{
		{name: "the SecurityToken after Tok=", code: func(sent canarySent) string { return "Tok=" + sent.token }},
		{name: "the SecurityToken alone", code: func(sent canarySent) string { return sent.token }},
		{name: "the signature alone", code: func(sent canarySent) string { return sent.signature }},
		{name: "the AccessKeySecret in base64url after a code", code: func(canarySent) string {
			return "Invalid." + base64.RawURLEncoding.EncodeToString([]byte(canarySecret))
		}},
		{name: "a code with a line break", code: func(canarySent) string { return "Bad\nCode" }},
		{name: "a code of 65 characters", code: func(canarySent) string { return strings.Repeat("A", 65) }},
	}
	for _, alg := range shapeAlgorithms {
		for _, tc := range tests {
			t.Run(string(alg)+"/"+tc.name, func(t *testing.T) {
				t.Parallel()
				step := shapeAnswer(http.StatusBadRequest, func(sent canarySent) map[string]any {
					return map[string]any{"Code": tc.code(sent), "Message": "refused", "RequestId": "req-code-1"}
				})

				out := shapeCall(t, alg, step)

				require.Error(t, out.err)
				var apiErr *APIError
				require.ErrorAs(t, out.err, &apiErr)
				assert.Equal(t, invalidCode, apiErr.Code)
				assert.ErrorIs(t, out.err, Code("InvalidCode"))
				assert.Contains(t, out.err.Error(), "HTTP 400 InvalidCode: refused (RequestId req-code-1)")
				require.Len(t, out.attempts, 1)
				assert.Equal(t, invalidCode, out.attempts[0].Code)
				var opErr *OperationError
				require.ErrorAs(t, out.err, &opErr)
				require.Len(t, opErr.Attempts, 1)
				assert.Equal(t, invalidCode, opErr.Attempts[0].Code)
				assert.Contains(t, out.logs, `"code":"InvalidCode"`)
				var sdkErr *tea.SDKError
				require.ErrorAs(t, out.err, &sdkErr)
				assert.Equal(t, "InvalidCode", tea.StringValue(sdkErr.Code))
				canaryAssertClean(t, out.texts, out.secrets)
			})
		}
	}
}

// TestRedactShapeKeepsWellFormed checks that a Code, RequestId and HostId of the service's
// shape, which hold no secret, are kept unchanged in every channel, and a success's RequestId
// in the response.
func TestRedactShapeKeepsWellFormed(t *testing.T) {
	t.Parallel()
	const requestID = "CD14EA74-E9C3-59A9-942A-DFEC7E12818D"
	for _, alg := range shapeAlgorithms {
		t.Run(string(alg)+"/error", func(t *testing.T) {
			t.Parallel()
			body := `{"Code":"VLAN_ID_HAS_BEEN_USED_IN_PHYSICAL_CONNECTION","Message":"The VLAN is used.","RequestId":"` +
				requestID + `","HostId":"vpc.cn-hangzhou.aliyuncs.com"}`

			out := shapeCall(t, alg, fixtureJSON(http.StatusBadRequest, body, requestID))

			var apiErr *APIError
			require.ErrorAs(t, out.err, &apiErr)
			assert.Equal(t, CodeVLANIDHasBeenUsedInPhysicalConnection, apiErr.Code)
			assert.Equal(t, requestID, apiErr.RequestID)
			assert.Equal(t, "vpc.cn-hangzhou.aliyuncs.com", apiErr.HostID)
			assert.Equal(t, "The VLAN is used.", apiErr.Message)
			assert.ErrorIs(t, out.err, ErrVLANConflict)
			require.Len(t, out.attempts, 1)
			assert.Equal(t, CodeVLANIDHasBeenUsedInPhysicalConnection, out.attempts[0].Code)
			assert.Equal(t, requestID, out.attempts[0].RequestID)
			var opErr *OperationError
			require.ErrorAs(t, out.err, &opErr)
			assert.Equal(t, []string{requestID}, opErr.RequestIDs())
			assert.Contains(t, out.logs, `"code":"VLAN_ID_HAS_BEEN_USED_IN_PHYSICAL_CONNECTION"`)
			assert.Contains(t, out.logs, `"request_id":"`+requestID+`"`)
			var sdkErr *tea.SDKError
			require.ErrorAs(t, out.err, &sdkErr)
			assert.Equal(t, string(CodeVLANIDHasBeenUsedInPhysicalConnection), tea.StringValue(sdkErr.Code))
			assert.Contains(t, tea.StringValue(sdkErr.Message), "request id: "+requestID)
		})
		t.Run(string(alg)+"/success", func(t *testing.T) {
			t.Parallel()
			out := shapeCall(t, alg, fixtureOK)

			require.NoError(t, out.err)
			assert.Equal(t, fixtureOKRequestID, out.resp.RequestID)
			require.Len(t, out.attempts, 1)
			assert.Equal(t, fixtureOKRequestID, out.attempts[0].RequestID)
		})
		t.Run(string(alg)+"/redirect", func(t *testing.T) {
			t.Parallel()
			out := shapeCall(t, alg, canaryRedirect(func(*http.Request) string {
				return "https://vpc.cn-beijing.aliyuncs.com:8443/path/to?x=1#y"
			}))

			assert.ErrorIs(t, out.err, ErrRedirectRefused)
			assert.Contains(t, out.err.Error(), `redirect not followed to "https://vpc.cn-beijing.aliyuncs.com:8443"`)
		})
	}
}

// TestRedactShapeRequestID checks that a RequestId that is not of the service's shape, or that
// holds a secret in any case, is replaced by "****", in an error and in a success.
func TestRedactShapeRequestID(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		status  int
		body    func(requestID string) string
		id      func(sent canarySent) string
		success bool
	}{
		{name: "error with a RequestId with a line break", status: http.StatusBadRequest,
			id: func(canarySent) string { return "req\n1" }},
		{name: "error with a RequestId of 65 characters", status: http.StatusBadRequest,
			id: func(canarySent) string { return strings.Repeat("a", 65) }},
		{name: "error with the signature in upper case as its RequestId", status: http.StatusBadRequest,
			id: func(sent canarySent) string { return strings.ToUpper(sent.signature) }},
		{name: "success with the signature in upper case as its RequestId", status: http.StatusOK, success: true,
			id: func(sent canarySent) string { return strings.ToUpper(sent.signature) }},
		{name: "success with the signature in lower case as its RequestId", status: http.StatusOK, success: true,
			id: func(sent canarySent) string { return strings.ToLower(sent.signature) }},
	}
	for _, alg := range shapeAlgorithms {
		for _, tc := range tests {
			t.Run(string(alg)+"/"+tc.name, func(t *testing.T) {
				t.Parallel()
				step := shapeAnswer(tc.status, func(sent canarySent) map[string]any {
					m := map[string]any{"RequestId": tc.id(sent), "VirtualPhysicalConnection": "pc-bp1shape"}
					if !tc.success {
						m["Code"], m["Message"] = "InvalidParameter", "refused"
					}
					return m
				})

				out := shapeCall(t, alg, step)

				require.Len(t, out.attempts, 1)
				assert.Equal(t, redacted, out.attempts[0].RequestID)
				if tc.success {
					require.NoError(t, out.err)
					assert.Equal(t, redacted, out.resp.RequestID)
				} else {
					var apiErr *APIError
					require.ErrorAs(t, out.err, &apiErr)
					assert.Equal(t, redacted, apiErr.RequestID)
					assert.ErrorIs(t, out.err, CodeInvalidParameter)
				}
				canaryAssertClean(t, out.texts, out.secrets)
			})
		}
	}
}

// TestRedactShapeLocation checks that a redirect's error keeps the Location's scheme and host
// only, and nothing when they are not of a URL's shape or hold a secret.
func TestRedactShapeLocation(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		location func(sent canarySent) string
		want     string
	}{
		{name: "the SecurityToken in the path as url.PathEscape writes it", want: `"https://vpc.aliyuncs.com"`,
			location: func(sent canarySent) string { return "https://vpc.aliyuncs.com/" + url.PathEscape(sent.token) + "/x" }},
		{name: "the signature in the path as url.PathEscape writes it", want: `"https://vpc.aliyuncs.com"`,
			location: func(sent canarySent) string { return "https://vpc.aliyuncs.com/" + url.PathEscape(sent.signature) }},
		{name: "the SecurityToken in the user info", want: `"https://vpc.aliyuncs.com"`,
			location: func(sent canarySent) string { return "https://" + url.QueryEscape(sent.token) + "@vpc.aliyuncs.com/" }},
		{name: "a relative Location", want: `"****"`,
			location: func(sent canarySent) string { return "/" + url.PathEscape(sent.token) }},
		{name: "the AccessKeySecret in base64url as a host name", want: `"****"`,
			location: func(canarySent) string {
				return "https://" + base64.RawURLEncoding.EncodeToString([]byte(canarySecret)) + ".example.com/"
			}},
		{name: "a scheme other than http or https", want: `"****"`,
			location: func(sent canarySent) string { return "ftp://vpc.aliyuncs.com/" + url.PathEscape(sent.token) }},
	}
	for _, alg := range shapeAlgorithms {
		for _, tc := range tests {
			t.Run(string(alg)+"/"+tc.name, func(t *testing.T) {
				t.Parallel()
				step := func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Location", tc.location(canarySentBy(r)))
					w.WriteHeader(http.StatusFound)
				}

				out := shapeCall(t, alg, step)

				assert.ErrorIs(t, out.err, ErrRedirectRefused)
				assert.Contains(t, out.err.Error(), "redirect not followed to "+tc.want)
				canaryAssertClean(t, out.texts, out.secrets)
			})
		}
	}
}

// shapeJSONEscapeSome writes every byte of s that is in which as a JSON \u escape with hex
// digits in the given case, and the others as they are.
func shapeJSONEscapeSome(s, which string, upper bool) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(which, s[i]) < 0 {
			b.WriteByte(s[i])
			continue
		}
		hex := "0123456789abcdef"
		if upper {
			hex = "0123456789ABCDEF"
		}
		b.WriteString(`\u00`)
		b.WriteByte(hex[s[i]>>4])
		b.WriteByte(hex[s[i]&0x0F])
	}
	return b.String()
}

// TestRedactShapeMessageObject checks that a Message sent as a JSON object, whose text the
// client keeps as JSON, loses a secret written with some of its characters as \u escapes.
func TestRedactShapeMessageObject(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		which  string
		upper  bool
		secret func(sent canarySent) string
	}{
		{name: "the SecurityToken with its '/' escaped", which: "/", secret: func(sent canarySent) string { return sent.token }},
		{name: "the SecurityToken with its '=' escaped in upper-case hex", which: "=", upper: true,
			secret: func(sent canarySent) string { return sent.token }},
		{name: "the SecurityToken with its letters a to c escaped", which: "abc", secret: func(sent canarySent) string { return sent.token }},
		{name: "the signature with its first letters escaped", which: "0123456789abcdef", upper: true,
			secret: func(sent canarySent) string { return sent.signature }},
		{name: "the AccessKeyId with its '+' escaped", which: "+", secret: func(sent canarySent) string { return sent.keyID }},
	}
	for _, alg := range shapeAlgorithms {
		for _, tc := range tests {
			t.Run(string(alg)+"/"+tc.name, func(t *testing.T) {
				t.Parallel()
				step := shapeRaw(http.StatusBadRequest, func(sent canarySent) string {
					echo := shapeJSONEscapeSome(tc.secret(sent), tc.which, tc.upper)
					return `{"Code":"InvalidParameter","RequestId":"req-obj-1","Message":{"detail":"echo ` + echo + ` end"}}`
				}, "Content-Type", "application/json")

				out := shapeCall(t, alg, step)

				var apiErr *APIError
				require.ErrorAs(t, out.err, &apiErr)
				assert.Contains(t, apiErr.Message, `{"detail":"echo `)
				assert.ErrorIs(t, out.err, CodeInvalidParameter)
				canaryAssertClean(t, out.texts, out.secrets)
			})
		}
	}
}

// TestRedactShapeGsonBody checks that a body the client keeps as a ResponseError's snapshot
// loses a secret that a Gson-style encoder wrote with "=" as \u003d.
func TestRedactShapeGsonBody(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		contentType string
		status      int
	}{
		{name: "JSON without a Code", contentType: "application/json", status: http.StatusBadRequest},
		{name: "HTML page of a proxy", contentType: "text/html", status: http.StatusBadGateway},
	}
	for _, alg := range shapeAlgorithms {
		for _, tc := range tests {
			t.Run(string(alg)+"/"+tc.name, func(t *testing.T) {
				t.Parallel()
				step := shapeRaw(tc.status, func(sent canarySent) string {
					return `{"error":"token ` + canaryGson(sent.token) + ` key ` + canaryGson(sent.keyID) +
						` signature ` + canaryGson(sent.signature) + `"}`
				}, "Content-Type", tc.contentType)

				out := shapeCall(t, alg, step)

				var respErr *ResponseError
				require.ErrorAs(t, out.err, &respErr)
				assert.Contains(t, string(respErr.Body), `{"error":"token `)
				assert.ErrorIs(t, out.err, ErrMalformedResponse)
				canaryAssertClean(t, out.texts, out.secrets)
			})
		}
	}
}

// TestRedactShapeEchoes checks that free text loses the secrets echoed in base64 and in another
// letter case, in the Message of an error and in a body snapshot.
func TestRedactShapeEchoes(t *testing.T) {
	t.Parallel()
	inLarger := func(offset int, enc *base64.Encoding) func(string) string {
		return func(s string) string {
			return enc.EncodeToString([]byte(strings.Repeat("p", offset) + s + "suffix"))
		}
	}
	tests := []struct {
		name   string
		encode func(s string) string
	}{
		{name: "base64 with padding", encode: func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }},
		{name: "base64 without padding", encode: func(s string) string { return base64.RawStdEncoding.EncodeToString([]byte(s)) }},
		{name: "base64url with padding", encode: func(s string) string { return base64.URLEncoding.EncodeToString([]byte(s)) }},
		{name: "base64url without padding", encode: func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }},
		{name: "base64 at offset 0 of a larger text", encode: inLarger(0, base64.StdEncoding)},
		{name: "base64 at offset 1 of a larger text", encode: inLarger(1, base64.StdEncoding)},
		{name: "base64 at offset 2 of a larger text", encode: inLarger(2, base64.StdEncoding)},
		{name: "base64url at offset 1 of a larger text", encode: inLarger(1, base64.RawURLEncoding)},
		{name: "base64 percent-encoded", encode: func(s string) string {
			return url.QueryEscape(base64.StdEncoding.EncodeToString([]byte(s)))
		}},
		{name: "upper case", encode: strings.ToUpper},
		{name: "lower case", encode: strings.ToLower},
		{name: "upper case, percent-encoded with lower-case hex", encode: func(s string) string { return canaryPct(strings.ToUpper(s), false) }},
	}
	for _, alg := range shapeAlgorithms {
		for _, tc := range tests {
			echo := func(sent canarySent) string {
				return "token " + tc.encode(sent.token) + " secret " + tc.encode(canarySecret) +
					" key " + tc.encode(sent.keyID) + " signature " + tc.encode(sent.signature)
			}
			t.Run(string(alg)+"/"+tc.name+" in a Message", func(t *testing.T) {
				t.Parallel()
				step := shapeAnswer(http.StatusBadRequest, func(sent canarySent) map[string]any {
					return map[string]any{"Code": "InvalidParameter", "RequestId": "req-echo-1", "Message": echo(sent), "Recommend": echo(sent)}
				})

				out := shapeCall(t, alg, step)

				assert.ErrorIs(t, out.err, CodeInvalidParameter)
				canaryAssertClean(t, out.texts, out.secrets)
			})
			t.Run(string(alg)+"/"+tc.name+" in a body snapshot", func(t *testing.T) {
				t.Parallel()
				step := shapeRaw(http.StatusBadGateway, func(sent canarySent) string { return "<p>" + echo(sent) + "</p>" })

				out := shapeCall(t, alg, step)

				assert.ErrorIs(t, out.err, ErrMalformedResponse)
				canaryAssertClean(t, out.texts, out.secrets)
			})
		}
	}
}

// TestRedactShapeTeaData checks that the *tea.SDKError's Data keeps the Code, RequestId and
// HostId the APIError kept, not the body's.
func TestRedactShapeTeaData(t *testing.T) {
	t.Parallel()
	step := shapeAnswer(http.StatusBadRequest, func(sent canarySent) map[string]any {
		return map[string]any{"Code": "Tok=" + sent.token, "RequestId": "req 1", "HostId": "host/" + sent.token, "Message": "refused"}
	})

	out := shapeCall(t, SignatureHMACSHA1, step)

	var sdkErr *tea.SDKError
	require.ErrorAs(t, out.err, &sdkErr)
	var data map[string]any
	require.NoError(t, json.Unmarshal([]byte(tea.StringValue(sdkErr.Data)), &data))
	assert.Equal(t, "InvalidCode", data["Code"])
	assert.Equal(t, redacted, data["RequestId"])
	assert.Equal(t, redacted, data["HostId"])
	canaryAssertClean(t, out.texts, out.secrets)
}

// TestRedactShapeErrorsIs checks that errors.Is and errors.As still reach through a redacted
// answer: the Code and its family, the sentinel of a ResponseError.
func TestRedactShapeErrorsIs(t *testing.T) {
	t.Parallel()
	step := shapeAnswer(http.StatusServiceUnavailable, func(sent canarySent) map[string]any {
		return map[string]any{"Code": "ServiceUnavailable", "RequestId": "req-5xx", "Message": "busy " + sent.token}
	})

	out := shapeCall(t, SignatureACS3HMACSHA256, step)

	assert.ErrorIs(t, out.err, CodeServiceUnavailable)
	assert.ErrorIs(t, out.err, ErrServerSide)
	assert.True(t, errors.Is(out.err, &APIError{Code: CodeServiceUnavailable}))
	canaryAssertClean(t, out.texts, out.secrets)
}
