package interop

import (
	"errors"
	"strconv"
	"testing"

	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/alibabacloud-go/tea/tea"
	teavpc "github.com/alibabacloud-go/vpc-20160428/v6/client"
	"github.com/stretchr/testify/require"
)

// TestTeaV2 drives the Tea SDK (vpc-20160428/v6) with SignatureAlgorithm "v2", the HMAC-SHA1
// RPC signature, through every scenario.
func TestTeaV2(t *testing.T) {
	runScenarios(t, rpcSignature, newTeaClient("v2"))
}

// TestTeaDefaultV3 drives the Tea SDK with its default signature, ACS3-HMAC-SHA256 (version
// 3), through every scenario: what a user of the Tea SDK gets without setting
// SignatureAlgorithm.
func TestTeaDefaultV3(t *testing.T) {
	runScenarios(t, v3Signature, newTeaClient(""))
}

// teaClient is the Tea SDK's client.
type teaClient struct{ c *teavpc.Client }

// newTeaClient returns the constructor of the Tea SDK's client with algorithm ("v2", or ""
// for the SDK's default).
func newTeaClient(algorithm string) newClientFunc {
	return func(t *testing.T, sts bool) client {
		cfg := &openapiutil.Config{
			AccessKeyId:     dara.String(keyID),
			AccessKeySecret: dara.String(keySecret),
			Endpoint:        dara.String(sandbox.host),
			Protocol:        dara.String("http"),
			RegionId:        dara.String(region),
		}
		if sts {
			cfg.AccessKeyId, cfg.AccessKeySecret, cfg.SecurityToken = dara.String(stsID), dara.String(stsSecret), dara.String(stsToken)
		}
		if algorithm != "" {
			cfg.SignatureAlgorithm = dara.String(algorithm)
		}
		c, err := teavpc.NewClient(cfg)
		require.NoError(t, err)
		return teaClient{c}
	}
}

// teaString returns a pointer to s, or nil for "" (a parameter not sent).
func teaString(s string) *string {
	if s == "" {
		return nil
	}
	return dara.String(s)
}

func (c teaClient) create(in createInput) (string, error) {
	uid, err := strconv.ParseInt(tenant, 10, 64)
	if err != nil {
		return "", err
	}
	spec := in.spec
	if spec == "" {
		spec = "50M"
	}
	resp, err := c.c.CreateVirtualPhysicalConnection(&teavpc.CreateVirtualPhysicalConnectionRequest{
		RegionId: dara.String(region), PhysicalConnectionId: dara.String(circuitID), VpconnAliUid: dara.Int64(uid),
		VlanId: dara.Int64(int64(in.vlan)), Spec: dara.String(spec), OrderMode: dara.String("PayByPhysicalConnectionOwner"),
		Token: teaString(in.token), DryRun: dara.Bool(in.dryRun),
	})
	if err != nil {
		return "", err
	}
	return dara.StringValue(resp.Body.VirtualPhysicalConnection), nil
}

func (c teaClient) list(in listInput) (page, error) {
	req := &teavpc.ListVirtualPhysicalConnectionsRequest{RegionId: dara.String(region), NextToken: teaString(in.nextToken),
		VirtualPhysicalConnectionIds: dara.StringSlice(in.ids)}
	if in.maxResults > 0 {
		req.MaxResults = dara.Int32(int32(in.maxResults))
	}
	resp, err := c.c.ListVirtualPhysicalConnections(req)
	if err != nil {
		return page{}, err
	}
	p := page{nextToken: dara.StringValue(resp.Body.NextToken), total: int(dara.Int32Value(resp.Body.TotalCount))}
	for _, e := range resp.Body.VirtualPhysicalConnections {
		p.ids = append(p.ids, dara.StringValue(e.PhysicalConnectionId))
		p.vlans = append(p.vlans, dara.StringValue(e.VlanId))
		p.statuses = append(p.statuses, dara.StringValue(e.VirtualPhysicalConnectionStatus))
	}
	return p, nil
}

func (c teaClient) update(in updateInput) error {
	_, err := c.c.UpdateVirtualPhysicalConnection(&teavpc.UpdateVirtualPhysicalConnectionRequest{
		RegionId: dara.String(region), InstanceId: dara.String(in.id), VlanId: dara.Int64(int64(in.vlan)),
		ExpectSpec: teaString(in.expectSpec), Token: teaString(in.token), DryRun: dara.Bool(in.dryRun),
	})
	return err
}

func (c teaClient) delete(id, clientToken string) error {
	_, err := c.c.DeletePhysicalConnection(&teavpc.DeletePhysicalConnectionRequest{
		RegionId: dara.String(region), PhysicalConnectionId: dara.String(id), ClientToken: teaString(clientToken),
	})
	return err
}

func (c teaClient) terminate(id, clientToken string) error {
	_, err := c.c.TerminatePhysicalConnection(&teavpc.TerminatePhysicalConnectionRequest{
		RegionId: dara.String(region), PhysicalConnectionId: dara.String(id), ClientToken: teaString(clientToken),
	})
	return err
}

func (c teaClient) cancel(id, clientToken string) error {
	_, err := c.c.CancelPhysicalConnection(&teavpc.CancelPhysicalConnectionRequest{
		RegionId: dara.String(region), PhysicalConnectionId: dara.String(id), ClientToken: teaString(clientToken),
	})
	return err
}

func (c teaClient) describe(id string) ([]row, error) {
	resp, err := c.c.DescribePhysicalConnections(&teavpc.DescribePhysicalConnectionsRequest{
		RegionId: dara.String(region),
		Filter:   []*teavpc.DescribePhysicalConnectionsRequestFilter{{Key: dara.String("PhysicalConnectionId"), Value: dara.StringSlice([]string{id})}},
	})
	if err != nil {
		return nil, err
	}
	var rows []row
	for _, e := range resp.Body.PhysicalConnectionSet.PhysicalConnectionType {
		r := row{id: dara.StringValue(e.PhysicalConnectionId), productType: dara.StringValue(e.ProductType),
			status: dara.StringValue(e.Status), parentID: dara.StringValue(e.ParentPhysicalConnectionId),
			vlan: dara.StringValue(e.VlanId), parentUID: dara.Int64Value(e.ParentPhysicalConnectionAliUid)}
		if e.Tags != nil {
			for _, tag := range e.Tags.Tags {
				r.tagKeys = append(r.tagKeys, dara.StringValue(tag.Key))
			}
		}
		rows = append(rows, r)
	}
	return rows, nil
}

// codeOf reads err as the Tea SDK's *tea.SDKError, which is what it returns for an error
// answer.
func (teaClient) codeOf(err error) (string, int, bool) {
	var e *tea.SDKError
	if !errors.As(err, &e) {
		return "", 0, false
	}
	return tea.StringValue(e.Code), tea.IntValue(e.StatusCode), true
}
