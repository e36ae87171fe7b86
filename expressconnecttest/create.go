package expressconnecttest

import (
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/expressconnect-go/expressconnect"
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
	addTags(v, in.tags)
	return CanonicalQuery(v)
}

// addTags adds tags to v in key order, each key and value as an entry of its own.
func addTags(v url.Values, tags []expressconnect.Tag) {
	sorted := slices.Clone(tags)
	slices.SortFunc(sorted, func(a, b expressconnect.Tag) int { return strings.Compare(a.Key, b.Key) })
	for _, t := range sorted {
		v.Add("TagKey", t.Key)
		v.Add("TagValue", t.Value)
	}
}

// parseCreate checks params against the operation's documented rules, in the order the
// service checks them: required parameters first, then the value of each.
func parseCreate(params url.Values) (createInput, *apiError) {
	var in createInput
	if err := requireParams(params, "RegionId", "PhysicalConnectionId", "VpconnAliUid", "VlanId", "OrderMode"); err != nil {
		return in, err
	}
	if params.Get("Spec") == "" {
		return in, badRequest(expressconnect.CodeMissingParamSpec, "The param of Spec is missing.")
	}
	in.regionID = params.Get("RegionId")
	in.circuitID = params.Get("PhysicalConnectionId")
	in.tenantUID = params.Get("VpconnAliUid")
	in.orderMode = expressconnect.OrderMode(params.Get("OrderMode"))
	in.name = params.Get("Name")
	in.description = params.Get("Description")
	in.token = params.Get("Token")
	in.resourceGroupID = params.Get("ResourceGroupId")
	var err *apiError
	if in.vlan, err = readVLAN("VlanId", params.Get("VlanId")); err != nil {
		return in, err
	}
	if in.spec, err = readSpec("Spec", params.Get("Spec")); err != nil {
		return in, err
	}
	if in.orderMode != expressconnect.PayByPhysicalConnectionOwner && in.orderMode != expressconnect.PayByVirtualPhysicalConnectionOwner {
		return in, errIllegalParam(expressconnect.CodeIllegalParamOrderMode, "OrderMode")
	}
	checks := []*apiError{
		checkAccountUID(in.tenantUID), checkName(in.name), checkDescription(in.description), checkToken("Token", in.token),
	}
	if err := firstError(checks...); err != nil {
		return in, err
	}
	if in.dryRun, err = readDryRun(params.Get("DryRun")); err != nil {
		return in, err
	}
	if err := checkResourceGroupID(in.resourceGroupID); err != nil {
		return in, err
	}
	in.tags, err = readTags(params, "Tag")
	return in, err
}

// firstError returns the first of errs that is not nil.
func firstError(errs ...*apiError) *apiError {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// createBody is the body of a successful CreateVirtualPhysicalConnection.
type createBody struct {
	RequestID                 string `json:"RequestId"`
	VirtualPhysicalConnection string `json:"VirtualPhysicalConnection"`
}

// create answers CreateVirtualPhysicalConnection: the parameter rules, then the store's
// idempotency, state and dry-run checks.
func (s *Server) create(c call) result {
	in, err := parseCreate(c.params)
	if err != nil {
		return failed(err)
	}
	id, err := s.store.create(createRequest{in: in, accountID: c.accountID, requestID: c.requestID, now: c.now})
	if err != nil {
		return failed(err)
	}
	return result{body: createBody{RequestID: c.requestID, VirtualPhysicalConnection: id}, connectionID: id}
}
