package expressconnecttest

import (
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/expressconnect-go/expressconnect"
	"github.com/expressconnect-go/expressconnect/internal/rules"
)

// This file reads the parameters several actions share. Every rule comes from package
// internal/rules in strict mode, the client's default, so that a request the client accepts is
// accepted here and one it refuses is refused here; each reader answers a broken rule with the
// code the service uses for it.

// strict is the mode of every rule the endpoint applies: the client's default.
const strict = true

// requireParams answers MissingParameter for the first of names that params lacks or has empty.
func requireParams(params url.Values, names ...string) *apiError {
	for _, name := range names {
		if params.Get(name) == "" {
			return errMissingParameter(name)
		}
	}
	return nil
}

// readVLAN reads the VLAN ID value of param: InvalidVlanId.Malformed when it is not a decimal
// integer, IllegalParam.VlanId when it breaks rules.VLAN.
func readVLAN(param, value string) (int, *apiError) {
	n, err := strconv.Atoi(value)
	if err != nil {
		return 0, errVLANMalformed()
	}
	if len(rules.VLAN(n)) > 0 {
		return 0, errIllegalParam(expressconnect.CodeIllegalParamVLANID, param)
	}
	return n, nil
}

// readSpec reads the bandwidth value of param (Spec or ExpectSpec): IllegalParam.Spec unless it
// is one of the documented values.
func readSpec(param, value string) (expressconnect.Spec, *apiError) {
	s := expressconnect.Spec(value)
	if s.Mbps() == 0 {
		return "", errIllegalParam(expressconnect.CodeIllegalParamSpec, param)
	}
	return s, nil
}

// checkAccountUID checks a tenant's account ID: IllegalParam.VpconnAliUid when it breaks
// rules.AccountUID.
func checkAccountUID(uid string) *apiError {
	if len(rules.AccountUID(uid)) > 0 {
		return badRequest(expressconnect.CodeIllegalParamVpconnAliUID, "The specified AliUid of Vpconn is illegal.")
	}
	return nil
}

// checkName checks an optional Name: InvalidName.Malformed when it breaks rules.Name.
func checkName(name string) *apiError {
	if name != "" && len(rules.Name(name, strict)) > 0 {
		return badRequest(expressconnect.CodeInvalidNameMalformed, "The specified Name is not valid.")
	}
	return nil
}

// checkDescription checks an optional Description: InvalidDescription.Malformed when it breaks
// rules.Description.
func checkDescription(description string) *apiError {
	if description != "" && len(rules.Description(description, strict)) > 0 {
		return badRequest(expressconnect.CodeInvalidDescriptionMalformed, "The specified Description is not valid.")
	}
	return nil
}

// checkToken checks the optional idempotency token of param (Token or ClientToken):
// IllegalParam.Token when it breaks rules.Token.
func checkToken(param, token string) *apiError {
	if len(rules.Token(token, strict)) > 0 {
		return errIllegalParam(expressconnect.CodeIllegalParamToken, param)
	}
	return nil
}

// readDryRun reads the optional DryRun: true or false in any case, default false;
// IllegalParam.DryRun otherwise.
func readDryRun(value string) (bool, *apiError) {
	switch {
	case value == "" || strings.EqualFold(value, "false"):
		return false, nil
	case strings.EqualFold(value, "true"):
		return true, nil
	}
	return false, errIllegalParam(expressconnect.CodeIllegalParamDryRun, "DryRun")
}

// checkResourceGroupID checks an optional resource group ID: IllegalParam.ResourceGroupId
// when it breaks rules.ResourceGroupID.
func checkResourceGroupID(id string) *apiError {
	if id != "" && len(rules.ResourceGroupID(id, strict)) > 0 {
		return badRequest(expressconnect.CodeIllegalParamResourceGroupID, "Invalid ResourceGroupId value.")
	}
	return nil
}

// readTags reads prefix.N.Key and prefix.N.Value (prefix "Tag" on Create, "Tags" on List;
// N from 1 to rules.MaxTags) in the order of N, checking each with rules.TagKey and
// rules.TagValue and the keys for duplicates.
func readTags(params url.Values, prefix string) ([]expressconnect.Tag, *apiError) {
	indexes, err := tagIndexes(params, prefix)
	if err != nil {
		return nil, err
	}
	var tags []expressconnect.Tag
	seen := map[string]bool{}
	for _, n := range indexes {
		name := prefix + "." + strconv.Itoa(n) + "."
		key, hasKey := params[name+"Key"]
		value := params.Get(name + "Value")
		if !hasKey || len(rules.TagKey(key[0], strict)) > 0 {
			return nil, errIllegalTagKey()
		}
		if len(rules.TagValue(value, strict)) > 0 {
			return nil, badRequest(expressconnect.CodeIllegalParamTagValue, "The param of Tag.Value is illegal.")
		}
		if seen[key[0]] {
			return nil, badRequest(expressconnect.CodeForbiddenTagKeyDuplicated, "The specified tag key already exists.")
		}
		seen[key[0]] = true
		tags = append(tags, expressconnect.Tag{Key: key[0], Value: value})
	}
	return tags, nil
}

// tagIndexes returns the sorted distinct N of the prefix.N.Key and prefix.N.Value parameters.
func tagIndexes(params url.Values, prefix string) ([]int, *apiError) {
	var indexes []int
	for name := range params {
		rest, ok := strings.CutPrefix(name, prefix+".")
		if !ok {
			continue
		}
		num, field, ok := strings.Cut(rest, ".")
		if !ok || (field != "Key" && field != "Value") {
			continue
		}
		n, err := strconv.Atoi(num)
		if err != nil || n < 1 {
			return nil, errIllegalTagKey()
		}
		if n > rules.MaxTags {
			return nil, badRequest(expressconnect.CodeSizeLimitExceededTagNum, "The maximum number of tags is exceeded.")
		}
		if !slices.Contains(indexes, n) {
			indexes = append(indexes, n)
		}
	}
	slices.Sort(indexes)
	return indexes, nil
}
