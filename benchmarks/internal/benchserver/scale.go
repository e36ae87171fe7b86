package benchserver

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"github.com/expressconnect-go/expressconnect/benchmarks/internal/fixture"
)

// The scale circuits: a circuit whose ID is ScaleCircuit(n) carries n hosted connections,
// which the server makes up on the fly for each ListVirtualPhysicalConnections page, so that
// listing 100,000 of them costs the server no memory.
//
// A List request on a scale circuit reads its pages in order (MaxResults 1 to 100, default 20;
// NextToken "scale-<offset>"), or reads the hosted connections it names
// (VirtualPhysicalConnectionIds.N), which are then pending (UnConfirmed, Allocated) for their
// first ScalePendingPolls reads by ID and accepted (Confirmed, Enabled) after: a wait for
// IsAccepted ends on the read after that. DescribePhysicalConnections of a scale circuit
// answers the circuit.

// ScalePendingPolls is how many reads by ID find a scale circuit's hosted connection pending.
const ScalePendingPolls = 2

// scalePrefix starts the ID of every scale circuit.
const scalePrefix = "pc-scale-"

// ScaleCircuit returns the ID of the scale circuit of n hosted connections.
func ScaleCircuit(n int) string { return scalePrefix + strconv.Itoa(n) }

// ScaleID returns the ID of the i-th hosted connection (from 0) of the scale circuit of n.
func ScaleID(n, i int) string { return fmt.Sprintf("pc-scale%dvp%07d", n, i) }

// scaleSize returns the number of hosted connections of the scale circuit id, and whether id
// is one.
func scaleSize(id string) (int, bool) {
	s, ok := strings.CutPrefix(id, scalePrefix)
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil && n >= 0
}

// scaleIndex returns the index of the hosted connection id of the scale circuit of n, and
// whether it is one.
func scaleIndex(n int, id string) (int, bool) {
	s, ok := strings.CutPrefix(id, fmt.Sprintf("pc-scale%dvp", n))
	if !ok {
		return 0, false
	}
	i, err := strconv.Atoi(s)
	return i, err == nil && i >= 0 && i < n
}

// scaleState counts the reads by ID of each scale hosted connection.
type scaleState struct {
	mu    sync.Mutex
	polls map[string]int
}

// poll counts a read by ID of id and returns how many there were before it.
func (s *scaleState) poll(id string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.polls == nil {
		s.polls = map[string]int{}
	}
	n := s.polls[id]
	s.polls[id] = n + 1
	return n
}

// checkScale returns the error code and message to refuse the signed request form with, for
// a request on a scale circuit, and whether the request is one.
func checkScale(form url.Values) (code, msg string, scale bool) {
	circuit := form.Get("PhysicalConnectionId")
	if form.Get("Action") == "DescribePhysicalConnections" {
		circuit = form.Get("Filter.1.Value.1")
	}
	if _, ok := scaleSize(circuit); !ok {
		return "", "", false
	}
	switch form.Get("Action") {
	case fixture.ListAction:
		if m := form.Get("MaxResults"); m != "" {
			if n, err := strconv.Atoi(m); err != nil || n < 1 || n > 100 {
				return "InvalidParameter", "MaxResults is 1 to 100.", true
			}
		}
	case "DescribePhysicalConnections":
	default:
		return "InvalidAction.NotFound", "Specified api is not found, please check your url and method.", true
	}
	return "", "", true
}

// serveScale answers a verified request on a scale circuit.
func (h *Handler) serveScale(w http.ResponseWriter, form url.Values) {
	var body any
	if form.Get("Action") == "DescribePhysicalConnections" {
		body = scaleDescribe(form.Get("Filter.1.Value.1"))
	} else {
		body = h.scaleList(form)
	}
	_ = json.NewEncoder(w).Encode(body)
}

// scaleList returns the List page that form asks for.
func (h *Handler) scaleList(form url.Values) any {
	circuit := form.Get("PhysicalConnectionId")
	n, _ := scaleSize(circuit)
	page := struct {
		RequestID                  string `json:"RequestId"`
		NextToken                  string
		TotalCount                 int
		Count                      int
		VirtualPhysicalConnections []fixture.ListedConnection
	}{RequestID: fixture.ListRequestID, VirtualPhysicalConnections: []fixture.ListedConnection{}}
	if form.Get("VirtualPhysicalConnectionIds.1") != "" {
		for k := 1; ; k++ {
			id := form.Get("VirtualPhysicalConnectionIds." + strconv.Itoa(k))
			if id == "" {
				break
			}
			if i, ok := scaleIndex(n, id); ok {
				page.VirtualPhysicalConnections = append(page.VirtualPhysicalConnections,
					scaleConnection(circuit, n, i, h.scale.poll(id) < ScalePendingPolls))
			}
		}
		page.TotalCount, page.Count = len(page.VirtualPhysicalConnections), len(page.VirtualPhysicalConnections)
		return page
	}
	size := 20
	if m := form.Get("MaxResults"); m != "" {
		size, _ = strconv.Atoi(m)
	}
	from, _ := strconv.Atoi(strings.TrimPrefix(form.Get("NextToken"), "scale-"))
	from = min(max(from, 0), n)
	to := min(from+size, n)
	for i := from; i < to; i++ {
		page.VirtualPhysicalConnections = append(page.VirtualPhysicalConnections, scaleConnection(circuit, n, i, false))
	}
	if to < n {
		page.NextToken = "scale-" + strconv.Itoa(to)
	}
	page.TotalCount, page.Count = n, to-from
	return page
}

// scaleConnection returns the i-th hosted connection of the scale circuit of n: the fixture's
// with its own ID, VLAN and name, pending or accepted.
func scaleConnection(circuit string, n, i int, pending bool) fixture.ListedConnection {
	c := fixture.Listed(i % fixture.ListMaxResults)
	c.PhysicalConnectionID = ScaleID(n, i)
	c.ParentPhysicalConnectionID = circuit
	c.VlanID = strconv.Itoa(i % 3000)
	c.Name = "scale-" + strconv.Itoa(i)
	if pending {
		c.VirtualPhysicalConnectionStatus, c.Status = "UnConfirmed", "Allocated"
	}
	return c
}

// scaleDescribe returns the DescribePhysicalConnections answer for the scale circuit id.
func scaleDescribe(id string) any {
	type row struct {
		PhysicalConnectionID string `json:"PhysicalConnectionId"`
		ProductType          string
		Status               string
		Bandwidth            int
		RegionID             string `json:"RegionId"`
	}
	return struct {
		RequestID             string `json:"RequestId"`
		PageNumber            int
		PageSize              int
		TotalCount            int
		PhysicalConnectionSet struct{ PhysicalConnectionType []row }
	}{
		RequestID: fixture.ListRequestID, PageNumber: 1, PageSize: 10, TotalCount: 1,
		PhysicalConnectionSet: struct{ PhysicalConnectionType []row }{[]row{
			{PhysicalConnectionID: id, ProductType: "PhysicalConnection", Status: "Enabled", Bandwidth: 10000, RegionID: fixture.RegionID},
		}},
	}
}
