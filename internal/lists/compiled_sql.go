package lists

import (
	"strconv"

	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"
)

// The statement of a compiled field is built from Ent selectors and
// predicates only: identifiers come from the generated descriptors, every
// input value (filters, cursor positions) is a bound argument written by
// the predicates of the ordinary path.
//
// Each object is a JSON array of its selected fields in selection order
// (Money as [minor units, currency]); a connection is
// [rows, totalCount, rows before the page exist, rows after it exist], its
// rows carrying the sort key values after the fields, for the cursors.

// maxArgs keeps json_build_array below PostgreSQL's 100 arguments.
const maxArgs = 100

// selWhere lets window bounds narrow a selector directly.
type selWhere struct{ s *sql.Selector }

func (w selWhere) Where(p Predicate) { p(w.s) }

func (p *planner) alias() string {
	a := "q" + strconv.Itoa(p.aliases)
	p.aliases++
	return a
}

func (p *planner) pg() bool { return p.c.Dialect == dialect.Postgres }

// jsonArray writes the array of parts. On SQLite the parts are JSONB (the
// binary form): a subquery's JSONB is taken as JSON by the enclosing
// array, where JSON text would lose its JSON type at the subquery and need
// json() to parse it again at every level; the statement turns the whole
// into text once (statement).
func (p *planner) jsonArray(parts []sql.Querier) sql.Querier {
	fn := "jsonb_array("
	if p.pg() {
		fn = "json_build_array("
	}
	return sql.ExprFunc(func(b *sql.Builder) {
		b.WriteString(fn)
		for i, x := range parts {
			if i > 0 {
				b.Comma()
			}
			b.Join(x)
		}
		b.WriteString(")")
	})
}

// embed places the JSON result of a subquery in an enclosing array.
func (p *planner) embed(sub sql.Querier) sql.Querier {
	return sql.ExprFunc(func(b *sql.Builder) {
		b.Wrap(func(b *sql.Builder) { b.Join(sub) })
	})
}

// aggregate is the JSON array of the "j" column of inner's rows, in
// inner's order; an empty array for no rows.
//
// On PostgreSQL the order is the "n" column, as json_agg is not bound to
// its input's order. On SQLite an aggregate over a FROM subquery reads the
// subquery's rows in the subquery's ORDER BY, by design: SQLite neither
// flattens such a subquery into an aggregate nor drops its ORDER BY while
// the aggregate is the only FROM term, so that group_concat keeps its order
// (sqlite.org/optoverview.html, flattening condition 16). Sorting a second
// time in the aggregate (and numbering the rows with a window to sort by)
// cost two thirds of the whole statement; the differential test of
// compiled against interpreted answers guards the order on every upgrade.
func (p *planner) aggregate(inner *sql.Selector) sql.Querier {
	a := p.alias()
	j := quote(a) + `."j"`
	agg := "jsonb_group_array(" + j + ")"
	if p.pg() {
		agg = "COALESCE(json_agg(" + j + " ORDER BY " + quote(a) + `."n"), '[]'::json)`
	}
	return p.embed(sql.Dialect(p.c.Dialect).Select().AppendSelectExpr(sql.Expr(agg)).From(inner.As(a)))
}

// statement builds the statement of a root list field.
func (p *planner) statement(cp *connPlan) (string, []any, bool) {
	x, ok := p.connExpr(cp, nil)
	if !ok {
		return "", nil, false
	}
	if !p.pg() {
		inner := x
		x = sql.ExprFunc(func(b *sql.Builder) {
			b.WriteString("json(")
			b.Join(inner)
			b.WriteString(")")
		})
	}
	s := sql.Dialect(p.c.Dialect).Select().AppendSelectExprAs(x, "j")
	q, args := s.Query()
	if s.Err() != nil {
		return "", nil, false
	}
	return q, args, true
}

// connExpr is the JSON of a connection or segment; link narrows the child
// rows to those of the enclosing row (nil at the root).
func (p *planner) connExpr(cp *connPlan, link func(*sql.Selector)) (sql.Querier, bool) {
	d := p.c.Dialect
	base := func() (*sql.Selector, bool) {
		s, err := cp.ent.Base(p.ctx, p.alias())
		if err != nil {
			return nil, false
		}
		if link != nil {
			link(s)
		}
		if cp.where != nil {
			cp.where(s)
		}
		return s, true
	}
	page, ok := base()
	if !ok {
		return nil, false
	}
	row, ok := p.row(cp.node, page)
	if !ok {
		return nil, false
	}
	if !cp.segment {
		if len(row)+len(cp.order.Keys) > maxArgs {
			return nil, false
		}
		for _, k := range cp.order.Keys {
			row = append(row, sql.Expr(k.Expr(page.C, d)))
		}
		cp.order.bounds(selWhere{page}, cp.w)
	}
	p.orderRows(page, cp.order, cp.w.backward, link != nil, row)
	if cp.segment && cp.skip > 0 {
		page.Offset(cp.skip)
	}
	page.Limit(cp.w.size + 1)
	parts := []sql.Querier{p.aggregate(page), sql.Expr("NULL"), sql.Expr("NULL"), sql.Expr("NULL")}
	if cp.total {
		s, ok := base()
		if !ok {
			return nil, false
		}
		parts[1] = sql.ExprFunc(func(b *sql.Builder) {
			b.Wrap(func(b *sql.Builder) { b.Join(s.Select().AppendSelectExpr(sql.Expr("COUNT(*)"))) })
		})
	}
	exists := func(narrow func(*sql.Selector)) (sql.Querier, bool) {
		s, ok := base()
		if !ok {
			return nil, false
		}
		if narrow != nil {
			narrow(s)
		}
		return sql.ExprFunc(func(b *sql.Builder) {
			b.WriteString("EXISTS ")
			b.Wrap(func(b *sql.Builder) { b.Join(s.Select().AppendSelectExpr(sql.Expr("1"))) })
		}), true
	}
	// The side the page is read towards is known from the extra row; the
	// other is asked of the database, as Paginate and Offset do.
	switch {
	case cp.segment:
		if cp.prev && cp.skip > 0 {
			if parts[2], ok = exists(nil); !ok {
				return nil, false
			}
		}
	default:
		if cp.prev && cp.w.after != nil {
			after := cp.w.after
			if parts[2], ok = exists(func(s *sql.Selector) { cp.order.notBeyond(selWhere{s}, after, true) }); !ok {
				return nil, false
			}
		}
		if cp.next && cp.w.before != nil {
			before := cp.w.before
			if parts[3], ok = exists(func(s *sql.Selector) { cp.order.notBeyond(selWhere{s}, before, false) }); !ok {
				return nil, false
			}
		}
	}
	return p.jsonArray(parts), true
}

// orderRows makes s select the rows' JSON ("j") and, on PostgreSQL, their
// place in the order ("n"), ordered (aggregate). The rows of one parent (nested) are few: on SQLite their
// sort keys go through unary + (a no-op on every type) so that the planner
// finds them through the index of the link to the parent and sorts them,
// rather than walking an index in the sort order through every row of the
// tenant (without statistics it took ticket_tenant_id_created_at to read a
// booking's tickets).
func (p *planner) orderRows(s *sql.Selector, o Order, reverse, nested bool, row []sql.Querier) {
	c := s.C
	if nested && !p.pg() {
		c = func(col string) string { return "+" + s.C(col) }
	}
	d := p.c.Dialect
	s.Select().AppendSelectExprAs(p.jsonArray(row), "j")
	if p.pg() {
		s.AppendSelectExprAs(sql.Expr("ROW_NUMBER() OVER (ORDER BY "+o.terms(c, d, reverse)+")"), "n")
	}
	for _, k := range o.Keys {
		s.OrderExpr(sql.Expr(k.orderTerm(k.Expr(c, d), reverse)))
	}
}

// row returns the JSON parts of an object of n read from s.
func (p *planner) row(n *nodePlan, s *sql.Selector) ([]sql.Querier, bool) {
	if n.slots > maxArgs {
		return nil, false
	}
	out := make([]sql.Querier, 0, n.slots)
	for _, f := range n.fields {
		if len(out) == n.idSlot {
			out = append(out, sql.Expr(s.C("id")))
		}
		switch f.kind {
		case fTypename, fGo:
			continue
		case fLeaf:
			if f.leaf.Type == TypeMoney {
				out = append(out, p.jsonArray([]sql.Querier{sql.Expr(s.C(f.leaf.Column)), sql.Expr(s.C(f.leaf.Currency))}))
			} else {
				out = append(out, sql.Expr(s.C(f.leaf.Column)))
			}
		case fToOne:
			local := s.C(f.one.Local)
			c, err := f.node.ent.Base(p.ctx, p.alias())
			if err != nil {
				return nil, false
			}
			c.Where(sql.ColumnsEQ(c.C(f.one.Remote), local))
			sub, ok := p.row(f.node, c)
			if !ok {
				return nil, false
			}
			c.Select().AppendSelectExpr(p.jsonArray(sub)).Limit(1)
			out = append(out, p.embed(c))
		case fList:
			c, err := f.node.ent.Base(p.ctx, p.alias())
			if err != nil {
				return nil, false
			}
			p.link(f.many, s)(c)
			sub, ok := p.row(f.node, c)
			if !ok {
				return nil, false
			}
			p.orderRows(c, f.order, false, true, sub)
			out = append(out, p.aggregate(c))
		case fConn:
			x, ok := p.connExpr(f.conn, p.link(f.many, s))
			if !ok {
				return nil, false
			}
			out = append(out, x)
		}
	}
	if len(out) == n.idSlot {
		out = append(out, sql.Expr(s.C("id")))
	}
	return out, true
}

// link narrows children of edge m to those of the row of parent.
func (p *planner) link(m ToMany, parent *sql.Selector) func(*sql.Selector) {
	id := parent.C("id")
	if m.JoinTable == "" {
		return func(c *sql.Selector) { c.Where(sql.ColumnsEQ(c.C(m.FK), id)) }
	}
	// A join rather than "id IN (SELECT ...)": SQLite then starts from the
	// join table's index on the parent and looks the children up by key,
	// where the IN form had it walk every event of the tenant per parent.
	// The join table's key (parent, child) keeps each child once.
	ja := p.alias()
	return func(c *sql.Selector) {
		j := sql.Dialect(p.c.Dialect).Table(m.JoinTable).As(ja)
		c.Join(j).On(c.C("id"), j.C(m.JoinChild))
		c.Where(sql.ColumnsEQ(j.C(m.JoinParent), id))
	}
}
