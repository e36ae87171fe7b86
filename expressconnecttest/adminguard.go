package expressconnecttest

import (
	"crypto/sha256"
	"crypto/subtle"
	"fmt"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strings"

	"github.com/expressconnect-go/expressconnect/internal/adminauth"
)

// This file is what the admin API checks of a request before any route runs, so that only
// the server's user can drive it: a web page the user visits cannot (its form and text posts
// are refused for their type, its requests for their Origin, and a name it rebinds to
// loopback for its Host), and when the server listens beyond loopback, nobody without the
// admin token can.

// adminAuthRealm names the admin API in the WWW-Authenticate header of a 401 answer.
const adminAuthRealm = `Bearer realm="expressconnecttest admin API"`

// adminGuard is what the admin API checks of every request.
type adminGuard struct {
	// token is the admin token, sent as "Authorization: Bearer token".
	token string
	// tokenRequired says whether a request without the token is refused: when the server
	// listens on an address that is not loopback. A wrong token is always refused.
	tokenRequired bool
	// allowedHosts are the host names and addresses, in lower case, that the Host and Origin
	// headers may name besides loopback ones.
	allowedHosts []string
}

// check returns the error of a request the admin API refuses before routing it, or nil: a
// Host or Origin that is not allowed (403), a missing or wrong token (401), or a body that
// is not JSON (415), in that order.
func (g adminGuard) check(r *http.Request) error {
	if !g.hostAllowed(r.Host) {
		return &adminError{status: http.StatusForbidden, code: codeForbidden, msg: fmt.Sprintf("the Host %q is neither a loopback name "+
			"or address (localhost, 127.0.0.0/8, [::1]) nor an allowed host (Config.AdminAllowedHosts, the command's "+
			"-admin-allowed-hosts): the admin API answers only requests meant for it", clipped(r.Host))}
	}
	if origins := r.Header.Values("Origin"); len(origins) > 0 {
		u, err := url.Parse(origins[0])
		if len(origins) > 1 || err != nil || u.Host == "" || !g.hostAllowed(u.Host) {
			return &adminError{status: http.StatusForbidden, code: codeForbidden, msg: fmt.Sprintf("the Origin %q is neither a "+
				"loopback one nor an allowed host: the admin API does not answer web pages of other sites", clipped(origins[0]))}
		}
	}
	if err := g.checkToken(r.Header.Values("Authorization")); err != nil {
		return err
	}
	if r.ContentLength != 0 { // a body, of a known length or not
		mediaType, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if err != nil || mediaType != "application/json" {
			return &adminError{status: http.StatusUnsupportedMediaType, code: codeUnsupportedMediaType, msg: fmt.Sprintf("a request with a body must have "+
				"Content-Type application/json, not %q", clipped(r.Header.Get("Content-Type")))}
		}
	}
	return nil
}

// checkToken checks the Authorization headers of a request: none, when the token is not
// required, or one with the admin token. The token is compared in constant time, and no error
// shows it.
func (g adminGuard) checkToken(auth []string) error {
	if len(auth) == 0 && !g.tokenRequired {
		return nil
	}
	unauthorized := func(msg string) error {
		return &adminError{status: http.StatusUnauthorized, code: codeUnauthorized, msg: msg}
	}
	if len(auth) == 0 {
		return unauthorized("the admin API needs the admin token, as the server listens beyond loopback: send " +
			"Authorization: Bearer and the token (Config.AdminToken; the command's banner prints it)")
	}
	scheme, token, _ := strings.Cut(auth[0], " ")
	if len(auth) > 1 || !strings.EqualFold(scheme, "Bearer") {
		return unauthorized("the admin API takes one Authorization header, Bearer and the admin token")
	}
	// Hashing first makes the comparison take the same time whatever the token's length.
	got, want := sha256.Sum256([]byte(token)), sha256.Sum256([]byte(g.token))
	if subtle.ConstantTimeCompare(got[:], want[:]) != 1 {
		return unauthorized("the admin token is wrong: send Config.AdminToken (the command's banner prints it)")
	}
	return nil
}

// hostAllowed reports whether hostport, a Host header or the host of an Origin, names the
// sandbox: localhost, a loopback address, or one of the allowed hosts, with any port or none.
func (g adminGuard) hostAllowed(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	} else if strings.HasPrefix(host, "[") && strings.HasSuffix(host, "]") {
		host = host[1 : len(host)-1]
	}
	host = strings.ToLower(host)
	if adminauth.IsLoopbackHost(host) {
		return true
	}
	ip := net.ParseIP(host)
	for _, allowed := range g.allowedHosts {
		if host == allowed || ip != nil && ip.Equal(net.ParseIP(allowed)) {
			return true
		}
	}
	return false
}

// adminGuard returns the guard of c's admin API, with a random token when c gives none;
// tokenRequired is set once the listener is known. Its errors never show the token.
func (c Config) adminGuard() (adminGuard, error) {
	g := adminGuard{token: c.AdminToken}
	if g.token == "" {
		var err error
		if g.token, err = adminauth.NewToken(); err != nil {
			return g, err
		}
	}
	if err := adminauth.CheckToken(g.token); err != nil {
		return g, fmt.Errorf("AdminToken %w", err)
	}
	for i, h := range c.AdminAllowedHosts {
		host, err := adminauth.CheckHost(h)
		if err != nil {
			return g, fmt.Errorf("AdminAllowedHosts[%d]: %w", i, err)
		}
		g.allowedHosts = append(g.allowedHosts, host)
	}
	return g, nil
}
