package expressconnect_test

import (
	"context"
	"errors"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/expressconnect-go/expressconnect"
	"github.com/expressconnect-go/expressconnect/expressconnecttest"
	"github.com/stretchr/testify/require"
)

// This file fuzzes the client's validation of CreateVirtualPhysicalConnectionRequest against
// its documentation and against the local endpoint. It lives in the external test package
// because the endpoint (package expressconnecttest) imports package expressconnect.

// fuzzTagPath matches the Field of a tag's violation, such as "Tags[2].Key".
var fuzzTagPath = regexp.MustCompile(`^Tags\[(\d+)\]\.(Key|Value)$`)

// fuzzRefusedByRule reports whether code says the endpoint refused a parameter by the
// documented rules, rather than by the state of its circuits and tokens.
func fuzzRefusedByRule(code expressconnect.Code) bool {
	s := string(code)
	return strings.HasPrefix(s, "IllegalParam.") || strings.HasPrefix(s, "MissingParam") ||
		strings.HasPrefix(s, "Invalid") && strings.HasSuffix(s, ".Malformed") ||
		code == expressconnect.CodeInvalidParameter || code == expressconnect.CodeSizeLimitExceededTagNum ||
		code == expressconnect.CodeForbiddenTagKeyDuplicated
}

// fuzzTags builds n tags (at most 24, past the limit of 20) from two keys and two values: tag
// i takes the first or the second of each by its parity, and keys past the first pair get
// the pair's number as a suffix, so that they can be distinct.
func fuzzTags(n uint8, key1, value1, key2, value2 string) []expressconnect.Tag {
	var tags []expressconnect.Tag
	for i := range int(n % 25) {
		key, value := key1, value1
		if i%2 == 1 {
			key, value = key2, value2
		}
		if i >= 2 {
			key += strconv.Itoa(i / 2)
		}
		tags = append(tags, expressconnect.Tag{Key: key, Value: value})
	}
	return tags
}

// fuzzCheckViolations checks that err, a validation failure of req, is a *ValidationError
// whose every violation names a field of the request (or a tag of it, with the tag's wire
// name) and says which rule it breaks.
func fuzzCheckViolations(t *testing.T, req *expressconnect.CreateVirtualPhysicalConnectionRequest, err error) {
	t.Helper()
	var vErr *expressconnect.ValidationError
	require.ErrorAs(t, err, &vErr)
	require.NotEmpty(t, vErr.Violations)
	require.ErrorIs(t, err, expressconnect.ErrInvalidParameter)
	typ := reflect.TypeFor[expressconnect.CreateVirtualPhysicalConnectionRequest]()
	for _, v := range vErr.Violations {
		require.NotEmpty(t, v.Param, "violation %+v", v)
		require.NotEmpty(t, v.Rule, "violation %+v", v)
		if m := fuzzTagPath.FindStringSubmatch(v.Field); m != nil {
			i, _ := strconv.Atoi(m[1])
			require.Less(t, i, len(req.Tags), "violation %+v", v)
			require.Equal(t, "Tag."+strconv.Itoa(i+1)+"."+m[2], v.Param, "violation %+v", v)
			continue
		}
		_, ok := typ.FieldByName(v.Field)
		require.True(t, ok, "violation %+v names no field of the request", v)
	}
}

// FuzzValidate feeds any value to every field of a request and checks that validation never
// panics nor changes the request, that every violation names a field and a rule, and that a
// request the client accepts in strict mode is accepted by the local endpoint's rules too (the
// endpoint may still refuse it for the state of its circuits).
func FuzzValidate(f *testing.F) {
	type seed struct {
		region, circuit, uid string
		vlan                 int
		vlanSet              bool
		spec, orderMode      string
		name, description    string
		token                string
		dryRun               bool
		resourceGroup        string
		key1, value1         string
		key2, value2         string
		tags                 uint8
	}
	valid := seed{"", expressconnecttest.DefaultCircuitID, "1210123456123456", 100, true, "100M", "PayByPhysicalConnectionOwner",
		"vpconn_01", "Hosted connection for tenant 42.", "", true, "rg-acfmxazb4ph6aiy", "env", "prod", "team", "", 2}
	seeds := []seed{valid}
	for _, edit := range []func(s *seed){
		func(s *seed) { s.vlanSet = false },
		func(s *seed) { s.vlan = 3000 },
		func(s *seed) { s.vlan = 0 },
		func(s *seed) { s.uid = "0123" },
		func(s *seed) { s.uid = "9223372036854775808" },
		func(s *seed) { s.spec = "7G" },
		func(s *seed) { s.orderMode = "PayByNobody" },
		func(s *seed) { s.name = "1conn" },
		func(s *seed) { s.name = strings.Repeat("é", 129) },
		func(s *seed) { s.description = "Https://x" },
		func(s *seed) { s.description = "ab\x80cd" },
		func(s *seed) { s.token = "tok\x01en" },
		func(s *seed) { s.token = strings.Repeat("t", 65) },
		func(s *seed) { s.resourceGroup = "RG-abc" },
		func(s *seed) { s.key1 = "Aliyunx" },
		func(s *seed) { s.key2 = "ACS:x" },
		func(s *seed) { s.key2 = s.key1 },
		func(s *seed) { s.value1 = "1" },
		func(s *seed) { s.tags = 21 },
		func(s *seed) { s.key1 = "" },
		func(s *seed) { s.region, s.circuit, s.uid, s.spec, s.orderMode = "", "", "", "", "" },
	} {
		s := valid
		edit(&s)
		seeds = append(seeds, s)
	}
	for _, s := range seeds {
		f.Add(s.region, s.circuit, s.uid, s.vlan, s.vlanSet, s.spec, s.orderMode, s.name, s.description,
			s.token, s.dryRun, s.resourceGroup, s.key1, s.value1, s.key2, s.value2, s.tags)
	}
	srv := expressconnecttest.NewTestServer(f, expressconnecttest.Config{})
	client, err := srv.Client(expressconnect.WithMaxAttempts(1))
	require.NoError(f, err)

	f.Fuzz(func(t *testing.T, region, circuit, uid string, vlan int, vlanSet bool, spec, orderMode, name, description,
		token string, dryRun bool, resourceGroup, key1, value1, key2, value2 string, nTags uint8) {
		req := &expressconnect.CreateVirtualPhysicalConnectionRequest{
			RegionID: region, PhysicalConnectionID: circuit, VpconnAliUID: uid, Spec: expressconnect.Spec(spec),
			OrderMode: expressconnect.OrderMode(orderMode), Name: name, Description: description, Token: token,
			DryRun: dryRun, ResourceGroupID: resourceGroup, Tags: fuzzTags(nTags, key1, value1, key2, value2),
		}
		if vlanSet {
			req.VLANID = expressconnect.VLAN(vlan)
		}
		before := *req
		before.Tags = slices.Clone(req.Tags)

		if err := expressconnect.Validate(req); err != nil {
			fuzzCheckViolations(t, req, err)
		}
		for _, opts := range [][]expressconnect.CallOption{nil, {expressconnect.WithLenientValidation()}} {
			_, err := client.CreateVirtualPhysicalConnection(context.Background(), req, opts...)
			require.Equal(t, before, *req, "the call changed the request")
			var vErr *expressconnect.ValidationError
			if errors.As(err, &vErr) {
				fuzzCheckViolations(t, req, err)
				continue
			}
			if opts != nil {
				continue // the lenient rules let through what the documented ones refuse
			}
			var apiErr *expressconnect.APIError
			if err != nil {
				require.ErrorAs(t, err, &apiErr, "the endpoint's answer to a request the client accepted")
				require.False(t, fuzzRefusedByRule(apiErr.Code), "the client accepted what the endpoint refuses: %v\nrequest: %#v", err, req)
				require.NotErrorIs(t, err, expressconnect.ErrSignature, "request: %#v", req)
				require.NotErrorIs(t, err, expressconnect.ErrAuthentication, "request: %#v", req)
			}
		}
	})
}
