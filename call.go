package expressconnect

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/expressconnect-go/expressconnect/internal/rules"
)

// This file is the one path every operation takes: an operation's exported method hands its
// request to invoke, which resolves and validates a copy of it, fills in the idempotency
// token, then sends attempts (each with fresh credentials and a fresh signature, all with the
// same token) until one succeeds or the retrier says stop. Every attempt's outcome passes the
// redaction boundary (redact.go) before it is recorded, logged, observed or returned.

// invoke runs one call of the operation req is for, with the client's settings overridden by
// opts, and returns its response R.
func invoke[R any, PR interface {
	*R
	response
}](ctx context.Context, c *Client, req request, opts []CallOption) (*R, error) {
	k, err := c.newCall(ctx, req, opts)
	if err != nil {
		return nil, err
	}
	out := PR(new(R))
	if err := k.run(ctx, out); err != nil {
		return nil, err
	}
	return out, nil
}

// call is one call of an operation and its attempts.
type call struct {
	client *Client
	cfg    callConfig
	info   CallInfo
	// params are the operation's wire parameters, sorted by name, sent with every attempt.
	params   []param
	dryRun   bool
	attempts []Attempt
}

// newCall checks the call's inputs and resolves its request: a copy with the client's region,
// validated, with its idempotency token filled in.
func (c *Client) newCall(ctx context.Context, req request, opts []CallOption) (*call, error) {
	action := req.action()
	switch {
	case c == nil || c.http == nil:
		return nil, fmt.Errorf("expressconnect: %s: %w: create the Client with NewClient", action, ErrUninitializedClient)
	case ctx == nil:
		return nil, fmt.Errorf("expressconnect: %s: %w: nil Context", action, ErrInvalidRequest)
	}
	k := &call{client: c, cfg: c.cfg.call, info: CallInfo{Operation: action, Start: time.Now()}}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt.applyCall(&k.cfg); err != nil {
			return nil, invalidOption(err)
		}
	}
	r := req.resolved(c.cfg.region)
	if r == nil {
		return nil, nilRequest(action)
	}
	if err := r.validate(k.cfg.strict); err != nil {
		return nil, err
	}
	if token := r.idempotencyToken(); token != nil {
		if *token == "" {
			t, err := c.newToken(ctx, action, k.cfg.strict)
			if err != nil {
				return nil, err
			}
			*token = t
		}
		k.info.Token = *token
	}
	k.params, k.dryRun = r.wire()
	sortParams(k.params)
	return k, nil
}

// newToken returns the token of a request to action that has none: the token provider's,
// checked, or NewToken's.
func (c *Client) newToken(ctx context.Context, action string, strict bool) (string, error) {
	if c.cfg.tokenProvider == nil {
		return NewToken(), nil
	}
	t, err := c.cfg.tokenProvider(ctx, action)
	if err != nil {
		return "", fmt.Errorf("expressconnect: %s: the token provider failed: %w", action, err)
	}
	v := validator{strict: strict}
	if t == "" {
		v.add("Token", paramToken, "the token provider returned an empty token")
	}
	v.add("Token", paramToken, rules.Token(t, strict)...)
	return t, v.result(action)
}

// run sends attempts until one succeeds or the retrier ends the call, and fills out.
func (k *call) run(ctx context.Context, out response) error {
	r := retrier{policy: k.cfg.retry, budget: k.client.budget}
	for n := 1; ; n++ {
		o := k.attempt(ctx, n, out)
		if o.record.Err == nil {
			r.succeeded()
			k.record(ctx, o.record)
			out.result(ResponseMetadata{RequestID: o.record.RequestID, Attempts: k.attempts}, k.info.Token, o.dryRunPassed)
			k.observeCall(ctx, o.record.RequestID, nil)
			return nil
		}
		delay, class, stop := r.next(ctx, n, o.failure)
		o.record.Retry, o.record.Wait = class, delay
		k.record(ctx, o.record)
		if stop != nil {
			return k.fail(ctx, stop)
		}
		if err := sleep(ctx, delay); err != nil {
			return k.fail(ctx, fmt.Errorf("%w while waiting %s to retry; last failure: %w", err, delay.Round(time.Millisecond), o.record.Err))
		}
	}
}

// outcome is what one attempt gave.
type outcome struct {
	record       Attempt
	failure      failure
	dryRunPassed bool
}

// attempt sends attempt number n and decodes its answer into out. Whatever it returns has
// passed the redaction boundary.
func (k *call) attempt(ctx context.Context, n int, out response) outcome {
	start := time.Now()
	actx, cancel := context.WithTimeout(ctx, k.cfg.attemptTimeout)
	defer cancel()
	o, x := k.exchange(actx, out)
	timedOut := time.Duration(0)
	if actx.Err() != nil && ctx.Err() == nil {
		timedOut = k.cfg.attemptTimeout
	}
	err := x.error(o.failure.err, timedOut)
	o.failure.err = err
	o.record.Number, o.record.Start, o.record.Latency = n, start, time.Since(start)
	o.record.RequestID = x.header(o.record.RequestID)
	o.record.Err = err
	if err != nil {
		var apiErr *APIError
		if errors.As(err, &apiErr) {
			o.record.Code = apiErr.Code
		}
		o.record.Family = familyOf(o.record.Code, o.record.StatusCode)
	}
	return o
}

// exchange reads the credentials, signs and sends one request and decodes its answer, and
// returns the redactor that knows the request's secrets.
func (k *call) exchange(ctx context.Context, out response) (outcome, redactor) {
	c := k.client
	cred, err := c.cfg.credentials.read(ctx)
	if err != nil {
		return outcome{failure: failure{err: err}}, newRedactor(credentialValues{}, "")
	}
	skew := time.Duration(0)
	if c.cfg.skewCorrection {
		skew = c.skew.get()
	}
	s := c.signer.sign(signingInput{action: k.info.Operation, params: k.params, cred: cred, host: c.host, skew: skew})
	x := newRedactor(cred, s.signature)
	httpReq, err := http.NewRequestWithContext(ctx, http.MethodPost, c.baseURL, http.NoBody)
	if err != nil {
		return outcome{failure: failure{err: &TransportError{Endpoint: c.baseURL, Err: err}}}, x
	}
	httpReq.URL.RawQuery = s.query // already escaped: parsing it again would only cost time
	httpReq.Header = k.header(s.header)
	sent := time.Now()
	resp, err := c.http.Do(httpReq)
	if err != nil {
		return outcome{failure: failure{err: &TransportError{Endpoint: c.baseURL, Err: err}}}, x
	}
	defer closeBody(resp)
	a := decodeAnswer(ctx, resp, k.info.Operation, k.dryRun, out)
	o := outcome{record: Attempt{StatusCode: resp.StatusCode, RequestID: a.requestID}, dryRunPassed: a.dryRunPassed}
	if a.err == nil {
		return o, x
	}
	o.failure = failure{err: a.err, hint: throttleHint(resp.Header, time.Now().Add(skew))}
	var apiErr *APIError
	if errors.As(a.err, &apiErr) {
		apiErr.retryAfter = o.failure.hint
		if apiErr.Family() == ErrSignature {
			apiErr.clientStringToSign = s.stringToSign
		}
		if apiErr.Code == CodeInvalidTimeStampExpired && c.cfg.skewCorrection && a.fromService {
			o.failure.skewCorrected = c.skew.correct(resp.Header, sent, time.Now(), skew)
		}
	}
	return o, x
}

// header returns the headers of an attempt, with the signature's, a new map each time, since
// a RoundTripper may add to it. The values share one array, which saves allocations on the hot
// path.
func (k *call) header(signed http.Header) http.Header {
	v := [...]string{k.client.userAgent, k.info.Operation, apiVersion, "application/json"}
	h := make(http.Header, 4+len(signed))
	h["User-Agent"], h["X-Acs-Action"], h["X-Acs-Version"], h["Accept"] = v[0:1:1], v[1:2:2], v[2:3:3], v[3:4:4]
	for name, values := range signed {
		h[name] = values
	}
	return h
}

// record keeps a, logs it and reports it to the observer.
func (k *call) record(ctx context.Context, a Attempt) {
	k.attempts = append(k.attempts, a)
	k.logAttempt(ctx, a)
	if o := k.client.cfg.observer; o != nil {
		o.ObserveAttempt(ctx, k.info, a)
	}
}

// fail returns the *OperationError that ends the call with err.
func (k *call) fail(ctx context.Context, err error) error {
	opErr := &OperationError{Operation: k.info.Operation, Token: k.info.Token, Attempts: k.attempts, Err: err}
	k.observeCall(ctx, "", opErr)
	return opErr
}

// observeCall reports the end of the call to the observer.
func (k *call) observeCall(ctx context.Context, requestID string, err error) {
	if o := k.client.cfg.observer; o != nil {
		o.ObserveCall(ctx, k.info, CallResult{Attempts: k.attempts, Duration: time.Since(k.info.Start), RequestID: requestID, Err: err})
	}
}
