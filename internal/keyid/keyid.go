// Package keyid masks an AccessKeyId the one way the client, the local endpoint and the
// command line show it: enough to tell keys apart, never the whole key.
package keyid

// Mask returns id with all but its first and last 4 characters replaced by "****", or "****"
// alone when id is 8 characters or shorter.
func Mask(id string) string {
	if len(id) <= 8 {
		return "****"
	}
	return id[:4] + "****" + id[len(id)-4:]
}
