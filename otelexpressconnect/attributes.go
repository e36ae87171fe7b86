package otelexpressconnect

import (
	"context"
	"errors"

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

// otherCode is error.type when nothing better is known: the conventions' fallback value.
const otherCode = "_OTHER"

// failureAttrs returns the attributes of a's failure: error.type, the code and the family;
// none for a success. withStatusCode adds rpc.response.status_code, which describes a call.
func failureAttrs(a expressconnect.Attempt, withStatusCode bool) []attribute.KeyValue {
	if a.Err == nil {
		return nil
	}
	attrs := make([]attribute.KeyValue, 0, 4)
	attrs = append(attrs, semconv.ErrorTypeKey.String(errorType(a)))
	if a.Code != "" {
		code := string(a.Code) // the client's redaction keeps only codes of the service's shape
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
// code, else the family, else the kind of failure the client had;
// otherCode when none is known.
func errorType(a expressconnect.Attempt) string {
	err := a.Err
	switch {
	case a.Code != "":
		return string(a.Code)
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
