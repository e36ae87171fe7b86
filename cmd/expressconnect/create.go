package main

import (
	"github.com/expressconnect-go/expressconnect"
	"github.com/spf13/cobra"
)

// createOptions are the flags of the create command.
type createOptions struct {
	req      expressconnect.CreateVirtualPhysicalConnectionRequest
	onFree   bool
	orderKey string
	from, to expressconnect.VLANID
	wait     waitOptions
}

// createCommand returns the create command: CreateVirtualPhysicalConnection, or
// CreateVirtualPhysicalConnectionOnFreeVLAN with --on-free-vlan.
func (a *app) createCommand() *cobra.Command {
	o := &createOptions{}
	cmd := &cobra.Command{
		Use:   "create",
		Short: "Create a hosted connection for a tenant on a circuit (CreateVirtualPhysicalConnection)",
		Long: `Create a hosted connection for a tenant on one of the partner's circuits.

Without --token, the command chooses the idempotency token and prints it on standard error
before it sends anything, as {"Notice", "Token", "Resume"}: after a failure, an interruption or
a killed process, run the "Resume" command line (the same command with --token) and nothing is
created twice.

With --on-free-vlan, the command takes the lowest free VLAN of the circuit between --from and
--to (CreateVirtualPhysicalConnectionOnFreeVLAN), with tokens derived from --order-key: run the
same command again with the same --order-key after any failure, and nothing is created twice.

With --wait accepted or --wait enabled, it then waits until the tenant has accepted the hosted
connection, or until it is enabled (accepted and paid for), for at most --wait-timeout.`,
		Example: `  expressconnect create --circuit pc-bp1ciz7ekd2grn1as0001 --tenant 1210123456789012 \
      --vlan 100 --spec 100M --order-mode PayByPhysicalConnectionOwner --name tenant-a --tag env=prod
  expressconnect create --circuit pc-bp1... --tenant 1210123456789012 --on-free-vlan --order-key order-42 \
      --spec 100M --order-mode PayByPhysicalConnectionOwner --wait enabled --wait-timeout 30m`,
		Args: cobra.NoArgs,
		RunE: runE(func(cmd *cobra.Command) error { return a.runCreate(cmd, o) }),
	}
	f := cmd.Flags()
	f.StringVar(&o.req.PhysicalConnectionID, "circuit", "", "the partner's circuit to create it on (PhysicalConnectionId; alias --physical-connection-id)")
	f.StringVar(&o.req.VpconnAliUID, "tenant", "", "the tenant's account ID, in decimal (VpconnAliUid; alias --vpconn-ali-uid)")
	f.Var(vlanFlag{&o.req.VLANID}, "vlan", "VLAN from 0 to 2999 (VlanId; 0 is valid and takes the whole circuit; alias --vlan-id)")
	f.StringVar((*string)(&o.req.Spec), "spec", "", "bandwidth (Spec): "+specList)
	completeWith(cmd, "spec", specValues()...)
	f.StringVar((*string)(&o.req.OrderMode), "order-mode", "", "who pays (OrderMode): PayByPhysicalConnectionOwner or PayByVirtualPhysicalConnectionOwner")
	completeWith(cmd, "order-mode", string(expressconnect.PayByPhysicalConnectionOwner), string(expressconnect.PayByVirtualPhysicalConnectionOwner))
	f.StringVar(&o.req.Name, "name", "", "name, 2 to 128 letters, digits, '_' or '-', starting with a letter (Name)")
	f.StringVar(&o.req.Description, "description", "", "description, 2 to 256 characters, starting with a letter (Description)")
	f.StringVar(&o.req.ResourceGroupID, "resource-group", "", "resource group, such as rg-acfm... (ResourceGroupId; alias --resource-group-id)")
	f.Var(tagsFlag{&o.req.Tags}, "tag", "tag KEY=VALUE (Tag.N.Key, Tag.N.Value); repeat for more, at most 20")
	f.StringVar(&o.req.Token, "token", "", "idempotency token (Token; alias --client-token) (default: chosen and printed before the call)")
	f.BoolVar(&o.req.DryRun, "dry-run", false, "ask the service to check the request without creating anything (DryRun)")
	f.BoolVar(&o.onFree, "on-free-vlan", false, "take the lowest free VLAN of the circuit between --from and --to, instead of --vlan")
	f.StringVar(&o.orderKey, "order-key", "", "with --on-free-vlan: the key of your order (such as its ID), from which the tokens are derived")
	f.Var(vlanFlag{&o.from}, "from", "with --on-free-vlan: the lowest VLAN to take (default 1)")
	f.Var(vlanFlag{&o.to}, "to", "with --on-free-vlan: the highest VLAN to take (default 2999)")
	addWaitFlags(cmd, &o.wait, "then wait until the tenant has accepted it, or until it is enabled (accepted and paid for)", "accepted", "enabled")
	return cmd
}

// specValues returns the documented Spec values.
func specValues() []string {
	var out []string
	for _, s := range expressconnect.Specs() {
		out = append(out, string(s))
	}
	return out
}

// check checks the flags of create.
func (o *createOptions) check(cmd *cobra.Command, a *app) error {
	if err := requireFlags(cmd, nil, "circuit", "tenant", "spec", "order-mode"); err != nil {
		return err
	}
	if o.onFree {
		if err := notTogether(cmd, "vlan", "on-free-vlan", "--on-free-vlan chooses the VLAN"); err != nil {
			return err
		}
		if err := notTogether(cmd, "token", "on-free-vlan", "--on-free-vlan derives the tokens from --order-key"); err != nil {
			return err
		}
		if err := requireFlags(cmd, map[string]string{"order-key": "the key of your order, from which --on-free-vlan derives the tokens"}, "order-key"); err != nil {
			return err
		}
	} else {
		if err := onlyWith(cmd, "on-free-vlan", "order-key", "from", "to"); err != nil {
			return err
		}
		if !given(cmd, "vlan") {
			return usagef("missing required flag: --vlan (0 to 2999; 0 is a valid VLAN: give --vlan 0 to use it), or --on-free-vlan --order-key KEY to take a free one")
		}
	}
	return o.wait.check(cmd, a, o.req.DryRun)
}

// inRegion returns the request of the flags in region, for actionClient to check.
func (o *createOptions) inRegion(region string) expressconnect.Request {
	check := o.req
	check.RegionID = region
	if o.onFree {
		check.VLANID = expressconnect.VLAN(1) // the VLAN is chosen later; the other fields are checked now
	}
	return &check
}

// runCreate runs create.
func (a *app) runCreate(cmd *cobra.Command, o *createOptions) error {
	if err := o.check(cmd, a); err != nil {
		return err
	}
	client, err := a.actionClient(nil, o.inRegion)
	if err != nil {
		return err
	}
	req := o.req
	ctx, cancel := a.actionContext(cmd)
	defer cancel()
	var resp *expressconnect.CreateVirtualPhysicalConnectionResponse
	if o.onFree {
		a.resumable, a.dryRun = true, req.DryRun
		if !req.DryRun && !a.printRequest {
			a.notice("the tokens derive from --order-key: to resume after a failure or an interruption, run the same command again", "")
		}
		resp, err = client.CreateVirtualPhysicalConnectionOnFreeVLAN(ctx, &expressconnect.CreateOnFreeVLANRequest{
			Connection: req, OrderKey: o.orderKey, From: o.from, To: o.to})
	} else {
		req.Token = a.chooseToken(req.Token, req.DryRun)
		resp, err = client.CreateVirtualPhysicalConnection(ctx, &req)
	}
	note := map[int]string{}
	if o.onFree {
		note[0] = "lists the circuit's hosted connections; the create follows on the lowest free VLAN it shows"
	}
	if printed, perr := a.printCaptured(note); printed || perr != nil {
		return perr
	}
	if err != nil {
		return err
	}
	if resp.Token != "" && !resp.DryRun {
		a.token = resp.Token
	}
	result := &actionJSON{
		VirtualPhysicalConnectionID: resp.VirtualPhysicalConnectionID,
		PhysicalConnectionID:        req.PhysicalConnectionID,
		VlanID:                      vlanPointer(req.VLANID),
		RequestID:                   resp.RequestID,
		DryRun:                      resp.DryRun,
	}
	if !resp.DryRun {
		result.Token = resp.Token
	}
	if o.onFree && !resp.DryRun {
		// The response does not say which VLAN was taken: read it back.
		got, gerr := client.GetVirtualPhysicalConnection(ctx, &expressconnect.GetVirtualPhysicalConnectionRequest{
			VirtualPhysicalConnectionID: resp.VirtualPhysicalConnectionID})
		if gerr != nil {
			a.notice("created, but reading back the VLAN taken failed: "+gerr.Error(), result.Token)
		} else {
			result.VlanID = vlanPointer(got.VLANID)
		}
	}
	var wait func() (*waitJSON, error)
	if o.wait.until != "" {
		wait = func() (*waitJSON, error) {
			return a.waitAfter(cmd, client, req.PhysicalConnectionID, resp.VirtualPhysicalConnectionID, o.wait.until, "",
				o.wait.timeout, createdText("created", resp.VirtualPhysicalConnectionID))
		}
	}
	return a.finish(result, wait)
}
