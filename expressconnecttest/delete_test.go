package expressconnecttest_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/expressconnect-go/expressconnect"
	"github.com/expressconnect-go/expressconnect/expressconnecttest"
)

const actionDelete = "DeletePhysicalConnection"

// deleteConn sends DeletePhysicalConnection for id with the pairs of kv.
func deleteConn(t *testing.T, s *expressconnecttest.Server, id string, kv ...string) result {
	t.Helper()
	return callAction(t, s, actionDelete, append([]string{"PhysicalConnectionId", id}, kv...)...)
}

// TestDeleteFreesAndKeepsDeleted checks a deletion: the answer, the VLAN, bandwidth and
// quota freed, the hosted connection kept as Deleted, and shown by List only when asked for.
func TestDeleteFreesAndKeepsDeleted(t *testing.T) {
	t.Parallel()
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{Circuits: []expressconnecttest.Circuit{{
		ID: expressconnecttest.DefaultCircuitID, Quota: 1, CapacityMbps: 50,
	}}})
	id := createConn(t, s, 10)
	require.NoError(t, act(s, id, expressconnecttest.TenantAccepts))
	r := deleteConn(t, s, id)
	require.Equal(t, http.StatusOK, r.Status, r.Raw)
	assert.Equal(t, []string{"RequestId"}, keys(r.Body))
	assert.Equal(t, r.Header.Get("x-acs-request-id"), r.str("RequestId"))
	reqs := admin(t, s).Requests()
	assert.Equal(t, id, reqs[len(reqs)-1].ConnectionID)

	c := connOf(t, s, id)
	assert.Equal(t, "Deleted Confirmed Normal", state(c), "the Status stays as it was")
	assert.False(t, c.DeletedAt.Before(c.CreatedAt))

	again := createConn(t, s, 10)
	assert.NotEqual(t, id, again, "the VLAN, the bandwidth and the quota are free again")

	assert.Equal(t, []string{again}, callAction(t, s, actionList).listedField("PhysicalConnectionId"))
	withDeleted := callAction(t, s, actionList, "VirtualPhysicalConnectionStatuses.1", "Deleted",
		"VirtualPhysicalConnectionStatuses.2", "UnConfirmed")
	assert.Equal(t, []string{id, again}, withDeleted.listedField("PhysicalConnectionId"))
	assert.Equal(t, []string{"Deleted", "UnConfirmed"}, withDeleted.listedField("VirtualPhysicalConnectionStatus"))
	onlyDeleted := callAction(t, s, actionList, "VirtualPhysicalConnectionStatuses.1", "Deleted", "IsConfirmed", "true")
	assert.Equal(t, []string{id}, onlyDeleted.listedField("PhysicalConnectionId"), "IsConfirmed: accepted before its deletion")
	assert.Empty(t, callAction(t, s, actionList, "VirtualPhysicalConnectionStatuses.1", "Confirmed").listed())

	gone := deleteConn(t, s, id)
	assert.Equal(t, http.StatusNotFound, gone.Status)
	assert.Equal(t, "InvalidPhysicalConnectionId.NotFound", gone.code(), gone.Raw)
	assert.Equal(t, "ResourceNotFound.PhysicalConnectionId", update(t, s, id, "VlanId", "11").code())
	for _, ch := range []change{acceptChange, rejectChange, enableChange, lockChange, unlockChange} {
		err := ch.do(s, id)
		assert.ErrorIs(t, err, expressconnecttest.ErrTransitionNotAllowed, ch.name)
		assert.ErrorContains(t, err, "deleted", ch.name)
	}
	for _, ch := range []change{terminateChange, cancelChange} {
		assert.ErrorIs(t, ch.do(s, id), expressconnect.ErrNotFound, ch.name)
	}
}

// TestDeleteStates checks from which states a hosted connection can be deleted.
func TestDeleteStates(t *testing.T) {
	t.Parallel()
	refused := map[string]bool{"enabled": true, "terminating": true}
	servers := newStateServers(t, expressconnecttest.Config{})
	for i, start := range startStates {
		s := servers.of(start.name)
		id := createConn(t, s, 10+i)
		t.Run(start.name, func(t *testing.T) {
			t.Parallel()
			for _, step := range start.path {
				require.NoError(t, step.do(s, id), step.name)
			}
			r := deleteConn(t, s, id)
			if refused[start.name] {
				assert.Equal(t, http.StatusBadRequest, r.Status)
				assert.Equal(t, "Forbidden.NotInAllowDeleteStatus", r.code(), r.Raw)
				assert.Equal(t, start.state, state(connOf(t, s, id)), "nothing changed")
				return
			}
			require.Equal(t, http.StatusOK, r.Status, r.Raw)
			assert.Equal(t, expressconnect.VpconnStatusDeleted, connOf(t, s, id).VirtualPhysicalConnectionStatus)
		})
	}
}

// TestDeleteErrors checks the parameter rules and the state checks of Delete.
func TestDeleteErrors(t *testing.T) {
	t.Parallel()
	f := newTargetFixture(t)
	s := f.s

	cases := []errorCase{
		{"PhysicalConnectionId missing", []string{"PhysicalConnectionId", ""}, 400, "MissingParameter"},
		{"RegionId missing", []string{"PhysicalConnectionId", f.id, "RegionId", ""}, 400, "MissingParameter"},
		{"ClientToken of 65 characters", []string{"PhysicalConnectionId", f.id, "ClientToken", strings.Repeat("t", 65)}, 400, "IllegalParam.Token"},
		{"ClientToken not ASCII", []string{"PhysicalConnectionId", f.id, "ClientToken", "tök"}, 400, "IllegalParam.Token"},
		{"unknown region", []string{"PhysicalConnectionId", f.id, "RegionId", "xx-nowhere-1"}, 404, "InvalidRegionId.NotFound"},
		{"unknown ID", []string{"PhysicalConnectionId", "pc-bp1nosuchconnection00"}, 404, "InvalidPhysicalConnectionId.NotFound"},
		{"ID in another region", []string{"PhysicalConnectionId", f.there}, 404, "InvalidPhysicalConnectionId.NotFound"},
		{"on another account's circuit", []string{"PhysicalConnectionId", f.theirs}, 404, "InvalidPhysicalConnectionId.NotFound"},
		{"an Enabled circuit", []string{"PhysicalConnectionId", expressconnecttest.DefaultCircuitID}, 400, "Forbidden.NotInAllowDeleteStatus"},
		{"another account's circuit", []string{"PhysicalConnectionId", f.foreign}, 404, "InvalidPhysicalConnectionId.NotFound"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.check(t, s, actionDelete)
		})
	}
	t.Run("in its own region", func(t *testing.T) {
		r := deleteConn(t, s, f.there, "RegionId", "cn-shanghai")
		assert.Equal(t, http.StatusOK, r.Status, r.Raw)
	})
}

// TestDeleteIdempotency checks Delete's ClientToken: the same token for the same hosted
// connection answers success again and deletes nothing twice; for another, it is refused.
func TestDeleteIdempotency(t *testing.T) {
	t.Parallel()
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{})
	id := createConn(t, s, 10)
	other := createConn(t, s, 11)
	require.Equal(t, http.StatusOK, deleteConn(t, s, id, "ClientToken", "delete-token").Status)
	deletedAt := connOf(t, s, id).DeletedAt

	admin(t, s).SetClockOffset(time.Minute)
	replay := deleteConn(t, s, id, "ClientToken", "delete-token")
	require.Equal(t, http.StatusOK, replay.Status, "a replay answers success, not NotFound: %s", replay.Raw)
	assert.Equal(t, deletedAt, connOf(t, s, id).DeletedAt, "the replay deleted nothing")

	mismatch := deleteConn(t, s, other, "ClientToken", "delete-token")
	assert.Equal(t, "IdempotentParameterMismatch", mismatch.code(), mismatch.Raw)
	assert.Equal(t, expressconnect.VpconnStatusUnConfirmed, connOf(t, s, other).VirtualPhysicalConnectionStatus)

	assert.Equal(t, "InvalidPhysicalConnectionId.NotFound", deleteConn(t, s, id).code(), "without the token: gone")
	assert.Equal(t, "InvalidPhysicalConnectionId.NotFound", deleteConn(t, s, id, "ClientToken", "fresh-token").code())
	assert.Equal(t, http.StatusOK, deleteConn(t, s, other, "ClientToken", "fresh-token").Status,
		"a failed request's token can be used again")
}

// TestLifecycleCheckOrder pins the order of the checks of Update and Delete: for each request
// with two problems at once, the code of the earlier check wins.
func TestLifecycleCheckOrder(t *testing.T) {
	t.Parallel()
	const deniedKey = "LTAI5tLifecycleDenied"
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{DeniedAccessKeys: []expressconnecttest.AccessKey{{AccessKeyID: deniedKey, AccessKeySecret: "denied-secret"}}})
	enabled := createConn(t, s, 10)
	require.NoError(t, act(s, enabled, expressconnecttest.TenantAccepts))
	require.NoError(t, act(s, enabled, expressconnecttest.BillingEnables))
	canceled := createConn(t, s, 11)
	require.NoError(t, cancelChange.do(s, canceled))
	createConn(t, s, 12)
	require.Equal(t, http.StatusOK, update(t, s, enabled, "VlanId", "10", "Token", "order-update").Status)
	plain := createConn(t, s, 13)
	require.Equal(t, http.StatusOK, deleteConn(t, s, plain, "ClientToken", "order-delete").Status)

	nowhere := []string{"RegionId", "xx-nowhere-1"}
	cases := []struct {
		name   string
		action string
		kv     []string
		secret string
		code   string
	}{
		{"Update: permission before parameter rules", actionUpdate,
			[]string{"AccessKeyId", deniedKey, "InstanceId", enabled, "VlanId", "3000"}, "denied-secret", "Forbidden.RAM"},
		{"Update: parameter rules before idempotency", actionUpdate,
			[]string{"InstanceId", enabled, "VlanId", "3000", "Token", "order-update"}, "", "IllegalParam.VlanId"},
		{"Update: idempotency before region", actionUpdate,
			append([]string{"InstanceId", enabled, "VlanId", "11", "Token", "order-update"}, nowhere...), "", "IdempotentParameterMismatch"},
		{"Update: region before hosted connection", actionUpdate,
			append([]string{"InstanceId", "pc-bp1nosuchconnection00", "VlanId", "14"}, nowhere...), "", "InvalidRegionId.NotFound"},
		{"Update: hosted connection before VLAN", actionUpdate,
			[]string{"InstanceId", "pc-bp1nosuchconnection00", "VlanId", "12"}, "", "ResourceNotFound.PhysicalConnectionId"},
		{"Update: state before VLAN", actionUpdate,
			[]string{"InstanceId", canceled, "VlanId", "12"}, "", "Forbidden.NotAllowedInState"},
		{"Update: VLAN before capacity", actionUpdate,
			[]string{"InstanceId", enabled, "VlanId", "12", "ExpectSpec", "10G"}, "", "VLAN_ID_HAS_BEEN_USED_IN_PHYSICAL_CONNECTION"},
		{"Update: capacity before dry run", actionUpdate,
			[]string{"InstanceId", enabled, "VlanId", "14", "ExpectSpec", "10G", "DryRun", "true"}, "", "ResourceNotEnough.Bandwidth"},
		{"Delete: permission before parameter rules", actionDelete,
			[]string{"AccessKeyId", deniedKey, "PhysicalConnectionId", ""}, "denied-secret", "Forbidden.RAM"},
		{"Delete: parameter rules before idempotency", actionDelete,
			[]string{"PhysicalConnectionId", plain, "ClientToken", strings.Repeat("t", 65)}, "", "IllegalParam.Token"},
		{"Delete: idempotency before region", actionDelete,
			append([]string{"PhysicalConnectionId", enabled, "ClientToken", "order-delete"}, nowhere...), "", "IdempotentParameterMismatch"},
		{"Delete: region before hosted connection", actionDelete,
			append([]string{"PhysicalConnectionId", "pc-bp1nosuchconnection00"}, nowhere...), "", "InvalidRegionId.NotFound"},
		{"Delete: hosted connection before state", actionDelete,
			[]string{"PhysicalConnectionId", plain}, "", "InvalidPhysicalConnectionId.NotFound"},
		{"Delete: state", actionDelete,
			[]string{"PhysicalConnectionId", enabled}, "", "Forbidden.NotInAllowDeleteStatus"},
	}
	t.Run("cases", func(t *testing.T) {
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				t.Parallel()
				secret := tc.secret
				if secret == "" {
					secret = s.Account().AccessKeySecret
				}
				r := postRaw(t, s, signWith(actionParams(s, tc.action, tc.kv...), secret))
				assert.Equal(t, tc.code, r.code(), r.Raw)
			})
		}
	})
	assert.Equal(t, expressconnect.VLAN(10), connOf(t, s, enabled).VLANID, "no request with a problem changed anything")
	assert.Equal(t, "Confirmed Enabled Normal", state(connOf(t, s, enabled)))
	assert.Len(t, callAction(t, s, actionList).listed(), 3, "nothing created or deleted")
}
