package expressconnect

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"time"

	"github.com/aliyun/credentials-go/credentials"
)

// Option configures a Client. NewClient applies options in order and fails on the first
// invalid one with an error matching [ErrInvalidOption].
type Option interface {
	applyClient(*config) error
}

// CallOption configures one call, overriding the client's setting for that call only; the call
// still shares the client's connections and retry budget. Every CallOption is also an Option,
// which sets the client's default for every call. An invalid CallOption fails the call with an
// error matching [ErrInvalidOption], before anything is sent.
type CallOption interface {
	Option
	applyCall(*callConfig) error
}

// config is what the client options set.
type config struct {
	region         string
	unlisted       bool
	endpoint       string
	insecureHTTP   bool
	credentials    credentialSource
	httpClient     *http.Client
	skewCorrection bool
	// rateLimit turns the adaptive rate limiter on.
	rateLimit     bool
	observers     []Observer
	tokenProvider func(ctx context.Context, action string) (string, error)
	appID         string
	algorithm     SignatureAlgorithm
	// call is every call's settings, unless a CallOption overrides them.
	call callConfig
}

// callConfig is what the call options set.
type callConfig struct {
	strict         bool
	attemptTimeout time.Duration
	retry          retryPolicy
}

// clientOption is an Option for the client only.
type clientOption func(*config) error

func (f clientOption) applyClient(c *config) error { return f(c) }

// callOption is a CallOption: applied to a client, it sets the default of every call.
type callOption func(*callConfig) error

func (f callOption) applyClient(c *config) error   { return f(&c.call) }
func (f callOption) applyCall(c *callConfig) error { return f(c) }

// Defaults of the options.
const (
	// DefaultMaxAttempts is how many requests a call sends at most, the first included.
	DefaultMaxAttempts = 3
	// DefaultAttemptTimeout bounds one attempt, from reading the credentials to reading the
	// body.
	DefaultAttemptTimeout = 30 * time.Second
)

func defaultConfig() config {
	return config{
		skewCorrection: true,
		algorithm:      SignatureHMACSHA1,
		call: callConfig{
			strict:         true,
			attemptTimeout: DefaultAttemptTimeout,
			retry:          retryPolicy{maxAttempts: DefaultMaxAttempts, checkRetry: DefaultCheckRetry, backoff: DefaultBackoff()},
		},
	}
}

// invalidOption wraps the error of an option.
func invalidOption(err error) error {
	return fmt.Errorf("expressconnect: %w: %w", ErrInvalidOption, err)
}

// WithRegion sets the client's region, such as "cn-hangzhou". It is the RegionId of requests
// that leave theirs empty, and picks the endpoint unless [WithEndpoint] is given. Default: the
// ALIBABA_CLOUD_REGION_ID environment variable.
func WithRegion(id string) Option {
	return clientOption(func(c *config) error {
		if id == "" {
			return errors.New("WithRegion: region must not be empty")
		}
		c.region = id
		return nil
	})
}

// WithUnlistedRegions lets the client use a region that [Regions] does not list, such as one
// opened after this release, at the endpoint vpc.<region>.aliyuncs.com. Default: a region
// that is not listed is refused, with the nearest listed one suggested, since a typo would
// otherwise build an endpoint that does not exist.
func WithUnlistedRegions() Option {
	return clientOption(func(c *config) error {
		c.unlisted = true
		return nil
	})
}

// WithEndpoint sends every request to endpoint instead of the region's: a host such as
// "vpc.cn-beijing.aliyuncs.com" (HTTPS is used), or a URL with scheme such as
// "http://127.0.0.1:8080". A plain http:// URL is accepted only when its host is loopback
// (localhost, 127.0.0.0/8 or ::1), as the local endpoint's is: over http:// the signature and
// any SecurityToken cross the network in clear, so NewClient refuses any other http:// host
// unless [WithInsecureHTTP] is given. Default: [EndpointForRegion] of the client's region,
// over HTTPS.
func WithEndpoint(endpoint string) Option {
	return clientOption(func(c *config) error {
		base, err := parseEndpoint(endpoint)
		if err != nil {
			return fmt.Errorf("WithEndpoint: %w", err)
		}
		c.endpoint = base
		return nil
	})
}

// WithInsecureHTTP lets [WithEndpoint] name a plain http:// URL whose host is not loopback, such
// as the local endpoint in another container. The signature and any SecurityToken then cross
// the network in clear: anyone on the path can read them and replay the request while its
// signature is valid. Default: NewClient refuses such an endpoint; http:// to a loopback host
// and https:// to any host need no option.
func WithInsecureHTTP() Option {
	return clientOption(func(c *config) error {
		c.insecureHTTP = true
		return nil
	})
}

// WithCredential makes the client sign with cred, any credentials-go Credential (AccessKey,
// STS, RAM role, ECS instance role, OIDC, ...). The client asks cred for its values before
// every attempt, so refreshed credentials are used; a provider that does not answer in time
// fails the attempt when its context ends, with an error matching [ErrCredentials]. Default:
// credentials-go's default chain (environment variables, the credentials file, the ECS RAM
// role, ...).
func WithCredential(cred credentials.Credential) Option {
	return clientOption(func(c *config) error {
		if cred == nil || isNilPointer(cred) {
			return errors.New("WithCredential: credential must not be nil")
		}
		c.credentials = &providerCredentials{cred: cred}
		return nil
	})
}

// WithAccessKey makes the client sign with a static AccessKey pair.
func WithAccessKey(accessKeyID, accessKeySecret string) Option {
	return clientOption(func(c *config) error {
		if accessKeyID == "" || accessKeySecret == "" {
			return errors.New("WithAccessKey: AccessKeyId and AccessKeySecret must not be empty")
		}
		c.credentials = staticCredentials{accessKeyID: accessKeyID, accessKeySecret: accessKeySecret, source: "WithAccessKey"}
		return nil
	})
}

// WithSTSCredentials makes the client sign with static STS credentials: a temporary AccessKey
// pair and its SecurityToken.
func WithSTSCredentials(accessKeyID, accessKeySecret, securityToken string) Option {
	return clientOption(func(c *config) error {
		if accessKeyID == "" || accessKeySecret == "" || securityToken == "" {
			return errors.New("WithSTSCredentials: AccessKeyId, AccessKeySecret and SecurityToken must not be empty")
		}
		c.credentials = staticCredentials{accessKeyID: accessKeyID, accessKeySecret: accessKeySecret, securityToken: securityToken, source: "WithSTSCredentials"}
		return nil
	})
}

// WithHTTPClient sends requests with hc, keeping its transport and timeouts. The client uses a
// shallow copy whose CheckRedirect refuses redirects, since a signed request must not be
// replayed elsewhere. Default: a client with the timeouts listed in the package documentation.
func WithHTTPClient(hc *http.Client) Option {
	return clientOption(func(c *config) error {
		if hc == nil {
			return errors.New("WithHTTPClient: client must not be nil")
		}
		c.httpClient = hc
		return nil
	})
}

// WithClockSkewCorrection turns the clock-skew correction on or off. When on, a call whose
// Timestamp (x-acs-date under [SignatureACS3HMACSHA256]) the service refuses
// (InvalidTimeStamp.Expired) makes the client read the service's time from the refusal's Date
// header, sign from then on with the offset it shows, and retry the call once. Default: on.
func WithClockSkewCorrection(on bool) Option {
	return clientOption(func(c *config) error {
		c.skewCorrection = on
		return nil
	})
}

// WithSignatureAlgorithm makes the client sign every request with a. A partner may choose
// [SignatureACS3HMACSHA256] where a security policy forbids SHA-1 in any form, HMAC included,
// or to follow Alibaba Cloud, which recommends the V3 signature for new code; the calls and
// their answers are the same either way. Default: [SignatureHMACSHA1].
func WithSignatureAlgorithm(a SignatureAlgorithm) Option {
	return clientOption(func(c *config) error {
		if a != SignatureHMACSHA1 && a != SignatureACS3HMACSHA256 {
			return fmt.Errorf("WithSignatureAlgorithm: must be %q or %q, got %q", SignatureHMACSHA1, SignatureACS3HMACSHA256, a)
		}
		c.algorithm = a
		return nil
	})
}

// WithAdaptiveRateLimit turns the client's adaptive rate limiter on or off. The limiter is
// shared by every call and goroutine of the client: it spaces the client's requests, cutting
// their rate at each throttling answer and raising it again as answers come back unthrottled
// (the CUBIC scheme of the AWS SDKs' adaptive retry mode), so that a busy client sends fewer
// requests instead of more retries. Until the first throttling answer it starts at 10
// requests a second and doubles that every second (a slow start, where the AWS SDKs let every
// request through): a client that sends fewer is not held, and one whose many callers start
// at once does not send them all in the service's first second. The wait of each attempt is
// in [Attempt].RateLimitWait.
// Default: off, as in the AWS SDKs, which offer the same scheme as an opt-in retry mode: once
// throttled, the limiter cuts the client to below the rate it was sending at and waits out the
// time the service names, which costs a client that was throttled only once, or by another
// program sharing the account, seconds of waiting, and its slow start spaces a burst that a
// client sends as it starts. Turn it on for a program that runs many
// calls at once against the account's rate limit (bulk creation, a batch of waits): there it
// turns most throttling answers into short waits.
func WithAdaptiveRateLimit(on bool) Option {
	return clientOption(func(c *config) error {
		c.rateLimit = on
		return nil
	})
}

// newLimiter returns the client's rate limiter, or nil when it is off.
func (c *config) newLimiter() *adaptiveLimiter {
	if !c.rateLimit {
		return nil
	}
	return newAdaptiveLimiter(time.Now)
}

// WithObserver makes the client report every attempt and every call to o, with redacted facts
// only. Given more than once, it adds an observer each time; they are called in order. See
// [LogObserver] for one that writes log records. Default: none, nothing is reported.
func WithObserver(o Observer) Option {
	return clientOption(func(c *config) error {
		if o == nil || isNilPointer(o) {
			return errors.New("WithObserver: observer must not be nil")
		}
		c.observers = append(c.observers, o)
		return nil
	})
}

// WithTokenProvider makes the client ask p for the idempotency token of a call to action whose
// request has none. ctx is the call's context, so that p can derive the token from an order ID
// the caller put there. The token must be printable ASCII of at most 64 characters. Default:
// [NewToken].
func WithTokenProvider(p func(ctx context.Context, action string) (string, error)) Option {
	return clientOption(func(c *config) error {
		if p == nil {
			return errors.New("WithTokenProvider: provider must not be nil")
		}
		c.tokenProvider = p
		return nil
	})
}

// maxAppIDLen bounds the application identifier of WithUserAgent.
const maxAppIDLen = 128

// WithUserAgent appends appID, an identifier of the calling application such as
// "partner-provisioner/2.3", to the User-Agent header. It must be 1 to 128 printable ASCII
// characters. Default: none.
func WithUserAgent(appID string) Option {
	return clientOption(func(c *config) error {
		if appID == "" || len(appID) > maxAppIDLen {
			return fmt.Errorf("WithUserAgent: must be 1 to %d characters, got %d", maxAppIDLen, len(appID))
		}
		for i := 0; i < len(appID); i++ {
			if appID[i] < 0x20 || appID[i] > 0x7E {
				return fmt.Errorf("WithUserAgent: must be printable ASCII, got %q", appID)
			}
		}
		c.appID = appID
		return nil
	})
}

// WithLenientValidation skips the client's checks that go beyond what the references state:
// the documented character rules of Name, Description and tags (allowed characters, first
// letter, forbidden prefixes), the guessed shape of ResourceGroupId, control characters in
// tokens, and the 64-character limit of tokens, for when the service accepts more than its
// documentation says. Required fields, lengths, ranges and enumerations are still checked.
// Default: every rule is checked.
func WithLenientValidation() CallOption {
	return callOption(func(c *callConfig) error {
		c.strict = false
		return nil
	})
}

// WithMaxAttempts sets how many requests one call sends at most, the first included; 1 turns
// retries off. Default: [DefaultMaxAttempts] (3).
func WithMaxAttempts(n int) CallOption {
	return callOption(func(c *callConfig) error {
		if n < 1 {
			return fmt.Errorf("WithMaxAttempts: must be at least 1, got %d", n)
		}
		c.retry.maxAttempts = n
		return nil
	})
}

// WithCheckRetry replaces the policy that decides which failures are retried. Default:
// [DefaultCheckRetry].
func WithCheckRetry(check CheckRetry) CallOption {
	return callOption(func(c *callConfig) error {
		if check == nil {
			return errors.New("WithCheckRetry: policy must not be nil")
		}
		c.retry.checkRetry = check
		return nil
	})
}

// WithBackoff replaces the function that computes the wait before a retry. Default:
// [DefaultBackoff]: 50 ms doubling up to 20 s (1 s when throttled), with jitter.
func WithBackoff(b Backoff) CallOption {
	return callOption(func(c *callConfig) error {
		if b == nil {
			return errors.New("WithBackoff: backoff must not be nil")
		}
		c.retry.backoff = b
		return nil
	})
}

// WithAttemptTimeout bounds each attempt, from reading the credentials to reading the whole
// body; the context's deadline always wins when it is earlier. An attempt that runs out of
// this time fails with an error matching [ErrAttemptTimeout]. Default: [DefaultAttemptTimeout]
// (30 s).
func WithAttemptTimeout(d time.Duration) CallOption {
	return callOption(func(c *callConfig) error {
		if d <= 0 {
			return fmt.Errorf("WithAttemptTimeout: must be positive, got %s", d)
		}
		c.attemptTimeout = d
		return nil
	})
}

// isNilPointer reports whether v holds a nil pointer, which an interface nil check misses.
func isNilPointer(v any) bool {
	rv := reflect.ValueOf(v)
	return rv.Kind() == reflect.Pointer && rv.IsNil()
}
