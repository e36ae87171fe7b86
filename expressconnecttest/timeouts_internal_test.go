package expressconnecttest

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/expressconnect-go/expressconnect"
)

// TestDefaultTimeouts checks that a server applies the documented timeouts.
func TestDefaultTimeouts(t *testing.T) {
	t.Parallel()
	s, err := NewServer(Config{})
	require.NoError(t, err)
	defer s.Close()
	hs := s.http.Config
	assert.Equal(t, ReadHeaderTimeout, hs.ReadHeaderTimeout)
	assert.Equal(t, ReadTimeout, hs.ReadTimeout)
	assert.Equal(t, WriteTimeout, hs.WriteTimeout)
	assert.Equal(t, DefaultIdleTimeout, hs.IdleTimeout)
}

// withShortTimeouts starts a server, closed when the test ends, whose every timeout is d, so
// that tests can see them act.
func withShortTimeouts(t *testing.T, d time.Duration) *Server {
	t.Helper()
	c, err := Config{}.resolve()
	require.NoError(t, err)
	c.timeouts = timeouts{readHeader: d, read: d, write: d, idle: d}
	s, err := start(c)
	require.NoError(t, err)
	t.Cleanup(s.Close)
	return s
}

// TestSlowHeadersAreCut checks that a client that never finishes its headers is disconnected.
func TestSlowHeadersAreCut(t *testing.T) {
	t.Parallel()
	s := withShortTimeouts(t, 200*time.Millisecond)
	conn, err := net.Dial("tcp", strings.TrimPrefix(s.URL(), "http://"))
	require.NoError(t, err)
	defer conn.Close()
	_, err = io.WriteString(conn, "POST / HTTP/1.1\r\nHost: expressconnecttest\r\n")
	require.NoError(t, err)
	require.NoError(t, conn.SetReadDeadline(time.Now().Add(10*time.Second)))
	_, err = io.Copy(io.Discard, conn)
	assert.NotErrorIs(t, err, os.ErrDeadlineExceeded, "the server drops the connection well within 10 s")
}

// TestHeldAnswersOutliveTimeouts checks that the read and write timeouts do not cut short a
// delay or a drip that lasts longer than they do.
func TestHeldAnswersOutliveTimeouts(t *testing.T) {
	t.Parallel()
	const timeout = 100 * time.Millisecond
	cases := []struct {
		name  string
		fault Fault
	}{
		{"delay", Fault{Kind: FaultDelay, Delay: 4 * timeout}},
		{"drip", Fault{Kind: FaultDrip, Interval: timeout / 20}}, // a body of about 350 bytes: some 17 timeouts
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := withShortTimeouts(t, timeout)
			s.faults.inject(1, tc.fault)
			resp, err := http.Post(s.URL()+"/?"+url.Values{"Action": {actionCreate}}.Encode(), "", nil)
			require.NoError(t, err)
			defer resp.Body.Close()
			body, err := io.ReadAll(resp.Body)
			require.NoError(t, err, "the answer arrives whole")
			var e struct{ RequestId, Code, Message string }
			require.NoError(t, json.Unmarshal(body, &e), string(body))
			assert.Equal(t, string(expressconnect.CodeIncompleteSignature), e.Code, "an unsigned request")
			assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
		})
	}
}
