package main

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// blockingWriter is a writer whose writes wait until it is released; entered is closed by
// the first write.
type blockingWriter struct {
	entered, release chan struct{}
	once             sync.Once
	buf              syncBuffer
}

func newBlockingWriter() *blockingWriter {
	return &blockingWriter{entered: make(chan struct{}), release: make(chan struct{})}
}

func (w *blockingWriter) Write(p []byte) (int, error) {
	w.once.Do(func() { close(w.entered) })
	<-w.release
	return w.buf.Write(p)
}

// within runs fn and fails the test unless it returns within a generous bound.
func within(t *testing.T, what string, fn func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn()
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatalf("%s blocked", what)
	}
}

// TestLineLogDropsWhenBlocked checks that printing never blocks on a blocked writer, that the
// lines that do not fit in the queue are dropped and counted, and that the writer reports
// them once it catches up.
func TestLineLogDropsWhenBlocked(t *testing.T) {
	t.Parallel()
	const queue, printed = 4, 100
	w := newBlockingWriter()
	l := newLineLog(w, queue, dropReport("text"))
	l.Print("line 0")
	<-w.entered // the writer holds line 0; the queue is empty
	within(t, "Print", func() {
		for i := 1; i < printed; i++ {
			l.Print(fmt.Sprintf("line %d", i))
		}
	})
	close(w.release)
	var dropped uint64
	within(t, "Close", func() { dropped = l.Close(10 * time.Second) })

	assert.Equal(t, uint64(printed-1-queue), dropped)
	got := strings.Split(strings.TrimSuffix(w.buf.String(), "\n"), "\n")
	require.Len(t, got, 6, "%q", got)
	assert.Equal(t, []string{"line 0", "line 1", "line 2", "line 3", "line 4"}, got[:5])
	assert.Regexp(t, `^time=\S+ level=WARN msg="log lines dropped: standard error is not keeping up" dropped=95 dropped_total=95$`, got[5])
}

// TestLineLogCloseLeavesBlockedWriter checks that Close returns after its grace period when
// the writer stays blocked, and that printing after Close neither blocks nor panics.
func TestLineLogCloseLeavesBlockedWriter(t *testing.T) {
	t.Parallel()
	w := newBlockingWriter()
	t.Cleanup(func() { close(w.release) })
	l := newLineLog(w, 2, dropReport("text"))
	l.Print("held")
	<-w.entered
	var dropped uint64
	within(t, "Close", func() { dropped = l.Close(50 * time.Millisecond) })
	assert.Zero(t, dropped)
	within(t, "Print after Close", func() {
		for range 5 {
			l.Print("late")
		}
	})
	require.Equal(t, uint64(3), l.dropped.Load(), "two late lines fit in the queue, the others are dropped")
}
