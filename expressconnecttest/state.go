package expressconnecttest

import (
	"slices"
	"sync"
	"time"

	"github.com/expressconnect-go/expressconnect"
)

// Connection is a hosted connection the server created. Its fields carry the names and types
// of the client's [expressconnect.VirtualPhysicalConnection] and
// [expressconnect.CreateVirtualPhysicalConnectionRequest]; in the admin API's JSON, the
// service's names of its parameters (VirtualPhysicalConnectionId, PhysicalConnectionId,
// VpconnAliUid, VlanId, ...), and the Go names of the times, RFC 3339, which are left out
// while zero.
type Connection struct {
	// VirtualPhysicalConnectionID is the hosted connection's ID, such as "pc-bp1...".
	VirtualPhysicalConnectionID string `json:"VirtualPhysicalConnectionId"`
	// RegionID is the region it was created in.
	RegionID string `json:"RegionId"`
	// PhysicalConnectionID is the partner's circuit it was created on.
	PhysicalConnectionID string `json:"PhysicalConnectionId"`
	// VpconnAliUID is the tenant's account ID.
	VpconnAliUID string `json:"VpconnAliUid"`
	// VLANID is its VLAN on the circuit.
	VLANID expressconnect.VLANID `json:"VlanId"`
	// Spec is its bandwidth.
	Spec expressconnect.Spec `json:"Spec"`
	// ExpectSpec is the bandwidth asked for; it equals Spec until an update asks for another.
	ExpectSpec expressconnect.Spec `json:"ExpectSpec"`
	// OrderMode says who pays.
	OrderMode expressconnect.OrderMode `json:"OrderMode"`
	// Name and Description are as given, possibly empty.
	Name        string `json:"Name"`
	Description string `json:"Description"`
	// ResourceGroupID is as given, possibly empty.
	ResourceGroupID string `json:"ResourceGroupId"`
	// Tags are as given, in the order of their Tag.N index.
	Tags []expressconnect.Tag `json:"Tags"`
	// Token is the client token; when the request had none, the RequestId that created it.
	Token string `json:"Token"`
	// VirtualPhysicalConnectionStatus says whether the tenant has accepted it.
	VirtualPhysicalConnectionStatus expressconnect.VpconnStatus `json:"VirtualPhysicalConnectionStatus"`
	// Status is its life-cycle state.
	Status expressconnect.Status `json:"Status"`
	// BusinessStatus is its billing state.
	BusinessStatus expressconnect.BusinessStatus `json:"BusinessStatus"`
	// RequestID is the RequestId of the request that created it.
	RequestID string `json:"RequestId"`
	// CreatedAt is the server clock's time of creation.
	CreatedAt time.Time `json:"CreatedAt"`
	// AcceptedAt is when the tenant accepted it (its CreationTime plus the delay of
	// Config.AutoAccept when accepted automatically); zero until then.
	AcceptedAt time.Time `json:"AcceptedAt,omitzero"`
	// EnabledAt is when billing enabled it, its EnabledTime; zero until then.
	EnabledAt time.Time `json:"EnabledAt,omitzero"`
	// DeletedAt is when it was deleted; zero until then.
	DeletedAt time.Time `json:"DeletedAt,omitzero"`
}

// reservedMbps returns the bandwidth c reserves on its circuit: the larger of Spec and
// ExpectSpec, so that a change asked for but not yet paid cannot be overbooked.
func reservedMbps(c *Connection) int { return max(c.Spec.Mbps(), c.ExpectSpec.Mbps()) }

// vlanNumber returns the VLAN of c as a number.
func vlanNumber(c *Connection) int {
	n, _ := c.VLANID.Value()
	return n
}

// usage is what the hosted connections on a circuit hold. Every hosted connection that is not
// deleted holds its VLAN, a place in the circuit's quota and its reserved bandwidth
// (reservedMbps), whatever its state.
type usage struct {
	vlans []int // the VLANs held, one per hosted connection
	mbps  int   // the bandwidth reserved
}

// usage returns what the hosted connections on the circuit circuitID hold, leaving out except
// (nil for none), such as the hosted connection an update changes.
func (st *store) usage(circuitID string, except *Connection) usage {
	var u usage
	for i := range st.conns {
		c := &st.conns[i]
		if c != except && c.PhysicalConnectionID == circuitID && !deleted(c) {
			u.vlans = append(u.vlans, vlanNumber(c))
			u.mbps += reservedMbps(c)
		}
	}
	return u
}

// vlanErr returns the error of giving vlan to one more hosted connection on the circuit: the
// VLAN is held already (VLAN_ID_HAS_BEEN_USED_IN_PHYSICAL_CONNECTION), or VLAN 0 is asked for
// on a circuit that carries hosted connections, or held already
// (OperationFailed.PconnAllocateVlan0).
func (u usage) vlanErr(vlan int) *apiError {
	switch {
	case slices.Contains(u.vlans, vlan):
		return errVLANUsed()
	case slices.Contains(u.vlans, 0) || (vlan == 0 && len(u.vlans) > 0):
		return errAllocateVLAN0()
	}
	return nil
}

// capacityErr returns ResourceNotEnough.Bandwidth when mbps more would exceed the capacity of
// circuit c.
func (u usage) capacityErr(c Circuit, mbps int) *apiError {
	if u.mbps+mbps > c.CapacityMbps {
		return errBandwidthNotEnough()
	}
	return nil
}

// store holds the circuits and hosted connections. One mutex guards everything, so that a
// check and the change that follows it are atomic. What the hosted connections hold on their
// circuits is not stored: usage derives it from them.
type store struct {
	mu               sync.Mutex
	now              func() time.Time // the server's clock
	region           string           // the server's region
	circuits         map[string]heldCircuit
	regions          map[string]bool      // the server's region and those of every circuit it was given
	conns            []Connection         // in order of creation; deleted ones stay
	byID             map[string]int       // hosted connection ID → index in conns
	terminatingConns map[string]time.Time // hosted connection ID → when its termination began
	tokens           map[tokenKey]tokenEntry
	pages            pageTokens
	forbiddenTenants map[string]bool
	auto             autoTransitions
	retention        retention
}

// heldCircuit is a circuit the store holds: its description, with its Status kept up to
// date, and the times the server adds to it.
type heldCircuit struct {
	Circuit
	// addedAt is when the server was given the circuit: its CreationTime.
	addedAt time.Time
	// enabledAt is when it was given or became Enabled: its EnabledTime; zero unless it is
	// Enabled, Terminating or Terminated.
	enabledAt time.Time
	// terminatingSince is when its termination began; zero unless it is Terminating.
	terminatingSince time.Time
}

// newStore returns a store for a server in region, on the clock now, holding circuits, which
// must have their defaults applied.
func newStore(region string, circuits []Circuit, forbiddenTenants []string, auto autoTransitions, now func() time.Time) *store {
	st := &store{region: region, forbiddenTenants: map[string]bool{}, auto: auto, now: now}
	st.reset(circuits)
	for _, uid := range forbiddenTenants {
		st.forbiddenTenants[uid] = true
	}
	return st
}

// holdCircuits makes circuits, which must have their defaults applied, the only circuits of
// the store, each added now; the regions known are the server's and theirs again. It is
// called by reset, which forgets the hosted connections, so it forgets their terminations.
func (st *store) holdCircuits(circuits []Circuit) {
	now := st.now()
	st.circuits = map[string]heldCircuit{}
	st.regions = map[string]bool{st.region: true}
	st.terminatingConns = map[string]time.Time{}
	for _, c := range circuits {
		st.hold(c, now)
	}
}

// hold adds c at now, or replaces the description of the circuit with its ID, keeping when it
// was added and, while it stays enabled or Terminating, when it was enabled or its termination
// began. A circuit given as Terminating begins its termination now.
func (st *store) hold(c Circuit, now time.Time) {
	held := heldCircuit{Circuit: c, addedAt: now}
	if before, ok := st.circuits[c.ID]; ok {
		held.addedAt, held.enabledAt, held.terminatingSince = before.addedAt, before.enabledAt, before.terminatingSince
	}
	switch c.Status {
	case expressconnect.StatusEnabled, expressconnect.StatusTerminating, expressconnect.StatusTerminated:
		if held.enabledAt.IsZero() {
			held.enabledAt = now
		}
	default:
		held.enabledAt = time.Time{}
	}
	switch {
	case c.Status != expressconnect.StatusTerminating:
		held.terminatingSince = time.Time{}
	case held.terminatingSince.IsZero():
		held.terminatingSince = now
	}
	st.circuits[c.ID] = held
	st.regions[c.RegionID] = true
}

// putCircuit adds c, or replaces the description of the circuit with its ID; the hosted
// connections on it stay.
func (st *store) putCircuit(c Circuit) {
	st.mu.Lock()
	defer st.mu.Unlock()
	now := st.now()
	st.advance(now)
	st.hold(c, now)
}

// ownCircuit returns the circuit id when it belongs to the account and is in region.
func (st *store) ownCircuit(id, accountID, region string) (heldCircuit, bool) {
	cs, ok := st.circuits[id]
	return cs, ok && cs.Owner == accountID && cs.RegionID == region
}

// carries reports whether hosted connections that are not deleted are on the circuit id.
func (st *store) carries(id string) bool {
	for i := range st.conns {
		if c := &st.conns[i]; c.PhysicalConnectionID == id && !deleted(c) {
			return true
		}
	}
	return false
}

// connections returns a copy of the hosted connections in order of creation, as of now.
func (st *store) connections(now time.Time) []Connection {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.advance(now)
	out := make([]Connection, len(st.conns))
	for i := range st.conns {
		out[i] = st.conns[i].clone()
	}
	return out
}

// connection returns a copy of the hosted connection id as of now.
func (st *store) connection(id string, now time.Time) (Connection, bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.advance(now)
	i, ok := st.byID[id]
	if !ok {
		return Connection{}, false
	}
	return st.conns[i].clone(), true
}

// clone returns a copy of c that shares no memory with it.
func (c *Connection) clone() Connection {
	out := *c
	out.Tags = slices.Clone(c.Tags)
	return out
}

// knownRegion reports whether region is the server's or that of a circuit it was given,
// deleted since or not.
func (st *store) knownRegion(region string) bool { return st.regions[region] }

// visible returns the hosted connection id as the account sees it in region: nil when there
// is none, when it is in another region, or when its circuit belongs to another account. A
// deleted one is returned; the caller decides.
func (st *store) visible(id, accountID, region string) *Connection {
	i, ok := st.byID[id]
	if !ok {
		return nil
	}
	if c := &st.conns[i]; st.sees(accountID, region, c) {
		return c
	}
	return nil
}

// sees reports whether the account sees c in region: c is in the region, on one of the
// account's circuits.
func (st *store) sees(accountID, region string, c *Connection) bool {
	return c.RegionID == region && st.circuits[c.PhysicalConnectionID].Owner == accountID
}

// deleted reports whether c is deleted.
func deleted(c *Connection) bool {
	return c.VirtualPhysicalConnectionStatus == expressconnect.VpconnStatusDeleted
}
