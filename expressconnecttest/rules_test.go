package expressconnecttest_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/expressconnect-go/expressconnect/expressconnecttest"
)

// TestParameterRules checks each documented rule with its documented code and HTTP 400.
func TestParameterRules(t *testing.T) {
	t.Parallel()
	set := func(name, value string) func(url.Values) { return func(p url.Values) { p.Set(name, value) } }
	del := func(name string) func(url.Values) { return func(p url.Values) { p.Del(name) } }
	tag := func(key, value string) func(url.Values) {
		return func(p url.Values) { p.Set("Tag.1.Key", key); p.Set("Tag.1.Value", value) }
	}
	cases := []struct {
		name   string
		mutate func(url.Values)
		code   string // empty: accepted
	}{
		{"RegionId missing", del("RegionId"), "MissingParameter"},
		{"PhysicalConnectionId missing", del("PhysicalConnectionId"), "MissingParameter"},
		{"VpconnAliUid missing", del("VpconnAliUid"), "MissingParameter"},
		{"VlanId missing", del("VlanId"), "MissingParameter"},
		{"OrderMode missing", del("OrderMode"), "MissingParameter"},
		{"Spec missing", del("Spec"), "MissingParam.Spec"},
		{"Spec unknown", set("Spec", "3G"), "IllegalParam.Spec"},
		{"Spec lower case", set("Spec", "50m"), "IllegalParam.Spec"},
		{"Spec 10G", set("Spec", "10G"), ""},
		{"VlanId not a number", set("VlanId", "ten"), "InvalidVlanId.Malformed"},
		{"VlanId 3000", set("VlanId", "3000"), "IllegalParam.VlanId"},
		{"VlanId -1", set("VlanId", "-1"), "IllegalParam.VlanId"},
		{"VlanId 2999", set("VlanId", "2999"), ""},
		{"OrderMode unknown", set("OrderMode", "PayByTenant"), "IllegalParam.OrderMode"},
		{"VpconnAliUid letters", set("VpconnAliUid", "tenant"), "IllegalParam.VpconnAliUid"},
		{"VpconnAliUid leading zero", set("VpconnAliUid", "0123"), "IllegalParam.VpconnAliUid"},
		{"Name one character", set("Name", "a"), "InvalidName.Malformed"},
		{"Name starts with a digit", set("Name", "1abc"), "InvalidName.Malformed"},
		{"Name with a space", set("Name", "ab cd"), "InvalidName.Malformed"},
		{"Name http", set("Name", "http://x"), "InvalidName.Malformed"},
		{"Name 129 characters", set("Name", "a"+strings.Repeat("b", 128)), "InvalidName.Malformed"},
		{"Name unicode letters", set("Name", "名称_Name-测试ü"), ""},
		{"Name 128 characters", set("Name", "a"+strings.Repeat("b", 127)), ""},
		{"Description one character", set("Description", "a"), "InvalidDescription.Malformed"},
		{"Description starts with a digit", set("Description", "1 circuit"), "InvalidDescription.Malformed"},
		{"Description https", set("Description", "https://example.com"), "InvalidDescription.Malformed"},
		{"Description invalid UTF-8", set("Description", "Desc\xff\xfe"), "InvalidDescription.Malformed"},
		{"Description 257 characters", set("Description", "a"+strings.Repeat("b", 256)), "InvalidDescription.Malformed"},
		{"Description special characters", set("Description", "Desc with space * ~ / + = & % ; : , ? # [ ] @ ! $ ' ( ) 中文 😀 end"), ""},
		{"ResourceGroupId malformed", set("ResourceGroupId", "group-1"), "IllegalParam.ResourceGroupId"},
		{"ResourceGroupId upper case", set("ResourceGroupId", "rg-ABC"), "IllegalParam.ResourceGroupId"},
		{"ResourceGroupId valid", set("ResourceGroupId", "rg-aekzjty2chzuqky"), ""},
		{"DryRun not a boolean", set("DryRun", "yes"), "IllegalParam.DryRun"},
		{"DryRun false", set("DryRun", "false"), ""},
		{"Token not ASCII", set("Token", "tök"), "IllegalParam.Token"},
		{"Token 65 characters", set("Token", strings.Repeat("t", 65)), "IllegalParam.Token"},
		{"Token special ASCII", set("Token", "tok *~/+=&%-0001"), ""},
		{"Tag key empty", set("Tag.1.Key", ""), "IllegalParam.TagKey"},
		{"Tag value without key", set("Tag.1.Value", "v"), "IllegalParam.TagKey"},
		{"Tag key aliyun", set("Tag.1.Key", "aliyun-env"), "IllegalParam.TagKey"},
		{"Tag key acs:", set("Tag.1.Key", "acs:env"), "IllegalParam.TagKey"},
		{"Tag key 65 characters", set("Tag.1.Key", strings.Repeat("k", 65)), "IllegalParam.TagKey"},
		{"Tag value http", func(p url.Values) { p.Set("Tag.1.Key", "k"); p.Set("Tag.1.Value", "see http://x") }, "IllegalParam.TagValue"},
		{"Tag value 129 characters", func(p url.Values) { p.Set("Tag.1.Key", "k"); p.Set("Tag.1.Value", strings.Repeat("v", 129)) }, "IllegalParam.TagValue"},
		{"Tag index 21", set("Tag.21.Key", "k"), "SizeLimitExceeded.TagNum"},
		{"Tag keys duplicated", func(p url.Values) { p.Set("Tag.1.Key", "k"); p.Set("Tag.2.Key", "k") }, "Forbidden.TagKey.Duplicated"},
		{"Tag empty value", func(p url.Values) { p.Set("Tag.1.Key", "k"); p.Set("Tag.1.Value", "") }, ""},
		{"Tag key with a colon", set("Tag.1.Key", "env:prod"), "IllegalParam.TagKey"},
		{"Tag key starts with a digit", set("Tag.1.Key", "1abc"), "IllegalParam.TagKey"},
		{"Tag key starts with a period", set("Tag.1.Key", ".env"), "IllegalParam.TagKey"},
		{"Tag key with a space and slash", set("Tag.1.Key", "env/tier name"), "IllegalParam.TagKey"},
		{"Tag key invalid UTF-8", set("Tag.1.Key", "env\xff"), "IllegalParam.TagKey"},
		{"Tag value with space, slash and '='", tag("k", "a b/c=d"), "IllegalParam.TagValue"},
		{"Tag value starts with a digit", tag("k", "1abc"), "IllegalParam.TagValue"},
		{"Tag value starts with a hyphen", tag("k", "-abc"), "IllegalParam.TagValue"},
		{"Tag value aliyun", tag("k", "Aliyun-x"), "IllegalParam.TagValue"},
		{"Tag value acs:", tag("k", "acs:x"), "IllegalParam.TagValue"},
		{"Tag value symbols", tag("k", `值 ☃ 'single' "double" <x>`), "IllegalParam.TagValue"},
		{"Tags letters, digits, '.', '_' and '-'", func(p url.Values) {
			p.Set("Tag.1.Key", "env.tier_1-a")
			p.Set("Tag.1.Value", "prod.v2_b-3")
			p.Set("Tag.2.Key", "项目")
			p.Set("Tag.2.Value", "值_ü")
		}, ""},
		{"Tag key 64 characters", set("Tag.1.Key", "k"+strings.Repeat("1", 63)), ""},
		{"Tag value 128 characters", tag("k", "v"+strings.Repeat("1", 127)), ""},
	}
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{Circuits: []expressconnecttest.Circuit{{
		ID: "pc-bp1rulesrulesrules001", Quota: 100, CapacityMbps: 1000000,
	}}})
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := validParams(s)
			p.Set("PhysicalConnectionId", "pc-bp1rulesrulesrules001")
			p.Set("VlanId", strconv.Itoa(100+i))
			tc.mutate(p)
			r := post(t, s, p)
			if tc.code == "" {
				assert.Equal(t, http.StatusOK, r.Status, r.Raw)
				return
			}
			assert.Equal(t, http.StatusBadRequest, r.Status)
			assert.Equal(t, tc.code, r.code(), r.Raw)
		})
	}
}

// TestMissingParameterMessage checks the documented message of MissingParameter.
func TestMissingParameterMessage(t *testing.T) {
	t.Parallel()
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{})
	p := validParams(s)
	p.Del("PhysicalConnectionId")
	r := post(t, s, p)
	assert.Equal(t, "The input parameter 'PhysicalConnectionId' that is mandatory for processing this request is not supplied.", r.str("Message"))
}

// TestDuplicateParameters checks that a parameter given twice, in the query or in the query
// and the form body, is refused rather than read from its first value.
func TestDuplicateParameters(t *testing.T) {
	t.Parallel()
	s := expressconnecttest.NewTestServer(t, expressconnecttest.Config{})
	cases := []struct {
		name, param, value string
		inBody             bool // the second value in a form body rather than the query
	}{
		{"VlanId twice", "VlanId", "12", false},
		{"Tag key twice", "Tag.1.Key", "team", false},
		{"Timestamp twice", "Timestamp", "2020-01-01T00:00:00Z", false},
		{"VlanId in query and body", "VlanId", "12", true},
	}
	t.Run("cases", func(t *testing.T) {
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				t.Parallel()
				p := validParams(s)
				p.Set("Tag.1.Key", "env")
				p.Add(tc.param, tc.value)
				signWith(p, s.Account().AccessKeySecret)
				body := url.Values{}
				if tc.inBody {
					body.Set(tc.param, p[tc.param][1])
					p[tc.param] = p[tc.param][:1]
				}
				req, err := http.NewRequest(http.MethodPost, s.URL()+"/?"+encode(p), strings.NewReader(encode(body)))
				require.NoError(t, err)
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				r := do(t, req)
				assert.Equal(t, http.StatusBadRequest, r.Status)
				assert.Equal(t, "InvalidParameter", r.code(), r.Raw)
				assert.Contains(t, r.str("Message"), tc.param)
			})
		}
	})
	assert.Empty(t, admin(t, s).Connections())
}
