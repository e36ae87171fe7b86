package expressconnecttest_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/expressconnect-go/expressconnect"
	"github.com/expressconnect-go/expressconnect/expressconnecttest"
)

// TestAdditionalAccessKey checks that an AccessKey pair after the first is accepted with the
// same permissions as the account's own.
func TestAdditionalAccessKey(t *testing.T) {
	t.Parallel()
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{AccessKeys: []expressconnecttest.AccessKey{{AccessKeyID: "LTAI5tFirstKey", AccessKeySecret: "first-secret"}, {AccessKeyID: "LTAI5tSecondKey", AccessKeySecret: "second-secret"}}})
	c := newClient(t, s, expressconnect.WithAccessKey("LTAI5tSecondKey", "second-secret"))
	_, err := c.CreateVirtualPhysicalConnection(context.Background(), request(7))
	require.NoError(t, err)
	assert.Equal(t, "LTAI5tSecondKey", admin(t, s).Requests()[0].Params.Get("AccessKeyId"))

	wrong := newClient(t, s, expressconnect.WithAccessKey("LTAI5tSecondKey", "first-secret"), expressconnect.WithMaxAttempts(1))
	_, err = wrong.CreateVirtualPhysicalConnection(context.Background(), request(8))
	assert.ErrorIs(t, err, expressconnect.CodeSignatureDoesNotMatch)

}

// mustRequest returns a request without a body.
func mustRequest(t *testing.T, method, url string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	require.NoError(t, err)
	return req
}

// TestReset checks that Reset forgets the hosted connections, tokens, requests, faults and
// the expiry of the STS credentials, and restores the configured circuits and clock offset
// (TestResetKeepsUsedNonces checks that it keeps the used nonces).
func TestReset(t *testing.T) {
	t.Parallel()
	const offset = 2 * time.Minute // within the Timestamp window of the client's requests
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{ClockOffset: offset})
	c := newClient(t, s, expressconnect.WithMaxAttempts(1))
	ctx := context.Background()
	req := request(100)
	req.Token = "token-before-reset"
	first, err := c.CreateVirtualPhysicalConnection(ctx, req)
	require.NoError(t, err)
	admin(t, s).SetCircuit(expressconnecttest.Circuit{ID: expressconnecttest.DefaultCircuitID, Status: expressconnect.StatusAllocated}) // disable it
	admin(t, s).SetClockOffset(-time.Hour)
	admin(t, s).ExpireSTSCredentials()
	admin(t, s).InjectFaults(5, expressconnecttest.Fault{Kind: expressconnecttest.FaultThrottle})

	admin(t, s).Reset()

	assert.Empty(t, admin(t, s).Connections())
	assert.Empty(t, admin(t, s).Requests())
	assert.WithinDuration(t, time.Now().Add(offset), admin(t, s).Now(), 30*time.Second, "the configured clock offset")
	again, err := c.CreateVirtualPhysicalConnection(ctx, req) // no fault, circuit enabled again
	require.NoError(t, err)
	assert.NotEqual(t, first.VirtualPhysicalConnectionID, again.VirtualPhysicalConnectionID, "the token is forgotten")
	require.Len(t, admin(t, s).Connections(), 1)

	sts := newClient(t, s, expressconnect.WithSTSCredentials(s.Account().STS.AccessKeyID, s.Account().STS.AccessKeySecret, s.Account().STS.SecurityToken), expressconnect.WithMaxAttempts(1))
	_, err = sts.CreateVirtualPhysicalConnection(ctx, request(102))
	assert.NoError(t, err, "the STS credentials are valid again")
}

// TestResetKeepsAddedCircuitsOut checks that a circuit added at run time is gone after Reset.
func TestResetKeepsAddedCircuitsOut(t *testing.T) {
	t.Parallel()
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{})
	const added = "pc-bp1addedcircuit00001"
	admin(t, s).SetCircuit(expressconnecttest.Circuit{ID: added})
	c := newClient(t, s, expressconnect.WithMaxAttempts(1))
	req := request(5)
	req.PhysicalConnectionID = added
	_, err := c.CreateVirtualPhysicalConnection(context.Background(), req)
	require.NoError(t, err)

	admin(t, s).Reset()
	_, err = c.CreateVirtualPhysicalConnection(context.Background(), req)
	var apiErr *expressconnect.APIError
	require.True(t, errors.As(err, &apiErr), "%v", err)
	assert.Equal(t, expressconnect.CodeInvalidPhysicalConnectionIDNotFound, apiErr.Code)
}

// TestCircuits checks that Circuits lists the circuits the server holds, in ID order, with
// the defaults of their zero fields applied, including those added by SetCircuit.
func TestCircuits(t *testing.T) {
	t.Parallel()
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{Region: "cn-shanghai", Circuits: []expressconnecttest.Circuit{{ID: "pc-uf6configured", Quota: 2}}})
	admin(t, s).SetCircuit(expressconnecttest.Circuit{ID: "pc-uf6added", RegionID: "cn-beijing",
		CapacityMbps: 500, Owner: "1210000000000009", QoSBound: true})
	assert.Equal(t, []expressconnecttest.Circuit{
		{ID: expressconnecttest.DefaultCircuitID, RegionID: "cn-shanghai", Status: expressconnect.StatusEnabled, CapacityMbps: expressconnecttest.DefaultCapacityMbps,
			Quota: expressconnecttest.DefaultQuota, Owner: expressconnecttest.DefaultAccountID},
		{ID: "pc-uf6added", RegionID: "cn-beijing", Status: expressconnect.StatusEnabled, CapacityMbps: 500, Quota: expressconnecttest.DefaultQuota,
			Owner: "1210000000000009", QoSBound: true},
		{ID: "pc-uf6configured", RegionID: "cn-shanghai", Status: expressconnect.StatusEnabled, CapacityMbps: expressconnecttest.DefaultCapacityMbps, Quota: 2,
			Owner: expressconnecttest.DefaultAccountID},
	}, admin(t, s).Circuits())
}
