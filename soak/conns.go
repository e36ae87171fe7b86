package main

import (
	"context"
	"net"
	"os"
	"strings"
	"sync"
	"sync/atomic"
)

// connCounter counts the connections the clients' transports dial and still hold open, so
// that the report can tell goroutines that the connection pool holds (two a connection) from
// goroutines that leak.
type connCounter struct {
	dialer       net.Dialer
	open, dialed atomic.Int64
}

// DialContext dials as net.Dialer does and counts the connection until it is closed.
func (c *connCounter) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	conn, err := c.dialer.DialContext(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	c.open.Add(1)
	c.dialed.Add(1)
	return &countedConn{Conn: conn, c: c}, nil
}

// countedConn is a connection that a connCounter counts until its first Close.
type countedConn struct {
	net.Conn
	c    *connCounter
	once sync.Once
}

// Close closes the connection and stops counting it.
func (cc *countedConn) Close() error {
	cc.once.Do(func() { cc.c.open.Add(-1) })
	return cc.Conn.Close()
}

// openSockets returns how many sockets the process holds open, from /proc/self/fd: the
// connections of the clients and of the Admin, each of which net/http serves with two
// goroutines. It returns -1 where /proc is not there.
func openSockets() int {
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return -1
	}
	n := 0
	for _, e := range entries {
		if target, err := os.Readlink("/proc/self/fd/" + e.Name()); err == nil && strings.HasPrefix(target, "socket:") {
			n++
		}
	}
	return n
}
