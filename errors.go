package expressconnect

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Errors of the client itself, matched with errors.Is.
var (
	// ErrInvalidOption is matched when NewClient or a call is given an invalid option.
	ErrInvalidOption = errors.New("invalid option")
	// ErrUninitializedClient is matched when a method is called on a Client that NewClient
	// did not make, such as the zero value.
	ErrUninitializedClient = errors.New("client not created with NewClient")
	// ErrCredentials is matched when the client could not obtain credentials, including when
	// the credential provider did not answer before the context ended.
	ErrCredentials = errors.New("no usable credentials")
	// ErrMalformedResponse is matched by a *ResponseError whose answer could not be understood.
	ErrMalformedResponse = errors.New("malformed response")
	// ErrResponseTooLarge is matched by a *ResponseError whose body was over the size limit.
	ErrResponseTooLarge = errors.New("response too large")
	// ErrRedirectRefused is matched by a *ResponseError for a redirect, which the client never
	// follows: a signed request must not be replayed to another URL.
	ErrRedirectRefused = errors.New("redirect not followed")
	// ErrRetryBudgetExhausted is matched when the client stopped retrying because its retry
	// budget was empty.
	ErrRetryBudgetExhausted = errors.New("retry budget exhausted")
	// ErrNotApplied is matched by a *ResponseError for a success answer in which the service
	// says that it did not apply the change (UpdateVirtualPhysicalConnection's Success is
	// not "true").
	ErrNotApplied = errors.New("the service did not apply the change")
	// ErrAttemptTimeout is matched when an attempt ran out of the time [WithAttemptTimeout]
	// gives it while the caller's context still had time. Such an error does not match
	// context.DeadlineExceeded, which is kept for the caller's own deadline.
	ErrAttemptTimeout = errors.New("attempt timed out (see WithAttemptTimeout)")
	// ErrUnreachable is matched when a wait ended because its condition can no longer hold,
	// such as a deleted hosted connection while waiting for it to be enabled.
	ErrUnreachable = errors.New("the state waited for can no longer be reached")
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

// text returns "Param (Field): Rule".
func (v Violation) text() string {
	return v.Param + " (" + v.Field + "): " + v.Rule
}

// ValidationError lists every rule a request breaks. It is returned before anything is sent,
// and matches [ErrInvalidParameter], the family of the service's own parameter codes: the
// reaction is the same, fix the parameter. errors.As tells the two apart when it matters.
type ValidationError struct {
	// Operation is the API action of the request, such as "CreateVirtualPhysicalConnection".
	Operation string
	// Violations lists every broken rule, in the order of the request's fields; never empty.
	Violations []Violation
}

// Error lists the violations on one line.
func (e *ValidationError) Error() string {
	var b strings.Builder
	b.WriteString("expressconnect: invalid ")
	b.WriteString(e.Operation)
	b.WriteString(" request: ")
	for i, v := range e.Violations {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(v.text())
	}
	return oneLine(b.String())
}

// Is reports whether target is [ErrInvalidParameter].
func (e *ValidationError) Is(target error) bool { return target == ErrInvalidParameter }

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

// APIError is an answer of the service that carries an error code. errors.Is matches it
// against its [Code] constant (such as [CodeVLANIDHasBeenUsedInPhysicalConnection]) and its
// [Family] (such as [ErrVLANConflict]), and errors.As can fill a *tea.SDKError from it. Every
// string in it has passed the client's redaction: no secret of the request is in it, and the
// AccessKeyId is masked.
type APIError struct {
	// Operation is the API action, such as "CreateVirtualPhysicalConnection".
	Operation string
	// StatusCode is the HTTP status. It is 2xx for the rare answer that carries an error code
	// with a success status.
	StatusCode int
	// Code is the service's error code, such as "IllegalParam.VlanId"; "InvalidCode" when the
	// answer's code was not 1 to 64 ASCII letters, digits, '.', '_' and '-', or held a secret
	// of the request, and was not kept.
	Code Code
	// Message is the service's message, without any server string-to-sign.
	Message string
	// RequestID identifies the request for Alibaba Cloud support; "****" when the answer's
	// was not 1 to 64 ASCII letters, digits and '-', or held a secret of the request, and was
	// not kept.
	RequestID string
	// HostID is the host that answered, such as "vpc.aliyuncs.com"; "****" when the answer's
	// was not a host name, or held a secret of the request, and was not kept.
	HostID string
	// Recommend is the troubleshooting URL.
	Recommend string
	// AccessDeniedDetail is set on permission errors that carry one.
	AccessDeniedDetail *AccessDeniedDetail

	serverStringToSign string
	clientStringToSign string
	// credentials says where the refused credentials came from and their masked AccessKeyId,
	// on an authentication or signature error; "" otherwise.
	credentials string
	retryAfter  time.Duration
	// body is the raw error body, decoded only when a *tea.SDKError is asked for; nil when
	// the APIError was not built from an answer.
	body []byte
}

// Error returns one line with the status, code, message and request ID, and, when the service
// refused the credentials or their signature, where they came from and the masked AccessKeyId
// (such as "credentials from WithAccessKey, AccessKeyId LTAI****0001"). Line breaks the
// service put in them become spaces.
func (e *APIError) Error() string {
	s := fmt.Sprintf("HTTP %d %s: %s (RequestId %s)", e.StatusCode, e.Code, e.Message, e.RequestID)
	if e.credentials != "" {
		s += " (" + e.credentials + ")"
	}
	return oneLine(s)
}

// Is reports whether target is e's Code, e's Family, or an *APIError with the same Code.
func (e *APIError) Is(target error) bool {
	switch t := target.(type) {
	case Code:
		return t == e.Code
	case Family:
		return t == e.Family()
	case *APIError:
		return t != nil && t.Code == e.Code
	}
	return false
}

// Family returns the family of e's code and status, or "" when it belongs to none.
func (e *APIError) Family() Family { return familyOf(e.Code, e.StatusCode) }

// RetryAfter returns how long the service asked the client to wait before trying again (its
// x-ratelimit-user-api, x-ratelimit-user or Retry-After header), or 0 when it asked nothing.
func (e *APIError) RetryAfter() time.Duration { return e.retryAfter }

// ServerStringToSign returns the string the service signed, as it reported it on
// SignatureDoesNotMatch and IncompleteSignature, with the SecurityToken replaced by "****"
// and the AccessKeyId masked; "" when the service reported none. Compare it with
// [APIError.ClientStringToSign]: the same string means a wrong AccessKeySecret, a different one
// a request changed on the way or a canonicalization problem.
func (e *APIError) ServerStringToSign() string { return e.serverStringToSign }

// ClientStringToSign returns the string the client signed for the attempt that got e, masked
// as [APIError.ServerStringToSign] is, when e's code is a signature code; "" otherwise.
func (e *APIError) ClientStringToSign() string { return e.clientStringToSign }

// ResponseError is an answer the client could not understand: a body that is not the documented
// JSON (an HTML page from a proxy, an empty or truncated body, a missing or mistyped field), a
// body over the size limit, an informational (1xx) final answer, or a redirect; or a success
// answer that says the change was not applied. It matches [ErrMalformedResponse],
// [ErrResponseTooLarge], [ErrRedirectRefused] or [ErrNotApplied], and [ErrServerSide] when the
// status is 5xx.
type ResponseError struct {
	// StatusCode is the HTTP status.
	StatusCode int
	// RequestID is the body's RequestId, else the x-acs-request-id header, when present;
	// "****" when it was not 1 to 64 ASCII letters, digits and '-', or held a secret of the
	// request, and was not kept.
	RequestID string
	// Body is at most the first 1 KiB of the body, redacted.
	Body []byte
	// Err says what was wrong; it matches ErrMalformedResponse, ErrResponseTooLarge or
	// ErrRedirectRefused. For a redirect it names the Location's scheme and host alone, or
	// "****" when the Location was not an http or https URL with a host name or address, or
	// held a secret of the request.
	Err error

	incomplete bool
	// location is a redirect's Location, whole: the redaction boundary keeps its scheme and
	// host alone, in Err.
	location string
}

// Incomplete reports whether the body ended before the answer did: the connection was cut or
// the attempt's deadline passed mid-body, or the JSON stopped mid-value. The service's answer
// is then unknown, so an incomplete answer is retried whatever its status (the Token makes
// that safe).
func (e *ResponseError) Incomplete() bool { return e.incomplete }

// Error returns the status, request ID and cause; the body snapshot is left out.
func (e *ResponseError) Error() string {
	s := "HTTP " + strconv.Itoa(e.StatusCode)
	if e.RequestID != "" {
		s += " (RequestId " + e.RequestID + ")"
	}
	return oneLine(s + ": " + errText(e.Err))
}

// Unwrap returns the cause.
func (e *ResponseError) Unwrap() error { return e.Err }

// Is reports whether target is [ErrServerSide] and the status is 5xx.
func (e *ResponseError) Is(target error) bool {
	return target == ErrServerSide && e.StatusCode >= 500
}

// TransportError is a request that got no answer: the connection was refused or reset, timed
// out, or the context ended. It never shows the signed query. errors.Is reaches through it to
// context.DeadlineExceeded and context.Canceled, and errors.As to net.Error.
type TransportError struct {
	// Endpoint is the URL the request went to, without its query.
	Endpoint string
	// Err is the network error, redacted.
	Err error
}

// Error returns the endpoint and the network error.
func (e *TransportError) Error() string {
	return oneLine("POST " + e.Endpoint + ": " + errText(e.Err))
}

// Unwrap returns the network error.
func (e *TransportError) Unwrap() error { return e.Err }

// Timeout reports whether the network error is a timeout.
func (e *TransportError) Timeout() bool {
	var t interface{ Timeout() bool }
	return errors.As(e.Err, &t) && t.Timeout()
}

// OperationError is what an operation returns for every failure after the request passed
// validation. It carries the idempotency Token, so the call can be repeated later without
// doing the work twice, and the record of every attempt. Unwrap reaches the last attempt's
// *APIError, *ResponseError or *TransportError, or an error matching [ErrCredentials] when the
// credentials could not be read.
type OperationError struct {
	// Operation is the API action, such as "CreateVirtualPhysicalConnection".
	Operation string
	// Token is the idempotency token every attempt sent; "" for actions that take none.
	Token string
	// Attempts records every attempt, in order, including those that could send no request
	// (their StatusCode is 0).
	Attempts []Attempt
	// Err is the reason the call ended: the last attempt's failure, possibly wrapped with why
	// it was not retried (the retry budget, the context's deadline).
	Err error
}

// Error returns one line: the operation, the cause, the Token and the number of attempts.
func (e *OperationError) Error() string {
	var b strings.Builder
	b.WriteString("expressconnect: ")
	b.WriteString(e.Operation)
	b.WriteString(": ")
	b.WriteString(errText(e.Err))
	b.WriteString(" (")
	if e.Token != "" {
		b.WriteString("Token ")
		b.WriteString(e.Token)
		b.WriteString(", ")
	}
	b.WriteString(strconv.Itoa(len(e.Attempts)))
	if len(e.Attempts) == 1 {
		b.WriteString(" attempt)")
	} else {
		b.WriteString(" attempts)")
	}
	return oneLine(b.String())
}

// Unwrap returns the cause.
func (e *OperationError) Unwrap() error { return e.Err }

// RequestIDs returns the RequestId of every attempt the service answered, in order, for a
// support ticket.
func (e *OperationError) RequestIDs() []string { return requestIDs(e.Attempts) }

// Remedy returns a short sentence saying what to do about err, an error this package
// returned: for a service error, its code's or family's remedy; for the client's own
// failures, the likely fix; "" when nothing better than the message can be said.
func Remedy(err error) string {
	var apiErr *APIError
	var respErr *ResponseError
	var tErr *TransportError
	switch {
	case err == nil:
		return ""
	case errors.As(err, &apiErr):
		return codeRemedy(apiErr.Code, apiErr.StatusCode)
	case errors.As(err, new(*ValidationError)):
		return "fix the fields the violations name; nothing was sent"
	case errors.Is(err, ErrInvalidOption), errors.Is(err, ErrUninitializedClient):
		return "fix the client's configuration"
	case errors.Is(err, ErrCredentials):
		return "give the client credentials: WithAccessKey, WithCredential, or the ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET environment variables"
	case errors.Is(err, ErrAttemptTimeout):
		return "retry later with the same Token, or give attempts more time with WithAttemptTimeout"
	case errors.Is(err, ErrNotApplied):
		return "read the hosted connection back with GetVirtualPhysicalConnection, then repeat the call with the same Token"
	case errors.Is(err, ErrRedirectRefused), errors.Is(err, ErrResponseTooLarge):
		return "check WithEndpoint and any proxy: the answer did not come from the service"
	case errors.As(err, &respErr) && (respErr.Incomplete() || respErr.StatusCode >= 500):
		return familyRemedies[ErrServerSide]
	case errors.As(err, &respErr):
		return "check WithEndpoint and any proxy: the answer is not the service's JSON"
	case errors.As(err, &tErr):
		return "check the network and the endpoint, then retry with the same Token"
	}
	return ""
}

// errText returns err's text, or "unknown error" for nil, so that a zero error value of ours
// prints instead of panicking.
func errText(err error) string {
	if err == nil {
		return "unknown error"
	}
	return err.Error()
}

// oneLine replaces every line break in s with a space.
func oneLine(s string) string {
	if !strings.ContainsAny(s, "\n\v\f\r\u0085\u2028\u2029") {
		return s
	}
	return strings.Map(func(r rune) rune {
		switch r {
		case '\n', '\v', '\f', '\r', '\u0085', '\u2028', '\u2029':
			return ' '
		}
		return r
	}, s)
}
