package expressconnect

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
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
// of a dry run that passed.
type UpdateVirtualPhysicalConnectionResponse struct {
	ResponseMetadata
	// Token is the idempotency token that was sent.
	Token string
	// DryRun reports that the request was a dry run that passed; nothing was changed.
	DryRun bool
}

// Wire names of the operation's own parameters.
const (
	paramInstanceID = "InstanceId"
	paramExpectSpec = "ExpectSpec"
)

// Validate reports every rule r breaks, as a client without [WithLenientValidation] checks it
// before sending: a *ValidationError, or nil. An empty RegionID is reported, although a client
// with a region fills it in before checking.
func (r *UpdateVirtualPhysicalConnectionRequest) Validate() error { return validateRequest(r) }

func (r *UpdateVirtualPhysicalConnectionRequest) action() string { return actionUpdate }

func (r *UpdateVirtualPhysicalConnectionRequest) resolved(region string) request {
	if r == nil {
		return nil
	}
	c := *r
	if c.RegionID == "" {
		c.RegionID = region
	}
	return &c
}

func (r *UpdateVirtualPhysicalConnectionRequest) validate(strict bool) error {
	v := validator{strict: strict}
	v.region(r.RegionID)
	v.required("VirtualPhysicalConnectionID", paramInstanceID, r.VirtualPhysicalConnectionID)
	v.vlan("VLANID", r.VLANID)
	v.spec("ExpectSpec", paramExpectSpec, r.ExpectSpec, false)
	v.token("Token", paramToken, r.Token)
	return v.result(actionUpdate)
}

func (r *UpdateVirtualPhysicalConnectionRequest) idempotencyToken() *string { return &r.Token }

func (r *UpdateVirtualPhysicalConnectionRequest) wire() ([]param, bool) {
	id, _ := r.VLANID.Value()
	ps := make([]param, 0, 6)
	ps = append(ps,
		param{paramRegionID, r.RegionID},
		param{paramInstanceID, r.VirtualPhysicalConnectionID},
		param{paramVLANID, strconv.Itoa(id)},
	)
	ps = appendOptional(ps, paramExpectSpec, string(r.ExpectSpec))
	ps = appendOptional(ps, paramToken, r.Token)
	ps = appendDryRun(ps, r.DryRun)
	return ps, r.DryRun
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

func (resp *UpdateVirtualPhysicalConnectionResponse) result(meta ResponseMetadata, token string, dryRunPassed bool) {
	resp.ResponseMetadata, resp.Token, resp.DryRun = meta, token, dryRunPassed
}
