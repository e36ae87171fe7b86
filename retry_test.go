package expressconnect

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The retry tests are not parallel at the top level: each checks with leakCheck that it leaves
// no goroutine behind, which goroutines of tests running alongside would confuse.

// retryHalf is a random source fixed at 0, so that the default backoff's delays are exact: half
// of their ceiling.
func retryHalf() float64 { return 0 }

// retryBackoffCall is one call of a retryRecorder.
type retryBackoffCall struct {
	class RetryClass
	retry int
	hint  time.Duration
	// computed is what the recorder's compute Backoff returned.
	computed time.Duration
}

// retryRecorder is a Backoff that records its calls. It computes each delay with compute and
// waits what sleep makes of it (the computed delay itself when sleep is nil). onCall, when set,
// runs after each call is recorded.
type retryRecorder struct {
	compute Backoff
	sleep   func(computed time.Duration) time.Duration
	onCall  func()

	mu    sync.Mutex
	calls []retryBackoffCall
}

func (r *retryRecorder) backoff(class RetryClass, retry int, hint time.Duration) time.Duration {
	d := r.compute(class, retry, hint)
	r.mu.Lock()
	r.calls = append(r.calls, retryBackoffCall{class: class, retry: retry, hint: hint, computed: d})
	r.mu.Unlock()
	if r.onCall != nil {
		r.onCall()
	}
	if r.sleep != nil {
		return r.sleep(d)
	}
	return d
}

func (r *retryRecorder) recorded() []retryBackoffCall {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]retryBackoffCall(nil), r.calls...)
}

// retryFault is a scripted server behaviour and what a call against it must do.
type retryFault struct {
	name string
	// steps script the server; nil means no server at all (connection refused).
	steps []fixtureStep
	// requests is how many requests the server must receive.
	requests int
	// attempts is how many attempts the call must report when it fails.
	attempts int
	// ok says the call must succeed.
	ok bool
	// is, when set, must be matched by the call's error with errors.Is.
	is error
	// opts are options the scenario needs, applied after the caller's.
	opts []Option
}

// retryFaults returns the fault scenarios shared by TestRetryFaults and the canary scan.
// redirectTo is where the redirect scenario points.
func retryFaults(redirectTo string) []retryFault {
	return []retryFault{
		{name: "503 forever", steps: []fixtureStep{fixtureAPI(503, "ServiceUnavailable")}, requests: 3, attempts: 3, is: CodeServiceUnavailable},
		{name: "503 then 200", steps: []fixtureStep{fixtureAPI(503, "ServiceUnavailable"), fixtureOK}, requests: 2, ok: true},
		{name: "500 InternalError then 200", steps: []fixtureStep{fixtureAPI(500, "InternalError"), fixtureOK}, requests: 2, ok: true},
		{name: "504 unknown code then 200", steps: []fixtureStep{fixtureAPI(504, "GatewayTimeout"), fixtureOK}, requests: 2, ok: true},
		{name: "SignatureNonceUsed then 200", steps: []fixtureStep{fixtureAPI(400, "SignatureNonceUsed"), fixtureOK}, requests: 2, ok: true},
		{name: "Throttling.User with hint then 200", steps: []fixtureStep{
			fixtureAPI(400, "Throttling.User", "x-ratelimit-user-api", "Limit:10,Remain:0,TimeLeft:1200,Reset:1700000000000"), fixtureOK,
		}, requests: 2, ok: true},
		{name: "Rejected.Throttling with garbage hint then 200", steps: []fixtureStep{
			fixtureAPI(503, "Rejected.Throttling", "x-ratelimit-user", "Limit:10,TimeLeft:soon"), fixtureOK,
		}, requests: 2, ok: true},
		{name: "400 MissingParameter not retried", steps: []fixtureStep{fixtureAPI(400, "MissingParameter")}, requests: 1, attempts: 1, is: ErrInvalidParameter},
		{name: "404 InvalidPhysicalConnectionId.NotFound not retried", steps: []fixtureStep{fixtureAPI(404, "InvalidPhysicalConnectionId.NotFound")}, requests: 1, attempts: 1, is: CodeInvalidPhysicalConnectionIDNotFound},
		{name: "404 unknown code not retried", steps: []fixtureStep{fixtureAPI(404, "Brand.NewCode")}, requests: 1, attempts: 1, is: Code("Brand.NewCode")},
		{name: "400 SignatureDoesNotMatch not retried", steps: []fixtureStep{fixtureAPI(400, "SignatureDoesNotMatch")}, requests: 1, attempts: 1, is: CodeSignatureDoesNotMatch},
		{name: "HTML 502 then 200", steps: []fixtureStep{fixtureHTML(502), fixtureOK}, requests: 2, ok: true},
		{name: "HTML 502 forever", steps: []fixtureStep{fixtureHTML(502)}, requests: 3, attempts: 3, is: ErrMalformedResponse},
		{name: "HTML 404 not retried", steps: []fixtureStep{fixtureHTML(404)}, requests: 1, attempts: 1, is: ErrMalformedResponse},
		{name: "truncated 200 then 200", steps: []fixtureStep{fixtureTruncated, fixtureOK}, requests: 2, ok: true},
		{name: "reset before headers then 200", steps: []fixtureStep{fixtureResetBeforeHeaders, fixtureOK}, requests: 2, ok: true},
		{name: "reset after headers then 200", steps: []fixtureStep{fixtureResetAfterHeaders, fixtureOK}, requests: 2, ok: true},
		{name: "reset forever", steps: []fixtureStep{fixtureResetBeforeHeaders}, requests: 3, attempts: 3},
		{name: "redirect not followed", steps: []fixtureStep{fixtureRedirect(http.StatusFound, redirectTo, false)}, requests: 1, attempts: 1, is: ErrRedirectRefused},
		{name: "connection refused", requests: 0, attempts: 3, is: syscall.ECONNREFUSED},
	}
}

// retryRun runs f's scenario with a client made with opts, and returns the server (nil for
// connection refused), the response and the error.
func retryRun(t *testing.T, f retryFault, opts ...Option) (*fixtureServer, *CreateVirtualPhysicalConnectionResponse, error) {
	t.Helper()
	var srv *fixtureServer
	endpoint := ""
	if f.steps == nil {
		endpoint = fixtureClosedURL(t)
	} else {
		srv = newFixtureServer(t, f.steps...)
		endpoint = srv.URL
	}
	c := fixtureClient(t, endpoint, append(opts, f.opts...)...)
	resp, err := c.CreateVirtualPhysicalConnection(context.Background(), minimalRequest())
	if srv != nil {
		assert.Len(t, srv.requests(), f.requests, "requests the server received")
	}
	if f.ok {
		require.NoError(t, err)
		assert.Equal(t, fixtureOKConnectionID, resp.VirtualPhysicalConnectionID)
		if srv != nil {
			assert.Equal(t, srv.param("Token")[0], resp.Token, "the response carries the Token sent")
		}
		return srv, resp, err
	}
	require.Error(t, err)
	var opErr *OperationError
	require.ErrorAs(t, err, &opErr)
	assert.Len(t, opErr.Attempts, f.attempts)
	assert.Len(t, opErr.Token, 36, "a generated Token")
	if srv != nil {
		for i, tok := range srv.param("Token") {
			assert.Equal(t, opErr.Token, tok, "request %d's Token", i)
		}
	}
	if f.is != nil {
		assert.ErrorIs(t, err, f.is)
	}
	var uErr *url.Error
	assert.False(t, errors.As(err, &uErr), "a *url.Error reached the caller: %v", err)
	return srv, nil, err
}

// TestRetryFaults runs every fault scenario once with the default policy and no wait.
func TestRetryFaults(t *testing.T) {
	leakCheck(t)
	target := newFixtureServer(t, fixtureOK)
	for _, f := range retryFaults(target.URL) {
		t.Run(f.name, func(t *testing.T) {
			t.Parallel()
			retryRun(t, f)
		})
	}
	t.Cleanup(func() { assert.Empty(t, target.requests(), "the redirect was followed") })
}

// TestRetry503ForeverExactDelays checks the three requests of a call that always gets 503, the
// delays before each retry (the lowest jitter: half of 50 ms, then half of 100 ms), and that
// the final error wraps the *APIError.
func TestRetry503ForeverExactDelays(t *testing.T) {
	leakCheck(t)
	srv := newFixtureServer(t, fixtureAPI(503, "ServiceUnavailable"))
	rec := &retryRecorder{compute: defaultBackoff(retryHalf)}
	c := fixtureClient(t, srv.URL, WithBackoff(rec.backoff))

	_, err := c.CreateVirtualPhysicalConnection(context.Background(), minimalRequest())

	require.Error(t, err)
	var opErr *OperationError
	require.ErrorAs(t, err, &opErr)
	assert.Len(t, opErr.Attempts, 3)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 503, apiErr.StatusCode)
	assert.Equal(t, Code("ServiceUnavailable"), apiErr.Code)
	assert.ErrorIs(t, err, ErrServerSide)

	wantDelays := []time.Duration{25 * time.Millisecond, 50 * time.Millisecond}
	calls := rec.recorded()
	require.Len(t, calls, 2)
	for i, call := range calls {
		assert.Equal(t, RetryTransient, call.class)
		assert.Equal(t, i+1, call.retry)
		assert.Zero(t, call.hint)
		assert.Equal(t, wantDelays[i], call.computed, "delay before retry %d", i+1)
	}
	seen := srv.requests()
	require.Len(t, seen, 3)
	for i, want := range wantDelays {
		gap := seen[i+1].at.Sub(seen[i].at)
		assert.GreaterOrEqual(t, gap, want, "gap before request %d", i+2)
		assert.Less(t, gap, want+time.Second, "gap before request %d", i+2)
	}
}

// TestRetryKeepsTokenAndSignsAnew checks that a retry sends the same Token with a new nonce and
// a new signature.
func TestRetryKeepsTokenAndSignsAnew(t *testing.T) {
	leakCheck(t)
	srv := newFixtureServer(t, fixtureAPI(503, "ServiceUnavailable"), fixtureOK)
	c := fixtureClient(t, srv.URL)

	resp, err := c.CreateVirtualPhysicalConnection(context.Background(), minimalRequest())

	require.NoError(t, err)
	seen := srv.requests()
	require.Len(t, seen, 2)
	first, second := seen[0].query, seen[1].query
	assert.NotEmpty(t, first.Get("Token"))
	assert.Equal(t, first.Get("Token"), second.Get("Token"))
	assert.Equal(t, first.Get("Token"), resp.Token)
	assert.NotEqual(t, first.Get("SignatureNonce"), second.Get("SignatureNonce"))
	assert.NotEmpty(t, first.Get("Signature"))
	assert.NotEqual(t, first.Get("Signature"), second.Get("Signature"))
}

// TestRetryCallerToken checks that a caller's Token is sent unchanged on every attempt and
// reported by the final error.
func TestRetryCallerToken(t *testing.T) {
	leakCheck(t)
	srv := newFixtureServer(t, fixtureAPI(503, "ServiceUnavailable"))
	c := fixtureClient(t, srv.URL)
	req := minimalRequest()
	req.Token = "caller-token-0001"

	_, err := c.CreateVirtualPhysicalConnection(context.Background(), req)

	var opErr *OperationError
	require.ErrorAs(t, err, &opErr)
	assert.Equal(t, "caller-token-0001", opErr.Token)
	assert.Equal(t, []string{"caller-token-0001", "caller-token-0001", "caller-token-0001"}, srv.param("Token"))
	assert.Equal(t, "caller-token-0001", req.Token, "the request is not modified")
}

// TestRetryMaxAttemptsOne checks that WithMaxAttempts(1) turns retries off.
func TestRetryMaxAttemptsOne(t *testing.T) {
	leakCheck(t)
	srv := newFixtureServer(t, fixtureAPI(503, "ServiceUnavailable"), fixtureOK)
	c := fixtureClient(t, srv.URL, WithMaxAttempts(1))

	_, err := c.CreateVirtualPhysicalConnection(context.Background(), minimalRequest())

	var opErr *OperationError
	require.ErrorAs(t, err, &opErr)
	assert.Len(t, opErr.Attempts, 1)
	assert.Len(t, srv.requests(), 1)
}

// TestDefaultBackoffJitter checks the delay formula, its cap, the jitter between half and all
// of the ceiling, and the clamping of throttle hints to [backoff, backoff + 5 s].
func TestDefaultBackoffJitter(t *testing.T) {
	t.Parallel()
	half := defaultBackoff(retryHalf)
	middle := defaultBackoff(func() float64 { return 0.5 })
	almostOne := defaultBackoff(func() float64 { return 0.999999 })
	tests := []struct {
		name    string
		backoff Backoff
		class   RetryClass
		retry   int
		hint    time.Duration
		want    time.Duration
	}{
		{"transient retry 1", half, RetryTransient, 1, 0, 25 * time.Millisecond},
		{"transient retry 2", half, RetryTransient, 2, 0, 50 * time.Millisecond},
		{"transient retry 3", half, RetryTransient, 3, 0, 100 * time.Millisecond},
		{"transient retry 9", half, RetryTransient, 9, 0, 6400 * time.Millisecond},
		{"transient retry 10 capped at 20s", half, RetryTransient, 10, 0, 10 * time.Second},
		{"transient retry 1000 capped", half, RetryTransient, 1000, 0, 10 * time.Second},
		{"retry 0 treated as 1", half, RetryTransient, 0, 0, 25 * time.Millisecond},
		{"negative retry treated as 1", half, RetryTransient, -5, 0, 25 * time.Millisecond},
		{"throttled retry 1", half, RetryThrottled, 1, 0, 500 * time.Millisecond},
		{"throttled retry 2", half, RetryThrottled, 2, 0, time.Second},
		{"throttled retry 6 capped", half, RetryThrottled, 6, 0, 10 * time.Second},
		{"random 0.5 waits three quarters", middle, RetryThrottled, 3, 0, 3 * time.Second},
		{"random near 1 stays under the cap", almostOne, RetryTransient, 50, 0, 10*time.Second + time.Duration(0.999999*float64(10*time.Second))},
		{"clock skew retries at once", half, RetryClockSkew, 1, 0, 0},
		{"clock skew ignores a hint", half, RetryClockSkew, 1, 3 * time.Second, 0},
		{"hint inside the window honoured", half, RetryThrottled, 1, 1200 * time.Millisecond, 1200 * time.Millisecond},
		{"hint below the backoff raised to it", half, RetryThrottled, 1, 100 * time.Millisecond, 500 * time.Millisecond},
		{"hint above backoff+5s clamped", half, RetryThrottled, 1, 10 * time.Second, 5500 * time.Millisecond},
		{"hint exactly backoff+5s", half, RetryThrottled, 1, 5500 * time.Millisecond, 5500 * time.Millisecond},
		{"hint with random 0.5 clamped", middle, RetryThrottled, 1, time.Hour, 5750 * time.Millisecond},
		{"hint on a transient retry", half, RetryTransient, 1, 2 * time.Second, 2 * time.Second},
		{"negative hint ignored", half, RetryThrottled, 1, -time.Second, 500 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, tt.backoff(tt.class, tt.retry, tt.hint))
		})
	}
}

// TestRetryThrottleHints checks end to end which hint the client passes to the Backoff for each
// throttling answer, and that the default Backoff turns it into the expected delay.
func TestRetryThrottleHints(t *testing.T) {
	leakCheck(t)
	tests := []struct {
		name    string
		code    string
		headers []string
		class   RetryClass
		hint    time.Duration
		delay   time.Duration
	}{
		{
			name: "x-ratelimit-user-api TimeLeft", code: "Throttling.User",
			headers: []string{"x-ratelimit-user-api", "Limit:10,Remain:0,TimeLeft:1200,Reset:1700000001200"},
			class:   RetryThrottled, hint: 1200 * time.Millisecond, delay: 1200 * time.Millisecond,
		},
		{
			name: "x-ratelimit-user TimeLeft", code: "Throttling.Api",
			headers: []string{"x-ratelimit-user", "Limit:100,Remain:0,TimeLeft:3000,Reset:1700000003000"},
			class:   RetryThrottled, hint: 3 * time.Second, delay: 3 * time.Second,
		},
		{
			name: "long TimeLeft clamped", code: "Throttling",
			headers: []string{"x-ratelimit-user-api", "Limit:10,Remain:0,TimeLeft:60000,Reset:1700000060000"},
			class:   RetryThrottled, hint: time.Minute, delay: 5500 * time.Millisecond,
		},
		{
			name: "Retry-After seconds", code: "Throttling.User",
			headers: []string{"Retry-After", "2"},
			class:   RetryThrottled, hint: 2 * time.Second, delay: 2 * time.Second,
		},
		{
			name: "Retry-After on a 503", code: "ServiceUnavailable",
			headers: []string{"Retry-After", "1"},
			class:   RetryTransient, hint: time.Second, delay: time.Second,
		},
		{
			name: "garbage rate-limit header falls back to the backoff", code: "Throttling.User",
			headers: []string{"x-ratelimit-user-api", "Limit:10,Remain:0,TimeLeft:soon"},
			class:   RetryThrottled, hint: 0, delay: 500 * time.Millisecond,
		},
		{
			name: "a rate-limit header with requests remaining is no hint", code: "ServiceUnavailable",
			headers: []string{"x-ratelimit-user-api", "Limit:100,Remain:99,TimeLeft:59000"},
			class:   RetryTransient, hint: 0, delay: 25 * time.Millisecond,
		},
		{
			name: "garbage Retry-After falls back to the backoff", code: "Throttling.User",
			headers: []string{"Retry-After", "in a while"},
			class:   RetryThrottled, hint: 0, delay: 500 * time.Millisecond,
		},
		{
			name: "no hint", code: "Rejected.Throttling",
			class: RetryThrottled, hint: 0, delay: 500 * time.Millisecond,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			status := http.StatusBadRequest
			if tt.code == "ServiceUnavailable" {
				status = http.StatusServiceUnavailable
			}
			srv := newFixtureServer(t, fixtureAPI(status, tt.code, tt.headers...), fixtureOK)
			rec := &retryRecorder{compute: defaultBackoff(retryHalf), sleep: func(time.Duration) time.Duration { return 0 }}
			c := fixtureClient(t, srv.URL, WithBackoff(rec.backoff))

			_, err := c.CreateVirtualPhysicalConnection(context.Background(), minimalRequest())

			require.NoError(t, err)
			assert.Len(t, srv.requests(), 2)
			calls := rec.recorded()
			require.Len(t, calls, 1)
			assert.Equal(t, tt.class, calls[0].class)
			assert.Equal(t, 1, calls[0].retry)
			assert.Equal(t, tt.hint, calls[0].hint)
			assert.Equal(t, tt.delay, calls[0].computed)
		})
	}
}

// TestRetryThrottleHintHonoured checks with the real default Backoff (random 0, so the backoff
// itself is 0) that the client waits the hint: the retry comes at least 300 ms after a
// TimeLeft:300 answer.
func TestRetryThrottleHintHonoured(t *testing.T) {
	leakCheck(t)
	srv := newFixtureServer(t, fixtureAPI(400, "Throttling.User", "x-ratelimit-user-api", "Limit:10,Remain:0,TimeLeft:300,Reset:0"), fixtureOK)
	c := fixtureClient(t, srv.URL, WithBackoff(defaultBackoff(func() float64 { return 0 })))

	_, err := c.CreateVirtualPhysicalConnection(context.Background(), minimalRequest())

	require.NoError(t, err)
	seen := srv.requests()
	require.Len(t, seen, 2)
	gap := seen[1].at.Sub(seen[0].at)
	assert.GreaterOrEqual(t, gap, 300*time.Millisecond)
	assert.Less(t, gap, 1300*time.Millisecond)
}

// TestRetryBudgetCosts checks the retry budget's arithmetic.
func TestRetryBudgetCosts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		start  int
		class  RetryClass
		taken  bool
		remain int
	}{
		{"transient costs 14", 500, RetryTransient, true, 486},
		{"throttled costs 5", 500, RetryThrottled, true, 495},
		{"clock skew is free", 0, RetryClockSkew, true, 0},
		{"transient with exactly 14 left", 14, RetryTransient, true, 0},
		{"transient with 13 left refused", 13, RetryTransient, false, 13},
		{"throttled with 4 left refused", 4, RetryThrottled, false, 4},
		{"throttled with 13 left", 13, RetryThrottled, true, 8},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := &retryBudget{tokens: tt.start}
			assert.Equal(t, tt.taken, b.take(tt.class))
			assert.Equal(t, tt.remain, b.tokens)
		})
	}
	t.Run("refund gives one back up to the size", func(t *testing.T) {
		t.Parallel()
		b := &retryBudget{tokens: 498}
		b.refund()
		assert.Equal(t, 499, b.tokens)
		b.refund()
		b.refund()
		assert.Equal(t, retryBudgetSize, b.tokens)
	})
	t.Run("a new budget is full", func(t *testing.T) {
		t.Parallel()
		assert.Equal(t, 500, newRetryBudget().tokens)
	})
}

// TestRetryBudgetExhaustedAndRefilled empties a client's budget, checks that a failing call
// then fails fast with ErrRetryBudgetExhausted wrapping the last failure, and that a success
// refills it enough for the next retry.
func TestRetryBudgetExhaustedAndRefilled(t *testing.T) {
	leakCheck(t)
	var fail atomic.Bool
	srv := newFixtureServer(t, func(w http.ResponseWriter, r *http.Request) {
		if fail.Load() {
			fixtureAPI(503, "ServiceUnavailable")(w, r)
			return
		}
		fixtureOK(w, r)
	})
	c := fixtureClient(t, srv.URL)

	// A budget of 14 pays one transient retry, not two.
	c.budget.tokens = transientRetryCost
	fail.Store(true)
	_, err := c.CreateVirtualPhysicalConnection(context.Background(), minimalRequest())
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrRetryBudgetExhausted)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr, "the last failure is wrapped")
	assert.Equal(t, Code("ServiceUnavailable"), apiErr.Code)
	var opErr *OperationError
	require.ErrorAs(t, err, &opErr)
	assert.Len(t, opErr.Attempts, 2)
	assert.Len(t, srv.requests(), 2)
	assert.Zero(t, c.budget.tokens)

	// An empty budget fails at once, after a single request.
	_, err = c.CreateVirtualPhysicalConnection(context.Background(), minimalRequest())
	assert.ErrorIs(t, err, ErrRetryBudgetExhausted)
	assert.Len(t, srv.requests(), 3)

	// Fourteen successes refill it enough for one more transient retry.
	fail.Store(false)
	for range transientRetryCost {
		_, err = c.CreateVirtualPhysicalConnection(context.Background(), minimalRequest())
		require.NoError(t, err)
	}
	assert.Equal(t, transientRetryCost, c.budget.tokens)
	fail.Store(true)
	_, err = c.CreateVirtualPhysicalConnection(context.Background(), minimalRequest())
	assert.ErrorIs(t, err, ErrRetryBudgetExhausted)
	assert.Len(t, srv.requests(), 3+transientRetryCost+2, "one retry was paid for")
}

// TestRetrySlowServerContextDeadline checks that the caller's deadline wins over a slow
// server: the call returns after one request, long before the server's 10 s answer (the bound
// is half of it, so that a loaded machine cannot fail the test while a call that waits for the
// server still does).
func TestRetrySlowServerContextDeadline(t *testing.T) {
	leakCheck(t)
	srv := newFixtureServer(t, fixtureSlow(10*time.Second))
	c := fixtureClient(t, srv.URL)
	start := time.Now() // before the deadline is set, so that elapsed cannot be short of it
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()

	_, err := c.CreateVirtualPhysicalConnection(ctx, minimalRequest())
	elapsed := time.Since(start)

	require.Error(t, err)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.GreaterOrEqual(t, elapsed, 500*time.Millisecond, "not before the deadline")
	assert.Less(t, elapsed, 5*time.Second, "long before the server answers")
	assert.Len(t, srv.requests(), 1)
	var opErr *OperationError
	require.ErrorAs(t, err, &opErr)
	assert.Len(t, opErr.Attempts, 1)
}

// TestRetryDrippingBody checks that the attempt timeout covers the body: a body that drips one
// byte every 10 ms times the attempt out, and the call is retried and succeeds.
func TestRetryDrippingBody(t *testing.T) {
	leakCheck(t)
	srv := newFixtureServer(t, fixtureDrip(10*time.Millisecond), fixtureOK)
	c := fixtureClient(t, srv.URL, WithAttemptTimeout(300*time.Millisecond))

	start := time.Now()
	resp, err := c.CreateVirtualPhysicalConnection(context.Background(), minimalRequest())

	require.NoError(t, err)
	assert.Equal(t, fixtureOKConnectionID, resp.VirtualPhysicalConnectionID)
	assert.Len(t, srv.requests(), 2)
	assert.Less(t, time.Since(start), 2*time.Second)
}

// TestRetryDrippingBodyForever checks that a call whose every attempt drips fails after its
// attempts with a timeout, not hanging.
func TestRetryDrippingBodyForever(t *testing.T) {
	leakCheck(t)
	srv := newFixtureServer(t, fixtureDrip(10*time.Millisecond))
	c := fixtureClient(t, srv.URL, WithAttemptTimeout(200*time.Millisecond))

	_, err := c.CreateVirtualPhysicalConnection(context.Background(), minimalRequest())

	require.Error(t, err)
	assert.ErrorIs(t, err, ErrAttemptTimeout)
	assert.NotErrorIs(t, err, context.DeadlineExceeded, "the caller's context did not expire")
	var opErr *OperationError
	require.ErrorAs(t, err, &opErr)
	assert.Len(t, opErr.Attempts, 3)
	assert.Len(t, srv.requests(), 3)
}

// TestRetryCancelDuringBackoff cancels the call while it waits a minute before a retry, and
// checks that it returns long before that minute is over, with no further request. The bound is
// half the wait, not a few milliseconds, so that a loaded machine cannot fail it while a call
// that sleeps through the cancel still does.
func TestRetryCancelDuringBackoff(t *testing.T) {
	leakCheck(t)
	const backoff = time.Minute
	srv := newFixtureServer(t, fixtureAPI(503, "ServiceUnavailable"))
	waiting := make(chan struct{}, 1)
	rec := &retryRecorder{
		compute: func(RetryClass, int, time.Duration) time.Duration { return backoff },
		onCall:  func() { waiting <- struct{}{} },
	}
	c := fixtureClient(t, srv.URL, WithBackoff(rec.backoff))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	done := make(chan error, 1)
	go func() {
		_, err := c.CreateVirtualPhysicalConnection(ctx, minimalRequest())
		done <- err
	}()
	<-waiting
	time.Sleep(20 * time.Millisecond) // Most often lets the call enter its wait; either way it must end.
	cancel()
	var err error
	select {
	case err = <-done:
	case <-time.After(backoff / 2):
		require.FailNow(t, "the call still waits its backoff half a minute after the cancel")
	}

	require.Error(t, err)
	assert.ErrorIs(t, err, context.Canceled)
	var apiErr *APIError
	assert.ErrorAs(t, err, &apiErr, "the last failure is still wrapped")
	assert.Len(t, srv.requests(), 1)
}

// TestRetryBackoffPastDeadlineFailsFast checks that a call whose next wait would outlast the
// caller's deadline returns at once, without sleeping and without spending retry budget.
func TestRetryBackoffPastDeadlineFailsFast(t *testing.T) {
	leakCheck(t)
	srv := newFixtureServer(t, fixtureAPI(503, "ServiceUnavailable"))
	c := fixtureClient(t, srv.URL, WithBackoff(func(RetryClass, int, time.Duration) time.Duration { return time.Minute }))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	start := time.Now()
	_, err := c.CreateVirtualPhysicalConnection(ctx, minimalRequest())

	assert.Less(t, time.Since(start), 5*time.Second, "no one-minute wait against a 10 s deadline")
	require.Error(t, err)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.ErrorIs(t, err, CodeServiceUnavailable, "the last failure is still wrapped")
	assert.Len(t, srv.requests(), 1)
	assert.Equal(t, retryBudgetSize, c.budget.tokens, "no budget spent on a retry that never happened")
}

// TestDefaultCheckRetry classifies each kind of failure.
func TestDefaultCheckRetry(t *testing.T) {
	t.Parallel()
	api := func(status int, code Code) error {
		return &APIError{Operation: actionCreate, StatusCode: status, Code: code}
	}
	resp := func(status int, err error) error { return &ResponseError{StatusCode: status, Err: err} }
	// cutBody decodes an answer whose body is prefix followed by the read error end.
	cutBody := func(status int, prefix string, end error) error {
		body := io.MultiReader(strings.NewReader(prefix), retryErrReader{end})
		_, err := decodeCreate(&http.Response{StatusCode: status, Header: http.Header{}, Body: io.NopCloser(body)}, false)
		return err
	}
	transport := func(err error) error { return &TransportError{Endpoint: "https://x/", Err: err} }
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name string
		ctx  context.Context
		err  error
		want RetryClass
	}{
		{"503 ServiceUnavailable", nil, api(503, "ServiceUnavailable"), RetryTransient},
		{"500 InternalError", nil, api(500, "InternalError"), RetryTransient},
		{"InternalError with a 400", nil, api(400, "InternalError"), RetryTransient},
		{"502 any code", nil, api(502, "Whatever"), RetryTransient},
		{"504 any code", nil, api(504, "Whatever"), RetryTransient},
		{"501 unknown code", nil, api(501, "NotImplemented"), NoRetry},
		{"Throttling", nil, api(400, "Throttling"), RetryThrottled},
		{"Throttling.User", nil, api(400, "Throttling.User"), RetryThrottled},
		{"Throttling.Api", nil, api(400, "Throttling.Api"), RetryThrottled},
		{"Rejected.Throttling on a 503", nil, api(503, "Rejected.Throttling"), RetryThrottled},
		{"SignatureNonceUsed", nil, api(400, "SignatureNonceUsed"), RetryTransient},
		{"InvalidTimeStamp.Expired", nil, api(400, "InvalidTimeStamp.Expired"), RetryClockSkew},
		{"InvalidParameter", nil, api(400, "InvalidParameter"), NoRetry},
		{"Forbidden.RAM", nil, api(403, "Forbidden.RAM"), NoRetry},
		{"VLAN used", nil, api(400, "VLAN_ID_HAS_BEEN_USED_IN_PHYSICAL_CONNECTION"), NoRetry},
		{"HTML 502", nil, resp(502, ErrMalformedResponse), RetryTransient},
		{"empty 500", nil, resp(500, ErrMalformedResponse), RetryTransient},
		{"HTML 403", nil, resp(403, ErrMalformedResponse), NoRetry},
		{"redirect", nil, resp(302, ErrMalformedResponse), NoRetry},
		{"truncated 200", nil, cutBody(200, `{"RequestId":"R",`, io.ErrUnexpectedEOF), RetryTransient},
		{"200 reset mid-body", nil, cutBody(200, `{"Req`, &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}), RetryTransient},
		{"200 body timed out", nil, cutBody(200, `{`, context.DeadlineExceeded), RetryTransient},
		{"200 JSON ending mid-value", nil, cutBody(200, `{"RequestId":"R","Virt`, io.EOF), RetryTransient},
		{"200 complete but without the ID", nil, cutBody(200, `{"RequestId":"R"}`, io.EOF), NoRetry},
		{"400 reset mid-body", nil, cutBody(400, `{"Code":"Thro`, syscall.ECONNRESET), RetryTransient},
		{"200 not JSON", nil, resp(200, fmt.Errorf("%w: invalid character", ErrMalformedResponse)), NoRetry},
		{"200 too large", nil, resp(200, ErrResponseTooLarge), NoRetry},
		{"connection refused", nil, transport(&net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}), RetryTransient},
		{"attempt timeout", nil, transport(context.DeadlineExceeded), RetryTransient},
		{"context cancelled", nil, transport(context.Canceled), NoRetry},
		{"unknown CA", nil, transport(&tls.CertificateVerificationError{Err: x509.UnknownAuthorityError{}}), NoRetry},
		{"bad host name", nil, transport(x509.HostnameError{Host: "evil.example"}), NoRetry},
		{"DNS not found", nil, transport(&net.DNSError{Err: "no such host", Name: "vpc.nowhere", IsNotFound: true}), NoRetry},
		{"DNS timeout", nil, transport(&net.DNSError{Err: "timeout", Name: "vpc.aliyuncs.com", IsTimeout: true}), RetryTransient},
		{"ctx done wins over 503", cancelled, api(503, "ServiceUnavailable"), NoRetry},
		{"unknown error", nil, errors.New("something else"), NoRetry},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx := tt.ctx
			if ctx == nil {
				ctx = context.Background()
			}
			assert.Equal(t, tt.want, DefaultCheckRetry(ctx, tt.err))
		})
	}
}

// TestRetryConcurrent runs 64 goroutines of 20 calls each on one Client against a server that
// mixes faults, and checks that every call's generated Token is unique and sent unchanged on
// each of its attempts. Run it with -race.
func TestRetryConcurrent(t *testing.T) {
	leakCheck(t)
	const goroutines, calls = 64, 20
	var n atomic.Int64
	srv := newFixtureServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch i := n.Add(1); {
		case i%5 == 0:
			fixtureAPI(503, "ServiceUnavailable")(w, r)
		case i%7 == 0:
			fixtureResetBeforeHeaders(w, r)
		case i%11 == 0:
			fixtureAPI(400, "Throttling.User", "x-ratelimit-user-api", "Limit:10,Remain:0,TimeLeft:1,Reset:0")(w, r)
		case i%13 == 0:
			fixtureHTML(502)(w, r)
		default:
			fixtureOK(w, r)
		}
	})
	c := fixtureClient(t, srv.URL)

	tokens := make(chan string, goroutines*calls)
	var wg sync.WaitGroup
	for range goroutines {
		wg.Go(func() {
			for range calls {
				resp, err := c.CreateVirtualPhysicalConnection(context.Background(), minimalRequest())
				var opErr *OperationError
				switch {
				case err == nil:
					tokens <- resp.Token
				case errors.As(err, &opErr):
					tokens <- opErr.Token
				default:
					t.Errorf("unexpected error type: %v", err)
				}
			}
		})
	}
	wg.Wait()
	close(tokens)

	clientTokens := make(map[string]bool)
	for tok := range tokens {
		assert.False(t, clientTokens[tok], "token %s reused", tok)
		clientTokens[tok] = true
	}
	assert.Len(t, clientTokens, goroutines*calls)
	perToken := make(map[string]int)
	for _, tok := range srv.param("Token") {
		perToken[tok]++
	}
	assert.Len(t, perToken, goroutines*calls, "distinct Tokens the server saw")
	for tok, count := range perToken {
		assert.True(t, clientTokens[tok], "the server saw a Token no call reported")
		assert.LessOrEqual(t, count, DefaultMaxAttempts)
	}
}

// FuzzParseRateLimit checks that parseRateLimit never panics and returns a TimeLeft between 0
// and one hour, or nothing.
func FuzzParseRateLimit(f *testing.F) {
	for _, s := range []string{
		"Limit:10,Remain:0,TimeLeft:1200,Reset:1700000000000", "TimeLeft:0", "timeleft: 5 ",
		"TimeLeft:-1", "TimeLeft:3600001", "TimeLeft:99999999999999999999", "TimeLeft", ",,,:",
		"Limit:10,TimeLeft:abc", "TimeLeft:1,TimeLeft:2", "", "TimeLeft:1e3",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		d, ok := parseRateLimit(v)
		if !ok {
			assert.Zero(t, d)
			return
		}
		assert.GreaterOrEqual(t, d, time.Duration(0))
		assert.LessOrEqual(t, d, time.Hour)
		assert.Zero(t, d%time.Millisecond, "TimeLeft is in whole milliseconds")
	})
}

// FuzzParseRetryAfter checks that parseRetryAfter never panics and returns a delay between 0
// and one hour, or nothing.
func FuzzParseRetryAfter(f *testing.F) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, s := range []string{
		"0", "1", "120", "3600", "3601", "-1", "+5", " 5", "1.5", "99999999999999999999",
		now.Add(time.Minute).Format(http.TimeFormat), now.Add(-time.Minute).Format(http.TimeFormat),
		now.Add(2 * time.Hour).Format(http.TimeFormat), "Fri, 31 Dec 9999 23:59:59 GMT",
		"Monday, 02-Jan-06 15:04:05 MST", "Mon Jan  2 15:04:05 2006", "", "garbage",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		d, ok := parseRetryAfter(v, now)
		if !ok {
			assert.Zero(t, d)
			return
		}
		assert.GreaterOrEqual(t, d, time.Duration(0))
		assert.LessOrEqual(t, d, time.Hour)
	})
}

// retryErrReader fails every read with err.
type retryErrReader struct{ err error }

func (r retryErrReader) Read([]byte) (int, error) { return 0, r.err }
