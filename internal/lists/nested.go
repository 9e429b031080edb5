package lists

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"entgo.io/ent/dialect/sql"
)

// Grouper runs a grouped aggregate over a query.
type Grouper interface {
	Where(Predicate)
	// Scan runs the query with its selection replaced by modify and scans
	// the rows into v.
	Scan(ctx context.Context, modify func(*sql.Selector), v any) error
}

// Nested pages a connection field of many parents at once: one query loads
// every parent's page (a window function keeps first/last+1 rows per
// parent), and counts or page bounds, when selected, cost one grouped query
// for all parents together.
type Nested[T Node] struct {
	order     Order
	w         window
	base      func() Grouper // the children of all parents matching where
	partition func(*sql.Selector) string

	totalOnce sync.Once
	totals    map[int]int
	totalErr  error
	outOnce   [2]sync.Once
	outside   [2]map[int]int
	outErr    [2]error
}

// NewNested validates the arguments of a nested connection.
func NewNested[T Node](ctx context.Context, o Order, a CursorArgs, partition func(*sql.Selector) string) (*Nested[T], error) {
	w, err := o.window(ctx, a)
	if err != nil {
		return nil, err
	}
	return &Nested[T]{order: o, w: w, partition: partition}, nil
}

// SetBase sets the query of all children of the loaded parents matching
// where, for counts and page bounds.
func (n *Nested[T]) SetBase(base func() Grouper) { n.base = base }

// Configure narrows the eager-loading query of the children to the page
// bounds and the page size per parent.
func (n *Nested[T]) Configure(q interface {
	Where(Predicate)
	Modify(func(*sql.Selector))
}) {
	n.order.bounds(q, n.w)
	q.Modify(n.order.apply(n.w.backward, true))
	q.Modify(n.limitPerParent())
}

// limitPerParent keeps the first size+1 rows of each parent, in page order.
func (n *Nested[T]) limitPerParent() func(*sql.Selector) {
	return func(s *sql.Selector) {
		d := s.Dialect()
		inner := s.Clone()
		inner.ClearOrder()
		inner.AppendSelectExprAs(sql.Expr(fmt.Sprintf("ROW_NUMBER() OVER (PARTITION BY %s ORDER BY %s)",
			n.partition(s), n.order.terms(s.C, d, n.w.backward))), "__rn")
		outer := sql.Dialect(d).Select("*").From(inner.As("_w"))
		outer.Where(compare(`"_w"."__rn"`, sql.OpLTE, n.w.size+1)).OrderExpr(sql.Expr(`"_w"."__rn"`))
		*s = *outer
	}
}

// Page builds the page of one parent from its loaded children.
func (n *Nested[T]) Page(parent int, rows []T) (*Page[T], error) {
	// The loader need not keep the query's order per parent: Ent's
	// many-to-many loading hands a child shared by several parents to each
	// of them in the order it first appeared among all parents' rows.
	rows, err := sortRows(n.order, rows, n.w.backward)
	if err != nil {
		return nil, err
	}
	more := len(rows) > n.w.size
	if more {
		rows = rows[:n.w.size]
	}
	if n.w.backward {
		slices.Reverse(rows)
	}
	p := &Page[T]{PageInfo: &PageInfo{}}
	if p.Edges, err = edges(n.order, rows); err != nil {
		return nil, err
	}
	if c := len(p.Edges); c > 0 {
		p.PageInfo.StartCursor, p.PageInfo.EndCursor = &p.Edges[0].Cursor, &p.Edges[c-1].Cursor
	}
	p.Total = func(ctx context.Context) (int, error) {
		n.totalOnce.Do(func() { n.totals, n.totalErr = n.count(ctx, nil) })
		return n.totals[parent], n.totalErr
	}
	outside := func(side int, vals []any, forward bool) func(context.Context) (bool, error) {
		if vals == nil {
			return known(false)
		}
		return func(ctx context.Context) (bool, error) {
			n.outOnce[side].Do(func() {
				n.outside[side], n.outErr[side] = n.count(ctx, func(s *sql.Selector) {
					s.Where(sql.Not(n.order.seek(s, vals, forward)))
				})
			})
			return n.outside[side][parent] > 0, n.outErr[side]
		}
	}
	if n.w.backward {
		p.PageInfo.hasPrevious = known(more)
		p.PageInfo.hasNext = outside(1, n.w.before, false)
		if !more && n.w.after != nil {
			p.PageInfo.hasPrevious = outside(0, n.w.after, true)
		}
	} else {
		p.PageInfo.hasNext = known(more)
		p.PageInfo.hasPrevious = outside(0, n.w.after, true)
		if !more && n.w.before != nil {
			p.PageInfo.hasNext = outside(1, n.w.before, false)
		}
	}
	return p, nil
}

// count returns, per parent, how many children match (and extra).
func (n *Nested[T]) count(ctx context.Context, extra Predicate) (map[int]int, error) {
	q := n.base()
	if extra != nil {
		q.Where(extra)
	}
	var rows []struct {
		Parent int `sql:"parent"`
		N      int `sql:"n"`
	}
	err := q.Scan(ctx, func(s *sql.Selector) {
		p := n.partition(s)
		s.Select(sql.As(p, "parent"), sql.As(sql.Count("*"), "n")).GroupBy(p)
	}, &rows)
	if err != nil {
		return nil, err
	}
	out := make(map[int]int, len(rows))
	for _, r := range rows {
		out[r.Parent] = r.N
	}
	return out, nil
}

// sortRows returns rows sorted by their selected key values in the order
// (reversed for a backward page), as the database sorts them: nulls last,
// strings by code point, ties broken by the id key.
func sortRows[T Node](o Order, rows []T, reverse bool) ([]T, error) {
	keys := make([][]any, len(rows))
	for i, r := range rows {
		var err error
		if keys[i], err = o.values(r); err != nil {
			return nil, err
		}
	}
	idx := make([]int, len(rows))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		c := o.compare(keys[a], keys[b])
		if reverse {
			c = -c
		}
		return c
	})
	out := make([]T, len(rows))
	for i, j := range idx {
		out[i] = rows[j]
	}
	return out, nil
}

// compare orders two rows by their normalized key values.
func (o Order) compare(a, b []any) int {
	for i, k := range o.Keys {
		va, vb := a[i], b[i]
		switch {
		case va == nil && vb == nil:
			continue
		case va == nil:
			return 1
		case vb == nil:
			return -1
		}
		c := compareValues(va, vb)
		if k.Desc {
			c = -c
		}
		if c != 0 {
			return c
		}
	}
	return 0
}

func compareValues(a, b any) int {
	switch x := a.(type) {
	case int64:
		if y, ok := b.(int64); ok {
			return cmp.Compare(x, y)
		}
	case float64:
		if y, ok := b.(float64); ok {
			return cmp.Compare(x, y)
		}
	case string:
		if y, ok := b.(string); ok {
			return strings.Compare(x, y)
		}
	case bool:
		if y, ok := b.(bool); ok {
			switch {
			case x == y:
				return 0
			case !x:
				return -1
			}
			return 1
		}
	case time.Time:
		if y, ok := b.(time.Time); ok {
			return x.Compare(y)
		}
	}
	return 0
}
