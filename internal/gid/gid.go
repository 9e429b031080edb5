// Package gid encodes the globally unique, opaque IDs of the GraphQL API.
//
// Every Ent table starts its integer keys at typeIndex<<32 (see the
// entsql.IncrementStart annotations in ent/schema), so an integer key alone
// tells its type. On the wire an ID is base64url("<Type>:<local number>").
package gid

import (
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/99designs/gqlgen/graphql"

	"seatgraph/internal/domain"
)

// Types maps a type index (the key's upper 32 bits) to its GraphQL type name.
// It must match the IncrementStart annotations of the Ent schemas.
var Types = map[int]string{
	1:  "Tenant",
	2:  "Event",
	3:  "TicketCategory",
	4:  "Participant",
	5:  "Booking",
	6:  "Ticket",
	7:  "Registration",
	8:  "Payment",
	9:  "History",
	10: "IdempotencyKey",
	11: "APIKey",
}

var indexOf = func() map[string]int {
	m := make(map[string]int, len(Types))
	for i, n := range Types {
		m[n] = i
	}
	return m
}()

// ErrInvalid is returned for strings that are not seatgraph IDs.
var ErrInvalid = errors.New("invalid ID")

// TypeOf returns the GraphQL type name of a key ("" when unknown).
func TypeOf(id int) string { return Types[id>>32] }

// Encode returns the opaque form of a key.
func Encode(id int) string {
	return base64.RawURLEncoding.EncodeToString([]byte(TypeOf(id) + ":" + strconv.Itoa(id&(1<<32-1))))
}

// Decode returns the key an opaque ID stands for.
func Decode(s string) (int, error) {
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(s, "="))
	if err != nil {
		return 0, fmt.Errorf("%w: %q", ErrInvalid, s)
	}
	typ, num, ok := strings.Cut(string(raw), ":")
	idx, known := indexOf[typ]
	local, perr := strconv.ParseInt(num, 10, 64)
	// Local 0 is valid: on PostgreSQL an identity column STARTs WITH the
	// IncrementStart value itself, so the first row of a table is
	// typeIndex<<32 exactly (SQLite starts one above).
	if !ok || !known || perr != nil || local < 0 || local >= 1<<32 {
		return 0, fmt.Errorf("%w: %q", ErrInvalid, s)
	}
	return idx<<32 | int(local), nil
}

// DecodeAs decodes s and checks it names an object of type typ.
func DecodeAs(s, typ string) (int, error) {
	id, err := Decode(s)
	if err != nil {
		return 0, err
	}
	if TypeOf(id) != typ {
		return 0, fmt.Errorf("%w: %q is not a %s ID", ErrInvalid, s, typ)
	}
	return id, nil
}

// MarshalID writes a key as a GraphQL ID (gqlgen marshaller).
func MarshalID(id int) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) { _, _ = io.WriteString(w, strconv.Quote(Encode(id))) })
}

// UnmarshalID reads a GraphQL ID into a key (gqlgen unmarshaller).
func UnmarshalID(v any) (int, error) {
	s, ok := v.(string)
	if !ok {
		return 0, domain.BadInput("an ID is a string")
	}
	id, err := Decode(s)
	if err != nil {
		return 0, domain.BadInput("%q is not a valid ID", s)
	}
	return id, nil
}
