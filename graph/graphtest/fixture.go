package graphtest

import (
	"fmt"
	"testing"
	"time"

	"seatgraph/ent"
	"seatgraph/internal/domain"
)

// Fixture is the deterministic data set Seed writes: the Ent entities as
// stored, so tests can compute expected results in Go (an oracle) and
// compare them with what the API returns.
//
// What it holds, by design (see Seed for the exact rows):
//   - 15 events: titles in mixed case and non-ASCII ("Jazz Night", "jazz
//     brunch", "JAZZ festival", "Ärzte Konzert", "Über Coding", ...), two
//     titled "Town Hall", one with LIKE wildcards ("100% Fun_Night"); two
//     pairs with equal startsAt; nullable fields (description, endsAt, venue,
//     capacity, maxTicketsPerBooking, registrationOpensAt) sometimes null;
//     capacity 0, 10, 50, 100 or null; statuses DRAFT, PUBLISHED and
//     CANCELLED; currencies EUR, USD and JPY. Two events (DRAFT) have no
//     ticket categories, so list filters see empty lists.
//   - 1 to 3 ticket categories per other event, tax 0, 7 or 19 %.
//   - 15 participants, company and city sometimes null (one company is "").
//   - 30 bookings, two without tickets (and without an event), two sharing
//     the exact same createdAt, totals on both sides of 100 in every
//     currency (EUR 100.00 and 99.98, USD 100.01 and 99.99, JPY 100 and 99).
//   - a ticket and a registration per booked seat, statuses following the
//     booking's; counters (registeredCount, waitlistCount, checkedInCount,
//     soldCount) and booking amounts consistent with the rows.
//   - 0 to 2 payments per booking (PAYMENT and REFUND, mixed statuses,
//     paidAt null unless SUCCEEDED); paidAmount, refundedAmount and
//     paymentStatus follow the SUCCEEDED ones.
//
// Every time is a fixed UTC instant in 2026/2027 with microseconds at most.
type Fixture struct {
	Events        []*ent.Event
	Categories    []*ent.TicketCategory
	Participants  []*ent.Participant
	Bookings      []*ent.Booking
	Tickets       []*ent.Ticket
	Registrations []*ent.Registration
	Payments      []*ent.Payment

	// BookingEvents lists, per booking id, the ids of the events linked to
	// it through the events edge (the events of its tickets).
	BookingEvents map[int][]int
}

// Event returns the event with the id (nil when unknown).
func (f *Fixture) Event(id int) *ent.Event {
	return fixtureFind(f.Events, id, func(e *ent.Event) int { return e.ID })
}

// Category returns the ticket category with the id.
func (f *Fixture) Category(id int) *ent.TicketCategory {
	return fixtureFind(f.Categories, id, func(c *ent.TicketCategory) int { return c.ID })
}

// Participant returns the participant with the id.
func (f *Fixture) Participant(id int) *ent.Participant {
	return fixtureFind(f.Participants, id, func(p *ent.Participant) int { return p.ID })
}

// Booking returns the booking with the id.
func (f *Fixture) Booking(id int) *ent.Booking {
	return fixtureFind(f.Bookings, id, func(b *ent.Booking) int { return b.ID })
}

// Registration returns the registration with the id.
func (f *Fixture) Registration(id int) *ent.Registration {
	return fixtureFind(f.Registrations, id, func(r *ent.Registration) int { return r.ID })
}

// CategoriesOf returns the ticket categories of an event.
func (f *Fixture) CategoriesOf(eventID int) []*ent.TicketCategory {
	return fixtureFilter(f.Categories, func(c *ent.TicketCategory) bool { return c.EventID == eventID })
}

// TicketsOf returns the tickets of a booking.
func (f *Fixture) TicketsOf(bookingID int) []*ent.Ticket {
	return fixtureFilter(f.Tickets, func(t *ent.Ticket) bool { return t.BookingID == bookingID })
}

// PaymentsOf returns the payments of a booking.
func (f *Fixture) PaymentsOf(bookingID int) []*ent.Payment {
	return fixtureFilter(f.Payments, func(p *ent.Payment) bool { return p.BookingID == bookingID })
}

// BookingsOf returns the bookings linked to an event.
func (f *Fixture) BookingsOf(eventID int) []*ent.Booking {
	return fixtureFilter(f.Bookings, func(b *ent.Booking) bool {
		for _, id := range f.BookingEvents[b.ID] {
			if id == eventID {
				return true
			}
		}
		return false
	})
}

func fixtureFind[T any](rows []T, id int, key func(T) int) T {
	var zero T
	for _, r := range rows {
		if key(r) == id {
			return r
		}
	}
	return zero
}

func fixtureFilter[T any](rows []T, keep func(T) bool) []T {
	var out []T
	for _, r := range rows {
		if keep(r) {
			out = append(out, r)
		}
	}
	return out
}

// The plan of the data set: indexes point into the other plans.

type fxEventPlan struct {
	title       string
	description *string
	status      domain.EventStatus
	startsAt    time.Time
	endsAfter   time.Duration // 0: endsAt null
	venue       *string
	capacity    *int
	maxTickets  *int
	regOpens    bool // registrationOpensAt set
	waitlist    bool
	currency    string
	categories  []fxCategoryPlan
}

type fxCategoryPlan struct {
	name     string
	price    int64 // minor units of the event currency
	tax      int64 // percent in hundredths
	capacity *int
	sales    bool // salesStartAt/salesEndAt set
}

type fxParticipantPlan struct {
	first, last, email string
	company, city      *string
}

type fxTicketPlan struct {
	category  int // index into the event's categories
	holder    int // participant index; -1: the booker
	checkedIn bool
}

type fxPaymentPlan struct {
	kind   domain.PaymentKind
	status domain.PaymentRecordStatus
	amount int64 // minor units; 0: the booking total
	ref    bool  // providerReference and note set
}

type fxBookingPlan struct {
	event    int
	booker   int
	status   domain.BookingStatus
	method   domain.PaymentMethod
	tickets  []fxTicketPlan
	payments []fxPaymentPlan
	utm      *string
	// sameTimeAs: index (> 0) of an earlier booking whose createdAt this
	// one shares exactly; 0: its own.
	sameTimeAs int
}

func fxStr(s string) *string { return &s }
func fxInt(i int) *int       { return &i }

func fxAt(month time.Month, day, hour, minute int) time.Time {
	return time.Date(2026, month, day, hour, minute, 0, 0, time.UTC)
}

var (
	fxDraft     = domain.EventStatusDraft
	fxPublished = domain.EventStatusPublished
	fxCancelled = domain.EventStatusCancelled
)

var fxEvents = []fxEventPlan{
	{ // 0
		title: "Jazz Night", description: fxStr("Smooth jazz all night long"), status: fxPublished,
		startsAt: fxAt(5, 1, 19, 0), endsAfter: 3 * time.Hour, venue: fxStr("Blue Note"),
		capacity: fxInt(100), maxTickets: fxInt(4), regOpens: true, currency: "EUR",
		categories: []fxCategoryPlan{
			{name: "Standard", price: 5000, tax: 1900},
			{name: "VIP", price: 12000, tax: 1900, capacity: fxInt(10), sales: true},
		},
	},
	{ // 1
		title: "jazz brunch", status: fxPublished,
		startsAt: fxAt(5, 3, 11, 0), venue: fxStr("Café Müller"),
		capacity: fxInt(50), waitlist: true, currency: "EUR",
		categories: []fxCategoryPlan{{name: "Brunch", price: 4999, tax: 700, capacity: fxInt(40)}},
	},
	{ // 2
		title: "JAZZ festival", description: fxStr("Three stages, two days"), status: fxPublished,
		startsAt: fxAt(7, 10, 12, 0), endsAfter: 59 * time.Hour,
		maxTickets: fxInt(10), regOpens: true, currency: "USD",
		categories: []fxCategoryPlan{
			{name: "Day Pass", price: 10001, tax: 0},
			{name: "Student", price: 2500, tax: 700, capacity: fxInt(100), sales: true},
			{name: "Kids", price: 0, tax: 0},
		},
	},
	{ // 3
		title: "Ärzte Konzert", description: fxStr("Die Ärzte live"), status: fxPublished,
		startsAt: fxAt(6, 15, 20, 0), endsAfter: 3 * time.Hour, venue: fxStr("Arena"),
		capacity: fxInt(10), regOpens: true, waitlist: true, currency: "EUR",
		categories: []fxCategoryPlan{{name: "Stehplatz", price: 4500, tax: 1900}},
	},
	{ // 4: same startsAt as 0
		title: "Zebra Talk", status: fxDraft,
		startsAt: fxAt(5, 1, 19, 0), venue: fxStr("Zoo"),
		capacity: fxInt(0), waitlist: true, currency: "USD",
		categories: []fxCategoryPlan{{name: "Free", price: 0, tax: 0}},
	},
	{ // 5
		title: "alpha meetup", description: fxStr("Monthly meetup"), status: fxPublished,
		startsAt: fxAt(4, 20, 18, 0), endsAfter: 2 * time.Hour, venue: fxStr("Hub"),
		regOpens: true, currency: "JPY",
		categories: []fxCategoryPlan{
			{name: "General", price: 100, tax: 0},
			{name: "Supporter", price: 5000, tax: 1900, capacity: fxInt(20)},
		},
	},
	{ // 6
		title: "Town Hall", status: fxPublished,
		startsAt: fxAt(9, 1, 18, 0), endsAfter: 2 * time.Hour, venue: fxStr("City Hall"),
		capacity: fxInt(50), currency: "EUR",
		categories: []fxCategoryPlan{{name: "Seat", price: 0, tax: 0, capacity: fxInt(50)}},
	},
	{ // 7: same title as 6
		title: "Town Hall", description: fxStr("Moved online"), status: fxCancelled,
		startsAt: fxAt(9, 8, 18, 0), venue: fxStr("City Hall"),
		capacity: fxInt(50), regOpens: true, currency: "EUR",
		categories: []fxCategoryPlan{{name: "Seat", price: 0, tax: 0}},
	},
	{ // 8
		title: "Tokyo Sushi Workshop", description: fxStr("Hands-on sushi course"), status: fxPublished,
		startsAt: fxAt(8, 20, 10, 0), endsAfter: 4 * time.Hour, venue: fxStr("Tsukiji Kitchen"),
		capacity: fxInt(10), maxTickets: fxInt(3), regOpens: true, waitlist: true, currency: "JPY",
		categories: []fxCategoryPlan{
			{name: "Course", price: 12000, tax: 700, capacity: fxInt(10)},
			{name: "Tasting", price: 99, tax: 0},
		},
	},
	{ // 9: no ticket categories
		title: "Data Science 101", status: fxDraft,
		startsAt: fxAt(10, 5, 9, 0),
		capacity: fxInt(100), currency: "USD",
	},
	{ // 10: same startsAt as 3
		title: "Über Coding", description: fxStr("Live coding für alle"), status: fxPublished,
		startsAt: fxAt(6, 15, 20, 0), endsAfter: 2 * time.Hour, venue: fxStr("Loft"),
		maxTickets: fxInt(5), currency: "EUR",
		categories: []fxCategoryPlan{
			{name: "Early Bird", price: 2900, tax: 1900, capacity: fxInt(20), sales: true},
			{name: "Regular", price: 3900, tax: 1900},
		},
	},
	{ // 11
		title: "Yoga im Park", status: fxCancelled,
		startsAt: fxAt(6, 1, 8, 0), endsAfter: time.Hour, venue: fxStr("Stadtpark"),
		capacity: fxInt(0), currency: "EUR",
		categories: []fxCategoryPlan{{name: "Mat", price: 1500, tax: 700, capacity: fxInt(0)}},
	},
	{ // 12: LIKE wildcards in the title
		title: "100% Fun_Night", description: fxStr("50% off before 10pm"), status: fxPublished,
		startsAt: fxAt(11, 11, 21, 0),
		capacity: fxInt(100), regOpens: true, waitlist: true, currency: "USD",
		categories: []fxCategoryPlan{{name: "Entry", price: 9999, tax: 0}},
	},
	{ // 13
		title: "Night of Jazz", status: fxPublished,
		startsAt: fxAt(12, 1, 20, 0), endsAfter: 3 * time.Hour, venue: fxStr("Blue Note"),
		capacity: fxInt(50), maxTickets: fxInt(6), regOpens: true, currency: "USD",
		categories: []fxCategoryPlan{
			{name: "Balcony", price: 7500, tax: 700},
			{name: "Stalls", price: 5000, tax: 700, capacity: fxInt(30)},
		},
	},
	{ // 14: no ticket categories
		title: "Zürich Startup Talk", description: fxStr("Founders talk"), status: fxDraft,
		startsAt: time.Date(2027, 1, 15, 17, 0, 0, 0, time.UTC), venue: fxStr("Impact Hub"),
		waitlist: true, currency: "EUR",
	},
}

var fxParticipants = []fxParticipantPlan{
	{"Anna", "Schmidt", "anna.schmidt@example.com", fxStr("Acme GmbH"), fxStr("Berlin")},
	{"Ben", "Müller", "ben.mueller@example.org", nil, fxStr("München")},
	{"Chloé", "Dubois", "chloe.dubois@example.fr", fxStr("Société Générale"), fxStr("Paris")},
	{"David", "Kim", "david.kim@example.com", nil, nil},
	{"Eva", "Novak", "eva.novak@example.org", fxStr("Acme GmbH"), fxStr("Prague")},
	{"Farid", "Haddad", "farid@haddad.dev", fxStr("Haddad Labs"), nil},
	{"Grace", "Lee", "grace.lee@example.com", nil, fxStr("Seoul")},
	{"Hiro", "Tanaka", "hiro.tanaka@example.jp", fxStr("Tanaka KK"), fxStr("Tokyo")},
	{"Inés", "García", "ines.garcia@example.es", nil, fxStr("Madrid")},
	{"Jürgen", "Weiß", "juergen.weiss@example.de", fxStr("Weiß & Co"), fxStr("Köln")},
	{"Kate", "O'Brien", "kate.obrien@example.ie", nil, nil},
	{"Liam", "Smith", "liam.smith@example.com", fxStr("ACME Inc"), fxStr("Boston")},
	{"Mia", "Rossi", "mia.rossi@example.it", fxStr(""), fxStr("Roma")},
	{"Noah", "Brown", "noah.brown@example.org", nil, fxStr("Boston")},
	{"Olivia", "Chen", "olivia.chen@example.com", fxStr("Chen Design"), fxStr("Vancouver")},
}

var (
	fxWaitlisted       = domain.BookingStatusWaitlisted
	fxPending          = domain.BookingStatusPending
	fxConfirmed        = domain.BookingStatusConfirmed
	fxBookingCancelled = domain.BookingStatusCancelled
	fxExpired          = domain.BookingStatusExpired

	fxCard    = domain.PaymentMethodCard
	fxInvoice = domain.PaymentMethodInvoice
	fxBank    = domain.PaymentMethodBankTransfer
	fxCash    = domain.PaymentMethodCash
	fxFree    = domain.PaymentMethodFree

	fxPay    = domain.PaymentKindPayment
	fxRefund = domain.PaymentKindRefund

	fxSucceeded      = domain.PaymentRecordStatusSucceeded
	fxPaymentPending = domain.PaymentRecordStatusPending
	fxFailed         = domain.PaymentRecordStatusFailed
)

func fxTk(category, holder int) fxTicketPlan { return fxTicketPlan{category: category, holder: holder} }

func fxTkIn(category, holder int) fxTicketPlan {
	return fxTicketPlan{category: category, holder: holder, checkedIn: true}
}

var fxBookings = []fxBookingPlan{
	// 0: EUR 100.00 exactly
	{event: 0, booker: 0, status: fxConfirmed, method: fxCard, tickets: []fxTicketPlan{fxTkIn(0, -1), fxTk(0, 1)},
		payments: []fxPaymentPlan{{kind: fxPay, status: fxSucceeded, ref: true}}, utm: fxStr("newsletter")},
	// 1: EUR 120.00, partly refunded
	{event: 0, booker: 1, status: fxConfirmed, method: fxCard, tickets: []fxTicketPlan{fxTk(1, -1)},
		payments: []fxPaymentPlan{{kind: fxPay, status: fxSucceeded, ref: true}, {kind: fxRefund, status: fxSucceeded, amount: 2000}}},
	// 2
	{event: 0, booker: 2, status: fxPending, method: fxInvoice, tickets: []fxTicketPlan{fxTk(0, -1)}, utm: fxStr("Newsletter")},
	// 3: EUR 99.98
	{event: 1, booker: 3, status: fxConfirmed, method: fxBank, tickets: []fxTicketPlan{fxTk(0, -1), fxTk(0, 4)},
		payments: []fxPaymentPlan{{kind: fxPay, status: fxSucceeded}}},
	// 4: waitlisted on the full event 3
	{event: 3, booker: 4, status: fxWaitlisted, method: fxCard, tickets: []fxTicketPlan{fxTk(0, -1)}},
	// 5: USD 100.01
	{event: 2, booker: 5, status: fxConfirmed, method: fxCard, tickets: []fxTicketPlan{fxTk(0, -1)},
		payments: []fxPaymentPlan{{kind: fxPay, status: fxSucceeded, ref: true}}, utm: fxStr("facebook")},
	// 6: USD 50.00 with a free ticket
	{event: 2, booker: 6, status: fxConfirmed, method: fxCard, tickets: []fxTicketPlan{fxTk(1, -1), fxTk(1, 7), fxTk(2, 8)},
		payments: []fxPaymentPlan{{kind: fxPay, status: fxFailed}, {kind: fxPay, status: fxPaymentPending}}},
	// 7: USD 100.01, cancelled and fully refunded
	{event: 2, booker: 7, status: fxBookingCancelled, method: fxCard, tickets: []fxTicketPlan{fxTk(0, -1)},
		payments: []fxPaymentPlan{{kind: fxPay, status: fxSucceeded}, {kind: fxRefund, status: fxSucceeded, ref: true}}},
	// 8: same createdAt as 7; partly paid
	{event: 3, booker: 8, status: fxConfirmed, method: fxBank, tickets: []fxTicketPlan{fxTk(0, -1), fxTk(0, 9)},
		payments: []fxPaymentPlan{{kind: fxPay, status: fxSucceeded, amount: 5000}}, sameTimeAs: 7},
	// 9
	{event: 3, booker: 9, status: fxConfirmed, method: fxCard, tickets: []fxTicketPlan{fxTkIn(0, -1), fxTkIn(0, 10), fxTk(0, 11)},
		payments: []fxPaymentPlan{{kind: fxPay, status: fxSucceeded}}},
	// 10
	{event: 3, booker: 10, status: fxExpired, method: fxCard, tickets: []fxTicketPlan{fxTk(0, -1)}},
	// 11: waitlisted on the event without seats, free
	{event: 4, booker: 11, status: fxWaitlisted, method: fxFree, tickets: []fxTicketPlan{fxTk(0, -1)}},
	// 12: JPY 100 exactly
	{event: 5, booker: 12, status: fxConfirmed, method: fxCash, tickets: []fxTicketPlan{fxTk(0, -1)},
		payments: []fxPaymentPlan{{kind: fxPay, status: fxSucceeded}}},
	// 13: JPY 5100
	{event: 5, booker: 13, status: fxConfirmed, method: fxCard, tickets: []fxTicketPlan{fxTk(1, -1), fxTk(0, 14)},
		payments: []fxPaymentPlan{{kind: fxPay, status: fxSucceeded, ref: true}}, utm: fxStr("google")},
	// 14: no tickets, no event
	{event: -1, booker: 14, status: fxPending, method: fxInvoice},
	// 15: free
	{event: 6, booker: 0, status: fxConfirmed, method: fxFree, tickets: []fxTicketPlan{fxTk(0, -1), fxTk(0, 2)}},
	// 16
	{event: 6, booker: 1, status: fxConfirmed, method: fxFree, tickets: []fxTicketPlan{fxTkIn(0, -1)}},
	// 17: on the cancelled event
	{event: 7, booker: 2, status: fxBookingCancelled, method: fxFree, tickets: []fxTicketPlan{fxTk(0, -1)}},
	// 18: JPY 12099
	{event: 8, booker: 3, status: fxConfirmed, method: fxCard, tickets: []fxTicketPlan{fxTk(0, -1), fxTk(1, 5)},
		payments: []fxPaymentPlan{{kind: fxPay, status: fxSucceeded}}},
	// 19: JPY 99
	{event: 8, booker: 4, status: fxConfirmed, method: fxCard, tickets: []fxTicketPlan{fxTk(1, -1)},
		payments: []fxPaymentPlan{{kind: fxPay, status: fxSucceeded}}},
	// 20: JPY 24000, payment pending
	{event: 8, booker: 5, status: fxPending, method: fxCard, tickets: []fxTicketPlan{fxTk(0, -1), fxTk(0, 6)},
		payments: []fxPaymentPlan{{kind: fxPay, status: fxPaymentPending}}},
	// 21: EUR 107.00
	{event: 10, booker: 6, status: fxConfirmed, method: fxInvoice, tickets: []fxTicketPlan{fxTkIn(0, -1), fxTk(1, 7), fxTk(1, 8)},
		payments: []fxPaymentPlan{{kind: fxPay, status: fxSucceeded, ref: true}}, utm: fxStr("newsletter")},
	// 22: cancelled, refund still pending
	{event: 10, booker: 7, status: fxBookingCancelled, method: fxCard, tickets: []fxTicketPlan{fxTk(0, -1)},
		payments: []fxPaymentPlan{{kind: fxPay, status: fxSucceeded}, {kind: fxRefund, status: fxPaymentPending}}},
	// 23: USD 99.99
	{event: 12, booker: 8, status: fxConfirmed, method: fxCard, tickets: []fxTicketPlan{fxTk(0, -1)},
		payments: []fxPaymentPlan{{kind: fxPay, status: fxSucceeded}}},
	// 24: USD 199.98, partly paid
	{event: 12, booker: 9, status: fxPending, method: fxBank, tickets: []fxTicketPlan{fxTk(0, -1), fxTk(0, 12)},
		payments: []fxPaymentPlan{{kind: fxPay, status: fxSucceeded, amount: 5000}}},
	// 25: USD 125.00, a failed refund
	{event: 13, booker: 10, status: fxConfirmed, method: fxCard, tickets: []fxTicketPlan{fxTk(0, -1), fxTk(1, 11)},
		payments: []fxPaymentPlan{{kind: fxPay, status: fxSucceeded}, {kind: fxRefund, status: fxFailed, amount: 1000}}},
	// 26: fills event 3 (10 seats)
	{event: 3, booker: 11, status: fxConfirmed, method: fxCard, tickets: []fxTicketPlan{fxTk(0, -1), fxTk(0, 12), fxTk(0, 13), fxTk(0, 14), fxTk(0, 0)},
		payments: []fxPaymentPlan{{kind: fxPay, status: fxSucceeded}}},
	// 27: USD 50.00, unpaid
	{event: 13, booker: 12, status: fxConfirmed, method: fxInvoice, tickets: []fxTicketPlan{fxTk(1, -1)}},
	// 28: cancelled, partly refunded
	{event: 0, booker: 13, status: fxBookingCancelled, method: fxCard, tickets: []fxTicketPlan{fxTk(1, -1)},
		payments: []fxPaymentPlan{{kind: fxPay, status: fxSucceeded}, {kind: fxRefund, status: fxSucceeded, amount: 6000}}},
	// 29: no tickets, no event
	{event: -1, booker: 14, status: fxBookingCancelled, method: fxCard},
}

// fxNet splits a gross price into net and tax (tax in hundredths of a percent).
func fxNet(gross, tax int64) (net, taxAmount int64) {
	den := 10000 + tax
	net = (gross*10000*2 + den) / (2 * den)
	return net, gross - net
}

// fxTicketCode derives a unique, deterministic 16-character code.
func fxTicketCode(n int) string {
	const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	x := uint64(n)*0x9E3779B97F4A7C15 + 0xD1B54A32D192ED03
	b := make([]byte, 16)
	for i := range b {
		x ^= x >> 31
		x *= 0xBF58476D1CE4E5B9
		x ^= x >> 29
		b[i] = alphabet[x%uint64(len(alphabet))]
	}
	return string(b)
}

// Seed writes the fixture into e's database for e's tenant and returns it.
func Seed(t testing.TB, e *Env) *Fixture {
	t.Helper()
	ctx := e.Ctx()
	f := &Fixture{BookingEvents: map[int][]int{}}
	must := func(err error, what string, i int) {
		t.Helper()
		if err != nil {
			t.Fatalf("seeding %s %d: %v", what, i, err)
		}
	}

	// Derive the statuses and counters first, so every row is written
	// once with its final values.
	type seat struct {
		ticket   domain.TicketStatus
		reg      domain.RegistrationStatus
		position *int
	}
	registered := make([]int, len(fxEvents))
	waitlisted := make([]int, len(fxEvents))
	checkedIn := make([]int, len(fxEvents))
	sold := make([][]int, len(fxEvents))
	for i, ev := range fxEvents {
		sold[i] = make([]int, len(ev.categories))
	}
	seats := make([][]seat, len(fxBookings))
	for i, b := range fxBookings {
		for _, tp := range b.tickets {
			var s seat
			switch b.status {
			case fxWaitlisted:
				waitlisted[b.event]++
				s = seat{domain.TicketStatusWaitlisted, domain.RegistrationStatusWaitlisted, fxInt(waitlisted[b.event])}
			case fxPending:
				s = seat{ticket: domain.TicketStatusActive, reg: domain.RegistrationStatusPending}
			case fxConfirmed:
				s = seat{ticket: domain.TicketStatusActive, reg: domain.RegistrationStatusAccepted}
			default:
				s = seat{ticket: domain.TicketStatusCancelled, reg: domain.RegistrationStatusCancelled}
			}
			if s.ticket == domain.TicketStatusActive {
				registered[b.event]++
				sold[b.event][tp.category]++
				if tp.checkedIn {
					checkedIn[b.event]++
				}
			} else if tp.checkedIn {
				t.Fatalf("fixture: booking %d checks in a %s ticket", i, s.ticket)
			}
			seats[i] = append(seats[i], s)
		}
	}

	// Events and their ticket categories.
	evCreated := time.Date(2026, 1, 5, 9, 30, 0, 0, time.UTC)
	cats := make([][]*ent.TicketCategory, len(fxEvents))
	for i, p := range fxEvents {
		created := evCreated.Add(time.Duration(i)*25*time.Hour + time.Duration(i)*1234*time.Microsecond)
		c := e.Client.Event.Create().SetTenantID(e.Tenant).
			SetCreatedAt(created).SetUpdatedAt(created).
			SetTitle(p.title).SetNillableDescription(p.description).SetStatus(p.status).
			SetStartsAt(p.startsAt).SetNillableVenue(p.venue).
			SetNillableCapacity(p.capacity).SetNillableMaxTicketsPerBooking(p.maxTickets).
			SetWaitlistEnabled(p.waitlist).SetCurrency(p.currency).
			SetRegisteredCount(registered[i]).SetWaitlistCount(waitlisted[i]).SetCheckedInCount(checkedIn[i])
		if p.endsAfter > 0 {
			c.SetEndsAt(p.startsAt.Add(p.endsAfter))
		}
		if p.regOpens {
			c.SetRegistrationOpensAt(created.Add(24 * time.Hour)).SetRegistrationClosesAt(p.startsAt.Add(-time.Hour))
		}
		if p.status == fxCancelled {
			c.SetCancelledAt(created.Add(72 * time.Hour)).SetCancellationReason("Organizer cancelled")
		}
		ev, err := c.Save(ctx)
		must(err, "event", i)
		f.Events = append(f.Events, ev)
		for j, cp := range p.categories {
			cc := e.Client.TicketCategory.Create().SetTenantID(e.Tenant).
				SetCreatedAt(created).SetUpdatedAt(created).
				SetEventID(ev.ID).SetName(cp.name).SetPrice(cp.price).SetCurrency(p.currency).
				SetTaxRatePercent(cp.tax).SetNillableCapacity(cp.capacity).SetSoldCount(sold[i][j])
			if cp.sales {
				cc.SetSalesStartAt(created).SetSalesEndAt(p.startsAt)
			}
			if j == 1 {
				cc.SetDescription(cp.name + " ticket")
			}
			tc, err := cc.Save(ctx)
			must(err, "ticket category", j)
			cats[i] = append(cats[i], tc)
			f.Categories = append(f.Categories, tc)
		}
	}

	// Participants.
	pCreated := time.Date(2026, 1, 20, 8, 0, 0, 0, time.UTC)
	for i, p := range fxParticipants {
		created := pCreated.Add(time.Duration(i)*7*time.Hour + time.Duration(i)*17*time.Microsecond)
		pa, err := e.Client.Participant.Create().SetTenantID(e.Tenant).
			SetCreatedAt(created).SetUpdatedAt(created).
			SetFirstName(p.first).SetLastName(p.last).SetEmail(p.email).
			SetNillableCompany(p.company).SetNillableCity(p.city).
			Save(ctx)
		must(err, "participant", i)
		f.Participants = append(f.Participants, pa)
	}

	// Bookings, with a registration and a ticket per seat, and payments.
	bCreated := time.Date(2026, 2, 1, 10, 0, 0, 0, time.UTC)
	createdAt := make([]time.Time, len(fxBookings))
	codes := map[string]bool{}
	nTicket := 0
	for i, p := range fxBookings {
		createdAt[i] = bCreated.Add(time.Duration(i)*26*time.Hour + time.Duration(i)*7*time.Minute + time.Duration(i)*321*time.Microsecond)
		if p.sameTimeAs > 0 {
			createdAt[i] = createdAt[p.sameTimeAs]
		}
		created := createdAt[i]
		currency := "EUR"
		var ev *ent.Event
		if p.event >= 0 {
			ev = f.Events[p.event]
			currency = ev.Currency
		}
		var subtotal, taxTotal, total int64
		for _, tp := range p.tickets {
			c := cats[p.event][tp.category]
			net, tax := fxNet(c.Price, c.TaxRatePercent)
			subtotal, taxTotal, total = subtotal+net, taxTotal+tax, total+c.Price
		}
		var paid, refunded int64
		for _, pp := range p.payments {
			amount := pp.amount
			if amount == 0 {
				amount = total
			}
			if pp.status == fxSucceeded {
				if pp.kind == fxPay {
					paid += amount
				} else {
					refunded += amount
				}
			}
		}
		payStatus := domain.PaymentStatusUnpaid
		switch {
		case refunded > 0 && refunded >= paid:
			payStatus = domain.PaymentStatusRefunded
		case refunded > 0:
			payStatus = domain.PaymentStatusPartiallyRefunded
		case paid > 0 && paid >= total:
			payStatus = domain.PaymentStatusPaid
		case paid > 0:
			payStatus = domain.PaymentStatusPartiallyPaid
		}
		bc := e.Client.Booking.Create().SetTenantID(e.Tenant).
			SetCreatedAt(created).SetUpdatedAt(created).
			SetOrderNumber(fmt.Sprintf("BK-%06d", 1001+i)).SetStatus(p.status).
			SetBookerID(f.Participants[p.booker].ID).SetCurrency(currency).
			SetSubtotal(subtotal).SetTaxTotal(taxTotal).SetTotal(total).
			SetPaidAmount(paid).SetRefundedAmount(refunded).
			SetPaymentStatus(payStatus).SetPaymentMethod(p.method).
			SetNillableUtmSource(p.utm)
		switch p.status {
		case fxConfirmed:
			bc.SetConfirmedAt(created.Add(time.Hour))
		case fxPending, fxExpired:
			bc.SetHoldExpiresAt(created.Add(30 * time.Minute))
		case fxBookingCancelled:
			bc.SetCancelledAt(created.Add(48 * time.Hour)).SetCancellationReason("Changed plans")
		}
		if p.method == fxInvoice {
			bc.SetInvoiceNumber(fmt.Sprintf("INV-2026-%04d", i+1)).SetInvoiceAddress("Acme GmbH\nHauptstr. 1\n10115 Berlin")
		}
		if ev != nil && len(p.tickets) > 0 {
			bc.AddEvents(ev)
		}
		bk, err := bc.Save(ctx)
		must(err, "booking", i)
		f.Bookings = append(f.Bookings, bk)
		if ev != nil && len(p.tickets) > 0 {
			f.BookingEvents[bk.ID] = []int{ev.ID}
		}

		for j, tp := range p.tickets {
			holder := f.Participants[p.booker]
			if tp.holder >= 0 {
				holder = f.Participants[tp.holder]
			}
			s := seats[i][j]
			reg, err := e.Client.Registration.Create().SetTenantID(e.Tenant).
				SetCreatedAt(created).SetUpdatedAt(created).
				SetEventID(ev.ID).SetParticipantID(holder.ID).SetStatus(s.reg).
				SetNillableWaitlistPosition(s.position).
				SetMetadata(map[string]any{"source": "fixture", "seat": j + 1}).
				Save(ctx)
			must(err, "registration of booking", i)
			f.Registrations = append(f.Registrations, reg)

			c := cats[p.event][tp.category]
			net, tax := fxNet(c.Price, c.TaxRatePercent)
			nTicket++
			code := fxTicketCode(nTicket)
			if codes[code] {
				t.Fatalf("fixture: ticket code %s repeats", code)
			}
			codes[code] = true
			tc := e.Client.Ticket.Create().SetTenantID(e.Tenant).
				SetCreatedAt(created).SetUpdatedAt(created).
				SetBookingID(bk.ID).SetEventID(ev.ID).SetTicketCategoryID(c.ID).
				SetHolderID(holder.ID).SetRegistrationID(reg.ID).SetCode(code).
				SetStatus(s.ticket).SetPrice(c.Price).SetNetPrice(net).SetTaxAmount(tax).
				SetCurrency(currency)
			if tp.checkedIn {
				tc.SetCheckedInAt(ev.StartsAt.Add(-15 * time.Minute).Add(time.Duration(j) * time.Minute))
			}
			ticket, err := tc.Save(ctx)
			must(err, "ticket of booking", i)
			f.Tickets = append(f.Tickets, ticket)
		}

		for j, pp := range p.payments {
			amount := pp.amount
			if amount == 0 {
				amount = total
			}
			pCreated := created.Add(time.Duration(2+j) * time.Hour)
			method := p.method
			if method == fxFree {
				method = fxCard
			}
			pc := e.Client.Payment.Create().SetTenantID(e.Tenant).
				SetCreatedAt(pCreated).SetUpdatedAt(pCreated).
				SetBookingID(bk.ID).SetKind(pp.kind).SetAmount(amount).SetCurrency(currency).
				SetMethod(method).SetStatus(pp.status)
			if pp.status == fxSucceeded {
				pc.SetPaidAt(pCreated.Add(5 * time.Minute))
			}
			if pp.ref {
				pc.SetProviderReference(fmt.Sprintf("pi_%s_%d", bk.OrderNumber, j)).SetNote("via fixture")
			}
			pm, err := pc.Save(ctx)
			must(err, "payment of booking", i)
			f.Payments = append(f.Payments, pm)
		}
	}
	return f
}
