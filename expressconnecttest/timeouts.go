package expressconnecttest

import (
	"net/http"
	"time"
)

// Timeouts of the server's connections, which close the connections that clients leave idle
// or half sent, so that a long-running server does not collect them. An answer that a fault
// holds on purpose ([FaultDelay], [FaultDrip]) is exempt from the read and write timeouts, however
// long it takes.
const (
	// ReadHeaderTimeout is how long a client may take to send the headers of a request: 10 s.
	ReadHeaderTimeout = 10 * time.Second
	// ReadTimeout is how long a client may take to send a whole request, body included: 1 min.
	ReadTimeout = time.Minute
	// WriteTimeout is how long the server may take to answer a request, counted from the end
	// of its headers: 2 min.
	WriteTimeout = 2 * time.Minute
	// DefaultIdleTimeout is how long a keep-alive connection may wait for its next request
	// before the server closes it, unless Config.IdleTimeout says otherwise: 2 min.
	DefaultIdleTimeout = 2 * time.Minute
)

// timeouts are the connection timeouts of a server.
type timeouts struct {
	readHeader, read, write, idle time.Duration
}

// defaultTimeouts returns the timeouts documented above.
func defaultTimeouts() timeouts {
	return timeouts{readHeader: ReadHeaderTimeout, read: ReadTimeout, write: WriteTimeout, idle: DefaultIdleTimeout}
}

// apply sets the timeouts of hs.
func (t timeouts) apply(hs *http.Server) {
	hs.ReadHeaderTimeout, hs.ReadTimeout, hs.WriteTimeout, hs.IdleTimeout = t.readHeader, t.read, t.write, t.idle
}

// exemptFromTimeouts lifts the read and write deadlines of w's connection for the rest of the
// request, so that an answer a fault holds on purpose is not cut short (a read deadline that
// passes while the handler runs would also cancel the request's context). The server sets
// the deadlines again for the connection's next request.
func exemptFromTimeouts(w http.ResponseWriter) {
	rc := http.NewResponseController(w)
	_ = rc.SetReadDeadline(time.Time{}) // fails only for a writer without a connection (a recorder)
	_ = rc.SetWriteDeadline(time.Time{})
}
