package expressconnect

import (
	"encoding/json"
	"fmt"
	"strconv"
)

// Spec is the bandwidth of a hosted connection, sent as the Spec parameter.
//
// Spec2G, Spec5G, Spec8G and Spec10G are unavailable by default: the service accepts them only
// after the partner's account manager has enabled them. The SDK sends them without checking.
type Spec string

// The bandwidth values the service documents. M means Mbit/s and G means Gbit/s.
const (
	// Spec50M is 50 Mbit/s.
	Spec50M Spec = "50M"
	// Spec100M is 100 Mbit/s.
	Spec100M Spec = "100M"
	// Spec200M is 200 Mbit/s.
	Spec200M Spec = "200M"
	// Spec300M is 300 Mbit/s.
	Spec300M Spec = "300M"
	// Spec400M is 400 Mbit/s.
	Spec400M Spec = "400M"
	// Spec500M is 500 Mbit/s.
	Spec500M Spec = "500M"
	// Spec1G is 1 Gbit/s.
	Spec1G Spec = "1G"
	// Spec2G is 2 Gbit/s. It needs approval from the account manager.
	Spec2G Spec = "2G"
	// Spec5G is 5 Gbit/s. It needs approval from the account manager.
	Spec5G Spec = "5G"
	// Spec8G is 8 Gbit/s. It needs approval from the account manager.
	Spec8G Spec = "8G"
	// Spec10G is 10 Gbit/s. It needs approval from the account manager.
	Spec10G Spec = "10G"
)

// Specs returns every documented Spec, from the smallest to the largest.
func Specs() []Spec {
	return []Spec{Spec50M, Spec100M, Spec200M, Spec300M, Spec400M, Spec500M, Spec1G, Spec2G, Spec5G, Spec8G, Spec10G}
}

func (s Spec) valid() bool {
	switch s {
	case Spec50M, Spec100M, Spec200M, Spec300M, Spec400M, Spec500M, Spec1G, Spec2G, Spec5G, Spec8G, Spec10G:
		return true
	}
	return false
}

// OrderMode says who pays for a hosted connection, sent as the OrderMode parameter.
type OrderMode string

// The payers the service documents.
const (
	// PayByPhysicalConnectionOwner bills the partner that owns the circuit.
	PayByPhysicalConnectionOwner OrderMode = "PayByPhysicalConnectionOwner"
	// PayByVirtualPhysicalConnectionOwner bills the tenant that owns the hosted connection.
	PayByVirtualPhysicalConnectionOwner OrderMode = "PayByVirtualPhysicalConnectionOwner"
)

func (m OrderMode) valid() bool {
	return m == PayByPhysicalConnectionOwner || m == PayByVirtualPhysicalConnectionOwner
}

// VLANID is the VLAN of a hosted connection, sent as the VlanId parameter. Its zero value means
// "not set", which the client rejects: build one with VLAN.
//
// VLAN 0 is valid: the VBR's switch port is then a Layer 3 router interface, and the circuit
// carries a single VBR. VLANs 1 to 2999 make the port a Layer 3 VLAN subinterface, one VBR per
// VLAN.
type VLANID struct {
	id  int
	set bool
}

// VLAN returns the VLANID id. Values outside 0..2999 are kept as given and rejected by
// validation, so that the error can name them.
func VLAN(id int) VLANID { return VLANID{id: id, set: true} }

// Value returns the VLAN number and whether it was set.
func (v VLANID) Value() (id int, ok bool) { return v.id, v.set }

// IsSet reports whether the VLANID was built with VLAN.
func (v VLANID) IsSet() bool { return v.set }

// String returns the VLAN number in decimal, or "unset".
func (v VLANID) String() string {
	if !v.set {
		return "unset"
	}
	return strconv.Itoa(v.id)
}

// MarshalJSON encodes a set VLANID as its number and an unset one as null, so that requests
// kept as JSON (in a queue or a config file) keep the difference between VLAN 0 and unset.
func (v VLANID) MarshalJSON() ([]byte, error) {
	if !v.set {
		return []byte("null"), nil
	}
	return strconv.AppendInt(nil, int64(v.id), 10), nil
}

// UnmarshalJSON decodes a number n as VLAN(n) and null as unset.
func (v *VLANID) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*v = VLANID{}
		return nil
	}
	var n int
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("VLANID must be a number or null: %w", err)
	}
	*v = VLAN(n)
	return nil
}

// Tag is a key/value label attached to the hosted connection, sent as Tag.N.Key and Tag.N.Value.
type Tag struct {
	// Key is 1 to 64 characters.
	Key string
	// Value is 0 to 128 characters; empty is allowed.
	Value string
}

// CreateVirtualPhysicalConnectionRequest holds the parameters of CreateVirtualPhysicalConnection.
// Required fields are plain values and are always sent; optional fields are sent only when they
// are not empty (DryRun is always sent when true). The client never trims or otherwise rewrites
// a value.
type CreateVirtualPhysicalConnectionRequest struct {
	// RegionID is the region of the hosted connection (RegionId). Required; when empty the
	// client's region is used.
	RegionID string
	// PhysicalConnectionID is the partner's Express Connect circuit, such as "pc-bp1...".
	// Required.
	PhysicalConnectionID string
	// VpconnAliUID is the tenant's Alibaba Cloud account ID in decimal. Required.
	VpconnAliUID string
	// VLANID is the VLAN on the circuit, 0 to 2999. Required: build it with VLAN; VLAN(0) is
	// valid, and the zero value is rejected as not set.
	VLANID VLANID
	// Spec is the bandwidth. Required.
	Spec Spec
	// OrderMode says who pays. Required.
	OrderMode OrderMode
	// Name is 2 to 128 characters: letters (any script), digits, "_" and "-", starting with a
	// letter and not with "http://" or "https://". Optional.
	Name string
	// Description is 2 to 256 characters, starting with a letter and not with "http://" or
	// "https://". Optional.
	Description string
	// Token is the idempotency token, ASCII, at most 64 characters. Optional: when empty the
	// client generates a UUID and reports it in the response and in errors, so that the call
	// can be repeated safely.
	Token string
	// DryRun asks the service to check the request without creating anything. Default false.
	DryRun bool
	// ResourceGroupID is the resource group of the hosted connection. Optional.
	ResourceGroupID string
	// Tags are at most 20 labels with unique keys. Optional.
	Tags []Tag
}

// Wire names of the operation's parameters.
const (
	paramRegionID             = "RegionId"
	paramPhysicalConnectionID = "PhysicalConnectionId"
	paramVpconnAliUID         = "VpconnAliUid"
	paramVlanID               = "VlanId"
	paramSpec                 = "Spec"
	paramOrderMode            = "OrderMode"
	paramName                 = "Name"
	paramDescription          = "Description"
	paramToken                = "Token"
	paramDryRun               = "DryRun"
	paramResourceGroupID      = "ResourceGroupId"
)

// tagKeyParam returns the wire name of the i-th tag's key (i counts from 0; the wire from 1).
func tagKeyParam(i int) string { return "Tag." + strconv.Itoa(i+1) + ".Key" }

// tagValueParam returns the wire name of the i-th tag's value.
func tagValueParam(i int) string { return "Tag." + strconv.Itoa(i+1) + ".Value" }

// appendParams appends the operation's parameters to ps, using region when the request has none
// and token as the Token. Required parameters are always appended; optional ones only when set.
func (r *CreateVirtualPhysicalConnectionRequest) appendParams(ps []param, region, token string) []param {
	if r.RegionID != "" {
		region = r.RegionID
	}
	ps = append(ps,
		param{paramRegionID, region},
		param{paramPhysicalConnectionID, r.PhysicalConnectionID},
		param{paramVpconnAliUID, r.VpconnAliUID},
		param{paramVlanID, strconv.Itoa(r.VLANID.id)},
		param{paramSpec, string(r.Spec)},
		param{paramOrderMode, string(r.OrderMode)},
	)
	ps = appendOptional(ps, paramName, r.Name)
	ps = appendOptional(ps, paramDescription, r.Description)
	ps = appendOptional(ps, paramToken, token)
	if r.DryRun {
		ps = append(ps, param{paramDryRun, "true"})
	}
	ps = appendOptional(ps, paramResourceGroupID, r.ResourceGroupID)
	for i, t := range r.Tags {
		ps = append(ps, param{tagKeyParam(i), t.Key}, param{tagValueParam(i), t.Value})
	}
	return ps
}

func appendOptional(ps []param, name, value string) []param {
	if value == "" {
		return ps
	}
	return append(ps, param{name, value})
}
