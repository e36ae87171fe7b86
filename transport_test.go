package expressconnect

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTransportDefaults checks the client the SDK builds when the caller gives none: dial 5 s,
// TLS handshake 5 s, response headers 10 s, 10 idle connections per host, TLS 1.2 minimum,
// proxy from the environment, redirects refused.
func TestTransportDefaults(t *testing.T) {
	t.Parallel()
	hc := httpClientFor(nil)
	tr, ok := hc.Transport.(*http.Transport)
	require.True(t, ok, "the default transport is an *http.Transport, got %T", hc.Transport)

	assert.Equal(t, 5*time.Second, defaultDialer().Timeout, "dial timeout")
	assert.Equal(t, reflect.ValueOf(defaultDialer().DialContext).Pointer(), reflect.ValueOf(tr.DialContext).Pointer(),
		"the transport dials with a *net.Dialer (method values share one code pointer, so this checks the kind, not the instance)")
	assert.Equal(t, 5*time.Second, tr.TLSHandshakeTimeout)
	assert.Equal(t, 10*time.Second, tr.ResponseHeaderTimeout)
	assert.Equal(t, 10, tr.MaxIdleConnsPerHost)
	assert.False(t, tr.DisableKeepAlives, "idle connections are kept")
	assert.Positive(t, tr.IdleConnTimeout)
	require.NotNil(t, tr.TLSClientConfig)
	assert.Equal(t, uint16(tls.VersionTLS12), tr.TLSClientConfig.MinVersion)
	assert.False(t, tr.TLSClientConfig.InsecureSkipVerify)
	require.NotNil(t, tr.Proxy)
	assert.Equal(t, reflect.ValueOf(http.ProxyFromEnvironment).Pointer(), reflect.ValueOf(tr.Proxy).Pointer(),
		"the proxy comes from HTTPS_PROXY / NO_PROXY")
	assert.Zero(t, hc.Timeout, "the per-attempt context bounds each attempt, not http.Client.Timeout")
	require.NotNil(t, hc.CheckRedirect)
	assert.ErrorIs(t, hc.CheckRedirect(&http.Request{}, nil), http.ErrUseLastResponse)

	other := httpClientFor(nil)
	assert.NotSame(t, hc.Transport, other.Transport, "each Client has its own connection pool")
}

// TestTransportCallersClient checks that a caller's *http.Client keeps its transport and
// timeout, gets redirects refused, and is not itself modified.
func TestTransportCallersClient(t *testing.T) {
	t.Parallel()
	follow := func(*http.Request, []*http.Request) error { return nil }
	rt := &http.Transport{}
	caller := &http.Client{Transport: rt, Timeout: 7 * time.Second, CheckRedirect: follow}

	hc := httpClientFor(caller)

	assert.NotSame(t, caller, hc)
	assert.Same(t, rt, hc.Transport)
	assert.Equal(t, 7*time.Second, hc.Timeout)
	assert.ErrorIs(t, hc.CheckRedirect(&http.Request{}, nil), http.ErrUseLastResponse)
	assert.NoError(t, caller.CheckRedirect(&http.Request{}, nil), "the caller's client is unchanged")
}

// TestTransportRedactCause checks that the redaction boundary strips a *url.Error, whose text
// holds the signed query, scrubs what remains of the secrets, and keeps errors.Is and
// errors.As to the network error working.
func TestTransportRedactCause(t *testing.T) {
	t.Parallel()
	netErr := &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
	cred := credentialValues{accessKeyID: "LTAI5tTransportKey01", accessKeySecret: "transport-secret", securityToken: "CAIS+tok/en="}
	sig := "abc+def/ghi="
	signed := "https://vpc.aliyuncs.com/?AccessKeyId=" + cred.accessKeyID + "&Signature=" + url.QueryEscape(sig) +
		"&SecurityToken=" + escape(cred.securityToken)
	tests := []struct {
		name string
		in   error
		want error
	}{
		{"url.Error", &url.Error{Op: "Post", URL: signed, Err: netErr}, netErr},
		{"url.Error in a url.Error", &url.Error{Op: "Post", URL: signed, Err: &url.Error{Op: "Post", URL: signed, Err: netErr}}, netErr},
		{"wrapped url.Error", fmt.Errorf("sending: %w", &url.Error{Op: "Post", URL: signed, Err: netErr}), netErr},
		{"url.Error of a deadline", &url.Error{Op: "Post", URL: signed, Err: context.DeadlineExceeded}, context.DeadlineExceeded},
		{"error formatted with the URL", fmt.Errorf("proxy refused %s: %w", signed, netErr), netErr},
		{"other error", netErr, netErr},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			x := newRedactor(cred, sig)
			got := x.cause(tt.in, 0)
			assert.ErrorIs(t, got, tt.want)
			var opErr *net.OpError
			assert.Equal(t, errors.As(tt.in, &opErr), errors.As(got, &opErr), "errors.As reaches a *net.OpError")
			var uErr *url.Error
			assert.False(t, errors.As(got, &uErr), "no *url.Error is handed out")
			for _, secret := range []string{cred.accessKeyID, cred.accessKeySecret, cred.securityToken, sig} {
				for _, form := range canaryForms(secret) {
					assert.NotContains(t, got.Error(), form)
					assert.NotContains(t, fmt.Sprintf("%#v", got), form)
				}
			}
		})
	}
}

// TestTransportErrorsHideTheQuery checks end to end that transport failures reach the caller as
// *TransportError without the signed query, and still unwrap to the network error.
func TestTransportErrorsHideTheQuery(t *testing.T) {
	leakCheck(t)
	srv := newFixtureServer(t, fixtureSlow(5*time.Second))
	tests := []struct {
		name     string
		endpoint string
		opts     []Option
		is       error
		timeout  bool
	}{
		{name: "connection refused", endpoint: fixtureClosedURL(t), is: syscall.ECONNREFUSED},
		{name: "attempt timeout", endpoint: srv.URL, opts: []Option{WithAttemptTimeout(50 * time.Millisecond)},
			is: ErrAttemptTimeout, timeout: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := fixtureClient(t, tt.endpoint, append([]Option{WithMaxAttempts(1)}, tt.opts...)...)

			_, err := c.CreateVirtualPhysicalConnection(context.Background(), minimalRequest())

			require.Error(t, err)
			var tErr *TransportError
			require.ErrorAs(t, err, &tErr)
			assert.Equal(t, c.Endpoint(), tErr.Endpoint, "the endpoint without a query")
			assert.ErrorIs(t, err, tt.is)
			assert.Equal(t, tt.timeout, tErr.Timeout())
			var uErr *url.Error
			assert.False(t, errors.As(err, &uErr), "a *url.Error reached the caller")
			for _, s := range []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", tErr)} {
				for _, leak := range []string{"?", "Signature", "AccessKeyId", fixtureAccessKeyID, "SignatureNonce", "Timestamp="} {
					assert.NotContains(t, s, leak)
				}
			}
		})
	}
}

// TestTransportBodiesDrainedAndReused checks that every answer's body is read and closed, so
// that a run of calls with successes, API errors, HTML pages, retries and an error body a little
// over the size limit (its rest drained) uses one connection.
func TestTransportBodiesDrainedAndReused(t *testing.T) {
	leakCheck(t)
	var conns atomic.Int32
	var n atomic.Int32
	padding := strings.Repeat(" ", 3000)
	countConns := func(s *http.Server) {
		s.ConnState = func(_ net.Conn, state http.ConnState) {
			if state == http.StateNew {
				conns.Add(1)
			}
		}
	}
	srv := newFixtureServerWith(t, countConns, func(w http.ResponseWriter, r *http.Request) {
		switch n.Add(1) {
		case 1:
			w.WriteHeader(http.StatusBadRequest)
			_, _ = fmt.Fprint(w, strings.Repeat("x", maxErrorBody+2000))
		case 2:
			fixtureAPI(503, "ServiceUnavailable")(w, r)
		case 3:
			fixtureHTML(502)(w, r)
		case 5:
			fixtureAPI(400, "MissingParameter")(w, r)
		case 6:
			w.WriteHeader(http.StatusBadGateway)
			_, _ = fmt.Fprint(w, "<html>"+padding+"</html>")
		default:
			fixtureOK(w, r)
		}
	})
	c := fixtureClient(t, srv.URL)
	call := func() error {
		_, err := c.CreateVirtualPhysicalConnection(context.Background(), minimalRequest())
		return err
	}

	require.ErrorIs(t, call(), ErrResponseTooLarge, "a body 2000 bytes over the limit, the rest drained")
	require.NoError(t, call(), "503, 502 HTML, then 200")
	require.ErrorIs(t, call(), CodeMissingParameter)
	require.NoError(t, call(), "padded 502 HTML, then 200")

	assert.Len(t, srv.requests(), 7)
	assert.Equal(t, int32(1), conns.Load(), "connections opened")
}

// TestTransportAttemptTimeoutCoversBody checks that the per-attempt deadline is still running
// while the body is read: a body that drips forever ends the attempt after the attempt timeout,
// though its headers came at once.
func TestTransportAttemptTimeoutCoversBody(t *testing.T) {
	leakCheck(t)
	srv := newFixtureServer(t, fixtureDrip(10*time.Millisecond))
	c := fixtureClient(t, srv.URL, WithMaxAttempts(1), WithAttemptTimeout(150*time.Millisecond))

	start := time.Now()
	_, err := c.CreateVirtualPhysicalConnection(context.Background(), minimalRequest())
	elapsed := time.Since(start)

	require.Error(t, err)
	assert.ErrorIs(t, err, ErrAttemptTimeout)
	assert.NotErrorIs(t, err, context.DeadlineExceeded, "the caller's context did not expire")
	var respErr *ResponseError
	require.ErrorAs(t, err, &respErr, "the headers arrived; the body did not")
	assert.Equal(t, http.StatusOK, respErr.StatusCode)
	assert.GreaterOrEqual(t, elapsed, 150*time.Millisecond)
	assert.Less(t, elapsed, time.Second)
}

// TestTransportContextDeadlineWins checks that a caller's deadline earlier than the attempt
// timeout ends the call at the caller's deadline.
func TestTransportContextDeadlineWins(t *testing.T) {
	leakCheck(t)
	srv := newFixtureServer(t, fixtureDrip(10*time.Millisecond))
	c := fixtureClient(t, srv.URL, WithAttemptTimeout(10*time.Second))
	// The deadline leaves a loaded machine ample time to send the request; the bound on the
	// call is half the attempt timeout, which a call that outlives its deadline reaches.
	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()

	_, err := c.CreateVirtualPhysicalConnection(ctx, minimalRequest())

	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.NotErrorIs(t, err, ErrAttemptTimeout, "the caller's deadline, not the attempt's")
	elapsed := time.Since(start)
	assert.GreaterOrEqual(t, elapsed, time.Second, "not before the deadline")
	assert.Less(t, elapsed, 5*time.Second, "long before the attempt timeout")
	assert.Len(t, srv.requests(), 1, "an expired caller deadline is not retried")
}

// TestTransportTLSFailuresNotRetried checks end to end, through the redaction boundary, that a
// certificate the client cannot trust ends the call after one attempt (docs/configuration.md:
// TLS certificate errors are not retried) and that errors.As still reaches the TLS error types:
// an unknown authority with the default transport, and a certificate for another host name.
func TestTransportTLSFailuresNotRetried(t *testing.T) {
	t.Parallel()
	var served atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		served.Add(1)
		fixtureOK(w, r)
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshakes
	srv.StartTLS()
	t.Cleanup(srv.Close)
	roots := x509.NewCertPool()
	roots.AddCert(srv.Certificate())
	otherHost := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots, ServerName: "vpc.aliyuncs.com"}}
	t.Cleanup(otherHost.CloseIdleConnections)
	tests := []struct {
		name  string
		opts  []Option
		check func(t *testing.T, err error)
	}{
		{name: "unknown authority, default transport", check: func(t *testing.T, err error) {
			var unknown x509.UnknownAuthorityError
			assert.ErrorAs(t, err, &unknown)
		}},
		{name: "certificate of another host", opts: []Option{WithHTTPClient(&http.Client{Transport: otherHost})},
			check: func(t *testing.T, err error) {
				var hostErr x509.HostnameError
				require.ErrorAs(t, err, &hostErr)
				assert.Equal(t, "vpc.aliyuncs.com", hostErr.Host)
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := fixtureClient(t, srv.URL, tc.opts...)

			_, err := c.CreateVirtualPhysicalConnection(context.Background(), minimalRequest())

			require.Error(t, err)
			var opErr *OperationError
			require.ErrorAs(t, err, &opErr)
			require.Len(t, opErr.Attempts, 1, "not retried")
			assert.Equal(t, NoRetry, opErr.Attempts[0].Retry)
			var tErr *TransportError
			assert.ErrorAs(t, err, &tErr)
			var certErr *tls.CertificateVerificationError
			assert.ErrorAs(t, err, &certErr)
			var uErr *url.Error
			assert.False(t, errors.As(err, &uErr), "a *url.Error reached the caller")
			tc.check(t, err)
		})
	}
	// After the parallel subtests, which run once this function has returned.
	t.Cleanup(func() { assert.Zero(t, served.Load(), "no request got through") })
}

// TestTransportTooLargeSuccessDrained checks that a 2xx body over its limit is drained like an
// error body: the rest, under maxDrain, is read, and the connection serves the next call.
func TestTransportTooLargeSuccessDrained(t *testing.T) {
	leakCheck(t)
	var conns atomic.Int32
	var n atomic.Int32
	countConns := func(s *http.Server) {
		s.ConnState = func(_ net.Conn, state http.ConnState) {
			if state == http.StateNew {
				conns.Add(1)
			}
		}
	}
	srv := newFixtureServerWith(t, countConns, func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			w.WriteHeader(http.StatusOK)
			_, _ = fmt.Fprint(w, strings.Repeat("x", maxSuccessBody+2000))
			return
		}
		fixtureOK(w, r)
	})
	c := fixtureClient(t, srv.URL)

	_, err := c.CreateVirtualPhysicalConnection(context.Background(), minimalRequest())
	require.ErrorIs(t, err, ErrResponseTooLarge, "a 200 body 2000 bytes over the limit, the rest drained")
	_, err = c.CreateVirtualPhysicalConnection(context.Background(), minimalRequest())
	require.NoError(t, err)

	assert.Len(t, srv.requests(), 2)
	assert.Equal(t, int32(1), conns.Load(), "connections opened")
}
