package expressconnect

import (
	"cmp"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"slices"
	"strings"
	"time"
)

// The V3 signature, ACS3-HMAC-SHA256, as Alibaba Cloud documents it ("Request syntax and
// signature method V3"), step by step:
//
//  1. CanonicalQueryString: the query parameters sorted by name in byte order, names and
//     values percent-encoded per RFC 3986, joined as name=value pairs with "&". An RPC
//     operation signed this way sends only its own parameters in the query, as the official
//     Tea SDK does: the common ones travel in headers. The encoding is the RPC signature's
//     (canonicalQuery).
//  2. CanonicalHeaders: each signed header as its lower-case name, ":", its value without
//     leading and trailing spaces, and "\n", sorted by name (canonicalHeaders). The client
//     signs host and every x-acs- header it sends.
//  3. SignedHeaders: the names of the signed headers, in the same order, joined with ";"
//     (signedHeaderNames).
//  4. HashedRequestPayload: hex(SHA-256(body)), also sent as x-acs-content-sha256
//     (hashedPayload). The client's requests have an empty body.
//  5. CanonicalRequest = METHOD "\n" CanonicalURI "\n" CanonicalQueryString "\n"
//     CanonicalHeaders "\n" SignedHeaders "\n" HashedRequestPayload (canonicalRequest). The
//     CanonicalURI is "/", the path of the RPC API.
//  6. StringToSign = "ACS3-HMAC-SHA256" "\n" hex(SHA-256(CanonicalRequest)) (stringToSignV3).
//  7. Signature = hex(HMAC-SHA256(AccessKeySecret, StringToSign)) (signatureV3).
//  8. Authorization = "ACS3-HMAC-SHA256 Credential=" AccessKeyId ",SignedHeaders="
//     SignedHeaders ",Signature=" Signature (authorization).

// v3Algorithm names the V3 signature in the string to sign and the Authorization header.
const v3Algorithm = "ACS3-HMAC-SHA256"

// headerField is one header the V3 signature covers, by its lower-case name.
type headerField struct {
	name, value string
}

// signerV3 signs requests with the V3 signature, ACS3-HMAC-SHA256. Like signer, it is pure:
// besides its arguments, its only inputs are the clock and the nonce source, and both are
// injected.
type signerV3 struct {
	now   func() time.Time
	nonce func() string
}

// newSignerV3 returns a signerV3 reading the system clock and drawing nonces from crypto/rand.
func newSignerV3() signerV3 { return signerV3{now: time.Now, nonce: randomNonce} }

// sign signs a POST of in.action with the operation's parameters in the query and an empty
// body, dated by the signer's clock plus in.skew. The common values travel in the headers it
// returns: x-acs-action, x-acs-version, x-acs-date, x-acs-signature-nonce,
// x-acs-content-sha256, x-acs-security-token for STS credentials, and Authorization.
func (s signerV3) sign(in signingInput) signedRequest {
	query := canonicalQuery(in.params)
	payload := hashedPayload(nil)
	headers := s.headers(in, payload)
	sts := stringToSignV3(canonicalRequest(http.MethodPost, "/", query, headers, payload))
	sig := signatureV3(in.cred.accessKeySecret, sts)
	return signedRequest{
		query:        query,
		header:       v3Header(headers, authorization(in.cred.accessKeyID, headers, sig)),
		stringToSign: sts,
		signature:    sig,
	}
}

// headers returns the headers the signature covers, sorted by name: host, the action and
// version, the date (the signer's clock plus in.skew), a fresh nonce, the payload's hash, and
// the SecurityToken of STS credentials.
func (s signerV3) headers(in signingInput, payload string) []headerField {
	hs := make([]headerField, 0, 7)
	hs = append(hs,
		headerField{"host", in.host},
		headerField{"x-acs-action", in.action},
		headerField{"x-acs-content-sha256", payload},
		headerField{"x-acs-date", s.now().Add(in.skew).UTC().Format(timestampLayout)},
		headerField{"x-acs-signature-nonce", s.nonce()},
		headerField{"x-acs-version", apiVersion},
	)
	if in.cred.securityToken != "" {
		hs = append(hs, headerField{"x-acs-security-token", in.cred.securityToken})
	}
	slices.SortFunc(hs, func(a, b headerField) int { return cmp.Compare(a.name, b.name) })
	return hs
}

// hashedPayload returns hex(SHA-256(body)).
func hashedPayload(body []byte) string {
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:])
}

// canonicalHeaders returns each of hs, which must be sorted by name, as name:value and a line
// feed, the value without leading and trailing spaces.
func canonicalHeaders(hs []headerField) string {
	var b strings.Builder
	for _, h := range hs {
		b.WriteString(h.name)
		b.WriteByte(':')
		b.WriteString(strings.TrimSpace(h.value))
		b.WriteByte('\n')
	}
	return b.String()
}

// signedHeaderNames returns the names of hs, which must be sorted by name, joined with ";".
func signedHeaderNames(hs []headerField) string {
	names := make([]string, len(hs))
	for i, h := range hs {
		names[i] = h.name
	}
	return strings.Join(names, ";")
}

// canonicalRequest returns the canonical request of a request to uri with the canonical query
// string query, the signed headers hs (sorted by name) and the payload hash payload.
func canonicalRequest(method, uri, query string, hs []headerField, payload string) string {
	return strings.Join([]string{method, uri, query, canonicalHeaders(hs), signedHeaderNames(hs), payload}, "\n")
}

// stringToSignV3 returns "ACS3-HMAC-SHA256\n" + hex(SHA-256(canonicalRequest)).
func stringToSignV3(canonicalRequest string) string {
	sum := sha256.Sum256([]byte(canonicalRequest))
	return v3Algorithm + "\n" + hex.EncodeToString(sum[:])
}

// signatureV3 returns hex(HMAC-SHA256(secret, stringToSign)).
func signatureV3(secret, stringToSign string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(stringToSign))
	return hex.EncodeToString(mac.Sum(nil))
}

// authorization returns the Authorization header of a request signed by accessKeyID with the
// headers hs (sorted by name) and the signature sig.
func authorization(accessKeyID string, hs []headerField, sig string) string {
	return v3Algorithm + " Credential=" + accessKeyID + ",SignedHeaders=" + signedHeaderNames(hs) + ",Signature=" + sig
}

// v3Header returns the headers to send: hs but host, which net/http sends from the URL, and
// the Authorization header. hs holds the action headers (actionHeader) among the others.
func v3Header(hs []headerField, auth string) http.Header {
	h := make(http.Header, len(hs))
	for _, f := range hs {
		if f.name != "host" {
			h.Set(f.name, f.value)
		}
	}
	h.Set("Authorization", auth)
	return h
}
