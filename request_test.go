package expressconnect

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// allParamsRequest returns the input of the recorded all_params case
// (testdata/wire/all_params.*.json): every parameter set, two tags, every rule kept. Tests
// that change one field can expect violations of that field only.
func allParamsRequest() *CreateVirtualPhysicalConnectionRequest {
	return &CreateVirtualPhysicalConnectionRequest{
		RegionID:             "cn-hangzhou",
		PhysicalConnectionID: "pc-bp1ciz7ekd2grn1as0001",
		VpconnAliUID:         "1210123456123456",
		VLANID:               VLAN(4),
		Spec:                 Spec50M,
		OrderMode:            PayByVirtualPhysicalConnectionOwner,
		Name:                 "nametest",
		Description:          "desctest",
		Token:                "CBCE910E-D396-4944-8A1B-7E0C5A3F0001",
		ResourceGroupID:      "rg-aekzjty2chzuqky",
		Tags:                 []Tag{{Key: "env", Value: "prod"}, {Key: "team", Value: "netops"}},
	}
}

// minimalRequest returns a valid request with the required fields only (no RegionId: the
// client's region is used; no Token: the client generates one), with the values of
// allParamsRequest where they are the same fields.
func minimalRequest() *CreateVirtualPhysicalConnectionRequest {
	return &CreateVirtualPhysicalConnectionRequest{
		PhysicalConnectionID: "pc-bp1ciz7ekd2grn1as0001",
		VpconnAliUID:         "1210123456123456",
		VLANID:               VLAN(4),
		Spec:                 Spec100M,
		OrderMode:            PayByPhysicalConnectionOwner,
	}
}

// TestVLANIDJSON checks that a request kept as JSON keeps VLAN 0 apart from unset.
func TestVLANIDJSON(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		vlan VLANID
		json string
	}{
		{"unset is null", VLANID{}, "null"},
		{"VLAN 0 is 0", VLAN(0), "0"},
		{"VLAN 2999", VLAN(2999), "2999"},
		{"out of range is kept for validation to name", VLAN(5000), "5000"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			req := allParamsRequest()
			req.VLANID = tc.vlan
			b, err := json.Marshal(req)
			require.NoError(t, err)
			assert.Contains(t, string(b), `"VLANID":`+tc.json)

			var back CreateVirtualPhysicalConnectionRequest
			require.NoError(t, json.Unmarshal(b, &back))
			assert.Equal(t, req, &back)
		})
	}
	var v VLANID
	assert.Error(t, json.Unmarshal([]byte(`"100"`), &v), "a string is not a VLAN")
	var missing CreateVirtualPhysicalConnectionRequest
	require.NoError(t, json.Unmarshal([]byte(`{"PhysicalConnectionID":"pc-1"}`), &missing))
	assert.Equal(t, VLANID{}, missing.VLANID, "a missing VLANID stays unset")
}
