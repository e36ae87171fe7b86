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
func (c *Client) logAttempt(ctx context.Context, attempt int, sent time.Time, resp *http.Response, out outcome) {
	if c.cfg.logger == nil || !c.cfg.logger.Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := []slog.Attr{
		slog.String("action", apiAction),
		slog.Int("attempt", attempt),
		slog.Duration("latency", time.Since(sent)),
	}
	if resp != nil {
		attrs = append(attrs, slog.Int("status", resp.StatusCode), slog.String("request_id", requestIDOf(resp, out)))
	}
	var apiErr *APIError
	switch err := out.err; {
	case errors.As(err, &apiErr):
		attrs = append(attrs, slog.String("code", apiErr.Code))
	case err != nil:
		attrs = append(attrs, slog.String("error", err.Error()))
	}
	c.cfg.logger.LogAttrs(ctx, slog.LevelDebug, "expressconnect attempt", attrs...)
}

// logRetry writes the debug record of a retry about to wait delay.
func (c *Client) logRetry(ctx context.Context, attempt int, delay time.Duration) {
	if c.cfg.logger == nil || !c.cfg.logger.Enabled(ctx, slog.LevelDebug) {
		return
	}
	c.cfg.logger.LogAttrs(ctx, slog.LevelDebug, "expressconnect retry",
		slog.String("action", apiAction), slog.Int("attempt", attempt), slog.Duration("delay", delay))
}

// requestIDOf returns the RequestId of an answer: the decoded one, else the x-acs-request-id
// header.
func requestIDOf(resp *http.Response, out outcome) string {
	var apiErr *APIError
	var respErr *ResponseError
	switch {
	case out.resp != nil && out.resp.RequestID != "":
		return out.resp.RequestID
	case errors.As(out.err, &apiErr) && apiErr.RequestID != "":
		return apiErr.RequestID
	case errors.As(out.err, &respErr) && respErr.RequestID != "":
		return respErr.RequestID
	}
	return resp.Header.Get("x-acs-request-id")
}
