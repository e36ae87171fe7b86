package interop

import (
	"errors"
	"strconv"
	"testing"

	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	oldvpc "github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"
	"github.com/stretchr/testify/require"
)

// TestOldSDK drives the older SDK (alibaba-cloud-sdk-go, services/vpc) through every scenario.
func TestOldSDK(t *testing.T) {
	runScenarios(t, rpcSignature, newOldClient)
}

// oldClient is the older SDK's client. Each request names the sandbox itself (Domain and
// Scheme), as that SDK wants.
type oldClient struct{ c *oldvpc.Client }

// newOldClient returns the older SDK's client for the sandbox.
func newOldClient(t *testing.T, sts bool) client {
	var c *oldvpc.Client
	var err error
	if sts {
		c, err = oldvpc.NewClientWithStsToken(region, stsID, stsSecret, stsToken)
	} else {
		c, err = oldvpc.NewClientWithAccessKey(region, keyID, keySecret)
	}
	require.NoError(t, err)
	t.Cleanup(c.Shutdown)
	return oldClient{c}
}

// toSandbox points the request at the sandbox.
func toSandbox(r *requests.RpcRequest) {
	r.Scheme = requests.HTTP
	r.Domain = sandbox.host
	r.RegionId = region
}

func (c oldClient) create(in createInput) (string, error) {
	req := oldvpc.CreateCreateVirtualPhysicalConnectionRequest()
	toSandbox(req.RpcRequest)
	req.PhysicalConnectionId = circuitID
	req.VpconnAliUid = requests.Integer(tenant)
	req.VlanId = requests.NewInteger(in.vlan)
	req.Spec = in.spec
	if req.Spec == "" {
		req.Spec = "50M"
	}
	req.OrderMode = "PayByPhysicalConnectionOwner"
	req.Token = in.token
	req.DryRun = requests.NewBoolean(in.dryRun)
	resp, err := c.c.CreateVirtualPhysicalConnection(req)
	if err != nil {
		return "", err
	}
	return resp.VirtualPhysicalConnection, nil
}

func (c oldClient) list(in listInput) (page, error) {
	req := oldvpc.CreateListVirtualPhysicalConnectionsRequest()
	toSandbox(req.RpcRequest)
	req.NextToken = in.nextToken
	if len(in.ids) > 0 {
		req.VirtualPhysicalConnectionIds = &in.ids
	}
	if in.maxResults > 0 {
		req.MaxResults = requests.NewInteger(in.maxResults)
	}
	resp, err := c.c.ListVirtualPhysicalConnections(req)
	if err != nil {
		return page{}, err
	}
	p := page{nextToken: resp.NextToken, total: resp.TotalCount}
	for _, e := range resp.VirtualPhysicalConnections {
		p.ids = append(p.ids, e.PhysicalConnectionId)
		p.vlans = append(p.vlans, e.VlanId)
		p.statuses = append(p.statuses, e.VirtualPhysicalConnectionStatus)
	}
	return p, nil
}

func (c oldClient) update(in updateInput) error {
	req := oldvpc.CreateUpdateVirtualPhysicalConnectionRequest()
	toSandbox(req.RpcRequest)
	req.InstanceId = in.id
	req.VlanId = requests.Integer(strconv.Itoa(in.vlan))
	req.ExpectSpec = in.expectSpec
	req.Token = in.token
	req.DryRun = requests.NewBoolean(in.dryRun)
	_, err := c.c.UpdateVirtualPhysicalConnection(req)
	return err
}

func (c oldClient) delete(id, clientToken string) error {
	req := oldvpc.CreateDeletePhysicalConnectionRequest()
	toSandbox(req.RpcRequest)
	req.PhysicalConnectionId = id
	req.ClientToken = clientToken
	_, err := c.c.DeletePhysicalConnection(req)
	return err
}

func (c oldClient) terminate(id, clientToken string) error {
	req := oldvpc.CreateTerminatePhysicalConnectionRequest()
	toSandbox(req.RpcRequest)
	req.PhysicalConnectionId = id
	req.ClientToken = clientToken
	_, err := c.c.TerminatePhysicalConnection(req)
	return err
}

func (c oldClient) cancel(id, clientToken string) error {
	req := oldvpc.CreateCancelPhysicalConnectionRequest()
	toSandbox(req.RpcRequest)
	req.PhysicalConnectionId = id
	req.ClientToken = clientToken
	_, err := c.c.CancelPhysicalConnection(req)
	return err
}

func (c oldClient) describe(id string) ([]row, error) {
	req := oldvpc.CreateDescribePhysicalConnectionsRequest()
	toSandbox(req.RpcRequest)
	req.Filter = &[]oldvpc.DescribePhysicalConnectionsFilter{{Key: "PhysicalConnectionId", Value: &[]string{id}}}
	resp, err := c.c.DescribePhysicalConnections(req)
	if err != nil {
		return nil, err
	}
	var rows []row
	for _, e := range resp.PhysicalConnectionSet.PhysicalConnectionType {
		r := row{id: e.PhysicalConnectionId, productType: e.ProductType, status: e.Status,
			parentID: e.ParentPhysicalConnectionId, vlan: e.VlanId, parentUID: e.ParentPhysicalConnectionAliUid}
		for _, tag := range e.Tags.TagsItem {
			r.tagKeys = append(r.tagKeys, tag.Key)
		}
		rows = append(rows, r)
	}
	return rows, nil
}

// codeOf reads err as the older SDK's *errors.ServerError, which is what it returns for an
// error answer.
func (oldClient) codeOf(err error) (string, int, bool) {
	var e *sdkerrors.ServerError
	if !errors.As(err, &e) {
		return "", 0, false
	}
	return e.ErrorCode(), e.HttpStatus(), true
}
