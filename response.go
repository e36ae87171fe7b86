package expressconnect

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// CreateVirtualPhysicalConnectionResponse is the result of a call that succeeded or of a dry
// run that passed.
type CreateVirtualPhysicalConnectionResponse struct {
	// RequestID identifies the request for Alibaba Cloud support.
	RequestID string
	// VirtualPhysicalConnectionID is the new hosted connection's ID, such as "pc-bp1...". It is
	// empty for a dry run.
	VirtualPhysicalConnectionID string
	// Token is the idempotency token that was sent: the request's, or the one the client
	// generated. Repeating the call with it creates nothing new.
	Token string
	// DryRun reports that the request was a dry run that passed; nothing was created.
	DryRun bool
}

// Body size limits: an answer larger than these is refused without reading the rest.
const (
	maxSuccessBody = 1 << 20
	maxErrorBody   = 64 << 10
	maxDrain       = 4 << 10
)

// successBody is the documented success answer.
type successBody struct {
	RequestID                 string  `json:"RequestId"`
	VirtualPhysicalConnection *string `json:"VirtualPhysicalConnection"`
}

// errorBody is the documented error answer.
type errorBody struct {
	RequestID          string
	HostID             string
	Code               string
	Message            string
	Recommend          string
	AccessDeniedDetail json.RawMessage
}

// UnmarshalJSON decodes the text fields from any JSON value, so that one field of an
// unexpected type does not hide the Code of an otherwise readable answer.
func (b *errorBody) UnmarshalJSON(data []byte) error {
	var loose looseErrorBody
	if err := json.Unmarshal(data, &loose); err != nil {
		return err
	}
	*b = errorBody{
		RequestID: string(loose.RequestID), HostID: string(loose.HostID), Code: string(loose.Code),
		Message: string(loose.Message), Recommend: string(loose.Recommend), AccessDeniedDetail: loose.AccessDeniedDetail,
	}
	return nil
}

// looseErrorBody is errorBody with text fields that take any JSON value.
type looseErrorBody struct {
	RequestID          looseString     `json:"RequestId"`
	HostID             looseString     `json:"HostId"`
	Code               looseString     `json:"Code"`
	Message            looseString     `json:"Message"`
	Recommend          looseString     `json:"Recommend"`
	AccessDeniedDetail json.RawMessage `json:"AccessDeniedDetail"`
}

// looseString decodes a JSON string as its text, null as "", and any other value as its JSON
// text.
type looseString string

// UnmarshalJSON implements json.Unmarshaler.
func (s *looseString) UnmarshalJSON(b []byte) error {
	var text string
	switch {
	case bytes.Equal(b, []byte("null")):
		*s = ""
	case json.Unmarshal(b, &text) == nil:
		*s = looseString(text)
	default:
		*s = looseString(b)
	}
	return nil
}

// decodeResponse turns an answer into a response or an error. It reads at most the size limit
// of the body and leaves draining and closing to the caller.
func decodeResponse(resp *http.Response, dryRun bool) (*CreateVirtualPhysicalConnectionResponse, error) {
	if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		// A redirect's Location often repeats the signed query (AccessKeyId, SecurityToken,
		// Signature): keep only what precedes it.
		location, _, _ := strings.Cut(resp.Header.Get("Location"), "?")
		return nil, newResponseError(resp, nil, fmt.Errorf("%w to %q", ErrRedirectRefused, location))
	}
	success := resp.StatusCode >= 200 && resp.StatusCode < 300
	limit := int64(maxErrorBody)
	if success {
		limit = maxSuccessBody
	}
	body, err := readLimited(resp.Body, limit)
	if err != nil {
		re := newResponseError(resp, body, err)
		re.incomplete = !errors.Is(err, ErrResponseTooLarge)
		return nil, re
	}
	if success {
		return decodeSuccess(resp, body, dryRun)
	}
	return decodeFailure(resp, body, dryRun)
}

// readLimited reads r up to limit bytes, and fails with ErrResponseTooLarge if there is more.
func readLimited(r io.Reader, limit int64) ([]byte, error) {
	var buf bytes.Buffer
	n, err := buf.ReadFrom(io.LimitReader(r, limit+1))
	if err != nil {
		return buf.Bytes(), fmt.Errorf("%w: reading the body: %w", ErrMalformedResponse, err)
	}
	if n > limit {
		return buf.Bytes()[:limit], fmt.Errorf("%w: the body is over %d bytes", ErrResponseTooLarge, limit)
	}
	return buf.Bytes(), nil
}

func decodeSuccess(resp *http.Response, body []byte, dryRun bool) (*CreateVirtualPhysicalConnectionResponse, error) {
	var b successBody
	if err := json.Unmarshal(body, &b); err != nil {
		return nil, malformedJSON(resp, body, err)
	}
	if b.RequestID == "" {
		b.RequestID = resp.Header.Get("x-acs-request-id")
	}
	if dryRun {
		// A dry run creates nothing; should the service have created a connection anyway, its
		// ID is kept rather than lost.
		return &CreateVirtualPhysicalConnectionResponse{RequestID: b.RequestID, VirtualPhysicalConnectionID: deref(b.VirtualPhysicalConnection), DryRun: true}, nil
	}
	if b.VirtualPhysicalConnection == nil || *b.VirtualPhysicalConnection == "" {
		re := newResponseError(resp, body, fmt.Errorf("%w: no VirtualPhysicalConnection in a success answer", ErrMalformedResponse))
		if re.RequestID == "" {
			re.RequestID = b.RequestID
		}
		return nil, re
	}
	return &CreateVirtualPhysicalConnectionResponse{RequestID: b.RequestID, VirtualPhysicalConnectionID: *b.VirtualPhysicalConnection}, nil
}

func decodeFailure(resp *http.Response, body []byte, dryRun bool) (*CreateVirtualPhysicalConnectionResponse, error) {
	var b errorBody
	if err := json.Unmarshal(body, &b); err != nil || b.Code == "" {
		if err == nil {
			err = errors.New("no Code in an error answer")
		}
		return nil, malformedJSON(resp, body, err)
	}
	if b.RequestID == "" {
		b.RequestID = resp.Header.Get("x-acs-request-id")
	}
	if dryRun && (b.Code == codeDryRunOperation || b.Code == codeDryRunSuccess) {
		return &CreateVirtualPhysicalConnectionResponse{RequestID: b.RequestID, DryRun: true}, nil
	}
	return nil, newAPIError(resp, &b, body)
}

// serverStringToSignMarker starts the part of a signature error's message that repeats the
// service's string-to-sign.
const serverStringToSignMarker = "server string to sign is:"

// newAPIError builds the *APIError of an answer with the decoded error body b and the raw body.
func newAPIError(resp *http.Response, b *errorBody, body []byte) *APIError {
	e := &APIError{
		Operation:  apiAction,
		StatusCode: resp.StatusCode,
		Code:       b.Code,
		Message:    b.Message,
		RequestID:  b.RequestID,
		HostID:     b.HostID,
		Recommend:  b.Recommend,
	}
	if i := strings.Index(e.Message, serverStringToSignMarker); i >= 0 {
		e.serverStringToSign = maskSecurityToken(e.Message[i+len(serverStringToSignMarker):])
		e.Message = strings.TrimSpace(e.Message[:i])
	}
	e.body = body
	if len(b.AccessDeniedDetail) > 0 && !bytes.Equal(b.AccessDeniedDetail, []byte("null")) {
		var d AccessDeniedDetail
		if json.Unmarshal(b.AccessDeniedDetail, &d) == nil {
			d.Raw = append(json.RawMessage(nil), b.AccessDeniedDetail...)
			e.AccessDeniedDetail = &d
		}
	}
	return e
}

// decodeBodyMap decodes a JSON object as the official SDK does, numbers as json.Number, or
// returns nil.
func decodeBodyMap(body []byte) map[string]any {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var m map[string]any
	if dec.Decode(&m) != nil {
		return nil
	}
	return m
}

// maskSecurityToken replaces the value of SecurityToken in a string-to-sign, where it appears
// percent-encoded once or twice (SecurityToken%3D<value>%26 or SecurityToken=<value>&).
func maskSecurityToken(s string) string {
	for _, sep := range [...][2]string{{"SecurityToken%3D", "%26"}, {"SecurityToken=", "&"}} {
		i := strings.Index(s, sep[0])
		if i < 0 {
			continue
		}
		start := i + len(sep[0])
		end := strings.Index(s[start:], sep[1])
		if end < 0 {
			end = len(s) - start
		}
		s = s[:start] + "****" + s[start+end:]
	}
	return s
}

// malformedJSON is the *ResponseError of a body that is not the expected JSON; it is incomplete
// when the JSON stopped mid-value (the connection closed early, without a Content-Length).
func malformedJSON(resp *http.Response, body []byte, err error) *ResponseError {
	re := newResponseError(resp, body, fmt.Errorf("%w: %w", ErrMalformedResponse, err))
	var syntax *json.SyntaxError
	re.incomplete = errors.As(err, &syntax) && strings.Contains(syntax.Error(), "unexpected end")
	return re
}
