package expressconnect

import (
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"slices"
	"strings"
	"time"
)

// The RPC signature, version 1.0, as Alibaba Cloud documents it ("Request signatures", RPC
// style): sort the parameters by name, percent-encode names and values per RFC 3986, join them
// into the canonicalized query, and sign
//
//	METHOD + "&" + enc("/") + "&" + enc(canonicalized query)
//
// with HMAC-SHA1 under the key AccessKeySecret + "&".

// Common parameters of every call this SDK makes.
const (
	apiAction        = "CreateVirtualPhysicalConnection"
	apiVersion       = "2016-04-28"
	signatureMethod  = "HMAC-SHA1"
	signatureVersion = "1.0"
	timestampLayout  = "2006-01-02T15:04:05Z"
)

// param is one query parameter, by its wire name.
type param struct {
	name, value string
}

// credentialValues are the values one attempt signs with.
type credentialValues struct {
	accessKeyID     string
	accessKeySecret string
	securityToken   string
}

// signer adds the common parameters to a request and signs it. It is pure: the clock and the
// nonce source are its only inputs besides the parameters, and both are injected.
type signer struct {
	now   func() time.Time
	nonce func() string
}

// newSigner returns a signer reading the system clock and drawing nonces from crypto/rand.
func newSigner() signer {
	return signer{now: time.Now, nonce: randomNonce}
}

// signedQuery appends the common parameters to ps, signs them with cred at the signer's clock
// plus skew, and returns the URL query to send: the canonicalized query followed by the
// Signature. ps is reordered in place.
func (s signer) signedQuery(ps []param, cred credentialValues, skew time.Duration) string {
	var ts [len(timestampLayout)]byte
	ps = append(ps,
		param{"AccessKeyId", cred.accessKeyID},
		param{"Action", apiAction},
		param{"Format", "JSON"},
		param{"SignatureMethod", signatureMethod},
		param{"SignatureNonce", s.nonce()},
		param{"SignatureVersion", signatureVersion},
		param{"Timestamp", string(s.now().Add(skew).UTC().AppendFormat(ts[:0], timestampLayout))},
		param{"Version", apiVersion},
	)
	if cred.securityToken != "" {
		ps = append(ps, param{"SecurityToken", cred.securityToken})
	}
	// One buffer holds, in order: the canonicalized query (which becomes the URL query), room
	// for the HMAC inner pad, and the string-to-sign, so that signing allocates nothing more.
	size := 0
	for _, p := range ps {
		size += len(p.name) + len(p.value) + 2
	}
	buf := make([]byte, 0, 4*size+sha1.BlockSize+64)
	buf = appendCanonicalQuery(buf, ps)
	canonicalEnd := len(buf)
	buf = append(buf, make([]byte, sha1.BlockSize)...) // room for the inner pad
	buf = appendStringToSign(buf, "POST", buf[:canonicalEnd])
	sig := hmacSHA1(cred.accessKeySecret, buf[canonicalEnd:])
	var sig64 [28]byte // base64 of 20 bytes
	base64.StdEncoding.Encode(sig64[:], sig[:])
	buf = append(buf[:canonicalEnd], "&Signature="...)
	buf = appendEscaped(buf, sig64[:])
	return string(buf)
}

// appendCanonicalQuery sorts ps by name (byte order) and appends "name=value" pairs joined by
// "&", names and values percent-encoded.
func appendCanonicalQuery(dst []byte, ps []param) []byte {
	slices.SortFunc(ps, func(a, b param) int { return strings.Compare(a.name, b.name) })
	for i, p := range ps {
		if i > 0 {
			dst = append(dst, '&')
		}
		dst = appendEscaped(dst, p.name)
		dst = append(dst, '=')
		dst = appendEscaped(dst, p.value)
	}
	return dst
}

// appendStringToSign appends method + "&%2F&" + enc(canonical). canonical may be a prefix of
// dst: append only writes past len(dst).
func appendStringToSign(dst []byte, method string, canonical []byte) []byte {
	dst = append(dst, method...)
	dst = append(dst, "&%2F&"...)
	return appendEscaped(dst, canonical)
}

// signature returns Base64(HMAC-SHA1(secret + "&", stringToSign)).
func signature(secret string, stringToSign []byte) string {
	padded := append(make([]byte, sha1.BlockSize, sha1.BlockSize+len(stringToSign)), stringToSign...)
	sum := hmacSHA1(secret, padded)
	return base64.StdEncoding.EncodeToString(sum[:])
}

// hmacSHA1 returns HMAC-SHA1 (RFC 2104) of the message that follows the first sha1.BlockSize
// bytes of padded, under the key secret + "&". Those first bytes are overwritten with the inner
// pad, so the inner hash runs over padded in place without copying the message.
func hmacSHA1(secret string, padded []byte) [sha1.Size]byte {
	var key [sha1.BlockSize]byte
	if len(secret)+1 > sha1.BlockSize {
		key = [sha1.BlockSize]byte{}
		h := sha1.New()
		h.Write([]byte(secret))
		h.Write([]byte{'&'})
		h.Sum(key[:0])
	} else {
		copy(key[:], secret)
		key[len(secret)] = '&'
	}
	for i := range sha1.BlockSize {
		padded[i] = key[i] ^ 0x36
	}
	inner := sha1.Sum(padded)
	var outer [sha1.BlockSize + sha1.Size]byte
	for i := range sha1.BlockSize {
		outer[i] = key[i] ^ 0x5c
	}
	copy(outer[sha1.BlockSize:], inner[:])
	return sha1.Sum(outer[:])
}

// appendEscaped appends s percent-encoded per RFC 3986: the unreserved characters
// A-Z a-z 0-9 - _ . ~ stay, every other byte of the UTF-8 encoding becomes %XX in upper-case hex.
func appendEscaped[S string | []byte](dst []byte, s S) []byte {
	const hexDigits = "0123456789ABCDEF"
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isUnreserved(c) {
			continue
		}
		dst = append(dst, s[start:i]...)
		dst = append(dst, '%', hexDigits[c>>4], hexDigits[c&0x0F])
		start = i + 1
	}
	return append(dst, s[start:]...)
}

func isUnreserved(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '-' || c == '_' || c == '.' || c == '~'
}

// randomNonce returns 16 bytes from crypto/rand as 32 hex digits, the shape the official SDKs
// send. crypto/rand.Read never fails on supported platforms (Go 1.24 and later).
func randomNonce() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// newToken returns a random UUID version 4 from crypto/rand, used as the idempotency Token when
// the caller gives none.
func newToken() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0F | 0x40 // version 4
	b[8] = b[8]&0x3F | 0x80 // RFC 4122 variant
	var out [36]byte
	hex.Encode(out[0:8], b[0:4])
	out[8] = '-'
	hex.Encode(out[9:13], b[4:6])
	out[13] = '-'
	hex.Encode(out[14:18], b[6:8])
	out[18] = '-'
	hex.Encode(out[19:23], b[8:10])
	out[23] = '-'
	hex.Encode(out[24:], b[10:])
	return string(out[:])
}
