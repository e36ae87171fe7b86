package expressconnecttest_test

import (
	"context"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/expressconnect-go/expressconnect"
	"github.com/expressconnect-go/expressconnect/expressconnecttest"
)

// TestHeapStaysBoundedUnderLargeRequests sends a few thousand unsigned requests (which the
// server records too) with large form bodies and large queries to a server with its default
// settings, and checks that the heap it retains afterwards grows by a bounded amount rather
// than by what the requests carried (about 700 MiB). It is not parallel: it reads the process's heap
// statistics.
func TestHeapStaysBoundedUnderLargeRequests(t *testing.T) {
	const (
		requests   = 3000
		bodyBytes  = 256 << 10
		queryBytes = 60 << 10
		maxGrowth  = 64 << 20
	)
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{})
	client := &http.Client{Timeout: 30 * time.Second}
	send := func(i int) *http.Request {
		p := validParams(s)
		p.Set("Description", strings.Repeat("d", bodyBytes)) // unsigned: signing it is slow
		// One in ten is query-heavy, as the official SDKs send every parameter in the query,
		// with as much as the server reads of a request line and headers (64 KiB).
		if i%10 == 0 {
			p.Set("Description", strings.Repeat("d", queryBytes))
			req, err := http.NewRequest(http.MethodPost, s.URL()+"/?"+encode(p), nil)
			require.NoError(t, err)
			return req
		}
		req, err := http.NewRequest(http.MethodPost, s.URL()+"/", strings.NewReader(encode(p)))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		return req
	}

	before := retainedHeap()
	for i := range requests {
		r, err := doWith(client, send(i))
		require.NoError(t, err, "request %d", i)
		require.Equal(t, string(expressconnect.CodeIncompleteSignature), r.code(), "request %d: %s", i, r.Raw)
	}
	client.CloseIdleConnections()
	after := retainedHeap()

	growth := int64(after) - int64(before)
	t.Logf("heap retained: %d KiB before, %d KiB after", before>>10, after>>10)
	assert.Less(t, growth, int64(maxGrowth), "heap retained after %d requests of %d KiB", requests, bodyBytes>>10)
	page, err := s.Admin().Requests(context.Background(), 0, 0)
	require.NoError(t, err)
	assert.Len(t, page.Requests, expressconnecttest.DefaultRequestLogSize)
	assert.Equal(t, uint64(requests-expressconnecttest.DefaultRequestLogSize), page.Dropped)
	runtime.KeepAlive(s)
}

// retainedHeap collects garbage and returns the bytes of live heap objects.
func retainedHeap() uint64 {
	var m runtime.MemStats
	runtime.GC()
	runtime.GC() // a second cycle frees what finalizers of the first released
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}
