package expressconnect

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// optionsBase are the options every case starts from: a region and a static AccessKey.
func optionsBase(opts ...Option) []Option {
	return append([]Option{WithRegion("cn-hangzhou"), WithAccessKey("id", "secret")}, opts...)
}

func TestOptionsRejectBadValues(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		opt      Option
		wantText string
	}{
		{name: "empty region", opt: WithRegion(""), wantText: "WithRegion: region must not be empty"},
		{name: "empty endpoint", opt: WithEndpoint(""), wantText: "WithEndpoint: endpoint must not be empty"},
		{name: "nil credential", opt: WithCredential(nil), wantText: "WithCredential: credential must not be nil"},
		{name: "empty AccessKeyId", opt: WithAccessKey("", "secret"), wantText: "WithAccessKey:"},
		{name: "empty AccessKeySecret", opt: WithAccessKey("id", ""), wantText: "WithAccessKey:"},
		{name: "STS empty AccessKeyId", opt: WithSTSCredentials("", "secret", "token"), wantText: "WithSTSCredentials:"},
		{name: "STS empty AccessKeySecret", opt: WithSTSCredentials("id", "", "token"), wantText: "WithSTSCredentials:"},
		{name: "STS empty SecurityToken", opt: WithSTSCredentials("id", "secret", ""), wantText: "WithSTSCredentials:"},
		{name: "nil http client", opt: WithHTTPClient(nil), wantText: "WithHTTPClient: client must not be nil"},
		{name: "zero attempts", opt: WithMaxAttempts(0), wantText: "WithMaxAttempts: must be at least 1, got 0"},
		{name: "negative attempts", opt: WithMaxAttempts(-1), wantText: "WithMaxAttempts: must be at least 1, got -1"},
		{name: "nil retry policy", opt: WithCheckRetry(nil), wantText: "WithCheckRetry: policy must not be nil"},
		{name: "nil backoff", opt: WithBackoff(nil), wantText: "WithBackoff: backoff must not be nil"},
		{name: "zero attempt timeout", opt: WithAttemptTimeout(0), wantText: "WithAttemptTimeout: must be positive, got 0s"},
		{name: "negative attempt timeout", opt: WithAttemptTimeout(-time.Second), wantText: "WithAttemptTimeout: must be positive, got -1s"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, err := NewClient(optionsBase(tc.opt)...)

			assert.Nil(t, c)
			require.Error(t, err)
			assert.Equal(t, "expressconnect: ", err.Error()[:len("expressconnect: ")])
			assert.Contains(t, err.Error(), tc.wantText)
		})
	}
}

func TestOptionsSecretNotInError(t *testing.T) {
	t.Parallel()
	for _, opt := range []Option{WithAccessKey("", "opt-secret-0001"), WithSTSCredentials("id", "opt-secret-0001", "")} {
		_, err := NewClient(optionsBase(opt)...)
		require.Error(t, err)
		assert.NotContains(t, err.Error(), "opt-secret-0001")
	}
}

func TestOptionsFirstInvalidOneFails(t *testing.T) {
	t.Parallel()
	_, err := NewClient(optionsBase(WithMaxAttempts(0), WithBackoff(nil))...)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "WithMaxAttempts")
	assert.NotContains(t, err.Error(), "WithBackoff")
}

func TestOptionsDefaults(t *testing.T) {
	t.Parallel()
	c, err := NewClient(optionsBase()...)
	require.NoError(t, err)
	assert.Equal(t, DefaultMaxAttempts, c.cfg.call.retry.maxAttempts)
	assert.Equal(t, 3, DefaultMaxAttempts)
	assert.Equal(t, DefaultAttemptTimeout, c.cfg.call.attemptTimeout)
	assert.Equal(t, 30*time.Second, DefaultAttemptTimeout)
	assert.True(t, c.cfg.skewCorrection)
	assert.True(t, c.cfg.call.strict)
	assert.Nil(t, c.observer)
	assert.NotNil(t, c.cfg.call.retry.checkRetry)
	assert.NotNil(t, c.cfg.call.retry.backoff)
	require.NotNil(t, c.http)
	assert.NotNil(t, c.http.CheckRedirect, "redirects are refused by default")
}

func TestOptionsAcceptGoodValues(t *testing.T) {
	t.Parallel()
	hc := &http.Client{Timeout: 7 * time.Second}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	check := func(context.Context, error) RetryClass { return NoRetry }
	tests := []struct {
		name  string
		opt   Option
		check func(t *testing.T, c *Client)
	}{
		{name: "nil option is skipped", opt: nil, check: func(t *testing.T, c *Client) { assert.Equal(t, "cn-hangzhou", c.Region()) }},
		{name: "later region wins", opt: WithRegion("cn-beijing"), check: func(t *testing.T, c *Client) { assert.Equal(t, "cn-beijing", c.Region()) }},
		{name: "credential", opt: WithCredential(&clientRotatingCredential{}), check: func(t *testing.T, c *Client) {
			require.IsType(t, &providerCredentials{}, c.cfg.credentials)
			assert.IsType(t, &clientRotatingCredential{}, c.cfg.credentials.(*providerCredentials).cred)
		}},
		{name: "STS", opt: WithSTSCredentials("id", "secret", "token"), check: func(t *testing.T, c *Client) {
			v, err := c.cfg.credentials.read(context.Background())
			require.NoError(t, err)
			assert.Equal(t, "token", v.securityToken)
		}},
		{name: "http client copied, timeout kept", opt: WithHTTPClient(hc), check: func(t *testing.T, c *Client) {
			assert.NotSame(t, hc, c.http)
			assert.Equal(t, 7*time.Second, c.http.Timeout)
			assert.NotNil(t, c.http.CheckRedirect)
			assert.Nil(t, hc.CheckRedirect)
		}},
		{name: "lenient", opt: WithLenientValidation(), check: func(t *testing.T, c *Client) { assert.False(t, c.cfg.call.strict) }},
		{name: "one attempt", opt: WithMaxAttempts(1), check: func(t *testing.T, c *Client) { assert.Equal(t, 1, c.cfg.call.retry.maxAttempts) }},
		{name: "retry policy", opt: WithCheckRetry(check), check: func(t *testing.T, c *Client) {
			assert.Equal(t, NoRetry, c.cfg.call.retry.checkRetry(context.Background(), nil))
		}},
		{name: "backoff", opt: WithBackoff(fixtureNoWait), check: func(t *testing.T, c *Client) {
			assert.Zero(t, c.cfg.call.retry.backoff(RetryClass(0), 5, time.Hour))
		}},
		{name: "attempt timeout", opt: WithAttemptTimeout(time.Nanosecond), check: func(t *testing.T, c *Client) {
			assert.Equal(t, time.Nanosecond, c.cfg.call.attemptTimeout)
		}},
		{name: "clock skew off", opt: WithClockSkewCorrection(false), check: func(t *testing.T, c *Client) { assert.False(t, c.cfg.skewCorrection) }},
		{name: "log observer", opt: WithObserver(LogObserver(logger)), check: func(t *testing.T, c *Client) {
			assert.Equal(t, LogObserver(logger), c.observer)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, err := NewClient(optionsBase(tc.opt)...)

			require.NoError(t, err)
			tc.check(t, c)
		})
	}
}
