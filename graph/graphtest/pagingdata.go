package graphtest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"seatgraph/ent"
	"seatgraph/internal/domain"
)

// PagingT0 is the reference time of the paging data set.
var PagingT0 = time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)

// PagingData is a small, deterministic data set for sorting and paging
// tests, written straight through Ent: events with ties on startsAt and
// title, nulls in endsAt, capacity and venue, mixed-case and non-ASCII
// titles; bookings with ties on createdAt in EUR and JPY; tickets with every
// edge set (some with a registration); payments. Every row carries the
// Env's tenant. The slices hold the rows in creation (id) order.
type PagingData struct {
	Events        []*ent.Event
	Categories    []*ent.TicketCategory
	Participants  []*ent.Participant
	Bookings      []*ent.Booking
	Registrations []*ent.Registration
	Tickets       []*ent.Ticket
	Payments      []*ent.Payment
}

// pagingEvent describes one event of the data set; -1 and "" stand for null.
type pagingEvent struct {
	title     string
	startH    int
	endH      int
	capacity  int
	venue     string
	status    domain.EventStatus
	currency  string
	waitlist  bool
	noTickets bool
}

var pagingEvents = []pagingEvent{
	{"Zoo", 0, 2, 100, "Hall A", domain.EventStatusDraft, "EUR", false, false},
	{"zoo", 0, -1, -1, "", domain.EventStatusPublished, "EUR", true, false},
	{"Äpfel", 1, 3, 50, "Äußere Halle", domain.EventStatusCancelled, "JPY", false, false},
	{"apple", 1, 2, -1, "hall b", domain.EventStatusPublished, "EUR", false, false},
	{"Apple", 2, -1, 10, "Hall A", domain.EventStatusDraft, "JPY", true, false},
	{"Zoo", 2, 5, 10, "", domain.EventStatusPublished, "EUR", false, false},
	{"banana", 3, -1, 0, "Zelt", domain.EventStatusCancelled, "EUR", true, false},
	{"Banana", 4, 6, -1, "hall b", domain.EventStatusPublished, "JPY", false, false},
	{"Éclair", 4, 5, 200, "Hall A", domain.EventStatusDraft, "EUR", false, false},
	{"apple", 5, -1, 100, "", domain.EventStatusPublished, "EUR", true, false},
	{"Zebra", 6, 7, 50, "Äußere Halle", domain.EventStatusDraft, "JPY", false, false},
	{"zoo", 6, 8, -1, "Zelt", domain.EventStatusCancelled, "EUR", false, false},
	{"123 Go", 7, -1, 5, "", domain.EventStatusPublished, "EUR", false, false},
	{"Äpfel", 0, 1, -1, "hall b", domain.EventStatusPublished, "EUR", true, false},
	{"zebra", 7, -1, -1, "", domain.EventStatusPublished, "EUR", false, true},
}

// pagingPrices are the two categories' prices in minor units: EUR 50.00 and
// JPY 50 are the same amount, and JPY 1200 is more than any EUR price.
func pagingPrices(i int, currency string) [2]int64 {
	if currency == "JPY" {
		return [2]int64{1200, 50}
	}
	return [2]int64{1000 + 100*int64(i%4), 5000}
}

var pagingPeople = [][2]string{
	{"Anna", "Müller"}, {"Bert", "Mueller"}, {"Carl", "meier"}, {"Dora", "Meier"},
	{"Emil", "Özil"}, {"Fritz", "Zimmer"}, {"Gina", "adams"}, {"Hans", "Adams"}, {"Ida", "Meier"},
}

type pagingBooking struct {
	booker   int
	currency string
	status   domain.BookingStatus
	ageDays  int // created PagingT0 minus this many days (ties on purpose)
	invoice  bool
	tickets  [][3]int // event, category (0 or 1), holder: indexes
}

var pagingBookings = []pagingBooking{
	{0, "EUR", domain.BookingStatusConfirmed, 10, true, [][3]int{{0, 0, 0}, {0, 1, 1}, {1, 0, 0}}},
	{1, "EUR", domain.BookingStatusPending, 10, false, [][3]int{{3, 0, 1}, {5, 1, 2}}},
	{2, "JPY", domain.BookingStatusConfirmed, 9, true, [][3]int{{2, 0, 2}, {2, 1, 3}, {4, 0, 2}}},
	{3, "EUR", domain.BookingStatusCancelled, 9, false, [][3]int{{0, 0, 3}, {6, 0, 3}, {8, 1, 4}}},
	{4, "JPY", domain.BookingStatusConfirmed, 9, false, [][3]int{{7, 1, 4}, {10, 0, 4}, {7, 0, 5}}},
	{5, "EUR", domain.BookingStatusWaitlisted, 8, false, [][3]int{{9, 0, 5}}},
	{6, "EUR", domain.BookingStatusConfirmed, 7, true, [][3]int{{11, 1, 6}, {12, 0, 6}, {0, 1, 7}, {13, 0, 6}}},
	{7, "JPY", domain.BookingStatusExpired, 6, false, [][3]int{{4, 1, 7}, {2, 0, 7}}},
	{8, "EUR", domain.BookingStatusConfirmed, 6, true, [][3]int{{1, 0, 8}, {1, 1, 8}, {3, 1, 0}, {5, 0, 8}}},
	{0, "EUR", domain.BookingStatusPending, 5, false, [][3]int{{0, 0, 0}, {8, 0, 1}, {9, 1, 0}}},
	{3, "JPY", domain.BookingStatusConfirmed, 4, true, [][3]int{{10, 1, 3}, {7, 0, 3}, {2, 1, 2}}},
	{1, "EUR", domain.BookingStatusConfirmed, 4, false, [][3]int{{13, 1, 1}, {12, 0, 1}, {0, 0, 5}, {5, 0, 1}}},
}

// SeedPaging writes the paging data set through e.Client. The steps run in
// this order, which fixes every id: events, ticket categories,
// participants, then bookings, each followed by its tickets (with their
// registrations) and its payments; the events' bookings edge comes last.
func SeedPaging(t testing.TB, e *Env) *PagingData {
	t.Helper()
	s := &pagingSeeder{t: t, ctx: e.Ctx(), e: e, d: &PagingData{}, eventBookings: map[int]map[int]bool{}}
	s.createEvents()
	s.createCategories()
	s.createParticipants()
	s.createBookings()
	s.linkEventBookings()
	return s.d
}

// pagingSeeder writes the paging data set. Its steps mark themselves as
// helpers, so a failing write is reported at the test's call to SeedPaging.
type pagingSeeder struct {
	t   testing.TB
	ctx context.Context
	e   *Env
	d   *PagingData // the rows written so far

	cats          [][2]*ent.TicketCategory // per event index; nil without tickets
	eventBookings map[int]map[int]bool     // event id: ids of the bookings with a ticket for it
	code          int                      // tickets written so far, for their codes
}

// pagingBooked is a booking as written, for the rows that hang off it.
type pagingBooked struct {
	spec    pagingBooking
	created time.Time
	total   int64
	row     *ent.Booking
}

func (s *pagingSeeder) must(err error) {
	s.t.Helper()
	if err != nil {
		s.t.Fatalf("seeding paging data: %v", err)
	}
}

// createEvents writes the events, three to an hour of creation time, so
// createdAt ties too.
func (s *pagingSeeder) createEvents() {
	s.t.Helper()
	for i, spec := range pagingEvents {
		q := s.e.Client.Event.Create().SetTenantID(s.e.Tenant).
			SetTitle(spec.title).
			SetStatus(spec.status).
			SetStartsAt(PagingT0.Add(time.Duration(spec.startH) * time.Hour)).
			SetCurrency(spec.currency).
			SetWaitlistEnabled(spec.waitlist).
			SetCreatedAt(PagingT0.AddDate(0, 0, -30).Add(time.Duration(i/3) * time.Hour))
		if spec.endH >= 0 {
			q.SetEndsAt(PagingT0.Add(time.Duration(spec.endH) * time.Hour))
		}
		if spec.capacity >= 0 {
			q.SetCapacity(spec.capacity)
		}
		if spec.venue != "" {
			q.SetVenue(spec.venue)
		}
		ev, err := q.Save(s.ctx)
		s.must(err)
		s.d.Events = append(s.d.Events, ev)
	}
}

// createCategories writes a Standard and a VIP category for every event
// that sells tickets, created with their event.
func (s *pagingSeeder) createCategories() {
	s.t.Helper()
	s.cats = make([][2]*ent.TicketCategory, len(s.d.Events))
	for i, ev := range s.d.Events {
		if pagingEvents[i].noTickets {
			continue
		}
		prices := pagingPrices(i, ev.Currency)
		for j, name := range []string{"Standard", "VIP"} {
			tc, err := s.e.Client.TicketCategory.Create().SetTenantID(s.e.Tenant).
				SetEventID(ev.ID).
				SetName(name).
				SetPrice(prices[j]).
				SetCurrency(ev.Currency).
				SetTaxRatePercent(1900).
				SetCreatedAt(ev.CreatedAt).
				Save(s.ctx)
			s.must(err)
			s.cats[i][j] = tc
			s.d.Categories = append(s.d.Categories, tc)
		}
	}
}

// createParticipants writes the people, two to an hour of creation time.
func (s *pagingSeeder) createParticipants() {
	s.t.Helper()
	for i, p := range pagingPeople {
		pp, err := s.e.Client.Participant.Create().SetTenantID(s.e.Tenant).
			SetFirstName(p[0]).
			SetLastName(p[1]).
			SetEmail(fmt.Sprintf("p%d@example.com", i+1)).
			SetCreatedAt(PagingT0.AddDate(0, 0, -20).Add(time.Duration(i/2) * time.Hour)).
			Save(s.ctx)
		s.must(err)
		s.d.Participants = append(s.d.Participants, pp)
	}
}

// createBookings writes the bookings, each followed by its tickets and its
// payments.
func (s *pagingSeeder) createBookings() {
	s.t.Helper()
	for bi, spec := range pagingBookings {
		b := s.createBooking(bi, spec)
		status := pagingTicketStatus(spec.status)
		for ti, tk := range spec.tickets {
			s.createTicket(b, ti, tk, status)
		}
		s.createPayments(b)
	}
}

// createBooking writes booking bi; its subtotal and total are the sum of
// its tickets' prices.
func (s *pagingSeeder) createBooking(bi int, spec pagingBooking) *pagingBooked {
	s.t.Helper()
	b := &pagingBooked{spec: spec, created: PagingT0.AddDate(0, 0, -spec.ageDays)}
	for _, tk := range spec.tickets {
		b.total += s.cats[tk[0]][tk[1]].Price
	}
	q := s.e.Client.Booking.Create().SetTenantID(s.e.Tenant).
		SetOrderNumber(fmt.Sprintf("BK-%06d", bi+1)).
		SetStatus(spec.status).
		SetBookerID(s.d.Participants[spec.booker].ID).
		SetCurrency(spec.currency).
		SetSubtotal(b.total).
		SetTotal(b.total).
		SetPaymentMethod(domain.PaymentMethodCard).
		SetCreatedAt(b.created)
	if spec.invoice {
		q.SetInvoiceNumber(fmt.Sprintf("INV-%03d", bi+1))
	}
	var err error
	b.row, err = q.Save(s.ctx)
	s.must(err)
	s.d.Bookings = append(s.d.Bookings, b.row)
	return b
}

// pagingTicketStatus is the status of a booking's tickets.
func pagingTicketStatus(st domain.BookingStatus) domain.TicketStatus {
	switch st {
	case domain.BookingStatusCancelled, domain.BookingStatusExpired:
		return domain.TicketStatusCancelled
	case domain.BookingStatusWaitlisted:
		return domain.TicketStatusWaitlisted
	}
	return domain.TicketStatusActive
}

// createTicket writes ticket ti of a booking (event, category and holder
// indexes in tk) and notes the booking against the ticket's event.
func (s *pagingSeeder) createTicket(b *pagingBooked, ti int, tk [3]int, status domain.TicketStatus) {
	s.t.Helper()
	ev, cat, holder := s.d.Events[tk[0]], s.cats[tk[0]][tk[1]], s.d.Participants[tk[2]]
	tq := s.e.Client.Ticket.Create().SetTenantID(s.e.Tenant).
		SetBookingID(b.row.ID).
		SetEventID(ev.ID).
		SetTicketCategoryID(cat.ID).
		SetHolderID(holder.ID).
		SetCode(fmt.Sprintf("PGT%04d", s.code)).
		SetStatus(status).
		SetPrice(cat.Price).
		SetNetPrice(cat.Price * 100 / 119).
		SetTaxAmount(cat.Price - cat.Price*100/119).
		SetCurrency(cat.Currency).
		SetCreatedAt(b.created)
	s.code++
	// Confirmed bookings' first tickets hold a registration, so a
	// ticket sorts through a to-one edge that may be missing.
	if b.spec.status == domain.BookingStatusConfirmed && ti < 2 {
		r := s.createRegistration(ev, holder, b.created.Add(time.Duration(ti)*time.Minute))
		tq.SetRegistrationID(r.ID)
	}
	row, err := tq.Save(s.ctx)
	s.must(err)
	s.d.Tickets = append(s.d.Tickets, row)
	if s.eventBookings[ev.ID] == nil {
		s.eventBookings[ev.ID] = map[int]bool{}
	}
	s.eventBookings[ev.ID][b.row.ID] = true
}

func (s *pagingSeeder) createRegistration(ev *ent.Event, holder *ent.Participant, created time.Time) *ent.Registration {
	s.t.Helper()
	r, err := s.e.Client.Registration.Create().SetTenantID(s.e.Tenant).
		SetEventID(ev.ID).
		SetParticipantID(holder.ID).
		SetStatus(domain.RegistrationStatusAccepted).
		SetCreatedAt(created).
		Save(s.ctx)
	s.must(err)
	s.d.Registrations = append(s.d.Registrations, r)
	return r
}

// createPayments writes the payments that go with the booking's status: a
// confirmed booking was paid, a pending one's payment failed, and a
// cancelled one was paid and then half refunded.
func (s *pagingSeeder) createPayments(b *pagingBooked) {
	s.t.Helper()
	switch b.spec.status {
	case domain.BookingStatusConfirmed:
		s.pay(b, domain.PaymentKindPayment, b.total, domain.PaymentRecordStatusSucceeded, true, time.Hour)
	case domain.BookingStatusPending:
		s.pay(b, domain.PaymentKindPayment, b.total, domain.PaymentRecordStatusFailed, false, time.Hour)
	case domain.BookingStatusCancelled:
		s.pay(b, domain.PaymentKindPayment, b.total, domain.PaymentRecordStatusSucceeded, true, time.Hour)
		s.pay(b, domain.PaymentKindRefund, b.total/2, domain.PaymentRecordStatusSucceeded, true, 2*time.Hour)
	}
}

// pay writes one payment of the booking, offset after its creation.
func (s *pagingSeeder) pay(b *pagingBooked, kind domain.PaymentKind, amount int64, st domain.PaymentRecordStatus, paid bool, offset time.Duration) {
	s.t.Helper()
	pq := s.e.Client.Payment.Create().SetTenantID(s.e.Tenant).
		SetBookingID(b.row.ID).
		SetKind(kind).
		SetAmount(amount).
		SetCurrency(b.row.Currency).
		SetMethod(domain.PaymentMethodCard).
		SetStatus(st).
		SetCreatedAt(b.created.Add(offset))
	if paid {
		pq.SetPaidAt(b.created.Add(offset))
	}
	p, err := pq.Save(s.ctx)
	s.must(err)
	s.d.Payments = append(s.d.Payments, p)
}

// linkEventBookings links every event to the bookings holding a ticket for
// it, known only once all tickets are written: one update per event, the
// bookings in id order.
func (s *pagingSeeder) linkEventBookings() {
	s.t.Helper()
	for _, ev := range s.d.Events {
		if len(s.eventBookings[ev.ID]) == 0 {
			continue
		}
		ids := make([]int, 0, len(s.eventBookings[ev.ID]))
		for _, b := range s.d.Bookings {
			if s.eventBookings[ev.ID][b.ID] {
				ids = append(ids, b.ID)
			}
		}
		s.must(s.e.Client.Event.UpdateOneID(ev.ID).AddBookingIDs(ids...).Exec(s.ctx))
	}
}

// Event returns the event with key id, nil when there is none.
func (d *PagingData) Event(id int) *ent.Event {
	return pagingFind(d.Events, id, func(x *ent.Event) int { return x.ID })
}

// Participant returns the participant with key id.
func (d *PagingData) Participant(id int) *ent.Participant {
	return pagingFind(d.Participants, id, func(x *ent.Participant) int { return x.ID })
}

// Booking returns the booking with key id.
func (d *PagingData) Booking(id int) *ent.Booking {
	return pagingFind(d.Bookings, id, func(x *ent.Booking) int { return x.ID })
}

// Registration returns the registration with key id.
func (d *PagingData) Registration(id int) *ent.Registration {
	return pagingFind(d.Registrations, id, func(x *ent.Registration) int { return x.ID })
}

// Ticket returns the ticket with key id.
func (d *PagingData) Ticket(id int) *ent.Ticket {
	return pagingFind(d.Tickets, id, func(x *ent.Ticket) int { return x.ID })
}

func pagingFind[T any](rows []T, id int, key func(T) int) T {
	for _, r := range rows {
		if key(r) == id {
			return r
		}
	}
	var zero T
	return zero
}

// Category returns the ticket category with key id.
func (d *PagingData) Category(id int) *ent.TicketCategory {
	return pagingFind(d.Categories, id, func(x *ent.TicketCategory) int { return x.ID })
}
