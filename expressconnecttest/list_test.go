package expressconnecttest_test

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/expressconnect-go/expressconnect/expressconnecttest"
)

const actionList = "ListVirtualPhysicalConnections"

// officialListElementFields are the fields of an element of VirtualPhysicalConnections in the
// official Tea SDK's model, ListVirtualPhysicalConnectionsResponseBodyVirtualPhysicalConnections
// (github.com/alibabacloud-go/vpc-20160428/v6 v6.12.8, client/
// list_virtual_physical_connections_response_body_model.go).
var officialListElementFields = []string{
	"AccessPointId", "AdLocation", "AliUid", "Bandwidth", "BusinessStatus", "ChargeType", "CircuitCode",
	"CreationTime", "Description", "EnabledTime", "EndTime", "ExpectSpec", "LineOperator", "LoaStatus", "Name",
	"OrderMode", "ParentPhysicalConnectionAliUid", "ParentPhysicalConnectionId", "PeerLocation",
	"PhysicalConnectionId", "PortNumber", "PortType", "ProductType", "RedundantPhysicalConnectionId",
	"ResourceGroupId", "Spec", "Status", "Tags", "Type", "VirtualPhysicalConnectionStatus", "VlanId",
}

// keys returns the sorted keys of m.
func keys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// TestListBody checks the answer's fields, named as the official SDKs' models name them, and
// the values of an element of an enabled hosted connection.
func TestListBody(t *testing.T) {
	t.Parallel()
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{})
	p := validParams(s)
	p.Set("Name", "conn_1")
	p.Set("Description", "For tenant one")
	p.Set("ResourceGroupId", "rg-acfm3wmsyuimpma")
	p.Set("Tag.1.Key", "FinanceDept")
	p.Set("Tag.1.Value", "FinanceJoshua")
	created := post(t, s, p)
	require.Equal(t, http.StatusOK, created.Status, created.Raw)
	id := created.str("VirtualPhysicalConnection")
	require.NoError(t, act(s, id, expressconnecttest.TenantAccepts))
	require.NoError(t, act(s, id, expressconnecttest.BillingEnables))

	r := callAction(t, s, actionList)
	require.Equal(t, http.StatusOK, r.Status, r.Raw)
	assert.Equal(t, []string{"Count", "NextToken", "RequestId", "TotalCount", "VirtualPhysicalConnections"}, keys(r.Body))
	assert.Equal(t, r.Header.Get("x-acs-request-id"), r.str("RequestId"))
	assert.Equal(t, 1, r.number("Count"))
	assert.Equal(t, 1, r.number("TotalCount"))
	assert.Empty(t, r.str("NextToken"), "one page only")
	require.Len(t, r.listed(), 1)
	e := r.listed()[0]
	assert.Equal(t, officialListElementFields, keys(e))

	c := connOf(t, s, id)
	want := map[string]any{
		"PhysicalConnectionId":            id,
		"ParentPhysicalConnectionId":      expressconnecttest.DefaultCircuitID,
		"ParentPhysicalConnectionAliUid":  s.Account().AccountID,
		"AliUid":                          testTenant,
		"VirtualPhysicalConnectionStatus": "Confirmed",
		"Status":                          "Enabled",
		"BusinessStatus":                  "Normal",
		"Spec":                            "50M",
		"ExpectSpec":                      "50M",
		"Bandwidth":                       float64(expressconnecttest.DefaultCapacityMbps),
		"VlanId":                          "10",
		"OrderMode":                       "PayByVirtualPhysicalConnectionOwner",
		"ProductType":                     "VirtualPhysicalConnection",
		"Name":                            "conn_1",
		"Description":                     "For tenant one",
		"ChargeType":                      "Prepaid",
		"Type":                            "VPC",
		"RedundantPhysicalConnectionId":   "",
		"ResourceGroupId":                 "rg-acfm3wmsyuimpma",
		"Tags":                            []any{map[string]any{"Key": "FinanceDept", "Value": "FinanceJoshua"}},
		"CreationTime":                    c.CreatedAt.Format("2006-01-02T15:04:05"),
		"EnabledTime":                     c.EnabledAt.Format("2006-01-02T15:04:05Z"),
		"EndTime":                         c.EnabledAt.AddDate(1, 0, 0).Format("2006-01-02T15:04:05Z"),
	}
	for name, value := range want {
		assert.Equal(t, value, e[name], name)
	}
	for _, name := range []string{"AccessPointId", "AdLocation", "PeerLocation", "PortNumber", "PortType",
		"LineOperator", "CircuitCode", "LoaStatus"} {
		assert.NotEmpty(t, e[name], "%s is filled", name)
	}
	assert.Equal(t, "10GBase-LR", e["PortType"], "the smallest port that carries 10 Gbit/s")
	assert.Regexp(t, `^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$`, e["CreationTime"], "no zone, as the reference's example")
	assert.Regexp(t, `^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`, e["EnabledTime"], "RFC 3339 with seconds")
	assert.Regexp(t, `^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`, e["EndTime"])
}

// TestListEnabledTimeNotBeforeCreation checks that a hosted connection enabled in the second
// of its creation is listed with an EnabledTime that does not come before its CreationTime:
// EnabledTime keeps its seconds.
func TestListEnabledTimeNotBeforeCreation(t *testing.T) {
	t.Parallel()
	now := time.Now()
	halfMinute := time.Duration(30-now.Second())*time.Second - time.Duration(now.Nanosecond())
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{ClockOffset: halfMinute, AutoAccept: time.Nanosecond, AutoEnable: time.Nanosecond})
	id := createConn(t, s, 10)
	require.NotZero(t, connOf(t, s, id).CreatedAt.Second(), "created in the middle of a minute")
	e := callAction(t, s, actionList).listed()[0]
	created, err := time.Parse("2006-01-02T15:04:05", e["CreationTime"].(string))
	require.NoError(t, err)
	enabled, err := time.Parse(time.RFC3339, e["EnabledTime"].(string))
	require.NoError(t, err)
	assert.False(t, enabled.Before(created), "EnabledTime %s, CreationTime %s", e["EnabledTime"], e["CreationTime"])
	assert.Equal(t, connOf(t, s, id).EnabledAt.Truncate(time.Second), enabled)
}

// TestListBeforeEnabling checks that EnabledTime and EndTime are empty until billing enables
// the hosted connection, and that an empty list is an empty array.
func TestListBeforeEnabling(t *testing.T) {
	t.Parallel()
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{})
	r := callAction(t, s, actionList)
	require.Equal(t, http.StatusOK, r.Status, r.Raw)
	assert.Contains(t, r.Raw, `"VirtualPhysicalConnections":[]`)
	assert.Equal(t, 0, r.number("TotalCount"))

	createConn(t, s, 10)
	e := callAction(t, s, actionList).listed()[0]
	assert.Equal(t, "UnConfirmed", e["VirtualPhysicalConnectionStatus"])
	assert.Equal(t, "Allocated", e["Status"])
	assert.Equal(t, "", e["EnabledTime"])
	assert.Equal(t, "", e["EndTime"])
	assert.Equal(t, []any{}, e["Tags"])
}

// TestListFilters checks each filter, and filters combined (AND) and lists of values (OR).
func TestListFilters(t *testing.T) {
	t.Parallel()
	const (
		second = "pc-bp1listsecond00000001"
		t1     = "1210123456100001"
		t2     = "1210123456100002"
	)
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{Circuits: []expressconnecttest.Circuit{{ID: second}}})
	ids := map[string]string{}
	create := func(name, circuit, vlan, tenant string, kv ...string) {
		p := validParams(s)
		p.Set("Name", name)
		p.Set("PhysicalConnectionId", circuit)
		p.Set("VlanId", vlan)
		p.Set("VpconnAliUid", tenant)
		for i := 0; i+1 < len(kv); i += 2 {
			p.Set(kv[i], kv[i+1])
		}
		r := post(t, s, p)
		require.Equal(t, http.StatusOK, r.Status, r.Raw)
		ids[name] = r.str("VirtualPhysicalConnection")
	}
	def := expressconnecttest.DefaultCircuitID
	create("a1", def, "10", t1, "ResourceGroupId", "rg-aaa", "Tag.1.Key", "env", "Tag.1.Value", "prod")
	create("b1", def, "11", t2, "Tag.1.Key", "env", "Tag.1.Value", "dev", "Tag.2.Key", "team", "Tag.2.Value", "x")
	create("c1", second, "10", t1, "ResourceGroupId", "rg-aaa")
	create("d1", def, "12", t2)
	require.NoError(t, act(s, ids["a1"], expressconnecttest.TenantAccepts))
	require.NoError(t, act(s, ids["b1"], expressconnecttest.BillingLocksFinancial))
	require.NoError(t, act(s, ids["d1"], expressconnecttest.TenantAccepts))
	require.NoError(t, act(s, ids["d1"], expressconnecttest.BillingEnables))

	cases := []struct {
		name string
		kv   []string
		want string // names in order of creation, space-separated
	}{
		{"no filter", nil, "a1 b1 c1 d1"},
		{"circuit", []string{"PhysicalConnectionId", second}, "c1"},
		{"unknown circuit", []string{"PhysicalConnectionId", "pc-bp1nosuchcircuit0000"}, ""},
		{"IDs", []string{"VirtualPhysicalConnectionIds.1", "c1", "VirtualPhysicalConnectionIds.2", "a1"}, "a1 c1"},
		{"confirmed", []string{"IsConfirmed", "true"}, "a1 d1"},
		{"not confirmed", []string{"IsConfirmed", "false"}, "b1 c1"},
		{"status Confirmed", []string{"VirtualPhysicalConnectionStatuses.1", "Confirmed"}, "a1 d1"},
		{"status UnConfirmed", []string{"VirtualPhysicalConnectionStatuses.1", "UnConfirmed"}, "b1 c1"},
		{"status without an index", []string{"VirtualPhysicalConnectionStatuses", "Confirmed"}, "a1 d1"},
		{"tenant", []string{"VirtualPhysicalConnectionAliUids.1", t1}, "a1 c1"},
		{"tenant without an index", []string{"VirtualPhysicalConnectionAliUids", t2}, "b1 d1"},
		{"VLAN", []string{"VlanIds.1", "10"}, "a1 c1"},
		{"VLANs", []string{"VlanIds.1", "10", "VlanIds.2", "12"}, "a1 c1 d1"},
		{"sparse VLAN indexes", []string{"VlanIds.3", "12"}, "d1"},
		{"FinancialLocked", []string{"VirtualPhysicalConnectionBusinessStatus", "FinancialLocked"}, "b1"},
		{"Normal", []string{"VirtualPhysicalConnectionBusinessStatus", "Normal"}, "a1 c1 d1"},
		{"resource group", []string{"ResourceGroupId", "rg-aaa"}, "a1 c1"},
		{"tag", []string{"Tags.1.Key", "env", "Tags.1.Value", "prod"}, "a1"},
		{"tag key with any value", []string{"Tags.1.Key", "env"}, "a1 b1"},
		{"two tags", []string{"Tags.1.Key", "env", "Tags.1.Value", "dev", "Tags.2.Key", "team", "Tags.2.Value", "x"}, "b1"},
		{"tag value not held", []string{"Tags.1.Key", "team", "Tags.1.Value", "y"}, ""},
		{"filters combined", []string{"PhysicalConnectionId", def, "VirtualPhysicalConnectionAliUids.1", t1, "VlanIds.1", "10"}, "a1"},
	}
	names := map[string]string{}
	for name, id := range ids {
		names[id] = name
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			kv := slices.Clone(tc.kv)
			for i := 1; i < len(kv); i += 2 {
				if id, ok := ids[kv[i]]; ok {
					kv[i] = id
				}
			}
			r := callAction(t, s, actionList, kv...)
			require.Equal(t, http.StatusOK, r.Status, r.Raw)
			var got []string
			for _, id := range r.listedField("PhysicalConnectionId") {
				got = append(got, names[id])
			}
			assert.Equal(t, tc.want, strings.Join(got, " "))
			assert.Equal(t, len(got), r.number("TotalCount"))
			assert.Equal(t, len(got), r.number("Count"))
		})
	}
}

// TestListParameterRules checks each rule of List's parameters with its code.
func TestListParameterRules(t *testing.T) {
	t.Parallel()
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{})
	twentyOne := []string{"VlanIds", "1"}
	for i := 1; i <= 20; i++ {
		twentyOne = append(twentyOne, "VlanIds."+strconv.Itoa(i), strconv.Itoa(i))
	}
	cases := []errorCase{
		{"RegionId missing", []string{"RegionId", ""}, 400, "MissingParameter"},
		{"unknown region", []string{"RegionId", "xx-nowhere-1"}, 404, "InvalidRegionId.NotFound"},
		{"empty ID", []string{"VirtualPhysicalConnectionIds.1", ""}, 400, "InvalidParameter"},
		{"index 0", []string{"VirtualPhysicalConnectionIds.0", "pc-x"}, 400, "InvalidParameter"},
		{"index 21", []string{"VlanIds.21", "5"}, 400, "InvalidParameter"},
		{"index not a number", []string{"VlanIds.first", "5"}, 400, "InvalidParameter"},
		{"21 values", twentyOne, 400, "InvalidParameter"},
		{"20 values", twentyOne[2:], 200, ""},
		{"IsConfirmed not a boolean", []string{"IsConfirmed", "yes"}, 400, "InvalidParameter"},
		{"unknown status", []string{"VirtualPhysicalConnectionStatuses.1", "Enabled"}, 400, "InvalidParameter"},
		{"tenant not an account ID", []string{"VirtualPhysicalConnectionAliUids.1", "tenant"}, 400, "IllegalParam.VpconnAliUid"},
		{"VLAN not a number", []string{"VlanIds.1", "ten"}, 400, "InvalidVlanId.Malformed"},
		{"VLAN 3000", []string{"VlanIds.1", "3000"}, 400, "IllegalParam.VlanId"},
		{"VLAN 0", []string{"VlanIds.1", "0"}, 200, ""},
		{"unknown business status", []string{"VirtualPhysicalConnectionBusinessStatus", "Locked"}, 400, "InvalidParameter"},
		{"MaxResults 0", []string{"MaxResults", "0"}, 400, "InvalidParameter"},
		{"MaxResults 101", []string{"MaxResults", "101"}, 400, "InvalidParameter"},
		{"MaxResults not a number", []string{"MaxResults", "many"}, 400, "InvalidParameter"},
		{"MaxResults 1", []string{"MaxResults", "1"}, 200, ""},
		{"MaxResults 100", []string{"MaxResults", "100"}, 200, ""},
		{"resource group malformed", []string{"ResourceGroupId", "group-1"}, 400, "IllegalParam.ResourceGroupId"},
		{"tag key aliyun", []string{"Tags.1.Key", "aliyun-env"}, 400, "IllegalParam.TagKey"},
		{"tag value with a space", []string{"Tags.1.Key", "env", "Tags.1.Value", "a b"}, 400, "IllegalParam.TagValue"},
		{"tag index 21", []string{"Tags.21.Key", "env"}, 400, "SizeLimitExceeded.TagNum"},
		{"tag keys duplicated", []string{"Tags.1.Key", "env", "Tags.2.Key", "env"}, 400, "Forbidden.TagKey.Duplicated"},
		{"NextToken not issued", []string{"NextToken", "made-up"}, 400, "IllegalParam.NextToken"},
		{"parameter rule before region", []string{"RegionId", "xx-nowhere-1", "MaxResults", "0"}, 400, "InvalidParameter"},
		{"region before NextToken", []string{"RegionId", "xx-nowhere-1", "NextToken", "made-up"}, 404, "InvalidRegionId.NotFound"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.check(t, s, actionList)
		})
	}
}

// TestListPagination reads five hosted connections two by two, in order of creation, and
// checks the NextTokens: reusable (a retry gets the same page), bound to the filters they were
// issued for, and refused when the server did not issue them.
func TestListPagination(t *testing.T) {
	t.Parallel()
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{})
	var ids []string
	for vlan := 1; vlan <= 5; vlan++ {
		ids = append(ids, createConn(t, s, vlan))
	}
	page := func(kv ...string) result {
		t.Helper()
		r := callAction(t, s, actionList, append([]string{"MaxResults", "2"}, kv...)...)
		require.Equal(t, http.StatusOK, r.Status, r.Raw)
		return r
	}
	first := page()
	assert.Equal(t, ids[0:2], first.listedField("PhysicalConnectionId"))
	assert.Equal(t, 5, first.number("TotalCount"))
	assert.Equal(t, 2, first.number("Count"))
	token := first.str("NextToken")
	require.NotEmpty(t, token)

	second := page("NextToken", token)
	assert.Equal(t, ids[2:4], second.listedField("PhysicalConnectionId"))
	assert.Equal(t, 5, second.number("TotalCount"))
	assert.NotEqual(t, token, second.str("NextToken"))

	again := page("NextToken", token)
	assert.Equal(t, ids[2:4], again.listedField("PhysicalConnectionId"), "a NextToken can be used again")

	last := page("NextToken", second.str("NextToken"))
	assert.Equal(t, ids[4:5], last.listedField("PhysicalConnectionId"))
	assert.Equal(t, 1, last.number("Count"))
	assert.Empty(t, last.str("NextToken"))

	bigger := callAction(t, s, actionList, "MaxResults", "10", "NextToken", token)
	require.Equal(t, http.StatusOK, bigger.Status, bigger.Raw)
	assert.Equal(t, ids[2:5], bigger.listedField("PhysicalConnectionId"), "the page size may change from page to page")

	even := page("VlanIds.1", "2", "VlanIds.2", "4")
	assert.Equal(t, []string{ids[1], ids[3]}, even.listedField("PhysicalConnectionId"))
	assert.Empty(t, even.str("NextToken"), "no NextToken when nothing follows")

	t.Run("token with other filters", func(t *testing.T) {
		r := callAction(t, s, actionList, "MaxResults", "2", "NextToken", token, "VlanIds.1", "3")
		assert.Equal(t, http.StatusBadRequest, r.Status)
		assert.Equal(t, "IllegalParam.NextToken", r.code(), r.Raw)
	})
	t.Run("token changed", func(t *testing.T) {
		r := callAction(t, s, actionList, "MaxResults", "2", "NextToken", token+"x")
		assert.Equal(t, "IllegalParam.NextToken", r.code(), r.Raw)
	})
	t.Run("token of another server", func(t *testing.T) {
		other := expressconnecttest.NewTestServer(t, expressconnecttest.Config{})
		r := callAction(t, other, actionList, "MaxResults", "2", "NextToken", token)
		assert.Equal(t, "IllegalParam.NextToken", r.code(), r.Raw)
	})
}

// TestListPaginationIsStable checks that hosted connections created between two pages do not
// shift the next page: it goes on after the last one shown.
func TestListPaginationIsStable(t *testing.T) {
	t.Parallel()
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{})
	a, b, c := createConn(t, s, 1), createConn(t, s, 2), createConn(t, s, 3)
	first := callAction(t, s, actionList, "MaxResults", "2")
	require.Equal(t, []string{a, b}, first.listedField("PhysicalConnectionId"))
	d := createConn(t, s, 4)
	next := callAction(t, s, actionList, "MaxResults", "2", "NextToken", first.str("NextToken"))
	assert.Equal(t, []string{c, d}, next.listedField("PhysicalConnectionId"))
	assert.Equal(t, 4, next.number("TotalCount"))
}

// TestListVisibility checks that List shows the hosted connections of the region asked for,
// on circuits of the caller's account only.
func TestListVisibility(t *testing.T) {
	t.Parallel()
	const shanghai = "pc-uf6listshanghai000001"
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{Circuits: []expressconnecttest.Circuit{{ID: shanghai, RegionID: "cn-shanghai"}}})
	here := createConn(t, s, 10)
	p := validParams(s)
	p.Set("RegionId", "cn-shanghai")
	p.Set("PhysicalConnectionId", shanghai)
	there := post(t, s, p).str("VirtualPhysicalConnection")
	require.NotEmpty(t, there)

	assert.Equal(t, []string{here}, callAction(t, s, actionList).listedField("PhysicalConnectionId"))
	assert.Equal(t, []string{there}, callAction(t, s, actionList, "RegionId", "cn-shanghai").listedField("PhysicalConnectionId"))

	admin(t, s).SetCircuit(expressconnecttest.Circuit{ID: shanghai, RegionID: "cn-shanghai", Owner: "1999999999999999"})
	r := callAction(t, s, actionList, "RegionId", "cn-shanghai")
	require.Equal(t, http.StatusOK, r.Status, r.Raw)
	assert.Empty(t, r.listed(), "hosted connections on another account's circuit are not shown")
}

// TestListAutoTransitions checks that List shows the automatic acceptance once its delay has
// passed on the server's clock.
func TestListAutoTransitions(t *testing.T) {
	t.Parallel()
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{AutoAccept: time.Hour})
	createConn(t, s, 10)
	assert.Equal(t, []string{"UnConfirmed"}, callAction(t, s, actionList).listedField("VirtualPhysicalConnectionStatus"))
	admin(t, s).SetClockOffset(2 * time.Hour)
	assert.Equal(t, []string{"Confirmed"}, callAction(t, s, actionList).listedField("VirtualPhysicalConnectionStatus"))
}
