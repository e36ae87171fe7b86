package expressconnecttest_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/expressconnect-go/expressconnect/expressconnecttest"
)

// rawPost signs a valid request and sends it with a fresh connection, returning the response
// with its body read (or the error of sending or reading).
func rawPost(ctx context.Context, s *expressconnecttest.Server, vlan int) (*http.Response, []byte, error) {
	p := validParams(s)
	p.Set("VlanId", strconv.Itoa(vlan))
	signWith(p, s.AccessKeySecret())
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.URL()+"/?"+encode(p), nil)
	if err != nil {
		return nil, nil, err
	}
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 20 * time.Second}
	resp, err := client.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp, body, err
}

// TestErrorAndThrottleFaults checks the answers of faults that answer without handling.
func TestErrorAndThrottleFaults(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		fault  expressconnecttest.Fault
		status int
		code   string
		check  func(t *testing.T, h http.Header)
	}{
		{"default error fault", expressconnecttest.Fault{Kind: expressconnecttest.FaultError}, 503, "ServiceUnavailable", nil},
		{"500 InternalError", expressconnecttest.ErrorFault(500, "", ""), 500, "InternalError", nil},
		{"custom code", expressconnecttest.ErrorFault(400, "OperationDenied.CreateVpconn", "no"), 400, "OperationDenied.CreateVpconn", nil},
		{"throttling", expressconnecttest.ThrottleFault(), 400, "Throttling.User", func(t *testing.T, h http.Header) {
			v := h.Get("x-ratelimit-user-api")
			assert.Regexp(t, `^Limit:10,Remain:0,TimeLeft:1200,Reset:[0-9]{13}$`, v)
			reset, err := strconv.ParseInt(v[len("Limit:10,Remain:0,TimeLeft:1200,Reset:"):], 10, 64)
			require.NoError(t, err)
			assert.WithinDuration(t, time.Now().Add(1200*time.Millisecond), time.UnixMilli(reset), time.Minute)
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := expressconnecttest.NewTestServer(t)
			s.InjectFaults(1, tc.fault)
			resp, body, err := rawPost(context.Background(), s, 10)
			require.NoError(t, err)
			assert.Equal(t, tc.status, resp.StatusCode)
			var e struct{ RequestId, HostId, Code, Message, Recommend string }
			require.NoError(t, json.Unmarshal(body, &e), string(body))
			assert.Equal(t, tc.code, e.Code)
			assert.NotEmpty(t, e.Message)
			assert.Equal(t, e.RequestId, resp.Header.Get("x-acs-request-id"))
			if tc.check != nil {
				tc.check(t, resp.Header)
			}
			assert.Empty(t, s.Connections(), "the request must not be handled")
			reqs := s.Requests()
			require.Len(t, reqs, 1)
			assert.Equal(t, tc.fault.Kind, reqs[0].Fault)
			assert.Equal(t, tc.code, string(reqs[0].Code))

			resp, _, err = rawPost(context.Background(), s, 10)
			require.NoError(t, err)
			assert.Equal(t, http.StatusOK, resp.StatusCode, "the fault applies once")
		})
	}
}

// TestBadGatewayFault checks the HTML 502 page.
func TestBadGatewayFault(t *testing.T) {
	t.Parallel()
	s := expressconnecttest.NewTestServer(t)
	s.InjectFaults(1, expressconnecttest.BadGatewayFault())
	resp, body, err := rawPost(context.Background(), s, 10)
	require.NoError(t, err)
	assert.Equal(t, http.StatusBadGateway, resp.StatusCode)
	assert.Equal(t, "text/html", resp.Header.Get("Content-Type"))
	assert.Contains(t, string(body), "<h1>502 Bad Gateway</h1>")
	assert.Empty(t, resp.Header.Get("x-acs-request-id"), "a load balancer's page carries no request ID")
	assert.Empty(t, s.Connections())
}

// TestTruncateFault checks that the body is cut short after the request was handled.
func TestTruncateFault(t *testing.T) {
	t.Parallel()
	s := expressconnecttest.NewTestServer(t)
	s.InjectFaults(1, expressconnecttest.TruncateFault())
	resp, body, err := rawPost(context.Background(), s, 10)
	require.ErrorIs(t, err, io.ErrUnexpectedEOF)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Less(t, int64(len(body)), resp.ContentLength)
	require.Len(t, s.Connections(), 1, "the request was handled before the answer was cut")
	assert.Equal(t, expressconnecttest.FaultTruncate, s.Requests()[0].Fault)
}

// TestDelayFault checks that a delay holds the answer, and gives up with the client.
func TestDelayFault(t *testing.T) {
	t.Parallel()
	t.Run("answers after the delay", func(t *testing.T) {
		t.Parallel()
		s := expressconnecttest.NewTestServer(t)
		s.InjectFaults(1, expressconnecttest.DelayFault(150*time.Millisecond))
		start := time.Now()
		resp, _, err := rawPost(context.Background(), s, 10)
		require.NoError(t, err)
		assert.Equal(t, http.StatusOK, resp.StatusCode)
		assert.GreaterOrEqual(t, time.Since(start), 150*time.Millisecond)
	})
	t.Run("honours the request context", func(t *testing.T) {
		t.Parallel()
		s := expressconnecttest.NewTestServer(t)
		s.InjectFaults(1, expressconnecttest.DelayFault(time.Hour))
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		_, _, err := rawPost(ctx, s, 10)
		require.ErrorIs(t, err, context.DeadlineExceeded)
		require.Eventually(t, func() bool { return len(s.Requests()) == 1 }, 10*time.Second, 10*time.Millisecond)
		r := s.Requests()[0]
		assert.Equal(t, 0, r.StatusCode, "no answer was sent")
		assert.Equal(t, expressconnecttest.FaultDelay, r.Fault)
		assert.Empty(t, s.Connections(), "a request abandoned during the delay is not handled")
	})
}

// TestDripFault checks that a dripping body arrives whole, slowly, and stops with the client.
func TestDripFault(t *testing.T) {
	t.Parallel()
	t.Run("arrives whole", func(t *testing.T) {
		t.Parallel()
		s := expressconnecttest.NewTestServer(t)
		s.InjectFaults(1, expressconnecttest.DripFault(2*time.Millisecond))
		start := time.Now()
		resp, body, err := rawPost(context.Background(), s, 10)
		require.NoError(t, err)
		assert.Equal(t, http.StatusOK, resp.StatusCode)
		var ok struct{ RequestId, VirtualPhysicalConnection string }
		require.NoError(t, json.Unmarshal(body, &ok), string(body))
		assert.Equal(t, s.Connections()[0].VirtualPhysicalConnectionID, ok.VirtualPhysicalConnection)
		assert.GreaterOrEqual(t, time.Since(start), time.Duration(len(body))*2*time.Millisecond)
	})
	t.Run("client timeout", func(t *testing.T) {
		t.Parallel()
		s := expressconnecttest.NewTestServer(t)
		s.InjectFaults(1, expressconnecttest.DripFault(time.Hour))
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		resp, _, err := rawPost(ctx, s, 10)
		require.Error(t, err)
		require.NotNil(t, resp, "the headers arrive at once")
		assert.Equal(t, http.StatusOK, resp.StatusCode)
	})
}

// TestConnectionFaults checks resets and closes without an answer.
func TestConnectionFaults(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		fault   expressconnecttest.Fault
		created int
		check   func(t *testing.T, err error)
	}{
		{"reset", expressconnecttest.ResetFault(), 0, func(t *testing.T, err error) {
			assert.ErrorIs(t, err, syscall.ECONNRESET)
		}},
		{"close", expressconnecttest.CloseFault(), 0, func(t *testing.T, err error) {
			assert.ErrorIs(t, err, io.EOF)
		}},
		{"close after handling", expressconnecttest.Fault{Kind: expressconnecttest.FaultClose, AfterHandling: true}, 1, nil},
		{"reset after handling", expressconnecttest.Fault{Kind: expressconnecttest.FaultReset, AfterHandling: true}, 1, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := expressconnecttest.NewTestServer(t)
			s.InjectFaults(1, tc.fault)
			_, _, err := rawPost(context.Background(), s, 10)
			require.Error(t, err)
			if tc.check != nil {
				tc.check(t, err)
			}
			assert.Len(t, s.Connections(), tc.created)
			reqs := s.Requests()
			require.Len(t, reqs, 1)
			assert.Equal(t, 0, reqs[0].StatusCode)
			assert.Equal(t, tc.fault.Kind, reqs[0].Fault)
			if tc.created == 1 {
				assert.Equal(t, s.Connections()[0].VirtualPhysicalConnectionID, reqs[0].ConnectionID)
			}
		})
	}
}

// TestFaultQueueAndFunc checks the order of queued faults, the fault function and ClearFaults.
func TestFaultQueueAndFunc(t *testing.T) {
	t.Parallel()
	s := expressconnecttest.NewTestServer(t)
	s.InjectFaults(2, expressconnecttest.ErrorFault(500, "", ""))
	s.InjectFaults(1, expressconnecttest.ThrottleFault())
	s.SetFaultFunc(func(r *expressconnecttest.Request) *expressconnecttest.Fault {
		if r.Params.Get("VlanId") == "13" {
			f := expressconnecttest.ErrorFault(503, "", "")
			return &f
		}
		return nil
	})
	statuses := []int{}
	for _, vlan := range []int{13, 14, 15, 13, 16} {
		resp, _, err := rawPost(context.Background(), s, vlan)
		require.NoError(t, err)
		statuses = append(statuses, resp.StatusCode)
	}
	assert.Equal(t, []int{500, 500, 400, 503, 200}, statuses)

	s.ClearFaults()
	s.InjectFaults(1, expressconnecttest.ThrottleFault())
	s.ClearFaults()
	resp, _, err := rawPost(context.Background(), s, 13)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode)

	kinds := []expressconnecttest.FaultKind{}
	for _, r := range s.Requests() {
		kinds = append(kinds, r.Fault)
	}
	assert.Equal(t, []expressconnecttest.FaultKind{
		expressconnecttest.FaultError, expressconnecttest.FaultError, expressconnecttest.FaultThrottle,
		expressconnecttest.FaultError, expressconnecttest.FaultNone, expressconnecttest.FaultNone,
	}, kinds)

	s.ResetRequests()
	assert.Empty(t, s.Requests())
}

// TestFaultKindString checks the names of fault kinds.
func TestFaultKindString(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "FaultReset", expressconnecttest.FaultReset.String())
	assert.Equal(t, "FaultNone", expressconnecttest.FaultNone.String())
	assert.Equal(t, "FaultKind(42)", expressconnecttest.FaultKind(42).String())
}

// TestCloseDropsStuckRequests checks that Close does not wait for an answer held by a fault.
func TestCloseDropsStuckRequests(t *testing.T) {
	t.Parallel()
	s, err := expressconnecttest.NewServer()
	require.NoError(t, err)
	s.InjectFaults(1, expressconnecttest.DelayFault(time.Hour))
	errc := make(chan error, 1)
	go func() {
		_, _, err := rawPost(context.Background(), s, 10)
		errc <- err
	}()
	time.Sleep(100 * time.Millisecond) // let the request reach the delay
	closed := make(chan struct{})
	go func() {
		s.Close()
		close(closed)
	}()
	select {
	case <-closed:
	case <-time.After(10 * time.Second): // rawPost's client gives up after 20 s
		t.Fatal("Close waited for the delayed request")
	}
	assert.Error(t, <-errc, "the client sees its connection dropped")
}
