package expressconnecttest

import (
	"crypto/rand"
	"encoding/hex"
	"strings"
)

// idAlphabet is the alphabet of the random part of resource IDs (lower-case letters and digits).
const idAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789"

// regionIDPrefix returns the three characters the service's resource IDs start with in region
// (pc-bp1... in cn-hangzhou). Regions not listed use "bp1".
func regionIDPrefix(region string) string {
	switch region {
	case "cn-shanghai":
		return "uf6"
	case "cn-beijing":
		return "2ze"
	case "cn-shenzhen":
		return "wz9"
	case "cn-qingdao":
		return "m5e"
	case "cn-zhangjiakou":
		return "8vb"
	case "cn-hongkong":
		return "j6c"
	case "ap-southeast-1":
		return "t4n"
	case "us-west-1":
		return "rj9"
	case "eu-central-1":
		return "gw8"
	}
	return "bp1"
}

// newRequestID returns a random UUID version 4 in upper case, the shape of the service's
// RequestId.
func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read does not fail on supported platforms.
	b[6] = b[6]&0x0F | 0x40
	b[8] = b[8]&0x3F | 0x80
	h := strings.ToUpper(hex.EncodeToString(b[:]))
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// newConnectionID returns a new hosted connection ID in region, shaped like the service's:
// "pc-" + a three-character region prefix + 18 random lower-case letters and digits.
func newConnectionID(region string) string {
	return "pc-" + regionIDPrefix(region) + randomString(idAlphabet, 18)
}

// randomString returns n characters drawn uniformly from alphabet with crypto/rand.
func randomString(alphabet string, n int) string {
	buf := make([]byte, n)
	_, _ = rand.Read(buf)
	for i, c := range buf {
		// 256 is not a multiple of every alphabet size; the slight bias is harmless here.
		buf[i] = alphabet[int(c)%len(alphabet)]
	}
	return string(buf)
}
