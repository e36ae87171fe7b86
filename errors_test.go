package expressconnect

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alibabacloud-go/tea/tea"
	"github.com/aliyun/credentials-go/credentials"
	"github.com/expressconnect-go/expressconnect/internal/keyid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Credentials of the error tests. The secret and the token hold characters that percent-encoding
// changes, so that every encoded form can be looked for too.
const (
	errsAccessKeyID = "LTAI5tErrsTestKeyId00"
	errsSecret      = "errsSECRET/with+chars=9f2c"
	errsToken       = "CAISerrsTOKEN/abc+def=ghi7Qx"
)

// errsEscape percent-encodes s the way the signer does.
func errsEscape(s string) string { return escape(s) }

// errsForms returns s, its percent-encoded forms (once and twice, RFC 3986 and form style),
// the forms a secret could take in a URL or a string-to-sign.
func errsForms(s string) []string {
	return []string{s, errsEscape(s), errsEscape(errsEscape(s)), url.QueryEscape(s), url.QueryEscape(url.QueryEscape(s))}
}

// errsStringToSign returns the string-to-sign of a request with method and query, as the
// service computes it: every parameter but Signature, canonicalized.
func errsStringToSign(method string, query url.Values) string {
	var ps []param
	for name, vs := range query {
		if name == "Signature" {
			continue
		}
		for _, v := range vs {
			ps = append(ps, param{name, v})
		}
	}
	return stringToSignFor(method, ps)
}

// errsSignatureMismatch answers with code and the service's signature message, ending in the
// server string-to-sign of the request.
func errsSignatureMismatch(code Code) fixtureStep {
	return func(w http.ResponseWriter, r *http.Request) {
		sts := errsStringToSign(r.Method, r.URL.Query())
		msg := "Specified signature is not matched with our calculation. server string to sign is:" + sts
		if code == CodeIncompleteSignature {
			msg = "The request signature does not conform to Aliyun standards. server string to sign is:" + sts
		}
		body := fmt.Sprintf(`{"RequestId":"SIG-REQ-1","HostId":"vpc.aliyuncs.com","Code":%q,"Message":%s,`+
			`"Recommend":"https://api.aliyun.com/troubleshoot?q=%s&product=Vpc"}`, code, codesJSONString(msg), code)
		fixtureJSON(http.StatusBadRequest, body, "")(w, r)
	}
}

func TestErrorsServerStringToSign(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		code    Code
		message string
	}{
		{name: "SignatureDoesNotMatch", code: CodeSignatureDoesNotMatch, message: "Specified signature is not matched with our calculation."},
		{name: "IncompleteSignature", code: CodeIncompleteSignature, message: "The request signature does not conform to Aliyun standards."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newFixtureServer(t, errsSignatureMismatch(tc.code))
			client := fixtureClient(t, srv.URL, WithMaxAttempts(1), WithSTSCredentials(errsAccessKeyID, errsSecret, errsToken))

			_, err := client.CreateVirtualPhysicalConnection(context.Background(), minimalRequest())
			require.Error(t, err)
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			seen := srv.requests()
			require.Len(t, seen, 1)
			sts := errsStringToSign(seen[0].method, seen[0].query)
			tokenInSTS := "SecurityToken%3D" + errsEscape(errsEscape(errsToken)) + "%26"
			require.Contains(t, sts, tokenInSTS, "the service's string-to-sign carries the token")

			assert.ErrorIs(t, err, tc.code)
			assert.ErrorIs(t, err, ErrSignature)
			assert.Equal(t, tc.message, apiErr.Message)
			masked := strings.Replace(sts, tokenInSTS, "SecurityToken%3D****%26", 1)
			masked = strings.Replace(masked, errsAccessKeyID, keyid.Mask(errsAccessKeyID), 1)
			assert.Equal(t, masked, apiErr.ServerStringToSign())
			assert.Equal(t, apiErr.ServerStringToSign(), apiErr.ClientStringToSign(), "the client signed what the service did")
			assert.Contains(t, apiErr.ServerStringToSign(), "AccessKeyId%3D"+keyid.Mask(errsAccessKeyID)+"%26")
			for _, s := range []string{err.Error(), apiErr.Error()} {
				assert.NotContains(t, s, "string to sign")
				assert.NotContains(t, s, "POST&")
				assert.NotContains(t, s, errsAccessKeyID)
				for _, form := range errsForms(errsToken) {
					assert.NotContains(t, s, form)
					assert.NotContains(t, apiErr.ServerStringToSign(), form)
				}
			}
			var sdkErr *tea.SDKError
			require.ErrorAs(t, err, &sdkErr)
			assert.Equal(t, "code: 400, "+tc.message+" request id: SIG-REQ-1", tea.StringValue(sdkErr.Message))
			assert.NotContains(t, sdkErr.Error(), "string to sign")
		})
	}
}

// errsFailure is one way a call can fail: setup returns the client's endpoint and, when a
// server saw the request, a function that returns the Signature it received.
type errsFailure struct {
	name     string
	setup    func(t *testing.T) (endpoint string, sentSignature func() string)
	opts     []Option
	req      func() *CreateVirtualPhysicalConnectionRequest
	timeout  time.Duration
	wantType func(err error) bool
}

// errsServe starts a fixtureServer playing step, and returns its URL and a function that
// returns the Signature of the last request it received.
func errsServe(t *testing.T, step fixtureStep) (string, func() string) {
	t.Helper()
	srv := newFixtureServer(t, step)
	return srv.URL, func() string {
		sigs := srv.param("Signature")
		if len(sigs) == 0 {
			return ""
		}
		return sigs[len(sigs)-1]
	}
}

// errsStatic answers with status, body and the request ID ERRS-REQ-1.
func errsStatic(status int, body string) fixtureStep {
	return fixtureBody(status, body, "x-acs-request-id", "ERRS-REQ-1")
}

// errsSignatureTransport records the Signature of each request the client sends, for the
// failures where no server sees it.
type errsSignatureTransport struct {
	mu   sync.Mutex
	sig  string
	base http.RoundTripper
}

func (s *errsSignatureTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	s.mu.Lock()
	s.sig = r.URL.Query().Get("Signature")
	s.mu.Unlock()
	return s.base.RoundTrip(r)
}

func (s *errsSignatureTransport) signature() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sig
}

// errsIsType returns a check that errors.As finds a *T in err.
func errsIsType[T error]() func(error) bool {
	return func(err error) bool {
		var target T
		return errors.As(err, &target)
	}
}

func errsFailures(refused *errsSignatureTransport) []errsFailure {
	return []errsFailure{
		{
			name: "APIError SignatureDoesNotMatch echoing the string-to-sign",
			setup: func(t *testing.T) (string, func() string) {
				return errsServe(t, errsSignatureMismatch(CodeSignatureDoesNotMatch))
			},
			wantType: errsIsType[*APIError](),
		},
		{
			name: "APIError Forbidden.RAM",
			setup: func(t *testing.T) (string, func() string) {
				c := codesCase{CodeForbiddenRAM, 403, "User not authorized to operate on the specified resource.", ErrPermission}
				return errsServe(t, errsStatic(403, string(codesErrorBody(c, "ERRS-REQ-1"))))
			},
			wantType: errsIsType[*APIError](),
		},
		{
			name: "APIError InternalError after retries",
			setup: func(t *testing.T) (string, func() string) {
				c := codesCase{CodeInternalError, 500, "The request processing has failed.", ErrServerSide}
				return errsServe(t, errsStatic(500, string(codesErrorBody(c, "ERRS-REQ-1"))))
			},
			opts:     []Option{WithMaxAttempts(3), WithBackoff(func(RetryClass, int, time.Duration) time.Duration { return time.Millisecond })},
			wantType: errsIsType[*APIError](),
		},
		{
			name: "ResponseError HTML 502",
			setup: func(t *testing.T) (string, func() string) {
				return errsServe(t, errsStatic(502, "<html><body><h1>502 Bad Gateway</h1></body></html>"))
			},
			wantType: errsIsType[*ResponseError](),
		},
		{
			name: "ResponseError truncated 200",
			setup: func(t *testing.T) (string, func() string) {
				return errsServe(t, errsStatic(200, `{"RequestId":"ERRS-REQ-1","VirtualPhysical`))
			},
			wantType: errsIsType[*ResponseError](),
		},
		{
			name: "TransportError server closed the connection",
			setup: func(t *testing.T) (string, func() string) {
				return errsServe(t, fixtureHijack("", false))
			},
			wantType: errsIsType[*TransportError](),
		},
		{
			name: "TransportError connection refused",
			setup: func(t *testing.T) (string, func() string) {
				return fixtureClosedURL(t), refused.signature
			},
			opts:     []Option{WithHTTPClient(&http.Client{Transport: refused})},
			wantType: errsIsType[*TransportError](),
		},
		{
			name: "TransportError context deadline while waiting for the answer",
			setup: func(t *testing.T) (string, func() string) {
				return errsServe(t, func(_ http.ResponseWriter, r *http.Request) {
					<-r.Context().Done()
				})
			},
			timeout:  200 * time.Millisecond,
			wantType: errsIsType[*TransportError](),
		},
		{
			name: "OperationError context ended during backoff",
			setup: func(t *testing.T) (string, func() string) {
				c := codesCase{CodeServiceUnavailable, 503, "The request has failed due to a temporary failure of the server.", ErrServerSide}
				return errsServe(t, errsStatic(503, string(codesErrorBody(c, "ERRS-REQ-1"))))
			},
			opts:     []Option{WithMaxAttempts(3), WithBackoff(func(RetryClass, int, time.Duration) time.Duration { return time.Minute })},
			timeout:  300 * time.Millisecond,
			wantType: errsIsType[*OperationError](),
		},
		{
			name: "ValidationError",
			setup: func(t *testing.T) (string, func() string) {
				return errsServe(t, errsStatic(500, "must not be called"))
			},
			req: func() *CreateVirtualPhysicalConnectionRequest {
				r := minimalRequest()
				r.VLANID = VLAN(5000)
				r.Spec = "7G"
				return r
			},
			wantType: errsIsType[*ValidationError](),
		},
	}
}

// errsChain returns err and every error it wraps, through Unwrap() error and Unwrap() []error.
func errsChain(err error) []error {
	var out []error
	queue := []error{err}
	for len(queue) > 0 {
		e := queue[0]
		queue = queue[1:]
		if e == nil {
			continue
		}
		out = append(out, e)
		switch u := e.(type) {
		case interface{ Unwrap() error }:
			queue = append(queue, u.Unwrap())
		case interface{ Unwrap() []error }:
			queue = append(queue, u.Unwrap()...)
		}
	}
	return out
}

// errsStrings returns every way err and the errors it wraps print.
func errsStrings(err error) []string {
	var out []string
	for _, e := range errsChain(err) {
		out = append(out, e.Error(), fmt.Sprintf("%v", e), fmt.Sprintf("%+v", e), fmt.Sprintf("%#v", e), fmt.Sprintf("%s", e), fmt.Sprintf("%q", e))
	}
	var sdkErr *tea.SDKError
	if errors.As(err, &sdkErr) {
		out = append(out, sdkErr.Error(), fmt.Sprintf("%+v", sdkErr), tea.StringValue(sdkErr.Data))
	}
	return out
}

func TestErrorsNeverShowSecrets(t *testing.T) {
	t.Parallel()
	refused := &errsSignatureTransport{base: http.DefaultTransport}
	for _, tc := range errsFailures(refused) {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			endpoint, sentSignature := tc.setup(t)
			opts := append([]Option{WithSTSCredentials(errsAccessKeyID, errsSecret, errsToken)}, tc.opts...)
			client := fixtureClient(t, endpoint, append([]Option{WithMaxAttempts(1)}, opts...)...)
			req := minimalRequest()
			if tc.req != nil {
				req = tc.req()
			}
			ctx := context.Background()
			if tc.timeout > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tc.timeout)
				defer cancel()
			}

			resp, err := client.CreateVirtualPhysicalConnection(ctx, req)
			require.Error(t, err)
			assert.Nil(t, resp)
			assert.True(t, tc.wantType(err), "unexpected error type %T: %v", err, err)

			forbidden := append(errsForms(errsSecret), errsForms(errsToken)...)
			if _, isValidation := err.(*ValidationError); !isValidation {
				sig := sentSignature()
				require.NotEmpty(t, sig, "the request was signed and sent")
				forbidden = append(forbidden, errsForms(sig)...)
			}
			for _, s := range errsStrings(err) {
				for _, secret := range forbidden {
					assert.NotContains(t, s, secret)
				}
			}
		})
	}
}

func TestErrorsTransportErrorKeepsCause(t *testing.T) {
	t.Parallel()
	endpoint := fixtureClosedURL(t)
	client := fixtureClient(t, endpoint, WithMaxAttempts(1))

	_, err := client.CreateVirtualPhysicalConnection(context.Background(), minimalRequest())
	require.Error(t, err)
	var tErr *TransportError
	require.ErrorAs(t, err, &tErr)
	assert.Equal(t, endpoint+"/", tErr.Endpoint)
	var opErr *net.OpError
	assert.ErrorAs(t, err, &opErr, "the network error stays reachable")
	var uErr *url.Error
	assert.False(t, errors.As(err, &uErr), "no *url.Error, whose text shows the signed query")
	assert.NotContains(t, err.Error(), "?")
	var op *OperationError
	require.ErrorAs(t, err, &op)
	assert.Len(t, op.Attempts, 1)
	assert.NotEmpty(t, op.Token)
	assert.Contains(t, err.Error(), op.Token)
}

func TestErrorsOperationErrorCarriesToken(t *testing.T) {
	t.Parallel()
	c := codesCase{CodeIllegalParamVLANID, 400, "The param of VlanId is illegal.", ErrInvalidParameter}
	srv := newFixtureServer(t, fixtureJSON(400, string(codesErrorBody(c, "OPS-REQ-1")), "OPS-REQ-1"))
	client := fixtureClient(t, srv.URL, WithMaxAttempts(1))
	req := minimalRequest()
	req.Token = "errs-token-0001"

	_, err := client.CreateVirtualPhysicalConnection(context.Background(), req)
	var op *OperationError
	require.ErrorAs(t, err, &op)
	assert.Equal(t, "errs-token-0001", op.Token)
	assert.Len(t, op.Attempts, 1)
	assert.Equal(t, actionCreate, op.Operation)
	assert.Equal(t,
		"expressconnect: CreateVirtualPhysicalConnection: HTTP 400 IllegalParam.VlanId: The param of VlanId is illegal. "+
			"(RequestId OPS-REQ-1) (Token errs-token-0001, 1 attempt)",
		err.Error())
}

func TestErrorsAPIErrorIsOneLine(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		body string
	}{
		{name: "line feeds", body: `{"RequestId":"R\n1","Code":"IllegalParam.Spec","Message":"line 1\nline 2"}`},
		{name: "carriage returns", body: `{"RequestId":"R1","Code":"IllegalParam.Spec","Message":"line 1\r\nline 2\rline 3"}`},
		{name: "unicode separators", body: `{"RequestId":"R1","Code":"IllegalParam.Spec","Message":"line 1\u2028line 2\u2029line 3\u0085"}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newFixtureServer(t, fixtureJSON(http.StatusBadRequest, tc.body, ""))
			client := fixtureClient(t, srv.URL, WithMaxAttempts(1))

			_, err := client.CreateVirtualPhysicalConnection(context.Background(), minimalRequest())
			require.Error(t, err)
			assert.ErrorIs(t, err, CodeIllegalParamSpec)
			for _, s := range []string{err.Error(), errors.Unwrap(err).Error()} {
				assert.NotContains(t, s, "\n")
				assert.NotContains(t, s, "\r")
				assert.NotContains(t, s, "\u2028")
				assert.NotContains(t, s, "\u2029")
				assert.NotContains(t, s, "\u0085")
				assert.Contains(t, s, "line 1")
			}
		})
	}
}

// TestErrorsAnswerEchoesSecrets serves answers that echo what the client sent (a truncated
// signature error with the string-to-sign, a proxy page with the signed URL) and checks that
// the body snapshot and the tea.SDKError data keep none of the attempt's secrets.
func TestErrorsAnswerEchoesSecrets(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		answer fixtureStep
	}{
		{"truncated signature error", func(w http.ResponseWriter, r *http.Request) {
			body := `{"Code":"SignatureDoesNotMatch","Message":"Specified signature is not matched with our calculation. server string to sign is:` +
				errsStringToSign(r.Method, r.URL.Query()) + `","RequestId":"R1"}`
			w.Header().Set("Content-Length", strconv.Itoa(len(body)+100))
			w.WriteHeader(http.StatusBadRequest)
			_, _ = io.WriteString(w, body)
		}},
		{"proxy page echoing the URL", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusForbidden)
			_, _ = io.WriteString(w, "<html><body>Blocked: "+r.URL.String()+"</body></html>")
		}},
		{"signature error with the string-to-sign", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusBadRequest)
			_, _ = io.WriteString(w, `{"Code":"SignatureDoesNotMatch","Message":"server string to sign is:`+errsStringToSign(r.Method, r.URL.Query())+`","RequestId":"R2","Echo":"`+r.URL.RawQuery+`"}`)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newFixtureServer(t, tc.answer)
			client := fixtureClient(t, srv.URL, WithMaxAttempts(1), WithSTSCredentials(errsAccessKeyID, errsSecret, errsToken))

			_, err := client.CreateVirtualPhysicalConnection(context.Background(), minimalRequest())
			require.Error(t, err)

			var kept []string
			var respErr *ResponseError
			if errors.As(err, &respErr) {
				kept = append(kept, string(respErr.Body), fmt.Sprintf("%#v", respErr), fmt.Sprintf("%+v", *respErr))
			}
			var apiErr *APIError
			if errors.As(err, &apiErr) {
				kept = append(kept, string(apiErr.body), fmt.Sprintf("%+v", *apiErr))
			}
			var sdkErr *tea.SDKError
			if errors.As(err, &sdkErr) {
				kept = append(kept, tea.StringValue(sdkErr.Data), tea.StringValue(sdkErr.Message))
			}
			require.NotEmpty(t, kept, "the answer was kept somewhere")
			sigs := srv.param("Signature")
			require.Len(t, sigs, 1)
			sig := sigs[0]
			require.NotEmpty(t, sig)
			secrets := append(append(errsForms(errsSecret), errsForms(errsToken)...), errsForms(sig)...)
			for _, text := range kept {
				for _, secret := range secrets {
					assert.NotContains(t, text, secret)
				}
			}
		})
	}
}

// TestRefusedCredentialsNamed checks that an error for refused credentials, or a refused
// signature, names where the credentials came from and their masked AccessKeyId, and that no
// other error does.
func TestRefusedCredentialsNamed(t *testing.T) {
	t.Parallel()
	stsCred, err := credentials.NewCredential(new(credentials.Config).SetType("sts").
		SetAccessKeyId("STS.NUexamplekey0042").SetAccessKeySecret("sts-secret").SetSecurityToken("sts-token"))
	require.NoError(t, err)
	tests := []struct {
		name   string
		code   string
		status int
		opt    Option
		want   string
	}{
		{"unknown key", "InvalidAccessKeyId.NotFound", http.StatusNotFound, WithAccessKey("LTAI5tRefusedKey0001", "s"),
			"(credentials from WithAccessKey, AccessKeyId LTAI****0001)"},
		{"expired STS token", "InvalidSecurityToken.Expired", http.StatusBadRequest, WithSTSCredentials("STS.NUexpired00007", "s", "t"),
			"(credentials from WithSTSCredentials, AccessKeyId STS.****0007)"},
		{"wrong secret", "SignatureDoesNotMatch", http.StatusBadRequest, WithCredential(stsCred),
			"(credentials from the credentials-go provider static_sts, AccessKeyId STS.****0042)"},
		{"not a credential error", "Forbidden.RAM", http.StatusForbidden, WithAccessKey("LTAI5tRefusedKey0001", "s"), ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newFixtureServer(t, fixtureAPI(tc.status, tc.code))
			_, err := fixtureClient(t, srv.URL, tc.opt).CreateVirtualPhysicalConnection(context.Background(), minimalRequest())
			require.Error(t, err)
			if tc.want == "" {
				assert.NotContains(t, err.Error(), "credentials from")
				return
			}
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}
