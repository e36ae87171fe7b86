package expressconnect

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/expressconnect-go/expressconnect/internal/keyid"
)

// This file is the client's one redaction boundary. Every attempt's outcome passes through a
// redactor that knows the attempt's secrets (the AccessKeySecret, the SecurityToken and the
// Signature) and its AccessKeyId, before anything leaves the attempt: the error returned to
// the caller and kept in attempt records, the log records and the observer's events.
//
// A redactor keeps a field of an answer whose shape is known only when the field has that
// shape and holds no secret, and replaces it otherwise: the error Code (invalidCode), the
// RequestId and the HostId ("****"), and a redirect's Location, of which it keeps the scheme
// and host alone. It scrubs free text (a message, a body, a transport error) of every secret,
// found by content: a secret matches wherever each of its characters is written raw, in any
// letter case ("+" and " " count as one, as form-encoding writes them), or through up to
// escapeDepth layers of percent-encoding (either hex case) and JSON escapes (\uXXXX in either
// hex case, \/, \\ and the others), in any mix, so that no subset of escaped characters hides
// it; and the same holds of its base64 encodings (standard and URL alphabets, with or without
// padding, alone or at any byte offset of a larger encoded text). Each secret found is replaced
// by "****", and the AccessKeyId by its masked form. What it cannot find: a secret split
// across two fields or texts, or written in another encoding (hex, HTML entities, a non-ASCII
// character as a \u escape, more than escapeDepth layers deep); and a target shorter than
// minTarget bytes is not looked for.

// redacted replaces a secret, and a RequestId, HostId or Location that is not kept.
const redacted = "****"

// invalidCode replaces an error code that is not of the service's shape or that holds a
// secret. It is none of the codes codes.go lists.
const invalidCode Code = "InvalidCode"

// Limits of the shapes of the fields a redactor keeps.
const (
	// maxCodeLen bounds an error code: the longest that codes.go lists has 44 characters.
	maxCodeLen = 64
	// maxRequestIDLen bounds a RequestId: the service's are UUIDs, of 36 characters.
	maxRequestIDLen = 64
	// maxHostLen bounds a host name, as DNS does.
	maxHostLen = 253
)

// escapeDepth is how many layers of escapes a redactor reads through: percent-encoding twice
// (a query in a string-to-sign) inside a JSON string is three.
const escapeDepth = 3

// minTarget is the length below which a target is not looked for: a few characters would
// match any text (the AccessKeyId "id" of a test is in "InvalidParameter"). Every form of a
// longer target has at least as many characters.
const minTarget = 6

// redactor removes one attempt's secrets from what the attempt hands out. Its scrubber is built
// on first use, so that an attempt that succeeds pays nothing for it.
type redactor struct {
	// targets are what the redactor looks for: the AccessKeyId, then the AccessKeySecret, the
	// SecurityToken and the Signature; "" for one the attempt has not.
	targets [4]string
	s       *scrubber
}

// newRedactor returns the redactor of an attempt signed with cred, whose signature is
// signature.
func newRedactor(cred credentialValues, signature string) redactor {
	return redactor{targets: [4]string{cred.accessKeyID, cred.accessKeySecret, cred.securityToken, signature}}
}

// error returns err as it may leave the attempt: the client's own error types with every
// field kept by its shape or scrubbed, and every cause they wrap replaced by a *redactedError,
// whose text is scrubbed and which answers errors.Is like the cause. attemptTimeout is the
// attempt's time limit when it, and not the caller's context, ended the attempt (0
// otherwise): the error then matches ErrAttemptTimeout and not context.DeadlineExceeded.
func (x *redactor) error(err error, attemptTimeout time.Duration) error {
	if err == nil {
		return nil
	}
	var apiErr *APIError
	var respErr *ResponseError
	var tErr *TransportError
	switch {
	case errors.As(err, &apiErr):
		x.apiError(apiErr)
		return err
	case errors.As(err, &respErr):
		respErr.RequestID = x.requestID(respErr.RequestID)
		respErr.Body = x.snapshot(respErr.Body)
		if respErr.location != "" {
			respErr.Err = fmt.Errorf("%w to %q", respErr.Err, x.location(respErr.location))
			respErr.location = ""
		}
		respErr.Err = x.cause(respErr.Err, attemptTimeout)
		return err
	case errors.As(err, &tErr):
		tErr.Err = x.cause(tErr.Err, attemptTimeout)
		return err
	}
	return x.cause(err, attemptTimeout)
}

// apiError keeps or replaces every field of e by its shape, and scrubs the others.
func (x *redactor) apiError(e *APIError) {
	e.Code = x.code(e.Code)
	e.RequestID = x.requestID(e.RequestID)
	e.HostID = x.shaped(e.HostID, isHostName, redacted)
	e.Message = x.text(e.Message)
	e.Recommend = x.text(e.Recommend)
	e.serverStringToSign = x.text(e.serverStringToSign)
	e.clientStringToSign = x.text(e.clientStringToSign)
	e.body = x.bytes(e.body)
	if d := e.AccessDeniedDetail; d != nil {
		for _, f := range []*string{&d.AuthAction, &d.AuthPrincipalType, &d.AuthPrincipalOwnerID,
			&d.AuthPrincipalDisplayName, &d.NoPermissionType, &d.PolicyType, &d.EncodedDiagnosticMessage} {
			*f = x.text(*f)
		}
		d.Raw = x.bytes(d.Raw)
	}
}

// code returns c when it is of the service's shape and holds no secret, and invalidCode
// otherwise.
func (x *redactor) code(c Code) Code {
	return Code(x.shaped(string(c), isCode, string(invalidCode)))
}

// requestID returns id when it is of the service's shape and holds no secret, and "****"
// otherwise. A RequestId of the service's shape costs no allocation.
func (x *redactor) requestID(id string) string {
	return x.shaped(id, isRequestID, redacted)
}

// shaped returns s when it is empty, or when shape accepts it and it holds no secret; and
// placeholder otherwise.
func (x *redactor) shaped(s string, shape func(string) bool, placeholder string) string {
	if s == "" || shape(s) && !x.holdsSecret(s) {
		return s
	}
	return placeholder
}

// location returns the scheme and host of a redirect's Location when it is an absolute http or
// https URL whose host is a host name or an IP address and holds no secret, and "****"
// otherwise. The path, query, fragment and user info are never kept.
func (x *redactor) location(loc string) string {
	u, err := url.Parse(loc)
	if err != nil || u.Scheme != "http" && u.Scheme != "https" {
		return redacted
	}
	host := u.Hostname()
	if !isHostName(host) && net.ParseIP(host) == nil || x.holdsSecret(u.Host) {
		return redacted
	}
	return u.Scheme + "://" + u.Host
}

// isCode reports whether s has the shape of the service's error codes: 1 to maxCodeLen ASCII
// letters, digits, '.', '_' and '-'.
func isCode(s string) bool {
	return len(s) <= maxCodeLen && onlyBytes(s, func(c byte) bool { return isAlphanumeric(c) || c == '.' || c == '_' || c == '-' })
}

// isRequestID reports whether s has the shape of the service's RequestIds, UUIDs: 1 to
// maxRequestIDLen ASCII letters, digits and '-'.
func isRequestID(s string) bool {
	return len(s) <= maxRequestIDLen && onlyBytes(s, func(c byte) bool { return isAlphanumeric(c) || c == '-' })
}

// isHostName reports whether s has the shape of a DNS host name: at most maxHostLen bytes, in
// labels of 1 to 63 ASCII letters, digits and '-', separated by '.'.
func isHostName(s string) bool {
	if len(s) > maxHostLen {
		return false
	}
	for label := range strings.SplitSeq(s, ".") {
		if len(label) > 63 || !onlyBytes(label, func(c byte) bool { return isAlphanumeric(c) || c == '-' }) {
			return false
		}
	}
	return true
}

// onlyBytes reports whether s is not empty and ok accepts each of its bytes.
func onlyBytes(s string, ok func(byte) bool) bool {
	for i := 0; i < len(s); i++ {
		if !ok(s[i]) {
			return false
		}
	}
	return s != ""
}

// isAlphanumeric reports whether c is an ASCII letter or digit.
func isAlphanumeric(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// text returns s with every target found in it replaced: each secret by "****", the
// AccessKeyId by its masked form.
func (x *redactor) text(s string) string {
	if s == "" {
		return s
	}
	sc := x.scrubber()
	spans := sc.find(s)
	if len(spans) == 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	at := 0
	for i := 0; i < len(spans); {
		// Spans are in the order of their starts; overlapping ones are replaced as one, by
		// "****" when any of them is a secret.
		start, end, keyID := spans[i].start, spans[i].end, spans[i].target == 0
		for i++; i < len(spans) && spans[i].start < end; i++ {
			end = max(end, spans[i].end)
			keyID = keyID && spans[i].target == 0
		}
		b.WriteString(s[at:start])
		if keyID {
			b.WriteString(keyid.Mask(x.targets[0]))
		} else {
			b.WriteString(redacted)
		}
		at = end
	}
	b.WriteString(s[at:])
	return b.String()
}

// bytes returns b scrubbed as text is, or b itself when nothing was found in it.
func (x *redactor) bytes(b []byte) []byte {
	if len(b) == 0 {
		return b
	}
	if s := x.text(string(b)); s != string(b) {
		return []byte(s)
	}
	return b
}

// snapshot returns a copy of the first bodySnapshotSize bytes of b scrubbed, or nil when b is
// empty. The whole of b is scrubbed before the cut, so that a cut cannot leave a piece of a
// secret that no longer matches.
func (x *redactor) snapshot(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	b = x.bytes(b)
	return bytes.Clone(b[:min(len(b), bodySnapshotSize)])
}

// holdsSecret reports whether s holds a target in any form the scrubber finds. For a text of
// at most shortText bytes it builds nothing: the forms that fit in it are encoded on the
// stack, so that keeping the RequestId of a success costs no allocation.
func (x *redactor) holdsSecret(s string) bool {
	if x.s != nil || len(s) > shortText {
		return len(x.scrubber().find(s)) > 0
	}
	var buf, scratch [2 * shortText]byte
	for _, t := range x.targets {
		for k := range formCount {
			if len(t) < minTarget || formLen(len(t), k) > len(s) {
				continue
			}
			if len(t)+2 > len(scratch) {
				// Not reached: a form of such a target is longer than s.
				return len(x.scrubber().find(s)) > 0
			}
			f := appendForm(buf[:0], scratch[:], t, k)
			for p := 0; p+len(f) <= len(s); p++ { // a match is as long as f at least
				if matchAt(s, p, f) >= 0 {
					return true
				}
			}
		}
	}
	return false
}

// shortText bounds the texts holdsSecret searches without building the scrubber.
const shortText = 64

// formCount is how many forms of a target a redactor looks for: form 0 is the target itself;
// forms 1 and 2 its base64 encoding alone, without padding, in the standard and the URL
// alphabet; forms 3 to 8, in each alphabet in turn, the characters of its base64 encoding
// that depend on it alone when it starts at byte offset 0, 1 or 2 of a larger encoded text.
const formCount = 9

// formEncoding returns the alphabet of form k (k > 0), the byte offset of the target in the
// text it encodes, and whether the form is the encoding of the target alone.
func formEncoding(k int) (enc *base64.Encoding, offset int, alone bool) {
	enc = base64.RawStdEncoding
	if k%2 == 0 {
		enc = base64.RawURLEncoding
	}
	if k <= 2 {
		return enc, 0, true
	}
	return enc, (k - 3) / 2, false
}

// formBounds returns where form k (k > 0) of a target of n bytes lies in the base64 encoding
// of offset zero bytes followed by the target. In the middle of a larger encoded text, the
// first characters of that encoding also depend on the bytes before the target (none at offset
// 0, two characters at offset 1, three at offset 2) and the last character, unless the
// encoded bytes end a group of three, on the bytes after it.
func formBounds(n, k int) (lo, hi int) {
	enc, offset, alone := formEncoding(k)
	total := offset + n
	hi = enc.EncodedLen(total)
	if alone {
		return 0, hi
	}
	lo = [3]int{0, 2, 3}[offset]
	if total%3 != 0 {
		hi--
	}
	return lo, max(lo, hi)
}

// formLen returns the length of form k of a target of n bytes.
func formLen(n, k int) int {
	if k == 0 {
		return n
	}
	lo, hi := formBounds(n, k)
	return hi - lo
}

// appendForm appends form k of t to dst; scratch must hold len(t)+2 bytes. dst grows in place
// when it has room for the base64 encoding of len(t)+2 bytes.
func appendForm(dst, scratch []byte, t string, k int) []byte {
	if k == 0 {
		return append(dst, t...)
	}
	enc, offset, _ := formEncoding(k)
	src := scratch[:offset+len(t)]
	clear(src[:offset])
	copy(src[offset:], t)
	start := len(dst)
	dst = enc.AppendEncode(dst, src)
	lo, hi := formBounds(len(t), k)
	return dst[:start+copy(dst[start:], dst[start+lo:start+hi])]
}

// scrubber finds a redactor's targets in a text.
type scrubber struct {
	forms []form
	// first marks the bytes, folded, that a match can start with.
	first [256]bool
}

// form is one form of a target: its bytes and the target's index in redactor.targets.
type form struct {
	text   []byte
	target int
}

// span is where a target was found in a text: text[start:end].
type span struct {
	start, end, target int
}

// scrubber returns the redactor's scrubber, building it on first use.
func (x *redactor) scrubber() *scrubber {
	if x.s != nil {
		return x.s
	}
	sc := &scrubber{}
	seen := make(map[string]bool)
	for i, t := range x.targets {
		scratch := make([]byte, len(t)+2)
		for k := range formCount {
			if len(t) < minTarget {
				continue
			}
			f := appendForm(nil, scratch, t, k)
			key := strconv.Itoa(i) + ":" + strings.ToLower(string(f))
			if seen[key] {
				continue
			}
			seen[key] = true
			sc.forms = append(sc.forms, form{text: f, target: i})
			sc.first[fold(f[0])] = true
		}
	}
	if len(sc.forms) > 0 {
		// Any character of a form may be escaped.
		sc.first['%'], sc.first['\\'] = true, true
	}
	x.s = sc
	return sc
}

// find returns where any form of any target matches in text, in the order of the starts.
func (sc *scrubber) find(text string) []span {
	var spans []span
	for p := 0; p < len(text); p++ {
		if !sc.first[fold(text[p])] {
			continue
		}
		// The readings of the character at p serve every form.
		var first readings
		readAt(text, p, &first)
		for _, f := range sc.forms {
			if p+len(f.text) > len(text) {
				continue // a match is as long as f at least
			}
			if end := matchFrom(text, &first, f.text); end >= 0 {
				spans = append(spans, span{start: p, end: end, target: f.target})
			}
		}
	}
	return spans
}

// fold returns c in lower case, and "+" for " ", as a comparison that ignores letter case and
// form-encoding sees them.
func fold(c byte) byte {
	switch {
	case 'A' <= c && c <= 'Z':
		return c + 'a' - 'A'
	case c == ' ':
		return '+'
	}
	return c
}

// maxReads bounds the readings of one character that the matcher keeps apart.
const maxReads = 16

// reading is one way to read a character from a text: its value (a byte, or a number while
// hex digits are read) and where it ends.
type reading struct {
	value, end int
}

// readings is a set of readings.
type readings struct {
	n    int
	list [maxReads]reading
}

// add puts r into the set, unless it is there already or the set is full.
func (rs *readings) add(r reading) {
	for _, have := range rs.list[:rs.n] {
		if have == r {
			return
		}
	}
	if rs.n < len(rs.list) {
		rs.list[rs.n] = r
		rs.n++
	}
}

// matchAt returns where the longest match of f that starts at text[p] ends, or -1 when none
// does.
func matchAt(text string, p int, f []byte) int {
	if b := text[p]; b != '%' && b != '\\' && fold(b) != fold(f[0]) {
		return -1
	}
	var first readings
	readAt(text, p, &first)
	return matchFrom(text, &first, f)
}

// matchFrom returns where the longest match of f ends whose first character is one of the
// readings first, or -1 when none does. Each byte of f matches a character of the text written
// raw or through up to escapeDepth layers of escapes, compared with fold.
func matchFrom(text string, first *readings, f []byte) int {
	want := fold(f[0])
	started := false
	for _, r := range first.list[:first.n] {
		started = started || fold(byte(r.value)) == want
	}
	if !started {
		return -1
	}
	var cur, next readings
	for _, r := range first.list[:first.n] {
		if fold(byte(r.value)) == want {
			cur.add(r)
		}
	}
	for _, c := range f[1:] {
		want = fold(c)
		next.n = 0
		for _, at := range cur.list[:cur.n] {
			if at.end >= len(text) {
				continue
			}
			var rs readings
			readAt(text, at.end, &rs)
			for _, r := range rs.list[:rs.n] {
				if fold(byte(r.value)) == want {
					next.add(r)
				}
			}
		}
		if next.n == 0 {
			return -1
		}
		cur, next = next, cur
	}
	end := -1
	for _, r := range cur.list[:cur.n] {
		end = max(end, r.end)
	}
	return end
}

// readAt adds to out the readings of the character at text[q], q < len(text): the byte itself
// when no escape starts there, else what readChar finds.
func readAt(text string, q int, out *readings) {
	if b := text[q]; b != '%' && b != '\\' {
		out.add(reading{value: int(b), end: q + 1})
		return
	}
	readChar(text, q, escapeDepth, out)
}

// readChar adds to out every character text[q:] starts with, read raw or, up to depth layers
// deep, as a percent-encoded byte (%XX), a JSON \u escape of an ASCII character (\u00XX) or
// a JSON escape of one character (\", \\, \/, \b, \f, \n, \r, \t). Each part of an escape may
// itself be escaped one layer less deep, as in %252F (%2F percent-encoded) or \u0025 2F.
func readChar(text string, q, depth int, out *readings) {
	if q >= len(text) {
		return
	}
	c := text[q]
	out.add(reading{value: int(c), end: q + 1})
	if depth == 0 || c != '%' && c != '\\' {
		return
	}
	var intro readings
	readChar(text, q, depth-1, &intro)
	for _, i := range intro.list[:intro.n] {
		switch i.value {
		case '%':
			readHex(text, i.end, depth-1, 2, 0, out)
		case '\\':
			readJSONEscape(text, i.end, depth-1, out)
		}
	}
}

// readJSONEscape adds to out every character that the rest of a JSON escape at text[q:], after
// its backslash, stands for, read through up to depth layers of escapes.
func readJSONEscape(text string, q, depth int, out *readings) {
	var next, hex readings
	readChar(text, q, depth, &next)
	for _, e := range next.list[:next.n] {
		switch e.value {
		case 'u', 'U':
			hex.n = 0
			readHex(text, e.end, depth, 4, 0, &hex)
			for _, h := range hex.list[:hex.n] {
				if h.value < 0x80 {
					out.add(h)
				}
			}
		case '"', '\\', '/':
			out.add(e)
		case 'b', 'f', 'n', 'r', 't':
			out.add(reading{value: int(jsonControl[e.value]), end: e.end})
		}
	}
}

// jsonControl maps the letter of a JSON escape of a control character to the character.
var jsonControl = [256]byte{'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t'}

// readHex adds to out, for every way to read n hex digits (of either case) at text[q:] through
// up to depth layers of escapes, acc followed by their value and where they end.
func readHex(text string, q, depth, n, acc int, out *readings) {
	if n == 0 {
		out.add(reading{value: acc, end: q})
		return
	}
	var digits readings
	readChar(text, q, depth, &digits)
	for _, d := range digits.list[:digits.n] {
		if v, ok := hexValue(d.value); ok {
			readHex(text, d.end, depth, n-1, acc<<4|v, out)
		}
	}
}

// hexValue returns the value of the hex digit c.
func hexValue(c int) (int, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// cause returns err wrapped in a *redactedError. A *url.Error, whose text is the signed URL,
// is first unwrapped to the error it holds.
func (x *redactor) cause(err error, attemptTimeout time.Duration) error {
	for {
		uErr, ok := err.(*url.Error)
		if !ok {
			break
		}
		err = uErr.Err
	}
	if err == nil {
		return nil
	}
	msg := x.text(err.Error())
	if attemptTimeout > 0 {
		msg = "attempt timed out after " + attemptTimeout.String() + " (see WithAttemptTimeout): " + msg
	}
	return &redactedError{msg: msg, err: err, attemptTimedOut: attemptTimeout > 0}
}

// redactedError is an error whose text has passed the redaction. It does not unwrap to its
// cause, whose text may hold the signed request; instead errors.Is reaches the cause (which
// only compares values), and errors.As reaches the network and TLS error types the client's
// retry policy needs, which cannot hold the request's URL. It is a net.Error.
type redactedError struct {
	msg string
	err error
	// attemptTimedOut reports that the attempt's own time limit ended it.
	attemptTimedOut bool
}

// Error returns the redacted text.
func (e *redactedError) Error() string { return e.msg }

// GoString returns the redacted text, quoted, so that %#v shows nothing else.
func (e *redactedError) GoString() string {
	return "expressconnect.redactedError(" + strconv.Quote(e.msg) + ")"
}

// Is reports whether the cause matches target. An error of an attempt that ran out of its own
// time matches ErrAttemptTimeout and not context.DeadlineExceeded.
func (e *redactedError) Is(target error) bool {
	if e.attemptTimedOut {
		if target == ErrAttemptTimeout {
			return true
		}
		if target == context.DeadlineExceeded {
			return false
		}
	}
	return errors.Is(e.err, target)
}

// As fills target from the cause when target is one of the network or TLS error types.
func (e *redactedError) As(target any) bool {
	switch target.(type) {
	case **net.OpError, **net.DNSError, **net.AddrError, **tls.CertificateVerificationError,
		*x509.UnknownAuthorityError, *x509.HostnameError, *x509.CertificateInvalidError:
		return errors.As(e.err, target)
	}
	return false
}

// Timeout reports whether the cause is a timeout.
func (e *redactedError) Timeout() bool {
	if e.attemptTimedOut {
		return true
	}
	var t interface{ Timeout() bool }
	return errors.As(e.err, &t) && t.Timeout()
}

// Temporary reports Timeout, as net.Error's deprecated method asks.
func (e *redactedError) Temporary() bool { return e.Timeout() }
