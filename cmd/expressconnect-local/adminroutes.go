package main

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/expressconnect-go/expressconnect"
	"github.com/expressconnect-go/expressconnect/expressconnecttest"
)

// This file holds the work of each admin route: reading its input, calling the server, and
// returning what to answer. admin.go routes the requests to them and writes the answers.

// listConnections answers the hosted connections, oldest first, deleted ones included.
func listConnections(srv *expressconnecttest.Server, _ *http.Request) (any, error) {
	return srv.Connections(), nil
}

// getConnection answers the hosted connection of the path.
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
		{"terminate", "terminate (Enabled becomes Terminating, then Terminated after 2 s on the server's clock)", by((*expressconnecttest.Server).Terminate)},
		{"cancel", "cancel (Allocated or Confirmed becomes Canceled)", by((*expressconnecttest.Server).Cancel)},
	}
}

// lockInput is the body of the lock route.
type lockInput struct {
	BusinessStatus expressconnect.BusinessStatus `json:"BusinessStatus"`
}

// lockConnection locks the hosted connection of the path as billing, FinancialLocked unless
// the body says SecurityLocked.
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

// requestList is the answer of GET /_sandbox/requests: a page of the log.
type requestList struct {
	// Requests are the requests of the page, oldest first.
	Requests []requestView `json:"Requests"`
	// Dropped counts the older requests the log no longer holds.
	Dropped uint64 `json:"Dropped"`
	// Next is the cursor of the next page, to send as after: the rank of the last request of
	// the page, or the after of the request when the page is empty.
	Next uint64 `json:"Next"`
	// More says whether the log held requests after the page when it was read.
	More bool `json:"More"`
}

// Limits of a page of GET /_sandbox/requests: with each record bounded (see
// expressconnecttest.MaxRecordedFieldBytes), a page is too.
const (
	// defaultRequestsPage is how many requests a page holds when the request says no limit.
	defaultRequestsPage = 100
	// maxRequestsPage is the largest limit a request may ask for.
	maxRequestsPage = 100
)

// requestView is a recorded request as the admin API shows it: an expressconnecttest.Request,
// redacted as the server records it, with its body as text and its fault by name.
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

// listRequests answers a page of the requests the log holds, as the query's after and limit
// ask, and how many it dropped. It copies only the page out of the log.
func listRequests(srv *expressconnecttest.Server, r *http.Request) (any, error) {
	after, limit, err := pageQuery(r.URL.Query())
	if err != nil {
		return nil, err
	}
	page, next := srv.RequestsAfter(after, limit)
	beyond, _ := srv.RequestsAfter(next, 1)
	out := requestList{Requests: make([]requestView, 0, len(page)), Dropped: srv.DroppedRequests(), Next: next, More: len(beyond) > 0}
	for _, rec := range page {
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

// pageQuery returns the after and limit of a query of GET /_sandbox/requests: after is a
// request's rank (0, the default, for the oldest held), limit 1 to maxRequestsPage
// (default defaultRequestsPage). Any other parameter is refused.
func pageQuery(q url.Values) (after uint64, limit int, err error) {
	limit = defaultRequestsPage
	for name, values := range q {
		if name != "after" && name != "limit" {
			return 0, 0, badInput("unknown query parameter %q: the parameters are after and limit", clipped(name))
		}
		if len(values) > 1 {
			return 0, 0, badInput("%s is given more than once", name)
		}
	}
	if v := q.Get("after"); q.Has("after") {
		if after, err = strconv.ParseUint(v, 10, 64); err != nil {
			return 0, 0, badInput("after %q is not a request's rank: a whole number from 0, such as the Next of a page", clipped(v))
		}
	}
	if v := q.Get("limit"); q.Has("limit") {
		n, err := strconv.Atoi(v)
		switch {
		case err != nil:
			return 0, 0, badInput("limit %q is not a whole number", clipped(v))
		case n < 1 || n > maxRequestsPage:
			return 0, 0, badInput("limit %d is not 1 to %d", n, maxRequestsPage)
		}
		limit = n
	}
	return after, limit, nil
}

// resetRequests forgets the requests received.
func resetRequests(srv *expressconnecttest.Server, _ *http.Request) (any, error) {
	srv.ResetRequests()
	return struct{}{}, nil
}

// faultInput is the body of POST /_sandbox/faults.
type faultInput struct {
	Kind          string `json:"Kind"`
	Count         *int   `json:"Count"` // nil: 1
	Action        string `json:"Action"`
	StatusCode    int    `json:"StatusCode"`
	Code          string `json:"Code"`
	Message       string `json:"Message"`
	Delay         string `json:"Delay"`
	Interval      string `json:"Interval"`
	AfterHandling bool   `json:"AfterHandling"`
}

// faultKinds are the Kind values of faultInput.
var faultKinds = map[string]expressconnecttest.FaultKind{
	"none":  expressconnecttest.FaultNone,
	"error": expressconnecttest.FaultError, "throttle": expressconnecttest.FaultThrottle,
	"badgateway": expressconnecttest.FaultBadGateway, "truncate": expressconnecttest.FaultTruncate,
	"delay": expressconnecttest.FaultDelay, "drip": expressconnecttest.FaultDrip,
	"reset": expressconnecttest.FaultReset, "close": expressconnecttest.FaultClose,
}

// fault returns the fault of in and the number of requests it is for; the server checks the
// fault itself.
func (in faultInput) fault() (expressconnecttest.Fault, int, error) {
	kind, ok := faultKinds[strings.ToLower(in.Kind)]
	if !ok {
		return expressconnecttest.Fault{}, 0, badInput("Kind %q is none of none, error, throttle, badgateway, truncate, delay, drip, reset and close", clipped(in.Kind))
	}
	f := expressconnecttest.Fault{Kind: kind, Action: in.Action, StatusCode: in.StatusCode, Code: expressconnect.Code(in.Code),
		Message: in.Message, AfterHandling: in.AfterHandling}
	count := 1
	if in.Count != nil {
		count = *in.Count
	}
	if count < 1 {
		return f, 0, badInput("Count %d is not positive", count)
	}
	for _, d := range []struct {
		name, text string
		to         *time.Duration
	}{{"Delay", in.Delay, &f.Delay}, {"Interval", in.Interval, &f.Interval}} {
		if d.text == "" {
			continue
		}
		v, err := parseDuration(d.text)
		if err != nil || v <= 0 {
			return f, 0, badInput("%s %q must be a duration above 0 and at most %v", d.name, clipped(d.text), expressconnecttest.MaxFaultWait)
		}
		*d.to = v
	}
	return f, count, nil
}

// injectFaults makes the next Count requests of the service fail with the fault of the body.
func injectFaults(srv *expressconnecttest.Server, r *http.Request) (any, error) {
	var in faultInput
	if err := readBody(r, &in, false); err != nil {
		return nil, err
	}
	f, count, err := in.fault()
	if err != nil {
		return nil, err
	}
	if err := srv.InjectFaults(count, f); err != nil {
		return nil, badInput("%s", strings.TrimPrefix(err.Error(), "expressconnecttest: "))
	}
	return struct {
		Kind  string
		Count int
	}{f.Kind.String(), count}, nil
}

// clearFaults removes the pending faults.
func clearFaults(srv *expressconnecttest.Server, _ *http.Request) (any, error) {
	srv.ClearFaults()
	return struct{}{}, nil
}

// putCircuit adds the circuit of the path, or changes it, as the body describes it (enabled
// unless it says otherwise), and answers it as the server holds it, with the server's
// defaults for its zero fields.
func putCircuit(srv *expressconnecttest.Server, r *http.Request) (any, error) {
	id := r.PathValue("id")
	in := fileCircuit{ID: id}
	if err := readBody(r, &in, true); err != nil {
		return nil, err
	}
	if in.ID != id {
		return nil, badInput("the body's ID %q is not the path's %q", in.ID, id)
	}
	c, err := in.circuit()
	if err != nil {
		return nil, badInput("%v", err)
	}
	if err := srv.SetCircuit(c); err != nil {
		return nil, badInput("%v", err)
	}
	for _, held := range srv.Circuits() {
		if held.ID == id {
			return held, nil
		}
	}
	return nil, fmt.Errorf("circuit %s: the server does not list it after setting it", id)
}

// clockView is the answer of the clock routes.
type clockView struct {
	// Now is the time on the server's clock.
	Now time.Time `json:"Now"`
	// Offset is how far it is ahead of the system clock, as measured when answering.
	Offset string `json:"Offset"`
}

// getClock answers the server's time and its offset from the system clock.
func getClock(srv *expressconnecttest.Server, _ *http.Request) (any, error) {
	now := srv.Now()
	return clockView{Now: now, Offset: time.Until(now).Round(time.Second).String()}, nil
}

// clockInput is the body of PUT /_sandbox/clock.
type clockInput struct {
	Offset string `json:"Offset"`
}

// setClock sets the offset of the server's clock.
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

// expireSTS makes the STS credentials expired.
func expireSTS(srv *expressconnecttest.Server, _ *http.Request) (any, error) {
	srv.ExpireSTSCredentials()
	return struct{}{}, nil
}

// resetServer gives the server its configured state again.
func resetServer(srv *expressconnecttest.Server, _ *http.Request) (any, error) {
	srv.Reset()
	return struct{}{}, nil
}
