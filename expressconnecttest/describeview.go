package expressconnecttest

import (
	"strconv"
	"strings"

	"github.com/expressconnect-go/expressconnect"
)

// This file renders circuits and hosted connections as rows of DescribePhysicalConnections,
// with the field names and types of the official SDKs' model
// (DescribePhysicalConnectionsResponseBodyPhysicalConnectionSetPhysicalConnectionType): unlike
// List's elements, ParentPhysicalConnectionAliUid is a number, the tags are wrapped in an
// object ({"tags": [...]}), and the times follow the Describe reference's examples, RFC 3339
// in UTC ("2021-08-24T07:30:58Z").

// describeTimeLayout is the layout of CreationTime, EnabledTime and EndTime in a row.
const describeTimeLayout = "2006-01-02T15:04:05Z"

// describeBody is the body of a successful DescribePhysicalConnections.
type describeBody struct {
	RequestID             string      `json:"RequestId"`
	PageNumber            int         `json:"PageNumber"`
	PageSize              int         `json:"PageSize"`
	TotalCount            int         `json:"TotalCount"`
	PhysicalConnectionSet describeSet `json:"PhysicalConnectionSet"`
}

// describeSet wraps the rows of a page, as the service's answer does.
type describeSet struct {
	PhysicalConnectionType []describeRow `json:"PhysicalConnectionType"`
}

// describeRow is one circuit or hosted connection. The fields that only a hosted connection
// has (ParentPhysicalConnectionId, VlanId, VpconnStatus, OrderMode, ExpectSpec) are empty on a
// circuit's row, which has no ParentPhysicalConnectionAliUid.
type describeRow struct {
	AccessPointID                  string       `json:"AccessPointId"`
	AccessPointType                string       `json:"AccessPointType"`
	AdDetailLocation               string       `json:"AdDetailLocation"`
	AdLocation                     string       `json:"AdLocation"`
	Bandwidth                      int64        `json:"Bandwidth"`
	BusinessStatus                 string       `json:"BusinessStatus"`
	ChargeType                     string       `json:"ChargeType"`
	CircuitCode                    string       `json:"CircuitCode"`
	CreationTime                   string       `json:"CreationTime"`
	Description                    string       `json:"Description"`
	EnabledTime                    string       `json:"EnabledTime"`
	EndTime                        string       `json:"EndTime"`
	ExpectSpec                     string       `json:"ExpectSpec"`
	HasReservationData             string       `json:"HasReservationData"`
	LineOperator                   string       `json:"LineOperator"`
	LoaStatus                      string       `json:"LoaStatus"`
	Name                           string       `json:"Name"`
	OrderMode                      string       `json:"OrderMode"`
	ParentPhysicalConnectionAliUID *int64       `json:"ParentPhysicalConnectionAliUid,omitempty"`
	ParentPhysicalConnectionID     string       `json:"ParentPhysicalConnectionId"`
	PeerLocation                   string       `json:"PeerLocation"`
	PhysicalConnectionID           string       `json:"PhysicalConnectionId"`
	PortNumber                     string       `json:"PortNumber"`
	PortType                       string       `json:"PortType"`
	ProductType                    string       `json:"ProductType"`
	QosID                          string       `json:"QosId"`
	RedundantPhysicalConnectionID  string       `json:"RedundantPhysicalConnectionId"`
	ReservationActiveTime          string       `json:"ReservationActiveTime"`
	ReservationInternetChargeType  string       `json:"ReservationInternetChargeType"`
	ReservationOrderType           string       `json:"ReservationOrderType"`
	ResourceGroupID                string       `json:"ResourceGroupId"`
	Spec                           string       `json:"Spec"`
	Status                         string       `json:"Status"`
	Tags                           describeTags `json:"Tags"`
	Type                           string       `json:"Type"`
	VirtualPhysicalConnectionCount int          `json:"VirtualPhysicalConnectionCount"`
	VlanID                         string       `json:"VlanId"`
	VpconnStatus                   string       `json:"VpconnStatus"`
}

// describeTags are the tags of a row: an object holding a "tags" array.
type describeTags struct {
	Tags []tagBody `json:"tags"`
}

// commonRow returns the fields a row of cs and the rows of the hosted connections on it share,
// all made up from the Circuit as List's elements are.
func commonRow(cs heldCircuit) describeRow {
	return describeRow{
		AccessPointID:      cs.accessPointID(),
		AccessPointType:    "VPC",
		AdDetailLocation:   "expressconnecttest rack of the access point in " + cs.RegionID,
		AdLocation:         cs.adLocation(),
		Bandwidth:          int64(cs.CapacityMbps),
		BusinessStatus:     string(expressconnect.BusinessStatusNormal),
		ChargeType:         "Prepaid",
		CircuitCode:        cs.circuitCode(),
		HasReservationData: "false",
		LineOperator:       "Other",
		LoaStatus:          "Available",
		PeerLocation:       peerLocation,
		PortNumber:         "1",
		PortType:           cs.portType(),
		Tags:               describeTags{Tags: []tagBody{}},
		Type:               "VPC",
	}
}

// circuitRow returns the row of the circuit cs, which carries hosted hosted connections that are
// not deleted. Its Spec is its capacity, its times those the server gave it (EnabledTime and
// EndTime only once it has been Enabled), and its QosId is made up when it is QoS-bound.
func circuitRow(cs heldCircuit, hosted int) describeRow {
	row := commonRow(cs)
	row.CreationTime = cs.addedAt.UTC().Format(describeTimeLayout)
	row.PhysicalConnectionID = cs.ID
	row.ProductType = productCircuit
	row.Spec = capacitySpec(cs.CapacityMbps)
	row.Status = string(cs.Status)
	row.VirtualPhysicalConnectionCount = hosted
	if !cs.enabledAt.IsZero() {
		row.EnabledTime = cs.enabledAt.UTC().Format(describeTimeLayout)
		row.EndTime = endTime(cs.enabledAt).Format(describeTimeLayout)
	}
	if cs.QoSBound {
		row.QosID = "qos-" + strings.TrimPrefix(cs.ID, "pc-")
	}
	return row
}

// hostedRow returns the row of the hosted connection c on the circuit cs.
func hostedRow(c *Connection, cs heldCircuit) describeRow {
	row := commonRow(cs)
	row.BusinessStatus = string(c.BusinessStatus)
	row.CreationTime = c.CreatedAt.UTC().Format(describeTimeLayout)
	row.Description = c.Description
	row.ExpectSpec = string(c.ExpectSpec)
	row.Name = c.Name
	row.OrderMode = string(c.OrderMode)
	if uid, err := strconv.ParseInt(cs.Owner, 10, 64); err == nil {
		row.ParentPhysicalConnectionAliUID = &uid
	}
	row.ParentPhysicalConnectionID = c.PhysicalConnectionID
	row.PhysicalConnectionID = c.VirtualPhysicalConnectionID
	row.ProductType = productHosted
	row.ResourceGroupID = c.ResourceGroupID
	row.Spec = string(c.Spec)
	row.Status = string(c.Status)
	for _, t := range c.Tags {
		row.Tags.Tags = append(row.Tags.Tags, tagBody(t))
	}
	row.VlanID = strconv.Itoa(vlanNumber(c))
	row.VpconnStatus = string(c.VirtualPhysicalConnectionStatus)
	if !c.EnabledAt.IsZero() {
		row.EnabledTime = c.EnabledAt.UTC().Format(describeTimeLayout)
		row.EndTime = endTime(c.EnabledAt).Format(describeTimeLayout)
	}
	return row
}

// capacitySpec returns a circuit's capacity as a Spec is written: "10G", or "500M" when it is
// not a whole number of Gbit/s.
func capacitySpec(mbps int) string {
	if mbps%1000 == 0 {
		return strconv.Itoa(mbps/1000) + "G"
	}
	return strconv.Itoa(mbps) + "M"
}

// specClass returns the value of the Spec filter that selects a bandwidth of mbps.
func specClass(mbps int) string {
	switch {
	case mbps <= 1000:
		return "1G and below"
	case mbps <= 10000:
		return "10G"
	case mbps <= 40000:
		return "40G"
	}
	return "100G"
}

// filterValue returns the value of row that the filter key compares.
func (row describeRow) filterValue(key string) string {
	switch key {
	case "PhysicalConnectionId":
		return row.PhysicalConnectionID
	case "AccessPointId":
		return row.AccessPointID
	case "Type":
		return row.Type
	case "LineOperator":
		return row.LineOperator
	case "Spec":
		mbps := int(row.Bandwidth)
		if row.ProductType == productHosted {
			mbps = expressconnect.Spec(row.Spec).Mbps()
		}
		return specClass(mbps)
	case "Status":
		return row.Status
	case "Name":
		return row.Name
	case "ProductType":
		return row.ProductType
	}
	return ""
}
