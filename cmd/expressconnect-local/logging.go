package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"strings"
)

// This file is the command's log: slog records in text or JSON, one line each, queued in a
// lineLog so that writing them never holds up an answer. The server writes the records of
// requests (expressconnecttest.Config.Logger), none of which carries a secret.

// newLogHandler returns the slog handler of format ("text" or "json") writing to w.
func newLogHandler(format string, w io.Writer) slog.Handler {
	if format == "json" {
		return slog.NewJSONHandler(w, nil)
	}
	return slog.NewTextHandler(w, nil)
}

// newLogger returns a logger of format that queues its lines in lines, or discards them when
// lines is nil.
func newLogger(format string, lines *lineLog) *slog.Logger {
	if lines == nil {
		return slog.New(slog.DiscardHandler)
	}
	return slog.New(newLogHandler(format, queueWriter{lines}))
}

// queueWriter hands each write, one whole record of a slog handler (which writes each record
// with one call), to a lineLog as one line.
type queueWriter struct{ lines *lineLog }

// Write queues p as one line; it never blocks and never fails.
func (q queueWriter) Write(p []byte) (int, error) {
	q.lines.Print(string(bytes.TrimSuffix(p, []byte("\n"))))
	return len(p), nil
}

// dropReport returns the function that formats, in format, the line saying that the log
// dropped lines.
func dropReport(format string) func(dropped, total uint64) string {
	return func(dropped, total uint64) string {
		var buf bytes.Buffer
		slog.New(newLogHandler(format, &buf)).LogAttrs(context.Background(), slog.LevelWarn,
			"log lines dropped: standard error is not keeping up",
			slog.Uint64("dropped", dropped), slog.Uint64("dropped_total", total))
		return strings.TrimSuffix(buf.String(), "\n")
	}
}
