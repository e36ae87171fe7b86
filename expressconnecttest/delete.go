package expressconnecttest

import (
	"net/url"
	"time"

	"github.com/expressconnect-go/expressconnect"
)

// actionDelete is the action of DeletePhysicalConnection, which deletes a hosted connection
// given its ID (there is no DeleteVirtualPhysicalConnection action).
const actionDelete = "DeletePhysicalConnection"

// deleteInput is a DeletePhysicalConnection request whose parameters passed the documented
// rules.
type deleteInput struct {
	regionID string
	id       string
	token    string
}

// deleteBody is the body of a successful DeletePhysicalConnection.
type deleteBody struct {
	RequestID string `json:"RequestId"`
}

// deletableStatuses are the states a hosted connection can be deleted from, as the 2025
// edition of the API reference lists them.
var deletableStatuses = []expressconnect.PhysicalConnectionStatus{
	expressconnect.StatusAllocated, expressconnect.StatusConfirmed, expressconnect.StatusRejected,
	expressconnect.StatusCanceled, expressconnect.StatusAllocationFailed, expressconnect.StatusTerminated,
}

// delete answers DeletePhysicalConnection: the parameter rules, then the store's idempotency
// and state checks.
func (s *Server) delete(c call) result {
	in, err := parseDelete(c.params)
	if err != nil {
		return failed(err)
	}
	if err := s.store.delete(in, c.accountID, c.now); err != nil {
		return failed(err)
	}
	return result{body: deleteBody{RequestID: c.requestID}, connectionID: in.id}
}

// parseDelete checks params against the operation's rules.
func parseDelete(params url.Values) (deleteInput, *apiError) {
	in := deleteInput{regionID: params.Get("RegionId"), id: params.Get("PhysicalConnectionId"), token: params.Get("ClientToken")}
	if err := requireParams(params, "RegionId", "PhysicalConnectionId"); err != nil {
		return in, err
	}
	return in, checkToken("ClientToken", in.token)
}

// fingerprint returns a string equal for two inputs exactly when they delete the same hosted
// connection: every parameter except ClientToken.
func (in deleteInput) fingerprint() string {
	return CanonicalQuery(url.Values{"RegionId": {in.regionID}, "PhysicalConnectionId": {in.id}})
}

// delete applies idempotency and the state checks to in, in that order, and deletes the
// hosted connection when they pass: it keeps it with VirtualPhysicalConnectionStatus Deleted,
// which frees its VLAN, bandwidth and place in the quota.
func (st *store) delete(in deleteInput, accountID string, now time.Time) *apiError {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.advance(now)
	key, fingerprint := tokenKey{accountID: accountID, action: actionDelete, token: in.token}, in.fingerprint()
	if _, done, err := st.replay(key, fingerprint, false); done {
		return err
	}
	c, err := st.checkDelete(in, accountID)
	if err != nil {
		return err
	}
	c.VirtualPhysicalConnectionStatus = expressconnect.VirtualPhysicalConnectionDeleted
	c.DeletedAt = now
	st.remember(key, fingerprint, c.VirtualPhysicalConnectionID, now)
	return nil
}

// checkDelete runs the state checks in the order the package documentation gives (region,
// circuit, hosted connection, its state) and returns the hosted connection to delete.
func (st *store) checkDelete(in deleteInput, accountID string) (*Connection, *apiError) {
	if !st.knownRegion(in.regionID) {
		return nil, errRegionNotFound()
	}
	if cs, ok := st.circuits[in.id]; ok && cs.Owner == accountID && cs.RegionID == in.regionID {
		return nil, errNotInAllowDeleteStatus() // the endpoint does not delete circuits
	}
	c := st.visible(in.id, accountID, in.regionID)
	if c == nil || deleted(c) {
		return nil, errPhysicalConnectionNotFound()
	}
	for _, s := range deletableStatuses {
		if c.Status.Is(s) {
			return c, nil
		}
	}
	return nil, errNotInAllowDeleteStatus()
}
