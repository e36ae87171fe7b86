package expressconnect

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
)

// actionUpdate is the API action of [Client.UpdateVirtualPhysicalConnection].
const actionUpdate = "UpdateVirtualPhysicalConnection"

// UpdateVirtualPhysicalConnection changes a hosted connection's VLAN and, with ExpectSpec, asks
// for a new bandwidth, which takes effect once paid for. It sends the API action
// UpdateVirtualPhysicalConnection:
// https://www.alibabacloud.com/help/en/express-connect/developer-reference/api-updatevirtualphysicalconnection
//
// The request is validated first, and every attempt sends the same idempotency Token, as
// [Client.CreateVirtualPhysicalConnection] does. The service reports the outcome in a
// Success field; an answer whose Success is not "true" is an error matching [ErrNotApplied].
func (c *Client) UpdateVirtualPhysicalConnection(ctx context.Context, req *UpdateVirtualPhysicalConnectionRequest, opts ...CallOption) (*UpdateVirtualPhysicalConnectionResponse, error) {
	return invoke[UpdateVirtualPhysicalConnectionResponse](ctx, c, req, opts)
}

// UpdateVirtualPhysicalConnectionRequest holds the parameters of
// [Client.UpdateVirtualPhysicalConnection]. VlanId is required by the service even to change
// only ExpectSpec: send the current VLAN then.
type UpdateVirtualPhysicalConnectionRequest struct {
	// RegionID is the region of the hosted connection (RegionId). Required; when empty the
	// client's region is used.
	RegionID string
	// VirtualPhysicalConnectionID is the hosted connection's ID, such as "pc-bp1..." (sent as
	// InstanceId). Required.
	VirtualPhysicalConnectionID string
	// VLANID is the VLAN to use, 0 to 2999. Required: build it with [VLAN]; VLAN(0) is valid,
	// and the zero value is rejected as not set.
	VLANID VLANID
	// ExpectSpec is the bandwidth to change to. Optional.
	ExpectSpec Spec
	// Token is the idempotency token, as on [CreateVirtualPhysicalConnectionRequest]. Optional:
	// when empty the client fills it in.
	Token string
	// DryRun asks the service to check the request without changing anything. Default false.
	DryRun bool
}

// UpdateVirtualPhysicalConnectionResponse is the result of a change the service applied, or
// of a dry run that passed (its DryRun is set then, and nothing was changed).
type UpdateVirtualPhysicalConnectionResponse struct {
	ResponseMetadata
}

// paramExpectSpec is the wire name of the operation's own parameter.
const paramExpectSpec = "ExpectSpec"

func (r *UpdateVirtualPhysicalConnectionRequest) action() string { return actionUpdate }

func (r *UpdateVirtualPhysicalConnectionRequest) encode(e *encoder) {
	e.region(r.RegionID)
	e.required("VirtualPhysicalConnectionID", paramInstanceID, r.VirtualPhysicalConnectionID)
	e.vlan("VLANID", r.VLANID)
	e.spec("ExpectSpec", paramExpectSpec, r.ExpectSpec, false)
	e.idempotencyToken("Token", paramToken, r.Token)
	e.dryRunFlag(r.DryRun)
}

// updateBody is the documented success answer. Success is a string on the wire.
type updateBody struct {
	envelope
	Success looseString
}

// decode reads a success body. Its Success must say "true", unless the request was a dry run,
// whose answer may carry only a RequestId.
func (resp *UpdateVirtualPhysicalConnectionResponse) decode(body []byte, dryRun bool) (envelope, error) {
	var b updateBody
	if err := json.Unmarshal(body, &b); err != nil {
		return b.envelope, err
	}
	switch {
	case b.Code != "":
	case strings.EqualFold(string(b.Success), "true"):
	case b.Success == "" && dryRun:
	default:
		return b.envelope, fmt.Errorf("%w: Success is %q", ErrNotApplied, b.Success)
	}
	return b.envelope, nil
}
