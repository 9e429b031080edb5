package booking_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"entgo.io/ent/dialect"

	"seatgraph/internal/auth"
	"seatgraph/internal/booking"
	"seatgraph/internal/catalog"
	"seatgraph/internal/domain"
	"seatgraph/internal/money"
	"seatgraph/internal/store"
	"seatgraph/internal/store/storetest"
)

// BenchmarkCreateBooking books one ticket per op on one hot event, in
// process on SQLite: the booking engine without HTTP or GraphQL.
func BenchmarkCreateBooking(b *testing.B) {
	ctx := context.Background()
	client, _, err := store.Open(ctx, "file:"+filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer client.Close()
	tid, err := store.DefaultTenantID(ctx, client)
	if err != nil {
		b.Fatal(err)
	}
	auth.Protect(client)
	ctx = auth.WithTenant(ctx, tid)
	engine := booking.New(client, dialect.SQLite, booking.Options{})
	cat := catalog.New(client, catalog.Hooks{CancelBookings: engine.CancelEventBookings, CapacityRaised: engine.CapacityChanged})
	publish := true
	ev, err := cat.CreateEvent(ctx, catalog.CreateEventInput{
		Title: "Hot event", StartsAt: time.Now().Add(30 * 24 * time.Hour), Publish: &publish,
		TicketCategories: []*catalog.TicketCategoryInput{{Name: "Standard", Price: money.Decimal{Units: 2990, Scale: 2}}},
	})
	if err != nil {
		b.Fatal(err)
	}
	cats, err := ev.QueryTicketCategories().All(ctx)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		_, err := engine.CreateBooking(ctx, booking.CreateBookingInput{
			Booker:        catalog.ParticipantInput{FirstName: "Ada", LastName: "Bench", Email: fmt.Sprintf("ada%d@example.com", i)},
			Tickets:       []*booking.TicketInput{{TicketCategoryID: cats[0].ID}},
			PaymentMethod: domain.PaymentMethodInvoice,
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "bookings/s")
}

// BenchmarkCreateBookingParallel books one ticket per op on one hot event
// from many goroutines at once, on SQLite and (when DATABASE_URL is set) on
// PostgreSQL: the load of a sale opening, where bookings of one event
// arrive together. It reports confirmed bookings per second.
func BenchmarkCreateBookingParallel(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) { benchParallel(b, "file:"+filepath.Join(b.TempDir(), "bench.db"), dialect.SQLite) })
	if base := os.Getenv("DATABASE_URL"); base != "" {
		b.Run("postgres", func(b *testing.B) { benchParallel(b, storetest.PGSchema(b, base), dialect.Postgres) })
	}
}

func benchParallel(b *testing.B, dsn, d string) {
	ctx := context.Background()
	client, tid := storetest.Open(b, dsn)
	auth.Protect(client)
	ctx = auth.WithTenant(ctx, tid)
	engine := booking.New(client, d, booking.Options{})
	cat := catalog.New(client, catalog.Hooks{CancelBookings: engine.CancelEventBookings, CapacityRaised: engine.CapacityChanged})
	publish := true
	capacity := 1 << 30
	ev, err := cat.CreateEvent(ctx, catalog.CreateEventInput{
		Title: "Hot event", StartsAt: time.Now().Add(30 * 24 * time.Hour), Publish: &publish, Capacity: &capacity,
		TicketCategories: []*catalog.TicketCategoryInput{{Name: "Standard", Price: money.Decimal{Units: 2990, Scale: 2}}},
	})
	if err != nil {
		b.Fatal(err)
	}
	cats, err := ev.QueryTicketCategories().All(ctx)
	if err != nil {
		b.Fatal(err)
	}
	var seq, confirmed atomic.Int64
	b.ReportAllocs()
	b.SetParallelism(16) // 32 bookers on 2 cores
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := seq.Add(1)
			bk, err := engine.CreateBooking(ctx, booking.CreateBookingInput{
				Booker:        catalog.ParticipantInput{FirstName: "Ada", LastName: "Bench", Email: fmt.Sprintf("par%d@example.com", i)},
				Tickets:       []*booking.TicketInput{{TicketCategoryID: cats[0].ID}},
				PaymentMethod: domain.PaymentMethodInvoice,
			})
			if err != nil {
				b.Error(err)
				return
			}
			if bk.Status == domain.BookingStatusConfirmed {
				confirmed.Add(1)
			}
		}
	})
	b.ReportMetric(float64(confirmed.Load())/b.Elapsed().Seconds(), "confirmed/s")
	if txs, n, alone := engine.GroupStats(); txs > 0 {
		b.ReportMetric(float64(n)/float64(txs), "bookings/tx")
		b.ReportMetric(float64(alone)/float64(n), "alone/booking")
	}
}
