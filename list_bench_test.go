package expressconnect

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// benchListPage returns a List answer of n hosted connections with every documented field
// set, as one circuit's page looks: the circuit's fields the same in every element, and the ID,
// VLAN, name and times different in each. The times are in the layouts of the API reference's
// examples (CreationTime without a zone, EnabledTime without seconds, EndTime RFC 3339).
func benchListPage(n int) []byte {
	elements := make([]string, n)
	for i := range elements {
		elements[i] = fmt.Sprintf(`{"PhysicalConnectionId":"pc-bp1ciz7ekd2grn1vp%04d","ParentPhysicalConnectionId":"pc-bp1ciz7ekd2grn1as0001",`+
			`"ParentPhysicalConnectionAliUid":"283117732402483989","AliUid":"1210123456123456",`+
			`"VirtualPhysicalConnectionStatus":"Confirmed","Status":"Enabled","BusinessStatus":"Normal","Spec":"50M","ExpectSpec":"100M",`+
			`"Bandwidth":50,"VlanId":"%d","OrderMode":"PayByVirtualPhysicalConnectionOwner","ProductType":"VirtualPhysicalConnection",`+
			`"Name":"nametest-%03d","Description":"desctest","CreationTime":"2021-06-08T12:%02d:%02d","EnabledTime":"2021-06-08T13:%02dZ",`+
			`"EndTime":"2022-06-09T00:%02d:00Z","ChargeType":"Prepaid","Type":"VPC","AccessPointId":"ap-cn-hangzhou-yh-E",`+
			`"AdLocation":"Yuhang Economic Development Zone, Yuhang machine room E","PeerLocation":"No. 1 Partner Road, Xihu District, Hangzhou, Zhejiang",`+
			`"PortNumber":"80","PortType":"10GBase-LR","LineOperator":"CU","CircuitCode":"longtel001","LoaStatus":"Available",`+
			`"RedundantPhysicalConnectionId":"pc-bp1ciz7ekd2grn1as0002","ResourceGroupId":"rg-aekzjty2chzuqky",`+
			`"Tags":[{"Key":"env","Value":"prod"},{"Key":"team","Value":"netops"}]}`,
			i+1, 10+i, i+1, i%60, i%60, i%60, i%60)
	}
	return []byte(fmt.Sprintf(`{"RequestId":"2A4C1B3E-7D5F-5E6A-9B8C-0D1E2F3A4B5C","NextToken":"dd20****33a4d1ab5d3d9f3b2ab1af5f",`+
		`"TotalCount":%d,"Count":%d,"VirtualPhysicalConnections":[%s]}`, 2*n, n, strings.Join(elements, ",")))
}

// BenchmarkDecodeList measures the decoding of a List answer of 100 hosted connections with
// every field set into the response, the network and the body's reading left out: the part of
// ListVirtualPhysicalConnections that grows with the page.
func BenchmarkDecodeList(b *testing.B) {
	body := benchListPage(100)
	var resp ListVirtualPhysicalConnectionsResponse
	_, err := resp.decode(body, false)
	require.NoError(b, err)
	require.Len(b, resp.VirtualPhysicalConnections, 100)
	require.Nil(b, resp.VirtualPhysicalConnections[99].Unreadable, "every field of the page is readable")
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		var resp ListVirtualPhysicalConnectionsResponse
		if _, err := resp.decode(body, false); err != nil {
			b.Fatal(err)
		}
	}
}

// pieceReader reads data in pieces of at most piece bytes, as a body read off the network
// comes.
type pieceReader struct {
	data  []byte
	piece int
}

func (r *pieceReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, io.EOF
	}
	n := copy(p[:min(len(p), r.piece)], r.data)
	r.data = r.data[n:]
	return n, nil
}

// BenchmarkDecodeAnswerList measures reading and decoding a List answer of 100 hosted
// connections from its HTTP response, with a Content-Length (length=known) and without one,
// as a chunked answer comes (length=unknown), the body read in pieces of 16 KiB.
func BenchmarkDecodeAnswerList(b *testing.B) {
	body := benchListPage(100)
	for _, known := range []bool{true, false} {
		name := "length=unknown"
		if known {
			name = "length=known"
		}
		b.Run(name, func(b *testing.B) {
			newResponse := func() *http.Response {
				resp := &http.Response{StatusCode: http.StatusOK, Header: http.Header{}, ContentLength: -1,
					Body: io.NopCloser(&pieceReader{data: body, piece: 16 << 10})}
				if known {
					resp.ContentLength = int64(len(body))
				}
				return resp
			}
			ctx := context.Background()
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for range b.N {
				var out ListVirtualPhysicalConnectionsResponse
				if a := decodeAnswer(ctx, newResponse(), actionList, false, &out); a.err != nil {
					b.Fatal(a.err)
				}
			}
		})
	}
}
