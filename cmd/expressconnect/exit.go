package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/expressconnect-go/expressconnect"
)

// Exit statuses: 0 for success, then one per kind of failure, so that a script can branch on
// it; exitHelp says what each means. They are stable: a status keeps its meaning in later
// releases, and new kinds get new numbers.
const (
	exitOK           = 0
	exitFailure      = 1
	exitUsage        = 2
	exitCredentials  = 3
	exitInvalidParam = 4
	exitNotFound     = 5
	exitVLANConflict = 6
	exitQuota        = 7
	exitInvalidState = 8
	exitPermission   = 9
	exitAuth         = 10
	exitSignature    = 11
	exitIdempotency  = 12
	exitThrottled    = 13
	exitServerSide   = 14
	exitNoAnswer     = 15
	exitNotHosted    = 16
	exitWaitTimeout  = 17
	exitUnreachable  = 18
	exitInterrupted  = 130
)

// familyExits maps each error family of the expressconnect package to its exit status.
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
	{expressconnect.ErrThrottled, exitThrottled},
	{expressconnect.ErrServerSide, exitServerSide},
}

// exitHelp is the table of exit statuses that the root command's help prints.
var exitHelp = `Exit statuses:
    0  success (or the dry run passed)
    1  a failure of no other kind
    2  bad flags or arguments, or a request the client refused: nothing was sent
    3  no usable credentials (--profile, the environment, the default chain): nothing was sent
    4  invalid parameter: the service refused a parameter
    5  not found: the circuit or hosted connection does not exist, or is already gone
    6  VLAN conflict: the VLAN cannot be used on the circuit
    7  quota or capacity: the circuit is out of hosted connections or bandwidth
    8  invalid state: the resource's state does not allow the action
    9  permission denied: the caller, tenant or account is not allowed
   10  authentication failed: the AccessKey or STS token was refused
   11  signature rejected: the AccessKeySecret, the clock or the nonce was refused
   12  idempotency conflict: the --token was used for another request
   13  throttled: run again later with the same --token
   14  service-side failure: run again later with the same --token
   15  no answer in time (network, --timeout, --attempt-timeout): the outcome is unknown;
       run again with the same --token
   16  not a hosted connection: --id is not a hosted connection on --circuit (the guard of
       terminate, cancel and delete refused); nothing was sent
   17  the wait timed out (--wait-timeout): the action itself succeeded; run again to wait more
   18  the state waited for can no longer be reached (rejected, canceled, deleted, ...)
  130  interrupted (Ctrl-C, SIGINT or SIGTERM): run the command printed in Remedy to resume
`

// errInterrupted is the cause of the context of a command that a signal interrupted.
var errInterrupted = errors.New("interrupted")

// waitFailure is the failure of the wait that follows an action (--wait), or of the wait
// command, so that the wait's deadline is told apart from the action's.
type waitFailure struct {
	err error
	// done says what succeeded before the wait, such as "created pc-...", or "" for the wait
	// command.
	done string
	// until is the state waited for, as --wait names it ("accepted", "spec", ...).
	until string
}

// Error says what succeeded before the wait, then why the wait ended.
func (e *waitFailure) Error() string {
	if e.done == "" {
		return e.err.Error()
	}
	return e.done + ", but " + strings.TrimPrefix(e.err.Error(), "expressconnect: ")
}

// Unwrap returns the wait's error.
func (e *waitFailure) Unwrap() error { return e.err }

// exitCode returns the exit status of err, the failure of a command run with ctx.
func exitCode(ctx context.Context, err error) int {
	var usage *usageError
	var vErr *expressconnect.ValidationError
	var wait *waitFailure
	switch {
	case errors.Is(context.Cause(ctx), errInterrupted):
		return exitInterrupted
	case errors.As(err, &usage), errors.As(err, &vErr), errors.Is(err, expressconnect.ErrInvalidOption):
		return exitUsage
	case errors.Is(err, expressconnect.ErrCredentials):
		return exitCredentials
	case errors.Is(err, expressconnect.ErrNotHostedConnection):
		return exitNotHosted
	case errors.As(err, &wait) && errors.Is(err, context.DeadlineExceeded):
		return exitWaitTimeout
	case errors.Is(err, expressconnect.ErrUnreachable):
		return exitUnreachable
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
		return exitNoAnswer
	}
	return exitFailure
}

// retryable reports whether running the same command again (with the same --token) is safe
// and may succeed without changing anything.
func retryable(exit int) bool {
	switch exit {
	case exitThrottled, exitServerSide, exitNoAnswer, exitWaitTimeout, exitInterrupted:
		return true
	}
	return false
}

// failureJSON is the JSON of a failure, printed on standard error as {"Error": ...}.
type failureJSON struct {
	Message    string   `json:"Message"`
	Code       string   `json:"Code,omitempty"`
	Family     string   `json:"Family,omitempty"`
	RequestIDs []string `json:"RequestIds,omitempty"`
	Token      string   `json:"Token,omitempty"`
	Retryable  bool     `json:"Retryable"`
	Remedy     string   `json:"Remedy,omitempty"`
	ExitCode   int      `json:"ExitCode"`
	// Resume is the command line that resumes the command (the same with --token), when
	// running it again is the remedy.
	Resume string `json:"Resume,omitempty"`
	// CredentialSource and AccessKeyId name the credentials the service refused (their
	// AccessKeyId masked), for the authentication and signature families.
	CredentialSource string `json:"CredentialSource,omitempty"`
	AccessKeyID      string `json:"AccessKeyId,omitempty"`
}

// violationText returns the violations of a *expressconnect.ValidationError with each field
// named by its flag.
func violationText(vErr *expressconnect.ValidationError) string {
	parts := make([]string, len(vErr.Violations))
	for i, v := range vErr.Violations {
		parts[i] = flagOfField(v.Field) + ": " + operatorRule(v.Rule)
	}
	operation := vErr.Operation + " "
	if strings.Contains(operation, ", ") {
		operation = "" // the guarded actions share their checks, and name themselves together
	}
	return "invalid " + operation + "request, nothing was sent: " + strings.Join(parts, "; ")
}

// fieldFlags maps the Go fields of the requests to the flags that set them.
var fieldFlags = map[string]string{
	"RegionID":                     "--region",
	"PhysicalConnectionID":         "--circuit",
	"VpconnAliUID":                 "--tenant",
	"VpconnAliUIDs":                "--tenant",
	"VLANID":                       "--vlan",
	"VLANIDs":                      "--vlan",
	"Spec":                         "--spec",
	"ExpectSpec":                   "--expect-spec",
	"OrderMode":                    "--order-mode",
	"Name":                         "--name",
	"Description":                  "--description",
	"Token":                        "--token",
	"ResourceGroupID":              "--resource-group",
	"Tags":                         "--tag",
	"VirtualPhysicalConnectionID":  "--id",
	"VirtualPhysicalConnectionIDs": "--id",
	"VpconnStatuses":               "--vpconn-status",
	"Confirmation":                 "--confirmation",
	"BusinessStatus":               "--business-status",
	"MaxResults":                   "--max-results",
	"NextToken":                    "--next-token",
	"OrderKey":                     "--order-key",
	"From":                         "--from",
	"To":                           "--to",
	"Until":                        "--until",
	"MinDelay":                     "--min-delay",
	"MaxDelay":                     "--max-delay",
}

// flagOfField returns the flag of a Violation's Go field path, such as "--tag (the 2nd)" for
// "Tags[1].Key", or the path itself when no flag sets it.
func flagOfField(field string) string {
	name := strings.TrimPrefix(field, "Connection.")
	index := ""
	if i := strings.IndexByte(name, '['); i >= 0 {
		var n int
		if _, err := fmt.Sscanf(name[i:], "[%d]", &n); err == nil {
			index = fmt.Sprintf(" (the %s)", ordinal(n+1))
		}
		name = name[:i]
	}
	if flag, ok := fieldFlags[name]; ok {
		return flag + index
	}
	return field
}

// ordinal returns n as "1st", "2nd", "3rd", "4th", ...
func ordinal(n int) string {
	suffix := "th"
	switch {
	case n%100 >= 11 && n%100 <= 13:
	case n%10 == 1:
		suffix = "st"
	case n%10 == 2:
		suffix = "nd"
	case n%10 == 3:
		suffix = "rd"
	}
	return fmt.Sprintf("%d%s", n, suffix)
}
