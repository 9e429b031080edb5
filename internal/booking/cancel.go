package booking

import (
	"context"
	"math"
	"slices"
	"time"

	"seatgraph/ent"
	"seatgraph/ent/booking"
	"seatgraph/ent/ticket"
	"seatgraph/internal/domain"
	"seatgraph/internal/money"
)

// quote is the cancellation arithmetic of docs/domain-rules.md, rule 5, shared by
// calculateCancellation and cancelBooking.
type quote struct {
	paid, kept, refund int64
	rule               *domain.CancellationRule
	hours              float64
}

// quoteFor computes what cancelling tickets of b at `at` keeps and refunds.
// paid is what the booking paid net of refunds; when only some tickets are
// cancelled, their share of it by gross price.
func quoteFor(b *ent.Booking, tickets, all []*ent.Ticket, startsAt time.Time, at time.Time, applyPolicy bool) quote {
	paid := b.PaidAmount - b.RefundedAmount
	if len(tickets) < len(all) {
		var part, whole int64
		for _, t := range all {
			whole += t.Price
		}
		for _, t := range tickets {
			part += t.Price
		}
		if whole > 0 {
			paid = roundHalfUp(paid*part, whole)
		}
	}
	paid = max(0, paid)
	q := quote{paid: paid, hours: startsAt.Sub(at).Hours()}
	if !applyPolicy {
		q.refund = paid
		return q
	}
	// The rule in force: the smallest N that is still at least the hours left.
	for i, r := range b.CancellationPolicy.Rules {
		if float64(r.HoursBeforeStart) >= q.hours && (q.rule == nil || r.HoursBeforeStart < q.rule.HoursBeforeStart) {
			q.rule = &b.CancellationPolicy.Rules[i]
		}
	}
	if q.rule != nil {
		kept := roundHalfUp(paid*q.rule.KeepPercent, 10000)
		if q.rule.FixedFee != nil {
			kept += *q.rule.FixedFee
		}
		q.kept = min(paid, kept)
	}
	q.refund = paid - q.kept
	return q
}

// Quote answers calculateCancellation: what cancelling the whole booking at
// `at` (default now) would keep and refund. It changes nothing.
func (e *Engine) Quote(ctx context.Context, bookingID int, at *time.Time) (*Quote, error) {
	var out *Quote
	err := e.read(ctx, func(tid int) error {
		b, err := e.client.Booking.Query().Where(booking.ID(bookingID), booking.TenantID(tid)).
			WithTickets(func(q *ent.TicketQuery) { q.WithEvent() }).Only(ctx)
		if ent.IsNotFound(err) {
			// A query has no payload: the GraphQL layer shows a domain
			// failure as a top-level error with a client code.
			return domain.NotFound("Booking", bookingID)
		}
		if err != nil {
			return err
		}
		when := e.clock()
		if at != nil {
			when = at.UTC()
		}
		live := liveTickets(b.Edges.Tickets)
		q := quoteFor(b, live, live, startOf(live, b.Edges.Tickets), when, true)
		out = &Quote{
			Cancellable:      b.Status != domain.BookingStatusCancelled && b.Status != domain.BookingStatusExpired,
			Paid:             money.New(q.paid, b.Currency),
			Kept:             money.New(q.kept, b.Currency),
			Refund:           money.New(q.refund, b.Currency),
			HoursBeforeStart: math.Round(q.hours*100) / 100,
		}
		if q.rule != nil {
			out.Rule = ruleOf(*q.rule, b.Currency)
		}
		return nil
	})
	return out, err
}

// read runs fn for the tenant of ctx.
func (e *Engine) read(ctx context.Context, fn func(tid int) error) error {
	tid, ok := tenantOf(ctx)
	if !ok {
		return errNoTenant
	}
	return fn(tid)
}

func liveTickets(ts []*ent.Ticket) []*ent.Ticket {
	var out []*ent.Ticket
	for _, t := range ts {
		if t.Status != domain.TicketStatusCancelled {
			out = append(out, t)
		}
	}
	return out
}

// startOf is the earliest start among the tickets' events (all tickets when
// none is live), which the policy counts hours to.
func startOf(tickets, all []*ent.Ticket) time.Time {
	if len(tickets) == 0 {
		tickets = all
	}
	var start time.Time
	for _, t := range tickets {
		if ev := t.Edges.Event; ev != nil && (start.IsZero() || ev.StartsAt.Before(start)) {
			start = ev.StartsAt
		}
	}
	return start
}

// CancelBooking cancels a booking, or some of its tickets, per its policy:
// frees their seats, promotes the waitlist and records the refund.
func (e *Engine) CancelBooking(ctx context.Context, in CancelBookingInput) (*ent.Booking, *ent.Payment, error) {
	var (
		out    *ent.Booking
		refund *ent.Payment
	)
	err := e.inTx(ctx, func(ctx context.Context, tx *ent.Tx, tid int) error {
		var err error
		out, refund, err = e.cancel(ctx, tx, tid, in, in.ApplyPolicy == nil || *in.ApplyPolicy, nil)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	out, _ = ent.Detach(out, nil)
	refund, _ = ent.Detach(refund, nil)
	return out, refund, nil
}

// cancel does CancelBooking in tx. evs, when given, are events the caller
// has locked already.
func (e *Engine) cancel(ctx context.Context, tx *ent.Tx, tid int, in CancelBookingInput, applyPolicy bool, evs map[int]*ent.Event) (*ent.Booking, *ent.Payment, error) {
	if evs == nil {
		evs = map[int]*ent.Event{}
	}
	if err := e.lockBooking(ctx, tx, tid, in.ID, evs); err != nil {
		return nil, nil, err
	}
	b, err := tx.Booking.Query().Where(booking.ID(in.ID), booking.TenantID(tid)).Only(ctx)
	if ent.IsNotFound(err) {
		return nil, nil, domain.NotFound("Booking", in.ID)
	}
	if err != nil {
		return nil, nil, err
	}
	if b.Status == domain.BookingStatusCancelled || b.Status == domain.BookingStatusExpired {
		return nil, nil, domain.InvalidState("the booking is %s already", domain.Localized(ctx, "BookingStatus", b.Status))
	}
	all, err := tx.Ticket.Query().Where(ticket.BookingID(b.ID)).WithEvent().WithRegistration().Order(ent.Asc(ticket.FieldID)).All(ctx)
	if err != nil {
		return nil, nil, err
	}
	live := liveTickets(all)
	chosen, err := chooseTickets(all, live, in.TicketIDs)
	if err != nil {
		return nil, nil, err
	}
	now := e.clock()
	q := quoteFor(b, chosen, live, startOf(chosen, all), now, applyPolicy)
	if err := e.release(ctx, tx, tid, b, chosen, evs, now); err != nil {
		return nil, nil, err
	}
	u := tx.Booking.UpdateOne(b)
	if len(chosen) == len(live) {
		u.SetStatus(domain.BookingStatusCancelled).SetCancelledAt(now).SetNillableCancellationReason(in.Reason).ClearHoldExpiresAt()
	}
	var refund *ent.Payment
	if q.refund > 0 {
		if refund, err = payBack(ctx, tx, tid, b, q.refund, in.Reason, now); err != nil {
			return nil, nil, err
		}
		u.AddRefundedAmount(q.refund).SetPaymentStatus(PaymentStatusOf(b.Total, b.PaidAmount, b.RefundedAmount+q.refund))
	}
	out, err := u.Save(ctx)
	return out, refund, err
}

// chooseTickets returns the tickets a cancellation names: all live ones, or
// those of ids, none of them cancelled already.
func chooseTickets(all, live []*ent.Ticket, ids []int) ([]*ent.Ticket, error) {
	if ids == nil {
		return live, nil
	}
	var chosen []*ent.Ticket
	for _, id := range sortedUnique(ids) {
		i := slices.IndexFunc(all, func(t *ent.Ticket) bool { return t.ID == id })
		if i < 0 {
			return nil, domain.NotFound("Ticket", id)
		}
		if all[i].Status == domain.TicketStatusCancelled {
			return nil, domain.InvalidState("ticket %s is cancelled already", all[i].Code)
		}
		chosen = append(chosen, all[i])
	}
	if len(chosen) == 0 {
		return nil, domain.Invalid("ticketIds", "name at least one ticket")
	}
	return chosen, nil
}

// payBack records a cancellation's refund as a succeeded REFUND payment, by
// the booking's payment method.
func payBack(ctx context.Context, tx *ent.Tx, tid int, b *ent.Booking, amount int64, reason *string, now time.Time) (*ent.Payment, error) {
	refund, err := tx.Payment.Create().SetTenantID(tid).SetCreatedAt(now).SetUpdatedAt(now).SetBookingID(b.ID).SetKind(domain.PaymentKindRefund).
		SetAmount(amount).SetCurrency(b.Currency).SetMethod(b.PaymentMethod).SetStatus(domain.PaymentRecordStatusSucceeded).
		SetPaidAt(now).SetNillableNote(reason).Save(ctx)
	if err != nil {
		return nil, err
	}
	return refund, recordPayment(ctx, tx, tid, refund, now)
}

// release cancels tickets and their registrations, gives their seats (or
// waitlist places) back and promotes the waitlists of their events.
func (e *Engine) release(ctx context.Context, tx *ent.Tx, tid int, b *ent.Booking, tickets []*ent.Ticket, evs map[int]*ent.Event, now time.Time) error {
	n := needOf(tickets)
	if evs == nil {
		evs = map[int]*ent.Event{}
	}
	if err := e.lockMissing(ctx, tx, tid, n.eventIDs(), evs); err != nil {
		return err
	}
	cats, err := e.lockCategories(ctx, tx, tid, n.categoryIDs())
	if err != nil {
		return err
	}
	held, heldRegs, waitingRegs := splitWaiting(tickets)
	ids := make([]int, len(tickets))
	for i, t := range tickets {
		ids[i] = t.ID
	}
	if err := tx.Ticket.Update().Where(ticket.IDIn(ids...)).SetStatus(domain.TicketStatusCancelled).Exec(ctx); err != nil {
		return err
	}
	if err := dequeue(ctx, tx, waitingRegs, domain.RegistrationStatusCancelled, evs); err != nil {
		return err
	}
	for _, r := range heldRegs {
		if err := tx.Registration.UpdateOne(r).SetStatus(domain.RegistrationStatusCancelled).Exec(ctx); err != nil {
			return err
		}
	}
	if err := take(ctx, tx, needOf(held), evs, cats, -1); err != nil {
		return err
	}
	if err := recordTickets(ctx, tx, tid, b.ID, held, domain.HistoryTicketCancelled, now); err != nil {
		return err
	}
	for _, id := range n.eventIDs() {
		if err := e.promote(ctx, tx, tid, id, evs); err != nil {
			return err
		}
	}
	return nil
}

// splitWaiting parts tickets into those that hold seats, with their
// registrations, and the registrations of those that wait.
func splitWaiting(tickets []*ent.Ticket) (held []*ent.Ticket, heldRegs, waitingRegs []*ent.Registration) {
	for _, t := range tickets {
		r := t.Edges.Registration
		switch {
		case t.Status == domain.TicketStatusWaitlisted && r != nil:
			waitingRegs = append(waitingRegs, r)
		case t.Status == domain.TicketStatusWaitlisted:
		default:
			held = append(held, t)
			if r != nil {
				heldRegs = append(heldRegs, r)
			}
		}
	}
	return held, heldRegs, waitingRegs
}

// CancelEventBookings cancels every live booking with tickets for ev with a
// full refund (docs/domain-rules.md, rule 9), inside the caller's transaction.
func (e *Engine) CancelEventBookings(ctx context.Context, tx *ent.Tx, ev *ent.Event) error {
	evs, err := e.lockEvents(ctx, tx, ev.TenantID, []int{ev.ID})
	if err != nil {
		return err
	}
	live, err := tx.Booking.Query().Where(booking.TenantID(ev.TenantID), booking.HasTicketsWith(ticket.EventID(ev.ID)),
		booking.StatusIn(domain.BookingStatusPending, domain.BookingStatusConfirmed, domain.BookingStatusWaitlisted)).
		Order(ent.Asc(booking.FieldID)).All(ctx)
	if err != nil {
		return err
	}
	// Waiting bookings go first, so seats freed by the others are not handed
	// to bookings about to be cancelled anyway.
	slices.SortStableFunc(live, func(a, b *ent.Booking) int {
		return boolInt(b.Status == domain.BookingStatusWaitlisted) - boolInt(a.Status == domain.BookingStatusWaitlisted)
	})
	reason := "the event was cancelled"
	for _, b := range live {
		if _, _, err := e.cancel(ctx, tx, ev.TenantID, CancelBookingInput{ID: b.ID, Reason: &reason}, false, evs); err != nil {
			return err
		}
	}
	return nil
}

// CapacityChanged promotes an event's waitlist after its capacity was raised,
// inside the caller's transaction.
func (e *Engine) CapacityChanged(ctx context.Context, tx *ent.Tx, ev *ent.Event) error {
	evs, err := e.lockEvents(ctx, tx, ev.TenantID, []int{ev.ID})
	if err != nil {
		return err
	}
	return e.promote(ctx, tx, ev.TenantID, ev.ID, evs)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
