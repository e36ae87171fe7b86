package expressconnecttest

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
		"Timestamp":            {s.Now().Format(timestampLayout)},
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
	p.Set(signatureParam, Sign(method, p, secret))
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

// FuzzServeHTTP sends any method, path, query, body and header to the server's handler and
// checks that it never panics, that every answer is a success body or the service's JSON
// error shape, and that no request whose signature VerifySignature refuses is answered with
// success.
func FuzzServeHTTP(f *testing.F) {
	s, err := NewServer(WithAccessKey(fuzzKeyID, fuzzKeySecret),
		WithSTSCredentials(fuzzSTSID, fuzzSTSSecret, fuzzSTSToken), WithRequestLogSize(16))
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
			assert.NotEmpty(t, field("Code"), "Code: %s", rr.Body.String())
			assert.NotEmpty(t, field("Message"), "Message: %s", rr.Body.String())
			return
		}
		params, ok := requestParams(rawQuery, contentType, body)
		require.True(t, ok, "a request whose parameters cannot be parsed is not answered with success")
		assertSuccessBody(t, params.Get("Action"), answer)
		secret, known := secrets[params.Get("AccessKeyId")]
		require.True(t, known, "a request from an unknown AccessKey is not answered with success")
		assert.NoError(t, VerifySignature(method, params, secret), "only a correctly signed request is answered with success")
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
	case actionDelete:
		assert.Equal(t, map[string]any{"RequestId": answer["RequestId"]}, answer)
	case actionList:
		assert.Len(t, answer, 5, "RequestId, NextToken, TotalCount, Count and VirtualPhysicalConnections: %v", answer)
		assert.IsType(t, []any{}, answer["VirtualPhysicalConnections"])
	default:
		t.Errorf("success answer to action %q, which the server does not serve: %v", action, answer)
	}
}
