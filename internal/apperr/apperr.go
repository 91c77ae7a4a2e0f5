// Package apperr is the one error type the domain speaks. Every failure a
// caller can act on carries a Code; transports map codes to their own
// vocabulary (GraphQL extensions.code, HTTP status) without string matching,
// and anything without a code is an internal error whose details stay in the
// log.
package apperr

import (
	"errors"
	"fmt"
	"maps"
)

// Code classifies an error for the caller.
type Code string

// The codes the API promises; see README "Errors".
const (
	Unauthenticated Code = "UNAUTHENTICATED"
	Forbidden       Code = "FORBIDDEN"
	BadUserInput    Code = "BAD_USER_INPUT"
	NotFound        Code = "NOT_FOUND"
	Conflict        Code = "CONFLICT"
	RateLimited     Code = "RATE_LIMITED"
	Internal        Code = "INTERNAL"
)

// Error is a failure with a code, a message safe to show to the caller, and
// optional machine-readable details (the offending field, the supported
// values, the current version...). A BAD_USER_INPUT error also has a
// Reason, whose parameters are among the details.
type Error struct {
	Code    Code
	Reason  Reason
	Message string
	Details map[string]any
}

func (e *Error) Error() string { return e.Message }

// New returns an *Error with a formatted message. A BAD_USER_INPUT error
// is made with Invalid instead, which gives it its reason.
func New(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid returns a BAD_USER_INPUT error for the given reason with a
// formatted message; add the reason's parameters with With.
func Invalid(reason Reason, format string, args ...any) *Error {
	return &Error{Code: BadUserInput, Reason: reason, Message: fmt.Sprintf(format, args...)}
}

// With returns a copy of e with one more detail.
func (e *Error) With(key string, value any) *Error {
	details := make(map[string]any, len(e.Details)+1)
	maps.Copy(details, e.Details)
	details[key] = value
	return &Error{Code: e.Code, Reason: e.Reason, Message: e.Message, Details: details}
}

// CodeOf returns the code of the first *Error in err's chain, or Internal.
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// ReasonOf returns the reason of the first *Error in err's chain; the zero
// Reason when there is none or it has none.
func ReasonOf(err error) Reason {
	var e *Error
	if errors.As(err, &e) {
		return e.Reason
	}
	return Reason{}
}

// Is reports whether err carries the given code.
func Is(err error, code Code) bool {
	return err != nil && CodeOf(err) == code
}
