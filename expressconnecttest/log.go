package expressconnecttest

import (
	"context"
	"log/slog"
	"strings"

	"github.com/expressconnect-go/expressconnect/internal/keyid"
)

// This file is the server's log of requests (Config.Logger): one record per request, described
// by fields the server chose or bounded and masked ones the client chose, never by a secret or
// a parameter's value.

// logRequest logs one request of the service's API: its RequestId, action, method, status,
// error code, hosted connection and fault, and its AccessKeyId masked.
func (s *Server) logRequest(r Request) {
	if s.cfg.logger == nil {
		return
	}
	fault := ""
	if r.Fault != FaultNone {
		fault = r.Fault.String()
	}
	s.cfg.logger.LogAttrs(context.Background(), slog.LevelInfo, "request",
		slog.String("request_id", r.RequestID),
		slog.String("action", logField(r.Action)),
		slog.String("method", logField(r.Method)),
		slog.Int("status", r.StatusCode),
		slog.String("code", string(r.Code)),
		slog.String("connection_id", r.ConnectionID),
		slog.String("fault", fault),
		slog.String("access_key_id", loggedAccessKeyID(r)),
	)
}

// loggedAccessKeyID returns the AccessKeyId a request was signed with, masked: its
// AccessKeyId parameter (the RPC signature), else the Credential of its ACS3-HMAC-SHA256
// Authorization header, which the record keeps masked already; "" when it has neither.
func loggedAccessKeyID(r Request) string {
	if id := r.Params.Get("AccessKeyId"); id != "" {
		if len(id) > maxLogField {
			return "****"
		}
		return keyid.Mask(id)
	}
	_, fields, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	for _, field := range strings.Split(fields, ",") {
		if id, ok := strings.CutPrefix(strings.TrimSpace(field), "Credential="); ok {
			return logField(id)
		}
	}
	return ""
}

// maxLogField is the longest client-chosen text a log record shows, in bytes.
const maxLogField = 64

// logField returns at most maxLogField bytes of s, text the client chose. The handler quotes
// or escapes what it must, so that no client can break a line or forge one.
func logField(s string) string {
	if len(s) > maxLogField {
		return s[:maxLogField]
	}
	return s
}
