package expressconnect

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// listElement is one hosted connection as the service lists it, with every documented field
// and the example values of the API reference.
func listElement(id, status, vpconnStatus string) string {
	return fmt.Sprintf(`{"PhysicalConnectionId":%q,"ParentPhysicalConnectionId":"pc-bp1ciz7ekd2grn1as****",`+
		`"ParentPhysicalConnectionAliUid":"283117732402483989","AliUid":"253460731706911258",`+
		`"VirtualPhysicalConnectionStatus":%q,"Status":%q,"BusinessStatus":"Normal","Spec":"50M","ExpectSpec":"100M",`+
		`"Bandwidth":50,"VlanId":"10","OrderMode":"PayByPhysicalConnectionOwner","ProductType":"VirtualPhysicalConnection",`+
		`"Name":"nametest","Description":"desctest","CreationTime":"2021-06-08T12:20:55","EnabledTime":"2021-10-08T10:44Z",`+
		`"EndTime":"2021-11-08T16:00:00Z","ChargeType":"Prepaid","Type":"VPC","AccessPointId":"ap-cn-hangzhou-finance-yh-E",`+
		`"AdLocation":"Hangzhou","PeerLocation":"Data center","PortNumber":"80","PortType":"10GBase-LR","LineOperator":"CU",`+
		`"CircuitCode":"longtel001","LoaStatus":"Available","RedundantPhysicalConnectionId":"pc-119mfjzm****",`+
		`"ResourceGroupId":"rg-acfm3wmsyuimpma","Tags":[{"Key":"FinanceDept","Value":"FinanceJoshua"}]}`, id, vpconnStatus, status)
}

// listPage returns a List answer with the elements and the next token.
func listPage(next string, elements ...string) string {
	return fmt.Sprintf(`{"RequestId":"LIST-REQ","NextToken":%q,"TotalCount":%d,"Count":%d,"VirtualPhysicalConnections":[%s]}`,
		next, 100, len(elements), strings.Join(elements, ","))
}

func TestListDecodesEveryField(t *testing.T) {
	t.Parallel()
	srv := newFixtureServer(t, fixtureJSON(http.StatusOK, listPage("", listElement("pc-bp1mrgfbtmc9brre7****", "Enabled", "Confirmed")), ""))
	c := fixtureClient(t, srv.URL)

	resp, err := c.ListVirtualPhysicalConnections(context.Background(), &ListVirtualPhysicalConnectionsRequest{})

	require.NoError(t, err)
	assert.Equal(t, "LIST-REQ", resp.RequestID)
	assert.Equal(t, 100, resp.TotalCount)
	assert.Equal(t, 1, resp.Count)
	assert.Empty(t, resp.NextToken)
	require.Len(t, resp.VirtualPhysicalConnections, 1)
	assert.Equal(t, VirtualPhysicalConnection{
		VirtualPhysicalConnectionID:    "pc-bp1mrgfbtmc9brre7****",
		ParentPhysicalConnectionID:     "pc-bp1ciz7ekd2grn1as****",
		ParentPhysicalConnectionAliUID: "283117732402483989",
		VpconnAliUID:                   "253460731706911258",
		VpconnStatus:                   VpconnStatusConfirmed,
		Status:                         StatusEnabled,
		BusinessStatus:                 BusinessStatusNormal,
		Spec:                           Spec50M,
		ExpectSpec:                     Spec100M,
		Bandwidth:                      50,
		VLANID:                         VLAN(10),
		OrderMode:                      PayByPhysicalConnectionOwner,
		ProductType:                    "VirtualPhysicalConnection",
		Name:                           "nametest",
		Description:                    "desctest",
		CreationTime:                   time.Date(2021, 6, 8, 12, 20, 55, 0, time.UTC),
		EnabledTime:                    time.Date(2021, 10, 8, 10, 44, 0, 0, time.UTC),
		EndTime:                        time.Date(2021, 11, 8, 16, 0, 0, 0, time.UTC),
		ChargeType:                     "Prepaid",
		Type:                           "VPC",
		AccessPointID:                  "ap-cn-hangzhou-finance-yh-E",
		AdLocation:                     "Hangzhou",
		PeerLocation:                   "Data center",
		PortNumber:                     "80",
		PortType:                       "10GBase-LR",
		LineOperator:                   "CU",
		CircuitCode:                    "longtel001",
		LoaStatus:                      "Available",
		RedundantPhysicalConnectionID:  "pc-119mfjzm****",
		ResourceGroupID:                "rg-acfm3wmsyuimpma",
		Tags:                           []Tag{{Key: "FinanceDept", Value: "FinanceJoshua"}},
	}, resp.VirtualPhysicalConnections[0])
}

func TestListDecodesWireVariants(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		field string
		check func(t *testing.T, c VirtualPhysicalConnection)
	}{
		{"VLAN 0 as a string", `"VlanId":"0"`, func(t *testing.T, c VirtualPhysicalConnection) { assert.Equal(t, VLAN(0), c.VLANID) }},
		{"VLAN as a number", `"VlanId":12`, func(t *testing.T, c VirtualPhysicalConnection) { assert.Equal(t, VLAN(12), c.VLANID) }},
		{"VLAN empty is unset", `"VlanId":""`, func(t *testing.T, c VirtualPhysicalConnection) { assert.Equal(t, VLANID{}, c.VLANID) }},
		{"VLAN absent is unset", `"Name":"x"`, func(t *testing.T, c VirtualPhysicalConnection) { assert.Equal(t, VLANID{}, c.VLANID) }},
		{"UID as a number", `"AliUid":1210123456789012`, func(t *testing.T, c VirtualPhysicalConnection) {
			assert.Equal(t, "1210123456789012", c.VpconnAliUID)
		}},
		{"UID null", `"AliUid":null`, func(t *testing.T, c VirtualPhysicalConnection) { assert.Zero(t, c.VpconnAliUID) }},
		{"time with an offset", `"CreationTime":"2021-06-08T20:20:55+08:00"`, func(t *testing.T, c VirtualPhysicalConnection) {
			assert.Equal(t, time.Date(2021, 6, 8, 12, 20, 55, 0, time.UTC), c.CreationTime)
		}},
		{"time without seconds or zone", `"CreationTime":"2021-06-08T12:20"`, func(t *testing.T, c VirtualPhysicalConnection) {
			assert.Equal(t, time.Date(2021, 6, 8, 12, 20, 0, 0, time.UTC), c.CreationTime)
		}},
		{"time with a space", `"CreationTime":"2021-06-08 12:20:55"`, func(t *testing.T, c VirtualPhysicalConnection) {
			assert.Equal(t, time.Date(2021, 6, 8, 12, 20, 55, 0, time.UTC), c.CreationTime)
		}},
		{"time without seconds, with an offset", `"EnabledTime":"2021-10-08T18:44+08:00"`, func(t *testing.T, c VirtualPhysicalConnection) {
			assert.Equal(t, time.Date(2021, 10, 8, 10, 44, 0, 0, time.UTC), c.EnabledTime)
		}},
		{"time with a fraction and no zone", `"CreationTime":"2021-06-08T12:20:55.5"`, func(t *testing.T, c VirtualPhysicalConnection) {
			assert.Equal(t, time.Date(2021, 6, 8, 12, 20, 55, 5e8, time.UTC), c.CreationTime)
		}},
		{"time with a fraction and an offset", `"EndTime":"2021-11-09T00:00:00.25+08:00"`, func(t *testing.T, c VirtualPhysicalConnection) {
			assert.Equal(t, time.Date(2021, 11, 8, 16, 0, 0, 25e7, time.UTC), c.EndTime)
		}},
		{"time empty", `"EndTime":""`, func(t *testing.T, c VirtualPhysicalConnection) { assert.True(t, c.EndTime.IsZero()) }},
		{"time with an offset without a colon", `"CreationTime":"2021-06-08T20:20:55+0800"`, func(t *testing.T, c VirtualPhysicalConnection) {
			assert.Equal(t, time.Date(2021, 6, 8, 12, 20, 55, 0, time.UTC), c.CreationTime)
		}},
		{"time of minute precision with a space", `"EnabledTime":"2021-10-08 10:44"`, func(t *testing.T, c VirtualPhysicalConnection) {
			assert.Equal(t, time.Date(2021, 10, 8, 10, 44, 0, 0, time.UTC), c.EnabledTime)
		}},
		{"date alone", `"EndTime":"2021-11-08"`, func(t *testing.T, c VirtualPhysicalConnection) {
			assert.Equal(t, time.Date(2021, 11, 8, 0, 0, 0, 0, time.UTC), c.EndTime)
		}},
		{"odd time reported, not fatal", `"EndTime":"next Tuesday","Name":"kept"`, func(t *testing.T, c VirtualPhysicalConnection) {
			assert.True(t, c.EndTime.IsZero())
			assert.Equal(t, map[string]string{"EndTime": "next Tuesday"}, c.Unreadable)
			assert.Equal(t, "kept", c.Name, "the rest of the element is read")
		}},
		{"odd UID and VLAN reported", `"AliUid":"tenant-7","VlanId":"ten"`, func(t *testing.T, c VirtualPhysicalConnection) {
			assert.Empty(t, c.VpconnAliUID)
			assert.Equal(t, VLANID{}, c.VLANID)
			assert.Equal(t, map[string]string{"AliUid": "tenant-7", "VlanId": "ten"}, c.Unreadable)
		}},
		{"every field readable", `"EndTime":"2021-11-08T16:00:00Z"`, func(t *testing.T, c VirtualPhysicalConnection) { assert.Nil(t, c.Unreadable) }},
		{"escaped string", `"Name":"a\u0062c"`, func(t *testing.T, c VirtualPhysicalConnection) { assert.Equal(t, "abc", c.Name) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newFixtureServer(t, fixtureJSON(http.StatusOK, listPage("", `{"PhysicalConnectionId":"pc-1",`+tc.field+`}`), ""))
			resp, err := fixtureClient(t, srv.URL).ListVirtualPhysicalConnections(context.Background(), &ListVirtualPhysicalConnectionsRequest{})
			require.NoError(t, err)
			require.Len(t, resp.VirtualPhysicalConnections, 1)
			tc.check(t, resp.VirtualPhysicalConnections[0])
		})
	}
}

// TestListReportsOddFields checks that a field the client cannot read is reported in
// Unreadable, by its wire name and text, without failing the page or the rest of the element.
func TestListReportsOddFields(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, value string }{
		{"VlanId", `"ten"`}, {"AliUid", `"12ab"`}, {"AliUid", `"-5"`}, {"ParentPhysicalConnectionAliUid", `"0"`},
		{"CreationTime", `"yesterday"`}, {"CreationTime", `"2021-06-08T12:20:55 +08:00"`}, {"EnabledTime", `"08/10/2021"`},
		{"Bandwidth", `"fifty"`}, {"EndTime", `{"at":1}`},
	}
	for _, tc := range tests {
		t.Run(tc.name+"="+tc.value, func(t *testing.T) {
			t.Parallel()
			element := `{"PhysicalConnectionId":"pc-1","Name":"kept",` + strconv.Quote(tc.name) + `:` + tc.value + `}`
			srv := newFixtureServer(t, fixtureJSON(http.StatusOK, listPage("", element, listElement("pc-2", "Enabled", "Confirmed")), ""))
			resp, err := fixtureClient(t, srv.URL).ListVirtualPhysicalConnections(context.Background(), &ListVirtualPhysicalConnectionsRequest{})
			require.NoError(t, err, "one odd field does not fail the page")
			require.Len(t, resp.VirtualPhysicalConnections, 2)
			odd := resp.VirtualPhysicalConnections[0]
			assert.Equal(t, "kept", odd.Name)
			require.Contains(t, odd.Unreadable, tc.name)
			assert.NotEmpty(t, odd.Unreadable[tc.name])
			assert.Nil(t, resp.VirtualPhysicalConnections[1].Unreadable)
		})
	}
}

func TestListWire(t *testing.T) {
	t.Parallel()
	srv := newFixtureServer(t, fixtureJSON(http.StatusOK, listPage(""), ""))
	c := fixtureClient(t, srv.URL)

	_, err := c.ListVirtualPhysicalConnections(context.Background(), &ListVirtualPhysicalConnectionsRequest{
		PhysicalConnectionID:         "pc-circuit",
		VirtualPhysicalConnectionIDs: []string{"pc-a", "pc-b"},
		VpconnStatuses:               []VpconnStatus{VpconnStatusConfirmed, VpconnStatusDeleted},
		VpconnAliUIDs:                []string{"1210123456789012"},
		VLANIDs:                      []VLANID{VLAN(0), VLAN(2999)},
		Confirmation:                 OnlyUnconfirmed,
		BusinessStatus:               BusinessStatusFinancialLocked,
		ResourceGroupID:              "rg-acfm3wmsyuimpma",
		Tags:                         []Tag{{Key: "env", Value: ""}},
		MaxResults:                   100,
		NextToken:                    "token-2",
	})

	require.NoError(t, err)
	q := srv.queries()[0]
	want := url.Values{
		"Action": {"ListVirtualPhysicalConnections"}, "RegionId": {"cn-hangzhou"}, "PhysicalConnectionId": {"pc-circuit"},
		"VirtualPhysicalConnectionIds.1": {"pc-a"}, "VirtualPhysicalConnectionIds.2": {"pc-b"},
		"VirtualPhysicalConnectionStatuses.1": {"Confirmed"}, "VirtualPhysicalConnectionStatuses.2": {"Deleted"},
		"VirtualPhysicalConnectionAliUids.1": {"1210123456789012"}, "VlanIds.1": {"0"}, "VlanIds.2": {"2999"},
		"IsConfirmed": {"false"}, "VirtualPhysicalConnectionBusinessStatus": {"FinancialLocked"},
		"ResourceGroupId": {"rg-acfm3wmsyuimpma"}, "Tags.1.Key": {"env"}, "Tags.1.Value": {""},
		"MaxResults": {"100"}, "NextToken": {"token-2"},
	}
	for name, values := range want {
		assert.Equal(t, values, q[name], name)
	}
	assert.False(t, q.Has("Token"), "List takes no idempotency token")
	assert.False(t, q.Has("ClientToken"))
	assert.Equal(t, "ListVirtualPhysicalConnections", srv.requests()[0].header.Get("x-acs-action"))
}

func TestListMinimalWire(t *testing.T) {
	t.Parallel()
	srv := newFixtureServer(t, fixtureJSON(http.StatusOK, listPage(""), ""))
	_, err := fixtureClient(t, srv.URL).ListVirtualPhysicalConnections(context.Background(), &ListVirtualPhysicalConnectionsRequest{Confirmation: OnlyConfirmed})
	require.NoError(t, err)
	q := srv.queries()[0]
	assert.Equal(t, "true", q.Get("IsConfirmed"))
	for _, name := range []string{"PhysicalConnectionId", "MaxResults", "NextToken", "VirtualPhysicalConnectionBusinessStatus", "ResourceGroupId"} {
		assert.False(t, q.Has(name), "%s is sent only when set", name)
	}
}

func TestListValidation(t *testing.T) {
	t.Parallel()
	many := make([]string, 21)
	for i := range many {
		many[i] = fmt.Sprintf("pc-%d", i)
	}
	req := &ListVirtualPhysicalConnectionsRequest{
		VirtualPhysicalConnectionIDs: append(many, ""),
		VpconnStatuses:               []VpconnStatus{"Active"},
		VpconnAliUIDs:                []string{"0123"},
		VLANIDs:                      []VLANID{VLAN(-1), {}},
		Confirmation:                 Confirmation(7),
		BusinessStatus:               "Frozen",
		ResourceGroupID:              "project-x",
		Tags:                         []Tag{{Key: "aliyun-x"}},
		MaxResults:                   101,
	}
	srv := newFixtureServer(t)
	_, err := fixtureClient(t, srv.URL).ListVirtualPhysicalConnections(context.Background(), req)

	var vErr *ValidationError
	require.ErrorAs(t, err, &vErr)
	assert.ErrorIs(t, err, ErrInvalidParameter)
	assert.Equal(t, actionList, vErr.Operation)
	params := map[string]bool{}
	for _, v := range vErr.Violations {
		params[v.Param] = true
	}
	for _, p := range []string{"VirtualPhysicalConnectionIds.N", "VirtualPhysicalConnectionIds.22", "VirtualPhysicalConnectionStatuses.1",
		"VirtualPhysicalConnectionAliUids.1", "VlanIds.1", "VlanIds.2", "IsConfirmed", "VirtualPhysicalConnectionBusinessStatus",
		"ResourceGroupId", "Tags.1.Key", "MaxResults"} {
		assert.True(t, params[p], "a violation names %s: %v", p, vErr)
	}
	assert.Empty(t, srv.requests(), "nothing is sent")
	assert.Equal(t, "project-x", req.ResourceGroupID, "the request is not changed")
	assert.Empty(t, req.RegionID, "the client's region goes into a copy")
	assert.NoError(t, Validate(&ListVirtualPhysicalConnectionsRequest{RegionID: "cn-hangzhou"}))
	assert.Error(t, Validate((*ListVirtualPhysicalConnectionsRequest)(nil)))
}

// listPages answers the i-th request with the i-th body; the last repeats.
func listPages(bodies ...string) []fixtureStep {
	steps := make([]fixtureStep, len(bodies))
	for i, b := range bodies {
		steps[i] = fixtureJSON(http.StatusOK, b, "")
	}
	return steps
}

func TestListAllPages(t *testing.T) {
	t.Parallel()
	srv := newFixtureServer(t, listPages(
		listPage("t2", listElement("pc-1", "Allocated", "UnConfirmed"), listElement("pc-2", "Allocated", "UnConfirmed")),
		listPage("t3"),
		listPage("", listElement("pc-3", "Enabled", "Confirmed")),
	)...)
	c := fixtureClient(t, srv.URL)
	req := &ListVirtualPhysicalConnectionsRequest{PhysicalConnectionID: "pc-circuit", MaxResults: 2}

	var ids []string
	for conn, err := range c.ListAllVirtualPhysicalConnections(context.Background(), req) {
		require.NoError(t, err)
		ids = append(ids, conn.VirtualPhysicalConnectionID)
	}

	assert.Equal(t, []string{"pc-1", "pc-2", "pc-3"}, ids)
	assert.Equal(t, []string{"", "t2", "t3"}, srv.param("NextToken"))
	assert.Equal(t, []string{"pc-circuit", "pc-circuit", "pc-circuit"}, srv.param("PhysicalConnectionId"), "every page keeps the filters")
	assert.Empty(t, req.NextToken, "the caller's request is not changed")
}

func TestListAllStopsOnFirstError(t *testing.T) {
	t.Parallel()
	srv := newFixtureServer(t, append(listPages(listPage("t2", listElement("pc-1", "Allocated", "UnConfirmed"))),
		fixtureAPI(http.StatusForbidden, "Forbidden.RAM"))...)
	c := fixtureClient(t, srv.URL)

	var ids []string
	var errs []error
	for conn, err := range c.ListAllVirtualPhysicalConnections(context.Background(), &ListVirtualPhysicalConnectionsRequest{}) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		ids = append(ids, conn.VirtualPhysicalConnectionID)
	}

	assert.Equal(t, []string{"pc-1"}, ids)
	require.Len(t, errs, 1, "the iteration ends after its first error")
	assert.ErrorIs(t, errs[0], CodeForbiddenRAM)
	assert.Len(t, srv.requests(), 2)
}

func TestListAllBreakSendsNoMorePages(t *testing.T) {
	t.Parallel()
	srv := newFixtureServer(t, listPages(listPage("t2", listElement("pc-1", "Allocated", "UnConfirmed"), listElement("pc-2", "Allocated", "UnConfirmed")))...)
	c := fixtureClient(t, srv.URL)
	for range c.ListAllVirtualPhysicalConnections(context.Background(), &ListVirtualPhysicalConnectionsRequest{}) {
		break
	}
	assert.Len(t, srv.requests(), 1)
}

// TestListAllRefusesARepeatedToken checks that ListAll ends with ErrMalformedResponse when the
// service sends a NextToken it already sent, whether at once or after other pages, instead of
// reading the same pages forever.
func TestListAllRefusesARepeatedToken(t *testing.T) {
	t.Parallel()
	pc := func(id string) string { return listElement(id, "Allocated", "UnConfirmed") }
	tests := []struct {
		name     string
		pages    []string
		wantIDs  []string
		requests int
	}{
		{"the token it was sent", []string{listPage("same", pc("pc-1"))}, []string{"pc-1", "pc-1"}, 2},
		{"a cycle of two tokens", []string{listPage("a", pc("pc-1")), listPage("b", pc("pc-2")), listPage("a", pc("pc-3"))},
			[]string{"pc-1", "pc-2", "pc-3"}, 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newFixtureServer(t, listPages(tc.pages...)...)
			c := fixtureClient(t, srv.URL)
			var ids []string
			var errs []error
			for conn, err := range c.ListAllVirtualPhysicalConnections(context.Background(), &ListVirtualPhysicalConnectionsRequest{}) {
				if err != nil {
					errs = append(errs, err)
					continue
				}
				ids = append(ids, conn.VirtualPhysicalConnectionID)
			}
			require.Len(t, errs, 1)
			assert.ErrorIs(t, errs[0], ErrMalformedResponse)
			assert.Contains(t, errs[0].Error(), "NextToken it had already sent")
			assert.Equal(t, tc.wantIDs, ids)
			assert.Len(t, srv.requests(), tc.requests)
		})
	}
}

func TestListAllHonoursContext(t *testing.T) {
	t.Parallel()
	srv := newFixtureServer(t, listPages(listPage("t2", listElement("pc-1", "Allocated", "UnConfirmed")))...)
	c := fixtureClient(t, srv.URL)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var last error
	for _, err := range c.ListAllVirtualPhysicalConnections(ctx, &ListVirtualPhysicalConnectionsRequest{}) {
		cancel()
		last = err
	}
	assert.ErrorIs(t, last, context.Canceled)
	assert.Len(t, srv.requests(), 1, "no page is asked for after the context ends")
}

func TestListAllInvalidRequest(t *testing.T) {
	t.Parallel()
	c := fixtureClient(t, newFixtureServer(t).URL)
	for _, req := range []*ListVirtualPhysicalConnectionsRequest{nil, {MaxResults: -1}} {
		var errs []error
		for _, err := range c.ListAllVirtualPhysicalConnections(context.Background(), req) {
			errs = append(errs, err)
		}
		require.Len(t, errs, 1)
		assert.True(t, errors.Is(errs[0], ErrInvalidParameter), "%v", errs[0])
	}
}

// TestListAllDistrustsTheService checks the bounds the iterator puts on NextTokens: a cycle
// back to the token it started from, a token over the length bound, and empty pages in a row
// with fresh tokens each end it with ErrMalformedResponse, before any page is read twice.
func TestListAllDistrustsTheService(t *testing.T) {
	t.Parallel()
	pc := func(id string) string { return listElement(id, "Allocated", "UnConfirmed") }
	var empties []string
	for i := range maxEmptyPages + 5 {
		empties = append(empties, listPage(fmt.Sprintf("fresh-%d", i)))
	}
	tests := []struct {
		name     string
		start    string
		pages    []string
		wantIDs  []string
		requests int
		text     string
	}{
		{"back to the caller's start token", "start", []string{listPage("next", pc("pc-1")), listPage("start", pc("pc-2"))},
			[]string{"pc-1", "pc-2"}, 2, "NextToken it had already sent"},
		{"a token over the bound", "", []string{listPage(strings.Repeat("t", maxNextTokenLen+1), pc("pc-1"))},
			[]string{"pc-1"}, 1, "over 4096"},
		{"empty pages with fresh tokens", "", empties, nil, maxEmptyPages + 1, "empty pages in a row"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newFixtureServer(t, listPages(tc.pages...)...)
			var ids []string
			var errs []error
			req := &ListVirtualPhysicalConnectionsRequest{NextToken: tc.start}
			for conn, err := range fixtureClient(t, srv.URL).ListAllVirtualPhysicalConnections(context.Background(), req) {
				if err != nil {
					errs = append(errs, err)
					continue
				}
				ids = append(ids, conn.VirtualPhysicalConnectionID)
			}
			require.Len(t, errs, 1)
			assert.ErrorIs(t, errs[0], ErrMalformedResponse)
			assert.Contains(t, errs[0].Error(), tc.text)
			assert.Equal(t, tc.wantIDs, ids)
			assert.Len(t, srv.requests(), tc.requests)
			assert.Equal(t, tc.start, req.NextToken, "the caller's request is not changed")
		})
	}
}

// TestListAllStopsMidPage checks that the iterator yields nothing more of a page once ctx is
// done.
func TestListAllStopsMidPage(t *testing.T) {
	t.Parallel()
	pc := func(id string) string { return listElement(id, "Allocated", "UnConfirmed") }
	srv := newFixtureServer(t, listPages(listPage("", pc("pc-1"), pc("pc-2"), pc("pc-3")))...)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var ids []string
	var errs []error
	for conn, err := range fixtureClient(t, srv.URL).ListAllVirtualPhysicalConnections(ctx, &ListVirtualPhysicalConnectionsRequest{}) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		ids = append(ids, conn.VirtualPhysicalConnectionID)
		cancel()
	}
	assert.Equal(t, []string{"pc-1"}, ids)
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], context.Canceled)
}

// TestPageTokensBounded checks that the iterator's memory of tokens is a fixed-size digest per
// page, whatever the tokens' size, and that it stops at maxPages.
func TestPageTokensBounded(t *testing.T) {
	t.Parallel()
	var p pageTokens
	big := strings.Repeat("x", maxNextTokenLen)
	for i := range maxPages {
		require.NoError(t, p.next(big[:maxNextTokenLen-8]+fmt.Sprintf("%08d", i), 1))
	}
	assert.Len(t, p.digests, maxPages)
	err := p.next("one more", 1)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "more than 100000 pages")
}
