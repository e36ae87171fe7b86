package expressconnect

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"reflect"
	"time"

	"github.com/aliyun/credentials-go/credentials"
)

// Option configures a Client. Options are applied in order by NewClient, which fails on the
// first invalid one.
type Option func(*config) error

// config is what the options set.
type config struct {
	region         string
	endpoint       string
	credential     credentials.Credential
	httpClient     *http.Client
	lenient        bool
	maxAttempts    int
	checkRetry     CheckRetry
	backoff        Backoff
	logger         *slog.Logger
	skewCorrection bool
	attemptTimeout time.Duration
}

// Defaults of the options.
const (
	// DefaultMaxAttempts is how many requests a call sends at most, the first included.
	DefaultMaxAttempts = 3
	// DefaultAttemptTimeout bounds one attempt, from sending the request to reading the body.
	DefaultAttemptTimeout = 30 * time.Second
)

func defaultConfig() config {
	return config{
		maxAttempts:    DefaultMaxAttempts,
		checkRetry:     DefaultCheckRetry,
		backoff:        DefaultBackoff(),
		skewCorrection: true,
		attemptTimeout: DefaultAttemptTimeout,
	}
}

// WithRegion sets the client's region, such as "cn-hangzhou". It is the RegionId of requests
// that leave theirs empty, and picks the endpoint unless WithEndpoint is given. Default: the
// ALIBABA_CLOUD_REGION_ID environment variable.
func WithRegion(id string) Option {
	return func(c *config) error {
		if id == "" {
			return errors.New("WithRegion: region must not be empty")
		}
		c.region = id
		return nil
	}
}

// WithEndpoint sends every request to endpoint instead of the region's: a host such as
// "vpc.cn-beijing.aliyuncs.com" (HTTPS is used), or a URL with scheme such as
// "http://127.0.0.1:8080". Default: EndpointForRegion of the client's region.
func WithEndpoint(endpoint string) Option {
	return func(c *config) error {
		if _, err := parseEndpoint(endpoint); err != nil {
			return fmt.Errorf("WithEndpoint: %w", err)
		}
		c.endpoint = endpoint
		return nil
	}
}

// WithCredential makes the client sign with cred, any credentials-go Credential (AccessKey,
// STS, RAM role, ECS instance role, OIDC, ...). The client asks cred for its values before
// every attempt, so refreshed credentials are used. Default: credentials-go's default chain
// (environment variables, the credentials file, the ECS RAM role, ...).
func WithCredential(cred credentials.Credential) Option {
	return func(c *config) error {
		if cred == nil || isNilPointer(cred) {
			return errors.New("WithCredential: credential must not be nil")
		}
		c.credential = cred
		return nil
	}
}

// WithAccessKey makes the client sign with a static AccessKey pair.
func WithAccessKey(accessKeyID, accessKeySecret string) Option {
	return func(c *config) error {
		if accessKeyID == "" || accessKeySecret == "" {
			return errors.New("WithAccessKey: AccessKeyId and AccessKeySecret must not be empty")
		}
		c.credential = staticCredential{accessKeyID: accessKeyID, accessKeySecret: accessKeySecret}
		return nil
	}
}

// WithSTSToken makes the client sign with static STS credentials: a temporary AccessKey pair
// and its SecurityToken.
func WithSTSToken(accessKeyID, accessKeySecret, securityToken string) Option {
	return func(c *config) error {
		if accessKeyID == "" || accessKeySecret == "" || securityToken == "" {
			return errors.New("WithSTSToken: AccessKeyId, AccessKeySecret and SecurityToken must not be empty")
		}
		c.credential = staticCredential{accessKeyID: accessKeyID, accessKeySecret: accessKeySecret, securityToken: securityToken}
		return nil
	}
}

// WithHTTPClient sends requests with hc, keeping its transport and timeouts. The client uses a
// shallow copy whose CheckRedirect refuses redirects, since a signed request must not be
// replayed elsewhere. Default: a client with the timeouts listed in the package documentation.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) error {
		if hc == nil {
			return errors.New("WithHTTPClient: client must not be nil")
		}
		c.httpClient = hc
		return nil
	}
}

// WithLenientValidation skips the documented character rules of Name, Description and tags
// (allowed characters, first letter, forbidden prefixes), for when the service accepts more
// than its documentation says. Required fields, lengths, ranges and enumerations are still
// checked. Default: every rule is checked.
func WithLenientValidation() Option {
	return func(c *config) error {
		c.lenient = true
		return nil
	}
}

// WithMaxAttempts sets how many requests one call sends at most, the first included; 1 turns
// retries off. Default: DefaultMaxAttempts (3).
func WithMaxAttempts(n int) Option {
	return func(c *config) error {
		if n < 1 {
			return fmt.Errorf("WithMaxAttempts: must be at least 1, got %d", n)
		}
		c.maxAttempts = n
		return nil
	}
}

// WithCheckRetry replaces the policy that decides which failures are retried. Default:
// DefaultCheckRetry.
func WithCheckRetry(check CheckRetry) Option {
	return func(c *config) error {
		if check == nil {
			return errors.New("WithCheckRetry: policy must not be nil")
		}
		c.checkRetry = check
		return nil
	}
}

// WithBackoff replaces the function that computes the wait before a retry. Default:
// DefaultBackoff(), full jitter with a 50 ms base (1 s when throttled) capped at 20 s.
func WithBackoff(b Backoff) Option {
	return func(c *config) error {
		if b == nil {
			return errors.New("WithBackoff: backoff must not be nil")
		}
		c.backoff = b
		return nil
	}
}

// WithAttemptTimeout bounds each attempt, from sending the request to reading the whole body;
// the context's deadline always wins when it is earlier. Default: DefaultAttemptTimeout (30 s).
func WithAttemptTimeout(d time.Duration) Option {
	return func(c *config) error {
		if d <= 0 {
			return fmt.Errorf("WithAttemptTimeout: must be positive, got %s", d)
		}
		c.attemptTimeout = d
		return nil
	}
}

// WithClockSkewCorrection turns the clock-skew correction on or off. When on, the client
// estimates the offset of the local clock from the Date header of the service's answers, signs
// with the corrected time, and retries once a call refused with InvalidTimeStamp.Expired when
// the estimate moved by more than 4 minutes. Default: on.
func WithClockSkewCorrection(on bool) Option {
	return func(c *config) error {
		c.skewCorrection = on
		return nil
	}
}

// WithLogger makes the client write a debug record for every attempt to logger. Secrets are
// never logged and the AccessKeyId is masked. Default: nil, nothing is logged.
func WithLogger(logger *slog.Logger) Option {
	return func(c *config) error {
		c.logger = logger
		return nil
	}
}

// isNilPointer reports whether v holds a nil pointer, which an interface nil check misses.
func isNilPointer(v any) bool {
	rv := reflect.ValueOf(v)
	return rv.Kind() == reflect.Pointer && rv.IsNil()
}
