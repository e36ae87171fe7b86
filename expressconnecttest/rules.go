package expressconnecttest

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/expressconnect-go/expressconnect"
)

// Documented limits of the operation's parameters.
const (
	maxVLAN           = 2999
	minNameLen        = 2
	maxNameLen        = 128
	minDescriptionLen = 2
	maxDescriptionLen = 256
	maxTokenLen       = 64
	maxTags           = 20
	maxTagKeyLen      = 64
	maxTagValueLen    = 128
)

// createInput is a CreateVirtualPhysicalConnection request whose parameters passed the
// documented rules.
type createInput struct {
	regionID        string
	circuitID       string
	tenantUID       string
	vlan            int
	spec            expressconnect.Spec
	orderMode       expressconnect.OrderMode
	name            string
	description     string
	token           string
	dryRun          bool
	resourceGroupID string
	tags            []expressconnect.Tag
}

// fingerprint returns a string equal for two inputs exactly when they ask for the same hosted
// connection: every parameter except Token and DryRun. Tags are taken in key order (keys are
// unique), each key and value as an entry of its own, so that no key or value can pass for
// part of another.
func (in createInput) fingerprint() string {
	v := url.Values{
		"RegionId":             {in.regionID},
		"PhysicalConnectionId": {in.circuitID},
		"VpconnAliUid":         {in.tenantUID},
		"VlanId":               {strconv.Itoa(in.vlan)},
		"Spec":                 {string(in.spec)},
		"OrderMode":            {string(in.orderMode)},
		"Name":                 {in.name},
		"Description":          {in.description},
		"ResourceGroupId":      {in.resourceGroupID},
	}
	tags := slices.Clone(in.tags)
	slices.SortFunc(tags, func(a, b expressconnect.Tag) int { return strings.Compare(a.Key, b.Key) })
	for _, t := range tags {
		v.Add("TagKey", t.Key)
		v.Add("TagValue", t.Value)
	}
	return CanonicalQuery(v)
}

// validTenantUID reports whether s is an account UID: 1 to 20 decimal digits, not starting
// with 0.
func validTenantUID(s string) bool {
	return len(s) >= 1 && len(s) <= 20 && s[0] != '0' && strings.Trim(s, "0123456789") == ""
}

// validResourceGroupID reports whether s is shaped like a resource group ID: "rg-" and 1 to 40
// lower-case letters and digits.
func validResourceGroupID(s string) bool {
	rest, ok := strings.CutPrefix(s, "rg-")
	return ok && len(rest) >= 1 && len(rest) <= 40 && strings.Trim(rest, idAlphabet) == ""
}

// parseCreate checks params against the operation's documented rules, in the order the
// service checks them: required parameters first, then the value of each.
func parseCreate(params url.Values) (createInput, *apiError) {
	var in createInput
	for _, name := range []string{"RegionId", "PhysicalConnectionId", "VpconnAliUid", "VlanId", "OrderMode"} {
		if params.Get(name) == "" {
			return in, errMissingParameter(name)
		}
	}
	if params.Get("Spec") == "" {
		return in, badRequest(expressconnect.CodeMissingParamSpec, "The param of Spec is missing.")
	}
	in.regionID = params.Get("RegionId")
	in.circuitID = params.Get("PhysicalConnectionId")
	in.name = params.Get("Name")
	in.description = params.Get("Description")
	in.token = params.Get("Token")
	in.resourceGroupID = params.Get("ResourceGroupId")
	checks := []func(url.Values, *createInput) *apiError{
		checkVLAN, checkSpec, checkOrderMode, checkTenant, checkName, checkDescription,
		checkToken, checkDryRun, checkResourceGroup, checkTags,
	}
	for _, check := range checks {
		if err := check(params, &in); err != nil {
			return in, err
		}
	}
	return in, nil
}

func checkVLAN(params url.Values, in *createInput) *apiError {
	n, err := strconv.Atoi(params.Get("VlanId"))
	if err != nil {
		return badRequest(expressconnect.CodeInvalidVLANIDMalformed, "The specified VlanId is not valid.")
	}
	if n < 0 || n > maxVLAN {
		return errIllegalParam(expressconnect.CodeIllegalParamVLANID, "VlanId")
	}
	in.vlan = n
	return nil
}

func checkSpec(params url.Values, in *createInput) *apiError {
	s := expressconnect.Spec(params.Get("Spec"))
	if specMbps(s) == 0 {
		return badRequest(expressconnect.CodeIllegalParamSpec, "The param of Spec is illegal.")
	}
	in.spec = s
	return nil
}

func checkOrderMode(params url.Values, in *createInput) *apiError {
	m := expressconnect.OrderMode(params.Get("OrderMode"))
	if m != expressconnect.PayByPhysicalConnectionOwner && m != expressconnect.PayByVirtualPhysicalConnectionOwner {
		return errIllegalParam(expressconnect.CodeIllegalParamOrderMode, "OrderMode")
	}
	in.orderMode = m
	return nil
}

func checkTenant(params url.Values, in *createInput) *apiError {
	uid := params.Get("VpconnAliUid")
	if !validTenantUID(uid) {
		return badRequest(expressconnect.CodeIllegalParamVpconnAliUID, "The specified AliUid of Vpconn is illegal.")
	}
	in.tenantUID = uid
	return nil
}

func checkName(_ url.Values, in *createInput) *apiError {
	if in.name != "" && !validName(in.name) {
		return badRequest(expressconnect.CodeInvalidNameMalformed, "The specified Name is not valid.")
	}
	return nil
}

func checkDescription(_ url.Values, in *createInput) *apiError {
	if in.description != "" && !validDescription(in.description) {
		return badRequest(expressconnect.CodeInvalidDescriptionMalformed, "The specified Description is not valid.")
	}
	return nil
}

func checkToken(_ url.Values, in *createInput) *apiError {
	if len(in.token) > maxTokenLen {
		return errIllegalParam(expressconnect.CodeIllegalParamToken, "Token")
	}
	for i := 0; i < len(in.token); i++ {
		if c := in.token[i]; c < 0x20 || c > 0x7E {
			return errIllegalParam(expressconnect.CodeIllegalParamToken, "Token")
		}
	}
	return nil
}

func checkDryRun(params url.Values, in *createInput) *apiError {
	switch v := params.Get("DryRun"); {
	case v == "" || strings.EqualFold(v, "false"):
		in.dryRun = false
	case strings.EqualFold(v, "true"):
		in.dryRun = true
	default:
		return errIllegalParam(expressconnect.CodeIllegalParamDryRun, "DryRun")
	}
	return nil
}

func checkResourceGroup(_ url.Values, in *createInput) *apiError {
	if in.resourceGroupID != "" && !validResourceGroupID(in.resourceGroupID) {
		return badRequest(expressconnect.CodeIllegalParamResourceGroupID, "Invalid ResourceGroupId value.")
	}
	return nil
}

// checkTags reads Tag.N.Key and Tag.N.Value (N from 1 to 20) in the order of N.
func checkTags(params url.Values, in *createInput) *apiError {
	indexes, err := tagIndexes(params)
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, n := range indexes {
		prefix := "Tag." + strconv.Itoa(n) + "."
		key, hasKey := params[prefix+"Key"]
		value := params.Get(prefix + "Value")
		if !hasKey || !validTagText(key[0], 1, maxTagKeyLen) {
			return badRequest(expressconnect.CodeIllegalParamTagKey, "The param of Tag.Key is illegal.")
		}
		if !validTagText(value, 0, maxTagValueLen) {
			return badRequest(expressconnect.CodeIllegalParamTagValue, "The param of Tag.Value is illegal.")
		}
		if seen[key[0]] {
			return badRequest(expressconnect.CodeForbiddenTagKeyDuplicated, "The specified tag key already exists.")
		}
		seen[key[0]] = true
		in.tags = append(in.tags, expressconnect.Tag{Key: key[0], Value: value})
	}
	return nil
}

// tagIndexes returns the sorted distinct N of the Tag.N.Key and Tag.N.Value parameters.
func tagIndexes(params url.Values) ([]int, *apiError) {
	var indexes []int
	for name := range params {
		rest, ok := strings.CutPrefix(name, "Tag.")
		if !ok {
			continue
		}
		num, field, ok := strings.Cut(rest, ".")
		if !ok || (field != "Key" && field != "Value") {
			continue
		}
		n, err := strconv.Atoi(num)
		if err != nil || n < 1 {
			return nil, badRequest(expressconnect.CodeIllegalParamTagKey, "The param of Tag.Key is illegal.")
		}
		if n > maxTags {
			return nil, badRequest(expressconnect.CodeSizeLimitExceededTagNum, "The maximum number of tags is exceeded.")
		}
		if !slices.Contains(indexes, n) {
			indexes = append(indexes, n)
		}
	}
	slices.Sort(indexes)
	return indexes, nil
}

// validName reports whether s is 2 to 128 characters of letters (any script), digits, "_" and
// "-", starting with a letter (so never with "http://" or "https://").
func validName(s string) bool {
	n := utf8.RuneCountInString(s)
	if n < minNameLen || n > maxNameLen || !startsWithLetter(s) {
		return false
	}
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '_' && r != '-' {
			return false
		}
	}
	return true
}

// validDescription reports whether s is valid UTF-8 of 2 to 256 characters starting with a
// letter and not with "http://" or "https://".
func validDescription(s string) bool {
	n := utf8.RuneCountInString(s)
	return utf8.ValidString(s) && n >= minDescriptionLen && n <= maxDescriptionLen && startsWithLetter(s) && !hasURLPrefix(s)
}

// validTagText reports whether a tag key or value follows the documented rule: min to max
// characters of letters (any script), digits, ".", "_" and "-", starting with a letter (an
// empty value, allowed with min 0, has no first letter), not starting with "aliyun". The
// documented bans on "acs:", "http://" and "https://" follow from the allowed characters.
func validTagText(s string, minLen, maxLen int) bool {
	n := utf8.RuneCountInString(s)
	if !utf8.ValidString(s) || n < minLen || n > maxLen {
		return false
	}
	if s == "" {
		return true
	}
	if !startsWithLetter(s) {
		return false
	}
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '.' && r != '_' && r != '-' {
			return false
		}
	}
	return !strings.HasPrefix(strings.ToLower(s), "aliyun")
}

func startsWithLetter(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsLetter(r)
}

func hasURLPrefix(s string) bool {
	lower := strings.ToLower(s)
	return strings.HasPrefix(lower, "http://") || strings.HasPrefix(lower, "https://")
}
