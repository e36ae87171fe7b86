package expressconnect

import (
	"context"

	"github.com/expressconnect-go/expressconnect/internal/rules"
)

// actionCreate is the API action of [Client.CreateVirtualPhysicalConnection].
const actionCreate = "CreateVirtualPhysicalConnection"

// CreateVirtualPhysicalConnection creates a hosted connection on a partner's circuit for a
// tenant, or checks that it could when req.DryRun is set. It sends the API action
// CreateVirtualPhysicalConnection:
// https://www.alibabacloud.com/help/en/express-connect/developer-reference/api-vpc-2016-04-28-createvirtualphysicalconnection-efficiency-channels
//
// The request is validated first; a request that breaks any rule returns a *ValidationError
// listing every violation, and nothing is sent. Every attempt then sends the same idempotency
// Token (the request's, else one from the client's token provider, else [NewToken]), so a
// retry never creates a second hosted connection. Every later failure is an *OperationError
// that carries the Token and the record of every attempt; opts override the client's settings
// for this call.
func (c *Client) CreateVirtualPhysicalConnection(ctx context.Context, req *CreateVirtualPhysicalConnectionRequest, opts ...CallOption) (*CreateVirtualPhysicalConnectionResponse, error) {
	return invoke[CreateVirtualPhysicalConnectionResponse](ctx, c, req, opts)
}

// CreateVirtualPhysicalConnectionRequest holds the parameters of
// [Client.CreateVirtualPhysicalConnection]. Required fields are plain values and are always
// sent; optional fields are sent only when they are not empty (DryRun only when true). The
// client never trims or otherwise rewrites a value.
type CreateVirtualPhysicalConnectionRequest struct {
	// RegionID is the region of the hosted connection (RegionId). Required; when empty the
	// client's region is used.
	RegionID string
	// PhysicalConnectionID is the partner's Express Connect circuit, such as "pc-bp1...".
	// Required.
	PhysicalConnectionID string
	// VpconnAliUID is the tenant's Alibaba Cloud account ID in decimal. Required.
	VpconnAliUID string
	// VLANID is the VLAN on the circuit, 0 to 2999. Required: build it with [VLAN]; VLAN(0) is
	// valid, and the zero value is rejected as not set.
	VLANID VLANID
	// Spec is the bandwidth. Required.
	Spec Spec
	// OrderMode says who pays. Required.
	OrderMode OrderMode
	// Name is 2 to 128 characters: letters (any script), digits, "_" and "-", starting with a
	// letter and not with "http://" or "https://". Optional.
	Name string
	// Description is 2 to 256 characters, starting with a letter and not with "http://" or
	// "https://". Optional.
	Description string
	// Token is the idempotency token: printable ASCII, at most 64 characters. Optional: when
	// empty the client fills it (see [WithTokenProvider]) and reports it in the response and in
	// errors, so that the call can be repeated safely. Choosing it before the call, with
	// [NewToken], and storing it is safer still.
	Token string
	// DryRun asks the service to check the request without creating anything. Default false.
	DryRun bool
	// ResourceGroupID is the resource group of the hosted connection, such as "rg-acfm...".
	// Optional.
	ResourceGroupID string
	// Tags are at most 20 labels with unique keys, sent as Tag.N.Key and Tag.N.Value. Optional.
	Tags []Tag
}

// CreateVirtualPhysicalConnectionResponse is the result of a call that succeeded or of a dry
// run that passed (its DryRun is set then, and nothing was created). Its Token is the
// idempotency token that was sent: repeating the call with it creates nothing new.
type CreateVirtualPhysicalConnectionResponse struct {
	ResponseMetadata
	// VirtualPhysicalConnectionID is the new hosted connection's ID, such as "pc-bp1...". It is
	// empty for a dry run, unless the service reported an ID anyway, which is kept.
	VirtualPhysicalConnectionID string
}

// Wire names of the operation's own parameters.
const (
	paramVpconnAliUID = "VpconnAliUid"
	paramSpec         = "Spec"
	paramOrderMode    = "OrderMode"
	paramName         = "Name"
	paramDescription  = "Description"
	paramTag          = "Tag"
)

func (r *CreateVirtualPhysicalConnectionRequest) action() string { return actionCreate }

func (r *CreateVirtualPhysicalConnectionRequest) encode(e *encoder) {
	e.region(r.RegionID)
	e.required("PhysicalConnectionID", paramPhysicalConnectionID, r.PhysicalConnectionID)
	e.accountUID("VpconnAliUID", paramVpconnAliUID, r.VpconnAliUID)
	e.vlan("VLANID", r.VLANID)
	e.spec("Spec", paramSpec, r.Spec, true)
	e.orderMode("OrderMode", paramOrderMode, r.OrderMode)
	e.optional("Name", paramName, r.Name, rules.Name)
	e.optional("Description", paramDescription, r.Description, rules.Description)
	e.idempotencyToken("Token", paramToken, r.Token)
	e.dryRunFlag(r.DryRun)
	e.optional("ResourceGroupID", paramResourceGroupID, r.ResourceGroupID, rules.ResourceGroupID)
	e.tags("Tags", paramTag, r.Tags)
}

// createBody is the documented success answer.
type createBody struct {
	envelope
	VirtualPhysicalConnection string
}

// decode reads a success body into resp; the hosted connection's ID is required unless the
// request was a dry run.
func (resp *CreateVirtualPhysicalConnectionResponse) decode(body []byte, dryRun bool) (envelope, error) {
	var b createBody
	if err := decodeJSON(body, &b); err != nil {
		return b.envelope, err
	}
	resp.VirtualPhysicalConnectionID = b.VirtualPhysicalConnection
	if resp.VirtualPhysicalConnectionID == "" && !dryRun && b.Code == "" {
		return b.envelope, errMissingField("VirtualPhysicalConnection")
	}
	return b.envelope, nil
}
