package expressconnecttest_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/expressconnect-go/expressconnect"
	"github.com/expressconnect-go/expressconnect/expressconnecttest"
)

// TestCheckOrder pins the order of the checks documented in the package comment: for each
// request with two problems at once, the code of the earlier check wins.
func TestCheckOrder(t *testing.T) {
	t.Parallel()
	const (
		forbidden    = "1300000000000001"
		deniedKey    = "LTAI5tOrderDenied"
		disabledBusy = "pc-bp1orderdisabled00001"
		disabled     = "pc-bp1orderdisabled00002"
		busyQuota    = "pc-bp1orderbusyquota0001"
		vlan0        = "pc-bp1ordervlanzero00001"
		fullSmall    = "pc-bp1orderfullsmall0001"
		small        = "pc-bp1ordersmall00000001"
		qos          = "pc-bp1orderqos0000000001"
		unknown      = "pc-bp1ordernosuchcircuit"
	)
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{DeniedAccessKeys: []expressconnecttest.AccessKey{{AccessKeyID: deniedKey, AccessKeySecret: "denied-secret"}}, ForbiddenTenants: []string{forbidden}, Circuits: []expressconnecttest.Circuit{{ID: disabledBusy, Quota: 1, CapacityMbps: 50}, {ID: disabled, Status: expressconnect.StatusAllocated, QoSBound: true}, {ID: busyQuota, Quota: 2}, {ID: vlan0}, {ID: fullSmall, Quota: 1, CapacityMbps: 100}, {ID: small, CapacityMbps: 100}, {ID: qos, QoSBound: true}}})
	request := func(circuit, vlan, spec string) url.Values {
		p := validParams(s)
		p.Set("PhysicalConnectionId", circuit)
		p.Set("VlanId", vlan)
		p.Set("Spec", spec)
		return p
	}
	tokened := request(busyQuota, "6", "50M")
	tokened.Set("Token", "order-token")
	setup := []url.Values{
		request(disabledBusy, "5", "50M"),
		request(busyQuota, "5", "50M"),
		request(vlan0, "0", "50M"),
		request(fullSmall, "1", "100M"),
		request(small, "1", "100M"),
		tokened,
	}
	for _, p := range setup {
		r := post(t, s, p)
		require.Equal(t, http.StatusOK, r.Status, r.Raw)
	}
	admin(t, s).SetCircuit(expressconnecttest.Circuit{ID: disabledBusy, Status: expressconnect.StatusAllocated, Quota: 1, CapacityMbps: 50})

	with := func(p url.Values, changes ...string) url.Values {
		for i := 0; i+1 < len(changes); i += 2 {
			p.Set(changes[i], changes[i+1])
		}
		return p
	}
	cases := []struct {
		name   string
		params url.Values
		secret string // empty: the server's
		code   string
	}{
		{"permission before parameter rules",
			with(request(small, "3", "50M"), "AccessKeyId", deniedKey, "VlanId", "4000"), "denied-secret", "Forbidden.RAM"},
		{"permission before state",
			with(request(unknown, "3", "50M"), "AccessKeyId", deniedKey), "denied-secret", "Forbidden.RAM"},
		{"parameter rules before idempotency",
			with(request(small, "3", "50M"), "Token", "order-token", "Name", "1bad"), "", "InvalidName.Malformed"},
		{"parameter rules before state",
			with(request(unknown, "3", "50M"), "Name", "1bad"), "", "InvalidName.Malformed"},
		{"idempotency before state",
			with(request(unknown, "3", "50M"), "Token", "order-token"), "", "IdempotentParameterMismatch"},
		{"state before dry run",
			with(request(small, "3", "100M"), "DryRun", "true"), "", "ResourceNotEnough.Bandwidth"},
		{"unknown circuit before forbidden tenant",
			with(request(unknown, "3", "50M"), "VpconnAliUid", forbidden), "", "InvalidPhysicalConnectionId.NotFound"},
		{"not enabled before VLAN used, quota and capacity",
			request(disabledBusy, "5", "100M"), "", "InvalidPhysicalConnectionId.NotEnabled"},
		{"not enabled before forbidden tenant and QoS-bound",
			with(request(disabled, "3", "50M"), "VpconnAliUid", forbidden), "", "InvalidPhysicalConnectionId.NotEnabled"},
		{"VLAN used before VLAN 0",
			request(vlan0, "0", "50M"), "", "VLAN_ID_HAS_BEEN_USED_IN_PHYSICAL_CONNECTION"},
		{"VLAN used before quota",
			request(fullSmall, "1", "50M"), "", "VLAN_ID_HAS_BEEN_USED_IN_PHYSICAL_CONNECTION"},
		{"VLAN 0 before quota",
			request(fullSmall, "0", "50M"), "", "OperationFailed.PconnAllocateVlan0"},
		{"quota before capacity",
			request(fullSmall, "2", "50M"), "", "QuotaExceeded.VPCONN"},
		{"capacity before forbidden tenant",
			with(request(small, "3", "50M"), "VpconnAliUid", forbidden), "", "ResourceNotEnough.Bandwidth"},
		{"forbidden tenant before QoS-bound",
			with(request(qos, "3", "50M"), "VpconnAliUid", forbidden), "", "Forbidden.VpconnAliUid"},
		{"QoS-bound before dry run",
			with(request(qos, "3", "50M"), "DryRun", "true"), "", "EcAssociatedQoSPconnNotAllowCreateVpconn"},
	}
	t.Run("cases", func(t *testing.T) {
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				t.Parallel()
				secret := tc.secret
				if secret == "" {
					secret = s.Account().AccessKeySecret
				}
				r := postRaw(t, s, signWith(tc.params, secret))
				assert.Equal(t, http.StatusBadRequest/100, r.Status/100, r.Raw)
				assert.Equal(t, tc.code, r.code(), r.Raw)
			})
		}
	})
	assert.Len(t, admin(t, s).Connections(), len(setup), "no request with a problem creates anything")
}
