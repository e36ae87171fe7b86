package expressconnecttest_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/expressconnect-go/expressconnect"
	"github.com/expressconnect-go/expressconnect/expressconnecttest"
)

const actionDescribe = "DescribePhysicalConnections"

// describeRowFields are the fields of a row of the official SDKs' model
// (DescribePhysicalConnectionsResponseBodyPhysicalConnectionSetPhysicalConnectionType), in
// name order.
var describeRowFields = []string{"AccessPointId", "AccessPointType", "AdDetailLocation", "AdLocation", "Bandwidth",
	"BusinessStatus", "ChargeType", "CircuitCode", "CreationTime", "Description", "EnabledTime", "EndTime", "ExpectSpec",
	"HasReservationData", "LineOperator", "LoaStatus", "Name", "OrderMode", "ParentPhysicalConnectionAliUid",
	"ParentPhysicalConnectionId", "PeerLocation", "PhysicalConnectionId", "PortNumber", "PortType", "ProductType", "QosId",
	"RedundantPhysicalConnectionId", "ReservationActiveTime", "ReservationInternetChargeType", "ReservationOrderType",
	"ResourceGroupId", "Spec", "Status", "Tags", "Type", "VirtualPhysicalConnectionCount", "VlanId", "VpconnStatus"}

// rows returns the rows of a Describe answer.
func (r result) rows() []map[string]any {
	return r.objects("PhysicalConnectionSet", "PhysicalConnectionType")
}

// rowField returns the string field name of every row of a Describe answer.
func (r result) rowField(name string) []string { return stringField(r.rows(), name) }

// describe sends DescribePhysicalConnections with the pairs of kv and requires success.
func describe(t *testing.T, s *expressconnecttest.Server, kv ...string) result {
	t.Helper()
	r := callAction(t, s, actionDescribe, kv...)
	require.Equal(t, http.StatusOK, r.Status, r.Raw)
	return r
}

// circuitStatus returns the Status of the circuit id as DescribePhysicalConnections lists it in
// the server's region, or "" when it is not listed.
func circuitStatus(t *testing.T, s *expressconnecttest.Server, id string) string {
	t.Helper()
	r := describe(t, s, "Filter.1.Key", "PhysicalConnectionId", "Filter.1.Value.1", id)
	rows := r.rows()
	if len(rows) == 0 {
		return ""
	}
	require.Len(t, rows, 1)
	require.Equal(t, "PhysicalConnection", rows[0]["ProductType"])
	return rows[0]["Status"].(string)
}

// TestDescribeRows checks the answer's shape and the rows of a circuit and of a hosted
// connection on it: the fields and types of the official SDKs' model, and their values.
func TestDescribeRows(t *testing.T) {
	t.Parallel()
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{Circuits: []expressconnecttest.Circuit{{
		ID: expressconnecttest.DefaultCircuitID, CapacityMbps: 1000, QoSBound: false,
	}}})
	p := validParams(s)
	p.Set("Name", "conn_1")
	p.Set("Description", "For tenant one")
	p.Set("ResourceGroupId", "rg-acfm3wmsyuimpma")
	p.Set("Tag.1.Key", "FinanceDept")
	p.Set("Tag.1.Value", "FinanceJoshua")
	id := post(t, s, p).str("VirtualPhysicalConnection")
	require.NoError(t, act(s, id, expressconnecttest.TenantAccepts))
	require.NoError(t, act(s, id, expressconnecttest.BillingEnables))
	gone := createConn(t, s, 11)
	require.Equal(t, http.StatusOK, deleteConn(t, s, gone).Status)

	r := describe(t, s)
	assert.Equal(t, []string{"PageNumber", "PageSize", "PhysicalConnectionSet", "RequestId", "TotalCount"}, keys(r.Body))
	assert.Equal(t, r.Header.Get("x-acs-request-id"), r.str("RequestId"))
	assert.Equal(t, 1, r.number("PageNumber"))
	assert.Equal(t, 10, r.number("PageSize"))
	assert.Equal(t, 2, r.number("TotalCount"), "the circuit and its hosted connection; the deleted one is not listed")
	rows := r.rows()
	require.Len(t, rows, 2)
	circuit, hosted := rows[0], rows[1]

	assert.Equal(t, describeRowFields, keys(hosted))
	c := connOf(t, s, id)
	wantHosted := map[string]any{
		"PhysicalConnectionId":           id,
		"ProductType":                    "VirtualPhysicalConnection",
		"ParentPhysicalConnectionId":     expressconnecttest.DefaultCircuitID,
		"ParentPhysicalConnectionAliUid": float64(1580000000000001), // a number, not a string as in List
		"VpconnStatus":                   "Confirmed",
		"Status":                         "Enabled",
		"BusinessStatus":                 "Normal",
		"Spec":                           "50M",
		"ExpectSpec":                     "50M",
		"VlanId":                         "10",
		"OrderMode":                      "PayByVirtualPhysicalConnectionOwner",
		"Name":                           "conn_1",
		"Description":                    "For tenant one",
		"ResourceGroupId":                "rg-acfm3wmsyuimpma",
		"Bandwidth":                      float64(1000),
		"VirtualPhysicalConnectionCount": float64(0),
		"Tags":                           map[string]any{"tags": []any{map[string]any{"Key": "FinanceDept", "Value": "FinanceJoshua"}}},
		"CreationTime":                   c.CreatedAt.Format("2006-01-02T15:04:05Z"),
		"EnabledTime":                    c.EnabledAt.Format("2006-01-02T15:04:05Z"),
		"EndTime":                        c.EnabledAt.AddDate(1, 0, 0).Format("2006-01-02T15:04:05Z"),
		"Type":                           "VPC",
		"HasReservationData":             "false",
		"PortType":                       "1000Base-LX",
	}
	for name, value := range wantHosted {
		assert.Equal(t, value, hosted[name], "hosted connection's %s", name)
	}

	assert.Equal(t, slicesWithout(describeRowFields, "ParentPhysicalConnectionAliUid"), keys(circuit),
		"a circuit has no parent account")
	wantCircuit := map[string]any{
		"PhysicalConnectionId":           expressconnecttest.DefaultCircuitID,
		"ProductType":                    "PhysicalConnection",
		"ParentPhysicalConnectionId":     "",
		"VpconnStatus":                   "",
		"VlanId":                         "",
		"Status":                         "Enabled",
		"Spec":                           "1G",
		"Bandwidth":                      float64(1000),
		"VirtualPhysicalConnectionCount": float64(1),
		"Tags":                           map[string]any{"tags": []any{}},
		"QosId":                          "",
	}
	for name, value := range wantCircuit {
		assert.Equal(t, value, circuit[name], "circuit's %s", name)
	}
	for _, name := range []string{"AccessPointId", "AdLocation", "AdDetailLocation", "PeerLocation", "PortNumber",
		"CircuitCode", "LoaStatus", "LineOperator", "ChargeType"} {
		assert.NotEmpty(t, circuit[name], "circuit's %s is filled", name)
		assert.Equal(t, circuit[name], hosted[name], "%s is the circuit's", name)
	}
	for _, name := range []string{"CreationTime", "EnabledTime", "EndTime"} {
		assert.Regexp(t, `^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`, circuit[name], "circuit's %s", name)
	}
}

// slicesWithout returns list without the element drop.
func slicesWithout(list []string, drop string) []string {
	var out []string
	for _, s := range list {
		if s != drop {
			out = append(out, s)
		}
	}
	return out
}

// TestDescribeCircuitRows checks the rows of circuits in other states, QoS-bound and of other
// accounts and regions: EnabledTime only once Enabled, a QosId when bound, and only the
// caller's circuits in the region.
func TestDescribeCircuitRows(t *testing.T) {
	t.Parallel()
	const (
		allocated = "pc-bp1describeallocated1"
		qos       = "pc-bp1describeqos0000001"
		foreign   = "pc-bp1describeforeign001"
		shanghai  = "pc-uf6describeshanghai01"
	)
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{Circuits: []expressconnecttest.Circuit{{ID: allocated, Status: expressconnect.StatusAllocated, CapacityMbps: 500}, {ID: qos, QoSBound: true}, {ID: foreign, Owner: "1999999999999999"}, {ID: shanghai, RegionID: "cn-shanghai"}}})
	r := describe(t, s)
	assert.Equal(t, []string{expressconnecttest.DefaultCircuitID, allocated, qos}, r.rowField("PhysicalConnectionId"),
		"the caller's circuits in the region, by ID")
	rows := r.rows()
	assert.Equal(t, "Allocated", rows[1]["Status"])
	assert.Equal(t, "500M", rows[1]["Spec"])
	assert.Empty(t, rows[1]["EnabledTime"], "never enabled")
	assert.Empty(t, rows[1]["EndTime"])
	assert.Regexp(t, `^qos-`, rows[2]["QosId"])
	assert.Equal(t, []string{shanghai}, describe(t, s, "RegionId", "cn-shanghai").rowField("PhysicalConnectionId"))

	admin(t, s).SetCircuit(expressconnecttest.Circuit{ID: allocated, CapacityMbps: 500})
	assert.NotEmpty(t, describe(t, s).rows()[1]["EnabledTime"], "enabled by SetCircuit")
}

// TestDescribeFilters checks each filter key, values of one key (OR), filters together (AND),
// and the tag and resource group filters.
func TestDescribeFilters(t *testing.T) {
	t.Parallel()
	const (
		allocated = "pc-bp1filterallocated001"
		big       = "pc-bp1filterbig000000001"
	)
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{TerminationDelay: time.Hour, Circuits: []expressconnecttest.Circuit{{ID: allocated, Status: "AllocationFailed"}, {ID: big, CapacityMbps: 40000}}})
	circuit := expressconnecttest.DefaultCircuitID
	named := validParams(s)
	named.Set("Name", "named")
	named.Set("Spec", "2G")
	named.Set("ResourceGroupId", "rg-acfm3wmsyuimpma")
	named.Set("Tag.1.Key", "env")
	named.Set("Tag.1.Value", "prod")
	first := post(t, s, named).str("VirtualPhysicalConnection")
	second := createConn(t, s, 11)
	require.NoError(t, act(s, second, expressconnecttest.TenantAccepts))
	require.NoError(t, act(s, second, expressconnecttest.BillingEnables))
	require.NoError(t, terminateChange.do(s, second))
	p := validParams(s)
	p.Set("PhysicalConnectionId", big)
	p.Set("Spec", "10G")
	third := post(t, s, p).str("VirtualPhysicalConnection")

	filter := func(n int, key string, values ...string) []string {
		kv := []string{"Filter." + strconv.Itoa(n) + ".Key", key}
		for m, v := range values {
			kv = append(kv, "Filter."+strconv.Itoa(n)+".Value."+strconv.Itoa(m+1), v)
		}
		return kv
	}
	join := func(lists ...[]string) []string {
		var out []string
		for _, l := range lists {
			out = append(out, l...)
		}
		return out
	}
	cases := []struct {
		name string
		kv   []string
		want []string
	}{
		{"none", nil, []string{circuit, first, second, allocated, big, third}},
		{"ProductType hosted", filter(1, "ProductType", "VirtualPhysicalConnection"), []string{first, second, third}},
		{"ProductType circuit", filter(1, "ProductType", "PhysicalConnection"), []string{circuit, allocated, big}},
		{"both product types", filter(1, "ProductType", "PhysicalConnection", "VirtualPhysicalConnection"),
			[]string{circuit, first, second, allocated, big, third}},
		{"PhysicalConnectionId of a hosted connection", filter(1, "PhysicalConnectionId", second), []string{second}},
		{"PhysicalConnectionId of a circuit, not its hosted connections", filter(1, "PhysicalConnectionId", circuit), []string{circuit}},
		{"PhysicalConnectionId unknown", filter(1, "PhysicalConnectionId", "pc-bp1nosuchconnection00"), nil},
		{"Status", filter(1, "Status", "Terminating"), []string{second}},
		{"Status, two values", filter(1, "Status", "Terminating", "Allocated"), []string{first, second, third}},
		{"Status in either spelling", filter(1, "Status", "AllocationFailed"), []string{allocated}},
		{"Status in the documented spelling", filter(1, "Status", "Allocation Failed"), []string{allocated}},
		{"Name", filter(1, "Name", "named"), []string{first}},
		{"Spec 1G and below", filter(1, "Spec", "1G and below"), []string{second}},
		{"Spec 10G", filter(1, "Spec", "10G"), []string{circuit, first, allocated, third}},
		{"Spec 40G", filter(1, "Spec", "40G"), []string{big}},
		{"Type", filter(1, "Type", "VPC"), []string{circuit, first, second, allocated, big, third}},
		{"LineOperator", filter(1, "LineOperator", "CT"), nil},
		{"AccessPointId", filter(1, "AccessPointId", "ap-cn-hangzhou-expressconnecttest-A"),
			[]string{circuit, first, second, allocated, big, third}},
		{"two filters (AND)", join(filter(1, "ProductType", "VirtualPhysicalConnection"), filter(2, "Spec", "10G")), []string{first, third}},
		{"the same key twice (AND)", join(filter(1, "Status", "Enabled", "Allocated"), filter(2, "Status", "Allocated")), []string{first, third}},
		{"five filters", join(filter(1, "Type", "VPC"), filter(2, "LineOperator", "Other"), filter(3, "ProductType", "VirtualPhysicalConnection"),
			filter(4, "Status", "Allocated"), filter(5, "PhysicalConnectionId", third)), []string{third}},
		{"tags", []string{"Tags.1.Key", "env", "Tags.1.Value", "prod"}, []string{first}},
		{"resource group", []string{"ResourceGroupId", "rg-acfm3wmsyuimpma"}, []string{first}},
		{"reservation data asked for", []string{"IncludeReservationData", "true", "ClientToken", "describe-token"},
			[]string{circuit, first, second, allocated, big, third}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := describe(t, s, tc.kv...)
			assert.Equal(t, tc.want, r.rowField("PhysicalConnectionId"))
			assert.Equal(t, len(tc.want), r.number("TotalCount"))
		})
	}
}

// TestDescribePaging checks PageNumber and PageSize: the defaults, every page, and a page past
// the end.
func TestDescribePaging(t *testing.T) {
	t.Parallel()
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{})
	want := []string{expressconnecttest.DefaultCircuitID}
	for vlan := 1; vlan <= 12; vlan++ {
		want = append(want, createConn(t, s, vlan))
	}
	first := describe(t, s)
	assert.Equal(t, want[:10], first.rowField("PhysicalConnectionId"), "10 rows by default")
	assert.Equal(t, 13, first.number("TotalCount"))

	var all []string
	for page := 1; page <= 5; page++ {
		r := describe(t, s, "PageNumber", strconv.Itoa(page), "PageSize", "3")
		assert.Equal(t, page, r.number("PageNumber"))
		assert.Equal(t, 3, r.number("PageSize"))
		assert.Equal(t, 13, r.number("TotalCount"))
		all = append(all, r.rowField("PhysicalConnectionId")...)
	}
	assert.Equal(t, want, all, "every row once, in order")
	past := describe(t, s, "PageNumber", "6", "PageSize", "3")
	assert.Empty(t, past.rows())
	assert.Contains(t, past.Raw, `"PhysicalConnectionType":[]`, "an empty page is an empty array")
	assert.Len(t, describe(t, s, "PageSize", "50").rows(), 13)
	last := describe(t, s, "PageNumber", "2147483647", "PageSize", "50")
	assert.Empty(t, last.rows(), "the largest page number is past the end")
	assert.Equal(t, 13, last.number("TotalCount"))
}

// TestDescribeErrors checks the parameter rules of Describe and its region check.
func TestDescribeErrors(t *testing.T) {
	t.Parallel()
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{})
	cases := []struct {
		name    string
		kv      []string
		status  int
		code    string
		message string
	}{
		{"RegionId missing", []string{"RegionId", ""}, 400, "MissingParameter", "RegionId"},
		{"unknown region", []string{"RegionId", "xx-nowhere-1"}, 404, "InvalidRegionId.NotFound", ""},
		{"PageNumber 0", []string{"PageNumber", "0"}, 400, "InvalidParameter", "PageNumber"},
		{"PageNumber not a number", []string{"PageNumber", "one"}, 400, "InvalidParameter", "PageNumber"},
		{"PageNumber past int32", []string{"PageNumber", "2147483648"}, 400, "InvalidParameter", "PageNumber must be a whole number from 1 to 2147483647"},
		{"PageSize 0", []string{"PageSize", "0"}, 400, "InvalidParameter", "PageSize must be a whole number from 1 to 50"},
		{"PageSize 51", []string{"PageSize", "51"}, 400, "InvalidParameter", "PageSize must be a whole number from 1 to 50"},
		{"six filters", []string{"Filter.6.Key", "Name", "Filter.6.Value.1", "x"}, 400, "InvalidParameter", "Filter.N must be 1 to 5"},
		{"filter 0", []string{"Filter.0.Key", "Name", "Filter.0.Value.1", "x"}, 400, "InvalidParameter", "Filter.N must be 1 to 5"},
		{"filter without a key", []string{"Filter.1.Value.1", "x"}, 400, "MissingParameter", "Filter.1.Key"},
		{"filter without a value", []string{"Filter.1.Key", "Name"}, 400, "MissingParameter", "Filter.1.Value.1"},
		{"unknown key", []string{"Filter.1.Key", "VlanId", "Filter.1.Value.1", "10"}, 400, "InvalidParameter", "Filter.1.Key must be one of"},
		{"empty value", []string{"Filter.1.Key", "Name", "Filter.1.Value.1", ""}, 400, "InvalidParameter", "Filter.1.Value.1 must not be empty"},
		{"undocumented Status", []string{"Filter.1.Key", "Status", "Filter.1.Value.1", "Active"}, 400, "InvalidParameter", "Filter.1.Value.1 must be one of"},
		{"undocumented ProductType", []string{"Filter.1.Key", "ProductType", "Filter.1.Value.1", "Hosted"}, 400, "InvalidParameter", "ProductType"},
		{"undocumented Spec", []string{"Filter.1.Key", "Spec", "Filter.1.Value.1", "1G"}, 400, "InvalidParameter", "1G and below"},
		{"value 21", []string{"Filter.1.Key", "Name", "Filter.1.Value.21", "x"}, 400, "InvalidParameter", "Value.M must be 1 to 20"},
		{"other filter field", []string{"Filter.1.Key", "Name", "Filter.1.Values.1", "x"}, 400, "InvalidParameter", "Filter.1.Values.1"},
		{"IncludeReservationData", []string{"IncludeReservationData", "yes"}, 400, "InvalidParameter", "IncludeReservationData"},
		{"ClientToken of 65 characters", []string{"ClientToken", strings.Repeat("t", 65)}, 400, "IllegalParam.Token", ""},
		{"ResourceGroupId", []string{"ResourceGroupId", "group1"}, 400, "IllegalParam.ResourceGroupId", ""},
		{"tag key", []string{"Tags.1.Key", "aliyun-env"}, 400, "IllegalParam.TagKey", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := callAction(t, s, actionDescribe, tc.kv...)
			assert.Equal(t, tc.status, r.Status, r.Raw)
			assert.Equal(t, tc.code, r.code(), r.Raw)
			assert.Contains(t, r.str("Message"), tc.message)
		})
	}
}
