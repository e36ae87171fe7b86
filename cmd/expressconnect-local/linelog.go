package main

import (
	"fmt"
	"io"
	"sync/atomic"
	"time"
)

// Limits of the request log.
const (
	// logQueueLines is how many lines may wait for the writer before new ones are dropped.
	logQueueLines = 1024
	// shutdownGrace is how long stopping waits for the writer to write the lines still queued.
	shutdownGrace = 500 * time.Millisecond
)

// lineLog writes log lines to w from a goroutine of its own, so that a slow or blocked w (a
// pipe nobody reads) never holds up the caller: Print queues a line, or drops and counts it
// when the queue is full. The writer reports the lines dropped in a line of its own once it
// has caught up with the queue, and when it stops.
type lineLog struct {
	w       io.Writer
	report  func(dropped, total uint64) string // formats the line that reports drops
	queue   chan string
	quit    chan struct{} // closed by Close
	done    chan struct{} // closed when the writer has stopped
	dropped atomic.Uint64 // lines dropped so far
}

// newLineLog starts the writer of a log to w that queues up to queueLines lines; report
// formats the line that says how many lines were dropped since the last report, and in all.
func newLineLog(w io.Writer, queueLines int, report func(dropped, total uint64) string) *lineLog {
	l := &lineLog{w: w, report: report, queue: make(chan string, queueLines), quit: make(chan struct{}),
		done: make(chan struct{})}
	go l.write()
	return l
}

// Print queues line for writing, or drops it when the queue is full. It never blocks.
func (l *lineLog) Print(line string) {
	select {
	case l.queue <- line:
	default:
		l.dropped.Add(1)
	}
}

// Close stops the writer after it has written the lines already queued, waiting for it at most
// grace (a blocked writer is left behind), and returns how many lines were dropped in all.
// Lines printed after Close are dropped.
func (l *lineLog) Close(grace time.Duration) uint64 {
	close(l.quit)
	t := time.NewTimer(grace)
	defer t.Stop()
	select {
	case <-l.done:
	case <-t.C:
	}
	return l.dropped.Load()
}

// write writes queued lines until Close, then the lines left in the queue.
func (l *lineLog) write() {
	defer close(l.done)
	var reported uint64
	for {
		select {
		case line := <-l.queue:
			fmt.Fprintln(l.w, line)
			if len(l.queue) == 0 {
				reported = l.reportDrops(reported)
			}
		case <-l.quit:
			for len(l.queue) > 0 {
				fmt.Fprintln(l.w, <-l.queue)
			}
			l.reportDrops(reported)
			return
		}
	}
}

// reportDrops writes how many lines were dropped since reported were, if any, and returns
// the new count reported.
func (l *lineLog) reportDrops(reported uint64) uint64 {
	dropped := l.dropped.Load()
	if dropped > reported {
		fmt.Fprintln(l.w, l.report(dropped-reported, dropped))
	}
	return dropped
}
