package expressconnecttest

import (
	"errors"
	"fmt"
	"time"

	"github.com/expressconnect-go/expressconnect"
)

// This file is the state model of a hosted connection after its creation: the changes that
// the tenant and billing make outside the partner's API calls, which the admin API offers
// (Admin.Act; and, for acceptance and enabling, automatic steps after a delay), and those of
// the partner's Terminate and Cancel.
// The package documentation lists the model and the choices it makes where the service's
// documentation is silent.

// Errors of the admin API that [Admin] maps back, so that a test can match them with
// errors.Is.
var (
	// ErrUnknownConnection is matched when no hosted connection has the ID given (admin code
	// UnknownConnection, HTTP 404).
	ErrUnknownConnection = errors.New("expressconnecttest: no hosted connection has this ID")
	// ErrTransitionNotAllowed is matched when the state model does not allow the change from
	// the hosted connection's state (admin code TransitionNotAllowed, HTTP 409).
	ErrTransitionNotAllowed = errors.New("expressconnecttest: the state model does not allow this change")
)

// transition is a change of a hosted connection's state that the model allows from some
// states. No transition applies to a deleted hosted connection.
type transition struct {
	// name says what the change is, such as "accept".
	name string
	// needs says which states allow it, for errors.
	needs string
	// allowed reports whether the change is allowed from c's state.
	allowed func(c *Connection) bool
	// apply makes the change at time at.
	apply func(c *Connection, at time.Time)
}

// accept is the tenant's acceptance (ConfirmPhysicalConnection): both status fields become
// Confirmed.
var accept = transition{
	name:  "accept",
	needs: "UnConfirmed and Allocated",
	allowed: func(c *Connection) bool {
		return c.VirtualPhysicalConnectionStatus == expressconnect.VpconnStatusUnConfirmed &&
			c.Status == expressconnect.StatusAllocated
	},
	apply: func(c *Connection, at time.Time) {
		c.VirtualPhysicalConnectionStatus = expressconnect.VpconnStatusConfirmed
		c.Status = expressconnect.StatusConfirmed
		c.AcceptedAt = at
	},
}

// reject is the tenant's refusal: Status becomes Rejected.
var reject = transition{
	name:    "reject",
	needs:   "UnConfirmed and Allocated",
	allowed: accept.allowed,
	apply:   func(c *Connection, _ time.Time) { c.Status = expressconnect.StatusRejected },
}

// enable is billing's payment: a Confirmed hosted connection becomes Enabled, with its
// EnabledTime, and the bandwidth asked for (ExpectSpec) becomes its Spec; on an Enabled one
// whose ExpectSpec differs from its Spec, payment makes the change take effect.
var enable = transition{
	name:  "enable",
	needs: "Confirmed, or Enabled with an ExpectSpec other than its Spec",
	allowed: func(c *Connection) bool {
		return c.Status == expressconnect.StatusConfirmed ||
			c.Status == expressconnect.StatusEnabled && c.ExpectSpec != c.Spec
	},
	apply: func(c *Connection, at time.Time) {
		if c.Status == expressconnect.StatusConfirmed {
			c.Status, c.EnabledAt = expressconnect.StatusEnabled, at
		}
		c.Spec = c.ExpectSpec
	},
}

// terminate is TerminatePhysicalConnection: an Enabled hosted connection becomes
// Terminating, and Terminated once the termination delay has passed (see advance).
var terminate = transition{
	name:    "terminate",
	needs:   "Enabled",
	allowed: func(c *Connection) bool { return c.Status == expressconnect.StatusEnabled },
	apply:   func(c *Connection, _ time.Time) { c.Status = expressconnect.StatusTerminating },
}

// cancel is CancelPhysicalConnection: a hosted connection not yet enabled becomes Canceled.
var cancel = transition{
	name:  "cancel",
	needs: "Allocated or Confirmed",
	allowed: func(c *Connection) bool {
		return c.Status == expressconnect.StatusAllocated || c.Status == expressconnect.StatusConfirmed
	},
	apply: func(c *Connection, _ time.Time) { c.Status = expressconnect.StatusCanceled },
}

// lock returns billing's (or security's) lock to status: allowed from Normal.
func lock(status expressconnect.BusinessStatus) transition {
	return transition{
		name:    "lock as " + string(status),
		needs:   "BusinessStatus Normal",
		allowed: func(c *Connection) bool { return c.BusinessStatus == expressconnect.BusinessStatusNormal },
		apply:   func(c *Connection, _ time.Time) { c.BusinessStatus = status },
	}
}

// unlock is billing's unlocking: a locked hosted connection becomes Normal.
var unlock = transition{
	name:    "unlock",
	needs:   "BusinessStatus FinancialLocked or SecurityLocked",
	allowed: func(c *Connection) bool { return c.BusinessStatus != expressconnect.BusinessStatusNormal },
	apply:   func(c *Connection, _ time.Time) { c.BusinessStatus = expressconnect.BusinessStatusNormal },
}

// transition makes the change t to the hosted connection id at now, if the model allows it.
func (st *store) transition(id string, now time.Time, t transition) error {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.advance(now)
	i, ok := st.byID[id]
	if !ok {
		return fmt.Errorf("%w: %s %q", ErrUnknownConnection, t.name, id)
	}
	c := &st.conns[i]
	if deleted(c) {
		return fmt.Errorf("%w: %s %s: it is deleted", ErrTransitionNotAllowed, t.name, id)
	}
	if !t.allowed(c) {
		return fmt.Errorf("%w: %s %s: it is %s, %s and %s; this needs %s", ErrTransitionNotAllowed, t.name, id,
			c.VirtualPhysicalConnectionStatus, c.Status, c.BusinessStatus, t.needs)
	}
	st.change(c, t, now)
	return nil
}

// change makes the change t, which the model allows, to c at now. A hosted connection it
// makes Terminating begins its termination at now.
func (st *store) change(c *Connection, t transition, now time.Time) {
	t.apply(c, now)
	if c.Status == expressconnect.StatusTerminating {
		st.terminatingConns[c.VirtualPhysicalConnectionID] = now
	}
}

// autoTransitions are the delays of Config.AutoAccept and Config.AutoEnable, and the
// termination delay of Config.TerminationDelay.
type autoTransitions struct {
	accept, enable delay
	terminate      time.Duration
}

// delay is an optional delay.
type delay struct {
	after time.Duration
	on    bool
}

// advance makes the automatic changes whose time has come by now: the end of a termination
// (Terminating becomes Terminated) the termination delay after it began, acceptance the
// accept delay after creation, enabling the enable delay after acceptance. Each change is
// dated at the time it was due, so that what a read sees does not depend on when it reads.
// Reading the state calls it first; no goroutine or timer is involved. It first forgets what
// the retention no longer keeps (sweep).
func (st *store) advance(now time.Time) {
	st.sweep(now)
	st.endTerminations(now)
	if !st.auto.accept.on && !st.auto.enable.on {
		return
	}
	for i := range st.conns {
		c := &st.conns[i]
		if deleted(c) {
			continue
		}
		if due := c.CreatedAt.Add(st.auto.accept.after); st.auto.accept.on && accept.allowed(c) && !due.After(now) {
			accept.apply(c, due)
		}
		if due := c.AcceptedAt.Add(st.auto.enable.after); st.auto.enable.on && c.Status == expressconnect.StatusConfirmed && !due.After(now) {
			enable.apply(c, due)
		}
	}
}

// endTerminations makes every circuit and hosted connection whose termination began at least
// the termination delay before now Terminated.
func (st *store) endTerminations(now time.Time) {
	due := func(since time.Time) bool { return !since.Add(st.auto.terminate).After(now) }
	for id, since := range st.terminatingConns {
		if !due(since) {
			continue
		}
		delete(st.terminatingConns, id)
		if i, ok := st.byID[id]; ok && st.conns[i].Status == expressconnect.StatusTerminating {
			st.conns[i].Status = expressconnect.StatusTerminated
		}
	}
	for id, cs := range st.circuits {
		if cs.Status == expressconnect.StatusTerminating && due(cs.terminatingSince) {
			cs.Status, cs.terminatingSince = expressconnect.StatusTerminated, time.Time{}
			st.circuits[id] = cs
		}
	}
}
