package expressconnect

import (
	"context"
	"encoding/json"
)

// actionDelete is the API action [Client.DeleteVirtualPhysicalConnection] sends.
const actionDelete = "DeletePhysicalConnection"

// DeleteVirtualPhysicalConnection deletes a hosted connection. It sends the API action
// DeletePhysicalConnection with the hosted connection's ID, as the official Terraform provider
// does (there is no DeleteVirtualPhysicalConnection action):
// https://www.alibabacloud.com/help/en/express-connect/developer-reference/api-deletephysicalconnection
//
// Only a hosted connection that is not Enabled can be deleted (the documentation lists
// Allocated, Confirmed, Rejected, Canceled, AllocationFailed and Terminated), and not while a
// VBR is attached; otherwise the error is in the [ErrInvalidState] family. A hosted connection
// that does not exist, or no longer does, is an error in the [ErrNotFound] family, so that a
// caller can treat it as deleted; a wrong region is not, as it is [ErrInvalidParameter]. Every
// attempt sends the same idempotency token (its Token, sent as ClientToken), as Create does.
func (c *Client) DeleteVirtualPhysicalConnection(ctx context.Context, req *DeleteVirtualPhysicalConnectionRequest, opts ...CallOption) (*DeleteVirtualPhysicalConnectionResponse, error) {
	return invoke[DeleteVirtualPhysicalConnectionResponse](ctx, c, req, opts)
}

// DeleteVirtualPhysicalConnectionRequest holds the parameters of
// [Client.DeleteVirtualPhysicalConnection].
type DeleteVirtualPhysicalConnectionRequest struct {
	// RegionID is the region of the hosted connection (RegionId). Required; when empty the
	// client's region is used.
	RegionID string
	// VirtualPhysicalConnectionID is the hosted connection's ID, such as "pc-bp1..." (sent as
	// PhysicalConnectionId). Required.
	VirtualPhysicalConnectionID string
	// Token is the idempotency token (sent as ClientToken): printable ASCII, at most 64
	// characters. Optional: when empty the client fills it in, as for Create's Token.
	Token string
}

// DeleteVirtualPhysicalConnectionResponse is the result of a deletion.
type DeleteVirtualPhysicalConnectionResponse struct {
	ResponseMetadata
}

func (r *DeleteVirtualPhysicalConnectionRequest) action() string { return actionDelete }

func (r *DeleteVirtualPhysicalConnectionRequest) encode(e *encoder) {
	e.region(r.RegionID)
	e.required("VirtualPhysicalConnectionID", paramPhysicalConnectionID, r.VirtualPhysicalConnectionID)
	e.idempotencyToken("Token", paramClientToken, r.Token)
}

// decode reads a success body, which carries only the RequestId.
func (resp *DeleteVirtualPhysicalConnectionResponse) decode(body []byte, _ bool) (envelope, error) {
	var b envelope
	err := json.Unmarshal(body, &b)
	return b, err
}
