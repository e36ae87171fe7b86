// Package otelexpressconnect reports the calls of an [expressconnect.Client] to OpenTelemetry:
// a span per operation call with a child span per attempt, and metrics of call duration,
// attempts, throttled attempts and retries. It is a module of its own, so that the client's
// module does not depend on OpenTelemetry.
//
// Install the observer NewObserver returns with [expressconnect.WithObserver]:
//
//	client, err := expressconnect.NewClient(
//		expressconnect.WithRegion("cn-hangzhou"),
//		expressconnect.WithObserver(otelexpressconnect.NewObserver()),
//	)
//
// # What is reported
//
// The observer takes only the facts the client hands to every [expressconnect.Observer],
// which have passed the client's redaction: no attribute, span name, status or metric holds
// the AccessKeySecret, the SecurityToken, the signature or the AccessKeyId unmasked, and the
// signed query is never reported (url.full is the endpoint without it).
//
// Names follow the OpenTelemetry semantic conventions v1.43.0, the version shipped with
// go.opentelemetry.io/otel v1.47.0: the RPC conventions (Release Candidate) for the call, and
// the stable HTTP client conventions for each attempt.
//
// The span of a call is a CLIENT span named after rpc.method, such as
// "Vpc/CreateVirtualPhysicalConnection", a child of the span in the call's context. It runs
// from [expressconnect.CallInfo.Start] for [expressconnect.CallResult.Duration], waits between
// attempts included, and has these attributes:
//
//   - rpc.system.name: "alibaba_cloud".
//   - rpc.method: "Vpc/" and the API action (the actions are the Vpc product's).
//   - server.address and server.port: the endpoint's host and port (443 for https and 80 for
//     http when the endpoint names none).
//   - expressconnect.idempotency_token: the token every attempt sent, for actions that take
//     one. A token is not a secret: it is in every *expressconnect.OperationError.
//   - alibabacloud.request_id: the RequestId of the successful answer, or of the last answer
//     of a failed call when the service gave one.
//   - On failure, those of the last attempt, whose failure ends the call: error.type,
//     rpc.response.status_code and alibabacloud.error_code (the service's error code, when it
//     answered one) and expressconnect.error_family (the code's [expressconnect.Family]).
//
// Each attempt is a CLIENT span named "POST", a child of the call's span, from
// [expressconnect.Attempt.Start] for [expressconnect.Attempt.Latency], with http.request.method
// ("POST"), server.address, server.port, url.full (the endpoint), expressconnect.attempt (the
// attempt's number, from 1), http.request.resend_count (from the second attempt on),
// http.response.status_code (when there was an answer), alibabacloud.request_id (when the
// answer had one), and on failure error.type, alibabacloud.error_code and
// expressconnect.error_family. An attempt that the client retried also has
// expressconnect.retry_class (such as "RetryThrottled") and expressconnect.retry_wait (the
// wait before the next attempt, in seconds).
//
// A failed call or attempt has the span status Error, whose description is the redacted
// error's text. error.type is, in this order: the service's error code (such as
// "Throttling.User"); else the failure's family (such as "service-side failure" for an HTML
// 502 page); else one of "attempt_timeout", "deadline_exceeded", "canceled", "credentials",
// "redirect_refused", "response_too_large", "not_applied", "malformed_response" and
// "transport"; else "_OTHER".
//
// Codes come as the client's redaction boundary keeps them: a code of another shape than the
// service's (1 to 64 ASCII letters, digits, '.', '_' and '-'), such as a proxy's echo of the
// request, arrives as "InvalidCode", so the codes on metrics stay a bounded set and an echo of
// the signed request stays out of the telemetry.
//
// # Metrics
//
//   - rpc.client.call.duration (histogram, seconds, the RPC conventions' buckets): one
//     measurement per call, with rpc.system.name, rpc.method, server.address, server.port and,
//     on failure, error.type, rpc.response.status_code, alibabacloud.error_code and
//     expressconnect.error_family as on the call's span.
//   - expressconnect.client.attempts (counter, {attempt}): one per attempt, with the same
//     attributes taken from the attempt, and http.response.status_code when there was an
//     answer.
//   - expressconnect.client.throttled_attempts (counter, {attempt}): the attempts whose
//     failure is in the [expressconnect.ErrThrottled] family, with the attempts' attributes.
//   - expressconnect.client.retries (counter, {retry}): one per attempt the client decided to
//     retry, with the attempts' attributes and expressconnect.retry_class. The call's context
//     can still end the call before the retry is sent.
//
// No metric has a request ID or a token: their values are unbounded.
//
// # When spans are made
//
// The client reports an attempt once it has ended and a call once it has ended, so the spans
// are all made when the call ends, with the times the client recorded. Two things follow.
// The call's span is not in the context while the call runs: spans that an instrumented
// http.Client makes, and the List calls with which a guarded operation confirms its target,
// are children of the caller's span rather than of the call's. And a call that ends before it
// is ready to send (an invalid request or option, a nil context, a token provider that fails)
// makes no span and no measurement, since no observer hears of it: the caller gets the error
// at once, and can record it on its own span. Nor does a guarded operation whose check of its
// target fails, which sends nothing of its own; the List calls of the check have their spans.
package otelexpressconnect
