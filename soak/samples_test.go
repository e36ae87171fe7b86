package main

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

// line returns n samples a second apart of start + perMinute * t, plus noise drawn from
// [-noise, noise].
func line(n int, start, perMinute, noise float64, rng *rand.Rand) []point {
	out := make([]point, n)
	for i := range out {
		at := time.Duration(i) * time.Second
		out[i] = point{at: at, value: start + perMinute*at.Minutes() + noise*(2*rng.Float64()-1)}
	}
	return out
}

// TestFitLine checks the slope per minute and its standard error on exact and noisy lines.
func TestFitLine(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	f := fitLine(line(60, 100, 12, 0, rng))
	if math.Abs(f.slope-12) > 1e-9 || f.stderr > 1e-9 {
		t.Errorf("exact line: slope %v ± %v, want 12 ± 0", f.slope, f.stderr)
	}
	f = fitLine(line(600, 100, 5, 20, rng))
	if math.Abs(f.slope-5) > 4*f.stderr || f.stderr <= 0 {
		t.Errorf("noisy line: slope %v ± %v, want 5 within 4 standard errors", f.slope, f.stderr)
	}
	if f := fitLine(line(2, 0, 1, 0, rng)); !math.IsInf(f.stderr, 1) || f.growing(0) {
		t.Errorf("two points: %+v, want an infinite standard error and no growth", f)
	}
}

// TestGrowing checks that growth is found only when the slope is over the limit and clear of
// the noise.
func TestGrowing(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(3, 4))
	if f := fitLine(line(900, 50, 10, 3, rng)); !f.growing(1) {
		t.Errorf("10/min over 15 min with little noise: %+v, want growth", f)
	}
	if f := fitLine(line(900, 50, 0.5, 3, rng)); f.growing(1) {
		t.Errorf("0.5/min, under a limit of 1/min: %+v, want none", f)
	}
	if f := fitLine(line(30, 50, 4, 40, rng)); f.growing(1) {
		t.Errorf("4/min over 30 s under noise of 40: %+v, want none, as it cannot be told from noise", f)
	}
}

// TestBounds checks the first, largest and last values.
func TestBounds(t *testing.T) {
	t.Parallel()
	first, peak, last := bounds([]point{{0, 3}, {1, 9}, {2, 4}})
	if first != 3 || peak != 9 || last != 4 {
		t.Errorf("bounds = %v, %v, %v; want 3, 9, 4", first, peak, last)
	}
	if got := since([]point{{time.Second, 1}, {3 * time.Second, 2}}, 2*time.Second); len(got) != 1 || got[0].value != 2 {
		t.Errorf("since = %v", got)
	}
}
