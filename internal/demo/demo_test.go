package demo

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	_ "github.com/mattn/go-sqlite3"

	"seatgraph/ent"
	"seatgraph/ent/booking"
	"seatgraph/ent/event"
	"seatgraph/ent/history"
	"seatgraph/ent/participant"
	"seatgraph/ent/payment"
	"seatgraph/ent/registration"
	"seatgraph/ent/ticket"
	"seatgraph/ent/ticketcategory"
	"seatgraph/internal/domain"
	"seatgraph/internal/store"
)

var testNow = time.Date(2026, time.March, 14, 10, 11, 12, 345678901, time.UTC)

func openClient(t *testing.T) *ent.Client {
	t.Helper()
	// the server's SQLite settings (WAL, immediate write transactions)
	target, err := store.Parse(filepath.Join(t.TempDir(), "demo.db"))
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open(target.Driver, target.DSN)
	if err != nil {
		t.Fatal(err)
	}
	// Ent's migration reads through its own driver type (store.Open does
	// the same); the client the server uses comes after.
	if err := ent.NewClient(ent.Driver(entsql.OpenDB(target.Dialect, db))).Schema.Create(context.Background()); err != nil {
		t.Fatal(err)
	}
	client := ent.NewClient(ent.Driver(store.NewDriver(target.Dialect, db)))
	t.Cleanup(func() { _ = client.Close() })
	return client
}

func newTenant(t *testing.T, client *ent.Client, slug string) int {
	t.Helper()
	tn, err := client.Tenant.Create().SetSlug(slug).Save(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return tn.ID
}

func seed(t *testing.T, client *ent.Client, tenantID int, now time.Time) Summary {
	t.Helper()
	sum, err := Seed(context.Background(), client, dialect.SQLite, tenantID, now)
	if err != nil {
		t.Fatalf("Seed: %v", err)
	}
	return sum
}

func TestSeed(t *testing.T) {
	ctx := context.Background()
	client := openClient(t)
	tid := newTenant(t, client, "default")
	sum := seed(t, client, tid, testNow)
	t.Log(sum)
	if sum.Skipped {
		t.Fatal("first Seed was skipped")
	}

	counts := []struct {
		name     string
		reported int
		min      int
		count    func(context.Context) (int, error)
	}{
		{"events", sum.Events, 8, client.Event.Query().Where(event.TenantID(tid)).Count},
		{"categories", sum.TicketCategories, 16, client.TicketCategory.Query().Where(ticketcategory.TenantID(tid)).Count},
		{"participants", sum.Participants, 35, client.Participant.Query().Where(participant.TenantID(tid)).Count},
		{"bookings", sum.Bookings, 50, client.Booking.Query().Where(booking.TenantID(tid)).Count},
		{"tickets", sum.Tickets, 60, client.Ticket.Query().Where(ticket.TenantID(tid)).Count},
		{"registrations", sum.Registrations, 60, client.Registration.Query().Where(registration.TenantID(tid)).Count},
		{"payments", sum.Payments, 40, client.Payment.Query().Where(payment.TenantID(tid)).Count},
		{"history", sum.History, 100, client.History.Query().Where(history.TenantID(tid)).Count},
	}
	for _, c := range counts {
		n, err := c.count(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if n != c.reported {
			t.Errorf("%s: Summary says %d, database has %d", c.name, c.reported, n)
		}
		if n < c.min {
			t.Errorf("%s: %d, want at least %d", c.name, n, c.min)
		}
	}
	checkInvariants(t, client, tid, testNow)

	// a second Seed changes nothing
	again, err := Seed(ctx, client, dialect.SQLite, tid, testNow.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if !again.Skipped || again != (Summary{Skipped: true}) {
		t.Fatalf("second Seed = %+v, want skipped", again)
	}
	n, err := client.Booking.Query().Count(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n != sum.Bookings {
		t.Fatalf("second Seed changed the bookings: %d, want %d", n, sum.Bookings)
	}
}

// Several tenants in one database, seeded at different moments (time-zone
// changes, year end, leap day): each one keeps every rule, and nothing
// crosses tenants.
func TestSeedTenantsAndTimes(t *testing.T) {
	client := openClient(t)
	nows := []time.Time{
		time.Date(2026, time.March, 29, 0, 30, 0, 0, time.UTC),            // Berlin switches to summer time
		time.Date(2026, time.November, 1, 6, 59, 59, 999999999, time.UTC), // New York back to standard time
		time.Date(2026, time.December, 31, 23, 59, 0, 0, time.UTC),
		time.Date(2028, time.February, 29, 12, 0, 0, 0, time.UTC),
		time.Date(2026, time.July, 1, 3, 4, 5, 6000, time.FixedZone("JST", 9*3600)),
		time.Now(),
	}
	var first Summary
	for i, now := range nows {
		t.Run(now.Format(time.RFC3339Nano), func(t *testing.T) {
			tid := newTenant(t, client, fmt.Sprintf("tenant-%d", i))
			sum := seed(t, client, tid, now)
			// The story has the same events, people and bookings at any
			// time; how many tickets and check-ins it draws may vary.
			planned := Summary{Events: sum.Events, TicketCategories: sum.TicketCategories, Participants: sum.Participants, Bookings: sum.Bookings}
			if i == 0 {
				first = planned
			} else if planned != first {
				t.Errorf("summary %+v differs from %+v", planned, first)
			}
			checkInvariants(t, client, tid, now.UTC().Truncate(time.Microsecond))
		})
	}
}

func TestSeedDeterministic(t *testing.T) {
	fingerprint := func() []string {
		client := openClient(t)
		tid := newTenant(t, client, "default")
		seed(t, client, tid, testNow)
		bs, err := client.Booking.Query().Where(booking.TenantID(tid)).
			WithBooker().WithTickets(func(q *ent.TicketQuery) { q.WithTicketCategory().Order(ent.Asc(ticket.FieldID)) }).
			Order(ent.Asc(booking.FieldOrderNumber)).All(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, b := range bs {
			s := fmt.Sprintf("%s %s %s %s %d %d %s", b.OrderNumber, b.Status, b.Edges.Booker.Email,
				b.CreatedAt.Format(time.RFC3339Nano), b.Total, b.PaidAmount, b.PaymentStatus)
			for _, tk := range b.Edges.Tickets {
				s += fmt.Sprintf(" [%s %d %s]", tk.Edges.TicketCategory.Name, tk.Price, tk.Status)
			}
			out = append(out, s)
		}
		return out
	}
	a, b := fingerprint(), fingerprint()
	if !slices.Equal(a, b) {
		t.Fatalf("two seeds at the same time differ:\n%s\n---\n%s", strings.Join(a, "\n"), strings.Join(b, "\n"))
	}
}

func TestSeedUnknownTenant(t *testing.T) {
	client := openClient(t)
	if _, err := Seed(context.Background(), client, dialect.SQLite, 12345, testNow); err == nil {
		t.Fatal("Seed into a missing tenant succeeded")
	}
	if n := client.Event.Query().CountX(context.Background()); n != 0 {
		t.Fatalf("%d events written", n)
	}
}

// A seed that fails removes what it wrote, and nothing of other tenants,
// so that the next seed does not skip a half-filled tenant.
func TestDiscard(t *testing.T) {
	ctx := context.Background()
	client := openClient(t)
	other := newTenant(t, client, "other")
	kept := seed(t, client, other, testNow)
	tid := newTenant(t, client, "default")
	before, err := countRows(ctx, client, tid)
	if err != nil {
		t.Fatal(err)
	}
	seed(t, client, tid, testNow)
	if err := discard(ctx, client, tid, before); err != nil {
		t.Fatal(err)
	}
	after, err := countRows(ctx, client, tid)
	if err != nil {
		t.Fatal(err)
	}
	if after != before {
		t.Fatalf("after discarding: %+v, want %+v", after, before)
	}
	others, err := countRows(ctx, client, other)
	if err != nil {
		t.Fatal(err)
	}
	if others.Summary != kept {
		t.Fatalf("the other tenant has %+v, want %+v", others.Summary, kept)
	}
	again := seed(t, client, tid, testNow)
	if again.Skipped || again.Bookings != kept.Bookings {
		t.Fatalf("seeding after discarding: %+v", again)
	}
	checkInvariants(t, client, tid, testNow)
}

// checkInvariants checks the rules of docs/domain-rules.md on the seeded tenant.
func checkInvariants(t *testing.T, client *ent.Client, tid int, now time.Time) {
	t.Helper()
	ctx := context.Background()
	events := client.Event.Query().Where(event.TenantID(tid)).AllX(ctx)
	cats := client.TicketCategory.Query().Where(ticketcategory.TenantID(tid)).AllX(ctx)
	people := client.Participant.Query().Where(participant.TenantID(tid)).AllX(ctx)
	bookings := client.Booking.Query().Where(booking.TenantID(tid)).WithEvents().AllX(ctx)
	tickets := client.Ticket.Query().Where(ticket.TenantID(tid)).AllX(ctx)
	regs := client.Registration.Query().Where(registration.TenantID(tid)).AllX(ctx)
	pays := client.Payment.Query().Where(payment.TenantID(tid)).AllX(ctx)
	hist := client.History.Query().Where(history.TenantID(tid)).AllX(ctx)

	eventByID := map[int]*ent.Event{}
	for _, e := range events {
		eventByID[e.ID] = e
	}
	catByID := map[int]*ent.TicketCategory{}
	for _, c := range cats {
		catByID[c.ID] = c
		if eventByID[c.EventID] == nil {
			t.Errorf("category %d belongs to another tenant's event", c.ID)
		}
	}
	personByID := map[int]*ent.Participant{}
	emails := map[string]bool{}
	for _, p := range people {
		personByID[p.ID] = p
		if p.Email != strings.ToLower(p.Email) || emails[p.Email] {
			t.Errorf("e-mail %q is not lower case or not unique", p.Email)
		}
		emails[p.Email] = true
	}
	regByID := map[int]*ent.Registration{}
	for _, r := range regs {
		regByID[r.ID] = r
		if eventByID[r.EventID] == nil || personByID[r.ParticipantID] == nil {
			t.Errorf("registration %d crosses tenants", r.ID)
		}
	}
	bookingByID := map[int]*ent.Booking{}
	for _, b := range bookings {
		bookingByID[b.ID] = b
	}

	// the data set has a bit of everything
	statuses := map[string]int{}
	for _, e := range events {
		statuses["event "+string(e.Status)]++
		statuses["zone "+e.TimeZone]++
		statuses["currency "+e.Currency]++
		if e.Capacity == nil {
			statuses["unlimited"]++
		}
		if e.StartsAt.Before(now) {
			statuses["past"]++
		}
	}
	for _, b := range bookings {
		statuses["booking "+string(b.Status)]++
		statuses["payment "+string(b.PaymentStatus)]++
		statuses["method "+string(b.PaymentMethod)]++
		if len(b.Edges.Events) > 1 {
			statuses["multi-event"]++
		}
	}
	for _, p := range pays {
		statuses[string(p.Kind)+" "+string(p.Status)]++
	}
	ticketless := 0
	for _, r := range regs {
		statuses["registration "+string(r.Status)]++
	}
	for _, tk := range tickets {
		if tk.CheckedInAt != nil {
			statuses["checked in"]++
		}
	}
	for _, want := range []string{
		"event PUBLISHED", "event DRAFT", "event CANCELLED", "past", "unlimited",
		"zone Europe/Berlin", "zone America/New_York", "zone Asia/Tokyo",
		"currency EUR", "currency USD", "currency JPY",
		"booking CONFIRMED", "booking PENDING", "booking WAITLISTED", "booking CANCELLED", "booking EXPIRED",
		"payment UNPAID", "payment PARTIALLY_PAID", "payment PAID", "payment PARTIALLY_REFUNDED", "payment REFUNDED",
		"method CARD", "method INVOICE", "method FREE", "multi-event",
		"PAYMENT SUCCEEDED", "PAYMENT FAILED", "REFUND SUCCEEDED",
		"registration PENDING", "registration ACCEPTED", "registration WAITLISTED", "registration CANCELLED",
		"checked in",
	} {
		if statuses[want] == 0 {
			t.Errorf("no %s in the demo data", want)
		}
	}

	// rule 1: capacity per event and category, and the stored counters
	held := map[int]int{}
	waiting := map[int][]int{}
	for _, r := range regs {
		switch r.Status {
		case domain.RegistrationStatusPending, domain.RegistrationStatusAccepted:
			held[r.EventID]++
		case domain.RegistrationStatusWaitlisted:
			if r.WaitlistPosition == nil {
				t.Errorf("waitlisted registration %d has no position", r.ID)
			} else {
				waiting[r.EventID] = append(waiting[r.EventID], *r.WaitlistPosition)
			}
		default:
			if r.WaitlistPosition != nil {
				t.Errorf("registration %d (%s) has a waitlist position", r.ID, r.Status)
			}
		}
	}
	active := map[int]int{}
	checkedIn := map[int]int{}
	for _, tk := range tickets {
		if tk.Status == domain.TicketStatusActive {
			active[tk.TicketCategoryID]++
		}
		if tk.CheckedInAt != nil {
			checkedIn[tk.EventID]++
		}
	}
	fullWithWaitlist := false
	for _, e := range events {
		if e.Capacity != nil && held[e.ID] > *e.Capacity {
			t.Errorf("%s: %d seats held, capacity %d", e.Title, held[e.ID], *e.Capacity)
		}
		if e.RegisteredCount != held[e.ID] || e.WaitlistCount != len(waiting[e.ID]) || e.CheckedInCount != checkedIn[e.ID] {
			t.Errorf("%s: counters %d/%d/%d, rows say %d/%d/%d", e.Title, e.RegisteredCount, e.WaitlistCount,
				e.CheckedInCount, held[e.ID], len(waiting[e.ID]), checkedIn[e.ID])
		}
		pos := slices.Sorted(slices.Values(waiting[e.ID]))
		for i, p := range pos {
			if p != i+1 {
				t.Errorf("%s: waitlist positions %v, want 1..%d", e.Title, pos, len(pos))
				break
			}
		}
		if len(pos) > 0 {
			if !e.WaitlistEnabled || e.Capacity == nil || held[e.ID] != *e.Capacity {
				t.Errorf("%s: waitlist without being full or without waitlist enabled", e.Title)
			}
			fullWithWaitlist = true
		}
		if e.Status == domain.EventStatusCancelled && (e.CancelledAt == nil || e.CancellationReason == nil) {
			t.Errorf("%s: cancelled without time or reason", e.Title)
		}
		if e.Status == domain.EventStatusCancelled && held[e.ID] > 0 {
			t.Errorf("%s: cancelled but %d seats held", e.Title, held[e.ID])
		}
	}
	if !fullWithWaitlist {
		t.Error("no full event with a waitlist")
	}
	for _, c := range cats {
		if c.Capacity != nil && active[c.ID] > *c.Capacity {
			t.Errorf("category %s of %s: %d active tickets, capacity %d", c.Name, eventByID[c.EventID].Title, active[c.ID], *c.Capacity)
		}
		if c.SoldCount != active[c.ID] {
			t.Errorf("category %s: sold_count %d, active tickets %d", c.Name, c.SoldCount, active[c.ID])
		}
		if c.Currency != eventByID[c.EventID].Currency {
			t.Errorf("category %s: currency %s, event %s", c.Name, c.Currency, eventByID[c.EventID].Currency)
		}
	}

	// every ticket has its own registration, following the booking
	type sums struct{ net, tax, gross int64 }
	byBooking := map[int]*sums{}
	ticketEvents := map[int]map[int]bool{}
	codes := map[string]bool{}
	regOfTicket := map[int]bool{}
	for _, tk := range tickets {
		b := bookingByID[tk.BookingID]
		c := catByID[tk.TicketCategoryID]
		e := eventByID[tk.EventID]
		if b == nil || c == nil || e == nil || personByID[tk.HolderID] == nil {
			t.Fatalf("ticket %d refers to rows outside the tenant", tk.ID)
		}
		if c.EventID != e.ID {
			t.Errorf("ticket %d: category of another event", tk.ID)
		}
		if tk.RegistrationID == nil {
			t.Errorf("ticket %d has no registration", tk.ID)
			continue
		}
		r := regByID[*tk.RegistrationID]
		if r == nil || regOfTicket[r.ID] {
			t.Errorf("ticket %d: registration missing or shared", tk.ID)
			continue
		}
		regOfTicket[r.ID] = true
		if r.EventID != tk.EventID || r.ParticipantID != tk.HolderID {
			t.Errorf("ticket %d: registration for another event or person", tk.ID)
		}
		wantReg := map[domain.TicketStatus]domain.RegistrationStatus{
			domain.TicketStatusWaitlisted: domain.RegistrationStatusWaitlisted,
			domain.TicketStatusCancelled:  domain.RegistrationStatusCancelled,
		}[tk.Status]
		allowed := []domain.TicketStatus{}
		switch b.Status {
		case domain.BookingStatusConfirmed:
			// a partly cancelled booking keeps its status
			allowed = []domain.TicketStatus{domain.TicketStatusActive, domain.TicketStatusCancelled}
			if tk.Status == domain.TicketStatusActive {
				wantReg = domain.RegistrationStatusAccepted
			}
		case domain.BookingStatusPending:
			allowed = []domain.TicketStatus{domain.TicketStatusActive}
			wantReg = domain.RegistrationStatusPending
		case domain.BookingStatusWaitlisted:
			allowed = []domain.TicketStatus{domain.TicketStatusWaitlisted}
		case domain.BookingStatusCancelled, domain.BookingStatusExpired:
			allowed = []domain.TicketStatus{domain.TicketStatusCancelled}
		}
		if !slices.Contains(allowed, tk.Status) || r.Status != wantReg {
			t.Errorf("%s (%s): ticket %s with registration %s", b.OrderNumber, b.Status, tk.Status, r.Status)
		}
		if tk.CheckedInAt != nil && (tk.Status != domain.TicketStatusActive || b.Status != domain.BookingStatusConfirmed || tk.CheckedInAt.After(now)) {
			t.Errorf("ticket %d checked in while %s/%s", tk.ID, tk.Status, b.Status)
		}
		if !codePattern.MatchString(tk.Code) || codes[tk.Code] {
			t.Errorf("ticket %d: bad or duplicate code %q", tk.ID, tk.Code)
		}
		codes[tk.Code] = true
		net, tax := splitGross(c.Price, c.TaxRatePercent)
		if tk.Price != c.Price || tk.NetPrice != net || tk.TaxAmount != tax {
			t.Errorf("ticket %d: price %d/%d/%d, category says %d/%d/%d", tk.ID, tk.Price, tk.NetPrice, tk.TaxAmount, c.Price, net, tax)
		}
		if tk.Currency != e.Currency || b.Currency != e.Currency {
			t.Errorf("ticket %d: currency %s, booking %s, event %s", tk.ID, tk.Currency, b.Currency, e.Currency)
		}
		s := byBooking[b.ID]
		if s == nil {
			s = &sums{}
			byBooking[b.ID] = s
		}
		s.net += tk.NetPrice
		s.tax += tk.TaxAmount
		s.gross += tk.Price
		if ticketEvents[b.ID] == nil {
			ticketEvents[b.ID] = map[int]bool{}
		}
		ticketEvents[b.ID][tk.EventID] = true
	}
	for _, r := range regs {
		if !regOfTicket[r.ID] {
			ticketless++
			if e := eventByID[r.EventID]; e.Status != domain.EventStatusPublished {
				t.Errorf("ticketless registration on %s event %s", e.Status, e.Title)
			}
		}
	}
	if ticketless == 0 {
		t.Error("no registrations without tickets")
	}

	// bookings: totals, payments, numbers, times
	paid := map[int]int64{}
	refunded := map[int]int64{}
	for _, p := range pays {
		b := bookingByID[p.BookingID]
		if b == nil {
			t.Fatalf("payment %d of another tenant's booking", p.ID)
		}
		if p.Currency != b.Currency || p.Amount <= 0 {
			t.Errorf("payment %d: %d %s on a %s booking", p.ID, p.Amount, p.Currency, b.Currency)
		}
		if (p.Status == domain.PaymentRecordStatusSucceeded) != (p.PaidAt != nil) {
			t.Errorf("payment %d: %s with paid_at %v", p.ID, p.Status, p.PaidAt)
		}
		if p.Status != domain.PaymentRecordStatusSucceeded {
			continue
		}
		if p.Kind == domain.PaymentKindRefund {
			refunded[b.ID] += p.Amount
		} else {
			paid[b.ID] += p.Amount
			if p.Method == domain.PaymentMethodCard && (p.ProviderReference == nil || !strings.HasPrefix(*p.ProviderReference, "pi_")) {
				t.Errorf("card payment %d without a pi_ reference", p.ID)
			}
		}
	}
	cancelled := 0
	orderNumbers := map[string]bool{}
	invoiceNumbers := map[string]bool{}
	sorted := slices.Clone(bookings)
	slices.SortFunc(sorted, func(a, b *ent.Booking) int { return strings.Compare(a.OrderNumber, b.OrderNumber) })
	for i, b := range sorted {
		if want := fmt.Sprintf("BK-%06d", i+1); b.OrderNumber != want {
			t.Errorf("order number %s, want %s", b.OrderNumber, want)
		}
		if i > 0 && b.CreatedAt.Before(sorted[i-1].CreatedAt) {
			t.Errorf("%s was made before %s", b.OrderNumber, sorted[i-1].OrderNumber)
		}
		if orderNumbers[b.OrderNumber] {
			t.Errorf("duplicate order number %s", b.OrderNumber)
		}
		orderNumbers[b.OrderNumber] = true
		if b.InvoiceNumber != nil {
			if invoiceNumbers[*b.InvoiceNumber] || b.PaymentMethod != domain.PaymentMethodInvoice {
				t.Errorf("%s: duplicate or misplaced invoice number %s", b.OrderNumber, *b.InvoiceNumber)
			}
			invoiceNumbers[*b.InvoiceNumber] = true
		}
		s := byBooking[b.ID]
		if s == nil {
			t.Errorf("%s has no tickets", b.OrderNumber)
			continue
		}
		if b.Subtotal != s.net || b.TaxTotal != s.tax || b.Total != s.gross {
			t.Errorf("%s: totals %d/%d/%d, tickets sum to %d/%d/%d", b.OrderNumber, b.Subtotal, b.TaxTotal, b.Total, s.net, s.tax, s.gross)
		}
		if b.PaidAmount != paid[b.ID] || b.RefundedAmount != refunded[b.ID] {
			t.Errorf("%s: paid %d refunded %d, payments say %d and %d", b.OrderNumber, b.PaidAmount, b.RefundedAmount, paid[b.ID], refunded[b.ID])
		}
		if b.RefundedAmount > b.PaidAmount || b.PaidAmount > b.Total {
			t.Errorf("%s: paid %d, refunded %d of %d", b.OrderNumber, b.PaidAmount, b.RefundedAmount, b.Total)
		}
		if want := paymentStatusFor(b.Total, b.PaidAmount, b.RefundedAmount); b.PaymentStatus != want {
			t.Errorf("%s: payment status %s, want %s", b.OrderNumber, b.PaymentStatus, want)
		}
		if (b.PaymentMethod == domain.PaymentMethodFree) != (b.Total == 0) {
			t.Errorf("%s: method %s with total %d", b.OrderNumber, b.PaymentMethod, b.Total)
		}
		linked := map[int]bool{}
		for _, e := range b.Edges.Events {
			linked[e.ID] = true
		}
		if !maps.Equal(linked, ticketEvents[b.ID]) {
			t.Errorf("%s: linked to events %v, tickets on %v", b.OrderNumber, linked, ticketEvents[b.ID])
		}
		switch b.Status {
		case domain.BookingStatusPending:
			if b.HoldExpiresAt == nil || !b.HoldExpiresAt.After(now) || b.HoldExpiresAt.After(now.Add(15*time.Minute)) {
				t.Errorf("%s: pending without a running hold: %v", b.OrderNumber, b.HoldExpiresAt)
			}
		case domain.BookingStatusExpired:
			if b.HoldExpiresAt != nil || b.ConfirmedAt != nil || b.PaidAmount != 0 {
				t.Errorf("%s: expired with hold %v, confirmed %v and paid %d", b.OrderNumber, b.HoldExpiresAt, b.ConfirmedAt, b.PaidAmount)
			}
		case domain.BookingStatusConfirmed:
			if b.ConfirmedAt == nil || b.ConfirmedAt.Before(b.CreatedAt) || b.ConfirmedAt.After(now) {
				t.Errorf("%s: confirmed at %v", b.OrderNumber, b.ConfirmedAt)
			}
		case domain.BookingStatusCancelled:
			if b.CancelledAt == nil || b.CancellationReason == nil || b.CancelledAt.After(now) || b.CancelledAt.Before(b.CreatedAt) {
				t.Errorf("%s: cancelled without a time or reason", b.OrderNumber)
				continue
			}
			// rule 5: the refund follows the policy copied onto the
			// booking, or is everything paid when the event was cancelled
			var start time.Time
			eventCancelled := false
			for _, e := range b.Edges.Events {
				if start.IsZero() || e.StartsAt.Before(start) {
					start = e.StartsAt
				}
				eventCancelled = eventCancelled || e.Status == domain.EventStatusCancelled
			}
			kept := int64(0)
			if !eventCancelled {
				kept, _ = cancellationKept(&b.CancellationPolicy, b.PaidAmount, start.Sub(*b.CancelledAt))
			}
			if b.RefundedAmount != b.PaidAmount-kept {
				t.Errorf("%s: cancelled %s before the start, paid %d, refunded %d, want %d", b.OrderNumber,
					start.Sub(*b.CancelledAt), b.PaidAmount, b.RefundedAmount, b.PaidAmount-kept)
			}
			cancelled++
		}
	}

	if cancelled == 0 {
		t.Error("no cancelled bookings")
	}

	// history mirrors tickets, check-ins and payments
	type key struct {
		kind    domain.HistoryKind
		booking int
	}
	got := map[key]int64{}
	for _, h := range hist {
		if h.BookingID == nil || h.EventID == nil || eventByID[*h.EventID] == nil {
			t.Errorf("history %d without booking or event", h.ID)
			continue
		}
		switch h.Kind {
		case domain.HistoryPaymentSucceeded, domain.HistoryRefundSucceeded:
			got[key{h.Kind, *h.BookingID}] += h.Amount
		default:
			got[key{h.Kind, *h.BookingID}] += int64(h.Quantity)
		}
		if h.OccurredAt.After(now) {
			t.Errorf("history %d happens in the future", h.ID)
		}
	}
	want := map[key]int64{}
	for _, tk := range tickets {
		b := bookingByID[tk.BookingID]
		if tk.Status != domain.TicketStatusWaitlisted {
			want[key{domain.HistoryTicketBooked, b.ID}]++
		}
		if tk.Status == domain.TicketStatusCancelled {
			want[key{domain.HistoryTicketCancelled, b.ID}]++
		}
		if tk.CheckedInAt != nil {
			want[key{domain.HistoryCheckedIn, b.ID}]++
		}
	}
	for id, v := range paid {
		want[key{domain.HistoryPaymentSucceeded, id}] += v
	}
	for id, v := range refunded {
		want[key{domain.HistoryRefundSucceeded, id}] += v
	}
	for k, v := range want {
		if v == 0 {
			delete(want, k)
		}
	}
	if !maps.Equal(got, want) {
		t.Errorf("history does not match the rows:\n got %v\nwant %v", got, want)
	}

	// times: the booking engine's clock stamps what happened in the two
	// months before now; the catalog, and every later change of a row, the
	// real clock.
	wall := time.Now()
	checkTime := func(what string, ts time.Time) {
		if !ts.Equal(ts.Truncate(time.Microsecond)) {
			t.Errorf("%s %s is not truncated to microseconds", what, ts)
		}
		if ts.After(now) || ts.Before(now.Add(-65*24*time.Hour)) {
			t.Errorf("%s %s is outside the last 65 days before %s", what, ts, now)
		}
	}
	checkWall := func(what string, ts time.Time) {
		if ts.After(wall) || ts.Before(wall.Add(-time.Hour)) {
			t.Errorf("%s %s was not stamped by the real clock (%s)", what, ts, wall)
		}
	}
	for _, e := range events {
		checkWall("event created_at", e.CreatedAt)
		if e.RegistrationOpensAt == nil || e.RegistrationClosesAt == nil || !e.RegistrationClosesAt.Before(e.StartsAt) {
			t.Errorf("%s: registration window %v..%v", e.Title, e.RegistrationOpensAt, e.RegistrationClosesAt)
		} else if e.RegistrationOpensAt.After(now) || e.RegistrationOpensAt.Before(now.Add(-65*24*time.Hour)) {
			t.Errorf("%s: registration opens at %s", e.Title, e.RegistrationOpensAt)
		}
	}
	for _, c := range cats {
		checkWall("category created_at", c.CreatedAt)
	}
	for _, p := range people {
		checkWall("participant created_at", p.CreatedAt)
	}
	for _, b := range bookings {
		checkTime("booking created_at", b.CreatedAt)
		// changed later by the real clock, or never
		if (b.UpdatedAt.After(wall) && !b.UpdatedAt.Equal(b.CreatedAt)) || (!now.After(wall) && b.UpdatedAt.Before(b.CreatedAt)) {
			t.Errorf("%s: updated_at %s, created_at %s", b.OrderNumber, b.UpdatedAt, b.CreatedAt)
		}
		if b.Status != domain.BookingStatusPending && b.Status != domain.BookingStatusWaitlisted {
			for _, e := range b.Edges.Events {
				if b.CreatedAt.Before(*e.RegistrationOpensAt) || b.CreatedAt.After(*e.RegistrationClosesAt) {
					t.Errorf("%s made outside the registration window of %s", b.OrderNumber, e.Title)
				}
			}
		}
	}
	for _, tk := range tickets {
		checkTime("ticket created_at", tk.CreatedAt)
		if tk.CheckedInAt != nil {
			checkTime("ticket checked_in_at", *tk.CheckedInAt)
			if e := eventByID[tk.EventID]; !e.StartsAt.After(now) && tk.CheckedInAt.Before(e.StartsAt.Add(-time.Hour)) {
				t.Errorf("ticket %d checked in at %s, the event starts at %s", tk.ID, tk.CheckedInAt, e.StartsAt)
			}
		}
	}
	for _, r := range regs {
		checkTime("registration created_at", r.CreatedAt)
	}
	for _, p := range pays {
		checkTime("payment created_at", p.CreatedAt)
		if p.PaidAt != nil {
			checkTime("payment paid_at", *p.PaidAt)
		}
	}
	for _, h := range hist {
		checkTime("history occurred_at", h.OccurredAt)
	}
}
