// Command create creates one hosted connection (CreateVirtualPhysicalConnection) on a
// partner's Express Connect circuit. It prints the result as JSON on stdout; on failure it
// prints the error as JSON on stdout, says what to do on stderr, and exits with a status that
// tells the kind of failure apart.
//
// Usage:
//
//	go run ./examples/create -region cn-hangzhou -circuit pc-bp1... -tenant 1210123456789012 \
//	    -vlan 100 -spec 100M -order-mode PayByPhysicalConnectionOwner -name tenant-a -tag env=prod
//
// Run it with -h for every flag, where the credentials come from, and the exit statuses.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/expressconnect-go/expressconnect"
)

// Exit statuses: 0 success, then one per kind of failure, so that a script can branch on it.
const (
	exitOK           = 0
	exitFailure      = 1  // a failure of no other kind
	exitUsage        = 2  // bad flags, or a request refused by validation: nothing was sent
	exitCredentials  = 3  // no usable credentials: nothing was sent
	exitInvalidParam = 4  // the service refused a parameter
	exitNotFound     = 5  // the circuit does not exist
	exitVLANConflict = 6  // the VLAN cannot be used on the circuit
	exitQuota        = 7  // the circuit is out of quota or bandwidth
	exitInvalidState = 8  // the circuit's state forbids it
	exitPermission   = 9  // the caller, tenant or account is not allowed
	exitAuth         = 10 // the AccessKey or STS token was refused
	exitSignature    = 11 // the signature, clock or nonce was refused
	exitIdempotency  = 12 // the Token was used for another request
	exitRetryLater   = 13 // throttled, a service-side failure, or no answer: retry with the same -token
)

// familyExits maps each error family to its exit status.
var familyExits = []struct {
	family expressconnect.Family
	exit   int
}{
	{expressconnect.ErrInvalidParameter, exitInvalidParam},
	{expressconnect.ErrNotFound, exitNotFound},
	{expressconnect.ErrVLANConflict, exitVLANConflict},
	{expressconnect.ErrQuotaOrCapacity, exitQuota},
	{expressconnect.ErrInvalidState, exitInvalidState},
	{expressconnect.ErrPermission, exitPermission},
	{expressconnect.ErrAuthentication, exitAuth},
	{expressconnect.ErrSignature, exitSignature},
	{expressconnect.ErrIdempotency, exitIdempotency},
	{expressconnect.ErrThrottled, exitRetryLater},
	{expressconnect.ErrServerSide, exitRetryLater},
}

// usageHeader is printed by -h before the flags.
const usageHeader = `Usage: create [flags]

Creates one hosted connection on a partner's Express Connect circuit for a tenant.

Credentials come from credentials-go's default chain, the first that yields them:
  1. ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET
     (with ALIBABA_CLOUD_SECURITY_TOKEN for STS credentials)
  2. OIDC: ALIBABA_CLOUD_ROLE_ARN, ALIBABA_CLOUD_OIDC_PROVIDER_ARN, ALIBABA_CLOUD_OIDC_TOKEN_FILE
  3. the aliyun CLI's profile, ~/.aliyun/config.json
  4. the credentials file, ~/.alibabacloud/credentials (or ALIBABA_CLOUD_CREDENTIALS_FILE)
  5. the ECS instance's RAM role

Without -token, the command chooses one and prints it on stderr before it calls: store it,
and after any failure that says "retry", run again with -token to be sure nothing is
created twice.

On success it prints {"VirtualPhysicalConnectionId", "RequestId", "Token", "DryRun"} on
stdout. On failure it prints {"Error": {"Message", "Code", "Family", "RequestIds", "Token",
"Retryable", "Remedy", "ExitCode"}} on stdout and what to do on stderr.

Exit statuses:
  0 created (or the dry run passed)    7 out of quota or bandwidth
  1 any other failure                  8 the circuit's state forbids it
  2 bad flags or invalid request       9 not allowed (tenant, RAM policy, account)
  3 no usable credentials             10 AccessKey or STS token refused
  4 a parameter refused by the service 11 signature or clock refused
  5 the circuit does not exist        12 Token used for another request
  6 VLAN conflict: pick another VLAN  13 retry later with the same -token

Flags:
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}

// settings are the parsed flags.
type settings struct {
	req         expressconnect.CreateVirtualPhysicalConnectionRequest
	clientOpts  []expressconnect.Option
	callOpts    []expressconnect.CallOption
	timeout     time.Duration
	chosenToken bool
}

// run is the command: it parses args, sends the request, prints the result or the error, and
// returns the exit status. getenv supplies the default region.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	set, err := parseArgs(args, stderr, getenv)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		fmt.Fprintln(stderr, "create:", err)
		return exitUsage
	}
	client, err := expressconnect.NewClient(set.clientOpts...)
	if err != nil {
		return printError(stdout, stderr, err, set)
	}
	if set.chosenToken {
		fmt.Fprintf(stderr, "create: Token %s (store it; to retry, run again with -token %s)\n", set.req.Token, set.req.Token)
	}
	ctx, cancel := context.WithTimeout(ctx, set.timeout)
	defer cancel()
	resp, err := client.CreateVirtualPhysicalConnection(ctx, &set.req, set.callOpts...)
	if err != nil {
		return printError(stdout, stderr, err, set)
	}
	return printJSON(stdout, stderr, result{
		VirtualPhysicalConnectionID: resp.VirtualPhysicalConnectionID,
		RequestID:                   resp.RequestID,
		Token:                       tokenUnlessDryRun(resp.Token, resp.DryRun),
		DryRun:                      resp.DryRun,
	}, exitOK)
}

// tagsFlag is the repeatable -tag k=v flag.
type tagsFlag []expressconnect.Tag

func (f *tagsFlag) String() string {
	parts := make([]string, len(*f))
	for i, t := range *f {
		parts[i] = t.Key + "=" + t.Value
	}
	return strings.Join(parts, ",")
}

func (f *tagsFlag) Set(s string) error {
	key, value, ok := strings.Cut(s, "=")
	if !ok {
		return fmt.Errorf("want key=value, got %q", s)
	}
	*f = append(*f, expressconnect.Tag{Key: key, Value: value})
	return nil
}

// parseArgs turns the flags into a request and the client's and call's options.
func parseArgs(args []string, stderr io.Writer, getenv func(string) string) (*settings, error) {
	var (
		set                         settings
		req                         = &set.req
		vlan                        expressconnect.VLANID
		tags                        tagsFlag
		region, endpoint            string
		spec, orderMode             string
		lenient, verbose            bool
		maxAttempts                 int
		attemptTimeout, callTimeout time.Duration
	)
	fs := flag.NewFlagSet("create", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, usageHeader); fs.PrintDefaults() }
	fs.StringVar(&region, "region", getenv("ALIBABA_CLOUD_REGION_ID"), "region ID (default $ALIBABA_CLOUD_REGION_ID)")
	fs.StringVar(&req.PhysicalConnectionID, "circuit", "", "the partner's circuit, PhysicalConnectionId (required)")
	fs.StringVar(&req.VpconnAliUID, "tenant", "", "the tenant's account ID, VpconnAliUid (required)")
	fs.TextVar(&vlan, "vlan", expressconnect.VLANID{}, "VLAN 0..2999 (required; 0 is valid)")
	fs.StringVar(&spec, "spec", "", "bandwidth: 50M 100M 200M 300M 400M 500M 1G 2G 5G 8G 10G (required)")
	fs.StringVar(&orderMode, "order-mode", "", "PayByPhysicalConnectionOwner or PayByVirtualPhysicalConnectionOwner (required)")
	fs.StringVar(&req.Name, "name", "", "name of the hosted connection")
	fs.StringVar(&req.Description, "description", "", "description of the hosted connection")
	fs.StringVar(&req.ResourceGroupID, "resource-group", "", "resource group ID")
	fs.Var(&tags, "tag", "tag as key=value; repeat for more")
	fs.StringVar(&req.Token, "token", "", "idempotency token (default: chosen and printed before the call)")
	fs.BoolVar(&req.DryRun, "dry-run", false, "check the request without creating anything")
	fs.StringVar(&endpoint, "endpoint", "", "endpoint host or URL, such as http://127.0.0.1:8080 (default: the region's)")
	fs.BoolVar(&lenient, "lenient", false, "skip the documented character rules of names, descriptions and tags")
	fs.DurationVar(&callTimeout, "timeout", 2*time.Minute, "how long the call may take, retries included")
	fs.DurationVar(&attemptTimeout, "attempt-timeout", expressconnect.DefaultAttemptTimeout, "how long one attempt may take")
	fs.IntVar(&maxAttempts, "max-attempts", expressconnect.DefaultMaxAttempts, "requests sent at most, the first included")
	fs.BoolVar(&verbose, "v", false, "log every attempt to stderr (never a secret)")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if region == "" {
		return nil, errors.New("-region is required (or set ALIBABA_CLOUD_REGION_ID)")
	}
	if !isSet(vlan) {
		return nil, errors.New("-vlan is required (0 is a valid VLAN: give -vlan 0 to use it)")
	}
	if callTimeout <= 0 {
		return nil, fmt.Errorf("-timeout must be positive, got %s", callTimeout)
	}
	req.VLANID, req.Spec, req.OrderMode, req.Tags = vlan, expressconnect.Spec(spec), expressconnect.OrderMode(orderMode), tags
	if req.Token == "" && !req.DryRun {
		req.Token, set.chosenToken = expressconnect.NewToken(), true
	}
	set.timeout = callTimeout
	set.clientOpts = []expressconnect.Option{expressconnect.WithRegion(region)}
	if endpoint != "" {
		set.clientOpts = append(set.clientOpts, expressconnect.WithEndpoint(endpoint))
	}
	if verbose {
		logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
		set.clientOpts = append(set.clientOpts, expressconnect.WithObserver(expressconnect.LogObserver(logger)))
	}
	set.callOpts = []expressconnect.CallOption{expressconnect.WithMaxAttempts(maxAttempts), expressconnect.WithAttemptTimeout(attemptTimeout)}
	if lenient {
		set.callOpts = append(set.callOpts, expressconnect.WithLenientValidation())
	}
	return &set, nil
}

// result is the JSON printed on success.
type result struct {
	VirtualPhysicalConnectionID string `json:"VirtualPhysicalConnectionId,omitempty"`
	RequestID                   string `json:"RequestId"`
	Token                       string `json:"Token,omitempty"`
	DryRun                      bool   `json:"DryRun"`
}

// tokenUnlessDryRun returns token, or "" for a dry run, whose token means nothing.
func tokenUnlessDryRun(token string, dryRun bool) string {
	if dryRun {
		return ""
	}
	return token
}

// failure is the JSON printed on failure.
type failure struct {
	Message    string   `json:"Message"`
	Code       string   `json:"Code,omitempty"`
	Family     string   `json:"Family,omitempty"`
	RequestIDs []string `json:"RequestIds,omitempty"`
	Token      string   `json:"Token,omitempty"`
	Retryable  bool     `json:"Retryable"`
	Remedy     string   `json:"Remedy,omitempty"`
	ExitCode   int      `json:"ExitCode"`
}

// printError prints err as JSON on stdout and what to do on stderr, and returns the exit
// status of its kind.
func printError(stdout, stderr io.Writer, err error, set *settings) int {
	f := failure{Message: err.Error(), Remedy: expressconnect.Remedy(err), ExitCode: exitCode(err)}
	var apiErr *expressconnect.APIError
	if errors.As(err, &apiErr) {
		f.Code, f.Family = string(apiErr.Code), string(apiErr.Family())
	}
	var opErr *expressconnect.OperationError
	if errors.As(err, &opErr) {
		f.RequestIDs, f.Token = opErr.RequestIDs(), tokenUnlessDryRun(opErr.Token, set.req.DryRun)
	}
	f.Retryable = f.ExitCode == exitRetryLater
	fmt.Fprintln(stderr, "create:", err)
	if f.Remedy != "" {
		fmt.Fprintln(stderr, "  what to do:", f.Remedy)
	}
	switch {
	case f.ExitCode == exitUsage || f.ExitCode == exitCredentials:
		fmt.Fprintln(stderr, "  no request was sent")
	case f.Retryable && f.Token != "":
		fmt.Fprintf(stderr, "  retry with -token %s: nothing is created twice\n", f.Token)
	}
	return printJSON(stdout, stderr, map[string]failure{"Error": f}, f.ExitCode)
}

// exitCode returns the exit status of err's kind.
func exitCode(err error) int {
	var vErr *expressconnect.ValidationError
	switch {
	case errors.As(err, &vErr), errors.Is(err, expressconnect.ErrInvalidOption):
		return exitUsage
	case errors.Is(err, expressconnect.ErrCredentials):
		return exitCredentials
	}
	for _, fe := range familyExits {
		if errors.Is(err, fe.family) {
			return fe.exit
		}
	}
	var tErr *expressconnect.TransportError
	var respErr *expressconnect.ResponseError
	switch {
	case errors.As(err, &tErr), errors.Is(err, expressconnect.ErrAttemptTimeout),
		errors.Is(err, expressconnect.ErrRetryBudgetExhausted), errors.Is(err, context.DeadlineExceeded),
		errors.As(err, &respErr) && respErr.Incomplete():
		return exitRetryLater
	}
	return exitFailure
}

// printJSON writes v as indented JSON on stdout and returns code, or exitFailure when it
// cannot be written.
func printJSON(stdout, stderr io.Writer, v any, code int) int {
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		fmt.Fprintln(stderr, "create: writing the result:", err)
		return exitFailure
	}
	return code
}

// isSet reports whether the -vlan flag was given: a missing -vlan is an error, never a silent
// VLAN 0.
func isSet(v expressconnect.VLANID) bool {
	_, ok := v.Value()
	return ok
}
