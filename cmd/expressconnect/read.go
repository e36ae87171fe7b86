package main

import (
	"context"
	"fmt"
	"time"

	"github.com/expressconnect-go/expressconnect"
	"github.com/spf13/cobra"
)

// This file holds the commands that read: get, list, circuit, free-vlan and wait.

// getCommand returns the get command: GetVirtualPhysicalConnection.
func (a *app) getCommand() *cobra.Command {
	var req expressconnect.GetVirtualPhysicalConnectionRequest
	cmd := &cobra.Command{
		Use:   "get",
		Short: "Show one hosted connection (one ListVirtualPhysicalConnections call)",
		Long: `Show one hosted connection, deleted ones included (VirtualPhysicalConnectionStatus Deleted).
One that the service does not list is exit status 5 (not found).`,
		Example: "  expressconnect get --id pc-bp1abc... --output table",
		Args:    cobra.NoArgs,
		RunE: runE(func(cmd *cobra.Command) error {
			return runRead(a, cmd, []string{"id"}, send((*expressconnect.Client).GetVirtualPhysicalConnection, &req),
				func(resp *expressconnect.GetVirtualPhysicalConnectionResponse) error {
					return a.printer().print(struct {
						*connectionJSON
						RequestID string `json:"RequestId"`
					}{connectionOf(&resp.VirtualPhysicalConnection), resp.RequestID})
				})
		}),
	}
	f := cmd.Flags()
	f.StringVar(&req.VirtualPhysicalConnectionID, "id", "", "the hosted connection (alias --virtual-physical-connection-id)")
	f.StringVar(&req.PhysicalConnectionID, "circuit", "", "the circuit it is on: one on another circuit is not found (alias --physical-connection-id)")
	return cmd
}

// listOptions are the flags of the list command.
type listOptions struct {
	req          expressconnect.ListVirtualPhysicalConnectionsRequest
	statuses     []string
	confirmation string
	business     string
	all          bool
}

// listCommand returns the list command: ListVirtualPhysicalConnections.
func (a *app) listCommand() *cobra.Command {
	o := &listOptions{}
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List hosted connections (ListVirtualPhysicalConnections)",
		Long: `List the hosted connections that match every filter given; a filter given more than once
matches any of its values. One page is read (--max-results, default the service's 20) and its
NextToken printed; give it to --next-token for the next page, or --all for every page.`,
		Example: `  expressconnect list --circuit pc-bp1ciz7ekd2grn1as0001 --output table
  expressconnect list --tenant 1210123456789012 --vpconn-status UnConfirmed --all`,
		Args: cobra.NoArgs,
		RunE: runE(func(cmd *cobra.Command) error { return a.runList(cmd, o) }),
	}
	f := cmd.Flags()
	f.StringVar(&o.req.PhysicalConnectionID, "circuit", "", "only those on this circuit (PhysicalConnectionId; alias --physical-connection-id)")
	f.Var(stringListFlag{&o.req.VirtualPhysicalConnectionIDs, "id"}, "id", "only this hosted connection (VirtualPhysicalConnectionIds.N); repeat for more")
	f.Var(stringListFlag{&o.statuses, "status"}, "vpconn-status", "only those the tenant has (not) accepted or deleted: UnConfirmed, Confirmed or Deleted (VirtualPhysicalConnectionStatuses.N); repeat for more")
	completeWith(cmd, "vpconn-status", string(expressconnect.VpconnStatusUnConfirmed), string(expressconnect.VpconnStatusConfirmed), string(expressconnect.VpconnStatusDeleted))
	f.Var(stringListFlag{&o.req.VpconnAliUIDs, "uid"}, "tenant", "only this tenant's, an account ID (VirtualPhysicalConnectionAliUids.N); repeat for more")
	f.Var(vlanListFlag{&o.req.VLANIDs}, "vlan", "only those on this VLAN (VlanIds.N); repeat for more")
	addChoice(cmd, &o.confirmation, "confirmation", "only those the tenant has accepted (confirmed) or not (unconfirmed) (IsConfirmed)", "confirmed", "unconfirmed")
	f.StringVar(&o.business, "business-status", "", "only those in this billing state: Normal, FinancialLocked or SecurityLocked (VirtualPhysicalConnectionBusinessStatus)")
	completeWith(cmd, "business-status", string(expressconnect.BusinessStatusNormal), string(expressconnect.BusinessStatusFinancialLocked), string(expressconnect.BusinessStatusSecurityLocked))
	f.StringVar(&o.req.ResourceGroupID, "resource-group", "", "only those in this resource group (ResourceGroupId)")
	f.Var(tagsFlag{&o.req.Tags}, "tag", "only those with this tag KEY=VALUE (Tags.N.Key, Tags.N.Value); repeat for more, all must match")
	f.IntVar(&o.req.MaxResults, "max-results", 0, "page size, 1 to 100 (MaxResults) (default: the service's, 20)")
	f.StringVar(&o.req.NextToken, "next-token", "", "the NextToken of the previous page (NextToken)")
	f.BoolVar(&o.all, "all", false, "read every page, from --next-token on")
	return cmd
}

// listPageJSON is one page of list.
type listPageJSON struct {
	VirtualPhysicalConnections []*connectionJSON `json:"VirtualPhysicalConnections"`
	Count                      int               `json:"Count"`
	TotalCount                 *int              `json:"TotalCount,omitempty"`
	NextToken                  string            `json:"NextToken,omitempty"`
	RequestID                  string            `json:"RequestId,omitempty"`
}

// runList runs list.
func (a *app) runList(cmd *cobra.Command, o *listOptions) error {
	if given(cmd, "max-results") && (o.req.MaxResults < 1 || o.req.MaxResults > 100) {
		return usagef("--max-results must be 1 to 100, got %d", o.req.MaxResults)
	}
	for _, s := range o.statuses {
		o.req.VpconnStatuses = append(o.req.VpconnStatuses, expressconnect.VpconnStatus(s))
	}
	switch o.confirmation {
	case "confirmed":
		o.req.Confirmation = expressconnect.OnlyConfirmed
	case "unconfirmed":
		o.req.Confirmation = expressconnect.OnlyUnconfirmed
	}
	o.req.BusinessStatus = expressconnect.BusinessStatus(o.business)
	return runRead(a, cmd, nil, o.read, func(out listPageJSON) error {
		var footer []string
		if out.NextToken != "" {
			footer = append(footer, fmt.Sprintf("more: --next-token %s (or --all)", out.NextToken))
		}
		return a.printer().printConnections(out, out.VirtualPhysicalConnections, footer...)
	})
}

// read reads the page of hosted connections o asks for, or with --all every page from
// --next-token on, stopping at the first error.
func (o *listOptions) read(ctx context.Context, client *expressconnect.Client) (listPageJSON, error) {
	out := listPageJSON{VirtualPhysicalConnections: []*connectionJSON{}}
	if o.all {
		for conn, err := range client.ListAllVirtualPhysicalConnections(ctx, &o.req) {
			if err != nil {
				return out, err
			}
			out.VirtualPhysicalConnections = append(out.VirtualPhysicalConnections, connectionOf(&conn))
		}
	} else {
		resp, err := client.ListVirtualPhysicalConnections(ctx, &o.req)
		if err != nil {
			return out, err
		}
		for i := range resp.VirtualPhysicalConnections {
			out.VirtualPhysicalConnections = append(out.VirtualPhysicalConnections, connectionOf(&resp.VirtualPhysicalConnections[i]))
		}
		total := resp.TotalCount
		out.TotalCount, out.NextToken, out.RequestID = &total, resp.NextToken, resp.RequestID
	}
	out.Count = len(out.VirtualPhysicalConnections)
	return out, nil
}

// runRead runs a command that reads: it checks that the flags named by required are given,
// runs call with the client of the run, bounded by --timeout, and prints what it read with
// show. With --print-request it prints the requests call would have sent instead.
func runRead[Resp any](a *app, cmd *cobra.Command, required []string, call func(context.Context, *expressconnect.Client) (Resp, error), show func(Resp) error) error {
	if err := requireFlags(cmd, nil, required...); err != nil {
		return err
	}
	client, err := a.newClient(nil)
	if err != nil {
		return err
	}
	ctx, cancel := a.actionContext(cmd)
	defer cancel()
	resp, err := call(ctx, client)
	if printed, perr := a.printCaptured(nil); printed || perr != nil {
		return perr
	}
	if err != nil {
		return err
	}
	return show(resp)
}

// send returns the call of runRead that sends req with method, a method expression such as
// (*expressconnect.Client).FreeVLAN.
func send[Req, Resp any](method func(*expressconnect.Client, context.Context, *Req, ...expressconnect.CallOption) (Resp, error), req *Req) func(context.Context, *expressconnect.Client) (Resp, error) {
	return func(ctx context.Context, client *expressconnect.Client) (Resp, error) {
		return method(client, ctx, req)
	}
}

// circuitCommand returns the circuit command: DescribePhysicalConnection.
func (a *app) circuitCommand() *cobra.Command {
	var req expressconnect.DescribePhysicalConnectionRequest
	cmd := &cobra.Command{
		Use:   "circuit",
		Short: "Show a circuit: its state, bandwidth and hosted connections (DescribePhysicalConnections)",
		Long: `Show one of the partner's circuits: its state, its bandwidth and how many hosted connections it
carries. The service reports no hosted-connection quota.`,
		Example: "  expressconnect circuit --circuit pc-bp1ciz7ekd2grn1as0001 --output table",
		Args:    cobra.NoArgs,
		RunE: runE(func(cmd *cobra.Command) error {
			return runRead(a, cmd, []string{"circuit"}, send((*expressconnect.Client).DescribePhysicalConnection, &req),
				func(resp *expressconnect.DescribePhysicalConnectionResponse) error {
					return a.printer().print(circuitOf(&resp.PhysicalConnection, resp.RequestID))
				})
		}),
	}
	cmd.Flags().StringVar(&req.PhysicalConnectionID, "circuit", "", "the circuit (PhysicalConnectionId; alias --physical-connection-id)")
	return cmd
}

// freeVLANCommand returns the free-vlan command: FreeVLAN.
func (a *app) freeVLANCommand() *cobra.Command {
	var req expressconnect.FreeVLANRequest
	cmd := &cobra.Command{
		Use:   "free-vlan",
		Short: "Show the VLANs a circuit's hosted connections hold and the first free one",
		Long: `Read every hosted connection of a circuit (one List call per 100) and show the VLANs they hold,
the lowest free one between --from and --to, how many hosted connections the circuit carries
and the bandwidth they reserve. VLAN 0 is offered only with --from 0, on an empty circuit.`,
		Example: "  expressconnect free-vlan --circuit pc-bp1ciz7ekd2grn1as0001 --from 100 --to 199",
		Args:    cobra.NoArgs,
		RunE: runE(func(cmd *cobra.Command) error {
			return runRead(a, cmd, []string{"circuit"}, send((*expressconnect.Client).FreeVLAN, &req),
				func(resp *expressconnect.FreeVLANResponse) error {
					used := resp.Used
					if used == nil {
						used = []expressconnect.VLANID{}
					}
					return a.printer().print(struct {
						PhysicalConnectionID string                  `json:"PhysicalConnectionId"`
						FreeVlanID           expressconnect.VLANID   `json:"FreeVlanId"`
						UsedVlanIDs          []expressconnect.VLANID `json:"UsedVlanIds"`
						HostedConnections    int                     `json:"HostedConnections"`
						ReservedMbps         int                     `json:"ReservedMbps"`
					}{req.PhysicalConnectionID, resp.Free, used, resp.HostedConnections, resp.ReservedMbps})
				})
		}),
	}
	f := cmd.Flags()
	f.StringVar(&req.PhysicalConnectionID, "circuit", "", "the circuit (PhysicalConnectionId; alias --physical-connection-id)")
	f.Var(vlanFlag{&req.From}, "from", "the lowest VLAN to offer (default 1)")
	f.Var(vlanFlag{&req.To}, "to", "the highest VLAN to offer (default 2999)")
	return cmd
}

// waitCommandOptions are the flags of the wait command.
type waitCommandOptions struct {
	circuit            string
	ids                []string
	until, spec        string
	timeout            time.Duration
	minDelay, maxDelay time.Duration
}

// waitCommand returns the wait command: WaitVirtualPhysicalConnections.
func (a *app) waitCommand() *cobra.Command {
	o := &waitCommandOptions{}
	cmd := &cobra.Command{
		Use:   "wait",
		Short: "Wait until hosted connections are accepted, enabled, upgraded, terminated or gone",
		Long: `Poll until every hosted connection given with --id is in the state --until names:
  accepted    the tenant has accepted it
  enabled     it is Enabled (accepted and paid for)
  spec        its bandwidth is --spec (after update --expect-spec, once paid for)
  terminated  it is Terminated
  gone        it is deleted, or no longer listed
Polls are spaced from --min-delay to --max-delay. The wait gives up after --wait-timeout (exit
status 17), and as soon as a state can no longer be reached, such as a rejected hosted
connection waited for to be accepted (exit status 18).`,
		Example: "  expressconnect wait --circuit pc-bp1ciz7ekd2grn1as0001 --id pc-bp1abc... --id pc-bp1def... --until enabled",
		Args:    cobra.NoArgs,
		RunE:    runE(func(cmd *cobra.Command) error { return a.runWait(cmd, o) }),
	}
	f := cmd.Flags()
	f.StringVar(&o.circuit, "circuit", "", "the circuit the hosted connections are on (PhysicalConnectionId; alias --physical-connection-id)")
	f.Var(stringListFlag{&o.ids, "id"}, "id", "a hosted connection to wait for; repeat for more")
	addChoice(cmd, &o.until, "until", "the state to wait for", "accepted", "enabled", "spec", "terminated", "gone")
	f.StringVar(&o.spec, "spec", "", "with --until spec: the bandwidth to wait for: "+specList)
	completeWith(cmd, "spec", specValues()...)
	f.DurationVar(&o.timeout, "wait-timeout", defaultWaitTimeout, "how long to wait before giving up (exit status 17)")
	f.DurationVar(&o.minDelay, "min-delay", expressconnect.DefaultMinDelay, "the wait before the second poll")
	f.DurationVar(&o.maxDelay, "max-delay", expressconnect.DefaultMaxDelay, "the longest wait between two polls")
	return cmd
}

// waitResultJSON is one hosted connection at the end of a wait.
type waitResultJSON struct {
	VirtualPhysicalConnectionID string `json:"VirtualPhysicalConnectionId"`
	// VirtualPhysicalConnection is the hosted connection as the poll that saw the state saw
	// it; null when it is gone.
	VirtualPhysicalConnection *connectionJSON `json:"VirtualPhysicalConnection"`
}

// runWait runs wait.
func (a *app) runWait(cmd *cobra.Command, o *waitCommandOptions) error {
	if err := requireFlags(cmd, nil, "circuit", "id", "until"); err != nil {
		return err
	}
	if o.until == "spec" {
		if err := requireFlags(cmd, map[string]string{"spec": "the bandwidth --until spec waits for"}, "spec"); err != nil {
			return err
		}
	} else if given(cmd, "spec") {
		return usagef("--spec applies only with --until spec")
	}
	if o.timeout <= 0 {
		return usagef("--wait-timeout must be positive, got %s", o.timeout)
	}
	client, err := a.newClient(nil)
	if err != nil {
		return err
	}
	a.resumable = true
	ctx, cancel := cmdContextWithTimeout(cmd, o.timeout)
	defer cancel()
	resp, err := client.WaitVirtualPhysicalConnections(ctx, &expressconnect.WaitRequest{
		PhysicalConnectionID:         o.circuit,
		VirtualPhysicalConnectionIDs: o.ids,
		Until:                        condition(o.until, expressconnect.Spec(o.spec)),
		MinDelay:                     o.minDelay,
		MaxDelay:                     o.maxDelay,
	})
	if printed, perr := a.printCaptured(map[int]string{0: "checks that --circuit is a circuit; the polls (ListVirtualPhysicalConnections) follow"}); printed || perr != nil {
		return perr
	}
	if err != nil {
		return &waitFailure{err: err, until: o.until}
	}
	out := struct {
		Until   string           `json:"Until"`
		Polls   int              `json:"Polls"`
		Results []waitResultJSON `json:"VirtualPhysicalConnections"`
	}{Until: o.until, Polls: resp.Polls}
	var conns []*connectionJSON
	for i, id := range o.ids {
		c := connectionOf(resp.Connections[i])
		out.Results = append(out.Results, waitResultJSON{VirtualPhysicalConnectionID: id, VirtualPhysicalConnection: c})
		conns = append(conns, c)
	}
	if a.output == "table" {
		return a.printer().printConnections(out, conns, fmt.Sprintf("until %s: %d polls", o.until, resp.Polls))
	}
	return a.printer().print(out)
}
