package lists

import (
	"context"
	"reflect"
	"slices"

	"entgo.io/ent/dialect/sql"
	"github.com/99designs/gqlgen/graphql"
)

// Selection returns the fields selected under f on an object of type typ
// (fragments on typ or on Node included).
func Selection(ctx context.Context, f graphql.CollectedField, typ string) []graphql.CollectedField {
	if !graphql.HasOperationContext(ctx) {
		return nil
	}
	return graphql.CollectFields(graphql.GetOperationContext(ctx), f.Selections, []string{typ, "Node"})
}

// ConnectionSelection returns the fields selected on the nodes of the
// connection field f, through nodes and edges.node alike.
func ConnectionSelection(ctx context.Context, f graphql.CollectedField, typ string) []graphql.CollectedField {
	if !graphql.HasOperationContext(ctx) {
		return nil
	}
	oc := graphql.GetOperationContext(ctx)
	var out []graphql.CollectedField
	for _, c := range graphql.CollectFields(oc, f.Selections, []string{typ + "Connection", typ + "CollectionSegment"}) {
		switch c.Name {
		case "nodes", "items":
			out = append(out, Selection(ctx, c, typ)...)
		case "edges":
			for _, e := range graphql.CollectFields(oc, c.Selections, []string{typ + "Edge"}) {
				if e.Name == "node" {
					out = append(out, Selection(ctx, e, typ)...)
				}
			}
		}
	}
	return out
}

// current returns the field being resolved, if any.
func current(ctx context.Context) (graphql.CollectedField, bool) {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || !graphql.HasOperationContext(ctx) {
		return graphql.CollectedField{}, false
	}
	return fc.Field, true
}

// ConnectionNodes is ConnectionSelection of the field being resolved.
func ConnectionNodes(ctx context.Context, typ string) []graphql.CollectedField {
	f, ok := current(ctx)
	if !ok {
		return nil
	}
	return ConnectionSelection(ctx, f, typ)
}

// SegmentItems is the selection on the items of the offset page being resolved.
func SegmentItems(ctx context.Context, typ string) []graphql.CollectedField {
	return ConnectionNodes(ctx, typ)
}

// FieldSelection is the selection of the field being resolved, on typ.
func FieldSelection(ctx context.Context, typ string) []graphql.CollectedField {
	f, ok := current(ctx)
	if !ok {
		return nil
	}
	return Selection(ctx, f, typ)
}

// Args are the raw arguments of a nested connection field.
type Args map[string]any

// ArgsOf returns the arguments of f with variables substituted.
func ArgsOf(ctx context.Context, f graphql.CollectedField) Args {
	if !graphql.HasOperationContext(ctx) {
		return nil
	}
	return f.ArgumentMap(graphql.GetOperationContext(ctx).Variables)
}

// Decode reads where and order through the schema's own input decoders and
// returns the paging arguments.
func (a Args) Decode(ctx context.Context, where, order any) (CursorArgs, error) {
	var c CursorArgs
	if v, ok := a["where"]; ok && v != nil {
		if err := unmarshalInput(ctx, v, where); err != nil {
			return c, err
		}
	}
	if v, ok := a["order"]; ok && v != nil {
		if err := unmarshalInput(ctx, v, order); err != nil {
			return c, err
		}
	}
	var err error
	if c.First, err = intArg(a, "first"); err != nil {
		return c, err
	}
	if c.Last, err = intArg(a, "last"); err != nil {
		return c, err
	}
	c.After, c.Before = strArg(a, "after"), strArg(a, "before")
	return c, nil
}

// unmarshalInput decodes raw into v with the schema's decoder of an input
// object type T. gqlgen keeps one decoder per T and finds it by the type v
// points to, while where arrives as **T and order as *[]*T; a single object
// given for a list is a list of one (GraphQL input coercion).
func unmarshalInput(ctx context.Context, raw, v any) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return graphql.UnmarshalInputFromContext(ctx, raw, v)
	}
	one := func(raw any, t reflect.Type) (reflect.Value, error) {
		x := reflect.New(t)
		err := graphql.UnmarshalInputFromContext(ctx, raw, x.Interface())
		return x, err
	}
	switch t := rv.Elem().Type(); {
	case t.Kind() == reflect.Pointer && t.Elem().Kind() == reflect.Struct:
		x, err := one(raw, t.Elem())
		if err != nil {
			return err
		}
		rv.Elem().Set(x)
		return nil
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Pointer && t.Elem().Elem().Kind() == reflect.Struct:
		items, ok := raw.([]any)
		if !ok {
			items = []any{raw}
		}
		out := reflect.MakeSlice(t, 0, len(items))
		for _, it := range items {
			x, err := one(it, t.Elem().Elem())
			if err != nil {
				return err
			}
			out = reflect.Append(out, x)
		}
		rv.Elem().Set(out)
		return nil
	}
	return graphql.UnmarshalInputFromContext(ctx, raw, v)
}

func intArg(a Args, name string) (*int, error) {
	v, ok := a[name]
	if !ok || v == nil {
		return nil, nil
	}
	i, err := graphql.UnmarshalInt(v)
	if err != nil {
		return nil, badInput("%s must be an integer", name)
	}
	return &i, nil
}

func strArg(a Args, name string) *string {
	if s, ok := a[name].(string); ok {
		return &s
	}
	return nil
}

// Link tells how children hang off their parents: by a foreign key on the
// child table, or through a join table.
type Link struct {
	FK                               string
	JoinTable, JoinParent, JoinChild string
}

// Partition is the SQL expression of the parent key of a child row in a
// query that loads children (for M2M edges Ent joins the join table).
func (l Link) Partition(s *sql.Selector) string {
	if l.JoinTable != "" {
		// In the dialect of s: without one the builder quotes with
		// backticks, which PostgreSQL rejects.
		return sql.Dialect(s.Dialect()).Table(l.JoinTable).As(joinAlias).C(l.JoinParent)
	}
	return s.C(l.FK)
}

// joinAlias is the alias of the join table: Ent's M2M eager loading joins it
// first and so names it t1; Scope gives its own join the same name.
const joinAlias = "t1"

// Scope narrows a children query to the children of parents ids, joining
// the join table when there is one.
func (l Link) Scope(ids []int) Predicate {
	vals := make([]any, len(ids))
	for i, id := range ids {
		vals[i] = id
	}
	return func(s *sql.Selector) {
		if l.JoinTable != "" {
			t := sql.Table(l.JoinTable).As(joinAlias)
			s.Join(t).On(s.C("id"), t.C(l.JoinChild))
			s.Where(sql.In(t.C(l.JoinParent), vals...))
			return
		}
		s.Where(sql.In(s.C(l.FK), vals...))
	}
}

// Apply orders a selector by o, for lists that are not paged.
func (o Order) Apply(s *sql.Selector) { o.apply(false, false)(s) }

// Columns returns the columns a selection of an entity reads, given known,
// the columns of each GraphQL field that reads stored columns only; the id
// comes first, always. ok is false when a selected field is not in known
// (its resolver may read any column): then the query reads every column,
// and so do the edges loaded below it (see WithAllColumns).
func Columns(ctx context.Context, fields []graphql.CollectedField, known map[string][]string) (cols []string, ok bool) {
	if ctx.Value(allColumnsKey{}) != nil {
		return nil, false
	}
	cols = append(make([]string, 0, 8), "id")
	for _, f := range fields {
		cs, ok := known[f.Name]
		if !ok {
			return nil, false
		}
		for _, c := range cs {
			if !slices.Contains(cols, c) {
				cols = append(cols, c)
			}
		}
	}
	return cols, true
}

// ReadsParent reports whether the selection of the child list field name
// (of GraphQL type typ, whose stored-column fields are known) asks for a
// field with a resolver of its own. The children of such a list get their
// parent as their to-one edge back, and a resolver may read any column of
// it (a ticket category's availableSeats reads its event's capacity), so
// the parent must then be read with every column.
func ReadsParent(ctx context.Context, fields []graphql.CollectedField, name, typ string, known map[string][]string) bool {
	for _, f := range fields {
		if f.Name != name {
			continue
		}
		for _, c := range Selection(ctx, f, typ) {
			if _, ok := known[c.Name]; !ok {
				return true
			}
		}
	}
	return false
}

type allColumnsKey struct{}

// WithAllColumns marks ctx so that Columns selects nothing less than every
// column: a resolver that reads columns of its own may also read those of
// the edges loaded with its object (a ticket category's availableSeats
// reads its event's capacity, whatever the selection asked of the event).
func WithAllColumns(ctx context.Context) context.Context {
	return context.WithValue(ctx, allColumnsKey{}, true)
}
