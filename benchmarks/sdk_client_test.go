package benchmarks

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/expressconnect-go/expressconnect"

	"github.com/expressconnect-go/expressconnect/benchmarks/internal/fixture"
)

// newSDKCaller returns this SDK's client, sending over its own keep-alive transport with the
// same settings as the floor's.
func newSDKCaller(tb testing.TB, addr string) (caller, error) {
	return newSDKCallerWith(addr, &http.Client{Transport: newTransport(tb)}, fixture.Tags())
}

// newSDKClient returns this SDK's client for the server at addr, sending through hc with the
// fixture credentials.
func newSDKClient(addr string, hc *http.Client) (*expressconnect.Client, error) {
	client, err := expressconnect.NewClient(
		expressconnect.WithRegion(fixture.RegionID),
		expressconnect.WithEndpoint("http://"+addr),
		expressconnect.WithAccessKey(fixture.AccessKeyID, fixture.AccessKeySecret),
		expressconnect.WithHTTPClient(hc),
	)
	if err != nil {
		return nil, fmt.Errorf("sdk: new client: %w", err)
	}
	return client, nil
}

// newSDKCallerWith returns this SDK's client sending the fixture request with tags through hc.
func newSDKCallerWith(addr string, hc *http.Client, tags []fixture.Tag) (caller, error) {
	client, err := newSDKClient(addr, hc)
	if err != nil {
		return nil, err
	}
	sdkTags := make([]expressconnect.Tag, len(tags))
	for i, t := range tags {
		sdkTags[i] = expressconnect.Tag{Key: t.Key, Value: t.Value}
	}
	return func(ctx context.Context) (string, error) {
		resp, err := client.CreateVirtualPhysicalConnection(ctx, newSDKRequest(sdkTags))
		if err != nil {
			return "", fmt.Errorf("sdk: %w", err)
		}
		return resp.VirtualPhysicalConnectionID, nil
	}, nil
}

// newSDKRequest builds the fixture request for this SDK. The tags slice is shared, read-only.
func newSDKRequest(tags []expressconnect.Tag) *expressconnect.CreateVirtualPhysicalConnectionRequest {
	return &expressconnect.CreateVirtualPhysicalConnectionRequest{
		RegionID:             fixture.RegionID,
		PhysicalConnectionID: fixture.PhysicalConnectionID,
		VpconnAliUID:         fixture.VpconnAliUID,
		VLANID:               expressconnect.VLAN(fixture.VLANID),
		Spec:                 expressconnect.Spec(fixture.Spec),
		OrderMode:            expressconnect.OrderMode(fixture.OrderMode),
		Name:                 fixture.Name,
		Description:          fixture.Description,
		Token:                fixture.Token,
		DryRun:               fixture.DryRun,
		ResourceGroupID:      fixture.ResourceGroupID,
		Tags:                 tags,
	}
}
