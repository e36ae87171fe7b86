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
//     the rate wakes the callers that wait, which then wait as long as the new rate says, as
//     the AWS SDKs' bucket does: a caller queued while the rate was at its floor is not held
//     for seconds after the rate has risen again.
//   - A throttled answer cuts the rate to beta (0.7) times the rate measured when it came.
//   - Every other answer raises it along a cubic curve back towards that rate and past it:
//     rate(t) = scale * (t - throttleTime - window)^3 + lastMaxRate, with
//     window = cbrt(lastMaxRate * (1 - beta) / scale).
//   - The rate never exceeds twice the rate at which requests were actually sent, measured in
//     half-second buckets and smoothed, so a client that idles does not build up a burst.

// Parameters of the adaptive rate limiter, as the AWS SDKs publish them.
const (
	limiterBeta    = 0.7
	limiterScale   = 0.4
	limiterSmooth  = 0.8
	limiterMinRate = 0.5 // tokens a second: the slowest the limiter ever goes
	limiterBucket  = 0.5 // seconds: the width of the buckets the sending rate is measured in
)

// adaptiveLimiter is a Client's rate limiter. It is safe for concurrent use.
type adaptiveLimiter struct {
	now func() time.Time

	mu      sync.Mutex
	enabled bool // after the first throttling answer
	// The token bucket.
	tokens, capacity, fillRate float64
	lastRefill                 time.Time
	// The CUBIC state: the rate before the last throttling and when it came.
	lastMaxRate, lastThrottle, window float64
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
// waited, or ctx's error when ctx ends first. It returns at once while the limiter is not
// enabled.
//
// A caller that finds the bucket empty owes the tokens that the callers before it and itself
// took beyond the bucket's content: it waits until the bucket has been refilled by that
// much, which every caller that waits sees at once, at the rate in force. When the rate
// changes by more than rateChangeToWake, the callers that wait are woken, pay what the old
// rate filled meanwhile, and wait for the rest at the new rate.
func (l *adaptiveLimiter) acquire(ctx context.Context) (time.Duration, error) {
	if l == nil {
		return 0, nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.enabled {
		return 0, nil
	}
	l.refill(l.now())
	l.tokens-- // a debt when negative: the caller waits until it is paid
	owed := -l.tokens
	var waited time.Duration
	for owed > 0 {
		planned := time.Duration(owed / l.fillRate * float64(time.Second))
		if l.rateChanged == nil {
			l.rateChanged, l.plannedRate = make(chan struct{}), l.fillRate
		}
		changed, rate := l.rateChanged, l.fillRate
		l.mu.Unlock()
		began := time.Now()
		timer := time.NewTimer(planned)
		var err error
		select {
		case <-timer.C:
			owed = 0
			waited += planned
		case <-changed:
			slept := time.Since(began)
			owed -= slept.Seconds() * rate // what the old rate filled while the caller waited
			waited += slept
		case <-ctx.Done():
			err = ctx.Err()
		}
		timer.Stop()
		l.mu.Lock()
		if err != nil {
			l.tokens++ // the request is not sent: give the token back
			return 0, err
		}
	}
	return waited, nil
}

// refill adds the tokens the fill rate gives from the last refill to now.
func (l *adaptiveLimiter) refill(now time.Time) {
	if elapsed := now.Sub(l.lastRefill).Seconds(); elapsed > 0 {
		l.tokens = min(l.capacity, l.tokens+elapsed*l.fillRate)
	}
	l.lastRefill = now
}

// update takes the outcome of a request that the service answered: throttled or not.
func (l *adaptiveLimiter) update(throttled bool) {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	t := l.seconds(now)
	l.measure(t)
	var rate float64
	if throttled {
		base := l.measuredRate
		if l.enabled {
			base = min(base, l.fillRate)
		}
		l.lastMaxRate, l.lastThrottle = base, t
		l.window = math.Cbrt(l.lastMaxRate * (1 - limiterBeta) / limiterScale)
		rate = base * limiterBeta
		if !l.enabled {
			l.enabled, l.tokens, l.lastRefill = true, 0, now
		}
	} else {
		if !l.enabled {
			return
		}
		d := t - l.lastThrottle - l.window
		rate = limiterScale*d*d*d + l.lastMaxRate
	}
	l.setRate(now, min(rate, 2*l.measuredRate))
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
// wait for a token, when the rate moved enough, so that they wait as long as the new rate
// says.
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
