package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/expressconnect-go/expressconnect"
	"github.com/expressconnect-go/expressconnect/expressconnecttest"
)

// env is what the workers share.
type env struct {
	admin    *expressconnecttest.Admin
	orders   *orderBook
	ops      *opStats
	scan     *scanner
	hard     context.Context // canceled when the run must end at once
	stopping atomic.Bool     // set when the run's time is up: workers finish their step and stop
	figures  trafficFigures
	// tokens is held for reading while a token is in use, from before its first request to
	// the end of its last; the chaos holds it for writing around a step that moves the
	// sandbox's clock forward (see chaos.clock).
	tokens sync.RWMutex
}

// trafficFigures count what the workers saw besides the calls.
type trafficFigures struct {
	mu                  sync.Mutex
	iterations, created int64
	gone, parked, left  int64 // left: parked when the run ended
	listAllMissing      int64 // live hosted connections of a worker that its own listing did not show
	vlanExhausted       int64
}

// add changes one figure under the lock.
func (f *trafficFigures) add(p *int64, n int64) {
	f.mu.Lock()
	*p += n
	f.mu.Unlock()
}

// hosted is a hosted connection a worker created and still follows.
type hosted struct {
	id    string
	vlans []int // the VLANs it may hold: the one it was created on, and any an update asked for
}

// worker drives the life of hosted connections on one circuit, on VLANs of its own range, for
// a tenant of its own, so that workers do not take each other's VLANs.
type worker struct {
	n       int
	e       *env
	client  *expressconnect.Client
	circuit string
	tenant  string
	lo, hi  int          // its VLAN range, both included
	held    map[int]bool // VLANs its hosted connections may hold, gone ones left out
	cursor  int
	parked  []*hosted // hosted connections it could not bring to an end yet
	rng     *rand.Rand
}

// Bounds of the workers' steps.
const (
	createTries   = 4 // calls per order, each with the client's own retries
	mutationTries = 3 // calls per update, terminate, cancel or delete, with one token
	callTimeout   = 30 * time.Second
	waitTimeout   = 10 * time.Second // a termination takes 2 s; every other state is reached at once
	cleanupBudget = 15 * time.Second
)

// The Specs the workers create with, and the one an upgrade asks for.
var (
	createSpecs = []expressconnect.Spec{expressconnect.Spec50M, expressconnect.Spec100M, expressconnect.Spec200M, expressconnect.Spec500M}
	upgradeSpec = expressconnect.Spec1G
)

// newWorker returns worker n of workers, on circuit, with client.
func newWorker(n, workers int, e *env, client *expressconnect.Client, circuits []string, seed uint64) *worker {
	perCircuit := (workers + len(circuits) - 1) / len(circuits)
	slot := n / len(circuits)
	width := 2999 / perCircuit
	lo := 1 + slot*width
	return &worker{
		n: n, e: e, client: client, circuit: circuits[n%len(circuits)],
		tenant: fmt.Sprintf("121000000000%04d", n),
		lo:     lo, hi: lo + width - 1, cursor: lo, held: map[int]bool{},
		rng: rand.New(rand.NewPCG(seed, uint64(n))),
	}
}

// run drives hosted connections until the run stops.
func (w *worker) run() {
	for !w.e.stopping.Load() && w.e.hard.Err() == nil {
		w.e.figures.add(&w.e.figures.iterations, 1)
		w.revisitParked()
		var conns []*hosted
		for range 1 + w.rng.IntN(3) {
			if h := w.order(); h != nil {
				conns = append(conns, h)
			}
		}
		if len(conns) == 0 {
			w.sleep(200 * time.Millisecond)
			continue
		}
		w.reads(conns)
		w.lifecycle(conns)
	}
	w.e.figures.add(&w.e.figures.left, int64(len(w.parked)))
}

// call runs one operation of the driver with its own timeout, counts it, and scans its error
// for secrets.
func (w *worker) call(op string, timeout time.Duration, f func(ctx context.Context) error) error {
	return w.timed(op, "returned error", timeout, f)
}

// act makes the tenant or billing change h, through the admin API.
func (w *worker) act(h *hosted, a expressconnecttest.Action) error {
	return w.timed("admin "+string(a), "admin error", callTimeout, func(ctx context.Context) error {
		return w.e.admin.Act(ctx, h.id, a)
	})
}

// timed runs f with its own timeout, counts it as the operation op, and scans its error for
// secrets as a text of the kind source.
func (w *worker) timed(op, source string, timeout time.Duration, f func(ctx context.Context) error) error {
	ctx, cancel := context.WithTimeout(w.e.hard, timeout)
	defer cancel()
	err := f(ctx)
	w.e.ops.record(op, err)
	w.e.scan.scanError(source, err)
	return err
}

// sleep waits d, or less when the run ends at once.
func (w *worker) sleep(d time.Duration) { sleepCtx(w.e.hard, d) }

// backoff returns a jittered wait before try number try (from 1) of a step.
func (w *worker) backoff(try int) time.Duration {
	d := 100 * time.Millisecond << min(try, 4)
	return d/2 + time.Duration(w.rng.Int64N(int64(d/2)))
}

// freeVLAN returns the next VLAN of the worker's range that none of its hosted connections
// may hold, and takes it.
func (w *worker) freeVLAN() (int, bool) {
	for range w.hi - w.lo + 1 {
		v := w.cursor
		if w.cursor++; w.cursor > w.hi {
			w.cursor = w.lo
		}
		if !w.held[v] {
			w.held[v] = true
			return v, true
		}
	}
	w.e.figures.add(&w.e.figures.vlanExhausted, 1)
	return 0, false
}

// release frees the VLANs of h, which is gone.
func (w *worker) release(h *hosted) {
	for _, v := range h.vlans {
		delete(w.held, v)
	}
	w.e.figures.add(&w.e.figures.gone, 1)
}

// order orders one hosted connection: the token is recorded before the first call, and every
// retry of the order reuses it. It returns the hosted connection, or nil when the order ended
// in an error; its VLAN then stays taken, as a hosted connection may hold it.
func (w *worker) order() *hosted {
	vlan, ok := w.freeVLAN()
	if !ok {
		return nil
	}
	w.e.tokens.RLock()
	defer w.e.tokens.RUnlock()
	o := w.e.orders.open(w.n, w.circuit, vlan)
	req := &expressconnect.CreateVirtualPhysicalConnectionRequest{
		PhysicalConnectionID: w.circuit,
		VpconnAliUID:         w.tenant,
		VLANID:               expressconnect.VLAN(vlan),
		Spec:                 createSpecs[w.rng.IntN(len(createSpecs))],
		OrderMode:            expressconnect.PayByPhysicalConnectionOwner,
		Name:                 fmt.Sprintf("soak-w%02d-v%d", w.n, vlan),
		Token:                o.token,
	}
	var err error
	for try := range createTries {
		if try > 0 {
			w.sleep(w.backoff(try))
		}
		var resp *expressconnect.CreateVirtualPhysicalConnectionResponse
		err = w.call("create", callTimeout, func(ctx context.Context) error {
			var err error
			resp, err = w.client.CreateVirtualPhysicalConnection(ctx, req)
			return err
		})
		if err == nil {
			w.e.orders.succeeded(o, resp.VirtualPhysicalConnectionID)
			if resp.VirtualPhysicalConnectionID == "" {
				return nil
			}
			w.e.figures.add(&w.e.figures.created, 1)
			return &hosted{id: resp.VirtualPhysicalConnectionID, vlans: []int{vlan}}
		}
		if !worthRetrying(err) || w.e.hard.Err() != nil {
			break
		}
	}
	w.e.orders.failed(o, err, w.e.scan.masked(err.Error()))
	return nil
}

// worthRetrying reports whether a step that failed with err may succeed when called again:
// not when the request itself or the state is at fault.
func worthRetrying(err error) bool {
	for _, f := range []expressconnect.Family{expressconnect.ErrInvalidParameter, expressconnect.ErrVLANConflict,
		expressconnect.ErrQuotaOrCapacity, expressconnect.ErrPermission, expressconnect.ErrIdempotency,
		expressconnect.ErrAuthentication, expressconnect.ErrInvalidState, expressconnect.ErrNotFound} {
		if errors.Is(err, f) {
			return false
		}
	}
	return !errors.Is(err, expressconnect.ErrNotHostedConnection)
}

// reads reads the worker's hosted connections and circuit in one of the ways a partner does.
func (w *worker) reads(conns []*hosted) {
	h := conns[w.rng.IntN(len(conns))]
	switch w.rng.IntN(5) {
	case 0:
		_ = w.call("list", callTimeout, func(ctx context.Context) error {
			_, err := w.client.ListVirtualPhysicalConnections(ctx, &expressconnect.ListVirtualPhysicalConnectionsRequest{
				PhysicalConnectionID: w.circuit, MaxResults: 1 + w.rng.IntN(100)})
			return err
		})
	case 1:
		w.listAll(conns)
	case 2:
		_ = w.call("get", callTimeout, func(ctx context.Context) error {
			_, err := w.client.GetVirtualPhysicalConnection(ctx, &expressconnect.GetVirtualPhysicalConnectionRequest{
				PhysicalConnectionID: w.circuit, VirtualPhysicalConnectionID: h.id})
			return err
		})
	case 3:
		_ = w.call("describe", callTimeout, func(ctx context.Context) error {
			_, err := w.client.DescribePhysicalConnection(ctx, &expressconnect.DescribePhysicalConnectionRequest{
				PhysicalConnectionID: w.circuit})
			return err
		})
	case 4:
		_ = w.call("describe", callTimeout, func(ctx context.Context) error {
			_, err := w.client.DescribePhysicalConnection(ctx, &expressconnect.DescribePhysicalConnectionRequest{
				PhysicalConnectionID: h.id})
			return err
		})
	}
}

// listAll iterates over the worker's tenant's hosted connections in small pages and counts
// those of conns, which no other worker changes, that the iteration did not show.
func (w *worker) listAll(conns []*hosted) {
	seen := map[string]bool{}
	err := w.call("list (iterator)", callTimeout, func(ctx context.Context) error {
		req := &expressconnect.ListVirtualPhysicalConnectionsRequest{
			PhysicalConnectionID: w.circuit, VpconnAliUIDs: []string{w.tenant}, MaxResults: 1 + w.rng.IntN(3)}
		for conn, err := range w.client.ListAllVirtualPhysicalConnections(ctx, req) {
			if err != nil {
				return err
			}
			seen[conn.VirtualPhysicalConnectionID] = true
		}
		return nil
	})
	if err != nil {
		return
	}
	for _, h := range conns {
		if !seen[h.id] {
			w.e.figures.add(&w.e.figures.listAllMissing, 1)
		}
	}
}

// A path is one way through the life of hosted connections, with its weight.
type path struct {
	weight int
	run    func(w *worker, conns []*hosted) []*hosted
}

// paths are the lives the workers give their hosted connections.
var paths = []path{
	{4, (*worker).fullLife},
	{2, func(w *worker, conns []*hosted) []*hosted {
		conns = w.actAll(conns, expressconnecttest.TenantAccepts)
		conns = w.waitFor("wait accepted", conns, expressconnect.IsAccepted)
		return w.deleteAll(conns)
	}},
	{1, func(w *worker, conns []*hosted) []*hosted {
		return w.deleteAll(w.actAll(conns, expressconnecttest.TenantRejects))
	}},
	{2, func(w *worker, conns []*hosted) []*hosted {
		conns = w.actAll(conns, expressconnecttest.TenantAccepts)
		conns = w.mutateAll("cancel", conns, func(ctx context.Context, h *hosted, token string) error {
			_, err := w.client.CancelVirtualPhysicalConnection(ctx, &expressconnect.HostedConnectionRequest{
				PhysicalConnectionID: w.circuit, VirtualPhysicalConnectionID: h.id, Token: token})
			return err
		})
		conns = w.waitFor("wait canceled", conns, isCanceled)
		return w.deleteAll(conns)
	}},
	{1, (*worker).deleteAll},
}

// lifecycle takes conns through a path chosen at random, then brings to an end those a step
// failed for.
func (w *worker) lifecycle(conns []*hosted) {
	total := 0
	for _, p := range paths {
		total += p.weight
	}
	pick := w.rng.IntN(total)
	for _, p := range paths {
		if pick -= p.weight; pick < 0 {
			p.run(w, conns)
			return
		}
	}
}

// fullLife accepts, changes the VLAN, enables, sometimes upgrades, terminates and deletes.
func (w *worker) fullLife(conns []*hosted) []*hosted {
	conns = w.actAll(conns, expressconnecttest.TenantAccepts)
	conns = w.waitFor("wait accepted", conns, expressconnect.IsAccepted)
	conns = w.updateVLANs(conns)
	conns = w.actAll(conns, expressconnecttest.BillingEnables)
	conns = w.waitFor("wait enabled", conns, expressconnect.IsEnabled)
	if w.rng.IntN(2) == 0 {
		conns = w.mutateAll("update (spec)", conns, func(ctx context.Context, h *hosted, token string) error {
			_, err := w.client.UpdateVirtualPhysicalConnection(ctx, &expressconnect.UpdateVirtualPhysicalConnectionRequest{
				VirtualPhysicalConnectionID: h.id, ExpectSpec: upgradeSpec, Token: token})
			return err
		})
		conns = w.actAll(conns, expressconnecttest.BillingEnables)
		conns = w.waitFor("wait spec", conns, expressconnect.HasSpec(upgradeSpec))
	}
	conns = w.mutateAll("terminate", conns, func(ctx context.Context, h *hosted, token string) error {
		_, err := w.client.TerminateVirtualPhysicalConnection(ctx, &expressconnect.HostedConnectionRequest{
			PhysicalConnectionID: w.circuit, VirtualPhysicalConnectionID: h.id, Token: token})
		return err
	})
	conns = w.waitFor("wait terminated", conns, expressconnect.IsTerminated)
	return w.deleteAll(conns)
}

// isCanceled holds once the hosted connection is Canceled.
func isCanceled(conn *expressconnect.VirtualPhysicalConnection) (bool, error) {
	if gone, _ := expressconnect.IsGone(conn); gone {
		return false, fmt.Errorf("%w: the hosted connection is gone", expressconnect.ErrUnreachable)
	}
	return conn.Status.Is(expressconnect.StatusCanceled), nil
}

// actAll makes the tenant or billing change each of conns; those it fails for are brought to
// an end, and the others returned.
func (w *worker) actAll(conns []*hosted, a expressconnecttest.Action) []*hosted {
	var ok []*hosted
	for _, h := range conns {
		if w.e.stopping.Load() {
			return nil
		}
		if err := w.act(h, a); err != nil {
			w.cleanup(h)
			continue
		}
		ok = append(ok, h)
	}
	return ok
}

// mutateAll runs the mutation f on each of conns, up to mutationTries calls with one token;
// those it fails for are brought to an end, and the others returned.
func (w *worker) mutateAll(op string, conns []*hosted, f func(ctx context.Context, h *hosted, token string) error) []*hosted {
	var ok []*hosted
	for _, h := range conns {
		if w.e.stopping.Load() {
			return nil
		}
		if w.mutate(op, h, f) != nil {
			w.cleanup(h)
			continue
		}
		ok = append(ok, h)
	}
	return ok
}

// mutate runs the mutation f on h, up to mutationTries calls with one token.
func (w *worker) mutate(op string, h *hosted, f func(ctx context.Context, h *hosted, token string) error) error {
	w.e.tokens.RLock()
	defer w.e.tokens.RUnlock()
	token := expressconnect.NewToken()
	var err error
	for try := range mutationTries {
		if try > 0 {
			w.sleep(w.backoff(try))
		}
		if err = w.call(op, callTimeout, func(ctx context.Context) error { return f(ctx, h, token) }); err == nil || !worthRetrying(err) {
			return err
		}
	}
	return err
}

// updateVLANs moves each of conns to another VLAN of the worker's range.
func (w *worker) updateVLANs(conns []*hosted) []*hosted {
	var ok []*hosted
	for _, h := range conns {
		if w.e.stopping.Load() {
			return nil
		}
		v, free := w.freeVLAN()
		if !free {
			ok = append(ok, h)
			continue
		}
		h.vlans = append(h.vlans, v)
		err := w.mutate("update (VLAN)", h, func(ctx context.Context, h *hosted, token string) error {
			_, err := w.client.UpdateVirtualPhysicalConnection(ctx, &expressconnect.UpdateVirtualPhysicalConnectionRequest{
				VirtualPhysicalConnectionID: h.id, VLANID: expressconnect.VLAN(v), Token: token})
			return err
		})
		if err != nil {
			w.cleanup(h) // it holds one of its VLANs, which it keeps until it is gone
			continue
		}
		for _, old := range h.vlans[:len(h.vlans)-1] {
			delete(w.held, old)
		}
		h.vlans = []int{v}
		ok = append(ok, h)
	}
	return ok
}

// deleteAll deletes each of conns (one already gone counts as deleted) and waits until they
// are gone; it returns nothing, as none is left to follow.
func (w *worker) deleteAll(conns []*hosted) []*hosted {
	var deleted []*hosted
	for _, h := range conns {
		if w.e.stopping.Load() {
			return nil
		}
		err := w.mutate("delete", h, func(ctx context.Context, h *hosted, token string) error {
			_, err := w.client.DeleteVirtualPhysicalConnection(ctx, &expressconnect.HostedConnectionRequest{
				PhysicalConnectionID: w.circuit, VirtualPhysicalConnectionID: h.id, Token: token})
			if errors.Is(err, expressconnect.ErrNotFound) {
				return nil // already gone: an earlier call deleted it and its answer was lost
			}
			return err
		})
		if err != nil {
			w.cleanup(h)
			continue
		}
		deleted = append(deleted, h)
	}
	for _, h := range w.waitFor("wait gone", deleted, expressconnect.IsGone) {
		w.release(h)
	}
	return nil
}

// waitFor waits until until holds for each of conns, in one wait for all of them, retried
// once for those still pending; those it fails for are brought to an end, and the others
// returned.
func (w *worker) waitFor(op string, conns []*hosted, until expressconnect.Condition) []*hosted {
	pending := conns
	var done []*hosted
	for try := 0; try < 2 && len(pending) > 0 && !w.e.stopping.Load(); try++ {
		ids := make([]string, len(pending))
		for i, h := range pending {
			ids[i] = h.id
		}
		req := &expressconnect.WaitRequest{PhysicalConnectionID: w.circuit, VirtualPhysicalConnectionIDs: ids, Until: until,
			MinDelay: 50 * time.Millisecond, MaxDelay: 500 * time.Millisecond}
		err := w.call(op, waitTimeout, func(ctx context.Context) error {
			_, err := w.client.WaitVirtualPhysicalConnections(ctx, req)
			return err
		})
		if err == nil {
			return append(done, pending...)
		}
		if errors.Is(err, context.DeadlineExceeded) {
			break // waiting again as long would not help: the state is held up (see ensureGone)
		}
		var we *expressconnect.WaitError
		if !errors.As(err, &we) || len(we.Results) != len(pending) {
			continue
		}
		var still []*hosted
		for i, r := range we.Results {
			if r.Done {
				done = append(done, pending[i])
			} else {
				still = append(still, pending[i])
			}
		}
		pending = still
	}
	if w.e.stopping.Load() {
		return nil
	}
	for _, h := range pending {
		w.cleanup(h)
	}
	return done
}

// cleanup brings h to an end, or parks it to try again later.
func (w *worker) cleanup(h *hosted) {
	if w.e.stopping.Load() {
		w.parked = append(w.parked, h)
		return
	}
	if w.ensureGone(h, cleanupBudget) {
		w.release(h)
		return
	}
	w.e.figures.add(&w.e.figures.parked, 1)
	w.parked = append(w.parked, h)
}

// revisitParked tries, now and then, to bring the oldest parked hosted connection to an end.
func (w *worker) revisitParked() {
	if len(w.parked) == 0 || w.rng.IntN(4) != 0 {
		return
	}
	h := w.parked[0]
	w.parked = w.parked[1:]
	if w.ensureGone(h, 5*time.Second) {
		w.release(h)
		return
	}
	w.parked = append(w.parked, h)
}

// ensureGone reads h and takes the step toward its end that its state allows (terminate an
// Enabled one, delete it unless it is Terminating) until it is gone or budget has passed. It
// reports whether h is gone. One that is Terminating is left for later at once: a
// termination is held up only when the chaos set the sandbox's clock back, and then for as
// long as the clock went back, up to 40 min.
func (w *worker) ensureGone(h *hosted, budget time.Duration) bool {
	deadline := time.Now().Add(budget)
	for time.Now().Before(deadline) && w.e.hard.Err() == nil {
		var got *expressconnect.GetVirtualPhysicalConnectionResponse
		err := w.call("get", callTimeout, func(ctx context.Context) error {
			var err error
			got, err = w.client.GetVirtualPhysicalConnection(ctx, &expressconnect.GetVirtualPhysicalConnectionRequest{
				PhysicalConnectionID: w.circuit, VirtualPhysicalConnectionID: h.id})
			return err
		})
		switch {
		case errors.Is(err, expressconnect.ErrNotFound):
			return true
		case err != nil:
			w.sleep(300 * time.Millisecond)
			continue
		}
		conn := &got.VirtualPhysicalConnection
		if gone, _ := expressconnect.IsGone(conn); gone {
			return true
		}
		req := &expressconnect.HostedConnectionRequest{PhysicalConnectionID: w.circuit, VirtualPhysicalConnectionID: h.id}
		switch {
		case conn.Status.Is(expressconnect.StatusEnabled):
			w.tokenCall("terminate", func(ctx context.Context) error {
				_, err := w.client.TerminateVirtualPhysicalConnection(ctx, req)
				return err
			})
		case conn.Status.Is(expressconnect.StatusTerminating):
			return false
		default:
			w.tokenCall("delete", func(ctx context.Context) error {
				_, err := w.client.DeleteVirtualPhysicalConnection(ctx, req)
				return err
			})
		}
	}
	return false
}

// tokenCall runs one call whose idempotency token the client makes, as a token in use.
func (w *worker) tokenCall(op string, f func(ctx context.Context) error) {
	w.e.tokens.RLock()
	defer w.e.tokens.RUnlock()
	_ = w.call(op, callTimeout, f)
}
