package expressconnecttest_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/expressconnect-go/expressconnect"
	"github.com/expressconnect-go/expressconnect/expressconnecttest"
)

// TestEndpointAgreesWithStrictValidation sends requests through a client with
// WithLenientValidation, which lets through what strict validation would refuse, and checks
// that the endpoint accepts exactly the requests that strict validation (Validate) accepts, and
// answers the others with a parameter error.
func TestEndpointAgreesWithStrictValidation(t *testing.T) {
	t.Parallel()
	set := func(f func(r *expressconnect.CreateVirtualPhysicalConnectionRequest)) func(r *expressconnect.CreateVirtualPhysicalConnectionRequest) {
		return f
	}
	tag := func(key, value string) func(r *expressconnect.CreateVirtualPhysicalConnectionRequest) {
		return set(func(r *expressconnect.CreateVirtualPhysicalConnectionRequest) {
			r.Tags = []expressconnect.Tag{{Key: key, Value: value}}
		})
	}
	name := func(s string) func(r *expressconnect.CreateVirtualPhysicalConnectionRequest) {
		return set(func(r *expressconnect.CreateVirtualPhysicalConnectionRequest) { r.Name = s })
	}
	description := func(s string) func(r *expressconnect.CreateVirtualPhysicalConnectionRequest) {
		return set(func(r *expressconnect.CreateVirtualPhysicalConnectionRequest) { r.Description = s })
	}
	cases := []struct {
		name   string
		mutate func(r *expressconnect.CreateVirtualPhysicalConnectionRequest)
	}{
		{"plain", func(*expressconnect.CreateVirtualPhysicalConnectionRequest) {}},
		{"Name with a space", name("ab cd")},
		{"Name starting with a digit", name("1abc")},
		{"Name with a period", name("ab.cd")},
		{"Name http", name("http-x")},
		{"Name https://", name("https://x")},
		{"Name in other scripts", name("名称_Name-ÅÄÖ")},
		{"Description starting with a space", description(" leading")},
		{"Description https://", description("HTTPS://example.com")},
		{"Description with symbols", description("Desc & more / 中文 😀")},
		{"Token of 65 characters", set(func(r *expressconnect.CreateVirtualPhysicalConnectionRequest) { r.Token = strings.Repeat("t", 65) })},
		{"Token of 64 characters", set(func(r *expressconnect.CreateVirtualPhysicalConnectionRequest) { r.Token = strings.Repeat("t", 64) })},
		{"ResourceGroupId upper case", set(func(r *expressconnect.CreateVirtualPhysicalConnectionRequest) { r.ResourceGroupID = "rg-ABC" })},
		{"ResourceGroupId without rg-", set(func(r *expressconnect.CreateVirtualPhysicalConnectionRequest) { r.ResourceGroupID = "group1" })},
		{"ResourceGroupId valid", set(func(r *expressconnect.CreateVirtualPhysicalConnectionRequest) {
			r.ResourceGroupID = "rg-acfm3wmsyuimpma"
		})},
		{"tag key aliyun", tag("aliyun-env", "v")},
		{"tag key acs:", tag("acs:env", "v")},
		{"tag key with a slash", tag("env/tier", "v")},
		{"tag key starting with a digit", tag("1env", "v")},
		{"tag key in another script", tag("项目", "值")},
		{"tag value with a space", tag("env", "a b")},
		{"tag value http://", tag("env", "see-http://x")},
		{"tag value empty", tag("env", "")},
		{"tag value with '.', '_' and '-'", tag("env", "v1.2_3-4")},
	}
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{Circuits: []expressconnecttest.Circuit{{
		ID: "pc-bp1agreeagreeagree001", Quota: 100, CapacityMbps: 1000000,
	}}})
	c := newClient(t, s)
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			req := request(1000 + i)
			req.PhysicalConnectionID = "pc-bp1agreeagreeagree001"
			req.RegionID = s.Account().RegionID
			tc.mutate(req)
			strictErr := expressconnect.Validate(req)
			_, err := c.CreateVirtualPhysicalConnection(context.Background(), req,
				expressconnect.WithLenientValidation(), expressconnect.WithMaxAttempts(1))
			var validationErr *expressconnect.ValidationError
			require.NotErrorAs(t, err, &validationErr, "the lenient client sends the request")
			if strictErr == nil {
				assert.NoError(t, err, "strict validation accepts the request, so the endpoint must")
				return
			}
			var apiErr *expressconnect.APIError
			require.ErrorAs(t, err, &apiErr, "strict validation refuses the request (%v), so the endpoint must", strictErr)
			assert.ErrorIs(t, err, expressconnect.ErrInvalidParameter, "answered %s", apiErr.Code)
		})
	}
}

// TestEndpointAgreesOnListAndUpdate is TestEndpointAgreesWithStrictValidation for List's
// and Update's parameters.
func TestEndpointAgreesOnListAndUpdate(t *testing.T) {
	t.Parallel()
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{})
	c := newClient(t, s)
	id := createWithClient(t, c, 10)
	lenient := []expressconnect.CallOption{expressconnect.WithLenientValidation(), expressconnect.WithMaxAttempts(1)}
	// agreementCase is a request, strictly validated by validate and sent by send.
	type agreementCase struct {
		name     string
		validate func() error
		send     func(ctx context.Context) error
	}
	var cases []agreementCase
	list := func(name string, req expressconnect.ListVirtualPhysicalConnectionsRequest) {
		req.RegionID = s.Account().RegionID
		cases = append(cases, agreementCase{"List " + name, func() error { return expressconnect.Validate(&req) }, func(ctx context.Context) error {
			_, err := c.ListVirtualPhysicalConnections(ctx, &req, lenient...)
			return err
		}})
	}
	update := func(name string, req expressconnect.UpdateVirtualPhysicalConnectionRequest) {
		req.RegionID, req.VirtualPhysicalConnectionID, req.VLANID = s.Account().RegionID, id, expressconnect.VLAN(10)
		cases = append(cases, agreementCase{"Update " + name, func() error { return expressconnect.Validate(&req) }, func(ctx context.Context) error {
			_, err := c.UpdateVirtualPhysicalConnection(ctx, &req, lenient...)
			return err
		}})
	}
	list("plain", expressconnect.ListVirtualPhysicalConnectionsRequest{})
	list("tag key aliyun", expressconnect.ListVirtualPhysicalConnectionsRequest{Tags: []expressconnect.Tag{{Key: "aliyun-env"}}})
	list("tag value with a space", expressconnect.ListVirtualPhysicalConnectionsRequest{Tags: []expressconnect.Tag{{Key: "env", Value: "a b"}}})
	list("tag in another script", expressconnect.ListVirtualPhysicalConnectionsRequest{Tags: []expressconnect.Tag{{Key: "项目", Value: "值"}}})
	list("resource group upper case", expressconnect.ListVirtualPhysicalConnectionsRequest{ResourceGroupID: "rg-ABC"})
	list("resource group", expressconnect.ListVirtualPhysicalConnectionsRequest{ResourceGroupID: "rg-abc"})
	list("every filter", expressconnect.ListVirtualPhysicalConnectionsRequest{
		PhysicalConnectionID: expressconnecttest.DefaultCircuitID, VirtualPhysicalConnectionIDs: []string{id},
		VpconnStatuses: []expressconnect.VpconnStatus{expressconnect.VpconnStatusDeleted},
		VpconnAliUIDs:  []string{testTenant}, VLANIDs: []expressconnect.VLANID{expressconnect.VLAN(0), expressconnect.VLAN(2999)}, Confirmation: expressconnect.OnlyUnconfirmed,
		BusinessStatus: expressconnect.BusinessStatusSecurityLocked, MaxResults: 100,
	})
	update("plain", expressconnect.UpdateVirtualPhysicalConnectionRequest{ExpectSpec: expressconnect.Spec1G})
	update("Token of 65 characters", expressconnect.UpdateVirtualPhysicalConnectionRequest{Token: strings.Repeat("t", 65)})
	update("Token of 64 characters", expressconnect.UpdateVirtualPhysicalConnectionRequest{Token: strings.Repeat("u", 64)})
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			strictErr := tc.validate()
			err := tc.send(context.Background())
			var validationErr *expressconnect.ValidationError
			require.NotErrorAs(t, err, &validationErr, "the lenient client sends the request")
			if strictErr == nil {
				assert.NoError(t, err, "strict validation accepts the request, so the endpoint must")
				return
			}
			var apiErr *expressconnect.APIError
			require.ErrorAs(t, err, &apiErr, "strict validation refuses the request (%v), so the endpoint must", strictErr)
			assert.ErrorIs(t, err, expressconnect.ErrInvalidParameter, "answered %s", apiErr.Code)
		})
	}
}

// TestEndpointAgreesOnClientTokens checks the ClientToken of Terminate, Cancel and Describe,
// which the client has no request type for yet, against the client's rule for the same
// parameter of Delete: the endpoint refuses a ClientToken (IllegalParam.Token) exactly when
// strict validation refuses it as a Delete's Token.
func TestEndpointAgreesOnClientTokens(t *testing.T) {
	t.Parallel()
	tokens := map[string]string{
		"64 characters":    strings.Repeat("t", 64),
		"65 characters":    strings.Repeat("t", 65),
		"symbols":          "a-b_c.d:e/f+g=h",
		"a space":          "a b",
		"a tab":            "a\tb",
		"not ASCII":        "tök",
		"a DEL character":  "a\x7fb",
		"a UUID":           "02fb3da4-130e-11e9-8e44-001",
		"one character":    "t",
		"upper case ASCII": "TOKEN",
	}
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{})
	for name, token := range tokens {
		strictErr := expressconnect.Validate(&expressconnect.HostedConnectionRequest{
			RegionID: s.Account().RegionID, PhysicalConnectionID: expressconnecttest.DefaultCircuitID,
			VirtualPhysicalConnectionID: "pc-bp1nosuchconnection00", Token: token,
		})
		for _, action := range []string{actionTerminate, actionCancel, actionDescribe} {
			t.Run(action+"/"+name, func(t *testing.T) {
				t.Parallel()
				r := callAction(t, s, action, "PhysicalConnectionId", "pc-bp1nosuchconnection00", "ClientToken", token)
				if strictErr != nil {
					assert.Equal(t, "IllegalParam.Token", r.code(), "strict validation refuses it (%v): %s", strictErr, r.Raw)
					return
				}
				assert.NotEqual(t, "IllegalParam.Token", r.code(), "strict validation accepts it: %s", r.Raw)
			})
		}
	}
}
