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
	_, err := c.UpdateVirtualPhysicalConnection(context.Background(), &UpdateVirtualPhysicalConnectionRequest{ExpectSpec: "3G", Token: "tok\n", VLANID: VLAN(3000)})
	var vErr *ValidationError
	require.ErrorAs(t, err, &vErr)
	assert.Equal(t, actionUpdate, vErr.Operation)
	for _, field := range []string{"VirtualPhysicalConnectionID", "VLANID", "ExpectSpec", "Token"} {
		assert.NotEmpty(t, vErr.Field(field), "a violation of %s: %v", field, vErr)
	}
	_, err = c.UpdateVirtualPhysicalConnection(context.Background(), &UpdateVirtualPhysicalConnectionRequest{VirtualPhysicalConnectionID: "pc-1", ExpectSpec: "3G"})
	require.ErrorAs(t, err, &vErr, "an invalid request with an unset VLAN is refused before the VLAN is read")
	assert.Empty(t, srv.requests())
}

// TestUpdateSuccess checks how Success is read: whether the VLAN changed, and ErrNotApplied
// only when a VLAN change was asked and the hosted connection is not on that VLAN.
func TestUpdateSuccess(t *testing.T) {
	t.Parallel()
	onVLAN := func(vlan string) fixtureStep {
		return fixtureJSON(http.StatusOK, listPage("", `{"PhysicalConnectionId":"pc-bp1hosted","ProductType":"VirtualPhysicalConnection","VlanId":"`+vlan+`"}`), "")
	}
	answer := func(success string) fixtureStep {
		return fixtureJSON(http.StatusOK, `{"RequestId":"UPD-2"`+success+`}`, "")
	}
	tests := []struct {
		name       string
		vlan       VLANID
		update     fixtureStep
		list       fixtureStep
		changed    bool
		notApplied bool
		actions    []string
		sentVLAN   string
	}{
		{"VLAN changed", VLAN(0), answer(`,"Success":"true"`), onVLAN("10"), true, false, []string{actionUpdate}, "0"},
		{"VLAN change not made", VLAN(0), answer(`,"Success":"false"`), onVLAN("10"), false, true, []string{actionUpdate, actionList}, "0"},
		{"VLAN change not made, Success a boolean", VLAN(0), answer(`,"Success":false`), onVLAN("10"), false, true, []string{actionUpdate, actionList}, "0"},
		{"VLAN change not made, no Success", VLAN(0), answer(``), onVLAN("10"), false, true, []string{actionUpdate, actionList}, "0"},
		{"the VLAN already in use", VLAN(10), answer(`,"Success":"false"`), onVLAN("10"), false, false, []string{actionUpdate, actionList}, "10"},
		{"bandwidth only: the current VLAN is read and sent", VLANID{}, answer(`,"Success":"false"`), onVLAN("10"), false, false, []string{actionList, actionUpdate}, "10"},
		{"bandwidth only, Success true", VLANID{}, answer(`,"Success":"true"`), onVLAN("0"), true, false, []string{actionList, actionUpdate}, "0"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newFixtureServer(t, fixtureByAction(map[string][]fixtureStep{actionUpdate: {tc.update}, actionList: {tc.list}}))
			req := &UpdateVirtualPhysicalConnectionRequest{VirtualPhysicalConnectionID: "pc-bp1hosted", VLANID: tc.vlan, ExpectSpec: Spec200M}
			resp, err := fixtureClient(t, srv.URL).UpdateVirtualPhysicalConnection(context.Background(), req)
			assert.Equal(t, tc.actions, srv.actions())
			for _, q := range srv.queries() {
				if q.Get("Action") == actionUpdate {
					assert.Equal(t, tc.sentVLAN, q.Get("VlanId"))
				}
			}
			assert.Equal(t, tc.vlan, req.VLANID, "the caller's request is not changed")
			if tc.notApplied {
				require.ErrorIs(t, err, ErrNotApplied)
				var opErr *OperationError
				require.ErrorAs(t, err, &opErr)
				assert.NotEmpty(t, opErr.Token)
				assert.Contains(t, err.Error(), "UPD-2")
				assert.Contains(t, Remedy(err), "GetVirtualPhysicalConnection")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.changed, resp.VLANChanged)
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

// deleteSteps answers the guard's List with the hosted connection pc-bp1hosted on pc-circuit,
// and DeletePhysicalConnection with steps.
func deleteSteps(steps ...fixtureStep) fixtureStep {
	return fixtureByAction(map[string][]fixtureStep{
		actionList:   {fixtureJSON(http.StatusOK, listPage("", hostedElement("pc-bp1hosted", "pc-circuit", "Allocated", "UnConfirmed")), "")},
		actionDelete: steps,
	})
}

// deleteRequest returns a request to delete pc-bp1hosted on pc-circuit.
func deleteRequest() *HostedConnectionRequest {
	return &HostedConnectionRequest{PhysicalConnectionID: "pc-circuit", VirtualPhysicalConnectionID: "pc-bp1hosted"}
}

func TestDeleteWireAndToken(t *testing.T) {
	t.Parallel()
	srv := newFixtureServer(t, deleteSteps(fixtureAPI(http.StatusServiceUnavailable, "ServiceUnavailable"), fixtureJSON(http.StatusOK, `{"RequestId":"DEL-1"}`, "")))
	c := fixtureClient(t, srv.URL)

	resp, err := c.DeleteVirtualPhysicalConnection(context.Background(), deleteRequest())

	require.NoError(t, err)
	assert.Equal(t, "DEL-1", resp.RequestID)
	assert.Equal(t, []string{actionList, actionDelete, actionDelete}, srv.actions())
	q := srv.queries()
	assert.Equal(t, "pc-bp1hosted", q[1].Get("PhysicalConnectionId"))
	assert.Len(t, q[1].Get("ClientToken"), 36)
	assert.Equal(t, q[1].Get("ClientToken"), q[2].Get("ClientToken"), "every attempt sends the same ClientToken")
	assert.Equal(t, q[1].Get("ClientToken"), resp.Token)
	assert.False(t, q[1].Has("Token"))
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
			srv := newFixtureServer(t, deleteSteps(fixtureAPI(tc.status, string(tc.code))))
			req := deleteRequest()
			req.Token = "del-token-1"
			_, err := fixtureClient(t, srv.URL).DeleteVirtualPhysicalConnection(context.Background(), req)
			require.ErrorIs(t, err, tc.code)
			assert.Equal(t, tc.notFound, errors.Is(err, ErrNotFound))
			assert.ErrorIs(t, err, tc.family)
			assert.Equal(t, []string{actionList, actionDelete}, srv.actions())
			assert.Equal(t, "del-token-1", srv.param("ClientToken")[1])
		})
	}
}

func TestDeleteValidation(t *testing.T) {
	t.Parallel()
	err := Validate(&HostedConnectionRequest{Token: string(make([]byte, 65))})
	var vErr *ValidationError
	require.ErrorAs(t, err, &vErr)
	for _, field := range []string{"RegionID", "PhysicalConnectionID", "VirtualPhysicalConnectionID", "Token"} {
		assert.NotEmpty(t, vErr.Field(field), field)
	}
	srv := newFixtureServer(t)
	_, err = fixtureClient(t, srv.URL).DeleteVirtualPhysicalConnection(context.Background(), nil)
	require.ErrorAs(t, err, &vErr)
	assert.Equal(t, actionDelete, vErr.Operation)
	assert.Empty(t, srv.requests())
}
