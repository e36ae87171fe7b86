package expressconnect

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"
)

// This file is the one path every operation takes: an operation's exported method hands its
// request to invoke, which encodes it (checking every field, with the client's region for a
// request that names none) and fills in the idempotency token, then sends attempts (each with
// fresh credentials and a fresh signature, all with the same token) until one succeeds or the
// retrier says stop. Every attempt's outcome passes the redaction boundary (redact.go) before
// it is recorded, observed or returned.

// invoke runs one call of the operation req is for, with the client's settings overridden by
// opts, and returns its response Resp. It is the only place that defaults the region, fills in
// the idempotency token and writes the metadata of a response.
func invoke[Resp any, PResp interface {
	*Resp
	response
}, Req any, PReq interface {
	*Req
	Request
}](ctx context.Context, c *Client, req PReq, opts []CallOption) (*Resp, error) {
	k, err := c.newCall(ctx, req, req == nil, opts)
	if err != nil {
		return nil, err
	}
	if g, ok := Request(req).(*guarded); ok {
		if err := k.confirmTarget(ctx, g.req.PhysicalConnectionID, g.req.VirtualPhysicalConnectionID); err != nil {
			return nil, err
		}
	}
	out := PResp(new(Resp))
	if err := k.run(ctx, out); err != nil {
		return nil, err
	}
	return out, nil
}

// call is one call of an operation and its attempts.
type call struct {
	client *Client
	cfg    callConfig
	// opts are the call's options, for the calls a guard sends on its behalf.
	opts []CallOption
	// region is the request's region, or the client's.
	region string
	info   CallInfo
	// params are the operation's wire parameters, sorted by name, sent with every attempt.
	params   []param
	dryRun   bool
	attempts []Attempt
}

// newCall checks the call's inputs and encodes its request, nil when isNil, with the client's
// region and an idempotency token.
func (c *Client) newCall(ctx context.Context, req Request, isNil bool, opts []CallOption) (*call, error) {
	action := req.action()
	switch {
	case c == nil || c.http == nil:
		return nil, fmt.Errorf("expressconnect: %s: %w: create the Client with NewClient", action, ErrUninitializedClient)
	case ctx == nil:
		return nil, &ValidationError{Operation: action, Violations: []Violation{{Field: "ctx", Param: "-", Rule: "must not be nil"}}}
	case isNil:
		return nil, nilRequest(action)
	}
	cfg, e, err := c.check(req, opts)
	if err != nil {
		return nil, err
	}
	k := &call{client: c, cfg: cfg, opts: opts, info: CallInfo{Operation: action, Start: time.Now(), Endpoint: c.baseURL}}
	if t := &e.token; t.param != "" {
		if t.value == "" {
			v, err := c.newToken(ctx, action, t, k.cfg.strict)
			if err != nil {
				return nil, err
			}
			t.value = v
		}
		e.put(t.param, t.value)
		k.info.Token = t.value
	}
	k.params, k.dryRun, k.region = e.params, e.dryRun, e.regionID
	sortParams(k.params)
	return k, nil
}

// check applies opts to the client's call settings and encodes req with them: the call's
// settings and encoder, or the error of an invalid option or request.
func (c *Client) check(req Request, opts []CallOption) (callConfig, encoder, error) {
	cfg := c.cfg.call
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt.applyCall(&cfg); err != nil {
			return cfg, encoder{}, invalidOption(err)
		}
	}
	e := encodeRequest(req, cfg.strict, c.cfg.region)
	return cfg, e, e.result(req.action())
}

// newToken returns the token of a request to action whose token field f is empty: the token
// provider's, checked, or NewToken's.
func (c *Client) newToken(ctx context.Context, action string, f *tokenField, strict bool) (string, error) {
	if c.cfg.tokenProvider == nil {
		return NewToken(), nil
	}
	t, err := c.cfg.tokenProvider(ctx, action)
	if err != nil {
		return "", fmt.Errorf("expressconnect: %s: the token provider failed: %w", action, err)
	}
	e := encoder{strict: strict}
	if t == "" {
		e.add(f.field, f.param, "the token provider returned an empty token")
	}
	e.checkToken(f.field, f.param, t)
	return t, e.result(action)
}

// run sends attempts until one succeeds or the retrier ends the call, and fills out.
func (k *call) run(ctx context.Context, out response) error {
	r := retrier{policy: k.cfg.retry, budget: k.client.budget}
	for n := 1; ; n++ {
		paced, taken, err := k.client.limiter.acquire(ctx)
		if err != nil {
			return k.fail(ctx, fmt.Errorf("%w while waiting for the client's rate limiter", err))
		}
		o := k.attempt(ctx, n, out)
		o.record.RateLimitWait = paced
		if o.record.StatusCode != 0 {
			k.client.limiter.update(o.record.Family == ErrThrottled, taken, o.failure.hint)
		}
		if o.record.Err == nil {
			r.succeeded()
			k.record(ctx, o.record)
			*out.metadata() = ResponseMetadata{RequestID: o.record.RequestID, Attempts: k.attempts, Token: k.info.Token, DryRun: o.dryRunPassed}
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
	o.record.RequestID = x.requestID(o.record.RequestID)
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
		if family := apiErr.Family(); family == ErrSignature || family == ErrAuthentication {
			apiErr.credentials = cred.describe()
			if family == ErrSignature {
				apiErr.clientStringToSign = s.stringToSign
			}
		}
		if apiErr.Code == CodeInvalidTimeStampExpired && c.cfg.skewCorrection && a.fromService {
			o.failure.skewCorrected = c.skew.correct(resp.Header, sent, time.Now(), skew)
		}
	}
	return o, x
}

// header returns the headers of an attempt: the signature's, which the signer made for this
// attempt alone, and the client's.
func (k *call) header(signed http.Header) http.Header {
	signed["User-Agent"] = []string{k.client.userAgent}
	signed["Accept"] = []string{"application/json"}
	return signed
}

// record keeps a and reports it to the observer: the one place an attempt is reported.
func (k *call) record(ctx context.Context, a Attempt) {
	k.attempts = append(k.attempts, a)
	if o := k.client.observer; o != nil {
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
	if o := k.client.observer; o != nil {
		o.ObserveCall(ctx, k.info, CallResult{Attempts: k.attempts, Duration: time.Since(k.info.Start), RequestID: requestID, Err: err})
	}
}
