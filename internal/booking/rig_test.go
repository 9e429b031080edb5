package booking_test

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"seatgraph/ent"
	"seatgraph/ent/booking"
	"seatgraph/ent/registration"
	"seatgraph/ent/ticket"
	"seatgraph/internal/auth"
	engine "seatgraph/internal/booking"
	"seatgraph/internal/catalog"
	"seatgraph/internal/domain"
	"seatgraph/internal/money"
	"seatgraph/internal/store"
	"seatgraph/internal/store/storetest"
)

// The rules of docs/domain-rules.md, tested on the engine and the catalog
// directly: no GraphQL, no HTTP. Every test runs on SQLite and, when
// DATABASE_URL is set, on PostgreSQL in a schema of its own.

// rig is one fresh database with an engine and a catalog on it.
type rig struct {
	t      *testing.T
	name   string
	dsn    string
	dial   string
	ctx    context.Context // the default tenant's
	tid    int
	client *ent.Client
	eng    *engine.Engine
	cat    *catalog.Catalog
	clock  *testClock
	seq    atomic.Int64
}

// testClock is the engine's clock; tests move it to run holds out or to
// get close to an event's start.
type testClock struct{ offset atomic.Int64 }

func (c *testClock) Now() time.Time          { return time.Now().Add(time.Duration(c.offset.Load())) }
func (c *testClock) Advance(d time.Duration) { c.offset.Add(int64(d)) }

// eachDB runs fn on SQLite and, when DATABASE_URL is set, on PostgreSQL.
func eachDB(t *testing.T, fn func(t *testing.T, r *rig)) {
	t.Helper()
	eachDBWith(t, engine.Options{}, fn)
}

func eachDBWith(t *testing.T, opts engine.Options, fn func(t *testing.T, r *rig)) {
	t.Helper()
	storetest.Each(t, func(t *testing.T, dsn, d string) { fn(t, openRig(t, dsn, d, opts)) })
}

func openRig(t *testing.T, dsn, d string, opts engine.Options) *rig {
	t.Helper()
	r := &rig{t: t, name: d, clock: &testClock{}, dial: d, dsn: dsn}
	r.client, r.tid = storetest.Open(t, dsn)
	r.ctx = auth.WithTenant(context.Background(), r.tid)
	r.eng, r.cat = r.wire(r.client, opts)
	return r
}

// wire builds an engine and a catalog over client, as the server does.
func (r *rig) wire(client *ent.Client, opts engine.Options) (*engine.Engine, *catalog.Catalog) {
	if opts.Now == nil {
		opts.Now = r.clock.Now
	}
	eng := engine.New(client, r.dial, opts)
	return eng, catalog.New(client, catalog.Hooks{CancelBookings: eng.CancelEventBookings, CapacityRaised: eng.CapacityChanged})
}

// secondProcess is another server process on the same database: a client
// and an engine of its own.
func (r *rig) secondProcess() *engine.Engine {
	r.t.Helper()
	client, _, err := store.Open(context.Background(), r.dsn)
	if err != nil {
		r.t.Fatal(err)
	}
	r.t.Cleanup(func() { client.Close() })
	eng, _ := r.wire(client, engine.Options{})
	return eng
}

func dec(t *testing.T, s string) money.Decimal {
	t.Helper()
	d, err := money.ParseDecimal(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func ip(i int) *int       { return &i }
func bp(b bool) *bool     { return &b }
func sp(s string) *string { return &s }

// eventSpec describes a test event; the zero value is a published event
// in a month with one category "Standard" at 20.00 EUR without tax and
// unlimited seats.
type eventSpec struct {
	capacity    *int
	waitlist    bool
	unpublished bool
	startsIn    time.Duration
	policy      []*catalog.CancellationRuleInput
	categories  []*catalog.TicketCategoryInput
	modify      func(*catalog.CreateEventInput)
}

// event creates an event and returns it with its category ids, in the
// order given.
func (r *rig) event(s eventSpec) (*ent.Event, []int) {
	r.t.Helper()
	if s.startsIn == 0 {
		s.startsIn = 30 * 24 * time.Hour
	}
	if s.categories == nil {
		s.categories = []*catalog.TicketCategoryInput{{Name: "Standard", Price: dec(r.t, "20.00")}}
	}
	starts := r.clock.Now().Add(s.startsIn).UTC().Truncate(time.Second)
	in := catalog.CreateEventInput{
		Title: fmt.Sprintf("Event %d", r.seq.Add(1)), StartsAt: starts, Capacity: s.capacity,
		WaitlistEnabled: bp(s.waitlist), Publish: bp(!s.unpublished), TicketCategories: s.categories,
	}
	if s.policy != nil {
		in.CancellationPolicy = &catalog.CancellationPolicyInput{Rules: s.policy}
	}
	if s.modify != nil {
		s.modify(&in)
	}
	ev, err := r.cat.CreateEvent(r.ctx, in)
	if err != nil {
		r.t.Fatalf("creating event: %v", err)
	}
	ids := make([]int, len(s.categories))
	for i, c := range s.categories {
		tc, err := ev.QueryTicketCategories().Where().All(r.ctx)
		if err != nil {
			r.t.Fatal(err)
		}
		for _, x := range tc {
			if x.Name == c.Name {
				ids[i] = x.ID
			}
		}
	}
	return ev, ids
}

// input is a booking of one ticket per category id, paid by method, by a
// booker of their own.
func (r *rig) input(method domain.PaymentMethod, catIDs ...int) engine.CreateBookingInput {
	n := r.seq.Add(1)
	in := engine.CreateBookingInput{
		Booker:        catalog.ParticipantInput{FirstName: "Ada", LastName: fmt.Sprintf("Booker%d", n), Email: fmt.Sprintf("ada%d@example.com", n)},
		PaymentMethod: method,
	}
	for _, id := range catIDs {
		in.Tickets = append(in.Tickets, &engine.TicketInput{TicketCategoryID: id})
	}
	return in
}

func (r *rig) book(in engine.CreateBookingInput) *ent.Booking {
	r.t.Helper()
	b, err := r.eng.CreateBooking(r.ctx, in)
	if err != nil {
		r.t.Fatalf("booking: %v", err)
	}
	return b
}

// waitlisted books with joinWaitlist.
func (r *rig) waitlisted(method domain.PaymentMethod, catIDs ...int) *ent.Booking {
	r.t.Helper()
	in := r.input(method, catIDs...)
	in.JoinWaitlist = bp(true)
	b := r.book(in)
	if b.Status != domain.BookingStatusWaitlisted {
		r.t.Fatalf("booking is %s, want WAITLISTED", b.Status)
	}
	return b
}

// reload reads a booking again through the client, as any reader would.
func (r *rig) reload(b *ent.Booking) *ent.Booking {
	r.t.Helper()
	got, err := r.client.Booking.Get(r.ctx, b.ID)
	if err != nil {
		r.t.Fatal(err)
	}
	return got
}

func (r *rig) eventRow(id int) *ent.Event {
	r.t.Helper()
	ev, err := r.client.Event.Get(r.ctx, id)
	if err != nil {
		r.t.Fatal(err)
	}
	return ev
}

func (r *rig) tickets(b *ent.Booking) []*ent.Ticket {
	r.t.Helper()
	ts, err := r.client.Ticket.Query().Where(ticket.BookingID(b.ID)).Order(ent.Asc(ticket.FieldID)).WithRegistration().All(r.ctx)
	if err != nil {
		r.t.Fatal(err)
	}
	return ts
}

// expect checks a booking's status and those of its tickets and their
// registrations, read again from the database.
func (r *rig) expect(b *ent.Booking, status domain.BookingStatus, ts domain.TicketStatus, rs domain.RegistrationStatus) {
	r.t.Helper()
	got := r.reload(b)
	if got.Status != status {
		r.t.Errorf("booking %s is %s, want %s", got.OrderNumber, got.Status, status)
	}
	for _, tk := range r.tickets(b) {
		if tk.Status != ts {
			r.t.Errorf("ticket %d is %s, want %s", tk.ID, tk.Status, ts)
		}
		if reg := tk.Edges.Registration; reg == nil || reg.Status != rs {
			r.t.Errorf("registration of ticket %d is %v, want %s", tk.ID, reg, rs)
		}
	}
}

// checkSeats checks an event's counters against its rows: seats held are
// its PENDING and ACCEPTED registrations and never exceed its capacity;
// each category's active tickets are its sold count and within its quota;
// waitlistCount is its waitlisted registrations, at positions 1..n.
func (r *rig) checkSeats(eventID int) (held int) {
	r.t.Helper()
	ev := r.eventRow(eventID)
	held = r.client.Registration.Query().Where(registration.EventID(eventID),
		registration.StatusIn(domain.RegistrationStatusPending, domain.RegistrationStatusAccepted)).CountX(r.ctx)
	if held != ev.RegisteredCount {
		r.t.Errorf("event %d: registeredCount %d, but %d registrations hold a seat", eventID, ev.RegisteredCount, held)
	}
	if ev.Capacity != nil && held > *ev.Capacity {
		r.t.Errorf("event %d: %d seats held, capacity %d", eventID, held, *ev.Capacity)
	}
	waiting := r.client.Registration.Query().Where(registration.EventID(eventID),
		registration.StatusEQ(domain.RegistrationStatusWaitlisted)).Order(ent.Asc(registration.FieldWaitlistPosition)).AllX(r.ctx)
	if len(waiting) != ev.WaitlistCount {
		r.t.Errorf("event %d: waitlistCount %d, but %d registrations wait", eventID, ev.WaitlistCount, len(waiting))
	}
	for i, w := range waiting {
		if w.WaitlistPosition == nil || *w.WaitlistPosition != i+1 {
			r.t.Errorf("event %d: waiting registration %d at position %v, want %d", eventID, w.ID, w.WaitlistPosition, i+1)
		}
	}
	for _, tc := range ev.QueryTicketCategories().AllX(r.ctx) {
		active := r.client.Ticket.Query().Where(ticket.TicketCategoryID(tc.ID), ticket.StatusEQ(domain.TicketStatusActive)).CountX(r.ctx)
		if active != tc.SoldCount {
			r.t.Errorf("category %s: soldCount %d, but %d active tickets", tc.Name, tc.SoldCount, active)
		}
		if tc.Capacity != nil && active > *tc.Capacity {
			r.t.Errorf("category %s: %d active tickets, capacity %d", tc.Name, active, *tc.Capacity)
		}
	}
	return held
}

// rows counts what a request may write, to show a refused one wrote nothing.
type rows struct{ bookings, tickets, registrations, participants, payments, history int }

func (r *rig) rows() rows {
	r.t.Helper()
	c := r.client
	return rows{
		c.Booking.Query().CountX(r.ctx), c.Ticket.Query().CountX(r.ctx), c.Registration.Query().CountX(r.ctx),
		c.Participant.Query().CountX(r.ctx), c.Payment.Query().CountX(r.ctx), c.History.Query().CountX(r.ctx),
	}
}

func (r *rig) bookingCount() int {
	return r.client.Booking.Query().Where(booking.TenantID(r.tid)).CountX(r.ctx)
}

// wantErr requires err to be (or wrap) a T and returns it.
func wantErr[T error](t *testing.T, err error) T {
	t.Helper()
	var target T
	if !errors.As(err, &target) {
		t.Fatalf("error %v (%T), want %T", err, err, target)
	}
	return target
}

// wantInvalid requires a ValidationError on field.
func wantInvalid(t *testing.T, err error, field string) {
	t.Helper()
	ve := wantErr[*domain.ValidationError](t, err)
	if ve.Field == nil || *ve.Field != field {
		t.Fatalf("ValidationError %q, want one on %q", ve.Error(), field)
	}
}

// pay records a succeeded payment.
func (r *rig) pay(b *ent.Booking, amount string) *ent.Booking {
	r.t.Helper()
	_, got, err := r.eng.RecordPayment(r.ctx, engine.RecordPaymentInput{BookingID: b.ID, Amount: dec(r.t, amount), Method: domain.PaymentMethodCard})
	if err != nil {
		r.t.Fatalf("paying %s: %v", amount, err)
	}
	return got
}
