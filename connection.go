package expressconnect

import (
	"encoding/json"
	"strconv"
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
	// ParentPhysicalConnectionAliUID is the account ID of the circuit's owner, the partner, in
	// decimal.
	ParentPhysicalConnectionAliUID string
	// VpconnAliUID is the account ID of the hosted connection's owner, the tenant, in decimal
	// (sent as AliUid).
	VpconnAliUID string
	// VpconnStatus says whether the tenant has accepted the hosted connection (sent as
	// VirtualPhysicalConnectionStatus).
	VpconnStatus VpconnStatus
	// Status is the hosted connection's life-cycle state.
	Status Status
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
	// Unreadable holds, by wire name, the text of each field the client could not read (a
	// time in a layout it does not know, an account ID, VLAN or bandwidth that is not a
	// number); the
	// field itself is then zero. One such field never fails the page it is on. Nil when every
	// field was read.
	Unreadable map[string]string
}

// wireConnection is one element of ListVirtualPhysicalConnections as sent.
type wireConnection struct {
	PhysicalConnectionID            string `json:"PhysicalConnectionId"`
	ParentPhysicalConnectionID      string `json:"ParentPhysicalConnectionId"`
	ParentPhysicalConnectionAliUID  wireText
	AliUID                          wireText `json:"AliUid"`
	VirtualPhysicalConnectionStatus VpconnStatus
	Status                          Status
	BusinessStatus                  BusinessStatus
	Spec                            Spec
	ExpectSpec                      Spec
	Bandwidth                       wireText
	VlanID                          wireText `json:"VlanId"`
	OrderMode                       OrderMode
	ProductType                     string
	Name                            string
	Description                     string
	CreationTime                    wireText
	EnabledTime                     wireText
	EndTime                         wireText
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
	c := VirtualPhysicalConnection{
		VirtualPhysicalConnectionID:   w.PhysicalConnectionID,
		ParentPhysicalConnectionID:    w.ParentPhysicalConnectionID,
		VpconnStatus:                  w.VirtualPhysicalConnectionStatus,
		Status:                        w.Status,
		BusinessStatus:                w.BusinessStatus,
		Spec:                          w.Spec,
		ExpectSpec:                    w.ExpectSpec,
		OrderMode:                     w.OrderMode,
		ProductType:                   w.ProductType,
		Name:                          w.Name,
		Description:                   w.Description,
		ChargeType:                    w.ChargeType,
		Type:                          w.Type,
		AccessPointID:                 w.AccessPointID,
		AdLocation:                    w.AdLocation,
		PeerLocation:                  w.PeerLocation,
		PortNumber:                    w.PortNumber,
		PortType:                      w.PortType,
		LineOperator:                  w.LineOperator,
		CircuitCode:                   w.CircuitCode,
		LoaStatus:                     w.LoaStatus,
		RedundantPhysicalConnectionID: w.RedundantPhysicalConnectionID,
		ResourceGroupID:               w.ResourceGroupID,
		Tags:                          w.Tags,
	}
	r := fieldReader{out: &c.Unreadable}
	c.ParentPhysicalConnectionAliUID = r.accountUID("ParentPhysicalConnectionAliUid", w.ParentPhysicalConnectionAliUID)
	c.VpconnAliUID = r.accountUID("AliUid", w.AliUID)
	c.VLANID = r.vlan("VlanId", w.VlanID)
	c.Bandwidth = r.number("Bandwidth", w.Bandwidth)
	c.CreationTime = r.time("CreationTime", w.CreationTime)
	c.EnabledTime = r.time("EnabledTime", w.EnabledTime)
	c.EndTime = r.time("EndTime", w.EndTime)
	return c
}

// wireText is a field sent as a JSON string or number, kept as its text: "" for null and "".
// Decoding it never fails, so that one odd value cannot fail the whole answer; fieldReader
// reads the text afterwards.
type wireText string

// UnmarshalJSON keeps a string's text, a number's digits, and any other value's JSON.
func (t *wireText) UnmarshalJSON(b []byte) error {
	var s string
	switch {
	case string(b) == "null":
		*t = ""
	case json.Unmarshal(b, &s) == nil:
		*t = wireText(s)
	default:
		*t = wireText(b)
	}
	return nil
}

// fieldReader reads the typed fields of one element, and records in *out the text of each
// field it could not read.
type fieldReader struct {
	out *map[string]string
}

// unreadable records that the field name held text the client could not read.
func (r fieldReader) unreadable(name string, text wireText) {
	if *r.out == nil {
		*r.out = make(map[string]string)
	}
	(*r.out)[name] = string(text)
}

// accountUID reads an account ID: a decimal number.
func (r fieldReader) accountUID(name string, text wireText) string {
	if text == "" {
		return ""
	}
	if n, err := strconv.ParseUint(string(text), 10, 63); err != nil || n == 0 {
		r.unreadable(name, text)
		return ""
	}
	return string(text)
}

// number reads a whole number of Mbit/s.
func (r fieldReader) number(name string, text wireText) int64 {
	if text == "" {
		return 0
	}
	n, err := strconv.ParseInt(string(text), 10, 64)
	if err != nil || n < 0 {
		r.unreadable(name, text)
		return 0
	}
	return n
}

// vlan reads a VLAN ID: a decimal number; unset when the field is empty.
func (r fieldReader) vlan(name string, text wireText) VLANID {
	var v VLANID
	if err := v.UnmarshalText([]byte(text)); err != nil {
		r.unreadable(name, text)
		return VLANID{}
	}
	return v
}

// timeLayouts are the layouts of the times the client reads, tried in turn: RFC 3339 (with
// "Z" or an offset, with or without fractional seconds), the layouts of the documentation's
// examples (without a zone, "2021-06-08T12:20:55"; without seconds, "2021-10-08T10:44Z"),
// offsets without a colon ("+0800"), minute precision without a zone, a space for the "T",
// and a date alone. A time without a zone is UTC, as the documentation states for this API's
// times.
var timeLayouts = [...]string{
	time.RFC3339,
	"2006-01-02T15:04:05",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04Z0700",
	"2006-01-02T15:04",
	"2006-01-02 15:04:05",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04",
	"2006-01-02",
}

// time reads a time in one of timeLayouts, in UTC.
func (r fieldReader) time(name string, text wireText) time.Time {
	if text == "" {
		return time.Time{}
	}
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, string(text)); err == nil {
			return t.UTC()
		}
	}
	r.unreadable(name, text)
	return time.Time{}
}
