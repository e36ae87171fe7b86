package expressconnecttest

import (
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/expressconnect-go/expressconnect"
	"github.com/expressconnect-go/expressconnect/internal/keyid"
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
	// Header is the request's header, as much of it as fits in [MaxRecordedFieldBytes], with
	// every name and only the values that carry no credential: those of Accept,
	// Accept-Encoding, Accept-Language, Cache-Control, Connection, Content-Encoding,
	// Content-Length, Content-Type, Date, Expect, Host, User-Agent, X-Sdk-Client,
	// X-Sdk-Invoke-Type and the x-acs- headers x-acs-action, x-acs-version, x-acs-date,
	// x-acs-signature-nonce, x-acs-signature-method, x-acs-signature-version,
	// x-acs-content-sha256 and x-acs-request-id. An Authorization header keeps its scheme, the
	// AccessKeyId of its Credential masked as the client masks it and its SignedHeaders, with
	// its Signature replaced ("ACS3-HMAC-SHA256 Credential=LTAI****ey01,SignedHeaders=host;
	// x-acs-action,Signature=<redacted>"). Every other value (x-acs-security-token,
	// x-acs-bearer-token, Proxy-Authorization, Cookie, any header of the client's own) is
	// replaced by "<redacted>".
	Header http.Header
	// Params are the parameters of the URL query and form body together, as many of them as
	// fit in [MaxRecordedFieldBytes] (taken by name in byte order; a value that does not fit is
	// left out, a smaller one after it may still be kept). The values of the parameters that
	// carry a credential are replaced by "<redacted>": Signature, SecurityToken, BearerToken,
	// AccessKeySecret, and every name that holds token, secret, password, signature, cookie or
	// authorization in any case, except the service's SignatureMethod, SignatureVersion,
	// SignatureNonce, SignatureType, Token, ClientToken and NextToken, which carry none.
	Params url.Values
	// Body is the start of the form body (application/x-www-form-urlencoded), at most
	// [MaxRecordedBytes] of it, with the values of the parameters that carry a credential (as
	// in Params) replaced by "<redacted>"; nil when there is none. The server reads no other kind of body.
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

// publicParams are the parameters of the service whose names hold one of secretWords but
// whose values carry no credential: the signature's method, version and nonce, and the client
// and page tokens, which a client chooses or gets to tell requests apart. A record keeps them.
var publicParams = map[string]bool{
	"SignatureMethod": true, "SignatureVersion": true, "SignatureNonce": true, "SignatureType": true,
	"Token": true, "ClientToken": true, "NextToken": true,
}

// secretWords are the words, in lower case, that mark a name as carrying a credential.
var secretWords = []string{"token", "secret", "password", "signature", "cookie", "authorization"}

// secretParam reports whether the parameter name carries a credential, whose value no record
// keeps: Signature, SecurityToken, BearerToken, AccessKeySecret, and every other name that
// holds one of secretWords in any case, except publicParams.
func secretParam(name string) bool {
	if publicParams[name] {
		return false
	}
	lower := strings.ToLower(name)
	return slices.ContainsFunc(secretWords, func(w string) bool { return strings.Contains(lower, w) })
}

// redactedParam returns the value of the parameter name as a record keeps it.
func redactedParam(name, value string) string {
	if secretParam(name) {
		return redacted
	}
	return value
}

// publicHeaders are the headers, in canonical form, whose values a record keeps: those of
// HTTP that carry no credential and the common headers of the service's V3 signature that
// are not secrets (x-acs-security-token and x-acs-bearer-token are).
var publicHeaders = map[string]bool{
	"Accept": true, "Accept-Encoding": true, "Accept-Language": true, "Cache-Control": true,
	"Connection": true, "Content-Encoding": true, "Content-Length": true, "Content-Type": true,
	"Date": true, "Expect": true, "Host": true, "User-Agent": true,
	"X-Acs-Action": true, "X-Acs-Version": true, "X-Acs-Date": true, "X-Acs-Signature-Nonce": true,
	"X-Acs-Signature-Method": true, "X-Acs-Signature-Version": true, "X-Acs-Content-Sha256": true,
	"X-Acs-Request-Id": true, "X-Sdk-Client": true, "X-Sdk-Invoke-Type": true,
}

// redactedHeader returns the value of the header name as a record keeps it: as sent for
// publicHeaders, the scheme, masked AccessKeyId and signed header names of an Authorization
// header, and "<redacted>" for every other header, whose name the record still shows.
func redactedHeader(name, value string) string {
	name = http.CanonicalHeaderKey(name)
	switch {
	case publicHeaders[name]:
		return value
	case name == "Authorization":
		return redactedAuthorization(value)
	}
	return redacted
}

// maxSchemeBytes bounds the scheme of an Authorization header that a record keeps.
const maxSchemeBytes = 32

// redactedAuthorization returns what a record keeps of an Authorization header: its scheme
// (such as ACS3-HMAC-SHA256) and, in the order sent, the AccessKeyId of its Credential masked
// as the client masks it ("LTAI****ey01"), its SignedHeaders (header names, which show what
// the signature covers) and its Signature as "<redacted>"; every other field is left out. It
// is the scheme and "<redacted>" when the header has none of those fields, and "<redacted>"
// alone when it does not start with a scheme.
func redactedAuthorization(value string) string {
	scheme, rest, ok := strings.Cut(value, " ")
	if !ok || scheme == "" || len(scheme) > maxSchemeBytes || strings.ContainsFunc(scheme, notSchemeRune) {
		return redacted
	}
	var kept []string
	for _, field := range strings.Split(rest, ",") {
		name, v, _ := strings.Cut(strings.TrimSpace(field), "=")
		switch name {
		case "Credential":
			id, _, _ := strings.Cut(v, "/") // a scoped Credential: the AccessKeyId, then its scope
			kept = append(kept, "Credential="+keyid.Mask(id))
		case "SignedHeaders":
			if v == "" || strings.Trim(v, "abcdefghijklmnopqrstuvwxyz0123456789-;") != "" || len(v) > MaxRecordedBytes {
				v = redacted // not a list of header names
			}
			kept = append(kept, "SignedHeaders="+v)
		case "Signature":
			kept = append(kept, "Signature="+redacted)
		}
	}
	if len(kept) == 0 {
		return scheme + " " + redacted
	}
	return scheme + " " + strings.Join(kept, ",")
}

// notSchemeRune reports whether r cannot be part of an authentication scheme's name.
func notSchemeRune(r rune) bool {
	return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.')
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
// values of the parameters that carry a credential replaced by "<redacted>", and whether it is
// cut short.
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
