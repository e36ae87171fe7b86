package expressconnect

import (
	"context"
	"fmt"
	"time"
)

// actionDescribe is the API action of [Client.DescribePhysicalConnection].
const actionDescribe = "DescribePhysicalConnections"

// The ProductType values of DescribePhysicalConnections and ListVirtualPhysicalConnections.
const (
	productCircuit = "PhysicalConnection"
	productHosted  = "VirtualPhysicalConnection"
)

// DescribePhysicalConnection reads one circuit, or one hosted connection, by its ID. It sends
// the API action DescribePhysicalConnections with the filter PhysicalConnectionId:
// https://www.alibabacloud.com/help/en/express-connect/developer-reference/api-describephysicalconnections
//
// For a partner's circuit it tells its state, its bandwidth and how many hosted connections it
// carries; the hosted-connection quota of a circuit is in no documented field (the service
// answers QuotaExceeded.VPCONN when it is reached). An ID the service does not return is an
// error in the [ErrNotFound] family. A call is retried as Create's are; it takes no
// idempotency token.
func (c *Client) DescribePhysicalConnection(ctx context.Context, req *DescribePhysicalConnectionRequest, opts ...CallOption) (*DescribePhysicalConnectionResponse, error) {
	resp, err := invoke[describeResponse](ctx, c, req, opts)
	if err != nil {
		return nil, err
	}
	for _, row := range resp.rows {
		if row.PhysicalConnectionID == req.PhysicalConnectionID {
			return &DescribePhysicalConnectionResponse{ResponseMetadata: resp.ResponseMetadata, PhysicalConnection: row}, nil
		}
	}
	return nil, fmt.Errorf("expressconnect: %s: %w: no circuit or hosted connection %s in the region (RequestId %s)",
		actionDescribe, ErrNotFound, req.PhysicalConnectionID, resp.RequestID)
}

// DescribePhysicalConnectionRequest holds the parameters of
// [Client.DescribePhysicalConnection].
type DescribePhysicalConnectionRequest struct {
	// RegionID is the region of the circuit (RegionId). Required; when empty the client's
	// region is used.
	RegionID string
	// PhysicalConnectionID is the circuit's (or a hosted connection's) ID, sent as the filter
	// Filter.1.Key=PhysicalConnectionId. Required.
	PhysicalConnectionID string
}

// DescribePhysicalConnectionResponse is the circuit or hosted connection that was read.
type DescribePhysicalConnectionResponse struct {
	ResponseMetadata
	PhysicalConnection
}

// PhysicalConnection is a circuit or a hosted connection as DescribePhysicalConnections
// describes it; ProductType says which. Fields the service left out are zero.
type PhysicalConnection struct {
	// PhysicalConnectionID is the ID, such as "pc-bp1...".
	PhysicalConnectionID string
	// ProductType is "PhysicalConnection" for a circuit and "VirtualPhysicalConnection" for a
	// hosted connection.
	ProductType string
	// Name and Description are as set at creation.
	Name, Description string
	// Status is the life-cycle state.
	Status Status
	// BusinessStatus is the billing state.
	BusinessStatus BusinessStatus
	// Bandwidth is the circuit's bandwidth in Mbit/s.
	Bandwidth int64
	// Spec is the bandwidth as a spec: a circuit's port class (such as "10G"), or a hosted
	// connection's Spec.
	Spec Spec
	// ExpectSpec is a hosted connection's bandwidth asked for with
	// UpdateVirtualPhysicalConnection; it becomes Spec once paid for.
	ExpectSpec Spec
	// VirtualPhysicalConnectionCount is how many hosted connections a circuit carries.
	VirtualPhysicalConnectionCount int
	// ParentPhysicalConnectionID is the circuit a hosted connection is on.
	ParentPhysicalConnectionID string
	// ParentPhysicalConnectionAliUID is the account ID of that circuit's owner, in decimal.
	ParentPhysicalConnectionAliUID string
	// VpconnStatus says whether the tenant has accepted a hosted connection.
	VpconnStatus VpconnStatus
	// VLANID is a hosted connection's VLAN; unset when the service sent none.
	VLANID VLANID
	// OrderMode says who pays for a hosted connection.
	OrderMode OrderMode
	// AccessPointID is the circuit's access point.
	AccessPointID string
	// LineOperator is the circuit's provider, such as "CU".
	LineOperator string
	// PortType is the type of the circuit's port, such as "10GBase-LR".
	PortType string
	// ChargeType is the billing method, such as "Prepaid".
	ChargeType string
	// CreationTime, EnabledTime and EndTime (expiry) are in UTC; zero when not sent.
	CreationTime, EnabledTime, EndTime time.Time
	// ResourceGroupID is the resource group.
	ResourceGroupID string
	// Unreadable holds, by wire name, the text of each field the client could not read, as
	// [VirtualPhysicalConnection.Unreadable] does; nil when every field was read.
	Unreadable map[string]string
}

// Wire names of the operation's own parameters.
const (
	paramFilterKey   = "Filter.1.Key"
	paramFilterValue = "Filter.1.Value.1"
)

func (r *DescribePhysicalConnectionRequest) action() string { return actionDescribe }

func (r *DescribePhysicalConnectionRequest) encode(e *encoder) {
	e.region(r.RegionID)
	e.required("PhysicalConnectionID", paramFilterValue, r.PhysicalConnectionID)
	e.put(paramFilterKey, paramPhysicalConnectionID)
}

// describeResponse is the answer of DescribePhysicalConnections: its rows, of which the
// method picks the one asked for.
type describeResponse struct {
	ResponseMetadata
	rows []PhysicalConnection
}

// describeBody is the documented success answer.
type describeBody struct {
	envelope
	PhysicalConnectionSet struct {
		PhysicalConnectionType []wireCircuitRow
	}
}

// wireCircuitRow is one row of DescribePhysicalConnections as sent.
type wireCircuitRow struct {
	PhysicalConnectionID           string `json:"PhysicalConnectionId"`
	ProductType                    string
	Name                           string
	Description                    string
	Status                         Status
	BusinessStatus                 BusinessStatus
	Bandwidth                      wireCount
	Spec                           Spec
	ExpectSpec                     Spec
	VirtualPhysicalConnectionCount wireCount
	ParentPhysicalConnectionID     string `json:"ParentPhysicalConnectionId"`
	ParentPhysicalConnectionAliUID wireUID
	VpconnStatus                   VpconnStatus
	VlanID                         wireVLAN `json:"VlanId"`
	OrderMode                      OrderMode
	AccessPointID                  string `json:"AccessPointId"`
	LineOperator                   string
	PortType                       string
	ChargeType                     string
	CreationTime                   wireTime
	EnabledTime                    wireTime
	EndTime                        wireTime
	ResourceGroupID                string `json:"ResourceGroupId"`
}

func (resp *describeResponse) decode(body []byte, _ bool) (envelope, error) {
	var b describeBody
	if err := decodeJSON(body, &b); err != nil {
		return b.envelope, err
	}
	for i := range b.PhysicalConnectionSet.PhysicalConnectionType {
		resp.rows = append(resp.rows, b.PhysicalConnectionSet.PhysicalConnectionType[i].row())
	}
	return b.envelope, nil
}

// row returns w as a PhysicalConnection.
func (w *wireCircuitRow) row() PhysicalConnection {
	p := PhysicalConnection{
		PhysicalConnectionID:       w.PhysicalConnectionID,
		ProductType:                w.ProductType,
		Name:                       w.Name,
		Description:                w.Description,
		Status:                     w.Status,
		BusinessStatus:             w.BusinessStatus,
		Spec:                       w.Spec,
		ExpectSpec:                 w.ExpectSpec,
		ParentPhysicalConnectionID: w.ParentPhysicalConnectionID,
		VpconnStatus:               w.VpconnStatus,
		OrderMode:                  w.OrderMode,
		AccessPointID:              w.AccessPointID,
		LineOperator:               w.LineOperator,
		PortType:                   w.PortType,
		ChargeType:                 w.ChargeType,
		ResourceGroupID:            w.ResourceGroupID,
	}
	r := fieldReader{out: &p.Unreadable}
	p.Bandwidth = r.number("Bandwidth", w.Bandwidth)
	p.VirtualPhysicalConnectionCount = int(r.number("VirtualPhysicalConnectionCount", w.VirtualPhysicalConnectionCount))
	p.ParentPhysicalConnectionAliUID = r.accountUID("ParentPhysicalConnectionAliUid", w.ParentPhysicalConnectionAliUID)
	p.VLANID = r.vlan("VlanId", w.VlanID)
	p.CreationTime = r.time("CreationTime", w.CreationTime)
	p.EnabledTime = r.time("EnabledTime", w.EnabledTime)
	p.EndTime = r.time("EndTime", w.EndTime)
	return p
}
