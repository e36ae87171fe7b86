package expressconnect

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"time"
)

// logAttempt writes the debug record of one attempt. It never logs a secret: the record holds
// the action, the attempt number, the HTTP status and request ID when there was an answer, the
// error code or error, and the latency.
func (c *Client) logAttempt(ctx context.Context, attempt int, sent time.Time, resp *http.Response, requestID string, err error) {
	if c.cfg.logger == nil || !c.cfg.logger.Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := []slog.Attr{
		slog.String("action", apiAction),
		slog.Int("attempt", attempt),
		slog.Duration("latency", time.Since(sent)),
	}
	if resp != nil {
		attrs = append(attrs, slog.Int("status", resp.StatusCode), slog.String("request_id", requestID))
	}
	var apiErr *APIError
	switch {
	case errors.As(err, &apiErr):
		attrs = append(attrs, slog.String("code", apiErr.Code))
	case err != nil:
		attrs = append(attrs, slog.String("error", err.Error()))
	}
	c.cfg.logger.LogAttrs(ctx, slog.LevelDebug, "expressconnect attempt", attrs...)
}

// logRetry writes the debug record of a retry about to wait delay.
func (c *Client) logRetry(ctx context.Context, attempt int, delay time.Duration) {
	if c.cfg.logger == nil {
		return
	}
	c.cfg.logger.LogAttrs(ctx, slog.LevelDebug, "expressconnect retry",
		slog.String("action", apiAction), slog.Int("attempt", attempt), slog.Duration("delay", delay))
}
