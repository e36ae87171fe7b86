package expressconnect

import "time"

// ResponseMetadata is what every operation's response carries besides its own fields. The
// call path fills it in; operations never do.
type ResponseMetadata struct {
	// RequestID identifies the successful request for Alibaba Cloud support; "****" when the
	// answer's was not 1 to 64 ASCII letters, digits and '-', or held a secret of the request,
	// and was not kept.
	RequestID string
	// Attempts records every attempt of the call, the successful last one included.
	Attempts []Attempt
	// Token is the idempotency token every attempt sent: the request's, or the one the client
	// filled in. It is "" for operations that take none (List, the reads).
	Token string
	// DryRun reports that the request was a dry run that passed: nothing was done. It is false
	// for operations without a dry run.
	DryRun bool
}

// metadata returns m, so that the call path can fill in the metadata of any response that
// embeds a ResponseMetadata.
func (m *ResponseMetadata) metadata() *ResponseMetadata { return m }

// Attempt is the record of one request a call sent. It holds no secret: Err has passed the
// client's redaction.
type Attempt struct {
	// Number counts the call's attempts from 1.
	Number int
	// Start is when the attempt began, on the local clock.
	Start time.Time
	// Latency is how long the attempt took, from reading the credentials to the decoded answer
	// or the failure.
	Latency time.Duration
	// StatusCode is the HTTP status, or 0 when there was no answer.
	StatusCode int
	// RequestID is the answer's RequestId, when the service gave one, kept as
	// [APIError.RequestID] is.
	RequestID string
	// Code is the service's error code, kept as [APIError.Code] is; "" on success or when the
	// answer had none.
	Code Code
	// Family is the failure's family; "" on success or when the failure belongs to none.
	Family Family
	// Err is the attempt's failure; nil on success.
	Err error
	// Retry is how the failure was retried; NoRetry for a success and for the attempt that
	// ended the call.
	Retry RetryClass
	// Wait is how long the client waited before the next attempt; 0 for the last.
	Wait time.Duration
	// RateLimitWait is how long the attempt waited for the client's adaptive rate limiter
	// before it was sent; 0 unless the service has throttled the client (see
	// [WithAdaptiveRateLimit]).
	RateLimitWait time.Duration
}

// requestIDs returns the non-empty RequestIds of attempts, in order.
func requestIDs(attempts []Attempt) []string {
	var out []string
	for _, a := range attempts {
		if a.RequestID != "" {
			out = append(out, a.RequestID)
		}
	}
	return out
}
