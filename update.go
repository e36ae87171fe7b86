package expressconnect

import (
	"context"
	"fmt"
	"strings"
)

// actionUpdate is the API action of [Client.UpdateVirtualPhysicalConnection].
const actionUpdate = "UpdateVirtualPhysicalConnection"

// UpdateVirtualPhysicalConnection changes a hosted connection's VLAN and, with ExpectSpec, asks
// for a new bandwidth, which takes effect once paid for (wait for it with [HasSpec]). It sends
// the API action UpdateVirtualPhysicalConnection:
// https://www.alibabacloud.com/help/en/express-connect/developer-reference/api-updatevirtualphysicalconnection
//
// The service requires VlanId on every update. A request whose VLANID is unset keeps the
// current VLAN: the client reads it first with [Client.GetVirtualPhysicalConnection] (one List
// call) and sends it. Every attempt sends the same idempotency Token, as
// [Client.CreateVirtualPhysicalConnection] does.
//
// The service's Success field says whether the VLAN ID was changed, and the response's
// VLANChanged reports it. When it says not and the request asked for a VLAN, the client reads
// the hosted connection back (one List call): if it is on that VLAN, nothing needed changing
// and the call succeeds; otherwise the call fails with an *OperationError matching
// [ErrNotApplied]. A bandwidth-only change never fails that way.
func (c *Client) UpdateVirtualPhysicalConnection(ctx context.Context, req *UpdateVirtualPhysicalConnectionRequest, opts ...CallOption) (*UpdateVirtualPhysicalConnectionResponse, error) {
	send := req
	_, vlanAsked := req.vlan()
	if req != nil && !vlanAsked && c != nil && c.http != nil && ctx != nil {
		if _, _, err := c.check(req, opts); err != nil {
			return nil, err // refused before the VLAN is read
		}
		cur, err := c.currentVLAN(ctx, req, opts)
		if err != nil {
			return nil, err
		}
		filled := *req // the caller's request is not changed
		filled.VLANID = cur
		send = &filled
	}
	resp, err := invoke[UpdateVirtualPhysicalConnectionResponse](ctx, c, send, opts)
	if err != nil || resp.VLANChanged || resp.DryRun || !vlanAsked {
		return resp, err
	}
	cur, err := c.currentVLAN(ctx, req, opts)
	switch {
	case err != nil:
		return nil, &OperationError{Operation: actionUpdate, Token: resp.Token, Attempts: resp.Attempts,
			Err: fmt.Errorf("the service answered Success \"false\" (RequestId %s), and reading the VLAN back failed: %w", resp.RequestID, err)}
	case cur != req.VLANID:
		return nil, &OperationError{Operation: actionUpdate, Token: resp.Token, Attempts: resp.Attempts,
			Err: fmt.Errorf("%w: the service answered Success \"false\" (RequestId %s), and the hosted connection is on VLAN %s, not %s",
				ErrNotApplied, resp.RequestID, cur, req.VLANID)}
	}
	return resp, nil
}

// currentVLAN reads the VLAN of the hosted connection req names.
func (c *Client) currentVLAN(ctx context.Context, req *UpdateVirtualPhysicalConnectionRequest, opts []CallOption) (VLANID, error) {
	got, err := c.GetVirtualPhysicalConnection(ctx, &GetVirtualPhysicalConnectionRequest{
		RegionID: req.RegionID, VirtualPhysicalConnectionID: req.VirtualPhysicalConnectionID}, opts...)
	if err != nil {
		return VLANID{}, fmt.Errorf("expressconnect: %s: reading the current VLAN of %s: %w", actionUpdate, req.VirtualPhysicalConnectionID, err)
	}
	return got.VLANID, nil
}

// UpdateVirtualPhysicalConnectionRequest holds the parameters of
// [Client.UpdateVirtualPhysicalConnection].
type UpdateVirtualPhysicalConnectionRequest struct {
	// RegionID is the region of the hosted connection (RegionId). Required; when empty the
	// client's region is used.
	RegionID string
	// VirtualPhysicalConnectionID is the hosted connection's ID, such as "pc-bp1..." (sent as
	// InstanceId). Required.
	VirtualPhysicalConnectionID string
	// VLANID is the VLAN to use, 0 to 2999, built with [VLAN]; VLAN(0) is valid. Optional:
	// unset keeps the current VLAN, which the client reads and sends.
	VLANID VLANID
	// ExpectSpec is the bandwidth to change to. Optional.
	ExpectSpec Spec
	// Token is the idempotency token, as on [CreateVirtualPhysicalConnectionRequest]. Optional:
	// when empty the client fills it in.
	Token string
	// DryRun asks the service to check the request without changing anything. Default false.
	DryRun bool
}

// UpdateVirtualPhysicalConnectionResponse is the result of a change the service accepted, or
// of a dry run that passed (its DryRun is set then, and nothing was changed).
type UpdateVirtualPhysicalConnectionResponse struct {
	ResponseMetadata
	// VLANChanged reports that the service said the VLAN was changed (its Success field is
	// "true"). A bandwidth-only change, or one to the VLAN already in use, may report false.
	VLANChanged bool
}

// paramExpectSpec is the wire name of the operation's own parameter.
const paramExpectSpec = "ExpectSpec"

// vlan returns the request's VLAN and whether it is set; unset for a nil request.
func (r *UpdateVirtualPhysicalConnectionRequest) vlan() (VLANID, bool) {
	if r == nil {
		return VLANID{}, false
	}
	_, ok := r.VLANID.Value()
	return r.VLANID, ok
}

func (r *UpdateVirtualPhysicalConnectionRequest) action() string { return actionUpdate }

func (r *UpdateVirtualPhysicalConnectionRequest) encode(e *encoder) {
	e.region(r.RegionID)
	e.required("VirtualPhysicalConnectionID", paramInstanceID, r.VirtualPhysicalConnectionID)
	if _, set := r.VLANID.Value(); set { // unset is filled in by the method before sending
		e.vlan("VLANID", r.VLANID)
	}
	e.spec("ExpectSpec", paramExpectSpec, r.ExpectSpec, false)
	e.idempotencyToken("Token", paramToken, r.Token)
	e.dryRunFlag(r.DryRun)
}

// updateBody is the documented success answer. Success is a string on the wire.
type updateBody struct {
	envelope
	Success looseString
}

// decode reads a success body and its Success.
func (resp *UpdateVirtualPhysicalConnectionResponse) decode(body []byte, _ bool) (envelope, error) {
	var b updateBody
	if err := decodeJSON(body, &b); err != nil {
		return b.envelope, err
	}
	resp.VLANChanged = strings.EqualFold(string(b.Success), "true")
	return b.envelope, nil
}
