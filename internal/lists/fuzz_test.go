package lists

import (
	"context"
	"encoding/base64"
	"errors"
	"math"
	"reflect"
	"testing"
	"time"

	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"
	"github.com/99designs/gqlgen/graphql"

	"seatgraph/internal/domain"
	"seatgraph/internal/money"
)

// Fuzz targets of the filter and sort translation (issue 4, "Fuzzing"):
// whatever a client sends as a cursor or a filter value, the translation
// either builds SQL or fails with an *domain.InputError, and never panics.

var (
	fzTitle   = Field{Name: "title", Column: "title", Type: TypeString}
	fzNote    = Field{Name: "note", Column: "note", Type: TypeString, Nullable: true}
	fzSeats   = Field{Name: "seats", Column: "seats", Type: TypeInt, Nullable: true}
	fzRatio   = Field{Name: "ratio", Column: "ratio", Type: TypeFloat, Nullable: true}
	fzOnline  = Field{Name: "online", Column: "online", Type: TypeBool}
	fzStarts  = Field{Name: "startsAt", Column: "starts_at", Type: TypeTime}
	fzCloses  = Field{Name: "closesAt", Column: "closes_at", Type: TypeTime, Nullable: true}
	fzStatus  = Field{Name: "status", Column: "status", Type: TypeEnum, Enum: domain.EventStatus("").Values()}
	fzID      = Field{Name: "id", Column: "id", Type: TypeID}
	fzTotal   = Field{Name: "total", Column: "total", Type: TypeMoney, CurrencyColumn: "currency"}
	fzFee     = Field{Name: "fee", Column: "fee", Type: TypeMoney, CurrencyColumn: "currency", Nullable: true}
	fzTaxRate = Field{Name: "taxRatePercent", Column: "tax_rate", Type: TypeScaled, Scale: 2}

	fzFields = []Field{fzTitle, fzNote, fzSeats, fzRatio, fzOnline, fzStarts, fzCloses, fzStatus, fzID, fzTotal, fzFee, fzTaxRate}
)

// fzOrders are orders over every key type, plain and through a to-one hop.
var fzOrders = func() []Order {
	hop := Hop{Name: "booker", Table: "participants", Column: "id", Local: "booker_id"}
	var out []Order
	for _, f := range fzFields {
		out = append(out,
			NewOrder([]SortKey{Key(f, domain.SortASC)}, nil, fzID),
			NewOrder([]SortKey{Key(f, domain.SortDESC)}, nil, fzID))
	}
	out = append(out,
		NewOrder(nil, []SortKey{Key(fzStarts, domain.SortASC)}, fzID),
		NewOrder([]SortKey{Key(fzNote, domain.SortDESC), Key(fzTotal, domain.SortASC), Key(fzCloses, domain.SortDESC)}, nil, fzID),
		NewOrder(Through(hop, []SortKey{Key(fzNote, domain.SortASC), Key(fzRatio, domain.SortDESC)}), nil, fzID),
	)
	return out
}()

// fzRender builds the SQL of p in both dialects.
func fzRender(t *testing.T, p func(*sql.Selector)) {
	t.Helper()
	for _, d := range []string{dialect.SQLite, dialect.Postgres} {
		s := sql.Dialect(d).Select("*").From(sql.Table("t"))
		p(s)
		if q, _ := s.Query(); q == "" {
			t.Fatalf("%s: empty query", d)
		}
		if err := s.Err(); err != nil {
			t.Fatalf("%s: building the query failed: %v", d, err)
		}
	}
}

// fzInputError fails unless err is nil or an *domain.InputError with a code.
func fzInputError(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	var ie *domain.InputError
	if !errors.As(err, &ie) {
		t.Fatalf("error %v (%T) is not an *domain.InputError", err, err)
	}
	if ie.Code != domain.CodeBadUserInput && ie.Code != domain.CodePageSizeExceeded {
		t.Fatalf("error %v has code %q", err, ie.Code)
	}
}

// FuzzCursor decodes arbitrary after/before cursors for every order: raw
// strings, and well-formed cursors of the right order with arbitrary keys.
func FuzzCursor(f *testing.F) {
	for _, seed := range fzCursorSeeds() {
		f.Add(seed.raw, seed.keys, seed.order, seed.mode)
	}
	f.Fuzz(func(t *testing.T, raw, keys string, orderIdx, mode uint8) {
		o := fzOrders[int(orderIdx)%len(fzOrders)]
		cur := raw
		if mode%2 == 1 {
			cur = base64.RawURLEncoding.EncodeToString([]byte(`{"o":"` + o.hash() + `","k":` + keys + `}`))
		}
		for _, backward := range []bool{false, true} {
			fzCheckCursor(t, o, cur, backward)
		}
	})
}

type fzCursorSeed struct {
	raw   string
	keys  string
	order uint8
	mode  uint8
}

// fzCursorSeeds are raw cursors (mode 0) and key lists put into a cursor of
// the right order (mode 1): malformed encodings, wrong key types, values
// at the edges of their ranges.
func fzCursorSeeds() []fzCursorSeed {
	startsID := NewOrder(nil, []SortKey{Key(fzStarts, domain.SortASC)}, fzID)
	valid := startsID.encodeCursor([]any{time.Date(2026, 5, 1, 19, 0, 0, 0, time.UTC), int64(5<<32 | 7)})
	return []fzCursorSeed{
		{valid, "", 0, 0},
		{"", "", 0, 0},
		{"!!!", "", 1, 0},
		{"e30", "", 2, 0}, // {}
		{base64.RawURLEncoding.EncodeToString([]byte(`{"o":"x","k":[1,2]}`)), "", 3, 0},
		{base64.RawURLEncoding.EncodeToString([]byte(`{"o":1,"k":{}}`)), "", 3, 0},
		{base64.StdEncoding.EncodeToString([]byte(`{"o":"x","k":[]}`)), "", 4, 0},
		{"", `["2026-05-01T19:00:00Z",30064771079]`, 0, 1},
		{"", `[null,1]`, 0, 1},
		{"", `[null,null]`, 3, 1},
		{"", `["not a time",1]`, 10, 1},
		{"", `[1e400,1]`, 4, 1},
		{"", `[9223372036854775808,1]`, 4, 1},
		{"", `[-9223372036854775808,-1]`, 4, 1},
		{"", `[1.5,2.5]`, 6, 1},
		{"", `[true,1]`, 8, 1},
		{"", `["x",1]`, 8, 1},
		{"", `[{"a":1},[1]]`, 0, 1},
		{"", `["0000-01-01T00:00:00Z",1]`, 10, 1},
		{"", `["9999-12-31T23:59:59.999999999+14:00",1]`, 10, 1},
		{"", `["ünï'cödé\"; DROP TABLE t; --",1]`, 0, 1},
		{"", `[null,"x",null,1]`, 25, 1},
		{"", `["a",1,"2026-01-01T00:00:00Z",1]`, 25, 1},
		{"", `[null,null,1]`, 26, 1},
		{"", `[1]`, 0, 1},
		{"", `[]`, 0, 1},
		{"", `null`, 0, 1},
	}
}

// fzCheckCursor decodes cur as an after (or before) cursor of o: it is
// refused with an input error, or it decodes to one value per key, builds
// SQL, and encodes back to the same position.
func fzCheckCursor(t *testing.T, o Order, cur string, backward bool) {
	a := CursorArgs{After: &cur}
	if backward {
		a = CursorArgs{Before: &cur, Last: new(int)}
	}
	w, err := o.window(context.Background(), a)
	fzInputError(t, err)
	if err != nil {
		return
	}
	vals := w.after
	if backward {
		vals = w.before
	}
	if len(vals) != len(o.Keys) {
		t.Fatalf("decoded %d values for %d keys", len(vals), len(o.Keys))
	}
	// The position builds SQL in both directions, and NOT of it too.
	fzRender(t, func(s *sql.Selector) { s.Where(o.seek(s, vals, !backward)) })
	fzRender(t, func(s *sql.Selector) { s.Where(sql.Not(o.seek(s, vals, backward))) })
	fzRender(t, o.apply(backward, true))
	// What decodes encodes back to the same position.
	again, err := o.decodeCursor("after", o.encodeCursor(vals))
	if err != nil {
		t.Fatalf("re-encoded cursor %v does not decode: %v", vals, err)
	}
	if !reflect.DeepEqual(again, vals) {
		t.Fatalf("cursor round trip changed %#v to %#v", vals, again)
	}
}

// FuzzFilter builds predicates from arbitrary operation values for every
// field type: through the GraphQL operation inputs (decimals parsed as the
// Decimal scalar does) and as raw Ops, nested in and/or.
func FuzzFilter(f *testing.F) {
	for _, seed := range fzFilterSeeds() {
		f.Add(seed.field, seed.ops, seed.s, seed.i, seed.fl, seed.decimal, seed.nest)
	}
	f.Fuzz(func(t *testing.T, fieldIdx uint8, opsMask uint16, s string, i int64, fl float64, decimal string, nest uint8) {
		fld := fzFields[int(fieldIdx)%len(fzFields)]
		depth := int(nest % 8)
		for _, in := range fzFilterInputs(fld, opsMask, s, i, decimal, depth) {
			ops, err := in.Ops(fld)
			fzInputError(t, err)
			if err == nil {
				if p := Filter(fld, ops); p != nil {
					fzRender(t, p)
					fzRender(t, Not(p))
				}
			}
		}
		fzRawFilter(t, fld, opsMask, s, i, fl, depth)
	})
}

type fzFilterSeed struct {
	field   uint8
	ops     uint16
	s       string
	i       int64
	fl      float64
	decimal string
	nest    uint8
}

// fzFilterSeeds cover every field type with values at the edges: empty,
// non-ASCII and wildcard strings, extreme integers and floats, decimals
// with too many digits or none.
func fzFilterSeeds() []fzFilterSeed {
	return []fzFilterSeed{
		{0, 1, "Jazz", 0, 0, "", 0},
		{1, 0xffff, "100%_fun\\", -1, 1.5, "19.90", 2},
		{9, 0x0f0f, "ärzte", math.MaxInt64, math.Inf(1), "9223372036854775.807", 1},
		{10, 0x00f0, "ÄÖÜ ẞ İ ǅ", math.MinInt64, math.NaN(), "-0.001", 3},
		{11, 0x1234, "[*?]", 7, -0.0, "0.005", 0},
		{2, 0xaaaa, "", 1 << 40, 1e308, "99999999999999999999", 5},
		{3, 0x5555, "\x00\xff", -(1 << 40), 5e-324, "1e5", 1},
		{5, 0x8001, "2026-05-01T19:00:00Z", 1700000000, 0, "abc", 0},
		{6, 0x7ffe, "'; DROP TABLE t; --", 0, 0, ".5", 2},
		{7, 0x0303, "DRAFT", 3, 0, "-", 0},
		{8, 0xf00f, "Event:1", 8589934593, 0, "0.000000000000000001", 0},
		{4, 0xffff, "true", 1, 1, "1.", 4},
		{9, 0x0002, "", 0, 0, "000000000000000000000000000000001", 0},
		{9, 0x0100, "", 0, 0, "922337203685477580.7", 0},
		{11, 0x0080, "", 0, 0, "+92233720368547758.07", 0},
	}
}

// fzFilterInputs sets the operations of opsMask on the GraphQL operation
// input of fld's type, as the generated code receives it (decimals parsed
// as the Decimal scalar does).
func fzFilterInputs(fld Field, opsMask uint16, s string, i int64, decimal string, depth int) []Opser {
	var d *money.Decimal
	var dec money.Decimal
	if err := dec.UnmarshalGQL(decimal); err == nil {
		d = &dec
	}
	n := int(i % (1 << 31))
	tm := time.Unix(i%(1<<40), 0).UTC()
	b := i%2 == 0
	switch fld.Type {
	case TypeString, TypeEnum:
		in := &StringOperationFilterInput{}
		fzSetString(in, opsMask, s)
		return []Opser{fzNestString(in, depth)}
	case TypeInt, TypeFloat:
		in := &IntOperationFilterInput{}
		fzSetOrdering(opsMask, &n, &in.Eq, &in.Neq, &in.In, &in.Nin, []**int{&in.Gt, &in.Ngt, &in.Gte, &in.Ngte, &in.Lt, &in.Nlt, &in.Lte, &in.Nlte})
		return []Opser{in}
	case TypeTime:
		in := &DateTimeOperationFilterInput{}
		fzSetOrdering(opsMask, &tm, &in.Eq, &in.Neq, &in.In, &in.Nin, []**time.Time{&in.Gt, &in.Ngt, &in.Gte, &in.Ngte, &in.Lt, &in.Nlt, &in.Lte, &in.Nlte})
		return []Opser{in}
	case TypeBool:
		in := &BooleanOperationFilterInput{}
		fzSetOrdering(opsMask, &b, &in.Eq, &in.Neq, new([]*bool), new([]*bool), nil)
		return []Opser{in}
	case TypeID:
		in := &IdOperationFilterInput{}
		fzSetOrdering(opsMask, &n, &in.Eq, &in.Neq, &in.In, &in.Nin, nil)
		return []Opser{in}
	case TypeMoney, TypeScaled:
		in := &DecimalOperationFilterInput{}
		fzSetOrdering(opsMask, d, &in.Eq, &in.Neq, &in.In, &in.Nin, []**money.Decimal{&in.Gt, &in.Ngt, &in.Gte, &in.Ngte, &in.Lt, &in.Nlt, &in.Lte, &in.Nlte})
		return []Opser{&DecimalOperationFilterInput{And: []*DecimalOperationFilterInput{in}, Or: []*DecimalOperationFilterInput{in, {}}}}
	}
	return nil
}

// fzRawFilter builds raw Ops with values of any type, as a generated caller
// might pass, nested depth times in and/or: the SQL builder must cope.
func fzRawFilter(t *testing.T, fld Field, opsMask uint16, s string, i int64, fl float64, depth int) {
	n := int(i % (1 << 31))
	tm := time.Unix(i%(1<<40), 0).UTC()
	b := i%2 == 0
	var vals = []any{s, i, fl, b, tm, nil, n, []byte(s)}
	v := vals[int(opsMask>>12)%len(vals)]
	ops := fzRawOps(opsMask, v, s)
	for k := 0; k < depth; k++ {
		if k%2 == 0 {
			ops = Ops{And: []Ops{ops, fzRawOps(opsMask>>3, v, s)}}
		} else {
			ops = Ops{Or: []Ops{ops, {}}}
			if opsMask&1 == 0 {
				ops.Or = ops.Or[:1]
			}
		}
	}
	if p := Filter(fld, ops); p != nil {
		fzRender(t, p)
		fzRender(t, And(p, Or(p, Not(p))))
	}
}

func fzSetString(in *StringOperationFilterInput, mask uint16, s string) {
	if mask&1 != 0 {
		in.Eq = graphql.OmittableOf(&s)
	}
	if mask&2 != 0 {
		in.Neq = graphql.OmittableOf[*string](nil)
	}
	if mask&4 != 0 {
		in.In = []*string{&s, nil}
	}
	if mask&8 != 0 {
		in.Nin = []*string{}
	}
	ptrs := []**string{&in.Contains, &in.Ncontains, &in.StartsWith, &in.NstartsWith, &in.EndsWith, &in.NendsWith}
	for k, p := range ptrs {
		if mask&(16<<k) != 0 {
			*p = &s
		}
	}
}

func fzNestString(in *StringOperationFilterInput, depth int) *StringOperationFilterInput {
	for k := 0; k < depth; k++ {
		if k%2 == 0 {
			in = &StringOperationFilterInput{And: []*StringOperationFilterInput{in, in}}
		} else {
			in = &StringOperationFilterInput{Or: []*StringOperationFilterInput{in, {}}}
		}
	}
	return in
}

// fzSetOrdering sets the operations of mask to v (nil v: null where allowed).
func fzSetOrdering[T any](mask uint16, v *T, eq, neq *graphql.Omittable[*T], in, nin *[]*T, ordering []**T) {
	if mask&1 != 0 {
		*eq = graphql.OmittableOf(v)
	}
	if mask&2 != 0 {
		*neq = graphql.OmittableOf(v)
	}
	if mask&4 != 0 {
		*in = []*T{v, nil}
	}
	if mask&8 != 0 {
		*nin = []*T{}
	}
	if v == nil {
		return
	}
	for k, p := range ordering {
		if mask&(16<<k) != 0 {
			*p = v
		}
	}
}

func fzRawOps(mask uint16, v any, s string) Ops {
	var o Ops
	if mask&1 != 0 {
		o.Eq = &Value{V: v}
	}
	if mask&2 != 0 {
		o.Neq = &Value{}
	}
	if mask&4 != 0 {
		o.In = []any{v, nil, v}
	}
	if mask&8 != 0 {
		o.Nin = []any{}
	}
	if mask&16 != 0 {
		o.Gt, o.Nlte = v, v
	}
	if mask&32 != 0 {
		o.Lt, o.Ngte = v, v
	}
	if mask&64 != 0 {
		o.Contains, o.NendsWith = &s, &s
	}
	if mask&128 != 0 {
		o.StartsWith, o.Ncontains = &s, &s
	}
	if mask&256 != 0 {
		o.EndsWith, o.NstartsWith = &s, &s
	}
	return o
}
