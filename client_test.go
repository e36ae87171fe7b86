package expressconnect

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aliyun/credentials-go/credentials"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestClientVLANID(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		vlan     VLANID
		wantSent string
	}{
		{name: "VLAN 0 is sent as VlanId=0", vlan: VLAN(0), wantSent: "0"},
		{name: "VLAN 2999 is sent", vlan: VLAN(2999), wantSent: "2999"},
		{name: "never set is rejected, not sent as 0", vlan: VLANID{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newFixtureServer(t)
			c := fixtureClient(t, srv.URL)
			req := minimalRequest()
			req.VLANID = tc.vlan

			resp, err := c.CreateVirtualPhysicalConnection(context.Background(), req)

			if tc.wantSent == "" {
				assert.Nil(t, resp)
				var verr *ValidationError
				require.ErrorAs(t, err, &verr)
				assert.Len(t, verr.Field("VLANID"), 1)
				assert.Empty(t, srv.queries(), "nothing is sent")
				return
			}
			require.NoError(t, err)
			require.Len(t, srv.queries(), 1)
			assert.Equal(t, []string{tc.wantSent}, srv.queries()[0]["VlanId"])
		})
	}
}

func TestClientTagsEncoding(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		tags []Tag
		want map[string]string
	}{
		{name: "no tags sends no Tag parameter", want: map[string]string{}},
		{
			name: "tags are numbered from 1 in order, an empty value is sent empty",
			tags: []Tag{{Key: "env", Value: "prod"}, {Key: "team", Value: "netops"}, {Key: "owner", Value: ""}},
			want: map[string]string{
				"Tag.1.Key": "env", "Tag.1.Value": "prod",
				"Tag.2.Key": "team", "Tag.2.Value": "netops",
				"Tag.3.Key": "owner", "Tag.3.Value": "",
			},
		},
		{
			name: "twenty tags go up to Tag.20",
			tags: validateTags(20),
			want: func() map[string]string {
				m := map[string]string{}
				for i := range 20 {
					m["Tag."+strconv.Itoa(i+1)+".Key"] = "key" + strconv.Itoa(i)
					m["Tag."+strconv.Itoa(i+1)+".Value"] = "value" + strconv.Itoa(i)
				}
				return m
			}(),
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newFixtureServer(t)
			c := fixtureClient(t, srv.URL)
			req := minimalRequest()
			req.Tags = tc.tags

			_, err := c.CreateVirtualPhysicalConnection(context.Background(), req)

			require.NoError(t, err)
			require.Len(t, srv.queries(), 1)
			got := map[string]string{}
			for name, vs := range srv.queries()[0] {
				if strings.HasPrefix(name, "Tag") {
					require.Len(t, vs, 1)
					got[name] = vs[0]
				}
			}
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestClientSecurityToken(t *testing.T) {
	t.Parallel()
	const token = "CAIS+harness/sts=token+with/special==chars"
	tests := []struct {
		name      string
		opt       Option
		wantKeyID string
		wantToken []string
	}{
		{name: "STS sends the SecurityToken", opt: WithSTSCredentials("STS.NUClientStsKey000001", "sts-secret", token),
			wantKeyID: "STS.NUClientStsKey000001", wantToken: []string{token}},
		{name: "an AccessKey sends none", opt: WithAccessKey(fixtureAccessKeyID, fixtureSecret), wantKeyID: fixtureAccessKeyID},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newFixtureServer(t)
			c := fixtureClient(t, srv.URL, tc.opt)

			_, err := c.CreateVirtualPhysicalConnection(context.Background(), minimalRequest())

			require.NoError(t, err)
			require.Len(t, srv.queries(), 1)
			assert.Equal(t, tc.wantKeyID, srv.queries()[0].Get("AccessKeyId"))
			assert.Equal(t, tc.wantToken, srv.queries()[0]["SecurityToken"])
		})
	}
}

func TestClientContext(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		// call makes the call with a context that ends as the case says; arrived is closed
		// when the server got the first request.
		call    func(c *Client, arrived <-chan struct{}) (*CreateVirtualPhysicalConnectionResponse, error)
		busy    bool
		wantErr error
	}{
		{name: "canceled before the call", wantErr: context.Canceled,
			call: func(c *Client, _ <-chan struct{}) (*CreateVirtualPhysicalConnectionResponse, error) {
				ctx, cancel := context.WithCancel(context.Background())
				cancel()
				return c.CreateVirtualPhysicalConnection(ctx, minimalRequest())
			}},
		{name: "canceled while waiting for the answer", wantErr: context.Canceled,
			call: func(c *Client, arrived <-chan struct{}) (*CreateVirtualPhysicalConnectionResponse, error) {
				ctx, cancel := context.WithCancel(context.Background())
				go func() {
					<-arrived
					cancel()
				}()
				return c.CreateVirtualPhysicalConnection(ctx, minimalRequest())
			}},
		{name: "deadline while waiting for the answer", wantErr: context.DeadlineExceeded,
			call: func(c *Client, _ <-chan struct{}) (*CreateVirtualPhysicalConnectionResponse, error) {
				ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
				defer cancel()
				return c.CreateVirtualPhysicalConnection(ctx, minimalRequest())
			}},
		{name: "deadline while waiting to retry", busy: true, wantErr: context.DeadlineExceeded,
			call: func(c *Client, _ <-chan struct{}) (*CreateVirtualPhysicalConnectionResponse, error) {
				ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
				defer cancel()
				return c.CreateVirtualPhysicalConnection(ctx, minimalRequest())
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			release := make(chan struct{})
			arrived := make(chan struct{})
			var once sync.Once
			srv := newFixtureServer(t, func(w http.ResponseWriter, r *http.Request) {
				once.Do(func() { close(arrived) })
				if tc.busy {
					fixtureAPI(http.StatusServiceUnavailable, "ServiceUnavailable")(w, r)
					return
				}
				select {
				case <-r.Context().Done():
				case <-release:
				}
			})
			t.Cleanup(func() { close(release) }) // runs before the server is closed
			c := fixtureClient(t, srv.URL, WithBackoff(func(RetryClass, int, time.Duration) time.Duration { return time.Hour }))

			resp, err := tc.call(c, arrived)

			assert.Nil(t, resp)
			require.Error(t, err)
			assert.ErrorIs(t, err, tc.wantErr)
			other := context.Canceled
			if tc.wantErr == context.Canceled {
				other = context.DeadlineExceeded
			}
			assert.NotErrorIs(t, err, other)
			var opErr *OperationError
			assert.ErrorAs(t, err, &opErr)
		})
	}
}

// clientCountingTransport counts the requests that go through it.
type clientCountingTransport struct {
	n    atomic.Int32
	next http.RoundTripper
}

func (c *clientCountingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return c.next.RoundTrip(r)
}

func TestClientUsesCallersHTTPClient(t *testing.T) {
	t.Parallel()
	rt := &clientCountingTransport{next: http.DefaultTransport}
	hc := &http.Client{Transport: rt}
	srv := newFixtureServer(t)
	c := fixtureClient(t, srv.URL, WithHTTPClient(hc))

	for range 2 {
		_, err := c.CreateVirtualPhysicalConnection(context.Background(), minimalRequest())
		require.NoError(t, err)
	}

	assert.Equal(t, int32(2), rt.n.Load())
	assert.Len(t, srv.queries(), 2)
	assert.Nil(t, hc.CheckRedirect, "the caller's client is not changed")
}

func TestClientDoesNotFollowRedirects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		status int
		opts   []Option
	}{
		{name: "302 with the default client", status: http.StatusFound},
		{name: "307 with the default client", status: http.StatusTemporaryRedirect},
		{name: "302 with a caller's client that follows redirects", status: http.StatusFound,
			opts: []Option{WithHTTPClient(&http.Client{})}},
		{name: "308 with a caller's client that follows redirects", status: http.StatusPermanentRedirect,
			opts: []Option{WithHTTPClient(&http.Client{})}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			other := newFixtureServer(t)
			srv := newFixtureServer(t, fixtureRedirect(tc.status, other.URL, true))
			c := fixtureClient(t, srv.URL, tc.opts...)

			resp, err := c.CreateVirtualPhysicalConnection(context.Background(), minimalRequest())

			assert.Nil(t, resp)
			assert.ErrorIs(t, err, ErrRedirectRefused)
			assert.Empty(t, other.requests(), "the signed request was replayed to the redirect target")
		})
	}
}

var clientUUIDv4 = `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`

func TestClientGeneratesTokenOnce(t *testing.T) {
	t.Parallel()
	srv := newFixtureServer(t, fixtureAPI(http.StatusServiceUnavailable, "ServiceUnavailable"), fixtureOK)
	c := fixtureClient(t, srv.URL)
	req := minimalRequest()

	resp, err := c.CreateVirtualPhysicalConnection(context.Background(), req)

	require.NoError(t, err)
	seen := srv.queries()
	require.Len(t, seen, 2, "one 503 and one retry")
	token := seen[0].Get("Token")
	assert.Regexp(t, clientUUIDv4, token)
	assert.Equal(t, token, seen[1].Get("Token"), "the retry sends the same Token")
	assert.NotEqual(t, seen[0].Get("SignatureNonce"), seen[1].Get("SignatureNonce"), "each attempt is signed anew")
	assert.Equal(t, token, resp.Token)
	assert.Empty(t, req.Token, "the request is not changed")

	resp2, err := c.CreateVirtualPhysicalConnection(context.Background(), req)
	require.NoError(t, err)
	assert.Regexp(t, clientUUIDv4, resp2.Token)
	assert.NotEqual(t, token, resp2.Token, "each call gets its own Token")
	assert.Equal(t, resp2.Token, srv.queries()[2].Get("Token"))
}

func TestClientUsesCallersToken(t *testing.T) {
	t.Parallel()
	const token = "my-Token tok *~/+=&%-0001"
	tests := []struct {
		name    string
		steps   []fixtureStep
		wantErr bool
	}{
		{name: "retried call succeeds", steps: []fixtureStep{fixtureAPI(http.StatusServiceUnavailable, "ServiceUnavailable"), fixtureOK}},
		{name: "every attempt fails", steps: []fixtureStep{fixtureAPI(http.StatusServiceUnavailable, "ServiceUnavailable")}, wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newFixtureServer(t, tc.steps...)
			c := fixtureClient(t, srv.URL, WithMaxAttempts(2))
			req := minimalRequest()
			req.Token = token

			resp, err := c.CreateVirtualPhysicalConnection(context.Background(), req)

			seen := srv.queries()
			require.Len(t, seen, 2)
			for _, q := range seen {
				assert.Equal(t, []string{token}, q["Token"])
			}
			if tc.wantErr {
				var opErr *OperationError
				require.ErrorAs(t, err, &opErr)
				assert.Equal(t, token, opErr.Token)
				assert.Len(t, opErr.Attempts, 2)
				assert.Nil(t, resp)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, token, resp.Token)
		})
	}
}

// clientRotatingCredential hands out a new AccessKey pair each time it is asked, like a
// provider whose STS credentials are refreshed.
type clientRotatingCredential struct {
	calls atomic.Int32
}

var _ credentials.Credential = (*clientRotatingCredential)(nil)

func clientStr(s string) *string { return &s }

func (c *clientRotatingCredential) GetCredential() (*credentials.CredentialModel, error) {
	n := strconv.Itoa(int(c.calls.Add(1)))
	return &credentials.CredentialModel{
		AccessKeyId:     clientStr("STS.rotating-" + n),
		AccessKeySecret: clientStr("rotating-secret-" + n),
		SecurityToken:   clientStr("rotating-token-" + n),
		Type:            clientStr("sts"),
	}, nil
}

func (c *clientRotatingCredential) GetAccessKeyId() (*string, error) {
	return nil, errors.New("deprecated: use GetCredential")
}

func (c *clientRotatingCredential) GetAccessKeySecret() (*string, error) {
	return nil, errors.New("deprecated: use GetCredential")
}

func (c *clientRotatingCredential) GetSecurityToken() (*string, error) {
	return nil, errors.New("deprecated: use GetCredential")
}

func (c *clientRotatingCredential) GetBearerToken() *string { return clientStr("") }
func (c *clientRotatingCredential) GetType() *string        { return clientStr("sts") }

func TestClientReadsCredentialsForEachRequest(t *testing.T) {
	t.Parallel()
	cred := &clientRotatingCredential{}
	srv := newFixtureServer(t, fixtureOK, fixtureAPI(http.StatusServiceUnavailable, "ServiceUnavailable"), fixtureOK)
	c := fixtureClient(t, srv.URL, WithCredential(cred))

	for range 2 { // the second call is answered 503, then 200
		_, err := c.CreateVirtualPhysicalConnection(context.Background(), minimalRequest())
		require.NoError(t, err)
	}

	assert.Equal(t, int32(3), cred.calls.Load(), "one read per request sent")
	seen := srv.queries()
	require.Len(t, seen, 3)
	for i, q := range seen {
		n := strconv.Itoa(i + 1)
		assert.Equal(t, "STS.rotating-"+n, q.Get("AccessKeyId"))
		assert.Equal(t, "rotating-token-"+n, q.Get("SecurityToken"))
		assert.Equal(t, wireSignature(t, q, "rotating-secret-"+n), q.Get("Signature"), "signed with the secret read for this request")
	}
}

func TestClientReturnsNilResponseOnFailure(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		edit    func(r *CreateVirtualPhysicalConnectionRequest)
		step    fixtureStep
		wantErr bool
	}{
		{name: "success", step: fixtureOK},
		{name: "invalid request", edit: func(r *CreateVirtualPhysicalConnectionRequest) { r.Spec = "" }, wantErr: true,
			step: fixtureOK},
		{name: "API error", step: fixtureJSON(http.StatusBadRequest, `{"RequestId":"R","Code":"IllegalParam.VlanId","Message":"bad"}`, ""), wantErr: true},
		{name: "malformed success", step: fixtureJSON(http.StatusOK, `<html>`, ""), wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := fixtureClient(t, newFixtureServer(t, tc.step).URL, WithMaxAttempts(1))
			req := minimalRequest()
			if tc.edit != nil {
				tc.edit(req)
			}

			resp, err := c.CreateVirtualPhysicalConnection(context.Background(), req)

			if tc.wantErr {
				assert.Error(t, err)
				assert.Nil(t, resp)
				return
			}
			require.NoError(t, err)
			require.NotNil(t, resp)
			assert.Equal(t, fixtureOKConnectionID, resp.VirtualPhysicalConnectionID)
			assert.Equal(t, fixtureOKRequestID, resp.RequestID)
			assert.False(t, resp.DryRun)
		})
	}
}

// BenchmarkCreateVirtualPhysicalConnection measures a whole call, every parameter and two tags,
// against a loopback server answering the documented success body.
func BenchmarkCreateVirtualPhysicalConnection(b *testing.B) {
	// A plain handler, not a fixtureServer: that one records every request, which would grow
	// with b.N and count in the allocations.
	srv := httptest.NewServer(http.HandlerFunc(fixtureOK))
	b.Cleanup(srv.Close)
	c := fixtureClient(b, srv.URL)
	req := allParamsRequest()
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.CreateVirtualPhysicalConnection(ctx, req); err != nil {
			b.Fatal(err)
		}
	}
}

// clientFailingCredential is a provider that cannot produce credentials.
type clientFailingCredential struct{ *clientRotatingCredential }

func (clientFailingCredential) GetCredential() (*credentials.CredentialModel, error) {
	return nil, errors.New("metadata service unreachable")
}

// TestClientCredentialFailure checks that a provider error ends the call before anything is
// sent, as an OperationError with zero attempts matching ErrCredentials.
func TestClientCredentialFailure(t *testing.T) {
	t.Parallel()
	srv := newFixtureServer(t)
	c := fixtureClient(t, srv.URL, WithCredential(clientFailingCredential{&clientRotatingCredential{}}))

	resp, err := c.CreateVirtualPhysicalConnection(context.Background(), minimalRequest())

	assert.Nil(t, resp)
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrCredentials)
	var opErr *OperationError
	require.ErrorAs(t, err, &opErr)
	require.Len(t, opErr.Attempts, 1, "the attempt is recorded, although it sent nothing")
	assert.Zero(t, opErr.Attempts[0].StatusCode)
	assert.Empty(t, srv.queries())
}

// TestClientNilContext checks that a nil context is an error, not a panic.
func TestClientNilContext(t *testing.T) {
	t.Parallel()
	srv := newFixtureServer(t)
	c := fixtureClient(t, srv.URL)

	//lint:ignore SA1012 a nil context is what this test is about
	resp, err := c.CreateVirtualPhysicalConnection(nil, minimalRequest()) //nolint:staticcheck

	assert.Nil(t, resp)
	assert.ErrorContains(t, err, "(ctx): must not be nil")
	assert.Empty(t, srv.queries())
}

// TestClientDefaultChainConcurrent calls one Client built on credentials-go's default chain
// from many goroutines: the chain caches its provider without a lock, so the Client must
// serialize its reads (run with -race).
func TestClientDefaultChainConcurrent(t *testing.T) {
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", fixtureAccessKeyID)
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", fixtureSecret)
	t.Setenv("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")
	t.Setenv("HOME", t.TempDir())
	srv := newFixtureServer(t)
	c, err := NewClient(WithEndpoint(srv.URL), WithRegion("cn-hangzhou"))
	require.NoError(t, err)

	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 5 {
				_, err := c.CreateVirtualPhysicalConnection(context.Background(), minimalRequest())
				assert.NoError(t, err)
			}
		})
	}
	wg.Wait()

	assert.Len(t, srv.queries(), 40)
	for _, q := range srv.queries() {
		assert.Equal(t, fixtureAccessKeyID, q.Get("AccessKeyId"))
	}
}

// TestClientFormatHidesCredentials prints a Client and its credentials, an AccessKey pair and
// STS credentials, with every verb: the secret and the token never show, the region does.
func TestClientFormatHidesCredentials(t *testing.T) {
	t.Parallel()
	const secret, token = "fmt-secret-value-0001", "fmt-security-token-0001"
	tests := []struct {
		name string
		opt  Option
	}{
		{name: "AccessKey", opt: WithAccessKey(fixtureAccessKeyID, secret)},
		{name: "STS", opt: WithSTSCredentials("STS.NUClientStsKey000001", secret, token)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := fixtureClient(t, newFixtureServer(t).URL, tc.opt)
			for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%d", "%x", "%q"} {
				for _, v := range []any{c, c.cfg.credentials} {
					out := fmt.Sprintf(verb, v)
					assert.NotContains(t, out, secret, verb)
					assert.NotContains(t, out, token, verb)
					assert.NotContains(t, out, hex.EncodeToString([]byte(secret)), verb)
				}
				assert.Contains(t, fmt.Sprintf(verb, c), "cn-hangzhou", verb)
			}
		})
	}
}

// clientFlakyCredential works for its first read, then fails.
type clientFlakyCredential struct{ *clientRotatingCredential }

func (c clientFlakyCredential) GetCredential() (*credentials.CredentialModel, error) {
	if c.calls.Add(1) > 1 {
		return nil, errors.New("token refresh failed")
	}
	return &credentials.CredentialModel{AccessKeyId: clientStr(fixtureAccessKeyID), AccessKeySecret: clientStr(fixtureSecret)}, nil
}

// TestClientTriesBoundedWithoutRequests checks that attempts that fail before sending still
// count against WithMaxAttempts, even under a policy that retries everything.
func TestClientTriesBoundedWithoutRequests(t *testing.T) {
	t.Parallel()
	var policyCalls atomic.Int32
	always := func(context.Context, error) RetryClass { policyCalls.Add(1); return RetryTransient }
	srv := newFixtureServer(t, fixtureJSON(http.StatusServiceUnavailable, `{"Code":"ServiceUnavailable","RequestId":"r"}`, ""))
	c := fixtureClient(t, srv.URL, WithCredential(clientFlakyCredential{&clientRotatingCredential{}}),
		WithCheckRetry(always), WithMaxAttempts(3))

	_, err := c.CreateVirtualPhysicalConnection(context.Background(), minimalRequest())

	require.Error(t, err)
	assert.ErrorIs(t, err, ErrCredentials)
	var opErr *OperationError
	require.ErrorAs(t, err, &opErr)
	assert.Len(t, opErr.Attempts, 3, "every attempt is recorded, whether it could send or not")
	assert.Len(t, srv.queries(), 1)
	assert.Equal(t, int32(2), policyCalls.Load(), "three tries, two decisions to retry")
}

// TestClientErrorZeroValues checks that our error types print when built empty, a nil cause
// as "unknown error".
func TestClientErrorZeroValues(t *testing.T) {
	t.Parallel()
	tests := []struct {
		err  error
		want string
	}{
		{&ResponseError{}, "HTTP 0: unknown error"},
		{&TransportError{}, "POST : unknown error"},
		{&OperationError{}, "expressconnect: : unknown error (0 attempts)"},
		{&APIError{}, "HTTP 0 :  (RequestId )"},
		{&ValidationError{}, "expressconnect: invalid  request: "},
	}
	for _, tc := range tests {
		var got string
		require.NotPanics(t, func() { got = tc.err.Error() }, "%T", tc.err)
		assert.Equal(t, tc.want, got, "%T", tc.err)
	}
}
