package keyid

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestMask(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, id, want string }{
		{"an AccessKeyId", "LTAI5tExampleKeyID42", "LTAI****ID42"},
		{"9 characters", "123456789", "1234****6789"},
		{"8 characters", "12345678", "****"},
		{"empty", "", "****"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tc.want, Mask(tc.id))
		})
	}
}
