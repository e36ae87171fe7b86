package expressconnect

import (
	"context"
	"math"
	"sync"
	"time"
)

// This file is the client's adaptive rate limiter: one per Client, shared by every call and
// goroutine, so that a client the service throttles sends fewer requests instead of more
// retries. It follows the adaptive retry mode of the AWS SDKs, whose algorithm is published
// (the "CUBIC" congestion control of RFC 8312 applied to a token bucket):
//
//   - Until the service first answers with a throttling code, the limiter lets every request
//     through and costs nothing but a counter.
//   - Each request takes a token from a bucket filled at fillRate tokens a second (at most
//     max(fillRate, 1) tokens held), waiting for one when the bucket is empty. A change of
//     the rate by more than a tenth wakes the callers that wait, which then wait as long as
//     the new rate says, as the AWS SDKs' bucket does: a caller queued while the rate was low
//     is not held for seconds after it has risen again.
//   - A throttled answer cuts the rate to beta (0.8) times the rate measured when it came, once
//     per throttling event (see update), and holds the bucket empty for the wait the service
//     asked for; callers already waiting take their places again at the new rate. The first
//     cut, when no measurement has ended yet, takes the rate of the requests sent so far.
//   - Every other answer raises it along a cubic curve back towards that rate and past it:
//     rate(t) = scale * (t - throttleTime - window)^3 + lastMaxRate, with
//     window = cbrt(lastMaxRate * (1 - beta) / scale).
//   - The rate never exceeds twice the rate at which requests were actually sent, measured in
//     half-second buckets and smoothed, so a client that idles does not build up a burst.

// Parameters of the adaptive rate limiter, as the AWS SDKs publish them but for beta and scale
// (published: 0.7 and 0.4). The service limits the requests of a second, and each throttling
// event costs a refused request; with the published constants the rate came back past the
// limit every 2 to 3 s, and against a limit of 20 requests a second a minute of 64 callers had
// 6.3% of its requests refused for 93% of the limit reached. A shallower cut (0.8) and a
// slower curve (0.1, a window of 3.4 s at 20 a second instead of 2.5 s) spend longer near the
// limit and cross it half as often: 4.9% and 5.0% refused for 94% of the limit, in two runs
// (5.2% to 6.6% in later runs on the same machine under more load, where a slower curve,
// 0.05, did no better).
// On average over the curve's concave part the rate is 1 - (1 - beta) / 4 of the last one
// refused: 95% instead of 92.5%.
const (
	limiterBeta    = 0.8
	limiterScale   = 0.1
	limiterSmooth  = 0.8
	limiterMinRate = 0.5 // tokens a second: the slowest the limiter ever goes
	limiterBucket  = 0.5 // seconds: the width of the buckets the sending rate is measured in
)

// adaptiveLimiter is a Client's rate limiter. It is safe for concurrent use.
type adaptiveLimiter struct {
	now func() time.Time

	mu      sync.Mutex
	enabled bool // after the first throttling answer
	// acquired counts the requests let through before the limiter was enabled.
	acquired int
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
	// rateChanged is closed when the fill rate moves by more than rateChangeToWake from
	// plannedRate, the rate in force when it was made, to wake the callers that wait for a
	// token; nil while none waits.
	rateChanged chan struct{}
	plannedRate float64
}

// rateChangeToWake is how far, as a fraction, the fill rate must move before the callers that
// wait for a token are woken to wait as the new rate says: every answer moves the rate a
// little, and waking them all for each would cost more than the little it changes.
const rateChangeToWake = 0.1

func newAdaptiveLimiter(now func() time.Time) *adaptiveLimiter {
	t := now()
	return &adaptiveLimiter{now: now, epoch: t, lastRefill: t}
}

// seconds returns t as seconds since the limiter was made.
func (l *adaptiveLimiter) seconds(t time.Time) float64 { return t.Sub(l.epoch).Seconds() }

// acquire takes a token, waiting for one when the bucket is empty, and returns how long it
// waited and when it took the token that it kept, or ctx's error when ctx ends first. It
// returns at once while the limiter is not enabled.
//
// A caller that finds the bucket empty owes the tokens that the callers before it and itself
// took beyond the bucket's content, and waits until the rate in force has filled that much.
// When the rate moves by more than rateChangeToWake, the callers that wait are woken: after a
// rise each pays what the old rate filled meanwhile and waits for the rest at the new rate;
// after a throttling answer's cut each takes its place again, since its wait was reckoned at
// a rate the service has just refused.
func (l *adaptiveLimiter) acquire(ctx context.Context) (time.Duration, time.Time, error) {
	if l == nil {
		return 0, time.Time{}, nil
	}
	var total time.Duration
	l.mu.Lock()
	defer l.mu.Unlock()
	for {
		now := l.now()
		if !l.enabled {
			l.acquired++
			return total, now, nil
		}
		l.refill(now)
		l.tokens-- // a debt when negative: the caller waits until it is paid
		cut := l.cut
		for owed := -l.tokens; owed > 0 && !l.cut.After(cut); {
			if l.rateChanged == nil {
				l.rateChanged, l.plannedRate = make(chan struct{}), l.fillRate
			}
			changed, rate := l.rateChanged, l.fillRate
			l.mu.Unlock()
			slept, woken, err := waitOrWake(ctx, time.Duration(owed/rate*float64(time.Second)), changed)
			l.mu.Lock()
			total += slept
			if err != nil {
				l.tokens++ // the request is not sent: give the token back
				return 0, time.Time{}, err
			}
			if woken {
				owed -= slept.Seconds() * rate // what the old rate filled while the caller waited
			} else {
				owed = 0
			}
		}
		if !l.cut.After(cut) {
			return total, now, nil
		}
	}
}

// waitOrWake waits for d, until changed is closed or until ctx is done, and returns how long
// it waited, whether changed woke it, and ctx's error when ctx ended the wait.
func waitOrWake(ctx context.Context, d time.Duration, changed <-chan struct{}) (time.Duration, bool, error) {
	began := time.Now()
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return d, false, nil
	case <-changed:
		return time.Since(began), true, nil
	case <-ctx.Done():
		return 0, false, ctx.Err()
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
// One throttling event cuts the rate once. A throttling answer does not cut it again when the
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
	if !throttled {
		if l.enabled {
			d := t - l.lastThrottle - l.window
			l.setRate(now, min(limiterScale*d*d*d+l.lastMaxRate, 2*l.measuredRate))
		}
		return
	}
	if l.enabled && (taken.Before(l.cut) || now.Before(l.quietUntil)) {
		return
	}
	l.cut, l.quietUntil = now, now.Add(hint)
	base := l.measuredRate
	if !l.enabled && base == 0 {
		// No half-second bucket has ended yet: the service throttled the client's first burst.
		// Its rate is that of the requests sent so far, over at least a bucket, rather than 0,
		// which would start the limiter at its floor of 0.5 a second.
		base = float64(l.acquired) / max(t, limiterBucket)
		l.measuredRate = base
	}
	if l.enabled {
		base = min(base, l.fillRate)
	}
	l.lastMaxRate, l.lastThrottle = base, t
	l.window = math.Cbrt(l.lastMaxRate * (1 - limiterBeta) / limiterScale)
	l.enabled = true
	// The callers waiting take their places again at the new rate (see acquire), after the
	// wait the service asked for: whatever the bucket held is replaced by that wait's debt.
	l.setRate(now, min(base*limiterBeta, 2*l.measuredRate))
	l.tokens = -hint.Seconds() * l.fillRate
}

// measure counts a request in the measured sending rate.
func (l *adaptiveLimiter) measure(t float64) {
	l.sent++
	bucket := math.Floor(t/limiterBucket) * limiterBucket
	if bucket > l.bucketStart {
		current := float64(l.sent) / (bucket - l.bucketStart)
		l.measuredRate = current*limiterSmooth + l.measuredRate*(1-limiterSmooth)
		l.sent, l.bucketStart = 0, bucket
	}
}

// setRate makes rate the bucket's fill rate, within its floor, and wakes the callers that
// wait for a token when the rate moved by more than rateChangeToWake (see acquire).
func (l *adaptiveLimiter) setRate(now time.Time, rate float64) {
	l.refill(now)
	l.fillRate = max(rate, limiterMinRate)
	if l.rateChanged != nil && math.Abs(l.fillRate-l.plannedRate) > rateChangeToWake*l.plannedRate {
		close(l.rateChanged)
		l.rateChanged = nil
	}
	l.capacity = max(rate, 1)
	l.tokens = min(l.tokens, l.capacity)
}

// rate returns the fill rate in tokens a second, 0 while the limiter is not enabled.
func (l *adaptiveLimiter) rate() float64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.enabled {
		return 0
	}
	return l.fillRate
}
