package expressconnect

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// These tests call decodeAnswer directly, to pin each decision it makes on the status, the
// header and the body, including the ones no operation's response reaches.

// answerProbe is a response whose decode reads the envelope of a 2xx body and then fails with
// err, returning no envelope (but for ErrNotApplied), so that a test chooses what the operation's decoding says; the
// client then reads the envelope itself, loosely.
type answerProbe struct {
	ResponseMetadata
	err error
	// decoded reports that decode was called.
	decoded bool
}

func (p *answerProbe) decode(body []byte, _ bool) (envelope, error) {
	p.decoded = true
	var env envelope
	if err := json.Unmarshal(body, &env); err != nil {
		return env, err
	}
	if p.err != nil && !errors.Is(p.err, ErrNotApplied) {
		return envelope{}, p.err
	}
	// An answer that says the change was not applied is read: its envelope is whole.
	return env, p.err
}

func (p *answerProbe) metadata() *ResponseMetadata { return &p.ResponseMetadata }

// answerCase is one answer and what decodeAnswer must make of it.
type answerCase struct {
	name     string
	status   int
	header   string // x-acs-request-id
	body     string
	dryRun   bool
	probeErr error
	// wantID is the answer's requestID; wantService its fromService; wantPassed its dryRunPassed.
	wantID      string
	wantService bool
	wantPassed  bool
	// wantErr is matched with errors.Is, nil for a success; wantAPI says the error is an
	// *APIError, else a *ResponseError whose RequestID is wantErrID.
	wantErr   error
	wantAPI   bool
	wantErrID string
}

func answerRun(t *testing.T, tc answerCase) (answer, *answerProbe) {
	t.Helper()
	resp := &http.Response{StatusCode: tc.status, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(tc.body))}
	if tc.header != "" {
		resp.Header.Set(headerRequestID, tc.header)
	}
	probe := &answerProbe{err: tc.probeErr}
	return decodeAnswer(context.Background(), resp, actionCreate, tc.dryRun, probe), probe
}

func TestDecodeAnswer(t *testing.T) {
	t.Parallel()
	tests := []answerCase{
		{name: "success with the ID in the body only", status: 200, body: `{"RequestId":"B"}`, wantID: "B"},
		{name: "success with the ID in the header only", status: 200, header: "H", body: `{}`, wantID: "H", wantService: true},
		{name: "the body's ID wins over the header's", status: 200, header: "H", body: `{"RequestId":"B"}`, wantID: "B", wantService: true},
		{name: "HTTP 299 is a success", status: 299, body: `{"RequestId":"B"}`, wantID: "B"},
		{name: "success without an ID anywhere", status: 200, body: `{}`, wantErr: ErrMalformedResponse},
		{name: "success of JSON null without an ID", status: 200, body: `null`, wantErr: ErrMalformedResponse},
		{name: "success code 200 in the body", status: 200, body: `{"RequestId":"B","Code":"200"}`, wantID: "B"},
		{name: "success code Success in any case", status: 200, body: `{"RequestId":"B","Code":"success"}`, wantID: "B"},
		{name: "success code OK in any case", status: 200, body: `{"RequestId":"B","Code":"Ok"}`, wantID: "B"},
		{name: "an error code in a 2xx body", status: 200, body: `{"RequestId":"B","Code":"Forbidden.RAM"}`,
			wantID: "B", wantService: true, wantErr: CodeForbiddenRAM, wantAPI: true},
		{name: "a code like a success code is an error", status: 200, body: `{"RequestId":"B","Code":"2000"}`,
			wantID: "B", wantService: true, wantErr: Code("2000"), wantAPI: true},
		{name: "an error with the ID in the body only is the service's", status: 400, body: `{"RequestId":"B","Code":"IllegalParam.Spec"}`,
			wantID: "B", wantService: true, wantErr: CodeIllegalParamSpec, wantAPI: true},
		{name: "an error with neither ID is not the service's", status: 400, body: `{"Code":"IllegalParam.Spec"}`,
			wantErr: CodeIllegalParamSpec, wantAPI: true},
		{name: "an error with the ID in the header only is the service's", status: 400, header: "H", body: `{"Code":"IllegalParam.Spec"}`,
			wantID: "H", wantService: true, wantErr: CodeIllegalParamSpec, wantAPI: true},
		{name: "an error without a code", status: 400, body: `{"RequestId":"B"}`, wantID: "B", wantErr: ErrMalformedResponse, wantErrID: "B"},
		{name: "an error that is not JSON", status: 502, header: "H", body: `<html>`, wantID: "H", wantService: true,
			wantErr: ErrMalformedResponse, wantErrID: "H"},
		{name: "a dry run passed with a 400", status: 400, body: `{"RequestId":"B","Code":"DryRunOperation"}`, dryRun: true,
			wantID: "B", wantService: true, wantPassed: true},
		{name: "a dry-run code without a dry run is an error", status: 400, body: `{"RequestId":"B","Code":"DryRunOperation"}`,
			wantID: "B", wantService: true, wantErr: CodeDryRunOperation, wantAPI: true},
		{name: "a dry run passed with a 200", status: 200, header: "H", body: `{"RequestId":"B"}`, dryRun: true,
			wantID: "B", wantService: true, wantPassed: true},
		{name: "a success the operation cannot read keeps the body's ID", status: 200, body: `{"RequestId":"B"}`,
			probeErr: errMissingField("VirtualPhysicalConnection"), wantID: "B", wantErr: ErrMalformedResponse, wantErrID: "B"},
		{name: "a success the operation cannot read keeps the header's ID", status: 200, header: "H", body: `{"RequestId":"B"}`,
			probeErr: errMissingField("VirtualPhysicalConnection"), wantID: "B", wantService: true, wantErr: ErrMalformedResponse, wantErrID: "H"},
		{name: "a success that says the change was not applied", status: 200, body: `{"RequestId":"B"}`,
			probeErr: ErrNotApplied, wantID: "B", wantErr: ErrNotApplied, wantErrID: "B"},
		{name: "a 2xx body with a field of another type is read loosely", status: 200, body: `{"RequestId":7,"Code":"Throttling"}`,
			wantID: "7", wantService: true, wantErr: CodeThrottling, wantAPI: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			a, _ := answerRun(t, tc)

			assert.Equal(t, tc.wantID, a.requestID, "requestID")
			assert.Equal(t, tc.wantService, a.fromService, "fromService")
			assert.Equal(t, tc.wantPassed, a.dryRunPassed, "dryRunPassed")
			if tc.wantErr == nil {
				assert.NoError(t, a.err)
				return
			}
			require.Error(t, a.err)
			assert.ErrorIs(t, a.err, tc.wantErr)
			var apiErr *APIError
			assert.Equal(t, tc.wantAPI, errors.As(a.err, &apiErr), "an *APIError")
			if !tc.wantAPI {
				var re *ResponseError
				require.ErrorAs(t, a.err, &re)
				assert.Equal(t, tc.wantErrID, re.RequestID, "the ResponseError's RequestID")
				assert.Equal(t, tc.status, re.StatusCode)
			}
		})
	}
}

// TestDecodeAnswerStatusRanges checks the status ranges: below 200 no answer, 300 to 399 a
// refused redirect (bodies unread), 200 to 299 a success read up to 1 MiB, and the others an
// error read up to 64 KiB.
func TestDecodeAnswerStatusRanges(t *testing.T) {
	t.Parallel()
	// A 100 KiB body: over the error limit, under the success limit.
	big := `{"RequestId":"B","Pad":"` + strings.Repeat("p", 100<<10) + `"}`
	tests := []struct {
		name    string
		status  int
		body    string
		wantErr error
		decoded bool
	}{
		{"199 is no answer", 199, `{"RequestId":"B"}`, ErrMalformedResponse, false},
		{"101 is no answer", 101, `{"RequestId":"B"}`, ErrMalformedResponse, false},
		{"200 is a success", 200, big, nil, true},
		{"299 is a success", 299, big, nil, true},
		{"300 is a redirect", 300, `{"RequestId":"B"}`, ErrRedirectRefused, false},
		{"399 is a redirect", 399, `{"RequestId":"B"}`, ErrRedirectRefused, false},
		{"400 is an error, read up to 64 KiB", 400, big, ErrResponseTooLarge, false},
		{"500 is an error, read up to 64 KiB", 500, big, ErrResponseTooLarge, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			body := &answerBody{Reader: strings.NewReader(tc.body)}
			resp := &http.Response{StatusCode: tc.status, Header: http.Header{}, Body: body}
			probe := &answerProbe{}

			a := decodeAnswer(context.Background(), resp, actionCreate, false, probe)

			assert.Equal(t, tc.decoded, probe.decoded, "the operation decoded the body")
			if tc.wantErr == nil {
				assert.NoError(t, a.err)
				return
			}
			assert.ErrorIs(t, a.err, tc.wantErr)
			if errors.Is(tc.wantErr, ErrRedirectRefused) || tc.status < 200 {
				assert.Zero(t, body.read, "the body is not read")
			}
		})
	}
}

// answerBody is a body that counts the bytes read from it.
type answerBody struct {
	io.Reader
	read int
}

func (b *answerBody) Read(p []byte) (int, error) {
	n, err := b.Reader.Read(p)
	b.read += n
	return n, err
}

func (b *answerBody) Close() error { return nil }

// TestReadLimited checks the limit at its bound and the error of a read that fails, with and
// without the context done.
func TestReadLimited(t *testing.T) {
	t.Parallel()
	t.Run("exactly the limit", func(t *testing.T) {
		t.Parallel()
		body, err := readLimited(context.Background(), io.NopCloser(strings.NewReader("12345")), 5, nil)
		require.NoError(t, err)
		assert.Equal(t, "12345", string(body))
	})
	t.Run("into a buffer", func(t *testing.T) {
		t.Parallel()
		var buf bytes.Buffer
		body, err := readLimited(context.Background(), io.NopCloser(strings.NewReader("12345")), 5, &buf)
		require.NoError(t, err)
		assert.Equal(t, "12345", string(body))
		assert.Equal(t, "12345", buf.String(), "the body is read into the buffer given")
	})
	t.Run("one byte over the limit", func(t *testing.T) {
		t.Parallel()
		body, err := readLimited(context.Background(), io.NopCloser(strings.NewReader("123456")), 5, nil)
		assert.ErrorIs(t, err, ErrResponseTooLarge)
		assert.Equal(t, "12345", string(body), "the body is cut at the limit")
	})
	t.Run("a failed read", func(t *testing.T) {
		t.Parallel()
		r := io.MultiReader(strings.NewReader("12"), retryErrReader{io.ErrUnexpectedEOF})
		body, err := readLimited(context.Background(), io.NopCloser(r), 5, nil)
		assert.ErrorIs(t, err, ErrMalformedResponse)
		assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
		assert.NotErrorIs(t, err, context.Canceled)
		assert.NotContains(t, err.Error(), "%!", "no nil context error is formatted")
		assert.Equal(t, "12", string(body))
	})
	t.Run("a read that fails once the context is done", func(t *testing.T) {
		t.Parallel()
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		r := io.MultiReader(strings.NewReader("12"), retryErrReader{errors.New("use of closed body")})
		_, err := readLimited(ctx, io.NopCloser(r), 5, nil)
		assert.ErrorIs(t, err, ErrMalformedResponse)
		assert.ErrorIs(t, err, context.Canceled)
	})
}

// TestSplitServerStringToSignEdges checks a marker at the very start of the message, the
// earlier of two markers, and brackets that do not close.
func TestSplitServerStringToSignEdges(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, message, rest, sts string }{
		{"the RPC marker at the start", "server string to sign is:GET&%2F&", "", "GET&%2F&"},
		{"the V3 marker at the start", "server StringToSign is [ACS3\nx]", "", "ACS3\nx"},
		{"the V3 marker first, the RPC one later", "Bad. server StringToSign is [a server string to sign is:b]",
			"Bad.", "a server string to sign is:b"},
		{"the RPC marker first, the V3 one later", "Bad. server string to sign is:a server StringToSign is [b]",
			"Bad.", "a server StringToSign is [b]"},
		{"the RPC marker at the start, the V3 one later", "server string to sign is:a server StringToSign is [b]",
			"", "a server StringToSign is [b]"},
		{"the V3 marker at the start, the RPC one later", "server StringToSign is [a server string to sign is:b]",
			"", "a server string to sign is:b"},
		{"a bracket that does not close", "Bad. server StringToSign is [abc", "Bad.", "[abc"},
		{"one bracket alone", "Bad. server StringToSign is [", "Bad.", "["},
		{"empty brackets", "Bad. server StringToSign is []", "Bad.", ""},
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

// TestNewAPIErrorAccessDeniedDetail checks when an answer's AccessDeniedDetail is kept: an
// object is, and an empty, null or unreadable one is not.
func TestNewAPIErrorAccessDeniedDetail(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		detail string
		want   bool
	}{
		{"an object", `{"AuthAction":"vpc:CreateVirtualPhysicalConnection"}`, true},
		{"null", `null`, false},
		{"absent", ``, false},
		{"not an object", `"text"`, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			resp := &http.Response{StatusCode: 403, Header: http.Header{}}
			env := &envelope{Code: "Forbidden.RAM", AccessDeniedDetail: json.RawMessage(tc.detail)}

			e := newAPIError(resp, actionCreate, env, nil)

			if !tc.want {
				assert.Nil(t, e.AccessDeniedDetail)
				return
			}
			require.NotNil(t, e.AccessDeniedDetail)
			assert.Equal(t, "vpc:CreateVirtualPhysicalConnection", e.AccessDeniedDetail.AuthAction)
			assert.True(t, bytes.Equal([]byte(tc.detail), e.AccessDeniedDetail.Raw))
		})
	}
}

// bodyProbe is an answerProbe that keeps the body it was given to decode.
type bodyProbe struct {
	answerProbe
	body []byte
}

func (p *bodyProbe) decode(body []byte, dryRun bool) (envelope, error) {
	p.body = body
	return p.answerProbe.decode(body, dryRun)
}

// TestDecodeAnswerErrorOwnsItsBody checks that an error made from a 2xx answer keeps a copy of
// the body, not the pooled buffer it was decoded from, which goes back to the pool when
// decodeAnswer returns and is overwritten by the next answer, perhaps another goroutine's.
func TestDecodeAnswerErrorOwnsItsBody(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, header, body string
		wantErr            error
	}{
		{"an error code", "", `{"RequestId":"B","Code":"Forbidden.RAM","Message":"m"}`, CodeForbiddenRAM},
		{"a body that does not decode", "", `{"RequestId":"B","Message":`, ErrMalformedResponse},
		{"a body that does not decode, the RequestId in the header", "H", `{"Message":`, ErrMalformedResponse},
		{"no RequestId anywhere", "", `{}`, ErrMalformedResponse},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			header := http.Header{}
			if tc.header != "" {
				header.Set(headerRequestID, tc.header)
			}
			resp := &http.Response{StatusCode: 200, Header: header, Body: &answerBody{Reader: strings.NewReader(tc.body)}}
			probe := &bodyProbe{}

			a := decodeAnswer(context.Background(), resp, actionCreate, false, probe)

			require.ErrorIs(t, a.err, tc.wantErr)
			require.NotEmpty(t, probe.body, "the body went through decode")
			var kept []byte
			var apiErr *APIError
			var respErr *ResponseError
			switch {
			case errors.As(a.err, &apiErr):
				kept = apiErr.body
			case errors.As(a.err, &respErr):
				kept = respErr.Body
			}
			require.Equal(t, tc.body, string(kept))
			assert.NotSame(t, unsafe.SliceData(probe.body), unsafe.SliceData(kept), "the error keeps the pooled buffer")
		})
	}
}
