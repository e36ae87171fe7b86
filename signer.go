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

// signedQuery signs the operation's parameters ops, which must be sorted by name (sortParams),
// together with the common parameters, with cred at the signer's clock plus skew. It returns
// the URL query to send: the canonicalized query followed by the Signature.
func (s signer) signedQuery(ops []param, cred credentialValues, skew time.Duration) string {
	var ts [len(timestampLayout)]byte
	// The common parameters, in name order, so that they merge with ops without a sort.
	common := [...]param{
		{"AccessKeyId", cred.accessKeyID},
		{"Action", apiAction},
		{"Format", "JSON"},
		{"SecurityToken", cred.securityToken},
		{"SignatureMethod", signatureMethod},
		{"SignatureNonce", s.nonce()},
		{"SignatureVersion", signatureVersion},
		{"Timestamp", string(s.now().Add(skew).UTC().AppendFormat(ts[:0], timestampLayout))},
		{"Version", apiVersion},
	}
	commons := common[:]
	if cred.securityToken == "" {
		copy(common[3:], common[4:])
		commons = common[:len(common)-1]
	}

	// The query and the string-to-sign are built in one pass, in one buffer sized for half
	// the bytes to be escaped.
	size, pairs := 0, len(ops)+len(commons)
	for _, p := range ops {
		size += len(p.name) + len(p.value)
	}
	for _, p := range commons {
		size += len(p.name) + len(p.value)
	}
	queryCap := 2*size + 2*pairs
	w := newCanonicalWriter("POST", queryCap, len("POST&%2F&")+queryCap+size+4*pairs)
	for i, j := 0, 0; i < len(ops) || j < len(commons); {
		if j == len(commons) || i < len(ops) && ops[i].name < commons[j].name {
			w.add(ops[i])
			i++
		} else {
			w.add(commons[j])
			j++
		}
	}
	sig := w.sign(cred.accessKeySecret)
	var sig64 [28]byte // base64 of 20 bytes
	base64.StdEncoding.Encode(sig64[:], sig[:])
	var sigEscaped [3 * len(sig64)]byte
	var out strings.Builder
	out.Grow(len(w.query) + len("&Signature=") + len(sigEscaped))
	out.Write(w.query)
	out.WriteString("&Signature=")
	out.Write(appendEscaped(sigEscaped[:0], sig64[:]))
	return out.String()
}

// canonicalWriter writes the canonicalized query and, escaped once more, the string-to-sign's
// tail in one pass over the parameters.
type canonicalWriter struct {
	query, sts []byte
}

// newCanonicalWriter returns a writer for a request sent with method. Its query and
// string-to-sign share one buffer of queryCap + sha1.BlockSize + stsCap bytes: the query first,
// then room for the HMAC inner pad, then the string-to-sign. A part that outgrows its capacity
// moves to a buffer of its own (the three-index slice keeps it from overwriting the next part).
func newCanonicalWriter(method string, queryCap, stsCap int) canonicalWriter {
	buf := make([]byte, 0, queryCap+sha1.BlockSize+stsCap)
	return canonicalWriter{
		query: buf[:0:queryCap],
		sts:   append(append(buf[queryCap:queryCap+sha1.BlockSize], method...), "&%2F&"...),
	}
}

// stringToSign returns the string-to-sign written so far.
func (w *canonicalWriter) stringToSign() []byte { return w.sts[sha1.BlockSize:] }

// sign returns HMAC-SHA1(secret + "&", string-to-sign).
func (w *canonicalWriter) sign(secret string) [sha1.Size]byte { return hmacSHA1(secret, w.sts) }

// add writes one parameter; parameters must come in name order.
func (w *canonicalWriter) add(p param) {
	if len(w.query) > 0 {
		w.query = append(w.query, '&')
		w.sts = append(w.sts, "%26"...)
	}
	w.escape(p.name)
	w.query = append(w.query, '=')
	w.sts = append(w.sts, "%3D"...)
	w.escape(p.value)
}

// escape writes s percent-encoded to the query, and encoded twice to the string-to-sign, where
// the "%" of each escape becomes "%25".
func (w *canonicalWriter) escape(s string) {
	const hexDigits = "0123456789ABCDEF"
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isUnreserved(c) {
			continue
		}
		w.query = append(w.query, s[start:i]...)
		w.sts = append(w.sts, s[start:i]...)
		w.query = append(w.query, '%', hexDigits[c>>4], hexDigits[c&0x0F])
		w.sts = append(w.sts, '%', '2', '5', hexDigits[c>>4], hexDigits[c&0x0F])
		start = i + 1
	}
	w.query = append(w.query, s[start:]...)
	w.sts = append(w.sts, s[start:]...)
}

// sortParams sorts ps by name, in byte order.
func sortParams(ps []param) {
	slices.SortFunc(ps, func(a, b param) int { return strings.Compare(a.name, b.name) })
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
// It counts the bytes to escape first, so that it grows dst at most once.
func appendEscaped[S string | []byte](dst []byte, s S) []byte {
	const hexDigits = "0123456789ABCDEF"
	escapes := 0
	for i := 0; i < len(s); i++ {
		if !isUnreserved(s[i]) {
			escapes++
		}
	}
	if escapes == 0 {
		return append(dst, s...)
	}
	j := len(dst)
	dst = slices.Grow(dst, len(s)+2*escapes)[:j+len(s)+2*escapes]
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isUnreserved(c) {
			dst[j] = c
			j++
			continue
		}
		dst[j], dst[j+1], dst[j+2] = '%', hexDigits[c>>4], hexDigits[c&0x0F]
		j += 3
	}
	return dst
}

// unreservedLow and unreservedHigh are bit sets of the unreserved bytes 0-63 and 64-127:
// "-", ".", "0"-"9" below 64; "A"-"Z", "_", "a"-"z", "~" from 64.
const (
	unreservedLow  = 1<<'-' | 1<<'.' | (1<<10-1)<<'0'
	unreservedHigh = (1<<26-1)<<('A'-64) | 1<<('_'-64) | (1<<26-1)<<('a'-64) | 1<<('~'-64)
)

func isUnreserved(c byte) bool {
	switch {
	case c < 64:
		return unreservedLow>>c&1 == 1
	case c < 128:
		return unreservedHigh>>(c-64)&1 == 1
	}
	return false
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
