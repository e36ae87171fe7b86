package expressconnect

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// These tests drive the encoder's field methods directly, to pin what each writes and reports
// at the edges: empty values, the list and tag counts, and duplicate tag keys.

// encoderParams returns the parameters e wrote, as a map.
func encoderParams(e *encoder) map[string]string {
	out := make(map[string]string, len(e.params))
	for _, p := range e.params {
		out[p.name] = p.value
	}
	return out
}

// encoderRules returns the rules e recorded, each as "field param: rule".
func encoderRules(e *encoder) []string {
	var out []string
	for _, v := range e.violations {
		out = append(out, v.Field+" "+v.Param+": "+v.Rule)
	}
	return out
}

func TestEncoderSpec(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		spec     Spec
		required bool
		rules    []string
		params   map[string]string
	}{
		{"an empty optional Spec is not written", "", false, nil, map[string]string{}},
		{"an empty required Spec", "", true, []string{"Spec Spec: required"}, map[string]string{"Spec": ""}},
		{"a documented Spec", Spec50M, true, nil, map[string]string{"Spec": "50M"}},
		{"a documented optional Spec", Spec50M, false, nil, map[string]string{"Spec": "50M"}},
		{"an unknown Spec", "70M", false, []string{"Spec Spec: must be one of " + joinSpecs() + `, got "70M"`}, map[string]string{"Spec": "70M"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := encoder{strict: true}
			e.spec("Spec", "Spec", tc.spec, tc.required)
			assert.Equal(t, tc.rules, encoderRules(&e))
			assert.Equal(t, tc.params, encoderParams(&e))
		})
	}
}

func TestEncoderOptional(t *testing.T) {
	t.Parallel()
	refuse := func(string, bool) []string { return []string{"refused"} }
	tests := []struct {
		name   string
		value  string
		rule   func(string, bool) []string
		rules  []string
		params map[string]string
	}{
		{"empty is not written nor checked", "", refuse, nil, map[string]string{}},
		{"any text without a rule", "x", nil, nil, map[string]string{"P": "x"}},
		{"checked with the rule", "x", refuse, []string{"F P: refused"}, map[string]string{"P": "x"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := encoder{strict: true}
			e.optional("F", "P", tc.value, tc.rule)
			assert.Equal(t, tc.rules, encoderRules(&e))
			assert.Equal(t, tc.params, encoderParams(&e))
		})
	}
}

func TestEncoderRequired(t *testing.T) {
	t.Parallel()
	e := encoder{strict: true}
	e.required("F", "P", "")
	e.required("G", "Q", "v")
	assert.Equal(t, []string{"F P: required"}, encoderRules(&e))
	assert.Equal(t, map[string]string{"Q": "v"}, encoderParams(&e))
}

func TestEncoderListCount(t *testing.T) {
	t.Parallel()
	values := func(n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = fmt.Sprintf("pc-%d", i)
		}
		return out
	}
	t.Run("exactly the most values", func(t *testing.T) {
		t.Parallel()
		e := encoder{strict: true}
		encodeList(&e, "IDs", "Ids", values(20), notEmpty, identity)
		assert.Empty(t, e.violations)
		assert.Len(t, e.params, 20)
		assert.Equal(t, "pc-19", encoderParams(&e)["Ids.20"])
	})
	t.Run("one value too many", func(t *testing.T) {
		t.Parallel()
		e := encoder{strict: true}
		encodeList(&e, "IDs", "Ids", values(21), notEmpty, identity)
		assert.Equal(t, []string{"IDs Ids.N: must hold at most 20 values, got 21"}, encoderRules(&e))
	})
	t.Run("a broken value names its index", func(t *testing.T) {
		t.Parallel()
		e := encoder{strict: true}
		encodeList(&e, "IDs", "Ids", []string{"pc-0", ""}, notEmpty, identity)
		assert.Equal(t, []string{"IDs[1] Ids.2: must not be empty"}, encoderRules(&e))
		assert.Equal(t, map[string]string{"Ids.1": "pc-0", "Ids.2": ""}, encoderParams(&e))
	})
}

func TestEncoderTags(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		tags  []Tag
		rules []string
	}{
		{"no tags", nil, nil},
		{"one tag", []Tag{{Key: "env", Value: "prod"}}, nil},
		{"two keys that differ", []Tag{{Key: "env"}, {Key: "tier"}}, nil},
		{"a key used twice names its first use", []Tag{{Key: "env"}, {Key: "tier"}, {Key: "env"}},
			[]string{`Tags[2].Key Tag.3.Key: must be unique, "env" is also Tags[0].Key`}},
		{"a key used three times names its first use each time", []Tag{{Key: "env"}, {Key: "env"}, {Key: "env"}},
			[]string{`Tags[1].Key Tag.2.Key: must be unique, "env" is also Tags[0].Key`,
				`Tags[2].Key Tag.3.Key: must be unique, "env" is also Tags[0].Key`}},
		{"two empty keys are each required, not duplicates", []Tag{{Key: ""}, {Key: ""}},
			[]string{"Tags[0].Key Tag.1.Key: required: a tag key must not be empty",
				"Tags[1].Key Tag.2.Key: required: a tag key must not be empty"}},
		{"a bad value names the value", []Tag{{Key: "env", Value: "1prod"}},
			[]string{"Tags[0].Value Tag.1.Value: must start with a letter"}},
		{"20 tags", validateTags(20), nil},
		{"21 tags", validateTags(21), []string{"Tags Tag.N: must be at most 20 tags, got 21"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := encoder{strict: true}
			e.tags("Tags", "Tag", tc.tags)
			assert.Equal(t, tc.rules, encoderRules(&e))
			params := encoderParams(&e)
			require.Len(t, params, 2*len(tc.tags), "every tag is written")
			for i, tag := range tc.tags {
				assert.Equal(t, tag.Key, params[fmt.Sprintf("Tag.%d.Key", i+1)])
				assert.Equal(t, tag.Value, params[fmt.Sprintf("Tag.%d.Value", i+1)])
			}
		})
	}
}

func TestEncoderOrderMode(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		mode  OrderMode
		rules []string
	}{
		{"the owner of the circuit pays", PayByPhysicalConnectionOwner, nil},
		{"the tenant pays", PayByVirtualPhysicalConnectionOwner, nil},
		{"empty", "", []string{"OrderMode OrderMode: required"}},
		{"unknown", "PayByNobody", []string{fmt.Sprintf("OrderMode OrderMode: must be %s or %s, got %q",
			PayByPhysicalConnectionOwner, PayByVirtualPhysicalConnectionOwner, "PayByNobody")}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := encoder{strict: true}
			e.orderMode("OrderMode", "OrderMode", tc.mode)
			assert.Equal(t, tc.rules, encoderRules(&e))
			assert.Equal(t, map[string]string{"OrderMode": string(tc.mode)}, encoderParams(&e))
		})
	}
}

func TestEncoderRegion(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, request, client, want string
		rules                       []string
	}{
		{"the request's region", "cn-shanghai", "cn-hangzhou", "cn-shanghai", nil},
		{"the client's region", "", "cn-hangzhou", "cn-hangzhou", nil},
		{"neither", "", "", "", []string{"RegionID RegionId: required: set it on the request or give the client a region"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := encoder{strict: true, defaultRegion: tc.client}
			e.region(tc.request)
			assert.Equal(t, tc.rules, encoderRules(&e))
			assert.Equal(t, tc.want, e.regionID)
			if tc.want == "" {
				assert.Empty(t, e.params)
				return
			}
			assert.Equal(t, map[string]string{"RegionId": tc.want}, encoderParams(&e))
		})
	}
}

func TestEncoderDryRunAndResult(t *testing.T) {
	t.Parallel()
	off := encoder{}
	off.dryRunFlag(false)
	assert.False(t, off.dryRun)
	assert.Empty(t, off.params, "DryRun=false is the service's default and is not sent")
	assert.NoError(t, off.result(actionCreate))

	on := encoder{}
	on.dryRunFlag(true)
	assert.True(t, on.dryRun)
	assert.Equal(t, map[string]string{"DryRun": "true"}, encoderParams(&on))

	broken := encoder{}
	broken.add("F", "P", "one", "two")
	var vErr *ValidationError
	require.ErrorAs(t, broken.result(actionCreate), &vErr)
	assert.Equal(t, actionCreate, vErr.Operation)
	assert.Len(t, vErr.Violations, 2)
	assert.Equal(t, "VlanIds.3", listParam("VlanIds", 2))
}

// TestEncoderValidFieldsBuildNoPath checks the encoder's promise that a field's Go path, such as
// "Tags[0].Key", is built only for a violation: encoding valid tags and list values allocates
// their wire names (Tag.1.Key, Ids.1) and nothing else once the parameters have room.
// AllocsPerRun forbids t.Parallel.
func TestEncoderValidFieldsBuildNoPath(t *testing.T) {
	tags := []Tag{{Key: "env", Value: "prod"}}
	values := []string{"pc-a", "pc-b", "pc-c"}
	e := encoder{strict: true, params: make([]param, 0, 8)}
	tests := []struct {
		name   string
		encode func()
		// wireNames is how many wire names the encoding builds, one allocation each.
		wireNames int
	}{
		{"one valid tag", func() { e.tags("Tags", "Tag", tags) }, 2},
		{"valid list values", func() { encodeList(&e, "IDs", "Ids", values, notEmpty, identity) }, len(values)},
	}
	for _, tc := range tests {
		allocs := testing.AllocsPerRun(100, func() {
			e.params = e.params[:0]
			tc.encode()
		})
		assert.Empty(t, e.violations, tc.name)
		assert.Equal(t, float64(tc.wireNames), allocs, tc.name)
	}
}
