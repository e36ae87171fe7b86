package expressconnect

import (
	"context"
	"fmt"
)

// GetVirtualPhysicalConnection reads one hosted connection by its ID. It sends one
// ListVirtualPhysicalConnections call for that ID, deleted ones included, with opts.
//
// A hosted connection that List does not return is an error in the [ErrNotFound] family. One
// that the service still lists as deleted is returned, with VpconnStatus Deleted: use
// [IsGone] to tell.
func (c *Client) GetVirtualPhysicalConnection(ctx context.Context, req *GetVirtualPhysicalConnectionRequest, opts ...CallOption) (*GetVirtualPhysicalConnectionResponse, error) {
	if req == nil {
		return nil, nilRequest(actionList)
	}
	if req.VirtualPhysicalConnectionID == "" {
		return nil, &ValidationError{Operation: actionList, Violations: []Violation{{
			Field: "VirtualPhysicalConnectionID", Param: listParam(paramVirtualPhysicalConnectionIDs, 0), Rule: "required"}}}
	}
	resp, err := c.ListVirtualPhysicalConnections(ctx, byIDs(req.RegionID, req.PhysicalConnectionID, req.VirtualPhysicalConnectionID), opts...)
	if err != nil {
		return nil, err
	}
	for _, conn := range resp.VirtualPhysicalConnections {
		if conn.VirtualPhysicalConnectionID == req.VirtualPhysicalConnectionID {
			return &GetVirtualPhysicalConnectionResponse{ResponseMetadata: resp.ResponseMetadata, VirtualPhysicalConnection: conn}, nil
		}
	}
	return nil, fmt.Errorf("expressconnect: %s: %w: no hosted connection %s (RequestId %s)", actionList, ErrNotFound, req.VirtualPhysicalConnectionID, resp.RequestID)
}

// GetVirtualPhysicalConnectionRequest names the hosted connection
// [Client.GetVirtualPhysicalConnection] reads.
type GetVirtualPhysicalConnectionRequest struct {
	// RegionID is the region of the hosted connection (RegionId). Required; when empty the
	// client's region is used.
	RegionID string
	// PhysicalConnectionID is the circuit the hosted connection is on. Optional: when set, a
	// hosted connection on another circuit is not found.
	PhysicalConnectionID string
	// VirtualPhysicalConnectionID is the hosted connection's ID. Required.
	VirtualPhysicalConnectionID string
}

// GetVirtualPhysicalConnectionResponse is the hosted connection that was read.
type GetVirtualPhysicalConnectionResponse struct {
	ResponseMetadata
	VirtualPhysicalConnection
}
