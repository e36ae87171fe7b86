package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/expressconnect-go/expressconnect/expressconnecttest"
)

// This file is the help that -h prints: the flags with their defaults and environment
// variables, the config file's shape, and the admin API with curl examples. main.go's
// documentation says the same; a test keeps the two in step.

// helpIntro starts the help.
const helpIntro = `Usage: expressconnect-local [flags]

Serves a local Express Connect endpoint at "/" (the partner's actions on hosted connections:
CreateVirtualPhysicalConnection, ListVirtualPhysicalConnections,
UpdateVirtualPhysicalConnection, TerminatePhysicalConnection, CancelPhysicalConnection,
DeletePhysicalConnection, and DescribePhysicalConnections for circuits), prints its URL and
credentials, and logs one line per request to standard error.

Settings come from, each replacing the one before: the defaults, the JSON config file
(-config), the environment (EXPRESSCONNECT_LOCAL_ and the flag's name in upper case with "_"
for "-", such as EXPRESSCONNECT_LOCAL_ADDR; an empty variable counts as unset, and a list
flag's variable holds its items separated by spaces), and the flags. A list replaces the
whole list of the source before it. A variable that starts with EXPRESSCONNECT_LOCAL_ but
names no setting stops the start, with the nearest variable there is.

Flags:
`

// configExample is the example config file of the help; a test checks that it is valid.
const configExample = `{
  "Addr": "127.0.0.1:8080",
  "Region": "cn-hangzhou",
  "AccountID": "1580000000000001",
  "AccessKeys": [
    {"AccessKeyId": "LTAI5tSandboxKey0001", "AccessKeySecret": "sandbox-secret-1"},
    {"AccessKeyId": "LTAI5tSandboxKey0002", "AccessKeySecret": "sandbox-secret-2"}
  ],
  "DeniedAccessKeys": [{"AccessKeyId": "LTAI5tNoPermission01", "AccessKeySecret": "sandbox-secret-3"}],
  "STS": {"AccessKeyId": "STS.NUSandboxRole0001", "AccessKeySecret": "sandbox-sts-secret",
          "SecurityToken": "CAISsandboxSecurityToken"},
  "Circuits": [
    {"ID": "pc-bp1ciz7ekd2grn1as0001", "CapacityMbps": 10000, "Quota": 16},
    {"ID": "pc-uf6sandboxcircuit0002", "RegionID": "cn-shanghai", "Enabled": false},
    {"ID": "pc-bp1sandboxqosbound003", "QoSBound": true}
  ],
  "NoDefaultCircuit": false,
  "ForbiddenTenants": ["1210000000000666"],
  "ClockOffset": "0s",
  "AutoAccept": "2s",
  "AutoEnable": "5s",
  "RequestLogSize": 1000,
  "IdleTimeout": "2m0s",
  "Retention": "24h0m0s",
  "MaxConnections": 256,
  "LogFormat": "json",
  "Quiet": false,
  "Admin": true,
  "AdminAllowedHosts": ["expressconnect"]
}`

// configHelp describes the config file.
const configHelp = `
Config file (-config): one JSON object; every field is optional, unknown fields and keys
given twice in an object (in any case) are refused. AccessKeys[0] is the account's own pair;
a circuit is Enabled unless "Status" names another documented state or "Enabled" is false
(which is Allocated), and CapacityMbps and Quota 0 mean their defaults. Durations are written
as Go writes them ("90s", "-20m"); AutoAccept and AutoEnable are "off" (the default) or a
duration ("0s": at once). Example:

`

// adminHelpIntro introduces the admin API.
const adminHelpIntro = `

Admin API (off with -admin=false): plain JSON over HTTP on the same port, under /_sandbox/,
which the service's API never uses; no Alibaba Cloud signature. It refuses a Host header
that is neither localhost, a loopback address (127.0.0.0/8, [::1]) nor one of
-admin-allowed-hosts, any port (403: DNS rebinding), and an Origin whose host is not allowed
either (403); a request without "Authorization: Bearer" and the admin token when the command
listens beyond loopback, such as on 0.0.0.0 as the container image does, and a wrong token
anywhere (401; the token is -admin-token's or random, and the banner prints it); and a body
whose Content-Type is not application/json (415). JSON field names are the service's where it
has the field (PhysicalConnectionId, VlanId, RequestId, ...). Errors are {"Code": "...",
"Message": "..."} with HTTP 400 (InvalidParameter), 401 (Unauthorized), 403 (Forbidden), 404
(NotFound: no such route; UnknownConnection; AdminOff: the admin API is off), 405
(MethodNotAllowed; Allow lists the right methods), 409 (TransitionNotAllowed: the state model
does not allow the change) or 415 (UnsupportedMediaType). Routes:

`

// adminExamples are the curl examples of the help.
const adminExamples = `
Examples, on loopback (beyond it, add -H "Authorization: Bearer $EXPRESSCONNECT_LOCAL_ADMIN_TOKEN"):

  curl -s localhost:8080/_sandbox/connections
  curl -s -X POST localhost:8080/_sandbox/connections/pc-bp1xxxxxxxxxxxxxxxxxx/accept
  curl -s -X POST localhost:8080/_sandbox/connections/pc-bp1xxxxxxxxxxxxxxxxxx/enable
  curl -s -X POST localhost:8080/_sandbox/connections/pc-bp1xxxxxxxxxxxxxxxxxx/lock -H 'Content-Type: application/json' -d '{"BusinessStatus":"SecurityLocked"}'
  curl -s -X POST localhost:8080/_sandbox/faults -H 'Content-Type: application/json' -d '{"Kind":"error","Count":2,"StatusCode":503}'
  curl -s -X POST localhost:8080/_sandbox/faults -H 'Content-Type: application/json' -d '{"Kind":"reset","AfterHandling":true}'
  curl -s -X DELETE localhost:8080/_sandbox/faults
  curl -s -X PUT localhost:8080/_sandbox/circuits/pc-bp1sandboxcircuit0009 -H 'Content-Type: application/json' -d '{"CapacityMbps":1000,"Quota":2}'
  curl -s -X PUT localhost:8080/_sandbox/clock -H 'Content-Type: application/json' -d '{"Offset":"-20m"}'
  curl -s localhost:8080/_sandbox/requests
  curl -s -X POST localhost:8080/_sandbox/reset
`

// adminRoute is a route of the server's admin API as the help lists it.
type adminRoute struct{ method, path, doc string }

// adminRoutes are the routes of the server's admin API, in the order and with the words of
// its index (GET /_sandbox/), which a test checks.
var adminRoutes = []adminRoute{
	{"GET", "/_sandbox/", "list the routes and the API actions the server serves"},
	{"GET", "/_sandbox/connections", "list the hosted connections, oldest first, deleted ones included"},
	{"GET", "/_sandbox/connections/{id}", "show one hosted connection"},
	{"POST", "/_sandbox/connections/{id}/accept", "accept as the tenant (UnConfirmed and Allocated become Confirmed)"},
	{"POST", "/_sandbox/connections/{id}/reject", "refuse as the tenant (Status becomes Rejected)"},
	{"POST", "/_sandbox/connections/{id}/enable", "enable as billing (Confirmed becomes Enabled; or an unpaid ExpectSpec becomes the Spec)"},
	{"POST", "/_sandbox/connections/{id}/lock", `lock as billing: {"BusinessStatus":"FinancialLocked"} (the default) or {"BusinessStatus":"SecurityLocked"}`},
	{"POST", "/_sandbox/connections/{id}/unlock", "unlock as billing (BusinessStatus becomes Normal)"},
	{"GET", "/_sandbox/circuits", "list the circuits, in the order of their IDs, with their defaults applied"},
	{"PUT", "/_sandbox/circuits/{id}", `add a circuit or change it: {"RegionId":"","Status":"Enabled","CapacityMbps":10000,"Quota":16,"QoSBound":false,"Owner":""} ("Enabled":false is Status Allocated)`},
	{"GET", "/_sandbox/requests", "list a page of the last requests received (credentials redacted), how many were dropped, " +
		"the Next cursor and whether there are More: ?after=Next&limit=1..100 (default 100)"},
	{"POST", "/_sandbox/faults", `make the next Count requests (of one Action, or any) fail: {"Kind":"none|error|throttle|badgateway|truncate|delay|drip|reset|close","Count":1,"Action":"",...}`},
	{"DELETE", "/_sandbox/faults", "remove the pending faults"},
	{"GET", "/_sandbox/clock", "show the server's clock"},
	{"PUT", "/_sandbox/clock", `set how far the server's clock is ahead of the system clock: {"Offset":"-20m"}`},
	{"POST", "/_sandbox/sts/expire", "make the STS credentials expired (InvalidSecurityToken.Expired)"},
	{"POST", "/_sandbox/reset", "start again from the configured state: no hosted connections, requests, faults or tokens"},
}

// printHelp prints the help to w.
func printHelp(w io.Writer, specs []flagSpec) {
	fmt.Fprint(w, helpIntro)
	for _, spec := range specs {
		fmt.Fprintf(w, "  -%s", spec.name)
		if spec.arg != "" {
			fmt.Fprintf(w, " %s", spec.arg)
		}
		fmt.Fprintf(w, "\n    \t%s", spec.usage)
		if spec.list {
			fmt.Fprint(w, " (a list)")
		}
		if spec.def != "" {
			fmt.Fprintf(w, " (default %s)", spec.def)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprint(w, configHelp)
	fmt.Fprintln(w, indent(configExample, "  "))
	fmt.Fprint(w, adminHelpIntro)
	for _, rt := range adminRoutes {
		fmt.Fprintf(w, "  %-6s %s\n    \t%s\n", rt.method, rt.path, rt.doc)
	}
	fmt.Fprint(w, adminExamples)
}

// indent puts prefix before every line of s.
func indent(s, prefix string) string {
	return prefix + strings.ReplaceAll(s, "\n", "\n"+prefix)
}

// defaultCircuitText describes the default circuit.
func defaultCircuitText() string {
	return fmt.Sprintf("%s (enabled, %d Mbit/s, quota %d)", expressconnecttest.DefaultCircuitID,
		expressconnecttest.DefaultCapacityMbps, expressconnecttest.DefaultQuota)
}
