package expressconnect

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"iter"
	"strconv"
	"sync"

	"github.com/expressconnect-go/expressconnect/internal/rules"
	"github.com/go-json-experiment/json/jsontext"
)

// actionList is the API action of [Client.ListVirtualPhysicalConnections].
const actionList = "ListVirtualPhysicalConnections"

// ListVirtualPhysicalConnections returns one page of the hosted connections that match req.
// It sends the API action ListVirtualPhysicalConnections:
// https://www.alibabacloud.com/help/en/express-connect/developer-reference/api-listvirtualphysicalconnections
//
// The request is validated first; a request that breaks any rule returns a *ValidationError
// listing every violation, and nothing is sent. A call is retried as Create's are; List takes
// no idempotency token, since it changes nothing. Pass the response's NextToken in the next
// request to read the next page, or use [Client.ListAllVirtualPhysicalConnections].
//
// The documentation does not say whether the service lists deleted hosted connections when
// VirtualPhysicalConnectionStatuses does not ask for VirtualPhysicalConnectionDeleted; the
// local endpoint leaves them out. To see them for certain, ask for every status, as
// [Client.WaitVirtualPhysicalConnections] does.
func (c *Client) ListVirtualPhysicalConnections(ctx context.Context, req *ListVirtualPhysicalConnectionsRequest, opts ...CallOption) (*ListVirtualPhysicalConnectionsResponse, error) {
	return invoke[ListVirtualPhysicalConnectionsResponse](ctx, c, req, opts)
}

// ListAllVirtualPhysicalConnections returns an iterator over every hosted connection that
// matches req, reading page after page from req.NextToken on. Each page is an ordinary call
// of [Client.ListVirtualPhysicalConnections] with opts. The iteration stops after yielding
// the first error, which is then the only error, and stops at once when ctx is done, in the
// middle of a page too. The caller's req is not changed.
//
// The service's NextToken is trusted only so far: a NextToken it already sent (or the one the
// iteration started from) ends the iteration with an error matching [ErrMalformedResponse]
// before any page is read twice, and so do a NextToken longer than 4 KiB, more than 10 empty
// pages in a row that still carry a NextToken, and more than 100,000 pages. The iterator keeps
// a 32-byte digest of each token it has seen, whatever the tokens' size.
func (c *Client) ListAllVirtualPhysicalConnections(ctx context.Context, req *ListVirtualPhysicalConnectionsRequest, opts ...CallOption) iter.Seq2[VirtualPhysicalConnection, error] {
	return func(yield func(VirtualPhysicalConnection, error) bool) {
		var page *ListVirtualPhysicalConnectionsRequest
		if req != nil {
			copied := *req
			page = &copied
		}
		var pages pageTokens
		if page != nil && page.NextToken != "" {
			pages.seen(page.NextToken)
		}
		for {
			if ctx != nil && ctx.Err() != nil {
				yield(VirtualPhysicalConnection{}, fmt.Errorf("expressconnect: %s: %w", actionList, ctx.Err()))
				return
			}
			resp, err := c.ListVirtualPhysicalConnections(ctx, page, opts...)
			if err != nil {
				yield(VirtualPhysicalConnection{}, err)
				return
			}
			for _, conn := range resp.VirtualPhysicalConnections {
				if ctx.Err() != nil {
					yield(VirtualPhysicalConnection{}, fmt.Errorf("expressconnect: %s: %w", actionList, ctx.Err()))
					return
				}
				if !yield(conn, nil) {
					return
				}
			}
			if resp.NextToken == "" {
				return
			}
			if err := pages.next(resp.NextToken, len(resp.VirtualPhysicalConnections)); err != nil {
				yield(VirtualPhysicalConnection{}, fmt.Errorf("expressconnect: %s: %w: %w (RequestId %s)", actionList, ErrMalformedResponse, err, resp.RequestID))
				return
			}
			page.NextToken = resp.NextToken
		}
	}
}

// Bounds on what ListAllVirtualPhysicalConnections takes from the service's NextTokens. The
// documentation gives no length for a NextToken; the service's are short opaque strings.
const (
	maxNextTokenLen = 4 << 10
	maxEmptyPages   = 10
	maxPages        = 100_000
)

// pageTokens is what an iteration remembers of the NextTokens it has seen: a digest of each,
// so that its memory does not depend on the tokens' size, and the empty pages in a row.
type pageTokens struct {
	digests    map[[sha256.Size]byte]struct{}
	emptyInRow int
}

// seen records token and reports whether it was recorded before.
func (p *pageTokens) seen(token string) bool {
	if p.digests == nil {
		p.digests = make(map[[sha256.Size]byte]struct{})
	}
	d := sha256.Sum256([]byte(token))
	if _, dup := p.digests[d]; dup {
		return true
	}
	p.digests[d] = struct{}{}
	return false
}

// next checks the NextToken of a page of n elements before it is followed.
func (p *pageTokens) next(token string, n int) error {
	if n == 0 {
		p.emptyInRow++
	} else {
		p.emptyInRow = 0
	}
	switch {
	case len(token) > maxNextTokenLen:
		return fmt.Errorf("a NextToken of %d bytes, over %d", len(token), maxNextTokenLen)
	case p.emptyInRow > maxEmptyPages:
		return fmt.Errorf("more than %d empty pages in a row that still carry a NextToken", maxEmptyPages)
	case len(p.digests) >= maxPages:
		return fmt.Errorf("more than %d pages", maxPages)
	case p.seen(token):
		return errors.New("the service returned a NextToken it had already sent")
	}
	return nil
}

// ListVirtualPhysicalConnectionsRequest holds the filters of
// [Client.ListVirtualPhysicalConnections]. Every filter is optional; filters are combined with
// AND, and the values of a list filter with OR. Lists hold at most 20 values.
//
// The old official SDK also sends a Name filter, which neither the API reference nor the
// current official SDK has; it is left out.
type ListVirtualPhysicalConnectionsRequest struct {
	// RegionID is the region of the hosted connections (RegionId). Required; when empty the
	// client's region is used.
	RegionID string
	// PhysicalConnectionID selects the hosted connections on this circuit.
	PhysicalConnectionID string
	// VirtualPhysicalConnectionIDs selects these hosted connections (VirtualPhysicalConnectionIds.N).
	VirtualPhysicalConnectionIDs []string
	// VpconnStatuses selects these acceptance states (VirtualPhysicalConnectionStatuses.N).
	VpconnStatuses []VpconnStatus
	// VpconnAliUIDs selects the hosted connections of these tenants, account IDs in decimal
	// (VirtualPhysicalConnectionAliUids.N).
	VpconnAliUIDs []string
	// VLANIDs selects these VLANs, each built with [VLAN] (VlanIds.N).
	VLANIDs []VLANID
	// Confirmation selects by whether the tenant has accepted (IsConfirmed). Default:
	// AnyConfirmation, which sends nothing.
	Confirmation Confirmation
	// BusinessStatus selects this billing state (VirtualPhysicalConnectionBusinessStatus).
	BusinessStatus BusinessStatus
	// ResourceGroupID selects this resource group.
	ResourceGroupID string
	// Tags selects hosted connections with all of these tags (Tags.N.Key, Tags.N.Value).
	Tags []Tag
	// MaxResults is the page size, 1 to 100. Default (0): the service's, 20.
	MaxResults int
	// NextToken is the NextToken of the previous page; empty for the first.
	NextToken string
}

// ListVirtualPhysicalConnectionsResponse is one page of hosted connections.
type ListVirtualPhysicalConnectionsResponse struct {
	ResponseMetadata
	// VirtualPhysicalConnections are the page's hosted connections.
	VirtualPhysicalConnections []VirtualPhysicalConnection
	// NextToken is the token of the next page; empty on the last page.
	NextToken string
	// TotalCount is how many hosted connections match, over all pages.
	TotalCount int
	// Count is how many are on this page.
	Count int
}

// Wire names of the operation's own parameters.
const (
	paramVirtualPhysicalConnectionIDs      = "VirtualPhysicalConnectionIds"
	paramVirtualPhysicalConnectionStatuses = "VirtualPhysicalConnectionStatuses"
	paramVirtualPhysicalConnectionAliUIDs  = "VirtualPhysicalConnectionAliUids"
	paramVLANIDs                           = "VlanIds"
	paramIsConfirmed                       = "IsConfirmed"
	paramBusinessStatus                    = "VirtualPhysicalConnectionBusinessStatus"
	paramTags                              = "Tags"
	paramMaxResults                        = "MaxResults"
	paramNextToken                         = "NextToken"
)

func (r *ListVirtualPhysicalConnectionsRequest) action() string { return actionList }

func (r *ListVirtualPhysicalConnectionsRequest) encode(e *encoder) {
	e.region(r.RegionID)
	e.optional("PhysicalConnectionID", paramPhysicalConnectionID, r.PhysicalConnectionID, nil)
	encodeList(e, "VirtualPhysicalConnectionIDs", paramVirtualPhysicalConnectionIDs, r.VirtualPhysicalConnectionIDs, notEmpty, identity)
	encodeList(e, "VpconnStatuses", paramVirtualPhysicalConnectionStatuses, r.VpconnStatuses,
		oneOf(VpconnStatusUnConfirmed, VpconnStatusConfirmed, VpconnStatusDeleted), func(s VpconnStatus) string { return string(s) })
	encodeList(e, "VpconnAliUIDs", paramVirtualPhysicalConnectionAliUIDs, r.VpconnAliUIDs, rules.AccountUID, identity)
	encodeList(e, "VLANIDs", paramVLANIDs, r.VLANIDs, vlanRule, VLANID.String)
	switch r.Confirmation {
	case AnyConfirmation:
	case OnlyConfirmed:
		e.put(paramIsConfirmed, "true")
	case OnlyUnconfirmed:
		e.put(paramIsConfirmed, "false")
	default:
		e.add("Confirmation", paramIsConfirmed, fmt.Sprintf("must be AnyConfirmation, OnlyConfirmed or OnlyUnconfirmed, got %d", r.Confirmation))
	}
	if r.BusinessStatus != "" {
		e.add("BusinessStatus", paramBusinessStatus, oneOf(BusinessStatusNormal, BusinessStatusFinancialLocked, BusinessStatusSecurityLocked)(r.BusinessStatus)...)
		e.put(paramBusinessStatus, string(r.BusinessStatus))
	}
	e.optional("ResourceGroupID", paramResourceGroupID, r.ResourceGroupID, rules.ResourceGroupID)
	e.tags("Tags", paramTags, r.Tags)
	if r.MaxResults != 0 {
		e.add("MaxResults", paramMaxResults, rules.PageSize(r.MaxResults)...)
		e.put(paramMaxResults, strconv.Itoa(r.MaxResults))
	}
	e.optional("NextToken", paramNextToken, r.NextToken, nil)
}

// listBody is the documented success answer.
type listBody struct {
	envelope
	NextToken                  string
	TotalCount                 int
	Count                      int
	VirtualPhysicalConnections []wireConnection
}

// wirePages holds the []wireConnection slices that List answers are decoded into before
// their elements are copied into the response, each cleared (so that a pooled slice holds no
// page's text), so that decoding a page does not grow a new one by doubling: BenchmarkDecodeList
// allocates 80 KB with it and 243 KB without, and takes no longer. A slice that grew past
// maxPooledElements is dropped instead.
var wirePages = sync.Pool{New: func() any { return new([]wireConnection) }}

// maxPooledElements is the capacity of the largest slice wirePages keeps: twice a page of 100,
// the service's largest, which decodeJSON grows to a capacity of 129.
const maxPooledElements = 256

func (resp *ListVirtualPhysicalConnectionsResponse) decode(body []byte, _ bool) (envelope, error) {
	pooled := wirePages.Get().(*[]wireConnection)
	// decodeJSON appends a JSON array's elements to the slice it finds, into its capacity.
	b := listBody{VirtualPhysicalConnections: (*pooled)[:0]}
	defer func() {
		wire := b.VirtualPhysicalConnections
		if cap(wire) > maxPooledElements || cap(wire) < cap(*pooled) {
			wire = *pooled // json replaced the slice (null, []): keep the one taken
		}
		if cap(wire) <= maxPooledElements {
			clear(wire[:cap(wire)]) // the page's text goes with the page
			*pooled = wire[:0]
			wirePages.Put(pooled)
		}
	}()
	if err := decodeJSON(body, &b); err != nil {
		return b.envelope, err
	}
	if b.Code == "" && b.RequestID == "" && !hasElements(body) {
		return b.envelope, errors.New("neither VirtualPhysicalConnections nor RequestId in a success answer")
	}
	resp.NextToken, resp.TotalCount, resp.Count = b.NextToken, b.TotalCount, b.Count
	resp.VirtualPhysicalConnections = make([]VirtualPhysicalConnection, len(b.VirtualPhysicalConnections))
	for i := range b.VirtualPhysicalConnections {
		resp.VirtualPhysicalConnections[i] = b.VirtualPhysicalConnections[i].connection()
	}
	return b.envelope, nil
}

// hasElements reports whether the List answer body has a VirtualPhysicalConnections array
// (one that is not null). It decodes the body again, for the rare answer without a RequestId:
// decode cannot tell a missing array from an empty one, since it hands decodeJSON a slice
// of its own.
func hasElements(body []byte) bool {
	var probe struct{ VirtualPhysicalConnections jsontext.Value }
	return decodeJSON(body, &probe) == nil && len(probe.VirtualPhysicalConnections) > 0 &&
		string(probe.VirtualPhysicalConnections) != "null"
}

// byIDs returns the List request that reads the hosted connections ids (at most 20) in region,
// on circuit ("" for any), whatever their acceptance state: deleted ones included.
func byIDs(region, circuit string, ids ...string) *ListVirtualPhysicalConnectionsRequest {
	return &ListVirtualPhysicalConnectionsRequest{
		RegionID:                     region,
		PhysicalConnectionID:         circuit,
		VirtualPhysicalConnectionIDs: ids,
		VpconnStatuses:               []VpconnStatus{VpconnStatusUnConfirmed, VpconnStatusConfirmed, VpconnStatusDeleted},
	}
}
