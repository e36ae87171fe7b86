package expressconnect

import (
	"context"
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// wireRecording is one file of testdata/wire: what an official SDK sent for one input, recorded
// on a loopback server (copied from the shared reference official-sdk-wire).
type wireRecording struct {
	SDK      string `json:"sdk"`
	Case     string `json:"case"`
	Requests int    `json:"requests"`
	Method   string `json:"method"`
	Path     string `json:"path"`
	BodyLen  string `json:"body_len"`
	Params   []struct {
		Name  string `json:"name"`
		Value string `json:"value"`
		In    string `json:"in"`
		// Wire is the value as it appeared in the URL, recorded when it differs from the value.
		Wire string `json:"wire"`
	} `json:"params"`
	Headers map[string]string `json:"headers"`
}

func wireLoad(t *testing.T, name string) wireRecording {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "wire", name))
	require.NoError(t, err)
	var rec wireRecording
	require.NoError(t, json.Unmarshal(data, &rec))
	return rec
}

// wireEscape percent-encodes s the way the RPC signature wants, written independently of the
// package's encoder: url.QueryEscape, then the three places where form encoding differs from
// RFC 3986.
func wireEscape(s string) string {
	e := url.QueryEscape(s)
	e = strings.ReplaceAll(e, "+", "%20")
	e = strings.ReplaceAll(e, "*", "%2A")
	return strings.ReplaceAll(e, "%7E", "~")
}

// wireSignature recomputes, as the service would, the signature of a received query: every
// parameter but Signature, sorted and encoded, signed with HMAC-SHA1 under secret + "&".
func wireSignature(t *testing.T, values url.Values, secret string) string {
	t.Helper()
	names := make([]string, 0, len(values))
	for name := range values {
		if name != "Signature" {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	pairs := make([]string, len(names))
	for i, name := range names {
		require.Len(t, values[name], 1, "parameter %s", name)
		pairs[i] = wireEscape(name) + "=" + wireEscape(values.Get(name))
	}
	stringToSign := "POST&" + wireEscape("/") + "&" + wireEscape(strings.Join(pairs, "&"))
	mac := hmac.New(sha1.New, []byte(secret+"&"))
	mac.Write([]byte(stringToSign))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// wireRawValues splits a raw query into names and still-encoded values.
func wireRawValues(t *testing.T, rawQuery string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, pair := range strings.Split(rawQuery, "&") {
		name, value, ok := strings.Cut(pair, "=")
		require.True(t, ok, "pair %q has no '='", pair)
		_, dup := out[name]
		require.False(t, dup, "parameter %s sent twice", name)
		out[name] = value
	}
	return out
}

var (
	wireTimestampShape = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`)
	wireNonceShape     = regexp.MustCompile(`^[0-9a-f]{32}$`)
	wireUUIDv4Shape    = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
)

const (
	wireAccessKeyID    = "LTAI5tHarnessTestKey0001"
	wireSTSAccessKeyID = "STS.NUHarnessStsKey000001"
	wireSecurityToken  = "CAIS+harness/sts=token+with/special==chars"
	wireSecret         = "wire-test-secret"
	wireCreatedBody    = `{"RequestId":"4EC47282-1B74-4534-BD0E-403F3EE64CAF","VirtualPhysicalConnection":"pc-bp1ciz7ekd2grn1as0002"}`
	wireDryRunBody     = `{"RequestId":"4EC47282-1B74-4534-BD0E-403F3EE64CB0","Code":"DryRunOperation","Message":"Request validation has been passed with DryRun flag set."}`
)

type wireCase struct {
	name string
	opts []Option
	req  *CreateVirtualPhysicalConnectionRequest
	// status and body are the loopback server's answer, as in the recording.
	status int
	body   string
}

func wireCases() []wireCase {
	minimal := minimalRequest() // RegionId comes from the client's region.
	minimal.VLANID = VLAN(0)
	minimal.Spec = Spec1G
	sts := allParamsRequest()
	sts.Token = "CBCE910E-D396-4944-8A1B-7E0C5A3F0002"
	dryRun := allParamsRequest()
	dryRun.Token = "CBCE910E-D396-4944-8A1B-7E0C5A3F0003"
	dryRun.DryRun = true
	special := allParamsRequest()
	special.Name = "名称_Name-测试ü"
	special.Description = "Desc with space * ~ / + = & % ; : , ? # [ ] @ ! $ ' ( ) 中文 ünïcödé 😀 end"
	special.Token = "tok *~/+=&%-0001"
	special.Tags = []Tag{{Key: "env/tier name", Value: "a b*c~d/e+f=g&h%i"}, {Key: "项目", Value: `值 ☃ 'single' "double" <x>`}}
	ak := WithAccessKey(wireAccessKeyID, wireSecret)
	return []wireCase{
		{name: "all_params", opts: []Option{ak}, req: allParamsRequest(), status: http.StatusOK, body: wireCreatedBody},
		{name: "minimal", opts: []Option{ak, WithRegion("cn-hangzhou")}, req: minimal, status: http.StatusOK, body: wireCreatedBody},
		// The recorded tag keys and values (space, '/', '*', '+', ...) break the documented
		// character rules, which the official SDKs do not check: this case needs
		// WithLenientValidation to be sent at all.
		{name: "special_chars", opts: []Option{ak, WithLenientValidation()}, req: special, status: http.StatusOK, body: wireCreatedBody},
		{name: "sts", opts: []Option{WithSTSCredentials(wireSTSAccessKeyID, wireSecret, wireSecurityToken)}, req: sts, status: http.StatusOK, body: wireCreatedBody},
		{name: "dry_run", opts: []Option{ak}, req: dryRun, status: http.StatusBadRequest, body: wireDryRunBody},
	}
}

func TestWireMatchesOfficialSDKs(t *testing.T) {
	t.Parallel()
	for _, tc := range wireCases() {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newFixtureServer(t, fixtureJSON(tc.status, tc.body, ""))
			c := fixtureClient(t, srv.URL, append([]Option{WithMaxAttempts(1)}, tc.opts...)...)

			resp, err := c.CreateVirtualPhysicalConnection(context.Background(), tc.req)

			require.NoError(t, err)
			assert.Equal(t, tc.req.DryRun, resp.DryRun)
			if !tc.req.DryRun {
				assert.Equal(t, "pc-bp1ciz7ekd2grn1as0002", resp.VirtualPhysicalConnectionID)
			}
			got := srv.requests()
			require.Len(t, got, 1)
			for _, sdk := range []string{"old", "tea"} {
				t.Run(sdk, func(t *testing.T) {
					wireCompare(t, wireLoad(t, tc.name+"."+sdk+".json"), got[0], resp.Token)
				})
			}
		})
	}
}

// wireCompare checks one request the client sent against one recording.
func wireCompare(t *testing.T, rec wireRecording, got fixtureSeen, token string) {
	require.Equal(t, 1, rec.Requests)
	assert.Equal(t, rec.Method, got.method)
	assert.Equal(t, "POST", got.method)
	assert.Equal(t, rec.Path, got.path)
	assert.Equal(t, "/", got.path)
	assert.Equal(t, "0", rec.BodyLen)
	assert.Empty(t, got.body)
	assert.Zero(t, got.contentLength)

	values, err := url.ParseQuery(got.rawQuery)
	require.NoError(t, err)
	raw := wireRawValues(t, got.rawQuery)
	ours := map[string]string{}
	for name, vs := range values {
		require.Len(t, vs, 1, "parameter %s", name)
		ours[name] = vs[0]
		// Every value is sent percent-encoded per RFC 3986, the same encoding the signature uses.
		assert.Equal(t, wireEscape(vs[0]), raw[name], "encoding of %s", name)
	}

	want := map[string]string{}
	for _, p := range rec.Params {
		assert.Equal(t, "query", p.In, "recorded %s", p.Name)
		want[p.Name] = p.Value
		if p.Wire != "" {
			// The official SDKs form-encode a space as '+'; we send "%20" (RFC 3986, as in the
			// string-to-sign). Both decode to the same value, and every other byte is encoded
			// the same way.
			assert.Contains(t, p.Wire, "+", "recorded %s", p.Name)
			assert.Equal(t, strings.ReplaceAll(p.Wire, "+", "%20"), raw[p.Name], "wire encoding of %s", p.Name)
		}
	}

	// Per-call values are checked by their shape.
	assert.Regexp(t, wireTimestampShape, ours["Timestamp"])
	assert.Regexp(t, wireNonceShape, ours["SignatureNonce"])
	sig, err := base64.StdEncoding.DecodeString(ours["Signature"])
	assert.NoError(t, err)
	assert.Len(t, sig, sha1.Size)
	assert.Equal(t, wireSignature(t, values, wireSecret), ours["Signature"], "signature recomputed on the server side")
	for _, name := range []string{"Timestamp", "SignatureNonce", "Signature"} {
		delete(want, name)
		delete(ours, name)
	}

	// Deliberate differences.
	//
	// Format: we send "JSON", like the old SDK; the Tea SDK sends "json". The service accepts
	// both.
	if rec.SDK == "tea" {
		assert.Equal(t, "json", want["Format"])
		want["Format"] = "JSON"
	}
	// SignatureType: the old SDK sends it empty; it is not part of the RPC signature v1.0
	// parameters and we do not send it.
	if v, ok := want["SignatureType"]; ok {
		assert.Equal(t, "old", rec.SDK)
		assert.Empty(t, v)
		delete(want, "SignatureType")
	}
	assert.NotContains(t, ours, "SignatureType")
	// DryRun: both official SDKs send DryRun=false when the caller sets false. Our DryRun is a
	// plain bool, which cannot tell "false" from "unset", and the service's default is false,
	// so the client sends DryRun only when it is true.
	if want["DryRun"] == "false" {
		delete(want, "DryRun")
		assert.NotContains(t, ours, "DryRun")
	}
	// Token: the official SDKs send none when the caller gives none (minimal); our client then
	// generates a UUID v4 and sends it, so that retries are idempotent, and reports it in the
	// response.
	if _, ok := want["Token"]; !ok {
		assert.Regexp(t, wireUUIDv4Shape, ours["Token"])
		assert.Equal(t, token, ours["Token"])
		delete(ours, "Token")
	}

	assert.Equal(t, want, ours)

	// Headers: the two x-acs headers as recorded, and our own User-Agent. The other recorded
	// headers (Accept-Encoding, Content-Type, X-Sdk-*, X-Acs-Credentials-Provider) already
	// differ between the two official SDKs and are not part of the signature.
	assert.Equal(t, rec.Headers["X-Acs-Action"], got.header.Get("X-Acs-Action"))
	assert.Equal(t, rec.Headers["X-Acs-Version"], got.header.Get("X-Acs-Version"))
	assert.Equal(t, "CreateVirtualPhysicalConnection", got.header.Get("X-Acs-Action"))
	assert.Equal(t, "2016-04-28", got.header.Get("X-Acs-Version"))
	assert.Regexp(t, "^expressconnect-go/"+regexp.QuoteMeta(Version)+" ", got.header.Get("User-Agent"))
}

// TestWireSignatureCheckerRejects makes sure the server-side check above can fail: a query
// signed under another secret, or changed after signing, does not verify.
func TestWireSignatureCheckerRejects(t *testing.T) {
	t.Parallel()
	srv := newFixtureServer(t, fixtureJSON(http.StatusOK, wireCreatedBody, ""))
	c := fixtureClient(t, srv.URL, WithAccessKey(wireAccessKeyID, wireSecret))
	_, err := c.CreateVirtualPhysicalConnection(context.Background(), allParamsRequest())
	require.NoError(t, err)
	values, err := url.ParseQuery(srv.requests()[0].rawQuery)
	require.NoError(t, err)
	require.Equal(t, values.Get("Signature"), wireSignature(t, values, wireSecret))

	assert.NotEqual(t, values.Get("Signature"), wireSignature(t, values, "other-secret"))
	values.Set("VlanId", "5")
	assert.NotEqual(t, values.Get("Signature"), wireSignature(t, values, wireSecret))
}

// TestWireDryRunTrueOnly checks how DryRun goes on the wire: "true" when set, absent otherwise.
func TestWireDryRunTrueOnly(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		dryRun  bool
		status  int
		body    string
		wantSet bool
	}{
		{name: "false is not sent", dryRun: false, status: http.StatusOK, body: wireCreatedBody},
		{name: "true is sent", dryRun: true, status: http.StatusBadRequest, body: wireDryRunBody, wantSet: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newFixtureServer(t, fixtureJSON(tc.status, tc.body, ""))
			c := fixtureClient(t, srv.URL, WithAccessKey(wireAccessKeyID, wireSecret))
			req := allParamsRequest()
			req.DryRun = tc.dryRun

			resp, err := c.CreateVirtualPhysicalConnection(context.Background(), req)

			require.NoError(t, err)
			assert.Equal(t, tc.dryRun, resp.DryRun)
			values, err := url.ParseQuery(srv.requests()[0].rawQuery)
			require.NoError(t, err)
			if tc.wantSet {
				assert.Equal(t, []string{"true"}, values["DryRun"])
			} else {
				assert.NotContains(t, values, "DryRun")
			}
		})
	}
}

// TestWireSpecialCharsNeedLenient shows why the special_chars case uses WithLenientValidation:
// its tags break the documented character rules, so a strict client refuses it.
func TestWireSpecialCharsNeedLenient(t *testing.T) {
	t.Parallel()
	var special *CreateVirtualPhysicalConnectionRequest
	for _, tc := range wireCases() {
		if tc.name == "special_chars" {
			special = tc.req
		}
	}
	require.NotNil(t, special)

	err := validateCreate(special, "", false)

	var verr *ValidationError
	require.ErrorAs(t, err, &verr)
	assert.NotEmpty(t, verr.Field("Tags[0].Key"))
	assert.NotEmpty(t, verr.Field("Tags[0].Value"))
	assert.NotEmpty(t, verr.Field("Tags[1].Value"))
	assert.Empty(t, verr.Field("Name"), "the recorded Name follows the rules")
	assert.Empty(t, verr.Field("Description"), "the recorded Description follows the rules")
	assert.NoError(t, validateCreate(special, "", true))
}
