package expressconnecttest

import (
	"strconv"
	"sync"
	"time"
)

// This file is the server's rate limit, off unless Config.RateLimit turns it on. The service
// limits the calls of an account to each API action and answers the calls past the limit HTTP
// 400 Throttling.User, with an x-ratelimit-user-api header such as
// "Limit:20,Remain:0,TimeLeft:350": the limit, what is left of it, and the milliseconds until
// the limit renews. The server does the same with a fixed window of one second per account
// and action, counted on the server's clock from the start of each second: a header that
// gives a TimeLeft until the limit renews, and no rate at which it refills, describes a window
// that resets, not a token bucket. A throttled request does not count against the window, and
// is not handled.

// rateLimiter counts the requests of each account and action in the current one-second
// window. It is safe for concurrent use.
type rateLimiter struct {
	perSecond int

	mu      sync.Mutex
	windows map[rateKey]rateWindow
}

// rateKey is what the limit applies to: one account's calls to one action.
type rateKey struct{ accountID, action string }

// rateWindow is the requests let through in the window that started at start.
type rateWindow struct {
	start time.Time
	count int
}

// newRateLimiter returns a limiter of perSecond requests a second for each account and
// action, or nil, no limit, when perSecond is 0.
func newRateLimiter(perSecond int) *rateLimiter {
	if perSecond <= 0 {
		return nil
	}
	return &rateLimiter{perSecond: perSecond, windows: map[rateKey]rateWindow{}}
}

// admit counts a request of accountID for action at now and reports whether it is within the
// limit. When it is not, left is how long until the window ends, from a millisecond to a
// second. A request whose now is older than the current window (concurrent requests read the
// clock before they take the lock, so they may come in out of order) counts in the current
// window: going back to the older one would start its count again. The map holds one entry per
// account and action that has been called: the server knows few of each.
func (l *rateLimiter) admit(accountID, action string, now time.Time) (ok bool, left time.Duration) {
	start := now.Truncate(time.Second)
	key := rateKey{accountID, action}
	l.mu.Lock()
	defer l.mu.Unlock()
	w := l.windows[key]
	if start.After(w.start) {
		w = rateWindow{start: start}
	}
	if w.count >= l.perSecond {
		return false, min(max(w.start.Add(time.Second).Sub(now), time.Millisecond), time.Second)
	}
	w.count++
	l.windows[key] = w
	return true, 0
}

// throttle applies the server's rate limit to a request of accountID for action at now, and
// returns the Throttling.User answer to give it when it is over the limit.
func (s *Server) throttle(accountID, action, requestID string, now time.Time) (answer, bool) {
	if s.limiter == nil {
		return answer{}, false
	}
	ok, left := s.limiter.admit(accountID, action, now)
	if ok {
		return answer{}, false
	}
	a := errorAnswer(requestID, errThrottling(), now)
	a.header.Set(headerRateLimit, "Limit:"+strconv.Itoa(s.limiter.perSecond)+",Remain:0,TimeLeft:"+
		strconv.FormatInt(left.Milliseconds(), 10))
	return a, true
}
