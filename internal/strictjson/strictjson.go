// Package strictjson decodes the JSON that a person writes for the local endpoint, a config
// file or a body of the admin API, strictly: unknown fields, keys given twice and a second
// value are refused, with errors that name the field at fault.
package strictjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Decode decodes the one JSON object in data into v, refusing unknown fields and keys
// given twice, and naming the field of a value of the wrong type.
func Decode(data []byte, v any) error {
	if err := checkDuplicateKeys(data); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.As(err, &typeErr) && typeErr.Field != "":
		return fmt.Errorf("field %s: a JSON %s cannot be a %s", fieldPath(typeErr.Field), typeErr.Value, typeErr.Type)
	case err != nil:
		return err
	}
	if dec.More() {
		return errors.New("more than one JSON value")
	}
	return nil
}

// fieldPath writes the path of a json.UnmarshalTypeError's field as checkDuplicateKeys writes
// paths: an array index in brackets (Circuits[1].Quota). encoding/json gives the index as a
// name of its own from Go 1.27 on (Circuits.1.Quota) and leaves it out before (Circuits.Quota).
func fieldPath(field string) string {
	var b strings.Builder
	for i, name := range strings.Split(field, ".") {
		switch _, err := strconv.Atoi(name); {
		case err == nil && i > 0:
			b.WriteString("[" + name + "]")
		case i > 0:
			b.WriteString("." + name)
		default:
			b.WriteString(name)
		}
	}
	return b.String()
}

// checkDuplicateKeys refuses a key given twice in an object of the first JSON value of data,
// at any depth, naming it by its path (such as Circuits[1].Quota). Keys are compared whatever
// their case, as encoding/json matches them to fields, and it would silently keep the last.
// Data that is not JSON passes: decoding it reports what is wrong.
func checkDuplicateKeys(data []byte) error {
	// scope is an object or an array being read: its path; for an object the keys seen, in
	// lower case, and the key whose value comes next ("" when a key comes next); for an array
	// the index of the next element.
	type scope struct {
		path   string
		object bool
		keys   map[string]bool
		key    string
		index  int
	}
	var stack []*scope
	dec := json.NewDecoder(bytes.NewReader(data))
	for {
		tok, err := dec.Token()
		if err != nil {
			return nil // not JSON: the decoder says what is wrong
		}
		if tok == json.Delim('}') || tok == json.Delim(']') {
			stack = stack[:len(stack)-1]
			if len(stack) == 0 {
				return nil // the first value is read
			}
			continue
		}
		path := "" // the path of the value tok starts
		if len(stack) > 0 {
			top := stack[len(stack)-1]
			switch {
			case top.object && top.key == "":
				key := tok.(string) // in an object, a key comes first
				if top.keys[strings.ToLower(key)] {
					return fmt.Errorf("key %q is given twice: JSON would silently keep the last (keys match fields whatever their case)",
						joinPath(top.path, key))
				}
				top.keys[strings.ToLower(key)] = true
				top.key = key
				continue
			case top.object:
				path, top.key = joinPath(top.path, top.key), ""
			default:
				path = fmt.Sprintf("%s[%d]", top.path, top.index)
				top.index++
			}
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, &scope{path: path, object: true, keys: map[string]bool{}})
		case json.Delim('['):
			stack = append(stack, &scope{path: path})
		}
		if len(stack) == 0 {
			return nil // the first value is a scalar
		}
	}
}

// joinPath returns the path of the field key of the object at path.
func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}
