package expressconnecttest

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/expressconnect-go/expressconnect"
	"github.com/expressconnect-go/expressconnect/internal/localsign"
)

// actionCreate is the action of CreateVirtualPhysicalConnection.
const actionCreate = "CreateVirtualPhysicalConnection"

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
	return localsign.CanonicalQuery(v)
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

// createRequest is everything store.create needs besides the checked parameters.
type createRequest struct {
	in        createInput
	accountID string
	requestID string
	now       time.Time
}

// create applies idempotency, the state checks and the dry run to req, in that order, and
// creates the hosted connection when they pass. It returns the ID of the hosted connection
// (new, or the one the Token created before).
func (st *store) create(req createRequest) (string, *apiError) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.advance(req.now)
	in := req.in
	key, fingerprint := tokenKey{accountID: req.accountID, action: actionCreate, token: in.token}, in.fingerprint()
	if id, done, err := st.replay(key, fingerprint, in.dryRun); done {
		return id, err
	}
	if err := st.checkCreate(in, req.accountID); err != nil {
		return "", err
	}
	if in.dryRun {
		return "", errDryRun()
	}
	id := st.allocate(req)
	st.remember(key, fingerprint, id, req.now)
	return id, nil
}

// checkCreate runs the state checks in the order the package documentation gives (unknown
// circuit, not enabled, VLAN in use, VLAN 0, quota, capacity, forbidden tenant, QoS-bound)
// and reports the first that fails.
func (st *store) checkCreate(in createInput, accountID string) *apiError {
	cs, ok := st.ownCircuit(in.circuitID, accountID, in.regionID)
	if !ok {
		return errCircuitNotFound()
	}
	if cs.Status != expressconnect.StatusEnabled {
		return errCircuitNotEnabled()
	}
	u := st.usage(cs.ID, nil)
	if err := u.vlanErr(in.vlan); err != nil {
		return err
	}
	if len(u.vlans) >= cs.Quota {
		return errQuotaExceeded()
	}
	if err := u.capacityErr(cs.Circuit, in.spec.Mbps()); err != nil {
		return err
	}
	switch {
	case st.forbiddenTenants[in.tenantUID]:
		return errForbiddenTenant()
	case cs.QoSBound:
		return errQoSBound()
	}
	return nil
}

// allocate records a new hosted connection on the circuit req asks for and returns its ID. It
// starts UnConfirmed, Allocated and Normal, with ExpectSpec equal to Spec.
func (st *store) allocate(req createRequest) string {
	in := req.in
	token := in.token
	if token == "" {
		token = req.requestID
	}
	conn := Connection{
		VirtualPhysicalConnectionID:     newConnectionID(in.regionID),
		RegionID:                        in.regionID,
		PhysicalConnectionID:            in.circuitID,
		VpconnAliUID:                    in.tenantUID,
		VLANID:                          expressconnect.VLAN(in.vlan),
		Spec:                            in.spec,
		ExpectSpec:                      in.spec,
		OrderMode:                       in.orderMode,
		Name:                            in.name,
		Description:                     in.description,
		ResourceGroupID:                 in.resourceGroupID,
		Tags:                            slices.Clone(in.tags),
		Token:                           token,
		VirtualPhysicalConnectionStatus: expressconnect.VpconnStatusUnConfirmed,
		Status:                          expressconnect.StatusAllocated,
		BusinessStatus:                  expressconnect.BusinessStatusNormal,
		RequestID:                       req.requestID,
		CreatedAt:                       req.now,
	}
	st.byID[conn.VirtualPhysicalConnectionID] = len(st.conns)
	st.conns = append(st.conns, conn)
	return conn.VirtualPhysicalConnectionID
}
