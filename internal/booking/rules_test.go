package booking_test

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"sync"
	"testing"
	"time"

	"seatgraph/ent"
	"seatgraph/ent/history"
	"seatgraph/ent/payment"
	"seatgraph/ent/registration"
	"seatgraph/internal/auth"
	engine "seatgraph/internal/booking"
	"seatgraph/internal/catalog"
	"seatgraph/internal/config"
	"seatgraph/internal/domain"
)

// ---------------------------------------------------------------------------
// Rule 1: capacity is exact, under any concurrency, across processes.

func TestRule1CapacityNeverOversold(t *testing.T) {
	const seats, racers = 50, 200
	eachDB(t, func(t *testing.T, r *rig) {
		ev, cats := r.event(eventSpec{capacity: ip(seats)})
		other := r.secondProcess()
		var (
			wg              sync.WaitGroup
			mu              sync.Mutex
			booked, soldOut int
			unexpected      []error
			start           = make(chan struct{})
			engines         = []*engine.Engine{r.eng, other}
			inputs          = make([]engine.CreateBookingInput, racers)
		)
		for i := range inputs {
			inputs[i] = r.input(domain.PaymentMethodInvoice, cats[0])
		}
		for i := 0; i < racers; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				<-start
				_, err := engines[i%2].CreateBooking(r.ctx, inputs[i])
				var so *domain.SoldOutError
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					booked++
				case errors.As(err, &so):
					soldOut++
				default:
					unexpected = append(unexpected, err)
				}
			}(i)
		}
		close(start)
		wg.Wait()
		for _, err := range unexpected[:min(3, len(unexpected))] {
			t.Errorf("unexpected error: %v", err)
		}
		if booked != seats || soldOut != racers-seats {
			t.Errorf("%d booked, %d sold out; want %d and %d", booked, soldOut, seats, racers-seats)
		}
		if held := r.checkSeats(ev.ID); held != seats {
			t.Errorf("%d seats held, want %d", held, seats)
		}
	})
}

func TestRule1CategoryQuotaNeverOversold(t *testing.T) {
	const quota, racers = 8, 40
	eachDB(t, func(t *testing.T, r *rig) {
		ev, cats := r.event(eventSpec{categories: []*catalog.TicketCategoryInput{
			{Name: "Standard", Price: dec(t, "20.00"), Capacity: ip(quota)},
			{Name: "Student", Price: dec(t, "10.00")},
		}})
		var wg sync.WaitGroup
		var booked, soldOut, other atomic32
		for i := 0; i < racers; i++ {
			in := r.input(domain.PaymentMethodCard, cats[0])
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := r.eng.CreateBooking(r.ctx, in)
				var so *domain.SoldOutError
				switch {
				case err == nil:
					booked.add()
				case errors.As(err, &so):
					soldOut.add()
				default:
					other.add()
					t.Errorf("unexpected error: %v", err)
				}
			}()
		}
		wg.Wait()
		if booked.n != quota || soldOut.n != racers-quota || other.n != 0 {
			t.Errorf("%d booked, %d sold out, %d other; want %d, %d, 0", booked.n, soldOut.n, other.n, quota, racers-quota)
		}
		// The other category still sells: the quota is the category's.
		r.book(r.input(domain.PaymentMethodInvoice, cats[1]))
		r.checkSeats(ev.ID)
	})
}

type atomic32 struct {
	mu sync.Mutex
	n  int
}

func (a *atomic32) add() { a.mu.Lock(); a.n++; a.mu.Unlock() }

func TestRule1SoldOutTellsWhatIsLeft(t *testing.T) {
	eachDB(t, func(t *testing.T, r *rig) {
		ev, cats := r.event(eventSpec{capacity: ip(3)})
		r.book(r.input(domain.PaymentMethodInvoice, cats[0], cats[0]))
		before := r.rows()
		_, err := r.eng.CreateBooking(r.ctx, r.input(domain.PaymentMethodInvoice, cats[0], cats[0]))
		so := wantErr[*domain.SoldOutError](t, err)
		if so.EventID != ev.ID || so.AvailableSeats == nil || *so.AvailableSeats != 1 || so.WaitlistAvailable {
			t.Errorf("SoldOutError %+v, want event %d, 1 seat left, no waitlist", so, ev.ID)
		}
		if after := r.rows(); after != before {
			t.Errorf("a sold-out request wrote rows: %+v -> %+v", before, after)
		}
	})
}

// ---------------------------------------------------------------------------
// Rule 2: the booking lifecycle.

func TestRule2BookingLifecycle(t *testing.T) {
	eachDB(t, func(t *testing.T, r *rig) {
		_, paid := r.event(eventSpec{})
		_, free := r.event(eventSpec{categories: []*catalog.TicketCategoryInput{{Name: "Free", Price: dec(t, "0")}}})
		tests := []struct {
			name   string
			method domain.PaymentMethod
			cat    int
			status domain.BookingStatus
			reg    domain.RegistrationStatus
			hold   bool
		}{
			{"a free booking is confirmed at once", domain.PaymentMethodFree, free[0], domain.BookingStatusConfirmed, domain.RegistrationStatusAccepted, false},
			{"an invoice booking is confirmed at once", domain.PaymentMethodInvoice, paid[0], domain.BookingStatusConfirmed, domain.RegistrationStatusAccepted, false},
			{"a card booking is pending and holds its seats", domain.PaymentMethodCard, paid[0], domain.BookingStatusPending, domain.RegistrationStatusPending, true},
			{"a bank transfer booking is pending", domain.PaymentMethodBankTransfer, paid[0], domain.BookingStatusPending, domain.RegistrationStatusPending, true},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				b := r.book(r.input(tt.method, tt.cat))
				r.expect(b, tt.status, domain.TicketStatusActive, tt.reg)
				switch {
				case tt.hold && (b.HoldExpiresAt == nil || !b.HoldExpiresAt.Equal(b.CreatedAt.Add(config.DefaultHold))):
					t.Errorf("holdExpiresAt %v, want createdAt + %s", b.HoldExpiresAt, config.DefaultHold)
				case !tt.hold && (b.HoldExpiresAt != nil || b.ConfirmedAt == nil):
					t.Errorf("holdExpiresAt %v confirmedAt %v, want none and set", b.HoldExpiresAt, b.ConfirmedAt)
				}
			})
		}
		t.Run("FREE is only for a total of zero", func(t *testing.T) {
			before := r.rows()
			_, err := r.eng.CreateBooking(r.ctx, r.input(domain.PaymentMethodFree, paid[0]))
			wantInvalid(t, err, "paymentMethod")
			if after := r.rows(); after != before {
				t.Errorf("a refused booking wrote rows: %+v -> %+v", before, after)
			}
		})
		t.Run("a succeeded payment that covers the total confirms", func(t *testing.T) {
			b := r.book(r.input(domain.PaymentMethodCard, paid[0], paid[0]))
			if got := r.pay(b, "30.00"); got.Status != domain.BookingStatusPending || got.PaymentStatus != domain.PaymentStatusPartiallyPaid {
				t.Errorf("after 30.00 of 40.00: %s %s, want PENDING PARTIALLY_PAID", got.Status, got.PaymentStatus)
			}
			got := r.pay(b, "10.00")
			if got.Status != domain.BookingStatusConfirmed || got.HoldExpiresAt != nil || got.PaymentStatus != domain.PaymentStatusPaid {
				t.Errorf("after 40.00 of 40.00: %s hold %v %s, want CONFIRMED, none, PAID", got.Status, got.HoldExpiresAt, got.PaymentStatus)
			}
			r.expect(b, domain.BookingStatusConfirmed, domain.TicketStatusActive, domain.RegistrationStatusAccepted)
		})
	})
}

func TestRule2RegistrationClosed(t *testing.T) {
	eachDB(t, func(t *testing.T, r *rig) {
		now := r.clock.Now()
		tests := []struct {
			name string
			spec eventSpec
		}{
			{"an unpublished event", eventSpec{unpublished: true}},
			{"before registration opens", eventSpec{modify: func(in *catalog.CreateEventInput) {
				opens := now.Add(24 * time.Hour)
				in.RegistrationOpensAt = &opens
			}}},
			{"after registration closed", eventSpec{modify: func(in *catalog.CreateEventInput) {
				closes := now.Add(time.Hour)
				in.RegistrationClosesAt = &closes
			}}},
			{"a category off sale", eventSpec{categories: []*catalog.TicketCategoryInput{{Name: "Early", Price: dec(t, "5"),
				SalesEndAt: func() *time.Time { e := now.Add(time.Hour); return &e }()}}}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, cats := r.event(tt.spec)
				r.clock.Advance(2 * time.Hour)
				defer r.clock.Advance(-2 * time.Hour)
				before := r.rows()
				_, err := r.eng.CreateBooking(r.ctx, r.input(domain.PaymentMethodInvoice, cats[0]))
				wantErr[*domain.RegistrationClosedError](t, err)
				_, err = r.eng.CreateRegistration(r.ctx, engine.CreateRegistrationInput{EventID: eventOf(t, r, cats[0]),
					Participant: catalog.ParticipantInput{FirstName: "A", LastName: "B", Email: "closed@example.com"}})
				if tt.name != "a category off sale" {
					wantErr[*domain.RegistrationClosedError](t, err)
				}
				if after := r.rows(); tt.name != "a category off sale" && after != before {
					t.Errorf("a refused request wrote rows: %+v -> %+v", before, after)
				}
			})
		}
	})
}

func eventOf(t *testing.T, r *rig, catID int) int {
	t.Helper()
	tc, err := r.client.TicketCategory.Get(r.ctx, catID)
	if err != nil {
		t.Fatal(err)
	}
	return tc.EventID
}

// The hold: a PENDING booking whose hold ran out is EXPIRED and its seats
// are free, to every reader, before any sweeper has run.
func TestRule2HoldExpiry(t *testing.T) {
	eachDB(t, func(t *testing.T, r *rig) {
		t.Run("reads see the hold released before the sweeper runs", func(t *testing.T) {
			ev, cats := r.event(eventSpec{capacity: ip(3)})
			confirmed := r.book(r.input(domain.PaymentMethodInvoice, cats[0]))
			b := r.book(r.input(domain.PaymentMethodCard, cats[0], cats[0]))
			r.clock.Advance(config.DefaultHold - time.Minute)
			r.expect(b, domain.BookingStatusPending, domain.TicketStatusActive, domain.RegistrationStatusPending)
			if got := r.eventRow(ev.ID).RegisteredCount; got != 3 {
				t.Errorf("registeredCount %d before the hold ran out, want 3", got)
			}
			r.clock.Advance(2 * time.Minute)
			if got := r.eventRow(ev.ID).RegisteredCount; got != 1 {
				t.Errorf("registeredCount %d after the hold ran out, want 1", got)
			}
			if seats := catalog.AvailableSeats(r.eventRow(ev.ID)); seats == nil || *seats != 2 {
				t.Errorf("availableSeats %v after the hold ran out, want 2", seats)
			}
			r.expect(b, domain.BookingStatusExpired, domain.TicketStatusCancelled, domain.RegistrationStatusCancelled)
			if got := r.reload(b); got.HoldExpiresAt != nil {
				t.Errorf("an expired booking still holds until %v", got.HoldExpiresAt)
			}
			r.expect(confirmed, domain.BookingStatusConfirmed, domain.TicketStatusActive, domain.RegistrationStatusAccepted)
			r.checkSeats(ev.ID)
			q, err := r.eng.Quote(r.ctx, b.ID, nil)
			if err != nil || q.Cancellable {
				t.Errorf("quote of an expired booking: %+v, %v; want not cancellable", q, err)
			}
			_, _, err = r.eng.CancelBooking(r.ctx, engine.CancelBookingInput{ID: b.ID})
			wantErr[*domain.InvalidStateError](t, err)
		})
		t.Run("a payment after the hold ran out does not confirm", func(t *testing.T) {
			_, cats := r.event(eventSpec{capacity: ip(1)})
			b := r.book(r.input(domain.PaymentMethodCard, cats[0]))
			r.clock.Advance(config.DefaultHold + time.Minute)
			_, _, err := r.eng.RecordPayment(r.ctx, engine.RecordPaymentInput{BookingID: b.ID, Amount: dec(t, "20.00"), Method: domain.PaymentMethodCard})
			wantErr[*domain.InvalidStateError](t, err)
			r.expect(b, domain.BookingStatusExpired, domain.TicketStatusCancelled, domain.RegistrationStatusCancelled)
		})
	})
	// The writes and the sweeper expire holds without any read.
	t.Run("without the check on read", func(t *testing.T) { testHoldExpiryWithoutReads(t) })
}

func testHoldExpiryWithoutReads(t *testing.T) {
	eachDBWith(t, engine.Options{ManualExpiry: true}, func(t *testing.T, r *rig) {
		t.Run("a new booking takes the seats of a hold that ran out", func(t *testing.T) {
			ev, cats := r.event(eventSpec{capacity: ip(2)})
			b := r.book(r.input(domain.PaymentMethodCard, cats[0], cats[0]))
			_, err := r.eng.CreateBooking(r.ctx, r.input(domain.PaymentMethodInvoice, cats[0]))
			wantErr[*domain.SoldOutError](t, err)
			r.clock.Advance(config.DefaultHold + time.Minute)
			nb := r.book(r.input(domain.PaymentMethodInvoice, cats[0], cats[0]))
			r.expect(nb, domain.BookingStatusConfirmed, domain.TicketStatusActive, domain.RegistrationStatusAccepted)
			r.expect(b, domain.BookingStatusExpired, domain.TicketStatusCancelled, domain.RegistrationStatusCancelled)
			r.checkSeats(ev.ID)
		})
		t.Run("the sweeper expires holds nobody reads", func(t *testing.T) {
			ev, cats := r.event(eventSpec{capacity: ip(2)})
			b := r.book(r.input(domain.PaymentMethodCard, cats[0]))
			r.clock.Advance(config.DefaultHold + time.Minute)
			if got := r.reload(b); got.Status != domain.BookingStatusPending {
				t.Fatalf("with manual expiry a read changed the booking to %s", got.Status)
			}
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan struct{})
			go func() { r.eng.RunSweeper(ctx, 10*time.Millisecond, nil); close(done) }()
			deadline := time.Now().Add(10 * time.Second)
			for r.reload(b).Status == domain.BookingStatusPending && time.Now().Before(deadline) {
				time.Sleep(10 * time.Millisecond)
			}
			cancel()
			<-done
			r.expect(b, domain.BookingStatusExpired, domain.TicketStatusCancelled, domain.RegistrationStatusCancelled)
			if held := r.checkSeats(ev.ID); held != 0 {
				t.Errorf("%d seats held after the sweep, want 0", held)
			}
		})
	})
}

// ---------------------------------------------------------------------------
// Rule 3: the waitlist, first in, first out.

func TestRule3WaitlistFirstInFirstOut(t *testing.T) {
	eachDB(t, func(t *testing.T, r *rig) {
		t.Run("full with joinWaitlist waits, all or nothing", func(t *testing.T) {
			ev, cats := r.event(eventSpec{capacity: ip(2), waitlist: true})
			r.book(r.input(domain.PaymentMethodInvoice, cats[0]))
			w := r.waitlisted(domain.PaymentMethodInvoice, cats[0], cats[0])
			r.expect(w, domain.BookingStatusWaitlisted, domain.TicketStatusWaitlisted, domain.RegistrationStatusWaitlisted)
			_, err := r.eng.CreateBooking(r.ctx, r.input(domain.PaymentMethodInvoice, cats[0]))
			so := wantErr[*domain.SoldOutError](t, err)
			if !so.WaitlistAvailable {
				t.Errorf("SoldOutError says no waitlist")
			}
			r.checkSeats(ev.ID)
		})
		t.Run("freed seats go to the queue in order; a big booking is not overtaken", func(t *testing.T) {
			ev, cats := r.event(eventSpec{capacity: ip(2), waitlist: true})
			a := r.book(r.input(domain.PaymentMethodInvoice, cats[0]))
			x := r.book(r.input(domain.PaymentMethodInvoice, cats[0]))
			big := r.waitlisted(domain.PaymentMethodInvoice, cats[0], cats[0])
			small := r.waitlisted(domain.PaymentMethodCard, cats[0])
			if _, _, err := r.eng.CancelBooking(r.ctx, engine.CancelBookingInput{ID: a.ID}); err != nil {
				t.Fatal(err)
			}
			// One seat free: the big booking does not fit, the small one
			// behind it must not overtake it, and nobody else takes it.
			r.expect(big, domain.BookingStatusWaitlisted, domain.TicketStatusWaitlisted, domain.RegistrationStatusWaitlisted)
			r.expect(small, domain.BookingStatusWaitlisted, domain.TicketStatusWaitlisted, domain.RegistrationStatusWaitlisted)
			_, err := r.eng.CreateBooking(r.ctx, r.input(domain.PaymentMethodInvoice, cats[0]))
			wantErr[*domain.SoldOutError](t, err)
			if _, _, err := r.eng.CancelBooking(r.ctx, engine.CancelBookingInput{ID: x.ID}); err != nil {
				t.Fatal(err)
			}
			r.expect(big, domain.BookingStatusConfirmed, domain.TicketStatusActive, domain.RegistrationStatusAccepted)
			r.expect(small, domain.BookingStatusWaitlisted, domain.TicketStatusWaitlisted, domain.RegistrationStatusWaitlisted)
			r.checkSeats(ev.ID)
		})
		t.Run("a promoted booking with money due gets a new hold", func(t *testing.T) {
			ev, cats := r.event(eventSpec{capacity: ip(1), waitlist: true})
			a := r.book(r.input(domain.PaymentMethodInvoice, cats[0]))
			w := r.waitlisted(domain.PaymentMethodCard, cats[0])
			r.clock.Advance(time.Hour)
			if _, _, err := r.eng.CancelBooking(r.ctx, engine.CancelBookingInput{ID: a.ID}); err != nil {
				t.Fatal(err)
			}
			got := r.reload(w)
			r.expect(w, domain.BookingStatusPending, domain.TicketStatusActive, domain.RegistrationStatusPending)
			if got.HoldExpiresAt == nil || got.HoldExpiresAt.Sub(r.clock.Now()) > config.DefaultHold ||
				got.HoldExpiresAt.Sub(r.clock.Now()) < config.DefaultHold-time.Minute {
				t.Errorf("promoted booking holds until %v, want about now + %s", got.HoldExpiresAt, config.DefaultHold)
			}
			r.checkSeats(ev.ID)
		})
		t.Run("an expired hold promotes the queue", func(t *testing.T) {
			ev, cats := r.event(eventSpec{capacity: ip(1), waitlist: true})
			r.book(r.input(domain.PaymentMethodCard, cats[0]))
			w := r.waitlisted(domain.PaymentMethodInvoice, cats[0])
			r.clock.Advance(config.DefaultHold + time.Minute)
			r.expect(w, domain.BookingStatusConfirmed, domain.TicketStatusActive, domain.RegistrationStatusAccepted)
			r.checkSeats(ev.ID)
		})
		t.Run("raising the capacity promotes the queue", func(t *testing.T) {
			ev, cats := r.event(eventSpec{capacity: ip(1), waitlist: true})
			r.book(r.input(domain.PaymentMethodInvoice, cats[0]))
			w := r.waitlisted(domain.PaymentMethodInvoice, cats[0], cats[0])
			if _, err := r.cat.UpdateEvent(r.ctx, catalog.EventChanges{ID: ev.ID, Capacity: catalog.Set(ip(3))}); err != nil {
				t.Fatal(err)
			}
			r.expect(w, domain.BookingStatusConfirmed, domain.TicketStatusActive, domain.RegistrationStatusAccepted)
			r.checkSeats(ev.ID)
		})
		t.Run("a waiting registration gets the status it asked for", func(t *testing.T) {
			ev, cats := r.event(eventSpec{capacity: ip(1), waitlist: true})
			a := r.book(r.input(domain.PaymentMethodInvoice, cats[0]))
			pending := domain.RegistrationStatusPending
			reg, err := r.eng.CreateRegistration(r.ctx, engine.CreateRegistrationInput{EventID: ev.ID, Status: &pending,
				Participant: catalog.ParticipantInput{FirstName: "W", LastName: "Aiting", Email: "waiting@example.com"}})
			if err != nil || reg.Status != domain.RegistrationStatusWaitlisted {
				t.Fatalf("registration %v, %v; want WAITLISTED", reg, err)
			}
			if _, _, err := r.eng.CancelBooking(r.ctx, engine.CancelBookingInput{ID: a.ID}); err != nil {
				t.Fatal(err)
			}
			if got := r.client.Registration.GetX(r.ctx, reg.ID); got.Status != domain.RegistrationStatusPending {
				t.Errorf("promoted registration is %s, want PENDING", got.Status)
			}
			r.checkSeats(ev.ID)
		})
		t.Run("an organizer moves a waiting registration up only into a free seat", func(t *testing.T) {
			ev, cats := r.event(eventSpec{capacity: ip(1), waitlist: true})
			r.book(r.input(domain.PaymentMethodInvoice, cats[0]))
			reg, err := r.eng.CreateRegistration(r.ctx, engine.CreateRegistrationInput{EventID: ev.ID,
				Participant: catalog.ParticipantInput{FirstName: "M", LastName: "Over", Email: "mover@example.com"}})
			if err != nil {
				t.Fatal(err)
			}
			_, err = r.eng.UpdateRegistrationStatus(r.ctx, engine.UpdateRegistrationStatusInput{ID: reg.ID, Status: domain.RegistrationStatusAccepted})
			wantErr[*domain.SoldOutError](t, err)
			r.checkSeats(ev.ID)
		})
	})
}

// ---------------------------------------------------------------------------
// Rule 4: money.

func TestRule4PricesTaxAndSnapshot(t *testing.T) {
	eachDB(t, func(t *testing.T, r *rig) {
		_, cats := r.event(eventSpec{categories: []*catalog.TicketCategoryInput{
			{Name: "Standard", Price: dec(t, "19.90"), TaxRatePercent: ptr(dec(t, "19"))},
			{Name: "Reduced", Price: dec(t, "10.00"), TaxRatePercent: ptr(dec(t, "7"))},
		}})
		b := r.book(r.input(domain.PaymentMethodCard, cats[0], cats[0], cats[1]))
		// 19.90 / 1.19 = 16.7226 -> 16.72, tax 3.18; 10.00 / 1.07 = 9.3458 -> 9.35, tax 0.65.
		want := []struct{ gross, net, tax int64 }{{1990, 1672, 318}, {1990, 1672, 318}, {1000, 935, 65}}
		for i, tk := range r.tickets(b) {
			if tk.Price != want[i].gross || tk.NetPrice != want[i].net || tk.TaxAmount != want[i].tax {
				t.Errorf("ticket %d: %d/%d/%d, want %+v", i, tk.Price, tk.NetPrice, tk.TaxAmount, want[i])
			}
		}
		if b.Subtotal != 1672+1672+935 || b.TaxTotal != 318+318+65 || b.Total != 4980 || b.Currency != "EUR" {
			t.Errorf("subtotal %d taxTotal %d total %d %s", b.Subtotal, b.TaxTotal, b.Total, b.Currency)
		}
		// A price change later does not touch what was booked.
		if _, err := r.cat.UpdateTicketCategory(r.ctx, catalog.TicketCategoryChanges{ID: cats[0], Price: ptr(dec(t, "99.00"))}); err != nil {
			t.Fatal(err)
		}
		if got := r.reload(b); got.Total != 4980 || r.tickets(b)[0].Price != 1990 {
			t.Errorf("after a price change the booking total is %d, ticket %d", got.Total, r.tickets(b)[0].Price)
		}
	})
}

func ptr[T any](v T) *T { return &v }

func TestRule4RefundNeverExceedsPaid(t *testing.T) {
	eachDB(t, func(t *testing.T, r *rig) {
		_, cats := r.event(eventSpec{})
		b := r.book(r.input(domain.PaymentMethodCard, cats[0], cats[0]))
		p, _, err := r.eng.RecordPayment(r.ctx, engine.RecordPaymentInput{BookingID: b.ID, Amount: dec(t, "40.00"), Method: domain.PaymentMethodCard})
		if err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name    string
			amount  string
			ok      bool
			paid    int64
			refund  int64
			payment domain.PaymentStatus
		}{
			{"more than was paid", "40.01", false, 4000, 0, domain.PaymentStatusPaid},
			{"part", "15.00", true, 4000, 1500, domain.PaymentStatusPartiallyRefunded},
			{"more than is left", "25.01", false, 4000, 1500, domain.PaymentStatusPartiallyRefunded},
			{"the rest", "25.00", true, 4000, 4000, domain.PaymentStatusRefunded},
			{"anything after all", "0.01", false, 4000, 4000, domain.PaymentStatusRefunded},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, _, err := r.eng.RefundPayment(r.ctx, engine.RefundPaymentInput{ID: p.ID, Amount: dec(t, tt.amount)})
				if tt.ok && err != nil {
					t.Fatalf("refund %s: %v", tt.amount, err)
				}
				if !tt.ok {
					wantInvalid(t, err, "amount")
				}
				got := r.reload(b)
				if got.PaidAmount != tt.paid || got.RefundedAmount != tt.refund || got.PaymentStatus != tt.payment {
					t.Errorf("paid %d refunded %d %s, want %d %d %s", got.PaidAmount, got.RefundedAmount, got.PaymentStatus, tt.paid, tt.refund, tt.payment)
				}
			})
		}
	})
}

// ---------------------------------------------------------------------------
// Rule 5: the cancellation policy.

func TestRule5CancellationPolicy(t *testing.T) {
	eachDB(t, func(t *testing.T, r *rig) {
		rules := []*catalog.CancellationRuleInput{
			{HoursBeforeStart: 168, KeepPercent: dec(t, "0")},
			{HoursBeforeStart: 48, KeepPercent: dec(t, "50")},
			{HoursBeforeStart: 0, KeepPercent: dec(t, "100")},
		}
		ev, cats := r.event(eventSpec{policy: rules})
		b := r.book(r.input(domain.PaymentMethodCard, cats[0], cats[0], cats[0], cats[0], cats[0]))
		r.pay(b, "100.00")
		tests := []struct {
			name         string
			hoursBefore  float64
			kept, refund int64
			rule         *int
		}{
			{"200 h before: the 168 h rule is not in force yet", 200, 0, 10000, nil},
			{"72 h before: the 168 h rule keeps nothing", 72, 0, 10000, ip(168)},
			{"24 h before: half is kept", 24, 5000, 5000, ip(48)},
			{"after the start: all is kept", -1, 10000, 0, ip(0)},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				at := ev.StartsAt.Add(-time.Duration(tt.hoursBefore * float64(time.Hour)))
				q, err := r.eng.Quote(r.ctx, b.ID, &at)
				if err != nil {
					t.Fatal(err)
				}
				if !q.Cancellable || q.Paid.Minor != 10000 || q.Kept.Minor != tt.kept || q.Refund.Minor != tt.refund {
					t.Errorf("quote %+v, want kept %d refund %d", q, tt.kept, tt.refund)
				}
				if (q.Rule == nil) != (tt.rule == nil) || (q.Rule != nil && q.Rule.HoursBeforeStart != *tt.rule) {
					t.Errorf("rule %+v, want %v", q.Rule, tt.rule)
				}
			})
		}
		t.Run("the quote changes nothing", func(t *testing.T) {
			if got := r.reload(b); got.Status != domain.BookingStatusConfirmed || got.RefundedAmount != 0 {
				t.Errorf("after quotes: %s refunded %d", got.Status, got.RefundedAmount)
			}
		})
		t.Run("the policy of the booking is the one in force when it was made", func(t *testing.T) {
			if _, err := r.cat.UpdateEvent(r.ctx, catalog.EventChanges{ID: ev.ID, CancellationPolicy: catalog.Set[*catalog.CancellationPolicyInput](nil)}); err != nil {
				t.Fatal(err)
			}
			at := ev.StartsAt.Add(-24 * time.Hour)
			if q, err := r.eng.Quote(r.ctx, b.ID, &at); err != nil || q.Kept.Minor != 5000 {
				t.Errorf("after the event's policy changed: %+v, %v; want 50.00 kept", q, err)
			}
		})
		t.Run("cancelling refunds per the policy, once", func(t *testing.T) {
			r.clock.Advance(ev.StartsAt.Sub(r.clock.Now()) - 24*time.Hour)
			defer r.clock.Advance(-(ev.StartsAt.Sub(r.clock.Now()) - 24*time.Hour))
			got, refund, err := r.eng.CancelBooking(r.ctx, engine.CancelBookingInput{ID: b.ID, Reason: sp("ill")})
			if err != nil {
				t.Fatal(err)
			}
			if refund == nil || refund.Kind != domain.PaymentKindRefund || refund.Amount != 5000 || refund.Status != domain.PaymentRecordStatusSucceeded {
				t.Errorf("refund %+v, want a succeeded REFUND of 50.00", refund)
			}
			if got.Status != domain.BookingStatusCancelled || got.RefundedAmount != 5000 {
				t.Errorf("booking %s refunded %d", got.Status, got.RefundedAmount)
			}
			r.expect(b, domain.BookingStatusCancelled, domain.TicketStatusCancelled, domain.RegistrationStatusCancelled)
			_, _, err = r.eng.CancelBooking(r.ctx, engine.CancelBookingInput{ID: b.ID})
			wantErr[*domain.InvalidStateError](t, err)
			if q, err := r.eng.Quote(r.ctx, b.ID, nil); err != nil || q.Cancellable {
				t.Errorf("quote of a cancelled booking: %+v, %v", q, err)
			}
			r.checkSeats(ev.ID)
		})
	})
}

func TestRule5FixedFeeAndApplyPolicy(t *testing.T) {
	eachDB(t, func(t *testing.T, r *rig) {
		rules := []*catalog.CancellationRuleInput{{HoursBeforeStart: 10000, KeepPercent: dec(t, "10"), FixedFee: ptr(dec(t, "5.00"))}}
		ev, cats := r.event(eventSpec{policy: rules})
		tests := []struct {
			name        string
			paid        string
			applyPolicy *bool
			tickets     int // cancel only the first n tickets (0: all)
			refund      int64
		}{
			{"percent plus fee", "40.00", nil, 0, 4000 - (400 + 500)},
			{"the fee never keeps more than was paid", "3.00", nil, 0, 0},
			{"applyPolicy false refunds everything", "40.00", bp(false), 0, 4000},
			{"some tickets: their share of what was paid", "40.00", nil, 1, 2000 - (200 + 500)},
			{"nothing paid, nothing refunded", "", nil, 0, 0},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				b := r.book(r.input(domain.PaymentMethodCard, cats[0], cats[0]))
				if tt.paid != "" {
					r.pay(b, tt.paid)
				}
				in := engine.CancelBookingInput{ID: b.ID, ApplyPolicy: tt.applyPolicy}
				if tt.tickets > 0 {
					in.TicketIDs = []int{r.tickets(b)[0].ID}
				}
				got, refund, err := r.eng.CancelBooking(r.ctx, in)
				if err != nil {
					t.Fatal(err)
				}
				var amount int64
				if refund != nil {
					amount = refund.Amount
				}
				if amount != tt.refund {
					t.Errorf("refund %d, want %d", amount, tt.refund)
				}
				if tt.tickets > 0 && got.Status == domain.BookingStatusCancelled {
					t.Errorf("a partly cancelled booking is CANCELLED")
				}
				r.checkSeats(ev.ID)
			})
		}
	})
}

// ---------------------------------------------------------------------------
// Rule 6: idempotency.

func TestRule6Idempotency(t *testing.T) {
	eachDB(t, func(t *testing.T, r *rig) {
		ev, cats := r.event(eventSpec{capacity: ip(100)})
		t.Run("the same key and input return the first booking", func(t *testing.T) {
			in := r.input(domain.PaymentMethodInvoice, cats[0])
			in.IdempotencyKey = sp("key-1")
			first := r.book(in)
			before := r.rows()
			again := r.book(in)
			if again.ID != first.ID || again.OrderNumber != first.OrderNumber {
				t.Errorf("second call booked %s, want %s again", again.OrderNumber, first.OrderNumber)
			}
			if after := r.rows(); after != before {
				t.Errorf("the repeat wrote rows: %+v -> %+v", before, after)
			}
			in.Tickets = append(in.Tickets, &engine.TicketInput{TicketCategoryID: cats[0]})
			_, err := r.eng.CreateBooking(r.ctx, in)
			wantErr[*domain.IdempotencyKeyReusedError](t, err)
		})
		t.Run("twins arriving at once book once, across processes", func(t *testing.T) {
			other := r.secondProcess()
			in := r.input(domain.PaymentMethodInvoice, cats[0])
			in.IdempotencyKey = sp("key-race")
			before := r.bookingCount()
			var wg sync.WaitGroup
			ids := make([]int, 16)
			errs := make([]error, len(ids))
			for i := range ids {
				wg.Add(1)
				go func(i int) {
					defer wg.Done()
					eng := r.eng
					if i%2 == 1 {
						eng = other
					}
					b, err := eng.CreateBooking(r.ctx, in)
					errs[i] = err
					if err == nil {
						ids[i] = b.ID
					}
				}(i)
			}
			wg.Wait()
			for i := range ids {
				if errs[i] != nil || ids[i] != ids[0] {
					t.Errorf("twin %d: booking %d, %v; want booking %d", i, ids[i], errs[i], ids[0])
				}
			}
			if got := r.bookingCount(); got != before+1 {
				t.Errorf("%d bookings made, want 1", got-before)
			}
			r.checkSeats(ev.ID)
		})
		t.Run("after 24 hours the key books again", func(t *testing.T) {
			in := r.input(domain.PaymentMethodInvoice, cats[0])
			in.IdempotencyKey = sp("key-old")
			first := r.book(in)
			r.clock.Advance(engine.IdempotencyWindow + time.Minute)
			defer r.clock.Advance(-engine.IdempotencyWindow - time.Minute)
			if again := r.book(in); again.ID == first.ID {
				t.Errorf("a key older than the window returned the old booking")
			}
		})
	})
}

// ---------------------------------------------------------------------------
// Rule 7: check-in.

func TestRule7CheckInOnce(t *testing.T) {
	eachDB(t, func(t *testing.T, r *rig) {
		ev, cats := r.event(eventSpec{capacity: ip(10), waitlist: true})
		other, otherCats := r.event(eventSpec{})
		confirmed := r.book(r.input(domain.PaymentMethodInvoice, cats[0], cats[0]))
		pending := r.book(r.input(domain.PaymentMethodCard, cats[0]))
		tks := r.tickets(confirmed)
		cancelled := r.book(r.input(domain.PaymentMethodInvoice, cats[0], cats[0]))
		if _, _, err := r.eng.CancelBooking(r.ctx, engine.CancelBookingInput{ID: cancelled.ID, TicketIDs: []int{r.tickets(cancelled)[0].ID}}); err != nil {
			t.Fatal(err)
		}
		_ = otherCats
		code := func(tk *ent.Ticket) string { return tk.Code }
		tests := []struct {
			name    string
			code    string
			eventID *int
			reason  string
		}{
			{"a pending booking's ticket", code(r.tickets(pending)[0]), nil, engine.ReasonNotConfirmed},
			{"a cancelled ticket", code(r.tickets(cancelled)[0]), nil, engine.ReasonCancelled},
			{"another event's gate", code(tks[1]), &other.ID, engine.ReasonOtherEvent},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := r.eng.CheckInTicket(r.ctx, engine.CheckInTicketInput{Code: tt.code, EventID: tt.eventID})
				if nv := wantErr[*domain.TicketNotValidError](t, err); nv.Reason != tt.reason {
					t.Errorf("reason %s, want %s", nv.Reason, tt.reason)
				}
			})
		}
		t.Run("an unknown code", func(t *testing.T) {
			_, err := r.eng.CheckInTicket(r.ctx, engine.CheckInTicketInput{Code: engine.NewCode()})
			wantErr[*domain.TicketNotFoundError](t, err)
		})
		t.Run("once; a second scan says when; undo reverses it", func(t *testing.T) {
			in := engine.CheckInTicketInput{Code: tks[0].Code, EventID: &ev.ID}
			got, err := r.eng.CheckInTicket(r.ctx, in)
			if err != nil || got.CheckedInAt == nil {
				t.Fatalf("check-in: %v, %v", got, err)
			}
			_, err = r.eng.CheckInTicket(r.ctx, in)
			if ac := wantErr[*domain.AlreadyCheckedInError](t, err); !ac.CheckedInAt.Equal(*got.CheckedInAt) {
				t.Errorf("second scan says %v, want %v", ac.CheckedInAt, *got.CheckedInAt)
			}
			if n := r.eventRow(ev.ID).CheckedInCount; n != 1 {
				t.Errorf("checkedInCount %d, want 1", n)
			}
			if _, err := r.eng.UndoCheckIn(r.ctx, engine.UndoCheckInInput{ID: tks[0].ID}); err != nil {
				t.Fatal(err)
			}
			if n := r.eventRow(ev.ID).CheckedInCount; n != 0 {
				t.Errorf("checkedInCount %d after undo, want 0", n)
			}
			if _, err := r.eng.CheckInTicket(r.ctx, in); err != nil {
				t.Errorf("check-in after undo: %v", err)
			}
		})
		t.Run("racing scans admit one", func(t *testing.T) {
			var wg sync.WaitGroup
			var ok, again atomic32
			for i := 0; i < 8; i++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, err := r.eng.CheckInTicket(r.ctx, engine.CheckInTicketInput{Code: tks[1].Code})
					var ac *domain.AlreadyCheckedInError
					switch {
					case err == nil:
						ok.add()
					case errors.As(err, &ac):
						again.add()
					default:
						t.Errorf("unexpected error: %v", err)
					}
				}()
			}
			wg.Wait()
			if ok.n != 1 || again.n != 7 {
				t.Errorf("%d admitted, %d already checked in; want 1 and 7", ok.n, again.n)
			}
		})
	})
}

func TestRule7CodesCannotBeGuessed(t *testing.T) {
	crockford := regexp.MustCompile(`^[0-9A-HJKMNP-TV-Z]{16,}$`)
	seen := map[string]bool{}
	for i := 0; i < 10000; i++ {
		c := engine.NewCode()
		if !crockford.MatchString(c) {
			t.Fatalf("code %q is not 16+ characters of Crockford base32", c)
		}
		if seen[c] {
			t.Fatalf("code %q came twice", c)
		}
		seen[c] = true
	}
}

// ---------------------------------------------------------------------------
// Rule 8: registration status moves.

func TestRule8RegistrationMoves(t *testing.T) {
	eachDB(t, func(t *testing.T, r *rig) {
		const (
			pending    = domain.RegistrationStatusPending
			accepted   = domain.RegistrationStatusAccepted
			declined   = domain.RegistrationStatusDeclined
			removed    = domain.RegistrationStatusRemoved
			cancelled  = domain.RegistrationStatusCancelled
			waitlisted = domain.RegistrationStatusWaitlisted
		)
		tests := []struct {
			from, to domain.RegistrationStatus
			ok       bool
		}{
			{pending, accepted, true}, {pending, declined, true}, {pending, removed, true}, {pending, cancelled, true},
			{accepted, removed, true}, {accepted, cancelled, true},
			{accepted, pending, false}, {accepted, declined, false},
			{declined, accepted, false}, {declined, pending, false},
			{removed, accepted, false}, {cancelled, pending, false},
			{waitlisted, pending, true}, {waitlisted, accepted, true}, {waitlisted, cancelled, true}, {waitlisted, removed, true},
			{waitlisted, declined, false},
		}
		for i, tt := range tests {
			t.Run(fmt.Sprintf("%s to %s", tt.from, tt.to), func(t *testing.T) {
				ev, cats := r.event(eventSpec{capacity: ip(1), waitlist: true})
				var blocker *ent.Booking
				reg := r.registration(ev.ID, i, tt.from, func() { blocker = r.book(r.input(domain.PaymentMethodInvoice, cats[0])) })
				if tt.from == waitlisted && holdsSeatStatus(tt.to) {
					// Moving up needs a free seat.
					if _, _, err := r.eng.CancelBooking(r.ctx, engine.CancelBookingInput{ID: blocker.ID}); err != nil {
						t.Fatal(err)
					}
					// The cancellation promoted it already; put it back
					// to test the organizer's move.
					reg = r.client.Registration.GetX(r.ctx, reg.ID)
					if reg.Status != waitlisted {
						return // promotion is rule 3's
					}
				}
				got, err := r.eng.UpdateRegistrationStatus(r.ctx, engine.UpdateRegistrationStatusInput{ID: reg.ID, Status: tt.to})
				if tt.ok {
					if err != nil || got.Status != tt.to {
						t.Errorf("move: %v, %v; want %s", got, err, tt.to)
					}
				} else {
					wantErr[*domain.InvalidStateError](t, err)
					if now := r.client.Registration.GetX(r.ctx, reg.ID); now.Status != tt.from {
						t.Errorf("a refused move changed the status to %s", now.Status)
					}
				}
				r.checkSeats(ev.ID)
			})
		}
		t.Run("a ticket's registration follows its booking", func(t *testing.T) {
			_, cats := r.event(eventSpec{})
			b := r.book(r.input(domain.PaymentMethodInvoice, cats[0]))
			reg := r.tickets(b)[0].Edges.Registration
			_, err := r.eng.UpdateRegistrationStatus(r.ctx, engine.UpdateRegistrationStatusInput{ID: reg.ID, Status: domain.RegistrationStatusRemoved})
			wantErr[*domain.InvalidStateError](t, err)
		})
		t.Run("declined and removed registrations free their seat for the queue", func(t *testing.T) {
			ev, _ := r.event(eventSpec{capacity: ip(1), waitlist: true})
			first := r.registration(ev.ID, 100, pending, nil)
			second, err := r.eng.CreateRegistration(r.ctx, engine.CreateRegistrationInput{EventID: ev.ID,
				Participant: catalog.ParticipantInput{FirstName: "Q", LastName: "Ueue", Email: "queue@example.com"}})
			if err != nil || second.Status != waitlisted {
				t.Fatalf("second registration: %v, %v", second, err)
			}
			if _, err := r.eng.UpdateRegistrationStatus(r.ctx, engine.UpdateRegistrationStatusInput{ID: first.ID, Status: declined}); err != nil {
				t.Fatal(err)
			}
			if got := r.client.Registration.GetX(r.ctx, second.ID); got.Status != accepted {
				t.Errorf("the waiting registration is %s after a decline, want ACCEPTED", got.Status)
			}
			r.checkSeats(ev.ID)
		})
	})
}

func holdsSeatStatus(s domain.RegistrationStatus) bool {
	return s == domain.RegistrationStatusPending || s == domain.RegistrationStatusAccepted
}

// registration makes a registration of its own in status from; fill, when
// given, fills the event first so that a new registration waits.
func (r *rig) registration(eventID, n int, from domain.RegistrationStatus, fill func()) *ent.Registration {
	r.t.Helper()
	person := catalog.ParticipantInput{FirstName: "R", LastName: "Egistrant", Email: fmt.Sprintf("reg%d-%d@example.com", n, r.seq.Add(1))}
	create := func(s domain.RegistrationStatus) *ent.Registration {
		reg, err := r.eng.CreateRegistration(r.ctx, engine.CreateRegistrationInput{EventID: eventID, Participant: person, Status: &s})
		if err != nil {
			r.t.Fatal(err)
		}
		return reg
	}
	move := func(reg *ent.Registration, to domain.RegistrationStatus) *ent.Registration {
		got, err := r.eng.UpdateRegistrationStatus(r.ctx, engine.UpdateRegistrationStatusInput{ID: reg.ID, Status: to})
		if err != nil {
			r.t.Fatal(err)
		}
		return got
	}
	switch from {
	case domain.RegistrationStatusWaitlisted:
		if fill != nil {
			fill()
		}
		reg := create(domain.RegistrationStatusAccepted)
		if reg.Status != domain.RegistrationStatusWaitlisted {
			r.t.Fatalf("registration is %s, want WAITLISTED", reg.Status)
		}
		return reg
	case domain.RegistrationStatusPending, domain.RegistrationStatusAccepted:
		return create(from)
	default:
		return move(create(domain.RegistrationStatusPending), from)
	}
}

// ---------------------------------------------------------------------------
// Rule 9: events.

func TestRule9CancelEventRefundsEverything(t *testing.T) {
	eachDB(t, func(t *testing.T, r *rig) {
		ev, cats := r.event(eventSpec{capacity: ip(2), waitlist: true,
			policy: []*catalog.CancellationRuleInput{{HoursBeforeStart: 100000, KeepPercent: dec(t, "100")}}})
		paid := r.book(r.input(domain.PaymentMethodCard, cats[0]))
		r.pay(paid, "20.00")
		pending := r.book(r.input(domain.PaymentMethodCard, cats[0]))
		waiting := r.waitlisted(domain.PaymentMethodInvoice, cats[0])
		if _, err := r.cat.CancelEvent(r.ctx, catalog.CancelEventInput{ID: ev.ID, Reason: sp("storm")}); err != nil {
			t.Fatal(err)
		}
		for _, b := range []*ent.Booking{paid, pending, waiting} {
			if got := r.reload(b); got.Status != domain.BookingStatusCancelled {
				t.Errorf("booking %s is %s after the event was cancelled", got.OrderNumber, got.Status)
			}
		}
		if got := r.reload(paid); got.RefundedAmount != 2000 {
			t.Errorf("refunded %d despite the policy, want all 2000", got.RefundedAmount)
		}
		if held := r.checkSeats(ev.ID); held != 0 {
			t.Errorf("%d seats held by a cancelled event", held)
		}
	})
}

func TestRule9EventGuards(t *testing.T) {
	eachDB(t, func(t *testing.T, r *rig) {
		t.Run("an event with bookings cannot be deleted", func(t *testing.T) {
			ev, cats := r.event(eventSpec{})
			r.book(r.input(domain.PaymentMethodInvoice, cats[0]))
			_, err := r.cat.DeleteEvent(r.ctx, catalog.DeleteEventInput{ID: ev.ID})
			if _, ok := domain.As(err); !ok {
				t.Fatalf("deleting an event with bookings: %v, want a domain error", err)
			}
			if _, err := r.client.Event.Get(r.ctx, ev.ID); err != nil {
				t.Errorf("the event is gone: %v", err)
			}
		})
		t.Run("capacity cannot go below the seats held", func(t *testing.T) {
			ev, cats := r.event(eventSpec{capacity: ip(5)})
			r.book(r.input(domain.PaymentMethodCard, cats[0], cats[0], cats[0]))
			_, err := r.cat.UpdateEvent(r.ctx, catalog.EventChanges{ID: ev.ID, Capacity: catalog.Set(ip(2))})
			wantInvalid(t, err, "capacity")
			if _, err := r.cat.UpdateEvent(r.ctx, catalog.EventChanges{ID: ev.ID, Capacity: catalog.Set(ip(3))}); err != nil {
				t.Errorf("capacity down to the seats held: %v", err)
			}
		})
		t.Run("an event that is not published is not bookable", func(t *testing.T) {
			ev, cats := r.event(eventSpec{unpublished: true})
			_, err := r.eng.CreateBooking(r.ctx, r.input(domain.PaymentMethodInvoice, cats[0]))
			wantErr[*domain.RegistrationClosedError](t, err)
			if _, err := r.cat.PublishEvent(r.ctx, catalog.PublishEventInput{ID: ev.ID}); err != nil {
				t.Fatal(err)
			}
			r.book(r.input(domain.PaymentMethodInvoice, cats[0]))
		})
	})
}

// ---------------------------------------------------------------------------
// Rule 10: order and invoice numbers.

func TestRule10OrderAndInvoiceNumbers(t *testing.T) {
	eachDB(t, func(t *testing.T, r *rig) {
		_, cats := r.event(eventSpec{capacity: ip(1), waitlist: true})
		var numbers []string
		numbers = append(numbers, r.book(r.input(domain.PaymentMethodInvoice, cats[0])).OrderNumber)
		// A refused booking takes no number.
		if _, err := r.eng.CreateBooking(r.ctx, r.input(domain.PaymentMethodInvoice, cats[0])); err == nil {
			t.Fatal("overbooked")
		}
		numbers = append(numbers, r.waitlisted(domain.PaymentMethodInvoice, cats[0]).OrderNumber)
		numbers = append(numbers, r.waitlisted(domain.PaymentMethodCard, cats[0]).OrderNumber)
		for i, n := range numbers {
			if want := fmt.Sprintf("BK-%06d", i+1); n != want {
				t.Errorf("booking %d has order number %s, want %s", i, n, want)
			}
		}
		other := r.otherTenant("acme")
		_, otherCats := r.eventIn(other)
		b, err := r.eng.CreateBooking(other, r.input(domain.PaymentMethodInvoice, otherCats[0]))
		if err != nil || b.OrderNumber != "BK-000001" {
			t.Errorf("another tenant's first booking: %v, %v; want BK-000001", b, err)
		}

		first := r.book(r.input(domain.PaymentMethodFree, r.freeCategory()))
		second := r.book(r.input(domain.PaymentMethodFree, r.freeCategory()))
		if _, err := r.eng.SetInvoiceNumber(r.ctx, engine.SetInvoiceNumberInput{ID: first.ID, InvoiceNumber: " INV-1 "}); err != nil {
			t.Fatal(err)
		}
		_, err = r.eng.SetInvoiceNumber(r.ctx, engine.SetInvoiceNumberInput{ID: second.ID, InvoiceNumber: "INV-1"})
		wantInvalid(t, err, "invoiceNumber")
		if _, err := r.eng.SetInvoiceNumber(other, engine.SetInvoiceNumberInput{ID: b.ID, InvoiceNumber: "INV-1"}); err != nil {
			t.Errorf("another tenant's INV-1: %v", err)
		}
	})
}

func (r *rig) freeCategory() int {
	r.t.Helper()
	_, cats := r.event(eventSpec{categories: []*catalog.TicketCategoryInput{{Name: "Free", Price: dec(r.t, "0")}}})
	return cats[0]
}

// otherTenant creates a tenant and returns a context acting for it.
func (r *rig) otherTenant(slug string) context.Context {
	r.t.Helper()
	tn, _, err := auth.CreateTenant(context.Background(), r.client, slug, "")
	if err != nil {
		r.t.Fatal(err)
	}
	return auth.WithTenant(context.Background(), tn.ID)
}

// eventIn creates a published event of the tenant of ctx.
func (r *rig) eventIn(ctx context.Context) (*ent.Event, []int) {
	r.t.Helper()
	saved := r.ctx
	r.ctx = ctx
	defer func() { r.ctx = saved }()
	return r.event(eventSpec{capacity: ip(5)})
}

// ---------------------------------------------------------------------------
// Rule 11: a failed or rejected request leaves no partial rows.

func TestRule11RefusedRequestsWriteNothing(t *testing.T) {
	eachDB(t, func(t *testing.T, r *rig) {
		ev, cats := r.event(eventSpec{capacity: ip(1), categories: []*catalog.TicketCategoryInput{
			{Name: "Standard", Price: dec(t, "20.00")}, {Name: "Capped", Price: dec(t, "5.00"), Capacity: ip(0)}}})
		_, yen := r.event(eventSpec{modify: func(in *catalog.CreateEventInput) { in.Currency = sp("JPY") },
			categories: []*catalog.TicketCategoryInput{{Name: "Standard", Price: dec(t, "2000")}}})
		holder := func(in engine.CreateBookingInput) engine.CreateBookingInput {
			in.Tickets[0].Holder = &catalog.ParticipantInput{FirstName: "New", LastName: "Holder", Email: "new.holder@example.com"}
			return in
		}
		tests := []struct {
			name string
			in   engine.CreateBookingInput
		}{
			{"a new booker and holder, then FREE with a total", holder(r.input(domain.PaymentMethodFree, cats[0]))},
			{"a full category after the event's seat", holder(r.input(domain.PaymentMethodInvoice, cats[0], cats[1]))},
			{"two currencies", holder(r.input(domain.PaymentMethodInvoice, cats[0], yen[0]))},
			{"an unknown category", holder(r.input(domain.PaymentMethodInvoice, cats[0], 1<<30))},
			{"no tickets", r.input(domain.PaymentMethodInvoice)},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				before, seq := r.rows(), r.orderSeq()
				if _, err := r.eng.CreateBooking(r.ctx, tt.in); err == nil {
					t.Fatal("booked")
				} else if _, ok := domain.As(err); !ok {
					t.Fatalf("error %v is not a domain error", err)
				}
				if after := r.rows(); after != before {
					t.Errorf("rows %+v -> %+v", before, after)
				}
				if got := r.orderSeq(); got != seq {
					t.Errorf("order sequence moved from %d to %d", seq, got)
				}
			})
		}
		r.checkSeats(ev.ID)
	})
}

func (r *rig) orderSeq() int {
	r.t.Helper()
	tn, err := r.client.Tenant.Get(context.Background(), r.tid)
	if err != nil {
		r.t.Fatal(err)
	}
	return tn.OrderSeq
}

// ---------------------------------------------------------------------------
// Rule 12: history.

func TestRule12HistoryAndStatistics(t *testing.T) {
	eachDB(t, func(t *testing.T, r *rig) {
		ev, cats := r.event(eventSpec{})
		b := r.book(r.input(domain.PaymentMethodCard, cats[0], cats[0], cats[0]))
		if b.CreatedAt.IsZero() || !b.UpdatedAt.Equal(b.CreatedAt) {
			t.Errorf("createdAt %v updatedAt %v", b.CreatedAt, b.UpdatedAt)
		}
		r.pay(b, "60.00")
		tks := r.tickets(b)
		if _, err := r.eng.CheckInTicket(r.ctx, engine.CheckInTicketInput{Code: tks[0].Code}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := r.eng.CancelBooking(r.ctx, engine.CancelBookingInput{ID: b.ID, TicketIDs: []int{tks[2].ID}, ApplyPolicy: bp(false)}); err != nil {
			t.Fatal(err)
		}
		for _, tk := range r.tickets(b) {
			if tk.CreatedAt.IsZero() || tk.UpdatedAt.IsZero() {
				t.Errorf("ticket %d has no timestamps", tk.ID)
			}
		}
		kinds := map[domain.HistoryKind]int{}
		for _, h := range r.client.History.Query().Where(history.EventID(ev.ID)).AllX(r.ctx) {
			kinds[h.Kind] += h.Quantity
		}
		if kinds[domain.HistoryTicketBooked] != 3 || kinds[domain.HistoryTicketCancelled] != 1 || kinds[domain.HistoryCheckedIn] != 1 {
			t.Errorf("history %v", kinds)
		}
		if n := r.client.Payment.Query().Where(payment.BookingID(b.ID)).CountX(r.ctx); n != 2 {
			t.Errorf("%d payments, want the payment and the refund", n)
		}
		s, err := r.eng.Statistics(r.ctx, ev.ID, nil, nil, domain.StatisticsIntervalDay)
		if err != nil {
			t.Fatal(err)
		}
		if s.BookedTickets != 3 || s.CancelledTickets != 1 || s.Revenue.Minor != 6000 || s.Refunded.Minor != 2000 || s.CheckedInCount != 1 {
			t.Errorf("statistics %+v", s)
		}
		var booked, checkIns int
		var revenue int64
		for _, bk := range s.Series {
			booked, checkIns, revenue = booked+bk.BookedTickets, checkIns+bk.CheckIns, revenue+bk.Revenue.Minor
		}
		if booked != 3 || checkIns != 1 || revenue != 6000 {
			t.Errorf("buckets add up to %d booked, %d check-ins, %d revenue", booked, checkIns, revenue)
		}
	})
}

func TestRule12StatisticsErrorsAreDomainErrors(t *testing.T) {
	eachDB(t, func(t *testing.T, r *rig) {
		ev, _ := r.event(eventSpec{})
		_, err := r.eng.Statistics(r.ctx, ev.ID+1000, nil, nil, domain.StatisticsIntervalDay)
		wantErr[*domain.NotFoundError](t, err)
		from, to := time.Now(), time.Now().Add(-time.Hour)
		_, err = r.eng.Statistics(r.ctx, ev.ID, &from, &to, domain.StatisticsIntervalDay)
		wantInvalid(t, err, "to")
		_, err = r.eng.Quote(r.ctx, 1<<30, nil)
		wantErr[*domain.NotFoundError](t, err)
	})
}

// ---------------------------------------------------------------------------
// Tenants: nothing crosses them, at the engine itself.

func TestTenantIsolationAtTheEngine(t *testing.T) {
	eachDB(t, func(t *testing.T, r *rig) {
		ev, cats := r.event(eventSpec{capacity: ip(5)})
		b := r.book(r.input(domain.PaymentMethodCard, cats[0]))
		reg, err := r.eng.CreateRegistration(r.ctx, engine.CreateRegistrationInput{EventID: ev.ID,
			Participant: catalog.ParticipantInput{FirstName: "T", LastName: "One", Email: "t1@example.com"}})
		if err != nil {
			t.Fatal(err)
		}
		other := r.otherTenant("other")
		before := r.rows()
		tests := []struct {
			name string
			call func() error
		}{
			{"booking another tenant's category", func() error {
				_, err := r.eng.CreateBooking(other, r.input(domain.PaymentMethodInvoice, cats[0]))
				return err
			}},
			{"cancelling", func() error { _, _, err := r.eng.CancelBooking(other, engine.CancelBookingInput{ID: b.ID}); return err }},
			{"quoting", func() error { _, err := r.eng.Quote(other, b.ID, nil); return err }},
			{"paying", func() error {
				_, _, err := r.eng.RecordPayment(other, engine.RecordPaymentInput{BookingID: b.ID, Amount: dec(t, "1"), Method: domain.PaymentMethodCash})
				return err
			}},
			{"setting the booker", func() error {
				_, err := r.eng.SetBooker(other, engine.SetBookerInput{ID: b.ID, Booker: catalog.ParticipantInput{FirstName: "X", LastName: "Y", Email: "x@example.com"}})
				return err
			}},
			{"setting the invoice number", func() error {
				_, err := r.eng.SetInvoiceNumber(other, engine.SetInvoiceNumberInput{ID: b.ID, InvoiceNumber: "X-1"})
				return err
			}},
			{"registering", func() error {
				_, err := r.eng.CreateRegistration(other, engine.CreateRegistrationInput{EventID: ev.ID,
					Participant: catalog.ParticipantInput{FirstName: "X", LastName: "Y", Email: "x@example.com"}})
				return err
			}},
			{"moving a registration", func() error {
				_, err := r.eng.UpdateRegistrationStatus(other, engine.UpdateRegistrationStatusInput{ID: reg.ID, Status: domain.RegistrationStatusRemoved})
				return err
			}},
			{"statistics", func() error {
				_, err := r.eng.Statistics(other, ev.ID, nil, nil, domain.StatisticsIntervalDay)
				return err
			}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				wantErr[*domain.NotFoundError](t, tt.call())
			})
		}
		t.Run("checking in another tenant's ticket", func(t *testing.T) {
			_, err := r.eng.CheckInTicket(other, engine.CheckInTicketInput{Code: r.tickets(b)[0].Code})
			wantErr[*domain.TicketNotFoundError](t, err)
		})
		t.Run("finding a booking by order number", func(t *testing.T) {
			got, err := r.eng.ByOrderNumber(other, b.OrderNumber, r.reload(b).QueryBooker().OnlyX(r.ctx).Email)
			if err != nil || got != nil {
				t.Errorf("another tenant found %v, %v", got, err)
			}
		})
		if after := r.rows(); after != before {
			t.Errorf("refused calls of another tenant wrote rows: %+v -> %+v", before, after)
		}
		if got := r.reload(b); got.Status != domain.BookingStatusPending || got.BookerID != b.BookerID {
			t.Errorf("another tenant changed the booking: %s booker %d", got.Status, got.BookerID)
		}
		if got := r.client.Registration.Query().Where(registration.ID(reg.ID)).OnlyX(r.ctx); got.Status != reg.Status {
			t.Errorf("another tenant moved the registration to %s", got.Status)
		}
		r.checkSeats(ev.ID)
	})
}
