// Package inputerr makes the errors of GraphQL input decoding (IDs,
// decimals, timestamps, enums): they reach the client as BAD_USER_INPUT with
// their message, because they describe the client's own input.
package domain

import (
	"fmt"

	"github.com/vektah/gqlparser/v2/gqlerror"
)

// Code is the extensions.code of input errors.
const Code = "BAD_USER_INPUT"

// New returns an input error with a message safe to show.
func New(format string, args ...any) error {
	return &gqlerror.Error{Message: fmt.Sprintf(format, args...), Extensions: map[string]any{"code": Code}}
}
