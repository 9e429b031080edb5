package lists

import (
	"testing"
	"time"

	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"
	"github.com/99designs/gqlgen/graphql"

	"seatgraph/internal/domain"
	"seatgraph/internal/money"
)

var (
	benchTitle = Field{Name: "title", Column: "title", Type: TypeString}
	benchStart = Field{Name: "startsAt", Column: "starts_at", Type: TypeTime}
	benchTotal = Field{Name: "total", Column: "total", Type: TypeMoney, CurrencyColumn: "currency"}
	benchCap   = Field{Name: "capacity", Column: "capacity", Type: TypeInt, Nullable: true}
	benchID    = Field{Name: "id", Column: "id", Type: TypeID}
)

// BenchmarkFilterTranslation builds and renders a typical where argument.
func BenchmarkFilterTranslation(b *testing.B) {
	contains, gte := "jazz", money.Decimal{Units: 100}
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	five := 5
	b.ReportAllocs()
	for b.Loop() {
		var ps []Predicate
		o, _ := (&StringOperationFilterInput{Contains: &contains}).Ops(benchTitle)
		ps = append(ps, Filter(benchTitle, o))
		o, _ = (&DecimalOperationFilterInput{Gte: &gte}).Ops(benchTotal)
		ps = append(ps, Filter(benchTotal, o))
		o, _ = (&DateTimeOperationFilterInput{Gte: &from}).Ops(benchStart)
		ps = append(ps, Filter(benchStart, o))
		o, _ = (&IntOperationFilterInput{Neq: graphql.OmittableOf(&five)}).Ops(benchCap)
		ps = append(ps, Filter(benchCap, o))
		s := sql.Dialect(dialect.SQLite).Select("*").From(sql.Table("events"))
		And(ps...)(s)
		if q, _ := s.Query(); q == "" {
			b.Fatal("empty query")
		}
	}
}

// BenchmarkSortAndSeek renders an order with a keyset seek.
func BenchmarkSortAndSeek(b *testing.B) {
	o := NewOrder([]SortKey{Key(benchTotal, domain.SortDESC), Key(benchStart, domain.SortASC)}, nil, benchID)
	vals := []any{int64(19990), time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC), int64(42)}
	b.ReportAllocs()
	for b.Loop() {
		s := sql.Dialect(dialect.Postgres).Select("*").From(sql.Table("bookings"))
		s.Where(o.seek(s, vals, true))
		o.apply(false, true)(s)
		if q, _ := s.Query(); q == "" {
			b.Fatal("empty query")
		}
	}
}

// BenchmarkCursor encodes and decodes a cursor of three keys.
func BenchmarkCursor(b *testing.B) {
	o := NewOrder([]SortKey{Key(benchTotal, domain.SortDESC), Key(benchStart, domain.SortASC)}, nil, benchID)
	vals := []any{int64(19990), time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC), int64(42)}
	b.ReportAllocs()
	for b.Loop() {
		c := o.encodeCursor(vals)
		if _, err := o.decodeCursor("after", c); err != nil {
			b.Fatal(err)
		}
	}
}
