package expressconnecttest

import "time"

// Reset gives the server a fresh state with the configuration of its options, as if it had
// just started on the same port: the hosted connections, the client tokens and NextTokens,
// the requests received (as [Server.ResetRequests]) and the injected faults
// (as [Server.ClearFaults]) are forgotten; the circuits are those of the options again
// (changes of [Server.SetCircuit] and of the API, such as a deleted or terminated circuit, are
// undone), the clock offset is that of [WithClockOffset] again, and the STS credentials are no
// longer expired. The SignatureNonces and x-acs-signature-nonces already used stay used for
// their 15 minutes, so that a request captured before the reset cannot be sent again after it.
// An operation
// in flight meanwhile sees the hosted connections, tokens and NextTokens either all as they
// were before the reset or all as they are after it; its authentication and its fault may have
// been decided before, and its record may be listed by [Server.Requests] after.
func (s *Server) Reset() { s.reset() }

// reset is Reset.
func (s *Server) reset() {
	// The offset first, so that the circuits are added on the configured clock.
	s.clock.setOffset(s.cfg.clockOffset)
	s.store.reset(s.cfg.circuits)
	s.auth.renewSTS()
	s.faults.clear()
	s.log.reset()
}

// reset forgets the hosted connections, tokens and NextTokens, and holds circuits again, which
// must have their defaults applied.
func (st *store) reset(circuits []Circuit) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.holdCircuits(circuits)
	st.conns, st.byID = nil, map[string]int{}
	st.tokens = map[tokenKey]tokenEntry{}
	st.pages = newPageTokens(MaxPageTokens)
	st.retention.next = time.Time{}
}

// renewSTS makes the STS credentials valid again. The used nonces stay used: forgetting them
// would let a request captured before a reset be replayed after it.
func (a *authenticator) renewSTS() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.stsExpired = false
}
