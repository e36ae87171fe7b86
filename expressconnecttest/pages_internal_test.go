package expressconnecttest

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestPageTokensForgetTheOldest checks that the page tokens keep only the last ones issued.
func TestPageTokensForgetTheOldest(t *testing.T) {
	t.Parallel()
	pt := newPageTokens(2)
	first := pt.issue(page{fingerprint: "f", position: 1})
	second := pt.issue(page{fingerprint: "f", position: 2})
	assert.NotEqual(t, first, second)
	assert.Len(t, first, pageTokenLen)
	p, ok := pt.lookup(first)
	assert.True(t, ok)
	assert.Equal(t, page{fingerprint: "f", position: 1}, p)

	third := pt.issue(page{fingerprint: "g", position: 3})
	_, ok = pt.lookup(first)
	assert.False(t, ok, "the oldest is forgotten")
	for _, token := range []string{second, third} {
		_, ok := pt.lookup(token)
		assert.True(t, ok)
	}
	assert.Len(t, pt.byToken, 2)
}
