package expressconnect

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// WaitVirtualPhysicalConnection polls ListVirtualPhysicalConnections for the hosted connection
// id on the circuit (the circuit filter is left out when circuit is empty) until cond holds,
// and returns the hosted connection as the poll that satisfied cond saw it (nil when cond
// holds for an absent connection, as [IsGone] does).
//
// The first poll is sent at once; the next ones wait WithPollInterval's first interval, then
// twice as long each time up to its maximum (by default 2 s growing to 30 s), each with
// equal jitter (a random wait between half the interval and the interval). With the defaults a
// wait costs about 6 List calls in its first minute and about 3 a minute after that.
//
// Every poll is an ordinary call with the client's retries. A poll that still fails with an
// error the default retry policy would retry (throttling, a service-side failure, no answer)
// or with an empty retry budget does not end the wait: the next poll waits longer (at least as
// long as the service asked), so that throttling slows the waiter down. Any other failure ends
// the wait. The wait also ends when ctx is done, and when cond reports that its state can no
// longer be reached; an absent connection must be absent from two polls in a row before an
// error of cond on it ends the wait, since List may not show a hosted connection created a
// moment ago (a done on it counts at once, as [IsGone]'s does). Every failure is a *WaitError,
// except that of invalid arguments or options.
func (c *Client) WaitVirtualPhysicalConnection(ctx context.Context, circuit, id string, cond Condition, opts ...WaitOption) (*VirtualPhysicalConnection, error) {
	cfg := waitConfig{first: DefaultFirstPoll, max: DefaultMaxPoll, random: rand.Float64, sleep: sleep}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&cfg); err != nil {
			return nil, invalidOption(err)
		}
	}
	if err := checkWait(ctx, id, cond); err != nil {
		return nil, err
	}
	w := waiter{client: c, cfg: cfg, circuit: circuit, id: id, cond: cond}
	return w.run(ctx)
}

// Defaults of WithPollInterval.
const (
	// DefaultFirstPoll is the wait before the second poll.
	DefaultFirstPoll = 2 * time.Second
	// DefaultMaxPoll is the longest wait between two polls.
	DefaultMaxPoll = 30 * time.Second
)

// Condition reports whether a hosted connection is in the state a wait is for. conn is the
// hosted connection as ListVirtualPhysicalConnections returns it, or nil when List does not
// return it. A condition returns done when the state holds, or an error matching
// [ErrUnreachable] when the state can no longer be reached, which ends the wait.
type Condition func(conn *VirtualPhysicalConnection) (done bool, err error)

// ErrUnreachable is matched when a wait ended because its condition can no longer hold, such
// as a deleted hosted connection while waiting for it to be enabled.
var ErrUnreachable = errors.New("the state waited for can no longer be reached")

// IsAccepted holds once the tenant has accepted the hosted connection
// (VirtualPhysicalConnectionStatus Confirmed). It cannot be reached once the hosted
// connection is deleted or absent, or Rejected, Canceled or failed to be allocated.
func IsAccepted(conn *VirtualPhysicalConnection) (bool, error) {
	switch {
	case conn == nil:
		return false, unreachable("the hosted connection does not exist")
	case conn.VirtualPhysicalConnectionStatus == VirtualPhysicalConnectionConfirmed:
		return true, nil
	case conn.VirtualPhysicalConnectionStatus == VirtualPhysicalConnectionDeleted:
		return false, unreachable("the hosted connection is deleted")
	}
	return false, deadStatus(conn.Status, StatusRejected, StatusCanceled, StatusAllocationFailed)
}

// IsEnabled holds once the hosted connection is Enabled, the state in which it carries
// traffic. It cannot be reached once the hosted connection is deleted or absent, or Rejected,
// Canceled, failed to be allocated, Terminating or Terminated.
func IsEnabled(conn *VirtualPhysicalConnection) (bool, error) {
	switch {
	case conn == nil:
		return false, unreachable("the hosted connection does not exist")
	case conn.VirtualPhysicalConnectionStatus == VirtualPhysicalConnectionDeleted:
		return false, unreachable("the hosted connection is deleted")
	case conn.Status.Is(StatusEnabled):
		return true, nil
	}
	return false, deadStatus(conn.Status, StatusRejected, StatusCanceled, StatusAllocationFailed, StatusTerminating, StatusTerminated)
}

// IsGone holds once List no longer returns the hosted connection, or returns it as deleted.
// It can always be reached.
func IsGone(conn *VirtualPhysicalConnection) (bool, error) {
	return conn == nil || conn.VirtualPhysicalConnectionStatus == VirtualPhysicalConnectionDeleted, nil
}

// deadStatus returns an unreachable error when status is one of dead, else nil.
func deadStatus(status PhysicalConnectionStatus, dead ...PhysicalConnectionStatus) error {
	for _, d := range dead {
		if status.Is(d) {
			return unreachable("the hosted connection is " + string(status))
		}
	}
	return nil
}

// unreachable returns an error matching ErrUnreachable that says why.
func unreachable(why string) error { return fmt.Errorf("%w: %s", ErrUnreachable, why) }

// WaitOption configures [Client.WaitVirtualPhysicalConnection].
type WaitOption func(*waitConfig) error

// waitConfig is what the wait options set.
type waitConfig struct {
	region     string
	first, max time.Duration
	callOpts   []CallOption
	// random returns values in [0, 1) for the jitter.
	random func() float64
	// sleep waits between polls; tests replace it with a virtual clock.
	sleep func(ctx context.Context, d time.Duration) error
}

// WithPollInterval sets the wait before the second poll (first) and the longest wait between
// two polls (max); the waits in between double. Default: [DefaultFirstPoll] and
// [DefaultMaxPoll].
func WithPollInterval(first, max time.Duration) WaitOption {
	return func(c *waitConfig) error {
		if first <= 0 || max < first {
			return fmt.Errorf("WithPollInterval: need 0 < first <= max, got %s and %s", first, max)
		}
		c.first, c.max = first, max
		return nil
	}
}

// WithWaitRegion polls the hosted connection in region. Default: the client's region.
func WithWaitRegion(region string) WaitOption {
	return func(c *waitConfig) error {
		if region == "" {
			return errors.New("WithWaitRegion: region must not be empty")
		}
		c.region = region
		return nil
	}
}

// WithPollCallOptions applies opts to every poll. Default: none, the client's settings.
func WithPollCallOptions(opts ...CallOption) WaitOption {
	return func(c *waitConfig) error {
		c.callOpts = append(c.callOpts, opts...)
		return nil
	}
}

// WaitError is the error of a wait that ended before its condition held. It matches its
// cause: ErrUnreachable, the context's error, or the failure of the last poll.
type WaitError struct {
	// VirtualPhysicalConnectionID is the hosted connection waited for.
	VirtualPhysicalConnectionID string
	// Polls is how many polls the wait sent.
	Polls int
	// Last is the hosted connection as the last poll that found it saw it; nil when no poll
	// found it.
	Last *VirtualPhysicalConnection
	// Err is why the wait ended.
	Err error
}

// Error returns one line with the hosted connection, the cause, the number of polls and the
// last state seen.
func (e *WaitError) Error() string {
	var b strings.Builder
	b.WriteString("expressconnect: waiting for hosted connection ")
	b.WriteString(e.VirtualPhysicalConnectionID)
	b.WriteString(": ")
	b.WriteString(strings.TrimPrefix(errText(e.Err), "expressconnect: "))
	b.WriteString(" (")
	b.WriteString(strconv.Itoa(e.Polls))
	b.WriteString(" polls")
	if e.Last != nil {
		b.WriteString("; last seen ")
		b.WriteString(string(e.Last.Status))
		b.WriteString(", ")
		b.WriteString(string(e.Last.VirtualPhysicalConnectionStatus))
	}
	b.WriteString(")")
	return oneLine(b.String())
}

// Unwrap returns the cause.
func (e *WaitError) Unwrap() error { return e.Err }

// checkWait checks the arguments of a wait.
func checkWait(ctx context.Context, id string, cond Condition) error {
	v := validator{}
	if ctx == nil {
		v.add("ctx", "-", "must not be nil")
	}
	v.required("id", listParam(paramVirtualPhysicalConnectionIDs, 0), id)
	if cond == nil {
		v.add("cond", "-", "must not be nil: use IsAccepted, IsEnabled, IsGone or a Condition of your own")
	}
	return v.result("WaitVirtualPhysicalConnection")
}

// waiter is one wait.
type waiter struct {
	client      *Client
	cfg         waitConfig
	circuit, id string
	cond        Condition
	polls       int
	last        *VirtualPhysicalConnection
}

// run polls until the condition holds or the wait ends.
func (w *waiter) run(ctx context.Context) (*VirtualPhysicalConnection, error) {
	interval, delay := w.cfg.first, time.Duration(0)
	absentOnce := false
	for {
		if err := w.cfg.sleep(ctx, delay); err != nil {
			return nil, w.fail(err)
		}
		conn, err := w.poll(ctx)
		if err != nil {
			if !keepWaiting(ctx, err) {
				return nil, w.fail(err)
			}
			interval = min(2*interval, w.cfg.max)
			delay = max(w.jitter(interval), retryAfter(err))
			continue
		}
		done, err := w.cond(conn)
		switch {
		case done:
			return conn, nil
		case err != nil && conn == nil && !absentOnce:
			// List may lag behind a creation: look once more before believing the absence.
			absentOnce, delay = true, w.jitter(w.cfg.first)
			continue
		case err != nil:
			return nil, w.fail(err)
		}
		absentOnce = false
		delay = w.jitter(interval)
		interval = min(2*interval, w.cfg.max)
	}
}

// poll lists the hosted connection once.
func (w *waiter) poll(ctx context.Context) (*VirtualPhysicalConnection, error) {
	w.polls++
	resp, err := w.client.ListVirtualPhysicalConnections(ctx, &ListVirtualPhysicalConnectionsRequest{
		RegionID:                     w.cfg.region,
		PhysicalConnectionID:         w.circuit,
		VirtualPhysicalConnectionIDs: []string{w.id},
		VirtualPhysicalConnectionStatuses: []VirtualPhysicalConnectionStatus{
			VirtualPhysicalConnectionUnConfirmed, VirtualPhysicalConnectionConfirmed, VirtualPhysicalConnectionDeleted,
		},
	}, w.cfg.callOpts...)
	if err != nil {
		return nil, err
	}
	for i := range resp.VirtualPhysicalConnections {
		if conn := &resp.VirtualPhysicalConnections[i]; conn.VirtualPhysicalConnectionID == w.id {
			w.last = conn
			return conn, nil
		}
	}
	return nil, nil
}

// keepWaiting reports whether a failed poll should be followed by another: the default retry
// policy would have retried it, or the retry budget was empty.
func keepWaiting(ctx context.Context, err error) bool {
	return DefaultCheckRetry(ctx, err) != NoRetry || errors.Is(err, ErrRetryBudgetExhausted) && ctx.Err() == nil
}

// retryAfter returns the wait the service asked for in err, or 0.
func retryAfter(err error) time.Duration {
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		return apiErr.RetryAfter()
	}
	return 0
}

// jitter returns a random wait between half of d and d.
func (w *waiter) jitter(d time.Duration) time.Duration {
	return d/2 + time.Duration(w.cfg.random()*float64(d/2))
}

// fail returns the *WaitError that ends the wait with err.
func (w *waiter) fail(err error) error {
	return &WaitError{VirtualPhysicalConnectionID: w.id, Polls: w.polls, Last: w.last, Err: err}
}
