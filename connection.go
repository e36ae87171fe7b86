package expressconnect

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// VirtualPhysicalConnection is a hosted connection as ListVirtualPhysicalConnections describes
// it. Fields the service left out are zero. The wire sends VLANs, account IDs and times as
// strings; they are typed here.
type VirtualPhysicalConnection struct {
	// VirtualPhysicalConnectionID is the hosted connection's ID, such as "pc-bp1..." (sent as
	// PhysicalConnectionId).
	VirtualPhysicalConnectionID string
	// ParentPhysicalConnectionID is the partner's circuit the hosted connection is on.
	ParentPhysicalConnectionID string
	// ParentPhysicalConnectionAliUID is the account ID of the circuit's owner, the partner.
	ParentPhysicalConnectionAliUID int64
	// VpconnAliUID is the account ID of the hosted connection's owner, the tenant (sent as
	// AliUid).
	VpconnAliUID int64
	// VirtualPhysicalConnectionStatus says whether the tenant has accepted the hosted
	// connection.
	VirtualPhysicalConnectionStatus VirtualPhysicalConnectionStatus
	// Status is the hosted connection's life-cycle state.
	Status PhysicalConnectionStatus
	// BusinessStatus is its billing state.
	BusinessStatus BusinessStatus
	// Spec is its current bandwidth.
	Spec Spec
	// ExpectSpec is the bandwidth asked for with UpdateVirtualPhysicalConnection; it becomes
	// Spec once paid for.
	ExpectSpec Spec
	// Bandwidth is the circuit's bandwidth in Mbit/s.
	Bandwidth int64
	// VLANID is the hosted connection's VLAN on the circuit; unset when the service sent none.
	VLANID VLANID
	// OrderMode says who pays.
	OrderMode OrderMode
	// ProductType is "VirtualPhysicalConnection" for a hosted connection.
	ProductType string
	// Name and Description are as set at creation.
	Name, Description string
	// CreationTime, EnabledTime and EndTime (expiry) are in UTC; zero when not sent.
	CreationTime, EnabledTime, EndTime time.Time
	// ChargeType is the billing method, such as "Prepaid".
	ChargeType string
	// Type is the network type, "VPC".
	Type string
	// AccessPointID is the circuit's access point.
	AccessPointID string
	// AdLocation and PeerLocation are the locations of the access device and the data center.
	AdLocation, PeerLocation string
	// PortNumber and PortType describe the port on the access device, such as "80" and
	// "10GBase-LR".
	PortNumber, PortType string
	// LineOperator is the circuit's provider, such as "CU".
	LineOperator string
	// CircuitCode is the provider's code of the circuit.
	CircuitCode string
	// LoaStatus is the state of the Letter of Authorization.
	LoaStatus string
	// RedundantPhysicalConnectionID is the redundant circuit, if any.
	RedundantPhysicalConnectionID string
	// ResourceGroupID is the hosted connection's resource group.
	ResourceGroupID string
	// Tags are its tags.
	Tags []Tag
}

// VirtualPhysicalConnectionStatus says whether the tenant has accepted a hosted connection
// (the VirtualPhysicalConnectionStatus field and filter).
type VirtualPhysicalConnectionStatus string

// The documented values of VirtualPhysicalConnectionStatus.
const (
	// VirtualPhysicalConnectionUnConfirmed: the tenant has not accepted it yet.
	VirtualPhysicalConnectionUnConfirmed VirtualPhysicalConnectionStatus = "UnConfirmed"
	// VirtualPhysicalConnectionConfirmed: the tenant has accepted it.
	VirtualPhysicalConnectionConfirmed VirtualPhysicalConnectionStatus = "Confirmed"
	// VirtualPhysicalConnectionDeleted: it was deleted.
	VirtualPhysicalConnectionDeleted VirtualPhysicalConnectionStatus = "Deleted"
)

// PhysicalConnectionStatus is the life-cycle state of a hosted connection (the Status field).
type PhysicalConnectionStatus string

// The documented values of PhysicalConnectionStatus. The documentation spells the failed
// allocation both "Allocation Failed" and "AllocationFailed", and the canceled state both
// "Canceled" and "Cancelled"; [PhysicalConnectionStatus.Is] treats the spellings as equal.
const (
	StatusInitial          PhysicalConnectionStatus = "Initial"
	StatusApproved         PhysicalConnectionStatus = "Approved"
	StatusAllocating       PhysicalConnectionStatus = "Allocating"
	StatusAllocated        PhysicalConnectionStatus = "Allocated"
	StatusConfirmed        PhysicalConnectionStatus = "Confirmed"
	StatusEnabled          PhysicalConnectionStatus = "Enabled"
	StatusRejected         PhysicalConnectionStatus = "Rejected"
	StatusCanceled         PhysicalConnectionStatus = "Canceled"
	StatusAllocationFailed PhysicalConnectionStatus = "Allocation Failed"
	StatusTerminating      PhysicalConnectionStatus = "Terminating"
	StatusTerminated       PhysicalConnectionStatus = "Terminated"
)

// Is reports whether s is other, treating the documented spellings of a state as equal.
func (s PhysicalConnectionStatus) Is(other PhysicalConnectionStatus) bool {
	return s.canonical() == other.canonical()
}

func (s PhysicalConnectionStatus) canonical() PhysicalConnectionStatus {
	switch s {
	case "AllocationFailed":
		return StatusAllocationFailed
	case "Cancelled":
		return StatusCanceled
	}
	return s
}

// BusinessStatus is the billing state of a hosted connection.
type BusinessStatus string

// The documented values of BusinessStatus.
const (
	// BusinessStatusNormal: in good standing.
	BusinessStatusNormal BusinessStatus = "Normal"
	// BusinessStatusFinancialLocked: locked for overdue payment.
	BusinessStatusFinancialLocked BusinessStatus = "FinancialLocked"
	// BusinessStatusSecurityLocked: locked for security reasons.
	BusinessStatusSecurityLocked BusinessStatus = "SecurityLocked"
)

// wireConnection is one element of ListVirtualPhysicalConnections as sent.
type wireConnection struct {
	PhysicalConnectionID            string `json:"PhysicalConnectionId"`
	ParentPhysicalConnectionID      string `json:"ParentPhysicalConnectionId"`
	ParentPhysicalConnectionAliUID  wireUID
	AliUID                          wireUID `json:"AliUid"`
	VirtualPhysicalConnectionStatus VirtualPhysicalConnectionStatus
	Status                          PhysicalConnectionStatus
	BusinessStatus                  BusinessStatus
	Spec                            Spec
	ExpectSpec                      Spec
	Bandwidth                       int64
	VlanID                          wireVLAN `json:"VlanId"`
	OrderMode                       OrderMode
	ProductType                     string
	Name                            string
	Description                     string
	CreationTime                    wireTime
	EnabledTime                     wireTime
	EndTime                         wireTime
	ChargeType                      string
	Type                            string
	AccessPointID                   string `json:"AccessPointId"`
	AdLocation                      string
	PeerLocation                    string
	PortNumber                      string
	PortType                        string
	LineOperator                    string
	CircuitCode                     string
	LoaStatus                       string
	RedundantPhysicalConnectionID   string `json:"RedundantPhysicalConnectionId"`
	ResourceGroupID                 string `json:"ResourceGroupId"`
	Tags                            []Tag
}

// connection returns w as a VirtualPhysicalConnection.
func (w *wireConnection) connection() VirtualPhysicalConnection {
	return VirtualPhysicalConnection{
		VirtualPhysicalConnectionID:     w.PhysicalConnectionID,
		ParentPhysicalConnectionID:      w.ParentPhysicalConnectionID,
		ParentPhysicalConnectionAliUID:  int64(w.ParentPhysicalConnectionAliUID),
		VpconnAliUID:                    int64(w.AliUID),
		VirtualPhysicalConnectionStatus: w.VirtualPhysicalConnectionStatus,
		Status:                          w.Status,
		BusinessStatus:                  w.BusinessStatus,
		Spec:                            w.Spec,
		ExpectSpec:                      w.ExpectSpec,
		Bandwidth:                       w.Bandwidth,
		VLANID:                          VLANID(w.VlanID),
		OrderMode:                       w.OrderMode,
		ProductType:                     w.ProductType,
		Name:                            w.Name,
		Description:                     w.Description,
		CreationTime:                    time.Time(w.CreationTime),
		EnabledTime:                     time.Time(w.EnabledTime),
		EndTime:                         time.Time(w.EndTime),
		ChargeType:                      w.ChargeType,
		Type:                            w.Type,
		AccessPointID:                   w.AccessPointID,
		AdLocation:                      w.AdLocation,
		PeerLocation:                    w.PeerLocation,
		PortNumber:                      w.PortNumber,
		PortType:                        w.PortType,
		LineOperator:                    w.LineOperator,
		CircuitCode:                     w.CircuitCode,
		LoaStatus:                       w.LoaStatus,
		RedundantPhysicalConnectionID:   w.RedundantPhysicalConnectionID,
		ResourceGroupID:                 w.ResourceGroupID,
		Tags:                            w.Tags,
	}
}

// wireUID decodes an account ID sent as a decimal string (or a number); "" and null are 0.
type wireUID int64

func (u *wireUID) UnmarshalJSON(b []byte) error {
	s := unquote(b)
	if s == nil {
		*u = 0
		return nil
	}
	n, err := strconv.ParseInt(string(s), 10, 64)
	if err != nil || n < 0 {
		return fmt.Errorf("account ID %s is not a decimal number", b)
	}
	*u = wireUID(n)
	return nil
}

// wireVLAN decodes a VLAN ID sent as a decimal string (or a number); "" and null are unset.
type wireVLAN VLANID

func (v *wireVLAN) UnmarshalJSON(b []byte) error {
	s := unquote(b)
	if s == nil {
		*v = wireVLAN{}
		return nil
	}
	n, err := strconv.Atoi(string(s))
	if err != nil {
		return fmt.Errorf("VLAN ID %s is not a decimal number", b)
	}
	*v = wireVLAN(VLAN(n))
	return nil
}

// wireTime decodes a time sent in one of the layouts the documentation's examples show:
// RFC 3339 ("2021-11-08T16:00:00Z"), without a zone ("2021-06-08T12:20:55"), or without
// seconds ("2021-10-08T10:44Z"), and also without both ("2021-10-08T10:44") or with a space
// for the "T" ("2021-06-08 12:20:55"). A time without a zone is UTC, as the documentation
// states for this API's times. "" and null are the zero time.
type wireTime time.Time

// The layouts wireTime accepts besides time.RFC3339. A text fits at most one of them.
const (
	layoutNoZone          = "2006-01-02T15:04:05"
	layoutNoSeconds       = "2006-01-02T15:04Z07:00"
	layoutNoSecondsNoZone = "2006-01-02T15:04"
	layoutSpace           = "2006-01-02 15:04:05"
)

func (t *wireTime) UnmarshalJSON(b []byte) error {
	s := unquote(b)
	if s == nil {
		*t = wireTime{}
		return nil
	}
	text := string(s)
	parsed, err := time.Parse(timeLayout(text), text)
	if err != nil {
		return fmt.Errorf("time %s is in none of the documented layouts", b)
	}
	*t = wireTime(parsed.UTC())
	return nil
}

// timeLayout returns the one layout s can fit, by its shape: a space or a "T" after the date,
// a zone or none ("Z", "+" or "-" after the date), seconds or none. The service sends two of
// each List element's three times in layouts other than RFC 3339; trying the layouts in turn
// would fail one to two parses per time, each allocating its error.
func timeLayout(s string) string {
	const dateLen = len("2006-01-02")
	if len(s) <= dateLen {
		return time.RFC3339 // too short for any layout: it fails with this one as with the others
	}
	if s[dateLen] == ' ' {
		return layoutSpace
	}
	clock := s[dateLen+1:]
	zone := false
	if i := strings.IndexAny(clock, "Z+-"); i >= 0 {
		zone, clock = true, clock[:i]
	}
	seconds := strings.Count(clock, ":") == 2
	switch {
	case zone && seconds:
		return time.RFC3339
	case zone:
		return layoutNoSeconds
	case seconds:
		return layoutNoZone
	}
	return layoutNoSecondsNoZone
}

// unquote returns the text of a JSON string or the digits of a JSON number, or nil for null
// and "".
func unquote(b []byte) []byte {
	if bytes.Equal(b, []byte("null")) {
		return nil
	}
	if len(b) < 2 || b[0] != '"' {
		return b
	}
	if inner := b[1 : len(b)-1]; bytes.IndexByte(inner, '\\') < 0 {
		if len(inner) == 0 {
			return nil
		}
		return inner
	}
	var s string
	if json.Unmarshal(b, &s) != nil || s == "" {
		return nil
	}
	return []byte(s)
}
