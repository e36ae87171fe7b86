package expressconnecttest

import (
	"net"
	"testing"

	"github.com/stretchr/testify/assert"
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
			assert.Equal(t, tc.required, tokenRequiredOn(&net.TCPAddr{IP: net.ParseIP(tc.ip), Port: 8080}))
		})
	}
	assert.True(t, tokenRequiredOn(&net.UnixAddr{Name: "/tmp/x", Net: "unix"}), "not an IP address")
}
