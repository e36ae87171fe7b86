package benchmarks

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"testing"
	"time"

	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	"github.com/alibabacloud-go/tea/dara"
	teavpc "github.com/alibabacloud-go/vpc-20160428/v6/client"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	oldvpc "github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"

	"github.com/expressconnect-go/expressconnect/benchmarks/internal/fixture"
	"github.com/expressconnect-go/expressconnect/benchmarks/internal/floor"
)

// caller sends the fixture request once and returns the created hosted connection's ID.
type caller func(ctx context.Context) (string, error)

// clientCase is one way of sending the fixture request, by the name the benchmarks use.
type clientCase struct {
	name string
	// newCaller builds the client for the server at addr ("127.0.0.1:port"), once per
	// benchmark; the caller it returns is what each iteration runs. Idle connections of the
	// transports it creates are closed when tb ends.
	newCaller func(tb testing.TB, addr string) (caller, error)
}

// clientCases returns every client measured by the full-call benchmarks: the floor (already
// signed), the floor that signs on each call, this SDK, and the two official SDKs.
func clientCases() []clientCase {
	return []clientCase{
		{name: "floor", newCaller: newFloorCaller},
		{name: "floor-signed", newCaller: newSignedFloorCaller},
		{name: "sdk", newCaller: newSDKCaller},
		{name: "tea", newCaller: newTeaCaller},
		{name: "old", newCaller: newOldCaller},
	}
}

// maxIdleConnsPerHost is the idle pool every client gets, far above the benchmarks'
// parallelism, so that no client re-dials because its pool is too small (net/http's default
// is 2 per host).
const maxIdleConnsPerHost = 64

// newTransport returns a keep-alive transport like http.DefaultTransport with a large idle
// pool, whose idle connections are closed when tb ends. Every client that lets us pass a
// transport gets its own, so none shares connections.
func newTransport(tb testing.TB) *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = maxIdleConnsPerHost
	t.MaxIdleConnsPerHost = maxIdleConnsPerHost
	tb.Cleanup(t.CloseIdleConnections)
	return t
}

// createdBody is the part of the success answer the floor reads.
type createdBody struct {
	RequestID                   string `json:"RequestId"`
	VirtualPhysicalConnectionID string `json:"VirtualPhysicalConnection"`
}

// newFloorCaller returns the floor: a POST of a URL signed once, up front, sent with a plain
// http.Client, its JSON answer decoded into a two-field struct. The server does not refuse a
// repeated nonce, so one signature serves every iteration.
func newFloorCaller(tb testing.TB, addr string) (caller, error) {
	hc := &http.Client{Transport: newTransport(tb)}
	url := "http://" + addr + "/?" + floor.SignedQuery(http.MethodPost, fixture.Params(),
		fixture.AccessKeyID, fixture.AccessKeySecret, time.Now())
	return func(ctx context.Context) (string, error) {
		return postFloor(ctx, hc, url)
	}, nil
}

// newSignedFloorCaller returns the floor that signs on each call (fresh nonce and timestamp)
// with the plain standard-library signer of package floor.
func newSignedFloorCaller(tb testing.TB, addr string) (caller, error) {
	hc := &http.Client{Transport: newTransport(tb)}
	base := "http://" + addr + "/?"
	params := fixture.Params()
	return func(ctx context.Context) (string, error) {
		q := floor.SignedQuery(http.MethodPost, params, fixture.AccessKeyID, fixture.AccessKeySecret, time.Now())
		return postFloor(ctx, hc, base+q)
	}, nil
}

// postFloor sends an empty-bodied POST to url and returns the created ID from the answer.
func postFloor(ctx context.Context, hc *http.Client, url string) (string, error) {
	var out createdBody
	if err := postFloorJSON(ctx, hc, url, &out, json.Unmarshal); err != nil {
		return "", err
	}
	return out.VirtualPhysicalConnectionID, nil
}

// newTeaCaller returns the Tea SDK (vpc-20160428/v6) with SignatureAlgorithm "v2", the
// HMAC-SHA1 RPC path. Its HTTP client is the SDK's own: dara keeps one http.Client per
// (timeouts, proxy, host) in a process-wide pool and gives it a transport on the first call;
// MaxIdleConns sets that transport's per-host idle pool (default 2). It builds, and throws
// away, a new http.Transport on every call all the same. That pooled transport is shared by
// every Tea client of the process and stays open until the process ends.
func newTeaCaller(_ testing.TB, addr string) (caller, error) {
	client, err := newTeaClient(addr)
	if err != nil {
		return nil, err
	}
	uid, err := strconv.ParseInt(fixture.VpconnAliUID, 10, 64)
	if err != nil {
		return nil, fmt.Errorf("tea: %w", err)
	}
	return func(context.Context) (string, error) {
		resp, err := client.CreateVirtualPhysicalConnection(newTeaRequest(uid, fixture.Tags()))
		if err != nil {
			return "", fmt.Errorf("tea: %w", err)
		}
		if resp.Body == nil {
			return "", fmt.Errorf("tea: no body in the answer")
		}
		return dara.StringValue(resp.Body.VirtualPhysicalConnection), nil
	}, nil
}

// newTeaClient returns the Tea SDK's client for the server at addr, with the fixture
// credentials and SignatureAlgorithm "v2" (HMAC-SHA1 RPC signing, which the server verifies).
func newTeaClient(addr string) (*teavpc.Client, error) {
	client, err := teavpc.NewClient(&openapiutil.Config{
		AccessKeyId:        dara.String(fixture.AccessKeyID),
		AccessKeySecret:    dara.String(fixture.AccessKeySecret),
		Endpoint:           dara.String(addr),
		Protocol:           dara.String("http"),
		RegionId:           dara.String(fixture.RegionID),
		SignatureAlgorithm: dara.String("v2"),
		MaxIdleConns:       dara.Int(maxIdleConnsPerHost),
	})
	if err != nil {
		return nil, fmt.Errorf("tea: new client: %w", err)
	}
	return client, nil
}

// newTeaRequest builds the fixture request for the Tea SDK.
func newTeaRequest(uid int64, tags []fixture.Tag) *teavpc.CreateVirtualPhysicalConnectionRequest {
	teaTags := make([]*teavpc.CreateVirtualPhysicalConnectionRequestTag, len(tags))
	for i, t := range tags {
		teaTags[i] = &teavpc.CreateVirtualPhysicalConnectionRequestTag{Key: dara.String(t.Key), Value: dara.String(t.Value)}
	}
	return &teavpc.CreateVirtualPhysicalConnectionRequest{
		RegionId:             dara.String(fixture.RegionID),
		PhysicalConnectionId: dara.String(fixture.PhysicalConnectionID),
		VpconnAliUid:         dara.Int64(uid),
		VlanId:               dara.Int64(fixture.VLANID),
		Spec:                 dara.String(fixture.Spec),
		OrderMode:            dara.String(fixture.OrderMode),
		Name:                 dara.String(fixture.Name),
		Description:          dara.String(fixture.Description),
		Token:                dara.String(fixture.Token),
		DryRun:               dara.Bool(fixture.DryRun),
		ResourceGroupId:      dara.String(fixture.ResourceGroupID),
		Tag:                  teaTags,
	}
}

// newOldCaller returns the older SDK (alibaba-cloud-sdk-go services/vpc). Left alone it creates
// its transport on the first call (net/http defaults, 2 idle connections per host); we hand it
// one with the same large pool as the others. It rewrites the transport's DialContext and the
// client's Timeout on every call (so its parallel benchmark is racy by design of that SDK), but
// keeps the connection pool.
func newOldCaller(tb testing.TB, addr string) (caller, error) {
	client, err := newOldClient(tb)
	if err != nil {
		return nil, err
	}
	return func(context.Context) (string, error) {
		req := newOldRequest(fixture.Tags())
		req.Scheme = requests.HTTP
		req.Domain = addr
		resp, err := client.CreateVirtualPhysicalConnection(req)
		if err != nil {
			return "", fmt.Errorf("old: %w", err)
		}
		return resp.VirtualPhysicalConnection, nil
	}, nil
}

// newOldClient returns the older SDK's client with the fixture credentials and a transport of
// its own, whose idle connections are closed when tb ends. Requests name the server
// themselves (Domain), as that SDK wants.
func newOldClient(tb testing.TB) (*oldvpc.Client, error) {
	client, err := oldvpc.NewClientWithAccessKey(fixture.RegionID, fixture.AccessKeyID, fixture.AccessKeySecret)
	if err != nil {
		return nil, fmt.Errorf("old: new client: %w", err)
	}
	client.SetTransport(newTransport(tb))
	return client, nil
}

// newOldRequest builds the fixture request for the older SDK.
func newOldRequest(tags []fixture.Tag) *oldvpc.CreateVirtualPhysicalConnectionRequest {
	req := oldvpc.CreateCreateVirtualPhysicalConnectionRequest()
	req.RegionId = fixture.RegionID
	req.PhysicalConnectionId = fixture.PhysicalConnectionID
	req.VpconnAliUid = requests.Integer(fixture.VpconnAliUID)
	req.VlanId = requests.NewInteger(fixture.VLANID)
	req.Spec = fixture.Spec
	req.OrderMode = fixture.OrderMode
	req.Name = fixture.Name
	req.Description = fixture.Description
	req.Token = fixture.Token
	req.DryRun = requests.NewBoolean(fixture.DryRun)
	req.ResourceGroupId = fixture.ResourceGroupID
	oldTags := make([]oldvpc.CreateVirtualPhysicalConnectionTag, len(tags))
	for i, t := range tags {
		oldTags[i] = oldvpc.CreateVirtualPhysicalConnectionTag{Key: t.Key, Value: t.Value}
	}
	req.Tag = &oldTags
	return req
}
