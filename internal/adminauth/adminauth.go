// Package adminauth holds the rules of the local endpoint's admin API that both the
// expressconnecttest package and the expressconnect-local command apply: the shape of an admin
// token, when it is required, and the hosts an operator may allow. The server enforces them;
// the command checks its settings by the same rules when it loads them, so that a bad one is
// named by the flag or variable that gave it.
package adminauth

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"strings"
)

// tokenBytes is how many random bytes make a random admin token: 128 bits, written as 32 hex
// digits.
const tokenBytes = 16

// tokenChars are the characters an admin token may hold: those of an RFC 6750 bearer token
// (b64token), without white space or quotes, so that it can be pasted into a shell or a header.
const tokenChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~+/="

// NewToken returns a random admin token.
func NewToken() (string, error) {
	b := make([]byte, tokenBytes)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("making a random admin token: %w", err)
	}
	return hex.EncodeToString(b), nil
}

// CheckToken returns an error when token is not 16 to 256 of tokenChars. The error says the
// rule and the token's length, never the token.
func CheckToken(token string) error {
	if len(token) < 16 || len(token) > 256 || strings.Trim(token, tokenChars) != "" {
		return fmt.Errorf("must be 16 to 256 letters, digits and -._~+/= (it has %d characters)", len(token))
	}
	return nil
}

// TokenRequiredOn reports whether an admin API listening on addr requires the admin token:
// unless addr is a loopback address, anyone who can reach it could drive the server.
func TokenRequiredOn(addr net.Addr) bool {
	tcp, ok := addr.(*net.TCPAddr)
	return !ok || !tcp.IP.IsLoopback()
}

// IsLoopbackHost reports whether host, a host name without port or brackets, is localhost (in
// any case) or a loopback IP address.
func IsLoopbackHost(host string) bool {
	ip := net.ParseIP(host)
	return strings.EqualFold(host, "localhost") || ip != nil && ip.IsLoopback()
}

// CheckHost checks a host the admin API should answer besides loopback ones, and returns it as
// the admin API compares it: an IP address in its canonical form, a host name in lower case.
func CheckHost(host string) (string, error) {
	lower := strings.ToLower(host)
	if ip := net.ParseIP(lower); ip != nil {
		return ip.String(), nil
	}
	if lower == "" || len(lower) > 253 || strings.Trim(lower, "abcdefghijklmnopqrstuvwxyz0123456789-.") != "" ||
		strings.HasPrefix(lower, ".") || strings.HasSuffix(lower, ".") || strings.Contains(lower, "..") {
		return "", fmt.Errorf("%q is neither a host name (letters, digits, \"-\" and \".\", without a port) nor an IP address", host)
	}
	return lower, nil
}
