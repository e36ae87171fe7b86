package otelexpressconnect

import (
	"context"
	"errors"
	"strings"

	"go.opentelemetry.io/otel/attribute"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"

	"github.com/expressconnect-go/expressconnect"
)

// The names of the semantic conventions come from semconv v1.43.0, the package that
// go.opentelemetry.io/otel v1.47.0 ships for that version of the conventions. The names below
// are the ones the conventions do not define.

// rpcSystemName is the call's rpc.system.name. None of the conventions' well-known values
// (grpc, dubbo, connectrpc, jsonrpc) applies to Alibaba Cloud's OpenAPI, whose RPC style sends
// an Action and its parameters in a signed query; a custom value is allowed, and
// "alibaba_cloud" is the one the conventions give Alibaba Cloud as a cloud.provider, so that one
// name stands for it in both places.
var rpcSystemName = semconv.RPCSystemNameKey.String("alibaba_cloud")

// rpcService is the service part of rpc.method, "$service/$method" in the RPC conventions:
// the Alibaba Cloud product whose API the Express Connect actions belong to.
const rpcService = "Vpc"

// Attributes of Alibaba Cloud and of this SDK, which the conventions do not define. The
// Alibaba Cloud ones are named like the conventions' aws.request_id.
const (
	// keyRequestID is the RequestId of an answer, which Alibaba Cloud support asks for.
	keyRequestID = attribute.Key("alibabacloud.request_id")
	// keyErrorCode is the service's error code, such as "Throttling.User".
	keyErrorCode = attribute.Key("alibabacloud.error_code")
	// keyErrorFamily is the code's expressconnect.Family, such as "throttled".
	keyErrorFamily = attribute.Key("expressconnect.error_family")
	// keyToken is the idempotency token every attempt of the call sent.
	keyToken = attribute.Key("expressconnect.idempotency_token")
	// keyAttempt is the attempt's number, from 1.
	keyAttempt = attribute.Key("expressconnect.attempt")
	// keyRetryClass is how the client retried the attempt, such as "RetryThrottled".
	keyRetryClass = attribute.Key("expressconnect.retry_class")
	// keyRetryWait is how long the client waited before the next attempt, in seconds.
	keyRetryWait = attribute.Key("expressconnect.retry_wait")
)

// The metrics that the conventions do not define; the call duration is the conventions'
// rpc.client.call.duration.
const (
	metricAttempts  = "expressconnect.client.attempts"
	metricThrottled = "expressconnect.client.throttled_attempts"
	metricRetries   = "expressconnect.client.retries"
)

// otherCode is what a code of another shape than the service's is reported as: the
// conventions' fallback value of error.type.
const otherCode = "_OTHER"

// maxCodeLen is the length of the longest code reported as it is. The service's codes are
// shorter: the longest the client knows has 44 bytes.
const maxCodeLen = 64

// reportedCode returns code as the observer reports it: itself when it has the shape of the
// service's codes (1 to maxCodeLen ASCII letters, digits, '.', '_' and '-'), else otherCode.
// What else an answer puts in its Code, such as a proxy's echo of the signed request, is kept
// out of the telemetry, and the codes on metrics stay a bounded set.
func reportedCode(code expressconnect.Code) string {
	if code == "" || len(code) > maxCodeLen {
		return otherCode
	}
	for i := 0; i < len(code); i++ {
		switch c := code[i]; {
		case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9', c == '.', c == '_', c == '-':
		default:
			return otherCode
		}
	}
	return string(code)
}

// description returns the text of err, the failure of an attempt or a call whose code is
// code, for a span status: the redacted error's text, with code replaced by otherCode when
// reportedCode does not report it as it is.
func description(err error, code expressconnect.Code) string {
	text := err.Error()
	if code == "" || reportedCode(code) == string(code) {
		return text
	}
	// Errors print their code on one line, with each line break as a space.
	line := strings.Map(func(r rune) rune {
		switch r {
		case '\n', '\v', '\f', '\r', '\u0085', '\u2028', '\u2029':
			return ' '
		}
		return r
	}, string(code))
	return strings.ReplaceAll(text, line, otherCode)
}

// failureAttrs returns the attributes of a's failure: error.type, the code and the family;
// none for a success. withStatusCode adds rpc.response.status_code, which describes a call.
func failureAttrs(a expressconnect.Attempt, withStatusCode bool) []attribute.KeyValue {
	if a.Err == nil {
		return nil
	}
	attrs := make([]attribute.KeyValue, 0, 4)
	attrs = append(attrs, semconv.ErrorTypeKey.String(errorType(a)))
	if a.Code != "" {
		code := reportedCode(a.Code)
		if withStatusCode {
			attrs = append(attrs, semconv.RPCResponseStatusCodeKey.String(code))
		}
		attrs = append(attrs, keyErrorCode.String(code))
	}
	if a.Family != "" {
		attrs = append(attrs, keyErrorFamily.String(string(a.Family)))
	}
	return attrs
}

// errorType returns the error.type of a's failure, a value of low cardinality: the service's
// code as reportedCode reports it, else the family, else the kind of failure the client had;
// otherCode when none is known.
func errorType(a expressconnect.Attempt) string {
	err := a.Err
	switch {
	case a.Code != "":
		return reportedCode(a.Code)
	case a.Family != "":
		return string(a.Family)
	case errors.Is(err, expressconnect.ErrAttemptTimeout):
		return "attempt_timeout"
	case errors.Is(err, context.DeadlineExceeded):
		return "deadline_exceeded"
	case errors.Is(err, context.Canceled):
		return "canceled"
	case errors.Is(err, expressconnect.ErrCredentials):
		return "credentials"
	case errors.Is(err, expressconnect.ErrRedirectRefused):
		return "redirect_refused"
	case errors.Is(err, expressconnect.ErrResponseTooLarge):
		return "response_too_large"
	case errors.Is(err, expressconnect.ErrNotApplied):
		return "not_applied"
	case errors.Is(err, expressconnect.ErrMalformedResponse):
		return "malformed_response"
	case errors.As(err, new(*expressconnect.TransportError)):
		return "transport"
	}
	return otherCode
}
