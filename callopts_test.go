package expressconnect

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCallOptionsOverrideOneCall checks that call options change the call they are given to,
// and only that call: the next call has the client's settings again.
func TestCallOptionsOverrideOneCall(t *testing.T) {
	t.Parallel()
	srv := newFixtureServer(t, fixtureAPI(http.StatusServiceUnavailable, "ServiceUnavailable"))
	c := fixtureClient(t, srv.URL) // three attempts

	_, err := c.CreateVirtualPhysicalConnection(context.Background(), minimalRequest(), WithMaxAttempts(1))
	require.Error(t, err)
	assert.Len(t, srv.requests(), 1, "the call option's one attempt")

	_, err = c.CreateVirtualPhysicalConnection(context.Background(), minimalRequest())
	require.Error(t, err)
	assert.Len(t, srv.requests(), 4, "the client's three attempts again")
}

func TestCallOptionsRetryPolicyAndTimeout(t *testing.T) {
	t.Parallel()
	srv := newFixtureServer(t, fixtureAPI(http.StatusBadRequest, "IllegalParam.Spec"), fixtureOK)
	c := fixtureClient(t, srv.URL)
	everything := func(context.Context, error) RetryClass { return RetryTransient }
	var waits []int
	counting := func(_ RetryClass, retry int, _ time.Duration) time.Duration { waits = append(waits, retry); return 0 }

	_, err := c.CreateVirtualPhysicalConnection(context.Background(), minimalRequest(), WithCheckRetry(everything), WithBackoff(counting))

	require.NoError(t, err, "the call's policy retried a code the default policy does not")
	assert.Equal(t, []int{1}, waits)

	slow := newFixtureServer(t, fixtureSlow(time.Second))
	_, err = fixtureClient(t, slow.URL).CreateVirtualPhysicalConnection(context.Background(), minimalRequest(),
		WithAttemptTimeout(20*time.Millisecond), WithMaxAttempts(1))
	assert.ErrorIs(t, err, ErrAttemptTimeout)
	assert.Contains(t, err.Error(), "WithAttemptTimeout")
}

func TestCallOptionsInvalid(t *testing.T) {
	t.Parallel()
	srv := newFixtureServer(t)
	c := fixtureClient(t, srv.URL)
	_, err := c.CreateVirtualPhysicalConnection(context.Background(), minimalRequest(), WithMaxAttempts(0))
	require.ErrorIs(t, err, ErrInvalidOption)
	assert.Contains(t, err.Error(), "WithMaxAttempts: must be at least 1, got 0")
	assert.Empty(t, srv.requests(), "nothing is sent")
	_, err = c.CreateVirtualPhysicalConnection(context.Background(), minimalRequest(), nil, WithBackoff(nil))
	assert.ErrorIs(t, err, ErrInvalidOption, "a nil option is skipped; an invalid one is not")
}

// TestCallOptionsShareTheBudget checks that calls with their own options draw on the client's
// one retry budget.
func TestCallOptionsShareTheBudget(t *testing.T) {
	t.Parallel()
	srv := newFixtureServer(t, fixtureAPI(http.StatusServiceUnavailable, "ServiceUnavailable"))
	c := fixtureClient(t, srv.URL)
	_, err := c.CreateVirtualPhysicalConnection(context.Background(), minimalRequest(), WithMaxAttempts(5))
	require.Error(t, err)
	assert.Equal(t, retryBudgetSize-4*transientRetryCost, c.budget.tokens)
}

// TestTokenProvider checks that the provider is asked only for requests without a token,
// gets the call's context and the action, and that what it returns is checked and sent.
func TestTokenProvider(t *testing.T) {
	t.Parallel()
	type key struct{}
	var asked []string
	provider := func(ctx context.Context, action string) (string, error) {
		asked = append(asked, action)
		return "order-" + ctx.Value(key{}).(string), nil
	}
	srv := newFixtureServer(t)
	c := fixtureClient(t, srv.URL, WithTokenProvider(provider))
	ctx := context.WithValue(context.Background(), key{}, "4711")

	resp, err := c.CreateVirtualPhysicalConnection(ctx, minimalRequest())
	require.NoError(t, err)
	assert.Equal(t, "order-4711", resp.Token)
	req := minimalRequest()
	req.Token = "mine"
	_, err = c.CreateVirtualPhysicalConnection(ctx, req)
	require.NoError(t, err)

	assert.Equal(t, []string{actionCreate}, asked, "a request with a token does not ask")
	assert.Equal(t, []string{"order-4711", "mine"}, srv.param("Token"))
}

func TestTokenProviderFailures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		provider func(context.Context, string) (string, error)
		check    func(t *testing.T, err error)
	}{
		{"error", func(context.Context, string) (string, error) { return "", errors.New("order store down") },
			func(t *testing.T, err error) {
				assert.Contains(t, err.Error(), "the token provider failed: order store down")
			}},
		{"empty", func(context.Context, string) (string, error) { return "", nil },
			func(t *testing.T, err error) { assert.ErrorIs(t, err, ErrInvalidParameter) }},
		{"control character", func(context.Context, string) (string, error) { return "order\n42", nil },
			func(t *testing.T, err error) {
				var vErr *ValidationError
				require.ErrorAs(t, err, &vErr)
				assert.NotEmpty(t, vErr.Field("Token"))
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newFixtureServer(t)
			_, err := fixtureClient(t, srv.URL, WithTokenProvider(tc.provider)).CreateVirtualPhysicalConnection(context.Background(), minimalRequest())
			require.Error(t, err)
			tc.check(t, err)
			assert.Empty(t, srv.requests(), "nothing is sent")
		})
	}
}

// TestAttemptRecords checks the record of every attempt in the error of a failed call and in
// the response of a successful one: number, status, code, family, RequestId, latency, retry
// decision and wait.
func TestAttemptRecords(t *testing.T) {
	t.Parallel()
	srv := newFixtureServer(t, fixtureAPI(http.StatusBadRequest, "Throttling.User", "x-ratelimit-user-api", "Limit:1,Remain:0,TimeLeft:7"),
		fixtureResetBeforeHeaders, fixtureOK)
	c := fixtureClient(t, srv.URL, WithBackoff(func(_ RetryClass, retry int, hint time.Duration) time.Duration {
		return time.Duration(retry)*time.Millisecond + hint
	}))

	resp, err := c.CreateVirtualPhysicalConnection(context.Background(), minimalRequest())

	require.NoError(t, err)
	require.Len(t, resp.Attempts, 3)
	a := resp.Attempts
	assert.Equal(t, []int{1, 2, 3}, []int{a[0].Number, a[1].Number, a[2].Number})
	assert.Equal(t, []int{400, 0, 200}, []int{a[0].StatusCode, a[1].StatusCode, a[2].StatusCode})
	assert.Equal(t, CodeThrottlingUser, a[0].Code)
	assert.Equal(t, ErrThrottled, a[0].Family)
	assert.Equal(t, []RetryClass{RetryThrottled, RetryTransient, NoRetry}, []RetryClass{a[0].Retry, a[1].Retry, a[2].Retry})
	assert.Equal(t, []time.Duration{8 * time.Millisecond, 2 * time.Millisecond, 0}, []time.Duration{a[0].Wait, a[1].Wait, a[2].Wait})
	assert.Error(t, a[1].Err)
	assert.NoError(t, a[2].Err)
	for _, at := range a {
		assert.Positive(t, at.Latency)
		assert.False(t, at.Start.IsZero())
	}
	assert.Equal(t, []string{"req-400", fixtureOKRequestID}, requestIDs(resp.Attempts), "every RequestId the service gave")
	assert.Equal(t, fixtureOKRequestID, resp.RequestID)
}

func TestAttemptRecordsOfAFailure(t *testing.T) {
	t.Parallel()
	srv := newFixtureServer(t, fixtureAPI(http.StatusServiceUnavailable, "ServiceUnavailable"))
	_, err := fixtureClient(t, srv.URL).CreateVirtualPhysicalConnection(context.Background(), minimalRequest())
	var opErr *OperationError
	require.ErrorAs(t, err, &opErr)
	assert.Equal(t, []string{"req-503", "req-503", "req-503"}, opErr.RequestIDs())
	assert.Equal(t, NoRetry, opErr.Attempts[2].Retry)
	assert.Equal(t, familyRemedies[ErrServerSide], Remedy(opErr))
	assert.Contains(t, err.Error(), "3 attempts)")
}

// TestObserver checks the facts an observer gets: one per attempt, after its retry decision,
// and one per call.
func TestObserver(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var attempts []Attempt
	var calls []CallResult
	var infos []CallInfo
	o := observerFuncs{
		Attempt: func(_ context.Context, info CallInfo, a Attempt) {
			mu.Lock()
			defer mu.Unlock()
			attempts, infos = append(attempts, a), append(infos, info)
		},
		Call: func(_ context.Context, info CallInfo, r CallResult) {
			mu.Lock()
			defer mu.Unlock()
			calls, infos = append(calls, r), append(infos, info)
		},
	}
	srv := newFixtureServer(t, fixtureAPI(http.StatusServiceUnavailable, "ServiceUnavailable"), fixtureOK, fixtureAPI(http.StatusBadRequest, "IllegalParam.Spec"))
	c := fixtureClient(t, srv.URL, WithObserver(o))
	req := minimalRequest()
	req.Token = "obs-token"

	_, err := c.CreateVirtualPhysicalConnection(context.Background(), req)
	require.NoError(t, err)
	_, err = c.CreateVirtualPhysicalConnection(context.Background(), req)
	require.Error(t, err)

	require.Len(t, attempts, 3)
	assert.Equal(t, RetryTransient, attempts[0].Retry, "observed after the retry decision")
	assert.Equal(t, ErrServerSide, attempts[0].Family)
	require.Len(t, calls, 2)
	assert.NoError(t, calls[0].Err)
	assert.Equal(t, fixtureOKRequestID, calls[0].RequestID)
	assert.Len(t, calls[0].Attempts, 2)
	var opErr *OperationError
	require.ErrorAs(t, calls[1].Err, &opErr)
	for _, info := range infos {
		assert.Equal(t, actionCreate, info.Operation)
		assert.Equal(t, "obs-token", info.Token)
	}
}

func TestObserverNotCalledForInvalidRequests(t *testing.T) {
	t.Parallel()
	called := false
	o := observerFuncs{Call: func(context.Context, CallInfo, CallResult) { called = true }}
	c := fixtureClient(t, newFixtureServer(t).URL, WithObserver(o))
	_, err := c.CreateVirtualPhysicalConnection(context.Background(), &CreateVirtualPhysicalConnectionRequest{})
	require.ErrorIs(t, err, ErrInvalidParameter)
	assert.False(t, called)
	_, err = NewClient(WithObserver(nil))
	assert.ErrorIs(t, err, ErrInvalidOption)
}

func TestUserAgent(t *testing.T) {
	t.Parallel()
	srv := newFixtureServer(t)
	c := fixtureClient(t, srv.URL, WithUserAgent("partner-provisioner/2.3"))
	_, err := c.CreateVirtualPhysicalConnection(context.Background(), minimalRequest())
	require.NoError(t, err)
	ua := srv.requests()[0].header.Get("User-Agent")
	assert.True(t, strings.HasPrefix(ua, "expressconnect-go/"+Version+" ("), ua)
	assert.True(t, strings.HasSuffix(ua, " partner-provisioner/2.3"), ua)
	for _, bad := range []string{"", "a\nb", strings.Repeat("x", 129)} {
		_, err := NewClient(WithRegion("cn-hangzhou"), WithAccessKey("id", "secret"), WithUserAgent(bad))
		assert.ErrorIs(t, err, ErrInvalidOption, "%q", bad)
	}
}

func TestRetryAfterHint(t *testing.T) {
	t.Parallel()
	srv := newFixtureServer(t, fixtureAPI(http.StatusBadRequest, "Throttling.User", "Retry-After", "2"))
	_, err := fixtureClient(t, srv.URL, WithMaxAttempts(1)).CreateVirtualPhysicalConnection(context.Background(), minimalRequest())
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 2*time.Second, apiErr.RetryAfter())
	assert.Equal(t, CodeThrottlingUser, apiErr.Code)
	assert.Equal(t, "fault Throttling.User", apiErr.Message)
}

func TestRemedy(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"nil", nil, ""},
		{"VLAN taken", &APIError{Code: CodeVLANIDHasBeenUsedInPhysicalConnection, StatusCode: 400}, "pick another VLAN"},
		{"unknown code of a family", &APIError{Code: "IllegalParam.Color", StatusCode: 400}, familyRemedies[ErrInvalidParameter]},
		{"unknown 5xx", &APIError{Code: "Gateway.Busy", StatusCode: 502}, familyRemedies[ErrServerSide]},
		{"validation", &ValidationError{}, "fix the fields"},
		{"credentials", ErrCredentials, "WithAccessKey"},
		{"attempt timeout", ErrAttemptTimeout, "WithAttemptTimeout"},
		{"redirect", &ResponseError{StatusCode: 302, Err: ErrRedirectRefused}, "WithEndpoint"},
		{"no answer", &TransportError{Err: errors.New("refused")}, "retry with the same Token"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if tc.want == "" {
				assert.Empty(t, Remedy(tc.err))
				return
			}
			assert.Contains(t, Remedy(tc.err), tc.want)
		})
	}
	for code := range codeTable {
		if code.Family() != "" {
			assert.NotEmpty(t, Remedy(&APIError{Code: code, StatusCode: 400}), "code %s has a remedy", code)
		}
	}
}
