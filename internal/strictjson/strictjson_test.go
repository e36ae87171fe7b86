package strictjson_test

import (
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/expressconnect-go/expressconnect/internal/strictjson"
)

// TestDecode checks what Decode accepts and how it names what it refuses.
func TestDecode(t *testing.T) {
	t.Parallel()
	type inner struct{ Quota int }
	type doc struct {
		Name  string
		Items []inner
	}
	cases := []struct {
		name, data string
		want       string // a regular expression
	}{
		{"valid", `{"Name": "a", "Items": [{"Quota": 1}]}`, ""},
		{"unknown field", `{"Nmae": "a"}`, `json: unknown field "Nmae"`},
		{"key twice", `{"Name": "a", "Name": "b"}`, `key "Name" is given twice`},
		{"key twice in another case", `{"Name": "a", "name": "b"}`, `key "name" is given twice`},
		{"key twice in an array", `{"Items": [{"Quota": 1}, {"Quota": 1, "Quota": 2}]}`, regexp.QuoteMeta(`key "Items[1].Quota" is given twice`)},
		{"wrong type", `{"Items": [{"Quota": "1"}]}`, `field Items(\[0\])?\.Quota: a JSON string cannot be a int`},
		{"two values", `{"Name": "a"} {}`, "more than one JSON value"},
		{"not JSON", `Name=a`, "invalid character"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var d doc
			err := strictjson.Decode([]byte(tc.data), &d)
			if tc.want == "" {
				require.NoError(t, err)
				assert.Equal(t, doc{Name: "a", Items: []inner{{Quota: 1}}}, d)
				return
			}
			require.Error(t, err)
			assert.Regexp(t, tc.want, err.Error())
		})
	}
}
