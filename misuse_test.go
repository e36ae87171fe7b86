package expressconnect

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// This file checks that misuse and odd answers get a typed error and the documented retry,
// never a panic or a guess.

// TestMisuseUninitializedClient checks that a Client NewClient did not make returns an error
// matching ErrUninitializedClient that names NewClient. v0.1.0 panicked on each (it had no
// ErrUninitializedClient).
func TestMisuseUninitializedClient(t *testing.T) {
	t.Parallel()
	var zero Client
	tests := []struct {
		name   string
		client *Client
	}{
		{"var c Client", &zero},
		{"&Client{}", &Client{}},
		{"nil *Client", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var resp *CreateVirtualPhysicalConnectionResponse
			var err error
			require.NotPanics(t, func() {
				resp, err = tc.client.CreateVirtualPhysicalConnection(context.Background(), minimalRequest())
			})
			assert.Nil(t, resp)
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrUninitializedClient)
			assert.Contains(t, err.Error(), "NewClient")
			assert.Contains(t, err.Error(), actionCreate)
		})
	}
}

// misuseThrottled2xx is the rare answer that carries an error code with a success status.
const misuseThrottled2xx = `{"RequestId":"REQ-2XX-THROTTLED","Code":"Throttling.User","Message":"Request was denied due to user flow control."}`

// TestMisuseThrottlingIn2xx checks that a 2xx answer whose body carries Throttling.User is an
// *APIError (not a success, nor an answer without the hosted connection's ID), matched by its
// code and ErrThrottled, and retried with the throttling backoff. v0.1.0 failed both cases.
func TestMisuseThrottlingIn2xx(t *testing.T) {
	t.Parallel()
	t.Run("retried as throttled, then succeeds", func(t *testing.T) {
		t.Parallel()
		srv := newFixtureServer(t, fixtureJSON(http.StatusOK, misuseThrottled2xx, ""), fixtureOK)
		var classes []RetryClass
		c := fixtureClient(t, srv.URL, WithBackoff(func(class RetryClass, _ int, _ time.Duration) time.Duration {
			classes = append(classes, class)
			return 0
		}))

		resp, err := c.CreateVirtualPhysicalConnection(context.Background(), minimalRequest())

		require.NoError(t, err)
		assert.Len(t, srv.requests(), 2)
		assert.Equal(t, []RetryClass{RetryThrottled}, classes, "the backoff was asked for a throttled retry")
		require.Len(t, resp.Attempts, 2)
		assert.Equal(t, RetryThrottled, resp.Attempts[0].Retry)
		assert.Equal(t, CodeThrottlingUser, resp.Attempts[0].Code)
		assert.Equal(t, ErrThrottled, resp.Attempts[0].Family)
		assert.Equal(t, fixtureOKConnectionID, resp.VirtualPhysicalConnectionID)
	})
	t.Run("throttled on every attempt", func(t *testing.T) {
		t.Parallel()
		srv := newFixtureServer(t, fixtureJSON(http.StatusOK, misuseThrottled2xx, ""))
		c := fixtureClient(t, srv.URL)

		_, err := c.CreateVirtualPhysicalConnection(context.Background(), minimalRequest())

		require.Error(t, err)
		assert.Len(t, srv.requests(), DefaultMaxAttempts)
		var apiErr *APIError
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, http.StatusOK, apiErr.StatusCode)
		assert.Equal(t, "REQ-2XX-THROTTLED", apiErr.RequestID)
		assert.ErrorIs(t, err, CodeThrottlingUser)
		assert.ErrorIs(t, err, ErrThrottled)
		assert.NotErrorIs(t, err, ErrMalformedResponse)
	})
}

// misuseTruncated answers status with a JSON body that stops before its Content-Length, then
// closes the connection.
func misuseTruncated(status int, body string) fixtureStep {
	head := "HTTP/1.1 " + strconv.Itoa(status) + " " + http.StatusText(status) + "\r\n" +
		"Content-Type: application/json\r\nContent-Length: " + strconv.Itoa(len(body)+100) + "\r\n\r\n"
	return fixtureHijack(head+body, false)
}

// TestMisuseTruncatedAnswerRetried checks that an answer cut short is retried whatever its
// status: the service's answer is unknown, and the Token makes the retry safe. v0.1.0 retried
// the 200 only.
func TestMisuseTruncatedAnswerRetried(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		status int
		body   string
	}{
		{"200 cut mid-value", http.StatusOK, `{"RequestId":"req-tr`},
		{"400 cut mid-value", http.StatusBadRequest, `{"RequestId":"req-tr`},
		{"403 cut mid-value", http.StatusForbidden, `{"RequestId":"R","Code":"Forbid`},
		{"400 whole JSON short of its Content-Length", http.StatusBadRequest, `{"RequestId":"R","Code":"IllegalParam.Spec","Message":"m"}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newFixtureServer(t, misuseTruncated(tc.status, tc.body), fixtureOK)
			c := fixtureClient(t, srv.URL)

			resp, err := c.CreateVirtualPhysicalConnection(context.Background(), minimalRequest())

			require.NoError(t, err)
			assert.Len(t, srv.requests(), 2)
			require.Len(t, resp.Attempts, 2)
			assert.Equal(t, RetryTransient, resp.Attempts[0].Retry)
			assert.Equal(t, tc.status, resp.Attempts[0].StatusCode)
			var respErr *ResponseError
			require.ErrorAs(t, resp.Attempts[0].Err, &respErr)
			assert.True(t, respErr.Incomplete())
			assert.ErrorIs(t, resp.Attempts[0].Err, ErrMalformedResponse)
		})
	}
}

// TestMisuseUnknownRetryClass checks that a CheckRetry answering a class that does not exist
// means no retry, as RetryClass documents, rather than a guess at one. v0.1.0 retried them.
func TestMisuseUnknownRetryClass(t *testing.T) {
	t.Parallel()
	for _, class := range []RetryClass{RetryClass(42), RetryClass(-1), RetryClockSkew + 1} {
		t.Run(class.String(), func(t *testing.T) {
			t.Parallel()
			srv := newFixtureServer(t, fixtureAPI(http.StatusServiceUnavailable, string(CodeServiceUnavailable)))
			asked := 0
			c := fixtureClient(t, srv.URL, WithCheckRetry(func(context.Context, error) RetryClass {
				asked++
				return class
			}))

			_, err := c.CreateVirtualPhysicalConnection(context.Background(), minimalRequest())

			require.Error(t, err)
			assert.ErrorIs(t, err, CodeServiceUnavailable)
			assert.Equal(t, 1, asked, "the policy was asked")
			assert.Len(t, srv.requests(), 1, "no retry")
			var opErr *OperationError
			require.ErrorAs(t, err, &opErr)
			require.Len(t, opErr.Attempts, 1)
			assert.Equal(t, NoRetry, opErr.Attempts[0].Retry)
		})
	}
}

// TestMisuseEndpoint checks the endpoints WithEndpoint refuses: no host, no or a bad port.
// v0.1.0 accepted every one but "", "http://" and "https://".
func TestMisuseEndpoint(t *testing.T) {
	t.Parallel()
	for _, endpoint := range []string{
		"", "http://", "https://", "http://:8080", ":8080",
		"http://127.0.0.1:0", "http://127.0.0.1:65536", "127.0.0.1:99999", "http://[::1]:0",
		"vpc.aliyuncs.com:", "http://vpc.aliyuncs.com:", "http://[::1]:",
	} {
		t.Run(endpoint, func(t *testing.T) {
			t.Parallel()
			c, err := NewClient(WithAccessKey("id", "secret"), WithRegion("cn-hangzhou"), WithEndpoint(endpoint))

			assert.Nil(t, c)
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrInvalidOption)
			assert.Contains(t, err.Error(), "WithEndpoint")
		})
	}
}

// TestMisuseEndpointIPv6Zone checks that an IPv6 link-local endpoint with a zone is accepted
// (over plain http://, which a host that is not loopback needs WithInsecureHTTP for), and that
// Endpoint returns a base URL http.NewRequest parses back to the same host, zone and
// port. v0.1.0 returned "http://[fe80::1%eth0]:8080/", which http.NewRequest refuses.
func TestMisuseEndpointIPv6Zone(t *testing.T) {
	t.Parallel()
	c, err := NewClient(WithAccessKey("id", "secret"), WithRegion("cn-hangzhou"), WithEndpoint("http://[fe80::1%25eth0]:8080"), WithInsecureHTTP())
	require.NoError(t, err)

	assert.Equal(t, "http://[fe80::1%25eth0]:8080/", c.Endpoint())
	req, err := http.NewRequest(http.MethodPost, c.Endpoint(), http.NoBody)
	require.NoError(t, err)
	assert.Equal(t, "fe80::1%eth0", req.URL.Hostname())
	assert.Equal(t, "8080", req.URL.Port())
	assert.Equal(t, "/", req.URL.Path)
	assert.True(t, strings.HasPrefix(req.URL.String(), "http://[fe80::1%25eth0]:8080/"))
}

// TestMisuseNilClientAccessors checks that a nil *Client's accessors answer instead of
// panicking.
func TestMisuseNilClientAccessors(t *testing.T) {
	t.Parallel()
	var c *Client
	assert.Empty(t, c.Region())
	assert.Empty(t, c.Endpoint())
	assert.Equal(t, `expressconnect.Client{region: "", endpoint: ""}`, fmt.Sprint(c))
}
