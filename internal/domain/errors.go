package domain

// The one vocabulary of failures a client is told about. Two kinds:
//
//   - Error values (ValidationError, SoldOutError, ...) are a mutation's
//     domain failures. A mutation returns them in its payload's errors list
//     (Hot Chocolate's mutation conventions), and each type is the Go side of
//     the GraphQL type of the same name; outside a payload (a query argument
//     naming nothing) they become a top-level error, NotFoundError with
//     CodeNotFound and the others with CodeBadUserInput.
//   - InputError is a top-level error about the request's own input (an ID,
//     a decimal, a timestamp, a page size, a filter) with the code it gets.
//
// graph/errors.go is the one place that turns these into GraphQL errors;
// docs/client-guide.md lists the codes for clients.

import (
	"errors"
	"fmt"
	"time"
)

// Error is a domain failure. Every payload error union binds to it.
type Error interface {
	error
	isDomainError()
}

// ValidationError says an input field is not acceptable.
type ValidationError struct {
	// Field is the input path, e.g. "tickets.0.holder.email".
	Field   *string
	Message string
}

func (e *ValidationError) Error() string {
	if e.Field != nil {
		return *e.Field + ": " + e.Message
	}
	return e.Message
}
func (*ValidationError) isDomainError() {}

// Invalid returns a ValidationError on field.
func Invalid(field, format string, args ...any) *ValidationError {
	return &ValidationError{Field: &field, Message: fmt.Sprintf(format, args...)}
}

// NotFoundError says an object named in the input does not exist.
type NotFoundError struct {
	ID      *int
	Message string
}

func (e *NotFoundError) Error() string { return e.Message }
func (*NotFoundError) isDomainError()  {}

// NotFound returns a NotFoundError for an object of type typ.
func NotFound(typ string, id int) *NotFoundError {
	return &NotFoundError{ID: &id, Message: fmt.Sprintf("%s not found", typ)}
}

// InvalidStateError says the object's state does not allow the change.
type InvalidStateError struct {
	Message string
}

func (e *InvalidStateError) Error() string { return e.Message }
func (*InvalidStateError) isDomainError()  {}

// InvalidState returns an InvalidStateError.
func InvalidState(format string, args ...any) *InvalidStateError {
	return &InvalidStateError{Message: fmt.Sprintf(format, args...)}
}

// As reports whether err is (or wraps) a domain failure and returns it.
func As(err error) (Error, bool) {
	var d Error
	if errors.As(err, &d) {
		return d, true
	}
	return nil, false
}

// SoldOutError says there are not enough seats for the whole request.
type SoldOutError struct {
	EventID        int
	AvailableSeats *int
	// WaitlistAvailable tells whether joining the waitlist would be accepted.
	WaitlistAvailable bool
	Message           string
}

func (e *SoldOutError) Error() string { return e.Message }
func (*SoldOutError) isDomainError()  {}

// RegistrationClosedError says the event does not take registrations now.
type RegistrationClosedError struct {
	EventID int
	Message string
}

func (e *RegistrationClosedError) Error() string { return e.Message }
func (*RegistrationClosedError) isDomainError()  {}

// IdempotencyKeyReusedError says an idempotency key came back with other input.
type IdempotencyKeyReusedError struct {
	Message string
}

func (e *IdempotencyKeyReusedError) Error() string { return e.Message }
func (*IdempotencyKeyReusedError) isDomainError()  {}

// TicketNotFoundError says no ticket has the scanned code.
type TicketNotFoundError struct {
	Message string
}

func (e *TicketNotFoundError) Error() string { return e.Message }
func (*TicketNotFoundError) isDomainError()  {}

// AlreadyCheckedInError says the ticket was checked in before.
type AlreadyCheckedInError struct {
	CheckedInAt time.Time
	Message     string
}

func (e *AlreadyCheckedInError) Error() string { return e.Message }
func (*AlreadyCheckedInError) isDomainError()  {}

// TicketNotValidError says the ticket cannot be admitted, and why.
type TicketNotValidError struct {
	Reason  string
	Message string
}

func (e *TicketNotValidError) Error() string { return e.Message }
func (*TicketNotValidError) isDomainError()  {}

// Codes are the values of extensions.code on top-level errors.
const (
	// CodeBadUserInput: an argument or variable cannot be used as given.
	CodeBadUserInput = "BAD_USER_INPUT"
	// CodeNotFound: an object a query names does not exist for the caller.
	CodeNotFound = "NOT_FOUND"
	// CodePageSizeExceeded: first, last or take is above the largest page.
	CodePageSizeExceeded = "PAGE_SIZE_EXCEEDED"
	// CodeUnauthenticated: the operation needs an API key, or the key is not valid.
	CodeUnauthenticated = "UNAUTHENTICATED"
	// CodeForbidden: the key's role or tenant does not allow the operation.
	CodeForbidden = "FORBIDDEN"
	// CodeComplexity: the operation is beyond a request limit (cost, depth, aliases, size).
	CodeComplexity = "COMPLEXITY_LIMIT_EXCEEDED"
	// CodeValidation: the operation does not validate against the schema.
	CodeValidation = "GRAPHQL_VALIDATION_FAILED"
	// CodeBadRequest: the HTTP request is not a GraphQL request that can be read.
	CodeBadRequest = "BAD_REQUEST"
	// CodeInternal: the server failed; the details stay in its log.
	CodeInternal = "INTERNAL_SERVER_ERROR"
)

// InputError is a top-level client error about the request's input. Its
// message is written for clients and safe to show.
type InputError struct {
	Code    string
	Message string
}

func (e *InputError) Error() string { return e.Message }

// BadInput returns an InputError with CodeBadUserInput.
func BadInput(format string, args ...any) *InputError {
	return &InputError{Code: CodeBadUserInput, Message: fmt.Sprintf(format, args...)}
}

// AsInputError reports whether err is (or wraps) an InputError and returns it.
func AsInputError(err error) (*InputError, bool) {
	var e *InputError
	if errors.As(err, &e) {
		return e, true
	}
	return nil, false
}
