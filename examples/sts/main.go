// Command sts signs with temporary credentials: an STS token, or a RAM role that
// credentials-go assumes (and refreshes before it expires). Either way the credentials-go
// Credential is handed to the client with expressconnect.WithCredential; the client asks it
// for its values before every attempt, so refreshed credentials are always used.
//
// It creates one 100 Mbit/s hosted connection paid by the circuit's owner
// (PayByPhysicalConnectionOwner).
//
// With -local it starts the local endpoint in this process and uses the STS credentials it
// issues, so it runs without an account; -circuit, -tenant and -vlan then default to the local
// endpoint's circuit, a test tenant and VLAN 100:
//
//	go run ./examples/sts -local
//
// Against the service, give either an STS token in ALIBABA_CLOUD_ACCESS_KEY_ID,
// ALIBABA_CLOUD_ACCESS_KEY_SECRET and ALIBABA_CLOUD_SECURITY_TOKEN, or a role to assume with
// ALIBABA_CLOUD_ROLE_ARN (signed for with the AccessKey pair in the first two variables), and
// the request's fields as flags; -region, -circuit, -tenant and -vlan are required there, so
// that nothing is ever created on a circuit or for a tenant you did not name:
//
//	go run ./examples/sts -region cn-hangzhou -circuit pc-bp1... -tenant 1210123456789012 -vlan 100
//
// Flags:
//
//	-local    use an in-process local endpoint and its STS credentials
//	-region   region ID (default $ALIBABA_CLOUD_REGION_ID; required without -local)
//	-circuit  the partner's circuit, PhysicalConnectionId (required without -local)
//	-tenant   the tenant's account ID, VpconnAliUid (required without -local)
//	-vlan     VLAN 0..2999 (required without -local; 0 is valid)
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/aliyun/credentials-go/credentials"
	"github.com/expressconnect-go/expressconnect"
	"github.com/expressconnect-go/expressconnect/expressconnecttest"
)

func main() {
	err := run(context.Background(), os.Args[1:], os.Stdout, os.Stderr, os.Getenv)
	os.Exit(exitStatus(os.Stderr, err))
}

// exitStatus prints err to stderr and returns the process's exit status: 0 when err is nil or
// a request for help (the usage is already printed), 1 otherwise.
func exitStatus(stderr io.Writer, err error) int {
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return 0
	}
	fmt.Fprintln(stderr, "sts:", err)
	return 1
}

// Values of the request with -local, when the flags do not say otherwise.
const (
	localTenant = "1210123456789012"
	localVLAN   = 100
)

// settings are the command's flags.
type settings struct {
	local                   bool
	region, circuit, tenant string
	vlan                    expressconnect.VLANID
}

// parseFlags reads args into settings; the usage goes to stderr.
func parseFlags(args []string, stderr io.Writer, getenv func(string) string) (settings, error) {
	var s settings
	fs := flag.NewFlagSet("sts", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.BoolVar(&s.local, "local", false, "use an in-process local endpoint and its STS credentials")
	fs.StringVar(&s.region, "region", getenv("ALIBABA_CLOUD_REGION_ID"), "region ID (default $ALIBABA_CLOUD_REGION_ID; required without -local)")
	fs.StringVar(&s.circuit, "circuit", "", "the partner's circuit, PhysicalConnectionId (required without -local)")
	fs.StringVar(&s.tenant, "tenant", "", "the tenant's account ID, VpconnAliUid (required without -local)")
	fs.TextVar(&s.vlan, "vlan", expressconnect.VLANID{}, "VLAN 0..2999 (required without -local; 0 is valid)")
	if err := fs.Parse(args); err != nil {
		return s, err
	}
	if fs.NArg() > 0 {
		return s, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if s.local {
		return s, nil
	}
	var missing []string
	if s.region == "" {
		missing = append(missing, "-region (or $ALIBABA_CLOUD_REGION_ID)")
	}
	if s.circuit == "" {
		missing = append(missing, "-circuit")
	}
	if s.tenant == "" {
		missing = append(missing, "-tenant")
	}
	if !isSet(s.vlan) {
		missing = append(missing, "-vlan")
	}
	if len(missing) > 0 {
		return s, fmt.Errorf("%s required against the service (or give -local to try it offline)", strings.Join(missing, ", "))
	}
	return s, nil
}

// stsCredential returns a credential for an STS token: a temporary AccessKey pair and its
// SecurityToken.
func stsCredential(accessKeyID, accessKeySecret, securityToken string) (credentials.Credential, error) {
	return credentials.NewCredential(new(credentials.Config).
		SetType("sts").
		SetAccessKeyId(accessKeyID).
		SetAccessKeySecret(accessKeySecret).
		SetSecurityToken(securityToken))
}

// roleCredential returns a credential that assumes the RAM role roleARN with the AccessKey
// pair, and assumes it again before the STS token expires.
func roleCredential(accessKeyID, accessKeySecret, roleARN string) (credentials.Credential, error) {
	return credentials.NewCredential(new(credentials.Config).
		SetType("ram_role_arn").
		SetAccessKeyId(accessKeyID).
		SetAccessKeySecret(accessKeySecret).
		SetRoleArn(roleARN).
		SetRoleSessionName("expressconnect-sts-example"))
}

// envCredential returns the credential the environment describes: a role to assume when
// ALIBABA_CLOUD_ROLE_ARN is set, an STS token otherwise.
func envCredential(getenv func(string) string) (credentials.Credential, error) {
	keyID, keySecret := getenv("ALIBABA_CLOUD_ACCESS_KEY_ID"), getenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET")
	if roleARN := getenv("ALIBABA_CLOUD_ROLE_ARN"); roleARN != "" {
		return roleCredential(keyID, keySecret, roleARN)
	}
	return stsCredential(keyID, keySecret, getenv("ALIBABA_CLOUD_SECURITY_TOKEN"))
}

// run parses args, builds the credential and creates one hosted connection.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	set, err := parseFlags(args, stderr, getenv)
	if err != nil {
		return err
	}
	if !set.local {
		cred, err := envCredential(getenv)
		if err != nil {
			return fmt.Errorf("building the credential: %w", err)
		}
		return create(ctx, stdout, set, cred, expressconnect.WithRegion(set.region))
	}

	srv, err := expressconnecttest.NewServer(expressconnecttest.Config{})
	if err != nil {
		return err
	}
	defer srv.Close()
	sts := srv.Account().STS
	cred, err := stsCredential(sts.AccessKeyID, sts.AccessKeySecret, sts.SecurityToken)
	if err != nil {
		return fmt.Errorf("building the credential: %w", err)
	}
	if set.circuit == "" {
		set.circuit = expressconnecttest.DefaultCircuitID
	}
	if set.tenant == "" {
		set.tenant = localTenant
	}
	if !isSet(set.vlan) {
		set.vlan = expressconnect.VLAN(localVLAN)
	}
	return create(ctx, stdout, set, cred, expressconnect.WithRegion(srv.Account().RegionID), expressconnect.WithEndpoint(srv.URL()))
}

// create creates the hosted connection that set describes, signing with cred, and prints its ID.
func create(ctx context.Context, w io.Writer, set settings, cred credentials.Credential, opts ...expressconnect.Option) error {
	client, err := expressconnect.NewClient(append(opts, expressconnect.WithCredential(cred))...)
	if err != nil {
		return err
	}
	resp, err := client.CreateVirtualPhysicalConnection(ctx, &expressconnect.CreateVirtualPhysicalConnectionRequest{
		PhysicalConnectionID: set.circuit,
		VpconnAliUID:         set.tenant,
		VLANID:               set.vlan,
		Spec:                 expressconnect.Spec100M,
		OrderMode:            expressconnect.PayByPhysicalConnectionOwner,
	})
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "created %s with %s credentials (RequestId %s)\n",
		resp.VirtualPhysicalConnectionID, *cred.GetType(), resp.RequestID)
	return err
}

// isSet reports whether the -vlan flag was given: a missing -vlan is an error, never a silent
// VLAN 0.
func isSet(v expressconnect.VLANID) bool {
	_, ok := v.Value()
	return ok
}
