package main

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/expressconnect-go/expressconnect"
	"github.com/expressconnect-go/expressconnect/expressconnecttest"
	"github.com/expressconnect-go/expressconnect/internal/localsign"
)

// logLine logs r in format and returns the line written.
func logLine(t *testing.T, format string, r expressconnecttest.Request) string {
	t.Helper()
	var buf bytes.Buffer
	logRequest(slog.New(newLogHandler(format, &buf)), r)
	line := buf.String()
	require.Equal(t, 1, strings.Count(line, "\n"), "one line: %q", line)
	return strings.TrimSuffix(line, "\n")
}

// TestRequestLogLine checks the request lines in both formats: one line each, with the
// documented fields, whatever the client put in the Action parameter.
func TestRequestLogLine(t *testing.T) {
	t.Parallel()
	params := url.Values{"AccessKeyId": {"LTAI5tLocalKey"}}
	cases := []struct {
		name string
		req  expressconnecttest.Request
		text string         // the text line after its time
		json map[string]any // fields of the JSON line besides time, level and msg
	}{
		{"created", expressconnecttest.Request{Action: "CreateVirtualPhysicalConnection", StatusCode: 200, ConnectionID: "pc-bp1x", Params: params},
			`request_id=R1 action=CreateVirtualPhysicalConnection method=POST status=200 code="" connection_id=pc-bp1x fault="" access_key_id=LTAI****lKey`,
			map[string]any{"action": "CreateVirtualPhysicalConnection", "status": 200.0, "code": "", "connection_id": "pc-bp1x", "fault": "", "access_key_id": "LTAI****lKey"}},
		{"refused", expressconnecttest.Request{Action: "UpdateVirtualPhysicalConnection", StatusCode: 400, Code: expressconnect.CodeIllegalParamVLANID},
			`request_id=R1 action=UpdateVirtualPhysicalConnection method=POST status=400 code=IllegalParam.VlanId connection_id="" fault="" access_key_id=""`,
			map[string]any{"action": "UpdateVirtualPhysicalConnection", "status": 400.0, "code": "IllegalParam.VlanId", "connection_id": "", "fault": "", "access_key_id": ""}},
		{"no action", expressconnecttest.Request{StatusCode: 400, Code: expressconnect.CodeMissingParameter},
			`request_id=R1 action="" method=POST status=400 code=MissingParameter connection_id="" fault="" access_key_id=""`,
			map[string]any{"action": "", "status": 400.0, "code": "MissingParameter", "connection_id": "", "fault": "", "access_key_id": ""}},
		{"forged line", expressconnecttest.Request{Action: "X\nlevel=INFO msg=request", StatusCode: 404, Code: expressconnect.CodeInvalidActionNotFound},
			`request_id=R1 action="X\nlevel=INFO msg=request" method=POST status=404 code=InvalidAction.NotFound connection_id="" fault="" access_key_id=""`,
			map[string]any{"action": "X\nlevel=INFO msg=request", "status": 404.0, "code": "InvalidAction.NotFound", "connection_id": "", "fault": "", "access_key_id": ""}},
		{"long action", expressconnecttest.Request{Action: strings.Repeat("A", 100), StatusCode: 404, Code: expressconnect.CodeInvalidActionNotFound},
			`request_id=R1 action=` + strings.Repeat("A", maxLogField) + ` method=POST status=404 code=InvalidAction.NotFound connection_id="" fault="" access_key_id=""`,
			map[string]any{"action": strings.Repeat("A", maxLogField), "status": 404.0, "code": "InvalidAction.NotFound", "connection_id": "", "fault": "", "access_key_id": ""}},
		{"fault", expressconnecttest.Request{Action: "DeletePhysicalConnection", Fault: expressconnecttest.FaultReset,
			Params: url.Values{"AccessKeyId": {"short"}}},
			`request_id=R1 action=DeletePhysicalConnection method=POST status=0 code="" connection_id="" fault=FaultReset access_key_id=****`,
			map[string]any{"action": "DeletePhysicalConnection", "status": 0.0, "code": "", "connection_id": "", "fault": "FaultReset", "access_key_id": "****"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.req.RequestID, tc.req.Method = "R1", http.MethodPost
			assert.Regexp(t, `^time=\S+ level=INFO msg=request `, logLine(t, "text", tc.req))
			assert.True(t, strings.HasSuffix(logLine(t, "text", tc.req), " msg=request "+tc.text), "%s", logLine(t, "text", tc.req))

			var got map[string]any
			require.NoError(t, json.Unmarshal([]byte(logLine(t, "json", tc.req)), &got))
			assert.NotEmpty(t, got["time"])
			for _, key := range []string{"time", "level", "msg", "request_id", "method"} {
				require.Contains(t, got, key)
			}
			assert.Equal(t, "INFO", got["level"])
			assert.Equal(t, "request", got["msg"])
			assert.Equal(t, "R1", got["request_id"])
			assert.Equal(t, "POST", got["method"])
			for _, key := range []string{"time", "level", "msg", "request_id", "method"} {
				delete(got, key)
			}
			assert.Equal(t, tc.json, got)
		})
	}
}

// TestAccessKeyIDOfBothSignatures checks that the log finds the AccessKeyId of an RPC request
// in its parameters and of a V3 request in its Authorization header, which the record keeps
// masked already (maskKeyID leaves a masked AccessKeyId as it is).
func TestAccessKeyIDOfBothSignatures(t *testing.T) {
	t.Parallel()
	v3 := http.Header{"Authorization": {"ACS3-HMAC-SHA256 Credential=LTAI****ion3"}}
	cases := []struct {
		name string
		req  expressconnecttest.Request
		want string
	}{
		{"RPC", expressconnecttest.Request{Params: url.Values{"AccessKeyId": {"LTAI5tRPC"}}, Header: v3}, "LTAI5tRPC"},
		{"V3", expressconnecttest.Request{Header: v3}, "LTAI****ion3"},
		{"V3 without a credential", expressconnecttest.Request{Header: http.Header{"Authorization": {"ACS3-HMAC-SHA256 Signature=x"}}}, ""},
		{"neither", expressconnecttest.Request{}, ""},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, accessKeyID(tc.req), tc.name)
	}
}

// TestMaskKeyID checks how the log shows an AccessKeyId.
func TestMaskKeyID(t *testing.T) {
	t.Parallel()
	cases := []struct{ id, want string }{
		{"", ""}, {"LTAI5t", "****"}, {"12345678", "****"}, {"123456789", "1234****6789"},
		{"LTAI5tLocal", "LTAI****ocal"}, {"LTAI****ocal", "LTAI****ocal"}, {strings.Repeat("x", maxLogField+1), "****"},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, maskKeyID(tc.id), tc.id)
	}
}

// nonce returns a fresh SignatureNonce.
func nonce(t *testing.T) string {
	t.Helper()
	var b [16]byte
	_, err := rand.Read(b[:])
	require.NoError(t, err)
	return hex.EncodeToString(b[:])
}

// TestLogsNeverShowSecrets runs the command in each format with fixed credentials, sends
// requests that carry every secret (AccessKey, STS token, signature of either version; a wrong
// signature whose answer repeats the string to sign) and admin requests, and checks that the log shows none
// of them while the banner does show the credentials.
func TestLogsNeverShowSecrets(t *testing.T) {
	t.Parallel()
	const (
		keyID, keySecret    = "LTAI5tLogCheck0001", "topsecret-account"
		stsID, stsSecret    = "STS.NULogCheck0001", "topsecret-sts"
		stsToken            = "CAIStopsecret+token/=="
		deniedID, deniedKey = "LTAI5tLogDenied01", "topsecret-denied"
	)
	for _, format := range []string{"text", "json"} {
		t.Run(format, func(t *testing.T) {
			t.Parallel()
			r := startRun(t, noEnv, "-log-format", format, "-access-key", keyID+":"+keySecret,
				"-denied-access-key", deniedID+":"+deniedKey, "-sts-access-key-id", stsID,
				"-sts-access-key-secret", stsSecret, "-sts-security-token", stsToken)
			assert.Contains(t, r.stdout.String(), keySecret, "the banner prints the credentials")
			assert.Contains(t, r.stdout.String(), stsToken, "the banner prints the credentials")

			var signatures []string
			send := func(id, secret, token, action string, wrongSignature bool) {
				params := url.Values{"Action": {action}, "Version": {"2016-04-28"}, "Format": {"JSON"},
					"AccessKeyId": {id}, "SignatureMethod": {"HMAC-SHA1"}, "SignatureVersion": {"1.0"},
					"SignatureNonce": {nonce(t)}, "Timestamp": {time.Now().UTC().Format("2006-01-02T15:04:05Z")},
					"RegionId": {"cn-hangzhou"}}
				if token != "" {
					params.Set("SecurityToken", token)
				}
				sig := localsign.Sign(http.MethodPost, params, secret)
				if wrongSignature {
					sig = localsign.Sign(http.MethodPost, params, "wrong")
				}
				signatures = append(signatures, sig)
				params.Set("Signature", sig)
				resp, err := http.Post(r.banner.url+"/?"+params.Encode(), "", nil)
				require.NoError(t, err)
				_, _ = io.Copy(io.Discard, resp.Body)
				require.NoError(t, resp.Body.Close())
			}
			sendV3 := func(id, secret, token string) {
				req, err := http.NewRequest(http.MethodPost, r.banner.url+"/?RegionId=cn-hangzhou", nil)
				require.NoError(t, err)
				req.Header.Set("x-acs-action", "ListVirtualPhysicalConnections")
				req.Header.Set("x-acs-version", "2016-04-28")
				req.Header.Set("x-acs-date", time.Now().UTC().Format("2006-01-02T15:04:05Z"))
				req.Header.Set("x-acs-signature-nonce", nonce(t))
				req.Header.Set("x-acs-content-sha256", localsign.HashedPayload(nil))
				req.Header.Set("x-acs-security-token", token)
				localsign.SignV3(req, nil, id, secret)
				_, sig, ok := strings.Cut(req.Header.Get("Authorization"), "Signature=")
				require.True(t, ok)
				signatures = append(signatures, sig)
				resp, err := http.DefaultClient.Do(req)
				require.NoError(t, err)
				_, _ = io.Copy(io.Discard, resp.Body)
				require.NoError(t, resp.Body.Close())
				require.Equal(t, http.StatusOK, resp.StatusCode)
			}
			sendV3(stsID, stsSecret, stsToken)
			send(keyID, keySecret, "", "ListVirtualPhysicalConnections", false)
			send(stsID, stsSecret, stsToken, "ListVirtualPhysicalConnections", false)
			send(stsID, stsSecret, stsToken, "ListVirtualPhysicalConnections", true)
			send(deniedID, deniedKey, "", "ListVirtualPhysicalConnections", false)
			adminCall(t, r.banner.url, http.MethodGet, "/_sandbox/requests", "")
			require.NoError(t, r.stop())

			log := r.stderr.String()
			assert.Equal(t, 5, strings.Count(log, "ListVirtualPhysicalConnections"), "a line per request: %s", log)
			assert.Contains(t, log, maskKeyID(stsID))
			for _, secret := range append([]string{keySecret, stsSecret, stsToken, url.QueryEscape(stsToken), deniedKey, keyID, stsID}, signatures...) {
				assert.NotContains(t, log, secret)
			}
			for _, line := range strings.Split(strings.TrimSpace(log), "\n") {
				if format == "json" {
					assert.True(t, json.Valid([]byte(line)), "a JSON line: %s", line)
				} else {
					assert.Regexp(t, `^time=\S+ level=\w+ msg=`, line)
				}
			}
		})
	}
}

// TestQuietLogsNothing checks that -quiet leaves standard error empty.
func TestQuietLogsNothing(t *testing.T) {
	t.Parallel()
	r := startRun(t, noEnv, "-quiet")
	createWith(t, r.banner)
	adminCall(t, r.banner.url, http.MethodGet, "/_sandbox/connections", "")
	require.NoError(t, r.stop())
	assert.Empty(t, r.stderr.String())
}
