package main

import (
	"regexp"
	"strconv"
	"strings"
)

// This file words for an operator what the expressconnect package says for a Go program: its
// remedies (expressconnect.Remedy) name options and methods such as WithEndpoint or
// GetVirtualPhysicalConnection, and its validation rules Go fields such as VLAN(n). The
// command shows the flags and commands that do the same instead. The test checks that every
// remedy the package can return has an entry here.

// remedyContext fills the placeholders of an operator remedy.
type remedyContext struct {
	// token is the idempotency token of the command, "" for actions that take none.
	token string
	// source names the credentials and their masked AccessKeyId, "" when unknown.
	source string
}

// operatorRemedies maps each remedy of the expressconnect package to its wording for an
// operator. In a wording, {again} is "run the command again with --token TOKEN" (or without
// a token), and {source} names the credentials used, such as ` of profile "prod" from
// ~/.aliyun/config.json (AccessKeyId LTAI****0001)`.
var operatorRemedies = map[string]string{
	// The code table's remedies.
	"the VBR already has a hosted connection: use another VBR":           "the VBR already has a hosted connection: use another VBR",
	"use one of the documented Spec values":                              "give --spec (or --expect-spec) one of " + specList,
	"check the circuit ID and the region":                                "check --circuit and --region (`expressconnect circuit --circuit ID` reads a circuit)",
	"the circuit cannot carry this hosted connection: check the circuit": "the circuit cannot carry this hosted connection: check it with `expressconnect circuit --circuit ID`",
	"set Spec": "give --spec",
	"use one of the documented Spec values; 2G and above need the account manager's approval": "give --spec one of " + specList + "; 2G and above need the account manager's approval",
	"use a VLAN from 0 to 2999": "give --vlan from 0 to 2999",
	"pick another VLAN: this one is taken on the circuit": "give another --vlan: this one is taken on the circuit " +
		"(`expressconnect free-vlan --circuit ID` shows the first free one, and create --on-free-vlan takes it)",
	"set the parameter the message names":                                                                  "give the flag of the parameter the message names",
	"the circuit is not Enabled: check it and try again":                                                   "the circuit is not Enabled: check it with `expressconnect circuit --circuit ID`, then {again}",
	"pick a VLAN from 1 to 2999: VLAN 0 needs a circuit with nothing else on it":                           "give --vlan from 1 to 2999: VLAN 0 needs a circuit with nothing else on it",
	"fix the Name: 2 to 128 letters, digits, '_' or '-', starting with a letter":                           "fix --name: 2 to 128 letters, digits, '_' or '-', starting with a letter",
	"pick a smaller Spec or free bandwidth on the circuit":                                                 "give a smaller --spec, or free bandwidth on the circuit",
	"check the tenant's account ID":                                                                        "check --tenant, the tenant's account ID",
	"use PayByPhysicalConnectionOwner or PayByVirtualPhysicalConnectionOwner":                              "give --order-mode PayByPhysicalConnectionOwner or PayByVirtualPhysicalConnectionOwner",
	"use the tenant's main account ID, not a RAM user's or a partner's":                                    "give --tenant the tenant's main account ID, not a RAM user's or a partner's",
	"delete unused hosted connections or ask the account manager for a higher quota":                       "delete unused hosted connections (`expressconnect delete`) or ask the account manager for a higher quota",
	"contact the account manager to be allowed to create hosted connections":                               "contact the account manager to be allowed to create hosted connections",
	"fix the Description: 2 to 256 characters, starting with a letter":                                     "fix --description: 2 to 256 characters, starting with a letter",
	"contact the account manager: a circuit bound to a QoS policy cannot carry hosted connections":         "contact the account manager: a circuit bound to a QoS policy cannot carry hosted connections",
	"check the resource group ID":                                                                          "check --resource-group",
	"check the region: it does not exist":                                                                  "check --region: it does not exist",
	"check the hosted connection's ID":                                                                     "check --id, the hosted connection's ID",
	"delete the VBR on the hosted connection first":                                                        "delete the VBR on the hosted connection first",
	"detach the VBR from the hosted connection first":                                                      "detach the VBR from the hosted connection first",
	"ask the tenant, who owns the hosted connection, to make the call":                                     "ask the tenant, who owns the hosted connection, to make the call",
	"make the call from the account that owns the circuit":                                                 "use the credentials (--profile) of the account that owns the circuit",
	"an Enabled hosted connection cannot be deleted: terminate it first, then wait until it is Terminated": "an Enabled hosted connection cannot be deleted: run `expressconnect terminate --wait terminated` first, then delete it",
	"wait until the hosted connection is in the state the call needs":                                      "wait until the hosted connection is in the state the action needs (`expressconnect get --id ID` shows it), then {again}",
	"the circuit still carries hosted connections: the ID is a circuit's, not a hosted connection's":       "--id is a circuit's ID, not a hosted connection's: check --id",
	"unbind the MACsec key first":                                                                          "unbind the MACsec key first",
	"the resource is locked by the system: contact Alibaba Cloud support":                                  "the resource is locked by the system: contact Alibaba Cloud support",
	"check the AccessKeyId":                                                                                "check the AccessKeyId{source}",
	"enable the AccessKey or use another":                                                                  "enable the AccessKey{source}, or use another (--profile)",
	"refresh the STS credentials":                                                                          "refresh the STS credentials{source}",
	"check the SecurityToken":                                                                              "check the SecurityToken{source}",
	"use the SecurityToken issued with this AccessKeyId":                                                   "use the SecurityToken issued with the AccessKeyId{source}",
	"send the SecurityToken of the STS credentials": "give the SecurityToken of the STS credentials{source} " +
		"(a profile of mode StsToken, or ALIBABA_CLOUD_SECURITY_TOKEN)",
	"check the AccessKeySecret: compare the server's and the client's string to sign":        "check the AccessKeySecret{source}: it does not match the AccessKeyId",
	"check the endpoint: something between the client and the service changed the request":   "check --endpoint and any proxy: something between the command and the service changed the request",
	"check the endpoint: something between the client and the service removed the signature": "check --endpoint and any proxy: something between the command and the service removed the signature",
	"retry: every attempt draws a new nonce":                                                 "{again}: every attempt draws a new nonce",
	"set the machine's clock right (NTP), or keep clock-skew correction on":                  "set the machine's clock right (NTP)",
	"check the machine's clock":                                              "check the machine's clock",
	"grant the RAM permission in AccessDeniedDetail.AuthAction":              "grant the credentials{source} the RAM permission that the message's AuthAction names",
	"check WithEndpoint: the endpoint does not serve this action":            "check --endpoint: it does not serve this action",
	"check WithEndpoint: the endpoint does not serve API version 2016-04-28": "check --endpoint: it does not serve API version 2016-04-28",
	"use a Token of at most 64 printable ASCII characters":                   "give a --token of at most 64 printable ASCII characters",
	"fix the tag key":               "fix the key of the --tag",
	"fix the tag value":             "fix the value of the --tag",
	"give each tag a different key": "give each --tag a different key",
	"send at most 20 tags":          "give --tag at most 20 times",
	"pass the NextToken of the previous page unchanged, or none for the first": "give --next-token as the previous page printed it, or none for the first page",
	"none: the dry run passed (an error only when no dry run was asked for)":   "none: the dry run passed",

	// The families' remedies, which the package returns for a code of the family that its code
	// table gives no remedy of its own (today only some families have such codes).
	"fix the parameter the message names; the same request fails again": "fix the flag of the parameter the message names; the same command fails again",
	"check the ID and the region: the resource does not exist, is gone, or belongs to another account": "check the ID (--id or --circuit) and --region: " +
		"the resource does not exist, is gone, or belongs to another account",
	"pick another VLAN": "give another --vlan (`expressconnect free-vlan --circuit ID` shows the first free one)",
	"free capacity on the circuit or ask the account manager for a higher quota": "free capacity on the circuit or ask the account manager for a higher quota",
	"wait until the resource is in a state that allows the call":                 "wait until the resource is in a state that allows the action (`expressconnect get --id ID` shows it), then {again}",
	"grant the permission the message names, or contact the account manager":     "grant the credentials{source} the permission the message names, or contact the account manager",
	"retry later with the same Token":                                            "{again} later",
	"check the AccessKey, or refresh the STS credentials":                        "check the AccessKey{source}, or refresh the STS credentials",
	"check the AccessKeySecret and the machine's clock":                          "check the AccessKeySecret{source} and the machine's clock",
	"repeat the original request unchanged, or use a new Token for a different request": "repeat the original command unchanged, " +
		"or give a new --token (or none) for a different request",

	// The remedies of the client's own failures.
	"fix the fields the violations name; nothing was sent": "fix the flags the message names; nothing was sent",
	"fix the client's configuration":                       "fix the flags the message names (--endpoint, --region, --max-attempts, ...); nothing was sent",
	"give the client credentials: WithAccessKey, WithCredential, or the ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET environment variables": "give credentials: " +
		"--profile NAME (a profile of the aliyun CLI's ~/.aliyun/config.json, made with `aliyun configure`), " +
		"or set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET",
	"retry later with the same Token, or give attempts more time with WithAttemptTimeout":                         "{again} later, or give attempts more time with --attempt-timeout",
	"read the hosted connection back with GetVirtualPhysicalConnection, then repeat the call with the same Token": "read the hosted connection back with `expressconnect get --id ID`, then {again}",
	"check WithEndpoint and any proxy: the answer did not come from the service":                                  "check --endpoint and any proxy: the answer did not come from the service",
	"check WithEndpoint and any proxy: the answer is not the service's JSON":                                      "check --endpoint and any proxy: the answer is not the service's JSON",
	"check the network and the endpoint, then retry with the same Token":                                          "check the network and --endpoint, then {again}",
}

// familyRemedies are the remedies of operatorRemedies that the package gives a whole family:
// the test does not require that a code reach each of them today.
var familyRemedies = []string{
	"pick another VLAN",
	"check the AccessKey, or refresh the STS credentials",
	"check the AccessKeySecret and the machine's clock",
	"check the ID and the region: the resource does not exist, is gone, or belongs to another account",
	"free capacity on the circuit or ask the account manager for a higher quota",
	"wait until the resource is in a state that allows the call",
	"grant the permission the message names, or contact the account manager",
	"fix the parameter the message names; the same request fails again",
	"retry later with the same Token",
	"repeat the original request unchanged, or use a new Token for a different request",
}

// specList is the documented Spec values, as the flags take them, from the library's list.
var specList = strings.Join(specValues(), " ")

// operatorRemedy returns the operator's wording of lib, a remedy of the expressconnect
// package, and whether the table has one; lib itself when it has none.
func operatorRemedy(lib string, rc remedyContext) (string, bool) {
	wording, ok := operatorRemedies[lib]
	if !ok {
		return lib, false
	}
	return rc.fill(wording), true
}

// fill replaces the placeholders of wording.
func (rc remedyContext) fill(wording string) string {
	again := "run the command again"
	if rc.token != "" {
		again += " with --token " + rc.token
	}
	source := ""
	if rc.source != "" {
		source = " of " + rc.source
	}
	return strings.NewReplacer("{again}", again, "{source}", source).Replace(wording)
}

// ruleWordings rewrite the validation rules of the expressconnect package that speak of Go
// fields and functions, in order.
var ruleWordings = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`^required: set it with VLAN\(n\); VLAN\(0\) is a valid value$`), "required (0 is a valid VLAN: give --vlan 0 to use it)"},
	{regexp.MustCompile(`^must be set: build it with VLAN\(n\)$`), "must be a VLAN number"},
	{regexp.MustCompile(`^required: set it on the request or give the client a region$`), "required: give --region, set ALIBABA_CLOUD_REGION_ID, or set region_id in the profile"},
	{regexp.MustCompile(`^must be unset: the method chooses the VLAN$`), "must not be given with --on-free-vlan, which chooses the VLAN"},
	{regexp.MustCompile(`^must be unset: the method derives the token from OrderKey and the VLAN$`), "must not be given with --on-free-vlan, which derives the token from --order-key and the VLAN"},
	{regexp.MustCompile(`^required: the key of the caller's order, from which the tokens are derived$`), "required: a key of your order (such as its ID), from which the tokens are derived"},
	{regexp.MustCompile(`^required: the circuit the hosted connection is on, which the client checks the ID against before sending$`), "required: the circuit the hosted connection is on, which the command checks --id against before it sends the action"},
	{regexp.MustCompile(`^required: use IsAccepted, IsEnabled, HasSpec, IsTerminated, IsGone or a Condition of your own$`), "required: accepted, enabled, spec, terminated or gone"},
	{regexp.MustCompile(`^required: name at least one hosted connection$`), "required: give at least one --id"},
	{regexp.MustCompile(`Tags\[(\d+)\]\.Key`), "the key of the ${n} --tag"},
	{regexp.MustCompile(`VirtualPhysicalConnectionIDs\[(\d+)\]`), "the ${n} --id"},
	{regexp.MustCompile(`\(PhysicalConnectionID\)`), "(--circuit)"},
	{regexp.MustCompile(`\bMinDelay\b`), "--min-delay"},
	{regexp.MustCompile(`\bMaxDelay\b`), "--max-delay"},
	{regexp.MustCompile(`\bbelow From\b`), "below --from"},
}

// operatorRule returns rule, a Violation's rule, worded for an operator.
func operatorRule(rule string) string {
	for _, w := range ruleWordings {
		rule = w.re.ReplaceAllStringFunc(rule, func(m string) string {
			sub := w.re.FindStringSubmatch(m)
			out := w.with
			if len(sub) > 1 {
				if n, err := strconv.Atoi(sub[1]); err == nil {
					out = strings.ReplaceAll(out, "${n}", ordinal(n+1))
				}
			}
			return out
		})
	}
	return rule
}

// messageWordings rewrite the Go names of options and fields in the messages of the
// expressconnect package's errors, which the command's flags set, in order.
var messageWordings = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`\(Regions lists them; WithUnlistedRegions allows a newer one, WithEndpoint any endpoint\)`),
		"(give --endpoint vpc.REGION.aliyuncs.com for a region opened after this release)"},
	{regexp.MustCompile(`\bWith(Endpoint|Region|MaxAttempts|AttemptTimeout): `), "--$1: "},
	{regexp.MustCompile(`are VirtualPhysicalConnectionID and PhysicalConnectionID swapped\?`), "are --id and --circuit swapped?"},
	{regexp.MustCompile(`are PhysicalConnectionID and VirtualPhysicalConnectionIDs swapped\?`), "are --circuit and --id swapped?"},
	{regexp.MustCompile(`check PhysicalConnectionID\b`), "check --circuit"},
	{regexp.MustCompile(`\bon PhysicalConnectionID `), "on --circuit "},
	{regexp.MustCompile(`\bPhysicalConnectionID (\S+): no such circuit`), "--circuit $1: no such circuit"},
	{regexp.MustCompile(`\bPhysicalConnectionID (\S+) is a hosted connection`), "--circuit $1 is a hosted connection"},
	{regexp.MustCompile(`\bVirtualPhysicalConnectionIDs\[\d+\] `), "--id "},
}

// operatorMessage returns msg, an error's message, with the Go names replaced by flags.
func operatorMessage(msg string) string {
	for _, w := range messageWordings {
		msg = w.re.ReplaceAllString(msg, w.with)
	}
	return msg
}
