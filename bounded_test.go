package expressconnect

import (
	"context"
	"errors"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aliyun/credentials-go/credentials"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// This file checks that every wait of a call is bounded by the caller's context or the
// attempt's time limit, whatever the server, the transport or the credential provider does.
// Bounds are generous: each is far below the wait it guards against.

// boundedHold is how long boundedSwitchingProtocols keeps the connection open at most, so that
// a client that waits for the close fails the test instead of hanging it.
const boundedHold = 10 * time.Second

// boundedSwitchingProtocols hijacks the connection, answers "101 Switching Protocols", and
// keeps the connection open until release is closed, or boundedHold passed (then it sets
// closedFirst).
func boundedSwitchingProtocols(release <-chan struct{}, closedFirst *atomic.Bool) fixtureStep {
	return func(w http.ResponseWriter, _ *http.Request) {
		conn, buf, err := http.NewResponseController(w).Hijack()
		if err != nil {
			panic(err) // The test server always supports hijacking.
		}
		defer conn.Close()
		_, _ = buf.WriteString("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")
		_ = buf.Flush()
		select {
		case <-release:
		case <-time.After(boundedHold):
			closedFirst.Store(true)
		}
	}
}

// TestBoundedSwitchingProtocols checks that a 101 answer, whose body is the raw connection,
// fails the call at once with a *ResponseError matching ErrMalformedResponse: not when the
// caller's 1 s deadline passes, nor when the server closes the connection, which it does only
// after the call returned (or after boundedHold). On v0.1.0 the call read the raw connection
// as the body until the server closed it, past the deadline.
func TestBoundedSwitchingProtocols(t *testing.T) {
	leakCheck(t)
	release := make(chan struct{})
	var closedFirst atomic.Bool
	srv := newFixtureServer(t, boundedSwitchingProtocols(release, &closedFirst))
	t.Cleanup(func() { close(release) })
	c := fixtureClient(t, srv.URL)
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()

	start := time.Now()
	_, err := c.CreateVirtualPhysicalConnection(ctx, minimalRequest())
	elapsed := time.Since(start)

	require.Error(t, err)
	assert.Less(t, elapsed, time.Second, "the call ended before the deadline")
	assert.NotErrorIs(t, err, context.DeadlineExceeded, "the call did not wait for the deadline")
	assert.NoError(t, ctx.Err(), "the deadline has not passed yet")
	var respErr *ResponseError
	require.ErrorAs(t, err, &respErr)
	assert.Equal(t, http.StatusSwitchingProtocols, respErr.StatusCode)
	assert.ErrorIs(t, err, ErrMalformedResponse)
	var opErr *OperationError
	require.ErrorAs(t, err, &opErr)
	assert.Len(t, opErr.Attempts, 1, "not retried")
	assert.False(t, closedFirst.Load(), "the call waited for the server to close the connection")
}

// boundedBody is a response body whose Read blocks until Close, or until boundedHold passed,
// so that a client that never closes it fails the test instead of hanging it.
type boundedBody struct {
	closed chan struct{}
	once   sync.Once
}

func (b *boundedBody) Read([]byte) (int, error) {
	select {
	case <-b.closed:
		return 0, net.ErrClosed
	case <-time.After(boundedHold):
		return 0, errors.New("the body was read for too long without being closed")
	}
}

func (b *boundedBody) Close() error {
	b.once.Do(func() { close(b.closed) })
	return nil
}

// boundedStuckTransport answers every request with a 200 whose body never sends a byte, and
// keeps the bodies it handed out.
type boundedStuckTransport struct {
	mu     sync.Mutex
	bodies []*boundedBody
}

func (s *boundedStuckTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	b := &boundedBody{closed: make(chan struct{})}
	s.mu.Lock()
	s.bodies = append(s.bodies, b)
	s.mu.Unlock()
	return &http.Response{
		StatusCode: http.StatusOK, Status: "200 OK", Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: http.Header{"Content-Type": {"application/json"}}, Body: b, ContentLength: -1, Request: r,
	}, nil
}

// allClosed reports how many bodies were handed out, and whether all were closed.
func (s *boundedStuckTransport) allClosed() (int, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, b := range s.bodies {
		select {
		case <-b.closed:
		default:
			return len(s.bodies), false
		}
	}
	return len(s.bodies), true
}

// TestBoundedBodyThatNeverEnds checks that a body whose Read blocks forever is given up, and
// closed, when the attempt's time limit or the caller's deadline passes. v0.1.0 read it until
// boundedHold, with neither error.
func TestBoundedBodyThatNeverEnds(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		opts     []Option
		deadline time.Duration
		attempts int
		want     error
		notWant  error
	}{
		{
			name: "attempt timeout, one attempt", opts: []Option{WithMaxAttempts(1), WithAttemptTimeout(100 * time.Millisecond)},
			attempts: 1, want: ErrAttemptTimeout, notWant: context.DeadlineExceeded,
		},
		{
			name: "attempt timeout, each of three attempts", opts: []Option{WithAttemptTimeout(100 * time.Millisecond)},
			attempts: 3, want: ErrAttemptTimeout, notWant: context.DeadlineExceeded,
		},
		{
			name: "caller's deadline before the 30 s attempt timeout", deadline: 150 * time.Millisecond,
			attempts: 1, want: context.DeadlineExceeded, notWant: ErrAttemptTimeout,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rt := &boundedStuckTransport{}
			c := fixtureClient(t, "http://127.0.0.1:1", append([]Option{WithHTTPClient(&http.Client{Transport: rt})}, tc.opts...)...)
			ctx := context.Background()
			if tc.deadline > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tc.deadline)
				defer cancel()
			}

			start := time.Now()
			_, err := c.CreateVirtualPhysicalConnection(ctx, minimalRequest())
			elapsed := time.Since(start)

			require.Error(t, err)
			assert.Less(t, elapsed, 5*time.Second, "bounded far below a blocked read")
			assert.ErrorIs(t, err, tc.want)
			assert.NotErrorIs(t, err, tc.notWant)
			var opErr *OperationError
			require.ErrorAs(t, err, &opErr)
			assert.Len(t, opErr.Attempts, tc.attempts)
			n, closed := rt.allClosed()
			assert.Equal(t, tc.attempts, n, "bodies handed out")
			assert.True(t, closed, "every body was closed")
		})
	}
}

// boundedSlowCredential is a credential provider whose reads take delay; it counts them.
type boundedSlowCredential struct {
	*clientRotatingCredential
	delay time.Duration
	reads atomic.Int32
}

func (c *boundedSlowCredential) GetCredential() (*credentials.CredentialModel, error) {
	c.reads.Add(1)
	time.Sleep(c.delay)
	return &credentials.CredentialModel{
		AccessKeyId: clientStr(fixtureAccessKeyID), AccessKeySecret: clientStr(fixtureSecret), Type: clientStr("access_key"),
	}, nil
}

// boundedCall makes one call with the given deadline (none when 0) and returns its error and
// how long it took.
func boundedCall(c *Client, deadline time.Duration) (time.Duration, error) {
	ctx := context.Background()
	if deadline > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, deadline)
		defer cancel()
	}
	start := time.Now()
	_, err := c.CreateVirtualPhysicalConnection(ctx, minimalRequest())
	return time.Since(start), err
}

// TestBoundedSlowCredentialProvider checks that callers wait for a provider that takes 2 s
// only until their own deadline: one caller with 100 ms, then four concurrent callers with
// 500 ms each (not one after another: 2, 4, 6, 8 s), all failing with an error matching both
// ErrCredentials and context.DeadlineExceeded; and that the provider's one read, when it
// ends, serves a later caller that joined it.
func TestBoundedSlowCredentialProvider(t *testing.T) {
	leakCheck(t)
	srv := newFixtureServer(t)
	cred := &boundedSlowCredential{clientRotatingCredential: &clientRotatingCredential{}, delay: 2 * time.Second}
	c := fixtureClient(t, srv.URL, WithCredential(cred))

	elapsed, err := boundedCall(c, 100*time.Millisecond)
	assert.Less(t, elapsed, time.Second, "a 100 ms deadline")
	assert.ErrorIs(t, err, ErrCredentials)
	assert.ErrorIs(t, err, context.DeadlineExceeded)

	var wg sync.WaitGroup
	errs := make([]error, 4)
	took := make([]time.Duration, 4)
	for i := range errs {
		wg.Go(func() { took[i], errs[i] = boundedCall(c, 500*time.Millisecond) })
	}
	wg.Wait()
	for i := range errs {
		assert.Less(t, took[i], 1500*time.Millisecond, "caller %d, with a 500 ms deadline", i)
		assert.ErrorIs(t, errs[i], ErrCredentials, "caller %d", i)
		assert.ErrorIs(t, errs[i], context.DeadlineExceeded, "caller %d", i)
	}

	_, err = boundedCall(c, 0)
	require.NoError(t, err, "the read the others gave up on serves a later caller")
	assert.Equal(t, int32(1), cred.reads.Load(), "one read of the provider served every caller")
	assert.Len(t, srv.requests(), 1, "only the last call sent a request")
}
