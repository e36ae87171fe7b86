package expressconnect

import (
	"context"
	"log/slog"
)

// logAttempt writes the debug record of one attempt of k, after its retry decision. It never
// logs a secret: the record holds the operation, the Token, the attempt number, the latency,
// the HTTP status, RequestId, code and family when there was an answer, the redacted error
// otherwise, the retry decision and wait, and the call's WithLogAttrs attributes.
func (k *call) logAttempt(ctx context.Context, a Attempt) {
	logger := k.client.cfg.logger
	if logger == nil || !logger.Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := make([]slog.Attr, 0, 11+len(k.cfg.logAttrs))
	attrs = append(attrs,
		slog.String("operation", k.info.Operation),
		slog.Int("attempt", a.Number),
		slog.Duration("latency", a.Latency),
	)
	if k.info.Token != "" {
		attrs = append(attrs, slog.String("token", k.info.Token))
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
	if a.Retry != NoRetry {
		attrs = append(attrs, slog.String("retry", a.Retry.String()), slog.Duration("wait", a.Wait))
	}
	attrs = append(attrs, k.cfg.logAttrs...)
	logger.LogAttrs(ctx, slog.LevelDebug, "expressconnect attempt", attrs...)
}
