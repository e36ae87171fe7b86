package expressconnecttest

import (
	"net/http"
	"net/url"
	"slices"
	"sync"
	"time"
)

// redacted replaces the values of secret parameters in recorded requests.
const redacted = "<redacted>"

// Request is the record of one request the server received.
type Request struct {
	// RequestID is the RequestId of the answer (and its x-acs-request-id header); it is set
	// even when the answer was never sent.
	RequestID string
	// Time is the server clock's time of arrival.
	Time time.Time
	// Method and Path are the HTTP method and URL path.
	Method, Path string
	// Header is the request's header.
	Header http.Header
	// Params are the parameters of the URL query and form body together. The values of
	// Signature and SecurityToken are replaced by "<redacted>".
	Params url.Values
	// SignatureVerified reports whether the signature matched.
	SignatureVerified bool
	// StatusCode is the HTTP status answered, or 0 when no answer was sent (a connection
	// reset or closed by a fault, or a client that gave up during a delay).
	StatusCode int
	// Code is the error code answered; empty on success and when no answer was sent.
	Code string
	// ConnectionID is the hosted connection answered on success.
	ConnectionID string
	// Fault is the kind of fault injected into the answer, FaultNone when none.
	Fault FaultKind

	// arrival is the request's rank in order of arrival (1 for the first), which orders the
	// log; it is zero in every copy that leaves the server.
	arrival uint64
}

// clone returns a deep copy of r, without its arrival rank.
func (r Request) clone() Request {
	r.arrival = 0
	r.Header = r.Header.Clone()
	params := make(url.Values, len(r.Params))
	for k, v := range r.Params {
		params[k] = append([]string(nil), v...)
	}
	r.Params = params
	return r
}

// redactParams returns a copy of params with secret values replaced.
func redactParams(params url.Values) url.Values {
	out := make(url.Values, len(params))
	for k, v := range params {
		v = append([]string(nil), v...)
		if k == "Signature" || k == "SecurityToken" {
			for i := range v {
				v[i] = redacted
			}
		}
		out[k] = v
	}
	return out
}

// requestLog is the list of requests received, in order of arrival. It is safe for concurrent
// use.
type requestLog struct {
	mu       sync.Mutex
	arrivals uint64 // requests arrived so far
	entries  []logEntry
}

// logEntry is a recorded request with its arrival rank.
type logEntry struct {
	arrival uint64
	req     Request
}

// arrive returns the arrival rank of a request that just arrived.
func (l *requestLog) arrive() uint64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.arrivals++
	return l.arrivals
}

// add records r at its place in order of arrival. Requests are usually answered in the order
// they arrive, so the place is almost always the end.
func (l *requestLog) add(r Request) {
	e := logEntry{arrival: r.arrival, req: r.clone()}
	l.mu.Lock()
	defer l.mu.Unlock()
	i := len(l.entries)
	for i > 0 && l.entries[i-1].arrival > e.arrival {
		i--
	}
	l.entries = slices.Insert(l.entries, i, e)
}

func (l *requestLog) all() []Request {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]Request, len(l.entries))
	for i, e := range l.entries {
		out[i] = e.req.clone()
	}
	return out
}

func (l *requestLog) reset() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.entries = nil
}
