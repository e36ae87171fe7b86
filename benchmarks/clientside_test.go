package benchmarks

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/expressconnect-go/expressconnect/benchmarks/internal/fixture"
)

// stubTransport answers every request with the documented success body without touching the
// network, so that a call through it costs only the client's own work: validation, encoding,
// signing, building the http.Request, and decoding the answer.
type stubTransport struct {
	header http.Header
}

// stubAddr is the address the clients of stubTransport are given. It is loopback, as a plain
// http:// endpoint must be without WithInsecureHTTP; stubTransport never dials it.
const stubAddr = "127.0.0.1:9"

// newStubTransport returns a stubTransport whose answers carry a Date from now.
func newStubTransport() stubTransport {
	return stubTransport{header: http.Header{
		"Content-Type":     {"application/json;charset=utf-8"},
		"X-Acs-Request-Id": {fixture.RequestID},
		"Date":             {time.Now().UTC().Format(http.TimeFormat)},
	}}
}

// RoundTrip implements http.RoundTripper. The header map is shared between answers: clients
// only read it.
func (s stubTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	return &http.Response{
		Status: "200 OK", StatusCode: http.StatusOK, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: s.header, Body: io.NopCloser(strings.NewReader(fixture.SuccessBody)),
		ContentLength: int64(len(fixture.SuccessBody)), Request: req,
	}, nil
}

// clientSideTagCounts are the request sizes BenchmarkClientSide measures: the fixture's two
// tags and the service's maximum of 20.
var clientSideTagCounts = []int{2, 20}

// BenchmarkClientSide measures this SDK's whole call minus the network, through stubTransport:
// validation and encoding of the request (2 and 20 tags), signing, and decoding the answer. It
// is an upper bound on the cost of validation and encoding alone, to set against
// BenchmarkCall's full call.
func BenchmarkClientSide(b *testing.B) {
	for _, n := range clientSideTagCounts {
		b.Run("client=sdk/tags="+strconv.Itoa(n), func(b *testing.B) {
			call, err := newSDKCallerWith(stubAddr, &http.Client{Transport: newStubTransport()}, tagsFor(n))
			if err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			b.ReportAllocs()
			for range b.N {
				if _, err := call(ctx); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// tagsFor returns the fixture's tags when n is 2, else n generated ones.
func tagsFor(n int) []fixture.Tag {
	if n == len(fixture.Tags()) {
		return fixture.Tags()
	}
	return fixture.ManyTags(n)
}

// TestClientSideStub checks that this SDK accepts the stub's answer, with 2 and 20 tags, so
// that BenchmarkClientSide measures successful calls.
func TestClientSideStub(t *testing.T) {
	t.Parallel()
	for _, n := range clientSideTagCounts {
		t.Run("tags="+strconv.Itoa(n), func(t *testing.T) {
			t.Parallel()
			call, err := newSDKCallerWith(stubAddr, &http.Client{Transport: newStubTransport()}, tagsFor(n))
			require.NoError(t, err)
			id, err := call(context.Background())
			require.NoError(t, err)
			assert.Equal(t, fixture.VirtualPhysicalConnectionID, id)
		})
	}
}
