package expressconnect

import (
	"context"
	"errors"
	"fmt"
)

// This file is the guard of the actions that the client sends with a hosted connection's ID
// under one of the circuit owner's generic PhysicalConnection actions: DeletePhysicalConnection,
// TerminatePhysicalConnection and CancelPhysicalConnection. The service applies those to any
// ID the account owns, its own circuits included, and circuit and hosted connection IDs look
// alike ("pc-..."): a circuit that is not Enabled (newly ordered, waiting for payment,
// terminated but recoverable) would be deleted for good. So the client sends such an action
// only once it has confirmed, with a List on the circuit the request names, that the ID is a
// hosted connection on that circuit.

// ErrNotHostedConnection is matched when the client refused to send an action on a hosted
// connection because it could not confirm that the ID names a hosted connection on the circuit
// the request names: the ID is a circuit's, is on another circuit, or the two IDs are
// swapped. Nothing was sent.
var ErrNotHostedConnection = errors.New("not a hosted connection on the circuit named")

// HostedConnectionRequest names a hosted connection on a partner's circuit, for the actions
// the client guards: [Client.DeleteVirtualPhysicalConnection],
// [Client.TerminateVirtualPhysicalConnection] and [Client.CancelVirtualPhysicalConnection].
type HostedConnectionRequest struct {
	// RegionID is the region of the hosted connection (RegionId). Required; when empty the
	// client's region is used.
	RegionID string
	// PhysicalConnectionID is the partner's circuit the hosted connection is on. Required; it
	// is not sent with the action, but the client checks the hosted connection against it.
	PhysicalConnectionID string
	// VirtualPhysicalConnectionID is the hosted connection's ID, such as "pc-bp1..." (sent as
	// PhysicalConnectionId). Required, and not the circuit's.
	VirtualPhysicalConnectionID string
	// Token is the idempotency token (sent as ClientToken): printable ASCII, at most 64
	// characters. Optional: when empty the client fills it in, as for Create's Token, and
	// reports it in the response and in errors.
	Token string
}

// actionGuarded names the guarded actions together, for a HostedConnectionRequest checked
// with [Validate] alone.
const actionGuarded = "DeletePhysicalConnection, TerminatePhysicalConnection or CancelPhysicalConnection"

func (r *HostedConnectionRequest) action() string { return actionGuarded }

func (r *HostedConnectionRequest) encode(e *encoder) {
	e.region(r.RegionID)
	if r.PhysicalConnectionID == "" {
		e.add("PhysicalConnectionID", "-", "required: the circuit the hosted connection is on, which the client checks the ID against before sending")
	}
	e.required("VirtualPhysicalConnectionID", paramPhysicalConnectionID, r.VirtualPhysicalConnectionID)
	if r.VirtualPhysicalConnectionID != "" && r.VirtualPhysicalConnectionID == r.PhysicalConnectionID {
		e.add("VirtualPhysicalConnectionID", paramPhysicalConnectionID, "must not be the circuit's ID (PhysicalConnectionID): are the two swapped?")
	}
	e.idempotencyToken("Token", paramClientToken, r.Token)
}

// guarded is the request of one guarded action: its name and its HostedConnectionRequest.
type guarded struct {
	name string
	req  *HostedConnectionRequest
}

func (g *guarded) action() string { return g.name }

func (g *guarded) encode(e *encoder) {
	if g.req == nil {
		e.add("request", "-", "must not be nil")
		return
	}
	g.req.encode(e)
}

// invokeGuarded runs the guarded action name on req: it confirms the target, then sends the
// action, whose answer carries only its RequestId.
func invokeGuarded(ctx context.Context, c *Client, name string, req *HostedConnectionRequest, opts []CallOption) (*ResponseMetadata, error) {
	return invoke[ResponseMetadata](ctx, c, &guarded{name: name, req: req}, opts)
}

// confirmTarget confirms that id is a hosted connection on circuit, in the call's region and
// with the call's options, or returns why not. It sends one List call, and when that one does
// not find id, another List without the circuit filter and one DescribePhysicalConnections, to
// tell a hosted connection on another circuit, a circuit and an ID that exists nowhere apart.
// A hosted connection that List shows as deleted, or an ID that exists nowhere in the region,
// is an error in the [ErrNotFound] family: already gone.
func (k *call) confirmTarget(ctx context.Context, circuit, id string) error {
	fail := func(err error) error {
		return fmt.Errorf("expressconnect: %s: nothing sent: %w", k.info.Operation, err)
	}
	onCircuit, err := k.findHosted(ctx, circuit, id)
	if err != nil {
		return fail(fmt.Errorf("confirming that %s is a hosted connection on circuit %s: %w", id, circuit, err))
	}
	if onCircuit == nil {
		anywhere, err := k.findHosted(ctx, "", id)
		if err != nil {
			return fail(fmt.Errorf("confirming that %s is a hosted connection on circuit %s: %w", id, circuit, err))
		}
		if anywhere == nil || anywhere.ParentPhysicalConnectionID != circuit {
			return fail(k.notOnCircuit(ctx, circuit, id, anywhere))
		}
		onCircuit = anywhere
	}
	if onCircuit.VpconnStatus == VpconnStatusDeleted {
		return fail(fmt.Errorf("%w: hosted connection %s is already deleted", ErrNotFound, id))
	}
	return nil
}

// findHosted lists id among the hosted connections of circuit ("" for any), deleted ones
// included, and returns it, or nil when List does not return it as a hosted connection.
func (k *call) findHosted(ctx context.Context, circuit, id string) (*VirtualPhysicalConnection, error) {
	resp, err := k.client.ListVirtualPhysicalConnections(ctx, byIDs(k.region, circuit, id), k.opts...)
	if err != nil {
		return nil, err
	}
	for i := range resp.VirtualPhysicalConnections {
		conn := &resp.VirtualPhysicalConnections[i]
		if conn.VirtualPhysicalConnectionID == id && isHostedProduct(conn.ProductType) {
			return conn, nil
		}
	}
	return nil, nil
}

// isHostedProduct reports whether a ProductType is a hosted connection's; List leaves it out
// for none that the documentation shows, so an empty one is taken as List's own kind.
func isHostedProduct(productType string) bool {
	return productType == "" || productType == productHosted
}

// notOnCircuit returns why id, which List does not show on circuit, cannot be acted on:
// anywhere is id as List shows it on another circuit, or nil.
func (k *call) notOnCircuit(ctx context.Context, circuit, id string, anywhere *VirtualPhysicalConnection) error {
	if anywhere != nil {
		return fmt.Errorf("%w: %s is a hosted connection on circuit %s, not on %s: check PhysicalConnectionID",
			ErrNotHostedConnection, id, anywhere.ParentPhysicalConnectionID, circuit)
	}
	d, err := k.client.DescribePhysicalConnection(ctx, &DescribePhysicalConnectionRequest{RegionID: k.region, PhysicalConnectionID: id}, k.opts...)
	switch {
	case errors.Is(err, ErrNotFound):
		return fmt.Errorf("%w: no hosted connection or circuit %s exists in region %s: already gone, or never created", ErrNotFound, id, k.region)
	case err != nil:
		return fmt.Errorf("confirming that %s is a hosted connection on circuit %s: %w", id, circuit, err)
	case d.ProductType == productCircuit || d.ProductType == "":
		return fmt.Errorf("%w: %s is a circuit, not a hosted connection: are VirtualPhysicalConnectionID and PhysicalConnectionID swapped?",
			ErrNotHostedConnection, id)
	}
	return fmt.Errorf("%w: %s is not a hosted connection on circuit %s", ErrNotHostedConnection, id, circuit)
}

// decode reads a success body that carries only the RequestId, the answer of the guarded
// actions. It is the response's own decode when ResponseMetadata is the whole response.
func (m *ResponseMetadata) decode(body []byte, _ bool) (envelope, error) {
	var b envelope
	err := decodeJSON(body, &b)
	return b, err
}
