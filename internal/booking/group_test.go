package booking_test

import (
	"errors"
	"fmt"
	"sort"
	"sync"
	"testing"

	"seatgraph/ent"
	"seatgraph/ent/participant"
	engine "seatgraph/internal/booking"
	"seatgraph/internal/domain"
)

// Bookings arriving together share a transaction (batch.go), and each one
// still gets the answer it would get alone: a burst of bookings of every
// outcome at once, on one engine, until the engine reports that it put
// several bookings into one transaction.
func TestGroupedBookingsAnswerEachOnItsOwn(t *testing.T) {
	eachDB(t, func(t *testing.T, r *rig) {
		for round := 1; ; round++ {
			before, _, _ := r.eng.GroupStats()
			groupBurst(t, r, round)
			if t.Failed() {
				return
			}
			txs, bookings, _ := r.eng.GroupStats()
			if bookings-before > 0 && txs-before < bookings-before {
				return // some transaction carried several bookings
			}
			if round == 5 {
				t.Fatalf("no two bookings of %d bursts shared a transaction", round)
			}
		}
	})
}

// groupBurst sends, all at once: bookings for 5 seats (10 of them, so 5
// get SoldOutError), 8 twins with one idempotency key, 4 uses of another
// key with different input, 3 bookings of an unpublished event, and 3
// FREE bookings with a total, by new people (they must leave no
// participant behind).
func groupBurst(t *testing.T, r *rig, round int) {
	t.Helper()
	hot, hotCats := r.event(eventSpec{capacity: ip(5)})
	open, openCats := r.event(eventSpec{})
	_, closedCats := r.event(eventSpec{unpublished: true})

	type kind int
	const (
		seat kind = iota
		twin
		reuse
		closed
		free
	)
	var inputs []engine.CreateBookingInput
	var kinds []kind
	add := func(k kind, in engine.CreateBookingInput) { inputs, kinds = append(inputs, in), append(kinds, k) }
	for range 10 {
		add(seat, r.input(domain.PaymentMethodInvoice, hotCats[0]))
	}
	twinIn := r.input(domain.PaymentMethodInvoice, openCats[0])
	twinIn.IdempotencyKey = sp(fmt.Sprintf("twin-%d", round))
	for range 8 {
		add(twin, twinIn)
	}
	for i := range 4 {
		in := r.input(domain.PaymentMethodInvoice, openCats[0])
		for range i {
			in.Tickets = append(in.Tickets, &engine.TicketInput{TicketCategoryID: openCats[0]})
		}
		in.IdempotencyKey = sp(fmt.Sprintf("reuse-%d", round))
		add(reuse, in)
	}
	for range 3 {
		add(closed, r.input(domain.PaymentMethodInvoice, closedCats[0]))
	}
	var freeEmails []string
	for range 3 {
		in := r.input(domain.PaymentMethodFree, openCats[0])
		freeEmails = append(freeEmails, in.Booker.Email)
		add(free, in)
	}

	out := make([]*ent.Booking, len(inputs))
	errs := make([]error, len(inputs))
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range inputs {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			<-start
			out[i], errs[i] = r.eng.CreateBooking(r.ctx, inputs[i])
		}(i)
	}
	close(start)
	wg.Wait()

	// What each caller was told is what the database holds.
	for i, b := range out {
		if errs[i] == nil {
			if got := r.reload(b); got.OrderNumber != b.OrderNumber || got.Status != b.Status {
				t.Errorf("booking %d was answered as %s %s, but is %s %s", b.ID, b.OrderNumber, b.Status, got.OrderNumber, got.Status)
			}
		}
	}
	var booked, soldOut, reused, reuseBooked int
	twinID := 0
	for i, err := range errs {
		switch kinds[i] {
		case seat:
			var so *domain.SoldOutError
			switch {
			case err == nil:
				booked++
			case errors.As(err, &so):
				soldOut++
			default:
				t.Errorf("booking for a seat: %v", err)
			}
		case twin:
			if err != nil {
				t.Errorf("twin: %v", err)
				continue
			}
			if twinID == 0 {
				twinID = out[i].ID
			}
			if out[i].ID != twinID {
				t.Errorf("twins got bookings %d and %d", twinID, out[i].ID)
			}
		case reuse:
			var re *domain.IdempotencyKeyReusedError
			switch {
			case err == nil:
				reuseBooked++
			case errors.As(err, &re):
				reused++
			default:
				t.Errorf("reused key: %v", err)
			}
		case closed:
			var rc *domain.RegistrationClosedError
			if !errors.As(err, &rc) {
				t.Errorf("unpublished event: %v, want RegistrationClosedError", err)
			}
		case free:
			var ve *domain.ValidationError
			if !errors.As(err, &ve) {
				t.Errorf("FREE with a total: %v, want ValidationError", err)
			}
		}
	}
	if booked != 5 || soldOut != 5 {
		t.Errorf("%d booked and %d sold out, want 5 and 5", booked, soldOut)
	}
	if reuseBooked != 1 || reused != 3 {
		t.Errorf("reused key: %d booked and %d refused, want 1 and 3", reuseBooked, reused)
	}
	if n := r.client.Participant.Query().Where(participant.EmailIn(freeEmails...)).CountX(r.ctx); n != 0 {
		t.Errorf("refused bookings left %d participants", n)
	}
	r.checkSeats(hot.ID)
	r.checkSeats(open.ID)

	// Every booking made has its own number and the numbers have no gaps:
	// refused bookings took none.
	all := r.client.Booking.Query().AllX(r.ctx)
	numbers := make([]string, len(all))
	for i, b := range all {
		numbers[i] = b.OrderNumber
	}
	sort.Strings(numbers)
	for i, n := range numbers {
		if want := fmt.Sprintf("BK-%06d", i+1); n != want {
			t.Errorf("order numbers %v, want BK-000001 to BK-%06d", numbers, len(numbers))
			break
		}
	}
}
