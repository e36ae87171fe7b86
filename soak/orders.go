package main

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/expressconnect-go/expressconnect"
	"github.com/expressconnect-go/expressconnect/expressconnecttest"
)

// order is one hosted connection a worker ordered: its token is recorded here before the
// first call, as a partner's program stores it with the order, and every retry reuses it.
type order struct {
	token   string
	worker  int
	circuit string
	vlan    int
	opened  time.Time
	ended   time.Time // when the client returned
	id      string    // the ID the client returned, once done
}

// orderBook is the soak's store of orders, and what it concluded of them. Orders that are
// done wait in it until a snapshot of the sandbox confirms them; then only the counts stay,
// so that its memory does not grow with the run. It is safe for concurrent use.
type orderBook struct {
	mu       sync.Mutex
	inFlight map[string]*order // by token: recorded, not concluded
	done     map[string]*order // by token: the client returned an ID, not yet confirmed
	reported map[string]*order // by token: the client's error carried the token, not yet looked up

	opened, doneCount, reportedCount, lost int64
	confirmed, reportedCreated             int64
	tokensWithTwo                          map[string]bool // tokens seen with two or more hosted connections
	evidence                               map[int][]string
	snapshots                              int
	largestSnapshot                        int
}

// maxEvidence bounds the evidence kept per invariant.
const maxEvidence = 5

// newOrderBook returns an empty store.
func newOrderBook() *orderBook {
	return &orderBook{inFlight: map[string]*order{}, done: map[string]*order{}, reported: map[string]*order{},
		tokensWithTwo: map[string]bool{}, evidence: map[int][]string{}}
}

// open records a new order with a new token before anything is sent.
func (b *orderBook) open(worker int, circuit string, vlan int) *order {
	o := &order{token: expressconnect.NewToken(), worker: worker, circuit: circuit, vlan: vlan, opened: time.Now()}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.inFlight[o.token] = o
	b.opened++
	return o
}

// note keeps evidence for invariant n; b.mu must be held.
func (b *orderBook) note(n int, format string, args ...any) {
	if len(b.evidence[n]) < maxEvidence {
		b.evidence[n] = append(b.evidence[n], fmt.Sprintf(format, args...))
	}
}

// succeeded concludes o with the ID the client returned.
func (b *orderBook) succeeded(o *order, id string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.inFlight, o.token)
	o.ended = time.Now()
	if id == "" {
		b.lost++
		b.note(2, "order %s: the client returned no error and no ID", o.token)
		return
	}
	o.id = id
	b.done[o.token] = o
	b.doneCount++
}

// failed concludes o with the client's last error: reported when the error carries the
// order's token where an operator finds it (an *OperationError whose Token it is, and its
// text), lost otherwise. text is the error's text with any secret masked.
func (b *orderBook) failed(o *order, err error, text string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.inFlight, o.token)
	o.ended = time.Now()
	if carriesToken(err, o.token) {
		b.reported[o.token] = o
		b.reportedCount++
		return
	}
	b.lost++
	b.note(2, "order %s: the error does not carry the token: %s", o.token, text)
}

// carriesToken reports whether err is an *OperationError for token that shows it.
func carriesToken(err error, token string) bool {
	var opErr *expressconnect.OperationError
	return errors.As(err, &opErr) && opErr.Token == token && strings.Contains(err.Error(), token)
}

// check compares the orders with conns, a snapshot of every hosted connection the sandbox
// holds (deleted ones included) asked for at taken: a token with two IDs breaks invariant 1,
// an order done with an ID the sandbox does not hold under its token breaks invariant 2. The
// orders done and reported before taken are concluded and forgotten (those that ended later
// wait for the next snapshot, which must show them); when final, the orders still in flight
// are lost too (the run ended without an answer for them).
func (b *orderBook) check(conns []expressconnecttest.Connection, taken time.Time, final bool) {
	byToken := map[string][]string{}
	byID := map[string]*expressconnecttest.Connection{}
	for i := range conns {
		c := &conns[i]
		byToken[c.Token] = append(byToken[c.Token], c.VirtualPhysicalConnectionID)
		byID[c.VirtualPhysicalConnectionID] = c
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.snapshots++
	b.largestSnapshot = max(b.largestSnapshot, len(conns))
	tokens := make([]string, 0)
	for token, ids := range byToken {
		if len(ids) > 1 {
			tokens = append(tokens, token)
		}
	}
	sort.Strings(tokens)
	for _, token := range tokens {
		if !b.tokensWithTwo[token] {
			b.tokensWithTwo[token] = true
			b.note(1, "token %s: hosted connections %s", token, strings.Join(byToken[token], ", "))
		}
	}
	for token, o := range b.done {
		if !o.ended.Before(taken) {
			continue
		}
		c, ok := byID[o.id]
		switch {
		case !ok:
			b.lost++
			b.note(2, "order %s: the client returned %s, which the sandbox does not hold", token, o.id)
		case c.Token != token:
			b.lost++
			b.note(2, "order %s: the client returned %s, which the sandbox holds under token %s", token, o.id, c.Token)
		default:
			b.confirmed++
		}
		delete(b.done, token)
	}
	for token, o := range b.reported {
		if !o.ended.Before(taken) {
			continue
		}
		if len(byToken[token]) > 0 {
			b.reportedCreated++
		}
		delete(b.reported, token)
	}
	if final {
		for token, o := range b.inFlight {
			b.lost++
			b.note(2, "order %s: still without an answer when the run ended (opened %s ago)", token, time.Since(o.opened).Round(time.Second))
			delete(b.inFlight, token)
		}
	}
}

// orderFigures are the counts of the orders.
type orderFigures struct {
	opened, done, reported, lost, confirmed, reportedCreated int64
	tokensWithTwo                                            int
	evidence                                                 map[int][]string
	snapshots, largestSnapshot                               int
}

// figures returns the counts and the evidence.
func (b *orderBook) figures() orderFigures {
	b.mu.Lock()
	defer b.mu.Unlock()
	ev := map[int][]string{}
	for k, v := range b.evidence {
		ev[k] = append([]string(nil), v...)
	}
	return orderFigures{opened: b.opened, done: b.doneCount, reported: b.reportedCount, lost: b.lost,
		confirmed: b.confirmed, reportedCreated: b.reportedCreated, tokensWithTwo: len(b.tokensWithTwo),
		evidence: ev, snapshots: b.snapshots, largestSnapshot: b.largestSnapshot}
}
