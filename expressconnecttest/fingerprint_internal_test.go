package expressconnecttest

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/expressconnect-go/expressconnect"
)

// TestFingerprintTags checks that the fingerprint tells apart tag lists whose key=value
// joins look alike, and ignores the order of the Tag.N indexes.
func TestFingerprintTags(t *testing.T) {
	t.Parallel()
	withTags := func(tags ...expressconnect.Tag) createInput {
		return createInput{regionID: "cn-hangzhou", circuitID: DefaultCircuitID, tags: tags}
	}
	cases := []struct {
		name string
		a, b createInput
		same bool
	}{
		{"'=' moved from key to value",
			withTags(expressconnect.Tag{Key: "a=b", Value: "c"}),
			withTags(expressconnect.Tag{Key: "a", Value: "b=c"}), false},
		{"'&' in a value looks like a second tag",
			withTags(expressconnect.Tag{Key: "a", Value: "1&Tag=b=2"}),
			withTags(expressconnect.Tag{Key: "a", Value: "1"}, expressconnect.Tag{Key: "b", Value: "2"}), false},
		{"value swapped between keys",
			withTags(expressconnect.Tag{Key: "a", Value: "1"}, expressconnect.Tag{Key: "b", Value: "2"}),
			withTags(expressconnect.Tag{Key: "a", Value: "2"}, expressconnect.Tag{Key: "b", Value: "1"}), false},
		{"same tags in another index order",
			withTags(expressconnect.Tag{Key: "a", Value: "1"}, expressconnect.Tag{Key: "b", Value: "2"}),
			withTags(expressconnect.Tag{Key: "b", Value: "2"}, expressconnect.Tag{Key: "a", Value: "1"}), true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if tc.same {
				assert.Equal(t, tc.a.fingerprint(), tc.b.fingerprint())
			} else {
				assert.NotEqual(t, tc.a.fingerprint(), tc.b.fingerprint())
			}
		})
	}
}
