package expressconnecttest

import "time"

// DefaultRetention is how long a server remembers a deleted hosted connection and a used
// client token when Config.Retention is 0: 24 hours.
//
// Alibaba Cloud documents no window of idempotency for the four actions: their references
// say only that a client token must be unique among requests. Without a window, a server
// that runs for days keeps every hosted connection ever created and every token ever used.
// The common practice of APIs with client tokens is to remember them for at least a day,
// which covers a client retrying across a restart or an outage of a few hours; a caller that
// retries later than that cannot count on the service either. A deleted hosted connection is
// kept as long, so that List can show it as Deleted and Delete's retry finds it.
const DefaultRetention = 24 * time.Hour

// retention is when the store forgets deleted hosted connections and used client tokens.
type retention struct {
	// keep is how long they are remembered; 0: for as long as the server runs.
	keep time.Duration
	// next is the earliest time on the server's clock at which sweep looks for something to
	// forget; zero: at its next call.
	next time.Time
}

// sweep forgets the deleted hosted connections and the client tokens whose retention has
// passed by now, if the time has come to look for them. The caller holds st.mu. Hosted
// connections keep their order of creation, and the NextTokens issued before keep leading to
// the page they stood for.
func (st *store) sweep(now time.Time) {
	r := &st.retention
	if r.keep <= 0 || now.Before(r.next) {
		return
	}
	due := func(at time.Time) bool { return !at.Add(r.keep).After(now) }
	next := now.Add(r.keep) // what is remembered from now on is due after that
	earliest := func(at time.Time) {
		if at.Add(r.keep).Before(next) {
			next = at.Add(r.keep)
		}
	}

	forgetTokens := 0
	for _, e := range st.tokens {
		if due(e.at) {
			forgetTokens++
		} else {
			earliest(e.at)
		}
	}
	if forgetTokens > 0 { // a new map: a Go map never gives back the room of deleted entries
		kept := make(map[tokenKey]tokenEntry, len(st.tokens)-forgetTokens)
		for k, e := range st.tokens {
			if !due(e.at) {
				kept[k] = e
			}
		}
		st.tokens = kept
	}

	forget := 0
	for i := range st.conns {
		if c := &st.conns[i]; deleted(c) {
			if due(c.DeletedAt) {
				forget++
			} else {
				earliest(c.DeletedAt)
			}
		}
	}
	if forget > 0 {
		st.forgetConnections(due, len(st.conns)-forget)
	}
	r.next = later(next, now.Add(r.keep/16))
}

// forgetConnections drops the deleted hosted connections whose deletion is due, leaving kept
// of them, and moves the NextTokens' positions along.
func (st *store) forgetConnections(due func(time.Time) bool, kept int) {
	conns := make([]Connection, 0, kept)
	// keptBefore[i] is how many hosted connections before index i are kept: the new index of
	// the first one kept at or after i, which a NextToken's position becomes.
	keptBefore := make([]int, len(st.conns)+1)
	for i := range st.conns {
		keptBefore[i] = len(conns)
		if c := &st.conns[i]; !deleted(c) || !due(c.DeletedAt) {
			conns = append(conns, *c)
		}
	}
	keptBefore[len(st.conns)] = len(conns)
	st.conns = conns
	st.byID = make(map[string]int, len(conns))
	for i := range conns {
		st.byID[conns[i].VirtualPhysicalConnectionID] = i
	}
	for token, p := range st.pages.byToken {
		p.position = keptBefore[min(p.position, len(keptBefore)-1)]
		st.pages.byToken[token] = p
	}
}

// later returns the later of a and b.
func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
