package expressconnecttest_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/expressconnect-go/expressconnect"
	"github.com/expressconnect-go/expressconnect/expressconnecttest"
)

// TestSuccessIsRecorded checks the success answer and the recorded hosted connection.
func TestSuccessIsRecorded(t *testing.T) {
	t.Parallel()
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{})
	p := validParams(s)
	p.Set("Name", "conn_1")
	p.Set("Description", "For tenant one")
	p.Set("Token", "tok-1")
	p.Set("ResourceGroupId", "rg-aekzjty2chzuqky")
	p.Set("Tag.2.Key", "team")
	p.Set("Tag.2.Value", "netops")
	p.Set("Tag.1.Key", "env")
	p.Set("Tag.1.Value", "prod")
	r := post(t, s, p)
	require.Equal(t, http.StatusOK, r.Status, r.Raw)
	assert.Len(t, r.Body, 2, "only RequestId and VirtualPhysicalConnection: %s", r.Raw)
	id := r.str("VirtualPhysicalConnection")
	assert.Regexp(t, `^pc-bp1[a-z0-9]{18}$`, id)
	assert.Equal(t, r.str("RequestId"), r.Header.Get("x-acs-request-id"))

	conns := admin(t, s).Connections()
	require.Len(t, conns, 1)
	c := conns[0]
	assert.Equal(t, expressconnecttest.Connection{
		VirtualPhysicalConnectionID: id, RegionID: "cn-hangzhou", PhysicalConnectionID: expressconnecttest.DefaultCircuitID,
		VpconnAliUID: testTenant, VLANID: expressconnect.VLAN(10), Spec: expressconnect.Spec50M, ExpectSpec: expressconnect.Spec50M,
		OrderMode: expressconnect.PayByVirtualPhysicalConnectionOwner,
		Name:      "conn_1", Description: "For tenant one", ResourceGroupID: "rg-aekzjty2chzuqky",
		Tags:                            []expressconnect.Tag{{Key: "env", Value: "prod"}, {Key: "team", Value: "netops"}},
		Token:                           "tok-1",
		VirtualPhysicalConnectionStatus: expressconnect.VpconnStatusUnConfirmed,
		Status:                          expressconnect.StatusAllocated, BusinessStatus: expressconnect.BusinessStatusNormal,
		RequestID: r.str("RequestId"), CreatedAt: c.CreatedAt,
	}, c)
	assert.WithinDuration(t, time.Now(), c.CreatedAt, time.Minute)

	reqs := admin(t, s).Requests()
	require.Len(t, reqs, 1)
	assert.True(t, reqs[0].SignatureVerified)
	assert.Equal(t, http.StatusOK, reqs[0].StatusCode)
	assert.Empty(t, reqs[0].Code)
	assert.Equal(t, id, reqs[0].ConnectionID)
	assert.Equal(t, "CreateVirtualPhysicalConnection", reqs[0].Action)
	assert.Equal(t, "<redacted>", reqs[0].Params.Get("Signature"))
	assert.Equal(t, "conn_1", reqs[0].Params.Get("Name"))
}

// TestNoTokenUsesRequestID checks that a request without Token records its RequestId as the
// token, as the service documents.
func TestNoTokenUsesRequestID(t *testing.T) {
	t.Parallel()
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{})
	r := post(t, s, validParams(s))
	require.Equal(t, http.StatusOK, r.Status, r.Raw)
	assert.Equal(t, r.str("RequestId"), admin(t, s).Connections()[0].Token)
}

// TestIdempotency checks the Token rules.
func TestIdempotency(t *testing.T) {
	t.Parallel()
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{})
	withToken := func(vlan string) url.Values {
		p := validParams(s)
		p.Set("Token", "same-token")
		p.Set("VlanId", vlan)
		p.Set("Tag.1.Key", "a")
		p.Set("Tag.2.Key", "b")
		return p
	}
	first := post(t, s, withToken("7"))
	require.Equal(t, http.StatusOK, first.Status, first.Raw)

	again := withToken("7")
	again.Set("Tag.1.Key", "b") // the same tags in another order are the same request
	again.Set("Tag.2.Key", "a")
	second := post(t, s, again)
	require.Equal(t, http.StatusOK, second.Status, second.Raw)
	assert.Equal(t, first.str("VirtualPhysicalConnection"), second.str("VirtualPhysicalConnection"))
	assert.NotEqual(t, first.str("RequestId"), second.str("RequestId"))

	mismatch := post(t, s, withToken("8"))
	assert.Equal(t, http.StatusBadRequest, mismatch.Status)
	assert.Equal(t, "IdempotentParameterMismatch", mismatch.code())

	dry := withToken("7")
	dry.Set("DryRun", "true")
	assert.Equal(t, "DryRunOperation", post(t, s, dry).code())

	assert.Len(t, admin(t, s).Connections(), 1, "replays create nothing")
}

// TestDryRun checks that a passed dry run answers DryRunOperation and creates nothing, and a
// failed one answers the failure.
func TestDryRun(t *testing.T) {
	t.Parallel()
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{})
	p := validParams(s)
	p.Set("DryRun", "true")
	r := post(t, s, p)
	assert.Equal(t, http.StatusBadRequest, r.Status)
	assert.Equal(t, "DryRunOperation", r.code())
	assert.Equal(t, "Request validation has been passed with DryRun flag set.", r.str("Message"))
	assert.Empty(t, admin(t, s).Connections())

	bad := validParams(s)
	bad.Set("DryRun", "true")
	bad.Set("VlanId", "4000")
	assert.Equal(t, "IllegalParam.VlanId", post(t, s, bad).code())

	unknown := validParams(s)
	unknown.Set("DryRun", "true")
	unknown.Set("PhysicalConnectionId", "pc-bp1nosuchcircuit0000")
	assert.Equal(t, "InvalidPhysicalConnectionId.NotFound", post(t, s, unknown).code())
	assert.Empty(t, admin(t, s).Connections())
}

// TestStateErrors checks the circuit, tenant, VLAN, quota and capacity rules.
func TestStateErrors(t *testing.T) {
	t.Parallel()
	const (
		disabled = "pc-bp1disabled0000000001"
		qos      = "pc-bp1qosbound0000000001"
		small    = "pc-bp1small000000000001"
		full     = "pc-bp1quota000000000001"
		foreign  = "pc-bp1foreign0000000001"
		vlan0    = "pc-bp1vlanzero000000001"
		busy     = "pc-bp1busy00000000000001"
		shanghai = "pc-uf6shanghai000000001"
	)
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{Circuits: []expressconnecttest.Circuit{{ID: disabled, Status: expressconnect.StatusAllocated}, {ID: qos, QoSBound: true}, {ID: small, CapacityMbps: 100}, {ID: full, Quota: 1}, {ID: foreign, Owner: "1999999999999999"}, {ID: vlan0}, {ID: busy}, {ID: shanghai, RegionID: "cn-shanghai"}}, ForbiddenTenants: []string{"1300000000000001"}})
	create := func(circuit, vlan, spec string) result {
		p := validParams(s)
		p.Set("PhysicalConnectionId", circuit)
		p.Set("VlanId", vlan)
		p.Set("Spec", spec)
		return post(t, s, p)
	}
	require.Equal(t, http.StatusOK, create(full, "1", "50M").Status)
	require.Equal(t, http.StatusOK, create(vlan0, "0", "50M").Status)
	require.Equal(t, http.StatusOK, create(busy, "5", "50M").Status)
	require.Equal(t, http.StatusOK, create(small, "1", "50M").Status)

	cases := []struct {
		name, circuit, vlan, spec, tenant, code string
	}{
		{"unknown circuit", "pc-bp1nosuchcircuit0000", "1", "50M", "", "InvalidPhysicalConnectionId.NotFound"},
		{"circuit of another account", foreign, "1", "50M", "", "InvalidPhysicalConnectionId.NotFound"},
		{"circuit in another region", shanghai, "1", "50M", "", "InvalidPhysicalConnectionId.NotFound"},
		{"circuit not enabled", disabled, "1", "50M", "", "InvalidPhysicalConnectionId.NotEnabled"},
		{"QoS-bound circuit", qos, "1", "50M", "", "EcAssociatedQoSPconnNotAllowCreateVpconn"},
		{"quota reached", full, "2", "50M", "", "QuotaExceeded.VPCONN"},
		{"VLAN 0 asked again", vlan0, "0", "50M", "", "VLAN_ID_HAS_BEEN_USED_IN_PHYSICAL_CONNECTION"},
		{"other VLAN on a VLAN 0 circuit", vlan0, "3", "50M", "", "OperationFailed.PconnAllocateVlan0"},
		{"VLAN 0 on a busy circuit", busy, "0", "50M", "", "OperationFailed.PconnAllocateVlan0"},
		{"VLAN used", busy, "5", "50M", "", "VLAN_ID_HAS_BEEN_USED_IN_PHYSICAL_CONNECTION"},
		{"capacity exceeded", small, "2", "100M", "", "ResourceNotEnough.Bandwidth"},
		{"forbidden tenant", busy, "6", "50M", "1300000000000001", "Forbidden.VpconnAliUid"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := validParams(s)
			p.Set("PhysicalConnectionId", tc.circuit)
			p.Set("VlanId", tc.vlan)
			p.Set("Spec", tc.spec)
			if tc.tenant != "" {
				p.Set("VpconnAliUid", tc.tenant)
			}
			r := post(t, s, p)
			assert.Equal(t, http.StatusBadRequest, r.Status)
			assert.Equal(t, tc.code, r.code(), r.Raw)
		})
	}
	t.Run("capacity left is usable", func(t *testing.T) {
		t.Parallel()
		assert.Equal(t, http.StatusOK, create(small, "3", "50M").Status)
	})
}

// TestCircuitStatus checks that Create needs an Enabled circuit, that a Circuit without a
// Status is Enabled, and that every other documented state, in either spelling, is refused
// with InvalidPhysicalConnectionId.NotEnabled.
func TestCircuitStatus(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		status expressconnect.Status
		code   string
	}{
		{"zero value", "", ""},
		{"Enabled", expressconnect.StatusEnabled, ""},
		{"Initial", expressconnect.StatusInitial, "InvalidPhysicalConnectionId.NotEnabled"},
		{"Approved", expressconnect.StatusApproved, "InvalidPhysicalConnectionId.NotEnabled"},
		{"Allocating", expressconnect.StatusAllocating, "InvalidPhysicalConnectionId.NotEnabled"},
		{"Allocated", expressconnect.StatusAllocated, "InvalidPhysicalConnectionId.NotEnabled"},
		{"Confirmed", expressconnect.StatusConfirmed, "InvalidPhysicalConnectionId.NotEnabled"},
		{"Rejected", expressconnect.StatusRejected, "InvalidPhysicalConnectionId.NotEnabled"},
		{"Canceled", expressconnect.StatusCanceled, "InvalidPhysicalConnectionId.NotEnabled"},
		{"Cancelled", "Cancelled", "InvalidPhysicalConnectionId.NotEnabled"},
		{"Allocation Failed", expressconnect.StatusAllocationFailed, "InvalidPhysicalConnectionId.NotEnabled"},
		{"AllocationFailed", "AllocationFailed", "InvalidPhysicalConnectionId.NotEnabled"},
		{"Terminating", expressconnect.StatusTerminating, "InvalidPhysicalConnectionId.NotEnabled"},
		{"Terminated", expressconnect.StatusTerminated, "InvalidPhysicalConnectionId.NotEnabled"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{Circuits: []expressconnecttest.Circuit{{
				ID: expressconnecttest.DefaultCircuitID, Quota: 3, Status: tc.status,
			}}})
			r := post(t, s, validParams(s))
			if tc.code == "" {
				assert.Equal(t, http.StatusOK, r.Status, r.Raw)
				return
			}
			assert.Equal(t, http.StatusBadRequest, r.Status)
			assert.Equal(t, tc.code, r.code(), r.Raw)
			assert.Empty(t, admin(t, s).Connections())
		})
	}
}

// TestSetCircuit checks that a circuit can be changed at run time, keeping its allocations.
func TestSetCircuit(t *testing.T) {
	t.Parallel()
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{})
	require.Equal(t, http.StatusOK, post(t, s, validParams(s)).Status)
	admin(t, s).SetCircuit(expressconnecttest.Circuit{ID: expressconnecttest.DefaultCircuitID, Status: expressconnect.StatusAllocated})
	assert.Equal(t, "InvalidPhysicalConnectionId.NotEnabled", post(t, s, validParams(s)).code())
	admin(t, s).SetCircuit(expressconnecttest.Circuit{ID: expressconnecttest.DefaultCircuitID})
	assert.Equal(t, "VLAN_ID_HAS_BEEN_USED_IN_PHYSICAL_CONNECTION", post(t, s, validParams(s)).code())
	assert.Error(t, s.Admin().SetCircuit(context.Background(), expressconnecttest.Circuit{ID: "bp1-no-prefix"}))
}

// TestConcurrentCreatesNeverShareAVLAN has many goroutines race for a few VLANs on one
// circuit: each VLAN is given to exactly one of them.
func TestConcurrentCreatesNeverShareAVLAN(t *testing.T) {
	t.Parallel()
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{Circuits: []expressconnecttest.Circuit{{
		ID: "pc-bp1concurrent00000001", Quota: 1000, CapacityMbps: 1000000,
	}}})
	const workers, vlans = 40, 8
	var wg sync.WaitGroup
	codes := make([]string, workers)
	errs := make([]error, workers)
	for i := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p := validParams(s)
			p.Set("PhysicalConnectionId", "pc-bp1concurrent00000001")
			p.Set("VlanId", strconv.Itoa(1+i%vlans))
			r, err := tryPost(s, p)
			codes[i], errs[i] = r.code(), err
		}()
	}
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err)
	}
	created := 0
	for _, c := range codes {
		if c == "" {
			created++
		} else {
			assert.Equal(t, "VLAN_ID_HAS_BEEN_USED_IN_PHYSICAL_CONNECTION", c)
		}
	}
	assert.Equal(t, vlans, created)
	seen := map[expressconnect.VLANID]bool{}
	for _, c := range admin(t, s).Connections() {
		assert.False(t, seen[c.VLANID], "VLAN %s given twice", c.VLANID)
		seen[c.VLANID] = true
	}
	assert.Len(t, admin(t, s).Requests(), workers)
}
