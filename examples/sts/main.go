// Command sts signs with temporary credentials: an STS token, or a RAM role that
// credentials-go assumes (and refreshes before it expires). Either way the credentials-go
// Credential is handed to the client with expressconnect.WithCredential; the client asks it
// for its values before every attempt, so refreshed credentials are always used.
//
// With -local it starts the local endpoint in this process and uses the STS credentials it
// issues, so it runs without an account:
//
//	go run ./examples/sts -local
//
// Against the service, give either an STS token in ALIBABA_CLOUD_ACCESS_KEY_ID,
// ALIBABA_CLOUD_ACCESS_KEY_SECRET and ALIBABA_CLOUD_SECURITY_TOKEN, or a role to assume with
// ALIBABA_CLOUD_ROLE_ARN (signed for with the AccessKey pair in the first two variables), and
// the request's fields as flags:
//
//	go run ./examples/sts -region cn-hangzhou -circuit pc-bp1... -tenant 1210123456789012 -vlan 100
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/aliyun/credentials-go/credentials"
	"github.com/expressconnect-go/expressconnect"
	"github.com/expressconnect-go/expressconnect/expressconnecttest"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout, os.Getenv); err != nil {
		fmt.Fprintln(os.Stderr, "sts:", err)
		os.Exit(1)
	}
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

// run parses args, builds the credential and creates one hosted connection.
func run(ctx context.Context, args []string, w io.Writer, getenv func(string) string) error {
	fs := flag.NewFlagSet("sts", flag.ContinueOnError)
	local := fs.Bool("local", false, "use an in-process local endpoint and its STS credentials")
	region := fs.String("region", getenv("ALIBABA_CLOUD_REGION_ID"), "region ID")
	circuit := fs.String("circuit", expressconnecttest.DefaultCircuitID, "the partner's circuit")
	tenant := fs.String("tenant", "1210123456789012", "the tenant's account ID")
	vlan := fs.Int("vlan", 100, "VLAN 0..2999")
	if err := fs.Parse(args); err != nil {
		return err
	}

	var opts []expressconnect.Option
	var cred credentials.Credential
	var err error
	switch {
	case *local:
		srv, err := expressconnecttest.NewServer()
		if err != nil {
			return err
		}
		defer srv.Close()
		cred, err = stsCredential(srv.STSCredentials())
		if err != nil {
			return err
		}
		*region = srv.RegionID()
		opts = append(opts, expressconnect.WithEndpoint(srv.URL()))
	case getenv("ALIBABA_CLOUD_ROLE_ARN") != "":
		cred, err = roleCredential(getenv("ALIBABA_CLOUD_ACCESS_KEY_ID"), getenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET"), getenv("ALIBABA_CLOUD_ROLE_ARN"))
	default:
		cred, err = stsCredential(getenv("ALIBABA_CLOUD_ACCESS_KEY_ID"), getenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET"), getenv("ALIBABA_CLOUD_SECURITY_TOKEN"))
	}
	if err != nil {
		return fmt.Errorf("building the credential: %w", err)
	}

	opts = append(opts, expressconnect.WithRegion(*region), expressconnect.WithCredential(cred))
	client, err := expressconnect.NewClient(opts...)
	if err != nil {
		return err
	}
	resp, err := client.CreateVirtualPhysicalConnection(ctx, &expressconnect.CreateVirtualPhysicalConnectionRequest{
		PhysicalConnectionID: *circuit,
		VpconnAliUID:         *tenant,
		VLANID:               expressconnect.VLAN(*vlan),
		Spec:                 expressconnect.Spec100M,
		OrderMode:            expressconnect.PayByPhysicalConnectionOwner,
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "created %s with %s credentials (RequestId %s)\n",
		resp.VirtualPhysicalConnectionID, *cred.GetType(), resp.RequestID)
	return nil
}
