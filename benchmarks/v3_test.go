package benchmarks

import (
	"context"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"testing"

	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	"github.com/alibabacloud-go/tea/dara"
	teavpc "github.com/alibabacloud-go/vpc-20160428/v6/client"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/expressconnect-go/expressconnect/benchmarks/internal/fixture"
	"github.com/expressconnect-go/expressconnect/expressconnecttest"
)

// The inputs of the V3 known-answer vectors of the root package's TestSignV3KnownAnswer,
// which were computed with Python's hashlib and hmac from the published algorithm.
const (
	v3KeyID        = "LTAI5tHarnessTestKey0001"
	v3Secret       = "harness-secret"
	v3Token        = "CAIS+harness/sts=token"
	v3EmptyPayload = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
)

// TestV3VectorsMatchTea checks the V3 known-answer vectors against the Tea SDK's own V3
// signing function, darabonba-openapi's GetAuthorization, given a dara.Request built from the
// same inputs: an implementation nobody here wrote.
func TestV3VectorsMatchTea(t *testing.T) {
	t.Parallel()
	assert.Equal(t, v3EmptyPayload, hex.EncodeToString(openapiutil.Hash(nil, dara.String("ACS3-HMAC-SHA256"))), "the hash of the empty payload")
	tests := []struct {
		name, token, want string
	}{
		{"AccessKey", "", "ACS3-HMAC-SHA256 Credential=LTAI5tHarnessTestKey0001," +
			"SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version," +
			"Signature=bf4919952d6bf2ef8e8c7d5e0a5f7eb38f9d01b45c53e30a379b75e31b7bc5b3"},
		{"STS credentials", v3Token, "ACS3-HMAC-SHA256 Credential=LTAI5tHarnessTestKey0001," +
			"SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-security-token;x-acs-signature-nonce;x-acs-version," +
			"Signature=b42dd2d933c642290fa1dcf1f6687efdb572973ae9e08d7d34accfc193759138"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			req := dara.NewRequest()
			req.Method, req.Pathname = dara.String(http.MethodPost), dara.String("/")
			req.Query = map[string]*string{
				"VlanId":   dara.String("0"),
				"RegionId": dara.String("cn-hangzhou"),
				"Name":     dara.String("vlan 100*~/中"),
			}
			req.Headers = map[string]*string{
				"host":                  dara.String("vpc.aliyuncs.com"),
				"x-acs-action":          dara.String(fixture.CreateAction),
				"x-acs-version":         dara.String("2016-04-28"),
				"x-acs-date":            dara.String("2026-11-25T08:30:00Z"),
				"x-acs-signature-nonce": dara.String("3a1f2b4c5d6e7f8091a2b3c4d5e6f708"),
				"x-acs-content-sha256":  dara.String(v3EmptyPayload),
				"user-agent":            dara.String("not signed"),
				"accept":                dara.String("application/json"),
			}
			if tc.token != "" {
				req.Headers["x-acs-security-token"] = dara.String(tc.token)
			}
			got := openapiutil.GetAuthorization(req, dara.String("ACS3-HMAC-SHA256"), dara.String(v3EmptyPayload),
				dara.String(v3KeyID), dara.String(v3Secret))
			assert.Equal(t, tc.want, dara.StringValue(got))
		})
	}
}

// TestTeaV3CreatesOnLocalEndpoint checks that the Tea SDK with its default settings, which sign
// with ACS3-HMAC-SHA256, creates a hosted connection on the local endpoint, with an AccessKey
// and with STS credentials (for which it also sends, and signs, x-acs-accesskey-id).
func TestTeaV3CreatesOnLocalEndpoint(t *testing.T) {
	t.Parallel()
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{})
	stsID, stsSecret, stsToken := s.Account().STS.AccessKeyID, s.Account().STS.AccessKeySecret, s.Account().STS.SecurityToken
	tests := []struct {
		name               string
		id, secret, token  string
		vlan               int64
		wantTokenInHeaders bool
	}{
		{"AccessKey", s.Account().AccessKeyID, s.Account().AccessKeySecret, "", 4, false},
		{"STS credentials", stsID, stsSecret, stsToken, 5, true},
	}
	uid, err := strconv.ParseInt(fixture.VpconnAliUID, 10, 64)
	require.NoError(t, err)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := &openapiutil.Config{
				AccessKeyId:     dara.String(tc.id),
				AccessKeySecret: dara.String(tc.secret),
				Endpoint:        dara.String(strings.TrimPrefix(s.URL(), "http://")),
				Protocol:        dara.String("http"),
				RegionId:        dara.String(s.Account().RegionID),
			}
			if tc.token != "" {
				cfg.SecurityToken = dara.String(tc.token)
			}
			client, err := teavpc.NewClient(cfg)
			require.NoError(t, err)
			req := newTeaRequest(uid, fixture.Tags())
			req.VlanId = dara.Int64(tc.vlan)
			req.Token = nil

			resp, err := client.CreateVirtualPhysicalConnection(req)

			require.NoError(t, err)
			require.NotNil(t, resp.Body)
			id := dara.StringValue(resp.Body.VirtualPhysicalConnection)
			_, err = s.Admin().Connection(context.Background(), id)
			assert.NoError(t, err, "the endpoint holds %q", id)
			page, err := s.Admin().Requests(context.Background(), 0, 0)
			require.NoError(t, err)
			var rec *expressconnecttest.Request
			for _, r := range page.Requests {
				if r.ConnectionID == id {
					rec = &r
				}
			}
			require.NotNil(t, rec)
			assert.True(t, rec.SignatureVerified)
			assert.Equal(t, fixture.CreateAction, rec.Action)
			masked := tc.id[:4] + "****" + tc.id[len(tc.id)-4:] // the record keeps the AccessKeyId masked
			assert.True(t, strings.HasPrefix(rec.Header.Get("Authorization"), "ACS3-HMAC-SHA256 Credential="+masked+","), rec.Header.Get("Authorization"))
			assert.False(t, rec.Params.Has("Signature"), "no RPC signature")
			assert.Equal(t, tc.wantTokenInHeaders, rec.Header.Get("x-acs-security-token") == "<redacted>")
		})
	}
}
