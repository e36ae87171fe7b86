package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/expressconnect-go/expressconnect"
)

// This file prints results: JSON by default, with the API's wire names, or a table for
// people (--output table).

// connectionJSON is a hosted connection as the command prints it. The names are the API's
// parameter names: VirtualPhysicalConnectionId is the hosted connection's ID (List calls it
// PhysicalConnectionId), PhysicalConnectionId the circuit it is on (List's
// ParentPhysicalConnectionId), VpconnAliUid the tenant (List's AliUid).
type connectionJSON struct {
	VirtualPhysicalConnectionID     string                        `json:"VirtualPhysicalConnectionId"`
	PhysicalConnectionID            string                        `json:"PhysicalConnectionId"`
	VpconnAliUID                    string                        `json:"VpconnAliUid"`
	VlanID                          expressconnect.VLANID         `json:"VlanId"`
	Spec                            expressconnect.Spec           `json:"Spec"`
	ExpectSpec                      expressconnect.Spec           `json:"ExpectSpec"`
	OrderMode                       expressconnect.OrderMode      `json:"OrderMode"`
	VirtualPhysicalConnectionStatus expressconnect.VpconnStatus   `json:"VirtualPhysicalConnectionStatus"`
	Status                          expressconnect.Status         `json:"Status"`
	BusinessStatus                  expressconnect.BusinessStatus `json:"BusinessStatus"`
	Name                            string                        `json:"Name"`
	Description                     string                        `json:"Description"`
	ResourceGroupID                 string                        `json:"ResourceGroupId,omitempty"`
	Tags                            []tagJSON                     `json:"Tags,omitempty"`
	ParentPhysicalConnectionAliUID  string                        `json:"ParentPhysicalConnectionAliUid,omitempty"`
	Bandwidth                       int64                         `json:"Bandwidth,omitempty"`
	ProductType                     string                        `json:"ProductType,omitempty"`
	ChargeType                      string                        `json:"ChargeType,omitempty"`
	Type                            string                        `json:"Type,omitempty"`
	AccessPointID                   string                        `json:"AccessPointId,omitempty"`
	AdLocation                      string                        `json:"AdLocation,omitempty"`
	PeerLocation                    string                        `json:"PeerLocation,omitempty"`
	PortNumber                      string                        `json:"PortNumber,omitempty"`
	PortType                        string                        `json:"PortType,omitempty"`
	LineOperator                    string                        `json:"LineOperator,omitempty"`
	CircuitCode                     string                        `json:"CircuitCode,omitempty"`
	LoaStatus                       string                        `json:"LoaStatus,omitempty"`
	RedundantPhysicalConnectionID   string                        `json:"RedundantPhysicalConnectionId,omitempty"`
	CreationTime                    string                        `json:"CreationTime,omitempty"`
	EnabledTime                     string                        `json:"EnabledTime,omitempty"`
	EndTime                         string                        `json:"EndTime,omitempty"`
	Unreadable                      map[string]string             `json:"Unreadable,omitempty"`
}

// tagJSON is a tag as the API names its parts.
type tagJSON struct {
	Key   string `json:"Key"`
	Value string `json:"Value"`
}

// connectionOf returns c as the command prints it.
func connectionOf(c *expressconnect.VirtualPhysicalConnection) *connectionJSON {
	if c == nil {
		return nil
	}
	out := &connectionJSON{
		VirtualPhysicalConnectionID:     c.VirtualPhysicalConnectionID,
		PhysicalConnectionID:            c.ParentPhysicalConnectionID,
		VpconnAliUID:                    c.VpconnAliUID,
		VlanID:                          c.VLANID,
		Spec:                            c.Spec,
		ExpectSpec:                      c.ExpectSpec,
		OrderMode:                       c.OrderMode,
		VirtualPhysicalConnectionStatus: c.VpconnStatus,
		Status:                          c.Status,
		BusinessStatus:                  c.BusinessStatus,
		Name:                            c.Name,
		Description:                     c.Description,
		ResourceGroupID:                 c.ResourceGroupID,
		ParentPhysicalConnectionAliUID:  c.ParentPhysicalConnectionAliUID,
		Bandwidth:                       c.Bandwidth,
		ProductType:                     c.ProductType,
		ChargeType:                      c.ChargeType,
		Type:                            c.Type,
		AccessPointID:                   c.AccessPointID,
		AdLocation:                      c.AdLocation,
		PeerLocation:                    c.PeerLocation,
		PortNumber:                      c.PortNumber,
		PortType:                        c.PortType,
		LineOperator:                    c.LineOperator,
		CircuitCode:                     c.CircuitCode,
		LoaStatus:                       c.LoaStatus,
		RedundantPhysicalConnectionID:   c.RedundantPhysicalConnectionID,
		CreationTime:                    timeText(c.CreationTime),
		EnabledTime:                     timeText(c.EnabledTime),
		EndTime:                         timeText(c.EndTime),
		Unreadable:                      c.Unreadable,
	}
	for _, t := range c.Tags {
		out.Tags = append(out.Tags, tagJSON(t))
	}
	return out
}

// circuitJSON is a circuit (or a hosted connection) as DescribePhysicalConnections describes
// it, with its wire names.
type circuitJSON struct {
	PhysicalConnectionID           string                        `json:"PhysicalConnectionId"`
	ProductType                    string                        `json:"ProductType"`
	Name                           string                        `json:"Name"`
	Description                    string                        `json:"Description"`
	Status                         expressconnect.Status         `json:"Status"`
	BusinessStatus                 expressconnect.BusinessStatus `json:"BusinessStatus"`
	Bandwidth                      int64                         `json:"Bandwidth"`
	Spec                           expressconnect.Spec           `json:"Spec"`
	ExpectSpec                     expressconnect.Spec           `json:"ExpectSpec,omitempty"`
	VirtualPhysicalConnectionCount int                           `json:"VirtualPhysicalConnectionCount"`
	ParentPhysicalConnectionID     string                        `json:"ParentPhysicalConnectionId,omitempty"`
	ParentPhysicalConnectionAliUID string                        `json:"ParentPhysicalConnectionAliUid,omitempty"`
	VpconnStatus                   expressconnect.VpconnStatus   `json:"VpconnStatus,omitempty"`
	VlanID                         *expressconnect.VLANID        `json:"VlanId,omitempty"`
	OrderMode                      expressconnect.OrderMode      `json:"OrderMode,omitempty"`
	AccessPointID                  string                        `json:"AccessPointId,omitempty"`
	LineOperator                   string                        `json:"LineOperator,omitempty"`
	PortType                       string                        `json:"PortType,omitempty"`
	ChargeType                     string                        `json:"ChargeType,omitempty"`
	CreationTime                   string                        `json:"CreationTime,omitempty"`
	EnabledTime                    string                        `json:"EnabledTime,omitempty"`
	EndTime                        string                        `json:"EndTime,omitempty"`
	ResourceGroupID                string                        `json:"ResourceGroupId,omitempty"`
	Unreadable                     map[string]string             `json:"Unreadable,omitempty"`
	RequestID                      string                        `json:"RequestId"`
}

// circuitOf returns p as the command prints it.
func circuitOf(p *expressconnect.PhysicalConnection, requestID string) *circuitJSON {
	out := &circuitJSON{
		PhysicalConnectionID:           p.PhysicalConnectionID,
		ProductType:                    p.ProductType,
		Name:                           p.Name,
		Description:                    p.Description,
		Status:                         p.Status,
		BusinessStatus:                 p.BusinessStatus,
		Bandwidth:                      p.Bandwidth,
		Spec:                           p.Spec,
		ExpectSpec:                     p.ExpectSpec,
		VirtualPhysicalConnectionCount: p.VirtualPhysicalConnectionCount,
		ParentPhysicalConnectionID:     p.ParentPhysicalConnectionID,
		ParentPhysicalConnectionAliUID: p.ParentPhysicalConnectionAliUID,
		VpconnStatus:                   p.VpconnStatus,
		OrderMode:                      p.OrderMode,
		AccessPointID:                  p.AccessPointID,
		LineOperator:                   p.LineOperator,
		PortType:                       p.PortType,
		ChargeType:                     p.ChargeType,
		CreationTime:                   timeText(p.CreationTime),
		EnabledTime:                    timeText(p.EnabledTime),
		EndTime:                        timeText(p.EndTime),
		ResourceGroupID:                p.ResourceGroupID,
		Unreadable:                     p.Unreadable,
		RequestID:                      requestID,
	}
	if _, ok := p.VLANID.Value(); ok {
		out.VlanID = &p.VLANID
	}
	return out
}

// waitJSON is what a wait that followed an action (--wait) saw.
type waitJSON struct {
	// Until is the state waited for, as --wait named it.
	Until string `json:"Until"`
	// Polls is how many List calls the wait sent.
	Polls int `json:"Polls"`
	// VirtualPhysicalConnection is the hosted connection as the poll that saw the state saw
	// it; null when it is gone.
	VirtualPhysicalConnection *connectionJSON `json:"VirtualPhysicalConnection"`
}

// timeText returns t in RFC 3339, UTC, or "" for the zero time.
func timeText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// printer writes results in the format --output chose.
type printer struct {
	w     io.Writer
	table bool
}

// print writes v: as indented JSON, or as a table of its fields for people.
func (p printer) print(v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encoding the result: %w", err)
	}
	if !p.table {
		var buf bytes.Buffer
		if err := json.Indent(&buf, data, "", "  "); err != nil {
			return err
		}
		buf.WriteByte('\n')
		_, err := p.w.Write(buf.Bytes())
		return err
	}
	rows, err := flatten(data)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(p.w, 0, 4, 2, ' ', 0)
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\n", r[0], r[1])
	}
	return tw.Flush()
}

// connectionColumns are the columns of a table of hosted connections, each with its header
// and the JSON field it shows.
var connectionColumns = []struct{ header, field string }{
	{"ID", "VirtualPhysicalConnectionId"},
	{"CIRCUIT", "PhysicalConnectionId"},
	{"VLAN", "VlanId"},
	{"SPEC", "Spec"},
	{"STATUS", "Status"},
	{"ACCEPTANCE", "VirtualPhysicalConnectionStatus"},
	{"BILLING", "BusinessStatus"},
	{"TENANT", "VpconnAliUid"},
	{"NAME", "Name"},
}

// printConnections writes conns: as v in JSON, or one row per hosted connection in a table.
// footer lines follow the table.
func (p printer) printConnections(v any, conns []*connectionJSON, footer ...string) error {
	if !p.table {
		return p.print(v)
	}
	tw := tabwriter.NewWriter(p.w, 0, 4, 2, ' ', 0)
	headers := make([]string, len(connectionColumns))
	for i, c := range connectionColumns {
		headers[i] = c.header
	}
	fmt.Fprintln(tw, strings.Join(headers, "\t"))
	for _, c := range conns {
		if c == nil {
			continue
		}
		vlan := "-"
		if n, ok := c.VlanID.Value(); ok {
			vlan = fmt.Sprint(n)
		}
		spec := string(c.Spec)
		if c.ExpectSpec != "" && c.ExpectSpec != c.Spec {
			spec += "->" + string(c.ExpectSpec)
		}
		cells := []string{c.VirtualPhysicalConnectionID, c.PhysicalConnectionID, vlan, spec, string(c.Status),
			string(c.VirtualPhysicalConnectionStatus), string(c.BusinessStatus), c.VpconnAliUID, c.Name}
		for i := range cells {
			if cells[i] == "" {
				cells[i] = "-"
			}
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, line := range footer {
		if _, err := fmt.Fprintln(p.w, line); err != nil {
			return err
		}
	}
	return nil
}

// flatten returns the leaves of a JSON value as (path, value) rows, in the order of the
// document: {"A": {"B": 1}, "C": [2]} gives ("A.B", "1") and ("C[0]", "2").
func flatten(data []byte) ([][2]string, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var rows [][2]string
	var walk func(path string) error
	walk = func(path string) error {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{':
				for dec.More() {
					key, err := dec.Token()
					if err != nil {
						return err
					}
					sub := key.(string)
					if path != "" {
						sub = path + "." + sub
					}
					if err := walk(sub); err != nil {
						return err
					}
				}
			case '[':
				for i := 0; dec.More(); i++ {
					if err := walk(fmt.Sprintf("%s[%d]", path, i)); err != nil {
						return err
					}
				}
			}
			_, err := dec.Token() // the closing delimiter
			return err
		case nil:
			rows = append(rows, [2]string{path, "-"})
		case string:
			if t == "" {
				t = "-"
			}
			rows = append(rows, [2]string{path, t})
		default:
			rows = append(rows, [2]string{path, fmt.Sprint(t)})
		}
		return nil
	}
	if err := walk(""); err != nil {
		return nil, fmt.Errorf("formatting the table: %w", err)
	}
	return rows, nil
}
