package expressconnect

import "context"

// actionDelete is the API action [Client.DeleteVirtualPhysicalConnection] sends.
const actionDelete = "DeletePhysicalConnection"

// DeleteVirtualPhysicalConnection deletes a hosted connection. It sends the API action
// DeletePhysicalConnection with the hosted connection's ID, as the official Terraform provider
// does (there is no DeleteVirtualPhysicalConnection action):
// https://www.alibabacloud.com/help/en/express-connect/developer-reference/api-deletephysicalconnection
//
// DeletePhysicalConnection is the circuit owner's generic action: given the ID of one of the
// partner's own circuits, it deletes that circuit for good unless it is Enabled. So the client
// first confirms, with one ListVirtualPhysicalConnections call on req.PhysicalConnectionID, that
// the ID is a hosted connection on that circuit, and refuses with an error matching
// [ErrNotHostedConnection], sending nothing, when it is not; when that List does not find the
// ID, a second List and a DescribePhysicalConnections tell a hosted connection on another
// circuit, a circuit and a missing ID apart.
//
// Only a hosted connection that is not Enabled can be deleted (the documentation lists
// Allocated, Confirmed, Rejected, Canceled, AllocationFailed and Terminated), and not while a
// VBR is attached; otherwise the error is in the [ErrInvalidState] family: terminate an
// Enabled one first ([Client.TerminateVirtualPhysicalConnection]). A hosted connection that
// does not exist, or no longer does, is an error in the [ErrNotFound] family, so that a caller
// can treat it as deleted; a wrong region is not, as it is [ErrInvalidParameter]. Every attempt
// sends the same idempotency token (the request's Token, sent as ClientToken).
func (c *Client) DeleteVirtualPhysicalConnection(ctx context.Context, req *HostedConnectionRequest, opts ...CallOption) (*ResponseMetadata, error) {
	return invokeGuarded(ctx, c, actionDelete, req, opts)
}
