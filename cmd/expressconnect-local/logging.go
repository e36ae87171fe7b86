package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"strings"

	"github.com/expressconnect-go/expressconnect/expressconnecttest"
)

// This file is the command's log: slog records in text or JSON, one line each, queued in a
// lineLog so that writing them never holds up an answer. No record carries a secret: requests
// are described by fields the server chose or bounded and masked ones the client chose, never
// by their parameters.

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

// logRequest logs one request of the service's API: its RequestId, action, method, status,
// error code, hosted connection and fault, and its AccessKeyId masked.
func logRequest(l *slog.Logger, r expressconnecttest.Request) {
	fault := ""
	if r.Fault != expressconnecttest.FaultNone {
		fault = r.Fault.String()
	}
	l.LogAttrs(context.Background(), slog.LevelInfo, "request",
		slog.String("request_id", r.RequestID),
		slog.String("action", logField(r.Action)),
		slog.String("method", logField(r.Method)),
		slog.Int("status", r.StatusCode),
		slog.String("code", string(r.Code)),
		slog.String("connection_id", r.ConnectionID),
		slog.String("fault", fault),
		slog.String("access_key_id", maskKeyID(accessKeyID(r))),
	)
}

// accessKeyID returns the AccessKeyId a request was signed with: its AccessKeyId parameter
// (the RPC signature), else the Credential of its ACS3-HMAC-SHA256 Authorization header,
// which the record keeps masked already; "" when it has neither.
func accessKeyID(r expressconnecttest.Request) string {
	if id := r.Params.Get("AccessKeyId"); id != "" {
		return id
	}
	_, fields, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	for _, field := range strings.Split(fields, ",") {
		if id, ok := strings.CutPrefix(strings.TrimSpace(field), "Credential="); ok {
			return id
		}
	}
	return ""
}

// logAdmin logs one request of the admin API.
func logAdmin(l *slog.Logger, method, path string, status int) {
	l.LogAttrs(context.Background(), slog.LevelInfo, "admin",
		slog.String("method", logField(method)), slog.String("path", logField(path)), slog.Int("status", status))
}

// maxLogField is the longest client-chosen text a log line shows, in bytes.
const maxLogField = 64

// logField returns at most maxLogField bytes of s, text the client chose. The handler quotes
// or escapes what it must, so that no client can break a line or forge one.
func logField(s string) string {
	if len(s) > maxLogField {
		return s[:maxLogField]
	}
	return s
}

// maskKeyID returns an AccessKeyId as the log shows it: its first and last 4 characters
// around "****", or only "****" when it is 8 characters or shorter; "" stays "".
func maskKeyID(id string) string {
	switch {
	case id == "":
		return ""
	case len(id) <= 8 || len(id) > maxLogField:
		return redacted
	}
	return id[:4] + redacted + id[len(id)-4:]
}
