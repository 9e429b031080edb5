package graphtest

import (
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

// SeedPaging writes the paging data set through e.Client.
func SeedPaging(t testing.TB, e *Env) *PagingData {
	t.Helper()
	ctx := e.Ctx()
	c := e.Client
	d := &PagingData{}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("seeding paging data: %v", err)
		}
	}
	for i, s := range pagingEvents {
		q := c.Event.Create().SetTenantID(e.Tenant).
			SetTitle(s.title).
			SetStatus(s.status).
			SetStartsAt(PagingT0.Add(time.Duration(s.startH) * time.Hour)).
			SetCurrency(s.currency).
			SetWaitlistEnabled(s.waitlist).
			SetCreatedAt(PagingT0.AddDate(0, 0, -30).Add(time.Duration(i/3) * time.Hour))
		if s.endH >= 0 {
			q.SetEndsAt(PagingT0.Add(time.Duration(s.endH) * time.Hour))
		}
		if s.capacity >= 0 {
			q.SetCapacity(s.capacity)
		}
		if s.venue != "" {
			q.SetVenue(s.venue)
		}
		ev, err := q.Save(ctx)
		must(err)
		d.Events = append(d.Events, ev)
	}
	cats := make([][2]*ent.TicketCategory, len(d.Events))
	for i, ev := range d.Events {
		if pagingEvents[i].noTickets {
			continue
		}
		prices := pagingPrices(i, ev.Currency)
		for j, name := range []string{"Standard", "VIP"} {
			tc, err := c.TicketCategory.Create().SetTenantID(e.Tenant).
				SetEventID(ev.ID).
				SetName(name).
				SetPrice(prices[j]).
				SetCurrency(ev.Currency).
				SetTaxRatePercent(1900).
				SetCreatedAt(ev.CreatedAt).
				Save(ctx)
			must(err)
			cats[i][j] = tc
			d.Categories = append(d.Categories, tc)
		}
	}
	for i, p := range pagingPeople {
		pp, err := c.Participant.Create().SetTenantID(e.Tenant).
			SetFirstName(p[0]).
			SetLastName(p[1]).
			SetEmail(fmt.Sprintf("p%d@example.com", i+1)).
			SetCreatedAt(PagingT0.AddDate(0, 0, -20).Add(time.Duration(i/2) * time.Hour)).
			Save(ctx)
		must(err)
		d.Participants = append(d.Participants, pp)
	}
	eventBookings := map[int]map[int]bool{}
	code := 0
	for bi, s := range pagingBookings {
		created := PagingT0.AddDate(0, 0, -s.ageDays)
		var total int64
		for _, tk := range s.tickets {
			total += cats[tk[0]][tk[1]].Price
		}
		q := c.Booking.Create().SetTenantID(e.Tenant).
			SetOrderNumber(fmt.Sprintf("BK-%06d", bi+1)).
			SetStatus(s.status).
			SetBookerID(d.Participants[s.booker].ID).
			SetCurrency(s.currency).
			SetSubtotal(total).
			SetTotal(total).
			SetPaymentMethod(domain.PaymentMethodCard).
			SetCreatedAt(created)
		if s.invoice {
			q.SetInvoiceNumber(fmt.Sprintf("INV-%03d", bi+1))
		}
		b, err := q.Save(ctx)
		must(err)
		d.Bookings = append(d.Bookings, b)
		status := domain.TicketStatusActive
		switch s.status {
		case domain.BookingStatusCancelled, domain.BookingStatusExpired:
			status = domain.TicketStatusCancelled
		case domain.BookingStatusWaitlisted:
			status = domain.TicketStatusWaitlisted
		}
		for ti, tk := range s.tickets {
			ev, cat, holder := d.Events[tk[0]], cats[tk[0]][tk[1]], d.Participants[tk[2]]
			tq := c.Ticket.Create().SetTenantID(e.Tenant).
				SetBookingID(b.ID).
				SetEventID(ev.ID).
				SetTicketCategoryID(cat.ID).
				SetHolderID(holder.ID).
				SetCode(fmt.Sprintf("PGT%04d", code)).
				SetStatus(status).
				SetPrice(cat.Price).
				SetNetPrice(cat.Price * 100 / 119).
				SetTaxAmount(cat.Price - cat.Price*100/119).
				SetCurrency(cat.Currency).
				SetCreatedAt(created)
			code++
			// Confirmed bookings' first tickets hold a registration, so a
			// ticket sorts through a to-one edge that may be missing.
			if s.status == domain.BookingStatusConfirmed && ti < 2 {
				r, err := c.Registration.Create().SetTenantID(e.Tenant).
					SetEventID(ev.ID).
					SetParticipantID(holder.ID).
					SetStatus(domain.RegistrationStatusAccepted).
					SetCreatedAt(created.Add(time.Duration(ti) * time.Minute)).
					Save(ctx)
				must(err)
				d.Registrations = append(d.Registrations, r)
				tq.SetRegistrationID(r.ID)
			}
			tk, err := tq.Save(ctx)
			must(err)
			d.Tickets = append(d.Tickets, tk)
			if eventBookings[ev.ID] == nil {
				eventBookings[ev.ID] = map[int]bool{}
			}
			eventBookings[ev.ID][b.ID] = true
		}
		pay := func(kind domain.PaymentKind, amount int64, st domain.PaymentRecordStatus, paid bool, offset time.Duration) {
			pq := c.Payment.Create().SetTenantID(e.Tenant).
				SetBookingID(b.ID).
				SetKind(kind).
				SetAmount(amount).
				SetCurrency(b.Currency).
				SetMethod(domain.PaymentMethodCard).
				SetStatus(st).
				SetCreatedAt(created.Add(offset))
			if paid {
				pq.SetPaidAt(created.Add(offset))
			}
			p, err := pq.Save(ctx)
			must(err)
			d.Payments = append(d.Payments, p)
		}
		switch s.status {
		case domain.BookingStatusConfirmed:
			pay(domain.PaymentKindPayment, total, domain.PaymentRecordStatusSucceeded, true, time.Hour)
		case domain.BookingStatusPending:
			pay(domain.PaymentKindPayment, total, domain.PaymentRecordStatusFailed, false, time.Hour)
		case domain.BookingStatusCancelled:
			pay(domain.PaymentKindPayment, total, domain.PaymentRecordStatusSucceeded, true, time.Hour)
			pay(domain.PaymentKindRefund, total/2, domain.PaymentRecordStatusSucceeded, true, 2*time.Hour)
		}
	}
	for _, ev := range d.Events {
		if len(eventBookings[ev.ID]) == 0 {
			continue
		}
		ids := make([]int, 0, len(eventBookings[ev.ID]))
		for _, b := range d.Bookings {
			if eventBookings[ev.ID][b.ID] {
				ids = append(ids, b.ID)
			}
		}
		must(c.Event.UpdateOneID(ev.ID).AddBookingIDs(ids...).Exec(ctx))
	}
	return d
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
