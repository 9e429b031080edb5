package lists

import (
	"sort"
	"strings"
	"testing"

	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"

	"seatgraph/internal/domain"
	"seatgraph/internal/money"
)

// col qualifies columns the way a test selector on table "t" does.
func col(c string) string { return `"t"."` + c + `"` }

func newSelector(d string) *sql.Selector {
	return sql.Dialect(d).Select("*").From(sql.Table("t"))
}

var (
	titleField    = Field{Name: "title", Column: "title", Type: TypeString}
	noteField     = Field{Name: "note", Column: "note", Type: TypeString, Nullable: true}
	capacityField = Field{Name: "capacity", Column: "capacity", Type: TypeInt, Nullable: true}
	seatsField    = Field{Name: "seats", Column: "seats", Type: TypeInt}
	ratioField    = Field{Name: "ratio", Column: "ratio", Type: TypeFloat, Nullable: true}
	onlineField   = Field{Name: "online", Column: "online", Type: TypeBool}
	startsField   = Field{Name: "startsAt", Column: "starts_at", Type: TypeTime}
	closesField   = Field{Name: "closesAt", Column: "closes_at", Type: TypeTime, Nullable: true}
	statusField   = Field{Name: "status", Column: "status", Type: TypeEnum, Enum: domain.EventStatus("").Values()}
	idField       = Field{Name: "id", Column: "id", Type: TypeID}
	totalField    = Field{Name: "total", Column: "total", Type: TypeMoney, CurrencyColumn: "currency"}
	feeField      = Field{Name: "fee", Column: "fee", Type: TypeMoney, CurrencyColumn: "currency", Nullable: true}
	taxRateField  = Field{Name: "taxRatePercent", Column: "tax_rate", Type: TypeScaled, Scale: 2}
)

func TestFieldExprString(t *testing.T) {
	tests := []struct {
		dialect, want string
	}{
		{dialect.Postgres, `"t"."title" COLLATE "C"`},
		{dialect.SQLite, `"t"."title"`}, // BINARY, which is code point order for UTF-8
		{dialect.MySQL, `"t"."title"`},
	}
	for _, tt := range tests {
		if got := titleField.Expr(col, tt.dialect); got != tt.want {
			t.Errorf("Expr(%s) = %s, want %s", tt.dialect, got, tt.want)
		}
	}
}

func TestFieldExprEnum(t *testing.T) {
	want := `(CASE "t"."status" WHEN 'DRAFT' THEN 0 WHEN 'PUBLISHED' THEN 1 WHEN 'CANCELLED' THEN 2 END)`
	for _, d := range []string{dialect.Postgres, dialect.SQLite} {
		if got := statusField.Expr(col, d); got != want {
			t.Errorf("Expr(%s) = %s, want %s", d, got, want)
		}
	}
	// Members are quoted as SQL literals.
	f := Field{Column: "k", Type: TypeEnum, Enum: []string{"A'B", "C"}}
	if got, want := f.Expr(col, dialect.SQLite), `(CASE "t"."k" WHEN 'A''B' THEN 0 WHEN 'C' THEN 1 END)`; got != want {
		t.Errorf("Expr = %s, want %s", got, want)
	}
}

func TestFieldExprMoney(t *testing.T) {
	got := totalField.Expr(col, dialect.SQLite)
	if got != totalField.Expr(col, dialect.Postgres) {
		t.Errorf("money expression differs between dialects")
	}
	prefix := `("t"."total" * CASE "t"."currency" WHEN `
	suffix := ` ELSE 10 END)`
	if !strings.HasPrefix(got, prefix) || !strings.HasSuffix(got, suffix) {
		t.Fatalf("Expr = %s, want %s...%s", got, prefix, suffix)
	}
	for _, part := range []string{" WHEN 'JPY' THEN 1000 ", " WHEN 'KWD' THEN 1 ", " WHEN 'BHD' THEN 1 ", " WHEN 'KRW' THEN 1000 "} {
		if !strings.Contains(got, part) {
			t.Errorf("Expr lacks %q: %s", part, got)
		}
	}
	if strings.Contains(got, "'EUR'") {
		t.Errorf("EUR has the default factor and needs no branch: %s", got)
	}
	// One branch per non-default currency, in code order (a stable SQL text).
	others, _ := money.ScaleFactors()
	var codes []string
	for _, w := range strings.Split(got, " WHEN '")[1:] {
		codes = append(codes, w[:3])
	}
	if len(codes) != len(others) || !sort.StringsAreSorted(codes) {
		t.Errorf("branches %v: want the %d codes of ScaleFactors, sorted", codes, len(others))
	}
}

func TestFieldExprPlain(t *testing.T) {
	for _, f := range []Field{capacityField, ratioField, onlineField, startsField, idField, taxRateField} {
		for _, d := range []string{dialect.Postgres, dialect.SQLite} {
			if got := f.Expr(col, d); got != col(f.Column) {
				t.Errorf("%s.Expr(%s) = %s, want the bare column", f.Name, d, got)
			}
		}
	}
}

func TestKey(t *testing.T) {
	k := Key(noteField, domain.SortDESC)
	if k.Name != "note" || k.Type != TypeString || !k.Desc || !k.Nullable {
		t.Errorf("Key(note, DESC) = %+v", k)
	}
	if got := k.Expr(col, dialect.Postgres); got != `"t"."note" COLLATE "C"` {
		t.Errorf("key Expr = %s", got)
	}
	k = Key(startsField, domain.SortASC)
	if k.Desc || k.Nullable {
		t.Errorf("Key(startsAt, ASC) = %+v", k)
	}
}

func TestNewOrder(t *testing.T) {
	defaults := []SortKey{Key(startsField, domain.SortASC)}
	tests := []struct {
		name      string
		keys      []SortKey
		signature string
	}{
		{"default when none", nil, "startsAt,id"},
		{"default when empty", []SortKey{}, "startsAt,id"},
		{"given keys", []SortKey{Key(titleField, domain.SortDESC)}, "title desc,id"},
		{"several keys", []SortKey{Key(statusField, domain.SortASC), Key(totalField, domain.SortDESC)}, "status,total desc,id"},
		{"explicit id still gets the tiebreaker", []SortKey{Key(idField, domain.SortDESC)}, "id desc,id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := NewOrder(tt.keys, defaults, idField)
			if got := o.Signature(); got != tt.signature {
				t.Fatalf("Signature() = %q, want %q", got, tt.signature)
			}
			last := o.Keys[len(o.Keys)-1]
			if last.Name != "id" || last.Desc || last.Nullable || last.Type != TypeID {
				t.Fatalf("tiebreaker = %+v, want id ascending", last)
			}
		})
	}
}

// NewOrder must not write the tiebreaker into the caller's slices.
func TestNewOrderDoesNotAlias(t *testing.T) {
	backing := make([]SortKey, 1, 4)
	backing[0] = Key(startsField, domain.SortASC)
	NewOrder(nil, backing, idField)
	keys := make([]SortKey, 1, 4)
	keys[0] = Key(titleField, domain.SortASC)
	NewOrder(keys, nil, idField)
	full := backing[:2]
	if full[1].Name != "" {
		t.Errorf("NewOrder wrote %q into the defaults' spare capacity", full[1].Name)
	}
	if keys[:2][1].Name != "" {
		t.Errorf("NewOrder wrote %q into the keys' spare capacity", keys[:2][1].Name)
	}
	a := NewOrder(nil, backing, idField)
	b := NewOrder(nil, backing, Field{Name: "pk", Column: "pk", Type: TypeID})
	if a.Signature() != "startsAt,id" || b.Signature() != "startsAt,pk" {
		t.Errorf("orders share storage: %q, %q", a.Signature(), b.Signature())
	}
}

func TestThrough(t *testing.T) {
	booker := Hop{Name: "booker", Table: "participants", Column: "id", Local: "booker_id"}
	keys := Through(booker, []SortKey{Key(Field{Name: "lastName", Column: "last_name", Type: TypeString}, domain.SortDESC)})
	k := keys[0]
	if k.Name != "booker.lastName" || !k.Nullable || !k.Desc || k.Type != TypeString {
		t.Fatalf("Through key = %+v", k)
	}
	want := `(SELECT "_s1"."last_name" COLLATE "C" FROM "participants" AS "_s1" WHERE "_s1"."id" = "t"."booker_id" LIMIT 1)`
	if got := k.Expr(col, dialect.Postgres); got != want {
		t.Errorf("Expr = %s\nwant   %s", got, want)
	}
	// Two hops: each level has its own alias.
	booking := Hop{Name: "booking", Table: "bookings", Column: "id", Local: "booking_id"}
	k2 := Through(booking, keys)[0]
	if k2.Name != "booking.booker.lastName" {
		t.Errorf("Name = %s", k2.Name)
	}
	want2 := `(SELECT (SELECT "_s1"."last_name" FROM "participants" AS "_s1" WHERE "_s1"."id" = "_s2"."booker_id" LIMIT 1)` +
		` FROM "bookings" AS "_s2" WHERE "_s2"."id" = "t"."booking_id" LIMIT 1)`
	if got := k2.Expr(col, dialect.SQLite); got != want2 {
		t.Errorf("Expr = %s\nwant   %s", got, want2)
	}
	// The original keys are unchanged.
	if keys[0].Name != "booker.lastName" {
		t.Errorf("Through changed its input: %s", keys[0].Name)
	}
}

func TestOrderApply(t *testing.T) {
	o := NewOrder([]SortKey{Key(noteField, domain.SortDESC)}, nil, idField)
	tests := []struct {
		name       string
		reverse    bool
		selectKeys bool
		want       string
	}{
		{"forward", false, false,
			"SELECT * FROM `t` ORDER BY `t`.`note` DESC NULLS LAST, `t`.`id` ASC"},
		{"backward", true, false,
			"SELECT * FROM `t` ORDER BY `t`.`note` ASC NULLS FIRST, `t`.`id` DESC"},
		{"forward with keys", false, true,
			"SELECT *, (`t`.`note`) AS `__k0`, (`t`.`id`) AS `__k1` FROM `t` ORDER BY `t`.`note` DESC NULLS LAST, `t`.`id` ASC"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSelector(dialect.SQLite)
			o.apply(tt.reverse, tt.selectKeys)(s)
			if got, _ := s.Query(); got != tt.want {
				t.Fatalf("query = %s\nwant    %s", got, tt.want)
			}
		})
	}
	s := newSelector(dialect.SQLite)
	o.Apply(s)
	if got, _ := s.Query(); got != tests[0].want {
		t.Errorf("Apply = %s", got)
	}
	if got, want := o.terms(col, dialect.Postgres, true), `"t"."note" COLLATE "C" ASC NULLS FIRST, "t"."id" DESC`; got != want {
		t.Errorf("terms = %s, want %s", got, want)
	}
}
