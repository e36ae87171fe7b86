package expressconnect

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
)

// request is an operation's request as the shared call path uses it. Each operation's request
// type implements it; the call path works on a resolved copy and never changes the caller's
// request.
type request interface {
	// action returns the API action the request is for.
	action() string
	// resolved returns a copy of the request whose RegionID is region when it names none, or
	// nil when the request is a nil pointer.
	resolved(region string) request
	// validate returns a *ValidationError listing every rule the request breaks, or nil.
	// strict is false under WithLenientValidation.
	validate(strict bool) error
	// idempotencyToken returns the request's idempotency token field, or nil when the action
	// takes none.
	idempotencyToken() *string
	// wire returns the request's parameters by wire name, in any order, and whether the
	// request is a dry run.
	wire() (params []param, dryRun bool)
}

// Spec is the bandwidth of a hosted connection, sent as the Spec or ExpectSpec parameter.
//
// Spec2G, Spec5G, Spec8G and Spec10G are unavailable by default: the service accepts them only
// after the partner's account manager has enabled them. The client sends them without checking.
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

// Mbps returns the bandwidth in Mbit/s, or 0 for a Spec that is not documented.
func (s Spec) Mbps() int {
	switch s {
	case Spec50M:
		return 50
	case Spec100M:
		return 100
	case Spec200M:
		return 200
	case Spec300M:
		return 300
	case Spec400M:
		return 400
	case Spec500M:
		return 500
	case Spec1G:
		return 1000
	case Spec2G:
		return 2000
	case Spec5G:
		return 5000
	case Spec8G:
		return 8000
	case Spec10G:
		return 10000
	}
	return 0
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
// "not set", which requests that need a VLAN reject: build one with [VLAN].
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

// IsSet reports whether the VLANID was built with [VLAN].
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

// Tag is a key/value label of a hosted connection.
type Tag struct {
	// Key is 1 to 64 characters.
	Key string
	// Value is 0 to 128 characters; empty is allowed.
	Value string
}

// NewToken returns a new idempotency token: a random UUID version 4 from crypto/rand, the kind
// the client generates for a request that has none. Choose the token with NewToken, store it
// with the order it belongs to, and then call: after a crash, calling again with the stored
// token cannot do the work twice.
func NewToken() string {
	var b [16]byte
	_, _ = rand.Read(b[:])  // crypto/rand.Read never fails on supported platforms (Go 1.24 and later).
	b[6] = b[6]&0x0F | 0x40 // version 4
	b[8] = b[8]&0x3F | 0x80 // RFC 4122 variant
	var out [36]byte
	hex.Encode(out[0:8], b[0:4])
	out[8] = '-'
	hex.Encode(out[9:13], b[4:6])
	out[13] = '-'
	hex.Encode(out[14:18], b[6:8])
	out[18] = '-'
	hex.Encode(out[19:23], b[8:10])
	out[23] = '-'
	hex.Encode(out[24:], b[10:])
	return string(out[:])
}

// appendOptional appends the parameter name=value unless value is empty.
func appendOptional(ps []param, name, value string) []param {
	if value == "" {
		return ps
	}
	return append(ps, param{name, value})
}

// appendTags appends tags as prefix.N.Key and prefix.N.Value, N counting from 1.
func appendTags(ps []param, prefix string, tags []Tag) []param {
	for i, t := range tags {
		ps = append(ps, param{tagParam(prefix, i, "Key"), t.Key}, param{tagParam(prefix, i, "Value"), t.Value})
	}
	return ps
}

// tagParam returns the wire name of part ("Key" or "Value") of the i-th tag (i counts from 0;
// the wire from 1), such as "Tag.1.Key".
func tagParam(prefix string, i int, part string) string {
	return prefix + "." + strconv.Itoa(i+1) + "." + part
}

// Wire names of parameters that several operations share.
const (
	paramRegionID             = "RegionId"
	paramPhysicalConnectionID = "PhysicalConnectionId"
	paramVLANID               = "VlanId"
	paramToken                = "Token"
	paramDryRun               = "DryRun"
	paramResourceGroupID      = "ResourceGroupId"
)

// appendDryRun appends DryRun=true when dryRun is set; the service's default is false.
func appendDryRun(ps []param, dryRun bool) []param {
	if !dryRun {
		return ps
	}
	return append(ps, param{paramDryRun, "true"})
}
