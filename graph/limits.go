package graph

import (
	"context"
	"fmt"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// CodeComplexity is the error code of operations over a limit.
const CodeComplexity = "COMPLEXITY_LIMIT_EXCEEDED"

// Limits bound what one operation may ask for, before it runs.
type Limits struct {
	MaxDepth   int // nesting of selections
	MaxAliases int // fields answered under another name
	// MaxCost bounds the estimated work: an object counts 1, a list counts
	// its page size (first, last or take; DefaultPage when none) times its
	// children.
	MaxCost     int
	DefaultPage int
}

// DefaultLimits are API.md's defaults.
var DefaultLimits = Limits{MaxDepth: 15, MaxAliases: 30, MaxCost: 10000, DefaultPage: 20}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = Limits{}

// ExtensionName implements graphql.HandlerExtension.
func (Limits) ExtensionName() string { return "Limits" }

// Validate implements graphql.HandlerExtension.
func (Limits) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationContext rejects an operation over a limit.
func (l Limits) MutateOperationContext(_ context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Operation == nil {
		return nil
	}
	w := walker{limits: l, doc: oc.Doc, vars: oc.Variables}
	cost := w.cost(oc.Operation.SelectionSet, 1, false)
	switch {
	case w.depth > l.MaxDepth:
		return tooMuch("the operation is nested %d levels deep; the limit is %d", w.depth, l.MaxDepth)
	case w.aliases > l.MaxAliases:
		return tooMuch("the operation uses %d aliases; the limit is %d", w.aliases, l.MaxAliases)
	case cost > l.MaxCost:
		return tooMuch("the operation would cost %d; the limit is %d (a list counts its page size times its fields)", cost, l.MaxCost)
	}
	return nil
}

func tooMuch(format string, args ...any) *gqlerror.Error {
	return &gqlerror.Error{Message: fmt.Sprintf(format, args...), Extensions: map[string]any{"code": CodeComplexity}}
}

type walker struct {
	limits  Limits
	doc     *ast.QueryDocument
	vars    map[string]any
	depth   int
	aliases int
}

// cost estimates a selection set at nesting level d, recording depth and
// aliases on the way; inPage says the set belongs to a connection or
// segment, whose page size was counted already. Costs saturate rather than
// overflow.
func (w *walker) cost(set ast.SelectionSet, d int, inPage bool) int {
	if d > w.depth {
		w.depth = d
	}
	if d > w.limits.MaxDepth+1 {
		return 0 // deep enough to refuse; no need to walk further
	}
	total := 0
	for _, s := range set {
		switch s := s.(type) {
		case *ast.Field:
			if s.Alias != "" && s.Alias != s.Name {
				w.aliases++
			}
			c := 1
			if len(s.SelectionSet) > 0 {
				times := 1
				if !inPage {
					times = w.page(s)
				}
				c += times * w.cost(s.SelectionSet, d+1, isPageField(s))
			}
			total = addSat(total, c)
		case *ast.InlineFragment:
			total = addSat(total, w.cost(s.SelectionSet, d, inPage))
		case *ast.FragmentSpread:
			if f := w.doc.Fragments.ForName(s.Name); f != nil {
				total = addSat(total, w.cost(f.SelectionSet, d, inPage))
			}
		}
	}
	return total
}

// page is how many times a field's children are answered.
func (w *walker) page(f *ast.Field) int {
	for _, name := range []string{"first", "last", "take"} {
		if a := f.Arguments.ForName(name); a != nil {
			if v, err := a.Value.Value(w.vars); err == nil {
				if n, ok := toInt(v); ok && n >= 0 {
					return max(n, 1)
				}
			}
		}
	}
	if f.Definition == nil {
		return 1
	}
	t := f.Definition.Type
	if t.Elem != nil || isPage(t.Name()) {
		return w.limits.DefaultPage
	}
	return 1
}

// isPageField reports whether f returns a connection or segment.
func isPageField(f *ast.Field) bool {
	return f.Definition != nil && f.Definition.Type.Elem == nil && isPage(f.Definition.Type.Name())
}

func isPage(name string) bool {
	for _, suffix := range []string{"Connection", "CollectionSegment"} {
		if len(name) > len(suffix) && name[len(name)-len(suffix):] == suffix {
			return true
		}
	}
	return false
}

func toInt(v any) (int, bool) {
	switch n := v.(type) {
	case int:
		return n, true
	case int64:
		return int(n), true
	case float64:
		return int(n), true
	}
	if n, ok := v.(interface{ Int64() (int64, error) }); ok {
		i, err := n.Int64()
		return int(i), err == nil
	}
	return 0, false
}

func addSat(a, b int) int {
	if a > 1<<40 || b > 1<<40 {
		return 1 << 40
	}
	return a + b
}
