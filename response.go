package expressconnect

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/expressconnect-go/expressconnect/internal/rules"
)

// response is an operation's response as the shared call path fills it. Each operation file
// implements decode for its response type; metadata comes with the embedded ResponseMetadata.
type response interface {
	// decode reads a 2xx body into the response and returns the body's envelope. dryRun says
	// whether the request was a dry run, whose answer may lack the operation's result. body's
	// buffer is reused once decode returns: the response must keep none of it.
	decode(body []byte, dryRun bool) (envelope, error)
	// metadata returns the response's ResponseMetadata, for the call path to fill in.
	metadata() *ResponseMetadata
}

// Body size limits: a body larger than these is refused without reading the rest.
const (
	// maxSuccessBody bounds a 2xx body.
	maxSuccessBody = 1 << 20
	// maxErrorBody bounds any other body.
	maxErrorBody = 64 << 10
	// maxDrain is how much of an unread body is read to reuse the connection.
	maxDrain = 4 << 10
	// bodySnapshotSize is how much of a bad body a ResponseError keeps.
	bodySnapshotSize = 1 << 10
)

// headerRequestID is the header that carries the RequestId of every answer of the service.
const headerRequestID = "x-acs-request-id"

// envelope is the part of the JSON answer that success and error bodies share: the RequestId
// and, in an error answer, the error's fields. Success bodies embed it.
type envelope struct {
	RequestID          string `json:"RequestId"`
	Code               string
	Message            string
	HostID             string `json:"HostId"`
	Recommend          string
	AccessDeniedDetail json.RawMessage
}

// looseEnvelope is envelope with text fields that take any JSON value, so that one field of an
// unexpected type does not hide the Code of an otherwise readable answer. Error bodies, and
// success bodies that do not decode, are read with it.
type looseEnvelope struct {
	RequestID          looseString `json:"RequestId"`
	Code               looseString
	Message            looseString
	HostID             looseString `json:"HostId"`
	Recommend          looseString
	AccessDeniedDetail json.RawMessage
}

// envelope returns e as an envelope.
func (e *looseEnvelope) envelope() envelope {
	return envelope{RequestID: string(e.RequestID), Code: string(e.Code), Message: string(e.Message),
		HostID: string(e.HostID), Recommend: string(e.Recommend), AccessDeniedDetail: e.AccessDeniedDetail}
}

// looseString decodes a JSON string as its text, null as "", and any other value as its JSON
// text.
type looseString string

// UnmarshalJSON implements json.Unmarshaler.
func (s *looseString) UnmarshalJSON(b []byte) error {
	switch text, ok := unquoteJSON(b); {
	case bytes.Equal(b, []byte("null")):
		*s = ""
	case ok:
		*s = looseString(text)
	default:
		*s = looseString(b)
	}
	return nil
}

// answer is what an attempt made of the service's answer.
type answer struct {
	// requestID is the body's RequestId, else the x-acs-request-id header, whole: the redaction
	// boundary cuts it after scrubbing it.
	requestID string
	// dryRunPassed reports an answer saying that a dry run passed.
	dryRunPassed bool
	// fromService reports an answer that is the service's own: it carries x-acs-request-id,
	// or it is an error body with a Code and a RequestId.
	fromService bool
	// err is the *APIError or *ResponseError of an answer that is not a success.
	err error
}

// decodeAnswer reads resp, the answer to a request for action, into out. Reads end when ctx
// (the attempt's context) is done, whatever the body does.
func decodeAnswer(ctx context.Context, resp *http.Response, action string, dryRun bool, out response) (a answer) {
	a = answer{requestID: resp.Header.Get(headerRequestID)}
	a.fromService = a.requestID != ""
	switch {
	case resp.StatusCode < 200:
		// A 1xx final answer, such as 101 Switching Protocols, hands over the raw connection.
		a.err = newResponseError(resp, nil, fmt.Errorf("%w: informational status %d is not an answer", ErrMalformedResponse, resp.StatusCode))
		return a
	case resp.StatusCode >= 300 && resp.StatusCode < 400:
		re := newResponseError(resp, nil, ErrRedirectRefused)
		re.location = resp.Header.Get("Location")
		a.err = re
		return a
	}
	success := resp.StatusCode < 300
	limit := int64(maxErrorBody)
	if success {
		limit = maxSuccessBody
	}
	var buf *bytes.Buffer
	if success {
		// A success body is read into a pooled buffer (body.go), which goes back when this
		// returns: an error made of the answer, which outlives it, keeps a copy instead.
		buf = getBodyBuffer(resp.ContentLength)
		defer func() {
			ownBody(a.err)
			putBodyBuffer(buf)
		}()
	}
	body, err := readLimited(ctx, resp.Body, limit, buf)
	if err != nil {
		re := newResponseError(resp, body, err)
		re.incomplete = !errors.Is(err, ErrResponseTooLarge)
		a.err = re
		return a
	}
	var env envelope
	if success {
		env, err = out.decode(body, dryRun)
	}
	if !success || err != nil && !errors.Is(err, ErrNotApplied) {
		var loose looseEnvelope
		switch lerr := decodeJSON(body, &loose); {
		case lerr == nil:
			env = loose.envelope()
		case !success:
			err = lerr
		default:
			// A success body that is not JSON says nothing, however much of it the decoder
			// read before the error: no Code, no RequestId.
			env = envelope{}
		}
	}
	if env.RequestID != "" {
		a.requestID = env.RequestID
	}
	if env.Code != "" && !isSuccessCode(Code(env.Code)) {
		a.fromService = a.fromService || env.RequestID != ""
		if dryRun && isDryRunPass(Code(env.Code)) {
			a.dryRunPassed = true
			return a
		}
		a.err = newAPIError(resp, action, &env, body)
		return a
	}
	switch {
	case errors.Is(err, ErrNotApplied):
		a.err = newResponseError(resp, body, err)
	case err != nil:
		a.err = malformedJSON(resp, body, err)
	case !success:
		a.err = malformedJSON(resp, body, errors.New("no Code in an error answer"))
	case a.requestID == "":
		// Every answer of the service carries its RequestId, in the body or the
		// x-acs-request-id header: a success without one, such as {} or null, is not its.
		a.err = malformedJSON(resp, body, errors.New("no RequestId in a success answer"))
	default:
		a.dryRunPassed = dryRun
	}
	if re, ok := a.err.(*ResponseError); ok && re.RequestID == "" {
		re.RequestID = a.requestID
	}
	return a
}

// ownBody gives err, an error that decodeAnswer made, a copy of the body it keeps.
func ownBody(err error) {
	switch e := err.(type) {
	case *APIError:
		e.body = bytes.Clone(e.body)
	case *ResponseError:
		e.Body = bytes.Clone(e.Body)
	}
}

// isSuccessCode reports whether c, found in a 2xx body, says success rather than an error,
// as some Alibaba Cloud services write it.
func isSuccessCode(c Code) bool {
	return c == "200" || strings.EqualFold(string(c), "Success") || strings.EqualFold(string(c), "OK")
}

// readLimited reads r up to limit bytes, and fails with ErrResponseTooLarge if there is more.
// It reads into buf when buf is not nil, and then returns buf's bytes. The read ends when ctx
// is done: the body is closed then, which unblocks a read that waits.
func readLimited(ctx context.Context, r io.ReadCloser, limit int64, buf *bytes.Buffer) ([]byte, error) {
	stop := context.AfterFunc(ctx, func() { _ = r.Close() })
	defer stop()
	body, err := readAll(io.LimitReader(r, limit+1), buf)
	if err != nil {
		if ctx.Err() != nil {
			err = fmt.Errorf("%w (%w)", ctx.Err(), err)
		}
		return body, fmt.Errorf("%w: reading the body: %w", ErrMalformedResponse, err)
	}
	if int64(len(body)) > limit {
		return body[:limit], fmt.Errorf("%w: the body is over %d bytes", ErrResponseTooLarge, limit)
	}
	return body, nil
}

// closeBody reads what is left of a body, up to maxDrain bytes, so that the connection can be
// reused, and closes it. The body of a 1xx answer is the raw connection: it is closed unread.
func closeBody(resp *http.Response) {
	if resp.StatusCode >= 200 {
		_, _ = io.CopyN(io.Discard, resp.Body, maxDrain)
	}
	_ = resp.Body.Close()
}

// serverStringToSignMarkers start the part of a signature error's message that repeats the
// service's string-to-sign: "server string to sign is:<string>" for the RPC signature, and
// "server StringToSign is [<string>]" as the service words it for ACS3-HMAC-SHA256. The
// casing varies.
var serverStringToSignMarkers = [...]string{"server string to sign is:", "server StringToSign is"}

// newAPIError builds the *APIError of an answer to action with the envelope env and the raw
// body.
func newAPIError(resp *http.Response, action string, env *envelope, body []byte) *APIError {
	e := &APIError{
		Operation:  action,
		StatusCode: resp.StatusCode,
		Code:       Code(env.Code),
		Message:    env.Message,
		RequestID:  env.RequestID,
		HostID:     env.HostID,
		Recommend:  env.Recommend,
		body:       body,
	}
	if e.RequestID == "" {
		e.RequestID = resp.Header.Get(headerRequestID)
	}
	e.Message, e.serverStringToSign = splitServerStringToSign(e.Message)
	if len(env.AccessDeniedDetail) > 0 && !bytes.Equal(env.AccessDeniedDetail, []byte("null")) {
		var d AccessDeniedDetail
		if decodeJSON(env.AccessDeniedDetail, &d) == nil {
			d.Raw = append(json.RawMessage(nil), env.AccessDeniedDetail...)
			e.AccessDeniedDetail = &d
		}
	}
	return e
}

// splitServerStringToSign returns message without the service's string-to-sign, and that
// string, without the brackets or colon around it; sts is "" when message repeats none.
func splitServerStringToSign(message string) (rest, sts string) {
	at, end := -1, 0
	for _, marker := range serverStringToSignMarkers {
		if i := rules.IndexFold(message, marker); i >= 0 && (at < 0 || i < at) {
			at, end = i, i+len(marker)
		}
	}
	if at < 0 {
		return message, ""
	}
	sts = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(message[end:]), ":"))
	if strings.HasPrefix(sts, "[") && strings.HasSuffix(sts, "]") {
		sts = sts[1 : len(sts)-1]
	}
	return strings.TrimSpace(message[:at]), sts
}

// newResponseError returns the *ResponseError of resp with the cause err and body. It keeps the
// whole body and x-acs-request-id: the redaction boundary cuts them to their snapshot after
// scrubbing them, so that a cut never leaves a piece of a secret behind.
func newResponseError(resp *http.Response, body []byte, err error) *ResponseError {
	return &ResponseError{StatusCode: resp.StatusCode, RequestID: resp.Header.Get(headerRequestID), Body: body, Err: err}
}

// malformedJSON is the *ResponseError of a body that is not the expected JSON; it is
// incomplete when the JSON stopped mid-value (the connection closed early, without a
// Content-Length).
func malformedJSON(resp *http.Response, body []byte, err error) *ResponseError {
	re := newResponseError(resp, body, fmt.Errorf("%w: %w", ErrMalformedResponse, err))
	re.incomplete = errors.Is(err, io.ErrUnexpectedEOF)
	return re
}

// errMissingField is the error of a success body without the operation's result.
func errMissingField(name string) error {
	return fmt.Errorf("no %s in a success answer", name)
}
