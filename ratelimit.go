package expressconnect

import (
	"context"
	"math"
	"slices"
	"sync"
	"time"
)

// This file is the client's adaptive rate limiter: one per Client, shared by every call and
// goroutine, so that a client the service throttles sends fewer requests instead of more
// retries. It follows the adaptive retry mode of the AWS SDKs, whose algorithm is published
// (the "CUBIC" congestion control of RFC 8312 applied to a token bucket), but for its start:
//
//   - Until the service first answers with a throttling code, the rate starts at
//     limiterStartRate and doubles every second (TCP's slow start, which RFC 8312's CUBIC
//     follows until the first loss), within the cap of the last point below. The AWS SDKs let
//     every request through until then instead: a client whose callers all start at once
//     sends them all in the service's first second, and the service refuses all but its limit
//     of them. With 64 callers against 20 requests a second that first second cost 51, 44 and
//     62 refused requests in three runs, 76% to 81% of all those refused in a minute (5.6%,
//     4.9% and 6.2% of the requests), while the curve then cost one refused request per
//     throttling event. Slow start sends at most 1 + 1.44 * limiterStartRate requests in the
//     first second, then probes the limit at a rate that doubles, not at once.
//   - Each request takes a token from a bucket filled at fillRate tokens a second (at most
//     max(fillRate, 1) tokens held), waiting for one when the bucket is empty. The callers
//     that wait form a queue, and only the first of them sleeps, until the bucket holds a
//     token at the rate in force; a change of the rate wakes it to sleep as the new rate says.
//     So the requests leave at the rate the curve gives at each moment, as in the AWS SDKs,
//     whose waiters each wait for the next token at the current rate.
//   - A throttled answer cuts the rate to beta (0.8) times the rate measured when it came, once
//     per throttling event (see update), and holds the bucket empty for the wait the service
//     asked for. The first cut, when no measurement has ended yet, takes the fill rate.
//   - Every other answer raises it along a cubic curve back towards that rate and past it:
//     rate(t) = scale * (t - throttleTime - window)^3 + lastMaxRate, with
//     window = cbrt(lastMaxRate * (1 - beta) / scale).
//   - The rate never exceeds twice the rate at which requests were actually sent, measured in
//     half-second buckets and smoothed (the hold after a cut left out, see measure), so a
//     client that idles does not build up a burst (nor slow start a rate it does not use: it
//     is at least limiterStartRate there).

// Parameters of the adaptive rate limiter, as the AWS SDKs publish them but for beta and scale
// (published: 0.7 and 0.4). The service limits the requests of a second, and each throttling
// event costs a refused request; with the published constants the rate came back past the
// limit every 2 to 3 s. A shallower cut (0.8) and a slower curve (0.1, a window of 3.4 s at 20
// a second instead of 2.5 s) spend longer near the limit and cross it less often: against a
// limit of 20 requests a second, once a throttling event every 4 to 5 s, each costing one
// refused request (1% of the requests). A slower curve (0.05) crosses sooner, not later: the
// curve levels off at the rate last refused, a little above the limit, and a flatter curve
// stays longer near it.
// On average over the curve's concave part the rate is 1 - (1 - beta) / 4 of the last one
// refused: 95% instead of 92.5%.
const (
	limiterBeta    = 0.8
	limiterScale   = 0.1
	limiterSmooth  = 0.8
	limiterMinRate = 0.5 // tokens a second: the slowest the limiter ever goes
	limiterBucket  = 0.5 // seconds: the width of the buckets the sending rate is measured in
)

// limiterStartRate is the rate, in tokens a second, at which slow start begins, with one token
// in the bucket: a client is not held while it sends fewer than that, and one that sends more
// is let through at a rate that reaches 20 a second in about 1.5 s, 100 in 4 s, 1000 in 7 s (the
// first half second holds it at the start rate: no rate has been measured yet). A client whose
// limit is below the first second's 1 + 1.44 * limiterStartRate requests has the excess
// refused, once, as it would have had all its first burst's excess refused without it.
const limiterStartRate = 10

// adaptiveLimiter is a Client's rate limiter. It is safe for concurrent use.
type adaptiveLimiter struct {
	now func() time.Time

	mu sync.Mutex
	// throttled is set by the first throttling answer, which ends slow start.
	throttled bool
	// lastUpdate is when the last answer came, in seconds since epoch: slow start doubles
	// the rate for every second from one answer to the next.
	lastUpdate float64
	// The token bucket.
	tokens, capacity, fillRate float64
	lastRefill                 time.Time
	// The CUBIC state: the rate before the last throttling and when it came.
	lastMaxRate, lastThrottle, window float64
	// cut is when the last throttling answer cut the rate, and quietUntil the end of the wait
	// that answer asked for.
	cut, quietUntil time.Time
	// The measured sending rate.
	measuredRate, bucketStart float64
	sent                      int
	epoch                     time.Time
	// queue is the callers that wait for a token, first come first served; the first of them
	// is the one that sleeps until the bucket holds a token.
	queue []*limiterWaiter
	// rateChanged is closed when the fill rate changes, to wake the first caller of the queue
	// to sleep as the new rate says; nil while it does not sleep.
	rateChanged chan struct{}
}

// limiterWaiter is a caller in the limiter's queue.
type limiterWaiter struct {
	// turn is closed when the caller comes first in the queue, to wake it.
	turn chan struct{}
}

func newAdaptiveLimiter(now func() time.Time) *adaptiveLimiter {
	t := now()
	return &adaptiveLimiter{now: now, epoch: t, lastRefill: t, tokens: 1, capacity: limiterStartRate, fillRate: limiterStartRate}
}

// seconds returns t as seconds since the limiter was made.
func (l *adaptiveLimiter) seconds(t time.Time) float64 { return t.Sub(l.epoch).Seconds() }

// acquire takes a token, waiting for one when the bucket is empty, and returns how long it
// waited and when it took the token, or ctx's error when ctx ends first.
//
// A caller that finds the bucket empty, or other callers waiting, joins the end of the queue.
// The first caller of the queue sleeps until the rate in force has filled the bucket to a
// token, takes it and hands the first place to the next caller. A change of the rate wakes it
// to sleep as the new rate says: after a rise it takes its token sooner, after a throttling
// answer's cut it waits out the wait the service asked for and then the new rate's spacing.
func (l *adaptiveLimiter) acquire(ctx context.Context) (time.Duration, time.Time, error) {
	if l == nil {
		return 0, time.Time{}, nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.refill(now)
	if len(l.queue) == 0 && l.tokens >= 1 {
		l.tokens--
		return 0, now, nil
	}
	began := time.Now()
	w := &limiterWaiter{turn: make(chan struct{})}
	l.queue = append(l.queue, w)
	for {
		wake, d := w.turn, time.Duration(-1) // not first: wait for the turn, with no timer
		if l.queue[0] == w {
			now = l.now()
			l.refill(now)
			if l.tokens >= 1 {
				return l.take(w, now, began)
			}
			if l.rateChanged == nil {
				l.rateChanged = make(chan struct{})
			}
			wake, d = l.rateChanged, time.Duration((1-l.tokens)/l.fillRate*float64(time.Second))
		}
		l.mu.Unlock()
		expired, err := waitOrWake(ctx, d, wake)
		l.mu.Lock()
		if err != nil {
			l.leave(w)
			return 0, time.Time{}, err
		}
		if expired {
			// The rate in force when the caller went to sleep, unchanged since (a change would
			// have woken it), has filled the bucket to a token: the clock says so too, but for
			// rounding, or for a clock that tests move by hand.
			now = l.now()
			l.refill(now)
			return l.take(w, now, began)
		}
	}
}

// take gives the first caller of the queue, w, its token at now, hands the first place to the
// next caller, and returns what acquire returns to w, which began to wait at began.
func (l *adaptiveLimiter) take(w *limiterWaiter, now, began time.Time) (time.Duration, time.Time, error) {
	l.tokens--
	l.leave(w)
	return time.Since(began), now, nil
}

// leave takes w out of the queue and, when w was first, gives the first place to the next.
func (l *adaptiveLimiter) leave(w *limiterWaiter) {
	i := slices.Index(l.queue, w)
	if i < 0 {
		return
	}
	l.queue = slices.Delete(l.queue, i, i+1)
	if i == 0 {
		l.rateChanged = nil // w no longer sleeps; the next makes its own
		if len(l.queue) > 0 {
			close(l.queue[0].turn)
		}
	}
}

// waitOrWake waits for d (for ever when d is negative), until wake is closed or until ctx is
// done, and reports whether d passed, or returns ctx's error when ctx ended the wait.
func waitOrWake(ctx context.Context, d time.Duration, wake <-chan struct{}) (bool, error) {
	var expired <-chan time.Time
	if d >= 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		expired = t.C
	}
	select {
	case <-expired:
		return true, nil
	case <-wake:
		return false, nil
	case <-ctx.Done():
		return false, ctx.Err()
	}
}

// refill adds the tokens the fill rate gives from the last refill to now.
func (l *adaptiveLimiter) refill(now time.Time) {
	if elapsed := now.Sub(l.lastRefill).Seconds(); elapsed > 0 {
		l.tokens = min(l.capacity, l.tokens+elapsed*l.fillRate)
	}
	l.lastRefill = now
}

// update takes the outcome of a request that the service answered, throttled or not, whose
// token was taken at taken (as acquire returned it); hint is how long a throttling answer
// asked the client to wait (the TimeLeft of x-ratelimit-user-api, Retry-After), or 0.
//
// An unthrottled answer raises the rate: before the first throttling answer by doubling it for
// every second since the last answer (slow start), after it along the cubic curve; both within
// twice the measured sending rate. One throttling event cuts the rate once. A throttling answer does not cut it again when the
// request's token was taken before the last cut (it tells of the rate before that cut), or
// when it comes before the wait that the cut's answer asked for is over: a service that limits
// requests per window refuses every request until its window renews, whatever the rate.
// Without this, the answers to the requests in flight when the service first throttles, and
// to those sent in the rest of its window, would each cut the rate, down to the floor. The
// cut also holds the bucket empty for that wait, so that the requests sent in it are not
// refused for nothing.
func (l *adaptiveLimiter) update(throttled bool, taken time.Time, hint time.Duration) {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	t := l.seconds(now)
	l.measure(t)
	since := t - l.lastUpdate
	l.lastUpdate = t
	switch {
	case !throttled && !l.throttled: // slow start
		l.setRate(now, min(l.fillRate*math.Exp2(since), max(limiterStartRate, 2*l.measuredRate)))
		return
	case !throttled:
		d := t - l.lastThrottle - l.window
		l.setRate(now, min(limiterScale*d*d*d+l.lastMaxRate, 2*l.measuredRate))
		return
	case taken.Before(l.cut) || now.Before(l.quietUntil):
		return
	}
	l.cut, l.quietUntil = now, now.Add(hint)
	base := l.fillRate
	if l.measuredRate > 0 { // no half-second bucket has ended yet otherwise
		base = min(base, l.measuredRate)
	}
	l.lastMaxRate, l.lastThrottle = base, t
	l.window = math.Cbrt(l.lastMaxRate * (1 - limiterBeta) / limiterScale)
	l.throttled = true
	// The callers waiting wait for the new rate (see acquire), after the wait the service asked
	// for: whatever the bucket held is replaced by that wait's debt.
	l.setRate(now, base*limiterBeta)
	l.tokens = -hint.Seconds() * l.fillRate
	l.wakeFirst()
}

// wakeFirst wakes the first caller of the queue, when it sleeps, to sleep as the bucket and
// the rate now say.
func (l *adaptiveLimiter) wakeFirst() {
	if l.rateChanged != nil {
		close(l.rateChanged)
		l.rateChanged = nil
	}
}

// measure counts a request in the measured sending rate. A bucket that began before the end
// of the last cut's hold (quietUntil) is left out of the measure: while the limiter held the
// bucket empty the client sent little because the limiter let it, and a throttling answer
// that came soon after the hold would otherwise cut the rate from that little:
// TestLimiterHoldIsNotMeasured's client, cut to 32.6 a second with a 1.2 s hold, is cut to 26
// by a throttling answer a third of a second after the hold, and was cut to 13 before.
func (l *adaptiveLimiter) measure(t float64) {
	l.sent++
	bucket := math.Floor(t/limiterBucket) * limiterBucket
	if bucket > l.bucketStart {
		if l.bucketStart >= l.seconds(l.quietUntil) {
			current := float64(l.sent) / (bucket - l.bucketStart)
			l.measuredRate = current*limiterSmooth + l.measuredRate*(1-limiterSmooth)
		}
		l.sent, l.bucketStart = 0, bucket
	}
}

// setRate makes rate the bucket's fill rate, within its floor, and wakes the first caller of
// the queue when the rate changed (see acquire).
func (l *adaptiveLimiter) setRate(now time.Time, rate float64) {
	l.refill(now)
	old := l.fillRate
	l.fillRate = max(rate, limiterMinRate)
	if l.fillRate != old {
		l.wakeFirst()
	}
	l.capacity = max(rate, 1)
	l.tokens = min(l.tokens, l.capacity)
}

// rate returns the fill rate in tokens a second.
func (l *adaptiveLimiter) rate() float64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.fillRate
}
