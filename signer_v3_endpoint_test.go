package expressconnect_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/expressconnect-go/expressconnect"
	"github.com/expressconnect-go/expressconnect/expressconnecttest"
)

// These tests drive the client signing with ACS3-HMAC-SHA256 against the local endpoint,
// which verifies V3 requests with its own implementation.

// v3Tenant is the tenant UID of the V3 tests.
const v3Tenant = "1210123456123456"

// v3 selects the V3 signature.
var v3 = expressconnect.WithSignatureAlgorithm(expressconnect.SignatureACS3HMACSHA256)

// v3Create returns a create request on the endpoint's default circuit on vlan.
func v3Create(vlan int) *expressconnect.CreateVirtualPhysicalConnectionRequest {
	return &expressconnect.CreateVirtualPhysicalConnectionRequest{
		PhysicalConnectionID: expressconnecttest.DefaultCircuitID,
		VpconnAliUID:         v3Tenant,
		VLANID:               expressconnect.VLAN(vlan),
		Spec:                 expressconnect.Spec100M,
		OrderMode:            expressconnect.PayByPhysicalConnectionOwner,
		Name:                 "v3-tenant",
		Description:          "Desc with space * ~ / + = & % 中文",
	}
}

// v3Client returns the server's client signing with V3, with opts after the server's own.
func v3Client(t *testing.T, s *expressconnecttest.Server, opts ...expressconnect.Option) *expressconnect.Client {
	t.Helper()
	c, err := s.Client(append([]expressconnect.Option{v3}, opts...)...)
	require.NoError(t, err)
	return c
}

// assertV3Requests checks that every request the server recorded was V3-signed: an
// Authorization header (its signature redacted) and none of the RPC signature's parameters.
func assertV3Requests(t *testing.T, s *expressconnecttest.Server) {
	t.Helper()
	reqs, _ := receivedSince(t, s, 0)
	for i, r := range reqs {
		assert.True(t, strings.HasPrefix(r.Header.Get("Authorization"), "ACS3-HMAC-SHA256 Credential="), "request %d", i)
		assert.True(t, strings.HasSuffix(r.Header.Get("Authorization"), ",Signature=<redacted>"), "request %d", i)
		for _, name := range []string{"AccessKeyId", "Action", "Version", "Format", "Signature", "SignatureMethod",
			"SignatureNonce", "SignatureVersion", "Timestamp", "SecurityToken"} {
			assert.False(t, r.Params.Has(name), "request %d carries %s", i, name)
		}
	}
}

// TestV3Lifecycle creates, lists, updates and deletes a hosted connection with the V3
// signature.
func TestV3Lifecycle(t *testing.T) {
	t.Parallel()
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{})
	c := v3Client(t, s)
	ctx := context.Background()

	created, err := c.CreateVirtualPhysicalConnection(ctx, v3Create(100))
	require.NoError(t, err)
	id := created.VirtualPhysicalConnectionID

	listed, err := c.ListVirtualPhysicalConnections(ctx, &expressconnect.ListVirtualPhysicalConnectionsRequest{VirtualPhysicalConnectionIDs: []string{id}})
	require.NoError(t, err)
	require.Len(t, listed.VirtualPhysicalConnections, 1)
	assert.Equal(t, "Desc with space * ~ / + = & % 中文", listed.VirtualPhysicalConnections[0].Description)

	_, err = c.UpdateVirtualPhysicalConnection(ctx, &expressconnect.UpdateVirtualPhysicalConnectionRequest{
		VirtualPhysicalConnectionID: id, VLANID: expressconnect.VLAN(101), ExpectSpec: expressconnect.Spec200M})
	require.NoError(t, err)
	assert.Equal(t, expressconnect.VLAN(101), heldConnection(t, s, id).VLANID)

	_, err = c.DeleteVirtualPhysicalConnection(ctx, &expressconnect.HostedConnectionRequest{PhysicalConnectionID: expressconnecttest.DefaultCircuitID, VirtualPhysicalConnectionID: id})
	require.NoError(t, err)
	assert.Equal(t, expressconnect.VpconnStatusDeleted, heldConnection(t, s, id).VirtualPhysicalConnectionStatus)

	reqs, _ := receivedSince(t, s, 0)
	require.Len(t, reqs, 5)
	for i, action := range []string{"CreateVirtualPhysicalConnection", "ListVirtualPhysicalConnections",
		"UpdateVirtualPhysicalConnection", "ListVirtualPhysicalConnections", "DeletePhysicalConnection"} {
		assert.Equal(t, action, reqs[i].Action)
		assert.True(t, reqs[i].SignatureVerified, action)
		assert.Equal(t, http.StatusOK, reqs[i].StatusCode, action)
	}
	assertV3Requests(t, s)
}

// TestV3WrongSecret checks that a wrong AccessKeySecret gets SignatureDoesNotMatch, whose
// server string to sign equals the client's: the way to tell a wrong secret from a request
// changed on the way.
func TestV3WrongSecret(t *testing.T) {
	t.Parallel()
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{})
	c := v3Client(t, s, expressconnect.WithAccessKey(s.Account().AccessKeyID, "not-the-secret"))

	_, err := c.CreateVirtualPhysicalConnection(context.Background(), v3Create(102))

	require.ErrorIs(t, err, expressconnect.CodeSignatureDoesNotMatch)
	var apiErr *expressconnect.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Regexp(t, "^ACS3-HMAC-SHA256\n[0-9a-f]{64}$", apiErr.ServerStringToSign())
	assert.Equal(t, apiErr.ServerStringToSign(), apiErr.ClientStringToSign())
	assert.Empty(t, heldConnections(t, s))
}

// TestV3STS checks a call with STS credentials over V3, and that the endpoint's record keeps
// the token only redacted.
func TestV3STS(t *testing.T) {
	t.Parallel()
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{})
	sts := s.Account().STS
	c := v3Client(t, s, expressconnect.WithSTSCredentials(sts.AccessKeyID, sts.AccessKeySecret, sts.SecurityToken))

	_, err := c.CreateVirtualPhysicalConnection(context.Background(), v3Create(103))
	require.NoError(t, err)

	reqs, _ := receivedSince(t, s, 0)
	require.Len(t, reqs, 1)
	assert.Equal(t, "<redacted>", reqs[0].Header.Get("x-acs-security-token"))
	assert.Contains(t, reqs[0].Header.Get("Authorization"), "x-acs-security-token")
	assertV3Requests(t, s)

	require.NoError(t, s.Admin().ExpireSTSCredentials(context.Background()))
	_, err = c.CreateVirtualPhysicalConnection(context.Background(), v3Create(104))
	assert.ErrorIs(t, err, expressconnect.CodeInvalidSecurityTokenExpired)
}

// replayTransport sends the first request it is given twice and returns the second answer, as
// if the network had replayed it; it sends every other request once.
type replayTransport struct {
	base *http.Transport

	mu       sync.Mutex
	replayed bool
}

func (rt *replayTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	rt.mu.Lock()
	replay := !rt.replayed
	rt.replayed = true
	rt.mu.Unlock()
	if replay {
		resp, err := rt.base.RoundTrip(r.Clone(r.Context()))
		if err != nil {
			return nil, err
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
	}
	return rt.base.RoundTrip(r)
}

// TestV3ReplayedNonce checks that a replayed V3 request is refused with SignatureNonceUsed, and
// that the client's retry, signed with a fresh nonce, ends the call with the hosted connection
// the first request created.
func TestV3ReplayedNonce(t *testing.T) {
	t.Parallel()
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{})
	rt := &replayTransport{base: http.DefaultTransport.(*http.Transport).Clone()}
	t.Cleanup(rt.base.CloseIdleConnections)
	c := v3Client(t, s, expressconnect.WithHTTPClient(&http.Client{Transport: rt}))

	resp, err := c.CreateVirtualPhysicalConnection(context.Background(), v3Create(105))

	require.NoError(t, err)
	reqs, _ := receivedSince(t, s, 0)
	require.Len(t, reqs, 3)
	assert.Equal(t, expressconnect.Code(""), reqs[0].Code, "the request")
	assert.Equal(t, expressconnect.CodeSignatureNonceUsed, reqs[1].Code, "its replay")
	assert.Equal(t, expressconnect.Code(""), reqs[2].Code, "the client's retry")
	assert.Equal(t, reqs[0].Header.Get("x-acs-signature-nonce"), reqs[1].Header.Get("x-acs-signature-nonce"))
	assert.NotEqual(t, reqs[0].Header.Get("x-acs-signature-nonce"), reqs[2].Header.Get("x-acs-signature-nonce"))
	conns := heldConnections(t, s)
	require.Len(t, conns, 1)
	assert.Equal(t, conns[0].VirtualPhysicalConnectionID, resp.VirtualPhysicalConnectionID)
}

// TestV3ClockSkew checks x-acs-date against a server clock 20 minutes off: refused as expired
// without the clock-skew correction, and corrected with it, the first call taking two requests
// and the next one request.
func TestV3ClockSkew(t *testing.T) {
	t.Parallel()
	for _, offset := range []time.Duration{20 * time.Minute, -20 * time.Minute} {
		t.Run(offset.String(), func(t *testing.T) {
			t.Parallel()
			s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{ClockOffset: offset})
			ctx := context.Background()

			off := v3Client(t, s, expressconnect.WithClockSkewCorrection(false))
			_, err := off.CreateVirtualPhysicalConnection(ctx, v3Create(106))
			require.ErrorIs(t, err, expressconnect.CodeInvalidTimeStampExpired)
			var opErr *expressconnect.OperationError
			require.ErrorAs(t, err, &opErr)
			assert.Len(t, opErr.Attempts, 1)

			_, refused := receivedSince(t, s, 0)
			on := v3Client(t, s)
			_, err = on.CreateVirtualPhysicalConnection(ctx, v3Create(107))
			require.NoError(t, err)
			_, err = on.CreateVirtualPhysicalConnection(ctx, v3Create(108))
			require.NoError(t, err)

			reqs, _ := receivedSince(t, s, refused)
			require.Len(t, reqs, 3)
			assert.Equal(t, expressconnect.CodeInvalidTimeStampExpired, reqs[0].Code)
			for i, r := range reqs {
				date, err := time.Parse(time.RFC3339, r.Header.Get("x-acs-date"))
				require.NoError(t, err)
				want := offset
				if i == 0 {
					want = 0
				}
				assert.InDelta(t, want.Seconds(), time.Until(date).Seconds(), 60, "request %d's x-acs-date", i)
			}
		})
	}
}

// Canary credentials of the V3 redaction test: none of these may appear in an error, a log
// record or a formatted value, except the AccessKeyId masked to its first and last 4
// characters.
const (
	v3CanaryKeyID  = "LTAIv3CanaryKeyId0123456789ab"
	v3CanarySecret = "v3CanarySECRET/with+chars=0001"
	v3CanaryToken  = "CAISv3CanaryTOKEN/xyz+abc=0002"
)

// signatureTransport keeps the signature of every request it sends.
type signatureTransport struct {
	base *http.Transport

	mu         sync.Mutex
	signatures []string
}

func (rt *signatureTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	auth := r.Header.Get("Authorization")
	rt.mu.Lock()
	rt.signatures = append(rt.signatures, auth[strings.LastIndex(auth, "=")+1:])
	rt.mu.Unlock()
	return rt.base.RoundTrip(r)
}

func (rt *signatureTransport) sent() []string {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	return append([]string(nil), rt.signatures...)
}

// echoServer answers every request with HTTP 400 SignatureDoesNotMatch whose message repeats
// the request's URL and headers, as a service, gateway or proxy might, and returns its URL.
func echoServer(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var dump bytes.Buffer
		dump.WriteString(r.URL.String() + " ")
		_ = r.Header.Write(&dump)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("x-acs-request-id", "9C4C8E8B-4E31-5B2A-9F4E-A1B2C3D4E5F6")
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprintf(w, `{"RequestId":"9C4C8E8B-4E31-5B2A-9F4E-A1B2C3D4E5F6","Code":"SignatureDoesNotMatch","Message":%q}`,
			"Specified signature is not matched with our calculation. server string to sign is:"+dump.String())
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestV3RedactionCanary runs V3 calls with STS credentials and a debug logger that succeed,
// meet a wrong signature, expired credentials and a server echoing the request's headers, and
// checks that no error, formatted value or log record holds the AccessKeySecret, the
// SecurityToken, a signature that was sent, or the unmasked AccessKeyId, in any encoding.
func TestV3RedactionCanary(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		// endpoint returns the endpoint of the call, set up as the case needs.
		endpoint func(t *testing.T) string
		code     expressconnect.Code
	}{
		{"success", func(t *testing.T) string { return canaryServer(t, v3CanarySecret).URL() }, ""},
		{"wrong secret", func(t *testing.T) string {
			return canaryServer(t, "another-secret").URL()
		}, expressconnect.CodeSignatureDoesNotMatch},
		{"expired credentials", func(t *testing.T) string {
			s := canaryServer(t, v3CanarySecret)
			require.NoError(t, s.Admin().ExpireSTSCredentials(context.Background()))
			return s.URL()
		}, expressconnect.CodeInvalidSecurityTokenExpired},
		{"server echoes the request", echoServer, expressconnect.CodeSignatureDoesNotMatch},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var logs bytes.Buffer
			rt := &signatureTransport{base: http.DefaultTransport.(*http.Transport).Clone()}
			t.Cleanup(rt.base.CloseIdleConnections)
			c, err := expressconnect.NewClient(v3,
				expressconnect.WithEndpoint(tc.endpoint(t)),
				expressconnect.WithRegion("cn-hangzhou"),
				expressconnect.WithSTSCredentials(v3CanaryKeyID, v3CanarySecret, v3CanaryToken),
				expressconnect.WithHTTPClient(&http.Client{Transport: rt}),
				expressconnect.WithObserver(expressconnect.LogObserver(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})))),
			)
			require.NoError(t, err)

			resp, err := c.CreateVirtualPhysicalConnection(context.Background(), v3Create(109))

			var texts []string
			if tc.code == "" {
				require.NoError(t, err)
				texts = append(texts, formats(resp)...)
			} else {
				require.ErrorIs(t, err, tc.code)
				for e := err; e != nil; e = errors.Unwrap(e) {
					texts = append(texts, formats(e)...)
				}
				var apiErr *expressconnect.APIError
				require.ErrorAs(t, err, &apiErr)
				texts = append(texts, apiErr.ServerStringToSign(), apiErr.ClientStringToSign())
			}
			texts = append(texts, logs.String(), fmt.Sprintf("%v %+v %#v", c, c, c))
			require.NotEmpty(t, logs.String(), "the logger saw the attempts")

			secrets := []string{v3CanarySecret, v3CanaryToken, v3CanaryKeyID}
			sent := rt.sent()
			require.NotEmpty(t, sent)
			for _, sig := range sent {
				require.Regexp(t, "^[0-9a-f]{64}$", sig)
				secrets = append(secrets, sig)
			}
			for _, text := range texts {
				for _, secret := range secrets {
					for _, form := range []string{secret, url.QueryEscape(secret), url.PathEscape(secret), strings.ReplaceAll(secret, "/", `\/`)} {
						assert.NotContains(t, text, form)
					}
				}
			}
		})
	}
}

// canaryServer returns a local endpoint whose STS credentials are the canary's, with secret as
// their AccessKey secret.
func canaryServer(t *testing.T, secret string) *expressconnecttest.Server {
	t.Helper()
	return expressconnecttest.NewTestServer(t, expressconnecttest.Config{STS: expressconnecttest.STSCredentials{
		AccessKeyID: v3CanaryKeyID, AccessKeySecret: secret, SecurityToken: v3CanaryToken}})
}

// formats returns v printed with every verb a caller might log it with.
func formats(v any) []string {
	return []string{fmt.Sprintf("%v", v), fmt.Sprintf("%+v", v), fmt.Sprintf("%#v", v), fmt.Sprintf("%s", v), fmt.Sprintf("%q", v)}
}
