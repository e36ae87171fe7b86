package benchmarks

import (
	"context"
	"net/http"
	"testing"
	"time"

	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"

	"github.com/expressconnect-go/expressconnect/benchmarks/internal/fixture"
	"github.com/expressconnect-go/expressconnect/benchmarks/internal/floor"
)

// BenchmarkCall measures one full call, one at a time: build the request, sign, send over a
// kept-alive loopback connection, read and decode the answer. The server runs in another
// process, so B/op and allocs/op are the client's alone.
func BenchmarkCall(b *testing.B) {
	for _, cc := range clientCases() {
		b.Run("client="+cc.name, func(b *testing.B) {
			call := warm(b, cc.newCaller)
			ctx := context.Background()
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				id, err := call(ctx)
				if err != nil {
					b.Fatal(err)
				}
				if id != fixture.VirtualPhysicalConnectionID {
					b.Fatalf("created ID %q, want %q", id, fixture.VirtualPhysicalConnectionID)
				}
			}
		})
	}
}

// BenchmarkCallParallel measures the same full call from GOMAXPROCS goroutines sharing one
// client, which shows any lock on the call path.
func BenchmarkCallParallel(b *testing.B) {
	for _, cc := range clientCases() {
		b.Run("client="+cc.name, func(b *testing.B) {
			call := warm(b, cc.newCaller)
			ctx := context.Background()
			b.ReportAllocs()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					id, err := call(ctx)
					if err != nil {
						b.Error(err)
						return
					}
					if id != fixture.VirtualPhysicalConnectionID {
						b.Errorf("created ID %q, want %q", id, fixture.VirtualPhysicalConnectionID)
						return
					}
				}
			})
		})
	}
}

// warm builds a client with newClient (a clientCase's newCaller or a listCase's newLister)
// against the loopback server and makes one call with it, so that the first connection's
// dial is not measured.
func warm[F ~func(context.Context) (R, error), R any](b *testing.B, newClient func(testing.TB, string) (F, error)) F {
	b.Helper()
	call, err := newClient(b, loopback.addr)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := call(context.Background()); err != nil {
		b.Fatalf("warm-up call: %v", err)
	}
	return call
}

// BenchmarkList measures one ListVirtualPhysicalConnections call, one at a time, answered with
// a page of 100 hosted connections with every field set: build the request, sign, send, read
// and decode the page, and check that it holds 100 with the right first ID.
func BenchmarkList(b *testing.B) {
	for _, lc := range listCases() {
		b.Run("client="+lc.name, func(b *testing.B) {
			list := warm(b, lc.newLister)
			ctx := context.Background()
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				page, err := list(ctx)
				if err != nil {
					b.Fatal(err)
				}
				if page.count != fixture.ListMaxResults || page.firstID != fixture.ListedID(0) {
					b.Fatalf("listed %d starting with %q, want %d starting with %q",
						page.count, page.firstID, fixture.ListMaxResults, fixture.ListedID(0))
				}
			}
		})
	}
}

// BenchmarkSign measures signing alone: given the operation's parameters, add the common ones
// (with a fresh SignatureNonce and Timestamp) and compute the HMAC-SHA1 signature. This SDK's
// signer is unexported, so its row, BenchmarkSign/signer=sdk, lives in the root package's
// signer_test.go and run.sh merges the two.
func BenchmarkSign(b *testing.B) {
	b.Run("signer=floor", benchmarkSignFloor)
	b.Run("signer=tea", benchmarkSignTea)
	b.Run("signer=old", benchmarkSignOld)
}

// benchmarkSignFloor measures the plain standard-library signer, producing the signed query.
func benchmarkSignFloor(b *testing.B) {
	params := fixture.Params()
	b.ReportAllocs()
	for range b.N {
		q := floor.SignedQuery(http.MethodPost, params, fixture.AccessKeyID, fixture.AccessKeySecret, time.Now())
		if len(q) == 0 {
			b.Fatal("empty query")
		}
	}
}

// benchmarkSignTea measures darabonba-openapi's GetRPCSignature, the function the Tea client
// signs with, after refreshing Timestamp and SignatureNonce with the helpers it uses.
func benchmarkSignTea(b *testing.B) {
	signed := map[string]*string{
		"Action":           dara.String("CreateVirtualPhysicalConnection"),
		"Format":           dara.String("json"),
		"Version":          dara.String("2016-04-28"),
		"SignatureMethod":  dara.String("HMAC-SHA1"),
		"SignatureVersion": dara.String("1.0"),
		"AccessKeyId":      dara.String(fixture.AccessKeyID),
	}
	for k, v := range fixture.Params() {
		signed[k] = dara.String(v[0])
	}
	method, secret := dara.String(http.MethodPost), dara.String(fixture.AccessKeySecret)
	b.ReportAllocs()
	for range b.N {
		signed["Timestamp"] = openapiutil.GetTimestamp()
		signed["SignatureNonce"] = openapiutil.GetNonce()
		if sig := openapiutil.GetRPCSignature(signed, method, secret); dara.StringValue(sig) == "" {
			b.Fatal("empty signature")
		}
	}
}

// benchmarkSignOld measures alibaba-cloud-sdk-go's auth.Sign (its RPC signature composer), on
// a request whose parameters were flattened once up front; it sets the common parameters,
// Timestamp and SignatureNonce itself.
func benchmarkSignOld(b *testing.B) {
	req := newOldRequest(fixture.Tags())
	if err := requests.InitParams(req); err != nil {
		b.Fatal(err)
	}
	provider := credentials.NewStaticAKCredentialsProvider(fixture.AccessKeyID, fixture.AccessKeySecret)
	b.ReportAllocs()
	for range b.N {
		if err := auth.Sign(req, nil, fixture.RegionID, provider); err != nil {
			b.Fatal(err)
		}
	}
	if req.GetQueryParams()["Signature"] == "" {
		b.Fatal("no signature")
	}
}
