package expressconnecttest

import (
	"net/url"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestRequestLogPageCopiesThePageOnly checks that reading a page of the log allocates as
// much for a log of 10,000 requests as for one of 100: only the page is copied. It is not
// parallel: testing.AllocsPerRun refuses to run in a parallel test.
func TestRequestLogPageCopiesThePageOnly(t *testing.T) {
	allocs := func(size int) float64 {
		l := newRequestLog(size)
		for i := range size {
			r := Request{Params: url.Values{"VlanId": {strconv.Itoa(i)}}}
			r.arrival = l.arrive()
			l.add(r)
		}
		return testing.AllocsPerRun(20, func() { l.after(uint64(size/2), 10) })
	}
	small, large := allocs(100), allocs(10_000)
	assert.Equal(t, small, large, "allocations of a page of 10 from 100 and from 10,000 requests")
	assert.LessOrEqual(t, small, float64(1+10*3), "the page and the copy of each of its 10 records")
}
