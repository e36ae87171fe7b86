package expressconnecttest

import (
	"slices"
	"sync"
	"time"

	"github.com/expressconnect-go/expressconnect"
)

// Connection is a hosted connection the server created. Its fields carry the names and types
// of the client's [expressconnect.VirtualPhysicalConnection] and
// [expressconnect.CreateVirtualPhysicalConnectionRequest].
type Connection struct {
	// VirtualPhysicalConnectionID is the hosted connection's ID, such as "pc-bp1...".
	VirtualPhysicalConnectionID string
	// RegionID is the region it was created in.
	RegionID string
	// PhysicalConnectionID is the partner's circuit it was created on.
	PhysicalConnectionID string
	// VpconnAliUID is the tenant's account ID.
	VpconnAliUID string
	// VLANID is its VLAN on the circuit.
	VLANID expressconnect.VLANID
	// Spec is its bandwidth.
	Spec expressconnect.Spec
	// ExpectSpec is the bandwidth asked for; it equals Spec until an update asks for another.
	ExpectSpec expressconnect.Spec
	// OrderMode says who pays.
	OrderMode expressconnect.OrderMode
	// Name and Description are as given, possibly empty.
	Name, Description string
	// ResourceGroupID is as given, possibly empty.
	ResourceGroupID string
	// Tags are as given, in the order of their Tag.N index.
	Tags []expressconnect.Tag
	// Token is the client token; when the request had none, the RequestId that created it.
	Token string
	// VirtualPhysicalConnectionStatus says whether the tenant has accepted it.
	VirtualPhysicalConnectionStatus expressconnect.VirtualPhysicalConnectionStatus
	// Status is its life-cycle state.
	Status expressconnect.PhysicalConnectionStatus
	// BusinessStatus is its billing state.
	BusinessStatus expressconnect.BusinessStatus
	// RequestID is the RequestId of the request that created it.
	RequestID string
	// CreatedAt is the server clock's time of creation.
	CreatedAt time.Time
}

// circuitState is a circuit with what has been allocated on it.
type circuitState struct {
	Circuit
	vlans    map[int]string // VLAN → hosted connection ID
	usedMbps int
	count    int
}

// tokenEntry remembers the request a client token created a hosted connection for.
type tokenEntry struct {
	fingerprint  string
	connectionID string
}

// store holds the circuits and hosted connections. One mutex guards everything, so that a
// check and the allocation that follows it are atomic.
type store struct {
	mu               sync.Mutex
	circuits         map[string]*circuitState
	conns            []Connection
	tokens           map[string]tokenEntry // account UID + "\x00" + token → entry
	forbiddenTenants map[string]bool
}

// newStore returns a store holding circuits, which must have their defaults applied.
func newStore(circuits []Circuit, forbiddenTenants []string) *store {
	st := &store{
		circuits:         map[string]*circuitState{},
		tokens:           map[string]tokenEntry{},
		forbiddenTenants: map[string]bool{},
	}
	for _, c := range circuits {
		st.circuits[c.ID] = &circuitState{Circuit: c, vlans: map[int]string{}}
	}
	for _, uid := range forbiddenTenants {
		st.forbiddenTenants[uid] = true
	}
	return st
}

// putCircuit adds c, or replaces the description of the circuit with its ID while keeping the
// hosted connections allocated on it.
func (st *store) putCircuit(c Circuit) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if cs, ok := st.circuits[c.ID]; ok {
		cs.Circuit = c
		return
	}
	st.circuits[c.ID] = &circuitState{Circuit: c, vlans: map[int]string{}}
}

// connections returns a copy of the hosted connections in order of creation.
func (st *store) connections() []Connection {
	st.mu.Lock()
	defer st.mu.Unlock()
	out := make([]Connection, len(st.conns))
	for i, c := range st.conns {
		c.Tags = slices.Clone(c.Tags)
		out[i] = c
	}
	return out
}

// createRequest is everything create needs besides the checked parameters.
type createRequest struct {
	in        createInput
	accountID string
	requestID string
	now       time.Time
}

// create applies idempotency, the state checks and the dry run to req, in that order, and
// creates the hosted connection when they pass. It returns the ID of the hosted connection
// (new, or the one the Token created before).
func (st *store) create(req createRequest) (string, *apiError) {
	st.mu.Lock()
	defer st.mu.Unlock()
	in := req.in
	tokenKey := ""
	if in.token != "" {
		tokenKey = req.accountID + "\x00" + in.token
		if prev, ok := st.tokens[tokenKey]; ok {
			if prev.fingerprint != in.fingerprint() {
				return "", errIdempotentMismatch()
			}
			if in.dryRun {
				return "", errDryRun()
			}
			return prev.connectionID, nil
		}
	}
	cs, err := st.check(in, req.accountID)
	if err != nil {
		return "", err
	}
	if in.dryRun {
		return "", errDryRun()
	}
	conn := st.allocate(cs, req)
	if tokenKey != "" {
		st.tokens[tokenKey] = tokenEntry{fingerprint: in.fingerprint(), connectionID: conn.VirtualPhysicalConnectionID}
	}
	return conn.VirtualPhysicalConnectionID, nil
}

// check runs the state checks in the order the issue lists them (unknown circuit, not
// enabled, VLAN in use, VLAN 0, quota, capacity, forbidden tenant, QoS-bound) and returns the
// circuit the connection can be created on.
func (st *store) check(in createInput, accountID string) (*circuitState, *apiError) {
	cs, ok := st.circuits[in.circuitID]
	if !ok || cs.RegionID != in.regionID || cs.Owner != accountID {
		return nil, errCircuitNotFound()
	}
	_, vlanUsed := cs.vlans[in.vlan]
	_, vlan0Used := cs.vlans[0]
	switch {
	case !cs.Enabled:
		return nil, errCircuitNotEnabled()
	case vlanUsed:
		return nil, errVLANUsed()
	case vlan0Used || (in.vlan == 0 && cs.count > 0):
		return nil, errAllocateVLAN0()
	case cs.count >= cs.Quota:
		return nil, errQuotaExceeded()
	case cs.usedMbps+in.spec.Mbps() > cs.CapacityMbps:
		return nil, errBandwidthNotEnough()
	case st.forbiddenTenants[in.tenantUID]:
		return nil, errForbiddenTenant()
	case cs.QoSBound:
		return nil, errQoSBound()
	}
	return cs, nil
}

// allocate records a new hosted connection on cs.
func (st *store) allocate(cs *circuitState, req createRequest) Connection {
	in := req.in
	token := in.token
	if token == "" {
		token = req.requestID
	}
	conn := Connection{
		VirtualPhysicalConnectionID:     newConnectionID(in.regionID),
		RegionID:                        in.regionID,
		PhysicalConnectionID:            cs.ID,
		VpconnAliUID:                    in.tenantUID,
		VLANID:                          expressconnect.VLAN(in.vlan),
		Spec:                            in.spec,
		ExpectSpec:                      in.spec,
		OrderMode:                       in.orderMode,
		Name:                            in.name,
		Description:                     in.description,
		ResourceGroupID:                 in.resourceGroupID,
		Tags:                            slices.Clone(in.tags),
		Token:                           token,
		VirtualPhysicalConnectionStatus: expressconnect.VirtualPhysicalConnectionUnConfirmed,
		Status:                          expressconnect.StatusAllocated,
		BusinessStatus:                  expressconnect.BusinessStatusNormal,
		RequestID:                       req.requestID,
		CreatedAt:                       req.now,
	}
	cs.vlans[in.vlan] = conn.VirtualPhysicalConnectionID
	cs.usedMbps += in.spec.Mbps()
	cs.count++
	st.conns = append(st.conns, conn)
	return conn
}
