package expressconnecttest_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/expressconnect-go/expressconnect"
	"github.com/expressconnect-go/expressconnect/expressconnecttest"
)

// capture is a transport that keeps a copy of every request it sends, so that a test can
// send one again byte for byte, as an eavesdropper would.
type capture struct {
	mu   sync.Mutex
	sent []*http.Request
	body [][]byte
}

func (c *capture) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		var err error
		if body, err = io.ReadAll(req.Body); err != nil {
			return nil, err
		}
		_ = req.Body.Close()
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	c.mu.Lock()
	c.sent = append(c.sent, req.Clone(context.Background()))
	c.body = append(c.body, body)
	c.mu.Unlock()
	return http.DefaultTransport.RoundTrip(req)
}

// replay sends the i-th captured request again, unchanged.
func (c *capture) replay(t *testing.T, i int) result {
	t.Helper()
	c.mu.Lock()
	req := c.sent[i].Clone(context.Background())
	body := c.body[i]
	c.mu.Unlock()
	req.RequestURI = ""
	req.Body = io.NopCloser(bytes.NewReader(body))
	return do(t, req)
}

// TestResetKeepsUsedNonces checks that a captured request cannot be replayed after a reset:
// Reset forgets the hosted connections, not the SignatureNonces and x-acs-signature-nonces
// already used, whichever signature carried them.
func TestResetKeepsUsedNonces(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name      string
		algorithm expressconnect.SignatureAlgorithm
	}{
		{"RPC signature", expressconnect.SignatureHMACSHA1},
		{"V3 signature", expressconnect.SignatureACS3HMACSHA256},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{})
			tap := &capture{}
			c := newClient(t, s, expressconnect.WithSignatureAlgorithm(tc.algorithm),
				expressconnect.WithHTTPClient(&http.Client{Transport: tap}), expressconnect.WithMaxAttempts(1))
			_, err := c.CreateVirtualPhysicalConnection(context.Background(), request(200))
			require.NoError(t, err)
			require.Len(t, tap.sent, 1)

			admin(t, s).Reset()

			again := tap.replay(t, 0)
			assert.Equal(t, http.StatusBadRequest, again.Status, again.Raw)
			assert.Equal(t, "SignatureNonceUsed", again.code())
			assert.Empty(t, admin(t, s).Connections(), "the replay created nothing")
		})
	}
}
