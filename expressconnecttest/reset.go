package expressconnecttest

import "time"

// Reset gives the server a fresh state with the configuration of its options, as if it had
// just started on the same port: the hosted connections, the client tokens and NextTokens,
// the used SignatureNonces, the requests received (as [Server.ResetRequests]) and the
// injected faults and fault function (as [Server.ClearFaults]) are forgotten; the circuits are
// those of the options again (changes of [Server.SetCircuit] and of the API, such as a
// deleted or terminated circuit, are undone), the clock offset is that of [WithClockOffset]
// again, and the STS credentials are no longer expired. An operation
// in flight meanwhile sees the hosted connections, tokens and NextTokens either all as they
// were before the reset or all as they are after it; its authentication and its fault may have
// been decided before, and its record may be listed by [Server.Requests] after.
func (s *Server) Reset() {
	circuits, _ := s.cfg.allCircuits() // NewServer checked them
	// The offset first, so that the circuits are added on the configured clock.
	s.clock.setOffset(s.cfg.clockOffset)
	s.store.reset(circuits)
	s.auth.reset()
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
}

// reset forgets the used nonces and makes the STS credentials valid again.
func (a *authenticator) reset() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.stsExpired = false
	a.nonces, a.nonceOrder = map[string]time.Time{}, nil
}
