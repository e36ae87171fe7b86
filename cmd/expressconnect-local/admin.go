package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"

	"github.com/expressconnect-go/expressconnect/expressconnecttest"
	"github.com/expressconnect-go/expressconnect/internal/strictjson"
)

// This file is the admin API: plain JSON over HTTP under adminPrefix, without Alibaba Cloud
// signatures, to look at the sandbox's state and to act as the tenant, billing and the clock.
// Its routes are listed in adminRoutes; main.go's documentation and the help show them with
// curl examples.

// adminPrefix is the path prefix of the admin API. The service's API is served at "/" only,
// so no request of the service's clients starts with it.
const adminPrefix = "/_sandbox/"

// maxAdminBody bounds the JSON body of an admin request.
const maxAdminBody = 64 << 10

// admin serves the admin API for the server it is given once the server has started.
type admin struct {
	srv    atomic.Pointer[expressconnecttest.Server]
	logger *slog.Logger
	guard  adminGuard
	mux    *http.ServeMux
}

// adminRoute is one route of the admin API.
type adminRoute struct {
	method string
	// path is an http.ServeMux pattern without a method, such as
	// "/_sandbox/connections/{id}/accept".
	path string
	// doc says what the route does, for the index.
	doc string
	// handle does the work and returns what to answer, as JSON; its error decides the status.
	handle func(srv *expressconnecttest.Server, r *http.Request) (any, error)
}

// adminError is an error of the admin API with the HTTP status it is answered with.
type adminError struct {
	status int
	msg    string
}

func (e *adminError) Error() string { return e.msg }

// badInput returns an HTTP 400 error.
func badInput(format string, args ...any) error {
	return &adminError{status: http.StatusBadRequest, msg: fmt.Sprintf(format, args...)}
}

// errorBody is the body of every error answer of the admin API.
type errorBody struct {
	Error string `json:"Error"`
}

// adminRoutes returns the routes of the admin API.
func adminRoutes() []adminRoute {
	routes := []adminRoute{
		{http.MethodGet, adminPrefix + "{$}", "list the routes", listRoutes},
		{http.MethodGet, adminPrefix + "connections", "list the hosted connections, oldest first, deleted ones included", listConnections},
		{http.MethodGet, adminPrefix + "connections/{id}", "show one hosted connection", getConnection},
	}
	for _, t := range transitions() {
		routes = append(routes, adminRoute{http.MethodPost, adminPrefix + "connections/{id}/" + t.name, t.doc, t.handle})
	}
	return append(routes,
		adminRoute{http.MethodGet, adminPrefix + "requests", "list a page of the last requests received (credentials redacted), " +
			"how many were dropped, the Next cursor and whether there are More: ?after=Next&limit=1..100 (default 100)", listRequests},
		adminRoute{http.MethodDelete, adminPrefix + "requests", "forget the requests received", resetRequests},
		adminRoute{http.MethodPost, adminPrefix + "faults", `make the next Count requests (of one Action, or any) fail: {"Kind":"none|error|throttle|badgateway|truncate|delay|drip|reset|close","Count":1,"Action":"",...}`, injectFaults},
		adminRoute{http.MethodDelete, adminPrefix + "faults", "remove the pending faults", clearFaults},
		adminRoute{http.MethodPut, adminPrefix + "circuits/{id}", `add a circuit or change it: {"RegionID":"","Status":"Enabled","CapacityMbps":10000,"Quota":16,"QoSBound":false,"Owner":""} ("Enabled":false is Status Allocated)`, putCircuit},
		adminRoute{http.MethodGet, adminPrefix + "clock", "show the server's clock", getClock},
		adminRoute{http.MethodPut, adminPrefix + "clock", `set how far the server's clock is ahead of the system clock: {"Offset":"-20m"}`, setClock},
		adminRoute{http.MethodPost, adminPrefix + "sts/expire", "make the STS credentials expired (InvalidSecurityToken.Expired)", expireSTS},
		adminRoute{http.MethodPost, adminPrefix + "reset", "start again from the configured state: no hosted connections, requests, faults or tokens", resetServer},
	)
}

// newAdmin returns the admin API, which checks every request with guard and logs each to
// logger.
func newAdmin(logger *slog.Logger, guard adminGuard) *admin {
	a := &admin{logger: logger, guard: guard, mux: http.NewServeMux()}
	routes := adminRoutes()
	byPath := map[string][]adminRoute{}
	var paths []string
	for _, rt := range routes {
		if _, ok := byPath[rt.path]; !ok {
			paths = append(paths, rt.path)
		}
		byPath[rt.path] = append(byPath[rt.path], rt)
	}
	for _, path := range paths {
		a.mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) { a.dispatch(w, r, byPath[path]) })
	}
	a.mux.HandleFunc(adminPrefix, func(w http.ResponseWriter, r *http.Request) {
		a.respond(w, r, nil, &adminError{status: http.StatusNotFound,
			msg: fmt.Sprintf("no admin route %s %s; GET %s lists them", r.Method, r.URL.Path, adminPrefix)})
	})
	return a
}

// start makes the admin API serve srv.
func (a *admin) start(srv *expressconnecttest.Server) { a.srv.Store(srv) }

// ServeHTTP answers one admin request that the guard lets through.
func (a *admin) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if err := a.guard.check(r); err != nil {
		if errorStatus(err) == http.StatusUnauthorized {
			w.Header().Set("WWW-Authenticate", adminAuthRealm)
		}
		a.respond(w, r, nil, err)
		return
	}
	a.mux.ServeHTTP(w, r)
}

// dispatch runs the route of routes (which share a path) whose method is the request's.
func (a *admin) dispatch(w http.ResponseWriter, r *http.Request, routes []adminRoute) {
	i := slices.IndexFunc(routes, func(rt adminRoute) bool { return rt.method == r.Method })
	if i < 0 {
		var allowed []string
		for _, rt := range routes {
			allowed = append(allowed, rt.method)
		}
		w.Header().Set("Allow", strings.Join(allowed, ", "))
		a.respond(w, r, nil, &adminError{status: http.StatusMethodNotAllowed,
			msg: fmt.Sprintf("%s takes %s, not %s", r.URL.Path, strings.Join(allowed, " or "), r.Method)})
		return
	}
	srv := a.srv.Load()
	if srv == nil {
		a.respond(w, r, nil, &adminError{status: http.StatusServiceUnavailable, msg: "the server is starting"})
		return
	}
	v, err := routes[i].handle(srv, r)
	a.respond(w, r, v, err)
}

// respond answers v as JSON, or err as {"Error": "..."} with its status, and logs the request.
func (a *admin) respond(w http.ResponseWriter, r *http.Request, v any, err error) {
	status := http.StatusOK
	if err != nil {
		status, v = errorStatus(err), errorBody{Error: err.Error()}
	}
	writeJSON(w, status, v)
	logAdmin(a.logger, r.Method, r.URL.Path, status)
}

// errorStatus returns the HTTP status of err.
func errorStatus(err error) int {
	var ae *adminError
	switch {
	case errors.As(err, &ae):
		return ae.status
	case errors.Is(err, expressconnecttest.ErrUnknownConnection):
		return http.StatusNotFound
	case errors.Is(err, expressconnecttest.ErrTransitionNotAllowed):
		return http.StatusConflict
	}
	return http.StatusInternalServerError
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
		_ = json.NewEncoder(&buf).Encode(errorBody{Error: "encoding the answer: " + err.Error()})
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes()) // a failed write means the client is gone
}

// adminOff returns the handler of the admin prefix when the admin API is off.
func adminOff(logger *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusNotFound, errorBody{Error: "the admin API is off: the command runs with -admin=false"})
		logAdmin(logger, r.Method, r.URL.Path, http.StatusNotFound)
	})
}

// listRoutes answers GET /_sandbox/ with the routes, one line each.
func listRoutes(*expressconnecttest.Server, *http.Request) (any, error) {
	var lines []string
	for _, rt := range adminRoutes() {
		lines = append(lines, rt.method+" "+strings.TrimSuffix(rt.path, "{$}")+": "+rt.doc)
	}
	return struct{ Routes []string }{lines}, nil
}

// readBody decodes the JSON object of r's body into v, refusing unknown fields. An empty body
// leaves v as it is when optional, and is refused otherwise.
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
