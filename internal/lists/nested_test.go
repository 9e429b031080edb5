package lists

import (
	"context"
	"reflect"
	"strings"
	"sync"
	"testing"

	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"

	"seatgraph/internal/domain"
)

// fakeGrouper answers grouped counts per parent from canned numbers and
// records the SQL it was asked for.
type fakeGrouper struct {
	counts map[int]int
	where  []Predicate
	mu     *sync.Mutex
	calls  *[]string
}

func (g *fakeGrouper) Where(p Predicate) { g.where = append(g.where, p) }

func (g *fakeGrouper) Scan(_ context.Context, modify func(*sql.Selector), v any) error {
	s := newSelector(dialect.SQLite)
	for _, p := range g.where {
		p(s)
	}
	modify(s)
	q, _ := s.Query()
	g.mu.Lock()
	*g.calls = append(*g.calls, q)
	g.mu.Unlock()
	out := reflect.ValueOf(v).Elem()
	for parent, n := range g.counts {
		row := reflect.New(out.Type().Elem()).Elem()
		row.Field(0).SetInt(int64(parent))
		row.Field(1).SetInt(int64(n))
		out.Set(reflect.Append(out, row))
	}
	return nil
}

func TestNestedArgs(t *testing.T) {
	o := NewOrder([]SortKey{Key(seatsField, domain.SortASC)}, nil, idField)
	part := func(s *sql.Selector) string { return s.C("event_id") }
	for _, a := range []CursorArgs{{First: intp(1), Last: intp(1)}, {First: intp(-1)}, {After: strp("x")}} {
		if _, err := NewNested[fakeRow](context.Background(), o, a, part); !isInputError(err) {
			t.Errorf("NewNested(%+v) error = %v", a, err)
		}
	}
	_, err := NewNested[fakeRow](context.Background(), o, CursorArgs{First: intp(101)}, part)
	wantCode(t, err, domain.CodePageSizeExceeded)
}

func TestNestedPage(t *testing.T) {
	ctx := context.Background()
	o := NewOrder([]SortKey{Key(seatsField, domain.SortASC)}, nil, idField)
	part := func(s *sql.Selector) string { return s.C("event_id") }
	n, err := NewNested[fakeRow](ctx, o, CursorArgs{First: intp(2)}, part)
	if err != nil {
		t.Fatal(err)
	}
	var calls []string
	var mu sync.Mutex
	n.SetBase(func() Grouper { return &fakeGrouper{counts: map[int]int{10: 3, 11: 1}, mu: &mu, calls: &calls} })

	// Parent 10 got size+1 rows: more follow. Parent 11 got one.
	p10, err := n.Page(10, rowsOf(1, 2, 3))
	if err != nil {
		t.Fatal(err)
	}
	p11, err := n.Page(11, rowsOf(4))
	if err != nil {
		t.Fatal(err)
	}
	if got := edgeIDs(p10); !reflect.DeepEqual(got, []int64{1, 2}) {
		t.Errorf("parent 10 edges %v", got)
	}
	if next, _ := p10.PageInfo.HasNextPage(ctx); !next {
		t.Error("parent 10 hasNextPage = false")
	}
	if next, _ := p11.PageInfo.HasNextPage(ctx); next {
		t.Error("parent 11 hasNextPage = true")
	}
	if prev, _ := p10.PageInfo.HasPreviousPage(ctx); prev {
		t.Error("hasPreviousPage = true without after")
	}
	// Totals cost one grouped query for all parents.
	t10, _ := p10.Total(ctx)
	t11, _ := p11.Total(ctx)
	t12, _ := func() (int, error) {
		p, _ := n.Page(12, nil)
		return p.Total(ctx)
	}()
	if t10 != 3 || t11 != 1 || t12 != 0 {
		t.Errorf("totals %d %d %d, want 3 1 0", t10, t11, t12)
	}
	if len(calls) != 1 {
		t.Fatalf("%d count queries, want 1: %q", len(calls), calls)
	}
	if want := "SELECT `t`.`event_id` AS `parent`, COUNT(*) AS `n` FROM `t` GROUP BY `t`.`event_id`"; calls[0] != want {
		t.Errorf("count query %s\nwant        %s", calls[0], want)
	}
}

func TestNestedBackward(t *testing.T) {
	ctx := context.Background()
	o := NewOrder([]SortKey{Key(seatsField, domain.SortASC)}, nil, idField)
	part := func(s *sql.Selector) string { return s.C("event_id") }
	before := o.encodeCursor([]any{int64(100), int64(10)})
	n, err := NewNested[fakeRow](ctx, o, CursorArgs{Last: intp(2), Before: &before}, part)
	if err != nil {
		t.Fatal(err)
	}
	var calls []string
	var mu sync.Mutex
	n.SetBase(func() Grouper { return &fakeGrouper{counts: map[int]int{10: 1}, mu: &mu, calls: &calls} })
	rows := rowsOf(9, 8, 7) // read backwards
	p, err := n.Page(10, rows)
	if err != nil {
		t.Fatal(err)
	}
	if got := edgeIDs(p); !reflect.DeepEqual(got, []int64{8, 9}) {
		t.Errorf("edges %v, want [8 9]", got)
	}
	if rows[0].id != 9 {
		t.Error("Page reordered the caller's slice")
	}
	if prev, _ := p.PageInfo.HasPreviousPage(ctx); !prev {
		t.Error("hasPreviousPage = false with an extra row")
	}
	// hasNextPage asks, per parent, whether a row is at or after the cursor.
	if next, _ := p.PageInfo.HasNextPage(ctx); !next {
		t.Error("hasNextPage = false though the count says one row is at or after the cursor")
	}
	if len(calls) != 1 || !strings.Contains(calls[0], "WHERE NOT (") {
		t.Errorf("hasNextPage query %q", calls)
	}
}

// Configure bounds the eager-loading query by the cursors and keeps size+1
// rows per parent with a window function.
func TestNestedConfigure(t *testing.T) {
	o := NewOrder([]SortKey{Key(seatsField, domain.SortASC)}, nil, idField)
	part := func(s *sql.Selector) string { return s.C("event_id") }
	after := o.encodeCursor([]any{int64(5), int64(1)})
	n, err := NewNested[fakeRow](context.Background(), o, CursorArgs{First: intp(3), After: &after}, part)
	if err != nil {
		t.Fatal(err)
	}
	q := &fakeQuery{calls: new([]string)}
	n.Configure(q)
	got := q.sql()
	for _, part := range []string{
		"ROW_NUMBER() OVER (PARTITION BY `t`.`event_id` ORDER BY `t`.`seats` ASC, `t`.`id` ASC)",
		"WHERE `t`.`seats` >= ? AND (`t`.`seats` > ? OR (`t`.`seats` = ? AND `t`.`id` > ?))",
		"__rn",
	} {
		if !strings.Contains(got, part) {
			t.Errorf("query lacks %s:\n%s", part, got)
		}
	}
	s := newSelector(dialect.SQLite)
	for _, p := range q.where {
		p(s)
	}
	for _, m := range q.order {
		m(s)
	}
	if _, args := s.Query(); !reflect.DeepEqual(args[len(args)-1], 4) {
		t.Errorf("per-parent limit argument %v, want size+1 = 4 last in %v", args[len(args)-1], args)
	}
}
