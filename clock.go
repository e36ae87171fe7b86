package expressconnect

import (
	"net/http"
	"sync/atomic"
	"time"
)

// Clock-skew estimation: the service refuses a Timestamp more than 15 minutes from its clock,
// so a client on a machine whose clock is off fails every call. The client estimates the
// offset from the Date header of each answer and signs later requests with the corrected time.
const (
	// maxSkewRoundTrip is the longest round trip whose Date is still trusted.
	maxSkewRoundTrip = 15 * time.Minute
	// skewRetryThreshold is how far the estimate must move for InvalidTimeStamp.Expired to be
	// retried.
	skewRetryThreshold = 4 * time.Minute
)

// clockSkew holds a Client's current estimate of server time minus local time.
type clockSkew struct {
	offset atomic.Int64 // nanoseconds
}

func (c *clockSkew) get() time.Duration { return time.Duration(c.offset.Load()) }

// observe updates the estimate from an answer's headers, for a request sent at sent and
// answered at received (local clock). It returns the new estimate and whether there was one.
func (c *clockSkew) observe(h http.Header, sent, received time.Time) (time.Duration, bool) {
	d, ok := estimateSkew(h, sent, received)
	if ok {
		c.offset.Store(int64(d))
	}
	return d, ok
}

// estimateSkew returns Date minus the midpoint of sent and received. It ignores answers with an
// Age header (a cache may have kept them), without a parseable Date, or whose round trip took
// longer than maxSkewRoundTrip.
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
	if d > -time.Second && d < time.Second {
		return 0, true
	}
	return d, true
}
