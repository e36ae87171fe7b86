package expressconnect

import (
	"bytes"
	"cmp"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"net"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// This file is the client's one redaction boundary. Every attempt's outcome passes through a
// redactor that knows the attempt's secrets (the AccessKeySecret, the SecurityToken and the
// Signature) and its AccessKeyId, before anything leaves the attempt: the error returned to
// the caller and kept in attempt records, the log records and the observer's events. A
// redactor replaces each secret by "****" and the AccessKeyId by its masked form, in every
// encoding an answer or a transport may echo them in: raw, percent-encoded once or twice (with
// upper- or lower-case hex digits), form-encoded, and JSON-escaped.

// redacted replaces a secret.
const redacted = "****"

// maxHeaderText bounds the text the client keeps of a header, such as the x-acs-request-id
// that a body lacks: a real RequestId has 36 characters. Like the body snapshot of a
// ResponseError, it is cut here, after the scrubbing, so that a cut through a secret cannot
// leave a piece of it that no longer matches.
const maxHeaderText = 128

// redactor removes one attempt's secrets from what the attempt hands out. Its replacer is built
// on first use, so that an attempt that succeeds pays nothing.
type redactor struct {
	accessKeyID string
	secrets     [3]string
	r           *strings.Replacer
}

// newRedactor returns the redactor of an attempt signed with cred, whose signature is
// signature.
func newRedactor(cred credentialValues, signature string) redactor {
	return redactor{
		accessKeyID: cred.accessKeyID,
		secrets:     [3]string{cred.accessKeySecret, cred.securityToken, signature},
	}
}

// replacer returns the redactor's replacer, building it on first use.
func (x *redactor) replacer() *strings.Replacer {
	if x.r != nil {
		return x.r
	}
	type pair struct{ old, new string }
	var pairs []pair
	for _, s := range x.secrets {
		if s == "" {
			continue
		}
		for _, f := range encodings(s) {
			pairs = append(pairs, pair{f, redacted})
		}
	}
	if x.accessKeyID != "" {
		masked := maskAccessKeyID(x.accessKeyID)
		for _, f := range encodings(x.accessKeyID) {
			pairs = append(pairs, pair{f, masked})
		}
	}
	// strings.Replacer tries the pairs in order at each position: longest first, so that no
	// shorter form of a secret leaves a piece of a longer one behind.
	slices.SortStableFunc(pairs, func(a, b pair) int { return cmp.Compare(len(b.old), len(a.old)) })
	args := make([]string, 0, 2*len(pairs))
	for _, p := range pairs {
		args = append(args, p.old, p.new)
	}
	x.r = strings.NewReplacer(args...)
	return x.r
}

// string returns s with the attempt's secrets replaced.
func (x *redactor) string(s string) string {
	if x.clean(s) {
		return s
	}
	return x.replacer().Replace(s)
}

// clean reports, without building the replacer, whether s surely holds no secret: it has only
// unreserved characters (so no encoded or escaped form of anything) and no secret or
// AccessKeyId as such. Most RequestIds are clean.
func (x *redactor) clean(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isUnreserved(s[i]) {
			return false
		}
	}
	for _, secret := range x.secrets {
		if secret != "" && strings.Contains(s, secret) {
			return false
		}
	}
	return x.accessKeyID == "" || !strings.Contains(s, x.accessKeyID)
}

// bytes returns b with the attempt's secrets replaced, or b itself when none was in it.
func (x *redactor) bytes(b []byte) []byte {
	if len(b) == 0 {
		return b
	}
	if s := x.string(string(b)); s != string(b) {
		return []byte(s)
	}
	return b
}

// error returns err as it may leave the attempt: the client's own error types with every
// string scrubbed, and every cause they wrap replaced by a *redactedError, whose text is
// scrubbed and which answers errors.Is like the cause. attemptTimeout is the attempt's time
// limit when it, and not the caller's context, ended the attempt (0 otherwise): the error then
// matches ErrAttemptTimeout and not context.DeadlineExceeded.
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
		respErr.RequestID = x.header(respErr.RequestID)
		respErr.Body = x.snapshot(respErr.Body)
		respErr.Err = x.cause(respErr.Err, attemptTimeout)
		return err
	case errors.As(err, &tErr):
		tErr.Err = x.cause(tErr.Err, attemptTimeout)
		return err
	}
	return x.cause(err, attemptTimeout)
}

// apiError scrubs every string of e.
func (x *redactor) apiError(e *APIError) {
	e.Message = x.string(e.Message)
	e.RequestID = x.header(e.RequestID)
	e.HostID = x.string(e.HostID)
	e.Recommend = x.string(e.Recommend)
	e.serverStringToSign = x.string(e.serverStringToSign)
	e.clientStringToSign = x.string(e.clientStringToSign)
	e.body = x.json(e.body)
	if d := e.AccessDeniedDetail; d != nil {
		for _, f := range []*string{&d.AuthAction, &d.AuthPrincipalType, &d.AuthPrincipalOwnerID,
			&d.AuthPrincipalDisplayName, &d.NoPermissionType, &d.PolicyType, &d.EncodedDiagnosticMessage} {
			*f = x.string(*f)
		}
		d.Raw = x.json(d.Raw)
	}
}

// json returns b, a JSON text, with the attempt's secrets replaced. A secret that an escape
// hides from a search of the bytes (a string echoing "a\u002Bb" for "a+b", or one that itself
// holds a JSON-escaped form) is replaced in the decoded strings, and the text is encoded anew.
func (x *redactor) json(b []byte) []byte {
	b = x.bytes(b)
	if bytes.IndexByte(b, '\\') < 0 {
		return b // Without escapes, the strings are the bytes already scrubbed.
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil {
		return b
	}
	v, changed := x.value(v)
	if !changed {
		return b
	}
	out, err := json.Marshal(v)
	if err != nil {
		return b
	}
	return out
}

// value returns v, a decoded JSON value, with the secrets replaced in every string and object
// key, and whether any was replaced.
func (x *redactor) value(v any) (any, bool) {
	changed := false
	switch t := v.(type) {
	case string:
		s := x.string(t)
		return s, s != t
	case []any:
		for i := range t {
			var c bool
			t[i], c = x.value(t[i])
			changed = changed || c
		}
	case map[string]any:
		m := make(map[string]any, len(t))
		for k, e := range t {
			e, c := x.value(e)
			key := x.string(k)
			m[key] = e
			changed = changed || c || key != k
		}
		return m, changed
	}
	return v, changed
}

// snapshot returns a copy of the first bodySnapshotSize bytes of b scrubbed, or nil when b is
// empty.
func (x *redactor) snapshot(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	b = x.bytes(b)
	return bytes.Clone(b[:min(len(b), bodySnapshotSize)])
}

// header returns s scrubbed and cut to maxHeaderText bytes.
func (x *redactor) header(s string) string {
	s = x.string(s)
	if len(s) > maxHeaderText {
		s = strings.ToValidUTF8(s[:maxHeaderText], "")
	}
	return s
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
	msg := x.string(err.Error())
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

// encodings returns s in every form an echo of the request may carry it.
func encodings(s string) []string {
	once := percentEncode(s, upperHex)
	onceLower := percentEncode(s, lowerHex)
	out := []string{
		s, once, onceLower,
		percentEncode(once, upperHex), percentEncode(onceLower, lowerHex),
		url.QueryEscape(s),
		strings.ReplaceAll(s, "/", `\/`),
		jsonEscapeAll(s, lowerHex), jsonEscapeAll(s, upperHex),
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// jsonEscapeAll returns s with every byte but letters and digits written as a JSON \u escape
// with the given hex digits, as some JSON encoders write "+", "/" and "=" (RFC 8259 allows
// either case).
func jsonEscapeAll(s, digits string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x80 && (c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z') {
			b.WriteByte(c)
			continue
		}
		b.WriteString(`\u00`)
		b.WriteByte(digits[c>>4])
		b.WriteByte(digits[c&0x0F])
	}
	return b.String()
}

// maskAccessKeyID keeps the first and last 4 characters of id, as logs may show.
func maskAccessKeyID(id string) string {
	if len(id) <= 8 {
		return redacted
	}
	return id[:4] + redacted + id[len(id)-4:]
}
