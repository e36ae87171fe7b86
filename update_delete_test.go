package expressconnect

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func updateRequest() *UpdateVirtualPhysicalConnectionRequest {
	return &UpdateVirtualPhysicalConnectionRequest{VirtualPhysicalConnectionID: "pc-bp1hosted", VLANID: VLAN(0)}
}

func TestUpdateWireAndToken(t *testing.T) {
	t.Parallel()
	srv := newFixtureServer(t, fixtureAPI(http.StatusServiceUnavailable, "ServiceUnavailable"),
		fixtureJSON(http.StatusOK, `{"RequestId":"UPD-1","Success":"true"}`, ""))
	c := fixtureClient(t, srv.URL)
	req := updateRequest()
	req.ExpectSpec = Spec200M

	resp, err := c.UpdateVirtualPhysicalConnection(context.Background(), req)

	require.NoError(t, err)
	assert.Equal(t, "UPD-1", resp.RequestID)
	assert.Len(t, resp.Attempts, 2)
	assert.False(t, resp.DryRun)
	q := srv.queries()
	require.Len(t, q, 2)
	assert.Equal(t, "UpdateVirtualPhysicalConnection", q[0].Get("Action"))
	assert.Equal(t, "pc-bp1hosted", q[0].Get("InstanceId"))
	assert.Equal(t, []string{"0"}, q[0]["VlanId"], "VLAN 0 is sent")
	assert.Equal(t, "200M", q[0].Get("ExpectSpec"))
	assert.Equal(t, "cn-hangzhou", q[0].Get("RegionId"))
	assert.False(t, q[0].Has("DryRun"))
	assert.Len(t, q[0].Get("Token"), 36, "a generated Token")
	assert.Equal(t, q[0].Get("Token"), q[1].Get("Token"), "every attempt sends the same Token")
	assert.Equal(t, q[0].Get("Token"), resp.Token)
	assert.Empty(t, req.Token, "the caller's request is not changed")
}

func TestUpdateValidation(t *testing.T) {
	t.Parallel()
	srv := newFixtureServer(t)
	c := fixtureClient(t, srv.URL)
	_, err := c.UpdateVirtualPhysicalConnection(context.Background(), &UpdateVirtualPhysicalConnectionRequest{ExpectSpec: "3G", Token: "tok\n"})
	var vErr *ValidationError
	require.ErrorAs(t, err, &vErr)
	assert.Equal(t, actionUpdate, vErr.Operation)
	for _, field := range []string{"VirtualPhysicalConnectionID", "VLANID", "ExpectSpec", "Token"} {
		assert.NotEmpty(t, vErr.Field(field), "a violation of %s: %v", field, vErr)
	}
	assert.Contains(t, vErr.Field("VLANID")[0].Rule, "VLAN(0) is a valid value")
	assert.Empty(t, srv.requests())
}

func TestUpdateSuccessNotTrue(t *testing.T) {
	t.Parallel()
	for _, body := range []string{`{"RequestId":"UPD-2","Success":"false"}`, `{"RequestId":"UPD-2"}`, `{"RequestId":"UPD-2","Success":false}`} {
		t.Run(body, func(t *testing.T) {
			t.Parallel()
			srv := newFixtureServer(t, fixtureJSON(http.StatusOK, body, ""))
			_, err := fixtureClient(t, srv.URL).UpdateVirtualPhysicalConnection(context.Background(), updateRequest())
			require.ErrorIs(t, err, ErrNotApplied)
			assert.NotErrorIs(t, err, ErrMalformedResponse)
			var respErr *ResponseError
			require.ErrorAs(t, err, &respErr)
			assert.Equal(t, "UPD-2", respErr.RequestID)
			assert.Len(t, srv.requests(), 1, "not retried: the outcome is known")
			assert.Contains(t, Remedy(err), "ListVirtualPhysicalConnections")
		})
	}
}

func TestUpdateDryRun(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		step fixtureStep
	}{
		{"request ID only", fixtureJSON(http.StatusOK, `{"RequestId":"DRY-U"}`, "")},
		{"DryRunOperation", fixtureAPI(http.StatusBadRequest, "DryRunOperation")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newFixtureServer(t, tc.step)
			req := updateRequest()
			req.DryRun = true
			resp, err := fixtureClient(t, srv.URL).UpdateVirtualPhysicalConnection(context.Background(), req)
			require.NoError(t, err)
			assert.True(t, resp.DryRun)
			assert.Equal(t, "true", srv.queries()[0].Get("DryRun"))
		})
	}
}

func TestDeleteWireAndToken(t *testing.T) {
	t.Parallel()
	srv := newFixtureServer(t, fixtureResetBeforeHeaders, fixtureJSON(http.StatusOK, `{"RequestId":"DEL-1"}`, ""))
	c := fixtureClient(t, srv.URL)

	resp, err := c.DeleteVirtualPhysicalConnection(context.Background(), &DeleteVirtualPhysicalConnectionRequest{VirtualPhysicalConnectionID: "pc-bp1hosted"})

	require.NoError(t, err)
	assert.Equal(t, "DEL-1", resp.RequestID)
	q := srv.queries()
	require.Len(t, q, 2)
	assert.Equal(t, "DeletePhysicalConnection", q[0].Get("Action"))
	assert.Equal(t, "pc-bp1hosted", q[0].Get("PhysicalConnectionId"))
	assert.Len(t, q[0].Get("ClientToken"), 36)
	assert.Equal(t, q[0].Get("ClientToken"), q[1].Get("ClientToken"), "every attempt sends the same ClientToken")
	assert.Equal(t, q[0].Get("ClientToken"), resp.Token)
	assert.False(t, q[0].Has("Token"))
}

func TestDeleteErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		status   int
		code     Code
		notFound bool
		family   Family
	}{
		{"already gone", http.StatusNotFound, CodeInvalidPhysicalConnectionIDNotFound, true, ErrNotFound},
		{"unknown resource", http.StatusBadRequest, CodeResourceNotFoundPhysicalConnectionID, true, ErrNotFound},
		{"wrong region is not gone", http.StatusNotFound, CodeInvalidRegionIDNotFound, false, ErrInvalidParameter},
		{"enabled", http.StatusBadRequest, CodeForbiddenNotInAllowDeleteStatus, false, ErrInvalidState},
		{"VBR attached", http.StatusBadRequest, CodeForbiddenVBRExists, false, ErrInvalidState},
		{"tenant must delete", http.StatusBadRequest, CodeOperationDeniedNeedVpconnOwner, false, ErrPermission},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newFixtureServer(t, fixtureAPI(tc.status, string(tc.code)))
			_, err := fixtureClient(t, srv.URL).DeleteVirtualPhysicalConnection(context.Background(),
				&DeleteVirtualPhysicalConnectionRequest{VirtualPhysicalConnectionID: "pc-bp1hosted", Token: "del-token-1"})
			require.ErrorIs(t, err, tc.code)
			assert.Equal(t, tc.notFound, errors.Is(err, ErrNotFound))
			assert.ErrorIs(t, err, tc.family)
			assert.Len(t, srv.requests(), 1)
			assert.Equal(t, "del-token-1", srv.param("ClientToken")[0])
		})
	}
}

func TestDeleteValidation(t *testing.T) {
	t.Parallel()
	err := Validate(&DeleteVirtualPhysicalConnectionRequest{Token: string(make([]byte, 65))})
	var vErr *ValidationError
	require.ErrorAs(t, err, &vErr)
	assert.Equal(t, "DeletePhysicalConnection", vErr.Operation)
	for _, field := range []string{"RegionID", "VirtualPhysicalConnectionID", "Token"} {
		assert.NotEmpty(t, vErr.Field(field), field)
	}
}
