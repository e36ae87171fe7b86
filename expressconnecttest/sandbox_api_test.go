package expressconnecttest_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/expressconnect-go/expressconnect"
	"github.com/expressconnect-go/expressconnect/expressconnecttest"
)

// TestAdditionalAccessKey checks that an additional AccessKey pair is accepted with the same
// permissions as the account's own, and that a pair given twice is refused.
func TestAdditionalAccessKey(t *testing.T) {
	t.Parallel()
	s := expressconnecttest.NewTestServer(t, expressconnecttest.WithAccessKey("LTAI5tFirstKey", "first-secret"),
		expressconnecttest.WithAdditionalAccessKey("LTAI5tSecondKey", "second-secret"))
	c := newClient(t, s, expressconnect.WithAccessKey("LTAI5tSecondKey", "second-secret"))
	_, err := c.CreateVirtualPhysicalConnection(context.Background(), request(7))
	require.NoError(t, err)
	assert.Equal(t, "LTAI5tSecondKey", s.Requests()[0].Params.Get("AccessKeyId"))

	wrong := newClient(t, s, expressconnect.WithAccessKey("LTAI5tSecondKey", "first-secret"), expressconnect.WithMaxAttempts(1))
	_, err = wrong.CreateVirtualPhysicalConnection(context.Background(), request(8))
	assert.ErrorIs(t, err, expressconnect.CodeSignatureDoesNotMatch)

	cases := []struct {
		name string
		opts []expressconnecttest.Option
		want string
	}{
		{"same as the account's", []expressconnecttest.Option{expressconnecttest.WithAccessKey("LTAI5tA", "x"),
			expressconnecttest.WithAdditionalAccessKey("LTAI5tA", "y")}, `AccessKey ID "LTAI5tA" given twice`},
		{"empty secret", []expressconnecttest.Option{expressconnecttest.WithAdditionalAccessKey("LTAI5tA", "")},
			"empty AccessKey ID or secret"},
		{"white space", []expressconnecttest.Option{expressconnecttest.WithAdditionalAccessKey("LTAI 5tA", "x")},
			"contains white space"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := expressconnecttest.NewServer(tc.opts...)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

// TestPathHandler checks that requests under the prefix go to the handler, unrecorded and
// without faults, and that every other path is still the service's.
func TestPathHandler(t *testing.T) {
	t.Parallel()
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "tool "+r.Method+" "+r.URL.Path)
	})
	s := expressconnecttest.NewTestServer(t, expressconnecttest.WithPathHandler("/_tool/", h))
	s.InjectFaults(1, expressconnecttest.Fault{Kind: expressconnecttest.FaultReset})

	resp, err := http.Post(s.URL()+"/_tool/x?y=1", "text/plain", nil)
	require.NoError(t, err)
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	assert.Equal(t, "tool POST /_tool/x", string(body))
	assert.Empty(t, s.Requests(), "the tool's requests are not recorded")

	s.ClearFaults()
	for _, path := range []string{"/_tool", "/x/_tool/", "/_TOOL/"} {
		r := do(t, mustRequest(t, http.MethodPost, s.URL()+path))
		assert.Equal(t, http.StatusNotFound, r.Status, path)
		assert.Equal(t, string(expressconnect.CodeInvalidActionNotFound), r.code(), path)
	}
	assert.Len(t, s.Requests(), 3)
}

// mustRequest returns a request without a body.
func mustRequest(t *testing.T, method, url string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	require.NoError(t, err)
	return req
}

// TestPathHandlerRefusesBadPrefixes checks the rules of the prefix.
func TestPathHandlerRefusesBadPrefixes(t *testing.T) {
	t.Parallel()
	h := http.NotFoundHandler()
	cases := []struct {
		name string
		opts []expressconnecttest.Option
		want string
	}{
		{"root", []expressconnecttest.Option{expressconnecttest.WithPathHandler("/", h)}, "must start and end"},
		{"no trailing slash", []expressconnecttest.Option{expressconnecttest.WithPathHandler("/_tool", h)}, "must start and end"},
		{"no leading slash", []expressconnecttest.Option{expressconnecttest.WithPathHandler("_tool/", h)}, "must start and end"},
		{"nil handler", []expressconnecttest.Option{expressconnecttest.WithPathHandler("/_tool/", nil)}, "nil handler"},
		{"overlap", []expressconnecttest.Option{expressconnecttest.WithPathHandler("/_tool/", h),
			expressconnecttest.WithPathHandler("/_tool/a/", h)}, "overlap"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := expressconnecttest.NewServer(tc.opts...)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

// TestReset checks that Reset forgets the hosted connections, tokens, requests, faults and
// the expiry of the STS credentials, and restores the configured circuits and clock offset
// (TestResetKeepsUsedNonces checks that it keeps the used nonces).
func TestReset(t *testing.T) {
	t.Parallel()
	const offset = 2 * time.Minute // within the Timestamp window of the client's requests
	s := expressconnecttest.NewTestServer(t, expressconnecttest.WithClockOffset(offset))
	c := newClient(t, s, expressconnect.WithMaxAttempts(1))
	ctx := context.Background()
	req := request(100)
	req.Token = "token-before-reset"
	first, err := c.CreateVirtualPhysicalConnection(ctx, req)
	require.NoError(t, err)
	require.NoError(t, s.SetCircuit(expressconnecttest.Circuit{ID: expressconnecttest.DefaultCircuitID, Status: expressconnect.StatusAllocated}), "disable it")
	s.SetClockOffset(-time.Hour)
	s.ExpireSTSCredentials()
	s.InjectFaults(5, expressconnecttest.Fault{Kind: expressconnecttest.FaultThrottle})

	s.Reset()

	assert.Empty(t, s.Connections())
	assert.Empty(t, s.Requests())
	assert.WithinDuration(t, time.Now().Add(offset), s.Now(), 30*time.Second, "the configured clock offset")
	again, err := c.CreateVirtualPhysicalConnection(ctx, req) // no fault, circuit enabled again
	require.NoError(t, err)
	assert.NotEqual(t, first.VirtualPhysicalConnectionID, again.VirtualPhysicalConnectionID, "the token is forgotten")
	require.Len(t, s.Connections(), 1)

	sts := newClient(t, s, expressconnect.WithSTSCredentials(s.STSCredentials()), expressconnect.WithMaxAttempts(1))
	_, err = sts.CreateVirtualPhysicalConnection(ctx, request(102))
	assert.NoError(t, err, "the STS credentials are valid again")
}

// TestResetKeepsAddedCircuitsOut checks that a circuit added at run time is gone after Reset.
func TestResetKeepsAddedCircuitsOut(t *testing.T) {
	t.Parallel()
	s := expressconnecttest.NewTestServer(t)
	const added = "pc-bp1addedcircuit00001"
	require.NoError(t, s.SetCircuit(expressconnecttest.Circuit{ID: added}))
	c := newClient(t, s, expressconnect.WithMaxAttempts(1))
	req := request(5)
	req.PhysicalConnectionID = added
	_, err := c.CreateVirtualPhysicalConnection(context.Background(), req)
	require.NoError(t, err)

	s.Reset()
	_, err = c.CreateVirtualPhysicalConnection(context.Background(), req)
	var apiErr *expressconnect.APIError
	require.True(t, errors.As(err, &apiErr), "%v", err)
	assert.Equal(t, expressconnect.CodeInvalidPhysicalConnectionIDNotFound, apiErr.Code)
}

// TestCircuits checks that Circuits lists the circuits the server holds, in ID order, with
// the defaults of their zero fields applied, including those added by SetCircuit.
func TestCircuits(t *testing.T) {
	t.Parallel()
	s := expressconnecttest.NewTestServer(t, expressconnecttest.WithRegion("cn-shanghai"),
		expressconnecttest.WithCircuit(expressconnecttest.Circuit{ID: "pc-uf6configured", Quota: 2}))
	require.NoError(t, s.SetCircuit(expressconnecttest.Circuit{ID: "pc-uf6added", RegionID: "cn-beijing",
		CapacityMbps: 500, Owner: "1210000000000009", QoSBound: true}))
	assert.Equal(t, []expressconnecttest.Circuit{
		{ID: expressconnecttest.DefaultCircuitID, RegionID: "cn-shanghai", Status: expressconnect.StatusEnabled, CapacityMbps: expressconnecttest.DefaultCapacityMbps,
			Quota: expressconnecttest.DefaultQuota, Owner: expressconnecttest.DefaultAccountID},
		{ID: "pc-uf6added", RegionID: "cn-beijing", Status: expressconnect.StatusEnabled, CapacityMbps: 500, Quota: expressconnecttest.DefaultQuota,
			Owner: "1210000000000009", QoSBound: true},
		{ID: "pc-uf6configured", RegionID: "cn-shanghai", Status: expressconnect.StatusEnabled, CapacityMbps: expressconnecttest.DefaultCapacityMbps, Quota: 2,
			Owner: expressconnecttest.DefaultAccountID},
	}, s.Circuits())
}
