package lists

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"
)

// Filter returns the predicate of operations o on field f, or nil when o
// asks for nothing. Every positive operation is two-valued (a null column
// gives false, never SQL NULL), so each negated operation is its exact
// complement: a null value matches neq and ngt.
func Filter(f Field, o Ops) Predicate {
	if o.empty() {
		return nil
	}
	return func(s *sql.Selector) {
		if p := o.build(s, f); p != nil {
			s.Where(p)
		}
	}
}

func (o Ops) empty() bool {
	return o.Eq == nil && o.Neq == nil && o.In == nil && o.Nin == nil &&
		o.Gt == nil && o.Ngt == nil && o.Gte == nil && o.Ngte == nil &&
		o.Lt == nil && o.Nlt == nil && o.Lte == nil && o.Nlte == nil &&
		o.Contains == nil && o.Ncontains == nil && o.StartsWith == nil &&
		o.NstartsWith == nil && o.EndsWith == nil && o.NendsWith == nil &&
		len(o.And) == 0 && len(o.Or) == 0
}

// build returns the conjunction of all operations in o (nil: no condition).
func (o Ops) build(s *sql.Selector, f Field) *sql.Predicate {
	b := newOpBuilder(s, f)
	b.equality(o)
	b.comparisons(o)
	b.texts(o)
	b.nested(o)
	switch len(b.ps) {
	case 0:
		return nil
	case 1:
		return b.ps[0]
	}
	return sql.And(b.ps...)
}

// opBuilder collects the predicates of one Ops on one field, in the order
// of the Ops fields, so the SQL is the same for the same input.
type opBuilder struct {
	s    *sql.Selector
	f    Field
	expr string // the column, or the amount expression of a Money field
	ps   []*sql.Predicate
}

func newOpBuilder(s *sql.Selector, f Field) *opBuilder {
	expr := s.C(f.Column)
	if f.Type == TypeMoney {
		expr = f.Expr(s.C, s.Dialect())
	}
	return &opBuilder{s: s, f: f, expr: expr}
}

func (b *opBuilder) add(p *sql.Predicate, negate bool) {
	if negate {
		p = sql.Not(p)
	}
	b.ps = append(b.ps, p)
}

// equality adds eq, neq, in and nin.
func (b *opBuilder) equality(o Ops) {
	if o.Eq != nil {
		b.add(b.eq(o.Eq), false)
	}
	if o.Neq != nil {
		b.add(b.eq(o.Neq), true)
	}
	if o.In != nil {
		b.add(b.in(o.In), false)
	}
	if o.Nin != nil {
		b.add(b.in(o.Nin), true)
	}
}

// comparisons adds gt, gte, lt, lte and their negations.
func (b *opBuilder) comparisons(o Ops) {
	for _, c := range []struct {
		v      any
		op     sql.Op
		negate bool
	}{
		{o.Gt, sql.OpGT, false}, {o.Ngt, sql.OpGT, true},
		{o.Gte, sql.OpGTE, false}, {o.Ngte, sql.OpGTE, true},
		{o.Lt, sql.OpLT, false}, {o.Nlt, sql.OpLT, true},
		{o.Lte, sql.OpLTE, false}, {o.Nlte, sql.OpLTE, true},
	} {
		if c.v != nil {
			b.add(b.cmp(c.op, c.v), c.negate)
		}
	}
}

// texts adds contains, startsWith, endsWith and their negations.
func (b *opBuilder) texts(o Ops) {
	for _, c := range []struct {
		v      *string
		kind   string
		negate bool
	}{
		{o.Contains, "contains", false}, {o.Ncontains, "contains", true},
		{o.StartsWith, "prefix", false}, {o.NstartsWith, "prefix", true},
		{o.EndsWith, "suffix", false}, {o.NendsWith, "suffix", true},
	} {
		if c.v != nil {
			b.add(b.fold(c.kind, *c.v), c.negate)
		}
	}
}

// nested adds the and and or lists, built on the same field.
func (b *opBuilder) nested(o Ops) {
	for _, a := range o.And {
		if p := a.build(b.s, b.f); p != nil {
			b.ps = append(b.ps, p)
		}
	}
	if len(o.Or) == 0 {
		return
	}
	var ors []*sql.Predicate
	for _, a := range o.Or {
		p := a.build(b.s, b.f)
		if p == nil { // an empty branch is always true
			return
		}
		ors = append(ors, p)
	}
	b.ps = append(b.ps, sql.Or(ors...))
}

// guard makes a comparison two-valued on a nullable column.
func (b *opBuilder) guard(p *sql.Predicate) *sql.Predicate {
	if !b.f.Nullable {
		return p
	}
	return sql.And(isNull(b.expr, false), p)
}

func (b *opBuilder) cmp(op sql.Op, v any) *sql.Predicate {
	return b.guard(sql.P(func(sb *sql.Builder) { sb.WriteString(b.expr).WriteOp(op).Arg(v) }))
}

// eq compares with a value; a null value asks for IS NULL.
func (b *opBuilder) eq(v *Value) *sql.Predicate {
	if v.V == nil {
		return isNull(b.expr, true)
	}
	return b.cmp(sql.OpEQ, v.V)
}

// in matches any of vals; a null among them matches a null column, which
// SQL's IN never does.
func (b *opBuilder) in(vals []any) *sql.Predicate {
	var (
		args    []any
		hasNull bool
	)
	for _, v := range vals {
		if v == nil {
			hasNull = true
		} else {
			args = append(args, v)
		}
	}
	var parts []*sql.Predicate
	if len(args) > 0 {
		parts = append(parts, b.guard(sql.P(func(sb *sql.Builder) {
			sb.WriteString(b.expr).WriteOp(sql.OpIn).Wrap(func(sb *sql.Builder) { sb.Args(args...) })
		})))
	}
	if hasNull {
		parts = append(parts, isNull(b.expr, true))
	}
	switch len(parts) {
	case 0:
		return sql.False()
	case 1:
		return parts[0]
	}
	return sql.Or(parts...)
}

// fold matches v ignoring case; kind is "contains", "prefix" or "suffix".
func (b *opBuilder) fold(kind string, v string) *sql.Predicate {
	if b.s.Dialect() == dialect.SQLite && foldsBeyondASCII(v) {
		return b.guard(globFold(b.expr, kind, v))
	}
	switch kind {
	case "contains":
		return b.guard(sql.ContainsFold(b.expr, v))
	case "prefix":
		return b.guard(sql.HasPrefixFold(b.expr, v))
	}
	return b.guard(sql.HasSuffixFold(b.expr, v))
}

// foldsBeyondASCII reports whether v has a letter outside ASCII that has
// other cases. SQLite's LOWER and LIKE fold ASCII letters only, so such a
// value goes through globFold there.
func foldsBeyondASCII(v string) bool {
	for _, r := range v {
		if r >= utf8.RuneSelf && unicode.SimpleFold(r) != r {
			return true
		}
	}
	return false
}

// globFold matches expr against v ignoring case with SQLite's GLOB (UTF-8
// aware, case sensitive): every letter of v becomes the set of its cases
// ("ä" is "[äÄ]"), and GLOB's own wildcards in v are matched literally.
// kind is "contains", "prefix" or "suffix".
func globFold(expr, kind, v string) *sql.Predicate {
	var p strings.Builder
	if kind != "prefix" {
		p.WriteByte('*')
	}
	for _, r := range v {
		switch f := unicode.SimpleFold(r); {
		case f != r:
			p.WriteByte('[')
			p.WriteRune(r)
			for ; f != r; f = unicode.SimpleFold(f) {
				p.WriteRune(f)
			}
			p.WriteByte(']')
		case r == '*' || r == '?' || r == '[':
			p.WriteByte('[')
			p.WriteRune(r)
			p.WriteByte(']')
		default:
			p.WriteRune(r)
		}
	}
	if kind != "suffix" {
		p.WriteByte('*')
	}
	pattern := p.String()
	return sql.P(func(b *sql.Builder) { b.WriteString(expr).WriteString(" GLOB ").Arg(pattern) })
}

func isNull(expr string, null bool) *sql.Predicate {
	return sql.P(func(b *sql.Builder) {
		b.WriteString(expr)
		if null {
			b.WriteString(" IS NULL")
		} else {
			b.WriteString(" IS NOT NULL")
		}
	})
}

// And joins entity predicates; nil entries (no condition) are skipped.
func And(ps ...Predicate) Predicate {
	var keep []Predicate
	for _, p := range ps {
		if p != nil {
			keep = append(keep, p)
		}
	}
	switch len(keep) {
	case 0:
		return nil
	case 1:
		return keep[0]
	}
	return sql.AndPredicates(keep...)
}

// Or joins entity predicates; a nil entry (no condition) makes it always true.
func Or(ps ...Predicate) Predicate {
	if len(ps) == 0 {
		return nil
	}
	for _, p := range ps {
		if p == nil {
			return nil
		}
	}
	if len(ps) == 1 {
		return ps[0]
	}
	return sql.OrPredicates(ps...)
}

// Not negates an entity predicate; Not(nil) matches nothing.
func Not(p Predicate) Predicate {
	if p == nil {
		return func(s *sql.Selector) { s.Where(sql.False()) }
	}
	return sql.NotPredicates(p)
}
