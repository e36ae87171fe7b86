package expressconnect

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// This file checks whom the clock-skew correction (clock.go) trusts: only the service, only
// when it refuses the client's Timestamp with InvalidTimeStamp.Expired, and only within
// ±24 hours. Every other Date (a proxy's page, a success, another error) leaves the client
// signing with its local clock.

// Dates no service sends.
const (
	clockTrustEpoch    = "Thu, 01 Jan 1970 00:00:00 GMT"
	clockTrustYear3000 = "Wed, 01 Jan 3000 00:00:00 GMT"
	clockTrustGarbage  = "not a date"
)

// clockTrustDate sets the Date header of w to date, or leaves it out when date is empty (the
// server would otherwise add its own).
func clockTrustDate(w http.ResponseWriter, date string) {
	if date == "" {
		w.Header()["Date"] = nil
		return
	}
	w.Header().Set("Date", date)
}

// clockTrustProxyPage answers a proxy's HTML 502 with the given Date and no x-acs-request-id.
func clockTrustProxyPage(date string) fixtureStep {
	return func(w http.ResponseWriter, r *http.Request) {
		clockTrustDate(w, date)
		fixtureHTML(http.StatusBadGateway)(w, r)
	}
}

// clockTrustExpired answers InvalidTimeStamp.Expired with the given Date, and requestID in
// x-acs-request-id and bodyID as the body's RequestId when they are not empty.
func clockTrustExpired(date, requestID, bodyID string) fixtureStep {
	return func(w http.ResponseWriter, r *http.Request) {
		clockTrustDate(w, date)
		body := `{"Code":"InvalidTimeStamp.Expired","Message":"Specified time stamp or date value is expired."`
		if bodyID != "" {
			body += `,"RequestId":"` + bodyID + `"`
		}
		fixtureJSON(http.StatusBadRequest, body+"}", requestID)(w, r)
	}
}

// clockTrustAssertLocal checks that every request srv received was signed with the local
// clock, and that the client's correction is still 0.
func clockTrustAssertLocal(t *testing.T, srv *fixtureServer, c *Client) {
	t.Helper()
	for i, r := range srv.requests() {
		ts, err := time.Parse(timestampLayout, r.query.Get("Timestamp"))
		require.NoError(t, err)
		assert.InDelta(t, 0, r.at.Sub(ts).Seconds(), 5, "request %d is signed with the local clock", i)
	}
	assert.Zero(t, c.skew.get(), "the correction")
}

// TestClockSkewIgnoresUntrustedDates plays an answer whose Date the client must not believe,
// followed by a service in step with the local clock (which refuses a Timestamp more than
// 15 minutes off), with the default attempts (the answer is retried) and with one attempt per
// call (the next call follows). Every request must be signed with the local clock and the
// calls after the answer must succeed at once.
//
// On v0.1.0, which believed the Date of every answer, every case but the garbage and the
// missing Date fails: the next request is signed off by the Date's offset and refused. Those
// two guard against a regression.
func TestClockSkewIgnoresUntrustedDates(t *testing.T) {
	leakCheck(t)
	answers := []struct {
		name string
		step fixtureStep
		// retried says whether the answer's call is retried with the default attempts.
		retried bool
	}{
		{"proxy 502 dated 1970", clockTrustProxyPage(clockTrustEpoch), true},
		{"proxy 502 dated 3000", clockTrustProxyPage(clockTrustYear3000), true},
		{"proxy 502 with a garbage Date", clockTrustProxyPage(clockTrustGarbage), true},
		{"proxy 502 without Date", clockTrustProxyPage(""), true},
		{"proxy InvalidTimeStamp.Expired without RequestId, dated 20 minutes ahead",
			clockTrustExpired(time.Now().Add(20*time.Minute).UTC().Format(http.TimeFormat), "", ""), false},
		{"service InvalidTimeStamp.Expired dated 3000", clockTrustExpired(clockTrustYear3000, "REQ-3000", "REQ-3000"), false},
		{"service InvalidTimeStamp.Expired dated 1970", clockTrustExpired(clockTrustEpoch, "", "REQ-1970"), false},
		{"service 503 dated 20 minutes ahead", func(w http.ResponseWriter, r *http.Request) {
			clockTrustDate(w, time.Now().Add(20*time.Minute).UTC().Format(http.TimeFormat))
			fixtureAPI(http.StatusServiceUnavailable, string(CodeServiceUnavailable), "x-acs-request-id", "REQ-503")(w, r)
		}, true},
	}
	for _, a := range answers {
		for _, oneAttempt := range []bool{false, true} {
			name := a.name + "/default attempts"
			if oneAttempt {
				name = a.name + "/one attempt"
			}
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				srv := newFixtureServer(t, a.step, clockServer(0, ""))
				var opts []Option
				if oneAttempt {
					opts = append(opts, WithMaxAttempts(1))
				}
				c := fixtureClient(t, srv.URL, opts...)

				_, err := c.CreateVirtualPhysicalConnection(context.Background(), minimalRequest())
				first := 1
				if a.retried && !oneAttempt {
					require.NoError(t, err, "the retry, signed with the local clock, succeeds")
					first = 2
				} else {
					require.Error(t, err)
				}
				require.Len(t, srv.requests(), first)

				_, err = c.CreateVirtualPhysicalConnection(context.Background(), minimalRequest())
				require.NoError(t, err)
				assert.Len(t, srv.requests(), first+1, "the next call takes one request")
				clockTrustAssertLocal(t, srv, c)
			})
		}
	}
}

// TestClockSkewSuccessDateNotBelieved checks that the Date of a successful answer never moves
// the correction, however far off it is: only a refusal shows that the client's clock is
// wrong. On v0.1.0 the second call was signed 20 minutes ahead.
func TestClockSkewSuccessDateNotBelieved(t *testing.T) {
	t.Parallel()
	srv := newFixtureServer(t, func(w http.ResponseWriter, r *http.Request) {
		clockTrustDate(w, time.Now().Add(20*time.Minute).UTC().Format(http.TimeFormat))
		w.Header().Set("x-acs-request-id", fixtureOKRequestID)
		fixtureOK(w, r)
	})
	c := fixtureClient(t, srv.URL)

	for range 2 {
		_, err := c.CreateVirtualPhysicalConnection(context.Background(), minimalRequest())
		require.NoError(t, err)
	}
	require.Len(t, srv.requests(), 2)
	clockTrustAssertLocal(t, srv, c)
}

// TestClockSkewServiceRefusalCorrects checks the one case that moves the correction: the
// service, 20 minutes ahead, refuses the Timestamp once (known as the service by its
// x-acs-request-id header, or by a body with Code and RequestId); the client corrects, its
// retry succeeds, and the next call succeeds in one request signed with the corrected clock.
func TestClockSkewServiceRefusalCorrects(t *testing.T) {
	leakCheck(t)
	const ahead = 20 * time.Minute
	tests := []struct {
		name              string
		requestID, bodyID string
	}{
		{"x-acs-request-id only", "REQ-HEADER", ""},
		{"RequestId in the body only", "", "REQ-BODY"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			service := clockServer(ahead, "")
			srv := newFixtureServer(t, func(w http.ResponseWriter, r *http.Request) {
				clockTrustExpired(time.Now().Add(ahead).UTC().Format(http.TimeFormat), tc.requestID, tc.bodyID)(w, r)
			}, service)
			c := fixtureClient(t, srv.URL)

			_, err := c.CreateVirtualPhysicalConnection(context.Background(), minimalRequest())
			require.NoError(t, err)
			require.Len(t, srv.requests(), 2, "refused once, then retried")
			_, err = c.CreateVirtualPhysicalConnection(context.Background(), minimalRequest())
			require.NoError(t, err)
			seen := srv.requests()
			require.Len(t, seen, 3, "the next call takes one request")

			assert.InDelta(t, ahead.Seconds(), c.skew.get().Seconds(), 2)
			for i, want := range []time.Duration{0, ahead, ahead} {
				ts, err := time.Parse(timestampLayout, seen[i].query.Get("Timestamp"))
				require.NoError(t, err)
				assert.InDelta(t, want.Seconds(), ts.Sub(seen[i].at).Seconds(), 5, "request %d", i)
			}
		})
	}
}
