package expressconnecttest_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/expressconnect-go/expressconnect"
	"github.com/expressconnect-go/expressconnect/expressconnecttest"
)

// request returns a valid request for the default circuit on vlan.
func request(vlan int) *expressconnect.CreateVirtualPhysicalConnectionRequest {
	return &expressconnect.CreateVirtualPhysicalConnectionRequest{
		PhysicalConnectionID: expressconnecttest.DefaultCircuitID,
		VpconnAliUID:         testTenant,
		VLANID:               expressconnect.VLAN(vlan),
		Spec:                 expressconnect.Spec100M,
		OrderMode:            expressconnect.PayByPhysicalConnectionOwner,
	}
}

// newClient returns the server's client, failing the test if it cannot be built.
func newClient(t *testing.T, s *expressconnecttest.Server, opts ...expressconnect.Option) *expressconnect.Client {
	t.Helper()
	c, err := s.Client(opts...)
	require.NoError(t, err)
	return c
}

// TestClientCreates drives the SDK client through a successful call.
func TestClientCreates(t *testing.T) {
	t.Parallel()
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{})
	c := newClient(t, s)
	assert.Equal(t, s.URL()+"/", c.Endpoint())
	req := request(100)
	req.Name = "名称_Name-测试ü"
	req.Description = "Desc with space * ~ / + = & % 中文"
	req.Tags = []expressconnect.Tag{{Key: "env", Value: "prod"}}
	resp, err := c.CreateVirtualPhysicalConnection(context.Background(), req)
	require.NoError(t, err)
	conns := admin(t, s).Connections()
	require.Len(t, conns, 1)
	assert.Equal(t, conns[0].VirtualPhysicalConnectionID, resp.VirtualPhysicalConnectionID)
	assert.Equal(t, resp.Token, conns[0].Token)
	assert.Equal(t, resp.RequestID, conns[0].RequestID)
	assert.Equal(t, req.Name, conns[0].Name)
	assert.Equal(t, req.Description, conns[0].Description)
	assert.Equal(t, req.Tags, conns[0].Tags)
	assert.Equal(t, expressconnect.VLAN(100), conns[0].VLANID)
	assert.Equal(t, "cn-hangzhou", conns[0].RegionID)
	assert.True(t, admin(t, s).Requests()[0].SignatureVerified)
}

// TestClientDryRun checks that the client sees a passed dry run as success.
func TestClientDryRun(t *testing.T) {
	t.Parallel()
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{})
	req := request(100)
	req.DryRun = true
	resp, err := newClient(t, s).CreateVirtualPhysicalConnection(context.Background(), req)
	require.NoError(t, err)
	assert.True(t, resp.DryRun)
	assert.Empty(t, admin(t, s).Connections())
	assert.Equal(t, expressconnect.CodeDryRunOperation, admin(t, s).Requests()[0].Code)
}

// TestClientTypedErrors checks that the server's error answers reach the caller as the
// client's typed errors.
func TestClientTypedErrors(t *testing.T) {
	t.Parallel()
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{DeniedAccessKeys: []expressconnecttest.AccessKey{{AccessKeyID: "LTAI5tDeniedUser01", AccessKeySecret: "denied-secret"}}})
	ctx := context.Background()
	c := newClient(t, s)
	_, err := c.CreateVirtualPhysicalConnection(ctx, request(5))
	require.NoError(t, err)

	t.Run("VLAN used", func(t *testing.T) {
		_, err := c.CreateVirtualPhysicalConnection(ctx, request(5))
		require.ErrorIs(t, err, expressconnect.CodeVLANIDHasBeenUsedInPhysicalConnection)
		var apiErr *expressconnect.APIError
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, 400, apiErr.StatusCode)
		assert.Equal(t, "vpc.aliyuncs.com", apiErr.HostID)
		assert.Contains(t, apiErr.Recommend, "q=VLAN_ID_HAS_BEEN_USED_IN_PHYSICAL_CONNECTION")
		reqs := admin(t, s).Requests()
		assert.Equal(t, reqs[len(reqs)-1].RequestID, apiErr.RequestID)
	})
	t.Run("unknown circuit", func(t *testing.T) {
		req := request(6)
		req.PhysicalConnectionID = "pc-bp1nosuchcircuit0000"
		_, err := c.CreateVirtualPhysicalConnection(ctx, req)
		assert.ErrorIs(t, err, expressconnect.CodeInvalidPhysicalConnectionIDNotFound)
	})
	t.Run("permission", func(t *testing.T) {
		denied := newClient(t, s, expressconnect.WithAccessKey("LTAI5tDeniedUser01", "denied-secret"))
		_, err := denied.CreateVirtualPhysicalConnection(ctx, request(7))
		require.ErrorIs(t, err, expressconnect.CodeForbiddenRAM)
		var apiErr *expressconnect.APIError
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, 403, apiErr.StatusCode)
		require.NotNil(t, apiErr.AccessDeniedDetail)
		assert.Equal(t, "vpc:CreateVirtualPhysicalConnection", apiErr.AccessDeniedDetail.AuthAction)
		assert.Equal(t, s.Account().AccountID, apiErr.AccessDeniedDetail.AuthPrincipalOwnerID)
	})
	t.Run("wrong secret", func(t *testing.T) {
		wrong := newClient(t, s, expressconnect.WithAccessKey(s.Account().AccessKeyID, "not-the-secret"))
		_, err := wrong.CreateVirtualPhysicalConnection(ctx, request(8))
		require.ErrorIs(t, err, expressconnect.CodeSignatureDoesNotMatch)
		var apiErr *expressconnect.APIError
		require.ErrorAs(t, err, &apiErr)
		id := s.Account().AccessKeyID
		assert.Contains(t, apiErr.ServerStringToSign(), "POST&%2F&AccessKeyId%3D"+id[:4]+"****"+id[len(id)-4:], "the AccessKeyId is masked")
		assert.Equal(t, apiErr.ServerStringToSign(), apiErr.ClientStringToSign(), "a wrong secret: both sides signed the same string")
	})
	t.Run("unknown key", func(t *testing.T) {
		unknown := newClient(t, s, expressconnect.WithAccessKey("LTAI5tNobody", "x"))
		_, err := unknown.CreateVirtualPhysicalConnection(ctx, request(9))
		assert.ErrorIs(t, err, expressconnect.CodeInvalidAccessKeyIDNotFound)
	})
}

// TestClientSTS checks a client using the server's STS credentials.
func TestClientSTS(t *testing.T) {
	t.Parallel()
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{})
	c := newClient(t, s, expressconnect.WithSTSCredentials(s.Account().STS.AccessKeyID, s.Account().STS.AccessKeySecret, s.Account().STS.SecurityToken))
	_, err := c.CreateVirtualPhysicalConnection(context.Background(), request(100))
	require.NoError(t, err)
	id, _, _ := s.Account().STS.AccessKeyID, s.Account().STS.AccessKeySecret, s.Account().STS.SecurityToken
	r := admin(t, s).Requests()[0]
	assert.Equal(t, id, r.Params.Get("AccessKeyId"))
	assert.Equal(t, "<redacted>", r.Params.Get("SecurityToken"))

	admin(t, s).ExpireSTSCredentials()
	_, err = c.CreateVirtualPhysicalConnection(context.Background(), request(101))
	assert.ErrorIs(t, err, expressconnect.CodeInvalidSecurityTokenExpired)
}

// TestClientRetriesThroughFaults checks that the client's retries, with one Token, create
// exactly one hosted connection whatever fault hits the first attempt.
func TestClientRetriesThroughFaults(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		fault expressconnecttest.Fault
	}{
		{"503", expressconnecttest.Fault{Kind: expressconnecttest.FaultError, StatusCode: 503}},
		{"500 InternalError", expressconnecttest.Fault{Kind: expressconnecttest.FaultError, StatusCode: 500, Code: "InternalError"}},
		{"HTML 502", expressconnecttest.Fault{Kind: expressconnecttest.FaultBadGateway}},
		{"truncated answer after creating", expressconnecttest.Fault{Kind: expressconnecttest.FaultTruncate}},
		{"reset before handling", expressconnecttest.Fault{Kind: expressconnecttest.FaultReset}},
		{"closed after creating", expressconnecttest.Fault{Kind: expressconnecttest.FaultClose, AfterHandling: true}},
		{"throttled", expressconnecttest.Fault{Kind: expressconnecttest.FaultThrottle}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{})
			admin(t, s).InjectFaults(1, tc.fault)
			resp, err := newClient(t, s).CreateVirtualPhysicalConnection(context.Background(), request(100))
			require.NoError(t, err)
			conns := admin(t, s).Connections()
			require.Len(t, conns, 1, "the retry must not create a second connection")
			assert.Equal(t, conns[0].VirtualPhysicalConnectionID, resp.VirtualPhysicalConnectionID)
			reqs := admin(t, s).Requests()
			require.Len(t, reqs, 2)
			assert.Equal(t, reqs[0].Params.Get("Token"), reqs[1].Params.Get("Token"))
			assert.NotEqual(t, reqs[0].Params.Get("SignatureNonce"), reqs[1].Params.Get("SignatureNonce"))
		})
	}
}

// TestClientGivesUpOnDelay checks that a client deadline ends a call the server delays.
func TestClientGivesUpOnDelay(t *testing.T) {
	t.Parallel()
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{})
	admin(t, s).InjectFaults(10, expressconnecttest.Fault{Kind: expressconnecttest.FaultDelay, Delay: expressconnecttest.MaxFaultWait})
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	_, err := newClient(t, s).CreateVirtualPhysicalConnection(ctx, request(100))
	require.Error(t, err)
	assert.True(t, errors.Is(err, context.DeadlineExceeded), "got %v", err)
	assert.Empty(t, admin(t, s).Connections())
}
