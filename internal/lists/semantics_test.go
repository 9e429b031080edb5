package lists

import (
	"cmp"
	"fmt"
	"strings"
	"testing"
	"unicode"

	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"

	"seatgraph/internal/domain"
)

// This file checks the keyset predicates by meaning rather than by text: a
// tiny evaluator runs the SQLite WHERE clause the way SQL does (three-valued
// logic, NULL comparisons unknown, WHERE keeps only TRUE) over rows in
// memory, and the result is compared with the order computed in Go.

type tri int8

const (
	fls tri = iota
	tru
	unknown
)

func (a tri) and(b tri) tri {
	switch {
	case a == fls || b == fls:
		return fls
	case a == tru && b == tru:
		return tru
	}
	return unknown
}

func (a tri) or(b tri) tri {
	switch {
	case a == tru || b == tru:
		return tru
	case a == fls && b == fls:
		return fls
	}
	return unknown
}

func (a tri) not() tri {
	switch a {
	case tru:
		return fls
	case fls:
		return tru
	}
	return unknown
}

type evaluator struct {
	toks []string
	pos  int
	args []any
	narg int
	row  map[string]any
}

func tokenize(s string) []string {
	var toks []string
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ':
			i++
		case c == '`': // `t`.`col` -> col
			j := strings.IndexByte(s[i+1:], '`') + i + 1
			name := s[i+1 : j]
			i = j + 1
			if i < len(s) && s[i] == '.' {
				k := strings.IndexByte(s[i+2:], '`') + i + 2
				name = s[i+2 : k]
				i = k + 1
			}
			toks = append(toks, "col:"+name)
		case strings.ContainsRune("()?,", rune(c)):
			toks = append(toks, string(c))
			i++
		case strings.ContainsRune("<>=!", rune(c)):
			j := i + 1
			for j < len(s) && strings.ContainsRune("<>=", rune(s[j])) {
				j++
			}
			toks = append(toks, s[i:j])
			i = j
		default:
			j := i
			for j < len(s) && (unicode.IsLetter(rune(s[j])) || s[j] == '_') {
				j++
			}
			if j == i {
				panic(fmt.Sprintf("cannot tokenize %q at %d", s, i))
			}
			toks = append(toks, strings.ToUpper(s[i:j]))
			i = j
		}
	}
	return toks
}

func (e *evaluator) peek() string {
	if e.pos < len(e.toks) {
		return e.toks[e.pos]
	}
	return ""
}

func (e *evaluator) next() string { t := e.peek(); e.pos++; return t }

func (e *evaluator) expect(t string) {
	if got := e.next(); got != t {
		panic(fmt.Sprintf("expected %q, got %q in %v", t, got, e.toks))
	}
}

func (e *evaluator) or() tri {
	v := e.and()
	for e.peek() == "OR" {
		e.next()
		v = v.or(e.and())
	}
	return v
}

func (e *evaluator) and() tri {
	v := e.not()
	for e.peek() == "AND" {
		e.next()
		v = v.and(e.not())
	}
	return v
}

func (e *evaluator) not() tri {
	if e.peek() == "NOT" {
		e.next()
		return e.not().not()
	}
	return e.postfix()
}

func (e *evaluator) postfix() tri {
	v := e.primary()
	if e.peek() == "IS" { // (...) IS [NOT] TRUE/FALSE
		e.next()
		neg := false
		if e.peek() == "NOT" {
			e.next()
			neg = true
		}
		var r tri
		switch e.next() {
		case "TRUE":
			r = map[bool]tri{true: tru, false: fls}[v == tru]
		case "FALSE":
			r = map[bool]tri{true: tru, false: fls}[v == fls]
		default:
			panic("unsupported IS")
		}
		if neg {
			r = r.not()
		}
		return r
	}
	return v
}

func (e *evaluator) value() any {
	t := e.next()
	switch {
	case t == "?":
		v := e.args[e.narg]
		e.narg++
		return v
	case strings.HasPrefix(t, "col:"):
		return e.row[strings.TrimPrefix(t, "col:")]
	}
	panic("not a value: " + t)
}

func (e *evaluator) primary() tri {
	switch t := e.peek(); {
	case t == "(":
		e.next()
		v := e.or()
		e.expect(")")
		return v
	case t == "TRUE":
		e.next()
		return tru
	case t == "FALSE":
		e.next()
		return fls
	}
	a := e.value()
	if e.peek() == "IS" {
		e.next()
		neg := e.peek() == "NOT"
		if neg {
			e.next()
		}
		e.expect("NULL")
		return map[bool]tri{true: tru, false: fls}[(a == nil) != neg]
	}
	op := e.next()
	if op == "IN" {
		e.expect("(")
		var vals []any
		for {
			vals = append(vals, e.value())
			if e.peek() != "," {
				break
			}
			e.next()
		}
		e.expect(")")
		r := fls
		for _, b := range vals {
			if a == nil || b == nil {
				r = r.or(unknown)
			} else if a.(int64) == b.(int64) {
				r = tru
			}
		}
		return r
	}
	b := e.value()
	if a == nil || b == nil {
		return unknown
	}
	c := cmp.Compare(a.(int64), b.(int64))
	ok := map[string]bool{"=": c == 0, "<>": c != 0, "<": c < 0, ">": c > 0, "<=": c <= 0, ">=": c >= 0}
	r, known := ok[op]
	if !known {
		panic("unknown operator " + op)
	}
	return map[bool]tri{true: tru, false: fls}[r]
}

// matches reports whether WHERE p keeps row.
func matches(t *testing.T, p Predicate, row map[string]any) bool {
	t.Helper()
	s := sql.Dialect(dialect.SQLite).Select("*").From(sql.Table("t"))
	p(s)
	q, args := s.Query()
	w, ok := strings.CutPrefix(q, "SELECT * FROM `t` WHERE ")
	if !ok {
		t.Fatalf("unexpected query %s", q)
	}
	e := &evaluator{toks: tokenize(w), args: args, row: row}
	v := e.or()
	if e.pos != len(e.toks) || e.narg != len(args) {
		t.Fatalf("evaluator stopped at %d/%d tokens, %d/%d args: %s", e.pos, len(e.toks), e.narg, len(args), q)
	}
	return v == tru
}

// TestEvaluator checks the evaluator itself on SQL three-valued logic.
func TestEvaluator(t *testing.T) {
	null := map[string]any{"a": nil, "id": int64(1)}
	one := map[string]any{"a": int64(1), "id": int64(1)}
	p := func(f func(s *sql.Selector) *sql.Predicate) Predicate {
		return func(s *sql.Selector) { s.Where(f(s)) }
	}
	gt0 := p(func(s *sql.Selector) *sql.Predicate { return sql.Not(compare(s.C("a"), sql.OpGT, int64(0))) })
	if matches(t, gt0, null) {
		t.Error("NOT (NULL > 0) kept a row")
	}
	if matches(t, gt0, one) {
		t.Error("NOT (1 > 0) kept a row")
	}
	isnull := p(func(s *sql.Selector) *sql.Predicate {
		return sql.Or(compare(s.C("a"), sql.OpGT, int64(0)), isNull(s.C("a"), true))
	})
	if !matches(t, isnull, null) || !matches(t, isnull, one) {
		t.Error("a > 0 OR a IS NULL")
	}
}

type seekRow struct {
	b, a any // b non-null, a nullable
	id   int64
}

func (r seekRow) m() map[string]any { return map[string]any{"a": r.a, "b": r.b, "id": r.id} }

// position compares rows under the order: keys in turn, nulls last whatever
// the direction, id ascending last.
func position(keys []SortKey, x, y []any) int {
	for i, k := range keys {
		a, b := x[i], y[i]
		switch {
		case a == nil && b == nil:
			continue
		case a == nil:
			return 1
		case b == nil:
			return -1
		}
		c := cmp.Compare(a.(int64), b.(int64))
		if k.Desc {
			c = -c
		}
		if c != 0 {
			return c
		}
	}
	return 0
}

var (
	aField = Field{Name: "a", Column: "a", Type: TypeInt, Nullable: true}
	bField = Field{Name: "b", Column: "b", Type: TypeInt}
)

func seekOrders() map[string]Order {
	return map[string]Order{
		"a asc":        NewOrder([]SortKey{Key(aField, domain.SortASC)}, nil, idField),
		"a desc":       NewOrder([]SortKey{Key(aField, domain.SortDESC)}, nil, idField),
		"b asc, a asc": NewOrder([]SortKey{Key(bField, domain.SortASC), Key(aField, domain.SortASC)}, nil, idField),
		"a desc, b":    NewOrder([]SortKey{Key(aField, domain.SortDESC), Key(bField, domain.SortDESC)}, nil, idField),
		"b only":       NewOrder([]SortKey{Key(bField, domain.SortASC)}, nil, idField),
	}
}

func seekRows() []seekRow {
	var rows []seekRow
	id := int64(1)
	for _, b := range []any{int64(1), int64(2)} {
		for _, a := range []any{nil, int64(1), int64(2), int64(3)} {
			rows = append(rows, seekRow{b: b, a: a, id: id}, seekRow{b: b, a: a, id: id + 1})
			id += 2
		}
	}
	return rows
}

func (r seekRow) vals(o Order) []any {
	out := make([]any, len(o.Keys))
	for i, k := range o.Keys {
		switch k.Name {
		case "a":
			out[i] = r.a
		case "b":
			out[i] = r.b
		case "id":
			out[i] = r.id
		}
	}
	return out
}

// cursors are the positions of every row, and positions between rows (a
// cursor whose row was deleted since).
func seekCursors(o Order, rows []seekRow) [][]any {
	var out [][]any
	for _, r := range rows {
		out = append(out, r.vals(o))
		gone := r
		gone.id = r.id*100 + 50
		out = append(out, gone.vals(o))
		gone.id = 0
		out = append(out, gone.vals(o))
	}
	return out
}

// seek keeps exactly the rows strictly after (forward) or before the cursor.
func TestSeekSemantics(t *testing.T) {
	rows := seekRows()
	for name, o := range seekOrders() {
		t.Run(name, func(t *testing.T) {
			for _, cur := range seekCursors(o, rows) {
				for _, forward := range []bool{true, false} {
					p := func(s *sql.Selector) { s.Where(o.seek(s, cur, forward)) }
					for _, r := range rows {
						c := position(o.Keys, r.vals(o), cur)
						want := c > 0
						if !forward {
							want = c < 0
						}
						if got := matches(t, p, r.m()); got != want {
							t.Errorf("seek(%v, forward=%v) on row %v = %v, want %v", cur, forward, r, got, want)
						}
					}
				}
			}
		})
	}
}

// notBeyond keeps exactly the rows a page bounded by the cursor leaves out:
// those at or before an after-cursor, at or after a before-cursor. It
// decides hasPreviousPage/hasNextPage, which the client guide wants exact.
//
// Known bug (reported, listing is not ours to change): for a backward seek
// on a nullable key with a non-null cursor value, `key < ?` and `key = ?`
// are UNKNOWN on rows whose key is NULL, so NOT(seek) is UNKNOWN too and
// WHERE drops those rows, although they sort after the cursor (nulls last).
// With `before` naming a deleted row, hasNextPage can then be false while
// null-keyed rows follow. Remove the skip once seek is two-valued.
func TestNotBeyondSemantics(t *testing.T) {
	rows := seekRows()
	var failures []string
	for name, o := range seekOrders() {
		for _, cur := range seekCursors(o, rows) {
			for _, forward := range []bool{true, false} {
				var q predicateRecorder
				o.notBeyond(&q, cur, forward)
				for _, r := range rows {
					c := position(o.Keys, r.vals(o), cur)
					want := c <= 0
					if !forward {
						want = c >= 0
					}
					if got := matches(t, q.p, r.m()); got != want {
						failures = append(failures, fmt.Sprintf("%s: notBeyond(%v, forward=%v) on row %v = %v, want %v", name, cur, forward, r, got, want))
					}
				}
			}
		}
	}
	if len(failures) > 0 {
		t.Fatalf("%d wrong rows, e.g. %s", len(failures), failures[0])
	}
}

type predicateRecorder struct{ p Predicate }

func (r *predicateRecorder) Where(p Predicate) { r.p = p }

// Every positive operation is two-valued and its negation is the exact
// complement, on nullable and non-nullable fields alike (docs/client-guide.md: a null
// value matches neq: "x" and ngt: 5).
func TestFilterSemantics(t *testing.T) {
	type op struct {
		name     string
		pos, neg Ops
		want     func(v any) bool // the positive operation on a value
	}
	two := int64(2)
	ops := []op{
		{"eq", Ops{Eq: &Value{V: two}}, Ops{Neq: &Value{V: two}}, func(v any) bool { return v != nil && v.(int64) == 2 }},
		{"eq null", Ops{Eq: &Value{}}, Ops{Neq: &Value{}}, func(v any) bool { return v == nil }},
		{"in", Ops{In: []any{int64(1), two}}, Ops{Nin: []any{int64(1), two}}, func(v any) bool { return v != nil && v.(int64) <= 2 }},
		{"in with null", Ops{In: []any{two, nil}}, Ops{Nin: []any{two, nil}}, func(v any) bool { return v == nil || v.(int64) == 2 }},
		{"in null only", Ops{In: []any{nil}}, Ops{Nin: []any{nil}}, func(v any) bool { return v == nil }},
		{"in empty", Ops{In: []any{}}, Ops{Nin: []any{}}, func(v any) bool { return false }},
		{"gt", Ops{Gt: two}, Ops{Ngt: two}, func(v any) bool { return v != nil && v.(int64) > 2 }},
		{"gte", Ops{Gte: two}, Ops{Ngte: two}, func(v any) bool { return v != nil && v.(int64) >= 2 }},
		{"lt", Ops{Lt: two}, Ops{Nlt: two}, func(v any) bool { return v != nil && v.(int64) < 2 }},
		{"lte", Ops{Lte: two}, Ops{Nlte: two}, func(v any) bool { return v != nil && v.(int64) <= 2 }},
		{"or", Ops{Or: []Ops{{Lt: two}, {Eq: &Value{}}}}, Ops{And: []Ops{{Nlt: two}, {Neq: &Value{}}}},
			func(v any) bool { return v == nil || v.(int64) < 2 }},
	}
	for _, f := range []Field{aField, bField} {
		for _, o := range ops {
			t.Run(f.Name+"/"+o.name, func(t *testing.T) {
				for _, v := range []any{nil, int64(1), int64(2), int64(3)} {
					if v == nil && !f.Nullable {
						continue
					}
					row := map[string]any{f.Column: v}
					pos := matches(t, Filter(f, o.pos), row)
					neg := matches(t, Filter(f, o.neg), row)
					if pos != o.want(v) {
						t.Errorf("%s on %v = %v, want %v", o.name, v, pos, o.want(v))
					}
					if pos == neg {
						t.Errorf("%s and its negation both %v on %v", o.name, pos, v)
					}
				}
			})
		}
	}
}
