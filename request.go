package expressconnect

import (
	"crypto/rand"
	"encoding/hex"
	"strconv"
)

// Request is implemented by the request type of every operation, such as
// *[CreateVirtualPhysicalConnectionRequest], and by no other type. The shared call path fills
// in the region, the idempotency token and the common parameters; it never changes the
// caller's request.
type Request interface {
	// action returns the API action the request is for. It reads no field, so that it can be
	// called on a nil request.
	action() string
	// encode checks every field with e's rules and writes the wire parameters of the valid
	// ones, in any order.
	encode(e *encoder)
}

// encoder turns one request into its wire parameters while checking it: each of its methods
// (here and in validate.go) records the violations of one field and writes the field's
// parameter. The request is sent only when no rule is broken.
type encoder struct {
	// strict is false under WithLenientValidation.
	strict bool
	// defaultRegion is the client's region, the RegionId of a request that names none.
	defaultRegion string
	params        []param
	violations    []Violation
	// token is the request's idempotency token field; token.param is "" when the action takes
	// none. Its parameter is written by the call path once the token is known.
	token tokenField
	// dryRun reports a request that asks for a dry run.
	dryRun bool
	// regionID is the region the request is sent for.
	regionID string
}

// tokenField is the idempotency token of a request: its Go field, wire name and value.
type tokenField struct {
	field, param, value string
}

// paramsCapacity is the room an encoder starts with: enough for the parameters of every
// operation but those with many tags or filter values.
const paramsCapacity = 16

// encodeRequest encodes r with the given strictness and default region.
func encodeRequest(r Request, strict bool, region string) encoder {
	e := encoder{strict: strict, defaultRegion: region, params: make([]param, 0, paramsCapacity)}
	r.encode(&e)
	return e
}

// Validate reports every rule req breaks, as a client without [WithLenientValidation] checks it
// before sending, without sending anything: a *[ValidationError], or nil. An empty RegionID is
// reported, although a client with a region fills it in before checking. Use it to check an
// order before it is queued.
func Validate(req Request) error {
	if req == nil {
		return nilRequest("request")
	}
	if isNilPointer(req) {
		return nilRequest(req.action())
	}
	return encodeRequest(req, true, "").result(req.action())
}

// add records each rule broken by the field (Go path) with the wire name param.
func (e *encoder) add(field, param string, broken ...string) {
	for _, rule := range broken {
		e.violations = append(e.violations, Violation{Field: field, Param: param, Rule: rule})
	}
}

// put writes the parameter name=value.
func (e *encoder) put(name, value string) { e.params = append(e.params, param{name, value}) }

// result returns a *ValidationError for the action listing the violations, or nil.
func (e encoder) result(action string) error {
	if len(e.violations) == 0 {
		return nil
	}
	return &ValidationError{Operation: action, Violations: e.violations}
}

// Wire names of parameters that several operations share.
const (
	paramRegionID             = "RegionId"
	paramPhysicalConnectionID = "PhysicalConnectionId"
	paramInstanceID           = "InstanceId"
	paramVLANID               = "VlanId"
	paramToken                = "Token"
	paramClientToken          = "ClientToken"
	paramDryRun               = "DryRun"
	paramResourceGroupID      = "ResourceGroupId"
)

// region writes RegionId: the request's, else the client's; one of them is required.
func (e *encoder) region(id string) {
	if id == "" {
		id = e.defaultRegion
	}
	if id == "" {
		e.add("RegionID", paramRegionID, "required: set it on the request or give the client a region")
		return
	}
	e.regionID = id
	e.put(paramRegionID, id)
}

// idempotencyToken records the request's token field (Go name field, wire name param), checked
// when set; the call path fills in an empty one and writes the parameter.
func (e *encoder) idempotencyToken(field, param, value string) {
	e.checkToken(field, param, value)
	e.token = tokenField{field: field, param: param, value: value}
}

// dryRunFlag writes DryRun=true when on; the service's default is false.
func (e *encoder) dryRunFlag(on bool) {
	e.dryRun = on
	if on {
		e.put(paramDryRun, "true")
	}
}

// listParam returns the wire name of the i-th value of a list parameter (i counts from 0; the
// wire from 1), such as "VlanIds.1".
func listParam(param string, i int) string { return param + "." + strconv.Itoa(i+1) }

// NewToken returns a new idempotency token: a random UUID version 4 from crypto/rand, the kind
// the client generates for a request that has none. Choose the token with NewToken, store it
// with the order it belongs to, and then call: after a crash, calling again with the stored
// token cannot do the work twice.
func NewToken() string {
	var b [16]byte
	_, _ = rand.Read(b[:])  // crypto/rand.Read never fails on supported platforms (Go 1.24 and later).
	b[6] = b[6]&0x0F | 0x40 // version 4
	b[8] = b[8]&0x3F | 0x80 // RFC 4122 variant
	var out [36]byte
	hex.Encode(out[0:8], b[0:4])
	out[8] = '-'
	hex.Encode(out[9:13], b[4:6])
	out[13] = '-'
	hex.Encode(out[14:18], b[6:8])
	out[18] = '-'
	hex.Encode(out[19:23], b[8:10])
	out[23] = '-'
	hex.Encode(out[24:], b[10:])
	return string(out[:])
}
