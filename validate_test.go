package expressconnect

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// validateTags returns n valid tags with distinct keys.
func validateTags(n int) []Tag {
	tags := make([]Tag, n)
	for i := range tags {
		tags[i] = Tag{Key: "key" + strconv.Itoa(i), Value: "value" + strconv.Itoa(i)}
	}
	return tags
}

// validateThirdTag returns two valid tags followed by t, so that t's violations carry index 2.
func validateThirdTag(t Tag) []Tag { return append(validateTags(2), t) }

// validateCopy returns a deep copy of r.
func validateCopy(r *CreateVirtualPhysicalConnectionRequest) *CreateVirtualPhysicalConnectionRequest {
	c := *r
	c.Tags = append([]Tag(nil), r.Tags...)
	return &c
}

type validateCase struct {
	name string
	// region is the client's default region; empty by default.
	region  string
	lenient bool
	edit    func(r *CreateVirtualPhysicalConnectionRequest)
	// wantField and wantParam name the field every violation must be on; empty means the
	// request must pass.
	wantField, wantParam string
	// wantRule is a part of the text of at least one violation.
	wantRule string
}

func validateCases() []validateCase {
	cases := []validateCase{
		// RegionId
		{name: "region on the request", edit: func(r *CreateVirtualPhysicalConnectionRequest) {}},
		{name: "region from the client default", region: "cn-beijing", edit: func(r *CreateVirtualPhysicalConnectionRequest) { r.RegionID = "" }},
		{name: "region missing everywhere", edit: func(r *CreateVirtualPhysicalConnectionRequest) { r.RegionID = "" },
			wantField: "RegionID", wantParam: "RegionId", wantRule: "required"},

		// PhysicalConnectionId
		{name: "physical connection missing", edit: func(r *CreateVirtualPhysicalConnectionRequest) { r.PhysicalConnectionID = "" },
			wantField: "PhysicalConnectionID", wantParam: "PhysicalConnectionId", wantRule: "required"},

		// VpconnAliUid
		{name: "uid max int64", edit: func(r *CreateVirtualPhysicalConnectionRequest) { r.VpconnAliUID = "9223372036854775807" }},
		{name: "uid 1", edit: func(r *CreateVirtualPhysicalConnectionRequest) { r.VpconnAliUID = "1" }},
		{name: "uid missing", edit: func(r *CreateVirtualPhysicalConnectionRequest) { r.VpconnAliUID = "" },
			wantField: "VpconnAliUID", wantParam: "VpconnAliUid", wantRule: "required"},
		{name: "uid with a letter", edit: func(r *CreateVirtualPhysicalConnectionRequest) { r.VpconnAliUID = "12101234561234x6" },
			wantField: "VpconnAliUID", wantParam: "VpconnAliUid", wantRule: "decimal"},
		{name: "uid negative", edit: func(r *CreateVirtualPhysicalConnectionRequest) { r.VpconnAliUID = "-1210123456123456" },
			wantField: "VpconnAliUID", wantParam: "VpconnAliUid", wantRule: "decimal"},
		{name: "uid with a plus sign", edit: func(r *CreateVirtualPhysicalConnectionRequest) { r.VpconnAliUID = "+1210123456123456" },
			wantField: "VpconnAliUID", wantParam: "VpconnAliUid", wantRule: "decimal"},
		{name: "uid with a space is not trimmed", edit: func(r *CreateVirtualPhysicalConnectionRequest) { r.VpconnAliUID = " 1210123456123456" },
			wantField: "VpconnAliUID", wantParam: "VpconnAliUid", wantRule: "decimal"},
		{name: "uid with non-ASCII digits", edit: func(r *CreateVirtualPhysicalConnectionRequest) { r.VpconnAliUID = "١٢٣" },
			wantField: "VpconnAliUID", wantParam: "VpconnAliUid", wantRule: "decimal"},
		{name: "uid overflows int64", edit: func(r *CreateVirtualPhysicalConnectionRequest) { r.VpconnAliUID = "9223372036854775808" },
			wantField: "VpconnAliUID", wantParam: "VpconnAliUid", wantRule: "64-bit"},
		{name: "uid 0", edit: func(r *CreateVirtualPhysicalConnectionRequest) { r.VpconnAliUID = "0" },
			wantField: "VpconnAliUID", wantParam: "VpconnAliUid", wantRule: "not be 0"},
		{name: "uid 000", edit: func(r *CreateVirtualPhysicalConnectionRequest) { r.VpconnAliUID = "000" },
			wantField: "VpconnAliUID", wantParam: "VpconnAliUid", wantRule: "not be 0"},

		// VlanId
		{name: "vlan 0", edit: func(r *CreateVirtualPhysicalConnectionRequest) { r.VLANID = VLAN(0) }},
		{name: "vlan 1", edit: func(r *CreateVirtualPhysicalConnectionRequest) { r.VLANID = VLAN(1) }},
		{name: "vlan 2999", edit: func(r *CreateVirtualPhysicalConnectionRequest) { r.VLANID = VLAN(2999) }},
		{name: "vlan never set", edit: func(r *CreateVirtualPhysicalConnectionRequest) { r.VLANID = VLANID{} },
			wantField: "VLANID", wantParam: "VlanId", wantRule: "required"},
		{name: "vlan -1", edit: func(r *CreateVirtualPhysicalConnectionRequest) { r.VLANID = VLAN(-1) },
			wantField: "VLANID", wantParam: "VlanId", wantRule: "got -1"},
		{name: "vlan 3000", edit: func(r *CreateVirtualPhysicalConnectionRequest) { r.VLANID = VLAN(3000) },
			wantField: "VLANID", wantParam: "VlanId", wantRule: "got 3000"},

		// Spec (the 11 valid values are added below)
		{name: "spec missing", edit: func(r *CreateVirtualPhysicalConnectionRequest) { r.Spec = "" },
			wantField: "Spec", wantParam: "Spec", wantRule: "required"},
		{name: "spec lower case", edit: func(r *CreateVirtualPhysicalConnectionRequest) { r.Spec = "1g" },
			wantField: "Spec", wantParam: "Spec", wantRule: `got "1g"`},
		{name: "spec undocumented", edit: func(r *CreateVirtualPhysicalConnectionRequest) { r.Spec = "20G" },
			wantField: "Spec", wantParam: "Spec", wantRule: "must be one of 50M 100M 200M 300M 400M 500M 1G 2G 5G 8G 10G"},

		// OrderMode
		{name: "order mode partner pays", edit: func(r *CreateVirtualPhysicalConnectionRequest) { r.OrderMode = PayByPhysicalConnectionOwner }},
		{name: "order mode tenant pays", edit: func(r *CreateVirtualPhysicalConnectionRequest) { r.OrderMode = PayByVirtualPhysicalConnectionOwner }},
		{name: "order mode missing", edit: func(r *CreateVirtualPhysicalConnectionRequest) { r.OrderMode = "" },
			wantField: "OrderMode", wantParam: "OrderMode", wantRule: "required"},
		{name: "order mode wrong case", edit: func(r *CreateVirtualPhysicalConnectionRequest) { r.OrderMode = "payByPhysicalConnectionOwner" },
			wantField: "OrderMode", wantParam: "OrderMode", wantRule: `got "payByPhysicalConnectionOwner"`},

		// Name
		{name: "name unset", edit: func(r *CreateVirtualPhysicalConnectionRequest) { r.Name = "" }},
		{name: "name 2 characters", edit: func(r *CreateVirtualPhysicalConnectionRequest) { r.Name = "ab" }},
		{name: "name 128 characters", edit: func(r *CreateVirtualPhysicalConnectionRequest) { r.Name = strings.Repeat("a", 128) }},
		{name: "name 128 Chinese characters is 384 bytes", edit: func(r *CreateVirtualPhysicalConnectionRequest) { r.Name = strings.Repeat("名", 128) }},
		{name: "name 2 Chinese characters", edit: func(r *CreateVirtualPhysicalConnectionRequest) { r.Name = "名称" }},
		{name: "name every allowed kind of character", edit: func(r *CreateVirtualPhysicalConnectionRequest) { r.Name = "名称_Name-测试ü9" }},
		{name: "name 1 character", edit: func(r *CreateVirtualPhysicalConnectionRequest) { r.Name = "a" },
			wantField: "Name", wantParam: "Name", wantRule: "2 to 128 characters, got 1"},
		{name: "name 1 Chinese character is 3 bytes", edit: func(r *CreateVirtualPhysicalConnectionRequest) { r.Name = "名" },
			wantField: "Name", wantParam: "Name", wantRule: "2 to 128 characters, got 1"},
		{name: "name 129 characters", edit: func(r *CreateVirtualPhysicalConnectionRequest) { r.Name = strings.Repeat("a", 129) },
			wantField: "Name", wantParam: "Name", wantRule: "got 129"},
		{name: "name 129 Chinese characters", edit: func(r *CreateVirtualPhysicalConnectionRequest) { r.Name = strings.Repeat("名", 129) },
			wantField: "Name", wantParam: "Name", wantRule: "got 129"},
		{name: "name invalid UTF-8", edit: func(r *CreateVirtualPhysicalConnectionRequest) { r.Name = "ab\xff" },
			wantField: "Name", wantParam: "Name", wantRule: "UTF-8"},
		{name: "name with a space", edit: func(r *CreateVirtualPhysicalConnectionRequest) { r.Name = "name test" },
			wantField: "Name", wantParam: "Name", wantRule: "may contain only"},
		{name: "name with a dot", edit: func(r *CreateVirtualPhysicalConnectionRequest) { r.Name = "name.test" },
			wantField: "Name", wantParam: "Name", wantRule: "may contain only"},
		{name: "name starts with a digit", edit: func(r *CreateVirtualPhysicalConnectionRequest) { r.Name = "1name" },
			wantField: "Name", wantParam: "Name", wantRule: "start with a letter"},
		{name: "name starts with an underscore", edit: func(r *CreateVirtualPhysicalConnectionRequest) { r.Name = "_name" },
			wantField: "Name", wantParam: "Name", wantRule: "start with a letter"},
		{name: "name starts with http://", edit: func(r *CreateVirtualPhysicalConnectionRequest) { r.Name = "http://name" },
			wantField: "Name", wantParam: "Name", wantRule: `"http://" or "https://"`},
		{name: "name starts with https://", edit: func(r *CreateVirtualPhysicalConnectionRequest) { r.Name = "https://name" },
			wantField: "Name", wantParam: "Name", wantRule: `"http://" or "https://"`},

		// Description
		{name: "description unset", edit: func(r *CreateVirtualPhysicalConnectionRequest) { r.Description = "" }},
		{name: "description 2 characters", edit: func(r *CreateVirtualPhysicalConnectionRequest) { r.Description = "ab" }},
		{name: "description 256 Chinese characters", edit: func(r *CreateVirtualPhysicalConnectionRequest) { r.Description = strings.Repeat("描", 256) }},
		{name: "description any character after the first", edit: func(r *CreateVirtualPhysicalConnectionRequest) {
			r.Description = "Desc with space * ~ / + = & % ; : , ? # [ ] @ ! $ ' ( ) 中文 😀 http://x"
		}},
		{name: "description 1 character", edit: func(r *CreateVirtualPhysicalConnectionRequest) { r.Description = "d" },
			wantField: "Description", wantParam: "Description", wantRule: "2 to 256 characters, got 1"},
		{name: "description 257 characters", edit: func(r *CreateVirtualPhysicalConnectionRequest) { r.Description = strings.Repeat("描", 257) },
			wantField: "Description", wantParam: "Description", wantRule: "got 257"},
		{name: "description starts with a digit", edit: func(r *CreateVirtualPhysicalConnectionRequest) { r.Description = "1 desc" },
			wantField: "Description", wantParam: "Description", wantRule: "start with a letter"},
		{name: "description starts with https://", edit: func(r *CreateVirtualPhysicalConnectionRequest) { r.Description = "https://example.com" },
			wantField: "Description", wantParam: "Description", wantRule: `"http://" or "https://"`},
		{name: "description starts with http://", edit: func(r *CreateVirtualPhysicalConnectionRequest) { r.Description = "http://example.com" },
			wantField: "Description", wantParam: "Description", wantRule: `"http://" or "https://"`},

		// Token
		{name: "token unset", edit: func(r *CreateVirtualPhysicalConnectionRequest) { r.Token = "" }},
		{name: "token 64 characters", edit: func(r *CreateVirtualPhysicalConnectionRequest) { r.Token = strings.Repeat("t", 64) }},
		{name: "token printable ASCII", edit: func(r *CreateVirtualPhysicalConnectionRequest) { r.Token = "tok *~/+=&%-0001" }},
		{name: "token 65 characters", edit: func(r *CreateVirtualPhysicalConnectionRequest) { r.Token = strings.Repeat("t", 65) },
			wantField: "Token", wantParam: "Token", wantRule: "at most 64 characters, got 65"},
		{name: "token not ASCII", edit: func(r *CreateVirtualPhysicalConnectionRequest) { r.Token = "tökén" },
			wantField: "Token", wantParam: "Token", wantRule: "ASCII"},
		{name: "token not ASCII even when lenient", lenient: true, edit: func(r *CreateVirtualPhysicalConnectionRequest) { r.Token = "tökén" },
			wantField: "Token", wantParam: "Token", wantRule: "ASCII"},

		// Tags
		{name: "tags none", edit: func(r *CreateVirtualPhysicalConnectionRequest) { r.Tags = nil }},
		{name: "tags 20", edit: func(r *CreateVirtualPhysicalConnectionRequest) { r.Tags = validateTags(20) }},
		{name: "tags 21", edit: func(r *CreateVirtualPhysicalConnectionRequest) { r.Tags = validateTags(21) },
			wantField: "Tags", wantParam: "Tag.N", wantRule: "at most 20 tags, got 21"},
		{name: "tag key 64 characters", edit: func(r *CreateVirtualPhysicalConnectionRequest) {
			r.Tags = validateThirdTag(Tag{Key: strings.Repeat("k", 64)})
		}},
		{name: "tag key 64 Chinese characters", edit: func(r *CreateVirtualPhysicalConnectionRequest) {
			r.Tags = validateThirdTag(Tag{Key: strings.Repeat("项", 64)})
		}},
		{name: "tag key 1 character", edit: func(r *CreateVirtualPhysicalConnectionRequest) { r.Tags = validateThirdTag(Tag{Key: "k", Value: "v"}) }},
		{name: "tag key allowed characters", edit: func(r *CreateVirtualPhysicalConnectionRequest) {
			r.Tags = validateThirdTag(Tag{Key: "env.tier_name-1", Value: "v1.2_3-x"})
		}},
		{name: "tag value empty", edit: func(r *CreateVirtualPhysicalConnectionRequest) { r.Tags = validateThirdTag(Tag{Key: "env2"}) }},
		{name: "tag value 128 characters", edit: func(r *CreateVirtualPhysicalConnectionRequest) {
			r.Tags = validateThirdTag(Tag{Key: "env2", Value: strings.Repeat("v", 128)})
		}},
		{name: "tag keys differing in case are distinct", edit: func(r *CreateVirtualPhysicalConnectionRequest) {
			r.Tags = []Tag{{Key: "env", Value: "a"}, {Key: "Env", Value: "b"}}
		}},
		{name: "tag key empty", edit: func(r *CreateVirtualPhysicalConnectionRequest) { r.Tags = validateThirdTag(Tag{Value: "v"}) },
			wantField: "Tags[2].Key", wantParam: "Tag.3.Key", wantRule: "required"},
		{name: "tag key 65 characters", edit: func(r *CreateVirtualPhysicalConnectionRequest) {
			r.Tags = validateThirdTag(Tag{Key: strings.Repeat("k", 65)})
		},
			wantField: "Tags[2].Key", wantParam: "Tag.3.Key", wantRule: "1 to 64 characters, got 65"},
		{name: "tag value 129 characters", edit: func(r *CreateVirtualPhysicalConnectionRequest) {
			r.Tags = validateThirdTag(Tag{Key: "env2", Value: strings.Repeat("v", 129)})
		}, wantField: "Tags[2].Value", wantParam: "Tag.3.Value", wantRule: "0 to 128 characters, got 129"},
		{name: "tag key with a slash", edit: func(r *CreateVirtualPhysicalConnectionRequest) { r.Tags = validateThirdTag(Tag{Key: "env/tier"}) },
			wantField: "Tags[2].Key", wantParam: "Tag.3.Key", wantRule: "may contain only"},
		{name: "tag key with a space", edit: func(r *CreateVirtualPhysicalConnectionRequest) { r.Tags = validateThirdTag(Tag{Key: "env tier"}) },
			wantField: "Tags[2].Key", wantParam: "Tag.3.Key", wantRule: "may contain only"},
		{name: "tag value with a space", edit: func(r *CreateVirtualPhysicalConnectionRequest) {
			r.Tags = validateThirdTag(Tag{Key: "env2", Value: "a b"})
		},
			wantField: "Tags[2].Value", wantParam: "Tag.3.Value", wantRule: "may contain only"},
		{name: "tag key starts with a digit", edit: func(r *CreateVirtualPhysicalConnectionRequest) { r.Tags = validateThirdTag(Tag{Key: "1env"}) },
			wantField: "Tags[2].Key", wantParam: "Tag.3.Key", wantRule: "start with a letter"},
		{name: "tag value starts with a digit", edit: func(r *CreateVirtualPhysicalConnectionRequest) {
			r.Tags = validateThirdTag(Tag{Key: "env2", Value: "1"})
		},
			wantField: "Tags[2].Value", wantParam: "Tag.3.Value", wantRule: "start with a letter"},
		{name: "tag key starts with aliyun", edit: func(r *CreateVirtualPhysicalConnectionRequest) { r.Tags = validateThirdTag(Tag{Key: "aliyunEnv"}) },
			wantField: "Tags[2].Key", wantParam: "Tag.3.Key", wantRule: `"aliyun" or "acs:"`},
		{name: "tag key starts with acs:", edit: func(r *CreateVirtualPhysicalConnectionRequest) { r.Tags = validateThirdTag(Tag{Key: "acs:env"}) },
			wantField: "Tags[2].Key", wantParam: "Tag.3.Key", wantRule: `"aliyun" or "acs:"`},
		{name: "tag value starts with aliyun", edit: func(r *CreateVirtualPhysicalConnectionRequest) {
			r.Tags = validateThirdTag(Tag{Key: "env2", Value: "aliyun"})
		},
			wantField: "Tags[2].Value", wantParam: "Tag.3.Value", wantRule: `"aliyun" or "acs:"`},
		{name: "tag value starts with acs:", edit: func(r *CreateVirtualPhysicalConnectionRequest) {
			r.Tags = validateThirdTag(Tag{Key: "env2", Value: "acs:x"})
		},
			wantField: "Tags[2].Value", wantParam: "Tag.3.Value", wantRule: `"aliyun" or "acs:"`},
		{name: "tag key contains http://", edit: func(r *CreateVirtualPhysicalConnectionRequest) { r.Tags = validateThirdTag(Tag{Key: "envhttp://x"}) },
			wantField: "Tags[2].Key", wantParam: "Tag.3.Key", wantRule: `contain "http://" or "https://"`},
		{name: "tag value contains https://", edit: func(r *CreateVirtualPhysicalConnectionRequest) {
			r.Tags = validateThirdTag(Tag{Key: "env2", Value: "see https://x"})
		}, wantField: "Tags[2].Value", wantParam: "Tag.3.Value", wantRule: `contain "http://" or "https://"`},
		{name: "tag keys repeated", edit: func(r *CreateVirtualPhysicalConnectionRequest) { r.Tags = validateThirdTag(Tag{Key: "key1"}) },
			wantField: "Tags[2].Key", wantParam: "Tag.3.Key", wantRule: "must be unique"},

		// WithLenientValidation skips the character rules only.
		{name: "lenient name with a space", lenient: true, edit: func(r *CreateVirtualPhysicalConnectionRequest) { r.Name = "name test" }},
		{name: "lenient name starts with a digit", lenient: true, edit: func(r *CreateVirtualPhysicalConnectionRequest) { r.Name = "1name" }},
		{name: "lenient name starts with http://", lenient: true, edit: func(r *CreateVirtualPhysicalConnectionRequest) { r.Name = "http://name" }},
		{name: "lenient description starts with https://", lenient: true, edit: func(r *CreateVirtualPhysicalConnectionRequest) { r.Description = "https://x" }},
		{name: "lenient tag key with special characters", lenient: true, edit: func(r *CreateVirtualPhysicalConnectionRequest) {
			r.Tags = validateThirdTag(Tag{Key: "env/tier name", Value: "a b*c~d/e+f=g&h%i"})
		}},
		{name: "lenient tag key starts with aliyun", lenient: true, edit: func(r *CreateVirtualPhysicalConnectionRequest) {
			r.Tags = validateThirdTag(Tag{Key: "aliyun:x", Value: "https://x"})
		}},
		{name: "lenient name still 2 characters", lenient: true, edit: func(r *CreateVirtualPhysicalConnectionRequest) { r.Name = "a" },
			wantField: "Name", wantParam: "Name", wantRule: "got 1"},
		{name: "lenient description still 256 characters", lenient: true, edit: func(r *CreateVirtualPhysicalConnectionRequest) { r.Description = strings.Repeat("d", 257) },
			wantField: "Description", wantParam: "Description", wantRule: "got 257"},
		{name: "lenient tag key still required", lenient: true, edit: func(r *CreateVirtualPhysicalConnectionRequest) { r.Tags = validateThirdTag(Tag{Value: "v"}) },
			wantField: "Tags[2].Key", wantParam: "Tag.3.Key", wantRule: "required"},
		{name: "lenient tag key still 64 characters", lenient: true, edit: func(r *CreateVirtualPhysicalConnectionRequest) {
			r.Tags = validateThirdTag(Tag{Key: strings.Repeat("/", 65)})
		}, wantField: "Tags[2].Key", wantParam: "Tag.3.Key", wantRule: "got 65"},
		{name: "lenient tag value still 128 characters", lenient: true, edit: func(r *CreateVirtualPhysicalConnectionRequest) {
			r.Tags = validateThirdTag(Tag{Key: "k", Value: strings.Repeat(" ", 129)})
		}, wantField: "Tags[2].Value", wantParam: "Tag.3.Value", wantRule: "got 129"},
		{name: "lenient tag keys still unique", lenient: true, edit: func(r *CreateVirtualPhysicalConnectionRequest) { r.Tags = validateThirdTag(Tag{Key: "key0"}) },
			wantField: "Tags[2].Key", wantParam: "Tag.3.Key", wantRule: "must be unique"},
		{name: "lenient tags still 20", lenient: true, edit: func(r *CreateVirtualPhysicalConnectionRequest) { r.Tags = validateTags(21) },
			wantField: "Tags", wantParam: "Tag.N", wantRule: "got 21"},
		{name: "lenient vlan still checked", lenient: true, edit: func(r *CreateVirtualPhysicalConnectionRequest) { r.VLANID = VLAN(3000) },
			wantField: "VLANID", wantParam: "VlanId", wantRule: "got 3000"},
		{name: "lenient spec still checked", lenient: true, edit: func(r *CreateVirtualPhysicalConnectionRequest) { r.Spec = "3G" },
			wantField: "Spec", wantParam: "Spec", wantRule: `got "3G"`},
	}
	for _, s := range Specs() {
		cases = append(cases, validateCase{name: "spec " + string(s), edit: func(r *CreateVirtualPhysicalConnectionRequest) { r.Spec = s }})
	}
	return cases
}

func TestValidateRules(t *testing.T) {
	t.Parallel()
	for _, tc := range validateCases() {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			req := allParamsRequest()
			tc.edit(req)

			err := validateCreate(req, tc.region, tc.lenient)

			if tc.wantField == "" {
				assert.NoError(t, err)
				return
			}
			var verr *ValidationError
			require.ErrorAs(t, err, &verr)
			require.NotEmpty(t, verr.Violations)
			matched := false
			for _, v := range verr.Violations {
				assert.Equal(t, tc.wantField, v.Field, "violation %s", v)
				assert.Equal(t, tc.wantParam, v.Param, "violation %s", v)
				matched = matched || strings.Contains(v.Rule, tc.wantRule)
			}
			assert.True(t, matched, "no violation says %q: %v", tc.wantRule, verr.Violations)
		})
	}
}

func TestValidateSpecsAreTheElevenDocumented(t *testing.T) {
	t.Parallel()
	want := []Spec{"50M", "100M", "200M", "300M", "400M", "500M", "1G", "2G", "5G", "8G", "10G"}
	assert.Equal(t, want, Specs())
}

// TestValidateReportsEveryViolationTogether clears ALIBABA_CLOUD_REGION_ID so that the client
// has no default region, and so cannot run in parallel.
func TestValidateReportsEveryViolationTogether(t *testing.T) {
	t.Setenv("ALIBABA_CLOUD_REGION_ID", "")
	req := &CreateVirtualPhysicalConnectionRequest{
		VpconnAliUID: "0",
		VLANID:       VLAN(3000),
		Spec:         "3G",
		Name:         "1",
		Description:  "https://example.com",
		Token:        strings.Repeat("é", 33),
		Tags:         []Tag{{Key: "env", Value: "prod"}, {Key: "team", Value: "netops"}, {Key: "", Value: "x"}, {Key: "env", Value: "aliyun"}},
	}

	_, err := validateCountingClient(t).CreateVirtualPhysicalConnection(context.Background(), req)

	require.Error(t, err)
	assert.ErrorIs(t, err, ErrInvalidParameter)
	var verr *ValidationError
	require.ErrorAs(t, err, &verr)
	type fp struct{ field, param string }
	var got []fp
	for _, v := range verr.Violations {
		got = append(got, fp{v.Field, v.Param})
		assert.NotEmpty(t, v.Rule, "violation %s", v)
		assert.Contains(t, err.Error(), v.text())
	}
	assert.Equal(t, []fp{
		{"RegionID", "RegionId"},
		{"PhysicalConnectionID", "PhysicalConnectionId"},
		{"VpconnAliUID", "VpconnAliUid"},
		{"VLANID", "VlanId"},
		{"Spec", "Spec"},
		{"OrderMode", "OrderMode"},
		{"Name", "Name"}, // length
		{"Name", "Name"}, // first letter
		{"Description", "Description"},
		{"Token", "Token"}, // 66 bytes
		{"Token", "Token"}, // not ASCII
		{"Tags[2].Key", "Tag.3.Key"},
		{"Tags[3].Key", "Tag.4.Key"},
		{"Tags[3].Value", "Tag.4.Value"},
	}, got)
	assert.Len(t, verr.Field("Name"), 2)
	assert.Equal(t, "Tag.3.Key", verr.Field("Tags[2].Key")[0].Param)
	assert.Empty(t, verr.Field("ResourceGroupID"))
}

func TestValidateNilRequest(t *testing.T) {
	t.Parallel()
	resp, err := validateCountingClient(t).CreateVirtualPhysicalConnection(context.Background(), nil)
	assert.Nil(t, resp)
	assert.ErrorIs(t, err, ErrInvalidParameter)
}

// validateCountingClient returns a client whose server fails the test on any request, and
// checks when the test ends that it got none.
func validateCountingClient(t *testing.T, opts ...Option) *Client {
	t.Helper()
	srv := newFixtureServer(t, fixtureBody(http.StatusInternalServerError, ""))
	t.Cleanup(func() { assert.Empty(t, srv.requests(), "requests sent for an invalid request") })
	return fixtureClient(t, srv.URL, append([]Option{fixtureNoRegion, WithMaxAttempts(1)}, opts...)...)
}

// TestValidateFailureSendsNothingAndChangesNothing clears ALIBABA_CLOUD_REGION_ID so that the
// client has only the case's default region, and so runs its cases one after the other.
func TestValidateFailureSendsNothingAndChangesNothing(t *testing.T) {
	t.Setenv("ALIBABA_CLOUD_REGION_ID", "")
	for _, tc := range validateCases() {
		if tc.wantField == "" {
			continue
		}
		t.Run(tc.name, func(t *testing.T) {
			var opts []Option
			if tc.region != "" {
				opts = append(opts, WithRegion(tc.region))
			}
			if tc.lenient {
				opts = append(opts, WithLenientValidation())
			}
			c := validateCountingClient(t, opts...)
			req := allParamsRequest()
			tc.edit(req)
			before := validateCopy(req)

			resp, err := c.CreateVirtualPhysicalConnection(context.Background(), req)

			assert.Nil(t, resp)
			var verr *ValidationError
			assert.ErrorAs(t, err, &verr)
			assert.Equal(t, before, req, "the request was changed")
		})
	}
}

// TestValidateSuccessChangesNothing checks that a call that goes through leaves the request as
// given: the generated Token and the client's region are not written back, nothing is trimmed.
func TestValidateSuccessChangesNothing(t *testing.T) {
	t.Parallel()
	srv := newFixtureServer(t)
	c := fixtureClient(t, srv.URL, WithRegion("cn-beijing"), WithLenientValidation())
	req := allParamsRequest()
	req.RegionID = ""
	req.Token = ""
	req.Name = " Name with spaces "
	req.Tags = append(req.Tags, Tag{Key: "Mixed.Case", Value: " v "})
	before := validateCopy(req)

	resp, err := c.CreateVirtualPhysicalConnection(context.Background(), req)

	require.NoError(t, err)
	assert.Equal(t, fixtureOKConnectionID, resp.VirtualPhysicalConnectionID)
	assert.Len(t, srv.requests(), 1)
	assert.Equal(t, before, req, "the request was changed")
}

func TestValidateLenientClientSendsWhatStrictRefuses(t *testing.T) {
	t.Parallel()
	edit := func(r *CreateVirtualPhysicalConnectionRequest) {
		r.Name = "1 name"
		r.Tags = []Tag{{Key: "env/tier name", Value: "a b*c"}}
	}
	strictReq := allParamsRequest()
	edit(strictReq)
	_, err := validateCountingClient(t).CreateVirtualPhysicalConnection(context.Background(), strictReq)
	assert.ErrorIs(t, err, ErrInvalidParameter)

	srv := newFixtureServer(t)
	c := fixtureClient(t, srv.URL, fixtureNoRegion, WithLenientValidation())
	lenientReq := allParamsRequest()
	edit(lenientReq)
	_, err = c.CreateVirtualPhysicalConnection(context.Background(), lenientReq)
	assert.NoError(t, err)
	assert.Len(t, srv.requests(), 1)

	lenientReq.VLANID = VLANID{}
	_, err = c.CreateVirtualPhysicalConnection(context.Background(), lenientReq)
	assert.True(t, errors.Is(err, ErrInvalidParameter), "required fields are still checked: %v", err)
	assert.Len(t, srv.requests(), 1)
}

// TestValidateManyTags checks a list far over the limit: the count is reported, and duplicates
// still name the first tag with the key.
func TestValidateManyTags(t *testing.T) {
	t.Parallel()
	req := allParamsRequest()
	req.Tags = validateTags(5000)
	req.Tags[4999].Key = req.Tags[7].Key

	err := validateCreate(req, "", false)

	var vErr *ValidationError
	require.ErrorAs(t, err, &vErr)
	require.Len(t, vErr.Violations, 2)
	assert.Equal(t, "Tags", vErr.Violations[0].Field)
	assert.Equal(t, "Tags[4999].Key", vErr.Violations[1].Field)
	assert.Contains(t, vErr.Violations[1].Rule, "Tags[7].Key")
}
