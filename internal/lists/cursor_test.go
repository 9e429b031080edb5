package lists

import (
	"encoding/base64"
	"encoding/json"
	"math"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"entgo.io/ent/dialect"

	"seatgraph/internal/domain"
)

// wantCode checks that err is a client error of the list API with the
// given extensions.code: a *domain.InputError, which the GraphQL layer
// shows with its code and message.
func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	e, ok := domain.AsInputError(err)
	if !ok {
		t.Fatalf("error %v (%T) is not a client input error", err, err)
	}
	if e.Code != code {
		t.Fatalf("error %q has code %v, want %s", e.Error(), e.Code, code)
	}
}

func TestCursorRoundTrip(t *testing.T) {
	berlin := time.FixedZone("CEST", 2*3600)
	tests := []struct {
		name string
		f    Field
		v    any // as normalize returns it
		want any // as decodeCursor returns it
	}{
		{"string", titleField, "Jazz & Blues \"live\" ✓", nil},
		{"empty string", titleField, "", nil},
		{"nullable string", noteField, "x", nil},
		{"null string", noteField, nil, nil},
		{"int", seatsField, int64(-42), nil},
		{"nullable int", capacityField, int64(7), nil},
		{"null int", capacityField, nil, nil},
		{"large int", seatsField, int64(math.MaxInt64), nil},
		{"float", ratioField, 0.1, nil},
		{"integral float", ratioField, float64(3), nil},
		{"null float", ratioField, nil, nil},
		{"bool true", onlineField, true, nil},
		{"bool false", onlineField, false, nil},
		{"time", startsField, time.Date(2026, 3, 1, 19, 30, 0, 0, time.UTC), nil},
		{"time with nanoseconds", startsField, time.Date(2026, 3, 1, 19, 30, 0, 123456789, time.UTC), nil},
		{"time in another zone", startsField, time.Date(2026, 3, 1, 21, 30, 0, 0, berlin),
			time.Date(2026, 3, 1, 19, 30, 0, 0, time.UTC)},
		{"null time", closesField, nil, nil},
		{"enum position", statusField, int64(2), nil},
		{"id", idField, int64(2<<32 | 17), nil},
		{"money", totalField, int64(19900), nil},
		{"null money", feeField, nil, nil},
		{"scaled", taxRateField, int64(1900), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := NewOrder([]SortKey{Key(tt.f, domain.SortDESC)}, nil, idField)
			c := o.encodeCursor([]any{tt.v, int64(2<<32 | 1)})
			if !regexpOpaque.MatchString(c) {
				t.Fatalf("cursor %q is not unpadded base64url", c)
			}
			got, err := o.decodeCursor("after", c)
			if err != nil {
				t.Fatalf("decodeCursor: %v", err)
			}
			want := tt.want
			if want == nil {
				want = tt.v
			}
			if len(got) != 2 || !reflect.DeepEqual(got[0], want) || got[1] != int64(2<<32|1) {
				t.Fatalf("decoded %#v, want [%#v %d]", got, want, int64(2<<32|1))
			}
			if tm, ok := got[0].(time.Time); ok && tm.Location() != time.UTC {
				t.Fatalf("decoded time %v is not in UTC", tm)
			}
		})
	}
}

// A cursor holds every key of the order, id last, in one JSON array.
func TestCursorLayout(t *testing.T) {
	o := NewOrder([]SortKey{Key(startsField, domain.SortASC), Key(noteField, domain.SortDESC)}, nil, idField)
	c := o.encodeCursor([]any{time.Date(2026, 1, 2, 3, 4, 5, 6, time.UTC), nil, int64(42)})
	raw, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("cursor %s is not JSON: %v", raw, err)
	}
	if m["o"] != o.hash() {
		t.Errorf("order hash %v, want %s", m["o"], o.hash())
	}
	if want := []any{"2026-01-02T03:04:05.000000006Z", nil, float64(42)}; !reflect.DeepEqual(m["k"], want) {
		t.Errorf("keys %#v, want %#v", m["k"], want)
	}
	// The same order always gives the same cursor.
	if again := o.encodeCursor([]any{time.Date(2026, 1, 2, 3, 4, 5, 6, time.UTC), nil, int64(42)}); again != c {
		t.Errorf("encoding is not deterministic: %s vs %s", c, again)
	}
}

func TestCursorOtherOrder(t *testing.T) {
	byStart := NewOrder(nil, []SortKey{Key(startsField, domain.SortASC)}, idField)
	byStartDesc := NewOrder([]SortKey{Key(startsField, domain.SortDESC)}, nil, idField)
	byTitle := NewOrder([]SortKey{Key(titleField, domain.SortASC)}, nil, idField)
	byTwo := NewOrder([]SortKey{Key(titleField, domain.SortASC), Key(startsField, domain.SortASC)}, nil, idField)
	byID := NewOrder([]SortKey{}, nil, idField)

	c := byStart.encodeCursor([]any{time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), int64(1)})
	for name, o := range map[string]Order{"direction": byStartDesc, "field": byTitle, "more keys": byTwo, "fewer keys": byID} {
		t.Run(name, func(t *testing.T) {
			_, err := o.decodeCursor("after", c)
			if err == nil {
				t.Fatal("a cursor of another order was accepted")
			}
			wantCode(t, err, domain.CodeBadUserInput)
			if !strings.HasPrefix(err.Error(), "after: ") {
				t.Fatalf("message %q does not name the argument", err)
			}
		})
	}
	// With as many keys, the message tells the order changed.
	_, err := byTitle.decodeCursor("before", byStartDesc.encodeCursor([]any{"x", int64(1)}))
	if err == nil || !strings.Contains(err.Error(), "another order") {
		t.Errorf("error = %v, want one about another order", err)
	}
}

func TestCursorMalformed(t *testing.T) {
	o := NewOrder([]SortKey{Key(startsField, domain.SortASC), Key(noteField, domain.SortASC)}, nil, idField)
	h := o.hash()
	enc := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	tests := []struct {
		name, cursor string
	}{
		{"empty", ""},
		{"not base64", "not a cursor!"},
		{"padded", enc(`{"o":"`+h+`","k":["2026-01-01T00:00:00Z",null,1]}`) + "="},
		{"standard base64", base64.StdEncoding.EncodeToString([]byte(`{"o":"` + h + `","k":["2026-01-01T00:00:00Z",null,1]}`))},
		{"not JSON", enc("hello")},
		{"JSON null", enc("null")},
		{"JSON array", enc(`["2026-01-01T00:00:00Z",null,1]`)},
		{"no keys", enc(`{"o":"` + h + `"}`)},
		{"too few keys", enc(`{"o":"` + h + `","k":["2026-01-01T00:00:00Z",1]}`)},
		{"too many keys", enc(`{"o":"` + h + `","k":["2026-01-01T00:00:00Z",null,1,2]}`)},
		{"no order", enc(`{"k":["2026-01-01T00:00:00Z",null,1]}`)},
		{"bad time", enc(`{"o":"` + h + `","k":["yesterday",null,1]}`)},
		{"time as number", enc(`{"o":"` + h + `","k":[1767225600,null,1]}`)},
		{"time without zone", enc(`{"o":"` + h + `","k":["2026-01-01T00:00:00",null,1]}`)},
		{"null for a non-nullable key", enc(`{"o":"` + h + `","k":[null,null,1]}`)},
		{"null id", enc(`{"o":"` + h + `","k":["2026-01-01T00:00:00Z",null,null]}`)},
		{"number for a string", enc(`{"o":"` + h + `","k":["2026-01-01T00:00:00Z",5,1]}`)},
		{"bool for a string", enc(`{"o":"` + h + `","k":["2026-01-01T00:00:00Z",true,1]}`)},
		{"string id", enc(`{"o":"` + h + `","k":["2026-01-01T00:00:00Z",null,"1"]}`)},
		{"fractional id", enc(`{"o":"` + h + `","k":["2026-01-01T00:00:00Z",null,1.5]}`)},
		{"id beyond int64", enc(`{"o":"` + h + `","k":["2026-01-01T00:00:00Z",null,99999999999999999999]}`)},
		{"object key", enc(`{"o":"` + h + `","k":["2026-01-01T00:00:00Z",{},1]}`)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vals, err := o.decodeCursor("after", tt.cursor)
			if err == nil {
				t.Fatalf("decodeCursor(%q) = %#v, want an error", tt.cursor, vals)
			}
			wantCode(t, err, domain.CodeBadUserInput)
		})
	}
	// The cursor those cases were made from is fine.
	if _, err := o.decodeCursor("after", enc(`{"o":"`+h+`","k":["2026-01-01T00:00:00Z",null,1]}`)); err != nil {
		t.Fatalf("valid cursor refused: %v", err)
	}
}

func TestCursorTypeChecks(t *testing.T) {
	enc := func(o Order, k string) string {
		return base64.RawURLEncoding.EncodeToString([]byte(`{"o":"` + o.hash() + `","k":[` + k + `,1]}`))
	}
	tests := []struct {
		f    Field
		bad  []string
		good string
	}{
		{onlineField, []string{`1`, `"true"`}, `true`},
		{ratioField, []string{`"1.5"`, `true`}, `1.5`},
		{seatsField, []string{`"3"`, `3.5`, `true`}, `3`},
		{statusField, []string{`"DRAFT"`}, `0`},
		{totalField, []string{`"19.90"`, `19.9`}, `19900`},
		{titleField, []string{`3`, `null`}, `"x"`},
	}
	for _, tt := range tests {
		o := NewOrder([]SortKey{Key(tt.f, domain.SortASC)}, nil, idField)
		for _, b := range tt.bad {
			if _, err := o.decodeCursor("after", enc(o, b)); err == nil {
				t.Errorf("%s: key %s accepted", tt.f.Name, b)
			} else {
				wantCode(t, err, domain.CodeBadUserInput)
			}
		}
		if _, err := o.decodeCursor("after", enc(o, tt.good)); err != nil {
			t.Errorf("%s: key %s refused: %v", tt.f.Name, tt.good, err)
		}
	}
}

func TestNormalize(t *testing.T) {
	want := time.Date(2026, 3, 1, 17, 30, 5, 123000000, time.UTC)
	anyPtr := func(v any) *any { return &v }
	tests := []struct {
		name string
		typ  Type
		in   any
		want any
	}{
		{"nil", TypeString, nil, nil},
		{"*any nil", TypeTime, anyPtr(nil), nil},
		{"*any int64", TypeInt, anyPtr(int64(5)), int64(5)},
		{"time.Time UTC", TypeTime, want, want},
		{"time.Time zone", TypeTime, want.In(time.FixedZone("", 2*3600)), want},
		{"sqlite time", TypeTime, "2026-03-01 19:30:05.123+02:00", want},
		{"sqlite time UTC", TypeTime, "2026-03-01 17:30:05.123+00:00", want},
		{"sqlite time T", TypeTime, "2026-03-01T17:30:05.123+00:00", want},
		{"sqlite time no zone", TypeTime, "2026-03-01 17:30:05.123", want},
		{"sqlite time T no zone", TypeTime, "2026-03-01T17:30:05.123", want},
		{"sqlite time seconds", TypeTime, "2026-03-01 17:30:05", want.Truncate(time.Second)},
		{"RFC 3339 Z", TypeTime, "2026-03-01T17:30:05.123Z", want},
		{"time bytes", TypeTime, []byte("2026-03-01 17:30:05.123+00:00"), want},
		{"int64", TypeInt, int64(-3), int64(-3)},
		{"int32", TypeInt, int32(7), int64(7)},
		{"int", TypeInt, 9, int64(9)},
		{"float64 to int", TypeMoney, float64(19900), int64(19900)},
		{"int bytes", TypeInt, []byte("42"), int64(42)},
		{"int string", TypeScaled, "1900", int64(1900)},
		{"enum position", TypeEnum, int64(1), int64(1)},
		{"enum position int32", TypeEnum, int32(1), int64(1)},
		{"id", TypeID, int64(2<<32 | 1), int64(2<<32 | 1)},
		{"bool", TypeBool, true, true},
		{"bool from int64 1", TypeBool, int64(1), true},
		{"bool from int64 0", TypeBool, int64(0), false},
		{"string", TypeString, "abc", "abc"},
		{"string bytes", TypeString, []byte("abc"), "abc"},
		{"float", TypeFloat, 1.5, 1.5},
		{"float from int64", TypeFloat, int64(2), float64(2)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := normalize(tt.typ, tt.in)
			if err != nil {
				t.Fatalf("normalize(%d, %#v): %v", tt.typ, tt.in, err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("normalize(%d, %#v) = %#v, want %#v", tt.typ, tt.in, got, tt.want)
			}
		})
	}
}

func TestNormalizeErrors(t *testing.T) {
	tests := []struct {
		name string
		typ  Type
		in   any
	}{
		{"bad time string", TypeTime, "yesterday"},
		{"time as int", TypeTime, int64(1767225600)},
		{"bool as string", TypeBool, "1"},
		{"string as int", TypeString, int64(5)},
		{"float as string", TypeFloat, "1.5"},
		{"int as bool", TypeInt, true},
		{"int bad string", TypeInt, "abc"},
		{"id as time", TypeID, time.Now()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, err := normalize(tt.typ, tt.in); err == nil {
				t.Fatalf("normalize(%d, %#v) = %#v, want an error", tt.typ, tt.in, got)
			}
		})
	}
}

// Values read from a SQLite driver as strings come back out of a cursor as
// the same instant the database compares.
func TestNormalizeThenCursor(t *testing.T) {
	o := NewOrder([]SortKey{Key(closesField, domain.SortASC)}, nil, idField)
	v, err := normalize(TypeTime, "2026-03-01 19:30:05.5+02:00")
	if err != nil {
		t.Fatal(err)
	}
	got, err := o.decodeCursor("after", o.encodeCursor([]any{v, int64(1)}))
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2026, 3, 1, 17, 30, 5, 5e8, time.UTC); !got[0].(time.Time).Equal(want) {
		t.Fatalf("got %v, want %v", got[0], want)
	}
}

func TestSeek(t *testing.T) {
	// The text of keyset predicates; seek_test.go checks their meaning.
	o := NewOrder([]SortKey{Key(noteField, domain.SortDESC)}, nil, idField)
	bySeats := NewOrder([]SortKey{Key(seatsField, domain.SortDESC)}, nil, idField)
	tests := []struct {
		name    string
		o       Order
		vals    []any
		forward bool
		want    string
		args    []any
	}{
		{"after a value", bySeats, []any{int64(3), int64(7)}, true,
			"SELECT * FROM `t` WHERE `t`.`seats` <= ? AND (`t`.`seats` < ? OR (`t`.`seats` = ? AND `t`.`id` > ?))",
			[]any{int64(3), int64(3), int64(3), int64(7)}},
		{"before a value", bySeats, []any{int64(3), int64(7)}, false,
			"SELECT * FROM `t` WHERE `t`.`seats` >= ? AND (`t`.`seats` > ? OR (`t`.`seats` = ? AND `t`.`id` < ?))",
			[]any{int64(3), int64(3), int64(3), int64(7)}},
		{"after null", o, []any{nil, int64(7)}, true,
			"SELECT * FROM `t` WHERE `t`.`note` IS NULL AND `t`.`id` > ?",
			[]any{int64(7)}},
		{"before null", o, []any{nil, int64(7)}, false,
			"SELECT * FROM `t` WHERE `t`.`note` IS NOT NULL OR (`t`.`note` IS NULL AND `t`.`id` < ?)",
			[]any{int64(7)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSelector(dialect.SQLite)
			s.Where(tt.o.seek(s, tt.vals, tt.forward))
			q, args := s.Query()
			if q != tt.want || !reflect.DeepEqual(args, tt.args) {
				t.Fatalf("query = %s %v\nwant    %s %v", q, args, tt.want, tt.args)
			}
		})
	}
}

var regexpOpaque = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

func isInputError(err error) bool {
	_, ok := domain.AsInputError(err)
	return ok
}
