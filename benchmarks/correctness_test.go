package benchmarks

import (
	"context"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/expressconnect-go/expressconnect"

	"github.com/expressconnect-go/expressconnect/benchmarks/internal/fixture"
)

// callsPerClient is how many calls TestEveryClientCreatesOverOneConnection makes per client.
const callsPerClient = 3

// TestEveryClientCreatesOverOneConnection makes each benchmarked client send the fixture
// request a few times and checks that each call got the created ID back, that the server
// verified every signature, and that the client kept its connection alive (at most one dial).
// The cases run one after another: they read the shared server's counters.
func TestEveryClientCreatesOverOneConnection(t *testing.T) {
	for _, cc := range clientCases() {
		t.Run(cc.name, func(t *testing.T) {
			before, err := loopback.stats()
			require.NoError(t, err)
			call, err := cc.newCaller(t, loopback.addr)
			require.NoError(t, err)
			for i := range callsPerClient {
				id, err := call(context.Background())
				require.NoError(t, err, "call %d", i+1)
				assert.Equal(t, fixture.VirtualPhysicalConnectionID, id, "call %d", i+1)
			}
			after, err := loopback.stats()
			require.NoError(t, err)
			assert.Equal(t, int64(callsPerClient), after.Verified-before.Verified, "verified requests")
			assert.Zero(t, after.Rejected-before.Rejected, "refused requests")
			// The second stats request comes on a fresh connection of its own; the client may
			// reuse one it kept from an earlier test (Tea's pool is process-wide), so at most one.
			assert.LessOrEqual(t, after.Connections-before.Connections-1, int64(1), "connections the client opened for %d calls", callsPerClient)
		})
	}
}

// TestEveryClientListsOverOneConnection makes each client of BenchmarkList list the fixture's
// page a few times and checks that each call decoded 100 hosted connections starting with the
// right one, that the server verified every signature, and that the client kept its
// connection alive. The cases run one after another: they read the shared server's counters.
func TestEveryClientListsOverOneConnection(t *testing.T) {
	for _, lc := range listCases() {
		t.Run(lc.name, func(t *testing.T) {
			before, err := loopback.stats()
			require.NoError(t, err)
			list, err := lc.newLister(t, loopback.addr)
			require.NoError(t, err)
			for i := range callsPerClient {
				page, err := list(context.Background())
				require.NoError(t, err, "call %d", i+1)
				assert.Equal(t, fixture.ListMaxResults, page.count, "call %d", i+1)
				assert.Equal(t, fixture.ListedID(0), page.firstID, "call %d", i+1)
			}
			after, err := loopback.stats()
			require.NoError(t, err)
			assert.Equal(t, int64(callsPerClient), after.Verified-before.Verified, "verified requests")
			assert.Zero(t, after.Rejected-before.Rejected, "refused requests")
			assert.LessOrEqual(t, after.Connections-before.Connections-1, int64(1), "connections the client opened for %d calls", callsPerClient)
		})
	}
}

// TestEveryClientDecodesEveryListedField checks the page BenchmarkList decodes: that every
// field of each client's model of a listed hosted connection is set (so the fixture fills
// every field the three models know), and that each client decoded the fixture's values.
func TestEveryClientDecodesEveryListedField(t *testing.T) {
	want := fixture.Listed(0)
	wantJSON, err := json.Marshal(want)
	require.NoError(t, err)
	for _, lc := range listCases() {
		if strings.HasPrefix(lc.name, "floor") {
			continue // it decodes the IDs alone, by design
		}
		t.Run(lc.name, func(t *testing.T) {
			list, err := lc.newLister(t, loopback.addr)
			require.NoError(t, err)
			page, err := list(context.Background())
			require.NoError(t, err)
			require.NotNil(t, page.first)
			// Unreadable is set only for fields the client could not read: none here.
			assert.Subset(t, []string{"Unreadable"}, zeroFields(page.first), "fields the page left unset")
			switch first := page.first.(type) {
			case *expressconnect.VirtualPhysicalConnection:
				assert.Equal(t, sdkConnection(t, want), *first)
			default:
				// Both official models carry the wire names and types: encoded again, an
				// element is the fixture's.
				got, err := json.Marshal(first)
				require.NoError(t, err)
				assert.JSONEq(t, string(wantJSON), string(got))
			}
		})
	}
}

// zeroFields returns the names of the fields of the struct v points to that are zero: an
// empty string, a 0, a nil or empty slice, a nil pointer or one to a zero value.
func zeroFields(v any) []string {
	s := reflect.ValueOf(v).Elem()
	var zero []string
	for i := range s.NumField() {
		f := s.Field(i)
		if f.Kind() == reflect.Pointer && !f.IsNil() {
			f = f.Elem()
		}
		if f.IsZero() || f.Kind() == reflect.Slice && f.Len() == 0 {
			zero = append(zero, s.Type().Field(i).Name)
		}
	}
	return zero
}

// sdkConnection returns the hosted connection this SDK should decode from l.
func sdkConnection(t *testing.T, l fixture.ListedConnection) expressconnect.VirtualPhysicalConnection {
	t.Helper()
	num := func(s string) int64 {
		n, err := strconv.ParseInt(s, 10, 64)
		require.NoError(t, err)
		return n
	}
	// The fixture's times, in UTC, written out here rather than parsed by the SDK under test.
	at := map[string]time.Time{
		fixture.ListTime:        time.Date(2021, 6, 8, 12, 20, 55, 0, time.UTC),
		fixture.ListEnabledTime: time.Date(2021, 6, 8, 12, 22, 0, 0, time.UTC),
		fixture.ListEndTime:     time.Date(2022, 6, 9, 0, 0, 0, 0, time.UTC),
	}
	tags := make([]expressconnect.Tag, len(l.Tags))
	for i, tag := range l.Tags {
		tags[i] = expressconnect.Tag{Key: tag.Key, Value: tag.Value}
	}
	return expressconnect.VirtualPhysicalConnection{
		VirtualPhysicalConnectionID:    l.PhysicalConnectionID,
		ParentPhysicalConnectionID:     l.ParentPhysicalConnectionID,
		ParentPhysicalConnectionAliUID: strconv.FormatInt(num(l.ParentPhysicalConnectionAliUID), 10),
		VpconnAliUID:                   strconv.FormatInt(num(l.AliUID), 10),
		VpconnStatus:                   expressconnect.VpconnStatus(l.VirtualPhysicalConnectionStatus),
		Status:                         expressconnect.Status(l.Status),
		BusinessStatus:                 expressconnect.BusinessStatus(l.BusinessStatus),
		Spec:                           expressconnect.Spec(l.Spec),
		ExpectSpec:                     expressconnect.Spec(l.ExpectSpec),
		Bandwidth:                      l.Bandwidth,
		VLANID:                         expressconnect.VLAN(int(num(l.VlanID))),
		OrderMode:                      expressconnect.OrderMode(l.OrderMode),
		ProductType:                    l.ProductType,
		Name:                           l.Name,
		Description:                    l.Description,
		CreationTime:                   at[l.CreationTime],
		EnabledTime:                    at[l.EnabledTime],
		EndTime:                        at[l.EndTime],
		ChargeType:                     l.ChargeType,
		Type:                           l.Type,
		AccessPointID:                  l.AccessPointID,
		AdLocation:                     l.AdLocation,
		PeerLocation:                   l.PeerLocation,
		PortNumber:                     l.PortNumber,
		PortType:                       l.PortType,
		LineOperator:                   l.LineOperator,
		CircuitCode:                    l.CircuitCode,
		LoaStatus:                      l.LoaStatus,
		RedundantPhysicalConnectionID:  l.RedundantPhysicalConnectionID,
		ResourceGroupID:                l.ResourceGroupID,
		Tags:                           tags,
	}
}
