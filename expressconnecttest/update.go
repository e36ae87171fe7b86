package expressconnecttest

import (
	"net/url"
	"strconv"
	"time"

	"github.com/expressconnect-go/expressconnect"
	"github.com/expressconnect-go/expressconnect/internal/localsign"
)

// actionUpdate is the action of UpdateVirtualPhysicalConnection.
const actionUpdate = "UpdateVirtualPhysicalConnection"

// updateInput is an UpdateVirtualPhysicalConnection request whose parameters passed the
// documented rules.
type updateInput struct {
	regionID   string
	id         string
	vlan       int
	expectSpec expressconnect.Spec // empty: unchanged
	token      string
	dryRun     bool
}

// updateBody is the body of a successful UpdateVirtualPhysicalConnection. Success is a string
// on the wire.
type updateBody struct {
	RequestID string `json:"RequestId"`
	Success   string `json:"Success"`
}

// update answers UpdateVirtualPhysicalConnection: the parameter rules, then the store's
// idempotency, state and dry-run checks.
func (s *Server) update(c call) result {
	in, err := parseUpdate(c.params)
	if err != nil {
		return failed(err)
	}
	if err := s.store.update(in, c.accountID, c.now); err != nil {
		return failed(err)
	}
	return result{body: updateBody{RequestID: c.requestID, Success: "true"}, connectionID: in.id}
}

// parseUpdate checks params against the operation's rules: required parameters first, then
// the value of each.
func parseUpdate(params url.Values) (updateInput, *apiError) {
	in := updateInput{regionID: params.Get("RegionId"), id: params.Get("InstanceId"), token: params.Get("Token")}
	if err := requireParams(params, "RegionId", "InstanceId", "VlanId"); err != nil {
		return in, err
	}
	var err *apiError
	if in.vlan, err = readVLAN("VlanId", params.Get("VlanId")); err != nil {
		return in, err
	}
	if v := params.Get("ExpectSpec"); v != "" {
		if in.expectSpec, err = readSpec("ExpectSpec", v); err != nil {
			return in, err
		}
	}
	if err := checkToken("Token", in.token); err != nil {
		return in, err
	}
	in.dryRun, err = readDryRun(params.Get("DryRun"))
	return in, err
}

// fingerprint returns a string equal for two inputs exactly when they ask for the same change:
// every parameter except Token and DryRun.
func (in updateInput) fingerprint() string {
	return localsign.CanonicalQuery(url.Values{
		"RegionId":   {in.regionID},
		"InstanceId": {in.id},
		"VlanId":     {strconv.Itoa(in.vlan)},
		"ExpectSpec": {string(in.expectSpec)},
	})
}

// update applies idempotency, the state checks and the dry run to in, in that order, and
// changes the hosted connection when they pass.
func (st *store) update(in updateInput, accountID string, now time.Time) *apiError {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.advance(now)
	key, fingerprint := tokenKey{accountID: accountID, action: actionUpdate, token: in.token}, in.fingerprint()
	if _, done, err := st.replay(key, fingerprint, in.dryRun); done {
		return err
	}
	c, err := st.checkUpdate(in, accountID)
	if err != nil {
		return err
	}
	if in.dryRun {
		return errDryRun()
	}
	c.VLANID = expressconnect.VLAN(in.vlan)
	if in.expectSpec != "" {
		c.ExpectSpec = in.expectSpec
	}
	st.remember(key, fingerprint, c.VirtualPhysicalConnectionID, now)
	return nil
}

// checkUpdate runs the state checks in the order the package documentation gives (region,
// hosted connection, its state, VLAN in use, VLAN 0, capacity) and returns the hosted
// connection to change.
func (st *store) checkUpdate(in updateInput, accountID string) (*Connection, *apiError) {
	if !st.knownRegion(in.regionID) {
		return nil, errRegionNotFound()
	}
	c := st.visible(in.id, accountID, in.regionID)
	if c == nil || deleted(c) {
		return nil, errConnectionNotFound(in.id)
	}
	switch c.Status {
	case expressconnect.StatusTerminating, expressconnect.StatusTerminated, expressconnect.StatusCanceled,
		expressconnect.StatusRejected:
		return nil, errNotAllowedInState()
	}
	u := st.usage(c.PhysicalConnectionID, c) // its own VLAN and bandwidth do not count against it
	if in.vlan != vlanNumber(c) {
		if err := u.vlanErr(in.vlan); err != nil {
			return nil, err
		}
	}
	if in.expectSpec != "" {
		if err := u.capacityErr(st.circuits[c.PhysicalConnectionID].Circuit, max(c.Spec.Mbps(), in.expectSpec.Mbps())); err != nil {
			return nil, err
		}
	}
	return c, nil
}
