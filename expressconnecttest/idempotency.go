package expressconnecttest

import "time"

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
	// at is when the request succeeded, on the server's clock, from which its retention runs.
	at time.Time
}

// replay answers a request whose client token was used before, the first check after the
// parameter rules on every action: with the same parameters (fingerprint), as the first time
// did (the hosted connection it concerned, or DryRunOperation for a dry run, which changes
// nothing), with other parameters IdempotentParameterMismatch. done is false when the token is
// empty or new, and the request goes on to its state checks. Only successful requests are
// remembered: a token whose request failed can be used again.
func (st *store) replay(key tokenKey, fingerprint string, dryRun bool) (connectionID string, done bool, err *apiError) {
	entry, seen := st.tokens[key]
	switch {
	case key.token == "" || !seen:
		return "", false, nil
	case entry.fingerprint != fingerprint:
		return "", true, errIdempotentMismatch()
	case dryRun:
		return "", true, errDryRun()
	}
	return entry.connectionID, true, nil
}

// remember records that the request with key and fingerprint succeeded for connectionID at
// now.
func (st *store) remember(key tokenKey, fingerprint, connectionID string, now time.Time) {
	if key.token != "" {
		st.tokens[key] = tokenEntry{fingerprint: fingerprint, connectionID: connectionID, at: now}
	}
}
