package expressconnect

import (
	"cmp"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"slices"
	"strings"
	"time"
)

// The RPC signature, version 1.0, as Alibaba Cloud documents it ("Request signatures", RPC
// style), step by step:
//
//  1. Take every parameter but Signature: the operation's and the common ones.
//  2. Sort them by name, in byte order.
//  3. Percent-encode names and values per RFC 3986 (escape below) and join them as name=value
//     pairs with "&": the canonicalized query (canonicalQuery).
//  4. StringToSign = METHOD + "&" + escape("/") + "&" + escape(canonicalized query)
//     (stringToSign).
//  5. Signature = Base64(HMAC-SHA1(AccessKeySecret + "&", StringToSign)) (signature).

// SignatureAlgorithm is how a client signs its requests, chosen with [WithSignatureAlgorithm].
type SignatureAlgorithm string

// The signature algorithms the client can sign with. The service accepts either.
const (
	// SignatureHMACSHA1 is the RPC signature, version 1.0: Base64(HMAC-SHA1) over the sorted
	// query, which carries the common parameters (AccessKeyId, Timestamp, SignatureNonce,
	// SecurityToken, Signature, ...). It is the signature the operations' API reference
	// specifies, and the default.
	SignatureHMACSHA1 SignatureAlgorithm = "HMAC-SHA1"
	// SignatureACS3HMACSHA256 is the V3 signature: hex(HMAC-SHA256) over a canonical request of
	// the method, path, query, headers and the body's SHA-256. The query carries the
	// operation's parameters only; the common values travel in x-acs- headers and the
	// signature in the Authorization header. It is what the official Tea SDKs sign with by
	// default.
	SignatureACS3HMACSHA256 SignatureAlgorithm = "ACS3-HMAC-SHA256"
)

// Values of the common parameters.
const (
	apiVersion       = "2016-04-28"
	signatureMethod  = "HMAC-SHA1"
	signatureVersion = "1.0"
	timestampLayout  = "2006-01-02T15:04:05Z"
)

// param is one query parameter, by its wire name.
type param struct {
	name, value string
}

// sortParams sorts ps by name, in byte order.
func sortParams(ps []param) {
	slices.SortFunc(ps, func(a, b param) int { return cmp.Compare(a.name, b.name) })
}

// requestSigner signs the request of one attempt. A Client has one, chosen by
// WithSignatureAlgorithm.
type requestSigner interface {
	sign(in signingInput) signedRequest
}

// signingInput is what an attempt's signature covers.
type signingInput struct {
	action string
	// params are the operation's parameters, sorted by name (sortParams).
	params []param
	cred   credentialValues
	// host is the endpoint's host, such as "vpc.aliyuncs.com".
	host string
	// skew is the clock-skew correction to add to the signer's clock.
	skew time.Duration
}

// signedRequest is a signed request, with what the redaction boundary needs of it.
type signedRequest struct {
	// query is the URL query to send.
	query string
	// header holds the headers the signature needs, the x-acs-action and x-acs-version
	// headers included, in a map made for this request alone.
	header http.Header
	// stringToSign is what was signed, shown on a signature error.
	stringToSign string
	// signature is the signature, a secret of the attempt.
	signature string
}

// signer signs requests with the RPC signature, version 1.0 (HMAC-SHA1). It is pure: besides
// its arguments, its only inputs are the clock and the nonce source, and both are injected.
type signer struct {
	now   func() time.Time
	nonce func() string
}

// newSigner returns a signer reading the system clock and drawing nonces from crypto/rand.
func newSigner() signer { return signer{now: time.Now, nonce: randomNonce} }

// sign signs a request for in.action with the operation's parameters, at the signer's clock
// plus in.skew. The signature is the query's last parameter.
func (s signer) sign(in signingInput) signedRequest {
	canonical := canonicalQuery(mergeByName(s.commonParams(in.action, in.cred, in.skew), in.params))
	sts := stringToSign(http.MethodPost, canonical)
	sig := signature(in.cred.accessKeySecret, sts)
	return signedRequest{query: canonical + "&Signature=" + escape(sig), header: actionHeader(in.action), stringToSign: sts, signature: sig}
}

// actionHeader returns the x-acs-action and x-acs-version headers of a request for action,
// which the official SDKs send with either signature; the V3 signature also signs them. The
// map has room for the client's own headers, which the call path adds.
func actionHeader(action string) http.Header {
	return http.Header{"X-Acs-Action": {action}, "X-Acs-Version": {apiVersion}}
}

// commonParams returns the parameters every request carries, sorted by name.
func (s signer) commonParams(action string, cred credentialValues, skew time.Duration) []param {
	ps := make([]param, 0, 9)
	ps = append(ps,
		param{"AccessKeyId", cred.accessKeyID},
		param{"Action", action},
		param{"Format", "JSON"},
	)
	if cred.securityToken != "" {
		ps = append(ps, param{"SecurityToken", cred.securityToken})
	}
	return append(ps,
		param{"SignatureMethod", signatureMethod},
		param{"SignatureNonce", s.nonce()},
		param{"SignatureVersion", signatureVersion},
		param{"Timestamp", s.now().Add(skew).UTC().Format(timestampLayout)},
		param{"Version", apiVersion},
	)
}

// mergeByName returns the parameters of a and b, each sorted by name, in one list sorted by
// name.
func mergeByName(a, b []param) []param {
	out := make([]param, 0, len(a)+len(b))
	for len(a) > 0 && len(b) > 0 {
		if b[0].name < a[0].name {
			out, b = append(out, b[0]), b[1:]
		} else {
			out, a = append(out, a[0]), a[1:]
		}
	}
	return append(append(out, a...), b...)
}

// canonicalQuery joins ps, which must be sorted by name, as escaped name=value pairs.
func canonicalQuery(ps []param) string {
	size := 0
	for _, p := range ps {
		size += escapedLen(p.name) + escapedLen(p.value) + 2
	}
	var b strings.Builder
	b.Grow(size)
	for i, p := range ps {
		if i > 0 {
			b.WriteByte('&')
		}
		writeEscaped(&b, p.name, upperHex)
		b.WriteByte('=')
		writeEscaped(&b, p.value, upperHex)
	}
	return b.String()
}

// stringToSign returns the string the signature covers.
func stringToSign(method, canonicalQuery string) string {
	var b strings.Builder
	b.Grow(len(method) + len("&%2F&") + escapedLen(canonicalQuery))
	b.WriteString(method)
	b.WriteString("&")
	writeEscaped(&b, "/", upperHex)
	b.WriteString("&")
	writeEscaped(&b, canonicalQuery, upperHex)
	return b.String()
}

// signature returns Base64(HMAC-SHA1(secret + "&", stringToSign)).
func signature(secret, stringToSign string) string {
	mac := hmac.New(sha1.New, []byte(secret+"&"))
	mac.Write([]byte(stringToSign))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// escape percent-encodes s per RFC 3986: the unreserved characters A-Z a-z 0-9 - _ . ~ stay,
// every other byte of the UTF-8 encoding becomes %XX with upper-case hex digits.
func escape(s string) string { return percentEncode(s, upperHex) }

const (
	upperHex = "0123456789ABCDEF"
	lowerHex = "0123456789abcdef"
)

// percentEncode returns s percent-encoded per RFC 3986 with the given hex digits.
func percentEncode(s, digits string) string {
	var b strings.Builder
	b.Grow(escapedLen(s))
	writeEscaped(&b, s, digits)
	return b.String()
}

// escapedLen returns the length of s percent-encoded.
func escapedLen(s string) int {
	n := len(s)
	for i := 0; i < len(s); i++ {
		if !isUnreserved(s[i]) {
			n += 2
		}
	}
	return n
}

// writeEscaped writes s to b percent-encoded per RFC 3986 with the given hex digits: each run
// of unreserved bytes as it is, each other byte as %XX.
func writeEscaped(b *strings.Builder, s, digits string) {
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isUnreserved(c) {
			continue
		}
		b.WriteString(s[start:i])
		b.WriteByte('%')
		b.WriteByte(digits[c>>4])
		b.WriteByte(digits[c&0x0F])
		start = i + 1
	}
	b.WriteString(s[start:])
}

// isUnreserved reports whether c is an RFC 3986 unreserved character.
func isUnreserved(c byte) bool { return unreserved[c] }

// unreserved marks the RFC 3986 unreserved bytes, A-Z a-z 0-9 - _ . ~; a table, since every
// byte of every signed request is looked up.
var unreserved = func() (t [256]bool) {
	for c := range len(t) {
		t[c] = 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~'
	}
	return t
}()

// randomNonce returns 16 bytes from crypto/rand as 32 hex digits, the shape the official SDKs
// send. crypto/rand.Read never fails on supported platforms (Go 1.24 and later).
func randomNonce() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
