package expressconnecttest

// tokenKey names a client token: the account that sent it, the action it was sent with, and
// the token. The tokens of different actions are independent of each other.
type tokenKey struct {
	accountID, action, token string
}

// tokenEntry remembers the successful request a client token was first used for.
type tokenEntry struct {
	// fingerprint is the request's parameters, without the token and DryRun.
	fingerprint string
	// connectionID is the hosted connection the request concerned.
	connectionID string
}

// replay looks up the client token of a request whose parameters have fingerprint. It
// returns the entry of the successful request the token was used for, or seen false when the
// token is empty or new, or IdempotentParameterMismatch when the token was used for other
// parameters. Only successful requests are remembered: a token whose request failed can be
// used again.
func (st *store) replay(key tokenKey, fingerprint string) (entry tokenEntry, seen bool, err *apiError) {
	if key.token == "" {
		return tokenEntry{}, false, nil
	}
	entry, seen = st.tokens[key]
	if seen && entry.fingerprint != fingerprint {
		return tokenEntry{}, false, errIdempotentMismatch()
	}
	return entry, seen, nil
}

// remember records that the request with key and fingerprint succeeded for connectionID.
func (st *store) remember(key tokenKey, fingerprint, connectionID string) {
	if key.token != "" {
		st.tokens[key] = tokenEntry{fingerprint: fingerprint, connectionID: connectionID}
	}
}
