package expressconnecttest_test

import (
	"context"
	"regexp"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/expressconnect-go/expressconnect/expressconnecttest"
)

// TestRateLimit checks that a server with Config.RateLimit answers the requests of an action past
// the limit as the service does, without handling them, and counts each action apart.
func TestRateLimit(t *testing.T) {
	t.Parallel()
	const limit, sent = 3, 12
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{RateLimit: limit})
	header := regexp.MustCompile(`^Limit:3,Remain:0,TimeLeft:(\d+)$`)
	created, throttled := 0, 0
	for i := range sent {
		p := validParams(s)
		p.Set("VlanId", strconv.Itoa(100+i))
		r := post(t, s, p)
		switch r.Status {
		case 200:
			created++
		default:
			throttled++
			assert.Equal(t, 400, r.Status)
			assert.Equal(t, "Throttling.User", r.code())
			m := header.FindStringSubmatch(r.Header.Get("x-ratelimit-user-api"))
			require.Len(t, m, 2, "header %q", r.Header.Get("x-ratelimit-user-api"))
			left, err := strconv.Atoi(m[1])
			require.NoError(t, err)
			assert.True(t, left >= 1 && left <= 1000, "TimeLeft %d ms", left)
		}
	}
	// The requests span one second of the server's clock, or two when they cross its end.
	assert.Positive(t, throttled)
	assert.LessOrEqual(t, created, 2*limit)
	held, err := s.Admin().Connections(context.Background())
	require.NoError(t, err)
	assert.Len(t, held, created, "a throttled request creates nothing")

	list := callAction(t, s, "ListVirtualPhysicalConnections", "PhysicalConnectionId", expressconnecttest.DefaultCircuitID)
	assert.Equal(t, 200, list.Status, "another action has a window of its own: %s", list.Raw)
}

// TestRateLimitRefusesNegative checks that a negative rate is an error.
func TestRateLimitRefusesNegative(t *testing.T) {
	t.Parallel()
	_, err := expressconnecttest.NewServer(expressconnecttest.Config{RateLimit: -1})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "RateLimit -1 is negative")
}
