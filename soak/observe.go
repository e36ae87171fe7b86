package main

import (
	"bytes"
	"context"
	"sync"
	"time"

	"github.com/expressconnect-go/expressconnect"
)

// opStats counts the driver's operations, ok and failed, by name. It is safe for concurrent
// use.
type opStats struct {
	scan    *scanner
	mu      sync.Mutex
	ok      map[string]int64
	ko      map[string]int64
	samples map[string][]string // the first errors of each operation, secrets masked
}

// maxErrorSamples is how many errors of each operation the report shows.
const maxErrorSamples = 2

// newOpStats returns empty counters, which mask errors with scan.
func newOpStats(scan *scanner) *opStats {
	return &opStats{scan: scan, ok: map[string]int64{}, ko: map[string]int64{}, samples: map[string][]string{}}
}

// record counts one operation op that failed when err is not nil.
func (s *opStats) record(op string, err error) {
	var text string
	if err != nil {
		text = s.scan.masked(err.Error())
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err == nil {
		s.ok[op]++
		return
	}
	s.ko[op]++
	if len(s.samples[op]) < maxErrorSamples {
		s.samples[op] = append(s.samples[op], text)
	}
}

// errorSamples returns the first errors of each operation.
func (s *opStats) errorSamples() map[string][]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string][]string{}
	for k, v := range s.samples {
		out[k] = append([]string(nil), v...)
	}
	return out
}

// counts returns the operations' names, in order, with their counts.
func (s *opStats) counts() (names []string, ok, ko map[string]int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ok, ko = map[string]int64{}, map[string]int64{}
	all := map[string]bool{}
	for k, v := range s.ok {
		ok[k], all[k] = v, true
	}
	for k, v := range s.ko {
		ko[k], all[k] = v, true
	}
	return sortedKeys(all), ok, ko
}

// apiCounters are the figures of one API action, or of one client, as the client's observer
// reports them.
type apiCounters struct {
	calls, failedCalls, attempts, noAnswer int64
	transient, throttled, clockSkew        int64
	rateLimitWait, longestRateLimitWait    time.Duration
	rateLimitWaitsOver1s                   int64
}

// add counts attempt a in c.
func (c *apiCounters) add(a expressconnect.Attempt) {
	c.attempts++
	c.rateLimitWait += a.RateLimitWait
	c.longestRateLimitWait = max(c.longestRateLimitWait, a.RateLimitWait)
	if a.RateLimitWait > time.Second {
		c.rateLimitWaitsOver1s++
	}
	if a.StatusCode == 0 && a.Err != nil {
		c.noAnswer++
	}
	switch a.Retry {
	case expressconnect.RetryTransient:
		c.transient++
	case expressconnect.RetryThrottled:
		c.throttled++
	case expressconnect.RetryClockSkew:
		c.clockSkew++
	}
}

// observer is a client's Observer: it counts calls, attempts and retries by API action and
// for the client as a whole, and scans the error of every failed attempt and call for
// secrets.
type observer struct {
	scan   *scanner
	mu     sync.Mutex
	by     map[string]*apiCounters
	client apiCounters
}

// newObserver returns an observer that scans with scan.
func newObserver(scan *scanner) *observer {
	return &observer{scan: scan, by: map[string]*apiCounters{}}
}

// counters returns the counters of op; o.mu must be held.
func (o *observer) counters(op string) *apiCounters {
	c := o.by[op]
	if c == nil {
		c = &apiCounters{}
		o.by[op] = c
	}
	return c
}

// ObserveAttempt counts the attempt and its retry decision.
func (o *observer) ObserveAttempt(_ context.Context, call expressconnect.CallInfo, a expressconnect.Attempt) {
	o.scan.scanError("attempt error", a.Err)
	o.mu.Lock()
	defer o.mu.Unlock()
	o.counters(call.Operation).add(a)
	o.client.add(a)
}

// ObserveCall counts the call.
func (o *observer) ObserveCall(_ context.Context, call expressconnect.CallInfo, r expressconnect.CallResult) {
	o.scan.scanError("call error", r.Err)
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, c := range []*apiCounters{o.counters(call.Operation), &o.client} {
		c.calls++
		if r.Err != nil {
			c.failedCalls++
		}
	}
}

// figures adds the counters of each API action to by, and returns the client's.
func (o *observer) figures(by map[string]apiCounters) apiCounters {
	o.mu.Lock()
	defer o.mu.Unlock()
	for k, v := range o.by {
		sum := by[k]
		sum.calls += v.calls
		sum.failedCalls += v.failedCalls
		sum.attempts += v.attempts
		sum.noAnswer += v.noAnswer
		sum.transient += v.transient
		sum.throttled += v.throttled
		sum.clockSkew += v.clockSkew
		sum.rateLimitWait += v.rateLimitWait
		sum.longestRateLimitWait = max(sum.longestRateLimitWait, v.longestRateLimitWait)
		sum.rateLimitWaitsOver1s += v.rateLimitWaitsOver1s
		by[k] = sum
	}
	return o.client
}

// logSink is where the client's slog records go: it scans each record for secrets and counts
// them, keeping nothing. It is safe for concurrent use, as slog's handlers need.
type logSink struct {
	scan    *scanner
	mu      sync.Mutex
	records int64
}

// Write scans p, one or more records, and discards it.
func (l *logSink) Write(p []byte) (int, error) {
	n := int64(bytes.Count(p, []byte("\n")))
	l.scan.scan("client slog", string(p))
	l.mu.Lock()
	l.records += n
	l.mu.Unlock()
	return len(p), nil
}

// count returns how many records were written.
func (l *logSink) count() int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.records
}
