package benchmarks

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alibabacloud-go/tea/dara"
	teavpc "github.com/alibabacloud-go/vpc-20160428/v6/client"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	oldvpc "github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"
	"github.com/stretchr/testify/require"

	"github.com/expressconnect-go/expressconnect"

	"github.com/expressconnect-go/expressconnect/benchmarks/internal/benchserver"
	"github.com/expressconnect-go/expressconnect/benchmarks/internal/fixture"
)

// scaleEnv, set to 1, runs TestScale; unset, it is skipped, so that go test stays quick.
// run.sh sets it.
const scaleEnv = "EXPRESSCONNECT_SCALE"

// heapUse is what a run did to the heap, from runtime/metrics.
type heapUse struct {
	// peak is the most heap in use (objects, live or not yet swept) that a sampler saw, every
	// millisecond, above what was in use when the run started.
	peak uint64
	// live is the most heap found live at the end of a garbage collection during the run,
	// above that at its start: what the run kept, rather than what it had not yet freed.
	live uint64
	// allocated is what the run allocated in all.
	allocated uint64
}

// Names of the runtime/metrics samples measureHeap reads.
const (
	metricInUse     = "/memory/classes/heap/objects:bytes"
	metricLive      = "/gc/heap/live:bytes"
	metricAllocated = "/gc/heap/allocs:bytes"
)

// measureHeap runs f after a garbage collection and returns how long it took and what it did
// to the heap.
func measureHeap(f func()) (time.Duration, heapUse) {
	samples := []metrics.Sample{{Name: metricInUse}, {Name: metricLive}, {Name: metricAllocated}}
	read := func() (inUse, live, allocated uint64) {
		metrics.Read(samples)
		return samples[0].Value.Uint64(), samples[1].Value.Uint64(), samples[2].Value.Uint64()
	}
	runtime.GC()
	baseInUse, baseLive, baseAllocated := read()
	var mu sync.Mutex
	var use heapUse
	observe := func() {
		inUse, live, _ := read()
		mu.Lock()
		defer mu.Unlock()
		if inUse > baseInUse {
			use.peak = max(use.peak, inUse-baseInUse)
		}
		if live > baseLive {
			use.live = max(use.live, live-baseLive)
		}
	}
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				observe()
			}
		}
	}()
	start := time.Now()
	f()
	elapsed := time.Since(start)
	close(stop)
	<-sampled
	observe()
	_, _, allocated := read()
	use.allocated = allocated - baseAllocated
	return elapsed, use
}

// scaleLister lists every hosted connection of a circuit, page after page of 100, and
// returns how many it saw, keeping none.
type scaleLister func(ctx context.Context, circuit string) (int, error)

// scalePoller polls the hosted connections ids of a circuit, 20 to a List call, until each is
// accepted, and returns how many List calls it sent.
type scalePoller func(ctx context.Context, circuit string, ids []string) (int, error)

// scaleClient is one client of the scale runs.
type scaleClient struct {
	name string
	list scaleLister
	poll scalePoller
}

// scaleClients returns this SDK (ListAllVirtualPhysicalConnections and
// WaitVirtualPhysicalConnections) and the two official SDKs, paging and polling by hand.
func scaleClients(t *testing.T) []scaleClient {
	t.Helper()
	sdk, err := newSDKClient(loopback.addr, &http.Client{Transport: newTransport(t)})
	require.NoError(t, err)
	tea, err := newTeaClient(loopback.addr)
	require.NoError(t, err)
	old, err := newOldClient(t)
	require.NoError(t, err)
	return []scaleClient{
		{name: "sdk", list: sdkListAll(sdk), poll: sdkWait(sdk)},
		{name: "tea", list: teaListAll(tea), poll: handPoll(teaByIDs(tea))},
		{name: "old", list: oldListAll(old), poll: handPoll(oldByIDs(old))},
	}
}

// sdkListAll lists with ListAllVirtualPhysicalConnections.
func sdkListAll(c *expressconnect.Client) scaleLister {
	return func(ctx context.Context, circuit string) (int, error) {
		n := 0
		for _, err := range c.ListAllVirtualPhysicalConnections(ctx, &expressconnect.ListVirtualPhysicalConnectionsRequest{
			RegionID: fixture.RegionID, PhysicalConnectionID: circuit, MaxResults: 100}) {
			if err != nil {
				return n, err
			}
			n++
		}
		return n, nil
	}
}

// sdkWait polls with WaitVirtualPhysicalConnections, a millisecond between rounds.
func sdkWait(c *expressconnect.Client) scalePoller {
	return func(ctx context.Context, circuit string, ids []string) (int, error) {
		resp, err := c.WaitVirtualPhysicalConnections(ctx, &expressconnect.WaitRequest{
			RegionID: fixture.RegionID, PhysicalConnectionID: circuit, VirtualPhysicalConnectionIDs: ids,
			Until: expressconnect.IsAccepted, MinDelay: time.Millisecond, MaxDelay: time.Millisecond,
		})
		if err != nil {
			return 0, err
		}
		return resp.Polls, nil
	}
}

// teaListAll pages through the circuit with the Tea SDK, by NextToken.
func teaListAll(c *teavpc.Client) scaleLister {
	return func(_ context.Context, circuit string) (int, error) {
		n, token := 0, ""
		for {
			resp, err := c.ListVirtualPhysicalConnections(&teavpc.ListVirtualPhysicalConnectionsRequest{
				RegionId: dara.String(fixture.RegionID), PhysicalConnectionId: dara.String(circuit),
				MaxResults: dara.Int32(100), NextToken: dara.String(token)})
			if err != nil {
				return n, err
			}
			n += len(resp.Body.VirtualPhysicalConnections)
			if token = dara.StringValue(resp.Body.NextToken); token == "" {
				return n, nil
			}
		}
	}
}

// oldListAll pages through the circuit with the old SDK, by NextToken.
func oldListAll(c *oldvpc.Client) scaleLister {
	return func(_ context.Context, circuit string) (int, error) {
		n, token := 0, ""
		for {
			req := oldvpc.CreateListVirtualPhysicalConnectionsRequest()
			req.RegionId, req.PhysicalConnectionId, req.NextToken = fixture.RegionID, circuit, token
			req.MaxResults = requests.NewInteger(100)
			req.Scheme, req.Domain = requests.HTTP, loopback.addr
			resp, err := c.ListVirtualPhysicalConnections(req)
			if err != nil {
				return n, err
			}
			n += len(resp.VirtualPhysicalConnections)
			if token = resp.NextToken; token == "" {
				return n, nil
			}
		}
	}
}

// byIDs lists the hosted connections ids (at most 20) of a circuit and returns those accepted.
type byIDs func(circuit string, ids []string) (map[string]bool, error)

// handPoll polls by hand as a caller of an official SDK would: every pending hosted connection
// once a round, 20 to a List call, until each is accepted, without waiting between rounds.
func handPoll(list byIDs) scalePoller {
	return func(_ context.Context, circuit string, ids []string) (int, error) {
		pending, calls := ids, 0
		for len(pending) > 0 {
			var still []string
			for from := 0; from < len(pending); from += 20 {
				batch := pending[from:min(from+20, len(pending))]
				calls++
				accepted, err := list(circuit, batch)
				if err != nil {
					return calls, err
				}
				for _, id := range batch {
					if !accepted[id] {
						still = append(still, id)
					}
				}
			}
			pending = still
		}
		return calls, nil
	}
}

// teaByIDs lists by ID with the Tea SDK.
func teaByIDs(c *teavpc.Client) byIDs {
	return func(circuit string, ids []string) (map[string]bool, error) {
		resp, err := c.ListVirtualPhysicalConnections(&teavpc.ListVirtualPhysicalConnectionsRequest{
			RegionId: dara.String(fixture.RegionID), PhysicalConnectionId: dara.String(circuit),
			VirtualPhysicalConnectionIds: dara.StringSlice(ids), MaxResults: dara.Int32(int32(len(ids)))})
		if err != nil {
			return nil, err
		}
		accepted := map[string]bool{}
		for _, c := range resp.Body.VirtualPhysicalConnections {
			accepted[dara.StringValue(c.PhysicalConnectionId)] = dara.StringValue(c.VirtualPhysicalConnectionStatus) == "Confirmed"
		}
		return accepted, nil
	}
}

// oldByIDs lists by ID with the old SDK.
func oldByIDs(c *oldvpc.Client) byIDs {
	return func(circuit string, ids []string) (map[string]bool, error) {
		req := oldvpc.CreateListVirtualPhysicalConnectionsRequest()
		req.RegionId, req.PhysicalConnectionId = fixture.RegionID, circuit
		req.VirtualPhysicalConnectionIds = &ids
		req.MaxResults = requests.NewInteger(len(ids))
		req.Scheme, req.Domain = requests.HTTP, loopback.addr
		resp, err := c.ListVirtualPhysicalConnections(req)
		if err != nil {
			return nil, err
		}
		accepted := map[string]bool{}
		for _, c := range resp.VirtualPhysicalConnections {
			accepted[c.PhysicalConnectionId] = c.VirtualPhysicalConnectionStatus == "Confirmed"
		}
		return accepted, nil
	}
}

// scaleSizes are the circuits' sizes the ListAll runs list.
var scaleSizes = []int{1_000, 10_000, 100_000}

// waitPending is how many pending hosted connections the wait runs poll.
const waitPending = 1_000

// TestScale lists circuits of 1,000, 10,000 and 100,000 hosted connections with each client,
// and polls 1,000 pending hosted connections until they are accepted, and reports time and
// heap. The loopback server makes the pages up on the fly (benchserver's scale circuits).
func TestScale(t *testing.T) {
	if os.Getenv(scaleEnv) != "1" {
		t.Skipf("set %s=1 to run it", scaleEnv)
	}
	ctx := context.Background()
	clients := scaleClients(t)
	var b strings.Builder
	b.WriteString("ListAll: every hosted connection of a circuit, pages of 100 (the official SDKs paging by hand), none kept\n\n")
	b.WriteString("| client | connections | time | µs/connection | peak heap in use | bytes/connection | max live heap at a GC | allocated/connection |\n")
	b.WriteString("|---|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, n := range scaleSizes {
		for _, c := range clients {
			var listed int
			var err error
			elapsed, use := measureHeap(func() { listed, err = c.list(ctx, benchserver.ScaleCircuit(n)) })
			require.NoError(t, err, "%s listing %d", c.name, n)
			require.Equal(t, n, listed, c.name)
			fmt.Fprintf(&b, "| %s | %s | %s | %.1f | %s | %s | %s | %s |\n", c.name, count(n), elapsed.Round(time.Millisecond),
				float64(elapsed.Microseconds())/float64(n), mib(use.peak), count(int(use.peak)/n), mib(use.live), count(int(use.allocated)/n))
		}
	}
	first, after := defaultRoundsPerMinute()
	fmt.Fprintf(&b, "\nBatch wait: %s pending hosted connections, polled 20 to a List call until each is accepted (each is pending for "+
		"its first %d reads; this SDK's WaitVirtualPhysicalConnections, which also sends one DescribePhysicalConnections first, and the "+
		"official SDKs polling by hand; rounds a millisecond apart here). List calls a minute on the default schedule (%v to %v between "+
		"rounds): %.1f rounds in the first minute, %.2f a minute after.\n\n",
		count(waitPending), benchserver.ScalePendingPolls, expressconnect.DefaultMinDelay, expressconnect.DefaultMaxDelay, first, after)
	b.WriteString("| client | rounds | List calls | List calls/round | time/round | peak heap in use | List calls/min, first minute | List calls/min, after |\n")
	b.WriteString("|---|---:|---:|---:|---:|---:|---:|---:|\n")
	for i, c := range clients {
		circuit := benchserver.ScaleCircuit(waitPending + i) // fresh hosted connections for each client
		ids := make([]string, waitPending)
		for k := range ids {
			ids[k] = benchserver.ScaleID(waitPending+i, k)
		}
		var calls int
		var err error
		elapsed, use := measureHeap(func() { calls, err = c.poll(ctx, circuit, ids) })
		require.NoError(t, err, c.name)
		rounds := benchserver.ScalePendingPolls + 1
		perRound := float64(calls) / float64(rounds)
		fmt.Fprintf(&b, "| %s | %d | %d | %.0f | %s | %s | %.0f | %.0f |\n", c.name, rounds, calls, perRound,
			(elapsed / time.Duration(rounds)).Round(time.Millisecond), mib(use.peak), perRound*first, perRound*after)
	}
	writeTable(t, "scale.md", b.String())
}

// defaultRoundsPerMinute returns how many poll rounds WaitVirtualPhysicalConnections sends, on
// average, in its first minute and in each minute after, on the default schedule: the first
// round at once, then waits that double from DefaultMinDelay up to DefaultMaxDelay, each a
// random time between half and all of its ceiling (three quarters of it on average).
func defaultRoundsPerMinute() (first, after float64) {
	at, ceiling := time.Duration(0), expressconnect.DefaultMinDelay
	for at < time.Minute {
		first++
		at += ceiling * 3 / 4
		ceiling = min(2*ceiling, expressconnect.DefaultMaxDelay)
	}
	return first, float64(time.Minute) / float64(expressconnect.DefaultMaxDelay*3/4)
}

// mib formats bytes in MiB.
func mib(b uint64) string { return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20)) }

// count formats n with thousands separators.
func count(n int) string {
	s := fmt.Sprint(n)
	var out []byte
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	return string(out)
}
