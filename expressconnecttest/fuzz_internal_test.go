package expressconnecttest

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"maps"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/expressconnect-go/expressconnect/internal/localsign"
)

// Credentials of the fuzzed server, fixed so that signed seeds stay signed across runs.
const (
	fuzzKeyID     = "LTAI5tFuzzKey000000001"
	fuzzKeySecret = "fuzz-secret-0000000000000000001"
	fuzzSTSID     = "STS.NUFuzzRole0000000000000001"
	fuzzSTSSecret = "fuzz-sts-secret-00000000000000000000001"
	fuzzSTSToken  = "CAISfuzz+token/00000000000000000001=="
)

// fuzzParams returns the signed parameters of a valid request for method, with extra set.
func fuzzParams(s *Server, method string, sts bool, extra url.Values) url.Values {
	p := url.Values{
		"AccessKeyId":          {fuzzKeyID},
		"Action":               {actionCreate},
		"Format":               {"JSON"},
		"SignatureMethod":      {signatureMethod},
		"SignatureNonce":       {newRequestID()},
		"SignatureVersion":     {signatureVersion},
		"Timestamp":            {s.clock.now().Format(timestampLayout)},
		"Version":              {apiVersion},
		"RegionId":             {DefaultRegionID},
		"PhysicalConnectionId": {DefaultCircuitID},
		"VpconnAliUid":         {"1210123456123456"},
		"VlanId":               {"100"},
		"Spec":                 {"50M"},
		"OrderMode":            {"PayByVirtualPhysicalConnectionOwner"},
	}
	secret := fuzzKeySecret
	if sts {
		p.Set("AccessKeyId", fuzzSTSID)
		p.Set("SecurityToken", fuzzSTSToken)
		secret = fuzzSTSSecret
	}
	for k, v := range extra {
		p[k] = v
	}
	p.Set("Signature", localsign.Sign(method, p, secret))
	return p
}

// requestParams returns the parameters a request carries by the published rules, parsed
// apart from the server's code: the URL query, and a form body when the Content-Type says
// so. ok is false when they cannot be parsed.
func requestParams(rawQuery, contentType string, body []byte) (params url.Values, ok bool) {
	params, err := url.ParseQuery(rawQuery)
	if err != nil {
		return nil, false
	}
	if mt, _, _ := mime.ParseMediaType(contentType); mt == "application/x-www-form-urlencoded" {
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return nil, false
		}
		for k, v := range form {
			params[k] = append(params[k], v...)
		}
	}
	return params, true
}

// fuzzV3Header signs a V3 request to action with query and body for the fuzzed server, with the
// account's AccessKey or the STS credentials, and returns its headers in the form of the fuzz
// target's header argument: one "name:value" line each, in name order.
func fuzzV3Header(tb testing.TB, s *Server, action string, query url.Values, body []byte, sts bool) string {
	req, err := http.NewRequest(http.MethodPost, "http://127.0.0.1/?"+query.Encode(), nil)
	require.NoError(tb, err)
	req.Header.Set(headerAction, action)
	req.Header.Set(headerVersion, apiVersion)
	req.Header.Set(headerDate, s.clock.now().Format(timestampLayout))
	req.Header.Set(headerNonce, newRequestID())
	req.Header.Set(headerContentSHA256, localsign.HashedPayload(body))
	id, secret := fuzzKeyID, fuzzKeySecret
	if sts {
		req.Header.Set(headerSecurityToken, fuzzSTSToken)
		id, secret = fuzzSTSID, fuzzSTSSecret
	}
	localsign.SignV3(req, body, id, secret)
	var lines strings.Builder
	for _, name := range slices.Sorted(maps.Keys(req.Header)) {
		for _, v := range req.Header[name] {
			lines.WriteString(name + ":" + v + "\n")
		}
	}
	return lines.String()
}

// verifiedV3 reports whether req, whose body is body, carries a correct V3 signature by one of
// secrets (AccessKey ID to secret): its Authorization header names the AccessKey, the signed
// headers and a signature equal to hex(HMAC-SHA256) of the string to sign that
// localsign.CanonicalRequestV3 and localsign.StringToSignV3 give over the body received, and its
// x-acs-content-sha256 is that body's hash.
func verifiedV3(req *http.Request, body []byte, secrets map[string]string) bool {
	values := req.Header.Values("Authorization")
	if len(values) != 1 {
		return false
	}
	rest, ok := strings.CutPrefix(strings.TrimSpace(values[0]), localsign.AlgorithmV3+" ")
	if !ok {
		return false
	}
	fields := map[string]string{}
	for _, field := range strings.Split(rest, ",") {
		name, value, _ := strings.Cut(strings.TrimSpace(field), "=")
		fields[name] = value
	}
	secret, known := secrets[fields["Credential"]]
	payload := localsign.HashedPayload(body)
	if !known || req.Header.Get(headerContentSHA256) != payload {
		return false
	}
	header := req.Header.Clone()
	header.Set("Host", req.Host)
	canonical := localsign.CanonicalRequestV3(req.Method, req.URL.EscapedPath(), req.URL.Query(), header,
		strings.Split(fields["SignedHeaders"], ";"), payload)
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(localsign.StringToSignV3(canonical)))
	return hmac.Equal([]byte(fields["Signature"]), []byte(hex.EncodeToString(mac.Sum(nil))))
}

// errorFields are the fields of the service's JSON error answer, in name order.
var errorFields = []string{"Code", "HostId", "Message", "Recommend", "RequestId"}

// FuzzServeHTTP sends any method, path, query, body and header to the server's handler and
// checks that it never panics, that every answer is a success body of its action or the
// service's JSON error shape, and that a request is answered with success only when it is
// correctly signed: with an Authorization header, by the V3 signature (verifiedV3); without
// one, by the RPC signature (localsign.VerifySignature).
func FuzzServeHTTP(f *testing.F) {
	s, err := NewServer(Config{AccessKeys: []AccessKey{{AccessKeyID: fuzzKeyID, AccessKeySecret: fuzzKeySecret}}, STS: STSCredentials{AccessKeyID: fuzzSTSID, AccessKeySecret: fuzzSTSSecret, SecurityToken: fuzzSTSToken}, RequestLogSize: 16})
	require.NoError(f, err)
	f.Cleanup(s.Close)
	secrets := map[string]string{fuzzKeyID: fuzzKeySecret, fuzzSTSID: fuzzSTSSecret}

	const form = "application/x-www-form-urlencoded"
	post := fuzzParams(s, http.MethodPost, false, nil)
	f.Add(http.MethodPost, "/", post.Encode(), "", []byte(nil), "User-Agent: seed")
	f.Add(http.MethodGet, "/", fuzzParams(s, http.MethodGet, false, url.Values{"VlanId": {"101"}}).Encode(), "", []byte(nil), "")
	f.Add(http.MethodPost, "/", "", form+"; charset=utf-8",
		[]byte(fuzzParams(s, http.MethodPost, true, url.Values{"VlanId": {"102"}}).Encode()), "Accept: application/json")
	f.Add(http.MethodPost, "/", "", form, []byte(fuzzParams(s, http.MethodPost, false,
		url.Values{"VlanId": {"103"}, "Tag.1.Key": {"env"}, "Tag.1.Value": {"prod"}, "DryRun": {"true"}}).Encode()), "")
	broken := fuzzParams(s, http.MethodPost, false, url.Values{"VlanId": {"104"}})
	broken.Set("VlanId", "105") // after signing
	f.Add(http.MethodPost, "/", broken.Encode(), "", []byte(nil), "")
	f.Add(http.MethodPut, "/", post.Encode(), "", []byte(nil), "")
	f.Add(http.MethodPost, "/other", post.Encode(), "", []byte(nil), "")
	f.Add(http.MethodPost, "/", post.Encode()+"&VlanId=7", form, []byte("Spec=1G&Spec=2G"), "")
	f.Add(http.MethodPost, "/", "a=%zz", form, []byte("b=%"), "X-Header:\x00")
	f.Add("", "", "", "", []byte{}, "")
	list := fuzzParams(s, http.MethodPost, false, url.Values{"Action": {actionList}, "MaxResults": {"1"}})
	f.Add(http.MethodPost, "/", list.Encode(), "", []byte(nil), "")
	update := fuzzParams(s, http.MethodPost, false, url.Values{"Action": {actionUpdate}, "InstanceId": {"pc-bp1fuzz"}, "VlanId": {"7"}})
	f.Add(http.MethodPost, "/", update.Encode(), "", []byte(nil), "")
	del := fuzzParams(s, http.MethodPost, false, url.Values{"Action": {actionDelete}, "PhysicalConnectionId": {"pc-bp1fuzz"}})
	f.Add(http.MethodPost, "/", del.Encode(), "", []byte(nil), "")
	terminate := fuzzParams(s, http.MethodPost, false, url.Values{"Action": {actionTerminate}, "PhysicalConnectionId": {DefaultCircuitID}})
	f.Add(http.MethodPost, "/", terminate.Encode(), "", []byte(nil), "")
	cancel := fuzzParams(s, http.MethodPost, false, url.Values{"Action": {actionCancel}, "PhysicalConnectionId": {"pc-bp1fuzz"}, "ClientToken": {"fuzz"}})
	f.Add(http.MethodPost, "/", cancel.Encode(), "", []byte(nil), "")
	describe := fuzzParams(s, http.MethodPost, false, url.Values{"Action": {actionDescribe}, "PageSize": {"1"},
		"Filter.1.Key": {"ProductType"}, "Filter.1.Value.1": {"PhysicalConnection"}})
	f.Add(http.MethodPost, "/", describe.Encode(), "", []byte(nil), "")

	createV3 := func(vlan string) url.Values {
		return url.Values{"RegionId": {DefaultRegionID}, "PhysicalConnectionId": {DefaultCircuitID},
			"VpconnAliUid": {"1210123456123456"}, "VlanId": {vlan}, "Spec": {"50M"}, "OrderMode": {"PayByVirtualPhysicalConnectionOwner"}}
	}
	f.Add(http.MethodPost, "/", createV3("106").Encode(), "", []byte(nil), fuzzV3Header(f, s, actionCreate, createV3("106"), nil, false))
	formV3 := []byte("Name=fuzz-form")
	f.Add(http.MethodPost, "/", createV3("107").Encode(), form, formV3, fuzzV3Header(f, s, actionCreate, createV3("107"), formV3, true))
	listV3 := url.Values{"RegionId": {DefaultRegionID}, "MaxResults": {"1"}}
	f.Add(http.MethodPost, "/", listV3.Encode(), "", []byte(nil), fuzzV3Header(f, s, actionList, listV3, nil, false))
	f.Add(http.MethodPost, "/", createV3("109").Encode(), "", []byte(nil), fuzzV3Header(f, s, actionCreate, createV3("108"), nil, false))

	f.Fuzz(func(t *testing.T, method, path, rawQuery, contentType string, body []byte, header string) {
		req := &http.Request{
			Method: method, URL: &url.URL{Path: path, RawQuery: rawQuery}, Header: http.Header{},
			Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1, Host: "127.0.0.1",
			Body: io.NopCloser(bytes.NewReader(body)), ContentLength: int64(len(body)),
		}
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		for line := range strings.SplitSeq(header, "\n") {
			if name, value, ok := strings.Cut(line, ":"); ok {
				req.Header.Add(name, value)
			}
		}
		rr := httptest.NewRecorder()
		s.serveHTTP(rr, req)

		var answer map[string]any
		require.NoError(t, json.Unmarshal(rr.Body.Bytes(), &answer), "the answer is a JSON object: %q", rr.Body.String())
		field := func(name string) string { v, _ := answer[name].(string); return v }
		assert.NotEmpty(t, field("RequestId"), "RequestId: %s", rr.Body.String())
		assert.Equal(t, field("RequestId"), rr.Header().Get(headerRequestID))
		assert.Equal(t, "application/json;charset=utf-8", rr.Header().Get("Content-Type"))
		if rr.Code != http.StatusOK {
			assert.GreaterOrEqual(t, rr.Code, 400)
			assert.Equal(t, errorFields, slices.Sorted(maps.Keys(answer)), "the error shape: %s", rr.Body.String())
			for _, name := range errorFields {
				assert.NotEmpty(t, field(name), "%s: %s", name, rr.Body.String())
			}
			return
		}
		params, ok := requestParams(rawQuery, contentType, body)
		require.True(t, ok, "a request whose parameters cannot be parsed is not answered with success")
		if len(req.Header.Values("Authorization")) > 0 {
			assertSuccessBody(t, req.Header.Get(headerAction), answer)
			assert.True(t, verifiedV3(req, body, secrets), "only a correctly V3-signed request is answered with success")
			return
		}
		assertSuccessBody(t, params.Get("Action"), answer)
		secret, known := secrets[params.Get("AccessKeyId")]
		require.True(t, known, "a request from an unknown AccessKey is not answered with success")
		assert.NoError(t, localsign.VerifySignature(method, params, secret), "only a correctly signed request is answered with success")
	})
}

// assertSuccessBody checks the fields of a success answer to action.
func assertSuccessBody(t *testing.T, action string, answer map[string]any) {
	t.Helper()
	switch action {
	case actionCreate:
		assert.Len(t, answer, 2, "a success body has RequestId and VirtualPhysicalConnection: %v", answer)
		assert.NotEmpty(t, answer["VirtualPhysicalConnection"])
	case actionUpdate:
		assert.Equal(t, map[string]any{"RequestId": answer["RequestId"], "Success": "true"}, answer)
	case actionDelete, actionTerminate, actionCancel:
		assert.Equal(t, map[string]any{"RequestId": answer["RequestId"]}, answer)
	case actionDescribe:
		assert.Len(t, answer, 5, "RequestId, PageNumber, PageSize, TotalCount and PhysicalConnectionSet: %v", answer)
		assert.IsType(t, map[string]any{}, answer["PhysicalConnectionSet"])
	case actionList:
		assert.Len(t, answer, 5, "RequestId, NextToken, TotalCount, Count and VirtualPhysicalConnections: %v", answer)
		assert.IsType(t, []any{}, answer["VirtualPhysicalConnections"])
	default:
		t.Errorf("success answer to action %q, which the server does not serve: %v", action, answer)
	}
}
