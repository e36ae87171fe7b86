package expressconnect

import "context"

// actionCancel is the API action [Client.CancelVirtualPhysicalConnection] sends.
const actionCancel = "CancelPhysicalConnection"

// CancelVirtualPhysicalConnection cancels a hosted connection before it is enabled, such as
// one the tenant accepted but has not paid for. It sends the API action
// CancelPhysicalConnection with the hosted connection's ID:
// https://www.alibabacloud.com/help/en/express-connect/developer-reference/api-cancelphysicalconnection
//
// The documentation allows it from Initial, Approved, Allocated and Confirmed; the hosted
// connection becomes Canceled, and can then be deleted. Another state is an error in the
// [ErrInvalidState] family (Forbidden.NotAllowedInState). The documentation is silent on
// hosted connections; the client treats the partner, the circuit's owner, as the caller.
//
// CancelPhysicalConnection is the circuit owner's generic action, so the client first
// confirms that the ID is a hosted connection on req.PhysicalConnectionID, as
// [Client.DeleteVirtualPhysicalConnection] does, and refuses with an error matching
// [ErrNotHostedConnection] otherwise. Every attempt sends the same idempotency token (the
// request's Token, sent as ClientToken).
func (c *Client) CancelVirtualPhysicalConnection(ctx context.Context, req *HostedConnectionRequest, opts ...CallOption) (*ResponseMetadata, error) {
	return invokeGuarded(ctx, c, actionCancel, req, opts)
}
