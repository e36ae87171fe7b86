package benchmarks

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/expressconnect-go/expressconnect/benchmarks/internal/fixture"
)

// callsPerClient is how many calls TestEveryClientCreatesOverOneConnection makes per client.
const callsPerClient = 3

// TestEveryClientCreatesOverOneConnection makes each benchmarked client send the fixture
// request a few times and checks that each call got the created ID back, that the server
// verified every signature, and that the client kept its connection alive (at most one dial).
// The cases run one after another: they read the shared server's counters.
func TestEveryClientCreatesOverOneConnection(t *testing.T) {
	for _, cc := range clientCases() {
		t.Run(cc.name, func(t *testing.T) {
			before, err := loopback.stats()
			require.NoError(t, err)
			call, err := cc.newCaller(t, loopback.addr)
			require.NoError(t, err)
			for i := range callsPerClient {
				id, err := call(context.Background())
				require.NoError(t, err, "call %d", i+1)
				assert.Equal(t, fixture.VirtualPhysicalConnectionID, id, "call %d", i+1)
			}
			after, err := loopback.stats()
			require.NoError(t, err)
			assert.Equal(t, int64(callsPerClient), after.Verified-before.Verified, "verified requests")
			assert.Zero(t, after.Rejected-before.Rejected, "refused requests")
			// The second stats request comes on a fresh connection of its own; the client may
			// reuse one it kept from an earlier test (Tea's pool is process-wide), so at most one.
			assert.LessOrEqual(t, after.Connections-before.Connections-1, int64(1), "connections the client opened for %d calls", callsPerClient)
		})
	}
}
