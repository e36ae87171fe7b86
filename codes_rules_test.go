package expressconnect

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// These tests pin the decisions codes.go makes from a code's shape and an answer's HTTP
// status, at the boundaries of each rule.

func TestCodeFamilyByShape(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		code Code
		want Family
	}{
		{"MissingParameter", "MissingParameter", ErrInvalidParameter},
		{"InvalidParameter", "InvalidParameter", ErrInvalidParameter},
		{"MissingParam.* not in the table", "MissingParam.Brand", ErrInvalidParameter},
		{"IllegalParam.* not in the table", "IllegalParam.Brand", ErrInvalidParameter},
		{"*.Malformed not in the table", "Brand.Malformed", ErrInvalidParameter},
		{"Throttling", "Throttling", ErrThrottled},
		{"Throttling.* not in the table", "Throttling.Brand", ErrThrottled},
		{"a prefix without its dot is no family", "IllegalParamBrand", ""},
		{"Malformed without its dot is no family", "BrandMalformed", ""},
		{"a throttling prefix without its dot is no family", "ThrottlingBrand", ""},
		{"MissingParameter as a prefix is no family", "MissingParameterX", ""},
		{"Throttling inside a code is no family", "Brand.Throttling", ""},
		{"the table wins over the shape", CodeInvalidRegionIDNotFound, ErrInvalidParameter},
		{"the table's family for a dotted code", CodeRejectedThrottling, ErrThrottled},
		{"a dry-run code has none", CodeDryRunOperation, ""},
		{"unknown", "Brand.NewCode", ""},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, tt.code.Family())
		})
	}
}

// TestFamilyOfStatus checks the status rule of familyOf: a code without a family is
// ErrServerSide from HTTP 500 on, and a code with one keeps it whatever the status.
func TestFamilyOfStatus(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		code   Code
		status int
		want   Family
	}{
		{"unknown code with exactly 500", "Brand.NewCode", 500, ErrServerSide},
		{"unknown code with 499", "Brand.NewCode", 499, ""},
		{"unknown code with 501", "Brand.NewCode", 501, ErrServerSide},
		{"unknown code with 599", "Brand.NewCode", 599, ErrServerSide},
		{"no code with 500", "", 500, ErrServerSide},
		{"no code with 404", "", 404, ""},
		{"dry-run code with 500", CodeDryRunOperation, 500, ErrServerSide},
		{"a family code with 500 keeps its family", CodeIllegalParamVLANID, 500, ErrInvalidParameter},
		{"a family code with 200 keeps its family", CodeForbiddenRAM, 200, ErrPermission},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, familyOf(tt.code, tt.status))
		})
	}
}

// TestRetryClassOfStatus checks that the status rule applies to every code the table does
// not mark retryable, known or not, and only for HTTP 500, 502, 503 and 504.
func TestRetryClassOfStatus(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		code   Code
		status int
		want   RetryClass
	}{
		{"a known NoRetry code on a 503 falls back to the status", CodeForbiddenRAM, 503, RetryTransient},
		{"a known NoRetry code on a 500 falls back to the status", CodeIllegalParamVLANID, 500, RetryTransient},
		{"a known NoRetry code on a 400 is not retried", CodeForbiddenRAM, 400, NoRetry},
		{"a known NoRetry code on a 501 is not retried", CodeInvalidParameter, 501, NoRetry},
		{"a dry-run code on a 502 falls back to the status", CodeDryRunOperation, 502, RetryTransient},
		{"the table's class wins over a 400", CodeSignatureNonceUsed, 400, RetryTransient},
		{"the table's class wins over a 503", CodeInvalidTimeStampExpired, 503, RetryClockSkew},
		{"the table's throttled class on a 503", CodeThrottlingUser, 503, RetryThrottled},
		{"a throttling code by shape on a 400", "Throttling.Brand", 400, RetryThrottled},
		{"a throttling code by shape on a 503", "Throttling.Brand", 503, RetryThrottled},
		{"unknown code with 500", "Brand.NewCode", 500, RetryTransient},
		{"unknown code with 502", "Brand.NewCode", 502, RetryTransient},
		{"unknown code with 503", "Brand.NewCode", 503, RetryTransient},
		{"unknown code with 504", "Brand.NewCode", 504, RetryTransient},
		{"unknown code with 501", "Brand.NewCode", 501, NoRetry},
		{"unknown code with 505", "Brand.NewCode", 505, NoRetry},
		{"unknown code with 499", "Brand.NewCode", 499, NoRetry},
		{"a parameter code by shape with 400", "IllegalParam.Brand", 400, NoRetry},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, retryClassOf(tt.code, tt.status))
		})
	}
}

// TestCodeRemedy checks where a remedy comes from: the table's own, else the family's by code,
// else the family's by status, else none.
func TestCodeRemedy(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		code   Code
		status int
		want   string
	}{
		{"the table's remedy", CodeIllegalParamVLANID, 400, codeTable[CodeIllegalParamVLANID].remedy},
		{"a throttling code without a remedy of its own takes its family's", CodeThrottling, 503, familyRemedies[ErrThrottled]},
		{"a table code with an empty remedy takes its family's", CodeForbidden, 400, familyRemedies[ErrPermission]},
		{"a code by shape takes its family's", "IllegalParam.Brand", 400, familyRemedies[ErrInvalidParameter]},
		{"unknown code with 500 takes the server side's", "Brand.NewCode", 500, familyRemedies[ErrServerSide]},
		{"unknown code with 400 has none", "Brand.NewCode", 400, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, codeRemedy(tt.code, tt.status))
		})
	}
}
