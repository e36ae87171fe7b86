package expressconnect

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
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

// sdkError builds the *tea.SDKError the Tea SDK returns for the same answer. That SDK reads an
// error answer into a ClientError, ServerError or ThrottlingError and hands the caller a
// *tea.SDKError made from it, whose Data is the error body without its null fields, Message
// "code: <status>, <Message> request id: <RequestId>", Description the body's Description or
// "<nil>", and AccessDeniedDetail the body's on a 4xx answer other than throttling, else
// empty. Data holds the Code, Message, RequestId and HostId of e, as the redaction boundary
// kept them, rather than the body's; any server string-to-sign is left out of Message and
// Data, as from Error.
func (e *APIError) sdkError() *tea.SDKError {
	data := decodeBodyMap(e.body)
	// The fields e kept by their shape, and the Message without any server string-to-sign,
	// replace the body's.
	for key, kept := range map[string]string{"Code": string(e.Code), "Message": e.Message, "RequestId": e.RequestID, "HostId": e.HostID} {
		if _, ok := data[key]; ok {
			data[key] = kept
		}
	}
	if data == nil {
		data = make(map[string]any, 6)
		data["RequestId"], data["HostId"], data["Code"] = e.RequestID, e.HostID, string(e.Code)
		data["Message"], data["Recommend"] = e.Message, e.Recommend
	}
	obj := map[string]any{
		"code":               string(e.Code),
		"message":            "code: " + strconv.Itoa(e.StatusCode) + ", " + teaText(data, "Message", "message") + " request id: " + teaText(data, "RequestId", "requestId"),
		"description":        teaText(data, "Description", "description"),
		"data":               data,
		"statusCode":         e.StatusCode,
		"accessDeniedDetail": e.teaAccessDeniedDetail(data),
	}
	return tea.NewSDKError(obj)
}

// teaAccessDeniedDetail returns the AccessDeniedDetail the Tea SDK gives for an answer with
// the body data: on a 4xx answer that is not throttling (its ClientError), the body's
// AccessDeniedDetail (else accessDeniedDetail) object without its null fields; otherwise nil,
// which tea.NewSDKError turns into an empty map, as it does the Tea SDK's.
func (e *APIError) teaAccessDeniedDetail(data map[string]any) map[string]any {
	switch {
	case e.StatusCode < 400 || e.StatusCode >= 500:
		return nil
	case e.Code == CodeThrottling || e.Code == CodeThrottlingUser || e.Code == CodeThrottlingAPI:
		return nil
	}
	v, ok := data["AccessDeniedDetail"]
	if !ok {
		v = data["accessDeniedDetail"]
	}
	detail, _ := v.(map[string]any)
	return withoutNulls(detail)
}

// teaText returns a field of the error body as the Tea SDK writes it into its error: the value
// of key, else of lower when key's is empty, in fmt's %v form ("<nil>" when neither is set).
func teaText(data map[string]any, key, lower string) string {
	v := data[key]
	if v == nil || v == "" || v == false {
		v = data[lower]
	}
	return fmt.Sprint(v)
}

// decodeBodyMap decodes a JSON object as the official SDK does, numbers as json.Number and
// without its null fields, or returns nil.
func decodeBodyMap(body []byte) map[string]any {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var m map[string]any
	if dec.Decode(&m) != nil {
		return nil
	}
	return withoutNulls(m)
}

// withoutNulls returns a copy of m without the fields whose value is nil (JSON null), or nil
// when m is nil.
func withoutNulls(m map[string]any) map[string]any {
	if m == nil {
		return nil
	}
	out := maps.Clone(m)
	maps.DeleteFunc(out, func(_ string, v any) bool { return v == nil })
	return out
}
