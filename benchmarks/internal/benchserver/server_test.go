package benchserver

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/expressconnect-go/expressconnect/benchmarks/internal/fixture"
	"github.com/expressconnect-go/expressconnect/benchmarks/internal/floor"
	"github.com/expressconnect-go/expressconnect/internal/localsign"
)

// TestHandler checks what the benchmark server answers and counts, for the create and list
// requests signed right and for the ways a request can be wrong.
func TestHandler(t *testing.T) {
	t.Parallel()
	signed := func() url.Values {
		q, err := url.ParseQuery(floor.SignedQuery(http.MethodPost, fixture.Params(),
			fixture.AccessKeyID, fixture.AccessKeySecret, time.Now()))
		require.NoError(t, err)
		return q
	}
	// resigned returns a signed query with the parameters set, signed again.
	resigned := func(set map[string]string) func() url.Values {
		return func() url.Values {
			q := signed()
			for k, v := range set {
				q.Set(k, v)
			}
			q.Set("Signature", floor.Signature(http.MethodPost, q, fixture.AccessKeySecret))
			return q
		}
	}
	listBody, err := fixture.ListBody()
	require.NoError(t, err)
	cases := []struct {
		name     string
		query    func() url.Values
		wantBody string // the success body; "" when wantCode is set
		wantCode string // "" for success
	}{
		{name: "signed right", query: signed, wantBody: fixture.SuccessBody},
		{name: "list signed right", query: resigned(map[string]string{"Action": fixture.ListAction, "MaxResults": "100"}),
			wantBody: string(listBody)},
		{name: "list of another page size", query: resigned(map[string]string{"Action": fixture.ListAction, "MaxResults": "20"}),
			wantCode: "InvalidParameter"},
		{name: "list without a page size", query: resigned(map[string]string{"Action": fixture.ListAction}),
			wantCode: "InvalidParameter"},
		{name: "another action", query: resigned(map[string]string{"Action": "DeletePhysicalConnection"}),
			wantCode: "InvalidAction.NotFound"},
		{name: "tampered parameter", query: func() url.Values {
			q := signed()
			q.Set("Name", "othername")
			return q
		}, wantCode: "SignatureDoesNotMatch"},
		{name: "signed with another secret", query: func() url.Values {
			q := signed()
			q.Set("Signature", floor.Signature(http.MethodPost, q, "not-the-secret"))
			return q
		}, wantCode: "SignatureDoesNotMatch"},
		{name: "no signature", query: func() url.Values {
			q := signed()
			q.Del("Signature")
			return q
		}, wantCode: "SignatureDoesNotMatch"},
		{name: "unknown access key", query: func() url.Values {
			q := signed()
			q.Set("AccessKeyId", "LTAI5tSomeoneElse")
			return q
		}, wantCode: "InvalidAccessKeyId.NotFound"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h, err := New(localsign.VerifySignature)
			require.NoError(t, err)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/?"+tc.query().Encode(), nil))
			assert.Equal(t, fixture.RequestID, rec.Header().Get("x-acs-request-id"))
			assert.Equal(t, "application/json;charset=utf-8", rec.Header().Get("Content-Type"))
			if tc.wantCode == "" {
				assert.Equal(t, http.StatusOK, rec.Code)
				assert.JSONEq(t, tc.wantBody, rec.Body.String())
				assert.Equal(t, Stats{Verified: 1}, h.Stats())
				return
			}
			assert.Equal(t, http.StatusBadRequest, rec.Code)
			var body map[string]string
			require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &body))
			assert.Equal(t, tc.wantCode, body["Code"])
			assert.Equal(t, fixture.RequestID, body["RequestId"])
			assert.Equal(t, Stats{Rejected: 1}, h.Stats())
		})
	}
}

// TestRun starts the server as the benchmarks do, checks the announced address answers with a
// Date header and counts connections, and stops it by closing its input.
func TestRun(t *testing.T) {
	t.Parallel()
	stdinR, stdinW := io.Pipe()
	stdoutR, stdoutW := io.Pipe()
	var log strings.Builder
	done := make(chan error, 1)
	go func() { done <- Run(stdinR, stdoutW, &log) }()

	line := make([]byte, 64)
	n, err := stdoutR.Read(line)
	require.NoError(t, err)
	addr := strings.TrimSpace(string(line[:n]))
	require.Regexp(t, `^127\.0\.0\.1:\d+$`, addr)

	q := floor.SignedQuery(http.MethodPost, fixture.Params(), fixture.AccessKeyID, fixture.AccessKeySecret, time.Now())
	hc := &http.Client{Transport: &http.Transport{}}
	for range 2 {
		resp, err := hc.Post("http://"+addr+"/?"+q, "", nil)
		require.NoError(t, err)
		body, err := io.ReadAll(resp.Body)
		require.NoError(t, resp.Body.Close())
		require.NoError(t, err)
		assert.Equal(t, http.StatusOK, resp.StatusCode)
		assert.NotEmpty(t, resp.Header.Get("Date"))
		assert.JSONEq(t, fixture.SuccessBody, string(body))
	}
	resp, err := hc.Get("http://" + addr + StatsPath)
	require.NoError(t, err)
	var st Stats
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&st))
	require.NoError(t, resp.Body.Close())
	assert.Equal(t, Stats{Verified: 2, Connections: 1}, st, "both calls and the stats request on one kept-alive connection")
	hc.CloseIdleConnections()

	require.NoError(t, stdinW.Close())
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after its input closed")
	}
	assert.Contains(t, log.String(), "after 2 verified and 0 refused requests over 1 connections")
}
