package expressconnect

import (
	"bytes"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
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
	ParentPhysicalConnectionAliUID  wireUID
	AliUID                          wireUID `json:"AliUid"`
	VirtualPhysicalConnectionStatus string
	Status                          string
	BusinessStatus                  string
	Spec                            string
	ExpectSpec                      string
	Bandwidth                       wireCount
	VlanID                          wireVLAN `json:"VlanId"`
	OrderMode                       string
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
	c := VirtualPhysicalConnection{
		VirtualPhysicalConnectionID:   w.PhysicalConnectionID,
		ParentPhysicalConnectionID:    w.ParentPhysicalConnectionID,
		VpconnStatus:                  VpconnStatus(w.VirtualPhysicalConnectionStatus),
		Status:                        Status(w.Status),
		BusinessStatus:                BusinessStatus(w.BusinessStatus),
		Spec:                          Spec(w.Spec),
		ExpectSpec:                    Spec(w.ExpectSpec),
		OrderMode:                     OrderMode(w.OrderMode),
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

// The wire types below decode the fields that the service sends as JSON strings or numbers
// (account IDs, counts, VLANs) and the times. Each is read as it is decoded, from the JSON
// text, and keeps in odd the text of a value it cannot read, so that one odd value cannot fail
// the whole answer: decoding one never fails. fieldReader then records the odd ones. "" and
// null are the zero value, read.

// wireUID is an account ID: a decimal number above 0.
type wireUID struct{ uid, odd string }

// UnmarshalJSON implements json.Unmarshaler.
func (w *wireUID) UnmarshalJSON(b []byte) error {
	*w = wireUID{}
	switch text := jsonText(b); {
	case len(text) == 0:
	case isAccountUID(text):
		w.uid = string(text)
	default:
		w.odd = string(text)
	}
	return nil
}

// wireCount is a whole number of at least 0, such as a bandwidth in Mbit/s.
type wireCount struct {
	n   int64
	odd string
}

// UnmarshalJSON implements json.Unmarshaler.
func (w *wireCount) UnmarshalJSON(b []byte) error {
	*w = wireCount{}
	text := jsonText(b)
	if len(text) == 0 {
		return nil
	}
	if n, err := strconv.ParseInt(string(text), 10, 64); err == nil && n >= 0 {
		w.n = n
		return nil
	}
	w.odd = string(text)
	return nil
}

// wireVLAN is a VLAN ID: a decimal number; unset when empty.
type wireVLAN struct {
	v   VLANID
	odd string
}

// UnmarshalJSON implements json.Unmarshaler.
func (w *wireVLAN) UnmarshalJSON(b []byte) error {
	*w = wireVLAN{}
	text := jsonText(b)
	if w.v.UnmarshalText(text) != nil {
		w.odd = string(text)
	}
	return nil
}

// wireTime is a time in one of timeLayouts, read in UTC.
type wireTime struct {
	t   time.Time
	odd string
}

// UnmarshalJSON implements json.Unmarshaler.
func (w *wireTime) UnmarshalJSON(b []byte) error {
	*w = wireTime{}
	text := jsonText(b)
	if len(text) == 0 {
		return nil
	}
	if t, ok := readTime(string(text)); ok {
		w.t = t
		return nil
	}
	w.odd = string(text)
	return nil
}

// readTime reads s in the first of timeLayouts that fits it, in UTC. It first tries the one
// layout whose shape s has (timeLayoutFor), then, when that fails, each in turn: a failed
// parse allocates its error, and the service sends two of the three times of every List
// element in layouts that come after RFC 3339 in the list.
func readTime(s string) (time.Time, bool) {
	if t, err := time.Parse(timeLayoutFor(s), s); err == nil {
		return t.UTC(), true
	}
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// timeLayoutFor returns the layout of timeLayouts that s can fit by its shape: a date alone or
// a date with a clock after a "T" or a space, the clock with seconds (and maybe a fraction) or
// without, then no zone, "Z", an offset with a colon or one without. A text that fits a layout
// fits no other with a different meaning ("Z" fits both kinds of offset, as UTC), so reading
// it with this one gives what the first that fits gives.
func timeLayoutFor(s string) string {
	const date = len("2006-01-02")
	if len(s) <= date {
		return layoutDate
	}
	clock, zone := s[date+1:], ""
	if i := strings.IndexAny(clock, "Z+-"); i >= 0 {
		clock, zone = clock[:i], clock[i:]
	}
	seconds := strings.Count(clock, ":") == 2
	colon := strings.Contains(zone, ":")
	switch {
	case s[date] == ' ' && zone == "" && seconds:
		return layoutSpace
	case s[date] == ' ' && zone == "":
		return layoutSpaceNoSeconds
	case s[date] == ' ':
		return layoutSpaceZone
	case zone == "" && seconds:
		return layoutNoZone
	case zone == "":
		return layoutNoSecondsNoZone
	case seconds && (zone == "Z" || colon):
		return time.RFC3339
	case seconds:
		return layoutOffsetNoColon
	case zone == "Z" || colon:
		return layoutNoSeconds
	}
	return layoutNoSecondsOffsetNoColon
}

// jsonText returns the text of the JSON value b as the wire types read it: a string's
// contents, nil for null, and any other value's JSON (a number's digits). b is a whole JSON
// value, which the decoder has already checked. The text is part of b, unless b is a string
// with an escape or bytes that are not UTF-8, which unquoteJSON decodes (into the text
// decodeJSON gives a string field).
func jsonText(b []byte) []byte {
	switch {
	case len(b) == 0 || b[0] == 'n':
		return nil
	case b[0] != '"':
		return b
	case bytes.IndexByte(b, '\\') < 0 && utf8.Valid(b):
		return b[1 : len(b)-1]
	}
	text, ok := unquoteJSON(b)
	if !ok {
		return b
	}
	return []byte(text)
}

// isAccountUID reports whether text is an account ID: a decimal number from 1 to 2^63-1.
func isAccountUID(text []byte) bool {
	n, err := strconv.ParseUint(string(text), 10, 63)
	return err == nil && n != 0
}

// fieldReader reads the typed fields of one element, and records in *out the text of each
// field it could not read.
type fieldReader struct {
	out *map[string]string
}

// unreadable records that the field name held odd, text the client could not read; nothing
// when odd is empty.
func (r fieldReader) unreadable(name, odd string) {
	if odd == "" {
		return
	}
	if *r.out == nil {
		*r.out = make(map[string]string)
	}
	(*r.out)[name] = odd
}

// accountUID reads an account ID.
func (r fieldReader) accountUID(name string, w wireUID) string {
	r.unreadable(name, w.odd)
	return w.uid
}

// number reads a whole number.
func (r fieldReader) number(name string, w wireCount) int64 {
	r.unreadable(name, w.odd)
	return w.n
}

// vlan reads a VLAN ID.
func (r fieldReader) vlan(name string, w wireVLAN) VLANID {
	r.unreadable(name, w.odd)
	return w.v
}

// time reads a time.
func (r fieldReader) time(name string, w wireTime) time.Time {
	r.unreadable(name, w.odd)
	return w.t
}

// timeLayouts are the layouts of the times the client reads, tried in turn: RFC 3339 (with
// "Z" or an offset, with or without fractional seconds), the layouts of the documentation's
// examples (without a zone, "2021-06-08T12:20:55"; without seconds, "2021-10-08T10:44Z"),
// offsets without a colon ("+0800"), minute precision without a zone, a space for the "T",
// and a date alone. A time without a zone is UTC, as the documentation states for this API's
// times.
var timeLayouts = [...]string{
	time.RFC3339,
	layoutNoZone,
	layoutNoSeconds,
	layoutOffsetNoColon,
	layoutNoSecondsOffsetNoColon,
	layoutNoSecondsNoZone,
	layoutSpace,
	layoutSpaceZone,
	layoutSpaceNoSeconds,
	layoutDate,
}

// The layouts of timeLayouts besides time.RFC3339.
const (
	layoutNoZone                 = "2006-01-02T15:04:05"
	layoutNoSeconds              = "2006-01-02T15:04Z07:00"
	layoutOffsetNoColon          = "2006-01-02T15:04:05Z0700"
	layoutNoSecondsOffsetNoColon = "2006-01-02T15:04Z0700"
	layoutNoSecondsNoZone        = "2006-01-02T15:04"
	layoutSpace                  = "2006-01-02 15:04:05"
	layoutSpaceZone              = "2006-01-02 15:04:05Z07:00"
	layoutSpaceNoSeconds         = "2006-01-02 15:04"
	layoutDate                   = "2006-01-02"
)
