package expressconnect

import (
	"context"
	"log/slog"
)

// LogObserver returns an [Observer] that writes a debug record to logger for every attempt;
// install it with [WithObserver]. A record never holds a secret: it has
// the operation, the Token, the attempt number and latency, the HTTP status, RequestId, code
// and family when there was an answer, the redacted error otherwise, and the retry decision
// and wait. Records are written with the call's context, so a slog.Handler can add what the
// caller put there (an order ID, a trace).
func LogObserver(logger *slog.Logger) Observer {
	return logObserver{logger: logger}
}

// logObserver is the Observer of LogObserver.
type logObserver struct {
	logger *slog.Logger
}

// ObserveAttempt writes the record of one attempt, after its retry decision.
func (l logObserver) ObserveAttempt(ctx context.Context, call CallInfo, a Attempt) {
	if l.logger == nil || !l.logger.Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := make([]slog.Attr, 0, 11)
	attrs = append(attrs,
		slog.String("operation", call.Operation),
		slog.Int("attempt", a.Number),
		slog.Duration("latency", a.Latency),
	)
	if call.Token != "" {
		attrs = append(attrs, slog.String("token", call.Token))
	}
	if a.StatusCode != 0 {
		attrs = append(attrs, slog.Int("status", a.StatusCode))
	}
	if a.RequestID != "" {
		attrs = append(attrs, slog.String("request_id", a.RequestID))
	}
	switch {
	case a.Code != "":
		attrs = append(attrs, slog.String("code", string(a.Code)))
	case a.Err != nil:
		attrs = append(attrs, slog.String("error", a.Err.Error()))
	}
	if a.Family != "" {
		attrs = append(attrs, slog.String("family", string(a.Family)))
	}
	if a.RateLimitWait > 0 {
		attrs = append(attrs, slog.Duration("rate_limit_wait", a.RateLimitWait))
	}
	if a.Retry != NoRetry {
		attrs = append(attrs, slog.String("retry", a.Retry.String()), slog.Duration("wait", a.Wait))
	}
	l.logger.LogAttrs(ctx, slog.LevelDebug, "expressconnect attempt", attrs...)
}

// ObserveCall writes nothing: the call's outcome is in its last attempt's record.
func (l logObserver) ObserveCall(context.Context, CallInfo, CallResult) {}
