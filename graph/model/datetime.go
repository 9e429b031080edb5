// Package model holds the Go types of the GraphQL layer that no other
// package owns: the models gqlgen generates (models_gen.go) and the
// DateTime scalar.
package model

import (
	"io"
	"strconv"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"seatgraph/internal/domain"
)

// MarshalDateTime writes a time as RFC 3339 in UTC with a Z.
func MarshalDateTime(t time.Time) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) {
		_, _ = io.WriteString(w, strconv.Quote(t.UTC().Format(time.RFC3339Nano)))
	})
}

// UnmarshalDateTime reads an RFC 3339 time with an offset, as UTC truncated
// to microseconds (what both databases store).
func UnmarshalDateTime(v any) (time.Time, error) {
	s, ok := v.(string)
	if !ok {
		return time.Time{}, domain.BadInput("DateTime must be an RFC 3339 string such as \"2026-05-01T19:30:00+02:00\"")
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, domain.BadInput("DateTime %q is not RFC 3339 with an offset, such as \"2026-05-01T19:30:00+02:00\"", s)
	}
	return t.UTC().Truncate(time.Microsecond), nil
}
