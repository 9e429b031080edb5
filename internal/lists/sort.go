package lists

import (
	"fmt"
	"strings"

	"entgo.io/ent/dialect/sql"

	"seatgraph/internal/domain"
)

// SortKey is one key of a list order.
type SortKey struct {
	Name     string // path of GraphQL names: "startsAt", "booker.lastName"
	Type     Type
	Desc     bool
	Nullable bool
	// Expr writes the SQL expression of the key for the table in scope.
	Expr func(c ColFunc, dialect string) string
	// depth counts the to-one hops the key goes through, for aliases.
	depth int
}

// Key is a sort key on a field of the entity itself.
func Key(f Field, dir domain.SortEnumType) SortKey {
	return SortKey{Name: f.Name, Type: f.Type, Desc: dir == domain.SortDESC, Nullable: f.Nullable, Expr: f.Expr}
}

// Hop describes a to-one edge for sorting through it: the neighbour row is
// the row of Table whose Column equals this row's Local column.
type Hop struct {
	Name   string
	Table  string
	Column string
	Local  string
}

// Through re-roots sort keys of a to-one neighbour onto this entity: each
// becomes a correlated subquery, null when there is no neighbour.
func Through(h Hop, keys []SortKey) []SortKey {
	out := make([]SortKey, len(keys))
	for i, k := range keys {
		inner, depth := k.Expr, k.depth+1
		alias := fmt.Sprintf("_s%d", depth)
		k.Name = h.Name + "." + k.Name
		k.Nullable = true
		k.depth = depth
		k.Expr = func(c ColFunc, d string) string {
			ac := func(col string) string { return quote(alias) + "." + quote(col) }
			return fmt.Sprintf("(SELECT %s FROM %s AS %s WHERE %s = %s LIMIT 1)",
				inner(ac, d), quote(h.Table), quote(alias), ac(h.Column), c(h.Local))
		}
		out[i] = k
	}
	return out
}

func quote(ident string) string { return `"` + strings.ReplaceAll(ident, `"`, `""`) + `"` }

// Order is the complete order of a list: the keys asked for (or the
// entity's default) with ties broken on id ascending.
type Order struct {
	Keys []SortKey
}

// NewOrder completes keys with the default order and the id tiebreaker.
func NewOrder(keys, defaults []SortKey, id Field) Order {
	if len(keys) == 0 {
		keys = defaults
	}
	keys = append(keys[:len(keys):len(keys)], Key(id, domain.SortASC))
	return Order{Keys: keys}
}

// Signature names the order; a cursor only fits the order it came from.
func (o Order) Signature() string {
	var b strings.Builder
	for i, k := range o.Keys {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(k.Name)
		if k.Desc {
			b.WriteString(" desc")
		}
	}
	return b.String()
}

// keyAlias is the result column of the i-th sort key value.
func keyAlias(i int) string { return fmt.Sprintf("__k%d", i) }

// apply orders the selector by the keys (reversed for backward pages), nulls
// last in both directions, and selects the key values for cursors.
func (o Order) apply(reverse, selectKeys bool) func(*sql.Selector) {
	return func(s *sql.Selector) {
		for i, k := range o.Keys {
			e := k.Expr(s.C, s.Dialect())
			s.OrderExpr(sql.Expr(k.orderTerm(e, reverse)))
			if selectKeys {
				s.AppendSelectExprAs(sql.Expr(e), keyAlias(i))
			}
		}
	}
}

// orderTerm writes the ORDER BY term of the key over expr; nulls sort
// last, so when a backward page reads the list in reverse they come first.
// A key that cannot be null says nothing about nulls: PostgreSQL reads an
// index backwards only for the default null order (DESC NULLS FIRST), and
// "created_at DESC NULLS LAST" sorted every booking of the tenant for the
// first page of the default order.
func (k SortKey) orderTerm(expr string, reverse bool) string {
	dir := " ASC"
	if k.Desc != reverse {
		dir = " DESC"
	}
	if !k.Nullable {
		return expr + dir
	}
	nulls := " NULLS LAST"
	if reverse {
		nulls = " NULLS FIRST"
	}
	return expr + dir + nulls
}

// terms returns the ORDER BY terms for a window function.
func (o Order) terms(c ColFunc, d string, reverse bool) string {
	parts := make([]string, len(o.Keys))
	for i, k := range o.Keys {
		parts[i] = k.orderTerm(k.Expr(c, d), reverse)
	}
	return strings.Join(parts, ", ")
}
