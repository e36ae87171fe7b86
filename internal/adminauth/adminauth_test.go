package adminauth

import (
	"net"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTokenRequiredOn checks which listening addresses need the admin token: every address
// but a loopback one.
func TestTokenRequiredOn(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		ip       string
		required bool
	}{
		{"IPv4 loopback", "127.0.0.1", false},
		{"other IPv4 loopback", "127.0.0.2", false},
		{"IPv6 loopback", "::1", false},
		{"every IPv4 address", "0.0.0.0", true},
		{"every address", "::", true},
		{"private address", "10.0.0.5", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tc.required, TokenRequiredOn(&net.TCPAddr{IP: net.ParseIP(tc.ip), Port: 8080}))
		})
	}
	assert.True(t, TokenRequiredOn(&net.UnixAddr{Name: "/tmp/x", Net: "unix"}), "not an IP address")
}

// TestCheckToken checks the token rule at its bounds, and that its error never holds the token.
func TestCheckToken(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		token string
		ok    bool
	}{
		{"16 characters", strings.Repeat("a", 16), true},
		{"256 characters", strings.Repeat("Z", 256), true},
		{"every allowed character", "AZaz09-._~+/=xyz", true},
		{"15 characters", strings.Repeat("a", 15), false},
		{"257 characters", strings.Repeat("a", 257), false},
		{"empty", "", false},
		{"a space", "0123456789 abcdef", false},
		{"a quote", `0123456789"abcdef`, false},
		{"a colon", "0123456789:abcdef", false},
		{"not ASCII", "0123456789abcdeé", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := CheckToken(tc.token)
			if tc.ok {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), "must be 16 to 256 letters, digits and -._~+/=")
			if tc.token != "" {
				assert.NotContains(t, err.Error(), tc.token)
			}
		})
	}
}

// TestNewToken checks that a random token passes the rule and that two differ.
func TestNewToken(t *testing.T) {
	t.Parallel()
	a, err := NewToken()
	require.NoError(t, err)
	b, err := NewToken()
	require.NoError(t, err)
	assert.NoError(t, CheckToken(a))
	assert.Len(t, a, 32)
	assert.NotEqual(t, a, b)
}

// TestCheckHost checks the hosts an operator may allow and the form they are compared in.
func TestCheckHost(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, host, want string
	}{
		{"host name in lower case", "sandbox.ci", "sandbox.ci"},
		{"host name in upper case", "SandBox", "sandbox"},
		{"IPv4 address", "10.0.0.5", "10.0.0.5"},
		{"IPv6 address, canonical form", "2001:DB8:0:0::1", "2001:db8::1"},
		{"with a port", "sandbox:8080", ""},
		{"a URL", "http://x", ""},
		{"empty", "", ""},
		{"leading dot", ".sandbox", ""},
		{"trailing dot", "sandbox.", ""},
		{"two dots", "a..b", ""},
		{"too long", strings.Repeat("a", 254), ""},
		{"an underscore", "my_host", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := CheckHost(tc.host)
			if tc.want == "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), "is neither a host name")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}
