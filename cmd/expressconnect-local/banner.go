package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/expressconnect-go/expressconnect"
	"github.com/expressconnect-go/expressconnect/expressconnecttest"
)

// printBanner prints the endpoint, the credentials to use (the sandbox's purpose: they are
// local test credentials), the circuits and the admin API.
func printBanner(w io.Writer, srv *expressconnecttest.Server, s settings, adm *admin) {
	stsID, stsSecret, stsToken := srv.STSCredentials()
	fmt.Fprintf(w, "expressconnect-local listening on %s\n\n", srv.URL())
	fmt.Fprintf(w, "  Endpoint         %s\n", srv.URL())
	fmt.Fprintf(w, "  Actions          %s\n", strings.Join(expressconnecttest.Actions(), ", "))
	fmt.Fprintf(w, "  Region           %s\n", srv.Region())
	fmt.Fprintf(w, "  Account          %s\n", srv.AccountID())
	for _, c := range srv.Circuits() {
		fmt.Fprintf(w, "  Circuit          %s\n", circuitText(c, srv.AccountID()))
	}
	fmt.Fprintf(w, "  AccessKeyId      %s\n", srv.AccessKeyID())
	fmt.Fprintf(w, "  AccessKeySecret  %s\n", srv.AccessKeySecret())
	for _, k := range s.AccessKeys[min(1, len(s.AccessKeys)):] {
		fmt.Fprintf(w, "  Also accepted    %s (secret as configured)\n", k.ID)
	}
	for _, k := range s.DeniedAccessKeys {
		fmt.Fprintf(w, "  Denied (403)     %s (secret as configured)\n", k.ID)
	}
	fmt.Fprintf(w, "  STS AccessKeyId  %s\n", stsID)
	fmt.Fprintf(w, "  STS Secret       %s\n", stsSecret)
	fmt.Fprintf(w, "  STS Token        %s\n", stsToken)
	if adm != nil {
		need := "optional on loopback"
		if adm.guard.tokenRequired {
			need = "required: the sandbox listens beyond loopback"
		}
		fmt.Fprintf(w, "  Admin API        %s%s (-h lists its routes)\n", srv.URL(), adminPrefix)
		fmt.Fprintf(w, "  Admin token      %s (%s)\n\n", shellQuote(adm.guard.token), need)
	} else {
		fmt.Fprintf(w, "  Admin API        off\n\n")
	}
	fmt.Fprintf(w, "For the shell (these are local test credentials):\n\n")
	fmt.Fprintf(w, "  export ALIBABA_CLOUD_ACCESS_KEY_ID=%s\n", shellQuote(srv.AccessKeyID()))
	fmt.Fprintf(w, "  export ALIBABA_CLOUD_ACCESS_KEY_SECRET=%s\n", shellQuote(srv.AccessKeySecret()))
	fmt.Fprintf(w, "  export ALIBABA_CLOUD_REGION_ID=%s\n", shellQuote(srv.Region()))
	if adm != nil {
		fmt.Fprintf(w, "  export EXPRESSCONNECT_LOCAL_ADMIN_TOKEN=%s\n", shellQuote(adm.guard.token))
		fmt.Fprintf(w, "  curl -s -H \"Authorization: Bearer $EXPRESSCONNECT_LOCAL_ADMIN_TOKEN\" %s\n", shellQuote(srv.URL()+adminPrefix))
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "Press Ctrl+C to stop.\n")
}

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
