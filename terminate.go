package expressconnect

import "context"

// actionTerminate is the API action [Client.TerminateVirtualPhysicalConnection] sends.
const actionTerminate = "TerminatePhysicalConnection"

// TerminateVirtualPhysicalConnection ends the service of an Enabled hosted connection, the
// step before it can be deleted. It sends the API action TerminatePhysicalConnection with the
// hosted connection's ID (there is no TerminateVirtualPhysicalConnection action):
// https://www.alibabacloud.com/help/en/express-connect/developer-reference/api-terminatephysicalconnection
//
// Only an Enabled connection without a VBR can be terminated; it becomes Terminating, then
// Terminated: wait for that with [IsTerminated] before deleting it. Another state is an error
// in the [ErrInvalidState] family (Forbidden.NotAllowedInState, Forbidden.VbrAttached). The
// documentation is silent on hosted connections; the client treats the partner, the circuit's
// owner, as the caller.
//
// TerminatePhysicalConnection is the circuit owner's generic action, so the client first
// confirms that the ID is a hosted connection on req.PhysicalConnectionID, as
// [Client.DeleteVirtualPhysicalConnection] does, and refuses with an error matching
// [ErrNotHostedConnection] otherwise. Every attempt sends the same idempotency token (the
// request's Token, sent as ClientToken).
func (c *Client) TerminateVirtualPhysicalConnection(ctx context.Context, req *HostedConnectionRequest, opts ...CallOption) (*ResponseMetadata, error) {
	return invokeGuarded(ctx, c, actionTerminate, req, opts)
}
