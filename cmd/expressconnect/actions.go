package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"sync/atomic"
	"time"

	"github.com/expressconnect-go/expressconnect"
	"github.com/spf13/cobra"
)

// This file holds what the commands that change a hosted connection share: their result, and
// the wait that may follow them (--wait).

// actionJSON is the result of create, update, terminate, cancel and delete.
type actionJSON struct {
	// VirtualPhysicalConnectionId is the hosted connection acted on (created).
	VirtualPhysicalConnectionID string `json:"VirtualPhysicalConnectionId,omitempty"`
	// PhysicalConnectionId is the circuit it is on, when the command was given it.
	PhysicalConnectionID string `json:"PhysicalConnectionId,omitempty"`
	// VlanId is its VLAN, when the command set or chose one.
	VlanID *expressconnect.VLANID `json:"VlanId,omitempty"`
	// ExpectSpec is the bandwidth an update asked for.
	ExpectSpec expressconnect.Spec `json:"ExpectSpec,omitempty"`
	// Success is UpdateVirtualPhysicalConnection's: whether the service changed the VLAN.
	Success *bool `json:"Success,omitempty"`
	// RequestId identifies the action's request for Alibaba Cloud support.
	RequestID string `json:"RequestId"`
	// Token is the idempotency token the action sent: running the command again with
	// --token and it does nothing twice. Empty for a dry run.
	Token string `json:"Token,omitempty"`
	// DryRun reports a dry run that passed: nothing was done.
	DryRun bool `json:"DryRun"`
	// Wait is what the wait of --wait saw.
	Wait *waitJSON `json:"Wait,omitempty"`
}

// actionClient returns the client of an action's run, with answer as for newClient. Unless
// --lenient is given, it first checks the request that inRegion returns, a copy of the one to
// send in the client's region, against the documented rules, so that a request the client
// would refuse fails before a token is chosen or a notice is printed.
func (a *app) actionClient(answer func(action string, query url.Values) []byte, inRegion func(region string) expressconnect.Request) (*expressconnect.Client, error) {
	client, err := a.newClient(answer)
	if err != nil {
		return nil, err
	}
	if !a.lenient {
		if err := expressconnect.Validate(inRegion(client.Region())); err != nil {
			return nil, err
		}
	}
	return client, nil
}

// waitOptions are the --wait and --wait-timeout flags of an action.
type waitOptions struct {
	until   string
	timeout time.Duration
}

// addWaitFlags defines --wait, with its choices, and --wait-timeout on cmd.
func addWaitFlags(cmd *cobra.Command, w *waitOptions, usage string, choices ...string) {
	addChoice(cmd, &w.until, "wait", usage, choices...)
	cmd.Flags().DurationVar(&w.timeout, "wait-timeout", defaultWaitTimeout, "how long --wait waits before it gives up (exit status 17)")
}

// check checks the wait flags of an action run with dryRun.
func (w *waitOptions) check(cmd *cobra.Command, a *app, dryRun bool) error {
	if err := onlyWith(cmd, "wait", "wait-timeout"); err != nil {
		return err
	}
	switch {
	case w.timeout <= 0:
		return usagef("--wait-timeout must be positive, got %s", w.timeout)
	case w.until != "" && dryRun:
		return usagef("--wait and --dry-run cannot be given together: a dry run does nothing to wait for")
	case w.until != "" && a.printRequest:
		return usagef("--wait and --print-request cannot be given together: --print-request sends nothing, so there is nothing to wait for")
	}
	return nil
}

// condition returns the expressconnect condition that until names; spec is the bandwidth of
// "spec".
func condition(until string, spec expressconnect.Spec) expressconnect.Condition {
	switch until {
	case "accepted":
		return expressconnect.IsAccepted
	case "enabled":
		return expressconnect.IsEnabled
	case "spec":
		return expressconnect.HasSpec(spec)
	case "terminated":
		return expressconnect.IsTerminated
	case "gone":
		return expressconnect.IsGone
	}
	return nil
}

// waitAfter waits, within timeout, until the condition until holds for the hosted connection
// id on circuit, after the action described by done (such as "created pc-...") succeeded.
func (a *app) waitAfter(cmd *cobra.Command, client *expressconnect.Client, circuit, id, until string, spec expressconnect.Spec,
	timeout time.Duration, done string) (*waitJSON, error) {
	ctx, cancel := context.WithTimeout(cmd.Context(), timeout)
	defer cancel()
	resp, err := client.WaitVirtualPhysicalConnections(ctx, &expressconnect.WaitRequest{
		PhysicalConnectionID:         circuit,
		VirtualPhysicalConnectionIDs: []string{id},
		Until:                        condition(until, spec),
	})
	if err != nil {
		return nil, &waitFailure{err: err, done: done, until: until}
	}
	return &waitJSON{Until: until, Polls: resp.Polls, VirtualPhysicalConnection: connectionOf(resp.Connections[0])}, nil
}

// finish prints the result of an action and of the wait that followed it: on a wait's
// failure, the action's result alone, and the wait's error is returned.
func (a *app) finish(result *actionJSON, wait func() (*waitJSON, error)) error {
	if wait != nil {
		w, err := wait()
		if err != nil {
			if perr := a.printer().print(result); perr != nil {
				return perr
			}
			return err
		}
		result.Wait = w
	}
	if a.output == "table" && result.Wait != nil {
		return a.printActionTable(result)
	}
	return a.printer().print(result)
}

// printActionTable prints an action's result that a wait followed, for people: the action's
// fields, then the hosted connection as the wait saw it, as a row of list's table.
func (a *app) printActionTable(result *actionJSON) error {
	w := *result.Wait
	action := *result
	action.Wait = nil
	if err := a.printer().print(&action); err != nil {
		return err
	}
	polls := "polls"
	if w.Polls == 1 {
		polls = "poll"
	}
	fmt.Fprintf(a.stdout, "\nwaited until %s (%d %s):\n", w.Until, w.Polls, polls)
	if w.VirtualPhysicalConnection == nil {
		_, err := fmt.Fprintln(a.stdout, "gone: List no longer shows it")
		return err
	}
	return a.printer().printConnections(nil, []*connectionJSON{w.VirtualPhysicalConnection})
}

// guardAnswer returns the answer of --print-request for a guarded action on id on circuit:
// the guard's first List is answered here, as if it confirmed the target, so that the action's
// own request can be shown; nothing is sent.
func guardAnswer(circuit, id string) func(action string, q url.Values) []byte {
	var answered atomic.Bool
	return func(action string, _ url.Values) []byte {
		if action != "ListVirtualPhysicalConnections" || answered.Swap(true) {
			return nil
		}
		body, _ := json.Marshal(map[string]any{
			"RequestId": "not-sent-print-request", "Count": 1, "TotalCount": 1,
			"VirtualPhysicalConnections": []map[string]string{{
				"PhysicalConnectionId": id, "ParentPhysicalConnectionId": circuit, "ProductType": "VirtualPhysicalConnection",
				"VirtualPhysicalConnectionStatus": "Confirmed", "Status": "Enabled",
			}},
		})
		return body
	}
}

// guardNote is the note of --print-request on the guard's List.
const guardNote = "the guard's check that --id is a hosted connection on --circuit: not sent, and answered here as if it " +
	"confirmed, so that the action's own request below can be shown"

// vlanPointer returns a pointer to id when it is set, for a result.
func vlanPointer(id expressconnect.VLANID) *expressconnect.VLANID {
	if _, ok := id.Value(); !ok {
		return nil
	}
	return &id
}

// createdText describes what an action did, for a wait's error.
func createdText(verb, id string) string { return fmt.Sprintf("%s %s", verb, id) }

// cmdContextWithTimeout returns cmd's context bounded by d.
func cmdContextWithTimeout(cmd *cobra.Command, d time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(cmd.Context(), d)
}
