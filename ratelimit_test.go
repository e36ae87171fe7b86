package expressconnect

import (
	"context"
	"math"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeClock is a clock that tests move by hand.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time          { return c.t }
func (c *fakeClock) advance(d time.Duration) { c.t = c.t.Add(d) }

// limiterAt40 returns a limiter on a fake clock whose client has sent 40 requests a second
// for 3 s, unthrottled: its measured rate has settled near 40.
func limiterAt40() (*adaptiveLimiter, *fakeClock) {
	clock := &fakeClock{t: time.Unix(1_700_000_000, 0)}
	l := newAdaptiveLimiter(clock.now)
	for range 120 {
		clock.advance(25 * time.Millisecond)
		l.update(false, clock.now(), 0)
	}
	return l, clock
}

// TestLimiterSlowStart checks the limiter's start: a client that sends fewer than
// limiterStartRate requests a second is not held, and one that sends as fast as the limiter
// lets it sees the rate double every second, until a throttling answer; a client that idles
// does not build up a rate it does not use.
func TestLimiterSlowStart(t *testing.T) {
	t.Parallel()
	clock := &fakeClock{t: time.Unix(1_700_000_000, 0)}
	l := newAdaptiveLimiter(clock.now)
	for range 50 { // 5 requests a second for 10 s
		clock.advance(200 * time.Millisecond)
		wait, _, err := l.acquire(context.Background())
		require.NoError(t, err)
		assert.Zero(t, wait)
		l.update(false, clock.now(), 0)
	}
	assert.InDelta(t, limiterStartRate, l.rate(), 0.01, "twice the 5 a second sent, at least the start rate")

	l = newAdaptiveLimiter(clock.now)
	start := clock.now()
	rates := []float64{}
	for second := 1; second <= 4; second++ { // as fast as the limiter lets it, for 4 s
		for clock.now().Before(start.Add(time.Duration(second) * time.Second)) {
			clock.advance(time.Duration(float64(time.Second) / l.rate()))
			l.update(false, clock.now(), 0)
		}
		rates = append(rates, l.rate())
	}
	// Until the first half-second bucket of the measured rate ends, the cap is the start rate.
	assert.Greater(t, rates[0], float64(limiterStartRate), "rises in the first second: %v", rates)
	for i := 1; i < len(rates); i++ {
		assert.InDelta(t, 2, rates[i]/rates[i-1], 0.1, "doubles every second: %v", rates)
	}

	before := l.rate()
	clock.advance(time.Minute) // idle
	l.update(false, clock.now(), 0)
	assert.Less(t, l.rate(), before, "a minute's idling does not double the rate 60 times")
}

// TestLimiterCubic checks the CUBIC scheme: a throttling answer cuts the rate to beta times
// the measured sending rate, and successes raise it along the cubic curve back to that rate
// once the window has passed, and past it after.
func TestLimiterCubic(t *testing.T) {
	t.Parallel()
	l, clock := limiterAt40()
	l.mu.Lock()
	measured := l.measuredRate
	l.mu.Unlock()
	require.InDelta(t, 40, measured, 2)

	l.update(true, clock.now(), 0)
	cut := l.rate()
	assert.InDelta(t, limiterBeta*measured, cut, 1, "a throttling answer cuts the rate to beta times the measured one")

	l.mu.Lock()
	window := l.window
	l.mu.Unlock()
	assert.InDelta(t, math.Cbrt(measured*(1-limiterBeta)/limiterScale), window, 0.01, "cbrt(measured * (1 - beta) / scale)")
	rates := []float64{}
	for range 16 { // 20 requests a second for 8 s, unthrottled
		for range 10 {
			clock.advance(50 * time.Millisecond)
			l.update(false, clock.now(), 0)
		}
		rates = append(rates, l.rate())
	}
	for i := 1; i < len(rates); i++ {
		assert.GreaterOrEqual(t, rates[i]+0.5, rates[i-1], "the rate does not fall without throttling: %v", rates)
	}
	assert.LessOrEqual(t, rates[len(rates)-1], 40.0+0.5, "never above twice the measured sending rate (20/s): %v", rates)
}

// TestLimiterPaces checks that once enabled the limiter spaces the requests at its rate, and
// that a caller whose context ends while it waits gives its token back.
func TestLimiterPaces(t *testing.T) {
	t.Parallel()
	clock := &fakeClock{t: time.Unix(1_700_000_000, 0)}
	l := newAdaptiveLimiter(clock.now)
	l.update(true, clock.now(), 0)
	l.mu.Lock()
	l.fillRate, l.capacity, l.tokens = 1000, 1000, 0 // 1 ms a token, so the test waits little
	l.mu.Unlock()
	var total time.Duration
	for range 5 {
		wait, _, err := l.acquire(context.Background())
		require.NoError(t, err)
		total += wait
	}
	assert.GreaterOrEqual(t, total, 15*time.Millisecond, "waits of 1, 2, 3, 4 and 5 ms")
	assert.Less(t, total, 40*time.Millisecond, "waits of 1, 2, 3, 4 and 5 ms, and the scheduler's delays")

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	l.mu.Lock()
	before := l.tokens
	l.mu.Unlock()
	_, _, err := l.acquire(ctx)
	require.ErrorIs(t, err, context.Canceled)
	l.mu.Lock()
	assert.Equal(t, before, l.tokens, "the token is given back")
	l.mu.Unlock()
}

// TestLimiterThroughTheClient checks that a client with the limiter on waits before the
// attempts that follow a throttling answer, reports the wait in the attempt record, and that
// a client without it does not.
func TestLimiterThroughTheClient(t *testing.T) {
	t.Parallel()
	throttle := fixtureAPI(http.StatusBadRequest, "Throttling.User")
	srv := newFixtureServer(t, throttle, fixtureOK, fixtureOK)
	c := fixtureClient(t, srv.URL, WithAdaptiveRateLimit(true))
	resp, err := c.CreateVirtualPhysicalConnection(context.Background(), minimalRequest())
	require.NoError(t, err)
	require.Len(t, resp.Attempts, 2)
	assert.Zero(t, resp.Attempts[0].RateLimitWait, "nothing to wait for before the first throttling")
	assert.Positive(t, resp.Attempts[1].RateLimitWait, "the retry after a throttling answer is paced")
	assert.Positive(t, c.limiter.rate())

	off := fixtureClient(t, newFixtureServer(t, throttle, fixtureOK).URL)
	assert.Nil(t, off.limiter, "off by default")
	resp, err = off.CreateVirtualPhysicalConnection(context.Background(), minimalRequest())
	require.NoError(t, err)
	assert.Zero(t, resp.Attempts[1].RateLimitWait)
}

// TestLimiterFirstCut checks that a throttling answer that comes before any half-second
// bucket of the measured rate has ended cuts the rate in force, not 0.
func TestLimiterFirstCut(t *testing.T) {
	t.Parallel()
	clock := &fakeClock{t: time.Unix(1_700_000_000, 0)}
	l := newAdaptiveLimiter(clock.now)
	clock.advance(10 * time.Millisecond)
	l.update(true, clock.now(), 0)
	assert.InDelta(t, limiterBeta*limiterStartRate, l.rate(), 0.01)
}

// TestLimiterCutsOncePerThrottlingEvent checks that the answers to the requests in flight at a
// cut, and those that come within the wait the cut's answer asked for, do not cut the rate
// again, and that the cut holds the bucket empty for that wait.
func TestLimiterCutsOncePerThrottlingEvent(t *testing.T) {
	t.Parallel()
	l, clock := limiterAt40()
	inFlight := clock.now()
	clock.advance(time.Millisecond)
	l.update(true, clock.now(), 400*time.Millisecond)
	cut := l.rate()
	require.Positive(t, cut)
	l.mu.Lock()
	assert.InDelta(t, -0.4*cut, l.tokens, 0.01, "no token until the wait the service asked for is over")
	l.mu.Unlock()

	clock.advance(time.Millisecond)
	l.update(true, inFlight, 400*time.Millisecond)
	assert.InDelta(t, cut, l.rate(), 0.01, "a request sent before the cut")
	l.update(true, clock.now(), 400*time.Millisecond)
	assert.InDelta(t, cut, l.rate(), 0.01, "within the wait the cut's answer asked for")
	clock.advance(500 * time.Millisecond)
	l.update(true, clock.now(), 400*time.Millisecond)
	assert.Less(t, l.rate(), cut, "a new throttling event cuts again")
}

// TestLimiterWaitersFollowTheRate checks that callers already waiting for a token wait no
// longer than the rate in force allows: when the rate rises while they wait, as it does once
// answers come back unthrottled, they are let through at the new rate rather than at the one
// in force when they began to wait.
func TestLimiterWaitersFollowTheRate(t *testing.T) {
	t.Parallel()
	l := newAdaptiveLimiter(time.Now)
	l.update(true, time.Now(), 0)
	l.mu.Lock()
	l.setRate(time.Now(), 0) // the slowest rate, 0.5 a second
	l.tokens = 0
	l.mu.Unlock()
	require.InDelta(t, limiterMinRate, l.rate(), 0.001)

	const waiters = 4 // at 0.5 a second they would wait 2, 4, 6 and 8 s
	start := time.Now()
	done := make(chan time.Duration, waiters)
	for range waiters {
		go func() {
			wait, _, err := l.acquire(context.Background())
			assert.NoError(t, err)
			done <- wait
		}()
	}
	time.Sleep(100 * time.Millisecond) // every waiter has taken its place
	l.mu.Lock()
	l.setRate(time.Now(), 1000) // 1 ms a token
	l.mu.Unlock()
	for range waiters {
		select {
		case wait := <-done:
			assert.Less(t, wait, time.Second, "the wait reported is the time waited")
		case <-time.After(time.Second):
			t.Fatalf("a waiter still waits %s after the rate rose to 1000 a second", time.Since(start).Round(time.Millisecond))
		}
	}
}

// TestLimiterQueue checks that the callers that wait for a token are served first come first
// served, and that one whose context ends, first in the queue or not, leaves it without
// holding up the others.
func TestLimiterQueue(t *testing.T) {
	t.Parallel()
	l := newAdaptiveLimiter(time.Now)
	l.update(true, time.Now(), 0)
	l.mu.Lock()
	l.fillRate, l.capacity, l.tokens = 50, 50, 0 // 20 ms a token
	l.mu.Unlock()
	const waiters = 5
	ctxs := make([]context.Context, waiters)
	cancels := make([]context.CancelFunc, waiters)
	done := make(chan int, waiters)
	errs := make([]error, waiters)
	for i := range waiters {
		ctxs[i], cancels[i] = context.WithCancel(context.Background())
		defer cancels[i]()
		go func() {
			_, _, errs[i] = l.acquire(ctxs[i])
			done <- i
		}()
		require.Eventually(t, func() bool { // each joins the queue before the next comes
			l.mu.Lock()
			defer l.mu.Unlock()
			return len(l.queue) == i+1
		}, time.Second, time.Millisecond)
	}
	cancels[0]() // the first, which sleeps
	cancels[2]() // one in the middle, which waits for its turn
	var order []int
	for range waiters {
		select {
		case i := <-done:
			order = append(order, i)
		case <-time.After(2 * time.Second):
			t.Fatalf("the queue is stuck after %v", order)
		}
	}
	require.ErrorIs(t, errs[0], context.Canceled)
	require.ErrorIs(t, errs[2], context.Canceled)
	served := []int{}
	for _, i := range order {
		if errs[i] == nil {
			served = append(served, i)
		}
	}
	assert.Equal(t, []int{1, 3, 4}, served, "first come first served")
	l.mu.Lock()
	defer l.mu.Unlock()
	assert.Empty(t, l.queue)
	assert.Nil(t, l.rateChanged)
}

// TestLimiterHoldIsNotMeasured checks that the hold after a cut (the wait the service asked
// for, during which the limiter lets nothing through) does not count as the client's sending
// rate: a throttling answer that comes soon after the hold cuts the rate once more by beta,
// not down to the little the client could send while held.
func TestLimiterHoldIsNotMeasured(t *testing.T) {
	t.Parallel()
	l, clock := limiterAt40()
	clock.advance(time.Millisecond)
	l.update(true, clock.now(), 1200*time.Millisecond)
	first := l.rate()
	require.InDelta(t, limiterBeta*40, first, 2, "the first cut, from about 40 a second")

	clock.advance(1200 * time.Millisecond) // the hold: nothing sent, nothing answered
	for range 10 {                         // then at the cut rate for a third of a second
		clock.advance(time.Duration(float64(time.Second) / first))
		l.update(false, clock.now(), 0)
	}
	before := l.rate()
	clock.advance(time.Millisecond)
	l.update(true, clock.now(), 1200*time.Millisecond)
	assert.InDelta(t, limiterBeta*before, l.rate(), 0.05*before, "cut once more by beta, from %.1f", before)
}
