package expressconnect

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The throttle hint is read by three small parsers; these tests pin each decision at its
// boundary, where an off-by-one would make the client wait an hour too long or ignore the
// service.

// hintNow is the fixed clock the Retry-After dates are read against.
var hintNow = time.Date(2024, time.March, 5, 10, 0, 0, 0, time.UTC)

// hintDate returns the HTTP date d after hintNow.
func hintDate(d time.Duration) string { return hintNow.Add(d).Format(http.TimeFormat) }

func TestParseRateLimit(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		header string
		want   time.Duration
		ok     bool
	}{
		{"the service's form", "Limit:10,Remain:0,TimeLeft:1200,Reset:1700000001200", 1200 * time.Millisecond, true},
		{"TimeLeft alone", "TimeLeft:250", 250 * time.Millisecond, true},
		{"names in any case and spaces around fields and values", " timeleft: 40 , REMAIN: 0", 40 * time.Millisecond, true},
		{"TimeLeft 0: the window resets now", "Remain:0,TimeLeft:0", 0, true},
		{"TimeLeft of exactly an hour", "TimeLeft:3600000", time.Hour, true},
		{"TimeLeft over an hour is no hint", "TimeLeft:3600001", 0, false},
		{"negative TimeLeft is no hint", "TimeLeft:-1", 0, false},
		{"TimeLeft not a number", "TimeLeft:soon", 0, false},
		{"a field without a colon before TimeLeft is skipped", "Limit:10,garbage,TimeLeft:700", 700 * time.Millisecond, true},
		{"a field without a colon after TimeLeft is skipped", "TimeLeft:700,garbage", 700 * time.Millisecond, true},
		{"an unknown field that is not a number is skipped", "Limit:many,Remain:0,TimeLeft:900", 900 * time.Millisecond, true},
		{"Remain 0 after TimeLeft", "TimeLeft:900,Remain:0", 900 * time.Millisecond, true},
		{"Remain 1 is no hint", "Remain:1,TimeLeft:900", 0, false},
		{"Remain above 0 after TimeLeft is no hint", "TimeLeft:900,Remain:5", 0, false},
		{"Remain not a number is no hint", "Remain:none,TimeLeft:900", 0, false},
		{"negative Remain counts as none left", "Remain:-1,TimeLeft:900", 900 * time.Millisecond, true},
		{"the last TimeLeft wins", "TimeLeft:100,TimeLeft:300", 300 * time.Millisecond, true},
		{"no TimeLeft", "Limit:10,Remain:0", 0, false},
		{"empty", "", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, ok := parseRateLimit(tt.header)
			assert.Equal(t, tt.ok, ok, "usable")
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestParseRetryAfter(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		header string
		want   time.Duration
		ok     bool
	}{
		{"seconds", "2", 2 * time.Second, true},
		{"0 seconds: retry now", "0", 0, true},
		{"exactly an hour of seconds", "3600", time.Hour, true},
		{"over an hour of seconds is no hint", "3601", 0, false},
		{"negative seconds are no hint", "-1", 0, false},
		{"a date 90 s ahead", hintDate(90 * time.Second), 90 * time.Second, true},
		{"a date 1 s ahead", hintDate(time.Second), time.Second, true},
		{"a date exactly an hour ahead", hintDate(time.Hour), time.Hour, true},
		{"a date over an hour ahead is no hint", hintDate(time.Hour + time.Second), 0, false},
		{"a date that is now is no hint", hintDate(0), 0, false},
		{"a date in the past is no hint", hintDate(-time.Minute), 0, false},
		{"a date in the RFC 850 form", hintNow.Add(30 * time.Second).Format(time.RFC850), 30 * time.Second, true},
		{"neither seconds nor a date", "in a while", 0, false},
		{"empty", "", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, ok := parseRetryAfter(tt.header, hintNow)
			assert.Equal(t, tt.ok, ok, "usable")
			assert.Equal(t, tt.want, got)
		})
	}
}

// TestThrottleHintPrecedence checks which header wins: x-ratelimit-user-api, then
// x-ratelimit-user, then Retry-After; a header that is no hint gives way to the next.
func TestThrottleHintPrecedence(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		headers map[string]string
		want    time.Duration
	}{
		{"user-api over user and Retry-After", map[string]string{
			"x-ratelimit-user-api": "Remain:0,TimeLeft:1000", "x-ratelimit-user": "Remain:0,TimeLeft:2000", "Retry-After": "3",
		}, time.Second},
		{"user over Retry-After", map[string]string{"x-ratelimit-user": "Remain:0,TimeLeft:2000", "Retry-After": "3"}, 2 * time.Second},
		{"TimeLeft 0 is a hint: Retry-After is not read", map[string]string{"x-ratelimit-user-api": "Remain:0,TimeLeft:0", "Retry-After": "7"}, 0},
		{"user-api with requests left gives way to user", map[string]string{
			"x-ratelimit-user-api": "Remain:4,TimeLeft:1000", "x-ratelimit-user": "Remain:0,TimeLeft:2000",
		}, 2 * time.Second},
		{"malformed rate-limit headers give way to Retry-After", map[string]string{
			"x-ratelimit-user-api": "TimeLeft:soon", "x-ratelimit-user": "Remain:0", "Retry-After": "3",
		}, 3 * time.Second},
		{"Retry-After as a date", map[string]string{"Retry-After": hintDate(45 * time.Second)}, 45 * time.Second},
		{"Retry-After seconds at the bound", map[string]string{"Retry-After": "3600"}, time.Hour},
		{"Retry-After past the bound", map[string]string{"Retry-After": "3601"}, 0},
		{"no header", nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := http.Header{}
			for k, v := range tt.headers {
				h.Set(k, v)
			}
			assert.Equal(t, tt.want, throttleHint(h, hintNow))
		})
	}
}

// TestSleep checks that a wait ends with the context's error when the context is done, even a
// wait of 0, and with nil when the wait is over.
func TestSleep(t *testing.T) {
	t.Parallel()
	done, cancel := context.WithCancel(context.Background())
	cancel()
	for range 200 {
		require.ErrorIs(t, sleep(done, 0), context.Canceled, "a zero wait on a done context")
		require.ErrorIs(t, sleep(done, -time.Second), context.Canceled, "a negative wait on a done context")
	}
	assert.ErrorIs(t, sleep(done, time.Hour), context.Canceled, "a long wait on a done context")
	assert.NoError(t, sleep(context.Background(), 0))
	assert.NoError(t, sleep(context.Background(), -time.Second))
	assert.NoError(t, sleep(context.Background(), time.Millisecond))
}

// TestRetryClassKnown checks which classes are known, at both ends of the list, and that a
// CheckRetry's unknown class is a NoRetry.
func TestRetryClassKnown(t *testing.T) {
	t.Parallel()
	for _, c := range []RetryClass{NoRetry, RetryTransient, RetryThrottled, RetryClockSkew} {
		assert.True(t, c.known(), "%s", c)
	}
	for _, c := range []RetryClass{-1, RetryClockSkew + 1, 100} {
		assert.False(t, c.known(), "%s", c)
		assert.Equal(t, "RetryClass("+strconv.Itoa(int(c))+")", c.String())

		r := &retrier{
			policy: retryPolicy{maxAttempts: 3, checkRetry: func(context.Context, error) RetryClass { return c }, backoff: defaultBackoff(retryHalf)},
			budget: newRetryBudget(),
		}
		cause := errors.New("failed")
		delay, class, err := r.next(context.Background(), 1, failure{err: cause})
		assert.Equal(t, NoRetry, class, "%s is NoRetry", c)
		assert.Zero(t, delay)
		assert.Same(t, cause, err)
	}
}
