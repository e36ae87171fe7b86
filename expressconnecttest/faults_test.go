package expressconnecttest_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/expressconnect-go/expressconnect"
	"github.com/expressconnect-go/expressconnect/expressconnecttest"
)

// rawPost signs a valid request and sends it with a fresh connection, returning the response
// with its body read (or the error of sending or reading).
func rawPost(ctx context.Context, s *expressconnecttest.Server, vlan int) (*http.Response, []byte, error) {
	p := validParams(s)
	p.Set("VlanId", strconv.Itoa(vlan))
	signWith(p, s.Account().AccessKeySecret)
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
		{"500 InternalError", expressconnecttest.Fault{Kind: expressconnecttest.FaultError, StatusCode: 500}, 500, "InternalError", nil},
		{"custom code", expressconnecttest.Fault{Kind: expressconnecttest.FaultError, StatusCode: 400, Code: "OperationDenied.CreateVpconn", Message: "no"}, 400, "OperationDenied.CreateVpconn", nil},
		{"throttling", expressconnecttest.Fault{Kind: expressconnecttest.FaultThrottle}, 400, "Throttling.User", func(t *testing.T, h http.Header) {
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
			s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{})
			admin(t, s).InjectFaults(1, tc.fault)
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
			assert.Empty(t, admin(t, s).Connections(), "the request must not be handled")
			reqs := admin(t, s).Requests()
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
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{})
	admin(t, s).InjectFaults(1, expressconnecttest.Fault{Kind: expressconnecttest.FaultBadGateway})
	resp, body, err := rawPost(context.Background(), s, 10)
	require.NoError(t, err)
	assert.Equal(t, http.StatusBadGateway, resp.StatusCode)
	assert.Equal(t, "text/html", resp.Header.Get("Content-Type"))
	assert.Contains(t, string(body), "<h1>502 Bad Gateway</h1>")
	assert.Empty(t, resp.Header.Get("x-acs-request-id"), "a load balancer's page carries no request ID")
	assert.Empty(t, admin(t, s).Connections())
}

// TestTruncateFault checks that the body is cut short after the request was handled.
func TestTruncateFault(t *testing.T) {
	t.Parallel()
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{})
	admin(t, s).InjectFaults(1, expressconnecttest.Fault{Kind: expressconnecttest.FaultTruncate})
	resp, body, err := rawPost(context.Background(), s, 10)
	require.ErrorIs(t, err, io.ErrUnexpectedEOF)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Less(t, int64(len(body)), resp.ContentLength)
	require.Len(t, admin(t, s).Connections(), 1, "the request was handled before the answer was cut")
	assert.Equal(t, expressconnecttest.FaultTruncate, admin(t, s).Requests()[0].Fault)
}

// TestDelayFault checks that a delay holds the answer, and gives up with the client.
func TestDelayFault(t *testing.T) {
	t.Parallel()
	t.Run("answers after the delay", func(t *testing.T) {
		t.Parallel()
		s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{})
		admin(t, s).InjectFaults(1, expressconnecttest.Fault{Kind: expressconnecttest.FaultDelay, Delay: 150 * time.Millisecond})
		start := time.Now()
		resp, _, err := rawPost(context.Background(), s, 10)
		require.NoError(t, err)
		assert.Equal(t, http.StatusOK, resp.StatusCode)
		assert.GreaterOrEqual(t, time.Since(start), 150*time.Millisecond)
	})
	t.Run("honours the request context", func(t *testing.T) {
		t.Parallel()
		s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{})
		admin(t, s).InjectFaults(1, expressconnecttest.Fault{Kind: expressconnecttest.FaultDelay, Delay: expressconnecttest.MaxFaultWait})
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		_, _, err := rawPost(ctx, s, 10)
		require.ErrorIs(t, err, context.DeadlineExceeded)
		require.Eventually(t, func() bool { return len(admin(t, s).Requests()) == 1 }, 10*time.Second, 10*time.Millisecond)
		r := admin(t, s).Requests()[0]
		assert.Equal(t, 0, r.StatusCode, "no answer was sent")
		assert.Equal(t, expressconnecttest.FaultDelay, r.Fault)
		assert.Empty(t, admin(t, s).Connections(), "a request abandoned during the delay is not handled")
	})
}

// TestDripFault checks that a dripping body arrives whole, slowly, and stops with the client.
func TestDripFault(t *testing.T) {
	t.Parallel()
	t.Run("arrives whole", func(t *testing.T) {
		t.Parallel()
		s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{})
		admin(t, s).InjectFaults(1, expressconnecttest.Fault{Kind: expressconnecttest.FaultDrip, Interval: 2 * time.Millisecond})
		start := time.Now()
		resp, body, err := rawPost(context.Background(), s, 10)
		require.NoError(t, err)
		assert.Equal(t, http.StatusOK, resp.StatusCode)
		var ok struct{ RequestId, VirtualPhysicalConnection string }
		require.NoError(t, json.Unmarshal(body, &ok), string(body))
		assert.Equal(t, admin(t, s).Connections()[0].VirtualPhysicalConnectionID, ok.VirtualPhysicalConnection)
		assert.GreaterOrEqual(t, time.Since(start), time.Duration(len(body))*2*time.Millisecond)
	})
	t.Run("client timeout", func(t *testing.T) {
		t.Parallel()
		s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{})
		admin(t, s).InjectFaults(1, expressconnecttest.Fault{Kind: expressconnecttest.FaultDrip, Interval: expressconnecttest.MaxFaultWait})
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
		{"reset", expressconnecttest.Fault{Kind: expressconnecttest.FaultReset}, 0, func(t *testing.T, err error) {
			assert.ErrorIs(t, err, syscall.ECONNRESET)
		}},
		{"close", expressconnecttest.Fault{Kind: expressconnecttest.FaultClose}, 0, func(t *testing.T, err error) {
			assert.ErrorIs(t, err, io.EOF)
		}},
		{"close after handling", expressconnecttest.Fault{Kind: expressconnecttest.FaultClose, AfterHandling: true}, 1, nil},
		{"reset after handling", expressconnecttest.Fault{Kind: expressconnecttest.FaultReset, AfterHandling: true}, 1, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{})
			admin(t, s).InjectFaults(1, tc.fault)
			_, _, err := rawPost(context.Background(), s, 10)
			require.Error(t, err)
			if tc.check != nil {
				tc.check(t, err)
			}
			assert.Len(t, admin(t, s).Connections(), tc.created)
			reqs := admin(t, s).Requests()
			require.Len(t, reqs, 1)
			assert.Equal(t, 0, reqs[0].StatusCode)
			assert.Equal(t, tc.fault.Kind, reqs[0].Fault)
			if tc.created == 1 {
				assert.Equal(t, admin(t, s).Connections()[0].VirtualPhysicalConnectionID, reqs[0].ConnectionID)
			}
		})
	}
}

// TestFaultQueueAndActions checks the order of queued faults, faults limited to an action,
// which requests of other actions pass by, FaultNone, which lets requests through, and
// ClearFaults.
func TestFaultQueueAndActions(t *testing.T) {
	t.Parallel()
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{})
	admin(t, s).InjectFaults(1, expressconnecttest.Fault{Kind: expressconnecttest.FaultError, StatusCode: 502,
		Action: "ListVirtualPhysicalConnections"})
	admin(t, s).InjectFaults(2, expressconnecttest.Fault{Kind: expressconnecttest.FaultError, StatusCode: 500})
	admin(t, s).InjectFaults(1, expressconnecttest.Fault{Kind: expressconnecttest.FaultNone})
	admin(t, s).InjectFaults(1, expressconnecttest.Fault{Kind: expressconnecttest.FaultThrottle})
	statuses := []int{}
	for _, vlan := range []int{13, 14, 15, 16, 17} {
		resp, _, err := rawPost(context.Background(), s, vlan)
		require.NoError(t, err)
		statuses = append(statuses, resp.StatusCode)
	}
	assert.Equal(t, []int{500, 500, 200, 400, 200}, statuses, "Create passes the List fault by")
	list := callAction(t, s, "ListVirtualPhysicalConnections")
	assert.Equal(t, http.StatusBadGateway, list.Status, "the List fault waited for a List")

	admin(t, s).InjectFaults(1, expressconnecttest.Fault{Kind: expressconnecttest.FaultThrottle})
	admin(t, s).ClearFaults()
	resp, _, err := rawPost(context.Background(), s, 18)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode)

	kinds := []expressconnecttest.FaultKind{}
	for _, r := range admin(t, s).Requests() {
		kinds = append(kinds, r.Fault)
	}
	assert.Equal(t, []expressconnecttest.FaultKind{
		expressconnecttest.FaultError, expressconnecttest.FaultError, expressconnecttest.FaultNone,
		expressconnecttest.FaultThrottle, expressconnecttest.FaultNone, expressconnecttest.FaultError,
		expressconnecttest.FaultNone,
	}, kinds)
}

// TestFaultsRefused checks that a fault whose fields do not fit its kind, or whose Action the
// server does not serve, is refused and not injected.
func TestFaultsRefused(t *testing.T) {
	t.Parallel()
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{})
	cases := []struct {
		name  string
		fault expressconnecttest.Fault
		want  string
	}{
		{"unknown kind", expressconnecttest.Fault{Kind: 42}, `Kind "kind(42)" is none of none, error, throttle`},
		{"unknown action", expressconnecttest.Fault{Kind: expressconnecttest.FaultClose, Action: "DeleteVpc"},
			`Action "DeleteVpc" is none of the actions the server serves: CancelPhysicalConnection, `},
		{"status for reset", expressconnecttest.Fault{Kind: expressconnecttest.FaultReset, StatusCode: 503},
			"StatusCode, Code and Message apply to Kind error only"},
		{"bad status", expressconnecttest.Fault{Kind: expressconnecttest.FaultError, StatusCode: 200}, "StatusCode 200 is not 400 to 599"},
		{"code too long", expressconnecttest.Fault{Kind: expressconnecttest.FaultError, Code: expressconnect.Code(strings.Repeat("c", 4097))},
			"Code must be at most 4096 bytes"},
		{"message too long", expressconnecttest.Fault{Kind: expressconnecttest.FaultError, Message: strings.Repeat("m", 4097)},
			"Message must be at most 4096 bytes"},
		{"delay for drip", expressconnecttest.Fault{Kind: expressconnecttest.FaultDrip, Delay: time.Second},
			"Delay applies to Kind delay only (the pause of a drip is its Interval)"},
		{"interval for delay", expressconnecttest.Fault{Kind: expressconnecttest.FaultDelay, Interval: time.Second},
			"Interval applies to Kind drip only"},
		{"long delay", expressconnecttest.Fault{Kind: expressconnecttest.FaultDelay, Delay: time.Hour}, "Delay 1h0m0s is not 0 to 10m0s"},
		{"negative interval", expressconnecttest.Fault{Kind: expressconnecttest.FaultDrip, Interval: -time.Second},
			"Interval -1s is not 0 to 10m0s"},
		{"after handling for throttle", expressconnecttest.Fault{Kind: expressconnecttest.FaultThrottle, AfterHandling: true},
			"AfterHandling applies to Kind reset and close only"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := s.Admin().InjectFaults(context.Background(), 1, tc.fault)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
	resp, _, err := rawPost(context.Background(), s, 10)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode, "no refused fault was injected")
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
	s, err := expressconnecttest.NewServer(expressconnecttest.Config{})
	require.NoError(t, err)
	admin(t, s).InjectFaults(1, expressconnecttest.Fault{Kind: expressconnecttest.FaultDelay, Delay: expressconnecttest.MaxFaultWait})
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
