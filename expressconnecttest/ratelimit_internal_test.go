package expressconnecttest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRateLimiterWindow checks the fixed one-second window: perSecond requests of an account
// for an action are let through in each second of the clock, the next are refused until the
// second ends, and other actions and accounts have windows of their own.
func TestRateLimiterWindow(t *testing.T) {
	t.Parallel()
	second := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
	type call struct {
		accountID, action string
		at                time.Duration // after second
		ok                bool
		left              time.Duration
	}
	cases := []struct {
		name  string
		calls []call
	}{
		{name: "the limit, then refused until the second ends", calls: []call{
			{"a", "Create", 0, true, 0},
			{"a", "Create", 100 * time.Millisecond, true, 0},
			{"a", "Create", 650 * time.Millisecond, false, 350 * time.Millisecond},
			{"a", "Create", 999 * time.Millisecond, false, time.Millisecond},
			{"a", "Create", time.Second, true, 0},
		}},
		{name: "a refused request does not count", calls: []call{
			{"a", "Create", 0, true, 0},
			{"a", "Create", 0, true, 0},
			{"a", "Create", 0, false, time.Second},
			{"a", "Create", 0, false, time.Second},
			{"a", "Create", 1500 * time.Millisecond, true, 0},
			{"a", "Create", 1500 * time.Millisecond, true, 0},
			{"a", "Create", 1500 * time.Millisecond, false, 500 * time.Millisecond},
		}},
		{name: "each action and account its own window", calls: []call{
			{"a", "Create", 0, true, 0},
			{"a", "Create", 0, true, 0},
			{"a", "List", 0, true, 0},
			{"b", "Create", 0, true, 0},
			{"a", "Create", 0, false, time.Second},
		}},
		{name: "a request read on the clock before the window counts in it", calls: []call{
			{"a", "Create", 1100 * time.Millisecond, true, 0},
			{"a", "Create", 999 * time.Millisecond, true, 0},
			{"a", "Create", 1200 * time.Millisecond, false, 800 * time.Millisecond},
			{"a", "Create", 998 * time.Millisecond, false, time.Second},
		}},
		{name: "the window is the clock's second, not the first request's", calls: []call{
			{"a", "Create", 900 * time.Millisecond, true, 0},
			{"a", "Create", 950 * time.Millisecond, true, 0},
			{"a", "Create", 1100 * time.Millisecond, true, 0},
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			l := newRateLimiter(2)
			require.NotNil(t, l)
			for i, c := range tc.calls {
				ok, left := l.admit(c.accountID, c.action, second.Add(c.at))
				assert.Equal(t, c.ok, ok, "call %d", i)
				assert.Equal(t, c.left, left, "call %d", i)
			}
		})
	}
}

// TestRateLimiterOff checks that a rate of 0 is no limit.
func TestRateLimiterOff(t *testing.T) {
	t.Parallel()
	assert.Nil(t, newRateLimiter(0))
}
