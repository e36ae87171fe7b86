package expressconnecttest

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/expressconnect-go/expressconnect"
)

// This file holds the work of each admin route: reading its input, changing or reading the
// server, and returning what to answer. adminapi.go routes the requests to them and writes the
// answers. The JSON field names are those of the service's API where it has the field
// (RequestId, RegionId, PhysicalConnectionId, VlanId, VirtualPhysicalConnectionStatus, ...),
// and the Go field names otherwise (CapacityMbps, CreatedAt, ...).

// routeIndex is the answer of GET /_sandbox/.
type routeIndex struct {
	// Routes are the routes, one line each: method, path and what it does.
	Routes []string `json:"Routes"`
	// Actions are the API actions the server serves, in alphabetical order.
	Actions []string `json:"Actions"`
}

// listRoutes answers the routes and the actions the server serves.
func listRoutes(*Server, *http.Request) (any, error) {
	var lines []string
	for _, rt := range adminRoutes() {
		lines = append(lines, rt.method+" "+strings.TrimSuffix(rt.path, "{$}")+": "+rt.doc)
	}
	return routeIndex{Routes: lines, Actions: servedActions()}, nil
}

// listConnections answers the hosted connections, oldest first, deleted ones included.
func listConnections(s *Server, _ *http.Request) (any, error) {
	return s.store.connections(s.clock.now()), nil
}

// getConnection answers the hosted connection of the path.
func getConnection(s *Server, r *http.Request) (any, error) {
	id := r.PathValue("id")
	c, ok := s.store.connection(id, s.clock.now())
	if !ok {
		return nil, fmt.Errorf("%w: %q", ErrUnknownConnection, clipped(id))
	}
	return c, nil
}

// connectionChange is a route that changes a hosted connection's state as the tenant or
// billing does.
type connectionChange struct {
	// route is the last element of the route's path.
	route string
	// doc says what it does, for the index.
	doc string
	// transition returns the change the request asks for.
	transition func(r *http.Request) (transition, error)
}

// connectionChanges are the routes that change a hosted connection's state.
var connectionChanges = []connectionChange{
	{"accept", "accept as the tenant (UnConfirmed and Allocated become Confirmed)", fixed(accept)},
	{"reject", "refuse as the tenant (Status becomes Rejected)", fixed(reject)},
	{"enable", "enable as billing (Confirmed becomes Enabled; or an unpaid ExpectSpec becomes the Spec)", fixed(enable)},
	{"lock", `lock as billing: {"BusinessStatus":"FinancialLocked"} (the default) or {"BusinessStatus":"SecurityLocked"}`, lockTransition},
	{"unlock", "unlock as billing (BusinessStatus becomes Normal)", fixed(unlock)},
}

// fixed returns a transition function for a route that takes no body.
func fixed(t transition) func(*http.Request) (transition, error) {
	return func(*http.Request) (transition, error) { return t, nil }
}

// lockInput is the body of the lock route.
type lockInput struct {
	BusinessStatus expressconnect.BusinessStatus `json:"BusinessStatus"`
}

// lockTransition returns billing's lock, FinancialLocked unless the body says SecurityLocked.
func lockTransition(r *http.Request) (transition, error) {
	in := lockInput{BusinessStatus: expressconnect.BusinessStatusFinancialLocked}
	if err := readBody(r, &in, true); err != nil {
		return transition{}, err
	}
	if in.BusinessStatus != expressconnect.BusinessStatusFinancialLocked && in.BusinessStatus != expressconnect.BusinessStatusSecurityLocked {
		return transition{}, badInput("BusinessStatus %q is neither %s nor %s (unlock with POST .../unlock)", clipped(string(in.BusinessStatus)),
			expressconnect.BusinessStatusFinancialLocked, expressconnect.BusinessStatusSecurityLocked)
	}
	return lock(in.BusinessStatus), nil
}

// changeConnection makes the change of the route to the hosted connection of the path, and
// answers it after the change.
func changeConnection(s *Server, r *http.Request) (any, error) {
	route := r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:]
	for _, c := range connectionChanges {
		if c.route != route {
			continue
		}
		t, err := c.transition(r)
		if err != nil {
			return nil, err
		}
		if err := s.store.transition(r.PathValue("id"), s.clock.now(), t); err != nil {
			return nil, err
		}
		return getConnection(s, r)
	}
	return nil, fmt.Errorf("no change of state is named %q", clipped(route))
}

// listCircuits answers the circuits, in the order of their IDs.
func listCircuits(s *Server, _ *http.Request) (any, error) {
	return s.store.circuitList(s.clock.now()), nil
}

// circuitInput is the body of PUT /_sandbox/circuits/{id}: a Circuit, whose Status may be
// given as Enabled instead.
type circuitInput struct {
	ID           string                `json:"PhysicalConnectionId"`
	RegionID     string                `json:"RegionId"`
	Enabled      *bool                 `json:"Enabled"` // nil: as Status says; false: Allocated
	Status       expressconnect.Status `json:"Status"`
	CapacityMbps int                   `json:"CapacityMbps"`
	Quota        int                   `json:"Quota"`
	QoSBound     bool                  `json:"QoSBound"`
	Owner        string                `json:"Owner"`
}

// putCircuit adds the circuit of the path, or changes it, as the body describes it (enabled
// unless it says otherwise), and answers it as the server holds it, with the server's
// defaults for its zero fields.
func putCircuit(s *Server, r *http.Request) (any, error) {
	id := r.PathValue("id")
	in := circuitInput{ID: id}
	if err := readBody(r, &in, true); err != nil {
		return nil, err
	}
	if in.ID != id {
		return nil, badInput("the body's PhysicalConnectionId %q is not the path's %q", clipped(in.ID), clipped(id))
	}
	c := Circuit{ID: id, RegionID: in.RegionID, Status: in.Status, CapacityMbps: in.CapacityMbps, Quota: in.Quota,
		QoSBound: in.QoSBound, Owner: in.Owner}
	switch {
	case in.Enabled != nil && in.Status != "":
		return nil, badInput("circuit %s: give Enabled or Status, not both", clipped(id))
	case in.Enabled != nil && *in.Enabled:
		c.Status = expressconnect.StatusEnabled
	case in.Enabled != nil:
		c.Status = expressconnect.StatusAllocated
	}
	held, err := s.setCircuit(c)
	if err != nil {
		return nil, badInput("%v", err)
	}
	return held, nil
}

// setCircuit adds c or changes the circuit with its ID, keeping the hosted connections
// already on it, and returns it as the server holds it.
func (s *Server) setCircuit(c Circuit) (Circuit, error) {
	c, err := c.withDefaults(s.cfg.regionID, s.cfg.accountID)
	if err != nil {
		return c, err
	}
	s.store.putCircuit(c)
	return c, nil
}

// requestPageJSON is the answer of GET /_sandbox/requests: a page of the log.
type requestPageJSON struct {
	// Requests are the requests of the page, oldest first.
	Requests []requestJSON `json:"Requests"`
	// Dropped counts the older requests the log no longer holds.
	Dropped uint64 `json:"Dropped"`
	// Next is the cursor of the next page, to send as after: the rank of the last request of
	// the page, or the after of the request when the page is empty.
	Next uint64 `json:"Next"`
	// More says whether the log held requests after the page when it was read.
	More bool `json:"More"`
}

// requestJSON is a Request as the admin API shows it: its body as text and its fault by the
// name of its kind in the faults route ("" for none).
type requestJSON struct {
	RequestID         string              `json:"RequestId"`
	Time              time.Time           `json:"Time"`
	Method            string              `json:"Method"`
	Path              string              `json:"Path"`
	Action            string              `json:"Action"`
	Header            http.Header         `json:"Header"`
	Params            url.Values          `json:"Params"`
	Body              string              `json:"Body"`
	BodyLength        int64               `json:"BodyLength"`
	Truncated         bool                `json:"Truncated"`
	SignatureVerified bool                `json:"SignatureVerified"`
	StatusCode        int                 `json:"StatusCode"`
	Code              expressconnect.Code `json:"Code"`
	ConnectionID      string              `json:"ConnectionId"`
	Fault             string              `json:"Fault"`
}

// requestToJSON returns r as the admin API shows it.
func requestToJSON(r Request) requestJSON {
	fault := ""
	if r.Fault != FaultNone {
		fault = faultKindName(r.Fault)
	}
	return requestJSON{RequestID: r.RequestID, Time: r.Time, Method: r.Method, Path: r.Path, Action: r.Action,
		Header: r.Header, Params: r.Params, Body: string(r.Body), BodyLength: r.BodyLength, Truncated: r.Truncated,
		SignatureVerified: r.SignatureVerified, StatusCode: r.StatusCode, Code: r.Code, ConnectionID: r.ConnectionID, Fault: fault}
}

// request returns the Request that j shows.
func (j requestJSON) request() Request {
	r := Request{RequestID: j.RequestID, Time: j.Time, Method: j.Method, Path: j.Path, Action: j.Action, Header: j.Header,
		Params: j.Params, BodyLength: j.BodyLength, Truncated: j.Truncated, SignatureVerified: j.SignatureVerified,
		StatusCode: j.StatusCode, Code: j.Code, ConnectionID: j.ConnectionID}
	if j.Body != "" {
		r.Body = []byte(j.Body)
	}
	r.Fault, _ = faultKindNamed(j.Fault)
	return r
}

// Limits of a page of GET /_sandbox/requests: with each record bounded (see
// MaxRecordedFieldBytes), a page is too.
const (
	// defaultRequestsPage is how many requests a page holds when the request says no limit.
	defaultRequestsPage = 100
	// maxRequestsPage is the largest limit a request may ask for.
	maxRequestsPage = 100
)

// listRequests answers a page of the requests the log holds, as the query's after and limit
// ask, and how many it dropped. It copies only the page out of the log.
func listRequests(s *Server, r *http.Request) (any, error) {
	after, limit, err := pageQuery(r.URL.Query())
	if err != nil {
		return nil, err
	}
	page, next := s.log.after(after, limit)
	beyond, _ := s.log.after(next, 1)
	out := requestPageJSON{Requests: make([]requestJSON, 0, len(page)), Dropped: s.log.droppedCount(), Next: next, More: len(beyond) > 0}
	for _, rec := range page {
		out.Requests = append(out.Requests, requestToJSON(rec))
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

// faultJSON is the body of POST /_sandbox/faults: a Fault, with the name of its kind and its
// durations as Go writes them, and the number of requests it is for.
type faultJSON struct {
	Kind          string `json:"Kind"`
	Count         *int   `json:"Count,omitempty"` // nil: 1
	Action        string `json:"Action,omitempty"`
	StatusCode    int    `json:"StatusCode,omitempty"`
	Code          string `json:"Code,omitempty"`
	Message       string `json:"Message,omitempty"`
	Delay         string `json:"Delay,omitempty"`
	Interval      string `json:"Interval,omitempty"`
	AfterHandling bool   `json:"AfterHandling,omitempty"`
}

// faultToJSON returns f for count requests as the faults route takes it.
func faultToJSON(f Fault, count int) faultJSON {
	j := faultJSON{Kind: faultKindName(f.Kind), Count: &count, Action: f.Action, StatusCode: f.StatusCode,
		Code: string(f.Code), Message: f.Message, AfterHandling: f.AfterHandling}
	if f.Delay != 0 {
		j.Delay = f.Delay.String()
	}
	if f.Interval != 0 {
		j.Interval = f.Interval.String()
	}
	return j
}

// fault returns the fault of j and the number of requests it is for; Fault.check checks the
// fault itself.
func (j faultJSON) fault() (Fault, int, error) {
	kind, ok := faultKindNamed(strings.ToLower(j.Kind))
	if !ok || j.Kind == "" {
		return Fault{}, 0, badInput("Kind %q is none of %s", clipped(j.Kind), strings.Join(faultKindNames(), ", "))
	}
	f := Fault{Kind: kind, Action: j.Action, StatusCode: j.StatusCode, Code: expressconnect.Code(j.Code),
		Message: j.Message, AfterHandling: j.AfterHandling}
	count := 1
	if j.Count != nil {
		count = *j.Count
	}
	if count < 1 {
		return f, 0, badInput("Count %d is not positive", count)
	}
	for _, d := range []struct {
		name, text string
		to         *time.Duration
	}{{"Delay", j.Delay, &f.Delay}, {"Interval", j.Interval, &f.Interval}} {
		if d.text == "" {
			continue
		}
		v, err := time.ParseDuration(d.text)
		if err != nil {
			return f, 0, badInput("%s %q is not a duration such as \"3s\"", d.name, clipped(d.text))
		}
		*d.to = v
	}
	if err := f.check(); err != nil {
		return f, 0, badInput("%v", err)
	}
	return f, count, nil
}

// injectedJSON is the answer of POST /_sandbox/faults.
type injectedJSON struct {
	Kind  string `json:"Kind"`
	Count int    `json:"Count"`
}

// injectFaults makes the next Count requests of the service that the fault applies to fail
// with it.
func injectFaults(s *Server, r *http.Request) (any, error) {
	var in faultJSON
	if err := readBody(r, &in, false); err != nil {
		return nil, err
	}
	f, count, err := in.fault()
	if err != nil {
		return nil, err
	}
	s.faults.inject(count, f)
	return injectedJSON{Kind: faultKindName(f.Kind), Count: count}, nil
}

// clearFaults removes the pending faults.
func clearFaults(s *Server, _ *http.Request) (any, error) {
	s.faults.clear()
	return struct{}{}, nil
}

// clockJSON is the answer of the clock routes, and the body of PUT /_sandbox/clock (whose Now
// is not read).
type clockJSON struct {
	// Now is the time on the server's clock.
	Now time.Time `json:"Now,omitzero"`
	// Offset is how far it is ahead of the system clock, as Go writes durations.
	Offset string `json:"Offset"`
}

// getClock answers the server's time and its offset from the system clock.
func getClock(s *Server, _ *http.Request) (any, error) {
	return clockJSON{Now: s.clock.now(), Offset: s.clock.getOffset().String()}, nil
}

// setClock sets the offset of the server's clock.
func setClock(s *Server, r *http.Request) (any, error) {
	var in struct {
		Offset string `json:"Offset"`
	}
	if err := readBody(r, &in, false); err != nil {
		return nil, err
	}
	d, err := time.ParseDuration(in.Offset)
	if err != nil {
		return nil, badInput("Offset %q is not a duration such as \"90s\" or \"-20m\"", clipped(in.Offset))
	}
	s.clock.setOffset(d)
	return getClock(s, r)
}

// expireSTS makes the STS credentials expired.
func expireSTS(s *Server, _ *http.Request) (any, error) {
	s.auth.expireSTS()
	return struct{}{}, nil
}

// resetServer gives the server its configured state again.
func resetServer(s *Server, _ *http.Request) (any, error) {
	s.reset()
	return struct{}{}, nil
}
