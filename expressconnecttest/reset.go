package expressconnecttest

import "time"

// reset gives the server a fresh state with its configuration, as Admin.Reset documents.
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
