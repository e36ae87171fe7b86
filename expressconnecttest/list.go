package expressconnecttest

import (
	"fmt"
	"maps"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/expressconnect-go/expressconnect"
	"github.com/expressconnect-go/expressconnect/internal/localsign"
	"github.com/expressconnect-go/expressconnect/internal/rules"
)

// actionList is the action of ListVirtualPhysicalConnections.
const actionList = "ListVirtualPhysicalConnections"

// defaultPageSize is the page size of ListVirtualPhysicalConnections when MaxResults is not
// given, as the API reference gives it. Its other limits are the client's, from package rules.
const defaultPageSize = 20

// listInput is a ListVirtualPhysicalConnections request whose parameters passed the
// documented rules.
type listInput struct {
	regionID        string
	circuitID       string
	ids             []string
	confirmed       string // "", "true" or "false"
	statuses        []expressconnect.VpconnStatus
	uids            []string
	vlans           []int
	businessStatus  expressconnect.BusinessStatus
	resourceGroupID string
	tags            []expressconnect.Tag
	maxResults      int
	nextToken       string
}

// listBody is the body of a successful ListVirtualPhysicalConnections.
type listBody struct {
	RequestID                  string        `json:"RequestId"`
	NextToken                  string        `json:"NextToken"`
	TotalCount                 int           `json:"TotalCount"`
	Count                      int           `json:"Count"`
	VirtualPhysicalConnections []listElement `json:"VirtualPhysicalConnections"`
}

// list answers ListVirtualPhysicalConnections: the parameter rules, then the region, the
// NextToken and the page.
func (s *Server) list(c call) result {
	in, err := parseList(c.params)
	if err != nil {
		return failed(err)
	}
	body, err := s.store.list(in, c.accountID, c.now)
	if err != nil {
		return failed(err)
	}
	body.RequestID = c.requestID
	return result{body: body}
}

// parseList checks params against the operation's rules, in the order of the reference's
// parameter table.
func parseList(params url.Values) (listInput, *apiError) {
	in := listInput{
		regionID:        params.Get("RegionId"),
		circuitID:       params.Get("PhysicalConnectionId"),
		businessStatus:  expressconnect.BusinessStatus(params.Get("VirtualPhysicalConnectionBusinessStatus")),
		resourceGroupID: params.Get("ResourceGroupId"),
		nextToken:       params.Get("NextToken"),
	}
	if err := requireParams(params, "RegionId"); err != nil {
		return in, err
	}
	readers := []func(url.Values, *listInput) *apiError{
		readIDs, readConfirmed, readStatuses, readUIDs, readVLANs, readBusinessStatus, readMaxResults,
	}
	for _, read := range readers {
		if err := read(params, &in); err != nil {
			return in, err
		}
	}
	if err := checkResourceGroupID(in.resourceGroupID); err != nil {
		return in, err
	}
	var err *apiError
	in.tags, err = readTags(params, "Tags")
	return in, err
}

func readIDs(params url.Values, in *listInput) *apiError {
	values, err := readList(params, "VirtualPhysicalConnectionIds")
	if err != nil {
		return err
	}
	for _, v := range values {
		if v.value == "" {
			return errInvalidParameter("The parameter " + v.name + " must not be empty.")
		}
		in.ids = append(in.ids, v.value)
	}
	return nil
}

func readConfirmed(params url.Values, in *listInput) *apiError {
	switch v := params.Get("IsConfirmed"); {
	case v == "":
	case strings.EqualFold(v, "true"), strings.EqualFold(v, "false"):
		in.confirmed = strings.ToLower(v)
	default:
		return errInvalidParameter("The parameter IsConfirmed must be true or false.")
	}
	return nil
}

func readStatuses(params url.Values, in *listInput) *apiError {
	values, err := readList(params, "VirtualPhysicalConnectionStatuses")
	if err != nil {
		return err
	}
	for _, v := range values {
		s := expressconnect.VpconnStatus(v.value)
		switch s {
		case expressconnect.VpconnStatusUnConfirmed, expressconnect.VpconnStatusConfirmed,
			expressconnect.VpconnStatusDeleted:
			in.statuses = append(in.statuses, s)
		default:
			return errInvalidParameter("The parameter " + v.name + " must be UnConfirmed, Confirmed or Deleted.")
		}
	}
	return nil
}

func readUIDs(params url.Values, in *listInput) *apiError {
	values, err := readList(params, "VirtualPhysicalConnectionAliUids")
	if err != nil {
		return err
	}
	for _, v := range values {
		if err := checkAccountUID(v.value); err != nil {
			return err
		}
		in.uids = append(in.uids, v.value)
	}
	return nil
}

func readVLANs(params url.Values, in *listInput) *apiError {
	values, err := readList(params, "VlanIds")
	if err != nil {
		return err
	}
	for _, v := range values {
		n, err := readVLAN(v.name, v.value)
		if err != nil {
			return err
		}
		in.vlans = append(in.vlans, n)
	}
	return nil
}

func readBusinessStatus(_ url.Values, in *listInput) *apiError {
	switch in.businessStatus {
	case "", expressconnect.BusinessStatusNormal, expressconnect.BusinessStatusFinancialLocked, expressconnect.BusinessStatusSecurityLocked:
		return nil
	}
	return errInvalidParameter("The parameter VirtualPhysicalConnectionBusinessStatus must be Normal, FinancialLocked or SecurityLocked.")
}

func readMaxResults(params url.Values, in *listInput) *apiError {
	in.maxResults = defaultPageSize
	v := params.Get("MaxResults")
	if v == "" {
		return nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || len(rules.PageSize(n)) > 0 {
		return errInvalidParameter(fmt.Sprintf("The parameter MaxResults must be 1 to %d.", rules.MaxPageSize))
	}
	in.maxResults = n
	return nil
}

// listValue is one value of a list filter and the name it was sent under, such as
// "VlanIds.2".
type listValue struct {
	name  string
	value string
	n     int
}

// readList returns the values of the list filter name, sent as name.1 to name.20, in the
// order of N. A value sent as name itself, without an index (as Terraform's data source sends
// one), counts as one of them, before name.1. A bad N, or more than rules.MaxListValues values, is
// answered InvalidParameter.
func readList(params url.Values, name string) ([]listValue, *apiError) {
	var values []listValue
	for _, key := range slices.Sorted(maps.Keys(params)) {
		if key == name {
			values = append(values, listValue{name: key, value: params.Get(key)})
			continue
		}
		rest, ok := strings.CutPrefix(key, name+".")
		if !ok {
			continue
		}
		n, err := strconv.Atoi(rest)
		if err != nil || n < 1 || n > rules.MaxListValues {
			return nil, errInvalidParameter(fmt.Sprintf("The parameter %s is not valid: N of %s.N must be 1 to %d.", key, name, rules.MaxListValues))
		}
		values = append(values, listValue{name: key, value: params.Get(key), n: n})
	}
	if len(values) > rules.MaxListValues {
		return nil, errInvalidParameter(fmt.Sprintf("The parameter %s.N holds at most %d values.", name, rules.MaxListValues))
	}
	slices.SortFunc(values, func(a, b listValue) int { return a.n - b.n })
	return values, nil
}

// fingerprint returns a string equal for two requests of account exactly when they select the
// same hosted connections: every filter, with the values of each list filter sorted, and not
// MaxResults (a page size may change from page to page) or NextToken.
func (in listInput) fingerprint(accountID string) string {
	v := url.Values{
		"Account":              {accountID},
		"RegionId":             {in.regionID},
		"PhysicalConnectionId": {in.circuitID},
		"IsConfirmed":          {in.confirmed},
		"VirtualPhysicalConnectionBusinessStatus": {string(in.businessStatus)},
		"ResourceGroupId":                         {in.resourceGroupID},
		"VirtualPhysicalConnectionIds":            sortedStrings(in.ids),
		"VirtualPhysicalConnectionAliUids":        sortedStrings(in.uids),
	}
	for _, s := range in.statuses {
		v.Add("VirtualPhysicalConnectionStatuses", string(s))
	}
	for _, n := range in.vlans {
		v.Add("VlanIds", strconv.Itoa(n))
	}
	v["VirtualPhysicalConnectionStatuses"] = sortedStrings(v["VirtualPhysicalConnectionStatuses"])
	v["VlanIds"] = sortedStrings(v["VlanIds"])
	addTags(v, in.tags)
	return localsign.CanonicalQuery(v)
}

// sortedStrings returns the distinct values of values, sorted.
func sortedStrings(values []string) []string {
	out := slices.Clone(values)
	slices.Sort(out)
	return slices.Compact(out)
}

// list returns the page of hosted connections that in asks the account for, in order of
// creation: the region must be known, and a NextToken must be one the server issued for the
// same filters.
func (st *store) list(in listInput, accountID string, now time.Time) (listBody, *apiError) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.advance(now)
	if !st.knownRegion(in.regionID) {
		return listBody{}, errRegionNotFound()
	}
	fingerprint := in.fingerprint(accountID)
	start := 0
	if in.nextToken != "" {
		p, ok := st.pages.lookup(in.nextToken)
		if !ok || p.fingerprint != fingerprint {
			return listBody{}, errIllegalNextToken()
		}
		start = p.position
	}
	var matches []int
	for i := range st.conns {
		if st.selects(in, accountID, &st.conns[i]) {
			matches = append(matches, i)
		}
	}
	from := sort.SearchInts(matches, start)
	to := min(from+in.maxResults, len(matches))
	body := listBody{TotalCount: len(matches), Count: to - from, VirtualPhysicalConnections: make([]listElement, 0, to-from)}
	for _, i := range matches[from:to] {
		c := &st.conns[i]
		body.VirtualPhysicalConnections = append(body.VirtualPhysicalConnections, element(c, st.circuits[c.PhysicalConnectionID].Circuit))
	}
	if to < len(matches) {
		body.NextToken = st.pages.issue(page{fingerprint: fingerprint, position: matches[to]})
	}
	return body, nil
}

// selects reports whether in selects c for the account: c is in the region, on a circuit of
// the account, not deleted unless the statuses ask for Deleted, and matches every filter.
func (st *store) selects(in listInput, accountID string, c *Connection) bool {
	if !st.sees(accountID, in.regionID, c) {
		return false
	}
	if deleted(c) && !slices.Contains(in.statuses, expressconnect.VpconnStatusDeleted) {
		return false
	}
	return (in.circuitID == "" || c.PhysicalConnectionID == in.circuitID) &&
		(len(in.ids) == 0 || slices.Contains(in.ids, c.VirtualPhysicalConnectionID)) &&
		(in.confirmed == "" || strconv.FormatBool(!c.AcceptedAt.IsZero()) == in.confirmed) &&
		(len(in.statuses) == 0 || slices.Contains(in.statuses, c.VirtualPhysicalConnectionStatus)) &&
		(len(in.uids) == 0 || slices.Contains(in.uids, c.VpconnAliUID)) &&
		(len(in.vlans) == 0 || slices.Contains(in.vlans, vlanNumber(c))) &&
		(in.businessStatus == "" || c.BusinessStatus == in.businessStatus) &&
		(in.resourceGroupID == "" || c.ResourceGroupID == in.resourceGroupID) &&
		hasTags(c.Tags, in.tags)
}

// hasTags reports whether have holds every tag of want: the same key, and the same value
// unless the wanted value is empty, which matches any value.
func hasTags(have, want []expressconnect.Tag) bool {
	for _, w := range want {
		if !slices.ContainsFunc(have, func(h expressconnect.Tag) bool {
			return h.Key == w.Key && (w.Value == "" || h.Value == w.Value)
		}) {
			return false
		}
	}
	return true
}
