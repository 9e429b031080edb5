package booking

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"entgo.io/ent/dialect"

	"seatgraph/ent"
	"seatgraph/internal/auth"
	"seatgraph/internal/catalog"
	"seatgraph/internal/domain"
	"seatgraph/internal/money"
	"seatgraph/internal/store"
	"seatgraph/internal/store/storetest"
)

// The rules on the group-commit path, with groups made up by hand
// (commitGroup), so that their bookings are sure to share a transaction
// and to mix the hot-event path with the locking one.

// groupRig is a database with an engine and a catalog for the tests below.
type groupRig struct {
	t      *testing.T
	d      string
	client *ent.Client
	ctx    context.Context
	tid    int
	e      *Engine
	cat    *catalog.Catalog
	offset atomic.Int64
	seq    atomic.Int64
}

func newGroupRig(t *testing.T, dsn, d string, manualExpiry bool) *groupRig {
	t.Helper()
	g := &groupRig{t: t, d: d}
	g.client, g.tid = storetest.Open(t, dsn)
	g.ctx = auth.WithTenant(context.Background(), g.tid)
	now := func() time.Time { return time.Now().Add(time.Duration(g.offset.Load())) }
	g.e = New(g.client, d, Options{Now: now, ManualExpiry: manualExpiry})
	g.cat = catalog.New(g.client, catalog.Hooks{CancelBookings: g.e.CancelEventBookings, CapacityRaised: g.e.CapacityChanged})
	return g
}

// event creates a published event of the tenant of ctx with one category
// per name, at 10.00 each; it returns the event and the category ids in
// the order given.
func (g *groupRig) event(ctx context.Context, capacity *int, waitlist bool, names ...string) (*ent.Event, []int) {
	g.t.Helper()
	publish := true
	in := catalog.CreateEventInput{
		Title: fmt.Sprintf("Group %d", g.seq.Add(1)), StartsAt: time.Now().Add(24 * time.Hour), Publish: &publish,
		Capacity: capacity, WaitlistEnabled: &waitlist,
	}
	for _, n := range names {
		in.TicketCategories = append(in.TicketCategories, &catalog.TicketCategoryInput{Name: n, Price: money.Decimal{Units: 1000, Scale: 2}})
	}
	ev, err := g.cat.CreateEvent(ctx, in)
	if err != nil {
		g.t.Fatal(err)
	}
	ids := make([]int, len(names))
	for i, n := range names {
		for _, c := range ev.QueryTicketCategories().AllX(ctx) {
			if c.Name == n {
				ids[i] = c.ID
			}
		}
	}
	return ev, ids
}

// req is one booking of a group: a ticket per category id, by a booker of
// its own, in the tenant of ctx.
func (g *groupRig) req(ctx context.Context, method domain.PaymentMethod, join bool, catIDs ...int) *groupReq {
	g.t.Helper()
	in := CreateBookingInput{
		Booker:        catalog.ParticipantInput{FirstName: "G", LastName: "R", Email: fmt.Sprintf("group%d@example.com", g.seq.Add(1))},
		PaymentMethod: method,
	}
	if join {
		in.JoinWaitlist = &join
	}
	for _, id := range catIDs {
		in.Tickets = append(in.Tickets, &TicketInput{TicketCategoryID: id})
	}
	p, err := validateBooking(in)
	if err != nil {
		g.t.Fatal(err)
	}
	tid, _ := auth.TenantID(ctx)
	return &groupReq{ctx: ctx, tid: tid, in: in, ppl: p}
}

// run commits a group and fails the test unless every booking got an
// answer from it.
func (g *groupRig) run(batch ...*groupReq) []groupRes {
	g.t.Helper()
	res := g.e.commitGroup(batch)
	for i, r := range res {
		if r.alone || r.panicked != nil {
			g.t.Fatalf("booking %d: %+v, want an answer from the group", i, r)
		}
	}
	return res
}

// wantBooked checks a group's answer against what the database holds.
func (g *groupRig) wantBooked(r groupRes, status domain.BookingStatus, number string) *ent.Booking {
	g.t.Helper()
	if r.err != nil {
		g.t.Fatalf("booking: %v, want %s %s", r.err, status, number)
	}
	stored := g.client.Booking.GetX(g.ctx, r.b.ID)
	if r.b.Status != status || r.b.OrderNumber != number || stored.Status != status || stored.OrderNumber != number {
		g.t.Errorf("booking %d answered %s %s, stored %s %s; want %s %s",
			r.b.ID, r.b.Status, r.b.OrderNumber, stored.Status, stored.OrderNumber, status, number)
	}
	return stored
}

// Rules 1, 2 and 3 in one group: the bookings after one that took the last
// seats join the waitlist at consecutive positions or are sold out; none
// takes a seat the group took already; freed seats then go to the queue in
// order (rule 3), and the order numbers stay sequential (rule 10).
func TestOneGroupFillsThenQueues(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn, d string) {
		g := newGroupRig(t, dsn, d, false)
		ev, cats := g.event(g.ctx, ptrTo(2), true, "Standard")
		inv := domain.PaymentMethodInvoice
		res := g.run(
			g.req(g.ctx, inv, false, cats[0], cats[0]), // takes the last seats
			g.req(g.ctx, inv, true, cats[0]),           // waits first
			g.req(g.ctx, inv, false, cats[0]),          // sold out
			g.req(g.ctx, inv, true, cats[0]),           // waits second
		)
		first := g.wantBooked(res[0], domain.BookingStatusConfirmed, "BK-000001")
		w1 := g.wantBooked(res[1], domain.BookingStatusWaitlisted, "BK-000002")
		if _, ok := res[2].err.(*domain.SoldOutError); !ok {
			t.Errorf("a booking behind a full group without joinWaitlist: %+v, want a SoldOutError", res[2])
		}
		w2 := g.wantBooked(res[3], domain.BookingStatusWaitlisted, "BK-000003")
		for i, b := range []*ent.Booking{w1, w2} {
			regs := b.QueryTickets().QueryRegistration().AllX(g.ctx)
			if len(regs) != 1 || regs[0].Status != domain.RegistrationStatusWaitlisted || regs[0].WaitlistPosition == nil || *regs[0].WaitlistPosition != i+1 {
				t.Errorf("waitlisted booking %d: registrations %+v, want one WAITLISTED at position %d", i+1, regs, i+1)
			}
		}
		row := g.client.Event.GetX(g.ctx, ev.ID)
		if row.RegisteredCount != 2 || row.WaitlistCount != 2 {
			t.Errorf("event holds %d seats with %d waiting, want 2 and 2", row.RegisteredCount, row.WaitlistCount)
		}
		if _, _, err := g.e.CancelBooking(g.ctx, CancelBookingInput{ID: first.ID}); err != nil {
			t.Fatal(err)
		}
		for _, b := range []*ent.Booking{w1, w2} {
			if got := g.client.Booking.GetX(g.ctx, b.ID).Status; got != domain.BookingStatusConfirmed {
				t.Errorf("waitlisted booking %s after two seats were freed: %s, want CONFIRMED", b.OrderNumber, got)
			}
		}
		row = g.client.Event.GetX(g.ctx, ev.ID)
		if row.RegisteredCount != 2 || row.WaitlistCount != 0 {
			t.Errorf("after the promotions the event holds %d seats with %d waiting, want 2 and 0", row.RegisteredCount, row.WaitlistCount)
		}
	})
}

// Rule 10 in one group that mixes tenants and paths: bookings on the
// hot-event path, whose numbers are given when the group takes its seats,
// and a booking of two categories on the locking path between them, which
// takes its number at once. Every tenant's numbers run on without a gap.
func TestOneGroupOrderNumbersPerTenantAcrossPaths(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn, d string) {
		g := newGroupRig(t, dsn, d, false)
		tn, _, err := auth.CreateTenant(context.Background(), g.client, "grouped", "")
		if err != nil {
			t.Fatal(err)
		}
		other := auth.WithTenant(context.Background(), tn.ID)
		_, cats := g.event(g.ctx, ptrTo(100), false, "Standard", "Student")
		_, otherCats := g.event(other, ptrTo(100), false, "Standard")
		inv := domain.PaymentMethodInvoice
		res := g.run(
			g.req(g.ctx, inv, false, cats[0]),
			g.req(other, inv, false, otherCats[0]),
			g.req(g.ctx, inv, false, cats[0], cats[1]), // the locking path
			g.req(g.ctx, inv, false, cats[0]),
			g.req(other, inv, false, otherCats[0]),
		)
		for i, want := range []string{"BK-000001", "BK-000001", "BK-000002", "BK-000003", "BK-000002"} {
			if res[i].err != nil {
				t.Fatalf("booking %d: %v", i, res[i].err)
			}
			stored := g.client.Booking.GetX(context.Background(), res[i].b.ID).OrderNumber
			if res[i].b.OrderNumber != want || stored != want {
				t.Errorf("booking %d answered as %s, stored as %s, want %s", i, res[i].b.OrderNumber, stored, want)
			}
		}
		for ctx, want := range map[context.Context]int{g.ctx: 3, other: 2} {
			tid, _ := auth.TenantID(ctx)
			if got := g.client.Tenant.GetX(context.Background(), tid).OrderSeq; got != want {
				t.Errorf("tenant %d's order sequence is %d, want %d", tid, got, want)
			}
		}
	})
}

// Rule 2 on the hot-event path: a booking that finds a hold of its event
// run out expires it in its own transaction, as the locking path does,
// even when there are seats enough without it (no read expires it here).
func TestGroupBookingExpiresDueHolds(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn, d string) {
		g := newGroupRig(t, dsn, d, true)
		ev, cats := g.event(g.ctx, ptrTo(3), false, "Standard")
		held := g.run(g.req(g.ctx, domain.PaymentMethodCard, false, cats[0]))
		g.wantBooked(held[0], domain.BookingStatusPending, "BK-000001")
		g.offset.Add(int64(g.e.hold + time.Minute))
		g.wantBooked(g.run(g.req(g.ctx, domain.PaymentMethodInvoice, false, cats[0]))[0], domain.BookingStatusConfirmed, "BK-000002")
		if got := g.client.Booking.GetX(g.ctx, held[0].b.ID).Status; got != domain.BookingStatusExpired {
			t.Errorf("the hold that ran out is %s after the next booking of its event, want EXPIRED", got)
		}
		if got := g.client.Event.GetX(g.ctx, ev.ID).RegisteredCount; got != 1 {
			t.Errorf("%d seats held, want 1", got)
		}
	})
}

// Rules 1 and 4 across processes on PostgreSQL: the statement that takes a
// group's seats applies only to the rows as its bookings read them. When
// another process changed what they were checked against (the price they
// were charged, the event's status, its seats or its queue), it fails
// (and the group runs its bookings alone).
func TestGroupFlushGuards(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn, d string) {
		if d != dialect.Postgres {
			t.Skip("SQLite's group holds the write lock from its first statement")
		}
		g := newGroupRig(t, dsn, d, false)
		for _, tt := range []struct {
			name   string
			seats  int
			change func(ev *ent.Event, catID int)
		}{
			{"the price changed", 1, func(_ *ent.Event, catID int) {
				g.client.TicketCategory.UpdateOneID(catID).SetPrice(1500).ExecX(g.ctx)
			}},
			{"the event was unpublished", 1, func(ev *ent.Event, _ int) {
				g.client.Event.UpdateOneID(ev.ID).SetStatus(domain.EventStatusDraft).ExecX(g.ctx)
			}},
			{"another process took the seats", 2, func(ev *ent.Event, _ int) {
				g.client.Event.UpdateOneID(ev.ID).AddRegisteredCount(2).ExecX(g.ctx)
			}},
			{"someone joined the queue", 1, func(ev *ent.Event, _ int) {
				g.client.Event.UpdateOneID(ev.ID).AddWaitlistCount(1).ExecX(g.ctx)
			}},
			{"nothing changed", 3, nil},
		} {
			t.Run(tt.name, func(t *testing.T) {
				ev, cats := g.event(g.ctx, ptrTo(3), true, "Standard")
				read := g.client.TicketCategory.GetX(g.ctx, cats[0])
				want := error(nil)
				if tt.change != nil {
					tt.change(ev, cats[0])
					want = errGroupLost
				}
				tx, err := store.Begin(context.Background(), g.client)
				if err != nil {
					t.Fatal(err)
				}
				pend := &pending{seq: map[int]int{}}
				pend.claims = []*claim{{b: &ent.Booking{ID: -1}, tid: g.tid, ev: ev, cat: read, seats: tt.seats}}
				err = pend.flush(context.Background(), tx, time.Now())
				_ = tx.Rollback()
				if err != want {
					t.Errorf("flush: %v, want %v", err, want)
				}
			})
		}
	})
}

func ptrTo[T any](v T) *T { return &v }
