package expressconnect

import (
	"context"
	"time"
)

// Observer receives the facts of every attempt and every call, for metrics and tracing. Its
// methods are called on the calling goroutine, so they must be quick and safe for concurrent
// use. They never see a secret: errors have passed the client's redaction, and no credential
// is among the facts.
type Observer interface {
	// ObserveAttempt is called after each attempt, once the client has decided whether to
	// retry it (Attempt.Retry, Attempt.Wait).
	ObserveAttempt(ctx context.Context, call CallInfo, a Attempt)
	// ObserveCall is called once when a call that passed validation ends.
	ObserveCall(ctx context.Context, call CallInfo, r CallResult)
}

// CallInfo identifies a call to an [Observer].
type CallInfo struct {
	// Operation is the API action, such as "CreateVirtualPhysicalConnection".
	Operation string
	// Token is the call's idempotency token; "" for actions that take none.
	Token string
	// Start is when the call began, on the local clock.
	Start time.Time
}

// CallResult is how a call ended.
type CallResult struct {
	// Attempts records every attempt, in order.
	Attempts []Attempt
	// Duration is how long the call took, waits included.
	Duration time.Duration
	// RequestID is the RequestId of the successful answer; "" when the call failed.
	RequestID string
	// Err is the *OperationError the call returned, or nil on success.
	Err error
}

// ObserverFuncs is an [Observer] made of two functions; a nil function is not called.
type ObserverFuncs struct {
	// Attempt is called as Observer.ObserveAttempt.
	Attempt func(ctx context.Context, call CallInfo, a Attempt)
	// Call is called as Observer.ObserveCall.
	Call func(ctx context.Context, call CallInfo, r CallResult)
}

// ObserveAttempt calls f.Attempt when it is not nil.
func (f ObserverFuncs) ObserveAttempt(ctx context.Context, call CallInfo, a Attempt) {
	if f.Attempt != nil {
		f.Attempt(ctx, call, a)
	}
}

// ObserveCall calls f.Call when it is not nil.
func (f ObserverFuncs) ObserveCall(ctx context.Context, call CallInfo, r CallResult) {
	if f.Call != nil {
		f.Call(ctx, call, r)
	}
}
