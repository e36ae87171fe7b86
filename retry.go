package expressconnect

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// RetryClass says whether and how a failed attempt is retried.
type RetryClass int

// The retry classes.
const (
	// NoRetry ends the call with the failure.
	NoRetry RetryClass = iota
	// RetryTransient retries with the transient backoff (50 ms base).
	RetryTransient
	// RetryThrottled retries with the throttling backoff (1 s base), honouring throttle hints.
	RetryThrottled
	// RetryClockSkew retries once, right away, after the client corrected its clock. The
	// client downgrades it to NoRetry when clock-skew correction is off or the estimate did
	// not move.
	RetryClockSkew
)

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
// (refused, reset, EOF, a timeout of the attempt), HTTP 500, 502, 503 and 504, InternalError,
// ServiceUnavailable, a 5xx or truncated body the client could not read, and SignatureNonceUsed
// as transient failures; the throttling codes as throttled; InvalidTimeStamp.Expired as clock
// skew. It does not retry any other answer, TLS certificate errors, a bad endpoint, or a call
// whose context is done.
func DefaultCheckRetry(ctx context.Context, err error) RetryClass {
	if ctx.Err() != nil {
		return NoRetry
	}
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		return classifyAPIError(apiErr)
	}
	var respErr *ResponseError
	if errors.As(err, &respErr) {
		return classifyResponseError(respErr)
	}
	var tErr *TransportError
	if errors.As(err, &tErr) {
		return classifyTransportError(tErr)
	}
	return NoRetry
}

func classifyAPIError(e *APIError) RetryClass {
	switch {
	case errors.Is(e, ErrThrottled):
		return RetryThrottled
	case e.Code == string(ErrInvalidTimeStampExpired):
		return RetryClockSkew
	case e.Code == string(ErrSignatureNonceUsed), e.Code == string(ErrInternalError),
		e.Code == string(ErrServiceUnavailable), retryableStatus(e.StatusCode):
		return RetryTransient
	}
	return NoRetry
}

func classifyResponseError(e *ResponseError) RetryClass {
	switch {
	case e.StatusCode >= 500:
		return RetryTransient
	case e.StatusCode >= 200 && e.StatusCode < 300 && e.Incomplete():
		return RetryTransient
	}
	return NoRetry
}

func classifyTransportError(e *TransportError) RetryClass {
	var certErr *tls.CertificateVerificationError
	var unknownAuth x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var dnsErr *net.DNSError
	switch {
	case errors.Is(e.Err, context.Canceled):
		return NoRetry
	case errors.As(e.Err, &certErr), errors.As(e.Err, &unknownAuth), errors.As(e.Err, &hostErr):
		return NoRetry
	case errors.As(e.Err, &dnsErr) && dnsErr.IsNotFound:
		return NoRetry
	}
	return RetryTransient
}

func retryableStatus(status int) bool {
	switch status {
	case http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// Backoff parameters of DefaultBackoff.
const (
	transientBackoffBase = 50 * time.Millisecond
	throttleBackoffBase  = time.Second
	maxBackoff           = 20 * time.Second
	maxHintExtra         = 5 * time.Second
)

// DefaultBackoff returns the default Backoff, with full jitter from math/rand/v2.
func DefaultBackoff() Backoff { return JitterBackoff(rand.Float64) }

// JitterBackoff returns a full-jitter Backoff: before retry k it waits
// random() * min(base * 2^(k-1), 20 s), with base 50 ms for transient failures and 1 s when
// throttled. A hint from the service, for any class, replaces that wait, clamped to
// [wait, wait + 5 s]. random must return values in [0, 1) and be safe for concurrent use; tests
// pass a fixed one.
func JitterBackoff(random func() float64) Backoff {
	return func(class RetryClass, retry int, hint time.Duration) time.Duration {
		base := transientBackoffBase
		switch class {
		case RetryThrottled:
			base = throttleBackoffBase
		case RetryClockSkew:
			return 0
		}
		ceiling := maxBackoff
		if retry < 20 { // 2^19 * 50 ms is far past the cap already.
			ceiling = min(base<<(max(retry, 1)-1), maxBackoff)
		}
		wait := time.Duration(random() * float64(ceiling))
		if hint > 0 {
			wait = min(max(hint, wait), wait+maxHintExtra)
		}
		return wait
	}
}

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
// budget cannot pay it.
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

// wait sleeps for d, or until ctx is done, whichever comes first.
func wait(ctx context.Context, d time.Duration) error {
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
