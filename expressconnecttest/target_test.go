package expressconnecttest_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/expressconnect-go/expressconnect"
	"github.com/expressconnect-go/expressconnect/expressconnecttest"
	"github.com/expressconnect-go/expressconnect/internal/localsign"
)

// The circuit owner's actions on one circuit or hosted connection, besides actionDelete.
const (
	actionTerminate = "TerminatePhysicalConnection"
	actionCancel    = "CancelPhysicalConnection"
)

// Codes the tests of these actions expect.
const (
	codeNotAllowedInState = "Forbidden.NotAllowedInState"
	codeNotDeletable      = "Forbidden.NotInAllowDeleteStatus"
	codeVpconnAttached    = "OperationFailed.VpconnAttached"
	codeNotFound          = "InvalidPhysicalConnectionId.NotFound"
)

// onTarget sends action for the circuit or hosted connection id with the pairs of kv.
func onTarget(t *testing.T, s *expressconnecttest.Server, action, id string, kv ...string) result {
	t.Helper()
	return callAction(t, s, action, append([]string{"PhysicalConnectionId", id}, kv...)...)
}

// refusedCodes are the codes each action answers a state it does not allow with.
var refusedCodes = map[string]string{
	actionTerminate: codeNotAllowedInState,
	actionCancel:    codeNotAllowedInState,
	actionDelete:    codeNotDeletable,
}

// TestHostedConnectionTransitions sends Terminate, Cancel and Delete through the signed API
// for a hosted connection in every start state: the ones the model allows answer success and
// lead to the state the table gives, the others are refused with the action's code and change
// nothing.
func TestHostedConnectionTransitions(t *testing.T) {
	t.Parallel()
	// allowed[action][start] is the state after the action; a start state not listed is refused.
	allowed := map[string]map[string]string{
		actionTerminate: {"enabled": "Confirmed Terminated Normal"}, // Terminating, then at once Terminated
		actionCancel: {
			"new":                 "UnConfirmed Canceled Normal",
			"accepted":            "Confirmed Canceled Normal",
			"locked":              "UnConfirmed Canceled FinancialLocked",
			"security locked":     "UnConfirmed Canceled SecurityLocked",
			"accepted and locked": "Confirmed Canceled FinancialLocked",
		},
		actionDelete: {
			"new":                       "Deleted Allocated Normal",
			"accepted":                  "Deleted Confirmed Normal",
			"rejected":                  "Deleted Rejected Normal",
			"canceled":                  "Deleted Canceled Normal",
			"canceled after acceptance": "Deleted Canceled Normal",
			"terminated":                "Deleted Terminated Normal",
			"locked":                    "Deleted Allocated FinancialLocked",
			"security locked":           "Deleted Allocated SecurityLocked",
			"accepted and locked":       "Deleted Confirmed FinancialLocked",
		},
	}
	servers := newStateServers(t, expressconnecttest.Config{Circuits: []expressconnecttest.Circuit{{
		ID: expressconnecttest.DefaultCircuitID, Quota: 1000, CapacityMbps: 1000000,
	}}})
	vlan := 0
	for _, action := range []string{actionTerminate, actionCancel, actionDelete} {
		for _, start := range startStates {
			vlan++
			s := servers.of(start.name)
			id := createConn(t, s, vlan)
			t.Run(action+"/"+start.name, func(t *testing.T) {
				t.Parallel()
				for _, step := range start.path {
					require.NoError(t, step.do(s, id), step.name)
				}
				require.Equal(t, start.state, state(connOf(t, s, id)))
				r := onTarget(t, s, action, id)
				after, ok := allowed[action][start.name]
				if !ok {
					assert.Equal(t, http.StatusBadRequest, r.Status)
					assert.Equal(t, refusedCodes[action], r.code(), r.Raw)
					assert.Equal(t, start.state, state(connOf(t, s, id)), "a refused action changes nothing")
					return
				}
				require.Equal(t, http.StatusOK, r.Status, r.Raw)
				assert.Equal(t, []string{"RequestId"}, keys(r.Body))
				assert.Equal(t, r.Header.Get("x-acs-request-id"), r.str("RequestId"))
				assert.Equal(t, after, state(connOf(t, s, id)))
				for _, rec := range admin(t, s).Requests() { // the subtests share the server
					if rec.RequestID == r.str("RequestId") {
						assert.Equal(t, id, rec.ConnectionID, "the record names the hosted connection")
					}
				}
			})
		}
	}
}

// circuitStatuses are the documented states of a circuit.
var circuitStatuses = []expressconnect.Status{
	expressconnect.StatusInitial, expressconnect.StatusApproved, expressconnect.StatusAllocating,
	expressconnect.StatusAllocated, expressconnect.StatusConfirmed, expressconnect.StatusEnabled,
	expressconnect.StatusRejected, expressconnect.StatusCanceled, expressconnect.StatusAllocationFailed,
	expressconnect.StatusTerminating, expressconnect.StatusTerminated,
}

// circuitID returns the ID of a test circuit: "pc-bp1" and name made an ID.
func circuitID(name string) string {
	return "pc-bp1" + strings.ToLower(strings.NewReplacer(" ", "", "/", "-").Replace(name))
}

// TestCircuitTransitions sends Terminate, Cancel and Delete through the signed API for a
// circuit of the caller's, carrying no hosted connection, in every documented state: the
// actions on circuits are the service's own, and the ones it allows really happen.
func TestCircuitTransitions(t *testing.T) {
	t.Parallel()
	// allowed[action] are the states each action is allowed from, and the state it leads to
	// ("" for a deleted circuit).
	allowed := map[string]map[expressconnect.Status]expressconnect.Status{
		actionTerminate: {expressconnect.StatusEnabled: expressconnect.StatusTerminating},
		actionCancel: {
			expressconnect.StatusInitial: expressconnect.StatusCanceled, expressconnect.StatusApproved: expressconnect.StatusCanceled,
			expressconnect.StatusAllocated: expressconnect.StatusCanceled, expressconnect.StatusConfirmed: expressconnect.StatusCanceled,
		},
		actionDelete: {
			expressconnect.StatusAllocated: "", expressconnect.StatusConfirmed: "", expressconnect.StatusRejected: "",
			expressconnect.StatusCanceled: "", expressconnect.StatusAllocationFailed: "", expressconnect.StatusTerminated: "",
		},
	}
	cfg := expressconnecttest.Config{TerminationDelay: time.Hour}
	for _, action := range []string{actionTerminate, actionCancel, actionDelete} {
		for _, status := range circuitStatuses {
			cfg.Circuits = append(cfg.Circuits, expressconnecttest.Circuit{ID: circuitID(action[:6] + string(status)), Status: status})
		}
	}
	s := expressconnecttest.NewTestServer(t, cfg)
	for _, action := range []string{actionTerminate, actionCancel, actionDelete} {
		for _, status := range circuitStatuses {
			id := circuitID(action[:6] + string(status))
			t.Run(action+"/"+string(status), func(t *testing.T) {
				t.Parallel()
				r := onTarget(t, s, action, id)
				after, ok := allowed[action][status]
				if !ok {
					assert.Equal(t, http.StatusBadRequest, r.Status)
					assert.Equal(t, refusedCodes[action], r.code(), r.Raw)
					assert.Equal(t, string(status), circuitStatus(t, s, id), "a refused action changes nothing")
					return
				}
				require.Equal(t, http.StatusOK, r.Status, r.Raw)
				assert.Equal(t, []string{"RequestId"}, keys(r.Body))
				reqs := admin(t, s).Requests()
				assert.Empty(t, reqs[len(reqs)-1].ConnectionID, "a circuit is not a hosted connection")
				if action != actionDelete {
					assert.Equal(t, string(after), circuitStatus(t, s, id))
					assert.Equal(t, refusedCodes[action], onTarget(t, s, action, id).code(), "not again from %s", after)
					return
				}
				assert.Empty(t, circuitStatus(t, s, id), "the circuit is gone")
				assertCircuitGone(t, s, id)
			})
		}
	}
}

// assertCircuitGone checks that the circuit id no longer exists: Create on it is
// InvalidPhysicalConnectionId.NotFound, and the actions on it are HTTP 404.
func assertCircuitGone(t *testing.T, s *expressconnecttest.Server, id string) {
	t.Helper()
	p := validParams(s)
	p.Set("PhysicalConnectionId", id)
	p.Set("VlanId", "2999")
	created := post(t, s, p)
	assert.Equal(t, http.StatusBadRequest, created.Status)
	assert.Equal(t, codeNotFound, created.code(), created.Raw)
	for _, action := range []string{actionDelete, actionTerminate, actionCancel} {
		r := onTarget(t, s, action, id)
		assert.Equal(t, http.StatusNotFound, r.Status, action)
		assert.Equal(t, codeNotFound, r.code(), action)
	}
}

// TestCircuitWithHostedConnections checks that a circuit carrying hosted connections that are
// not deleted cannot be terminated, canceled or deleted (OperationFailed.VpconnAttached, after
// the state checks), and can be once they are deleted; the region stays known after the
// circuit is deleted, and a reset brings the circuit back.
func TestCircuitWithHostedConnections(t *testing.T) {
	t.Parallel()
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{TerminationDelay: time.Nanosecond})
	circuit := expressconnecttest.DefaultCircuitID
	id := createConn(t, s, 10)

	for _, action := range []string{actionTerminate, actionCancel, actionDelete} {
		want := map[string]string{actionTerminate: codeVpconnAttached, actionCancel: codeNotAllowedInState, actionDelete: codeNotDeletable}[action]
		assert.Equal(t, want, onTarget(t, s, action, circuit).code(), "%s on an Enabled circuit that carries one", action)
	}
	admin(t, s).SetCircuit(expressconnecttest.Circuit{ID: circuit, Status: expressconnect.StatusConfirmed})
	for _, action := range []string{actionCancel, actionDelete} {
		r := onTarget(t, s, action, circuit)
		assert.Equal(t, http.StatusBadRequest, r.Status)
		assert.Equal(t, codeVpconnAttached, r.code(), "%s on a Confirmed circuit that carries one: %s", action, r.Raw)
		assert.Contains(t, r.str("Message"), "vpconn are still attached")
	}
	assert.Equal(t, "Confirmed", circuitStatus(t, s, circuit), "nothing changed")

	require.Equal(t, http.StatusOK, deleteConn(t, s, id).Status)
	admin(t, s).SetCircuit(expressconnecttest.Circuit{ID: circuit})
	r := onTarget(t, s, actionTerminate, circuit)
	require.Equal(t, http.StatusOK, r.Status, "only deleted hosted connections are left: %s", r.Raw)
	assert.Equal(t, "Terminated", circuitStatus(t, s, circuit), "with a delay of 0, at once")
	r = onTarget(t, s, actionDelete, circuit)
	require.Equal(t, http.StatusOK, r.Status, r.Raw)
	assertCircuitGone(t, s, circuit)
	assert.Equal(t, "ResourceNotFound.PhysicalConnectionId", update(t, s, id, "VlanId", "11").code())

	admin(t, s).Reset()
	assert.Equal(t, "Enabled", circuitStatus(t, s, circuit), "a reset brings back the configured circuit")
	createConn(t, s, 10)

	const shanghai = "pc-uf6hostedshanghai0001"
	admin(t, s).SetCircuit(expressconnecttest.Circuit{ID: shanghai, RegionID: "cn-shanghai", Status: expressconnect.StatusAllocated})
	require.Equal(t, http.StatusOK, onTarget(t, s, actionDelete, shanghai, "RegionId", "cn-shanghai").Status)
	gone := onTarget(t, s, actionDelete, shanghai, "RegionId", "cn-shanghai")
	assert.Equal(t, http.StatusNotFound, gone.Status)
	assert.Equal(t, codeNotFound, gone.code(), "the region of a deleted circuit is still known: %s", gone.Raw)
}

// TestTerminationEndsAfterTheDelay checks that a circuit and a hosted connection terminated
// through the API are Terminating until the termination delay has passed on the server's
// clock, and then Terminated and deletable.
func TestTerminationEndsAfterTheDelay(t *testing.T) {
	t.Parallel()
	const bare = "pc-bp1terminatebare00001"
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{Circuits: []expressconnecttest.Circuit{{ID: bare}}})
	id := createConn(t, s, 10)
	require.NoError(t, act(s, id, expressconnecttest.TenantAccepts))
	require.NoError(t, act(s, id, expressconnecttest.BillingEnables))
	require.Equal(t, http.StatusOK, onTarget(t, s, actionTerminate, id).Status)
	require.Equal(t, http.StatusOK, onTarget(t, s, actionTerminate, bare).Status)
	assert.Equal(t, expressconnect.StatusTerminating, connOf(t, s, id).Status)
	assert.Equal(t, "Terminating", circuitStatus(t, s, bare))
	for _, target := range []string{id, bare} {
		assert.Equal(t, codeNotDeletable, onTarget(t, s, actionDelete, target).code(), "%s while Terminating", target)
		assert.Equal(t, codeNotAllowedInState, onTarget(t, s, actionTerminate, target).code(), "%s while Terminating", target)
		assert.Equal(t, codeNotAllowedInState, onTarget(t, s, actionCancel, target).code(), "%s while Terminating", target)
	}
	assert.Equal(t, codeNotAllowedInState, update(t, s, id, "VlanId", "11").code(), "no update while Terminating")

	admin(t, s).SetClockOffset(2 * time.Second) // the default delay
	assert.Equal(t, expressconnect.StatusTerminated, connOf(t, s, id).Status)
	assert.Equal(t, "Terminated", circuitStatus(t, s, bare))
	for _, target := range []string{id, bare} {
		r := onTarget(t, s, actionDelete, target)
		assert.Equal(t, http.StatusOK, r.Status, "%s once Terminated: %s", target, r.Raw)
	}
}

// TestTerminatingCircuitFromSetCircuit checks that a circuit given as Terminating, by an
// option or by SetCircuit, also becomes Terminated after the termination delay.
func TestTerminatingCircuitFromSetCircuit(t *testing.T) {
	t.Parallel()
	const configured, set = "pc-bp1configuredterm0001", "pc-bp1setterminating0001"
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{TerminationDelay: time.Hour, Circuits: []expressconnecttest.Circuit{{ID: configured, Status: expressconnect.StatusTerminating}}})
	admin(t, s).SetCircuit(expressconnecttest.Circuit{ID: set, Status: expressconnect.StatusTerminating})
	admin(t, s).SetCircuit(expressconnecttest.Circuit{ID: set, Status: expressconnect.StatusTerminating, Quota: 2}) // still Terminating
	assert.Equal(t, "Terminating", circuitStatus(t, s, configured))
	assert.Equal(t, "Terminating", circuitStatus(t, s, set))
	admin(t, s).SetClockOffset(time.Hour + time.Minute)
	assert.Equal(t, "Terminated", circuitStatus(t, s, configured))
	assert.Equal(t, "Terminated", circuitStatus(t, s, set))
}

// TestTargetErrors checks the parameter rules and the checks of what the ID names, shared by
// Terminate, Cancel and Delete.
func TestTargetErrors(t *testing.T) {
	t.Parallel()
	f := newTargetFixture(t)
	s := f.s
	deleted := createConn(t, s, 11)
	require.Equal(t, http.StatusOK, deleteConn(t, s, deleted).Status)

	cases := []errorCase{
		{"PhysicalConnectionId missing", []string{"PhysicalConnectionId", ""}, 400, "MissingParameter"},
		{"RegionId missing", []string{"PhysicalConnectionId", f.id, "RegionId", ""}, 400, "MissingParameter"},
		{"ClientToken of 65 characters", []string{"PhysicalConnectionId", f.id, "ClientToken", strings.Repeat("t", 65)}, 400, "IllegalParam.Token"},
		{"ClientToken not ASCII", []string{"PhysicalConnectionId", f.id, "ClientToken", "tök"}, 400, "IllegalParam.Token"},
		{"unknown region", []string{"PhysicalConnectionId", f.id, "RegionId", "xx-nowhere-1"}, 404, "InvalidRegionId.NotFound"},
		{"unknown ID", []string{"PhysicalConnectionId", "pc-bp1nosuchconnection00"}, 404, codeNotFound},
		{"deleted hosted connection", []string{"PhysicalConnectionId", deleted}, 404, codeNotFound},
		{"hosted connection in another region", []string{"PhysicalConnectionId", f.there}, 404, codeNotFound},
		{"circuit in another region", []string{"PhysicalConnectionId", f.shanghai}, 404, codeNotFound},
		{"on another account's circuit", []string{"PhysicalConnectionId", f.theirs}, 404, codeNotFound},
		{"another account's circuit", []string{"PhysicalConnectionId", f.foreign}, 404, codeNotFound},
	}
	for _, action := range []string{actionTerminate, actionCancel, actionDelete} {
		for _, tc := range cases {
			t.Run(action+"/"+tc.name, func(t *testing.T) {
				t.Parallel()
				tc.check(t, s, action)
			})
		}
	}
	t.Run("in its own region", func(t *testing.T) {
		r := onTarget(t, s, actionCancel, f.there, "RegionId", "cn-shanghai")
		assert.Equal(t, http.StatusOK, r.Status, r.Raw)
		assert.Equal(t, expressconnect.StatusCanceled, connOf(t, s, f.there).Status)
	})
}

// TestTargetIdempotency checks the ClientToken of Terminate and Cancel: the same token with
// the same parameters answers success again, even though the state no longer allows the
// action, and changes nothing; with other parameters it is IdempotentParameterMismatch; the
// tokens of different actions are independent.
func TestTargetIdempotency(t *testing.T) {
	t.Parallel()
	const bare = "pc-bp1idempotentbare0001"
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{TerminationDelay: time.Hour, Circuits: []expressconnecttest.Circuit{{ID: bare, Status: expressconnect.StatusAllocated}}})
	enabled := createConn(t, s, 10)
	require.NoError(t, act(s, enabled, expressconnecttest.TenantAccepts))
	require.NoError(t, act(s, enabled, expressconnecttest.BillingEnables))
	other := createConn(t, s, 11)
	cancelable := createConn(t, s, 12)

	cases := []struct {
		name, action, target, other, after string
		status                             func() string
	}{
		{"Terminate a hosted connection", actionTerminate, enabled, other, "Terminating",
			func() string { return string(connOf(t, s, enabled).Status) }},
		{"Cancel a hosted connection", actionCancel, cancelable, other, "Canceled",
			func() string { return string(connOf(t, s, cancelable).Status) }},
		{"Cancel a circuit", actionCancel, bare, other, "Canceled",
			func() string { return circuitStatus(t, s, bare) }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			token := "token-" + tc.action + "-" + tc.target
			first := onTarget(t, s, tc.action, tc.target, "ClientToken", token)
			require.Equal(t, http.StatusOK, first.Status, first.Raw)
			require.Equal(t, tc.after, tc.status())
			requests := len(admin(t, s).Requests())

			admin(t, s).SetClockOffset(time.Minute)
			replay := onTarget(t, s, tc.action, tc.target, "ClientToken", token)
			require.Equal(t, http.StatusOK, replay.Status, "a replay answers success, not NotAllowedInState: %s", replay.Raw)
			assert.NotEqual(t, first.str("RequestId"), replay.str("RequestId"))
			assert.Len(t, admin(t, s).Requests(), requests+1, "the replay reached the server")
			assert.Equal(t, tc.after, tc.status(), "the replay changed nothing")
			assert.Equal(t, codeNotAllowedInState, onTarget(t, s, tc.action, tc.target).code(), "without the token: refused")

			mismatch := onTarget(t, s, tc.action, tc.other, "ClientToken", token)
			assert.Equal(t, http.StatusBadRequest, mismatch.Status)
			assert.Equal(t, "IdempotentParameterMismatch", mismatch.code(), mismatch.Raw)
			wrongRegion := onTarget(t, s, tc.action, tc.target, "ClientToken", token, "RegionId", "cn-shanghai")
			assert.Equal(t, "IdempotentParameterMismatch", wrongRegion.code(), wrongRegion.Raw)
			assert.Equal(t, "UnConfirmed Allocated Normal", state(connOf(t, s, tc.other)), "the mismatch changed nothing")
		})
	}
	t.Run("tokens of other actions are independent", func(t *testing.T) {
		token := "token-" + actionTerminate + "-" + enabled
		r := onTarget(t, s, actionCancel, other, "ClientToken", token)
		require.Equal(t, http.StatusOK, r.Status, "Terminate's token means nothing to Cancel: %s", r.Raw)
		assert.Equal(t, expressconnect.StatusCanceled, connOf(t, s, other).Status)
	})
	t.Run("a failed request's token can be used again", func(t *testing.T) {
		fresh := createConn(t, s, 13)
		refused := onTarget(t, s, actionTerminate, fresh, "ClientToken", "used-by-a-refusal")
		require.Equal(t, codeNotAllowedInState, refused.code())
		require.NoError(t, act(s, fresh, expressconnecttest.TenantAccepts))
		require.NoError(t, act(s, fresh, expressconnecttest.BillingEnables))
		r := onTarget(t, s, actionTerminate, fresh, "ClientToken", "used-by-a-refusal")
		assert.Equal(t, http.StatusOK, r.Status, r.Raw)
		assert.Equal(t, expressconnect.StatusTerminating, connOf(t, s, fresh).Status)
	})
}

// TestTargetCheckOrder pins the order of the checks of Terminate and Cancel: for each request
// with two problems at once, the code of the earlier check wins.
func TestTargetCheckOrder(t *testing.T) {
	t.Parallel()
	const deniedKey = "LTAI5tTargetDenied"
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{DeniedAccessKeys: []expressconnecttest.AccessKey{{AccessKeyID: deniedKey, AccessKeySecret: "denied-secret"}}, TerminationDelay: time.Hour})
	enabled := createConn(t, s, 10)
	require.NoError(t, act(s, enabled, expressconnecttest.TenantAccepts))
	require.NoError(t, act(s, enabled, expressconnecttest.BillingEnables))
	plain := createConn(t, s, 11)
	require.Equal(t, http.StatusOK, onTarget(t, s, actionTerminate, enabled, "ClientToken", "order-terminate").Status)
	require.Equal(t, http.StatusOK, onTarget(t, s, actionCancel, plain, "ClientToken", "order-cancel").Status)
	fresh := createConn(t, s, 12)

	nowhere := []string{"RegionId", "xx-nowhere-1"}
	type orderCase struct {
		name   string
		kv     []string
		secret string
		code   string
	}
	cases := map[string][]orderCase{
		actionTerminate: {
			{"permission before parameter rules", []string{"AccessKeyId", deniedKey, "PhysicalConnectionId", ""}, "denied-secret", "Forbidden.RAM"},
			{"parameter rules before idempotency", []string{"PhysicalConnectionId", enabled, "ClientToken", strings.Repeat("t", 65)}, "", "IllegalParam.Token"},
			{"idempotency before region", append([]string{"PhysicalConnectionId", fresh, "ClientToken", "order-terminate"}, nowhere...), "", "IdempotentParameterMismatch"},
			{"region before ID", append([]string{"PhysicalConnectionId", "pc-bp1nosuchconnection00"}, nowhere...), "", "InvalidRegionId.NotFound"},
			{"ID before state", []string{"PhysicalConnectionId", "pc-bp1nosuchconnection00"}, "", codeNotFound},
			{"state of a hosted connection", []string{"PhysicalConnectionId", fresh}, "", codeNotAllowedInState},
			{"circuit's hosted connections", []string{"PhysicalConnectionId", expressconnecttest.DefaultCircuitID}, "", codeVpconnAttached},
		},
		actionCancel: {
			{"permission before parameter rules", []string{"AccessKeyId", deniedKey, "PhysicalConnectionId", ""}, "denied-secret", "Forbidden.RAM"},
			{"parameter rules before idempotency", []string{"PhysicalConnectionId", plain, "ClientToken", strings.Repeat("t", 65)}, "", "IllegalParam.Token"},
			{"idempotency before region", append([]string{"PhysicalConnectionId", fresh, "ClientToken", "order-cancel"}, nowhere...), "", "IdempotentParameterMismatch"},
			{"region before ID", append([]string{"PhysicalConnectionId", "pc-bp1nosuchconnection00"}, nowhere...), "", "InvalidRegionId.NotFound"},
			{"ID before state", []string{"PhysicalConnectionId", "pc-bp1nosuchconnection00"}, "", codeNotFound},
			{"state of a hosted connection", []string{"PhysicalConnectionId", enabled}, "", codeNotAllowedInState},
			{"circuit's state before its hosted connections", []string{"PhysicalConnectionId", expressconnecttest.DefaultCircuitID}, "", codeNotAllowedInState},
		},
	}
	for action, list := range cases {
		for _, tc := range list {
			t.Run(action+"/"+tc.name, func(t *testing.T) {
				t.Parallel()
				secret := tc.secret
				if secret == "" {
					secret = s.Account().AccessKeySecret
				}
				r := postRaw(t, s, signWith(actionParams(s, action, tc.kv...), secret))
				assert.Equal(t, tc.code, r.code(), r.Raw)
			})
		}
	}
}

// TestTargetV3 sends Terminate and Cancel with the V3 signature (ACS3-HMAC-SHA256), as the Tea
// SDK does by default.
func TestTargetV3(t *testing.T) {
	t.Parallel()
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{TerminationDelay: time.Hour})
	enabled := createConn(t, s, 10)
	require.NoError(t, act(s, enabled, expressconnecttest.TenantAccepts))
	require.NoError(t, act(s, enabled, expressconnecttest.BillingEnables))
	fresh := createConn(t, s, 11)
	for action, id := range map[string]string{actionTerminate: enabled, actionCancel: fresh} {
		params := url.Values{"RegionId": {"cn-hangzhou"}, "PhysicalConnectionId": {id}, "ClientToken": {"v3-" + action}}
		req := v3Request(t, s, params)
		req.Header.Set("x-acs-action", action)
		localsign.SignV3(req, nil, s.Account().AccessKeyID, s.Account().AccessKeySecret)
		r := do(t, req)
		assert.Equal(t, http.StatusOK, r.Status, "%s: %s", action, r.Raw)
	}
	assert.Equal(t, expressconnect.StatusTerminating, connOf(t, s, enabled).Status)
	assert.Equal(t, expressconnect.StatusCanceled, connOf(t, s, fresh).Status)
	for _, r := range admin(t, s).Requests()[2:] {
		assert.True(t, r.SignatureVerified, fmt.Sprintf("%s verified", r.Action))
	}
}
