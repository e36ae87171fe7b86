package expressconnect

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"github.com/expressconnect-go/expressconnect/internal/rules"
)

// This file helps a partner choose VLANs: a VLAN must be unique among the hosted connections
// of a circuit, and VLAN 0 takes a whole circuit. It reads what a circuit's hosted connections
// hold, and creates a hosted connection on the first free VLAN in a way that survives a crash.

// FreeVLAN reads every hosted connection on a circuit (every page of
// ListVirtualPhysicalConnections, one call per 100) and returns the VLANs they hold, the
// first one that is free, and what they use of the circuit. Deleted hosted connections hold
// nothing; every other one holds its VLAN, whatever its state. A VLAN another partner takes
// between this call and a Create still fails that Create with a VLAN conflict:
// [Client.CreateVirtualPhysicalConnectionOnFreeVLAN] handles that race.
func (c *Client) FreeVLAN(ctx context.Context, req *FreeVLANRequest, opts ...CallOption) (*FreeVLANResponse, error) {
	if err := req.check(); err != nil {
		return nil, err
	}
	used, err := c.circuitVLANs(ctx, req.RegionID, req.PhysicalConnectionID, opts)
	if err != nil {
		return nil, err
	}
	resp := &FreeVLANResponse{HostedConnections: len(used)}
	for _, u := range used {
		resp.Used = append(resp.Used, u.vlan)
		resp.ReservedMbps += max(u.spec.Mbps(), u.expectSpec.Mbps())
	}
	slices.SortFunc(resp.Used, func(a, b VLANID) int { return a.id - b.id })
	resp.Used = slices.Compact(resp.Used)
	resp.Free = firstFree(resp.Used, req.from(), req.to())
	return resp, nil
}

// FreeVLANRequest names the circuit whose VLANs [Client.FreeVLAN] reads.
type FreeVLANRequest struct {
	// RegionID is the circuit's region. Required; when empty the client's region is used.
	RegionID string
	// PhysicalConnectionID is the partner's circuit. Required.
	PhysicalConnectionID string
	// From and To bound the VLANs the free one is chosen among, both included. Default: 1 and
	// 2999. VLAN 0 is chosen only when From is VLAN(0), and only on a circuit that carries no
	// hosted connection, since it takes the whole circuit.
	From, To VLANID
}

// FreeVLANResponse is what a circuit's hosted connections hold.
type FreeVLANResponse struct {
	// Used are the VLANs held, in ascending order.
	Used []VLANID
	// Free is the lowest VLAN between From and To that is not held; unset when there is none,
	// or when VLAN 0 is held (it leaves no VLAN for another hosted connection).
	Free VLANID
	// HostedConnections is how many hosted connections the circuit carries, deleted ones left
	// out: each takes a place in its quota, which the service does not report.
	HostedConnections int
	// ReservedMbps is the bandwidth they reserve, in Mbit/s: the larger of Spec and ExpectSpec
	// of each. Compare it with the circuit's Bandwidth ([Client.DescribePhysicalConnection]).
	ReservedMbps int
}

// check checks the request of FreeVLAN.
func (r *FreeVLANRequest) check() error {
	const op = "FreeVLAN"
	if r == nil {
		return nilRequest(op)
	}
	e := encoder{strict: true}
	e.required("PhysicalConnectionID", paramPhysicalConnectionID, r.PhysicalConnectionID)
	r.checkRange(&e)
	return e.result(op)
}

// checkRange checks From and To.
func (r *FreeVLANRequest) checkRange(e *encoder) {
	for _, f := range []struct {
		name string
		id   VLANID
	}{{"From", r.From}, {"To", r.To}} {
		if n, ok := f.id.Value(); ok {
			e.add(f.name, "-", rules.VLAN(n)...)
		}
	}
	if r.from() > r.to() {
		e.add("To", "-", fmt.Sprintf("must not be below From, got %d and %d", r.to(), r.from()))
	}
}

func (r *FreeVLANRequest) from() int {
	if n, ok := r.From.Value(); ok {
		return n
	}
	return 1
}

func (r *FreeVLANRequest) to() int {
	if n, ok := r.To.Value(); ok {
		return n
	}
	return rules.MaxVLAN
}

// firstFree returns the lowest VLAN from from to to that is not in used (ascending), or unset.
func firstFree(used []VLANID, from, to int) VLANID {
	if len(used) > 0 && used[0].id == 0 {
		return VLANID{} // VLAN 0 takes the whole circuit
	}
	if from == 0 {
		if len(used) == 0 {
			return VLAN(0)
		}
		from = 1
	}
	for v := from; v <= to; v++ {
		if _, held := slices.BinarySearchFunc(used, v, func(u VLANID, v int) int { return u.id - v }); !held {
			return VLAN(v)
		}
	}
	return VLANID{}
}

// heldVLAN is what one hosted connection holds on its circuit.
type heldVLAN struct {
	vlan             VLANID
	tenant           string
	spec, expectSpec Spec
}

// circuitVLANs lists every hosted connection on circuit that is not deleted, page by page.
func (c *Client) circuitVLANs(ctx context.Context, region, circuit string, opts []CallOption) ([]heldVLAN, error) {
	var out []heldVLAN
	req := &ListVirtualPhysicalConnectionsRequest{RegionID: region, PhysicalConnectionID: circuit, MaxResults: rules.MaxPageSize,
		VpconnStatuses: []VpconnStatus{VpconnStatusUnConfirmed, VpconnStatusConfirmed}}
	for conn, err := range c.ListAllVirtualPhysicalConnections(ctx, req, opts...) {
		if err != nil {
			return nil, err
		}
		if _, ok := conn.VLANID.Value(); ok && conn.VpconnStatus != VpconnStatusDeleted {
			out = append(out, heldVLAN{vlan: conn.VLANID, tenant: conn.VpconnAliUID, spec: conn.Spec, expectSpec: conn.ExpectSpec})
		}
	}
	return out, nil
}

// CreateVirtualPhysicalConnectionOnFreeVLAN creates the hosted connection req.Connection on the
// lowest free VLAN of its circuit between req.From and req.To, in a way that survives a crash
// of the caller: run it again with the same OrderKey after a crash or an error, and it creates
// nothing twice.
//
// Each attempt on VLAN v sends the idempotency token derived from OrderKey and v (a SHA-256
// hash, as a UUID), so that a restarted program sends the same token for the same attempt and
// a new VLAN gets a new one; the response's Token says which attempt succeeded. The
// method first lists the circuit ([Client.FreeVLAN]'s cost). It then retries, with their
// derived tokens, the VLANs that hosted connections of the same tenant hold: the service
// answers the one an earlier run of this order created as the first time, and a VLAN conflict
// for the others. Last, it tries the free VLANs in ascending order, moving to the next on a
// VLAN conflict (another partner took it meanwhile). The resumption relies on the service
// remembering tokens; the documentation does not say for how long, so run it again soon after
// a failure. Without a free VLAN it fails with an error in the [ErrVLANConflict] family.
func (c *Client) CreateVirtualPhysicalConnectionOnFreeVLAN(ctx context.Context, req *CreateOnFreeVLANRequest, opts ...CallOption) (*CreateVirtualPhysicalConnectionResponse, error) {
	if err := req.check(); err != nil {
		return nil, err
	}
	held, err := c.circuitVLANs(ctx, req.Connection.RegionID, req.Connection.PhysicalConnectionID, opts)
	if err != nil {
		return nil, err
	}
	var used []VLANID
	var ours []int // VLANs of the tenant's hosted connections: maybe an earlier run's
	for _, h := range held {
		used = append(used, h.vlan)
		if h.tenant == req.Connection.VpconnAliUID {
			ours = append(ours, h.vlan.id)
		}
	}
	slices.SortFunc(used, func(a, b VLANID) int { return a.id - b.id })
	slices.Sort(ours)
	window := FreeVLANRequest{From: req.From, To: req.To}
	for _, v := range slices.Compact(ours) {
		if v < window.from() || v > window.to() {
			continue
		}
		resp, err := c.createOn(ctx, req, v, opts)
		if err == nil || !errors.Is(err, ErrVLANConflict) {
			return resp, err
		}
	}
	for {
		free := firstFree(used, window.from(), window.to())
		v, ok := free.Value()
		if !ok {
			return nil, fmt.Errorf("expressconnect: %s: %w: no free VLAN from %d to %d on circuit %s",
				actionCreate, ErrVLANConflict, window.from(), window.to(), req.Connection.PhysicalConnectionID)
		}
		resp, err := c.createOn(ctx, req, v, opts)
		if err == nil || !errors.Is(err, ErrVLANConflict) {
			return resp, err
		}
		used = append(used, free) // taken meanwhile: try the next one
		slices.SortFunc(used, func(a, b VLANID) int { return a.id - b.id })
	}
}

// CreateOnFreeVLANRequest holds the parameters of
// [Client.CreateVirtualPhysicalConnectionOnFreeVLAN].
type CreateOnFreeVLANRequest struct {
	// Connection is the hosted connection to create. Its VLANID and Token must be unset: the
	// method chooses the VLAN and derives the token.
	Connection CreateVirtualPhysicalConnectionRequest
	// OrderKey identifies the caller's order, such as its key in the caller's store: 1 to 64
	// printable ASCII characters, as a token. Required. Use one key per hosted connection to
	// create.
	OrderKey string
	// From and To bound the VLANs chosen among, both included, as on [FreeVLANRequest].
	// Default: 1 and 2999.
	From, To VLANID
}

// check checks the request of CreateVirtualPhysicalConnectionOnFreeVLAN.
func (r *CreateOnFreeVLANRequest) check() error {
	if r == nil {
		return nilRequest(actionCreate)
	}
	e := encoder{strict: true}
	if r.OrderKey == "" {
		e.add("OrderKey", "-", "required: the key of the caller's order, from which the tokens are derived")
	}
	e.add("OrderKey", "-", rules.Token(r.OrderKey, true)...)
	if _, set := r.Connection.VLANID.Value(); set {
		e.add("Connection.VLANID", paramVLANID, "must be unset: the method chooses the VLAN")
	}
	if r.Connection.Token != "" {
		e.add("Connection.Token", paramToken, "must be unset: the method derives the token from OrderKey and the VLAN")
	}
	if r.Connection.PhysicalConnectionID == "" {
		e.add("Connection.PhysicalConnectionID", paramPhysicalConnectionID, "required")
	}
	window := FreeVLANRequest{From: r.From, To: r.To}
	window.checkRange(&e)
	return e.result(actionCreate)
}

// createOn creates req's hosted connection on VLAN v with the token derived for it.
func (c *Client) createOn(ctx context.Context, req *CreateOnFreeVLANRequest, v int, opts []CallOption) (*CreateVirtualPhysicalConnectionResponse, error) {
	attempt := req.Connection // the caller's request is not changed
	attempt.VLANID, attempt.Token = VLAN(v), derivedToken(req.OrderKey, v)
	return c.CreateVirtualPhysicalConnection(ctx, &attempt, opts...)
}

// derivedToken returns the idempotency token of the attempt of order orderKey on VLAN v: the
// first 16 bytes of SHA-256("expressconnect-go/vlan-attempt\x00" + orderKey + "\x00" + v),
// written as a UUID of version 8 (RFC 9562's custom version).
func derivedToken(orderKey string, v int) string {
	sum := sha256.Sum256([]byte("expressconnect-go/vlan-attempt\x00" + orderKey + "\x00" + strconv.Itoa(v)))
	b := sum[:16]
	b[6] = b[6]&0x0F | 0x80 // version 8
	b[8] = b[8]&0x3F | 0x80 // RFC 9562 variant
	h := hex.EncodeToString(b)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}
