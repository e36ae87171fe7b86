package expressconnect

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/alibabacloud-go/tea/tea"
)

// Errors of the client itself, matched with errors.Is.
var (
	// ErrInvalidRequest is matched by every *ValidationError: the request was refused before
	// anything was sent.
	ErrInvalidRequest = errors.New("expressconnect: invalid request")
	// ErrMalformedResponse is matched by a *ResponseError whose body could not be understood.
	ErrMalformedResponse = errors.New("expressconnect: malformed response")
	// ErrResponseTooLarge is matched by a *ResponseError whose body was over the size limit.
	ErrResponseTooLarge = errors.New("expressconnect: response too large")
	// ErrRedirectRefused is matched by a *ResponseError for a redirect, which the client
	// never follows: a signed request must not be replayed to another URL.
	ErrRedirectRefused = errors.New("expressconnect: redirect not followed")
	// ErrRetryBudgetExhausted is matched when the client stopped retrying because its retry
	// budget was empty.
	ErrRetryBudgetExhausted = errors.New("expressconnect: retry budget exhausted")
	// ErrCredentials is matched when the client could not obtain credentials.
	ErrCredentials = errors.New("expressconnect: no usable credentials")
)

// Violation is one broken rule of a request.
type Violation struct {
	// Field is the Go path of the field, such as "Tags[2].Key".
	Field string
	// Param is the parameter's wire name, such as "Tag.3.Key".
	Param string
	// Rule says what the value must be, such as "must be 0 to 2999, got 3000".
	Rule string
}

// String returns "Param (Field): Rule".
func (v Violation) String() string {
	return v.Param + " (" + v.Field + "): " + v.Rule
}

// ValidationError lists every rule a request breaks. It is returned before anything is sent,
// and matches ErrInvalidRequest and ErrInvalidParameter.
type ValidationError struct {
	// Violations lists every broken rule, in the order of the request's fields; never empty.
	Violations []Violation
}

// Error lists the violations on one line.
func (e *ValidationError) Error() string {
	var b strings.Builder
	b.WriteString("expressconnect: invalid request: ")
	for i, v := range e.Violations {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(v.String())
	}
	return b.String()
}

// Is reports whether target is ErrInvalidRequest or ErrInvalidParameter.
func (e *ValidationError) Is(target error) bool {
	return target == ErrInvalidRequest || target == ErrInvalidParameter
}

// Field returns the violations of the field with the given Go path, such as "VLANID".
func (e *ValidationError) Field(field string) []Violation {
	var out []Violation
	for _, v := range e.Violations {
		if v.Field == field {
			out = append(out, v)
		}
	}
	return out
}

// AccessDeniedDetail is what the service says of a permission it refused (403 Forbidden.RAM).
type AccessDeniedDetail struct {
	// AuthAction is the action that was refused, such as "vpc:CreateVirtualPhysicalConnection".
	AuthAction string
	// AuthPrincipalType is the kind of caller, such as "SubUser".
	AuthPrincipalType string
	// AuthPrincipalOwnerID is the account ID that owns the caller.
	AuthPrincipalOwnerID string `json:"AuthPrincipalOwnerId"`
	// AuthPrincipalDisplayName is the caller's name or ID.
	AuthPrincipalDisplayName string
	// NoPermissionType says why, such as "ImplicitDeny" (no policy allows the action).
	NoPermissionType string
	// PolicyType is the kind of policy that decided, such as "AccountLevelIdentityBasedPolicy".
	PolicyType string
	// EncodedDiagnosticMessage is the service's encoded diagnosis of the refusal.
	EncodedDiagnosticMessage string
	// Raw is the whole object as sent, including fields not listed above.
	Raw json.RawMessage `json:"-"`
}

// APIError is an answer of the service that carries an error code. errors.Is matches it against
// its Code constant (such as ErrVLANIDHasBeenUsedInPhysicalConnection) and its Family (such as
// ErrVLANConflict), and errors.As can fill a *tea.SDKError from it.
type APIError struct {
	// Operation is the API action, CreateVirtualPhysicalConnection.
	Operation string
	// StatusCode is the HTTP status.
	StatusCode int
	// Code is the service's error code, such as "IllegalParam.VlanId".
	Code string
	// Message is the service's message, without any server string-to-sign.
	Message string
	// RequestID identifies the request for Alibaba Cloud support.
	RequestID string
	// HostID is the host that answered, such as "vpc.aliyuncs.com".
	HostID string
	// Recommend is the troubleshooting URL.
	Recommend string
	// AccessDeniedDetail is set on permission errors that carry one.
	AccessDeniedDetail *AccessDeniedDetail

	serverStringToSign string
	// body is the raw error body, decoded only when a *tea.SDKError is asked for; nil when
	// the APIError was not built from an answer.
	body []byte
}

// Error returns one line with the operation, status, code, message and request ID. Line breaks
// the service put in them become spaces.
func (e *APIError) Error() string {
	return oneLine(fmt.Sprintf("expressconnect: %s: HTTP %d %s: %s (RequestId %s)",
		e.Operation, e.StatusCode, e.Code, e.Message, e.RequestID))
}

// oneLine replaces every line break in s with a space.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case '\n', '\v', '\f', '\r', '\u0085', '\u2028', '\u2029':
			return ' '
		}
		return r
	}, s)
}

// Is reports whether target is e's Code, e's Family, or an *APIError with the same Code.
func (e *APIError) Is(target error) bool {
	switch t := target.(type) {
	case Code:
		return string(t) == e.Code
	case Family:
		return t == familyOf(e.Code, e.StatusCode)
	case *APIError:
		return t != nil && t.Code == e.Code
	}
	return false
}

// As fills a **tea.SDKError target the way the official Tea SDK would, so that handlers written
// for it keep working.
func (e *APIError) As(target any) bool {
	p, ok := target.(**tea.SDKError)
	if !ok {
		return false
	}
	*p = e.sdkError()
	return true
}

// GoString shows the exported fields only, so that %#v leaves out the server string-to-sign,
// which holds the unmasked AccessKeyId.
func (e *APIError) GoString() string {
	return fmt.Sprintf("&expressconnect.APIError{Operation:%q, StatusCode:%d, Code:%q, Message:%q, RequestID:%q, HostID:%q, Recommend:%q, AccessDeniedDetail:%#v}",
		e.Operation, e.StatusCode, e.Code, e.Message, e.RequestID, e.HostID, e.Recommend, e.AccessDeniedDetail)
}

// ServerStringToSign returns the string the service signed, as it reported it on
// SignatureDoesNotMatch and IncompleteSignature, with any SecurityToken masked. Compare it with
// the string the client signed: the same string means a wrong AccessKeySecret, a different one a
// canonicalization problem. It returns "" when the service reported none.
func (e *APIError) ServerStringToSign() string { return e.serverStringToSign }

// sdkError builds the *tea.SDKError the Tea SDK returns for the same answer: its Data is the
// whole error body plus "statusCode", and its Message "code: <status>, <Message> request id:
// <RequestId>". Any server string-to-sign is left out of both, as from Error.
func (e *APIError) sdkError() *tea.SDKError {
	data := decodeBodyMap(e.body)
	if _, ok := data["Message"]; ok {
		data["Message"] = e.Message // without any server string-to-sign
	}
	if data == nil {
		data = make(map[string]any, 6)
		data["RequestId"], data["HostId"], data["Code"] = e.RequestID, e.HostID, e.Code
		data["Message"], data["Recommend"] = e.Message, e.Recommend
	}
	data["statusCode"] = e.StatusCode
	obj := map[string]any{
		"code":       e.Code,
		"message":    "code: " + strconv.Itoa(e.StatusCode) + ", " + e.Message + " request id: " + e.RequestID,
		"data":       data,
		"statusCode": e.StatusCode,
	}
	if detail, ok := data["AccessDeniedDetail"].(map[string]any); ok {
		obj["accessDeniedDetail"] = detail
	}
	return tea.NewSDKError(obj)
}

// ResponseError is an answer the client could not understand: a body that is not the documented
// JSON (an HTML page from a proxy, an empty or truncated body, a missing or mistyped field), a
// body over the size limit, or a redirect. It matches ErrMalformedResponse,
// ErrResponseTooLarge or ErrRedirectRefused, and ErrServerSide when the status is 5xx.
type ResponseError struct {
	// StatusCode is the HTTP status.
	StatusCode int
	// RequestID is taken from the x-acs-request-id header when present.
	RequestID string
	// Body is at most the first 1 KiB of the body.
	Body []byte
	// Err says what was wrong; it wraps ErrMalformedResponse, ErrResponseTooLarge or
	// ErrRedirectRefused.
	Err error

	incomplete bool
}

// Incomplete reports whether the body ended before the answer did: the connection was cut or
// the attempt's deadline passed mid-body, or the JSON stopped mid-value. The service's answer
// is then unknown, so a 2xx that is incomplete is retried (the Token makes that safe).
func (e *ResponseError) Incomplete() bool { return e.incomplete }

// bodySnapshotSize is how much of a bad body a ResponseError keeps.
const bodySnapshotSize = 1 << 10

func newResponseError(resp *http.Response, body []byte, err error) *ResponseError {
	if len(body) > bodySnapshotSize {
		body = body[:bodySnapshotSize]
	}
	return &ResponseError{
		StatusCode: resp.StatusCode,
		RequestID:  resp.Header.Get("x-acs-request-id"),
		Body:       append([]byte(nil), body...),
		Err:        err,
	}
}

// Error returns the status, request ID and cause; the body snapshot is left out.
func (e *ResponseError) Error() string {
	s := fmt.Sprintf("expressconnect: %s: HTTP %d", apiAction, e.StatusCode)
	if e.RequestID != "" {
		s += " (RequestId " + e.RequestID + ")"
	}
	return s + ": " + errText(e.Err)
}

// errText returns err's text, or "unknown error" for nil, so that a zero error value of ours
// prints instead of panicking.
func errText(err error) string {
	if err == nil {
		return "unknown error"
	}
	return err.Error()
}

// Unwrap returns the cause.
func (e *ResponseError) Unwrap() error { return e.Err }

// Is reports whether target is ErrServerSide and the status is 5xx.
func (e *ResponseError) Is(target error) bool {
	return target == ErrServerSide && e.StatusCode >= 500
}

// TransportError is a request that got no answer: the connection was refused or reset, timed
// out, or the context ended. Unlike *url.Error, it never shows the signed query. Unwrap reaches
// the network error, so errors.Is(err, context.DeadlineExceeded) works.
type TransportError struct {
	// Endpoint is the URL the request went to, without its query.
	Endpoint string
	// Err is the network error.
	Err error
}

// Error returns the endpoint and the network error.
func (e *TransportError) Error() string {
	return "expressconnect: POST " + e.Endpoint + ": " + errText(e.Err)
}

// Unwrap returns the network error.
func (e *TransportError) Unwrap() error { return e.Err }

// Timeout reports whether the network error is a timeout.
func (e *TransportError) Timeout() bool {
	var t interface{ Timeout() bool }
	return errors.As(e.Err, &t) && t.Timeout()
}

// OperationError is what CreateVirtualPhysicalConnection returns for every failure after the
// request passed validation. It carries the idempotency Token, so the call can be repeated
// later without creating a second connection, and the number of requests sent. Unwrap reaches
// the last attempt's *APIError, *ResponseError or *TransportError, or an error matching
// ErrCredentials when the credentials could not be read.
type OperationError struct {
	// Operation is the API action, CreateVirtualPhysicalConnection.
	Operation string
	// Token is the idempotency token every attempt sent.
	Token string
	// Attempts is how many requests were sent (0 when none could be).
	Attempts int
	// Err is the last attempt's failure.
	Err error
}

// Error returns the attempts, the Token and the cause.
func (e *OperationError) Error() string {
	return fmt.Sprintf("expressconnect: %s failed after %d attempt(s) (Token %s): %s",
		e.Operation, e.Attempts, e.Token, strings.TrimPrefix(errText(e.Err), "expressconnect: "))
}

// Unwrap returns the last attempt's failure.
func (e *OperationError) Unwrap() error { return e.Err }
