package expressconnecttest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strings"

	"github.com/expressconnect-go/expressconnect/internal/strictjson"
)

// This file is the server side of the admin API: plain JSON over HTTP under adminPrefix,
// without Alibaba Cloud signatures, to look at the server's state and to act as the tenant,
// billing and the clock. adminroutes.go holds the work of each route, adminguard.go what is
// checked before any route runs, and admin.go the Go client, [Admin].

// adminPrefix is the path prefix of the admin API. The service's API is served at "/" only,
// so no request of the service's clients starts with it.
const adminPrefix = "/_sandbox/"

// maxAdminBody bounds the JSON body of an admin request.
const maxAdminBody = 64 << 10

// The codes of the admin API's errors, in the Code of an error answer. Admin maps
// codeUnknownConnection and codeTransitionNotAllowed back to ErrUnknownConnection and
// ErrTransitionNotAllowed.
const (
	codeInvalidParameter     = "InvalidParameter"     // 400
	codeUnauthorized         = "Unauthorized"         // 401
	codeForbidden            = "Forbidden"            // 403
	codeNotFound             = "NotFound"             // 404: no such route
	codeUnknownConnection    = "UnknownConnection"    // 404: no such hosted connection
	codeAdminOff             = "AdminOff"             // 404: the admin API is off
	codeMethodNotAllowed     = "MethodNotAllowed"     // 405
	codeTransitionNotAllowed = "TransitionNotAllowed" // 409
	codeUnsupportedMediaType = "UnsupportedMediaType" // 415
	codeInternalError        = "InternalError"        // 500
)

// adminRoute is one route of the admin API.
type adminRoute struct {
	method string
	// path is an http.ServeMux pattern without a method, such as
	// "/_sandbox/connections/{id}/accept".
	path string
	// doc says what the route does, for the index.
	doc string
	// handle does the work and returns what to answer, as JSON; its error decides the status.
	handle func(s *Server, r *http.Request) (any, error)
}

// adminError is an error of the admin API with the HTTP status and code it is answered with.
type adminError struct {
	status int
	code   string
	msg    string
}

// Error returns the message the answer carries.
func (e *adminError) Error() string { return e.msg }

// badInput returns an HTTP 400 error.
func badInput(format string, args ...any) error {
	return &adminError{status: http.StatusBadRequest, code: codeInvalidParameter, msg: fmt.Sprintf(format, args...)}
}

// adminErrorBody is the body of every error answer of the admin API: the fields of the
// service's own error answers.
type adminErrorBody struct {
	Code    string `json:"Code"`
	Message string `json:"Message"`
}

// adminRoutes returns the routes of the admin API.
func adminRoutes() []adminRoute {
	routes := []adminRoute{
		{http.MethodGet, adminPrefix + "{$}", "list the routes and the API actions the server serves", listRoutes},
		{http.MethodGet, adminPrefix + "connections", "list the hosted connections, oldest first, deleted ones included", listConnections},
		{http.MethodGet, adminPrefix + "connections/{id}", "show one hosted connection", getConnection},
	}
	for _, c := range connectionChanges {
		routes = append(routes, adminRoute{http.MethodPost, adminPrefix + "connections/{id}/" + c.route, c.doc, changeConnection})
	}
	return append(routes,
		adminRoute{http.MethodGet, adminPrefix + "circuits", "list the circuits, in the order of their IDs, with their defaults applied", listCircuits},
		adminRoute{http.MethodPut, adminPrefix + "circuits/{id}", `add a circuit or change it: {"RegionId":"","Status":"Enabled","CapacityMbps":10000,"Quota":16,"QoSBound":false,"Owner":""} ("Enabled":false is Status Allocated)`, putCircuit},
		adminRoute{http.MethodGet, adminPrefix + "requests", "list a page of the last requests received (credentials redacted), " +
			"how many were dropped, the Next cursor and whether there are More: ?after=Next&limit=1..100 (default 100)", listRequests},
		adminRoute{http.MethodPost, adminPrefix + "faults", `make the next Count requests (of one Action, or any) fail: {"Kind":"none|error|throttle|badgateway|truncate|delay|drip|reset|close","Count":1,"Action":"",...}`, injectFaults},
		adminRoute{http.MethodDelete, adminPrefix + "faults", "remove the pending faults", clearFaults},
		adminRoute{http.MethodGet, adminPrefix + "clock", "show the server's clock", getClock},
		adminRoute{http.MethodPut, adminPrefix + "clock", `set how far the server's clock is ahead of the system clock: {"Offset":"-20m"}`, setClock},
		adminRoute{http.MethodPost, adminPrefix + "sts/expire", "make the STS credentials expired (InvalidSecurityToken.Expired)", expireSTS},
		adminRoute{http.MethodPost, adminPrefix + "reset", "start again from the configured state: no hosted connections, requests, faults or tokens", resetServer},
	)
}

// newAdminMux returns the handler of the admin API's routes for s, without the guard.
func newAdminMux(s *Server) *http.ServeMux {
	mux := http.NewServeMux()
	byPath := map[string][]adminRoute{}
	var paths []string
	for _, rt := range adminRoutes() {
		if _, ok := byPath[rt.path]; !ok {
			paths = append(paths, rt.path)
		}
		byPath[rt.path] = append(byPath[rt.path], rt)
	}
	for _, path := range paths {
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) { s.dispatchAdmin(w, r, byPath[path]) })
	}
	mux.HandleFunc(adminPrefix, func(w http.ResponseWriter, r *http.Request) {
		respondAdmin(w, nil, &adminError{status: http.StatusNotFound, code: codeNotFound,
			msg: fmt.Sprintf("no admin route %s %s; GET %s lists them", r.Method, clipped(r.URL.Path), adminPrefix)})
	})
	return mux
}

// serveAdmin answers one admin request: the guard's refusal, or the route's answer.
func (s *Server) serveAdmin(w http.ResponseWriter, r *http.Request) {
	if err := s.cfg.admin.check(r); err != nil {
		if errorStatus(err) == http.StatusUnauthorized {
			w.Header().Set("WWW-Authenticate", adminAuthRealm)
		}
		respondAdmin(w, nil, err)
		return
	}
	s.adminMux.ServeHTTP(w, r)
}

// serveListenerAdmin answers an admin request that came through the listener and logs it:
// HTTP 404 for every path when the admin API is off.
func (s *Server) serveListenerAdmin(w http.ResponseWriter, r *http.Request) {
	sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
	if s.cfg.adminOff {
		respondAdmin(sw, nil, &adminError{status: http.StatusNotFound, code: codeAdminOff,
			msg: "the admin API is off for the listener (Config.NoAdmin, or the command's -admin=false)"})
	} else {
		s.serveAdmin(sw, r)
	}
	s.logAdmin(r.Method, r.URL.Path, sw.status)
}

// statusWriter remembers the status written through it.
type statusWriter struct {
	http.ResponseWriter
	status int
}

// WriteHeader remembers status and writes it.
func (w *statusWriter) WriteHeader(status int) {
	w.status = status
	w.ResponseWriter.WriteHeader(status)
}

// dispatchAdmin runs the route of routes (which share a path) whose method is the request's.
func (s *Server) dispatchAdmin(w http.ResponseWriter, r *http.Request, routes []adminRoute) {
	i := slices.IndexFunc(routes, func(rt adminRoute) bool { return rt.method == r.Method })
	if i < 0 {
		var allowed []string
		for _, rt := range routes {
			allowed = append(allowed, rt.method)
		}
		w.Header().Set("Allow", strings.Join(allowed, ", "))
		respondAdmin(w, nil, &adminError{status: http.StatusMethodNotAllowed, code: codeMethodNotAllowed,
			msg: fmt.Sprintf("%s takes %s, not %s", clipped(r.URL.Path), strings.Join(allowed, " or "), clipped(r.Method))})
		return
	}
	v, err := routes[i].handle(s, r)
	respondAdmin(w, v, err)
}

// respondAdmin answers v as JSON, or err as {"Code": "...", "Message": "..."} with its status
// (the message without the package's name, which the Code stands for).
func respondAdmin(w http.ResponseWriter, v any, err error) {
	status := http.StatusOK
	if err != nil {
		status, v = errorStatus(err), adminErrorBody{Code: errorCode(err), Message: strings.TrimPrefix(err.Error(), "expressconnecttest: ")}
	}
	writeJSON(w, status, v)
}

// errorStatus returns the HTTP status of err.
func errorStatus(err error) int {
	var ae *adminError
	switch {
	case errors.As(err, &ae):
		return ae.status
	case errors.Is(err, ErrUnknownConnection):
		return http.StatusNotFound
	case errors.Is(err, ErrTransitionNotAllowed):
		return http.StatusConflict
	}
	return http.StatusInternalServerError
}

// errorCode returns the Code of err.
func errorCode(err error) string {
	var ae *adminError
	switch {
	case errors.As(err, &ae):
		return ae.code
	case errors.Is(err, ErrUnknownConnection):
		return codeUnknownConnection
	case errors.Is(err, ErrTransitionNotAllowed):
		return codeTransitionNotAllowed
	}
	return codeInternalError
}

// writeJSON writes v as indented JSON with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		status = http.StatusInternalServerError
		buf.Reset()
		_ = json.NewEncoder(&buf).Encode(adminErrorBody{Code: codeInternalError, Message: "encoding the answer: " + err.Error()})
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes()) // a failed write means the client is gone
}

// readBody decodes the JSON object of r's body into v, refusing unknown fields and keys given
// twice. An empty body leaves v as it is when optional, and is refused otherwise.
func readBody(r *http.Request, v any, optional bool) error {
	data, err := io.ReadAll(io.LimitReader(r.Body, maxAdminBody+1))
	switch {
	case err != nil:
		return badInput("reading the body: %v", err)
	case len(data) > maxAdminBody:
		return badInput("the body is larger than %d bytes", maxAdminBody)
	case len(bytes.TrimSpace(data)) == 0 && optional:
		return nil
	case len(bytes.TrimSpace(data)) == 0:
		return badInput("the body must be a JSON object")
	}
	if err := strictjson.Decode(data, v); err != nil {
		return badInput("the body: %v", err)
	}
	return nil
}

// logAdmin logs one request of the admin API that came through the listener.
func (s *Server) logAdmin(method, path string, status int) {
	if s.cfg.logger == nil {
		return
	}
	s.cfg.logger.LogAttrs(context.Background(), slog.LevelInfo, "admin",
		slog.String("method", logField(method)), slog.String("path", logField(path)), slog.Int("status", status))
}
