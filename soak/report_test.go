package main

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// healthy returns the result of a run in which every invariant held.
func healthy() *result {
	flat := func(v float64) []point {
		var ps []point
		for i := range 120 {
			ps = append(ps, point{at: time.Duration(i) * time.Second, value: v + float64(i%3)})
		}
		return ps
	}
	return &result{
		set:     settings{duration: 2 * time.Minute, workers: 2, circuits: 1, maxGoSlope: 1, maxGoRise: 5, maxHeapSlope: 1, maxSandboxRSS: 256},
		elapsed: 2 * time.Minute, half: time.Minute, clientDesc: []string{"one"},
		goStart: 8, goEnd: 9, goroutines: flat(60), own: flat(20), heap: flat(1 << 20), rss: flat(40 << 20),
		ops: newOpStats(newScanner(testCredentials.secrets())), api: map[string]apiCounters{}, perClient: []apiCounters{{}},
		orders:  orderFigures{opened: 3, done: 2, confirmed: 2, reported: 1, evidence: map[int][]string{}},
		traffic: &trafficFigures{},
	}
}

// TestChecksFail checks that each invariant fails on its own evidence, and that the report
// names it.
func TestChecksFail(t *testing.T) {
	t.Parallel()
	if broken := healthy().print(&bytes.Buffer{}); len(broken) != 0 {
		t.Fatalf("a healthy run broke %q", broken)
	}
	growing := func(perMinute float64) []point {
		var ps []point
		for i := range 120 {
			at := time.Duration(i) * time.Second
			ps = append(ps, point{at: at, value: 60 + perMinute*at.Minutes()})
		}
		return ps
	}
	cases := map[string]func(r *result){
		"invariant 1": func(r *result) { r.orders.tokensWithTwo = 1 },
		"invariant 2": func(r *result) { r.orders.lost, r.orders.opened = 1, 4 },
		"invariant 3": func(r *result) { r.hits = map[string]int64{"client slog": 1} },
		"invariant 4": func(r *result) { r.own = growing(30) },
		"heap":        func(r *result) { r.heap = growing(3 << 20) },
		"rise":        func(r *result) { r.goEnd = 40 },
		"invariant 5": func(r *result) { r.rss = growing(300 << 20) },
		"stopped":     func(r *result) { r.stopErr = errTest },
	}
	for name, breakIt := range cases {
		r := healthy()
		breakIt(r)
		var out bytes.Buffer
		broken := r.print(&out)
		if len(broken) != 1 {
			t.Errorf("%s: broken %q, want one", name, broken)
			continue
		}
		if !strings.Contains(out.String(), "**FAILED**") {
			t.Errorf("%s: the table does not say FAILED", name)
		}
	}
}

// errTest is an error for the tests.
var errTest = testError("the sandbox exited with status 2")

// testError is an error with a fixed text.
type testError string

func (e testError) Error() string { return string(e) }
