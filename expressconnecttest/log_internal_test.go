package expressconnecttest

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/expressconnect-go/expressconnect"
)

// logLine logs r in format and returns the line written.
func logLine(t *testing.T, format string, r Request) string {
	t.Helper()
	var buf bytes.Buffer
	h := slog.Handler(slog.NewTextHandler(&buf, nil))
	if format == "json" {
		h = slog.NewJSONHandler(&buf, nil)
	}
	s := &Server{cfg: config{logger: slog.New(h)}}
	s.logRequest(r)
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
		req  Request
		text string         // the text line after its time
		json map[string]any // fields of the JSON line besides time, level and msg
	}{
		{"created", Request{Action: "CreateVirtualPhysicalConnection", StatusCode: 200, ConnectionID: "pc-bp1x", Params: params},
			`request_id=R1 action=CreateVirtualPhysicalConnection method=POST status=200 code="" connection_id=pc-bp1x fault="" access_key_id=LTAI****lKey`,
			map[string]any{"action": "CreateVirtualPhysicalConnection", "status": 200.0, "code": "", "connection_id": "pc-bp1x", "fault": "", "access_key_id": "LTAI****lKey"}},
		{"refused", Request{Action: "UpdateVirtualPhysicalConnection", StatusCode: 400, Code: expressconnect.CodeIllegalParamVLANID},
			`request_id=R1 action=UpdateVirtualPhysicalConnection method=POST status=400 code=IllegalParam.VlanId connection_id="" fault="" access_key_id=""`,
			map[string]any{"action": "UpdateVirtualPhysicalConnection", "status": 400.0, "code": "IllegalParam.VlanId", "connection_id": "", "fault": "", "access_key_id": ""}},
		{"no action", Request{StatusCode: 400, Code: expressconnect.CodeMissingParameter},
			`request_id=R1 action="" method=POST status=400 code=MissingParameter connection_id="" fault="" access_key_id=""`,
			map[string]any{"action": "", "status": 400.0, "code": "MissingParameter", "connection_id": "", "fault": "", "access_key_id": ""}},
		{"forged line", Request{Action: "X\nlevel=INFO msg=request", StatusCode: 404, Code: expressconnect.CodeInvalidActionNotFound},
			`request_id=R1 action="X\nlevel=INFO msg=request" method=POST status=404 code=InvalidAction.NotFound connection_id="" fault="" access_key_id=""`,
			map[string]any{"action": "X\nlevel=INFO msg=request", "status": 404.0, "code": "InvalidAction.NotFound", "connection_id": "", "fault": "", "access_key_id": ""}},
		{"long action", Request{Action: strings.Repeat("A", 100), StatusCode: 404, Code: expressconnect.CodeInvalidActionNotFound},
			`request_id=R1 action=` + strings.Repeat("A", maxLogField) + ` method=POST status=404 code=InvalidAction.NotFound connection_id="" fault="" access_key_id=""`,
			map[string]any{"action": strings.Repeat("A", maxLogField), "status": 404.0, "code": "InvalidAction.NotFound", "connection_id": "", "fault": "", "access_key_id": ""}},
		{"fault", Request{Action: "DeletePhysicalConnection", Fault: FaultReset,
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

// TestLoggedAccessKeyID checks how the log shows the AccessKeyId of a request: from the
// parameters of an RPC request, masked, and from the Authorization header of a V3 request,
// which the record keeps masked already.
func TestLoggedAccessKeyID(t *testing.T) {
	t.Parallel()
	v3 := http.Header{"Authorization": {"ACS3-HMAC-SHA256 Credential=LTAI****ion3"}}
	rpc := func(id string) Request { return Request{Params: url.Values{"AccessKeyId": {id}}, Header: v3} }
	cases := []struct {
		name string
		req  Request
		want string
	}{
		{"RPC", rpc("LTAI5tRPCKey"), "LTAI****CKey"},
		{"RPC, short", rpc("LTAI5t"), "****"},
		{"RPC, 8 characters", rpc("12345678"), "****"},
		{"RPC, 9 characters", rpc("123456789"), "1234****6789"},
		{"RPC, too long", rpc(strings.Repeat("x", maxLogField+1)), "****"},
		{"V3", Request{Header: v3}, "LTAI****ion3"},
		{"V3 without a credential", Request{Header: http.Header{"Authorization": {"ACS3-HMAC-SHA256 Signature=x"}}}, ""},
		{"neither", Request{}, ""},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, loggedAccessKeyID(tc.req), tc.name)
	}
}
