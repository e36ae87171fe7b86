package expressconnecttest

import (
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Limits of request freshness, as the service applies them.
const (
	// timestampWindow is how far a request's Timestamp may be from the server clock.
	timestampWindow = 15 * time.Minute
	// nonceWindow is how long a SignatureNonce stays used.
	nonceWindow = 15 * time.Minute
	// timestampLayout is the layout of the Timestamp parameter.
	timestampLayout = "2006-01-02T15:04:05Z"
)

// Values of the common parameters this server accepts.
const (
	apiVersion       = "2016-04-28"
	signatureMethod  = "HMAC-SHA1"
	signatureVersion = "1.0"
)

// principalKind says what kind of identity an AccessKey belongs to.
type principalKind int

const (
	principalAccount principalKind = iota // the account's own AccessKey, allowed
	principalRole                         // STS credentials of a role, allowed
	principalDenied                       // a RAM user lacking permission
)

// credential is an AccessKey the server knows.
type credential struct {
	id, secret    string
	securityToken string // set for STS credentials
	kind          principalKind
	displayName   string
}

// principal is who an authenticated request comes from.
type principal struct {
	accountID string
	cred      credential
}

// authenticator checks the common parameters, the AccessKey and the signature of requests.
type authenticator struct {
	accountID string
	creds     map[string]credential

	mu         sync.Mutex
	stsExpired bool
	nonces     map[string]time.Time // AccessKeyId + "\x00" + nonce → time first seen
	nonceOrder []nonceSeen
}

// nonceSeen is one used nonce, in order of use, so that expired ones can be dropped.
type nonceSeen struct {
	key string
	at  time.Time
}

func newAuthenticator(accountID string, creds []credential) *authenticator {
	a := &authenticator{accountID: accountID, creds: map[string]credential{}, nonces: map[string]time.Time{}}
	for _, c := range creds {
		a.creds[c.id] = c
	}
	return a
}

// authenticate checks params in the order the service does: common parameters, AccessKey,
// security token, signature, timestamp, nonce. verified reports whether the signature matched.
func (a *authenticator) authenticate(method string, params url.Values, now time.Time) (p principal, verified bool, err *apiError) {
	if err := checkCommon(params); err != nil {
		return p, false, err
	}
	cred, ok := a.creds[params.Get("AccessKeyId")]
	if !ok {
		return p, false, errAccessKeyNotFound()
	}
	if err := a.checkSecurityToken(cred, params); err != nil {
		return p, false, err
	}
	var sigErr *SignatureError
	switch e := VerifySignature(method, params, cred.secret); {
	case errors.As(e, &sigErr):
		return p, false, errSignatureDoesNotMatch(sigErr.StringToSign)
	case e != nil:
		return p, false, errMissingParameter("Signature")
	}
	if err := checkTimestamp(params.Get("Timestamp"), now); err != nil {
		return p, true, err
	}
	if !a.useNonce(cred.id+"\x00"+params.Get("SignatureNonce"), now) {
		return p, true, errNonceUsed()
	}
	return principal{accountID: a.accountID, cred: cred}, true, nil
}

// checkCommon checks that the common parameters are present and name an action the server
// serves.
func checkCommon(params url.Values) *apiError {
	for _, name := range []string{"AccessKeyId", "Action", "Version", "SignatureMethod", "SignatureNonce", "Timestamp", "Signature"} {
		if params.Get(name) == "" {
			return errMissingParameter(name)
		}
	}
	if !served(params.Get("Action")) {
		return errInvalidAction()
	}
	if params.Get("Version") != apiVersion {
		return errInvalidVersion()
	}
	if f := params.Get("Format"); f != "" && !strings.EqualFold(f, "JSON") && !strings.EqualFold(f, "XML") {
		return errInvalidParameter("Specified parameter Format is not valid.")
	}
	if params.Get("SignatureMethod") != signatureMethod {
		return errIncompleteSignature()
	}
	if v := params.Get("SignatureVersion"); v != "" && v != signatureVersion {
		return errIncompleteSignature()
	}
	return nil
}

// checkSecurityToken checks that STS credentials come with their token and other
// credentials with none.
func (a *authenticator) checkSecurityToken(cred credential, params url.Values) *apiError {
	got, sent := params["SecurityToken"]
	if cred.securityToken == "" {
		if sent {
			return errSecurityTokenMismatch()
		}
		return nil
	}
	if !sent || len(got) != 1 || got[0] == "" {
		return errSecurityTokenMalformed()
	}
	if subtle.ConstantTimeCompare([]byte(got[0]), []byte(cred.securityToken)) != 1 {
		return errSecurityTokenMismatch()
	}
	a.mu.Lock()
	expired := a.stsExpired
	a.mu.Unlock()
	if expired {
		return errSecurityTokenExpired()
	}
	return nil
}

// expireSTS makes the STS credentials expired.
func (a *authenticator) expireSTS() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.stsExpired = true
}

// checkTimestamp checks that ts is well formed and within timestampWindow of now.
func checkTimestamp(ts string, now time.Time) *apiError {
	t, err := time.Parse(timestampLayout, ts)
	if err != nil {
		if t, err = time.Parse(time.RFC3339, ts); err != nil {
			return errTimestampFormat()
		}
	}
	if d := now.Sub(t); d > timestampWindow || d < -timestampWindow {
		return errTimestampExpired()
	}
	return nil
}

// useNonce records key as used at now and reports whether it was unused within nonceWindow.
func (a *authenticator) useNonce(key string, now time.Time) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	for len(a.nonceOrder) > 0 && now.Sub(a.nonceOrder[0].at) > nonceWindow {
		old := a.nonceOrder[0]
		if a.nonces[old.key].Equal(old.at) {
			delete(a.nonces, old.key)
		}
		a.nonceOrder = a.nonceOrder[1:]
	}
	if at, used := a.nonces[key]; used && now.Sub(at) <= nonceWindow {
		return false
	}
	a.nonces[key] = now
	a.nonceOrder = append(a.nonceOrder, nonceSeen{key: key, at: now})
	return true
}

// deniedDetail returns the AccessDeniedDetail of a Forbidden.RAM answer to p's request for
// action.
func deniedDetail(p principal, action, requestID string) accessDeniedDetail {
	authAction := "vpc:" + action
	diag := `{"AuthAction":"` + authAction + `","AuthPrincipalDisplayName":"` + p.cred.displayName +
		`","RequestId":"` + requestID + `","NoPermissionType":"ImplicitDeny"}`
	return accessDeniedDetail{
		AuthAction:               authAction,
		AuthPrincipalType:        "SubUser",
		AuthPrincipalOwnerID:     p.accountID,
		AuthPrincipalDisplayName: p.cred.displayName,
		NoPermissionType:         "ImplicitDeny",
		PolicyType:               "AccountLevelIdentityBasedPolicy",
		EncodedDiagnosticMessage: base64.StdEncoding.EncodeToString([]byte(diag)),
	}
}
