package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/expressconnect-go/expressconnect"
)

// fail prints err, the failure of the command run with ctx, as {"Error": ...} on standard
// error and returns its exit status.
func (a *app) fail(ctx context.Context, err error) int {
	exit := exitCode(ctx, err)
	f := failureJSON{Message: operatorMessage(err.Error()), ExitCode: exit, Retryable: retryable(exit), Token: a.token}
	var vErr *expressconnect.ValidationError
	if errors.As(err, &vErr) {
		f.Message = violationText(vErr)
	}
	var apiErr *expressconnect.APIError
	if errors.As(err, &apiErr) {
		f.Code = string(apiErr.Code)
	}
	for _, fe := range familyExits {
		if errors.Is(err, fe.family) {
			f.Family = string(fe.family)
			break
		}
	}
	var opErr *expressconnect.OperationError
	if errors.As(err, &opErr) {
		f.RequestIDs = opErr.RequestIDs()
		if opErr.Token != "" && !a.dryRun {
			f.Token = opErr.Token
		}
	}
	rc := remedyContext{token: f.Token}
	if exit == exitAuth || exit == exitSignature || exit == exitCredentials || exit == exitPermission {
		source, keyID := a.credentialsUsed()
		f.CredentialSource, f.AccessKeyID = source, keyID
		switch {
		case source != "" && keyID != "":
			rc.source = fmt.Sprintf("%s (AccessKeyId %s)", source, keyID)
			f.Message += fmt.Sprintf(" (credentials: %s, AccessKeyId %s)", source, keyID)
		case source != "":
			rc.source = source
			f.Message += fmt.Sprintf(" (credentials: %s)", source)
		}
	}
	f.Remedy, _ = operatorRemedy(expressconnect.Remedy(err), rc)
	if a.resumable && f.Retryable {
		f.Resume = a.resumeCommand(f.Token)
	}
	switch exit {
	case exitInterrupted:
		f.Message = "interrupted: " + f.Message
		f.Remedy = "run the command again"
		var wait *waitFailure
		if a.resumable && f.Token != "" {
			if !errors.As(err, &wait) || wait.done == "" {
				f.Message += " (the action may or may not have been done: the token makes running it again safe)"
			}
			f.Remedy = "run the command again with the same token to resume: " + f.Resume
		} else if a.resumable {
			f.Remedy = "run the command again to resume: " + f.Resume
		}
	case exitWaitTimeout:
		f.Remedy = "to wait longer, run the command again with a longer --wait-timeout"
		if wait := (*waitFailure)(nil); errors.As(err, &wait) {
			if wait.until == "spec" {
				// The lifecycle's sources agree that an ExpectSpec takes effect only after payment.
				f.Remedy = "a new bandwidth takes effect only once it is paid for (until then List shows it as " +
					"ExpectSpec, the Spec unchanged); " + f.Remedy
			}
			if wait.done != "" {
				f.Remedy = "the action succeeded; " + f.Remedy
			}
		}
		if f.Resume != "" {
			f.Remedy += ": " + f.Resume
		}
	case exitUnreachable:
		f.Remedy = "the hosted connection cannot reach the state waited for: `expressconnect get --id ID` shows where it is"
	case exitNotHosted:
		f.Remedy = "check --id and --circuit: --id must be a hosted connection on the circuit --circuit names " +
			"(`expressconnect list --circuit ID` lists them); nothing was sent"
	case exitNotFound:
		if f.Remedy == "" {
			f.Remedy = "check the ID (--id or --circuit) and --region: it does not exist, or is already gone"
		}
	case exitUsage:
		if f.Remedy == "" {
			f.Remedy = "fix the command line; nothing was sent (see expressconnect -h and the command's -h)"
		}
	}
	data, jerr := json.MarshalIndent(map[string]failureJSON{"Error": f}, "", "  ")
	if jerr != nil {
		fmt.Fprintf(a.stderr, "expressconnect: %s\n", f.Message)
		return exit
	}
	fmt.Fprintf(a.stderr, "%s\n", data)
	return exit
}

// credentialsUsed returns the source of the run's credentials and their masked AccessKeyId,
// empty before they are set up.
func (a *app) credentialsUsed() (source, maskedKeyID string) {
	if a.creds == nil {
		return "", ""
	}
	return a.creds.cred.used()
}
