package main

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"sync"
	"time"
)

// point is one sample: when it was taken, since the traffic began, and its value.
type point struct {
	at    time.Duration
	value float64
}

// series is a sequence of samples, safe for concurrent use.
type series struct {
	mu     sync.Mutex
	points []point
}

// add records value at at.
func (s *series) add(at time.Duration, value float64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.points = append(s.points, point{at, value})
}

// snapshot returns a copy of the samples.
func (s *series) snapshot() []point {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]point(nil), s.points...)
}

// since returns the samples taken at or after from.
func since(points []point, from time.Duration) []point {
	for i, p := range points {
		if p.at >= from {
			return points[i:]
		}
	}
	return nil
}

// fit is a least-squares line through samples: its slope per minute and the slope's standard
// error, and how many samples it has.
type fit struct {
	slope, stderr float64
	n             int
}

// fitLine fits a least-squares line to points, with time in minutes. With fewer than three
// points, or all at one time, the slope is 0 and its standard error infinite: nothing can be
// told.
func fitLine(points []point) fit {
	n := len(points)
	if n < 3 {
		return fit{stderr: math.Inf(1), n: n}
	}
	var mx, my float64
	for _, p := range points {
		mx += p.at.Minutes()
		my += p.value
	}
	mx, my = mx/float64(n), my/float64(n)
	var sxx, sxy float64
	for _, p := range points {
		dx := p.at.Minutes() - mx
		sxx += dx * dx
		sxy += dx * (p.value - my)
	}
	if sxx == 0 {
		return fit{stderr: math.Inf(1), n: n}
	}
	slope := sxy / sxx
	var sse float64
	for _, p := range points {
		r := p.value - (my + slope*(p.at.Minutes()-mx))
		sse += r * r
	}
	return fit{slope: slope, stderr: math.Sqrt(sse / float64(n-2) / sxx), n: n}
}

// growing reports whether f shows growth: a slope above limit that is also more than three
// standard errors above zero, so that noise over a short run is not taken for a leak.
func (f fit) growing(limit float64) bool {
	return f.slope > limit && f.slope > 3*f.stderr
}

// bounds returns the first, largest and last values of points.
func bounds(points []point) (first, peak, last float64) {
	for i, p := range points {
		if i == 0 || p.value > peak {
			peak = p.value
		}
	}
	if len(points) > 0 {
		first, last = points[0].value, points[len(points)-1].value
	}
	return first, peak, last
}

// writeSamples writes the samples of res to path as CSV, one row per sample of the driver,
// with the sandbox's RSS sampled nearest before it.
func writeSamples(path string, res *result) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("writing the samples: %w", err)
	}
	w := bufio.NewWriter(f)
	fmt.Fprintln(w, "seconds,goroutines,goroutines_less_connections,client_connections,heap_bytes,sandbox_rss_bytes")
	j := 0
	for i, g := range res.goroutines {
		for j+1 < len(res.rss) && res.rss[j+1].at <= g.at {
			j++
		}
		var own, conns, heap, rss float64
		if i < len(res.own) {
			own = res.own[i].value
		}
		if i < len(res.openConns) {
			conns = res.openConns[i].value
		}
		if i < len(res.heap) {
			heap = res.heap[i].value
		}
		if j < len(res.rss) {
			rss = res.rss[j].value
		}
		fmt.Fprintf(w, "%.1f,%.0f,%.0f,%.0f,%.0f,%.0f\n", g.at.Seconds(), g.value, own, conns, heap, rss)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return fmt.Errorf("writing the samples: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("writing the samples: %w", err)
	}
	return nil
}
