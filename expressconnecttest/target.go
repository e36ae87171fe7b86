package expressconnecttest

import (
	"net/url"
	"slices"
	"time"

	"github.com/expressconnect-go/expressconnect"
	"github.com/expressconnect-go/expressconnect/internal/localsign"
)

// This file serves the circuit owner's generic actions on one physical connection given its
// ID: DeletePhysicalConnection, TerminatePhysicalConnection and CancelPhysicalConnection.
// Each acts on whatever the ID names, one of the caller's circuits or a hosted connection on
// one of them, as the service's actions do.

// Actions on one circuit or hosted connection given its ID. There is no
// DeleteVirtualPhysicalConnection, TerminateVirtualPhysicalConnection or
// CancelVirtualPhysicalConnection action.
const (
	actionDelete    = "DeletePhysicalConnection"
	actionTerminate = "TerminatePhysicalConnection"
	actionCancel    = "CancelPhysicalConnection"
)

// targetInput is a request to one of these actions whose parameters passed the documented
// rules.
type targetInput struct {
	regionID string
	id       string
	token    string
}

// requestIDBody is the body of a successful answer that carries only the RequestId.
type requestIDBody struct {
	RequestID string `json:"RequestId"`
}

// deletableStatuses are the states a circuit or hosted connection can be deleted from, as the
// 2025 edition of the API reference lists them.
var deletableStatuses = []expressconnect.Status{
	expressconnect.StatusAllocated, expressconnect.StatusConfirmed, expressconnect.StatusRejected,
	expressconnect.StatusCanceled, expressconnect.StatusAllocationFailed, expressconnect.StatusTerminated,
}

// cancelableStatuses are the states a circuit can be canceled from, as the
// CancelPhysicalConnection reference lists them.
var cancelableStatuses = []expressconnect.Status{
	expressconnect.StatusInitial, expressconnect.StatusApproved, expressconnect.StatusAllocated,
	expressconnect.StatusConfirmed,
}

// targetAction is what one of these actions does to a circuit and to a hosted connection,
// once the request passed the checks they share: each checks the state and, when it allows
// the action, applies it at now.
type targetAction struct {
	name       string
	circuit    func(st *store, cs heldCircuit, now time.Time) *apiError
	connection func(st *store, c *Connection, now time.Time) *apiError
}

// deleteTarget deletes a circuit, which then no longer exists, or a hosted connection, which
// is kept with VirtualPhysicalConnectionStatus Deleted and frees its VLAN, bandwidth and place
// in the quota. A circuit that carries hosted connections is refused after its state.
var deleteTarget = targetAction{
	name: actionDelete,
	circuit: func(st *store, cs heldCircuit, _ time.Time) *apiError {
		if !isOneOf(cs.Status, deletableStatuses) {
			return errNotInAllowDeleteStatus()
		}
		if st.carries(cs.ID) {
			return errVpconnAttached("delete")
		}
		delete(st.circuits, cs.ID)
		return nil
	},
	connection: func(_ *store, c *Connection, now time.Time) *apiError {
		if !isOneOf(c.Status, deletableStatuses) {
			return errNotInAllowDeleteStatus()
		}
		c.VirtualPhysicalConnectionStatus = expressconnect.VpconnStatusDeleted
		c.DeletedAt = now
		return nil
	},
}

// terminateTarget makes an Enabled circuit that carries no hosted connection, or an Enabled
// hosted connection, Terminating; it becomes Terminated after the termination delay.
var terminateTarget = targetAction{
	name: actionTerminate,
	circuit: func(st *store, cs heldCircuit, now time.Time) *apiError {
		if cs.Status != expressconnect.StatusEnabled {
			return errNotAllowedInState()
		}
		if st.carries(cs.ID) {
			return errVpconnAttached("terminate")
		}
		cs.Status, cs.terminatingSince = expressconnect.StatusTerminating, now
		st.circuits[cs.ID] = cs
		return nil
	},
	connection: func(st *store, c *Connection, now time.Time) *apiError {
		if !terminate.allowed(c) {
			return errNotAllowedInState()
		}
		st.change(c, terminate, now)
		return nil
	},
}

// cancelTarget makes a circuit that is not yet enabled and carries no hosted connection, or a
// hosted connection that is not yet enabled, Canceled.
var cancelTarget = targetAction{
	name: actionCancel,
	circuit: func(st *store, cs heldCircuit, _ time.Time) *apiError {
		if !isOneOf(cs.Status, cancelableStatuses) {
			return errNotAllowedInState()
		}
		if st.carries(cs.ID) {
			return errVpconnAttached("cancel")
		}
		cs.Status = expressconnect.StatusCanceled
		st.circuits[cs.ID] = cs
		return nil
	},
	connection: func(st *store, c *Connection, now time.Time) *apiError {
		if !cancel.allowed(c) {
			return errNotAllowedInState()
		}
		st.change(c, cancel, now)
		return nil
	},
}

// isOneOf reports whether s is one of states, in any documented spelling.
func isOneOf(s expressconnect.Status, states []expressconnect.Status) bool {
	return slices.ContainsFunc(states, s.Is)
}

// delete answers DeletePhysicalConnection.
func (s *Server) delete(c call) result { return s.onTarget(c, deleteTarget) }

// terminate answers TerminatePhysicalConnection.
func (s *Server) terminate(c call) result { return s.onTarget(c, terminateTarget) }

// cancel answers CancelPhysicalConnection.
func (s *Server) cancel(c call) result { return s.onTarget(c, cancelTarget) }

// onTarget answers the request c to the action a: the parameter rules, then the store's
// idempotency and state checks.
func (s *Server) onTarget(c call, a targetAction) result {
	in, err := parseTarget(c.params)
	if err != nil {
		return failed(err)
	}
	id, err := s.store.onTarget(a, in, c.accountID, c.now)
	if err != nil {
		return failed(err)
	}
	return result{body: requestIDBody{RequestID: c.requestID}, connectionID: id}
}

// parseTarget checks params against the rules these actions share.
func parseTarget(params url.Values) (targetInput, *apiError) {
	in := targetInput{regionID: params.Get("RegionId"), id: params.Get("PhysicalConnectionId"), token: params.Get("ClientToken")}
	if err := requireParams(params, "RegionId", "PhysicalConnectionId"); err != nil {
		return in, err
	}
	return in, checkToken("ClientToken", in.token)
}

// fingerprint returns a string equal for two inputs exactly when they name the same circuit or
// hosted connection: every parameter except ClientToken.
func (in targetInput) fingerprint() string {
	return localsign.CanonicalQuery(url.Values{"RegionId": {in.regionID}, "PhysicalConnectionId": {in.id}})
}

// onTarget applies idempotency and the state checks to in, in the order the package
// documentation gives (token, region, what the ID names, its state), and applies a when they
// pass. It returns the ID of the hosted connection the request concerned, "" for a circuit.
func (st *store) onTarget(a targetAction, in targetInput, accountID string, now time.Time) (string, *apiError) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.advance(now)
	key, fingerprint := tokenKey{accountID: accountID, action: a.name, token: in.token}, in.fingerprint()
	if id, done, err := st.replay(key, fingerprint, false); done {
		return id, err
	}
	if !st.knownRegion(in.regionID) {
		return "", errRegionNotFound()
	}
	if cs, ok := st.ownCircuit(in.id, accountID, in.regionID); ok {
		if err := a.circuit(st, cs, now); err != nil {
			return "", err
		}
		st.remember(key, fingerprint, "", now)
		return "", nil
	}
	c := st.visible(in.id, accountID, in.regionID)
	if c == nil || deleted(c) {
		return "", errPhysicalConnectionNotFound()
	}
	if err := a.connection(st, c, now); err != nil {
		return "", err
	}
	st.remember(key, fingerprint, c.VirtualPhysicalConnectionID, now)
	return c.VirtualPhysicalConnectionID, nil
}
