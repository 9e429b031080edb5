package graph

import (
	"context"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"

	"seatgraph/internal/config"
)

// guard is the gqlgen extension that holds each request to config.Limits
// before it runs: the size of the document before validation, then, once
// the document is valid, strict variable coercion, introspection, page
// sizes, filter string lengths, depth, aliases and cost, in that order, so
// that a bad variable or page size is named as such rather than as a cost.
type guard struct {
	limits        config.Limits
	schema        *ast.Schema
	introspection bool
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationParameterMutator
	graphql.OperationContextMutator
} = guard{}

// ExtensionName implements graphql.HandlerExtension.
func (guard) ExtensionName() string { return "Limits" }

// Validate implements graphql.HandlerExtension.
func (guard) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationParameters rejects, before validation, a request with
// more fields, fragments or input nesting than validation checks quickly,
// or with U+0000 in its text.
func (g guard) MutateOperationParameters(_ context.Context, p *graphql.RawParams) *gqlerror.Error {
	if err := g.checkVariables(p.Variables); err != nil {
		return err
	}
	if g.needsNoParse(p.Query) {
		return nil
	}
	doc, err := parser.ParseQueryWithTokenLimit(&ast.Source{Input: p.Query}, g.limits.Tokens)
	if err != nil || doc == nil {
		return nil // the handler's parser reports it
	}
	if n := len(doc.Fragments); n > g.limits.Fragments {
		return tooMuch("the document defines %d fragments; the limit is %d", n, g.limits.Fragments)
	}
	st := docSize{maxInput: g.limits.InputDepth}
	st.document(doc)
	switch {
	case st.fields > g.limits.Fields:
		return tooMuch("the document selects %d fields; the limit is %d", st.fields, g.limits.Fields)
	case st.input > g.limits.InputDepth:
		return tooMuch("an argument is nested more than %d levels deep", g.limits.InputDepth)
	case st.nul:
		return nulInString()
	}
	return nil
}

// checkVariables refuses variables nested deeper than the input limit or
// holding U+0000.
func (g guard) checkVariables(vars map[string]any) *gqlerror.Error {
	maxInput := g.limits.InputDepth
	for name, v := range vars {
		depth, nul := scanJSON(v, maxInput+1)
		if depth > maxInput {
			return tooMuch("variable $%s is nested more than %d levels deep", name, maxInput)
		}
		if nul {
			return nulInString()
		}
	}
	return nil
}

// needsNoParse reports whether query is too short to break a limit: a
// field takes two characters at least ("a "), a fragment eighteen
// ("fragment a on Q{a}"), a level of input a bracket, a NUL character an
// escape, so a short document that brackets no deeper than the limit and
// escapes nothing cannot exceed one.
func (g guard) needsNoParse(query string) bool {
	l := g.limits
	return len(query) <= min(2*l.Fields, 18*l.Fragments) && bracketDepth(query) <= l.InputDepth &&
		!strings.Contains(query, `\u`) && !strings.ContainsRune(query, 0)
}

// docSize counts what a parsed document selects: its fields, the deepest
// input value (stopping at maxInput+1) and whether any string holds U+0000.
type docSize struct {
	maxInput int
	fields   int
	input    int
	nul      bool
}

func (d *docSize) document(doc *ast.QueryDocument) {
	for _, op := range doc.Operations {
		for _, v := range op.VariableDefinitions {
			d.value(v.DefaultValue)
		}
		d.directives(op.Directives)
		d.selections(op.SelectionSet)
	}
	for _, f := range doc.Fragments {
		d.directives(f.Directives)
		d.selections(f.SelectionSet)
	}
}

func (d *docSize) selections(set ast.SelectionSet) {
	for _, s := range set {
		switch s := s.(type) {
		case *ast.Field:
			d.fields++
			d.arguments(s.Arguments)
			d.directives(s.Directives)
			d.selections(s.SelectionSet)
		case *ast.InlineFragment:
			d.directives(s.Directives)
			d.selections(s.SelectionSet)
		case *ast.FragmentSpread:
			d.directives(s.Directives)
		}
	}
}

func (d *docSize) directives(ds ast.DirectiveList) {
	for _, dir := range ds {
		d.arguments(dir.Arguments)
	}
}

func (d *docSize) arguments(args ast.ArgumentList) {
	for _, a := range args {
		d.value(a.Value)
	}
}

func (d *docSize) value(v *ast.Value) {
	d.input = max(d.input, valueDepth(v, d.maxInput+1))
	d.nul = d.nul || valueHasNUL(v)
}

// nulInString refuses text with U+0000 anywhere in the input: PostgreSQL
// cannot store or compare it (every such filter, lookup or write failed as
// an internal error there), so neither database takes it.
func nulInString() *gqlerror.Error {
	return badUserInput("strings must not contain the NUL character (U+0000)")
}

// valueHasNUL reports whether a string in v contains U+0000.
func valueHasNUL(v *ast.Value) bool {
	if v == nil {
		return false
	}
	if strings.ContainsRune(v.Raw, 0) {
		return true
	}
	for _, c := range v.Children {
		if strings.ContainsRune(c.Name, 0) || valueHasNUL(c.Value) {
			return true
		}
	}
	return false
}

// valueDepth is the nesting of lists and objects in v, counted up to stop.
func valueDepth(v *ast.Value, stop int) int {
	if v == nil || v.Kind != ast.ListValue && v.Kind != ast.ObjectValue {
		return 0
	}
	if stop <= 1 {
		return 1
	}
	d := 0
	for _, c := range v.Children {
		d = max(d, valueDepth(c.Value, stop-1))
	}
	return 1 + d
}

// scanJSON walks decoded JSON once: depth is the nesting of lists and
// objects, counted up to stop (deeper input is refused, so the walk goes no
// further); nul reports a string or key holding U+0000 within that depth.
func scanJSON(v any, stop int) (depth int, nul bool) {
	switch x := v.(type) {
	case string:
		return 0, strings.ContainsRune(x, 0)
	case map[string]any:
		if stop <= 1 {
			return 1, false
		}
		for k, c := range x {
			d, n := scanJSON(c, stop-1)
			depth, nul = max(depth, d), nul || n || strings.ContainsRune(k, 0)
		}
	case []any:
		if stop <= 1 {
			return 1, false
		}
		for _, c := range x {
			d, n := scanJSON(c, stop-1)
			depth, nul = max(depth, d), nul || n
		}
	default:
		return 0, false
	}
	return 1 + depth, nul
}

// bracketDepth is the deepest nesting of braces and brackets in a query,
// strings and comments included: at least that of any value in it.
func bracketDepth(q string) int {
	d, deepest := 0, 0
	for i := 0; i < len(q); i++ {
		switch q[i] {
		case '{', '[':
			d++
			deepest = max(deepest, d)
		case '}', ']':
			d--
		}
	}
	return deepest
}
