package expressconnecttest

import (
	"sort"
	"sync"
)

// DefaultRequestLogSize is how many requests a [Server] keeps for [Admin.Requests] unless
// Config.RequestLogSize says otherwise.
const DefaultRequestLogSize = 1000

// requestLog is a ring of the last requests received, in order of arrival: once it holds its
// size, each request added drops the one that arrived first. It is safe for concurrent use.
type requestLog struct {
	mu       sync.Mutex
	size     int        // most requests kept
	arrivals uint64     // requests arrived so far
	ring     []logEntry // grows to size, then wraps
	start    int        // index in ring of the earliest arrival kept
	n        int        // requests kept
	dropped  uint64     // requests dropped since the log was created or reset
}

// logEntry is a recorded request with its arrival rank.
type logEntry struct {
	arrival uint64
	req     Request
}

func newRequestLog(size int) *requestLog { return &requestLog{size: size} }

// arrive returns the arrival rank of a request that just arrived.
func (l *requestLog) arrive() uint64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.arrivals++
	return l.arrivals
}

// add records r at its place in order of arrival, dropping the earliest arrival when the log
// is full (r itself when it is the earliest). Requests are usually answered in the order
// they arrive, so the place is almost always the end.
func (l *requestLog) add(r Request) {
	e := logEntry{arrival: r.arrival, req: r.clone()}
	l.mu.Lock()
	defer l.mu.Unlock()
	place := l.n
	for place > 0 && l.at(place-1).arrival > e.arrival {
		place--
	}
	if l.n == l.size {
		l.dropped++
		if place == 0 {
			return
		}
		*l.at(0) = logEntry{}
		l.start = (l.start + 1) % l.size
		l.n--
		place--
	}
	if len(l.ring) < l.size && l.n == len(l.ring) {
		l.ring = append(l.ring, logEntry{})
	}
	l.n++
	for i := l.n - 1; i > place; i-- {
		*l.at(i) = *l.at(i - 1)
	}
	*l.at(place) = e
}

// at returns the i-th request kept, in order of arrival.
func (l *requestLog) at(i int) *logEntry { return &l.ring[(l.start+i)%len(l.ring)] }

// after returns copies of at most limit of the requests kept that arrived after the rank
// after, in order of arrival, and the rank of the last one returned (after when none is). It
// copies only those requests, finding the first by binary search.
func (l *requestLog) after(rank uint64, limit int) ([]Request, uint64) {
	if limit <= 0 {
		return []Request{}, rank
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	first := sort.Search(l.n, func(i int) bool { return l.at(i).arrival > rank })
	end := min(first+limit, l.n)
	out := make([]Request, 0, end-first)
	for i := first; i < end; i++ {
		out = append(out, l.at(i).req.clone())
	}
	if end > first {
		rank = l.at(end - 1).arrival
	}
	return out, rank
}

func (l *requestLog) droppedCount() uint64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.dropped
}

func (l *requestLog) reset() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.ring, l.start, l.n, l.dropped = nil, 0, 0, 0
}
