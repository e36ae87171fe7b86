package expressconnecttest_test

import (
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/expressconnect-go/expressconnect"
	"github.com/expressconnect-go/expressconnect/expressconnecttest"
)

const actionUpdate = "UpdateVirtualPhysicalConnection"

// update sends UpdateVirtualPhysicalConnection for id with the pairs of kv.
func update(t *testing.T, s *expressconnecttest.Server, id string, kv ...string) result {
	t.Helper()
	return callAction(t, s, actionUpdate, append([]string{"InstanceId", id}, kv...)...)
}

// TestUpdateChangesVLANAndExpectSpec checks the answer and the change: the new VLAN is taken,
// the old one freed, and ExpectSpec waits for billing to become the Spec.
func TestUpdateChangesVLANAndExpectSpec(t *testing.T) {
	t.Parallel()
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{})
	id := createConn(t, s, 10)
	r := update(t, s, id, "VlanId", "20", "ExpectSpec", "100M")
	require.Equal(t, http.StatusOK, r.Status, r.Raw)
	assert.Equal(t, []string{"RequestId", "Success"}, keys(r.Body))
	assert.Equal(t, "true", r.str("Success"))
	assert.Equal(t, r.Header.Get("x-acs-request-id"), r.str("RequestId"))

	c := connOf(t, s, id)
	assert.Equal(t, expressconnect.VLAN(20), c.VLANID)
	assert.Equal(t, expressconnect.Spec100M, c.ExpectSpec)
	assert.Equal(t, expressconnect.Spec50M, c.Spec, "the Spec changes once paid for")
	e := callAction(t, s, actionList).listed()[0]
	assert.Equal(t, "20", e["VlanId"])
	assert.Equal(t, "100M", e["ExpectSpec"])
	assert.Equal(t, "50M", e["Spec"])
	reqs := admin(t, s).Requests()
	assert.Equal(t, id, reqs[len(reqs)-2].ConnectionID)

	createConn(t, s, 10) // the old VLAN is free
	assert.Equal(t, "VLAN_ID_HAS_BEEN_USED_IN_PHYSICAL_CONNECTION", update(t, s, id, "VlanId", "10").code())

	require.NoError(t, act(s, id, expressconnecttest.TenantAccepts))
	require.NoError(t, act(s, id, expressconnecttest.BillingEnables))
	c = connOf(t, s, id)
	assert.Equal(t, expressconnect.Spec100M, c.Spec)

	require.Equal(t, http.StatusOK, update(t, s, id, "VlanId", "20", "ExpectSpec", "200M").Status)
	assert.Equal(t, expressconnect.Spec100M, connOf(t, s, id).Spec)
	require.NoError(t, act(s, id, expressconnecttest.BillingEnables), "billing makes an Enabled one's new ExpectSpec take effect")
	c = connOf(t, s, id)
	assert.Equal(t, expressconnect.Spec200M, c.Spec)
	assert.Equal(t, expressconnect.StatusEnabled, c.Status)
	assert.ErrorIs(t, act(s, id, expressconnecttest.BillingEnables), expressconnecttest.ErrTransitionNotAllowed, "nothing left to pay")
}

// TestUpdateStates checks in which states Update is allowed.
func TestUpdateStates(t *testing.T) {
	t.Parallel()
	refused := map[string]bool{"rejected": true, "canceled": true, "canceled after acceptance": true,
		"terminating": true, "terminated": true}
	servers := newStateServers(t, expressconnecttest.Config{})
	for i, start := range startStates {
		s := servers.of(start.name)
		id := createConn(t, s, 10+i)
		t.Run(start.name, func(t *testing.T) {
			t.Parallel()
			for _, step := range start.path {
				require.NoError(t, step.do(s, id), step.name)
			}
			r := update(t, s, id, "VlanId", strconv.Itoa(2000+i), "ExpectSpec", "100M")
			if refused[start.name] {
				assert.Equal(t, http.StatusBadRequest, r.Status)
				assert.Equal(t, "Forbidden.NotAllowedInState", r.code(), r.Raw)
				assert.Equal(t, "The request does not allow in this state.", r.str("Message"))
				assert.Equal(t, expressconnect.Spec50M, connOf(t, s, id).ExpectSpec, "nothing changed")
				return
			}
			require.Equal(t, http.StatusOK, r.Status, r.Raw)
			c := connOf(t, s, id)
			assert.Equal(t, expressconnect.Spec100M, c.ExpectSpec)
			assert.Equal(t, start.state, state(c), "the state does not change")
		})
	}
}

// TestUpdateConflicts checks the state checks: the hosted connection, the VLAN and the
// capacity.
func TestUpdateConflicts(t *testing.T) {
	t.Parallel()
	const (
		small    = "pc-bp1updatesmall0000001"
		vlan0    = "pc-bp1updatevlanzero0001"
		shanghai = "pc-uf6updateshanghai0001"
	)
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{Circuits: []expressconnecttest.Circuit{{ID: small, CapacityMbps: 250}, {ID: vlan0}, {ID: shanghai, RegionID: "cn-shanghai"}}})
	on := func(circuit, vlan string, kv ...string) string {
		p := validParams(s)
		p.Set("PhysicalConnectionId", circuit)
		p.Set("VlanId", vlan)
		for i := 0; i+1 < len(kv); i += 2 {
			p.Set(kv[i], kv[i+1])
		}
		r := post(t, s, p)
		require.Equal(t, http.StatusOK, r.Status, r.Raw)
		return r.str("VirtualPhysicalConnection")
	}
	a := on(expressconnecttest.DefaultCircuitID, "10")
	on(expressconnecttest.DefaultCircuitID, "11")
	alone := on(vlan0, "0")
	smallA := on(small, "1", "Spec", "100M")
	on(small, "2", "Spec", "50M")
	there := on(shanghai, "1", "RegionId", "cn-shanghai")

	cases := []struct {
		name   string
		id     string
		kv     []string
		status int
		code   string // empty: accepted
	}{
		{"unknown ID", "pc-bp1nosuchconnection00", []string{"VlanId", "12"}, 400, "ResourceNotFound.PhysicalConnectionId"},
		{"circuit ID", expressconnecttest.DefaultCircuitID, []string{"VlanId", "12"}, 400, "ResourceNotFound.PhysicalConnectionId"},
		{"ID in another region", there, []string{"VlanId", "12"}, 400, "ResourceNotFound.PhysicalConnectionId"},
		{"unknown region", a, []string{"VlanId", "12", "RegionId", "xx-nowhere-1"}, 404, "InvalidRegionId.NotFound"},
		{"VLAN used on the circuit", a, []string{"VlanId", "11"}, 400, "VLAN_ID_HAS_BEEN_USED_IN_PHYSICAL_CONNECTION"},
		{"VLAN 0 on a circuit with others", a, []string{"VlanId", "0"}, 400, "OperationFailed.PconnAllocateVlan0"},
		{"same VLAN", a, []string{"VlanId", "10"}, 200, ""},
		{"VLAN 0 to another VLAN when alone", alone, []string{"VlanId", "7"}, 200, ""},
		{"ExpectSpec beyond the free capacity", smallA, []string{"VlanId", "1", "ExpectSpec", "300M"}, 400, "ResourceNotEnough.Bandwidth"},
		{"ExpectSpec filling the capacity", smallA, []string{"VlanId", "1", "ExpectSpec", "200M"}, 200, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := update(t, s, tc.id, tc.kv...)
			assert.Equal(t, tc.status, r.Status, r.Raw)
			assert.Equal(t, tc.code, r.code(), r.Raw)
		})
	}
	t.Run("message names the ID", func(t *testing.T) {
		r := update(t, s, "pc-bp1nosuchconnection00", "VlanId", "12")
		assert.Equal(t, "The specified PhysicalConnectionId [pc-bp1nosuchconnection00] is not found.", r.str("Message"))
	})
	t.Run("a pending ExpectSpec reserves its bandwidth", func(t *testing.T) {
		p := validParams(s)
		p.Set("PhysicalConnectionId", small)
		p.Set("VlanId", "3")
		p.Set("Spec", "50M")
		assert.Equal(t, "ResourceNotEnough.Bandwidth", post(t, s, p).code(), "200M pending and 50M use the 250M")
	})
	t.Run("another account's circuit", func(t *testing.T) {
		admin(t, s).SetCircuit(expressconnecttest.Circuit{ID: vlan0, Owner: "1999999999999999"})
		assert.Equal(t, "ResourceNotFound.PhysicalConnectionId", update(t, s, alone, "VlanId", "8").code())
	})
}

// TestUpdateParameterRules checks each rule of Update's parameters with its code.
func TestUpdateParameterRules(t *testing.T) {
	t.Parallel()
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{})
	id := createConn(t, s, 10)
	cases := []struct {
		name string
		kv   []string
		code string // empty: accepted
	}{
		{"InstanceId missing", []string{"InstanceId", "", "VlanId", "11"}, "MissingParameter"},
		{"VlanId missing", nil, "MissingParameter"},
		{"VlanId not a number", []string{"VlanId", "ten"}, "InvalidVlanId.Malformed"},
		{"VlanId 3000", []string{"VlanId", "3000"}, "IllegalParam.VlanId"},
		{"ExpectSpec unknown", []string{"VlanId", "10", "ExpectSpec", "3G"}, "IllegalParam.Spec"},
		{"Token of 65 characters", []string{"VlanId", "10", "Token", strings.Repeat("t", 65)}, "IllegalParam.Token"},
		{"Token not ASCII", []string{"VlanId", "10", "Token", "tök"}, "IllegalParam.Token"},
		{"DryRun not a boolean", []string{"VlanId", "10", "DryRun", "yes"}, "IllegalParam.DryRun"},
		{"parameter rule before the hosted connection", []string{"InstanceId", "pc-bp1nosuchconnection00", "VlanId", "3000"}, "IllegalParam.VlanId"},
		{"all valid", []string{"VlanId", "10", "ExpectSpec", "10G", "Token", strings.Repeat("t", 64), "DryRun", "false"}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := update(t, s, id, tc.kv...)
			assert.Equal(t, tc.code, r.code(), r.Raw)
		})
	}
	t.Run("missing parameter's message", func(t *testing.T) {
		t.Parallel()
		r := update(t, s, id)
		assert.Equal(t, "The input parameter 'VlanId' that is mandatory for processing this request is not supplied.", r.str("Message"))
	})
}

// TestUpdateIdempotency checks Update's Token: the same Token with the same parameters
// answers the same and changes nothing again; with other parameters it is refused.
func TestUpdateIdempotency(t *testing.T) {
	t.Parallel()
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{})
	id := createConn(t, s, 10)
	first := update(t, s, id, "VlanId", "20", "Token", "update-token")
	require.Equal(t, http.StatusOK, first.Status, first.Raw)
	require.Equal(t, http.StatusOK, update(t, s, id, "VlanId", "30", "Token", "other-token").Status)

	replay := update(t, s, id, "VlanId", "20", "Token", "update-token")
	require.Equal(t, http.StatusOK, replay.Status, replay.Raw)
	assert.Equal(t, "true", replay.str("Success"))
	assert.NotEqual(t, first.str("RequestId"), replay.str("RequestId"))
	assert.Equal(t, expressconnect.VLAN(30), connOf(t, s, id).VLANID, "the replay changed nothing")

	mismatch := update(t, s, id, "VlanId", "21", "Token", "update-token")
	assert.Equal(t, http.StatusBadRequest, mismatch.Status)
	assert.Equal(t, "IdempotentParameterMismatch", mismatch.code())
	assert.Equal(t, "DryRunOperation", update(t, s, id, "VlanId", "20", "Token", "update-token", "DryRun", "true").code())

	t.Run("idempotency before state", func(t *testing.T) {
		assert.Equal(t, "IdempotentParameterMismatch", update(t, s, "pc-bp1nosuchconnection00", "VlanId", "20", "Token", "update-token").code())
	})
	t.Run("tokens of other actions are independent", func(t *testing.T) {
		p := validParams(s)
		p.Set("VlanId", "40")
		p.Set("Token", "shared-token")
		require.Equal(t, http.StatusOK, post(t, s, p).Status)
		r := update(t, s, id, "VlanId", "41", "Token", "shared-token")
		assert.Equal(t, http.StatusOK, r.Status, r.Raw)
	})
	t.Run("a failed request's token can be used again", func(t *testing.T) {
		assert.Equal(t, "VLAN_ID_HAS_BEEN_USED_IN_PHYSICAL_CONNECTION", update(t, s, id, "VlanId", "40", "Token", "retry-token").code())
		assert.Equal(t, http.StatusOK, update(t, s, id, "VlanId", "40", "Token", "retry-token", "VlanId", "42").Status)
	})
}

// TestUpdateDryRun checks that a passed dry run answers HTTP 400 DryRunOperation and changes
// nothing, and a failed one answers its failure.
func TestUpdateDryRun(t *testing.T) {
	t.Parallel()
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{})
	id := createConn(t, s, 10)
	createConn(t, s, 11)
	r := update(t, s, id, "VlanId", "20", "ExpectSpec", "1G", "DryRun", "true", "Token", "dry-token")
	assert.Equal(t, http.StatusBadRequest, r.Status)
	assert.Equal(t, "DryRunOperation", r.code())
	assert.Equal(t, expressconnecttest.MessageDryRunOperation, r.str("Message"))
	c := connOf(t, s, id)
	assert.Equal(t, expressconnect.VLAN(10), c.VLANID)
	assert.Equal(t, expressconnect.Spec50M, c.ExpectSpec)

	assert.Equal(t, "VLAN_ID_HAS_BEEN_USED_IN_PHYSICAL_CONNECTION", update(t, s, id, "VlanId", "11", "DryRun", "true").code(),
		"state before dry run")
	assert.Equal(t, "ResourceNotFound.PhysicalConnectionId", update(t, s, "pc-bp1nosuchconnection00", "VlanId", "20", "DryRun", "true").code())

	real := update(t, s, id, "VlanId", "20", "ExpectSpec", "1G", "Token", "dry-token")
	require.Equal(t, http.StatusOK, real.Status, "a dry run does not use up its Token: %s", real.Raw)
	assert.Equal(t, expressconnect.VLAN(20), connOf(t, s, id).VLANID)
}

// TestConcurrentUpdatesNeverShareAVLAN has many hosted connections race for a few VLANs:
// each VLAN is given to at most one of them, and no two hosted connections end on one VLAN.
func TestConcurrentUpdatesNeverShareAVLAN(t *testing.T) {
	t.Parallel()
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{Circuits: []expressconnecttest.Circuit{{
		ID: expressconnecttest.DefaultCircuitID, Quota: 100, CapacityMbps: 1000000,
	}}})
	const workers, vlans = 30, 5
	ids := make([]string, workers)
	for i := range ids {
		ids[i] = createConn(t, s, 100+i)
	}
	var wg sync.WaitGroup
	codes := make([]string, workers)
	errs := make([]error, workers)
	for i := range workers {
		wg.Go(func() {
			p := actionParams(s, actionUpdate, "InstanceId", ids[i], "VlanId", strconv.Itoa(1+i%vlans))
			r, err := tryPost(s, p)
			codes[i], errs[i] = r.code(), err
		})
	}
	wg.Wait()
	moved := 0
	for i := range workers {
		require.NoError(t, errs[i])
		if codes[i] == "" {
			moved++
		} else {
			assert.Equal(t, "VLAN_ID_HAS_BEEN_USED_IN_PHYSICAL_CONNECTION", codes[i])
		}
	}
	assert.Equal(t, vlans, moved)
	seen := map[expressconnect.VLANID]bool{}
	for _, c := range admin(t, s).Connections() {
		assert.False(t, seen[c.VLANID], "VLAN %s held twice", c.VLANID)
		seen[c.VLANID] = true
	}
}
