package expressconnect_test

import (
	"context"
	"log"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/expressconnect-go/expressconnect/expressconnecttest"
)

// This file reads and changes the local endpoint's state through its Admin for the examples
// and tests of this package: the examples stop on an error, the tests fail.

// held returns the hosted connections the local endpoint holds.
func held(srv *expressconnecttest.Server) []expressconnecttest.Connection {
	conns, err := srv.Admin().Connections(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	return conns
}

// received returns the requests the local endpoint received.
func received(srv *expressconnecttest.Server) []expressconnecttest.Request {
	page, err := srv.Admin().Requests(context.Background(), 0, 0)
	if err != nil {
		log.Fatal(err)
	}
	return page.Requests
}

// inject makes the next n requests to the local endpoint that f applies to fail with f.
func inject(srv *expressconnecttest.Server, n int, f expressconnecttest.Fault) {
	if err := srv.Admin().InjectFaults(context.Background(), n, f); err != nil {
		log.Fatal(err)
	}
}

// heldConnection returns the hosted connection id the local endpoint holds, failing the test
// when there is none.
func heldConnection(t *testing.T, srv *expressconnecttest.Server, id string) expressconnecttest.Connection {
	t.Helper()
	c, err := srv.Admin().Connection(context.Background(), id)
	require.NoError(t, err)
	return c
}

// heldConnections returns the hosted connections the local endpoint holds, failing the test on
// an error.
func heldConnections(t *testing.T, srv *expressconnecttest.Server) []expressconnecttest.Connection {
	t.Helper()
	conns, err := srv.Admin().Connections(context.Background())
	require.NoError(t, err)
	return conns
}

// receivedSince returns the requests the local endpoint received after the cursor after (0 for
// all it holds), and the cursor to read the next ones from, failing the test on an error.
func receivedSince(t *testing.T, srv *expressconnecttest.Server, after uint64) ([]expressconnecttest.Request, uint64) {
	t.Helper()
	page, err := srv.Admin().Requests(context.Background(), after, 0)
	require.NoError(t, err)
	return page.Requests, page.Next
}
