package expressconnect

import (
	"errors"
	"fmt"
	"net/http"
	"os"
	"runtime"
	"strings"

	"github.com/expressconnect-go/expressconnect/internal/rules"
)

// Version is this SDK's version, sent in the User-Agent header.
const Version = "0.3.0"

// Client calls the Express Connect operations of the VPC API. It is safe for concurrent use;
// create one with [NewClient] and share it. The zero value is not usable: its methods return
// an error matching [ErrUninitializedClient].
type Client struct {
	cfg     config
	baseURL string
	http    *http.Client
	// host is the endpoint's host, which the V3 signature covers.
	host   string
	signer requestSigner
	// observer is where every attempt and call is reported; nil when nothing is.
	observer Observer
	budget   *retryBudget
	// limiter paces the client's requests once the service throttles it; nil when off.
	limiter *adaptiveLimiter
	skew    clockSkew
	// userAgent is the User-Agent header of every request.
	userAgent string
}

// NewClient returns a Client configured by opts. Without options it reads the region from
// ALIBABA_CLOUD_REGION_ID and the credentials from credentials-go's default chain, and sends
// to the region's endpoint over HTTPS with [DefaultMaxAttempts] attempts per call.
func NewClient(opts ...Option) (*Client, error) {
	cfg := defaultConfig()
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt.applyClient(&cfg); err != nil {
			return nil, invalidOption(err)
		}
	}
	if cfg.region == "" {
		cfg.region = os.Getenv("ALIBABA_CLOUD_REGION_ID")
	}
	baseURL, err := cfg.baseURL()
	if err != nil {
		return nil, invalidOption(err)
	}
	if !cfg.insecureHTTP {
		if err := checkPlainHTTP(baseURL); err != nil {
			return nil, invalidOption(err)
		}
	}
	if cfg.credentials == nil {
		creds, err := defaultCredentials()
		if err != nil {
			return nil, fmt.Errorf("expressconnect: %w", err)
		}
		cfg.credentials = creds
	}
	return &Client{
		cfg:       cfg,
		baseURL:   baseURL,
		http:      httpClientFor(cfg.httpClient),
		host:      hostOf(baseURL),
		signer:    newRequestSigner(cfg.algorithm),
		observer:  combineObservers(cfg.observers),
		limiter:   cfg.newLimiter(),
		budget:    newRetryBudget(),
		userAgent: userAgent(cfg.appID),
	}, nil
}

// baseURL returns the URL requests are sent to: WithEndpoint's, else the region's.
func (cfg *config) baseURL() (string, error) {
	switch {
	case cfg.endpoint != "":
		return cfg.endpoint, nil
	case cfg.region == "":
		return "", errors.New("no region: use WithRegion, set ALIBABA_CLOUD_REGION_ID, or give WithEndpoint")
	case !validRegionName(cfg.region):
		return "", fmt.Errorf("region %s", strings.Join(rules.RegionID(cfg.region), "; "))
	case !cfg.unlisted:
		if err := checkRegion(cfg.region); err != nil {
			return "", err
		}
	}
	return parseEndpoint(EndpointForRegion(cfg.region))
}

// newRequestSigner returns the signer of algorithm a.
func newRequestSigner(a SignatureAlgorithm) requestSigner {
	if a == SignatureACS3HMACSHA256 {
		return newSignerV3()
	}
	return newSigner()
}

// userAgent names this SDK, its version, the Go runtime and, when given, the application.
func userAgent(appID string) string {
	ua := "expressconnect-go/" + Version + " (" + runtime.GOOS + "; " + runtime.GOARCH + ") Go/" + runtime.Version()
	if appID != "" {
		ua += " " + appID
	}
	return ua
}

// Region returns the client's region, the RegionId of requests that leave theirs empty; ""
// for a nil Client.
func (c *Client) Region() string {
	if c == nil {
		return ""
	}
	return c.cfg.region
}

// Endpoint returns the URL requests are sent to; "" for a nil Client.
func (c *Client) Endpoint() string {
	if c == nil {
		return ""
	}
	return c.baseURL
}

// Format prints the client's region and endpoint, and nothing else, for every verb (%v, %#v,
// %d, ...), so that no verb shows the credentials.
func (c *Client) Format(f fmt.State, _ rune) {
	_, _ = fmt.Fprintf(f, "expressconnect.Client{region: %q, endpoint: %q}", c.Region(), c.Endpoint())
}
