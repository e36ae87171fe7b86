package expressconnecttest_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/expressconnect-go/expressconnect"
	"github.com/expressconnect-go/expressconnect/expressconnecttest"
)

// createConn creates a hosted connection on the default circuit on vlan and returns its ID.
func createConn(t *testing.T, s *expressconnecttest.Server, vlan int) string {
	t.Helper()
	p := validParams(s)
	p.Set("VlanId", strconv.Itoa(vlan))
	r := post(t, s, p)
	require.Equal(t, http.StatusOK, r.Status, r.Raw)
	return r.str("VirtualPhysicalConnection")
}

// connOf returns the hosted connection id, failing the test when there is none.
func connOf(t *testing.T, s *expressconnecttest.Server, id string) expressconnecttest.Connection {
	t.Helper()
	return admin(t, s).Connection(id)
}

// state is the three status fields of a hosted connection, as "UnConfirmed Allocated Normal".
func state(c expressconnecttest.Connection) string {
	return string(c.VirtualPhysicalConnectionStatus) + " " + string(c.Status) + " " + string(c.BusinessStatus)
}

// change is a change of a hosted connection's state: the tenant's or billing's, through the
// Admin, or the partner's, through the signed API.
type change struct {
	name string
	do   func(s *expressconnecttest.Server, id string) error
}

// adminChange returns the change the Admin makes with a.
func adminChange(name string, a expressconnecttest.Action) change {
	return change{name, func(s *expressconnecttest.Server, id string) error { return act(s, id, a) }}
}

// partnerCall is a call of the partner's that names a hosted connection, such as
// (*expressconnect.Client).TerminateVirtualPhysicalConnection.
type partnerCall func(c *expressconnect.Client, ctx context.Context, req *expressconnect.HostedConnectionRequest,
	opts ...expressconnect.CallOption) (*expressconnect.ResponseMetadata, error)

// apiChange returns the change the partner makes with call, on the default circuit. The API's refusal of the state (Forbidden.NotAllowedInState) is
// returned as an error that matches ErrTransitionNotAllowed and names the hosted connection,
// as the Admin's refusals do, so that one table checks both.
func apiChange(name string, call partnerCall) change {
	return change{name, func(s *expressconnecttest.Server, id string) error {
		c, err := s.Client()
		if err != nil {
			return err
		}
		_, err = call(c, context.Background(), &expressconnect.HostedConnectionRequest{
			PhysicalConnectionID: expressconnecttest.DefaultCircuitID, VirtualPhysicalConnectionID: id})
		if errors.Is(err, expressconnect.CodeForbiddenNotAllowedInState) {
			return fmt.Errorf("%w: %s %s: %w", expressconnecttest.ErrTransitionNotAllowed, name, id, err)
		}
		return err
	}}
}

var (
	acceptChange       = adminChange("accept", expressconnecttest.TenantAccepts)
	rejectChange       = adminChange("reject", expressconnecttest.TenantRejects)
	enableChange       = adminChange("enable", expressconnecttest.BillingEnables)
	lockChange         = adminChange("lock", expressconnecttest.BillingLocksFinancial)
	securityLockChange = adminChange("security lock", expressconnecttest.BillingLocksSecurity)
	unlockChange       = adminChange("unlock", expressconnecttest.BillingUnlocks)
	terminateChange    = apiChange("terminate", (*expressconnect.Client).TerminateVirtualPhysicalConnection)
	cancelChange       = apiChange("cancel", (*expressconnect.Client).CancelVirtualPhysicalConnection)
)

// startStates are the states the transition tests start from, each reached by its changes
// from a new hosted connection, on the server stateServers.of gives for it.
var startStates = []struct {
	name  string
	path  []change
	state string
}{
	{"new", nil, "UnConfirmed Allocated Normal"},
	{"accepted", []change{acceptChange}, "Confirmed Confirmed Normal"},
	{"enabled", []change{acceptChange, enableChange}, "Confirmed Enabled Normal"},
	{"rejected", []change{rejectChange}, "UnConfirmed Rejected Normal"},
	{"canceled", []change{cancelChange}, "UnConfirmed Canceled Normal"},
	{"canceled after acceptance", []change{acceptChange, cancelChange}, "Confirmed Canceled Normal"},
	{"terminating", []change{acceptChange, enableChange, terminateChange}, "Confirmed Terminating Normal"},
	{"terminated", []change{acceptChange, enableChange, terminateChange}, "Confirmed Terminated Normal"},
	{"locked", []change{lockChange}, "UnConfirmed Allocated FinancialLocked"},
	{"security locked", []change{securityLockChange}, "UnConfirmed Allocated SecurityLocked"},
	{"accepted and locked", []change{acceptChange, lockChange}, "Confirmed Confirmed FinancialLocked"},
}

// stateServers are the servers of the tests that start from startStates: terminations end at
// once on atOnce, and last an hour on slow, which only the start state "terminating" uses.
type stateServers struct{ atOnce, slow *expressconnecttest.Server }

// newStateServers returns the servers of a test that starts from startStates, both configured
// by cfg but for their TerminationDelay.
func newStateServers(t *testing.T, cfg expressconnecttest.Config) stateServers {
	t.Helper()
	atOnce, slow := cfg, cfg
	atOnce.TerminationDelay, slow.TerminationDelay = time.Nanosecond, time.Hour
	return stateServers{
		atOnce: expressconnecttest.NewTestServer(t, atOnce),
		slow:   expressconnecttest.NewTestServer(t, slow),
	}
}

// of returns the server for the start state name.
func (ss stateServers) of(name string) *expressconnecttest.Server {
	if name == "terminating" {
		return ss.slow
	}
	return ss.atOnce
}

// TestTransitions tries every change from every start state: the ones the model allows lead
// to the state the table gives, the others are refused and change nothing.
func TestTransitions(t *testing.T) {
	t.Parallel()
	changes := []change{acceptChange, rejectChange, enableChange, terminateChange, cancelChange,
		lockChange, securityLockChange, unlockChange}
	// want[start][change] is the state after the change, or "" when the model refuses it.
	want := map[string]map[string]string{
		"new": {"accept": "Confirmed Confirmed Normal", "reject": "UnConfirmed Rejected Normal",
			"cancel": "UnConfirmed Canceled Normal", "lock": "UnConfirmed Allocated FinancialLocked",
			"security lock": "UnConfirmed Allocated SecurityLocked"},
		"accepted": {"enable": "Confirmed Enabled Normal", "cancel": "Confirmed Canceled Normal",
			"lock": "Confirmed Confirmed FinancialLocked", "security lock": "Confirmed Confirmed SecurityLocked"},
		"enabled": {"terminate": "Confirmed Terminated Normal", "lock": "Confirmed Enabled FinancialLocked",
			"security lock": "Confirmed Enabled SecurityLocked"},
		"rejected": {"lock": "UnConfirmed Rejected FinancialLocked", "security lock": "UnConfirmed Rejected SecurityLocked"},
		"canceled": {"lock": "UnConfirmed Canceled FinancialLocked", "security lock": "UnConfirmed Canceled SecurityLocked"},
		"canceled after acceptance": {"lock": "Confirmed Canceled FinancialLocked",
			"security lock": "Confirmed Canceled SecurityLocked"},
		"terminating": {"lock": "Confirmed Terminating FinancialLocked", "security lock": "Confirmed Terminating SecurityLocked"},
		"terminated":  {"lock": "Confirmed Terminated FinancialLocked", "security lock": "Confirmed Terminated SecurityLocked"},
		"locked": {"accept": "Confirmed Confirmed FinancialLocked", "reject": "UnConfirmed Rejected FinancialLocked",
			"cancel": "UnConfirmed Canceled FinancialLocked", "unlock": "UnConfirmed Allocated Normal"},
		"security locked": {"accept": "Confirmed Confirmed SecurityLocked", "reject": "UnConfirmed Rejected SecurityLocked",
			"cancel": "UnConfirmed Canceled SecurityLocked", "unlock": "UnConfirmed Allocated Normal"},
		"accepted and locked": {"enable": "Confirmed Enabled FinancialLocked", "cancel": "Confirmed Canceled FinancialLocked",
			"unlock": "Confirmed Confirmed Normal"},
	}
	servers := newStateServers(t, expressconnecttest.Config{Circuits: []expressconnecttest.Circuit{{
		ID: expressconnecttest.DefaultCircuitID, Quota: 1000, CapacityMbps: 1000000,
	}}})
	vlan := 0
	for _, start := range startStates {
		s := servers.of(start.name)
		for _, ch := range changes {
			vlan++
			id := createConn(t, s, vlan)
			t.Run(start.name+"/"+ch.name, func(t *testing.T) {
				t.Parallel()
				for _, step := range start.path {
					require.NoError(t, step.do(s, id), step.name)
				}
				require.Equal(t, start.state, state(connOf(t, s, id)))
				err := ch.do(s, id)
				after, allowed := want[start.name][ch.name]
				if !allowed {
					assert.ErrorIs(t, err, expressconnecttest.ErrTransitionNotAllowed)
					assert.Contains(t, err.Error(), id)
					assert.Equal(t, start.state, state(connOf(t, s, id)), "a refused change changes nothing")
					return
				}
				require.NoError(t, err)
				assert.Equal(t, after, state(connOf(t, s, id)))
			})
		}
	}
}

// TestTransitionTimes checks the times the changes record: AcceptedAt, and EnabledAt with
// ExpectSpec turned into Spec.
func TestTransitionTimes(t *testing.T) {
	t.Parallel()
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{})
	id := createConn(t, s, 10)
	c := connOf(t, s, id)
	assert.True(t, c.AcceptedAt.IsZero())
	assert.True(t, c.EnabledAt.IsZero())
	assert.Equal(t, c.Spec, c.ExpectSpec)

	require.NoError(t, act(s, id, expressconnecttest.TenantAccepts))
	c = connOf(t, s, id)
	assert.False(t, c.AcceptedAt.Before(c.CreatedAt))
	assert.True(t, c.EnabledAt.IsZero())

	admin(t, s).SetClockOffset(time.Hour)
	require.NoError(t, act(s, id, expressconnecttest.BillingEnables))
	c = connOf(t, s, id)
	assert.WithinDuration(t, c.AcceptedAt.Add(time.Hour), c.EnabledAt, time.Minute)
}

// TestTransitionErrors checks the Admin's errors of unknown IDs and of an Action that is none.
func TestTransitionErrors(t *testing.T) {
	t.Parallel()
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{})
	for _, ch := range []change{acceptChange, rejectChange, enableChange, lockChange, securityLockChange, unlockChange} {
		t.Run(ch.name, func(t *testing.T) {
			t.Parallel()
			err := ch.do(s, "pc-bp1nosuchconnection00")
			assert.ErrorIs(t, err, expressconnecttest.ErrUnknownConnection)
			assert.Contains(t, err.Error(), "pc-bp1nosuchconnection00")
		})
	}
	t.Run("no such Action", func(t *testing.T) {
		t.Parallel()
		id := createConn(t, s, 10)
		err := act(s, id, "freeze")
		require.Error(t, err)
		assert.NotErrorIs(t, err, expressconnecttest.ErrTransitionNotAllowed)
		assert.Contains(t, err.Error(), `"freeze"`)
		assert.Equal(t, "UnConfirmed Allocated Normal", state(connOf(t, s, id)))
	})
}

// TestAutoAcceptAndEnable checks Config.AutoAccept and AutoEnable on the server's clock:
// each change happens once its delay has passed, dated at its due time.
func TestAutoAcceptAndEnable(t *testing.T) {
	t.Parallel()
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{AutoAccept: time.Hour, AutoEnable: 30 * time.Minute})
	id := createConn(t, s, 10)
	rejected := createConn(t, s, 11)
	require.NoError(t, act(s, rejected, expressconnecttest.TenantRejects))
	created := connOf(t, s, id).CreatedAt
	assert.Equal(t, "UnConfirmed Allocated Normal", state(connOf(t, s, id)), "before the accept delay")

	admin(t, s).SetClockOffset(time.Hour + time.Minute)
	c := connOf(t, s, id)
	assert.Equal(t, "Confirmed Confirmed Normal", state(c), "after the accept delay")
	assert.Equal(t, created.Add(time.Hour), c.AcceptedAt, "dated at its due time")
	assert.Equal(t, "UnConfirmed Rejected Normal", state(connOf(t, s, rejected)), "a rejected one is not accepted")

	admin(t, s).SetClockOffset(time.Hour + 31*time.Minute)
	c = connOf(t, s, id)
	assert.Equal(t, "Confirmed Enabled Normal", state(c), "after the enable delay")
	assert.Equal(t, created.Add(90*time.Minute), c.EnabledAt)
}

// TestTerminationDelay checks that TerminatePhysicalConnection makes an Enabled hosted
// connection Terminating, and that it becomes Terminated once the termination delay has passed
// on the server's clock: 2 s by default, or as Config.TerminationDelay says.
func TestTerminationDelay(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		cfg   expressconnecttest.Config
		delay time.Duration
	}{
		{"default", expressconnecttest.Config{}, expressconnecttest.DefaultTerminationDelay},
		{"an hour", expressconnecttest.Config{TerminationDelay: time.Hour}, time.Hour},
		{"at once", expressconnecttest.Config{TerminationDelay: time.Nanosecond}, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := expressconnecttest.NewTestServer(t, tc.cfg)
			id := createConn(t, s, 10)
			require.NoError(t, act(s, id, expressconnecttest.TenantAccepts))
			require.NoError(t, act(s, id, expressconnecttest.BillingEnables))
			require.NoError(t, terminateChange.do(s, id))
			if tc.delay > 0 {
				assert.Equal(t, "Confirmed Terminating Normal", state(connOf(t, s, id)))
				assert.Equal(t, "Forbidden.NotInAllowDeleteStatus", deleteConn(t, s, id).code(), "Terminating is not deletable")
				// 30 s short of the delay after the termination (unless the test took 30 s to
				// get here), it is still Terminating.
				admin(t, s).SetClockOffset(tc.delay - 30*time.Second)
				assert.Equal(t, "Confirmed Terminating Normal", state(connOf(t, s, id)), "before the delay")
				admin(t, s).SetClockOffset(tc.delay)
			}
			assert.Equal(t, "Confirmed Terminated Normal", state(connOf(t, s, id)), "after the delay")
			assert.ErrorIs(t, terminateChange.do(s, id), expressconnecttest.ErrTransitionNotAllowed)
			r := deleteConn(t, s, id)
			assert.Equal(t, http.StatusOK, r.Status, r.Raw)
		})
	}
}

// TestAutoAcceptAtOnce checks that delays of a nanosecond accept and enable a hosted
// connection at once, each dated at its due time, and that a manual acceptance counts for
// AutoEnable.
func TestAutoAcceptAtOnce(t *testing.T) {
	t.Parallel()
	t.Run("both at once", func(t *testing.T) {
		t.Parallel()
		s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{AutoAccept: time.Nanosecond, AutoEnable: time.Nanosecond})
		id := createConn(t, s, 10)
		c := connOf(t, s, id)
		assert.Equal(t, "Confirmed Enabled Normal", state(c))
		assert.Equal(t, c.CreatedAt.Add(2*time.Nanosecond), c.EnabledAt)
	})
	t.Run("manual acceptance, automatic enabling", func(t *testing.T) {
		t.Parallel()
		s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{AutoEnable: time.Nanosecond})
		id := createConn(t, s, 10)
		assert.Equal(t, "UnConfirmed Allocated Normal", state(connOf(t, s, id)))
		require.NoError(t, act(s, id, expressconnecttest.TenantAccepts))
		assert.Equal(t, "Confirmed Enabled Normal", state(connOf(t, s, id)))
	})
}
