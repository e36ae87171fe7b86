package expressconnect

import (
	"errors"
	"fmt"
	"io"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	jsonv1 "github.com/go-json-experiment/json/v1"
)

// This file is the one place where the client's rules for reading the service's JSON are
// set. Every answer body is decoded by decodeJSON, with the JSON engine of the standard
// library's encoding/json/v2 (github.com/go-json-experiment/json, which is that package
// itself when Go is built with the jsonv2 experiment, the default from Go 1.27): on Go 1.26
// it decodes a List page of 100 hosted connections in less than half the time encoding/json
// takes (BenchmarkDecodeList, 520 µs against 1,260; benchmarks/README.md says how measured).

// wireJSON is how the service's answers are read:
//   - member names match the fields' names in any case (strings.EqualFold, underscores and
//     dashes kept), as encoding/json matched them;
//   - a member named twice in one object makes the answer unreadable (RFC 7493, I-JSON, says
//     names must be unique): encoding/json kept the last and dropped the first, and an answer
//     that names, say, two PhysicalConnectionId in one element cannot be trusted to say which
//     connection it describes. A member the client reads is named twice when two names match
//     it in any case; the service's answers never do either;
//   - bytes that are not UTF-8 inside a string become U+FFFD, as with encoding/json, so one
//     odd byte in a name or description does not fail a page.
var wireJSON = json.JoinOptions(
	json.MatchCaseInsensitiveNames(true),
	jsonv1.MatchCaseSensitiveDelimiter(true),
	jsontext.AllowDuplicateNames(false),
	jsontext.AllowInvalidUTF8(true),
)

// decodeJSON decodes the JSON answer body into v with the rules of wireJSON. Its errors
// quote nothing of body, whose member names and values are the service's (or whoever answered
// in its place) and may hold anything: they give the byte offset, the JSON kind and the Go
// type only. A body that ends mid-value gives an error that matches io.ErrUnexpectedEOF.
func decodeJSON(body []byte, v any) error {
	err := json.Unmarshal(body, v, wireJSON)
	if err == nil {
		return nil
	}
	var syntactic *jsontext.SyntacticError
	var semantic *json.SemanticError
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("JSON ends early: %w", io.ErrUnexpectedEOF)
	case errors.As(err, &syntactic) && errors.Is(err, jsontext.ErrDuplicateName):
		return fmt.Errorf("JSON names a member twice, at byte %d", syntactic.ByteOffset)
	case errors.As(err, &syntactic):
		return fmt.Errorf("JSON is not well formed at byte %d", syntactic.ByteOffset)
	case errors.As(err, &semantic) && semantic.GoType != nil:
		return fmt.Errorf("JSON %s at byte %d cannot be read as %s", kindName(semantic.JSONKind), semantic.ByteOffset, semantic.GoType)
	case errors.As(err, &semantic):
		return fmt.Errorf("JSON %s at byte %d cannot be read", kindName(semantic.JSONKind), semantic.ByteOffset)
	}
	return errors.New("JSON cannot be read")
}

// kindName names a JSON kind as a reader of an error says it.
func kindName(k jsontext.Kind) string {
	switch k {
	case 'n':
		return "null"
	case 'f', 't':
		return "boolean"
	case '"':
		return "string"
	case '0':
		return "number"
	case '{':
		return "object"
	case '[':
		return "array"
	}
	return "value"
}

// unquoteJSON returns the text of the JSON string b with its escapes decoded (and bytes that
// are not UTF-8 as U+FFFD), or ok false when b is not a JSON string.
func unquoteJSON(b []byte) (text string, ok bool) {
	return text, len(b) > 0 && b[0] == '"' && json.Unmarshal(b, &text, wireJSON) == nil
}
