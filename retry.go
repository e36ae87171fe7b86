package expressconnect

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// This file owns every retry decision: the classification of a failure, the backoff, the
// service's throttle hints, the once-only clock-skew retry, the deadline fail-fast and the
// retry budget. The call loop asks retrier.next one question per failed attempt.

// RetryClass says whether and how a failed attempt is retried.
type RetryClass int

// The retry classes. A [CheckRetry] that returns any other value means NoRetry.
const (
	// NoRetry ends the call with the failure.
	NoRetry RetryClass = iota
	// RetryTransient retries with the transient backoff (50 ms base).
	RetryTransient
	// RetryThrottled retries with the throttling backoff (1 s base), honouring throttle hints.
	RetryThrottled
	// RetryClockSkew retries once, right away, after the client corrected its clock from the
	// service's answer. It is NoRetry when clock-skew correction is off, after the call's
	// first clock-skew retry, or when the correction did not move the clock by more than
	// 4 minutes.
	RetryClockSkew
)

// String returns the class's name, such as "RetryTransient".
func (c RetryClass) String() string {
	switch c {
	case NoRetry:
		return "NoRetry"
	case RetryTransient:
		return "RetryTransient"
	case RetryThrottled:
		return "RetryThrottled"
	case RetryClockSkew:
		return "RetryClockSkew"
	}
	return "RetryClass(" + strconv.Itoa(int(c)) + ")"
}

// known reports whether c is one of the classes above.
func (c RetryClass) known() bool { return c >= NoRetry && c <= RetryClockSkew }

// CheckRetry classifies a failed attempt. err is what the attempt returned: an *APIError, a
// *ResponseError, a *TransportError, or an error matching ErrCredentials when no request could
// be sent. ctx is the call's context. It is never called for a success or a passed dry run,
// nor after the last attempt.
type CheckRetry func(ctx context.Context, err error) RetryClass

// Backoff returns how long to wait before retry number retry (1 for the first retry) of the
// given class. hint is the service's throttle hint (Retry-After, x-ratelimit-user-api,
// x-ratelimit-user), or 0 when it gave none.
type Backoff func(class RetryClass, retry int, hint time.Duration) time.Duration

// DefaultCheckRetry retries what is safe to retry given the idempotency Token: no answer
// (refused, reset, EOF, a timeout of the attempt), the codes the code table marks retryable
// (InternalError, ServiceUnavailable and SignatureNonceUsed as transient, the throttling codes
// as throttled, InvalidTimeStamp.Expired as clock skew), any other code with HTTP 500, 502, 503
// or 504, and an answer that was cut short or is a 5xx the client could not read. It does not
// retry any other answer, TLS certificate errors, an unknown host, or a call whose context is
// done.
func DefaultCheckRetry(ctx context.Context, err error) RetryClass {
	if ctx.Err() != nil {
		return NoRetry
	}
	var apiErr *APIError
	var respErr *ResponseError
	var tErr *TransportError
	switch {
	case errors.As(err, &apiErr):
		return retryClassOf(apiErr.Code, apiErr.StatusCode)
	case errors.As(err, &respErr):
		if respErr.Incomplete() || respErr.StatusCode >= 500 {
			return RetryTransient
		}
	case errors.As(err, &tErr):
		return classifyTransportError(tErr)
	}
	return NoRetry
}

func classifyTransportError(e *TransportError) RetryClass {
	var certErr *tls.CertificateVerificationError
	var unknownAuth x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var dnsErr *net.DNSError
	switch {
	case errors.Is(e, context.Canceled):
		return NoRetry
	case errors.As(e, &certErr), errors.As(e, &unknownAuth), errors.As(e, &hostErr):
		return NoRetry
	case errors.As(e, &dnsErr) && dnsErr.IsNotFound:
		return NoRetry
	}
	return RetryTransient
}

// Backoff parameters of DefaultBackoff.
const (
	transientBackoffBase = 50 * time.Millisecond
	throttleBackoffBase  = time.Second
	maxBackoff           = 20 * time.Second
	maxHintExtra         = 5 * time.Second
)

// DefaultBackoff returns the default Backoff: before retry k it waits a random time between
// half and all of min(base * 2^(k-1), 20 s), with base 50 ms for transient failures and 1 s
// when throttled, and 0 for a clock-skew retry. A hint from the service, for any class,
// replaces that wait, clamped to [wait, wait + 5 s]. The waits between the polls of
// [Client.WaitVirtualPhysicalConnections] grow the same way, within their own bounds.
func DefaultBackoff() Backoff { return defaultBackoff(rand.Float64) }

// defaultBackoff is DefaultBackoff with the jitter drawn from random; tests pass a fixed one.
func defaultBackoff(random func() float64) Backoff {
	transient := backoff{base: transientBackoffBase, max: maxBackoff, random: random}
	throttled := backoff{base: throttleBackoffBase, max: maxBackoff, random: random}
	return func(class RetryClass, retry int, hint time.Duration) time.Duration {
		switch class {
		case RetryClockSkew:
			return 0
		case RetryThrottled:
			return throttled.wait(retry, hint)
		}
		return transient.wait(retry, hint)
	}
}

// backoff is the client's one backoff engine, behind both the retries of a call and the polls
// of a wait: the n-th wait (n counts from 1) is a random time between half and all of
// min(base * 2^(n-1), max), and a hint from the service replaces it, clamped to
// [wait, wait + maxHintExtra].
type backoff struct {
	base, max time.Duration
	// random returns values in [0, 1); it must be safe for concurrent use.
	random func() float64
}

// wait returns the n-th wait, given the service's hint (0 for none).
func (b backoff) wait(n int, hint time.Duration) time.Duration {
	ceiling := b.base
	for i := 1; i < n && ceiling < b.max; i++ {
		ceiling *= 2
	}
	ceiling = min(ceiling, b.max)
	wait := ceiling/2 + time.Duration(b.random()*float64(ceiling-ceiling/2))
	if hint > 0 {
		wait = min(max(hint, wait), wait+maxHintExtra)
	}
	return wait
}

// retryPolicy is the part of a call's settings that retries read.
type retryPolicy struct {
	maxAttempts int
	checkRetry  CheckRetry
	backoff     Backoff
}

// failure is what the retrier needs to know of a failed attempt.
type failure struct {
	err error
	// hint is the service's throttle hint, or 0.
	hint time.Duration
	// skewCorrected reports that the answer moved the client's clock correction by more than
	// skewRetryThreshold from the one the attempt was signed with.
	skewCorrected bool
}

// retrier makes the retry decisions of one call.
type retrier struct {
	policy      retryPolicy
	budget      *retryBudget
	skewRetried bool
}

// next decides, after failed attempt number n, how long to wait before the next attempt, with
// the class of the retry, or returns the error that ends the call.
func (r *retrier) next(ctx context.Context, n int, f failure) (time.Duration, RetryClass, error) {
	if n >= r.policy.maxAttempts {
		return 0, NoRetry, f.err
	}
	class := r.policy.checkRetry(ctx, f.err)
	if !class.known() {
		class = NoRetry
	}
	if class == RetryClockSkew {
		if r.skewRetried || !f.skewCorrected {
			return 0, NoRetry, f.err
		}
		r.skewRetried = true
	}
	if class == NoRetry {
		return 0, NoRetry, f.err
	}
	delay := max(r.policy.backoff(class, n, f.hint), 0)
	if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < delay {
		// The wait would outlast the caller's deadline: fail now rather than sleep for nothing.
		return 0, NoRetry, fmt.Errorf("%w: no time left to wait %s for a retry; last failure: %w",
			context.DeadlineExceeded, delay.Round(time.Millisecond), f.err)
	}
	if !r.budget.take(class) {
		return 0, NoRetry, fmt.Errorf("%w; last failure: %w", ErrRetryBudgetExhausted, f.err)
	}
	return delay, class, nil
}

// succeeded credits the budget with a success.
func (r *retrier) succeeded() { r.budget.refund() }

// throttleHint reads how long the service asks the client to wait: the TimeLeft (milliseconds)
// of x-ratelimit-user-api or x-ratelimit-user, or Retry-After (seconds or an HTTP date). It
// returns 0 when there is no usable hint.
func throttleHint(h http.Header, now time.Time) time.Duration {
	for _, name := range [...]string{"x-ratelimit-user-api", "x-ratelimit-user"} {
		if d, ok := parseRateLimit(h.Get(name)); ok {
			return d
		}
	}
	if d, ok := parseRetryAfter(h.Get("Retry-After"), now); ok {
		return d
	}
	return 0
}

// parseRateLimit reads the TimeLeft (milliseconds until the window resets) of a header like
// "Limit:10,Remain:0,TimeLeft:1200,Reset:1700000000000". A header whose Remain is above 0 is
// no hint: requests are left in the window, so waiting for its reset would be too long.
func parseRateLimit(v string) (time.Duration, bool) {
	var left time.Duration
	found := false
	for field := range strings.SplitSeq(v, ",") {
		name, value, ok := strings.Cut(strings.TrimSpace(field), ":")
		if !ok {
			continue
		}
		n, err := strconv.ParseInt(strings.TrimSpace(value), 10, 64)
		switch {
		case strings.EqualFold(name, "Remain"):
			if err != nil || n > 0 {
				return 0, false
			}
		case strings.EqualFold(name, "TimeLeft"):
			if err != nil || n < 0 || n > int64(time.Hour/time.Millisecond) {
				return 0, false
			}
			left, found = time.Duration(n)*time.Millisecond, true
		}
	}
	return left, found
}

// parseRetryAfter reads a Retry-After header: delay-seconds or an HTTP date.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 || secs > int64(time.Hour/time.Second) {
			return 0, false
		}
		return time.Duration(secs) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	if d := t.Sub(now); d > 0 && d <= time.Hour {
		return d, true
	}
	return 0, false
}

// Retry budget: each Client holds retryBudgetSize tokens; a retry takes some, a success gives
// one back, so a long outage stops multiplying the load on the service.
const (
	retryBudgetSize    = 500
	transientRetryCost = 14
	throttleRetryCost  = 5
	successRefund      = 1
)

// retryBudget is a token bucket shared by every call of a Client.
type retryBudget struct {
	mu     sync.Mutex
	tokens int
}

func newRetryBudget() *retryBudget { return &retryBudget{tokens: retryBudgetSize} }

// take removes the cost of a retry of class, and reports false, removing nothing, when the
// budget cannot pay it. A clock-skew retry is free: it happens once per call at most.
func (b *retryBudget) take(class RetryClass) bool {
	cost := transientRetryCost
	switch class {
	case RetryThrottled:
		cost = throttleRetryCost
	case RetryClockSkew:
		return true
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.tokens < cost {
		return false
	}
	b.tokens -= cost
	return true
}

// refund gives back a success's token, up to the budget's size.
func (b *retryBudget) refund() {
	b.mu.Lock()
	b.tokens = min(b.tokens+successRefund, retryBudgetSize)
	b.mu.Unlock()
}

// sleep waits for d, or until ctx is done, whichever comes first.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
