package expressconnect

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// readTimeInTurn is what readTime must give: the first of timeLayouts that fits s, in UTC.
func readTimeInTurn(s string) (time.Time, bool) {
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// timeTexts returns times in every shape: each accepted layout with and without a fraction and
// with each kind of zone, and texts that fit none.
func timeTexts() []string {
	var texts []string
	for _, sep := range []string{"T", " ", "t", "_"} {
		for _, clock := range []string{"12:20", "12:20:55", "12:20:55.5", "12:20:55.123456789", "12", "12:20:55:01", "1:2"} {
			for _, zone := range []string{"", "Z", "z", "+08:00", "-05:30", "+0800", "-0530", "+08", " +08:00", "Z+08:00", "+08:00Z"} {
				texts = append(texts, "2021-06-08"+sep+clock+zone)
			}
		}
	}
	return append(texts, "2021-06-08", "2021-06-08T", "2021-6-8", "20210608", "08/10/2021", "yesterday", "", "Z",
		"2021-06-08Z", "2021-06-08+08:00", "2021-13-08T12:20:55Z", "2021-06-08T25:20:55Z", "2021-06-08T12:20:55+24:00")
}

// TestReadTimeAsTheLayoutsInTurn checks that reading a time by its shape gives what trying the
// layouts in turn gives, for times of every shape.
func TestReadTimeAsTheLayoutsInTurn(t *testing.T) {
	t.Parallel()
	accepted := 0
	for _, s := range timeTexts() {
		want, wantOK := readTimeInTurn(s)
		got, ok := readTime(s)
		assert.Equal(t, wantOK, ok, "%q", s)
		assert.True(t, want.Equal(got), "%q: got %v, want %v", s, got, want)
		assert.Equal(t, want.Location(), got.Location(), "%q", s)
		if ok {
			accepted++
		}
	}
	assert.Greater(t, accepted, 30, "the texts exercise the accepted layouts")
}

// TestReadTimeParsesOnce checks that a time in any accepted layout is read with one parse,
// without the failed attempts at other layouts whose errors allocate. It measures allocations,
// so it does not run in parallel.
func TestReadTimeParsesOnce(t *testing.T) {
	for _, s := range []string{"2021-11-08T16:00:00Z", "2021-06-08T12:20:55", "2021-10-08T10:44Z", "2021-06-08T12:20:55.5",
		"2021-10-08T10:44", "2021-06-08 12:20:55", "2021-06-08 12:20", "2021-06-08", "2021-11-08T16:00:00.25Z"} {
		t.Run(s, func(t *testing.T) {
			_, ok := readTime(s)
			require.True(t, ok)
			assert.Zero(t, testing.AllocsPerRun(100, func() { _, _ = readTime(s) }))
		})
	}
}

// BenchmarkReadTime measures reading each of the three times of a List element in the layout
// the service sends it, by its shape (read=shape, what the client does) and by trying the
// layouts in turn (read=inturn).
func BenchmarkReadTime(b *testing.B) {
	times := []struct{ name, text string }{
		{"CreationTime", "2021-06-08T12:20:55"},
		{"EnabledTime", "2021-06-08T12:22Z"},
		{"EndTime", "2022-06-09T00:00:00Z"},
	}
	reads := []struct {
		name string
		read func(string) (time.Time, bool)
	}{
		{"shape", readTime},
		{"inturn", readTimeInTurn},
	}
	for _, tc := range times {
		for _, r := range reads {
			b.Run("field="+tc.name+"/read="+r.name, func(b *testing.B) {
				b.ReportAllocs()
				for range b.N {
					if _, ok := r.read(tc.text); !ok {
						b.Fatal(tc.text)
					}
				}
			})
		}
	}
}

// TestListDecodeArrayPresence checks what decode makes of a List answer whose array is
// missing, null, empty or given twice: without a RequestId, a missing or null array is an
// error, and an empty one is not; an array given twice, or a member given twice in an element
// (in any case), makes the answer unreadable rather than one of them silently kept.
func TestListDecodeArrayPresence(t *testing.T) {
	t.Parallel()
	const (
		noArray = "neither VirtualPhysicalConnections nor RequestId"
		twice   = "names a member twice"
	)
	cases := []struct {
		name    string
		body    string
		wantErr string
		wantIDs []string
	}{
		{name: "empty with RequestId", body: `{"RequestId":"R","VirtualPhysicalConnections":[]}`},
		{name: "missing with RequestId", body: `{"RequestId":"R"}`},
		{name: "missing without RequestId", body: `{}`, wantErr: noArray},
		{name: "null without RequestId", body: `{"VirtualPhysicalConnections":null}`, wantErr: noArray},
		{name: "empty without RequestId", body: `{"VirtualPhysicalConnections":[]}`},
		{name: "one without RequestId", body: `{"VirtualPhysicalConnections":[{"PhysicalConnectionId":"pc-1"}]}`, wantIDs: []string{"pc-1"}},
		{name: "one in another case", body: `{"requestid":"R","virtualphysicalconnections":[{"PHYSICALCONNECTIONID":"pc-1"}]}`, wantIDs: []string{"pc-1"}},
		{name: "given, then null", body: `{"RequestId":"R","VirtualPhysicalConnections":[{"PhysicalConnectionId":"pc-1"}],"VirtualPhysicalConnections":null}`, wantErr: twice},
		{name: "given twice", body: `{"RequestId":"R","VirtualPhysicalConnections":[{"PhysicalConnectionId":"pc-1"},{"PhysicalConnectionId":"pc-2"}],` +
			`"VirtualPhysicalConnections":[{"PhysicalConnectionId":"pc-3"}]}`, wantErr: twice},
		{name: "an element's ID twice", body: `{"RequestId":"R","VirtualPhysicalConnections":[{"PhysicalConnectionId":"pc-1","PhysicalConnectionId":"pc-2"}]}`, wantErr: twice},
		{name: "an element's ID twice in two cases", body: `{"RequestId":"R","VirtualPhysicalConnections":[{"PhysicalConnectionId":"pc-1","physicalConnectionId":"pc-2"}]}`, wantErr: twice},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var resp ListVirtualPhysicalConnectionsResponse
			_, err := resp.decode([]byte(tc.body), false)
			if tc.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.wantErr)
				return
			}
			require.NoError(t, err)
			var ids []string
			for _, c := range resp.VirtualPhysicalConnections {
				ids = append(ids, c.VirtualPhysicalConnectionID)
			}
			assert.Equal(t, tc.wantIDs, ids)
		})
	}
}

// TestListDecodeLeavesNothingBehind checks that a page decoded after another, into the slice
// the first one used, holds nothing of the first: a field a page leaves out is zero.
func TestListDecodeLeavesNothingBehind(t *testing.T) {
	t.Parallel()
	full := benchListPage(100)
	bare := []byte(`{"RequestId":"R","VirtualPhysicalConnections":[{"PhysicalConnectionId":"pc-1"},{"PhysicalConnectionId":"pc-2","Name":"n"}]}`)
	for range 20 {
		var first ListVirtualPhysicalConnectionsResponse
		_, err := first.decode(full, false)
		require.NoError(t, err)
		require.Len(t, first.VirtualPhysicalConnections, 100)

		var second ListVirtualPhysicalConnectionsResponse
		_, err = second.decode(bare, false)
		require.NoError(t, err)
		assert.Equal(t, []VirtualPhysicalConnection{{VirtualPhysicalConnectionID: "pc-1"}, {VirtualPhysicalConnectionID: "pc-2", Name: "n"}},
			second.VirtualPhysicalConnections)
		assert.Equal(t, "nametest-001", first.VirtualPhysicalConnections[0].Name, "the first page is the caller's, untouched")
	}
}
