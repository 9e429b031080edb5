package domain

import "fmt"

// Code is the extensions.code the GraphQL layer gives input errors.
const Code = "BAD_USER_INPUT"

// New returns the error of a value that could not be decoded from the
// client's input (an ID, a decimal, a timestamp, an enum): a ValidationError
// naming no field, with a message safe to show. It stays free of any
// GraphQL type; the GraphQL layer shows a domain failure outside a payload
// as a top-level BAD_USER_INPUT error with this message.
func New(format string, args ...any) error {
	return &ValidationError{Message: fmt.Sprintf(format, args...)}
}
