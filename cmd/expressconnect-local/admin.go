package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/expressconnect-go/expressconnect"
	"github.com/expressconnect-go/expressconnect/expressconnecttest"
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
		adminRoute{http.MethodGet, adminPrefix + "requests", "list the last requests received (Signature and SecurityToken redacted) and how many were dropped", listRequests},
		adminRoute{http.MethodDelete, adminPrefix + "requests", "forget the requests received", resetRequests},
		adminRoute{http.MethodPost, adminPrefix + "faults", `make the next Count requests fail: {"Kind":"error|throttle|badgateway|truncate|delay|drip|reset|close","Count":1,...}`, injectFaults},
		adminRoute{http.MethodDelete, adminPrefix + "faults", "remove the pending faults", clearFaults},
		adminRoute{http.MethodPut, adminPrefix + "circuits/{id}", `add a circuit or change it: {"RegionID":"","Enabled":true,"CapacityMbps":10000,"Quota":16,"QoSBound":false,"Owner":""}`, putCircuit},
		adminRoute{http.MethodGet, adminPrefix + "clock", "show the server's clock", getClock},
		adminRoute{http.MethodPut, adminPrefix + "clock", `set how far the server's clock is ahead of the system clock: {"Offset":"-20m"}`, setClock},
		adminRoute{http.MethodPost, adminPrefix + "sts/expire", "make the STS credentials expired (InvalidSecurityToken.Expired)", expireSTS},
		adminRoute{http.MethodPost, adminPrefix + "reset", "start again from the configured state: no hosted connections, requests, faults or tokens", resetServer},
	)
}

// newAdmin returns the admin API, which logs each of its requests to logger.
func newAdmin(logger *slog.Logger) *admin {
	a := &admin{logger: logger, mux: http.NewServeMux()}
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

// ServeHTTP answers one admin request.
func (a *admin) ServeHTTP(w http.ResponseWriter, r *http.Request) { a.mux.ServeHTTP(w, r) }

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
	if err := decodeStrict(data, v); err != nil {
		return badInput("the body: %v", err)
	}
	return nil
}

func listConnections(srv *expressconnecttest.Server, _ *http.Request) (any, error) {
	return srv.Connections(), nil
}

func getConnection(srv *expressconnecttest.Server, r *http.Request) (any, error) {
	id := r.PathValue("id")
	c, ok := srv.Connection(id)
	if !ok {
		return nil, fmt.Errorf("%w: %q", expressconnecttest.ErrUnknownConnection, id)
	}
	return c, nil
}

// transition is a change of a hosted connection's state that the admin API makes as the
// tenant, billing or the owner.
type transition struct {
	name, doc string
	handle    func(srv *expressconnecttest.Server, r *http.Request) (any, error)
}

// transitions returns the changes of state, each answering the hosted connection after it.
func transitions() []transition {
	by := func(change func(srv *expressconnecttest.Server, id string) error) func(*expressconnecttest.Server, *http.Request) (any, error) {
		return func(srv *expressconnecttest.Server, r *http.Request) (any, error) {
			if err := change(srv, r.PathValue("id")); err != nil {
				return nil, err
			}
			return getConnection(srv, r)
		}
	}
	return []transition{
		{"accept", "accept as the tenant (UnConfirmed and Allocated become Confirmed)", by((*expressconnecttest.Server).AcceptAsTenant)},
		{"reject", "refuse as the tenant (Status becomes Rejected)", by((*expressconnecttest.Server).RejectAsTenant)},
		{"enable", "enable as billing (Confirmed becomes Enabled; or an unpaid ExpectSpec becomes the Spec)", by((*expressconnecttest.Server).EnableAsBilling)},
		{"lock", `lock as billing: {"BusinessStatus":"FinancialLocked"} (the default) or {"BusinessStatus":"SecurityLocked"}`, lockConnection},
		{"unlock", "unlock as billing (BusinessStatus becomes Normal)", by(func(srv *expressconnecttest.Server, id string) error {
			return srv.LockAsBilling(id, expressconnect.BusinessStatusNormal)
		})},
		{"terminate", "terminate (Enabled becomes Terminated)", by((*expressconnecttest.Server).Terminate)},
		{"cancel", "cancel (Allocated or Confirmed becomes Canceled)", by((*expressconnecttest.Server).Cancel)},
	}
}

// lockInput is the body of the lock route.
type lockInput struct {
	BusinessStatus expressconnect.BusinessStatus `json:"BusinessStatus"`
}

func lockConnection(srv *expressconnecttest.Server, r *http.Request) (any, error) {
	in := lockInput{BusinessStatus: expressconnect.BusinessStatusFinancialLocked}
	if err := readBody(r, &in, true); err != nil {
		return nil, err
	}
	if in.BusinessStatus != expressconnect.BusinessStatusFinancialLocked && in.BusinessStatus != expressconnect.BusinessStatusSecurityLocked {
		return nil, badInput("BusinessStatus %q is neither %s nor %s (unlock with POST .../unlock)", in.BusinessStatus,
			expressconnect.BusinessStatusFinancialLocked, expressconnect.BusinessStatusSecurityLocked)
	}
	if err := srv.LockAsBilling(r.PathValue("id"), in.BusinessStatus); err != nil {
		return nil, err
	}
	return getConnection(srv, r)
}

// requestList is the answer of GET /_sandbox/requests.
type requestList struct {
	// Requests are the last requests received, oldest first.
	Requests []requestView `json:"Requests"`
	// Dropped counts the older requests the log no longer holds.
	Dropped uint64 `json:"Dropped"`
}

// requestView is a recorded request as the admin API shows it: an expressconnecttest.Request
// with its body as text, its fault by name, and the headers that carry a signature or a
// token (in the signature of version 3) redacted like the parameters.
type requestView struct {
	RequestID         string
	Time              time.Time
	Method, Path      string
	Action            string
	Header            http.Header
	Params            url.Values
	Body              string
	BodyLength        int64
	Truncated         bool
	SignatureVerified bool
	StatusCode        int
	Code              expressconnect.Code
	ConnectionID      string
	Fault             string
}

// secretHeaders are the request headers whose values the admin API never shows.
var secretHeaders = []string{"Authorization", "X-Acs-Security-Token"}

func listRequests(srv *expressconnecttest.Server, _ *http.Request) (any, error) {
	out := requestList{Requests: []requestView{}, Dropped: srv.DroppedRequests()}
	for _, rec := range srv.Requests() {
		for _, name := range secretHeaders {
			if rec.Header.Get(name) != "" {
				rec.Header.Set(name, "<redacted>")
			}
		}
		fault := ""
		if rec.Fault != expressconnecttest.FaultNone {
			fault = rec.Fault.String()
		}
		out.Requests = append(out.Requests, requestView{RequestID: rec.RequestID, Time: rec.Time, Method: rec.Method,
			Path: rec.Path, Action: rec.Action, Header: rec.Header, Params: rec.Params, Body: string(rec.Body),
			BodyLength: rec.BodyLength, Truncated: rec.Truncated, SignatureVerified: rec.SignatureVerified,
			StatusCode: rec.StatusCode, Code: rec.Code, ConnectionID: rec.ConnectionID, Fault: fault})
	}
	return out, nil
}

func resetRequests(srv *expressconnecttest.Server, _ *http.Request) (any, error) {
	srv.ResetRequests()
	return struct{}{}, nil
}

// faultInput is the body of POST /_sandbox/faults.
type faultInput struct {
	Kind          string `json:"Kind"`
	Count         *int   `json:"Count"` // nil: 1
	StatusCode    int    `json:"StatusCode"`
	Code          string `json:"Code"`
	Message       string `json:"Message"`
	Delay         string `json:"Delay"`
	AfterHandling bool   `json:"AfterHandling"`
}

// faultKinds are the Kind values of faultInput.
var faultKinds = map[string]expressconnecttest.FaultKind{
	"error": expressconnecttest.FaultError, "throttle": expressconnecttest.FaultThrottle,
	"badgateway": expressconnecttest.FaultBadGateway, "truncate": expressconnecttest.FaultTruncate,
	"delay": expressconnecttest.FaultDelay, "drip": expressconnecttest.FaultDrip,
	"reset": expressconnecttest.FaultReset, "close": expressconnecttest.FaultClose,
}

// maxFaultDelay bounds the Delay of a fault.
const maxFaultDelay = 10 * time.Minute

// fault checks in and returns the fault and the number of requests it is for. Each field is
// allowed only with the kinds it applies to, so that a mistake is not silently ignored.
func (in faultInput) fault() (expressconnecttest.Fault, int, error) {
	kind, ok := faultKinds[strings.ToLower(in.Kind)]
	if !ok {
		return expressconnecttest.Fault{}, 0, badInput("Kind %q is none of error, throttle, badgateway, truncate, delay, drip, reset and close", in.Kind)
	}
	f := expressconnecttest.Fault{Kind: kind, StatusCode: in.StatusCode, Code: expressconnect.Code(in.Code),
		Message: in.Message, AfterHandling: in.AfterHandling}
	count := 1
	if in.Count != nil {
		count = *in.Count
	}
	errorOnly := in.StatusCode != 0 || in.Code != "" || in.Message != ""
	switch {
	case count < 1:
		return f, 0, badInput("Count %d is not positive", count)
	case errorOnly && kind != expressconnecttest.FaultError:
		return f, 0, badInput("StatusCode, Code and Message apply to Kind error only")
	case in.StatusCode != 0 && (in.StatusCode < 400 || in.StatusCode > 599):
		return f, 0, badInput("StatusCode %d is not 400 to 599", in.StatusCode)
	case len(in.Code) > 64 || strings.ContainsFunc(in.Code, isSpaceOrControl):
		return f, 0, badInput("Code must be at most 64 characters without white space")
	case len(in.Message) > 1024 || strings.ContainsFunc(in.Message, func(r rune) bool { return r < ' ' }):
		return f, 0, badInput("Message must be at most 1024 bytes on one line")
	case in.AfterHandling && kind != expressconnecttest.FaultReset && kind != expressconnecttest.FaultClose:
		return f, 0, badInput("AfterHandling applies to Kind reset and close only")
	case in.Delay != "" && kind != expressconnecttest.FaultDelay && kind != expressconnecttest.FaultDrip:
		return f, 0, badInput("Delay applies to Kind delay and drip only")
	}
	if in.Delay != "" {
		d, err := parseDuration(in.Delay)
		if err != nil || d <= 0 || d > maxFaultDelay {
			return f, 0, badInput("Delay %q must be a duration above 0 and at most %v", in.Delay, maxFaultDelay)
		}
		f.Delay = d
	}
	return f, count, nil
}

func injectFaults(srv *expressconnecttest.Server, r *http.Request) (any, error) {
	var in faultInput
	if err := readBody(r, &in, false); err != nil {
		return nil, err
	}
	f, count, err := in.fault()
	if err != nil {
		return nil, err
	}
	srv.InjectFaults(count, f)
	return struct {
		Kind  string
		Count int
	}{f.Kind.String(), count}, nil
}

func clearFaults(srv *expressconnecttest.Server, _ *http.Request) (any, error) {
	srv.ClearFaults()
	return struct{}{}, nil
}

func putCircuit(srv *expressconnecttest.Server, r *http.Request) (any, error) {
	c := circuit{ID: r.PathValue("id")}
	if err := readBody(r, &c, true); err != nil {
		return nil, err
	}
	if c.ID != r.PathValue("id") {
		return nil, badInput("the body's ID %q is not the path's %q", c.ID, r.PathValue("id"))
	}
	if err := checkCircuit(c); err != nil {
		return nil, badInput("%v", err)
	}
	tc := c.testCircuit()
	if err := srv.SetCircuit(tc); err != nil {
		return nil, badInput("%v", err)
	}
	return tc, nil
}

// clockView is the answer of the clock routes.
type clockView struct {
	// Now is the time on the server's clock.
	Now time.Time `json:"Now"`
	// Offset is how far it is ahead of the system clock, as measured when answering.
	Offset string `json:"Offset"`
}

func getClock(srv *expressconnecttest.Server, _ *http.Request) (any, error) {
	now := srv.Now()
	return clockView{Now: now, Offset: time.Until(now).Round(time.Second).String()}, nil
}

// clockInput is the body of PUT /_sandbox/clock.
type clockInput struct {
	Offset string `json:"Offset"`
}

func setClock(srv *expressconnecttest.Server, r *http.Request) (any, error) {
	var in clockInput
	if err := readBody(r, &in, false); err != nil {
		return nil, err
	}
	d, err := parseDuration(in.Offset)
	if err != nil {
		return nil, badInput("Offset: %v", err)
	}
	srv.SetClockOffset(d)
	return getClock(srv, r)
}

func expireSTS(srv *expressconnecttest.Server, _ *http.Request) (any, error) {
	srv.ExpireSTSCredentials()
	return struct{}{}, nil
}

func resetServer(srv *expressconnecttest.Server, _ *http.Request) (any, error) {
	srv.Reset()
	return struct{}{}, nil
}
