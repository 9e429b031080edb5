package lists

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"
	"github.com/99designs/gqlgen/graphql"

	"seatgraph/internal/domain"
	"seatgraph/internal/money"
)

// where renders predicate p on `SELECT * FROM t` and returns what follows
// WHERE ("" when p adds no condition).
func where(t *testing.T, d string, p Predicate) (string, []any) {
	t.Helper()
	s := sql.Dialect(d).Select("*").From(sql.Table("t"))
	if p != nil {
		p(s)
	}
	q, args := s.Query()
	base := "SELECT * FROM `t`"
	if d == dialect.Postgres {
		base = `SELECT * FROM "t"`
	}
	if q == base {
		return "", args
	}
	rest, ok := strings.CutPrefix(q, base+" WHERE ")
	if !ok {
		t.Fatalf("unexpected query %s", q)
	}
	return rest, args
}

func TestFilterEmpty(t *testing.T) {
	if p := Filter(noteField, Ops{}); p != nil {
		t.Error("Filter of empty Ops is not nil")
	}
	// Empty lists of and/or are nothing asked either.
	if p := Filter(noteField, Ops{And: []Ops{}, Or: []Ops{}}); p != nil {
		t.Error("Filter with empty and/or lists is not nil")
	}
	// in: [] is asked (and matches nothing), unlike a missing in.
	if p := Filter(noteField, Ops{In: []any{}}); p == nil {
		t.Error("Filter(in: []) is nil")
	}
}

// filterCase is one operation set and the SQLite WHERE it renders to.
type filterCase struct {
	name string
	f    Field
	ops  Ops
	want string
	args []any
}

// TestFilterSQLite renders every kind of operation, nullable and not; the
// cases come in groups by kind.
func TestFilterSQLite(t *testing.T) {
	var tests []filterCase
	for _, group := range [][]filterCase{equalityCases(), comparisonCases(), textCases(), logicCases()} {
		tests = append(tests, group...)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, args := where(t, dialect.SQLite, Filter(tt.f, tt.ops))
			if got != tt.want || !reflect.DeepEqual(args, tt.args) {
				t.Fatalf("WHERE %s %#v\nwant  %s %#v", got, args, tt.want, tt.args)
			}
		})
	}
}

// equalityCases are eq, neq, in and nin.
func equalityCases() []filterCase {
	return []filterCase{
		{"eq", titleField, Ops{Eq: &Value{V: "a"}},
			"`t`.`title` = ?", []any{"a"}},
		{"eq nullable", noteField, Ops{Eq: &Value{V: "a"}},
			"`t`.`note` IS NOT NULL AND `t`.`note` = ?", []any{"a"}},
		{"eq null", noteField, Ops{Eq: &Value{}},
			"`t`.`note` IS NULL", nil},
		{"neq", titleField, Ops{Neq: &Value{V: "a"}},
			"NOT (`t`.`title` = ?)", []any{"a"}},
		{"neq nullable is the complement of eq", noteField, Ops{Neq: &Value{V: "a"}},
			"NOT (`t`.`note` IS NOT NULL AND `t`.`note` = ?)", []any{"a"}},
		{"neq null", noteField, Ops{Neq: &Value{}},
			"NOT (`t`.`note` IS NULL)", nil},
		// in / nin
		{"in", titleField, Ops{In: []any{"a", "b"}},
			"`t`.`title` IN (?, ?)", []any{"a", "b"}},
		{"in nullable", noteField, Ops{In: []any{"a", "b"}},
			"`t`.`note` IS NOT NULL AND `t`.`note` IN (?, ?)", []any{"a", "b"}},
		{"in with null", noteField, Ops{In: []any{"a", nil}},
			"(`t`.`note` IS NOT NULL AND `t`.`note` IN (?)) OR `t`.`note` IS NULL", []any{"a"}},
		{"in only null", noteField, Ops{In: []any{nil}},
			"`t`.`note` IS NULL", nil},
		{"in empty", noteField, Ops{In: []any{}},
			"FALSE", nil},
		{"in empty non-nullable", titleField, Ops{In: []any{}},
			"FALSE", nil},
		{"nin", titleField, Ops{Nin: []any{"a"}},
			"NOT (`t`.`title` IN (?))", []any{"a"}},
		{"nin nullable", noteField, Ops{Nin: []any{"a"}},
			"NOT (`t`.`note` IS NOT NULL AND `t`.`note` IN (?))", []any{"a"}},
		{"nin with null", noteField, Ops{Nin: []any{"a", nil}},
			"NOT ((`t`.`note` IS NOT NULL AND `t`.`note` IN (?)) OR `t`.`note` IS NULL)", []any{"a"}},
		{"nin empty", noteField, Ops{Nin: []any{}},
			"NOT (FALSE)", nil},
	}
}

// comparisonCases are gt, gte, lt, lte, their negations, and Money, which
// compares the amount scaled by currency.
func comparisonCases() []filterCase {
	return []filterCase{
		{"gt", seatsField, Ops{Gt: 5},
			"`t`.`seats` > ?", []any{5}},
		{"gt nullable", capacityField, Ops{Gt: 5},
			"`t`.`capacity` IS NOT NULL AND `t`.`capacity` > ?", []any{5}},
		{"ngt", seatsField, Ops{Ngt: 5},
			"NOT (`t`.`seats` > ?)", []any{5}},
		{"ngt nullable matches null", capacityField, Ops{Ngt: 5},
			"NOT (`t`.`capacity` IS NOT NULL AND `t`.`capacity` > ?)", []any{5}},
		{"gte lt", seatsField, Ops{Gte: 1, Lt: 9},
			"`t`.`seats` >= ? AND `t`.`seats` < ?", []any{1, 9}},
		{"ngte nlt lte nlte", seatsField, Ops{Ngte: 1, Nlt: 2, Lte: 3, Nlte: 4},
			"(NOT (`t`.`seats` >= ?)) AND (NOT (`t`.`seats` < ?)) AND `t`.`seats` <= ? AND (NOT (`t`.`seats` <= ?))", []any{1, 2, 3, 4}},
		{"time", closesField, Ops{Lt: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)},
			"`t`.`closes_at` IS NOT NULL AND `t`.`closes_at` < ?", []any{time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}},
		// money compares the amount scaled by currency
		{"money", totalField, Ops{Gte: int64(19900)},
			totalField.Expr(backquoted, dialect.SQLite) + " >= ?", []any{int64(19900)}},
		{"nullable money", feeField, Ops{Eq: &Value{V: int64(0)}},
			feeField.Expr(backquoted, dialect.SQLite) + " IS NOT NULL AND " + feeField.Expr(backquoted, dialect.SQLite) + " = ?", []any{int64(0)}},
	}
}

// textCases are the case-insensitive text operations.
func textCases() []filterCase {
	s, pct := "Jazz", "50%"
	return []filterCase{
		{"contains", titleField, Ops{Contains: &s},
			"LOWER(`t`.`title`) LIKE ?", []any{"%jazz%"}},
		{"contains nullable", noteField, Ops{Contains: &s},
			"`t`.`note` IS NOT NULL AND LOWER(`t`.`note`) LIKE ?", []any{"%jazz%"}},
		{"contains escapes wildcards", titleField, Ops{Contains: &pct},
			"LOWER(`t`.`title`) LIKE ? ESCAPE ?", []any{`%50\%%`, `\`}},
		{"ncontains nullable", noteField, Ops{Ncontains: &s},
			"NOT (`t`.`note` IS NOT NULL AND LOWER(`t`.`note`) LIKE ?)", []any{"%jazz%"}},
		{"startsWith", titleField, Ops{StartsWith: &s},
			"LOWER(`t`.`title`) LIKE ?", []any{"jazz%"}},
		{"nstartsWith", noteField, Ops{NstartsWith: &s},
			"NOT (`t`.`note` IS NOT NULL AND LOWER(`t`.`note`) LIKE ?)", []any{"jazz%"}},
		{"endsWith", titleField, Ops{EndsWith: &s},
			"LOWER(`t`.`title`) LIKE ?", []any{"%jazz"}},
		{"nendsWith", titleField, Ops{NendsWith: &s},
			"NOT (LOWER(`t`.`title`) LIKE ?)", []any{"%jazz"}},
	}
}

// logicCases are operations side by side, and and or.
func logicCases() []filterCase {
	z := "z"
	return []filterCase{
		{"side by side is and", noteField, Ops{Neq: &Value{}, StartsWith: &z},
			"(NOT (`t`.`note` IS NULL)) AND (`t`.`note` IS NOT NULL AND LOWER(`t`.`note`) LIKE ?)", []any{"z%"}},
		{"and", seatsField, Ops{And: []Ops{{Gt: 1}, {Lt: 9}}},
			"`t`.`seats` > ? AND `t`.`seats` < ?", []any{1, 9}},
		{"and with an empty entry", seatsField, Ops{And: []Ops{{Gt: 1}, {}}},
			"`t`.`seats` > ?", []any{1}},
		{"or", noteField, Ops{Or: []Ops{{Eq: &Value{}}, {StartsWith: &z}}},
			"`t`.`note` IS NULL OR (`t`.`note` IS NOT NULL AND LOWER(`t`.`note`) LIKE ?)", []any{"z%"}},
		{"or with an empty entry is always true", seatsField, Ops{Or: []Ops{{Gt: 1}, {}}},
			"", nil},
		{"or and a field", noteField, Ops{Nin: []any{"q"}, Or: []Ops{{Eq: &Value{}}, {StartsWith: &z}}},
			"(NOT (`t`.`note` IS NOT NULL AND `t`.`note` IN (?))) AND (`t`.`note` IS NULL OR (`t`.`note` IS NOT NULL AND LOWER(`t`.`note`) LIKE ?))", []any{"q", "z%"}},
		{"nested", seatsField, Ops{Or: []Ops{{And: []Ops{{Gt: 1}, {Lt: 3}}}, {Eq: &Value{V: 9}}}},
			"(`t`.`seats` > ? AND `t`.`seats` < ?) OR `t`.`seats` = ?", []any{1, 3, 9}},
	}
}

func backquoted(c string) string { return "`t`.`" + c + "`" }

func TestFilterPostgres(t *testing.T) {
	s := "Jazz"
	tests := []struct {
		name string
		f    Field
		ops  Ops
		want string
		args []any
	}{
		{"neq nullable", noteField, Ops{Neq: &Value{V: "a"}},
			`NOT ("t"."note" IS NOT NULL AND "t"."note" = $1)`, []any{"a"}},
		{"in with null", noteField, Ops{In: []any{"a", "b", nil}},
			`("t"."note" IS NOT NULL AND "t"."note" IN ($1, $2)) OR "t"."note" IS NULL`, []any{"a", "b"}},
		{"contains", noteField, Ops{Contains: &s},
			`"t"."note" IS NOT NULL AND "t"."note" ILIKE $1`, []any{"%jazz%"}},
		{"numbering across operations", seatsField, Ops{Gt: 1, Nlt: 2, In: []any{3, 4}},
			`"t"."seats" IN ($1, $2) AND "t"."seats" > $3 AND (NOT ("t"."seats" < $4))`, []any{3, 4, 1, 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, args := where(t, dialect.Postgres, Filter(tt.f, tt.ops))
			if got != tt.want || !reflect.DeepEqual(args, tt.args) {
				t.Fatalf("WHERE %s %#v\nwant  %s %#v", got, args, tt.want, tt.args)
			}
		})
	}
}

func TestPredicateCombinators(t *testing.T) {
	a := Filter(seatsField, Ops{Gt: 1})
	b := Filter(seatsField, Ops{Lt: 9})
	tests := []struct {
		name string
		p    Predicate
		want string
		args []any
	}{
		{"And none", And(), "", nil},
		{"And nils", And(nil, nil), "", nil},
		{"And one", And(nil, a), "`t`.`seats` > ?", []any{1}},
		{"And two", And(a, nil, b), "`t`.`seats` > ? AND `t`.`seats` < ?", []any{1, 9}},
		{"Or none", Or(), "", nil},
		{"Or with nil is always true", Or(a, nil), "", nil},
		{"Or one", Or(a), "`t`.`seats` > ?", []any{1}},
		{"Or two", Or(a, b), "`t`.`seats` > ? OR `t`.`seats` < ?", []any{1, 9}},
		{"Not", Not(a), "NOT (`t`.`seats` > ?)", []any{1}},
		{"Not nil matches nothing", Not(nil), "FALSE", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, args := where(t, dialect.SQLite, tt.p)
			if got != tt.want || !reflect.DeepEqual(args, tt.args) {
				t.Fatalf("WHERE %s %#v\nwant  %s %#v", got, args, tt.want, tt.args)
			}
		})
	}
}

func some[T any](v T) graphql.Omittable[*T] { return graphql.OmittableOf(&v) }
func null[T any]() graphql.Omittable[*T]    { return graphql.OmittableOf[*T](nil) }
func ptr[T any](v T) *T                     { return &v }

func TestStringOperationFilterInput(t *testing.T) {
	in := &StringOperationFilterInput{
		Eq:         some("a"),
		Neq:        null[string](),
		In:         []*string{ptr("x"), nil},
		Nin:        []*string{},
		Contains:   ptr("c"),
		StartsWith: ptr("s"),
		EndsWith:   ptr("e"),
		And:        []*StringOperationFilterInput{{Eq: some("b")}},
		Or:         []*StringOperationFilterInput{{Ncontains: ptr("n")}, {NstartsWith: ptr("p"), NendsWith: ptr("q")}},
	}
	o, err := in.Ops(noteField)
	if err != nil {
		t.Fatal(err)
	}
	want := Ops{
		Eq: &Value{V: "a"}, Neq: &Value{}, In: []any{"x", nil}, Nin: []any{},
		Contains: ptr("c"), StartsWith: ptr("s"), EndsWith: ptr("e"),
		And: []Ops{{Eq: &Value{V: "b"}}},
		Or:  []Ops{{Ncontains: ptr("n")}, {NstartsWith: ptr("p"), NendsWith: ptr("q")}},
	}
	if !reflect.DeepEqual(o, want) {
		t.Fatalf("Ops = %+v\nwant  %+v", o, want)
	}
	// Nothing given: empty Ops, so no condition.
	o, err = (&StringOperationFilterInput{}).Ops(noteField)
	if err != nil || !o.empty() {
		t.Fatalf("empty input gave %+v, %v", o, err)
	}
}

func TestIntOperationFilterInput(t *testing.T) {
	in := &IntOperationFilterInput{
		Eq: some(1), Gt: ptr(2), Ngt: ptr(3), Gte: ptr(4), Ngte: ptr(5), Lt: ptr(6), Nlt: ptr(7), Lte: ptr(8), Nlte: ptr(9),
		In: []*int{ptr(1), ptr(2)}, Nin: []*int{nil},
	}
	o, err := in.Ops(seatsField)
	if err != nil {
		t.Fatal(err)
	}
	want := Ops{
		Eq: &Value{V: 1}, Gt: 2, Ngt: 3, Gte: 4, Ngte: 5, Lt: 6, Nlt: 7, Lte: 8, Nlte: 9,
		In: []any{1, 2}, Nin: []any{nil},
	}
	if !reflect.DeepEqual(o, want) {
		t.Fatalf("Ops = %+v\nwant  %+v", o, want)
	}
}

func TestDecimalOperationFilterInput(t *testing.T) {
	dec := func(s string) money.Decimal {
		d, err := money.ParseDecimal(s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	// Money compares at money.MaxDigits fraction digits, whatever the currency.
	o, err := (&DecimalOperationFilterInput{Gte: ptr(dec("100")), Eq: some(dec("19.9")), In: []*money.Decimal{ptr(dec("0.001")), nil}}).Ops(totalField)
	if err != nil {
		t.Fatal(err)
	}
	if o.Gte != int64(100000) || o.Eq.V != int64(19900) || !reflect.DeepEqual(o.In, []any{int64(1), nil}) {
		t.Fatalf("money Ops = %+v", o)
	}
	// A scaled field compares at its own scale.
	o, err = (&DecimalOperationFilterInput{Lt: ptr(dec("19.5"))}).Ops(taxRateField)
	if err != nil || o.Lt != int64(1950) {
		t.Fatalf("scaled Ops = %+v, %v", o, err)
	}
	// More digits than the scale is a client error, wherever it hides.
	for name, in := range map[string]*DecimalOperationFilterInput{
		"money gt":    {Gt: ptr(dec("0.0001"))},
		"scaled eq":   {Eq: some(dec("19.005"))},
		"scaled in":   {In: []*money.Decimal{ptr(dec("1.001"))}},
		"scaled nlte": {Nlte: ptr(dec("1.001"))},
		"nested and":  {And: []*DecimalOperationFilterInput{{Ngt: ptr(dec("1.001"))}}},
		"nested or":   {Or: []*DecimalOperationFilterInput{{Neq: some(dec("1.001"))}}},
	} {
		f := taxRateField
		if strings.HasPrefix(name, "money") {
			f = totalField
		}
		_, err := in.Ops(f)
		if err == nil {
			t.Errorf("%s: accepted", name)
			continue
		}
		wantCode(t, err, domain.CodeBadUserInput)
		if !strings.Contains(err.Error(), f.Name) {
			t.Errorf("%s: error %q does not name the field", name, err)
		}
	}
	// Overflow on rescaling is refused too.
	if _, err := (&DecimalOperationFilterInput{Gt: ptr(dec("99999999999999999"))}).Ops(totalField); err == nil {
		t.Error("an amount overflowing at money.MaxDigits was accepted")
	}
}

func TestDateTimeOperationFilterInput(t *testing.T) {
	zone := time.FixedZone("", -5*3600)
	local := time.Date(2026, 1, 1, 19, 0, 0, 0, zone)
	o, err := (&DateTimeOperationFilterInput{Gt: &local, Eq: some(local), Nin: []*time.Time{&local, nil}}).Ops(startsField)
	if err != nil {
		t.Fatal(err)
	}
	utc := time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)
	for name, v := range map[string]any{"gt": o.Gt, "eq": o.Eq.V, "nin": o.Nin[0]} {
		tm, ok := v.(time.Time)
		if !ok || tm.Location() != time.UTC || !tm.Equal(utc) {
			t.Errorf("%s = %#v, want %v in UTC", name, v, utc)
		}
	}
	if o.Nin[1] != nil {
		t.Errorf("nin null = %#v", o.Nin[1])
	}
}

func TestBooleanAndIdOperationFilterInput(t *testing.T) {
	o, err := (&BooleanOperationFilterInput{Eq: some(true), Or: []*BooleanOperationFilterInput{{Neq: null[bool]()}}}).Ops(onlineField)
	if err != nil {
		t.Fatal(err)
	}
	if want := (Ops{Eq: &Value{V: true}, Or: []Ops{{Neq: &Value{}}}}); !reflect.DeepEqual(o, want) {
		t.Fatalf("Ops = %+v", o)
	}
	o, err = (&IdOperationFilterInput{In: []*int{ptr(2<<32 | 1)}, Neq: some(5)}).Ops(idField)
	if err != nil {
		t.Fatal(err)
	}
	if want := (Ops{Neq: &Value{V: 5}, In: []any{2<<32 | 1}}); !reflect.DeepEqual(o, want) {
		t.Fatalf("Ops = %+v", o)
	}
}

func TestEnumOps(t *testing.T) {
	o, err := EnumOps(some(domain.EventStatusDraft), null[domain.EventStatus](),
		[]*domain.EventStatus{ptr(domain.EventStatusPublished), nil}, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := Ops{Eq: &Value{V: "DRAFT"}, Neq: &Value{}, In: []any{"PUBLISHED", nil}}
	if !reflect.DeepEqual(o, want) {
		t.Fatalf("Ops = %+v\nwant  %+v", o, want)
	}
	// Enums filter on the stored name, not the sort position.
	got, args := where(t, dialect.SQLite, Filter(statusField, Ops{In: []any{"DRAFT"}}))
	if got != "`t`.`status` IN (?)" || !reflect.DeepEqual(args, []any{"DRAFT"}) {
		t.Fatalf("WHERE %s %v", got, args)
	}
}
