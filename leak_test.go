package expressconnect

import (
	"bytes"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// leakWait is how long leakCheck lets goroutines started by a test take to exit after the
// test's other cleanups (closing servers and idle connections) have run.
const leakWait = 3 * time.Second

// leakCheck fails t if goroutines started during t are still running after t's other cleanups.
// Call it first in the test, before any server or client is made: cleanups run last-in
// first-out, so its check then runs after every server and connection is closed. A test that
// uses it must not call t.Parallel, since goroutines of tests running alongside would count as
// leaks; its own subtests may be parallel.
func leakCheck(t *testing.T) {
	t.Helper()
	before := leakGoroutines()
	t.Cleanup(func() {
		deadline := time.Now().Add(leakWait)
		for {
			extra := leakExtra(before)
			if len(extra) == 0 {
				return
			}
			if time.Now().After(deadline) {
				t.Errorf("%d goroutine(s) left behind:\n\n%s", len(extra), strings.Join(extra, "\n\n"))
				return
			}
			time.Sleep(5 * time.Millisecond)
		}
	})
}

// leakExtra returns the stacks of the goroutines running now that were not in before, leaving
// out the caller's own goroutine and goroutines of the testing package waiting to run.
func leakExtra(before map[string]string) []string {
	var extra []string
	for id, stack := range leakGoroutines() {
		if _, ok := before[id]; ok || leakIgnored(stack) {
			continue
		}
		extra = append(extra, stack)
	}
	return extra
}

// leakIgnored reports whether a goroutine's stack is one the test did not start: the goroutine
// taking the snapshot, or a test paused in t.Parallel.
func leakIgnored(stack string) bool {
	return strings.Contains(stack, "expressconnect.leakGoroutines") ||
		strings.Contains(stack, "testing.(*T).Parallel") ||
		strings.Contains(stack, "testing.runFuzzTests")
}

// leakGoroutines returns the stack of every goroutine, keyed by its "goroutine N" header.
func leakGoroutines() map[string]string {
	buf := make([]byte, 1<<16)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	out := make(map[string]string)
	for g := range bytes.SplitSeq(buf, []byte("\n\n")) {
		header, _, _ := bytes.Cut(g, []byte(" ["))
		out[string(header)] = string(g)
	}
	return out
}

// TestLeakCheckFindsALeak checks that the checker sees a goroutine that outlives its test, so
// that a passing leakCheck means something.
func TestLeakCheckFindsALeak(t *testing.T) {
	before := leakGoroutines()
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		<-stop
	}()
	extra := leakExtra(before)
	close(stop)
	<-done
	require.Len(t, extra, 1, "the one goroutine started by this test")
	assert.Contains(t, extra[0], "TestLeakCheckFindsALeak")
	assert.Eventually(t, func() bool { return len(leakExtra(before)) == 0 }, leakWait, time.Millisecond,
		"the goroutine exited, so the checker sees no leak")
}
