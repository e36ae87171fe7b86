package expressconnect

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// waitFast are wait options for tests: short polls.
var waitFast = []WaitOption{WithPollInterval(time.Millisecond, 4*time.Millisecond)}

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
	srv := newFixtureServer(t, waitState("Allocated", "UnConfirmed"), waitState("Allocated", "UnConfirmed"), waitState("Confirmed", "Confirmed"))
	c := fixtureClient(t, srv.URL)

	conn, err := c.WaitVirtualPhysicalConnection(context.Background(), "pc-circuit", "pc-w", IsAccepted, waitFast...)

	require.NoError(t, err)
	assert.Equal(t, VirtualPhysicalConnectionConfirmed, conn.VirtualPhysicalConnectionStatus)
	assert.Len(t, srv.requests(), 3)
	q := srv.queries()[0]
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
		{"absent twice while waiting for acceptance", IsAccepted, []fixtureStep{waitState("", "")}, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newFixtureServer(t, tc.steps...)
			_, err := fixtureClient(t, srv.URL).WaitVirtualPhysicalConnection(context.Background(), "", "pc-w", tc.cond, waitFast...)

			require.ErrorIs(t, err, ErrUnreachable)
			var wErr *WaitError
			require.ErrorAs(t, err, &wErr)
			assert.Equal(t, "pc-w", wErr.VirtualPhysicalConnectionID)
			assert.Equal(t, tc.polls, wErr.Polls)
			assert.Len(t, srv.requests(), tc.polls)
			assert.Contains(t, err.Error(), "waiting for hosted connection pc-w")
		})
	}
}

func TestWaitAbsentOnceThenPresent(t *testing.T) {
	t.Parallel()
	srv := newFixtureServer(t, waitState("", ""), waitState("Confirmed", "Confirmed"))
	conn, err := fixtureClient(t, srv.URL).WaitVirtualPhysicalConnection(context.Background(), "", "pc-w", IsAccepted, waitFast...)
	require.NoError(t, err, "one absence right after creation is not believed")
	assert.Equal(t, "pc-w", conn.VirtualPhysicalConnectionID)
}

func TestWaitGone(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		last    fixtureStep
		deleted bool
	}{
		{"absent from the list", waitState("", ""), false},
		{"listed as deleted", waitState("Allocated", "Deleted"), true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newFixtureServer(t, waitState("Allocated", "UnConfirmed"), tc.last)
			conn, err := fixtureClient(t, srv.URL).WaitVirtualPhysicalConnection(context.Background(), "", "pc-w", IsGone, waitFast...)
			require.NoError(t, err)
			if tc.deleted {
				require.NotNil(t, conn)
				assert.Equal(t, VirtualPhysicalConnectionDeleted, conn.VirtualPhysicalConnectionStatus)
			} else {
				assert.Nil(t, conn, "an absent connection is returned as nil")
			}
			assert.Len(t, srv.requests(), 2, "one absence is enough for IsGone")
		})
	}
}

func TestWaitContextCanceled(t *testing.T) {
	t.Parallel()
	srv := newFixtureServer(t, waitState("Allocated", "UnConfirmed"))
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := fixtureClient(t, srv.URL).WaitVirtualPhysicalConnection(ctx, "", "pc-w", IsEnabled, WithPollInterval(5*time.Millisecond, 10*time.Millisecond))
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	var wErr *WaitError
	require.ErrorAs(t, err, &wErr)
	require.NotNil(t, wErr.Last)
	assert.Equal(t, StatusAllocated, wErr.Last.Status)
	assert.Less(t, time.Since(start), time.Second)
}

// TestWaitThrottlingSlowsDown checks the waits after polls that fail with an error the default
// policy retries: the interval doubles before the next poll, not after it, and the wait is at
// least the TimeLeft the service gave.
func TestWaitThrottlingSlowsDown(t *testing.T) {
	t.Parallel()
	throttle := fixtureAPI(http.StatusBadRequest, "Throttling.User", "x-ratelimit-user-api", "Limit:1,Remain:0,TimeLeft:500")
	steps := []fixtureStep{waitState("Allocated", "UnConfirmed")}
	for range 6 { // two polls of three attempts each
		steps = append(steps, throttle)
	}
	steps = append(steps, waitState("Enabled", "Confirmed"))
	srv := newFixtureServer(t, steps...)
	var waits []time.Duration
	recorded := func(c *waitConfig) error {
		c.random = func() float64 { return 0.5 } // each wait is three quarters of its interval
		c.sleep = func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil }
		return nil
	}

	conn, err := fixtureClient(t, srv.URL).WaitVirtualPhysicalConnection(context.Background(), "", "pc-w", IsEnabled,
		WithPollInterval(100*time.Millisecond, time.Second), recorded)

	require.NoError(t, err, "throttling slows the waiter down rather than failing it")
	assert.Equal(t, StatusEnabled, conn.Status)
	assert.Len(t, srv.requests(), 8)
	assert.Equal(t, []time.Duration{
		0,                      // the first poll
		75 * time.Millisecond,  // after a poll that found the connection: 3/4 of 100 ms
		500 * time.Millisecond, // after a throttled poll: TimeLeft, longer than 3/4 of 400 ms
		600 * time.Millisecond, // after another: 3/4 of 800 ms, longer than TimeLeft
	}, waits)
}

func TestWaitFatalPollError(t *testing.T) {
	t.Parallel()
	srv := newFixtureServer(t, fixtureAPI(http.StatusNotFound, "InvalidAccessKeyId.NotFound"))
	_, err := fixtureClient(t, srv.URL).WaitVirtualPhysicalConnection(context.Background(), "", "pc-w", IsEnabled, waitFast...)
	require.ErrorIs(t, err, CodeInvalidAccessKeyIDNotFound)
	var wErr *WaitError
	require.ErrorAs(t, err, &wErr)
	assert.Equal(t, 1, wErr.Polls)
}

func TestWaitCustomCondition(t *testing.T) {
	t.Parallel()
	srv := newFixtureServer(t, waitState("Enabled", "Confirmed"))
	wide := func(conn *VirtualPhysicalConnection) (bool, error) {
		if conn == nil {
			return false, errors.New("gone")
		}
		return conn.Spec == conn.ExpectSpec, nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	_, err := fixtureClient(t, srv.URL).WaitVirtualPhysicalConnection(ctx, "", "pc-w", wide, waitFast...)
	assert.ErrorIs(t, err, context.DeadlineExceeded, "50M is not 100M yet: the wait goes on until ctx ends")
}

func TestWaitArguments(t *testing.T) {
	t.Parallel()
	srv := newFixtureServer(t)
	c := fixtureClient(t, srv.URL)
	var nilCtx context.Context // what a caller passes by mistake
	_, err := c.WaitVirtualPhysicalConnection(nilCtx, "", "", nil)
	var vErr *ValidationError
	require.ErrorAs(t, err, &vErr)
	assert.ErrorIs(t, err, ErrInvalidRequest)
	var fields []string
	for _, v := range vErr.Violations {
		fields = append(fields, v.Field)
	}
	assert.Equal(t, []string{"ctx", "id", "cond"}, fields)
	_, err = c.WaitVirtualPhysicalConnection(nilCtx, "", "pc-w", IsGone)
	assert.ErrorIs(t, err, ErrInvalidRequest, "a nil Context is refused, as by every operation, not a panic")
	_, err = c.WaitVirtualPhysicalConnection(context.Background(), "", "pc-w", IsGone, WithPollInterval(time.Second, time.Millisecond))
	assert.ErrorIs(t, err, ErrInvalidOption)
	assert.Empty(t, srv.requests())
}

// TestWaitCost runs a wait against a virtual clock to count the polls the documentation
// promises: about 6 in the first minute and about 3 a minute after that, with the default
// intervals and the average jitter.
func TestWaitCost(t *testing.T) {
	t.Parallel()
	srv := newFixtureServer(t, waitState("Allocated", "UnConfirmed"))
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
	average := func(c *waitConfig) error { c.random, c.sleep = func() float64 { return 0.5 }, virtual; return nil }

	_, err := c.WaitVirtualPhysicalConnection(context.Background(), "", "pc-w", until(11*time.Minute), average)
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
