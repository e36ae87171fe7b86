package benchmarks

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/alibabacloud-go/tea/dara"
	teavpc "github.com/alibabacloud-go/vpc-20160428/v6/client"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	oldvpc "github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"

	"github.com/expressconnect-go/expressconnect"

	"github.com/expressconnect-go/expressconnect/benchmarks/internal/fixture"
)

// listed is what one list call gave: how many hosted connections the page held, the first
// one's ID, and the client's own decoded first element (a pointer into the page, so keeping
// it costs the benchmark nothing), which the correctness tests inspect.
type listed struct {
	count   int
	firstID string
	first   any
}

// lister asks for the fixture's page of ListVirtualPhysicalConnections once and decodes it.
type lister func(ctx context.Context) (listed, error)

// listCase is one way of listing, by the name the benchmarks use.
type listCase struct {
	name string
	// newLister builds the client for the server at addr, once per benchmark; idle
	// connections of the transports it creates are closed when tb ends.
	newLister func(tb testing.TB, addr string) (lister, error)
}

// listCases returns every client measured by BenchmarkList: this SDK and the two official SDKs.
func listCases() []listCase {
	return []listCase{
		{name: "sdk", newLister: newSDKLister},
		{name: "tea", newLister: newTeaLister},
		{name: "old", newLister: newOldLister},
	}
}

// newSDKLister returns this SDK's ListVirtualPhysicalConnections, over a transport like the
// full-call benchmarks'.
func newSDKLister(tb testing.TB, addr string) (lister, error) {
	client, err := newSDKClient(addr, &http.Client{Transport: newTransport(tb)})
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context) (listed, error) {
		resp, err := client.ListVirtualPhysicalConnections(ctx, &expressconnect.ListVirtualPhysicalConnectionsRequest{
			RegionID: fixture.RegionID, MaxResults: fixture.ListMaxResults,
		})
		if err != nil {
			return listed{}, fmt.Errorf("sdk: %w", err)
		}
		conns := resp.VirtualPhysicalConnections
		if len(conns) == 0 {
			return listed{}, nil
		}
		return listed{count: len(conns), firstID: conns[0].VirtualPhysicalConnectionID, first: &conns[0]}, nil
	}, nil
}

// newTeaLister returns the Tea SDK's ListVirtualPhysicalConnections, with SignatureAlgorithm
// "v2" as in the full-call benchmarks.
func newTeaLister(_ testing.TB, addr string) (lister, error) {
	client, err := newTeaClient(addr)
	if err != nil {
		return nil, err
	}
	return func(context.Context) (listed, error) {
		resp, err := client.ListVirtualPhysicalConnections(&teavpc.ListVirtualPhysicalConnectionsRequest{
			RegionId: dara.String(fixture.RegionID), MaxResults: dara.Int32(fixture.ListMaxResults),
		})
		if err != nil {
			return listed{}, fmt.Errorf("tea: %w", err)
		}
		if resp.Body == nil {
			return listed{}, fmt.Errorf("tea: no body in the answer")
		}
		conns := resp.Body.VirtualPhysicalConnections
		if len(conns) == 0 || conns[0] == nil {
			return listed{count: len(conns)}, nil
		}
		return listed{count: len(conns), firstID: dara.StringValue(conns[0].PhysicalConnectionId), first: conns[0]}, nil
	}, nil
}

// newOldLister returns the older SDK's ListVirtualPhysicalConnections.
func newOldLister(tb testing.TB, addr string) (lister, error) {
	client, err := newOldClient(tb)
	if err != nil {
		return nil, err
	}
	return func(context.Context) (listed, error) {
		req := oldvpc.CreateListVirtualPhysicalConnectionsRequest()
		req.RegionId = fixture.RegionID
		req.MaxResults = requests.NewInteger(fixture.ListMaxResults)
		req.Scheme = requests.HTTP
		req.Domain = addr
		resp, err := client.ListVirtualPhysicalConnections(req)
		if err != nil {
			return listed{}, fmt.Errorf("old: %w", err)
		}
		conns := resp.VirtualPhysicalConnections
		if len(conns) == 0 {
			return listed{}, nil
		}
		return listed{count: len(conns), firstID: conns[0].PhysicalConnectionId, first: &conns[0]}, nil
	}, nil
}
