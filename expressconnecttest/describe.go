package expressconnecttest

import (
	"fmt"
	"maps"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/expressconnect-go/expressconnect"
)

// actionDescribe is the action of DescribePhysicalConnections, the generic read of circuits,
// which lists the hosted connections on them as rows of their own.
const actionDescribe = "DescribePhysicalConnections"

// Limits of DescribePhysicalConnections. The page size and the number of filters are the API
// reference's; it gives no limit on the values of a filter, so the endpoint takes that of
// List's list filters, nor on PageNumber, which the endpoint bounds by the int32 that the
// official SDKs' model types it with.
const (
	describeDefaultPageSize = 10
	describeMaxPageSize     = 50
	describeMaxFilters      = 5
	describeMaxFilterValues = 20
)

// Product types of DescribePhysicalConnections' rows and of its ProductType filter.
const (
	productCircuit = "PhysicalConnection"
	productHosted  = "VirtualPhysicalConnection"
)

// filterKey is a key of Filter.N.Key with the values it takes (nil: any value that is not
// empty).
type filterKey struct {
	key    string
	values []string
}

// describeFilterKeys are the keys of Filter.N.Key, in the order of the API reference.
var describeFilterKeys = []filterKey{
	{"PhysicalConnectionId", nil},
	{"AccessPointId", nil},
	{"Type", []string{"VPC"}},
	{"LineOperator", []string{"CT", "CU", "CM", "CO", "Equinix", "Other"}},
	{"Spec", []string{"1G and below", "10G", "40G", "100G"}},
	{"Status", nil}, // the documented states, checked with documentedStatus
	{"Name", nil},
	{"ProductType", []string{productHosted, productCircuit}},
}

// describeInput is a DescribePhysicalConnections request whose parameters passed the rules.
type describeInput struct {
	regionID        string
	pageNumber      int
	pageSize        int
	filters         []describeFilter
	resourceGroupID string
	tags            []expressconnect.Tag
}

// describeFilter is one Filter.N: a key and the values it accepts (any of them).
type describeFilter struct {
	key    string
	values []string
}

// describe answers DescribePhysicalConnections: the parameter rules, then the region and the
// page.
func (s *Server) describe(c call) result {
	in, err := parseDescribe(c.params)
	if err != nil {
		return failed(err)
	}
	body, err := s.store.describe(in, c.accountID, c.now)
	if err != nil {
		return failed(err)
	}
	body.RequestID = c.requestID
	return result{body: body}
}

// parseDescribe checks params against the operation's rules, in the order of the reference's
// parameter table: RegionId, PageNumber, PageSize, Filter.N, IncludeReservationData,
// ClientToken, ResourceGroupId, Tags.N.
func parseDescribe(params url.Values) (describeInput, *apiError) {
	in := describeInput{regionID: params.Get("RegionId"), resourceGroupID: params.Get("ResourceGroupId")}
	if err := requireParams(params, "RegionId"); err != nil {
		return in, err
	}
	var err *apiError
	if in.pageNumber, err = readWholeNumber(params, "PageNumber", 1, 1, math.MaxInt32); err != nil {
		return in, err
	}
	if in.pageSize, err = readWholeNumber(params, "PageSize", describeDefaultPageSize, 1, describeMaxPageSize); err != nil {
		return in, err
	}
	if in.filters, err = readDescribeFilters(params); err != nil {
		return in, err
	}
	switch v := params.Get("IncludeReservationData"); {
	case v == "", strings.EqualFold(v, "true"), strings.EqualFold(v, "false"):
	default:
		return in, errInvalidParameter("The parameter IncludeReservationData must be true or false.")
	}
	if err := checkToken("ClientToken", params.Get("ClientToken")); err != nil {
		return in, err
	}
	if err := checkResourceGroupID(in.resourceGroupID); err != nil {
		return in, err
	}
	in.tags, err = readTags(params, "Tags")
	return in, err
}

// readWholeNumber reads the optional whole number name: def when it is absent, InvalidParameter
// unless it is from lo to hi.
func readWholeNumber(params url.Values, name string, def, lo, hi int) (int, *apiError) {
	v := params.Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return 0, errInvalidParameter(fmt.Sprintf("The parameter %s must be a whole number from %d to %d.", name, lo, hi))
	}
	return n, nil
}

// readDescribeFilters reads Filter.N.Key and Filter.N.Value.M, in the order of N and M: N
// from 1 to describeMaxFilters, M from 1 to describeMaxFilterValues, a documented key and at
// least one value that is not empty (and, for the keys with documented values, one of them)
// for each N. Any other parameter under Filter is answered InvalidParameter.
func readDescribeFilters(params url.Values) ([]describeFilter, *apiError) {
	type filterParams struct {
		key    string
		hasKey bool
		values map[int]string
	}
	byN := map[int]*filterParams{}
	for _, name := range slices.Sorted(maps.Keys(params)) {
		rest, ok := strings.CutPrefix(name, "Filter.")
		if !ok {
			continue
		}
		num, field, _ := strings.Cut(rest, ".")
		n, err := strconv.Atoi(num)
		if err != nil || n < 1 || n > describeMaxFilters {
			return nil, errInvalidParameter(fmt.Sprintf("The parameter %s is not valid: N of Filter.N must be 1 to %d.", name, describeMaxFilters))
		}
		f := byN[n]
		if f == nil {
			f = &filterParams{values: map[int]string{}}
			byN[n] = f
		}
		index, isValue := strings.CutPrefix(field, "Value.")
		m, err := strconv.Atoi(index)
		switch {
		case field == "Key":
			f.key, f.hasKey = params.Get(name), true
		case isValue && err == nil && m >= 1 && m <= describeMaxFilterValues:
			f.values[m] = params.Get(name)
		case isValue:
			return nil, errInvalidParameter(fmt.Sprintf("The parameter %s is not valid: M of Filter.N.Value.M must be 1 to %d.", name, describeMaxFilterValues))
		default:
			return nil, errInvalidParameter(fmt.Sprintf("The parameter %s is not valid: a filter is Filter.N.Key with Filter.N.Value.M.", name))
		}
	}
	var filters []describeFilter
	for _, n := range slices.Sorted(maps.Keys(byN)) {
		f, prefix := byN[n], "Filter."+strconv.Itoa(n)
		if !f.hasKey {
			return nil, errMissingParameter(prefix + ".Key")
		}
		if len(f.values) == 0 {
			return nil, errMissingParameter(prefix + ".Value.1")
		}
		filter := describeFilter{key: f.key}
		for _, m := range slices.Sorted(maps.Keys(f.values)) {
			value, err := checkFilterValue(f.key, prefix, m, f.values[m])
			if err != nil {
				return nil, err
			}
			filter.values = append(filter.values, value)
		}
		filters = append(filters, filter)
	}
	return filters, nil
}

// checkFilterValue checks the value of Filter.N.Value.M (prefix is "Filter.N") for key, and
// returns it, a Status in its documented spelling.
func checkFilterValue(key, prefix string, m int, value string) (string, *apiError) {
	name := prefix + ".Value." + strconv.Itoa(m)
	i := slices.IndexFunc(describeFilterKeys, func(k filterKey) bool { return k.key == key })
	switch {
	case i < 0:
		keys := make([]string, len(describeFilterKeys))
		for j, k := range describeFilterKeys {
			keys[j] = k.key
		}
		return "", errInvalidParameter(fmt.Sprintf("The parameter %s.Key must be one of %s.", prefix, strings.Join(keys, ", ")))
	case value == "":
		return "", errInvalidParameter("The parameter " + name + " must not be empty.")
	case key == "Status":
		status, ok := documentedStatus(expressconnect.Status(value))
		if !ok {
			return "", errInvalidParameter(fmt.Sprintf("The parameter %s must be one of %s.", name, strings.Join(statusNames(), ", ")))
		}
		return string(status), nil
	case describeFilterKeys[i].values != nil && !slices.Contains(describeFilterKeys[i].values, value):
		return "", errInvalidParameter(fmt.Sprintf("The parameter %s must be one of %s for the key %s.", name,
			strings.Join(describeFilterKeys[i].values, ", "), key))
	}
	return value, nil
}

// describe returns the page of rows that in asks the account for: the account's circuits in
// the region, in order of their IDs, each followed by the hosted connections on it that are not
// deleted, in order of creation.
func (st *store) describe(in describeInput, accountID string, now time.Time) (describeBody, *apiError) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.advance(now)
	if !st.knownRegion(in.regionID) {
		return describeBody{}, errRegionNotFound()
	}
	var rows []describeRow
	for _, id := range slices.Sorted(maps.Keys(st.circuits)) {
		cs, ok := st.ownCircuit(id, accountID, in.regionID)
		if !ok {
			continue
		}
		var hosted []*Connection
		for i := range st.conns {
			if c := &st.conns[i]; c.PhysicalConnectionID == id && !deleted(c) {
				hosted = append(hosted, c)
			}
		}
		if row := circuitRow(cs, len(hosted)); in.selects(row, "", nil) {
			rows = append(rows, row)
		}
		for _, c := range hosted {
			if row := hostedRow(c, cs); in.selects(row, c.ResourceGroupID, c.Tags) {
				rows = append(rows, row)
			}
		}
	}
	from := len(rows) // a page past the end, however large its number
	if in.pageNumber-1 <= len(rows)/in.pageSize {
		from = (in.pageNumber - 1) * in.pageSize
	}
	to := min(from+in.pageSize, len(rows))
	return describeBody{
		PageNumber:            in.pageNumber,
		PageSize:              in.pageSize,
		TotalCount:            len(rows),
		PhysicalConnectionSet: describeSet{PhysicalConnectionType: append([]describeRow{}, rows[from:to]...)},
	}, nil
}

// selects reports whether in's filters select row, whose resource group and tags are
// resourceGroupID and tags: every filter (AND), each by any of its values (OR).
func (in describeInput) selects(row describeRow, resourceGroupID string, tags []expressconnect.Tag) bool {
	if in.resourceGroupID != "" && resourceGroupID != in.resourceGroupID || !hasTags(tags, in.tags) {
		return false
	}
	for _, f := range in.filters {
		if !slices.Contains(f.values, row.filterValue(f.key)) {
			return false
		}
	}
	return true
}
