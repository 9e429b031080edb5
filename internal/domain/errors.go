// Package domainerr holds the typed domain failures of mutations: values
// that are returned in a payload's errors list (Hot Chocolate's mutation
// conventions) rather than as top-level GraphQL errors. Each type is the Go
// side of the GraphQL type of the same name.
package domain

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
