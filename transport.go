package expressconnect

import (
	"crypto/tls"
	"net"
	"net/http"
	"time"
)

// Timeouts and pool size of the default transport.
const (
	dialTimeout           = 5 * time.Second
	tlsHandshakeTimeout   = 5 * time.Second
	responseHeaderTimeout = 10 * time.Second
	idleConnsPerHost      = 10
	idleConnTimeout       = 90 * time.Second
)

// httpClientFor returns the *http.Client the Client sends with: a shallow copy of the caller's,
// or a new one with the default transport, refusing redirects in both cases.
func httpClientFor(hc *http.Client) *http.Client {
	var out http.Client
	if hc != nil {
		out = *hc
	} else {
		out.Transport = defaultTransport()
	}
	out.CheckRedirect = refuseRedirect
	return &out
}

// refuseRedirect hands a redirect back to the caller instead of following it: a signed request
// must not be replayed to another host.
func refuseRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

func defaultTransport() *http.Transport {
	return &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           defaultDialer().DialContext,
		TLSClientConfig:       &tls.Config{MinVersion: tls.VersionTLS12},
		TLSHandshakeTimeout:   tlsHandshakeTimeout,
		ResponseHeaderTimeout: responseHeaderTimeout,
		MaxIdleConns:          100,
		MaxIdleConnsPerHost:   idleConnsPerHost,
		IdleConnTimeout:       idleConnTimeout,
		ForceAttemptHTTP2:     true,
	}
}

// defaultDialer is the dialer of the default transport.
func defaultDialer() *net.Dialer {
	return &net.Dialer{Timeout: dialTimeout, KeepAlive: 30 * time.Second}
}
