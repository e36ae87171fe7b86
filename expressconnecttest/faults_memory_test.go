package expressconnecttest_test

import (
	"context"
	"net/http"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/expressconnect-go/expressconnect/expressconnecttest"
)

// TestInjectManyFaults checks that injecting a fault for a huge number of requests costs
// memory for one entry, not one per request, and still counts them down. It is not parallel:
// it reads the process's allocation counter.
func TestInjectManyFaults(t *testing.T) {
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{})
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	admin(t, s).InjectFaults(1<<20, expressconnecttest.Fault{Kind: expressconnecttest.FaultThrottle})
	runtime.ReadMemStats(&after)
	assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(1<<20), "bytes allocated by InjectFaults(1<<20, f)")

	admin(t, s).ClearFaults()
	admin(t, s).InjectFaults(2, expressconnecttest.Fault{Kind: expressconnecttest.FaultThrottle})
	admin(t, s).InjectFaults(0, expressconnecttest.Fault{Kind: expressconnecttest.FaultError, StatusCode: 500})
	admin(t, s).InjectFaults(-1, expressconnecttest.Fault{Kind: expressconnecttest.FaultError, StatusCode: 500})
	admin(t, s).InjectFaults(1, expressconnecttest.Fault{Kind: expressconnecttest.FaultBadGateway})
	statuses := []int{}
	for vlan := range 4 {
		resp, _, err := rawPost(context.Background(), s, 20+vlan)
		require.NoError(t, err)
		statuses = append(statuses, resp.StatusCode)
	}
	assert.Equal(t, []int{http.StatusBadRequest, http.StatusBadRequest, http.StatusBadGateway, http.StatusOK}, statuses)
}
