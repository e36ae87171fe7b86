// Command expressconnect-local serves a local Express Connect endpoint for the life of hosted
// connections (package expressconnecttest: CreateVirtualPhysicalConnection,
// ListVirtualPhysicalConnections, UpdateVirtualPhysicalConnection, TerminatePhysicalConnection,
// CancelPhysicalConnection, DeletePhysicalConnection and DescribePhysicalConnections)
// so that tools in any language (the official SDKs, the aliyun CLI, Terraform) can be tested
// against it, with an admin API to act as the tenant, billing and the clock, and to inject
// faults. It prints the endpoint URL and the credentials to use, logs one line per request to
// standard error, and exits cleanly on SIGINT or SIGTERM.
//
// Usage:
//
//	go run ./cmd/expressconnect-local                       # no flag needed
//	go run ./cmd/expressconnect-local -access-key LTAI5tLocal:local-secret -auto-accept 2s
//	go run ./cmd/expressconnect-local -config sandbox.json -log-format json
//
// # Settings
//
// Settings come from, each replacing the one before: the defaults, the JSON config file
// (-config), the environment (EXPRESSCONNECT_LOCAL_ and the flag's name in upper case with "_"
// for "-", such as EXPRESSCONNECT_LOCAL_ADDR; an empty variable counts as unset, and a list
// flag's variable holds its items separated by spaces), and the flags. A list replaces the
// whole list of the source before it. Every value is checked at start, and an error names the
// flag, variable or config field at fault; a variable that starts with EXPRESSCONNECT_LOCAL_
// but names no setting stops the start too, with the nearest variable there is.
//
//	-config path                 JSON config file (below)
//	-addr host:port              address to listen on (default 127.0.0.1:8080; 0.0.0.0:8080 in a container)
//	-region id                   region of the server and its circuits (default cn-hangzhou)
//	-account-id uid              account of the credentials, owner of the circuits (default 1580000000000001)
//	-access-key id:secret        accepted AccessKey pair, repeatable: the first is the account's own,
//	                             the others RAM users with the same rights (default one random pair)
//	-access-key-id id            with -access-key-secret: the account's own pair (the first -access-key)
//	-access-key-secret secret
//	-denied-access-key id:secret pair of a RAM user without permission (403 Forbidden.RAM), repeatable
//	-sts-access-key-id id        STS credentials of a role in the account, all three together
//	-sts-access-key-secret secret  (default random)
//	-sts-security-token token
//	-circuit spec                circuit ID[,region=ID][,enabled=BOOL|status=STATUS][,capacity=MBPS][,quota=N][,qos=BOOL][,owner=UID],
//	                             Enabled by default, enabled=false is Allocated, repeatable
//	-no-default-circuit          remove the default circuit pc-bp1ciz7ekd2grn1as0001 (enabled, 10000 Mbit/s, quota 16)
//	-forbidden-tenant uid        tenant UID that Create refuses (Forbidden.VpconnAliUid), repeatable
//	-clock-offset duration       how far the server's clock is ahead of the system clock (default 0s)
//	-auto-accept delay           the tenant accepts each new hosted connection after delay (default off)
//	-auto-enable delay           billing enables each accepted hosted connection after delay (default off)
//	-request-log-size n          how many of the last requests the admin API lists (default 1000)
//	-idle-timeout duration       how long a keep-alive connection may stay idle (default 2m0s)
//	-retention duration          how long deleted hosted connections and used client tokens are remembered;
//	                             0s: as long as it runs; no window is documented, a day is common (default 24h0m0s)
//	-max-connections n           how many connections it holds open at once; another client waits (default 256)
//	-log-format text|json        format of the log on standard error (default text)
//	-quiet                       do not log
//	-admin                       serve the admin API (default true; -admin=false turns it off)
//	-admin-token token           the admin API's token, sent as "Authorization: Bearer token": required when
//	                             the command listens beyond loopback, optional on loopback (default random)
//	-admin-allowed-hosts host    host name or address that the admin API answers in the Host and Origin
//	                             headers besides localhost and loopback addresses, repeatable
//
// With no AccessKey pair given, the command makes a random one and prints it, with the STS
// credentials, in its banner on standard output: they are local test credentials. The
// banner's export lines quote each value for a POSIX shell, so that they are safe to paste
// whatever the configured values hold.
//
// The config file is one JSON object whose fields are all optional; unknown fields and keys
// given twice in an object (in any case) are refused. AccessKeys[0] is the account's own pair;
// a circuit is Enabled unless "Status" names another documented state or "Enabled" is false
// (which is Allocated); CapacityMbps and Quota 0 mean their defaults; durations are written as
// Go writes them; AutoAccept and AutoEnable are "off" or a duration ("0s": at once):
//
//	{
//	  "Addr": "127.0.0.1:8080",
//	  "Region": "cn-hangzhou",
//	  "AccountID": "1580000000000001",
//	  "AccessKeys": [{"AccessKeyId": "LTAI5tSandboxKey0001", "AccessKeySecret": "sandbox-secret-1"}],
//	  "DeniedAccessKeys": [{"AccessKeyId": "LTAI5tNoPermission01", "AccessKeySecret": "sandbox-secret-3"}],
//	  "STS": {"AccessKeyId": "STS.NUSandboxRole0001", "AccessKeySecret": "sandbox-sts-secret",
//	          "SecurityToken": "CAISsandboxSecurityToken"},
//	  "Circuits": [{"ID": "pc-uf6sandboxcircuit0002", "RegionID": "cn-shanghai", "Enabled": false,
//	                "CapacityMbps": 1000, "Quota": 4, "QoSBound": false, "Owner": ""}],
//	  "NoDefaultCircuit": false,
//	  "ForbiddenTenants": ["1210000000000666"],
//	  "ClockOffset": "0s", "AutoAccept": "2s", "AutoEnable": "5s",
//	  "RequestLogSize": 1000, "IdleTimeout": "2m0s", "Retention": "24h0m0s", "MaxConnections": 256,
//	  "LogFormat": "json", "Quiet": false, "Admin": true
//	}
//
// # Admin API
//
// Unless -admin=false, the server serves an admin API on the same port under /_sandbox/,
// a prefix the service's API (served at "/" only) never uses: plain JSON over HTTP, with no
// Alibaba Cloud signature. It is package expressconnecttest's own admin API, and its Go client,
// expressconnecttest.NewAdmin, drives the command from a Go test. So that only the sandbox's
// user drives it, it first refuses:
//
//   - a Host header that is neither localhost, a loopback address (127.0.0.0/8, [::1]) nor
//     one of -admin-allowed-hosts, with any port or none (403), so that a web page cannot
//     reach it through a DNS name it rebinds to loopback, and an Origin header whose host is
//     not allowed by the same rule (403);
//   - a request without "Authorization: Bearer" and the admin token when the command listens
//     on an address that is not loopback, such as 0.0.0.0 (the container image's), and one
//     with a wrong token wherever it listens (401). The token is -admin-token's, or random at
//     each start; the banner prints it;
//   - a request with a body whose Content-Type is not application/json, parameters allowed
//     (415): the form and text posts that a web page of another site can send without the
//     browser asking first.
//
// The JSON field names are the service's where it has the field (PhysicalConnectionId, RegionId,
// VlanId, VpconnAliUid, VirtualPhysicalConnectionStatus, RequestId, ...) and the Go names
// otherwise (CapacityMbps, CreatedAt, ...). Errors are {"Code": "...", "Message": "..."} with
// HTTP 400 (InvalidParameter), 401 (Unauthorized), 403 (Forbidden), 404 (NotFound: no such
// route; UnknownConnection; AdminOff: every route when the admin API is off), 405
// (MethodNotAllowed; the Allow header lists the right methods), 409 (TransitionNotAllowed: the
// state model does not allow the change) or 415 (UnsupportedMediaType). The routes:
//
//	GET    /_sandbox/                          the routes, and the API actions the server serves
//	GET    /_sandbox/connections               the hosted connections, oldest first, deleted ones included
//	GET    /_sandbox/connections/{id}          one hosted connection
//	POST   /_sandbox/connections/{id}/accept   accept as the tenant
//	POST   /_sandbox/connections/{id}/reject   refuse as the tenant
//	POST   /_sandbox/connections/{id}/enable   enable as billing
//	POST   /_sandbox/connections/{id}/lock     lock as billing: {"BusinessStatus":"FinancialLocked"} (default) or "SecurityLocked"
//	POST   /_sandbox/connections/{id}/unlock   unlock as billing
//	GET    /_sandbox/circuits                  the circuits, in the order of their IDs, with their defaults
//	PUT    /_sandbox/circuits/{id}             add or change a circuit: {"RegionId","Enabled" or "Status","CapacityMbps","Quota","QoSBound","Owner"}
//	GET    /_sandbox/requests                  a page of the last requests (credentials redacted), the number
//	                                           dropped, the Next cursor and More: ?after=Next&limit=1..100 (default 100)
//	POST   /_sandbox/faults                    fail the next Count requests (below)
//	DELETE /_sandbox/faults                    remove the pending faults
//	GET    /_sandbox/clock                     the server's time and its offset
//	PUT    /_sandbox/clock                     set the offset: {"Offset":"-20m"}
//	POST   /_sandbox/sts/expire                make the STS credentials expired
//	POST   /_sandbox/reset                     the configured state again: no hosted connections, requests, faults, tokens
//
// Terminating and canceling a hosted connection are the partner's calls, which the service's
// API serves (TerminatePhysicalConnection, CancelPhysicalConnection): the admin API has no
// route for them.
//
// A fault is {"Kind": K, "Count": N} (Count defaults to 1) with K one of none (let the
// requests through), error, throttle, badgateway, truncate, delay, drip, reset and close, and
// "Action" to limit it to the requests of one API action (requests of other actions pass it
// by); error takes StatusCode (default 503), Code and Message, delay takes Delay and drip
// Interval (such as "3s"), and reset and close take AfterHandling (handle the request, then
// drop the answer). For example, on loopback (beyond it, add -H "Authorization: Bearer
// $EXPRESSCONNECT_LOCAL_ADMIN_TOKEN" to each):
//
//	curl -s localhost:8080/_sandbox/connections
//	curl -s -X POST localhost:8080/_sandbox/connections/pc-bp1xxxxxxxxxxxxxxxxxx/accept
//	curl -s -X POST localhost:8080/_sandbox/connections/pc-bp1xxxxxxxxxxxxxxxxxx/enable
//	curl -s -X POST localhost:8080/_sandbox/connections/pc-bp1xxxxxxxxxxxxxxxxxx/lock -H 'Content-Type: application/json' -d '{"BusinessStatus":"SecurityLocked"}'
//	curl -s -X POST localhost:8080/_sandbox/faults -H 'Content-Type: application/json' -d '{"Kind":"error","Count":2,"StatusCode":503}'
//	curl -s -X POST localhost:8080/_sandbox/faults -H 'Content-Type: application/json' -d '{"Kind":"reset","AfterHandling":true}'
//	curl -s -X DELETE localhost:8080/_sandbox/faults
//	curl -s -X PUT localhost:8080/_sandbox/circuits/pc-bp1sandboxcircuit0009 -H 'Content-Type: application/json' -d '{"CapacityMbps":1000,"Quota":2}'
//	curl -s -X PUT localhost:8080/_sandbox/clock -H 'Content-Type: application/json' -d '{"Offset":"-20m"}'
//	curl -s localhost:8080/_sandbox/requests
//	curl -s -X POST localhost:8080/_sandbox/reset
//
// # Log
//
// The log on standard error is slog's, in text or JSON (-log-format): one line per request
// of the service's API (msg "request", with request_id, action, method, status, code,
// connection_id, fault and access_key_id masked to its first and last 4 characters), one per
// admin request (msg "admin", with method, path and status), and one when the command starts.
// No line carries a secret: no AccessKeySecret, SecurityToken, Signature, admin token or
// parameter value is logged. The banner on standard output does print the credentials and the
// admin token, which is what it is for.
//
// Logging never holds up an answer: lines wait in a bounded queue for a writer of their own,
// and when standard error does not keep up (a pipe nobody reads), the lines that do not fit
// are dropped and counted; the count is logged once the writer catches up, and printed with
// the last line on standard output when the command stops. Stopping waits at most half a
// second for the lines still queued.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"syscall"

	"github.com/expressconnect-go/expressconnect/expressconnecttest"
	"github.com/expressconnect-go/expressconnect/internal/adminauth"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], processEnvironment(), os.Stdout, os.Stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintln(os.Stderr, "expressconnect-local:", err)
		os.Exit(1)
	}
}

// run serves until ctx is done, with the settings of args and the environment env, printing
// the banner to stdout and the log to stderr.
func run(ctx context.Context, args []string, env environment, stdout, stderr io.Writer) error {
	set, err := loadSettings(args, env, stderr)
	if err != nil {
		return err
	}
	tcp, err := net.Listen("tcp", set.Addr)
	if err != nil {
		return fmt.Errorf("-addr: listening on %s: %w", set.Addr, err)
	}
	l := newLimitListener(tcp, set.MaxConnections)
	var lines *lineLog
	if !set.Quiet {
		lines = newLineLog(stderr, logQueueLines, dropReport(set.LogFormat))
	}
	logger := newLogger(set.LogFormat, lines)
	token := string(set.AdminToken)
	if token == "" {
		if token, err = adminauth.NewToken(); err != nil {
			_ = l.Close()
			stoppedLine(lines)
			return err
		}
	}
	cfg := serverConfig(set, token)
	cfg.Listener, cfg.Logger = l, logger
	srv, err := expressconnecttest.NewServer(cfg)
	if err != nil {
		_ = l.Close()
		stoppedLine(lines)
		return err
	}
	if err := printBanner(ctx, stdout, srv, set, token, adminauth.TokenRequiredOn(l.Addr())); err != nil {
		srv.Close()
		stoppedLine(lines)
		return err
	}
	logger.Info("listening", slog.String("url", srv.URL()), slog.Bool("admin", set.Admin), slog.String("region", srv.Account().RegionID))
	<-ctx.Done()
	srv.Close()
	fmt.Fprintln(stdout, stoppedLine(lines))
	return nil
}

// stoppedLine stops the request log, if any, and returns the last line to print, with the
// number of request lines dropped from the log.
func stoppedLine(log *lineLog) string {
	const stopped = "expressconnect-local: stopped"
	if log == nil {
		return stopped
	}
	if n := log.Close(shutdownGrace); n > 0 {
		return fmt.Sprintf("%s; %d log lines were dropped: standard error was not keeping up", stopped, n)
	}
	return stopped
}
