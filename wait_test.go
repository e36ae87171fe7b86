package expressconnect

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// waitFor returns a request to wait for pc-w on pc-circuit until cond holds, with short polls.
func waitFor(cond Condition) *WaitRequest {
	return &WaitRequest{
		PhysicalConnectionID:         "pc-circuit",
		VirtualPhysicalConnectionIDs: []string{"pc-w"},
		Until:                        cond,
		MinDelay:                     time.Millisecond,
		MaxDelay:                     4 * time.Millisecond,
	}
}

// waitVirtually runs the wait of req on c with the jitter random and the sleep sleep in place
// of the real ones.
func waitVirtually(ctx context.Context, c *Client, req *WaitRequest, random func() float64, sleep func(context.Context, time.Duration) error) (*WaitResponse, error) {
	if err := req.check(ctx); err != nil {
		return nil, err
	}
	w := newWaiter(c, req, nil)
	w.pace.random, w.sleep = random, sleep
	return w.run(ctx)
}

// newWaitServer starts a fixture server that answers List with listSteps and
// DescribePhysicalConnections as the service would for the circuit pc-circuit.
func newWaitServer(t *testing.T, listSteps ...fixtureStep) *fixtureServer {
	t.Helper()
	return newFixtureServer(t, fixtureByAction(map[string][]fixtureStep{
		actionList:     listSteps,
		actionDescribe: {fixtureDescribe(map[string]string{"pc-circuit": productCircuit})},
	}))
}

// lists returns the List requests srv received.
func lists(srv *fixtureServer) []url.Values {
	var out []url.Values
	for _, q := range srv.queries() {
		if q.Get("Action") == actionList {
			out = append(out, q)
		}
	}
	return out
}

// waitState answers a List with one hosted connection pc-w in the given states, or with none
// when status is empty.
func waitState(status, vpconnStatus string) fixtureStep {
	if status == "" {
		return fixtureJSON(http.StatusOK, listPage(""), "")
	}
	return fixtureJSON(http.StatusOK, listPage("", listElement("pc-w", status, vpconnStatus)), "")
}

func TestWaitAccepted(t *testing.T) {
	t.Parallel()
	srv := newWaitServer(t, waitState("Allocated", "UnConfirmed"), waitState("Allocated", "UnConfirmed"), waitState("Confirmed", "Confirmed"))
	c := fixtureClient(t, srv.URL)

	resp, err := c.WaitVirtualPhysicalConnections(context.Background(), waitFor(IsAccepted))

	require.NoError(t, err)
	require.Len(t, resp.Connections, 1)
	assert.Equal(t, VpconnStatusConfirmed, resp.Connections[0].VpconnStatus)
	assert.Equal(t, 3, resp.Polls)
	assert.Len(t, lists(srv), 3)
	assert.Equal(t, actionDescribe, srv.actions()[0], "the circuit is checked first")
	q := lists(srv)[0]
	assert.Equal(t, "pc-circuit", q.Get("PhysicalConnectionId"))
	assert.Equal(t, "pc-w", q.Get("VirtualPhysicalConnectionIds.1"))
	assert.Equal(t, []string{"UnConfirmed"}, q["VirtualPhysicalConnectionStatuses.1"])
	assert.Equal(t, []string{"Deleted"}, q["VirtualPhysicalConnectionStatuses.3"], "deleted ones are asked for too")
}

func TestWaitStopsOnImpossibleState(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		cond  Condition
		steps []fixtureStep
		polls int
	}{
		{"deleted while waiting for Enabled", IsEnabled, []fixtureStep{waitState("Confirmed", "Confirmed"), waitState("Confirmed", "Deleted")}, 2},
		{"terminated while waiting for Enabled", IsEnabled, []fixtureStep{waitState("Terminated", "Confirmed")}, 1},
		{"allocation failed while waiting for acceptance", IsAccepted, []fixtureStep{waitState("AllocationFailed", "UnConfirmed")}, 1},
		{"absent twice while waiting for acceptance, and nowhere else", IsAccepted, []fixtureStep{waitState("", "")}, 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newWaitServer(t, tc.steps...)
			_, err := fixtureClient(t, srv.URL).WaitVirtualPhysicalConnections(context.Background(), waitFor(tc.cond))

			require.ErrorIs(t, err, ErrUnreachable)
			var wErr *WaitError
			require.ErrorAs(t, err, &wErr)
			require.Len(t, wErr.Results, 1)
			assert.Equal(t, "pc-w", wErr.Results[0].VirtualPhysicalConnectionID)
			assert.ErrorIs(t, wErr.Results[0].Err, ErrUnreachable)
			assert.Equal(t, tc.polls, wErr.Polls)
			assert.Len(t, lists(srv), tc.polls)
			assert.Contains(t, err.Error(), "pc-w")
		})
	}
}

func TestWaitAbsentOnceThenPresent(t *testing.T) {
	t.Parallel()
	srv := newWaitServer(t, waitState("", ""), waitState("Confirmed", "Confirmed"))
	resp, err := fixtureClient(t, srv.URL).WaitVirtualPhysicalConnections(context.Background(), waitFor(IsAccepted))
	require.NoError(t, err, "one absence right after creation is not believed")
	assert.Equal(t, "pc-w", resp.Connections[0].VirtualPhysicalConnectionID)
}

func TestWaitGone(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		last    fixtureStep
		deleted bool
		lists   int
	}{
		{"absent from the circuit's list and from the region's", waitState("", ""), false, 3},
		{"listed as deleted", waitState("Allocated", "Deleted"), true, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newWaitServer(t, waitState("Allocated", "UnConfirmed"), tc.last)
			resp, err := fixtureClient(t, srv.URL).WaitVirtualPhysicalConnections(context.Background(), waitFor(IsGone))
			require.NoError(t, err)
			conn := resp.Connections[0]
			if tc.deleted {
				require.NotNil(t, conn)
				assert.Equal(t, VpconnStatusDeleted, conn.VpconnStatus)
			} else {
				assert.Nil(t, conn, "an absent connection is returned as nil")
			}
			assert.Len(t, lists(srv), tc.lists, "one absence is enough for IsGone, once the region's list agrees")
		})
	}
}

func TestWaitContextCanceled(t *testing.T) {
	t.Parallel()
	srv := newWaitServer(t, waitState("Allocated", "UnConfirmed"))
	// The deadline leaves a loaded machine ample time for the first poll, whose result the
	// error must report; the bound on the wait only has to catch one that ignores its context.
	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	req := waitFor(IsEnabled)
	req.MinDelay, req.MaxDelay = 5*time.Millisecond, 10*time.Millisecond
	_, err := fixtureClient(t, srv.URL).WaitVirtualPhysicalConnections(ctx, req)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	var wErr *WaitError
	require.ErrorAs(t, err, &wErr)
	require.NotNil(t, wErr.Results[0].Last)
	assert.Equal(t, StatusAllocated, wErr.Results[0].Last.Status)
	assert.Contains(t, err.Error(), "pc-w last seen Allocated, UnConfirmed")
	assert.Less(t, time.Since(start), 10*time.Second)
}

// TestWaitThrottlingSlowsDown checks the waits after polls that fail with an error the default
// policy retries: they grow round by round as after any poll, and are at least the TimeLeft
// the service gave.
func TestWaitThrottlingSlowsDown(t *testing.T) {
	t.Parallel()
	throttle := fixtureAPI(http.StatusBadRequest, "Throttling.User", "x-ratelimit-user-api", "Limit:1,Remain:0,TimeLeft:500")
	steps := []fixtureStep{waitState("Allocated", "UnConfirmed")}
	for range 6 { // two polls of three attempts each
		steps = append(steps, throttle)
	}
	steps = append(steps, waitState("Enabled", "Confirmed"))
	srv := newWaitServer(t, steps...)
	var waits []time.Duration
	half := func() float64 { return 0.5 } // each wait is three quarters of its ceiling
	record := func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil }
	req := waitFor(IsEnabled)
	req.MinDelay, req.MaxDelay = 100*time.Millisecond, time.Second

	resp, err := waitVirtually(context.Background(), fixtureClient(t, srv.URL), req, half, record)

	require.NoError(t, err, "throttling slows the waiter down rather than failing it")
	assert.Equal(t, StatusEnabled, resp.Connections[0].Status)
	assert.Len(t, lists(srv), 8)
	assert.Equal(t, []time.Duration{
		0,                      // the first poll
		75 * time.Millisecond,  // after the first round: 3/4 of 100 ms
		500 * time.Millisecond, // after a throttled round: TimeLeft, longer than 3/4 of 200 ms
		500 * time.Millisecond, // after another: TimeLeft, longer than 3/4 of 400 ms
	}, waits)
}

func TestWaitFatalPollError(t *testing.T) {
	t.Parallel()
	srv := newWaitServer(t, fixtureAPI(http.StatusNotFound, "InvalidAccessKeyId.NotFound"))
	_, err := fixtureClient(t, srv.URL).WaitVirtualPhysicalConnections(context.Background(), waitFor(IsEnabled))
	require.ErrorIs(t, err, CodeInvalidAccessKeyIDNotFound)
	var wErr *WaitError
	require.ErrorAs(t, err, &wErr)
	assert.Equal(t, 1, wErr.Polls)
}

func TestWaitCustomCondition(t *testing.T) {
	t.Parallel()
	srv := newWaitServer(t, waitState("Enabled", "Confirmed"))
	wide := func(conn *VirtualPhysicalConnection) (bool, error) {
		if conn == nil {
			return false, errors.New("gone")
		}
		return conn.Spec == conn.ExpectSpec, nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	_, err := fixtureClient(t, srv.URL).WaitVirtualPhysicalConnections(ctx, waitFor(wide))
	assert.ErrorIs(t, err, context.DeadlineExceeded, "50M is not 100M yet: the wait goes on until ctx ends")
}

func TestWaitArguments(t *testing.T) {
	t.Parallel()
	srv := newWaitServer(t)
	c := fixtureClient(t, srv.URL)
	var nilCtx context.Context // what a caller passes by mistake
	_, err := c.WaitVirtualPhysicalConnections(nilCtx, &WaitRequest{})
	var vErr *ValidationError
	require.ErrorAs(t, err, &vErr)
	assert.ErrorIs(t, err, ErrInvalidParameter)
	var fields []string
	for _, v := range vErr.Violations {
		fields = append(fields, v.Field)
	}
	assert.Equal(t, []string{"ctx", "PhysicalConnectionID", "VirtualPhysicalConnectionIDs", "Until"}, fields)

	_, err = c.WaitVirtualPhysicalConnections(nilCtx, waitFor(IsGone))
	assert.ErrorIs(t, err, ErrInvalidParameter, "a nil Context is refused, as by every operation, not a panic")
	_, err = c.WaitVirtualPhysicalConnections(context.Background(), nil)
	assert.ErrorIs(t, err, ErrInvalidParameter)

	tests := []struct {
		name  string
		edit  func(r *WaitRequest)
		field string
	}{
		{"delays the wrong way round", func(r *WaitRequest) { r.MinDelay, r.MaxDelay = time.Second, time.Millisecond }, "MaxDelay"},
		{"negative delay", func(r *WaitRequest) { r.MinDelay = -time.Second }, "MaxDelay"},
		{"empty ID", func(r *WaitRequest) { r.VirtualPhysicalConnectionIDs = []string{""} }, "VirtualPhysicalConnectionIDs[0]"},
		{"repeated ID", func(r *WaitRequest) { r.VirtualPhysicalConnectionIDs = []string{"pc-w", "pc-w"} }, "VirtualPhysicalConnectionIDs[1]"},
		{"circuit among the IDs", func(r *WaitRequest) { r.VirtualPhysicalConnectionIDs = []string{"pc-circuit"} }, "VirtualPhysicalConnectionIDs[0]"},
	}
	for _, tc := range tests {
		req := waitFor(IsGone)
		tc.edit(req)
		_, err := c.WaitVirtualPhysicalConnections(context.Background(), req)
		require.ErrorAs(t, err, &vErr, tc.name)
		assert.Equal(t, tc.field, vErr.Violations[0].Field, tc.name)
	}
	assert.Empty(t, srv.requests())
}

// TestWaitConditionErrorIsNotDropped checks that a condition that reports done together with
// an error ends the wait for that connection with the error.
func TestWaitConditionErrorIsNotDropped(t *testing.T) {
	t.Parallel()
	srv := newWaitServer(t, waitState("Enabled", "Confirmed"))
	both := func(*VirtualPhysicalConnection) (bool, error) { return true, errors.New("inconsistent") }
	_, err := fixtureClient(t, srv.URL).WaitVirtualPhysicalConnections(context.Background(), waitFor(both))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "inconsistent")
	var wErr *WaitError
	require.ErrorAs(t, err, &wErr)
	assert.False(t, wErr.Results[0].Done)
}

// TestWaitEveryPollThrottled checks that a wait kept going by throttled polls until its
// context ends matches both the deadline and the throttling.
func TestWaitEveryPollThrottled(t *testing.T) {
	t.Parallel()
	srv := newWaitServer(t, fixtureAPI(http.StatusBadRequest, "Throttling.User"))
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err := fixtureClient(t, srv.URL).WaitVirtualPhysicalConnections(ctx, waitFor(IsEnabled), WithMaxAttempts(1))
	require.Error(t, err)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.ErrorIs(t, err, ErrThrottled, "the last poll's cause is kept: %v", err)
}

// TestWaitCost runs a wait against a virtual clock to count the polls the documentation
// promises: about 6 in the first minute and about 3 a minute after that, with the default
// intervals and the average jitter.
func TestWaitCost(t *testing.T) {
	t.Parallel()
	srv := newWaitServer(t, waitState("Allocated", "UnConfirmed"))
	c := fixtureClient(t, srv.URL)
	var now time.Duration
	var pollsAt []time.Duration
	virtual := func(ctx context.Context, d time.Duration) error { now += d; return nil }
	until := func(limit time.Duration) Condition {
		return func(*VirtualPhysicalConnection) (bool, error) {
			pollsAt = append(pollsAt, now)
			return now >= limit, nil
		}
	}
	req := waitFor(until(11 * time.Minute))
	req.MinDelay, req.MaxDelay = 0, 0 // the defaults

	_, err := waitVirtually(context.Background(), c, req, func() float64 { return 0.5 }, virtual)
	require.NoError(t, err)

	count := func(from, to time.Duration) int {
		n := 0
		for _, at := range pollsAt {
			if at >= from && at < to {
				n++
			}
		}
		return n
	}
	assert.Equal(t, 6, count(0, time.Minute), "first minute: %v", pollsAt)
	for m := time.Minute; m < 10*time.Minute; m += time.Minute {
		assert.InDelta(t, 3, count(m, m+time.Minute), 1, "minute %s", m)
	}
}

// fixtureListing answers List with the hosted connections of conns (ID → parent circuit) that
// the request's filters select, each in the states status returns for it.
func fixtureListing(conns map[string]string, status func(id string) (string, string)) fixtureStep {
	return func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		var elements []string
		for i := 1; ; i++ {
			id := q.Get(listParam(paramVirtualPhysicalConnectionIDs, i-1))
			if id == "" {
				break
			}
			parent, ok := conns[id]
			if !ok || q.Get("PhysicalConnectionId") != "" && q.Get("PhysicalConnectionId") != parent {
				continue
			}
			st, vst := status(id)
			elements = append(elements, hostedElement(id, parent, st, vst))
		}
		fixtureJSON(http.StatusOK, listPage("", elements...), "")(w, r)
	}
}

// TestWaitBatch waits for 45 hosted connections of one circuit: every round lists them 20 to a
// call (3 calls), and the wait ends when the last one is enabled, with each returned.
func TestWaitBatch(t *testing.T) {
	t.Parallel()
	conns := map[string]string{}
	var ids []string
	for i := range 45 {
		id := fmt.Sprintf("pc-w%02d", i)
		conns[id], ids = "pc-circuit", append(ids, id)
	}
	var mu sync.Mutex
	polled := map[string]int{}
	status := func(id string) (string, string) {
		mu.Lock()
		defer mu.Unlock()
		polled[id]++
		if polled[id] >= 3 { // enabled at the third round
			return "Enabled", "Confirmed"
		}
		return "Allocated", "UnConfirmed"
	}
	srv := newWaitServer(t, fixtureListing(conns, status))
	req := waitFor(IsEnabled)
	req.VirtualPhysicalConnectionIDs = ids

	resp, err := fixtureClient(t, srv.URL).WaitVirtualPhysicalConnections(context.Background(), req)

	require.NoError(t, err)
	require.Len(t, resp.Connections, 45)
	for i, conn := range resp.Connections {
		assert.Equal(t, ids[i], conn.VirtualPhysicalConnectionID)
		assert.Equal(t, StatusEnabled, conn.Status)
	}
	assert.Equal(t, 9, resp.Polls, "3 rounds of 3 List calls")
	for _, q := range lists(srv) {
		assert.Equal(t, "pc-circuit", q.Get("PhysicalConnectionId"))
		assert.NotEmpty(t, q.Get("VirtualPhysicalConnectionIds.1"))
		assert.Empty(t, q.Get("VirtualPhysicalConnectionIds.21"), "at most 20 IDs a call")
	}
}

// TestWaitBatchResultsPerConnection checks that one connection that can no longer reach the
// state does not end the wait for the others, and that the error lists each result.
func TestWaitBatchResultsPerConnection(t *testing.T) {
	t.Parallel()
	conns := map[string]string{"pc-ok": "pc-circuit", "pc-rejected": "pc-circuit"}
	var mu sync.Mutex
	okPolls := 0
	status := func(id string) (string, string) {
		mu.Lock()
		defer mu.Unlock()
		if id == "pc-rejected" {
			return "Rejected", "UnConfirmed"
		}
		okPolls++
		if okPolls >= 3 { // enabled two rounds after the other one failed
			return "Enabled", "Confirmed"
		}
		return "Confirmed", "Confirmed"
	}
	srv := newWaitServer(t, fixtureListing(conns, status))
	req := waitFor(IsEnabled)
	req.VirtualPhysicalConnectionIDs = []string{"pc-rejected", "pc-ok"}

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := fixtureClient(t, srv.URL).WaitVirtualPhysicalConnections(ctx, req)

	require.ErrorIs(t, err, ErrUnreachable)
	require.NoError(t, ctx.Err())
	var wErr *WaitError
	require.ErrorAs(t, err, &wErr)
	require.Len(t, wErr.Results, 2)
	assert.ErrorIs(t, wErr.Results[0].Err, ErrUnreachable)
	assert.True(t, wErr.Results[1].Done, "the other connection was waited for to the end")
	assert.Contains(t, err.Error(), "pc-rejected")
}

// TestWaitWrongCircuit checks that a wait never concludes "gone" or "does not exist" from a
// listing on the wrong circuit: a wrong, swapped or missing circuit is an error that names the
// argument, and IsGone does not hold.
func TestWaitWrongCircuit(t *testing.T) {
	t.Parallel()
	conns := map[string]string{"pc-hosted": "pc-circuit", "pc-elsewhere": "pc-other"}
	enabled := func(string) (string, string) { return "Enabled", "Confirmed" }
	tests := []struct {
		name     string
		circuit  string
		id       string
		wantErr  error
		wantText string
	}{
		{"hosted connection on another circuit", "pc-circuit", "pc-elsewhere", ErrNotHostedConnection, "VirtualPhysicalConnectionIDs[0] pc-elsewhere is on circuit pc-other"},
		{"arguments swapped", "pc-hosted", "pc-circuit", ErrNotHostedConnection, "PhysicalConnectionID pc-hosted is a hosted connection"},
		{"a circuit among the hosted connections", "pc-circuit", "pc-second-circuit", ErrNotHostedConnection, "pc-second-circuit is a circuit"},
		{"circuit that does not exist", "pc-nowhere", "pc-hosted", ErrNotFound, "PhysicalConnectionID pc-nowhere"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newFixtureServer(t, fixtureByAction(map[string][]fixtureStep{
				actionList: {fixtureListing(conns, enabled)},
				actionDescribe: {fixtureDescribe(map[string]string{
					"pc-circuit": productCircuit, "pc-other": productCircuit, "pc-second-circuit": productCircuit, "pc-hosted": productHosted,
				})},
			}))
			req := waitFor(IsGone)
			req.PhysicalConnectionID, req.VirtualPhysicalConnectionIDs = tc.circuit, []string{tc.id}

			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			resp, err := fixtureClient(t, srv.URL).WaitVirtualPhysicalConnections(ctx, req)

			assert.Nil(t, resp, "no false gone")
			require.ErrorIs(t, err, tc.wantErr)
			assert.Contains(t, err.Error(), tc.wantText)
			var wErr *WaitError
			require.ErrorAs(t, err, &wErr)
			assert.False(t, wErr.Results[0].Done)
		})
	}
}
