package main

import (
	"context"
	"strings"

	"github.com/expressconnect-go/expressconnect"
	"github.com/spf13/cobra"
)

// updateOptions are the flags of the update command.
type updateOptions struct {
	req     expressconnect.UpdateVirtualPhysicalConnectionRequest
	circuit string
	wait    waitOptions
}

// updateCommand returns the update command: UpdateVirtualPhysicalConnection.
func (a *app) updateCommand() *cobra.Command {
	o := &updateOptions{}
	cmd := &cobra.Command{
		Use:   "update",
		Short: "Change a hosted connection's VLAN or ask for another bandwidth (UpdateVirtualPhysicalConnection)",
		Long: `Change a hosted connection's VLAN (--vlan), or ask for another bandwidth (--expect-spec), which
takes effect once paid for: --wait spec waits for that, for at most --wait-timeout.

The service needs the VLAN on every update: without --vlan, the command reads the current one
and sends it (one List call first). Without --token, the token is chosen and printed first,
as for create.`,
		Example: `  expressconnect update --id pc-bp1abc... --vlan 200
  expressconnect update --id pc-bp1abc... --expect-spec 200M --circuit pc-bp1ciz7ekd2grn1as0001 --wait spec`,
		Args: cobra.NoArgs,
		RunE: runE(func(cmd *cobra.Command) error { return a.runUpdate(cmd, o) }),
	}
	f := cmd.Flags()
	f.StringVar(&o.req.VirtualPhysicalConnectionID, "id", "", "the hosted connection (sent as InstanceId; alias --virtual-physical-connection-id)")
	f.Var(vlanFlag{&o.req.VLANID}, "vlan", "the VLAN to move it to, 0 to 2999 (VlanId; default: keep the current one)")
	f.StringVar((*string)(&o.req.ExpectSpec), "expect-spec", "", "the bandwidth to change to (ExpectSpec): "+specList)
	completeWith(cmd, "expect-spec", specValues()...)
	f.StringVar(&o.req.Token, "token", "", "idempotency token (Token; alias --client-token) (default: chosen and printed before the call)")
	f.BoolVar(&o.req.DryRun, "dry-run", false, "ask the service to check the request without changing anything (DryRun)")
	f.StringVar(&o.circuit, "circuit", "", "the circuit the hosted connection is on; needed by --wait (PhysicalConnectionId)")
	addWaitFlags(cmd, &o.wait, "then wait until the bandwidth asked for with --expect-spec is in effect (it takes effect once paid for)", "spec")
	return cmd
}

// runUpdate runs update.
func (a *app) runUpdate(cmd *cobra.Command, o *updateOptions) error {
	if err := requireFlags(cmd, nil, "id"); err != nil {
		return err
	}
	if !given(cmd, "vlan") && !given(cmd, "expect-spec") {
		return usagef("nothing to change: give --vlan, --expect-spec or both")
	}
	if o.wait.until != "" {
		why := map[string]string{"expect-spec": "--wait spec waits for it", "circuit": "--wait polls the hosted connections of the circuit"}
		if err := requireFlags(cmd, why, "expect-spec", "circuit"); err != nil {
			return err
		}
	}
	if err := o.wait.check(cmd, a, o.req.DryRun); err != nil {
		return err
	}
	client, err := a.actionClient(nil, o.inRegion)
	if err != nil {
		return err
	}
	req := o.req
	req.Token = a.chooseToken(req.Token, req.DryRun)
	ctx, cancel := a.actionContext(cmd)
	defer cancel()
	resp, err := client.UpdateVirtualPhysicalConnection(ctx, &req)
	note := map[int]string{}
	if !given(cmd, "vlan") {
		note[0] = "reads the hosted connection's current VLAN, which the update then sends (the service needs VlanId): " +
			"give --vlan to see the update's own request"
	}
	if printed, perr := a.printCaptured(note); printed || perr != nil {
		return perr
	}
	if err != nil {
		return err
	}
	success := resp.VLANChanged
	result := &actionJSON{
		VirtualPhysicalConnectionID: req.VirtualPhysicalConnectionID,
		PhysicalConnectionID:        o.circuit,
		VlanID:                      vlanPointer(req.VLANID),
		ExpectSpec:                  req.ExpectSpec,
		Success:                     &success,
		RequestID:                   resp.RequestID,
		DryRun:                      resp.DryRun,
	}
	if !resp.DryRun {
		result.Token = resp.Token
	}
	var wait func() (*waitJSON, error)
	if o.wait.until != "" {
		wait = func() (*waitJSON, error) {
			return a.waitAfter(cmd, client, o.circuit, req.VirtualPhysicalConnectionID, o.wait.until, req.ExpectSpec,
				o.wait.timeout, createdText("updated", req.VirtualPhysicalConnectionID))
		}
	}
	return a.finish(result, wait)
}

// inRegion returns the request of the flags in region, for actionClient to check.
func (o *updateOptions) inRegion(region string) expressconnect.Request {
	check := o.req
	check.RegionID = region
	return &check
}

// guardedAction is one of the actions the client guards: terminate, cancel or delete.
type guardedAction struct {
	name, short, long, example string
	// waitChoice is the state --wait waits for, "" when the action has no --wait.
	waitChoice, waitUsage string
	// done is the past tense, for a wait's error.
	done string
	call func(c *expressconnect.Client, ctx context.Context, req *expressconnect.HostedConnectionRequest, opts ...expressconnect.CallOption) (*expressconnect.ResponseMetadata, error)
}

// The guarded actions.
var (
	terminateAction = guardedAction{
		name:  "terminate",
		short: "End the service of an Enabled hosted connection (TerminatePhysicalConnection)",
		long: `End the service of an Enabled hosted connection, the step before it can be deleted. It becomes
Terminating, then Terminated: --wait terminated waits for that, for at most --wait-timeout.`,
		example:    "  expressconnect terminate --circuit pc-bp1ciz7ekd2grn1as0001 --id pc-bp1abc... --wait terminated",
		waitChoice: "terminated", waitUsage: "then wait until it is Terminated", done: "terminated",
		call: (*expressconnect.Client).TerminateVirtualPhysicalConnection,
	}
	cancelAction = guardedAction{
		name:  "cancel",
		short: "Cancel a hosted connection that is not enabled yet (CancelPhysicalConnection)",
		long: `Cancel a hosted connection before it is enabled, such as one the tenant accepted but has not paid
for. It becomes Canceled, and can then be deleted.`,
		example: "  expressconnect cancel --circuit pc-bp1ciz7ekd2grn1as0001 --id pc-bp1abc...",
		done:    "canceled",
		call:    (*expressconnect.Client).CancelVirtualPhysicalConnection,
	}
	deleteAction = guardedAction{
		name:  "delete",
		short: "Delete a hosted connection that is not Enabled (DeletePhysicalConnection)",
		long: `Delete a hosted connection that is not Enabled (terminate an Enabled one first). --wait gone waits
until List no longer shows it, for at most --wait-timeout. A hosted connection that is already
gone is exit status 5 (not found).`,
		example:    "  expressconnect delete --circuit pc-bp1ciz7ekd2grn1as0001 --id pc-bp1abc... --wait gone",
		waitChoice: "gone", waitUsage: "then wait until it is gone", done: "deleted",
		call: (*expressconnect.Client).DeleteVirtualPhysicalConnection,
	}
)

// guardedHelp is what the help of every guarded action says of the guard.
const guardedHelp = `

These actions are the circuit owner's generic PhysicalConnection actions, which would act on a
circuit too: the command sends one only once it has confirmed, with a List on --circuit, that
--id is a hosted connection on that circuit. Otherwise it refuses and sends nothing (exit
status 16). Without --token, the token is chosen and printed first, as for create.`

// guardedCommand returns the command of the guarded action g.
func (a *app) guardedCommand(g guardedAction) *cobra.Command {
	var req expressconnect.HostedConnectionRequest
	var wait waitOptions
	cmd := &cobra.Command{
		Use:     g.name,
		Short:   g.short,
		Long:    g.long + guardedHelp,
		Example: g.example,
		Args:    cobra.NoArgs,
		RunE:    runE(func(cmd *cobra.Command) error { return a.runGuarded(cmd, g, &req, &wait) }),
	}
	f := cmd.Flags()
	f.StringVar(&req.PhysicalConnectionID, "circuit", "", "the partner's circuit the hosted connection is on (alias --physical-connection-id)")
	f.StringVar(&req.VirtualPhysicalConnectionID, "id", "", "the hosted connection (sent as PhysicalConnectionId; alias --virtual-physical-connection-id)")
	f.StringVar(&req.Token, "token", "", "idempotency token (ClientToken; alias --client-token) (default: chosen and printed before the call)")
	if g.waitChoice != "" {
		addWaitFlags(cmd, &wait, g.waitUsage, g.waitChoice)
	}
	return cmd
}

// runGuarded runs the guarded action g.
func (a *app) runGuarded(cmd *cobra.Command, g guardedAction, flags *expressconnect.HostedConnectionRequest, wait *waitOptions) error {
	why := map[string]string{"circuit": "the circuit the hosted connection is on, which the command checks --id against before it acts"}
	if err := requireFlags(cmd, why, "circuit", "id"); err != nil {
		return err
	}
	if g.waitChoice != "" {
		if err := wait.check(cmd, a, false); err != nil {
			return err
		}
	}
	req := *flags
	answer := guardAnswer(req.PhysicalConnectionID, req.VirtualPhysicalConnectionID)
	client, err := a.actionClient(answer, func(region string) expressconnect.Request {
		check := req
		check.RegionID = region
		return &check
	})
	if err != nil {
		return err
	}
	req.Token = a.chooseToken(req.Token, false)
	ctx, cancel := a.actionContext(cmd)
	defer cancel()
	resp, err := g.call(client, ctx, &req)
	if printed, perr := a.printCaptured(map[int]string{0: guardNote}); printed || perr != nil {
		return perr
	}
	if err != nil {
		return err
	}
	result := &actionJSON{
		VirtualPhysicalConnectionID: req.VirtualPhysicalConnectionID,
		PhysicalConnectionID:        req.PhysicalConnectionID,
		RequestID:                   resp.RequestID,
		Token:                       resp.Token,
	}
	var waitFn func() (*waitJSON, error)
	if wait.until != "" {
		waitFn = func() (*waitJSON, error) {
			return a.waitAfter(cmd, client, req.PhysicalConnectionID, req.VirtualPhysicalConnectionID, wait.until, "",
				wait.timeout, createdText(strings.TrimSpace(g.done), req.VirtualPhysicalConnectionID))
		}
	}
	return a.finish(result, waitFn)
}
