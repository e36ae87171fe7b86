package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/expressconnect-go/expressconnect"
	"github.com/expressconnect-go/expressconnect/expressconnecttest"
)

// TestCreate runs the command against the local endpoint: it prints the token first, then
// the ID; run again with that token, it prints the same ID; a VLAN in use says the free one.
func TestCreate(t *testing.T) {
	srv := expressconnecttest.NewTestServer(t, expressconnecttest.Config{})
	acct := srv.Account()
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", acct.AccessKeyID)
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", acct.AccessKeySecret)
	t.Setenv("ALIBABA_CLOUD_CREDENTIALS_FILE", t.TempDir()+"/none")
	t.Setenv("ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "true")
	t.Setenv("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")
	args := []string{"-region", acct.RegionID, "-endpoint", srv.URL(), "-circuit", expressconnecttest.DefaultCircuitID,
		"-tenant", "1210123456789012", "-vlan", "0", "-spec", "200M"}

	var out, errOut bytes.Buffer
	require.NoError(t, run(context.Background(), args, &out, &errOut))
	id := strings.TrimSpace(out.String())
	assert.True(t, strings.HasPrefix(id, "pc-"), "%q", id)
	token := strings.Fields(errOut.String())[1]
	conns, err := srv.Admin().Connections(context.Background())
	require.NoError(t, err)
	require.Len(t, conns, 1)
	assert.Equal(t, expressconnect.VLAN(0), conns[0].VLANID, "VLAN 0 is sent as given")
	assert.Equal(t, expressconnect.Spec200M, conns[0].Spec)

	out.Reset()
	require.NoError(t, run(context.Background(), append(args, "-token", token), &out, &errOut))
	assert.Equal(t, id, strings.TrimSpace(out.String()), "the same token creates nothing new")
	conns, err = srv.Admin().Connections(context.Background())
	require.NoError(t, err)
	assert.Len(t, conns, 1)

	err = run(context.Background(), append(args[:len(args)-4], "-vlan", "0"), &out, &errOut)
	require.ErrorIs(t, err, expressconnect.ErrVLANConflict)
	assert.Contains(t, err.Error(), "(the first free VLAN is")

	err = run(context.Background(), args[:len(args)-4], &out, &errOut)
	require.ErrorIs(t, err, expressconnect.ErrInvalidParameter, "no -vlan: refused, never sent as 0")
}
