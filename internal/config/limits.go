package config

import (
	"context"
	"errors"
	"fmt"
)

// Limits is the one value that bounds what a request may ask of seatgraph.
// Parse builds it from flags and environment once; the HTTP layer (body
// size), the GraphQL parser (tokens), the checks before validation (fields,
// fragments, input nesting), the operation checks (depth, aliases, cost,
// page sizes, filter strings) and the lists (default and largest page) all
// read this same value, so the cost estimate always counts the page sizes
// the lists will use.
type Limits struct {
	// BodyBytes bounds a request body; 0 means none.
	BodyBytes int64
	// Tokens bounds the lexical tokens of a query document: deeply nested
	// documents are refused before the parser recurses deep.
	Tokens int
	// Depth bounds the nesting of selections; Aliases the fields answered
	// under another name.
	Depth   int
	Aliases int
	// Cost bounds the estimated work: an object counts 1, a list counts its
	// page size (first, last or take; PageSize when none) times its
	// children. Introspection (__schema, __type, __typename) costs nothing.
	Cost int
	// Fields, Fragments and InputDepth bound a document before it is
	// validated, where its size costs more than its execution: checking
	// for overlapping fields takes time quadratic in repeated fields, and
	// checking argument values time quadratic in their nesting. Fields
	// counts field selections, fragments included; Fragments fragment
	// definitions; InputDepth the nesting of lists and input objects in
	// arguments and variables.
	Fields     int
	Fragments  int
	InputDepth int
	// PageSize is a list's page size when a query asks for none;
	// MaxPageSize the largest first, last or take.
	PageSize    int
	MaxPageSize int
	// FilterString bounds the length, in characters, of each string in a
	// list's where argument: SQLite refuses LIKE patterns over 50,000 bytes,
	// and no real search needs a thousand characters.
	FilterString int
}

// Defaults are the limits of a server started without flags.
var Defaults = Limits{
	BodyBytes:    1 << 20,
	Tokens:       15000,
	Depth:        15,
	Aliases:      30,
	Cost:         10000,
	Fields:       500,
	Fragments:    50,
	InputDepth:   64,
	PageSize:     20,
	MaxPageSize:  100,
	FilterString: 1000,
}

// Validate reports limits that cannot work.
func (l Limits) Validate() error {
	var errs []error
	positive := func(flag string, v int) {
		if v < 1 {
			errs = append(errs, fmt.Errorf("-%s must be at least 1, got %d", flag, v))
		}
	}
	if l.BodyBytes < 0 {
		errs = append(errs, fmt.Errorf("-max-body-bytes must not be negative, got %d", l.BodyBytes))
	}
	positive("max-tokens", l.Tokens)
	positive("max-depth", l.Depth)
	positive("max-aliases", l.Aliases)
	positive("max-cost", l.Cost)
	positive("max-fields", l.Fields)
	positive("max-fragments", l.Fragments)
	positive("max-input-depth", l.InputDepth)
	positive("page-size", l.PageSize)
	positive("max-filter-length", l.FilterString)
	if l.MaxPageSize < l.PageSize {
		errs = append(errs, fmt.Errorf("-max-page-size (%d) must not be below -page-size (%d)", l.MaxPageSize, l.PageSize))
	}
	return errors.Join(errs...)
}

type key struct{}

// With returns ctx carrying l, for the code that runs under a request.
func With(ctx context.Context, l Limits) context.Context {
	return context.WithValue(ctx, key{}, l)
}

// From returns the limits ctx carries, Defaults when it carries none.
func From(ctx context.Context) Limits {
	if l, ok := ctx.Value(key{}).(Limits); ok {
		return l
	}
	return Defaults
}
