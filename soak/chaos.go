package main

import (
	"context"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/expressconnect-go/expressconnect/expressconnecttest"
)

// faultKind is a kind of fault the chaos injects, with its weight among the others.
type faultKind struct {
	name   string
	weight int
	fault  expressconnecttest.Fault
	// lost is set for the faults that handle the request and then lose the answer: they aim
	// at the actions that change something, where a lost answer tests idempotency.
	lost bool
}

// The client's attempt timeout in the soak, which the slow faults are set against: some
// answers are slow but arrive in time, others take longer and must be given up on and retried.
const attemptTimeout = 2 * time.Second

// faultKinds are the faults of the chaos.
var faultKinds = []faultKind{
	{name: "throttling (Throttling.User)", weight: 3, fault: expressconnecttest.Fault{Kind: expressconnecttest.FaultThrottle}},
	{name: "HTTP 500 InternalError", weight: 2, fault: expressconnecttest.Fault{Kind: expressconnecttest.FaultError, StatusCode: 500}},
	{name: "HTTP 503 ServiceUnavailable", weight: 2, fault: expressconnecttest.Fault{Kind: expressconnecttest.FaultError, StatusCode: 503}},
	{name: "HTML 502 bad gateway", weight: 2, fault: expressconnecttest.Fault{Kind: expressconnecttest.FaultBadGateway}},
	{name: "truncated answer", weight: 2, fault: expressconnecttest.Fault{Kind: expressconnecttest.FaultTruncate}},
	{name: "slow answer (delay 300 ms)", weight: 2, fault: expressconnecttest.Fault{Kind: expressconnecttest.FaultDelay, Delay: 300 * time.Millisecond}},
	{name: "slow answer (delay 3 s > attempt timeout)", weight: 1, fault: expressconnecttest.Fault{Kind: expressconnecttest.FaultDelay, Delay: 3 * time.Second}},
	{name: "dripping answer (1 ms a byte)", weight: 1, fault: expressconnecttest.Fault{Kind: expressconnecttest.FaultDrip, Interval: time.Millisecond}},
	{name: "dripping answer (30 ms a byte > attempt timeout)", weight: 1, fault: expressconnecttest.Fault{Kind: expressconnecttest.FaultDrip, Interval: 30 * time.Millisecond}},
	{name: "connection reset", weight: 2, fault: expressconnecttest.Fault{Kind: expressconnecttest.FaultReset}},
	{name: "connection closed", weight: 1, fault: expressconnecttest.Fault{Kind: expressconnecttest.FaultClose}},
	{name: "answer lost: reset after handling", weight: 3, fault: expressconnecttest.Fault{Kind: expressconnecttest.FaultReset, AfterHandling: true}, lost: true},
	{name: "answer lost: closed after handling", weight: 2, fault: expressconnecttest.Fault{Kind: expressconnecttest.FaultClose, AfterHandling: true}, lost: true},
}

// Actions a fault may be limited to: the frequent ones, so that no fault waits long for its
// request, and among them those that change something for the lost answers.
var (
	anyActions      = []string{"CreateVirtualPhysicalConnection", "ListVirtualPhysicalConnections", "UpdateVirtualPhysicalConnection", "DeletePhysicalConnection", "TerminatePhysicalConnection", "DescribePhysicalConnections"}
	changingActions = []string{"CreateVirtualPhysicalConnection", "UpdateVirtualPhysicalConnection", "DeletePhysicalConnection", "TerminatePhysicalConnection"}
)

// The kinds of clock step, as the report names them.
const (
	clockWithin = "clock offset within the 15-min window (2-5 min)"
	clockBeyond = "clock offset beyond the 15-min window (16-20 min)"
	clockZero   = "clock offset back to 0"
)

// chaos injects faults at random intervals and moves the sandbox's clock until ctx is done.
type chaos struct {
	admin      *expressconnecttest.Admin
	scan       *scanner
	rng        *rand.Rand
	faultEvery time.Duration // the mean interval between injections
	clockEvery time.Duration // the interval between two offsets of the clock
	clockHold  time.Duration // how long an offset is held before the clock is set back
	tokens     *sync.RWMutex // held for reading while a token is in use
	// beforeRise checks the orders against the sandbox before a step forward of its clock,
	// which may make it forget what its retention keeps.
	beforeRise func(ctx context.Context)

	mu        sync.Mutex
	injected  map[string]int64 // faults injected, by kind's name
	failed    int64            // injections the admin API refused or did not answer
	offset    time.Duration    // the sandbox's clock offset now
	maxOffset time.Duration    // the largest offset, either way
}

// run injects until ctx is done.
func (c *chaos) run(ctx context.Context) {
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); c.faults(ctx) }()
	go func() { defer wg.Done(); c.clock(ctx) }()
	wg.Wait()
}

// faults injects 1 to 3 faults of a kind drawn by weight, for any action or for one, after
// waits drawn between 0 and twice faultEvery.
func (c *chaos) faults(ctx context.Context) {
	total := 0
	for _, k := range faultKinds {
		total += k.weight
	}
	for {
		c.mu.Lock()
		wait := time.Duration(c.rng.Int64N(int64(2*c.faultEvery) + 1))
		pick := c.rng.IntN(total)
		n := 1 + c.rng.IntN(3)
		var kind faultKind
		for _, k := range faultKinds {
			if pick -= k.weight; pick < 0 {
				kind = k
				break
			}
		}
		f := kind.fault
		switch {
		case kind.lost && c.rng.IntN(5) != 0:
			f.Action = changingActions[c.rng.IntN(len(changingActions))]
		case !kind.lost && c.rng.IntN(3) == 0:
			f.Action = anyActions[c.rng.IntN(len(anyActions))]
		}
		c.mu.Unlock()
		if !sleepCtx(ctx, wait) {
			return
		}
		err := c.admin.InjectFaults(ctx, n, f)
		if ctx.Err() != nil {
			return
		}
		c.scan.scanError("admin error", err)
		c.mu.Lock()
		if err != nil {
			c.failed++
		} else {
			c.injected[kind.name] += int64(n)
		}
		c.mu.Unlock()
	}
}

// clock moves the sandbox's clock away from the system's and back: every clockEvery it sets
// an offset of +beyond, +within, -beyond and -within in turn (beyond first, so that a short
// run has the client correct itself), holds it for clockHold, and sets it back to 0. The
// client must take an offset within the window as it is, and correct itself for one beyond it
// from the refusal of its Timestamp, either way: going to +beyond its clock is behind, coming
// back to 0 ahead.
//
// A step forward ages everything the sandbox remembers for its retention, client tokens
// included: a token used a moment before a step of 20 min would be 20 min old after it, and
// forgotten by a sandbox that retains 10 min, so that retrying the order with it would create
// a second hosted connection, as the configuration says and not as a bug does. So a step
// forward waits until no token is in use (the workers hold tokens for reading while one is),
// lets the requests that a delay fault holds end, checks the orders against the sandbox, and
// only then moves the clock; the workers wait meanwhile. A step back needs none of it: it
// makes the sandbox remember longer, and holds up the terminations under way, which the
// workers leave for later. The offsets are held briefly, so that what the sandbox remembers
// stays bounded by its retention but for what happens during the excursions.
func (c *chaos) clock(ctx context.Context) {
	for step := 0; ; step++ {
		if !sleepCtx(ctx, c.clockEvery) {
			return
		}
		c.mu.Lock()
		sign := time.Duration(1)
		if step%4 >= 2 {
			sign = -1
		}
		d, kind := sign*(16*time.Minute+time.Duration(c.rng.Int64N(int64(4*time.Minute)))), clockBeyond
		if step%2 == 1 {
			d, kind = sign*(2*time.Minute+time.Duration(c.rng.Int64N(int64(3*time.Minute)))), clockWithin
		}
		c.mu.Unlock()
		if !c.setClock(ctx, d, kind) || !sleepCtx(ctx, c.clockHold) || !c.setClock(ctx, 0, clockZero) {
			return
		}
	}
}

// setClock sets the sandbox's clock offset to d, a step of the kind named, as clock says, and
// reports whether the run goes on.
func (c *chaos) setClock(ctx context.Context, d time.Duration, kind string) bool {
	c.mu.Lock()
	rise := d > c.offset
	c.mu.Unlock()
	var err error
	if rise {
		err = c.stepForward(ctx, d)
	} else {
		err = c.admin.SetClockOffset(ctx, d)
	}
	if ctx.Err() != nil {
		return false
	}
	c.scan.scanError("admin error", err)
	c.mu.Lock()
	defer c.mu.Unlock()
	if err != nil {
		c.failed++
		return true
	}
	c.injected[kind]++
	c.offset = d
	c.maxOffset = max(c.maxOffset, d.Abs())
	return true
}

// figures returns the injections by kind, the failed ones, and the largest offset.
func (c *chaos) figures() (injected map[string]int64, failed int64, maxOffset time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	injected = map[string]int64{}
	for k, v := range c.injected {
		injected[k] = v
	}
	return injected, c.failed, c.maxOffset
}

// sleepCtx waits d or until ctx is done, and reports whether the whole wait passed.
func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// settleTime is longer than any fault holds a request before the sandbox handles it (the
// longest delay, 3 s).
const settleTime = 3500 * time.Millisecond

// stepForward moves the sandbox's clock forward to offset d once no token is in use, see
// clock.
func (c *chaos) stepForward(ctx context.Context, d time.Duration) error {
	c.tokens.Lock()
	defer c.tokens.Unlock()
	if !sleepCtx(ctx, settleTime) {
		return ctx.Err()
	}
	c.beforeRise(ctx)
	return c.admin.SetClockOffset(ctx, d)
}
