package benchmarks

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/expressconnect-go/expressconnect"
	"github.com/expressconnect-go/expressconnect/expressconnecttest"
)

// rateLimitEnv, set to a number of seconds, runs TestRateLimitedCreates for that long with and
// without the client's adaptive rate limiter; unset, the test is skipped, so that go test
// stays quick. run.sh sets it.
const rateLimitEnv = "EXPRESSCONNECT_RATELIMIT_SECONDS"

// tableDirEnv names a folder where the long measurements (rate limit, scale) write their
// tables as Markdown, besides logging them; run.sh sets it to its output folder.
const tableDirEnv = "EXPRESSCONNECT_TABLE_DIR"

// The rate-limit run: rateLimitWorkers goroutines create hosted connections through one client
// against a local endpoint that lets rateLimitPerSecond requests a second through.
const (
	rateLimitWorkers   = 64
	rateLimitPerSecond = 20
)

// rateLimitRun is what one run measured.
type rateLimitRun struct {
	name      string
	duration  time.Duration
	succeeded int
	// failed counts the calls that ended in error, by cause.
	failed map[string]int
	// cutShort counts the calls that the run's end cut short: it came during the call, or so
	// soon that the client gave up a retry it had no time left to wait for. Neither a success
	// nor a failure: a longer run would have let them finish.
	cutShort int
	// requests and throttled count what the server answered.
	requests, throttled int64
	// windows is how many of the server's one-second windows the requests spanned: the run
	// could succeed at most rateLimitPerSecond times in each.
	windows int
	// latencies are those of every call, successful or not, sorted.
	latencies []time.Duration
}

// TestRateLimitedCreates measures the client against the service's rate limit, run by the
// local endpoint (expressconnecttest.Config.RateLimit): 64 goroutines sharing one client create
// hosted connections against a limit of 20 requests a second, once with the client's defaults
// and once with its adaptive rate limiter. It reports successful calls a second, the share of
// requests answered Throttling.User, the 99th percentile of call latency, the calls that
// failed, by cause, and those the run's end cut short (see rateLimitRun). Every call could have
// succeeded: the circuit has room for every hosted
// connection the run can create.
func TestRateLimitedCreates(t *testing.T) {
	seconds, _ := strconv.Atoi(os.Getenv(rateLimitEnv))
	if seconds <= 0 {
		t.Skipf("set %s to a number of seconds to run it", rateLimitEnv)
	}
	duration := time.Duration(seconds) * time.Second
	runs := []struct {
		name string
		opts []expressconnect.Option
	}{
		{name: "default (no client limiter)"},
		{name: "WithAdaptiveRateLimit(true)", opts: []expressconnect.Option{expressconnect.WithAdaptiveRateLimit(true)}},
	}
	var results []rateLimitRun
	for _, run := range runs {
		r := runRateLimited(t, run.name, duration, run.opts)
		results = append(results, r)
	}
	writeTable(t, "ratelimit.md", rateLimitTable(results))
}

// runRateLimited runs the workers for d against a fresh rate-limited endpoint, with a client
// built with opts.
func runRateLimited(t *testing.T, name string, d time.Duration, opts []expressconnect.Option) rateLimitRun {
	t.Helper()
	var requests, throttled, admitted atomic.Int64
	var windows windowSpan
	count := &requestCounter{see: func(t time.Time, status int, code string) {
		requests.Add(1)
		windows.see(t)
		if status == 200 {
			admitted.Add(1)
		}
		if code == string(expressconnect.CodeThrottlingUser) {
			throttled.Add(1)
		}
	}}
	srv := expressconnecttest.NewTestServer(t, expressconnecttest.Config{
		RateLimit:      rateLimitPerSecond,
		Circuits:       []expressconnecttest.Circuit{{ID: expressconnecttest.DefaultCircuitID, Quota: 3000, CapacityMbps: 1 << 30}},
		RequestLogSize: -1,
		Logger:         slog.New(count),
	})
	transport := newTransport(t)
	client, err := srv.Client(append([]expressconnect.Option{expressconnect.WithHTTPClient(&http.Client{Transport: transport})}, opts...)...)
	require.NoError(t, err)

	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	vlans := make(chan int, 2999) // each hosted connection on its own VLAN; a failed call's is used again
	for v := 1; v <= 2999; v++ {
		vlans <- v
	}
	var mu sync.Mutex
	r := rateLimitRun{name: name, failed: map[string]int{}}
	var wg sync.WaitGroup
	start := time.Now()
	for range rateLimitWorkers {
		wg.Go(func() {
			var latencies []time.Duration
			failed := map[string]int{}
			succeeded, cutShort := 0, 0
			for ctx.Err() == nil {
				var v int
				select {
				case v = <-vlans:
				default:
				}
				if v == 0 {
					break // every VLAN is taken: the run is over
				}
				callStart := time.Now()
				_, err := client.CreateVirtualPhysicalConnection(ctx, &expressconnect.CreateVirtualPhysicalConnectionRequest{
					PhysicalConnectionID: expressconnecttest.DefaultCircuitID,
					VpconnAliUID:         "1210123456123456",
					VLANID:               expressconnect.VLAN(v),
					Spec:                 expressconnect.Spec50M,
					OrderMode:            expressconnect.PayByVirtualPhysicalConnectionOwner,
				})
				if err != nil && (ctx.Err() != nil || runEndLeftNoTime(err)) {
					cutShort++
					break // the run's end cut the call short: neither a success nor a failure
				}
				latencies = append(latencies, time.Since(callStart))
				if err != nil {
					failed[failureCause(err)]++
					vlans <- v
					continue
				}
				succeeded++
			}
			mu.Lock()
			defer mu.Unlock()
			r.latencies = append(r.latencies, latencies...)
			r.succeeded += succeeded
			r.cutShort += cutShort
			for cause, n := range failed {
				r.failed[cause] += n
			}
		})
	}
	wg.Wait()
	r.duration = time.Since(start)
	r.requests, r.throttled, r.windows = requests.Load(), throttled.Load(), windows.count()
	slices.Sort(r.latencies)
	t.Logf("%s: the server answered %d requests 200 in %d one-second windows", name, admitted.Load(), r.windows)
	t.Logf("%s: %d succeeded in %v, %d failed %v, %d cut short by the run's end, %d of %d requests throttled", name, r.succeeded,
		r.duration.Round(time.Millisecond), len(r.latencies)-r.succeeded, r.failed, r.cutShort, r.throttled, r.requests)
	return r
}

// requestCounter is a slog.Handler that passes the server's record of each request to see:
// the record's time (taken as the server logs it, once the answer is decided, a moment after
// the server read its clock for the rate limit's window), its status and its error code.
type requestCounter struct {
	see func(t time.Time, status int, code string)
}

// Enabled reports that every record is wanted.
func (requestCounter) Enabled(context.Context, slog.Level) bool { return true }

// Handle passes a "request" record to see, and drops the others.
func (c *requestCounter) Handle(_ context.Context, r slog.Record) error {
	if r.Message != "request" {
		return nil
	}
	var status int
	var code string
	r.Attrs(func(a slog.Attr) bool {
		switch a.Key {
		case "status":
			status = int(a.Value.Int64())
		case "code":
			code = a.Value.String()
		}
		return true
	})
	c.see(r.Time, status, code)
	return nil
}

// WithAttrs returns c: the server's records carry their attributes themselves.
func (c *requestCounter) WithAttrs([]slog.Attr) slog.Handler { return c }

// WithGroup returns c, for the same reason.
func (c *requestCounter) WithGroup(string) slog.Handler { return c }

// windowSpan is the first and last second of the server's clock in which a request came. It
// is safe for concurrent use.
type windowSpan struct {
	mu          sync.Mutex
	first, last int64
}

// see records a request that came at t.
func (w *windowSpan) see(t time.Time) {
	w.mu.Lock()
	defer w.mu.Unlock()
	s := t.Unix()
	if w.first == 0 || s < w.first {
		w.first = s
	}
	w.last = max(w.last, s)
}

// count returns how many seconds the requests spanned.
func (w *windowSpan) count() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.first == 0 {
		return 0
	}
	return int(w.last - w.first + 1)
}

// runEndLeftNoTime reports whether err is the client giving up a retry because the run's
// deadline left no time to wait for it (an error that matches context.DeadlineExceeded but is
// not an attempt's own timeout): the run, not the service, ended the call.
func runEndLeftNoTime(err error) bool {
	return errors.Is(err, context.DeadlineExceeded) && !errors.Is(err, expressconnect.ErrAttemptTimeout)
}

// failureCause names why a call failed, for the table.
func failureCause(err error) string {
	switch {
	case errors.Is(err, expressconnect.ErrRetryBudgetExhausted):
		return "retry budget exhausted"
	case errors.Is(err, expressconnect.ErrThrottled):
		return "throttled on every attempt"
	case errors.Is(err, context.DeadlineExceeded):
		return "no time left to wait"
	}
	return "other: " + err.Error()
}

// rateLimitTable returns the runs as a Markdown table. "% of allowed" is the successful calls
// over what the limit allowed in the seconds of the server's clock the run spanned (a run of N
// seconds spans N + 1 of them).
func rateLimitTable(runs []rateLimitRun) string {
	s := fmt.Sprintf("Rate limit: %d goroutines creating hosted connections through one client, limit %d requests/s per account and action\n\n",
		rateLimitWorkers, rateLimitPerSecond)
	s += "| client | run | successful calls/s | % of allowed | requests | throttled | p99 call latency | failed calls, by cause | cut short by the run's end |\n"
	s += "|---|---:|---:|---:|---:|---:|---:|---|---:|\n"
	for _, r := range runs {
		rate := float64(r.succeeded) / r.duration.Seconds()
		share := 0.0
		if r.requests > 0 {
			share = 100 * float64(r.throttled) / float64(r.requests)
		}
		failed := "none"
		if len(r.failed) > 0 {
			failed = ""
			for _, cause := range slices.Sorted(mapKeys(r.failed)) {
				if failed != "" {
					failed += "; "
				}
				failed += fmt.Sprintf("%d %s", r.failed[cause], cause)
			}
		}
		allowed := 0.0
		if r.windows > 0 {
			allowed = 100 * float64(r.succeeded) / float64(rateLimitPerSecond*r.windows)
		}
		s += fmt.Sprintf("| %s | %.0f s | %.1f | %.0f%% | %d | %.1f%% | %s | %s | %d |\n", r.name, r.duration.Seconds(), rate,
			allowed, r.requests, share, percentile(r.latencies, 0.99).Round(time.Millisecond), failed, r.cutShort)
	}
	return s
}

// percentile returns the p-th quantile of sorted, or 0 when it is empty.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(len(sorted)-1, int(p*float64(len(sorted))))]
}

// mapKeys returns the keys of m, for slices.Sorted.
func mapKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// writeTable logs table and, when tableDirEnv names a folder, writes it there as name.
func writeTable(t *testing.T, name, table string) {
	t.Helper()
	t.Log("\n" + table)
	dir := os.Getenv(tableDirEnv)
	if dir == "" {
		return
	}
	f, err := os.Create(dir + "/" + name)
	require.NoError(t, err)
	_, err = io.WriteString(f, table)
	require.NoError(t, err)
	require.NoError(t, f.Close())
}
