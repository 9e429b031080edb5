package booking

import (
	"context"
	"fmt"
	"testing"
	"time"

	"seatgraph/internal/auth"
	"seatgraph/internal/catalog"
	"seatgraph/internal/domain"
	"seatgraph/internal/money"
	"seatgraph/internal/store/storetest"
)

// One group, made up by hand so that its bookings are sure to share a
// transaction: a booking, its twin (same idempotency key and input), a
// booking refused in between, and one more. Each gets the answer it would
// get alone, order numbers included, which on PostgreSQL are given only
// when the group takes its seats.
func TestOneGroupTwinsAndRefusals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn, d string) {
		client, tid := storetest.Open(t, dsn)
		ctx := auth.WithTenant(context.Background(), tid)
		e := New(client, d, Options{})
		cat := catalog.New(client, catalog.Hooks{CancelBookings: e.CancelEventBookings, CapacityRaised: e.CapacityChanged})
		publish, capacity := true, 2
		ev, err := cat.CreateEvent(ctx, catalog.CreateEventInput{
			Title: "Small", StartsAt: time.Now().Add(24 * time.Hour), Publish: &publish, Capacity: &capacity,
			TicketCategories: []*catalog.TicketCategoryInput{{Name: "Standard", Price: money.Decimal{Units: 1000, Scale: 2}}},
		})
		if err != nil {
			t.Fatal(err)
		}
		catID := ev.QueryTicketCategories().OnlyIDX(ctx)
		key := "twin"
		input := func(n int, withKey bool) CreateBookingInput {
			in := CreateBookingInput{
				Booker:        catalog.ParticipantInput{FirstName: "G", LastName: "R", Email: fmt.Sprintf("g%d@example.com", n)},
				Tickets:       []*TicketInput{{TicketCategoryID: catID}},
				PaymentMethod: domain.PaymentMethodInvoice,
			}
			if withKey {
				in.IdempotencyKey = &key
			}
			return in
		}
		ins := []CreateBookingInput{input(1, true), input(1, true), input(2, false), input(3, false)}
		ins[2].PaymentMethod = domain.PaymentMethodFree // refused: FREE with a total
		batch := make([]*groupReq, len(ins))
		for i, in := range ins {
			p, err := validateBooking(in)
			if err != nil {
				t.Fatal(err)
			}
			var hash string
			if in.IdempotencyKey != nil {
				hash = requestHash(in)
			}
			batch[i] = &groupReq{ctx: ctx, tid: tid, in: in, ppl: p, hash: hash}
		}
		res := e.commitGroup(batch)
		for i, r := range res {
			if r.alone || r.panicked != nil {
				t.Fatalf("booking %d: %+v, want an answer from the group", i, r)
			}
		}
		if res[0].err != nil || res[1].err != nil || res[3].err != nil {
			t.Fatalf("errors %v, %v, %v", res[0].err, res[1].err, res[3].err)
		}
		if _, ok := res[2].err.(*domain.ValidationError); !ok {
			t.Errorf("FREE with a total: %v, want a ValidationError", res[2].err)
		}
		if res[1].b.ID != res[0].b.ID || res[1].b.OrderNumber != res[0].b.OrderNumber {
			t.Errorf("twin answered %d %s, first %d %s", res[1].b.ID, res[1].b.OrderNumber, res[0].b.ID, res[0].b.OrderNumber)
		}
		for i, want := range map[int]string{0: "BK-000001", 3: "BK-000002"} {
			got := client.Booking.GetX(ctx, res[i].b.ID).OrderNumber
			if res[i].b.OrderNumber != want || got != want {
				t.Errorf("booking %d answered as %s, stored as %s, want %s", i, res[i].b.OrderNumber, got, want)
			}
		}
		ev = client.Event.GetX(ctx, ev.ID)
		if ev.RegisteredCount != 2 {
			t.Errorf("%d seats held, want 2", ev.RegisteredCount)
		}
		// The event is full now: a group of one more is refused.
		p, _ := validateBooking(input(4, false))
		res = e.commitGroup([]*groupReq{{ctx: ctx, tid: tid, in: input(4, false), ppl: p}})
		if _, ok := res[0].err.(*domain.SoldOutError); !ok {
			t.Errorf("booking a full event: %+v, want a SoldOutError", res[0])
		}
	})
}
