package expressconnect

import (
	"encoding/json"
	"fmt"
	"strconv"
)

// This file holds the typed values that requests, results and filters share: one type per
// concept, whatever the operation.

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

// specTable lists every documented Spec with its bandwidth in Mbit/s, from the smallest to the
// largest: the one list that [Specs] and [Spec.Mbps] read.
var specTable = [...]struct {
	spec Spec
	mbps int
}{
	{Spec50M, 50}, {Spec100M, 100}, {Spec200M, 200}, {Spec300M, 300}, {Spec400M, 400},
	{Spec500M, 500}, {Spec1G, 1000}, {Spec2G, 2000}, {Spec5G, 5000}, {Spec8G, 8000},
	{Spec10G, 10000},
}

// Specs returns every documented Spec, from the smallest to the largest.
func Specs() []Spec {
	out := make([]Spec, len(specTable))
	for i, e := range specTable {
		out[i] = e.spec
	}
	return out
}

// Mbps returns the bandwidth in Mbit/s, or 0 for a Spec that is not documented.
func (s Spec) Mbps() int {
	for _, e := range specTable {
		if e.spec == s {
			return e.mbps
		}
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

// VLANID is the VLAN of a hosted connection on its circuit, sent as the VlanId parameter. Its
// zero value means "not set", which requests that need a VLAN reject: build one with [VLAN].
//
// VLAN 0 is valid: the VBR's switch port is then a Layer 3 router interface, and the circuit
// carries a single VBR. VLANs 1 to 2999 make the port a Layer 3 VLAN subinterface, one VBR per
// VLAN.
//
// A VLANID is its decimal number as text (so it works with flag.TextVar) and as a JSON number;
// unset is the empty text and JSON null, so that a stored request keeps the difference between
// VLAN 0 and unset.
type VLANID struct {
	id  int
	set bool
}

// VLAN returns the VLANID id. Values outside 0..2999 are kept as given and rejected by
// validation, so that the error can name them.
func VLAN(id int) VLANID { return VLANID{id: id, set: true} }

// Value returns the VLAN number and whether it was set.
func (v VLANID) Value() (id int, ok bool) { return v.id, v.set }

// String returns the VLAN number in decimal, or "unset".
func (v VLANID) String() string {
	if !v.set {
		return "unset"
	}
	return strconv.Itoa(v.id)
}

// MarshalText encodes a set VLANID as its decimal number and an unset one as empty text.
func (v VLANID) MarshalText() ([]byte, error) {
	if !v.set {
		return []byte{}, nil
	}
	return strconv.AppendInt(nil, int64(v.id), 10), nil
}

// UnmarshalText decodes a decimal number n as VLAN(n) and empty text as unset. It does not
// check the range, which validation does.
func (v *VLANID) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*v = VLANID{}
		return nil
	}
	n, err := strconv.Atoi(string(b))
	if err != nil {
		return fmt.Errorf("VLAN ID must be a decimal number, got %q", b)
	}
	*v = VLAN(n)
	return nil
}

// MarshalJSON encodes a set VLANID as its number and an unset one as null.
func (v VLANID) MarshalJSON() ([]byte, error) {
	if !v.set {
		return []byte("null"), nil
	}
	return v.MarshalText()
}

// UnmarshalJSON decodes a number n as VLAN(n) and null as unset.
func (v *VLANID) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*v = VLANID{}
		return nil
	}
	var n int
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("VLAN ID must be a number or null: %w", err)
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

// VpconnStatus says whether the tenant has accepted a hosted connection: the field
// VirtualPhysicalConnectionStatus of ListVirtualPhysicalConnections, which
// DescribePhysicalConnections calls VpconnStatus, and the filter
// VirtualPhysicalConnectionStatuses.
type VpconnStatus string

// The documented values of VpconnStatus.
const (
	// VpconnStatusUnConfirmed: the tenant has not accepted it yet.
	VpconnStatusUnConfirmed VpconnStatus = "UnConfirmed"
	// VpconnStatusConfirmed: the tenant has accepted it.
	VpconnStatusConfirmed VpconnStatus = "Confirmed"
	// VpconnStatusDeleted: it was deleted.
	VpconnStatusDeleted VpconnStatus = "Deleted"
)

// Status is the life-cycle state of a hosted connection or a circuit: the Status field.
type Status string

// The documented values of Status. The documentation spells the failed allocation both
// "Allocation Failed" and "AllocationFailed", and the canceled state both "Canceled" and
// "Cancelled"; [Status.Is] treats the spellings as equal.
const (
	StatusInitial          Status = "Initial"
	StatusApproved         Status = "Approved"
	StatusAllocating       Status = "Allocating"
	StatusAllocated        Status = "Allocated"
	StatusConfirmed        Status = "Confirmed"
	StatusEnabled          Status = "Enabled"
	StatusRejected         Status = "Rejected"
	StatusCanceled         Status = "Canceled"
	StatusAllocationFailed Status = "Allocation Failed"
	StatusTerminating      Status = "Terminating"
	StatusTerminated       Status = "Terminated"
)

// Is reports whether s is other, treating the documented spellings of a state as equal.
func (s Status) Is(other Status) bool {
	return s.canonical() == other.canonical()
}

func (s Status) canonical() Status {
	switch s {
	case "AllocationFailed":
		return StatusAllocationFailed
	case "Cancelled":
		return StatusCanceled
	}
	return s
}

// BusinessStatus is the billing state of a hosted connection: the BusinessStatus field and the
// VirtualPhysicalConnectionBusinessStatus filter.
type BusinessStatus string

// The documented values of BusinessStatus.
const (
	// BusinessStatusNormal: in good standing.
	BusinessStatusNormal BusinessStatus = "Normal"
	// BusinessStatusFinancialLocked: locked for overdue payment.
	BusinessStatusFinancialLocked BusinessStatus = "FinancialLocked"
	// BusinessStatusSecurityLocked: locked for security reasons.
	BusinessStatusSecurityLocked BusinessStatus = "SecurityLocked"
)

// Confirmation is the IsConfirmed filter of a list request.
type Confirmation int

// The values of Confirmation.
const (
	// AnyConfirmation does not filter by acceptance.
	AnyConfirmation Confirmation = iota
	// OnlyConfirmed selects hosted connections the tenant has accepted.
	OnlyConfirmed
	// OnlyUnconfirmed selects hosted connections the tenant has not accepted.
	OnlyUnconfirmed
)
