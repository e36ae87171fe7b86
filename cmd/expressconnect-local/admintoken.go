package main

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"strings"
)

// This file is what the command decides about the admin API's token, which the server checks:
// a random one when none is given, printed in the banner, and whether clients must send it.

// adminTokenBytes is how many random bytes make a random admin token: 128 bits, written as
// 32 hex digits.
const adminTokenBytes = 16

// newAdminToken returns a random admin token.
func newAdminToken() (string, error) {
	b := make([]byte, adminTokenBytes)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("making a random admin token: %w", err)
	}
	return hex.EncodeToString(b), nil
}

// tokenRequiredOn reports whether the admin API listening on addr requires the admin token,
// as the server decides it: unless addr is a loopback address, anyone who can reach it could
// drive the sandbox.
func tokenRequiredOn(addr net.Addr) bool {
	tcp, ok := addr.(*net.TCPAddr)
	return !ok || !tcp.IP.IsLoopback()
}

// checkAdminToken checks an admin token given to the command, by the server's rule. It never
// puts the token in its error.
func checkAdminToken(token string) error {
	const chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~+/="
	if len(token) < 16 || len(token) > 256 || strings.Trim(token, chars) != "" {
		return fmt.Errorf("the admin token must be 16 to 256 letters, digits and -._~+/= (it has %d characters)", len(token))
	}
	return nil
}

// checkAllowedHost checks a host of -admin-allowed-hosts, by the server's rule, and returns it
// as the admin API compares it: in lower case.
func checkAllowedHost(host string) (string, error) {
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
