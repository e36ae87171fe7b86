package expressconnecttest

import (
	"maps"
	"net/url"
	"slices"
	"time"
)

// operations maps each action the server serves to its operation; any other Action is
// answered InvalidAction.NotFound.
var operations = map[string]operation{
	actionCreate:    (*Server).create,
	actionList:      (*Server).list,
	actionUpdate:    (*Server).update,
	actionDelete:    (*Server).delete,
	actionTerminate: (*Server).terminate,
	actionCancel:    (*Server).cancel,
	actionDescribe:  (*Server).describe,
}

// operation answers one authenticated request to an action.
type operation func(s *Server, c call) result

// call is one authenticated, permitted request to an operation.
type call struct {
	params    url.Values
	accountID string
	requestID string
	now       time.Time
}

// result is what an operation decided: a body to answer HTTP 200 with, or an error, and the
// hosted connection the request concerned (see [Request.ConnectionID]).
type result struct {
	body         any
	connectionID string
	err          *apiError
}

// servedActions returns the API actions a Server serves, in alphabetical order.
func servedActions() []string { return slices.Sorted(maps.Keys(operations)) }

// served reports whether the server serves action.
func served(action string) bool {
	_, ok := operations[action]
	return ok
}

// failed returns the result of an operation that failed with err.
func failed(err *apiError) result { return result{err: err} }
