package expressconnect

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
