package expressconnecttest_test

import (
	"net/http"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/expressconnect-go/expressconnect"
	"github.com/expressconnect-go/expressconnect/expressconnecttest"
)

// TestRequestObserver checks that the observer of WithRequestObserver gets the record of every
// request, a faulted one included, with its answer, by the time the client has the answer.
func TestRequestObserver(t *testing.T) {
	t.Parallel()
	var (
		mu   sync.Mutex
		seen []expressconnecttest.Request
	)
	s := expressconnecttest.NewTestServer(t, expressconnecttest.WithRequestObserver(func(r expressconnecttest.Request) {
		mu.Lock()
		defer mu.Unlock()
		seen = append(seen, r)
	}))
	observed := func() []expressconnecttest.Request {
		mu.Lock()
		defer mu.Unlock()
		return append([]expressconnecttest.Request(nil), seen...)
	}

	created := post(t, s, validParams(s))
	require.Equal(t, http.StatusOK, created.Status, created.Raw)
	got := observed()
	require.Len(t, got, 1, "observed before the answer reached the client")
	assert.Equal(t, created.str("RequestId"), got[0].RequestID)
	assert.Equal(t, http.StatusOK, got[0].StatusCode)
	assert.Equal(t, created.str("VirtualPhysicalConnection"), got[0].ConnectionID)
	assert.Equal(t, "<redacted>", got[0].Params.Get("Signature"), "the record the log keeps")

	s.InjectFaults(1, expressconnecttest.Fault{Kind: expressconnecttest.FaultThrottle})
	p := validParams(s)
	p.Set("VlanId", "11")
	throttled := post(t, s, p)
	require.Equal(t, http.StatusBadRequest, throttled.Status, throttled.Raw)
	got = observed()
	require.Len(t, got, 2)
	assert.Equal(t, expressconnect.CodeThrottlingUser, got[1].Code)
	assert.Equal(t, expressconnecttest.FaultThrottle, got[1].Fault)
}
