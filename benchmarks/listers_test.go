package benchmarks

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/alibabacloud-go/tea/dara"
	teavpc "github.com/alibabacloud-go/vpc-20160428/v6/client"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	oldvpc "github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"
	jsonv2 "github.com/go-json-experiment/json"

	"github.com/expressconnect-go/expressconnect"

	"github.com/expressconnect-go/expressconnect/benchmarks/internal/fixture"
	"github.com/expressconnect-go/expressconnect/benchmarks/internal/floor"
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

// listCases returns every client measured by BenchmarkList: this SDK, the two official SDKs
// and the floor, with encoding/json and with the encoding/json/v2 engine this SDK decodes with.
func listCases() []listCase {
	return []listCase{
		{name: "sdk", newLister: newSDKLister},
		{name: "tea", newLister: newTeaLister},
		{name: "old", newLister: newOldLister},
		{name: "floor", newLister: floorLister(json.Unmarshal)},
		{name: "floor-v2", newLister: floorLister(func(b []byte, v any) error { return jsonv2.Unmarshal(b, v) })},
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

// floorPage is the least of the page the floor decodes: the RequestId, the NextToken and each
// hosted connection's ID, enough to follow the pages and check the answer.
type floorPage struct {
	RequestID                  string `json:"RequestId"`
	NextToken                  string
	VirtualPhysicalConnections []struct {
		PhysicalConnectionID string `json:"PhysicalConnectionId"`
	}
}

// floorLister returns a list floor: a POST of a ListVirtualPhysicalConnections URL signed
// once, up front, sent with a plain http.Client, its answer read with io.ReadAll and decoded
// with unmarshal into floorPage. It types nothing and checks nothing but the status: the
// least a caller could write to read the page's IDs. Its listed.first is nil.
func floorLister(unmarshal func([]byte, any) error) func(tb testing.TB, addr string) (lister, error) {
	return func(tb testing.TB, addr string) (lister, error) {
		return newFloorLister(tb, addr, unmarshal), nil
	}
}

func newFloorLister(tb testing.TB, addr string, unmarshal func([]byte, any) error) lister {
	hc := &http.Client{Transport: newTransport(tb)}
	url := "http://" + addr + "/?" + floor.SignedQueryFor(fixture.ListAction, http.MethodPost, fixture.ListParams(),
		fixture.AccessKeyID, fixture.AccessKeySecret, time.Now())
	return func(ctx context.Context) (listed, error) {
		var page floorPage
		if err := postFloorJSON(ctx, hc, url, &page, unmarshal); err != nil {
			return listed{}, err
		}
		conns := page.VirtualPhysicalConnections
		if len(conns) == 0 {
			return listed{}, nil
		}
		return listed{count: len(conns), firstID: conns[0].PhysicalConnectionID}, nil
	}
}

// postFloorJSON sends an empty-bodied POST to url and decodes its 200 answer into out with
// unmarshal.
func postFloorJSON(ctx context.Context, hc *http.Client, url string, out any, unmarshal func([]byte, any) error) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, nil)
	if err != nil {
		return fmt.Errorf("floor: %w", err)
	}
	resp, err := hc.Do(req)
	if err != nil {
		return fmt.Errorf("floor: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return fmt.Errorf("floor: read answer: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("floor: HTTP %d: %s", resp.StatusCode, body)
	}
	if err := unmarshal(body, out); err != nil {
		return fmt.Errorf("floor: decode answer: %w", err)
	}
	return nil
}
