package graph

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"unicode/utf8"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/99designs/gqlgen/graphql"

	"seatgraph/graph/model"
	"seatgraph/internal/config"
	"seatgraph/internal/domain"
	"seatgraph/internal/lists"
	"seatgraph/internal/money"
)

// MutateOperationContext checks a valid operation against the limits, with
// its variables, before anything runs.
func (g guard) MutateOperationContext(_ context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	op := oc.Operation
	if op == nil {
		return nil
	}
	if err := g.coerceVariables(op, oc.Variables); err != nil {
		return err
	}
	if err := g.checkIntrospection(oc.Doc, op); err != nil {
		return err
	}
	w := walker{limits: g.limits, doc: oc.Doc, vars: oc.Variables, schema: g.schema}
	cost := w.cost(op.SelectionSet, 1, false, op.Operation == ast.Query)
	l := g.limits
	switch {
	case w.inputErr != nil:
		return w.inputErr
	case w.depth > l.Depth:
		return tooMuch("the operation is nested %d levels deep; the limit is %d", w.depth, l.Depth)
	case w.aliases > l.Aliases:
		return tooMuch("the operation uses %d aliases; the limit is %d", w.aliases, l.Aliases)
	case w.over:
		return tooMuch("the operation would cost more than %d, the limit (a list counts its page size times its fields)", l.Cost)
	case cost > l.Cost:
		return tooMuch("the operation would cost %d; the limit is %d (a list counts its page size times its fields)", cost, l.Cost)
	}
	return nil
}

// isIntrospection reports whether f, selected at the root of a query, is
// one of GraphQL's own introspection fields. The name of the field counts,
// never its alias, so "__schema: bookings" is an ordinary, costed field.
func isIntrospection(f *ast.Field, root, query bool) bool {
	return root && query && (f.Name == "__schema" || f.Name == "__type")
}

// checkIntrospection refuses introspection when it is off (__typename
// always works: clients add it everywhere). How deep an introspection query
// may nest is gqlparser's validation rule (graphql-js's
// MaxIntrospectionDepthRule): introspection costs nothing here, but every
// nested fields or possibleTypes multiplies the answer by the schema.
func (g guard) checkIntrospection(doc *ast.QueryDocument, op *ast.OperationDefinition) *gqlerror.Error {
	if g.introspection || op.Operation != ast.Query {
		return nil // __schema and __type exist only on Query
	}
	var roots []*ast.Field
	collectRoot(doc, op.SelectionSet, map[string]bool{}, &roots)
	for _, f := range roots {
		if isIntrospection(f, true, true) {
			return codedError(domain.CodeValidation, "introspection is disabled on this server")
		}
	}
	return nil
}

// collectRoot gathers the fields of a root selection set, through fragments.
func collectRoot(doc *ast.QueryDocument, set ast.SelectionSet, seen map[string]bool, out *[]*ast.Field) {
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			*out = append(*out, s)
		case *ast.InlineFragment:
			collectRoot(doc, s.SelectionSet, seen, out)
		case *ast.FragmentSpread:
			if seen[s.Name] {
				continue
			}
			seen[s.Name] = true
			if f := doc.Fragments.ForName(s.Name); f != nil {
				collectRoot(doc, f.SelectionSet, seen, out)
			}
		}
	}
}

// coerceVariables checks each variable against its declared type the way
// the GraphQL specification coerces input, where gqlparser is lenient: it
// takes an Int of any 64-bit size, a string for an Int or Float, a number
// for an enum, and enum values in any case. Custom scalars are read by the
// same functions the resolvers' arguments are read with. A variable that
// fails is BAD_USER_INPUT, before anything is costed or run.
func (g guard) coerceVariables(op *ast.OperationDefinition, vars map[string]any) *gqlerror.Error {
	for _, def := range op.VariableDefinitions {
		v, ok := vars[def.Variable]
		if !ok {
			continue
		}
		if msg := g.coerce(def.Type, v); msg != "" {
			return badUserInput("variable $%s: %s", def.Variable, msg)
		}
	}
	return nil
}

// coerce checks v against t and says what is wrong, or "".
func (g guard) coerce(t *ast.Type, v any) string {
	if v == nil {
		if t.NonNull {
			return "must not be null" // gqlparser refuses it first
		}
		return ""
	}
	if t.Elem != nil {
		list, ok := v.([]any)
		if !ok {
			return g.coerce(t.Elem, v) // a single value stands for a list of one
		}
		for i, e := range list {
			if msg := g.coerce(t.Elem, e); msg != "" {
				return fmt.Sprintf("[%d] %s", i, msg)
			}
		}
		return ""
	}
	def := g.schema.Types[t.NamedType]
	if def == nil {
		return ""
	}
	switch def.Kind {
	case ast.Enum:
		s, ok := v.(string)
		if !ok || def.EnumValues.ForName(s) == nil {
			return fmt.Sprintf("%s is not a value of %s", describe(v), def.Name)
		}
	case ast.InputObject:
		obj, ok := v.(map[string]any)
		if !ok {
			return fmt.Sprintf("must be an input object %s", def.Name)
		}
		for _, f := range def.Fields {
			if fv, ok := obj[f.Name]; ok {
				if msg := g.coerce(f.Type, fv); msg != "" {
					return f.Name + ": " + msg
				}
			}
		}
	case ast.Scalar:
		return coerceScalar(def.Name, v)
	}
	return ""
}

// coerceScalar checks a scalar value as JSON decoding gave it (numbers as
// json.Number over HTTP, float64 over a websocket).
func coerceScalar(name string, v any) string {
	switch name {
	case "Int":
		n, ok := integer(v)
		if !ok || n < math.MinInt32 || n > math.MaxInt32 {
			return fmt.Sprintf("Int cannot represent %s: it takes whole numbers from -2147483648 to 2147483647", describe(v))
		}
	case "Float":
		if _, ok := number(v); !ok {
			return fmt.Sprintf("Float cannot represent %s", describe(v))
		}
	case "String":
		if _, ok := v.(string); !ok {
			return fmt.Sprintf("String cannot represent %s", describe(v))
		}
	case "Boolean":
		if _, ok := v.(bool); !ok {
			return fmt.Sprintf("Boolean cannot represent %s", describe(v))
		}
	case "ID":
		if _, ok := v.(string); !ok {
			if _, ok := integer(v); !ok {
				return fmt.Sprintf("ID cannot represent %s", describe(v))
			}
		}
	case "DateTime":
		if _, err := model.UnmarshalDateTime(v); err != nil {
			return safeMessage(err)
		}
	case "Decimal":
		var d money.Decimal
		if err := d.UnmarshalGQL(v); err != nil {
			return safeMessage(err)
		}
	case "Map":
		if _, ok := v.(map[string]any); !ok {
			return fmt.Sprintf("Map must be a JSON object, not %s", describe(v))
		}
	}
	return ""
}

// safeMessage is the text of a scalar's unmarshal error, which is written
// for clients (a domain.InputError).
func safeMessage(err error) string {
	if c, ok := clientError(err); ok {
		return c.Message
	}
	return err.Error()
}

// number reads a JSON number.
func number(v any) (float64, bool) {
	switch n := v.(type) {
	case json.Number:
		f, err := n.Float64()
		return f, err == nil
	case float64:
		return n, true
	case float32:
		return float64(n), true
	case int:
		return float64(n), true
	case int32:
		return float64(n), true
	case int64:
		return float64(n), true
	}
	return 0, false
}

// integer reads a JSON number that is whole (1e3 and 5.0 are; 5.5 is not).
func integer(v any) (int64, bool) {
	switch n := v.(type) {
	case int:
		return int64(n), true
	case int32:
		return int64(n), true
	case int64:
		return n, true
	case json.Number:
		if i, err := n.Int64(); err == nil {
			return i, true
		}
	}
	f, ok := number(v)
	if !ok || f != math.Trunc(f) || math.IsInf(f, 0) || math.Abs(f) > 1<<53 {
		return 0, false
	}
	return int64(f), true
}

// describe names a JSON value for an error message.
func describe(v any) string {
	switch x := v.(type) {
	case string:
		if utf8.RuneCountInString(x) > 40 {
			return "a string"
		}
		return strconv.Quote(x)
	case json.Number:
		return x.String()
	case bool:
		return strconv.FormatBool(x)
	case map[string]any:
		return "an object"
	case []any:
		return "a list"
	}
	return fmt.Sprint(v)
}

// walker estimates an operation's cost, recording its depth and aliases and
// the first page size or filter string that breaks a limit.
type walker struct {
	limits  config.Limits
	doc     *ast.QueryDocument
	vars    map[string]any
	schema  *ast.Schema
	depth   int
	aliases int
	// fields and selections count what the walk visited: fragments spread
	// into fragments expand exponentially (2^n fields from n fragments
	// that each spread the next twice), so the walk stops, over the cost
	// limit, once it visited more fields than the cost limit (each adds at
	// least 1 to the cost) or a hundred times as many selections.
	fields, selections int
	over               bool
	inputErr           *gqlerror.Error
}

// cost estimates a selection set at nesting level d; inPage says the set
// belongs to a connection or segment, whose page size was counted already;
// query says the operation is a query (introspection exists only there).
// Introspection costs nothing and counts toward no limit. Costs saturate
// rather than overflow.
func (w *walker) cost(set ast.SelectionSet, d int, inPage, query bool) int {
	if d > w.depth {
		w.depth = d
	}
	if d > w.limits.Depth+1 {
		return 0 // deep enough to refuse; no need to walk further
	}
	total := 0
	for _, s := range set {
		w.selections++
		if w.selections > 100*w.limits.Cost {
			w.over = true
		}
		if w.over {
			return total
		}
		switch s := s.(type) {
		case *ast.Field:
			if s.Name == "__typename" || isIntrospection(s, d == 1, query) {
				continue
			}
			if w.fields++; w.fields > w.limits.Cost {
				w.over = true
			}
			if s.Alias != "" && s.Alias != s.Name {
				w.aliases++
			}
			w.checkFilter(s)
			c := 1
			if len(s.SelectionSet) > 0 {
				times := 1
				if !inPage {
					times = w.page(s)
				}
				c = addSat(c, mulSat(times, w.cost(s.SelectionSet, d+1, isPageField(s), query)))
			}
			total = addSat(total, c)
		case *ast.InlineFragment:
			total = addSat(total, w.cost(s.SelectionSet, d, inPage, query))
		case *ast.FragmentSpread:
			if f := w.doc.Fragments.ForName(s.Name); f != nil {
				total = addSat(total, w.cost(f.SelectionSet, d, inPage, query))
			}
		}
	}
	return total
}

// page is how many times a field's children are answered. A page size over
// the maximum, or negative, is refused here, before the cost: the client
// learns what to change.
func (w *walker) page(f *ast.Field) int {
	for _, name := range []string{"first", "last", "take"} {
		a := f.Arguments.ForName(name)
		if a == nil {
			continue
		}
		v, err := a.Value.Value(w.vars)
		if err != nil || v == nil {
			continue
		}
		n, ok := integer(v)
		if !ok {
			continue
		}
		size := int(n)
		if err := lists.CheckSize(name, &size, w.limits); err != nil && w.inputErr == nil {
			if c, ok := clientError(err); ok {
				w.inputErr = c
			}
		}
		return max(size, 1)
	}
	if f.Definition == nil {
		return 1
	}
	t := f.Definition.Type
	if t.Elem != nil || isPage(t.Name()) {
		return w.limits.PageSize
	}
	return 1
}

// checkFilter refuses a string longer than the limit in a field's where
// argument: the same for every list and on both databases.
func (w *walker) checkFilter(f *ast.Field) {
	a := f.Arguments.ForName("where")
	if a == nil || w.inputErr != nil {
		return
	}
	v, err := a.Value.Value(w.vars)
	if err != nil {
		return
	}
	if n := longestString(v); n > w.limits.FilterString {
		w.inputErr = badUserInput("a string in the where argument of %s is %d characters long; the limit is %d", f.Name, n, w.limits.FilterString)
	}
}

// longestString is the length in characters of the longest string in v.
func longestString(v any) int {
	switch x := v.(type) {
	case string:
		return utf8.RuneCountInString(x)
	case map[string]any:
		n := 0
		for _, c := range x {
			n = max(n, longestString(c))
		}
		return n
	case []any:
		n := 0
		for _, c := range x {
			n = max(n, longestString(c))
		}
		return n
	}
	return 0
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
