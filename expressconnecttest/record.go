package expressconnecttest

import (
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/expressconnect-go/expressconnect"
)

// Limits of one [Request] record. They keep the request log of a long-running server small
// whatever its clients send; a record that lacks part of its request says so in
// [Request.Truncated].
const (
	// MaxRecordedBytes is how many bytes of the method, of the URL path and of the form body
	// a record keeps: 4 KiB.
	MaxRecordedBytes = 4 << 10
	// MaxRecordedFieldBytes is how large the Header and the Params of a record may each be,
	// counting every name and every value as its length plus recordedEntryCost bytes: 16 KiB,
	// room for a request with every parameter of the operation at its longest.
	MaxRecordedFieldBytes = 16 << 10
)

// recordedEntryCost is what a name or a value costs a record beyond its bytes, for the map
// entry, slice element and string header that hold it.
const recordedEntryCost = 32

// redacted replaces the values of secret parameters in recorded requests.
const redacted = "<redacted>"

// Request is the record of one request the server received. Its size is bounded: see
// [MaxRecordedBytes] and [MaxRecordedFieldBytes].
type Request struct {
	// RequestID is the RequestId of the answer (and its x-acs-request-id header); it is set
	// even when the answer was never sent.
	RequestID string
	// Time is the server clock's time of arrival.
	Time time.Time
	// Method and Path are the HTTP method and URL path, each cut to [MaxRecordedBytes].
	Method, Path string
	// Action is the Action parameter, or the x-acs-action header of a request without one (a
	// V3-signed request), cut to [MaxRecordedBytes]; empty when there is neither.
	Action string
	// Header is the request's header, as much of it as fits in [MaxRecordedFieldBytes]. The
	// value of x-acs-security-token is replaced by "<redacted>", and so is the signature in an
	// Authorization header (the whole value when it is not of the V3 form).
	Header http.Header
	// Params are the parameters of the URL query and form body together, as many of them as
	// fit in [MaxRecordedFieldBytes] (taken by name in byte order; a value that does not fit is
	// left out, a smaller one after it may still be kept). The values of Signature and
	// SecurityToken are replaced by "<redacted>".
	Params url.Values
	// Body is the start of the form body (application/x-www-form-urlencoded), at most
	// [MaxRecordedBytes] of it, with the values of Signature and SecurityToken replaced by
	// "<redacted>"; nil when there is none. The server reads no other kind of body.
	Body []byte
	// BodyLength is the length of the request's body in bytes: its Content-Length, or for a
	// form body sent without one, the bytes the server read (it stops one byte past
	// [MaxBodyBytes]); -1 when unknown.
	BodyLength int64
	// Truncated reports whether the record lacks part of the request: the end of Method,
	// Path, Action or Body, or values of Header or Params.
	Truncated bool
	// SignatureVerified reports whether the signature matched.
	SignatureVerified bool
	// StatusCode is the HTTP status answered, or 0 when no answer was sent (a connection
	// reset or closed by a fault, or a client that gave up during a delay).
	StatusCode int
	// Code is the error code answered; empty on success and when no answer was sent.
	Code expressconnect.Code
	// ConnectionID is the hosted connection a successful request concerned: the one created,
	// updated or deleted; empty for a list and for a failed request.
	ConnectionID string
	// Fault is the kind of fault injected into the answer, FaultNone when none.
	Fault FaultKind

	// arrival is the request's rank in order of arrival (1 for the first), which orders the
	// log; it is zero in every copy that leaves the server.
	arrival uint64
}

// newRecord returns the bounded record of r, whose parameters (URL query and form body
// together) are params and whose form body is body. It copies what it keeps, so that the
// record holds on to nothing of the request itself.
func newRecord(r *http.Request, params url.Values, body []byte) Request {
	rec := Request{BodyLength: r.ContentLength}
	if rec.BodyLength < 0 && body != nil {
		rec.BodyLength = int64(len(body))
	}
	var cut [6]bool
	rec.Method, cut[0] = clip(r.Method)
	rec.Path, cut[1] = clip(r.URL.Path)
	action := params.Get("Action")
	if action == "" {
		action = r.Header.Get("x-acs-action")
	}
	rec.Action, cut[2] = clip(action)
	rec.Header, cut[3] = boundedFields(r.Header, redactedHeader)
	rec.Params, cut[4] = boundedFields(params, redactedParam)
	if body != nil {
		rec.Body, cut[5] = redactedBody(body)
	}
	rec.Truncated = slices.Contains(cut[:], true)
	return rec
}

// secretParam reports whether the parameter name carries a secret, which no record keeps.
func secretParam(name string) bool {
	return name == "Signature" || name == "SecurityToken"
}

// redactedParam returns the value of the parameter name as a record keeps it.
func redactedParam(name, value string) string {
	if secretParam(name) {
		return redacted
	}
	return value
}

// redactedHeader returns the value of the header name as a record keeps it: without the
// security token, and an Authorization header without its signature.
func redactedHeader(name, value string) string {
	switch {
	case strings.EqualFold(name, "x-acs-security-token"):
		return redacted
	case !strings.EqualFold(name, "Authorization"):
		return value
	}
	i := strings.LastIndex(value, ",Signature=")
	if i < 0 || strings.Contains(value[i+1:], ",") {
		return redacted
	}
	return value[:i] + ",Signature=" + redacted
}

// clip returns a copy of the first MaxRecordedBytes bytes of s, and whether s was longer.
func clip(s string) (string, bool) {
	if len(s) <= MaxRecordedBytes {
		return strings.Clone(s), false
	}
	return strings.Clone(s[:MaxRecordedBytes]), true
}

// boundedFields returns a copy of fields (a header or parameters), taking names in byte
// order and keeping each value, as redact returns it, that still fits in
// MaxRecordedFieldBytes. dropped reports whether a value was left out.
func boundedFields[M ~map[string][]string](fields M, redact func(name, value string) string) (kept M, dropped bool) {
	if fields == nil {
		return nil, false
	}
	kept = M{}
	left := MaxRecordedFieldBytes
	for _, name := range slices.Sorted(maps.Keys(fields)) {
		for _, v := range fields[name] {
			v = redact(name, v)
			cost := len(v) + recordedEntryCost
			if _, ok := kept[name]; !ok {
				cost += len(name) + recordedEntryCost
			}
			if cost > left {
				dropped = true
				continue
			}
			left -= cost
			name := strings.Clone(name) // a name from a parser may share the request's memory
			kept[name] = append(kept[name], strings.Clone(v))
		}
	}
	return kept, dropped
}

// redactedBody returns the start of the form body, at most MaxRecordedBytes of it, with the
// values of secret parameters replaced by "<redacted>", and whether it is cut short.
func redactedBody(body []byte) ([]byte, bool) {
	pairs := strings.Split(string(body), "&")
	for i, pair := range pairs {
		key, _, _ := strings.Cut(pair, "=")
		if name, err := url.QueryUnescape(key); err == nil && secretParam(name) {
			pairs[i] = key + "=" + redacted
		}
	}
	full := strings.Join(pairs, "&")
	if len(full) <= MaxRecordedBytes {
		return []byte(full), false
	}
	return []byte(full[:MaxRecordedBytes]), true
}

// clone returns a deep copy of r, without its arrival rank.
func (r Request) clone() Request {
	r.arrival = 0
	r.Header = r.Header.Clone()
	if r.Params != nil {
		params := make(url.Values, len(r.Params))
		for k, v := range r.Params {
			params[k] = slices.Clone(v)
		}
		r.Params = params
	}
	r.Body = slices.Clone(r.Body)
	return r
}
