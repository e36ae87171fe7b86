package expressconnecttest

import (
	"sync"
	"time"
)

// clock is the server's clock: the system clock plus an offset that tests may change at any
// time. It is safe for concurrent use.
type clock struct {
	mu     sync.RWMutex
	offset time.Duration
}

// now returns the system time plus the offset, in UTC.
func (c *clock) now() time.Time {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return time.Now().Add(c.offset).UTC()
}

// setOffset sets the offset from the system clock.
func (c *clock) setOffset(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset = d
}

// getOffset returns the offset from the system clock.
func (c *clock) getOffset() time.Duration {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.offset
}
