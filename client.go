package expressconnect

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime"
	"time"

	"github.com/aliyun/credentials-go/credentials"
)

// Version is this SDK's version, sent in the User-Agent header.
const Version = "0.1.0"

// userAgent names this SDK, its version and the Go runtime.
func userAgent() string {
	return "expressconnect-go/" + Version + " (" + runtime.GOOS + "; " + runtime.GOARCH + ") Go/" + runtime.Version()
}

// Client calls the Express Connect API. It is safe for concurrent use; create one and share it.
type Client struct {
	cfg     config
	creds   credentialSource
	baseURL string
	http    *http.Client
	signer  signer
	budget  *retryBudget
	skew    clockSkew
	// userAgent is the User-Agent header of every request.
	userAgent string
}

// NewClient returns a Client configured by opts. Without options it reads the region from
// ALIBABA_CLOUD_REGION_ID and the credentials from credentials-go's default chain, and sends
// to the region's endpoint over HTTPS with DefaultMaxAttempts attempts per call.
func NewClient(opts ...Option) (*Client, error) {
	cfg := defaultConfig()
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&cfg); err != nil {
			return nil, fmt.Errorf("expressconnect: %w", err)
		}
	}
	if cfg.region == "" {
		cfg.region = os.Getenv("ALIBABA_CLOUD_REGION_ID")
	}
	if cfg.region == "" && cfg.endpoint == "" {
		return nil, fmt.Errorf("expressconnect: no region: use WithRegion, set ALIBABA_CLOUD_REGION_ID, or give WithEndpoint")
	}
	endpoint := cfg.endpoint
	if endpoint == "" {
		endpoint = EndpointForRegion(cfg.region)
	}
	baseURL, err := parseEndpoint(endpoint)
	if err != nil {
		return nil, fmt.Errorf("expressconnect: %w", err)
	}
	if cfg.credential == nil {
		cred, err := credentials.NewCredential(nil)
		if err != nil {
			return nil, fmt.Errorf("%w: the default credential chain: %w", ErrCredentials, err)
		}
		cfg.credential = cred
	}
	return &Client{
		cfg:       cfg,
		creds:     sourceFor(cfg.credential),
		baseURL:   baseURL,
		http:      httpClientFor(cfg.httpClient),
		signer:    newSigner(),
		budget:    newRetryBudget(),
		userAgent: userAgent(),
	}, nil
}

// Region returns the client's region, the RegionId of requests that leave theirs empty.
func (c *Client) Region() string { return c.cfg.region }

// Endpoint returns the URL requests are sent to.
func (c *Client) Endpoint() string { return c.baseURL }

// String describes the client without its credentials.
func (c *Client) String() string {
	return fmt.Sprintf("expressconnect.Client{region: %q, endpoint: %q}", c.cfg.region, c.baseURL)
}

// Format prints String for every verb, so that no verb (%#v, %d, ...) shows the credentials.
func (c *Client) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, c.String()) }

// CreateVirtualPhysicalConnection creates a hosted connection on a partner's circuit for a
// tenant, or checks that it could when req.DryRun is set.
//
// The request is validated first; a request that breaks any rule returns a *ValidationError
// listing every violation, and nothing is sent. The call then sends up to the client's
// maximum number of attempts, each signed anew, all with the same idempotency Token (the
// request's, or one the client generates), so a retry never creates a second connection. Every
// later failure is an *OperationError that carries the Token and wraps the last attempt's
// *APIError, *ResponseError or *TransportError; errors.Is(err, context.DeadlineExceeded) and
// the Code and Family constants work through it.
func (c *Client) CreateVirtualPhysicalConnection(ctx context.Context, req *CreateVirtualPhysicalConnectionRequest) (*CreateVirtualPhysicalConnectionResponse, error) {
	if ctx == nil {
		return nil, errors.New("expressconnect: CreateVirtualPhysicalConnection: nil Context")
	}
	if err := validate(req, c.cfg.region, c.cfg.lenient); err != nil {
		return nil, err
	}
	token := req.Token
	if token == "" {
		token = newToken()
	}
	call := &call{client: c, req: req, token: token}
	resp, err := call.run(ctx)
	if err != nil {
		return nil, &OperationError{Operation: apiAction, Token: token, Attempts: call.attempts, Err: err}
	}
	resp.Token = token
	return resp, nil
}

// call is one CreateVirtualPhysicalConnection call and its attempts.
type call struct {
	client   *Client
	req      *CreateVirtualPhysicalConnectionRequest
	token    string
	attempts int
	// params is the operation's parameters, encoded and sorted once for every attempt.
	params []param
}

// run sends attempts until one succeeds, the policy says stop, or ctx is done.
func (k *call) run(ctx context.Context) (*CreateVirtualPhysicalConnectionResponse, error) {
	c := k.client
	k.params = k.req.appendParams(make([]param, 0, 11+2*len(k.req.Tags)), c.cfg.region, k.token)
	sortParams(k.params)
	skewRetried := false
	for try := 1; ; try++ {
		out := k.attempt(ctx)
		if out.err == nil {
			c.budget.refund()
			return out.resp, nil
		}
		if try >= c.cfg.maxAttempts {
			return nil, out.err
		}
		class := c.cfg.checkRetry(ctx, out.err)
		if class == RetryClockSkew {
			if skewRetried || !out.skewMoved {
				return nil, out.err
			}
			skewRetried = true
		}
		if class == NoRetry {
			return nil, out.err
		}
		delay := c.cfg.backoff(class, try, out.hint)
		if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < delay {
			// The wait would outlast the caller's deadline: fail now rather than sleep for nothing.
			return nil, fmt.Errorf("%w: no time left for a retry after %s; last failure: %w",
				context.DeadlineExceeded, delay, out.err)
		}
		if !c.budget.take(class) {
			return nil, fmt.Errorf("%w; last failure: %w", ErrRetryBudgetExhausted, out.err)
		}
		c.logRetry(ctx, k.attempts, delay)
		if err := wait(ctx, delay); err != nil {
			return nil, fmt.Errorf("%w; last failure: %w", err, out.err)
		}
	}
}

// outcome is what one attempt gave.
type outcome struct {
	resp *CreateVirtualPhysicalConnectionResponse
	err  error
	// hint is the service's throttle hint, if any.
	hint time.Duration
	// skewMoved reports that the answer moved the clock-skew estimate by more than
	// skewRetryThreshold from the one the attempt was signed with.
	skewMoved bool
}

// attempt signs and sends one request and decodes its answer.
func (k *call) attempt(ctx context.Context) outcome {
	c := k.client
	cred, err := readCredential(c.creds)
	if err != nil {
		return outcome{err: err}
	}
	ctx, cancel := context.WithTimeout(ctx, c.cfg.attemptTimeout)
	defer cancel()

	skewUsed := time.Duration(0)
	if c.cfg.skewCorrection {
		skewUsed = c.skew.get()
	}
	query := c.signer.signedQuery(k.params, cred, skewUsed)
	httpReq, err := http.NewRequestWithContext(ctx, http.MethodPost, c.baseURL+"?"+query, http.NoBody)
	if err != nil {
		return outcome{err: &TransportError{Endpoint: c.baseURL, Err: redactURLError(err)}}
	}
	httpReq.Header = http.Header{
		"User-Agent":    {c.userAgent},
		"X-Acs-Action":  {apiAction},
		"X-Acs-Version": {apiVersion},
		"Accept":        {"application/json"},
	}
	k.attempts++
	sent := time.Now()
	resp, err := c.http.Do(httpReq)
	received := time.Now()
	if err != nil {
		out := outcome{err: &TransportError{Endpoint: c.baseURL, Err: redactURLError(err)}}
		c.logAttempt(ctx, k.attempts, sent, nil, out)
		return out
	}
	defer drainAndClose(resp)
	out := outcome{}
	out.resp, out.err = decodeResponse(resp, k.req.DryRun)
	skew := skewUsed
	if c.cfg.skewCorrection {
		if est, ok := c.skew.observe(resp.Header, sent, received); ok {
			out.skewMoved = (est - skewUsed).Abs() > skewRetryThreshold
			skew = est
		}
	}
	if out.err != nil {
		scrubAnswer(out.err, cred, query)
		out.hint = throttleHint(resp.Header, time.Now().Add(skew))
	}
	c.logAttempt(ctx, k.attempts, sent, resp, out)
	return out
}
