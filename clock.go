package expressconnect

import (
	"net/http"
	"sync/atomic"
	"time"
)

// Clock-skew correction. The service refuses a Timestamp more than 15 minutes from its clock
// (InvalidTimeStamp.Expired), so a client on a machine whose clock is off would fail every
// call. When the service refuses a Timestamp, the client reads the service's time from the
// Date header of that refusal and signs from then on with the offset it shows; it retries the
// refused call once.
//
// Only the service moves the offset: an answer that is not the service's own (neither an
// x-acs-request-id header nor a JSON error body with a Code and a RequestId, such as a proxy's
// page) is never read, an offset beyond maxSkew is ignored, and the offset changes only when the
// service has refused the client's Timestamp. A request the service accepts never changes it,
// so a wrong Date cannot make a call fail that the uncorrected clock would have made succeed.
const (
	// maxSkewRoundTrip is the longest round trip whose Date is still trusted.
	maxSkewRoundTrip = 15 * time.Minute
	// maxSkew bounds a believable offset.
	maxSkew = 24 * time.Hour
	// skewRetryThreshold is how far the offset must move for a refused call to be retried.
	skewRetryThreshold = 4 * time.Minute
)

// clockSkew holds a Client's clock correction: the service's time minus the local time.
type clockSkew struct {
	offset atomic.Int64 // nanoseconds
}

// get returns the correction to sign with.
func (c *clockSkew) get() time.Duration { return time.Duration(c.offset.Load()) }

// correct adopts the offset that the Date of the service's refusal of a Timestamp shows, for a
// request signed with the correction used, sent at sent and answered at received (local
// clock). It reports whether the correction moved by more than skewRetryThreshold, which is
// when retrying the refused call can help.
func (c *clockSkew) correct(h http.Header, sent, received time.Time, used time.Duration) bool {
	d, ok := estimateSkew(h, sent, received)
	if !ok {
		return false
	}
	c.offset.Store(int64(d))
	return (d - used).Abs() > skewRetryThreshold
}

// estimateSkew returns Date minus the midpoint of sent and received. It ignores answers with an
// Age header (a cache may have kept them), without a parseable Date, whose round trip took
// longer than maxSkewRoundTrip, or whose offset is beyond maxSkew.
func estimateSkew(h http.Header, sent, received time.Time) (time.Duration, bool) {
	if h.Get("Age") != "" {
		return 0, false
	}
	rtt := received.Sub(sent)
	if rtt < 0 || rtt > maxSkewRoundTrip {
		return 0, false
	}
	date, err := http.ParseTime(h.Get("Date"))
	if err != nil {
		return 0, false
	}
	mid := sent.Add(rtt / 2)
	// Date has a resolution of one second: an offset under a second is noise, not skew.
	d := date.Sub(mid.Truncate(time.Second))
	switch {
	case d > -time.Second && d < time.Second:
		return 0, true
	case d.Abs() > maxSkew:
		return 0, false
	}
	return d, true
}
