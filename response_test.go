package expressconnect

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/expressconnect-go/expressconnect/internal/rules"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// respHTML502 is the kind of page a proxy answers with.
const respHTML502 = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n" +
	"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>Tengine</center>\r\n</body>\r\n</html>\r\n"

// respPadded returns a valid JSON body of more than n bytes.
func respPadded(prefix string, n int) []byte {
	var b bytes.Buffer
	b.WriteString(prefix)
	b.WriteString(`,"Padding":"`)
	b.Write(bytes.Repeat([]byte("x"), n))
	b.WriteString(`"}`)
	return b.Bytes()
}

// respBad is an answer the client must not take for a success nor for an APIError.
type respBad struct {
	name        string
	status      int
	contentType string
	body        []byte
	// headerID is the x-acs-request-id header ("" for none); wantID the RequestID expected.
	headerID string
	wantID   string
	want     error
}

func respBadAnswers() []respBad {
	success := `{"RequestId":"BODY-REQ-1","VirtualPhysicalConnection":"pc-bp1big"`
	failure := `{"RequestId":"BODY-REQ-1","HostId":"vpc.aliyuncs.com","Code":"IllegalParam.Spec","Message":"The param of Spec is illegal."`
	return []respBad{
		{name: "HTML 502 from a proxy", status: 502, contentType: "text/html", body: []byte(respHTML502),
			headerID: "HDR-REQ-1", wantID: "HDR-REQ-1", want: ErrMalformedResponse},
		{name: "HTML 502 without request ID", status: 502, contentType: "text/html", body: []byte(respHTML502),
			want: ErrMalformedResponse},
		{name: "empty 503", status: 503, headerID: "HDR-REQ-2", wantID: "HDR-REQ-2", want: ErrMalformedResponse},
		{name: "truncated JSON 200", status: 200, body: []byte(`{"RequestId":"BODY-REQ-1","VirtualPhysicalConn`),
			headerID: "HDR-REQ-3", wantID: "HDR-REQ-3", want: ErrMalformedResponse},
		{name: "truncated JSON 400", status: 400, body: []byte(`{"RequestId":"BODY-REQ-1","Code":"IllegalPa`),
			headerID: "HDR-REQ-4", wantID: "HDR-REQ-4", want: ErrMalformedResponse},
		{name: "JSON 400 without Code", status: 400, body: []byte(`{"RequestId":"BODY-REQ-1","Message":"no code"}`),
			headerID: "HDR-REQ-5", wantID: "HDR-REQ-5", want: ErrMalformedResponse},
		{name: "JSON array 500", status: 500, body: []byte(`["InternalError"]`),
			headerID: "HDR-REQ-6", wantID: "HDR-REQ-6", want: ErrMalformedResponse},
		{name: "success body over 1 MiB", status: 200, body: respPadded(success, maxSuccessBody),
			headerID: "HDR-REQ-7", wantID: "HDR-REQ-7", want: ErrResponseTooLarge},
		{name: "error body over 64 KiB", status: 400, body: respPadded(failure, maxErrorBody),
			headerID: "HDR-REQ-8", wantID: "HDR-REQ-8", want: ErrResponseTooLarge},
		{name: "VirtualPhysicalConnection is a number", status: 200,
			body:     []byte(`{"RequestId":"BODY-REQ-1","VirtualPhysicalConnection":12345}`),
			headerID: "HDR-REQ-9", wantID: "HDR-REQ-9", want: ErrMalformedResponse},
		{name: "VirtualPhysicalConnection is an object", status: 200,
			body:     []byte(`{"RequestId":"BODY-REQ-1","VirtualPhysicalConnection":{"Id":"pc-x"}}`),
			headerID: "HDR-REQ-10", wantID: "HDR-REQ-10", want: ErrMalformedResponse},
		{name: "VirtualPhysicalConnection missing", status: 200, body: []byte(`{"RequestId":"BODY-REQ-1"}`),
			headerID: "HDR-REQ-11", wantID: "HDR-REQ-11", want: ErrMalformedResponse},
		{name: "VirtualPhysicalConnection missing, request ID only in the body", status: 200,
			body: []byte(`{"RequestId":"BODY-REQ-1"}`), wantID: "BODY-REQ-1", want: ErrMalformedResponse},
		{name: "VirtualPhysicalConnection empty", status: 200, body: []byte(`{"RequestId":"BODY-REQ-1","VirtualPhysicalConnection":""}`),
			headerID: "HDR-REQ-12", wantID: "HDR-REQ-12", want: ErrMalformedResponse},
		{name: "VirtualPhysicalConnection null", status: 200, body: []byte(`{"RequestId":"BODY-REQ-1","VirtualPhysicalConnection":null}`),
			headerID: "HDR-REQ-13", wantID: "HDR-REQ-13", want: ErrMalformedResponse},
		{name: "200 with HTML", status: 200, contentType: "text/html", body: []byte("<html>maintenance</html>"),
			want: ErrMalformedResponse},
	}
}

func TestResponseBadAnswers(t *testing.T) {
	t.Parallel()
	for _, tc := range respBadAnswers() {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newFixtureServer(t, fixtureBody(tc.status, string(tc.body), "Content-Type", tc.contentType, "x-acs-request-id", tc.headerID))
			client := fixtureClient(t, srv.URL, WithMaxAttempts(1))

			resp, err := client.CreateVirtualPhysicalConnection(context.Background(), minimalRequest())
			require.Error(t, err)
			assert.Nil(t, resp)
			respCheckError(t, err, tc.status, tc.wantID, tc.body, tc.want)
		})
	}
}

// respCheckError checks that err holds a complete *ResponseError for an answer with status and
// body.
func respCheckError(t *testing.T, err error, status int, wantID string, body []byte, want error) {
	t.Helper()
	var re *ResponseError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, status, re.StatusCode)
	assert.Equal(t, wantID, re.RequestID)
	assert.LessOrEqual(t, len(re.Body), 1024)
	assert.Equal(t, body[:min(len(body), 1024)], re.Body, "the snapshot is the start of the body")
	if len(body) == 0 {
		assert.Empty(t, re.Body)
	}
	assert.ErrorIs(t, err, want)
	for _, other := range []error{ErrMalformedResponse, ErrResponseTooLarge} {
		if other != want {
			assert.NotErrorIs(t, err, other)
		}
	}
	assert.Equal(t, status >= 500, errors.Is(err, ErrServerSide))
	var apiErr *APIError
	assert.False(t, errors.As(err, &apiErr), "not an APIError")
	assert.NotContains(t, err.Error(), "\n")
	assert.Less(t, len(err.Error()), 512)
	assert.NotContains(t, err.Error(), "Padding", "the body is not in the message")
}

// respSized returns a JSON body of exactly n bytes: prefix, then a padding field.
func respSized(prefix string, n int) []byte {
	body := respPadded(prefix, 0)
	return respPadded(prefix, n-len(body))
}

// TestResponseLimitsAsDocumented pins the limits docs/security.md states in numbers, written
// out here rather than taken from the constants: a 2xx body of 1 MiB and any other body of
// 64 KiB are read, one byte more is refused with ErrResponseTooLarge.
func TestResponseLimitsAsDocumented(t *testing.T) {
	t.Parallel()
	const (
		success = `{"RequestId":"LIMIT-REQ-1","VirtualPhysicalConnection":"pc-bp1limit"`
		failure = `{"RequestId":"LIMIT-REQ-1","Code":"IllegalParam.Spec","Message":"m"`
	)
	tests := []struct {
		name   string
		status int
		body   []byte
		want   error
	}{
		{name: "2xx body of 1 MiB", status: 200, body: respSized(success, 1<<20)},
		{name: "2xx body of 1 MiB and a byte", status: 200, body: respSized(success, 1<<20+1), want: ErrResponseTooLarge},
		{name: "error body of 64 KiB", status: 400, body: respSized(failure, 64<<10), want: CodeIllegalParamSpec},
		{name: "error body of 64 KiB and a byte", status: 400, body: respSized(failure, 64<<10+1), want: ErrResponseTooLarge},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := decodeCreate(respSyntheticResponse(tc.status, tc.body, ""), false)
			if tc.want == nil {
				assert.NoError(t, err)
				return
			}
			assert.ErrorIs(t, err, tc.want)
		})
	}
}

// TestResponseRequestIDTooLong checks that an error keeps no RequestId longer than a RequestId
// may be (64 bytes, docs/security.md's number) and says "****" instead, whether the RequestId
// came in the x-acs-request-id header or in the body.
func TestResponseRequestIDTooLong(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("R", 300)
	tests := []struct {
		name string
		step fixtureStep
	}{
		{name: "header of an HTML page", step: fixtureBody(http.StatusBadGateway, respHTML502, "x-acs-request-id", long)},
		{name: "header of an error without RequestId", step: fixtureJSON(http.StatusBadRequest, `{"Code":"IllegalParam.Spec"}`, long)},
		{name: "body of an error", step: fixtureJSON(http.StatusBadRequest, `{"Code":"IllegalParam.Spec","RequestId":"`+long+`"}`, "")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := fixtureClient(t, newFixtureServer(t, tc.step).URL, WithMaxAttempts(1))

			_, err := c.CreateVirtualPhysicalConnection(context.Background(), minimalRequest())

			var opErr *OperationError
			require.ErrorAs(t, err, &opErr)
			require.Len(t, opErr.Attempts, 1)
			assert.Equal(t, redacted, opErr.Attempts[0].RequestID)
			var apiErr *APIError
			var respErr *ResponseError
			switch {
			case errors.As(err, &apiErr):
				assert.Equal(t, redacted, apiErr.RequestID)
			case errors.As(err, &respErr):
				assert.Equal(t, redacted, respErr.RequestID)
			default:
				require.Failf(t, "unexpected error type", "%T: %v", err, err)
			}
			assert.NotContains(t, err.Error(), long[:maxRequestIDLen])
		})
	}
}

// respEndless writes an endless error body until the client hangs up, and counts what it wrote.
type respEndless struct {
	written atomic.Int64
}

func (e *respEndless) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("x-acs-request-id", "ENDLESS-1")
	w.WriteHeader(http.StatusBadRequest)
	chunk := bytes.Repeat([]byte(" "), 32<<10)
	if _, err := w.Write([]byte(`{"Code":"IllegalParam.Spec","Message":"`)); err != nil {
		return
	}
	for r.Context().Err() == nil {
		n, err := w.Write(chunk)
		e.written.Add(int64(n))
		if err != nil {
			return
		}
	}
}

func TestResponseEndlessBodyIsNotRead(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		status int
		limit  int
	}{
		{name: "error answer", status: http.StatusBadRequest, limit: maxErrorBody},
		{name: "success answer", status: http.StatusOK, limit: maxSuccessBody},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var endless respEndless
			srv := newFixtureServer(t, func(w http.ResponseWriter, r *http.Request) {
				if tc.status == http.StatusOK {
					respEndlessSuccess(w, r, &endless)
					return
				}
				endless.ServeHTTP(w, r)
			})
			client := fixtureClient(t, srv.URL, WithMaxAttempts(1))
			// The deadline only keeps a broken client from hanging the suite; the call must end
			// on the size limit long before.
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()

			_, err := client.CreateVirtualPhysicalConnection(ctx, minimalRequest())
			require.Error(t, err)
			assert.NotErrorIs(t, err, context.DeadlineExceeded)
			assert.ErrorIs(t, err, ErrResponseTooLarge)
			var re *ResponseError
			require.ErrorAs(t, err, &re)
			assert.Equal(t, tc.status, re.StatusCode)
			assert.Equal(t, "ENDLESS-1", re.RequestID)
			assert.LessOrEqual(t, len(re.Body), 1024)
			// What the server could write is what the client read plus the socket buffers, a
			// few MiB at most on loopback; far from endless.
			assert.Less(t, endless.written.Load(), int64(tc.limit+64<<20))
		})
	}
}

// respEndlessSuccess writes an endless 200 body.
func respEndlessSuccess(w http.ResponseWriter, r *http.Request, e *respEndless) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("x-acs-request-id", "ENDLESS-1")
	w.WriteHeader(http.StatusOK)
	chunk := bytes.Repeat([]byte(" "), 32<<10)
	for r.Context().Err() == nil {
		n, err := w.Write(chunk)
		e.written.Add(int64(n))
		if err != nil {
			return
		}
	}
}

func TestResponseSuccess(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		body     string
		headerID string
		wantID   string
	}{
		{name: "documented answer", body: `{"RequestId":"BODY-REQ-1","VirtualPhysicalConnection":"pc-bp1newvpconn"}`,
			headerID: "BODY-REQ-1", wantID: "BODY-REQ-1"},
		{name: "unknown fields are ignored", body: `{"RequestId":"BODY-REQ-1","VirtualPhysicalConnection":"pc-bp1newvpconn","Extra":[1,{"a":null}]}`,
			wantID: "BODY-REQ-1"},
		{name: "request ID only in the header", body: `{"VirtualPhysicalConnection":"pc-bp1newvpconn"}`,
			headerID: "HDR-REQ-1", wantID: "HDR-REQ-1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newFixtureServer(t, fixtureJSON(http.StatusOK, tc.body, tc.headerID))
			client := fixtureClient(t, srv.URL, WithMaxAttempts(1))
			req := minimalRequest()
			req.Token = "resp-token-1"

			resp, err := client.CreateVirtualPhysicalConnection(context.Background(), req)
			require.NoError(t, err)
			require.Len(t, resp.Attempts, 1)
			resp.Attempts = nil
			assert.Equal(t, &CreateVirtualPhysicalConnectionResponse{
				ResponseMetadata: ResponseMetadata{RequestID: tc.wantID, Token: "resp-token-1"}, VirtualPhysicalConnectionID: "pc-bp1newvpconn",
			}, resp)
		})
	}
}

func TestResponseDryRunPassed(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		status   int
		body     string
		headerID string
		wantID   string
	}{
		{name: "HTTP 200", status: 200, body: `{"RequestId":"DRY-REQ-1"}`, wantID: "DRY-REQ-1"},
		{name: "HTTP 200 request ID in the header", status: 200, body: `{}`, headerID: "DRY-HDR-1", wantID: "DRY-HDR-1"},
		{name: "400 DryRunOperation", status: 400,
			body:   `{"RequestId":"DRY-REQ-2","HostId":"vpc.aliyuncs.com","Code":"DryRunOperation","Message":"Request validation has been passed with DryRun flag set.","Recommend":"https://api.aliyun.com/troubleshoot?q=DryRunOperation&product=Vpc"}`,
			wantID: "DRY-REQ-2"},
		{name: "400 DRYRUN.SUCCESS", status: 400,
			body:   `{"RequestId":"DRY-REQ-3","HostId":"vpc.aliyuncs.com","Code":"DRYRUN.SUCCESS","Message":"This request is a dryrun request with successful result.","Recommend":"https://api.aliyun.com/troubleshoot?q=DRYRUN.SUCCESS&product=Vpc"}`,
			wantID: "DRY-REQ-3"},
		{name: "400 DRYRUN.SUCCESS request ID in the header", status: 400,
			body:     `{"HostId":"vpc.aliyuncs.com","Code":"DRYRUN.SUCCESS","Message":"This request is a dryrun request with successful result."}`,
			headerID: "DRY-HDR-2", wantID: "DRY-HDR-2"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newFixtureServer(t, fixtureJSON(tc.status, tc.body, tc.headerID))
			client := fixtureClient(t, srv.URL, WithMaxAttempts(1))
			req := minimalRequest()
			req.DryRun = true
			req.Token = "dry-token-1"

			resp, err := client.CreateVirtualPhysicalConnection(context.Background(), req)
			require.NoError(t, err)
			assert.Equal(t, []string{"true"}, srv.param("DryRun"))
			require.Len(t, resp.Attempts, 1)
			resp.Attempts = nil
			assert.Equal(t, &CreateVirtualPhysicalConnectionResponse{ResponseMetadata: ResponseMetadata{RequestID: tc.wantID, Token: "dry-token-1", DryRun: true}}, resp)
		})
	}
}

func TestResponseDryRunFailed(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		dryRun bool
		status int
		body   string
		code   Code
		family Family
	}{
		{name: "dry run refused with IllegalParam.Spec", dryRun: true, status: 400,
			body: `{"RequestId":"DRY-REQ-4","HostId":"vpc.aliyuncs.com","Code":"IllegalParam.Spec","Message":"The param of Spec is illegal."}`,
			code: CodeIllegalParamSpec, family: ErrInvalidParameter},
		{name: "dry run refused with VLAN in use", dryRun: true, status: 400,
			body: `{"RequestId":"DRY-REQ-5","HostId":"vpc.aliyuncs.com","Code":"VLAN_ID_HAS_BEEN_USED_IN_PHYSICAL_CONNECTION","Message":"vlan id has been used in physical connection"}`,
			code: CodeVLANIDHasBeenUsedInPhysicalConnection, family: ErrVLANConflict},
		{name: "DryRunOperation without DryRun set", dryRun: false, status: 400,
			body: `{"RequestId":"DRY-REQ-6","HostId":"vpc.aliyuncs.com","Code":"DryRunOperation","Message":"Request validation has been passed with DryRun flag set."}`,
			code: "DryRunOperation"},
		{name: "DRYRUN.SUCCESS without DryRun set", dryRun: false, status: 400,
			body: `{"RequestId":"DRY-REQ-7","HostId":"vpc.aliyuncs.com","Code":"DRYRUN.SUCCESS","Message":"This request is a dryrun request with successful result."}`,
			code: "DRYRUN.SUCCESS"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newFixtureServer(t, fixtureJSON(tc.status, tc.body, ""))
			client := fixtureClient(t, srv.URL, WithMaxAttempts(1))
			req := minimalRequest()
			req.DryRun = tc.dryRun

			resp, err := client.CreateVirtualPhysicalConnection(context.Background(), req)
			require.Error(t, err)
			assert.Nil(t, resp)
			if tc.dryRun {
				assert.Equal(t, []string{"true"}, srv.param("DryRun"))
			} else {
				assert.Equal(t, []string{""}, srv.param("DryRun"))
			}
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, Code(string(tc.code)), apiErr.Code)
			assert.Equal(t, tc.status, apiErr.StatusCode)
			assert.ErrorIs(t, err, tc.code)
			if tc.family != "" {
				assert.ErrorIs(t, err, tc.family)
			}
		})
	}
}

// respSyntheticResponse builds the *http.Response decodeResponse gets for status, body and an
// optional x-acs-request-id.
func respSyntheticResponse(status int, body []byte, requestID string) *http.Response {
	h := http.Header{}
	if requestID != "" {
		h.Set("x-acs-request-id", requestID)
	}
	return &http.Response{StatusCode: status, Header: h, Body: io.NopCloser(bytes.NewReader(body))}
}

// respHeaderValue drops from s the bytes an HTTP header value cannot hold (controls but tab),
// as the transport would refuse them.
func respHeaderValue(s string) string {
	return strings.Map(func(r rune) rune {
		if (r < 0x20 && r != '\t') || r == 0x7f {
			return -1
		}
		return r
	}, s)
}

// respFuzzStatus maps any int onto an HTTP status from 100 to 999.
func respFuzzStatus(n int) int {
	if n < 0 {
		n = -(n + 1)
	}
	return 100 + n%900
}

// respFuzzSeeds are the decoder inputs of every case above.
func respFuzzSeeds() []struct {
	status int
	body   string
	dryRun bool
	big    bool
} {
	type seed = struct {
		status int
		body   string
		dryRun bool
		big    bool
	}
	seeds := []seed{
		{200, `{"RequestId":"R","VirtualPhysicalConnection":"pc-bp1x"}`, false, false},
		{200, `{"RequestId":"R","VirtualPhysicalConnection":"pc-bp1x"`, false, true},
		{400, `{"RequestId":"R","Code":"IllegalParam.Spec","Message":"m"`, false, true},
		{200, `{"RequestId":"R"}`, true, false},
		{400, `{"RequestId":"R","Code":"DryRunOperation","Message":"passed"}`, true, false},
		{400, `{"RequestId":"R","Code":"DRYRUN.SUCCESS","Message":"passed"}`, true, false},
		{400, `{"RequestId":"R","Code":"DryRunOperation","Message":"passed"}`, false, false},
		{400, `{"RequestId":"R","Code":"IllegalParam.Spec","Message":"The param of Spec is illegal."}`, true, false},
		{403, `{"RequestId":"R","Code":"Forbidden.RAM","Message":"m","AccessDeniedDetail":` + codesAccessDeniedDetail + `}`, false, false},
		{403, `{"RequestId":"R","Code":"Forbidden.RAM","Message":"m","AccessDeniedDetail":"not an object"}`, false, false},
		{400, `{"RequestId":"R","Code":"SignatureDoesNotMatch","Message":"x server string to sign is:POST&%2F&SecurityToken%3Dtok%26A%3D1"}`, false, false},
		{400, `{"Code":"SignatureDoesNotMatch","Message":"server string to sign is:SecurityToken=`, false, false},
		{302, ``, false, false},
		{502, respHTML502, false, false},
		{503, ``, false, false},
		{200, `{"RequestId":"R","VirtualPhysicalConn`, false, false},
		{400, `{"RequestId":"R","Code":"IllegalPa`, false, false},
		{200, `{"RequestId":"R","VirtualPhysicalConnection":12345}`, false, false},
		{200, `{"RequestId":"R","VirtualPhysicalConnection":12345}`, true, false},
		{200, `{"RequestId":"R"}`, false, false},
		{200, `{"RequestId":"R","VirtualPhysicalConnection":""}`, false, false},
		{400, `{"RequestId":"R","Message":"no code"}`, false, false},
		{400, `{"Code":123}`, false, false},
		{500, `["InternalError"]`, false, false},
		{500, `null`, false, false},
		{400, `{"Code":"X","Message":"\ud800\udfff\xff"}`, false, false},
		{400, `{"RequestId":"R\n1","Code":"X\r\nY","Message":"line 1\nline 2\u2028line 3"}`, false, false},
		{101, `{}`, false, false},
		{204, ``, true, false},
	}
	return seeds
}

// FuzzDecodeResponse feeds the decoder any status and body. status is mapped onto 100..999;
// big pads the body with spaces past the size limit of its status.
func FuzzDecodeResponse(f *testing.F) {
	for _, s := range respFuzzSeeds() {
		f.Add(s.status, []byte(s.body), "FUZZ-REQ-1", s.dryRun, s.big)
	}
	f.Fuzz(func(t *testing.T, rawStatus int, body []byte, requestID string, dryRun, big bool) {
		status := respFuzzStatus(rawStatus)
		if big {
			limit := maxErrorBody
			if status >= 200 && status < 300 {
				limit = maxSuccessBody
			}
			body = append(body, bytes.Repeat([]byte(" "), limit+1)...)
		}
		requestID = respHeaderValue(requestID)
		resp, err := decodeCreate(respSyntheticResponse(status, body, requestID), dryRun)
		require.True(t, (resp == nil) != (err == nil), "exactly one of response and error")
		if err != nil {
			// What the caller gets: the error as it leaves the attempt, through the redaction
			// boundary, which cuts the body snapshot and the header.
			x := newRedactor(credentialValues{}, "")
			err = x.error(err, 0)
			respFuzzCheckError(t, err, status, len(body))
			return
		}
		respFuzzCheckResponse(t, resp, status, body, dryRun)
	})
}

// respFuzzCheckError checks the bounds and types of a decoder error, as it leaves the attempt.
// Its text is bounded by the body it was decoded from, which the size limit of the status
// bounds, plus the x-acs-request-id header, which the redaction boundary keeps only when it
// has a RequestId's shape, of at most maxRequestIDLen bytes.
func respFuzzCheckError(t *testing.T, err error, status, bodyLen int) {
	t.Helper()
	msg := err.Error()
	var apiErr *APIError
	var re *ResponseError
	switch {
	case errors.As(err, &apiErr):
		require.NotEmpty(t, apiErr.Code)
		require.Equal(t, status, apiErr.StatusCode)
		// A 2xx is an APIError only when its body carries an error code.
		require.False(t, status >= 200 && status < 300 && isSuccessCode(apiErr.Code), "an APIError for a 2xx with code %q", apiErr.Code)
		limit := maxErrorBody
		if status >= 200 && status < 300 {
			limit = maxSuccessBody
		}
		// A decoded message is at most 3 bytes per body byte (an invalid byte becomes U+FFFD).
		require.LessOrEqual(t, len(msg), 3*min(bodyLen, limit)+256+maxRequestIDLen)
		require.LessOrEqual(t, len(apiErr.RequestID), maxRequestIDLen)
		for _, marker := range serverStringToSignMarkers {
			require.Negative(t, rules.IndexFold(msg, marker), "the message keeps no server string-to-sign")
		}
		require.NotPanics(t, func() { _ = apiErr.sdkError().Error() })
	case errors.As(err, &re):
		require.Equal(t, status, re.StatusCode)
		require.LessOrEqual(t, len(re.Body), bodySnapshotSize)
		require.LessOrEqual(t, len(re.RequestID), maxRequestIDLen)
		require.LessOrEqual(t, len(msg), 512+maxRequestIDLen, "message: %q", msg)
		require.True(t, errors.Is(err, ErrMalformedResponse) || errors.Is(err, ErrResponseTooLarge) ||
			errors.Is(err, ErrRedirectRefused), "cause: %v", err)
		require.Equal(t, status >= 500, errors.Is(err, ErrServerSide))
	default:
		require.Failf(t, "unexpected error type", "%T: %v", err, err)
	}
	require.NotContains(t, msg, "\n")
	require.NotPanics(t, func() { _ = fmt.Sprintf("%+v %#v", err, err) })
}

// respFuzzCheckResponse checks a decoded success, or a passed dry run. The ID is the one a 2xx
// body carries, kept for a dry run too (see VirtualPhysicalConnectionID), and required for a
// call that is not a dry run; a dry run passed with an error status (DryRunOperation) has none.
func respFuzzCheckResponse(t *testing.T, resp *CreateVirtualPhysicalConnectionResponse, status int, body []byte, dryRun bool) {
	t.Helper()
	require.Equal(t, dryRun, resp.DryRun, "a dry-run result only for a dry run")
	success := status >= 200 && status < 300
	if !dryRun {
		require.True(t, success, "a success for status %d", status)
		require.NotEmpty(t, resp.VirtualPhysicalConnectionID)
	}
	want := ""
	if success {
		var b struct{ VirtualPhysicalConnection string }
		require.NoError(t, json.Unmarshal(body, &b), "a success body is JSON with a text ID")
		want = b.VirtualPhysicalConnection
	}
	require.Equal(t, want, resp.VirtualPhysicalConnectionID, "the ID the body carries")
}

// TestDecodeLooseErrorFields checks that an error answer with a text field of another JSON type
// still yields its Code, with the field kept as JSON text.
func TestDecodeLooseErrorFields(t *testing.T) {
	t.Parallel()
	resp := &http.Response{StatusCode: 400, Header: http.Header{}}
	body := []byte(`{"Code":"Throttling.User","Message":"slow down","RequestId":42,"Recommend":{"url":"x"},"HostId":null}`)

	_, err := decodeCreate(respWith(resp, body), false)

	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, Code("Throttling.User"), apiErr.Code)
	assert.Equal(t, "42", apiErr.RequestID)
	assert.Equal(t, `{"url":"x"}`, apiErr.Recommend)
	assert.Empty(t, apiErr.HostID)
	assert.ErrorIs(t, err, ErrThrottled)
}

// TestDecodeDryRunKeepsID checks that a dry run answered with an ID keeps it.
func TestDecodeDryRunKeepsID(t *testing.T) {
	t.Parallel()
	resp := &http.Response{StatusCode: 200, Header: http.Header{}}
	got, err := decodeCreate(respWith(resp, []byte(`{"RequestId":"R","VirtualPhysicalConnection":"pc-unexpected"}`)), true)
	require.NoError(t, err)
	assert.True(t, got.DryRun)
	assert.Equal(t, "pc-unexpected", got.VirtualPhysicalConnectionID)
}

// respWith gives resp the body b.
func respWith(resp *http.Response, b []byte) *http.Response {
	resp.Body = io.NopCloser(bytes.NewReader(b))
	return resp
}

// TestSplitServerStringToSign checks the two wordings in which the service repeats its
// string-to-sign, in any case, and a message without one.
func TestSplitServerStringToSign(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, message, rest, sts string }{
		{"RPC", "Specified signature is not matched with our calculation. server string to sign is:POST&%2F&A%3D1",
			"Specified signature is not matched with our calculation.", "POST&%2F&A%3D1"},
		{"RPC in another casing", "Bad. Server String To Sign Is: GET&%2F&", "Bad.", "GET&%2F&"},
		{"V3", "Specified signature does not match our calculation. server StringToSign is [ACS3-HMAC-SHA256\n0a1b]",
			"Specified signature does not match our calculation.", "ACS3-HMAC-SHA256\n0a1b"},
		{"none", "Specified signature is not matched.", "Specified signature is not matched.", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rest, sts := splitServerStringToSign(tc.message)
			assert.Equal(t, tc.rest, rest)
			assert.Equal(t, tc.sts, sts)
		})
	}
}
