package benchtable

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const sample = `goos: linux
goarch: amd64
pkg: github.com/expressconnect-go/expressconnect/benchmarks
cpu: AMD EPYC
BenchmarkCall/client=floor-signed-2   	    4294	    100000 ns/op	   10000 B/op	      90 allocs/op
BenchmarkCall/client=floor-signed-2   	    4294	    300000 ns/op	   10000 B/op	      90 allocs/op
BenchmarkCall/client=floor-signed-2   	    4294	    200000 ns/op	   10000 B/op	      90 allocs/op
BenchmarkCall/client=sdk-2            	    3817	    210000 ns/op	   12000 B/op	     100 allocs/op
BenchmarkCallParallel/client=floor-signed-2 	5678	    100000 ns/op	   10000 B/op	      90 allocs/op
BenchmarkCallParallel/client=sdk-2    	    3796	    130000 ns/op	   12000 B/op	     100 allocs/op
BenchmarkList/client=sdk-2            	     400	   3000000 ns/op	  700000 B/op	    3000 allocs/op
BenchmarkList/client=tea-2            	     100	  12000000 ns/op	 3000000 B/op	   15000 allocs/op
BenchmarkList/client=old-2            	     500	   2500000 ns/op	  600000 B/op	    7000 allocs/op
BenchmarkList/client=floor-2          	     800	   1500000 ns/op	  200000 B/op	     200 allocs/op
BenchmarkSign/signer=tea-2            	   10000	     20000 ns/op	   15000 B/op	     126 allocs/op
BenchmarkSign/signer=floor-2          	   10000	     10000 ns/op	   10000 B/op	      62 allocs/op
--- FAIL: BenchmarkCall/client=broken
    bench_test.go:25: warm-up call: nope
BenchmarkClientSide/client=sdk/tags=20-2	    9572	     30000 ns/op	   18672 B/op	     169 allocs/op
PASS
ok  	github.com/expressconnect-go/expressconnect/benchmarks	10.1s
goos: linux
goarch: amd64
pkg: github.com/expressconnect-go/expressconnect
BenchmarkSign-2   	  500000	      2000 ns/op	    1500 B/op	       4 allocs/op
PASS
`

func TestParse(t *testing.T) {
	t.Parallel()
	r, err := Parse(strings.NewReader(sample))
	require.NoError(t, err)
	assert.Equal(t, []float64{100000, 300000, 200000}, r["Call/client=floor-signed"]["ns/op"])
	med, ok := r.Median("Call/client=floor-signed", "ns/op")
	require.True(t, ok)
	assert.InDelta(t, 200000, med, 0)
	assert.Contains(t, r, "Sign/signer=sdk", "the root package's Sign is renamed")
	assert.NotContains(t, r, "Sign")
	assert.Contains(t, r, "ClientSide/client=sdk/tags=20")
	_, ok = r.Median("Call/client=old", "ns/op")
	assert.False(t, ok)
}

func TestMedianEvenCount(t *testing.T) {
	t.Parallel()
	r := Results{"x": {"ns/op": {4, 1, 3, 2}}}
	m, ok := r.Median("x", "ns/op")
	require.True(t, ok)
	assert.InDelta(t, 2.5, m, 1e-9)
}

func TestWriteTable(t *testing.T) {
	t.Parallel()
	r, err := Parse(strings.NewReader(sample))
	require.NoError(t, err)
	var b strings.Builder
	require.NoError(t, WriteTable(&b, r))
	out := b.String()
	assert.Contains(t, out, "| Call/client=sdk | 210,000 | 1.05 | 12,000 | 1.20 | 100 | 1.11 |")
	assert.Contains(t, out, "| Call/client=tea | missing | | missing | | missing | |")
	assert.Contains(t, out, "| Sign/signer=sdk | 2,000 | 0.20 | 1,500 | 0.15 | 4 | 0.06 |")
	assert.Contains(t, out, "| ClientSide/client=sdk/tags=20 | 30,000 | 0.14 |")
	assert.Contains(t, out, "List, a page of 100 (× = ratio to the floor: a bare POST, io.ReadAll and encoding/json into the IDs)\n")
	assert.Contains(t, out, "| List/client=sdk | 3,000,000 | 2.00 | 700,000 | 3.50 | 3,000 | 15.00 |")
	assert.Contains(t, out, "| List/client=tea | 12,000,000 | 8.00 | 3,000,000 | 15.00 | 15,000 | 75.00 |")
	assert.Contains(t, out, "| List/client=old | 2,500,000 | 1.67 | 600,000 | 3.00 | 7,000 | 35.00 |")
	assert.Contains(t, out, "| List/client=floor | 1,500,000 | 1.00 | 200,000 | 1.00 | 200 | 1.00 |")
}

func TestWriteTargets(t *testing.T) {
	t.Parallel()
	r, err := Parse(strings.NewReader(sample))
	require.NoError(t, err)
	var b strings.Builder
	missed, err := WriteTargets(&b, r)
	require.NoError(t, err)
	out := b.String()
	assert.Contains(t, out, "- MET     full call ns/op ≤ 1.05× signed floor (serial): 1.05× (limit 1.05×)")
	assert.Contains(t, out, "- MET     full call allocs/op ≤ 110: 100 allocs/op (limit 110)")
	assert.Contains(t, out, "- MET     full call B/op ≤ 14 KB: 12,000 B/op (limit 14,000)")
	assert.Contains(t, out, "- MET     signing < 1/10 of the call: 0.01× (limit 0.10×)")
	assert.Contains(t, out, "- MISSED  parallel full call ns/op ≤ 1.10× signed floor (parallel): 1.30× (limit 1.10×)")
	assert.Contains(t, out, "- MISSED  validation+encoding of 20 tags < 1/10 of the call: 0.14× (limit 0.10×) (upper bound")
	assert.Contains(t, out, "- MET     list of 100: ≥ 3× fewer allocs/op than Tea: 5.00× (at least 3.00×)\n")
	assert.Contains(t, out, "- MET     list of 100: ns/op ≤ Tea's: 0.25× (limit 1.00×)\n")
	assert.Contains(t, out, "- MISSED  list of 100: ns/op below the old SDK's: 1.20× (below 1.00×)\n")
	assert.Contains(t, out, "- MISSED  list of 100: B/op ≤ 300 KB: 700,000 B/op (limit 300,000)\n")
	assert.Contains(t, out, "- MISSED  list of 100: allocs/op ≤ 1,500: 3,000 allocs/op (limit 1,500)\n")
	assert.Equal(t, 5, missed)

	r["ValidateEncode/tags=20"] = map[string][]float64{"ns/op": {5000}}
	b.Reset()
	missed, err = WriteTargets(&b, r)
	require.NoError(t, err)
	assert.Contains(t, b.String(), "- MET     validation+encoding of 20 tags < 1/10 of the call: 0.02× (limit 0.10×)\n")
	assert.Equal(t, 4, missed)

	r["List/client=sdk"] = map[string][]float64{"ns/op": {2000000}, "B/op": {250000}, "allocs/op": {1200}}
	b.Reset()
	missed, err = WriteTargets(&b, r)
	require.NoError(t, err)
	assert.Contains(t, b.String(), "- MET     list of 100: ns/op below the old SDK's: 0.80× (below 1.00×)\n")
	assert.Contains(t, b.String(), "- MET     list of 100: B/op ≤ 300 KB: 250,000 B/op (limit 300,000)\n")
	assert.Contains(t, b.String(), "- MET     list of 100: allocs/op ≤ 1,500: 1,200 allocs/op (limit 1,500)\n")
	assert.Equal(t, 1, missed)

	r["List/client=sdk"] = map[string][]float64{"ns/op": {13000000}, "B/op": {250000}, "allocs/op": {6000}}
	b.Reset()
	missed, err = WriteTargets(&b, r)
	require.NoError(t, err)
	assert.Contains(t, b.String(), "- MISSED  list of 100: ≥ 3× fewer allocs/op than Tea: 2.50× (at least 3.00×)\n")
	assert.Contains(t, b.String(), "- MISSED  list of 100: ns/op ≤ Tea's: 1.08× (limit 1.00×)\n")
	assert.Equal(t, 5, missed)
}

func TestFormatValue(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		in   float64
		want string
	}{
		{"small fraction", 2.5, "2.5"},
		{"small whole", 4, "4"},
		{"hundreds", 999, "999"},
		{"thousands", 1234, "1,234"},
		{"millions rounded", 1234567.6, "1,234,568"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tc.want, formatValue(tc.in))
		})
	}
}
