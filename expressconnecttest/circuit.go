package expressconnecttest

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/expressconnect-go/expressconnect"
	"github.com/expressconnect-go/expressconnect/internal/rules"
)

// DefaultCircuitID is the ID of the circuit every Server has: enabled, owned by the server's
// account, in the server's region, with DefaultCapacityMbps and DefaultQuota.
const DefaultCircuitID = "pc-bp1ciz7ekd2grn1as0001"

// DefaultCapacityMbps is a circuit's bandwidth capacity when Circuit.CapacityMbps is 0: 10 Gbit/s.
const DefaultCapacityMbps = 10000

// DefaultQuota is a circuit's hosted-connection quota when Circuit.Quota is 0.
const DefaultQuota = 16

// Circuit describes an Express Connect circuit (physical connection) the server knows. In the
// admin API's JSON its ID is PhysicalConnectionId and its region RegionId, the service's names;
// its other fields keep their Go names.
type Circuit struct {
	// ID is the circuit's ID, such as "pc-bp1...". Required.
	ID string `json:"PhysicalConnectionId"`
	// RegionID is the circuit's region. Default: the server's region.
	RegionID string `json:"RegionId"`
	// Status is the circuit's life-cycle state, one of the documented values of
	// [expressconnect.Status]. Hosted connections can only be created on an Enabled circuit.
	// Default (""): Enabled, so that a Circuit with only an ID is a usable circuit.
	Status expressconnect.Status `json:"Status"`
	// CapacityMbps is the bandwidth the hosted connections on the circuit may share, in Mbit/s.
	// Default (0): DefaultCapacityMbps.
	CapacityMbps int `json:"CapacityMbps"`
	// Quota is the most hosted connections the circuit may carry. Default (0): DefaultQuota.
	Quota int `json:"Quota"`
	// QoSBound says whether the circuit is bound to a QoS policy, which forbids hosted
	// connections on it. Default false.
	QoSBound bool `json:"QoSBound"`
	// Owner is the Alibaba Cloud account UID that owns the circuit. A circuit owned by another
	// account is invisible to the server's account (InvalidPhysicalConnectionId.NotFound).
	// Default: the server's account.
	Owner string `json:"Owner"`
}

// withDefaults returns c with its zero fields replaced by the defaults, or an error when c
// cannot be used.
func (c Circuit) withDefaults(region, owner string) (Circuit, error) {
	if c.ID == "" {
		return c, errors.New("circuit has no ID")
	}
	if !strings.HasPrefix(c.ID, "pc-") {
		return c, fmt.Errorf("circuit ID %q does not start with \"pc-\"", c.ID)
	}
	if len(c.ID) > 64 || strings.Trim(c.ID[3:], "abcdefghijklmnopqrstuvwxyz0123456789-") != "" || len(c.ID) == 3 {
		return c, fmt.Errorf("circuit ID %q must be \"pc-\" and lower-case letters, digits or \"-\", at most 64 in all", c.ID)
	}
	if broken := rules.RegionID(c.RegionID); c.RegionID != "" && len(broken) > 0 {
		return c, fmt.Errorf("circuit %s: RegionId %s", c.ID, strings.Join(broken, "; "))
	}
	if broken := rules.AccountUID(c.Owner); c.Owner != "" && len(broken) > 0 {
		return c, fmt.Errorf("circuit %s: Owner %q: %s", c.ID, c.Owner, strings.Join(broken, "; "))
	}
	if c.CapacityMbps < 0 || c.Quota < 0 {
		return c, fmt.Errorf("circuit %s has a negative capacity or quota", c.ID)
	}
	if c.Status == "" {
		c.Status = expressconnect.StatusEnabled
	}
	status, ok := documentedStatus(c.Status)
	if !ok {
		return c, fmt.Errorf("circuit %s: Status %q is none of the documented states (%s)",
			c.ID, c.Status, strings.Join(statusNames(), ", "))
	}
	c.Status = status
	if c.RegionID == "" {
		c.RegionID = region
	}
	if c.CapacityMbps == 0 {
		c.CapacityMbps = DefaultCapacityMbps
	}
	if c.Quota == 0 {
		c.Quota = DefaultQuota
	}
	if c.Owner == "" {
		c.Owner = owner
	}
	return c, nil
}

// circuitStatuses are the documented values of a circuit's Status, in the order of the
// DescribePhysicalConnections reference.
var circuitStatuses = []expressconnect.Status{
	expressconnect.StatusInitial, expressconnect.StatusApproved, expressconnect.StatusAllocating,
	expressconnect.StatusAllocated, expressconnect.StatusConfirmed, expressconnect.StatusEnabled,
	expressconnect.StatusRejected, expressconnect.StatusCanceled, expressconnect.StatusAllocationFailed,
	expressconnect.StatusTerminating, expressconnect.StatusTerminated,
}

// documentedStatus returns the documented spelling of s ("Allocation Failed" for
// "AllocationFailed", "Canceled" for "Cancelled"), and whether s is a documented state at all.
func documentedStatus(s expressconnect.Status) (expressconnect.Status, bool) {
	for _, d := range circuitStatuses {
		if s.Is(d) {
			return d, true
		}
	}
	return s, false
}

// statusNames returns the documented states as strings, for errors.
func statusNames() []string {
	names := make([]string, len(circuitStatuses))
	for i, s := range circuitStatuses {
		names[i] = string(s)
	}
	return names
}

// circuitList returns the circuits of the store as of now, in the order of their IDs.
func (st *store) circuitList(now time.Time) []Circuit {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.advance(now)
	out := make([]Circuit, 0, len(st.circuits))
	for _, held := range st.circuits {
		out = append(out, held.Circuit)
	}
	slices.SortFunc(out, func(a, b Circuit) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// accessPointID returns the ID of the circuit's access point, shaped like the service's
// ("ap-cn-hangzhou-finance-yh-E").
func (c Circuit) accessPointID() string { return "ap-" + c.RegionID + "-expressconnecttest-A" }

// adLocation returns the location of the circuit's access point.
func (c Circuit) adLocation() string { return "expressconnecttest access point in " + c.RegionID }

// peerLocation is the location of the data center at the other end of every circuit.
const peerLocation = "expressconnecttest tenant data center"

// circuitCode returns the provider's code of the circuit.
func (c Circuit) circuitCode() string { return "ectest-" + strings.TrimPrefix(c.ID, "pc-") }

// portType returns the type of the circuit's port: the smallest documented port that carries
// its capacity.
func (c Circuit) portType() string {
	switch {
	case c.CapacityMbps <= 100:
		return "100Base-T"
	case c.CapacityMbps <= 1000:
		return "1000Base-LX"
	case c.CapacityMbps <= 10000:
		return "10GBase-LR"
	case c.CapacityMbps <= 40000:
		return "40GBase-LR"
	}
	return "100GBase-LR"
}
