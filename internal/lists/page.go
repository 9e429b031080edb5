package lists

import (
	"context"
	"slices"
	"strconv"

	"entgo.io/ent"
	"entgo.io/ent/dialect/sql"

	"seatgraph/internal/config"
)

// Query is what the generated code adapts an Ent query to. Methods narrow
// the query in place.
type Query[T any] interface {
	Clone() Query[T]
	Where(Predicate)
	Order(func(*sql.Selector))
	// Modify changes the final selector, after Ent added its own parts
	// (eager-loading joins and filters).
	Modify(func(*sql.Selector))
	Limit(int)
	Offset(int)
	All(context.Context) ([]T, error)
	Count(context.Context) (int, error)
	Exist(context.Context) (bool, error)
}

// Node is an Ent entity: Value reads the sort key columns selected with it.
type Node interface {
	Value(name string) (ent.Value, error)
}

// CursorArgs are the arguments of a cursor paged field.
type CursorArgs struct {
	First, Last   *int
	After, Before *string
}

// OffsetArgs are the arguments of an offset paged field.
type OffsetArgs struct {
	Skip, Take *int
}

// PageInfo answers pageInfo; fields that need a query run only when selected.
type PageInfo struct {
	StartCursor, EndCursor *string
	hasNext, hasPrevious   func(context.Context) (bool, error)
}

// HasNextPage is true when a matching row sorts after the page.
func (p *PageInfo) HasNextPage(ctx context.Context) (bool, error) { return p.hasNext(ctx) }

// HasPreviousPage is true when a matching row sorts before the page.
func (p *PageInfo) HasPreviousPage(ctx context.Context) (bool, error) { return p.hasPrevious(ctx) }

// CollectionSegmentInfo answers the pageInfo of an offset page.
type CollectionSegmentInfo struct {
	hasNext, hasPrevious func(context.Context) (bool, error)
}

// HasNextPage is true when a matching row follows the segment.
func (p *CollectionSegmentInfo) HasNextPage(ctx context.Context) (bool, error) {
	return p.hasNext(ctx)
}

// HasPreviousPage is true when a matching row precedes the segment.
func (p *CollectionSegmentInfo) HasPreviousPage(ctx context.Context) (bool, error) {
	return p.hasPrevious(ctx)
}

func known(b bool) func(context.Context) (bool, error) {
	return func(context.Context) (bool, error) { return b, nil }
}

// Edge is one row of a page with its cursor.
type Edge[T any] struct {
	Cursor string
	Node   T
}

// Page is one cursor page; Total runs COUNT only when called.
type Page[T any] struct {
	Edges    []Edge[T]
	PageInfo *PageInfo
	Total    func(context.Context) (int, error)
}

// Segment is one offset page; Total runs COUNT only when called.
type Segment[T any] struct {
	Items    []T
	PageInfo *CollectionSegmentInfo
	Total    func(context.Context) (int, error)
}

// CheckSize validates a page size argument against the request's limits
// (the operation checks call it before anything runs, the lists again).
func CheckSize(name string, v *int, l config.Limits) error {
	if v == nil {
		return nil
	}
	if *v < 0 {
		return badInput("%s must not be negative", name)
	}
	if *v > l.MaxPageSize {
		return pageTooLarge("the maximum page size is %d, %s was %d", l.MaxPageSize, name, *v)
	}
	return nil
}

// window is a validated cursor page request.
type window struct {
	size          int
	backward      bool
	after, before []any
}

func (o Order) window(ctx context.Context, a CursorArgs) (window, error) {
	l := config.From(ctx)
	var w window
	if a.First != nil && a.Last != nil {
		return w, badInput("first and last cannot be used together")
	}
	if err := CheckSize("first", a.First, l); err != nil {
		return w, err
	}
	if err := CheckSize("last", a.Last, l); err != nil {
		return w, err
	}
	var err error
	if a.After != nil {
		if w.after, err = o.decodeCursor("after", *a.After); err != nil {
			return w, err
		}
	}
	if a.Before != nil {
		if w.before, err = o.decodeCursor("before", *a.Before); err != nil {
			return w, err
		}
	}
	switch {
	case a.First != nil:
		w.size = *a.First
	case a.Last != nil:
		w.size, w.backward = *a.Last, true
	default:
		w.size = l.PageSize
	}
	return w, nil
}

// bounds narrows q to the rows between the cursors.
func (o Order) bounds(q interface{ Where(Predicate) }, w window) {
	if w.after != nil {
		after := w.after
		q.Where(func(s *sql.Selector) { s.Where(o.seek(s, after, true)) })
	}
	if w.before != nil {
		before := w.before
		q.Where(func(s *sql.Selector) { s.Where(o.seek(s, before, false)) })
	}
}

// notBeyond narrows q to the rows at or before (forward) / at or after
// (!forward) the cursor position: those a page bounded by it leaves out.
func (o Order) notBeyond(q interface{ Where(Predicate) }, vals []any, forward bool) {
	q.Where(func(s *sql.Selector) { s.Where(sql.Not(o.seek(s, vals, forward))) })
}

// Paginate reads one cursor page of q (already filtered) in order o.
func Paginate[T Node](ctx context.Context, q Query[T], o Order, a CursorArgs) (*Page[T], error) {
	w, err := o.window(ctx, a)
	if err != nil {
		return nil, err
	}
	base := q.Clone()
	page := q.Clone()
	o.bounds(page, w)
	page.Modify(o.apply(w.backward, true))
	page.Limit(w.size + 1)
	rows, err := page.All(ctx)
	if err != nil {
		return nil, err
	}
	more := len(rows) > w.size
	if more {
		rows = rows[:w.size]
	}
	if w.backward {
		slices.Reverse(rows)
	}
	p := &Page[T]{PageInfo: &PageInfo{}, Total: base.Clone().Count}
	if p.Edges, err = edges(o, rows); err != nil {
		return nil, err
	}
	if n := len(p.Edges); n > 0 {
		p.PageInfo.StartCursor, p.PageInfo.EndCursor = &p.Edges[0].Cursor, &p.Edges[n-1].Cursor
	}
	// The side the page was read towards is known from the extra row; the
	// other side exists when the cursor bounding it leaves a row out.
	outside := func(vals []any, forward bool) func(context.Context) (bool, error) {
		if vals == nil {
			return known(false)
		}
		return func(ctx context.Context) (bool, error) {
			q := base.Clone()
			o.notBeyond(q, vals, forward)
			return q.Exist(ctx)
		}
	}
	if w.backward {
		p.PageInfo.hasPrevious = known(more)
		p.PageInfo.hasNext = outside(w.before, false)
		if !more && w.after != nil {
			p.PageInfo.hasPrevious = outside(w.after, true)
		}
	} else {
		p.PageInfo.hasNext = known(more)
		p.PageInfo.hasPrevious = outside(w.after, true)
		if !more && w.before != nil {
			p.PageInfo.hasNext = outside(w.before, false)
		}
	}
	return p, nil
}

// edges pairs rows with their cursors, read from the selected key values.
func edges[T Node](o Order, rows []T) ([]Edge[T], error) {
	out := make([]Edge[T], len(rows))
	for i, r := range rows {
		vals, err := o.values(r)
		if err != nil {
			return nil, err
		}
		out[i] = Edge[T]{Cursor: o.encodeCursor(vals), Node: r}
	}
	return out, nil
}

// values reads the row's selected key values, normalized.
func (o Order) values(r Node) ([]any, error) {
	vals := make([]any, len(o.Keys))
	for j, k := range o.Keys {
		raw, err := r.Value(keyAlias(j))
		if err != nil {
			return nil, err
		}
		if vals[j], err = normalize(k.Type, raw); err != nil {
			return nil, err
		}
	}
	return vals, nil
}

// Offset reads one offset page (skip/take) of q in order o.
func Offset[T any](ctx context.Context, q Query[T], o Order, a OffsetArgs) (*Segment[T], error) {
	l := config.From(ctx)
	if err := CheckSize("take", a.Take, l); err != nil {
		return nil, err
	}
	skip, take := 0, l.PageSize
	if a.Skip != nil {
		if *a.Skip < 0 {
			return nil, badInput("skip must not be negative")
		}
		skip = *a.Skip
	}
	if a.Take != nil {
		take = *a.Take
	}
	base := q.Clone()
	page := q.Clone()
	page.Modify(o.apply(false, false))
	page.Offset(skip)
	page.Limit(take + 1)
	rows, err := page.All(ctx)
	if err != nil {
		return nil, err
	}
	more := len(rows) > take
	if more {
		rows = rows[:take]
	}
	info := &CollectionSegmentInfo{hasNext: known(more), hasPrevious: known(skip > 0 && len(rows) > 0)}
	if skip > 0 && len(rows) == 0 {
		info.hasPrevious = base.Clone().Exist
	}
	return &Segment[T]{Items: rows, PageInfo: info, Total: base.Clone().Count}, nil
}

func itoa(i int) string { return strconv.Itoa(i) }
