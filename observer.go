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
	// Endpoint is the URL the call's requests go to, as [Client.Endpoint] returns it: scheme,
	// host and port only, such as "https://vpc.cn-hangzhou.aliyuncs.com/", never the signed
	// query.
	Endpoint string
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

// combineObservers returns the one observer the client reports to: nil for none, the observer
// itself for one, and one that calls each in order for several.
func combineObservers(obs []Observer) Observer {
	switch len(obs) {
	case 0:
		return nil
	case 1:
		return obs[0]
	}
	return observers(obs)
}

// observers calls each of its observers in order.
type observers []Observer

func (os observers) ObserveAttempt(ctx context.Context, call CallInfo, a Attempt) {
	for _, o := range os {
		o.ObserveAttempt(ctx, call, a)
	}
}

func (os observers) ObserveCall(ctx context.Context, call CallInfo, r CallResult) {
	for _, o := range os {
		o.ObserveCall(ctx, call, r)
	}
}
