package expressconnecttest

import (
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/expressconnect-go/expressconnect/internal/localsign"
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

// The x-acs- headers of a V3 request.
const (
	headerAction        = "x-acs-action"
	headerVersion       = "x-acs-version"
	headerDate          = "x-acs-date"
	headerNonce         = "x-acs-signature-nonce"
	headerContentSHA256 = localsign.HeaderContentSHA256
	headerSecurityToken = "x-acs-security-token"
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

// authenticate checks the request r, whose parameters (URL query and form body together) are
// params and whose body is body, and returns who sent it and the action it calls. A request
// with an Authorization header is checked as V3-signed (authenticateV3), one with a Signature
// parameter as RPC-signed (authenticateRPC); one with neither is IncompleteSignature, the code
// Alibaba Cloud documents for a signature that does not conform. verified reports whether the
// signature matched.
func (a *authenticator) authenticate(r *http.Request, params url.Values, body []byte, now time.Time) (p principal, action string, verified bool, err *apiError) {
	switch {
	case len(r.Header.Values("Authorization")) > 0:
		return a.authenticateV3(r, body, now)
	case params.Has("Signature"):
		p, verified, err := a.authenticateRPC(r.Method, params, now)
		return p, params.Get("Action"), verified, err
	}
	return p, "", false, errIncompleteSignature("It has neither a Signature parameter nor an Authorization header.")
}

// authenticateRPC checks params in the order the service does: common parameters, AccessKey,
// security token, signature, timestamp, nonce.
func (a *authenticator) authenticateRPC(method string, params url.Values, now time.Time) (p principal, verified bool, err *apiError) {
	if err := checkCommon(params); err != nil {
		return p, false, err
	}
	cred, ok := a.creds[params.Get("AccessKeyId")]
	if !ok {
		return p, false, errAccessKeyNotFound()
	}
	got, sent := params["SecurityToken"]
	if err := a.checkSecurityToken(cred, got, sent); err != nil {
		return p, false, err
	}
	var sigErr *localsign.SignatureError
	switch e := localsign.VerifySignature(method, params, cred.secret); {
	case errors.As(e, &sigErr):
		return p, false, errSignatureDoesNotMatch(sigErr.StringToSign)
	case e != nil:
		return p, false, errMissingParameter("Signature")
	}
	return a.fresh(cred, params.Get("Timestamp"), params.Get("SignatureNonce"), now)
}

// authenticateV3 checks a V3-signed request in the same order: the Authorization header and
// the common headers, the headers the signature covers, AccessKey, security token
// (x-acs-security-token), signature, date (x-acs-date), nonce (x-acs-signature-nonce).
func (a *authenticator) authenticateV3(r *http.Request, body []byte, now time.Time) (p principal, action string, verified bool, err *apiError) {
	values := r.Header.Values("Authorization")
	auth, perr := localsign.ParseAuthorizationV3(values[0])
	if len(values) != 1 || perr != nil {
		return p, "", false, errIncompleteSignature("The Authorization header is not of the form " +
			localsign.AlgorithmV3 + " Credential=AccessKeyId,SignedHeaders=names,Signature=hex.")
	}
	if err := checkCommonV3(r.Header); err != nil {
		return p, "", false, err
	}
	action = r.Header.Get(headerAction)
	if name := localsign.UncoveredHeader(r, auth); name != "" {
		return p, action, false, errIncompleteSignature("SignedHeaders does not cover the header " + name + " as the request has it.")
	}
	cred, ok := a.creds[auth.AccessKeyID]
	if !ok {
		return p, action, false, errAccessKeyNotFound()
	}
	got, sent := r.Header[http.CanonicalHeaderKey(headerSecurityToken)]
	if err := a.checkSecurityToken(cred, got, sent); err != nil {
		return p, action, false, err
	}
	var sigErr *localsign.SignatureError
	if errors.As(localsign.VerifyV3(r, body, auth, cred.secret), &sigErr) {
		return p, action, false, errSignatureDoesNotMatch(sigErr.StringToSign)
	}
	p, verified, err = a.fresh(cred, r.Header.Get(headerDate), r.Header.Get(headerNonce), now)
	return p, action, verified, err
}

// fresh finishes the authentication of a request whose signature by cred matched: its time
// (Timestamp or x-acs-date) must be within timestampWindow of now, and its nonce unused.
func (a *authenticator) fresh(cred credential, timestamp, nonce string, now time.Time) (p principal, verified bool, err *apiError) {
	if err := checkTimestamp(timestamp, now); err != nil {
		return p, true, err
	}
	if !a.useNonce(cred.id+"\x00"+nonce, now) {
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
		return errIncompleteSignature("")
	}
	if v := params.Get("SignatureVersion"); v != "" && v != signatureVersion {
		return errIncompleteSignature("")
	}
	return nil
}

// checkCommonV3 checks that the common headers of a V3 request are present, each once, and
// name an action and version the server serves.
func checkCommonV3(h http.Header) *apiError {
	for _, name := range []string{headerAction, headerVersion, headerDate, headerNonce, headerContentSHA256} {
		switch values := h.Values(name); {
		case len(values) == 0 || values[0] == "":
			return errMissingParameter(name)
		case len(values) > 1:
			return errInvalidParameter("The header " + name + " is given more than once.")
		}
	}
	if !served(h.Get(headerAction)) {
		return errInvalidAction()
	}
	if h.Get(headerVersion) != apiVersion {
		return errInvalidVersion()
	}
	return nil
}

// checkSecurityToken checks that STS credentials come with their token and other
// credentials with none. got is what the request sent as the token (the SecurityToken
// parameter, or the x-acs-security-token header of a V3 request), sent whether it sent one.
func (a *authenticator) checkSecurityToken(cred credential, got []string, sent bool) *apiError {
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
