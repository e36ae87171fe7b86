package expressconnect

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/expressconnect-go/expressconnect/internal/rules"
)

// WaitVirtualPhysicalConnections polls ListVirtualPhysicalConnections until req.Until holds for
// every hosted connection req names, and returns each as the poll that satisfied its condition
// saw it.
//
// One poll round lists the circuit's hosted connections that are still pending, up to 20 per
// List call (VirtualPhysicalConnectionIds.N takes 20), so a round costs ⌈N/20⌉ calls for N
// pending connections. The first round is sent at once; the waits between rounds grow from
// req.MinDelay to req.MaxDelay (by default 2 s to 30 s) with the client's one backoff engine
// (see [DefaultBackoff]): about 6 rounds in the first minute and 3 a minute after that.
//
// Every poll is an ordinary call with the client's retries and opts. A round that still fails
// with an error the default retry policy would retry (throttling, a service-side failure, no
// answer) or with an empty retry budget does not end the wait: the next round waits longer (at
// least as long as the service asked), so that throttling slows the waiter down. Any other
// failure ends the wait, and so does ctx. When the wait ends early, the error is a *WaitError
// that matches the cause, for example [ErrThrottled] when the last poll was throttled, or
// context.DeadlineExceeded.
//
// A connection that List does not return must be absent from two rounds in a row before its
// condition may call it unreachable, since List may not show a hosted connection created a
// moment ago; [IsGone] holds at the first absence. A condition that reports an error ends the
// wait for that connection only; the others are still waited for, and the *WaitError then
// lists every connection's result.
func (c *Client) WaitVirtualPhysicalConnections(ctx context.Context, req *WaitRequest, opts ...CallOption) (*WaitResponse, error) {
	if err := req.check(ctx); err != nil {
		return nil, err
	}
	w := newWaiter(c, req, opts)
	return w.run(ctx)
}

// Defaults of the poll bounds of a WaitRequest.
const (
	// DefaultMinDelay is the wait before the second poll round.
	DefaultMinDelay = 2 * time.Second
	// DefaultMaxDelay is the longest wait between two poll rounds.
	DefaultMaxDelay = 30 * time.Second
)

// WaitRequest says what [Client.WaitVirtualPhysicalConnections] waits for.
type WaitRequest struct {
	// RegionID is the region of the hosted connections. Required; when empty the client's
	// region is used.
	RegionID string
	// PhysicalConnectionID is the partner's circuit the hosted connections are on. Required.
	PhysicalConnectionID string
	// VirtualPhysicalConnectionIDs are the hosted connections to wait for: one or more,
	// without repeats.
	VirtualPhysicalConnectionIDs []string
	// Until is the state to wait for: [IsAccepted], [IsEnabled], [HasSpec], [IsTerminated],
	// [IsGone] or a Condition of your own. Required.
	Until Condition
	// MinDelay is the wait before the second poll round; default [DefaultMinDelay].
	MinDelay time.Duration
	// MaxDelay is the longest wait between two poll rounds, at least MinDelay; default
	// [DefaultMaxDelay].
	MaxDelay time.Duration
}

// WaitResponse is the end of a wait whose condition holds for every hosted connection.
type WaitResponse struct {
	// Connections holds each hosted connection as the poll that satisfied its condition saw
	// it, in the order of the request's VirtualPhysicalConnectionIDs; nil for one that List no
	// longer returns (as [IsGone] accepts).
	Connections []*VirtualPhysicalConnection
	// Polls is how many List calls the wait sent.
	Polls int
}

// Condition reports whether a hosted connection is in the state a wait is for. conn is the
// hosted connection as ListVirtualPhysicalConnections returns it, or nil when List does not
// return it. A condition returns done when the state holds, or an error matching
// [ErrUnreachable] when the state can no longer be reached, which ends the wait for that
// connection. A condition that returns done together with an error is treated as an error.
type Condition func(conn *VirtualPhysicalConnection) (done bool, err error)

// IsAccepted holds once the tenant has accepted the hosted connection (VpconnStatus
// Confirmed). It cannot be reached once the hosted connection is deleted or absent, or
// Rejected, Canceled or failed to be allocated.
func IsAccepted(conn *VirtualPhysicalConnection) (bool, error) {
	switch {
	case conn == nil:
		return false, unreachable("the hosted connection does not exist")
	case conn.VpconnStatus == VpconnStatusConfirmed:
		return true, nil
	case conn.VpconnStatus == VpconnStatusDeleted:
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
	case conn.VpconnStatus == VpconnStatusDeleted:
		return false, unreachable("the hosted connection is deleted")
	case conn.Status.Is(StatusEnabled):
		return true, nil
	}
	return false, deadStatus(conn.Status, StatusRejected, StatusCanceled, StatusAllocationFailed, StatusTerminating, StatusTerminated)
}

// IsGone holds once List no longer returns the hosted connection, or returns it as deleted.
// It can always be reached.
func IsGone(conn *VirtualPhysicalConnection) (bool, error) {
	return conn == nil || conn.VpconnStatus == VpconnStatusDeleted, nil
}

// IsTerminated holds once the hosted connection is Terminated: after
// [Client.TerminateVirtualPhysicalConnection] it is Terminating first. It cannot be reached
// once the hosted connection is deleted or absent, or Rejected, Canceled or failed to be
// allocated.
func IsTerminated(conn *VirtualPhysicalConnection) (bool, error) {
	switch {
	case conn == nil:
		return false, unreachable("the hosted connection does not exist")
	case conn.VpconnStatus == VpconnStatusDeleted:
		return false, unreachable("the hosted connection is deleted")
	case conn.Status.Is(StatusTerminated):
		return true, nil
	}
	return false, deadStatus(conn.Status, StatusRejected, StatusCanceled, StatusAllocationFailed)
}

// HasSpec returns a Condition that holds once the hosted connection's bandwidth (its Spec) is
// spec: after [Client.UpdateVirtualPhysicalConnection] asked for it with ExpectSpec, it is in
// effect once billing has taken the payment. It cannot be reached once the hosted connection
// is deleted or absent, or Rejected, Canceled, failed to be allocated, Terminating or
// Terminated. A wait for it goes on while the service shows another ExpectSpec, since List may
// not show an update made a moment ago: bound it with the context.
func HasSpec(spec Spec) Condition {
	return func(conn *VirtualPhysicalConnection) (bool, error) {
		switch {
		case conn == nil:
			return false, unreachable("the hosted connection does not exist")
		case conn.VpconnStatus == VpconnStatusDeleted:
			return false, unreachable("the hosted connection is deleted")
		case conn.Spec == spec:
			return true, nil
		}
		return false, deadStatus(conn.Status, StatusRejected, StatusCanceled, StatusAllocationFailed, StatusTerminating, StatusTerminated)
	}
}

// deadStatus returns an unreachable error when status is one of dead, else nil.
func deadStatus(status Status, dead ...Status) error {
	for _, d := range dead {
		if status.Is(d) {
			return unreachable("the hosted connection is " + string(status))
		}
	}
	return nil
}

// unreachable returns an error matching ErrUnreachable that says why.
func unreachable(why string) error { return fmt.Errorf("%w: %s", ErrUnreachable, why) }

// WaitResult is what a wait that ended early knows of one hosted connection.
type WaitResult struct {
	// VirtualPhysicalConnectionID is the hosted connection.
	VirtualPhysicalConnectionID string
	// Done reports that the condition held.
	Done bool
	// Last is the hosted connection as the last poll that found it saw it; nil when no poll
	// found it.
	Last *VirtualPhysicalConnection
	// Err is why the condition cannot hold for it (matching [ErrUnreachable] or the
	// condition's own error); nil when it held or was still pending when the wait ended.
	Err error
}

// WaitError is the error of a wait that ended before its condition held for every hosted
// connection. It matches its cause: the conditions' errors (such as [ErrUnreachable]), the
// context's error, or the failure of the last poll.
type WaitError struct {
	// Polls is how many List calls the wait sent.
	Polls int
	// Results holds every hosted connection's result, in the order of the request.
	Results []WaitResult
	// Err is why the wait ended.
	Err error
}

// Error returns one line with the cause, the number of polls, and the connections not done.
func (e *WaitError) Error() string {
	var b strings.Builder
	b.WriteString("expressconnect: waiting for hosted connections: ")
	b.WriteString(strings.TrimPrefix(errText(e.Err), "expressconnect: "))
	b.WriteString(" (")
	b.WriteString(strconv.Itoa(e.Polls))
	b.WriteString(" polls")
	for _, r := range e.Results {
		if r.Done {
			continue
		}
		b.WriteString("; ")
		b.WriteString(r.VirtualPhysicalConnectionID)
		switch {
		case r.Last != nil:
			b.WriteString(" last seen ")
			b.WriteString(string(r.Last.Status))
			b.WriteString(", ")
			b.WriteString(string(r.Last.VpconnStatus))
		default:
			b.WriteString(" not seen")
		}
	}
	b.WriteString(")")
	return oneLine(b.String())
}

// Unwrap returns the cause.
func (e *WaitError) Unwrap() error { return e.Err }

// check checks the arguments of a wait.
func (r *WaitRequest) check(ctx context.Context) error {
	const op = "WaitVirtualPhysicalConnections"
	e := encoder{strict: true}
	switch {
	case r == nil:
		return nilRequest(op)
	case ctx == nil:
		e.add("ctx", "-", "must not be nil")
	}
	e.required("PhysicalConnectionID", paramPhysicalConnectionID, r.PhysicalConnectionID)
	if len(r.VirtualPhysicalConnectionIDs) == 0 {
		e.add("VirtualPhysicalConnectionIDs", listParam(paramVirtualPhysicalConnectionIDs, 0), "required: name at least one hosted connection")
	}
	seen := make(map[string]int, len(r.VirtualPhysicalConnectionIDs))
	for i, id := range r.VirtualPhysicalConnectionIDs {
		field := "VirtualPhysicalConnectionIDs[" + strconv.Itoa(i) + "]"
		switch j, dup := seen[id]; {
		case id == "":
			e.add(field, "-", "must not be empty")
		case dup:
			e.add(field, "-", fmt.Sprintf("must not repeat VirtualPhysicalConnectionIDs[%d]", j))
		case id == r.PhysicalConnectionID:
			e.add(field, "-", "must not be the circuit's ID (PhysicalConnectionID): are the two swapped?")
		default:
			seen[id] = i
		}
	}
	if r.Until == nil {
		e.add("Until", "-", "required: use IsAccepted, IsEnabled, HasSpec, IsTerminated, IsGone or a Condition of your own")
	}
	if r.MinDelay < 0 || r.MaxDelay < 0 || r.MaxDelay != 0 && r.MaxDelay < r.minDelay() {
		e.add("MaxDelay", "-", fmt.Sprintf("need 0 <= MinDelay <= MaxDelay, got %s and %s", r.MinDelay, r.MaxDelay))
	}
	return e.result(op)
}

func (r *WaitRequest) minDelay() time.Duration {
	if r.MinDelay == 0 {
		return DefaultMinDelay
	}
	return r.MinDelay
}

func (r *WaitRequest) maxDelay() time.Duration {
	if r.MaxDelay == 0 {
		return max(DefaultMaxDelay, r.minDelay())
	}
	return r.MaxDelay
}

// waiter is one wait.
type waiter struct {
	client  *Client
	req     *WaitRequest
	opts    []CallOption
	polls   int
	results []WaitResult
	// absent counts, per connection, the rounds in a row that did not find it.
	absent []int
	// circuitChecked reports that PhysicalConnectionID was confirmed to name a circuit.
	circuitChecked bool
	// pace spaces the poll rounds: the client's one backoff engine, with the wait's bounds.
	pace backoff
	// sleep waits between rounds; tests replace it with a virtual clock.
	sleep func(ctx context.Context, d time.Duration) error
}

func newWaiter(c *Client, req *WaitRequest, opts []CallOption) *waiter {
	w := &waiter{
		client:  c,
		req:     req,
		opts:    opts,
		results: make([]WaitResult, len(req.VirtualPhysicalConnectionIDs)),
		absent:  make([]int, len(req.VirtualPhysicalConnectionIDs)),
		pace:    backoff{base: req.minDelay(), max: req.maxDelay(), random: rand.Float64},
		sleep:   sleep,
	}
	for i, id := range req.VirtualPhysicalConnectionIDs {
		w.results[i].VirtualPhysicalConnectionID = id
	}
	return w
}

// run polls until every condition held or failed, or the wait ends.
func (w *waiter) run(ctx context.Context) (*WaitResponse, error) {
	delay := time.Duration(0)
	var failed error // the failure of the last round, until a round succeeds
	for round := 1; ; round++ {
		if err := w.sleep(ctx, delay); err != nil {
			return nil, w.fail(withLastFailure(err, failed))
		}
		err := w.round(ctx)
		switch {
		case err != nil && ctx.Err() != nil:
			// The context ended while a round was polling, which ends the wait: the round's
			// failure says so, unless its last poll was answered just before the end.
			if !errors.Is(err, ctx.Err()) {
				err = fmt.Errorf("%w: %w", ctx.Err(), err)
			}
			return nil, w.fail(withLastFailure(err, failed))
		case err != nil && !keepWaiting(ctx, err):
			return nil, w.fail(err)
		}
		if w.settled() {
			return w.finish()
		}
		failed = err
		delay = w.pace.wait(round, retryAfter(err))
	}
}

// withLastFailure returns err, which ended the wait, with the failure of the round before
// when rounds were failing: a wait that ran out of time because every poll was throttled
// matches ErrThrottled as well as the context's error.
func withLastFailure(err, failed error) error {
	if failed == nil {
		return err
	}
	return fmt.Errorf("%w; the polls were failing: %w", err, failed)
}

// round polls every pending connection once, 20 to a List call, and applies the condition to
// each. The first round checks the circuit first. It returns the first poll failure, after
// polling what it could.
func (w *waiter) round(ctx context.Context) error {
	if !w.circuitChecked {
		if err := w.checkCircuit(ctx); err != nil {
			return err
		}
		w.circuitChecked = true
	}
	var pending []int
	for i, r := range w.results {
		if !r.Done && r.Err == nil {
			pending = append(pending, i)
		}
	}
	var firstErr error
	for len(pending) > 0 {
		batch := pending[:min(len(pending), rules.MaxListValues)]
		pending = pending[len(batch):]
		err := w.pollBatch(ctx, batch)
		if err != nil {
			if firstErr == nil {
				firstErr = err
			}
			if !keepWaiting(ctx, err) {
				return err
			}
		}
	}
	return firstErr
}

// pollBatch polls the connections of batch (indexes into w.results, at most 20) on the circuit
// and judges each. A connection whose absence would be believed now is looked for beyond the
// circuit first (verifyAbsent), since a listing on a wrong circuit is as empty as one on which
// the connection is gone.
func (w *waiter) pollBatch(ctx context.Context, batch []int) error {
	found, err := w.list(ctx, w.req.PhysicalConnectionID, w.ids(batch))
	if err != nil {
		return err
	}
	var absent []int
	for _, i := range batch {
		conn := found[w.results[i].VirtualPhysicalConnectionID]
		if conn == nil && w.absenceFinal(i) {
			absent = append(absent, i)
			continue
		}
		w.judge(i, conn)
	}
	if len(absent) == 0 {
		return nil
	}
	return w.verifyAbsent(ctx, absent)
}

// ids returns the IDs of the connections of batch.
func (w *waiter) ids(batch []int) []string {
	ids := make([]string, len(batch))
	for j, i := range batch {
		ids[j] = w.results[i].VirtualPhysicalConnectionID
	}
	return ids
}

// list lists the hosted connections ids (at most 20) on circuit ("" for any), deleted ones
// included, following NextToken, and returns those found by ID.
func (w *waiter) list(ctx context.Context, circuit string, ids []string) (map[string]*VirtualPhysicalConnection, error) {
	found := make(map[string]*VirtualPhysicalConnection, len(ids))
	page := byIDs(w.req.RegionID, circuit, ids...)
	page.MaxResults = len(ids)
	for {
		w.polls++
		resp, err := w.client.ListVirtualPhysicalConnections(ctx, page, w.opts...)
		if err != nil {
			return nil, err
		}
		for k := range resp.VirtualPhysicalConnections {
			if conn := &resp.VirtualPhysicalConnections[k]; isHostedProduct(conn.ProductType) {
				found[conn.VirtualPhysicalConnectionID] = conn
			}
		}
		if resp.NextToken == "" || resp.NextToken == page.NextToken {
			return found, nil
		}
		page.NextToken = resp.NextToken
	}
}

// absenceFinal reports whether the condition would take the absence of connection i as final
// now: it holds for an absent connection (IsGone), or fails on one that was absent once
// before.
func (w *waiter) absenceFinal(i int) bool {
	done, err := w.req.Until(nil)
	return done || err != nil && w.absent[i] >= 1
}

// verifyAbsent looks for the connections of absent, which the circuit's listing did not
// return, beyond the circuit, and judges each: one found on another circuit, or an ID that is
// a circuit's, fails with an error matching ErrNotHostedConnection that names the argument;
// one that exists nowhere is absent.
func (w *waiter) verifyAbsent(ctx context.Context, absent []int) error {
	found, err := w.list(ctx, "", w.ids(absent))
	if err != nil {
		return err
	}
	for _, i := range absent {
		r := &w.results[i]
		conn := found[r.VirtualPhysicalConnectionID]
		switch {
		case conn != nil && conn.ParentPhysicalConnectionID == w.req.PhysicalConnectionID:
			w.judge(i, conn) // the circuit's listing lagged behind
		case conn != nil:
			r.Last, r.Err = conn, fmt.Errorf("%w: VirtualPhysicalConnectionIDs[%d] %s is on circuit %s, not on PhysicalConnectionID %s",
				ErrNotHostedConnection, i, r.VirtualPhysicalConnectionID, conn.ParentPhysicalConnectionID, w.req.PhysicalConnectionID)
		default:
			d, err := w.client.DescribePhysicalConnection(ctx, &DescribePhysicalConnectionRequest{
				RegionID: w.req.RegionID, PhysicalConnectionID: r.VirtualPhysicalConnectionID}, w.opts...)
			switch {
			case errors.Is(err, ErrNotFound):
				w.judge(i, nil)
			case err != nil:
				return err
			case d.ProductType == productCircuit:
				r.Err = fmt.Errorf("%w: VirtualPhysicalConnectionIDs[%d] %s is a circuit, not a hosted connection",
					ErrNotHostedConnection, i, r.VirtualPhysicalConnectionID)
			default:
				w.judge(i, nil)
			}
		}
	}
	return nil
}

// checkCircuit confirms that PhysicalConnectionID names a circuit, with one
// DescribePhysicalConnections call: a hosted connection there (the two arguments swapped) or
// an ID that exists nowhere ends the wait with an error that names the argument.
func (w *waiter) checkCircuit(ctx context.Context) error {
	d, err := w.client.DescribePhysicalConnection(ctx, &DescribePhysicalConnectionRequest{
		RegionID: w.req.RegionID, PhysicalConnectionID: w.req.PhysicalConnectionID}, w.opts...)
	switch {
	case errors.Is(err, ErrNotFound):
		return fmt.Errorf("%w: PhysicalConnectionID %s: no such circuit in the region", ErrNotFound, w.req.PhysicalConnectionID)
	case err != nil:
		return err
	case d.ProductType != "" && d.ProductType != productCircuit:
		return fmt.Errorf("%w: PhysicalConnectionID %s is a hosted connection, not a circuit: are PhysicalConnectionID and VirtualPhysicalConnectionIDs swapped?",
			ErrNotHostedConnection, w.req.PhysicalConnectionID)
	}
	return nil
}

// judge applies the condition to connection i as a poll saw it (nil: absent).
func (w *waiter) judge(i int, conn *VirtualPhysicalConnection) {
	r := &w.results[i]
	if conn != nil {
		r.Last = conn
		w.absent[i] = 0
	} else {
		w.absent[i]++
	}
	done, err := w.req.Until(conn)
	switch {
	case err != nil && conn == nil && w.absent[i] < 2:
		// List may lag behind a creation: look once more before believing the absence.
	case err != nil:
		r.Err = err
	case done:
		r.Done = true
		if conn == nil {
			r.Last = nil
		}
	}
}

// settled reports whether every connection is done or failed.
func (w *waiter) settled() bool {
	for _, r := range w.results {
		if !r.Done && r.Err == nil {
			return false
		}
	}
	return true
}

// finish returns the response of a settled wait, or its error when a condition failed.
func (w *waiter) finish() (*WaitResponse, error) {
	var errs []error
	resp := &WaitResponse{Connections: make([]*VirtualPhysicalConnection, len(w.results)), Polls: w.polls}
	for i, r := range w.results {
		if r.Err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", r.VirtualPhysicalConnectionID, r.Err))
		}
		resp.Connections[i] = r.Last
	}
	if len(errs) > 0 {
		return nil, w.fail(errors.Join(errs...))
	}
	return resp, nil
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

// fail returns the *WaitError that ends the wait with err.
func (w *waiter) fail(err error) error {
	return &WaitError{Polls: w.polls, Results: w.results, Err: err}
}
