package expressconnect

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// clockServer returns a fixtureServer step that plays a service whose clock is offset from the
// local one: it refuses a Timestamp more than 15 minutes from its clock with
// InvalidTimeStamp.Expired, answers a success otherwise, and sends its clock in the Date
// header, with an Age header when age is set.
func clockServer(offset time.Duration, age string) fixtureStep {
	return func(w http.ResponseWriter, r *http.Request) {
		now := time.Now().Add(offset)
		w.Header().Set("Date", now.UTC().Format(http.TimeFormat))
		if age != "" {
			w.Header().Set("Age", age)
		}
		ts, err := time.Parse(timestampLayout, r.URL.Query().Get("Timestamp"))
		if err != nil || now.Sub(ts).Abs() > 15*time.Minute {
			fixtureAPI(http.StatusBadRequest, string(CodeInvalidTimeStampExpired))(w, r)
			return
		}
		fixtureOK(w, r)
	}
}

// clockTimestamps returns the Timestamps the server received, parsed.
func clockTimestamps(t *testing.T, srv *fixtureServer) []time.Time {
	t.Helper()
	var out []time.Time
	for _, v := range srv.param("Timestamp") {
		ts, err := time.Parse(timestampLayout, v)
		require.NoError(t, err)
		out = append(out, ts)
	}
	return out
}

// TestClockSkewCorrected checks that against a server 20 minutes ahead or behind, the first
// call takes two requests (refused, then signed with the corrected time) and succeeds, and the
// next call on the same client succeeds at once.
func TestClockSkewCorrected(t *testing.T) {
	leakCheck(t)
	for _, offset := range []time.Duration{20 * time.Minute, -20 * time.Minute} {
		t.Run(offset.String(), func(t *testing.T) {
			t.Parallel()
			srv := newFixtureServer(t, clockServer(offset, ""))
			c := fixtureClient(t, srv.URL)

			_, err := c.CreateVirtualPhysicalConnection(context.Background(), minimalRequest())
			require.NoError(t, err)
			assert.Len(t, srv.requests(), 2, "first call")
			assert.InDelta(t, offset.Seconds(), c.skew.get().Seconds(), 2, "the estimate")

			_, err = c.CreateVirtualPhysicalConnection(context.Background(), minimalRequest())
			require.NoError(t, err)
			assert.Len(t, srv.requests(), 3, "the second call takes one request")

			ts := clockTimestamps(t, srv)
			assert.InDelta(t, 0, time.Until(ts[0]).Seconds(), 5, "the first request uses the local clock")
			assert.InDelta(t, offset.Seconds(), time.Until(ts[1]).Seconds(), 5, "the retry uses the corrected clock")
			assert.InDelta(t, offset.Seconds(), time.Until(ts[2]).Seconds(), 5, "later calls use the corrected clock")
		})
	}
}

// TestClockSkewNotRetried checks the cases where InvalidTimeStamp.Expired ends the call after
// one request, and the one where it is retried only once.
func TestClockSkewNotRetried(t *testing.T) {
	leakCheck(t)
	tests := []struct {
		name     string
		step     fixtureStep
		opts     []Option
		requests int
		skew     time.Duration
	}{
		{
			name: "correction off", step: clockServer(20*time.Minute, ""),
			opts: []Option{WithClockSkewCorrection(false)}, requests: 1, skew: 0,
		},
		{
			name: "Date agrees with the local clock", step: fixtureAPI(http.StatusBadRequest, string(CodeInvalidTimeStampExpired)),
			requests: 1, skew: 0,
		},
		{
			name: "Age header makes the Date untrusted", step: clockServer(20*time.Minute, "3"),
			requests: 1, skew: 0,
		},
		{
			name: "still refused after correcting: retried once only", step: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Date", time.Now().Add(20*time.Minute).UTC().Format(http.TimeFormat))
				fixtureAPI(http.StatusBadRequest, string(CodeInvalidTimeStampExpired))(w, r)
			},
			requests: 2, skew: 20 * time.Minute,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newFixtureServer(t, tt.step)
			c := fixtureClient(t, srv.URL, tt.opts...)

			_, err := c.CreateVirtualPhysicalConnection(context.Background(), minimalRequest())

			require.Error(t, err)
			assert.ErrorIs(t, err, CodeInvalidTimeStampExpired)
			var opErr *OperationError
			require.ErrorAs(t, err, &opErr)
			assert.Len(t, opErr.Attempts, tt.requests)
			assert.Len(t, srv.requests(), tt.requests)
			assert.InDelta(t, tt.skew.Seconds(), c.skew.get().Seconds(), 2)
		})
	}
}

// TestEstimateSkew checks the offset estimate: Date minus the midpoint of send and receive,
// ignored with an Age header, an unparseable Date, a round trip over 15 minutes or an offset
// over 24 hours (docs/security.md's bound, written out).
func TestEstimateSkew(t *testing.T) {
	t.Parallel()
	sent := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	date := func(d time.Duration) string { return sent.Add(d).Format(http.TimeFormat) }
	tests := []struct {
		name   string
		header http.Header
		rtt    time.Duration
		want   time.Duration
		ok     bool
	}{
		{"server 20 minutes ahead", http.Header{"Date": {date(20 * time.Minute)}}, 0, 20 * time.Minute, true},
		{"server 20 minutes behind", http.Header{"Date": {date(-20 * time.Minute)}}, 0, -20 * time.Minute, true},
		{"midpoint of a 4 s round trip", http.Header{"Date": {date(10*time.Minute + 2*time.Second)}}, 4 * time.Second, 10 * time.Minute, true},
		{"in sync", http.Header{"Date": {date(0)}}, 100 * time.Millisecond, 0, true},
		{"under a second is noise", http.Header{"Date": {date(0)}}, 1800 * time.Millisecond, 0, true},
		{"exactly one second counts", http.Header{"Date": {date(time.Second)}}, 0, time.Second, true},
		{"RFC 850 date", http.Header{"Date": {sent.Add(time.Hour).Format(time.RFC850)}}, 0, time.Hour, true},
		{"24 hours ahead counts", http.Header{"Date": {date(24 * time.Hour)}}, 0, 24 * time.Hour, true},
		{"24 hours behind counts", http.Header{"Date": {date(-24 * time.Hour)}}, 0, -24 * time.Hour, true},
		{"over 24 hours ahead ignored", http.Header{"Date": {date(24*time.Hour + time.Second)}}, 0, 0, false},
		{"over 24 hours behind ignored", http.Header{"Date": {date(-24*time.Hour - time.Second)}}, 0, 0, false},
		{"Age present", http.Header{"Date": {date(20 * time.Minute)}, "Age": {"0"}}, 0, 0, false},
		{"no Date", http.Header{}, 0, 0, false},
		{"garbage Date", http.Header{"Date": {"yesterday"}}, 0, 0, false},
		{"round trip of exactly 15 minutes", http.Header{"Date": {date(20 * time.Minute)}}, 15 * time.Minute, 20*time.Minute - 7*time.Minute - 30*time.Second, true},
		{"round trip over 15 minutes", http.Header{"Date": {date(20 * time.Minute)}}, 15*time.Minute + time.Second, 0, false},
		{"negative round trip", http.Header{"Date": {date(20 * time.Minute)}}, -time.Second, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, ok := estimateSkew(tt.header, sent, sent.Add(tt.rtt))
			assert.Equal(t, tt.ok, ok)
			assert.Equal(t, tt.want, got)
		})
	}
}

// TestClockSkewCorrect checks that correct adopts the offset a refusal's Date shows and
// reports a move past the threshold, and keeps the old offset when the Date is unusable.
func TestClockSkewCorrect(t *testing.T) {
	t.Parallel()
	var c clockSkew
	now := time.Now()
	moved := c.correct(http.Header{"Date": {now.Add(time.Hour).UTC().Format(http.TimeFormat)}}, now, now, 0)
	assert.True(t, moved)
	assert.InDelta(t, time.Hour.Seconds(), c.get().Seconds(), 1)
	moved = c.correct(http.Header{"Date": {now.Add(time.Hour + 2*time.Minute).UTC().Format(http.TimeFormat)}}, now, now, c.get())
	assert.False(t, moved, "a move under 4 minutes is not worth a retry")
	for _, date := range []string{"nonsense", "", "Thu, 01 Jan 1970 00:00:00 GMT", "Fri, 01 Jan 3000 00:00:00 GMT"} {
		before := c.get()
		assert.False(t, c.correct(http.Header{"Date": {date}}, now, now, before), date)
		assert.Equal(t, before, c.get(), "an answer without a usable Date keeps the offset: %q", date)
	}
}

// FuzzEstimateSkew checks that estimateSkew never panics on any Date or Age header and round
// trip, refuses what it documents it refuses, and reports no offset under a second.
func FuzzEstimateSkew(f *testing.F) {
	sent := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	for _, s := range []string{
		sent.Format(http.TimeFormat), sent.Add(20 * time.Minute).Format(http.TimeFormat),
		sent.Format(time.RFC850), sent.Format(time.ANSIC), "Mon, 01 Jan 0001 00:00:00 GMT",
		"Fri, 31 Dec 9999 23:59:59 GMT", "", "garbage", "Thu, 30 Feb 2026 25:61:61 GMT",
	} {
		f.Add(s, "", int64(0))
		f.Add(s, "5", int64(time.Second))
	}
	f.Add(sent.Format(http.TimeFormat), "", int64(-1))
	f.Add(sent.Format(http.TimeFormat), "", int64(maxSkewRoundTrip)+1)
	f.Fuzz(func(t *testing.T, dateHeader, age string, rtt int64) {
		h := http.Header{}
		if dateHeader != "" {
			h.Set("Date", dateHeader)
		}
		if age != "" {
			h.Set("Age", age)
		}
		d, ok := estimateSkew(h, sent, sent.Add(time.Duration(rtt)))
		if !ok {
			assert.Zero(t, d)
			return
		}
		assert.Empty(t, h.Get("Age"), "an answer with an Age header is ignored")
		assert.GreaterOrEqual(t, rtt, int64(0))
		assert.LessOrEqual(t, rtt, int64(maxSkewRoundTrip))
		_, err := http.ParseTime(dateHeader)
		assert.NoError(t, err, "an estimate needs a parseable Date")
		assert.False(t, d != 0 && d.Abs() < time.Second, "an offset under a second is reported as 0, got %s", d)
	})
}
