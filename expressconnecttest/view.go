package expressconnecttest

import (
	"strconv"
	"time"

	"github.com/expressconnect-go/expressconnect"
)

// This file renders a hosted connection as an element of ListVirtualPhysicalConnections, with
// the field names of the official SDKs' model
// (ListVirtualPhysicalConnectionsResponseBodyVirtualPhysicalConnections). Account IDs and
// VLANs are strings there, and the times follow the layouts of the API reference's examples.

// Layouts of the times of a List element, one per field, as the reference's examples show them.
const (
	// creationTimeLayout is CreationTime's: "2021-06-08T12:20:55", UTC without a zone.
	creationTimeLayout = "2006-01-02T15:04:05"
	// enabledTimeLayout is EnabledTime's: RFC 3339 in UTC with seconds, "2021-10-08T10:44:09Z".
	// The reference's example ("2021-10-08T10:44Z") has no seconds, but a time cut to the minute
	// can come before CreationTime for a hosted connection enabled in the minute of its
	// creation; seconds keep the order of the two.
	enabledTimeLayout = "2006-01-02T15:04:05Z"
	// endTimeLayout is EndTime's: "2021-11-08T16:00:00Z".
	endTimeLayout = "2006-01-02T15:04:05Z"
)

// subscriptionTerm is how long a hosted connection's subscription runs from its enabling: its
// EndTime is EnabledTime plus this many years.
const subscriptionTerm = 1

// listElement is one hosted connection in a ListVirtualPhysicalConnections answer.
type listElement struct {
	AccessPointID                   string                        `json:"AccessPointId"`
	AdLocation                      string                        `json:"AdLocation"`
	AliUID                          string                        `json:"AliUid"`
	Bandwidth                       int64                         `json:"Bandwidth"`
	BusinessStatus                  expressconnect.BusinessStatus `json:"BusinessStatus"`
	ChargeType                      string                        `json:"ChargeType"`
	CircuitCode                     string                        `json:"CircuitCode"`
	CreationTime                    string                        `json:"CreationTime"`
	Description                     string                        `json:"Description"`
	EnabledTime                     string                        `json:"EnabledTime"`
	EndTime                         string                        `json:"EndTime"`
	ExpectSpec                      expressconnect.Spec           `json:"ExpectSpec"`
	LineOperator                    string                        `json:"LineOperator"`
	LoaStatus                       string                        `json:"LoaStatus"`
	Name                            string                        `json:"Name"`
	OrderMode                       expressconnect.OrderMode      `json:"OrderMode"`
	ParentPhysicalConnectionAliUID  string                        `json:"ParentPhysicalConnectionAliUid"`
	ParentPhysicalConnectionID      string                        `json:"ParentPhysicalConnectionId"`
	PeerLocation                    string                        `json:"PeerLocation"`
	PhysicalConnectionID            string                        `json:"PhysicalConnectionId"`
	PortNumber                      string                        `json:"PortNumber"`
	PortType                        string                        `json:"PortType"`
	ProductType                     string                        `json:"ProductType"`
	RedundantPhysicalConnectionID   string                        `json:"RedundantPhysicalConnectionId"`
	ResourceGroupID                 string                        `json:"ResourceGroupId"`
	Spec                            expressconnect.Spec           `json:"Spec"`
	Status                          expressconnect.Status         `json:"Status"`
	Tags                            []tagBody                     `json:"Tags"`
	Type                            string                        `json:"Type"`
	VirtualPhysicalConnectionStatus expressconnect.VpconnStatus   `json:"VirtualPhysicalConnectionStatus"`
	VlanID                          string                        `json:"VlanId"`
}

// tagBody is a tag of a List element.
type tagBody struct {
	Key   string `json:"Key"`
	Value string `json:"Value"`
}

// element returns c, on circuit cs, as a List element. EnabledTime and EndTime are empty
// until the hosted connection is enabled.
func element(c *Connection, cs Circuit) listElement {
	tags := make([]tagBody, len(c.Tags))
	for i, t := range c.Tags {
		tags[i] = tagBody(t)
	}
	e := listElement{
		AccessPointID:                   cs.accessPointID(),
		AdLocation:                      cs.adLocation(),
		AliUID:                          c.VpconnAliUID,
		Bandwidth:                       int64(cs.CapacityMbps),
		BusinessStatus:                  c.BusinessStatus,
		ChargeType:                      "Prepaid",
		CircuitCode:                     cs.circuitCode(),
		CreationTime:                    c.CreatedAt.UTC().Format(creationTimeLayout),
		Description:                     c.Description,
		ExpectSpec:                      c.ExpectSpec,
		LineOperator:                    "Other",
		LoaStatus:                       "Available",
		Name:                            c.Name,
		OrderMode:                       c.OrderMode,
		ParentPhysicalConnectionAliUID:  cs.Owner,
		ParentPhysicalConnectionID:      c.PhysicalConnectionID,
		PeerLocation:                    peerLocation,
		PhysicalConnectionID:            c.VirtualPhysicalConnectionID,
		PortNumber:                      "1",
		PortType:                        cs.portType(),
		ProductType:                     "VirtualPhysicalConnection",
		ResourceGroupID:                 c.ResourceGroupID,
		Spec:                            c.Spec,
		Status:                          c.Status,
		Tags:                            tags,
		Type:                            "VPC",
		VirtualPhysicalConnectionStatus: c.VirtualPhysicalConnectionStatus,
		VlanID:                          strconv.Itoa(vlanNumber(c)),
	}
	if !c.EnabledAt.IsZero() {
		e.EnabledTime = c.EnabledAt.UTC().Format(enabledTimeLayout)
		e.EndTime = endTime(c.EnabledAt).Format(endTimeLayout)
	}
	return e
}

// endTime returns the end of the subscription of a hosted connection enabled at enabled.
func endTime(enabled time.Time) time.Time {
	return enabled.UTC().AddDate(subscriptionTerm, 0, 0)
}
