package expressconnect

import (
	"bytes"
	"encoding/json"
	"strconv"

	"github.com/alibabacloud-go/tea/tea"
)

// This file is the client's interoperability with the official Tea SDK's errors: the only
// file that imports package tea.

// As fills a **tea.SDKError target the way the official Tea SDK would, so that handlers written
// for it keep working.
func (e *APIError) As(target any) bool {
	p, ok := target.(**tea.SDKError)
	if !ok {
		return false
	}
	*p = e.sdkError()
	return true
}

// sdkError builds the *tea.SDKError the Tea SDK returns for the same answer: its Data is the
// whole error body plus "statusCode", and its Message "code: <status>, <Message> request id:
// <RequestId>". Any server string-to-sign is left out of both, as from Error.
func (e *APIError) sdkError() *tea.SDKError {
	data := decodeBodyMap(e.body)
	if _, ok := data["Message"]; ok {
		data["Message"] = e.Message // without any server string-to-sign
	}
	if data == nil {
		data = make(map[string]any, 6)
		data["RequestId"], data["HostId"], data["Code"] = e.RequestID, e.HostID, string(e.Code)
		data["Message"], data["Recommend"] = e.Message, e.Recommend
	}
	data["statusCode"] = e.StatusCode
	obj := map[string]any{
		"code":       string(e.Code),
		"message":    "code: " + strconv.Itoa(e.StatusCode) + ", " + e.Message + " request id: " + e.RequestID,
		"data":       data,
		"statusCode": e.StatusCode,
	}
	if detail, ok := data["AccessDeniedDetail"].(map[string]any); ok {
		obj["accessDeniedDetail"] = detail
	}
	return tea.NewSDKError(obj)
}

// decodeBodyMap decodes a JSON object as the official SDK does, numbers as json.Number, or
// returns nil.
func decodeBodyMap(body []byte) map[string]any {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var m map[string]any
	if dec.Decode(&m) != nil {
		return nil
	}
	return m
}
