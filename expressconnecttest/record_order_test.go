package expressconnecttest_test

import (
	"context"
	"net/http"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/expressconnect-go/expressconnect/expressconnecttest"
)

// TestRequestsInOrderOfArrival holds the first request in the fault function until a second
// one has been answered: Requests lists the second only while the first is in flight, and
// then both in order of arrival.
func TestRequestsInOrderOfArrival(t *testing.T) {
	t.Parallel()
	s := expressconnecttest.NewTestServer(t)
	arrived, release := make(chan struct{}), make(chan struct{})
	releaseOnce := sync.OnceFunc(func() { close(release) })
	t.Cleanup(releaseOnce) // runs before the server's Close, which waits for the held handler
	s.SetFaultFunc(func(r *expressconnecttest.Request) *expressconnecttest.Fault {
		if r.Params.Get("VlanId") == "31" {
			close(arrived)
			<-release
		}
		return nil
	})
	first := make(chan int, 1)
	go func() {
		resp, _, err := rawPost(context.Background(), s, 31)
		if err != nil {
			first <- 0
			return
		}
		first <- resp.StatusCode
	}()
	<-arrived
	resp, _, err := rawPost(context.Background(), s, 32)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	inFlight := s.Requests()
	require.Len(t, inFlight, 1, "the held request is not answered yet")
	assert.Equal(t, "32", inFlight[0].Params.Get("VlanId"))

	releaseOnce()
	require.Equal(t, http.StatusOK, <-first)
	vlans := []string{}
	for _, r := range s.Requests() {
		vlans = append(vlans, r.Params.Get("VlanId"))
	}
	assert.Equal(t, []string{"31", "32"}, vlans)
}
