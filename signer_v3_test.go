package expressconnect

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/expressconnect-go/expressconnect/internal/keyid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The fixed inputs of the V3 known-answer vectors. The benchmarks module checks the same
// vectors against the official Tea SDK's own V3 signing function.
const (
	v3VectorKeyID  = "LTAI5tHarnessTestKey0001"
	v3VectorSecret = "harness-secret"
	v3VectorToken  = "CAIS+harness/sts=token"
	v3VectorNonce  = "3a1f2b4c5d6e7f8091a2b3c4d5e6f708"
	v3VectorHost   = "vpc.aliyuncs.com"
	// v3EmptyPayload is hex(SHA-256("")).
	v3EmptyPayload = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
)

// v3VectorTime is the clock of the V3 vectors.
var v3VectorTime = time.Date(2026, 11, 25, 8, 30, 0, 0, time.UTC)

// v3VectorParams are the operation's parameters of the V3 vectors; Name needs percent-encoding
// (space, "*", "/" and a multi-byte character; "~" stays).
func v3VectorParams() []param {
	return []param{{"Name", "vlan 100*~/中"}, {"RegionId", "cn-hangzhou"}, {"VlanId", "0"}}
}

// TestSignV3KnownAnswer checks whole V3-signed requests, with and without a SecurityToken,
// against the exact canonical request, string to sign and Authorization header. The expected
// values were computed independently from the published algorithm with Python 3.11's
// hashlib, hmac and urllib.parse.quote(safe="-_.~"):
//
//	cq  = "&".join(quote(k) + "=" + quote(v) for k, v in sorted(params.items()))
//	ch  = "".join(n + ":" + headers[n].strip() + "\n" for n in sorted(headers))
//	cr  = "\n".join(["POST", "/", cq, ch, ";".join(sorted(headers)), sha256(b"").hexdigest()])
//	sts = "ACS3-HMAC-SHA256\n" + sha256(cr.encode()).hexdigest()
//	sig = hmac.new(b"harness-secret", sts.encode(), sha256).hexdigest()
func TestSignV3KnownAnswer(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name          string
		token         string
		canonical     string
		stringToSign  string
		authorization string
	}{
		{
			name: "AccessKey",
			canonical: "POST\n/\nName=vlan%20100%2A~%2F%E4%B8%AD&RegionId=cn-hangzhou&VlanId=0\n" +
				"host:vpc.aliyuncs.com\n" +
				"x-acs-action:CreateVirtualPhysicalConnection\n" +
				"x-acs-content-sha256:" + v3EmptyPayload + "\n" +
				"x-acs-date:2026-11-25T08:30:00Z\n" +
				"x-acs-signature-nonce:" + v3VectorNonce + "\n" +
				"x-acs-version:2016-04-28\n" +
				"\n" +
				"host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version\n" +
				v3EmptyPayload,
			stringToSign: "ACS3-HMAC-SHA256\na10db0f68b57a10d04a6a728fc719e310b778f93a22e77e358b8425cd913d738",
			authorization: "ACS3-HMAC-SHA256 Credential=LTAI5tHarnessTestKey0001," +
				"SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version," +
				"Signature=bf4919952d6bf2ef8e8c7d5e0a5f7eb38f9d01b45c53e30a379b75e31b7bc5b3",
		},
		{
			name:  "STS credentials",
			token: v3VectorToken,
			canonical: "POST\n/\nName=vlan%20100%2A~%2F%E4%B8%AD&RegionId=cn-hangzhou&VlanId=0\n" +
				"host:vpc.aliyuncs.com\n" +
				"x-acs-action:CreateVirtualPhysicalConnection\n" +
				"x-acs-content-sha256:" + v3EmptyPayload + "\n" +
				"x-acs-date:2026-11-25T08:30:00Z\n" +
				"x-acs-security-token:CAIS+harness/sts=token\n" +
				"x-acs-signature-nonce:" + v3VectorNonce + "\n" +
				"x-acs-version:2016-04-28\n" +
				"\n" +
				"host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-security-token;x-acs-signature-nonce;x-acs-version\n" +
				v3EmptyPayload,
			stringToSign: "ACS3-HMAC-SHA256\n2642fe02203d690294c86907e3b414cca996af2431e5834a12fc5a5640e0a8ae",
			authorization: "ACS3-HMAC-SHA256 Credential=LTAI5tHarnessTestKey0001," +
				"SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-security-token;x-acs-signature-nonce;x-acs-version," +
				"Signature=b42dd2d933c642290fa1dcf1f6687efdb572973ae9e08d7d34accfc193759138",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := fixedSignerV3(v3VectorTime, v3VectorNonce)
			in := signingInput{
				action: actionCreate, params: v3VectorParams(), host: v3VectorHost,
				cred: credentialValues{accessKeyID: v3VectorKeyID, accessKeySecret: v3VectorSecret, securityToken: tc.token},
			}

			got := s.sign(in)

			sorted := v3VectorParams()
			sortParams(sorted)
			assert.Equal(t, tc.canonical, canonicalRequest(http.MethodPost, "/", canonicalQuery(sorted), s.headers(in, v3EmptyPayload), v3EmptyPayload))
			assert.Equal(t, tc.stringToSign, got.stringToSign)
			assert.Equal(t, tc.authorization, got.header.Get("Authorization"))
			assert.Equal(t, tc.authorization[strings.LastIndex(tc.authorization, "=")+1:], got.signature)
			assert.Equal(t, "Name=vlan%20100%2A~%2F%E4%B8%AD&RegionId=cn-hangzhou&VlanId=0", got.query)
			assert.Equal(t, http.Header{
				"Authorization":         {tc.authorization},
				"X-Acs-Action":          {actionCreate},
				"X-Acs-Content-Sha256":  {v3EmptyPayload},
				"X-Acs-Date":            {"2026-11-25T08:30:00Z"},
				"X-Acs-Signature-Nonce": {v3VectorNonce},
				"X-Acs-Version":         {apiVersion},
			}, withoutHeader(got.header, "X-Acs-Security-Token"))
			assert.Equal(t, tc.token, got.header.Get("X-Acs-Security-Token"))
		})
	}
}

// TestSignV3DarabonbaVector checks the steps against the vector of darabonba-openapi v2.1.8's
// utils/client_test.go (Test_GetAuthorization): an empty method, the path "/", a query with
// an empty value, the header x-acs-test sent twice (as "http" and "https", whose values the
// canonical headers join sorted, with ","), a given payload hash, the secret "secret". The
// client never sends a header twice, so the two values are given joined.
func TestSignV3DarabonbaVector(t *testing.T) {
	t.Parallel()
	payload := "55e12e91650d2fec56ec74e1d3e4ddbfce2ef3a65890c2a19ecf88a307e76a23"
	hs := []headerField{{"x-acs-test", "http,https"}}
	canonical := canonicalRequest("", "/", canonicalQuery([]param{{"empty", ""}, {"test", "ok"}}), hs, payload)
	assert.Equal(t, "\n/\nempty=&test=ok\nx-acs-test:http,https\n\nx-acs-test\n"+payload, canonical)
	sig := signatureV3("secret", stringToSignV3(canonical))
	assert.Equal(t, "ACS3-HMAC-SHA256 Credential=acesskey,SignedHeaders=x-acs-test,"+
		"Signature=4ab59fffe3c5738ff8a2729f90cc04fe18b02a4b15b2102cbaf92f9ff3df2ea3", authorization("acesskey", hs, sig))
}

// TestSignV3Steps checks the steps on their own: the payload hash of an empty body, the
// trimming of header values, and the skew added to the date.
func TestSignV3Steps(t *testing.T) {
	t.Parallel()
	assert.Equal(t, v3EmptyPayload, hashedPayload(nil))
	assert.Equal(t, "a:1\nb:two words\n", canonicalHeaders([]headerField{{"a", " 1"}, {"b", "two words \t"}}))
	assert.Equal(t, "a;b", signedHeaderNames([]headerField{{"a", ""}, {"b", ""}}))

	s := fixedSignerV3(v3VectorTime, v3VectorNonce)
	got := s.sign(signingInput{action: actionCreate, host: v3VectorHost, skew: -20 * time.Minute,
		cred: credentialValues{accessKeyID: v3VectorKeyID, accessKeySecret: v3VectorSecret}})
	assert.Equal(t, "2026-11-25T08:10:00Z", got.header.Get("X-Acs-Date"), "the skew is added to the clock")
	assert.Empty(t, got.query)
}

// TestSignV3QueryHasOperationParamsOnly checks that a V3 request's query carries the
// operation's parameters and none of the RPC signature's common parameters, as the Tea SDK
// sends it.
func TestSignV3QueryHasOperationParamsOnly(t *testing.T) {
	t.Parallel()
	params := []param{{"RegionId", "cn-hangzhou"}, {"VlanId", "0"}}
	got := newSignerV3().sign(signingInput{action: actionCreate, params: params, host: v3VectorHost,
		cred: credentialValues{accessKeyID: v3VectorKeyID, accessKeySecret: v3VectorSecret, securityToken: v3VectorToken}})
	assert.Equal(t, url.Values{"RegionId": {"cn-hangzhou"}, "VlanId": {"0"}}, mustParse(t, got.query))
	assert.Regexp(t, `^[0-9a-f]{32}$`, got.header.Get("X-Acs-Signature-Nonce"))
	assert.WithinDuration(t, time.Now(), mustParseTime(t, got.header.Get("X-Acs-Date")), time.Minute)
}

// FuzzSignV3 checks that every request the V3 signer produces, for any parameter and any
// credentials, carries the signature referenceSignatureV3 computes from what is sent.
func FuzzSignV3(f *testing.F) {
	f.Add("Name", "tenant-vlan-100", "secret", "")
	f.Add("Description", "Desc with space * ~ / + = & %", "harness-secret", "CAIS+token/==")
	f.Add("Tag.1.Key", "中文😀", strings.Repeat("long-secret-", 20), "")
	f.Add("", "", "", "")
	f.Fuzz(func(t *testing.T, name, value, secret, token string) {
		s := fixedSignerV3(v3VectorTime, "nonce")
		cred := credentialValues{accessKeyID: "LTAI5tFuzz", accessKeySecret: secret, securityToken: token}
		got := s.sign(signingInput{action: actionCreate, params: []param{{"P" + name, value}}, host: v3VectorHost, cred: cred})
		values, err := url.ParseQuery(got.query)
		require.NoError(t, err)
		header := got.header.Clone()
		header.Set("Host", v3VectorHost)
		want := referenceSignatureV3(values, header, secret)
		require.Equal(t, "ACS3-HMAC-SHA256 Credential=LTAI5tFuzz,SignedHeaders="+v3SignedNames(header)+",Signature="+want,
			got.header.Get("Authorization"))
	})
}

// TestSignatureAlgorithmOption checks which signer each algorithm selects, the default, and
// that an unknown algorithm is refused with an error naming the valid ones.
func TestSignatureAlgorithmOption(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		opts []Option
		want requestSigner
	}{
		{"default", nil, signer{}},
		{"HMAC-SHA1", []Option{WithSignatureAlgorithm(SignatureHMACSHA1)}, signer{}},
		{"ACS3-HMAC-SHA256", []Option{WithSignatureAlgorithm(SignatureACS3HMACSHA256)}, signerV3{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, err := NewClient(append([]Option{WithRegion("cn-hangzhou"), WithAccessKey("id", "secret")}, tc.opts...)...)
			require.NoError(t, err)
			assert.IsType(t, tc.want, c.signer)
		})
	}
	_, err := NewClient(WithRegion("cn-hangzhou"), WithAccessKey("id", "secret"), WithSignatureAlgorithm("HMAC-SHA256"))
	require.ErrorIs(t, err, ErrInvalidOption)
	assert.ErrorContains(t, err, `WithSignatureAlgorithm: must be "HMAC-SHA1" or "ACS3-HMAC-SHA256", got "HMAC-SHA256"`)
}

// TestRedactorCoversV3Secrets checks that the redactor of a V3 attempt removes the signature
// and the SecurityToken from an echo of the request's headers, and masks the AccessKeyId in
// the Authorization header's Credential.
func TestRedactorCoversV3Secrets(t *testing.T) {
	t.Parallel()
	s := fixedSignerV3(v3VectorTime, v3VectorNonce)
	cred := credentialValues{accessKeyID: v3VectorKeyID, accessKeySecret: v3VectorSecret, securityToken: v3VectorToken}
	got := s.sign(signingInput{action: actionCreate, params: v3VectorParams(), host: v3VectorHost, cred: cred})
	x := newRedactor(cred, got.signature)
	var echo strings.Builder
	require.NoError(t, got.header.Write(&echo))

	out := x.text(echo.String())

	for _, secret := range []string{got.signature, v3VectorToken, v3VectorSecret, v3VectorKeyID} {
		assert.NotContains(t, out, secret)
	}
	assert.Contains(t, out, "Credential="+keyid.Mask(v3VectorKeyID)+",SignedHeaders=")
	assert.Contains(t, out, "Signature="+redacted)
	assert.Contains(t, out, "X-Acs-Security-Token: "+redacted)
}

// BenchmarkSignV3 measures the V3 signer on the request of BenchmarkSign.
func BenchmarkSignV3(b *testing.B) {
	s := newSignerV3()
	ps := encodedParams(benchRequest(2))
	cred := credentialValues{accessKeyID: "LTAI5tHarnessTestKey0001", accessKeySecret: "harness-secret"}
	b.ReportAllocs()
	for b.Loop() {
		_ = s.sign(signingInput{action: actionCreate, params: ps, cred: cred, host: v3VectorHost})
	}
}

// fixedSignerV3 returns a V3 signer with a fixed clock and nonce.
func fixedSignerV3(now time.Time, nonce string) signerV3 {
	return signerV3{now: func() time.Time { return now }, nonce: func() string { return nonce }}
}

// withoutHeader returns a copy of h without name.
func withoutHeader(h http.Header, name string) http.Header {
	out := h.Clone()
	out.Del(name)
	return out
}

func mustParseTime(t *testing.T, s string) time.Time {
	t.Helper()
	ts, err := time.Parse(time.RFC3339, s)
	require.NoError(t, err)
	return ts
}

// referenceSignatureV3 signs a POST / with an empty body, the query values and the headers
// header (Host included, Authorization excluded) the way the V3 document describes it for
// languages without an RFC 3986 encoder: url.QueryEscape, then "+" as "%20", "*" as "%2A"
// and "%7E" as "~". It shares no code with the signer.
func referenceSignatureV3(values url.Values, header http.Header, secret string) string {
	encode := func(s string) string {
		return strings.NewReplacer("+", "%20", "*", "%2A", "%7E", "~").Replace(url.QueryEscape(s))
	}
	var pairs []string
	for name, vs := range values {
		for _, v := range vs {
			pairs = append(pairs, encode(name)+"="+encode(v))
		}
	}
	sort.Strings(pairs)
	var lines []string
	for name, vs := range header {
		if !strings.EqualFold(name, "Authorization") {
			lines = append(lines, strings.ToLower(name)+":"+strings.TrimSpace(strings.Join(vs, ","))+"\n")
		}
	}
	sort.Strings(lines)
	empty := sha256.Sum256(nil)
	canonical := "POST\n/\n" + strings.Join(pairs, "&") + "\n" + strings.Join(lines, "") + "\n" +
		v3SignedNames(header) + "\n" + hex.EncodeToString(empty[:])
	sum := sha256.Sum256([]byte(canonical))
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte("ACS3-HMAC-SHA256\n" + hex.EncodeToString(sum[:])))
	return hex.EncodeToString(mac.Sum(nil))
}

// v3SignedNames returns the lower-case names of header but Authorization, sorted, joined with
// ";".
func v3SignedNames(header http.Header) string {
	var names []string
	for name := range header {
		if !strings.EqualFold(name, "Authorization") {
			names = append(names, strings.ToLower(name))
		}
	}
	sort.Strings(names)
	return strings.Join(names, ";")
}
