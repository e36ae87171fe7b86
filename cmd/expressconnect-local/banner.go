package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/expressconnect-go/expressconnect"
	"github.com/expressconnect-go/expressconnect/expressconnecttest"
)

// printBanner prints the endpoint, the credentials to use (the sandbox's purpose: they are
// local test credentials), the circuits and the admin API, whose token is token and
// tokenRequired says whether clients must send it.
func printBanner(ctx context.Context, w io.Writer, srv *expressconnecttest.Server, s settings, token string, tokenRequired bool) error {
	a := srv.Account()
	actions, err := srv.Admin().Actions(ctx)
	if err != nil {
		return err
	}
	circuits, err := srv.Admin().Circuits(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "expressconnect-local listening on %s\n\n", srv.URL())
	fmt.Fprintf(w, "  Endpoint         %s\n", srv.URL())
	fmt.Fprintf(w, "  Actions          %s\n", strings.Join(actions, ", "))
	fmt.Fprintf(w, "  Region           %s\n", a.RegionID)
	fmt.Fprintf(w, "  Account          %s\n", a.AccountID)
	for _, c := range circuits {
		fmt.Fprintf(w, "  Circuit          %s\n", circuitText(c, a.AccountID))
	}
	fmt.Fprintf(w, "  AccessKeyId      %s\n", a.AccessKeyID)
	fmt.Fprintf(w, "  AccessKeySecret  %s\n", a.AccessKeySecret)
	for _, k := range s.AccessKeys[min(1, len(s.AccessKeys)):] {
		fmt.Fprintf(w, "  Also accepted    %s (secret as configured)\n", k.ID)
	}
	for _, k := range s.DeniedAccessKeys {
		fmt.Fprintf(w, "  Denied (403)     %s (secret as configured)\n", k.ID)
	}
	fmt.Fprintf(w, "  STS AccessKeyId  %s\n", a.STS.AccessKeyID)
	fmt.Fprintf(w, "  STS Secret       %s\n", a.STS.AccessKeySecret)
	fmt.Fprintf(w, "  STS Token        %s\n", a.STS.SecurityToken)
	if s.Admin {
		need := "optional on loopback"
		if tokenRequired {
			need = "required: the sandbox listens beyond loopback"
		}
		fmt.Fprintf(w, "  Admin API        %s%s (-h lists its routes)\n", srv.URL(), adminPrefix)
		fmt.Fprintf(w, "  Admin token      %s (%s)\n\n", shellQuote(token), need)
	} else {
		fmt.Fprintf(w, "  Admin API        off\n\n")
	}
	fmt.Fprintf(w, "For the shell (these are local test credentials):\n\n")
	fmt.Fprintf(w, "  export ALIBABA_CLOUD_ACCESS_KEY_ID=%s\n", shellQuote(a.AccessKeyID))
	fmt.Fprintf(w, "  export ALIBABA_CLOUD_ACCESS_KEY_SECRET=%s\n", shellQuote(a.AccessKeySecret))
	fmt.Fprintf(w, "  export ALIBABA_CLOUD_REGION_ID=%s\n", shellQuote(a.RegionID))
	if s.Admin {
		fmt.Fprintf(w, "  export EXPRESSCONNECT_LOCAL_ADMIN_TOKEN=%s\n", shellQuote(token))
		fmt.Fprintf(w, "  curl -s -H \"Authorization: Bearer $EXPRESSCONNECT_LOCAL_ADMIN_TOKEN\" %s\n", shellQuote(srv.URL()+adminPrefix))
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "Press Ctrl+C to stop.\n")
	return nil
}

// adminPrefix is the path prefix of the server's admin API.
const adminPrefix = "/_sandbox/"

// shellQuote returns v quoted for a POSIX shell: in single quotes, within which nothing is
// expanded or run, with each single quote of v closing the quotes, escaped with a backslash,
// and opening them again. A configured value may hold anything but white space, "$(...)"
// included, and a line of the banner must be safe to paste.
func shellQuote(v string) string {
	return "'" + strings.ReplaceAll(v, "'", `'\''`) + "'"
}

// circuitText describes a circuit in one line, naming its owner when it is not account.
func circuitText(c expressconnecttest.Circuit, account string) string {
	state := "enabled"
	if c.Status != expressconnect.StatusEnabled {
		state = "not enabled: " + string(c.Status)
	}
	text := fmt.Sprintf("%s (%s, %s, %d Mbit/s, quota %d", c.ID, c.RegionID, state, c.CapacityMbps, c.Quota)
	if c.QoSBound {
		text += ", QoS-bound"
	}
	if c.Owner != account {
		text += ", owner " + c.Owner
	}
	return text + ")"
}
