package graph

import (
	"context"
	"fmt"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"
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
	// MaxFields, MaxFragments and MaxInputDepth bound a document before it
	// is validated, where its size costs more than its execution: checking
	// for overlapping fields takes time quadratic in repeated fields and
	// worse in chained fragments (7,000 "__typename", well under the token
	// limit, took a minute), and checking argument values takes time
	// quadratic in their nesting (2,000 levels of "and" took 15 seconds).
	// MaxFields counts field selections, fragments included; MaxFragments
	// fragment definitions; MaxInputDepth the nesting of lists and input
	// objects in arguments and variables. 0 takes DefaultLimits'.
	MaxFields     int
	MaxFragments  int
	MaxInputDepth int
}

// DefaultLimits are API.md's defaults.
var DefaultLimits = Limits{MaxDepth: 15, MaxAliases: 30, MaxCost: 10000, DefaultPage: 20,
	MaxFields: 500, MaxFragments: 50, MaxInputDepth: 64}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationParameterMutator
	graphql.OperationContextMutator
} = Limits{}

// preParseTokens bounds the parse of MutateOperationParameters; a longer
// document is left to the handler's parser and its own token limit.
const preParseTokens = 15000

// MutateOperationParameters rejects, before validation, a request with
// more fields, fragments or input nesting than validation checks quickly.
func (l Limits) MutateOperationParameters(_ context.Context, p *graphql.RawParams) *gqlerror.Error {
	maxFields, maxFragments, maxInput := l.MaxFields, l.MaxFragments, l.MaxInputDepth
	if maxFields <= 0 {
		maxFields = DefaultLimits.MaxFields
	}
	if maxFragments <= 0 {
		maxFragments = DefaultLimits.MaxFragments
	}
	if maxInput <= 0 {
		maxInput = DefaultLimits.MaxInputDepth
	}
	for name, v := range p.Variables {
		depth, nul := scanJSON(v, maxInput+1)
		if depth > maxInput {
			return tooMuch("variable $%s is nested more than %d levels deep", name, maxInput)
		}
		if nul {
			return nulInString()
		}
	}
	// A field takes two characters at least ("a "), a fragment eighteen
	// ("fragment a on Q{a}"), a level of input a bracket, a NUL character
	// an escape: a short document that brackets no deeper than the limit
	// and escapes nothing needs no parse.
	if len(p.Query) <= min(2*maxFields, 18*maxFragments) && bracketDepth(p.Query) <= maxInput &&
		!strings.Contains(p.Query, `\u`) && !strings.ContainsRune(p.Query, 0) {
		return nil
	}
	doc, err := parser.ParseQueryWithTokenLimit(&ast.Source{Input: p.Query}, preParseTokens)
	if err != nil || doc == nil {
		return nil // the handler's parser reports it
	}
	if n := len(doc.Fragments); n > maxFragments {
		return tooMuch("the document defines %d fragments; the limit is %d", n, maxFragments)
	}
	fields, input, nul := 0, 0, false
	values := func(args ast.ArgumentList) {
		for _, a := range args {
			input = max(input, valueDepth(a.Value, maxInput+1))
			nul = nul || valueHasNUL(a.Value)
		}
	}
	directives := func(ds ast.DirectiveList) {
		for _, d := range ds {
			values(d.Arguments)
		}
	}
	var count func(ast.SelectionSet)
	count = func(set ast.SelectionSet) {
		for _, s := range set {
			switch s := s.(type) {
			case *ast.Field:
				fields++
				values(s.Arguments)
				directives(s.Directives)
				count(s.SelectionSet)
			case *ast.InlineFragment:
				directives(s.Directives)
				count(s.SelectionSet)
			case *ast.FragmentSpread:
				directives(s.Directives)
			}
		}
	}
	for _, op := range doc.Operations {
		for _, v := range op.VariableDefinitions {
			input = max(input, valueDepth(v.DefaultValue, maxInput+1))
			nul = nul || valueHasNUL(v.DefaultValue)
		}
		directives(op.Directives)
		count(op.SelectionSet)
	}
	for _, f := range doc.Fragments {
		directives(f.Directives)
		count(f.SelectionSet)
	}
	switch {
	case fields > maxFields:
		return tooMuch("the document selects %d fields; the limit is %d", fields, maxFields)
	case input > maxInput:
		return tooMuch("an argument is nested more than %d levels deep", maxInput)
	case nul:
		return nulInString()
	}
	return nil
}

// nulInString refuses text with U+0000 anywhere in the input: PostgreSQL
// cannot store or compare it (every such filter, lookup or write failed as
// an internal error there), so neither database takes it.
func nulInString() *gqlerror.Error {
	return &gqlerror.Error{Message: "strings must not contain the NUL character (U+0000)",
		Extensions: map[string]any{"code": "BAD_USER_INPUT"}}
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
	case w.over:
		return tooMuch("the operation would cost more than %d, the limit (a list counts its page size times its fields)", l.MaxCost)
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
	// fields and selections count what the walk visited: fragments spread
	// into fragments expand exponentially (2^n fields from n fragments
	// that each spread the next twice), so the walk stops, over the cost
	// limit, once it visited more fields than the cost limit (each adds at
	// least 1 to the cost) or a hundred times as many selections.
	fields, selections int
	over               bool
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
		w.selections++
		if w.selections > 100*w.limits.MaxCost {
			w.over = true
		}
		if w.over {
			return total
		}
		switch s := s.(type) {
		case *ast.Field:
			if w.fields++; w.fields > w.limits.MaxCost {
				w.over = true
			}
			if s.Alias != "" && s.Alias != s.Name {
				w.aliases++
			}
			c := 1
			if len(s.SelectionSet) > 0 {
				times := 1
				if !inPage {
					times = w.page(s)
				}
				c = addSat(c, mulSat(times, w.cost(s.SelectionSet, d+1, isPageField(s))))
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

// mulSat multiplies non-negative a and b, saturating like addSat: a page
// size from a variable can be any int.
func mulSat(a, b int) int {
	if a <= 0 || b <= 0 {
		return 0
	}
	if a > 1<<40 || b > 1<<40 || a > (1<<40)/b {
		return 1 << 40
	}
	return a * b
}

func addSat(a, b int) int {
	if a > 1<<40 || b > 1<<40 {
		return 1 << 40
	}
	return a + b
}
