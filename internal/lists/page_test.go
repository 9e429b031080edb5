package lists

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"entgo.io/ent"
	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"

	"seatgraph/internal/config"
	"seatgraph/internal/domain"
)

func intp(i int) *int                         { return &i }
func strp(s string) *string                   { return &s }
func ctxWith(l config.Limits) context.Context { return config.With(context.Background(), l) }

// pages is config.Defaults with other page sizes.
func pages(def, max int) config.Limits {
	l := config.Defaults
	l.PageSize, l.MaxPageSize = def, max
	return l
}

func TestLimits(t *testing.T) {
	if got := config.From(context.Background()); got.PageSize != 20 || got.MaxPageSize != 100 {
		t.Errorf("config.From(background) = %+v, want the documented 20/100", got)
	}
	l := pages(5, 10)
	if got := config.From(ctxWith(l)); got != l {
		t.Errorf("config.From(config.With) = %+v, want %+v", got, l)
	}
}

func TestWindow(t *testing.T) {
	o := NewOrder(nil, []SortKey{Key(startsField, domain.SortASC)}, idField)
	good := o.encodeCursor([]any{mustTime("2026-01-01T00:00:00Z"), int64(5)})
	other := NewOrder([]SortKey{Key(titleField, domain.SortASC)}, nil, idField).encodeCursor([]any{"a", int64(5)})
	small := pages(5, 10)
	tests := []struct {
		name     string
		ctx      context.Context
		args     CursorArgs
		code     string // expected error code, "" for none
		size     int
		backward bool
	}{
		{"defaults", context.Background(), CursorArgs{}, "", 20, false},
		{"configured default", ctxWith(small), CursorArgs{}, "", 5, false},
		{"first", context.Background(), CursorArgs{First: intp(7)}, "", 7, false},
		{"first zero", context.Background(), CursorArgs{First: intp(0)}, "", 0, false},
		{"first at max", context.Background(), CursorArgs{First: intp(100)}, "", 100, false},
		{"last", context.Background(), CursorArgs{Last: intp(3)}, "", 3, true},
		{"last at max", context.Background(), CursorArgs{Last: intp(100)}, "", 100, true},
		{"first and last", context.Background(), CursorArgs{First: intp(1), Last: intp(1)}, domain.CodeBadUserInput, 0, false},
		{"first and last over max", context.Background(), CursorArgs{First: intp(1000), Last: intp(1000)}, domain.CodeBadUserInput, 0, false},
		{"negative first", context.Background(), CursorArgs{First: intp(-1)}, domain.CodeBadUserInput, 0, false},
		{"negative last", context.Background(), CursorArgs{Last: intp(-5)}, domain.CodeBadUserInput, 0, false},
		{"first over max", context.Background(), CursorArgs{First: intp(101)}, domain.CodePageSizeExceeded, 0, false},
		{"last over max", context.Background(), CursorArgs{Last: intp(101)}, domain.CodePageSizeExceeded, 0, false},
		{"first over configured max", ctxWith(small), CursorArgs{First: intp(11)}, domain.CodePageSizeExceeded, 0, false},
		{"first at configured max", ctxWith(small), CursorArgs{First: intp(10)}, "", 10, false},
		{"after", context.Background(), CursorArgs{First: intp(2), After: &good}, "", 2, false},
		{"before", context.Background(), CursorArgs{Last: intp(2), Before: &good}, "", 2, true},
		{"after and before", context.Background(), CursorArgs{After: &good, Before: &good}, "", 20, false},
		{"garbage after", context.Background(), CursorArgs{After: strp("garbage")}, domain.CodeBadUserInput, 0, false},
		{"garbage before", context.Background(), CursorArgs{Before: strp("!")}, domain.CodeBadUserInput, 0, false},
		{"empty after", context.Background(), CursorArgs{After: strp("")}, domain.CodeBadUserInput, 0, false},
		{"after of another order", context.Background(), CursorArgs{After: &other}, domain.CodeBadUserInput, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, err := o.window(tt.ctx, tt.args)
			if tt.code != "" {
				if err == nil {
					t.Fatalf("window(%+v) = %+v, want %s", tt.args, w, tt.code)
				}
				wantCode(t, err, tt.code)
				return
			}
			if err != nil {
				t.Fatalf("window: %v", err)
			}
			if w.size != tt.size || w.backward != tt.backward {
				t.Fatalf("window = size %d backward %v, want %d %v", w.size, w.backward, tt.size, tt.backward)
			}
			if (tt.args.After != nil) != (w.after != nil) || (tt.args.Before != nil) != (w.before != nil) {
				t.Fatalf("cursors: after %v before %v", w.after, w.before)
			}
		})
	}
}

func TestWindowMessages(t *testing.T) {
	o := NewOrder(nil, []SortKey{Key(startsField, domain.SortASC)}, idField)
	_, err := o.window(context.Background(), CursorArgs{First: intp(500)})
	if err == nil || err.Error() != "the maximum page size is 100, first was 500" {
		t.Errorf("error = %v", err)
	}
	_, err = o.window(context.Background(), CursorArgs{Last: intp(-1)})
	if err == nil || !strings.Contains(err.Error(), "last") {
		t.Errorf("error = %v, want one naming last", err)
	}
	_, err = o.window(context.Background(), CursorArgs{Before: strp("x")})
	if err == nil || !strings.HasPrefix(err.Error(), "before:") {
		t.Errorf("error = %v, want one naming before", err)
	}
}

// fakeRow is an entity whose sort key values were selected with it.
type fakeRow struct {
	id   int64
	keys map[string]any
}

func (r fakeRow) Value(name string) (ent.Value, error) {
	v, ok := r.keys[name]
	if !ok {
		return nil, fmt.Errorf("no value %s", name)
	}
	return v, nil
}

// fakeQuery records what is done to it and answers from canned rows: it
// stands for a database that has already applied the predicates.
type fakeQuery struct {
	rows          []fakeRow
	exist         bool
	where         []Predicate
	order         []func(*sql.Selector)
	limit, offset int
	calls         *[]string
}

func (q *fakeQuery) Clone() Query[fakeRow] {
	c := *q
	c.where = slices.Clone(q.where)
	c.order = slices.Clone(q.order)
	return &c
}
func (q *fakeQuery) Where(p Predicate)            { q.where = append(q.where, p) }
func (q *fakeQuery) Order(f func(*sql.Selector))  { q.order = append(q.order, f) }
func (q *fakeQuery) Modify(f func(*sql.Selector)) { q.order = append(q.order, f) }
func (q *fakeQuery) Limit(n int)                  { q.limit = n }
func (q *fakeQuery) Offset(n int)                 { q.offset = n }
func (q *fakeQuery) log(what string)              { *q.calls = append(*q.calls, what+" "+q.sql()) }
func (q *fakeQuery) Count(context.Context) (int, error) {
	q.log("count")
	return len(q.rows), nil
}
func (q *fakeQuery) Exist(context.Context) (bool, error) {
	q.log("exist")
	return q.exist, nil
}
func (q *fakeQuery) All(context.Context) ([]fakeRow, error) {
	q.log("all")
	rows := q.rows
	if q.offset < len(rows) {
		rows = rows[q.offset:]
	} else {
		rows = nil
	}
	if q.limit < len(rows) {
		rows = rows[:q.limit]
	}
	return rows, nil
}

// sql renders the recorded predicates and order on a SQLite selector.
func (q *fakeQuery) sql() string {
	s := newSelector(dialect.SQLite)
	for _, p := range q.where {
		p(s)
	}
	for _, o := range q.order {
		o(s)
	}
	text, _ := s.Query()
	return text
}

// rowsOf makes rows keyed by (seats, id) for an order on seats.
func rowsOf(ids ...int64) []fakeRow {
	out := make([]fakeRow, len(ids))
	for i, id := range ids {
		out[i] = fakeRow{id: id, keys: map[string]any{"__k0": id * 10, "__k1": id}}
	}
	return out
}

func edgeIDs(p *Page[fakeRow]) []int64 {
	var ids []int64
	for _, e := range p.Edges {
		ids = append(ids, e.Node.id)
	}
	return ids
}

// TestPaginateForward reads a first page, then the next one after its end
// cursor.
func TestPaginateForward(t *testing.T) {
	ctx := context.Background()
	o := NewOrder([]SortKey{Key(seatsField, domain.SortASC)}, nil, idField)
	end := checkFirstForwardPage(t, ctx, o)
	checkNextForwardPage(t, ctx, o, end)
}

// checkFirstForwardPage reads the first two of three rows and returns the
// end cursor: page info comes without queries, the count with one.
func checkFirstForwardPage(t *testing.T, ctx context.Context, o Order) *string {
	t.Helper()
	var calls []string
	q := &fakeQuery{rows: rowsOf(1, 2, 3), calls: &calls}
	p, err := Paginate[fakeRow](ctx, q, o, CursorArgs{First: intp(2)})
	if err != nil {
		t.Fatal(err)
	}
	if got := edgeIDs(p); !reflect.DeepEqual(got, []int64{1, 2}) {
		t.Fatalf("edges %v, want [1 2]", got)
	}
	wantSQL := "all SELECT *, (`t`.`seats`) AS `__k0`, (`t`.`id`) AS `__k1` FROM `t` ORDER BY `t`.`seats` ASC, `t`.`id` ASC"
	if len(calls) != 1 || calls[0] != wantSQL {
		t.Fatalf("queries %q\nwant [%s]", calls, wantSQL)
	}
	if next, _ := p.PageInfo.HasNextPage(ctx); !next {
		t.Error("hasNextPage = false with a third row")
	}
	if prev, _ := p.PageInfo.HasPreviousPage(ctx); prev {
		t.Error("hasPreviousPage = true on the first page")
	}
	if len(calls) != 1 {
		t.Errorf("pageInfo ran queries: %q", calls[1:])
	}
	if *p.PageInfo.StartCursor != p.Edges[0].Cursor || *p.PageInfo.EndCursor != p.Edges[1].Cursor {
		t.Error("start/end cursors are not the first/last edge cursors")
	}
	vals, err := o.decodeCursor("after", *p.PageInfo.EndCursor)
	if err != nil || !reflect.DeepEqual(vals, []any{int64(20), int64(2)}) {
		t.Fatalf("end cursor decodes to %v, %v", vals, err)
	}
	if n, _ := p.Total(ctx); n != 3 {
		t.Errorf("Total = %d", n)
	}
	if last := calls[len(calls)-1]; last != "count SELECT * FROM `t`" {
		t.Errorf("Total ran %q, want an unbounded count", last)
	}
	return p.PageInfo.EndCursor
}

// checkNextForwardPage reads the page after end: it seeks past the cursor,
// and hasPreviousPage asks whether a row sorts at or before it.
func checkNextForwardPage(t *testing.T, ctx context.Context, o Order, end *string) {
	t.Helper()
	var calls []string
	q2 := &fakeQuery{rows: rowsOf(3), exist: true, calls: &calls}
	p2, err := Paginate[fakeRow](ctx, q2, o, CursorArgs{First: intp(2), After: end})
	if err != nil {
		t.Fatal(err)
	}
	if got := edgeIDs(p2); !reflect.DeepEqual(got, []int64{3}) {
		t.Fatalf("edges %v", got)
	}
	if !strings.Contains(calls[0], "WHERE `t`.`seats` >= ? AND (`t`.`seats` > ? OR (`t`.`seats` = ? AND `t`.`id` > ?)) ORDER BY") {
		t.Errorf("page query %s does not seek past the cursor", calls[0])
	}
	if next, _ := p2.PageInfo.HasNextPage(ctx); next {
		t.Error("hasNextPage = true on the last page")
	}
	if prev, _ := p2.PageInfo.HasPreviousPage(ctx); !prev {
		t.Error("hasPreviousPage = false after a cursor with rows before it")
	}
	if got := calls[len(calls)-1]; got != "exist SELECT * FROM `t` WHERE NOT (`t`.`seats` >= ? AND (`t`.`seats` > ? OR (`t`.`seats` = ? AND `t`.`id` > ?)))" {
		t.Errorf("hasPreviousPage ran %s", got)
	}
}

func TestPaginateBackward(t *testing.T) {
	ctx := context.Background()
	o := NewOrder([]SortKey{Key(seatsField, domain.SortASC)}, nil, idField)
	var calls []string
	// Read backwards, the database returns the rows last first.
	q := &fakeQuery{rows: rowsOf(9, 8, 7), calls: &calls}
	p, err := Paginate[fakeRow](ctx, q, o, CursorArgs{Last: intp(2)})
	if err != nil {
		t.Fatal(err)
	}
	if got := edgeIDs(p); !reflect.DeepEqual(got, []int64{8, 9}) {
		t.Fatalf("edges %v, want [8 9] in list order", got)
	}
	if !strings.HasSuffix(calls[0], "ORDER BY `t`.`seats` DESC, `t`.`id` DESC") {
		t.Errorf("backward page query %s", calls[0])
	}
	if prev, _ := p.PageInfo.HasPreviousPage(ctx); !prev {
		t.Error("hasPreviousPage = false with a row before the page")
	}
	if next, _ := p.PageInfo.HasNextPage(ctx); next {
		t.Error("hasNextPage = true on the last page of a list")
	}
	if len(calls) != 1 {
		t.Errorf("pageInfo ran queries: %q", calls[1:])
	}
}

func TestPaginateErrors(t *testing.T) {
	o := NewOrder([]SortKey{Key(seatsField, domain.SortASC)}, nil, idField)
	var calls []string
	for _, a := range []CursorArgs{
		{First: intp(1), Last: intp(1)},
		{First: intp(-1)},
		{Last: intp(101)},
		{After: strp("nope")},
	} {
		_, err := Paginate[fakeRow](context.Background(), &fakeQuery{calls: &calls}, o, a)
		if !isInputError(err) {
			t.Errorf("Paginate(%+v) error = %v, want a client error", a, err)
		}
	}
	if len(calls) != 0 {
		t.Errorf("invalid arguments ran queries: %q", calls)
	}
}

// offsetCase is one call of Offset over rows rows, with the error code or
// the page it should give and the window it should ask for.
type offsetCase struct {
	name       string
	ctx        context.Context
	args       OffsetArgs
	rows       int
	exist      bool
	code       string
	items      int
	next, prev bool
	offset     int
	limit      int
}

func TestOffset(t *testing.T) {
	ctx := context.Background()
	o := NewOrder([]SortKey{Key(seatsField, domain.SortASC)}, nil, idField)
	tests := []offsetCase{
		{"defaults", ctx, OffsetArgs{}, 30, false, "", 20, true, false, 0, 21},
		{"configured default", ctxWith(pages(5, 10)), OffsetArgs{}, 30, false, "", 5, true, false, 0, 6},
		{"take", ctx, OffsetArgs{Take: intp(10)}, 30, false, "", 10, true, false, 0, 11},
		{"skip", ctx, OffsetArgs{Skip: intp(25), Take: intp(10)}, 30, false, "", 5, false, true, 25, 11},
		{"skip past the end, rows exist", ctx, OffsetArgs{Skip: intp(40)}, 30, true, "", 0, false, true, 40, 21},
		{"skip past the end, no rows", ctx, OffsetArgs{Skip: intp(40)}, 0, false, "", 0, false, false, 40, 21},
		{"take zero", ctx, OffsetArgs{Take: intp(0)}, 3, false, "", 0, true, false, 0, 1},
		{"take at max", ctx, OffsetArgs{Take: intp(100)}, 3, false, "", 3, false, false, 0, 101},
		{"take over max", ctx, OffsetArgs{Take: intp(101)}, 0, false, domain.CodePageSizeExceeded, 0, false, false, 0, 0},
		{"negative take", ctx, OffsetArgs{Take: intp(-1)}, 0, false, domain.CodeBadUserInput, 0, false, false, 0, 0},
		{"negative skip", ctx, OffsetArgs{Skip: intp(-1)}, 0, false, domain.CodeBadUserInput, 0, false, false, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkOffset(t, o, tt) })
	}
}

// checkOffset runs one offsetCase: an invalid one fails before any query.
func checkOffset(t *testing.T, o Order, tt offsetCase) {
	ctx := context.Background()
	var calls []string
	ids := make([]int64, tt.rows)
	for i := range ids {
		ids[i] = int64(i + 1)
	}
	q := &fakeQuery{rows: rowsOf(ids...), exist: tt.exist, calls: &calls}
	seg, err := Offset[fakeRow](tt.ctx, q, o, tt.args)
	if tt.code != "" {
		if err == nil {
			t.Fatal("no error")
		}
		wantCode(t, err, tt.code)
		if len(calls) != 0 {
			t.Fatalf("invalid arguments ran queries: %q", calls)
		}
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	if len(seg.Items) != tt.items {
		t.Errorf("%d items, want %d", len(seg.Items), tt.items)
	}
	if next, _ := seg.PageInfo.HasNextPage(ctx); next != tt.next {
		t.Errorf("hasNextPage = %v", next)
	}
	if prev, _ := seg.PageInfo.HasPreviousPage(ctx); prev != tt.prev {
		t.Errorf("hasPreviousPage = %v", prev)
	}
	if n, _ := seg.Total(ctx); n != tt.rows {
		t.Errorf("Total = %d, want %d", n, tt.rows)
	}
	if !strings.HasPrefix(calls[0], "all SELECT * FROM `t` ORDER BY `t`.`seats` ASC, `t`.`id` ASC") {
		t.Errorf("query %s", calls[0])
	}
}

// The offset page query skips and limits as asked.
func TestOffsetLimits(t *testing.T) {
	o := NewOrder(nil, nil, idField)
	var calls []string
	q := &fakeQuery{calls: &calls}
	rec := &recordingQuery{fakeQuery: q}
	if _, err := Offset[fakeRow](context.Background(), rec, o, OffsetArgs{Skip: intp(7), Take: intp(3)}); err != nil {
		t.Fatal(err)
	}
	if rec.lastOffset != 7 || rec.lastLimit != 4 {
		t.Errorf("offset %d limit %d, want 7 and take+1 = 4", rec.lastOffset, rec.lastLimit)
	}
}

type recordingQuery struct {
	*fakeQuery
	lastOffset, lastLimit int
	parent                *recordingQuery
}

func (r *recordingQuery) root() *recordingQuery {
	if r.parent != nil {
		return r.parent.root()
	}
	return r
}
func (r *recordingQuery) Clone() Query[fakeRow] {
	return &recordingQuery{fakeQuery: r.fakeQuery.Clone().(*fakeQuery), parent: r}
}
func (r *recordingQuery) Limit(n int)  { r.root().lastLimit = n; r.fakeQuery.Limit(n) }
func (r *recordingQuery) Offset(n int) { r.root().lastOffset = n; r.fakeQuery.Offset(n) }

func mustTime(s string) time.Time {
	tm, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return tm
}
