package booking_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"entgo.io/ent/dialect"

	"seatgraph/internal/auth"
	"seatgraph/internal/booking"
	"seatgraph/internal/catalog"
	"seatgraph/internal/domain"
	"seatgraph/internal/money"
	"seatgraph/internal/store"
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
