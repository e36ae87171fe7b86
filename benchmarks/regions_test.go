package benchmarks

import (
	"errors"
	"net/http"
	"os"
	"slices"
	"sync"
	"testing"

	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	"github.com/alibabacloud-go/tea/dara"
	teavpc "github.com/alibabacloud-go/vpc-20160428/v6/client"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/endpoints"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	oldvpc "github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/expressconnect-go/expressconnect"
	"github.com/expressconnect-go/expressconnect/benchmarks/internal/fixture"
)

// This file checks the root package's Regions and EndpointForRegion against the endpoint data
// of the official SDKs, read through their own exported functions and variables:
//
//   - the Tea SDK (vpc v6): its client's EndpointMap, and the Endpoint a client built for a
//     region ends up with (the map, else the rule vpc.<region>.aliyuncs.com);
//   - the old SDK's vpc client (services/vpc): its GetEndpointMap, and the host a client built
//     for a region sends to (the same map, else the same rule);
//   - the old SDK's endpoint configuration (sdk/endpoints, the regional_endpoints of product
//     "vpc"), which that SDK's generic client resolves with when it has no endpoint data of
//     its own. It sends several public regions to the central vpc.aliyuncs.com, where the two
//     vpc clients and this SDK use the regional endpoint: the regions are all known to this
//     SDK, and the differing hosts are listed in oldConfigCentralRegions.

// oldSDKModule is the old SDK's module at the version whose endpoint configuration
// oldConfigVPCRegions was copied from.
const oldSDKModule = "github.com/aliyun/alibaba-cloud-sdk-go v1.63.107"

// oldConfigVPCRegions are the regions of the regional_endpoints of product "vpc" in the old
// SDK's sdk/endpoints/endpoints_config.go (v1.63.107). That package exports a resolver for one
// region at a time but no list of them, so the names are copied here;
// TestOldEndpointConfigRegions checks each with that resolver, and TestOldSDKVersion fails
// when go.mod moves to a version whose list may differ.
var oldConfigVPCRegions = []string{
	"ap-south-1", "cn-beijing", "cn-shanghai", "cn-shenzhen", "ap-southeast-1", "ap-southeast-2",
	"ap-northeast-1", "cn-qingdao", "cn-hangzhou", "cn-hongkong", "cn-huhehaote", "me-east-1",
	"ap-southeast-5", "ap-southeast-3", "eu-central-1", "cn-zhangjiakou", "eu-west-1",
	"us-west-1", "us-east-1",
}

// oldConfigCentralRegions are the public regions that the old SDK's endpoint configuration
// sends to vpc.aliyuncs.com, while this SDK, the Tea SDK and the old SDK's vpc client send
// them to vpc.<region>.aliyuncs.com.
var oldConfigCentralRegions = []string{
	"cn-beijing", "cn-shanghai", "cn-shenzhen", "ap-southeast-1", "cn-qingdao", "cn-hongkong",
	"us-west-1", "us-east-1",
}

// centralEndpoint is the VPC endpoint that serves every region.
const centralEndpoint = "vpc.aliyuncs.com"

// newTeaRegionClient returns a Tea SDK client for region, with the endpoint it chose itself.
func newTeaRegionClient(t *testing.T, region string) *teavpc.Client {
	t.Helper()
	client, err := teavpc.NewClient(&openapiutil.Config{
		AccessKeyId:     dara.String(fixture.AccessKeyID),
		AccessKeySecret: dara.String(fixture.AccessKeySecret),
		RegionId:        dara.String(region),
	})
	require.NoError(t, err)
	return client
}

// TestRegionsCoverTeaEndpointMap checks that every region of the Tea SDK's EndpointMap is one
// this SDK knows, with the same endpoint.
func TestRegionsCoverTeaEndpointMap(t *testing.T) {
	t.Parallel()
	regions := expressconnect.Regions()
	endpointMap := newTeaRegionClient(t, fixture.RegionID).EndpointMap
	require.NotEmpty(t, endpointMap)
	for region, host := range endpointMap {
		assert.Contains(t, regions, region)
		assert.Equal(t, dara.StringValue(host), expressconnect.EndpointForRegion(region), "endpoint of %s", region)
	}
}

// TestEndpointForRegionMatchesTea checks that for every region this SDK knows, it sends to the
// endpoint the Tea SDK's client picks for that region.
func TestEndpointForRegionMatchesTea(t *testing.T) {
	t.Parallel()
	for _, region := range expressconnect.Regions() {
		client := newTeaRegionClient(t, region)
		assert.Equal(t, dara.StringValue(client.Endpoint), expressconnect.EndpointForRegion(region), "endpoint of %s", region)
	}
}

// TestRegionsCoverOldVPCEndpointMap checks that every region of the old SDK's vpc client data
// (services/vpc GetEndpointMap) is one this SDK knows, with the same endpoint.
func TestRegionsCoverOldVPCEndpointMap(t *testing.T) {
	t.Parallel()
	regions := expressconnect.Regions()
	endpointMap := oldvpc.GetEndpointMap()
	require.NotEmpty(t, endpointMap)
	for region, host := range endpointMap {
		assert.Contains(t, regions, region)
		assert.Equal(t, host, expressconnect.EndpointForRegion(region), "endpoint of %s", region)
	}
}

// errHostRecorded ends every request hostRecorder sees.
var errHostRecorded = errors.New("host recorded, request not sent")

// hostRecorder is an http.RoundTripper that notes the host of each request and sends nothing.
type hostRecorder struct {
	mu   sync.Mutex
	host string
}

// RoundTrip implements http.RoundTripper.
func (h *hostRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.host = req.URL.Host
	return nil, errHostRecorded
}

// TestEndpointForRegionMatchesOldVPCClient checks that for every region this SDK knows, it
// sends to the host the old SDK's vpc client sends to for that region.
func TestEndpointForRegionMatchesOldVPCClient(t *testing.T) {
	t.Parallel()
	for _, region := range expressconnect.Regions() {
		client, err := oldvpc.NewClientWithAccessKey(region, fixture.AccessKeyID, fixture.AccessKeySecret)
		require.NoError(t, err)
		rec := &hostRecorder{}
		client.SetTransport(rec)
		req := oldvpc.CreateListVirtualPhysicalConnectionsRequest()
		req.Scheme = requests.HTTP
		_, err = client.ListVirtualPhysicalConnections(req)
		require.ErrorIs(t, err, errHostRecorded, "region %s", region)
		rec.mu.Lock()
		assert.Equal(t, rec.host, expressconnect.EndpointForRegion(region), "endpoint of %s", region)
		rec.mu.Unlock()
	}
}

// resolveOldConfig returns the endpoint the old SDK's endpoint configuration gives product
// "vpc" in region, and whether it has one.
func resolveOldConfig(t *testing.T, region string) (string, bool) {
	t.Helper()
	host, ok, err := (&endpoints.LocalRegionalResolver{}).TryResolve(&endpoints.ResolveParam{Product: "vpc", RegionId: region})
	require.NoError(t, err)
	return host, ok
}

// TestOldEndpointConfigRegions checks that every region of the old SDK's endpoint
// configuration for product "vpc" is one this SDK knows, and that the hosts agree except for
// the documented oldConfigCentralRegions, which that configuration sends to vpc.aliyuncs.com.
func TestOldEndpointConfigRegions(t *testing.T) {
	t.Parallel()
	regions := expressconnect.Regions()
	for _, region := range oldConfigVPCRegions {
		host, ok := resolveOldConfig(t, region)
		require.True(t, ok, "the old SDK's endpoint configuration has no vpc endpoint for %s", region)
		assert.Contains(t, regions, region)
		if slices.Contains(oldConfigCentralRegions, region) {
			assert.Equal(t, centralEndpoint, host, "the old configuration's endpoint of %s", region)
			assert.Equal(t, "vpc."+region+".aliyuncs.com", expressconnect.EndpointForRegion(region), "endpoint of %s", region)
			continue
		}
		assert.Equal(t, host, expressconnect.EndpointForRegion(region), "endpoint of %s", region)
	}
}

// TestOldEndpointConfigListComplete checks the copied list from the other side: every region
// this SDK or the Tea SDK knows that the old configuration resolves is in oldConfigVPCRegions.
func TestOldEndpointConfigListComplete(t *testing.T) {
	t.Parallel()
	candidates := expressconnect.Regions()
	for region := range newTeaRegionClient(t, fixture.RegionID).EndpointMap {
		candidates = append(candidates, region)
	}
	for _, region := range candidates {
		if _, ok := resolveOldConfig(t, region); ok {
			assert.Contains(t, oldConfigVPCRegions, region)
		}
	}
	for _, region := range oldConfigCentralRegions {
		assert.Contains(t, oldConfigVPCRegions, region)
	}
}

// TestOldSDKVersion fails when go.mod requires another version of the old SDK than the one
// oldConfigVPCRegions was copied from: check the list against the new version's
// sdk/endpoints/endpoints_config.go, then update both.
func TestOldSDKVersion(t *testing.T) {
	t.Parallel()
	mod, err := os.ReadFile("go.mod")
	require.NoError(t, err)
	assert.Contains(t, string(mod), "\t"+oldSDKModule+"\n")
}
