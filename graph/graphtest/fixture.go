package graphtest

import (
	"context"
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
// The steps run in this order, which fixes every id: events, each followed
// by its ticket categories, then participants, then bookings, each followed
// by a registration and a ticket per seat and then its payments.
func Seed(t testing.TB, e *Env) *Fixture {
	t.Helper()
	s := &fxSeeder{
		t: t, ctx: e.Ctx(), e: e,
		f:     &Fixture{BookingEvents: map[int][]int{}},
		codes: map[string]bool{},
	}
	s.deriveSeats()
	s.createEvents()
	s.createParticipants()
	s.createBookings()
	return s.f
}

// fxSeeder writes the fixture plan through Ent. Its steps mark themselves
// as helpers, so a failing write is reported at the test's call to Seed.
type fxSeeder struct {
	t   testing.TB
	ctx context.Context
	e   *Env
	f   *Fixture // the rows written so far

	// Derived from the plan before anything is written (deriveSeats).
	seats      [][]fxSeat // per booking and ticket index
	registered []int      // per event index
	waitlisted []int
	checkedIn  []int
	sold       [][]int // per event and category index

	cats    [][]*ent.TicketCategory // per event index, as written
	codes   map[string]bool         // ticket codes handed out
	nTicket int                     // tickets written so far
}

// fxSeat is what the ticket and the registration of one booked seat end in.
type fxSeat struct {
	ticket   domain.TicketStatus
	reg      domain.RegistrationStatus
	position *int // waitlist position; nil unless waitlisted
}

// fxBooked is a booking as written, for the rows that hang off it.
type fxBooked struct {
	i        int // index into fxBookings
	plan     fxBookingPlan
	created  time.Time
	ev       *ent.Event // nil for a booking without an event
	currency string
	total    int64
	row      *ent.Booking
}

func (s *fxSeeder) must(err error, what string, i int) {
	s.t.Helper()
	if err != nil {
		s.t.Fatalf("seeding %s %d: %v", what, i, err)
	}
}

// deriveSeats works out every seat's statuses and the counters they add up
// to first, so every row is written once with its final values.
func (s *fxSeeder) deriveSeats() {
	s.t.Helper()
	s.registered = make([]int, len(fxEvents))
	s.waitlisted = make([]int, len(fxEvents))
	s.checkedIn = make([]int, len(fxEvents))
	s.sold = make([][]int, len(fxEvents))
	for i, ev := range fxEvents {
		s.sold[i] = make([]int, len(ev.categories))
	}
	s.seats = make([][]fxSeat, len(fxBookings))
	for i, b := range fxBookings {
		for _, tp := range b.tickets {
			seat := s.seatOf(b)
			s.countSeat(i, b, tp, seat)
			s.seats[i] = append(s.seats[i], seat)
		}
	}
}

// seatOf gives a seat the statuses that follow its booking's; a waitlisted
// seat takes the next place on its event's waitlist.
func (s *fxSeeder) seatOf(b fxBookingPlan) fxSeat {
	switch b.status {
	case fxWaitlisted:
		s.waitlisted[b.event]++
		return fxSeat{domain.TicketStatusWaitlisted, domain.RegistrationStatusWaitlisted, fxInt(s.waitlisted[b.event])}
	case fxPending:
		return fxSeat{ticket: domain.TicketStatusActive, reg: domain.RegistrationStatusPending}
	case fxConfirmed:
		return fxSeat{ticket: domain.TicketStatusActive, reg: domain.RegistrationStatusAccepted}
	default:
		return fxSeat{ticket: domain.TicketStatusCancelled, reg: domain.RegistrationStatusCancelled}
	}
}

// countSeat adds an active seat to its event's and category's counters.
// Only an active ticket can be checked in: a plan saying otherwise is a
// mistake in the plan.
func (s *fxSeeder) countSeat(i int, b fxBookingPlan, tp fxTicketPlan, seat fxSeat) {
	s.t.Helper()
	if seat.ticket != domain.TicketStatusActive {
		if tp.checkedIn {
			s.t.Fatalf("fixture: booking %d checks in a %s ticket", i, seat.ticket)
		}
		return
	}
	s.registered[b.event]++
	s.sold[b.event][tp.category]++
	if tp.checkedIn {
		s.checkedIn[b.event]++
	}
}

// createEvents writes the events, each followed by its ticket categories.
func (s *fxSeeder) createEvents() {
	s.t.Helper()
	s.cats = make([][]*ent.TicketCategory, len(fxEvents))
	for i, p := range fxEvents {
		created := fxEventCreated(i)
		ev := s.createEvent(i, p, created)
		for j, cp := range p.categories {
			s.createCategory(i, j, p, cp, ev, created)
		}
	}
}

// fxEventCreated is when event i was created: a day and an hour after the
// one before, plus a few microseconds more each time.
func fxEventCreated(i int) time.Time {
	base := time.Date(2026, 1, 5, 9, 30, 0, 0, time.UTC)
	return base.Add(time.Duration(i)*25*time.Hour + time.Duration(i)*1234*time.Microsecond)
}

func (s *fxSeeder) createEvent(i int, p fxEventPlan, created time.Time) *ent.Event {
	s.t.Helper()
	c := s.e.Client.Event.Create().SetTenantID(s.e.Tenant).
		SetCreatedAt(created).SetUpdatedAt(created).
		SetTitle(p.title).SetNillableDescription(p.description).SetStatus(p.status).
		SetStartsAt(p.startsAt).SetNillableVenue(p.venue).
		SetNillableCapacity(p.capacity).SetNillableMaxTicketsPerBooking(p.maxTickets).
		SetWaitlistEnabled(p.waitlist).SetCurrency(p.currency).
		SetRegisteredCount(s.registered[i]).SetWaitlistCount(s.waitlisted[i]).SetCheckedInCount(s.checkedIn[i])
	if p.endsAfter > 0 {
		c.SetEndsAt(p.startsAt.Add(p.endsAfter))
	}
	if p.regOpens {
		c.SetRegistrationOpensAt(created.Add(24 * time.Hour)).SetRegistrationClosesAt(p.startsAt.Add(-time.Hour))
	}
	if p.status == fxCancelled {
		c.SetCancelledAt(created.Add(72 * time.Hour)).SetCancellationReason("Organizer cancelled")
	}
	ev, err := c.Save(s.ctx)
	s.must(err, "event", i)
	s.f.Events = append(s.f.Events, ev)
	return ev
}

// createCategory writes category j of event i, created with its event. Only
// the second category of an event has a description, so the field is null
// on some rows and set on others.
func (s *fxSeeder) createCategory(i, j int, p fxEventPlan, cp fxCategoryPlan, ev *ent.Event, created time.Time) {
	s.t.Helper()
	cc := s.e.Client.TicketCategory.Create().SetTenantID(s.e.Tenant).
		SetCreatedAt(created).SetUpdatedAt(created).
		SetEventID(ev.ID).SetName(cp.name).SetPrice(cp.price).SetCurrency(p.currency).
		SetTaxRatePercent(cp.tax).SetNillableCapacity(cp.capacity).SetSoldCount(s.sold[i][j])
	if cp.sales {
		cc.SetSalesStartAt(created).SetSalesEndAt(p.startsAt)
	}
	if j == 1 {
		cc.SetDescription(cp.name + " ticket")
	}
	tc, err := cc.Save(s.ctx)
	s.must(err, "ticket category", j)
	s.cats[i] = append(s.cats[i], tc)
	s.f.Categories = append(s.f.Categories, tc)
}

// createParticipants writes the participants, seven hours (and a few
// microseconds more each time) apart.
func (s *fxSeeder) createParticipants() {
	s.t.Helper()
	base := time.Date(2026, 1, 20, 8, 0, 0, 0, time.UTC)
	for i, p := range fxParticipants {
		created := base.Add(time.Duration(i)*7*time.Hour + time.Duration(i)*17*time.Microsecond)
		pa, err := s.e.Client.Participant.Create().SetTenantID(s.e.Tenant).
			SetCreatedAt(created).SetUpdatedAt(created).
			SetFirstName(p.first).SetLastName(p.last).SetEmail(p.email).
			SetNillableCompany(p.company).SetNillableCity(p.city).
			Save(s.ctx)
		s.must(err, "participant", i)
		s.f.Participants = append(s.f.Participants, pa)
	}
}

// createBookings writes the bookings, each followed by a registration and a
// ticket per seat, and then by its payments.
func (s *fxSeeder) createBookings() {
	s.t.Helper()
	for i, p := range fxBookings {
		b := s.createBooking(i, p)
		for j, tp := range p.tickets {
			s.createSeat(b, j, tp)
		}
		for j, pp := range p.payments {
			s.createPayment(b, j, pp)
		}
	}
}

// fxBookingCreated is when booking i was created: a day, two hours and seven
// minutes after the one before (plus a few microseconds more each time),
// unless the plan has it share an earlier booking's instant exactly.
func fxBookingCreated(i int) time.Time {
	if earlier := fxBookings[i].sameTimeAs; earlier > 0 {
		return fxBookingCreated(earlier)
	}
	base := time.Date(2026, 2, 1, 10, 0, 0, 0, time.UTC)
	return base.Add(time.Duration(i)*26*time.Hour + time.Duration(i)*7*time.Minute + time.Duration(i)*321*time.Microsecond)
}

// createBooking writes booking i with its amounts already final. A booking
// without tickets has no event, so it keeps the default currency EUR and
// links to no event.
func (s *fxSeeder) createBooking(i int, p fxBookingPlan) *fxBooked {
	s.t.Helper()
	b := &fxBooked{i: i, plan: p, created: fxBookingCreated(i), currency: "EUR"}
	if p.event >= 0 {
		b.ev = s.f.Events[p.event]
		b.currency = b.ev.Currency
	}
	var subtotal, taxTotal int64
	subtotal, taxTotal, b.total = s.ticketTotals(p)
	paid, refunded := fxSettled(p.payments, b.total)
	bc := s.e.Client.Booking.Create().SetTenantID(s.e.Tenant).
		SetCreatedAt(b.created).SetUpdatedAt(b.created).
		SetOrderNumber(fmt.Sprintf("BK-%06d", 1001+i)).SetStatus(p.status).
		SetBookerID(s.f.Participants[p.booker].ID).SetCurrency(b.currency).
		SetSubtotal(subtotal).SetTaxTotal(taxTotal).SetTotal(b.total).
		SetPaidAmount(paid).SetRefundedAmount(refunded).
		SetPaymentStatus(fxPaymentStatus(paid, refunded, b.total)).SetPaymentMethod(p.method).
		SetNillableUtmSource(p.utm)
	fxBookingLifecycle(bc, i, p, b.created)
	linked := b.ev != nil && len(p.tickets) > 0
	if linked {
		bc.AddEvents(b.ev)
	}
	bk, err := bc.Save(s.ctx)
	s.must(err, "booking", i)
	s.f.Bookings = append(s.f.Bookings, bk)
	if linked {
		s.f.BookingEvents[bk.ID] = []int{b.ev.ID}
	}
	b.row = bk
	return b
}

// ticketTotals adds up the net, tax and gross prices of a booking's tickets.
func (s *fxSeeder) ticketTotals(p fxBookingPlan) (subtotal, taxTotal, total int64) {
	for _, tp := range p.tickets {
		c := s.cats[p.event][tp.category]
		net, tax := fxNet(c.Price, c.TaxRatePercent)
		subtotal, taxTotal, total = subtotal+net, taxTotal+tax, total+c.Price
	}
	return subtotal, taxTotal, total
}

// amountOf is the payment's amount; a plan without one pays (or refunds)
// the booking total.
func (pp fxPaymentPlan) amountOf(total int64) int64 {
	if pp.amount == 0 {
		return total
	}
	return pp.amount
}

// fxSettled adds up what the SUCCEEDED payments paid and refunded: only
// those move a booking's paid and refunded amounts.
func fxSettled(payments []fxPaymentPlan, total int64) (paid, refunded int64) {
	for _, pp := range payments {
		if pp.status != fxSucceeded {
			continue
		}
		if pp.kind == fxPay {
			paid += pp.amountOf(total)
		} else {
			refunded += pp.amountOf(total)
		}
	}
	return paid, refunded
}

// fxPaymentStatus is the booking's payment status for the settled amounts:
// any refund decides it before what was paid does.
func fxPaymentStatus(paid, refunded, total int64) domain.PaymentStatus {
	switch {
	case refunded > 0 && refunded >= paid:
		return domain.PaymentStatusRefunded
	case refunded > 0:
		return domain.PaymentStatusPartiallyRefunded
	case paid > 0 && paid >= total:
		return domain.PaymentStatusPaid
	case paid > 0:
		return domain.PaymentStatusPartiallyPaid
	}
	return domain.PaymentStatusUnpaid
}

// fxBookingLifecycle sets the timestamps and fields that go with booking
// i's status and payment method.
func fxBookingLifecycle(bc *ent.BookingCreate, i int, p fxBookingPlan, created time.Time) {
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
}

// createSeat writes seat j of a booking: its registration, then the ticket
// that points at it. A seat without a holder of its own is the booker's.
func (s *fxSeeder) createSeat(b *fxBooked, j int, tp fxTicketPlan) {
	s.t.Helper()
	holder := s.f.Participants[b.plan.booker]
	if tp.holder >= 0 {
		holder = s.f.Participants[tp.holder]
	}
	reg := s.createRegistration(b, j, holder)
	s.createTicket(b, j, tp, holder, reg)
}

func (s *fxSeeder) createRegistration(b *fxBooked, j int, holder *ent.Participant) *ent.Registration {
	s.t.Helper()
	reg, err := s.e.Client.Registration.Create().SetTenantID(s.e.Tenant).
		SetCreatedAt(b.created).SetUpdatedAt(b.created).
		SetEventID(b.ev.ID).SetParticipantID(holder.ID).SetStatus(s.seats[b.i][j].reg).
		SetNillableWaitlistPosition(s.seats[b.i][j].position).
		SetMetadata(map[string]any{"source": "fixture", "seat": j + 1}).
		Save(s.ctx)
	s.must(err, "registration of booking", b.i)
	s.f.Registrations = append(s.f.Registrations, reg)
	return reg
}

// createTicket writes the ticket of seat j. A checked-in ticket was scanned
// shortly before its event started, a minute apart per seat.
func (s *fxSeeder) createTicket(b *fxBooked, j int, tp fxTicketPlan, holder *ent.Participant, reg *ent.Registration) {
	s.t.Helper()
	c := s.cats[b.plan.event][tp.category]
	net, tax := fxNet(c.Price, c.TaxRatePercent)
	tc := s.e.Client.Ticket.Create().SetTenantID(s.e.Tenant).
		SetCreatedAt(b.created).SetUpdatedAt(b.created).
		SetBookingID(b.row.ID).SetEventID(b.ev.ID).SetTicketCategoryID(c.ID).
		SetHolderID(holder.ID).SetRegistrationID(reg.ID).SetCode(s.nextTicketCode()).
		SetStatus(s.seats[b.i][j].ticket).SetPrice(c.Price).SetNetPrice(net).SetTaxAmount(tax).
		SetCurrency(b.currency)
	if tp.checkedIn {
		tc.SetCheckedInAt(b.ev.StartsAt.Add(-15 * time.Minute).Add(time.Duration(j) * time.Minute))
	}
	ticket, err := tc.Save(s.ctx)
	s.must(err, "ticket of booking", b.i)
	s.f.Tickets = append(s.f.Tickets, ticket)
}

// nextTicketCode derives the next ticket's code. Codes are unique, so a
// derived code that repeats is caught here, naming the code, rather than
// as a failed insert.
func (s *fxSeeder) nextTicketCode() string {
	s.t.Helper()
	s.nTicket++
	code := fxTicketCode(s.nTicket)
	if s.codes[code] {
		s.t.Fatalf("fixture: ticket code %s repeats", code)
	}
	s.codes[code] = true
	return code
}

// createPayment writes payment j of a booking, an hour after the one before
// it; a payment of a FREE booking is recorded as paid by CARD.
func (s *fxSeeder) createPayment(b *fxBooked, j int, pp fxPaymentPlan) {
	s.t.Helper()
	created := b.created.Add(time.Duration(2+j) * time.Hour)
	method := b.plan.method
	if method == fxFree {
		method = fxCard
	}
	pc := s.e.Client.Payment.Create().SetTenantID(s.e.Tenant).
		SetCreatedAt(created).SetUpdatedAt(created).
		SetBookingID(b.row.ID).SetKind(pp.kind).SetAmount(pp.amountOf(b.total)).SetCurrency(b.currency).
		SetMethod(method).SetStatus(pp.status)
	if pp.status == fxSucceeded {
		pc.SetPaidAt(created.Add(5 * time.Minute))
	}
	if pp.ref {
		pc.SetProviderReference(fmt.Sprintf("pi_%s_%d", b.row.OrderNumber, j)).SetNote("via fixture")
	}
	pm, err := pc.Save(s.ctx)
	s.must(err, "payment of booking", b.i)
	s.f.Payments = append(s.f.Payments, pm)
}
