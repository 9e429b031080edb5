package booking

import (
	"context"
	"slices"
	"time"

	entsql "entgo.io/ent/dialect/sql"

	"seatgraph/ent"
	"seatgraph/ent/booking"
	"seatgraph/ent/event"
	"seatgraph/ent/registration"
	"seatgraph/ent/ticket"
	"seatgraph/ent/ticketcategory"
	"seatgraph/internal/domain"
)

// Every transaction that changes seats or a waitlist locks the rows it
// counts on first, events before categories, each in id order, so that
// concurrent transactions queue instead of deadlocking. On SQLite the
// immediate write transaction already excludes every other writer.
//
// The locks are FOR NO KEY UPDATE, not FOR UPDATE: they exclude every other
// counter update, but not the key-share locks PostgreSQL takes on an event
// and a category for each row inserted that refers to them. A booking on
// the hot-event path (fast.go) inserts its rows first and updates the
// counters last; under FOR UPDATE, a locking transaction would wait for
// its key-share locks while it waits for the locking one's row lock, a
// deadlock each time.

// lockEvents reads events of the tenant for update, in id order.
func (e *Engine) lockEvents(ctx context.Context, tx *ent.Tx, tid int, ids []int) (map[int]*ent.Event, error) {
	ids = sortedUnique(ids)
	q := tx.Event.Query().Where(event.IDIn(ids...), event.TenantID(tid)).Order(ent.Asc(event.FieldID))
	if e.postgres() {
		q.Unique(false).Modify(noKeyUpdate)
	}
	rows, err := q.All(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[int]*ent.Event, len(rows))
	for _, r := range rows {
		out[r.ID] = r
	}
	return out, nil
}

// lockCategories reads categories for update, in id order.
func (e *Engine) lockCategories(ctx context.Context, tx *ent.Tx, tid int, ids []int) (map[int]*ent.TicketCategory, error) {
	ids = sortedUnique(ids)
	q := tx.TicketCategory.Query().Where(ticketcategory.IDIn(ids...), ticketcategory.TenantID(tid)).Order(ent.Asc(ticketcategory.FieldID))
	if e.postgres() {
		q.Unique(false).Modify(noKeyUpdate)
	}
	rows, err := q.All(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[int]*ent.TicketCategory, len(rows))
	for _, r := range rows {
		out[r.ID] = r
	}
	return out, nil
}

// noKeyUpdate locks the selected rows FOR NO KEY UPDATE (see above).
func noKeyUpdate(s *entsql.Selector) { s.For(entsql.LockNoKeyUpdate) }

func sortedUnique(ids []int) []int {
	out := slices.Clone(ids)
	slices.Sort(out)
	return slices.Compact(out)
}

// lockBooking takes, on PostgreSQL, the locks every change of a booking
// takes first: the rows of the events it has tickets for (those not in evs
// yet, which it adds). Read the booking, its tickets and payments only after
// it: under read committed, a read made before the lock misses a change
// another transaction committed while this one waited (two cancellations of
// one booking would both free its seats). SQLite's write transaction
// excludes every other writer already.
func (e *Engine) lockBooking(ctx context.Context, tx *ent.Tx, tid, bookingID int, evs map[int]*ent.Event) error {
	if !e.postgres() {
		return nil
	}
	ids, err := tx.Ticket.Query().Where(ticket.BookingID(bookingID), ticket.TenantID(tid)).
		Unique(true).Select(ticket.FieldEventID).Ints(ctx)
	if err != nil {
		return err
	}
	return e.lockMissing(ctx, tx, tid, ids, evs)
}

// free returns the seats an event has left (a large number when unlimited).
func free(ev *ent.Event) int {
	if ev.Capacity == nil {
		return 1 << 30
	}
	return *ev.Capacity - ev.RegisteredCount
}

func categoryFree(tc *ent.TicketCategory) int {
	if tc.Capacity == nil {
		return 1 << 30
	}
	return *tc.Capacity - tc.SoldCount
}

// need counts seats per event and per category of a set of tickets.
type need struct {
	events     map[int]int
	categories map[int]int
}

func needOf(tickets []*ent.Ticket) need {
	n := need{events: map[int]int{}, categories: map[int]int{}}
	for _, t := range tickets {
		n.events[t.EventID]++
		n.categories[t.TicketCategoryID]++
	}
	return n
}

func (n need) eventIDs() []int    { return keys(n.events) }
func (n need) categoryIDs() []int { return keys(n.categories) }

func keys(m map[int]int) []int {
	out := make([]int, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// fits reports whether the seats are there; firstFull is the first event (or
// the event of the first category) that lacks them. A queue in front blocks
// new seats: while anyone waits, freed seats go to the queue.
func fits(n need, evs map[int]*ent.Event, cats map[int]*ent.TicketCategory, ignoreQueue bool) (ok bool, firstFull int) {
	for _, id := range n.eventIDs() {
		ev := evs[id]
		if free(ev) < n.events[id] || (!ignoreQueue && ev.WaitlistCount > 0) {
			return false, id
		}
	}
	for _, id := range n.categoryIDs() {
		if categoryFree(cats[id]) < n.categories[id] {
			return false, cats[id].EventID
		}
	}
	return true, 0
}

// take counts seats as held (sign 1) or gives them back (sign -1), on the
// locked rows and in the database.
func take(ctx context.Context, tx *ent.Tx, n need, evs map[int]*ent.Event, cats map[int]*ent.TicketCategory, sign int) error {
	for _, id := range n.eventIDs() {
		d := sign * n.events[id]
		// Update, not UpdateOne: UpdateOne reads the row back, and evs
		// already holds it.
		if err := tx.Event.Update().Where(event.ID(id)).AddRegisteredCount(d).Exec(ctx); err != nil {
			return err
		}
		evs[id].RegisteredCount += d
	}
	for _, id := range n.categoryIDs() {
		d := sign * n.categories[id]
		if err := tx.TicketCategory.Update().Where(ticketcategory.ID(id)).AddSoldCount(d).Exec(ctx); err != nil {
			return err
		}
		cats[id].SoldCount += d
	}
	return nil
}

// enqueue puts registrations at the end of their events' waitlists, in the
// order given: a booking's registrations take consecutive positions.
func enqueue(ctx context.Context, tx *ent.Tx, regs []*ent.Registration, evs map[int]*ent.Event) error {
	for _, r := range regs {
		ev := evs[r.EventID]
		ev.WaitlistCount++
		pos := ev.WaitlistCount
		if err := tx.Registration.UpdateOne(r).SetStatus(domain.RegistrationStatusWaitlisted).SetWaitlistPosition(pos).Exec(ctx); err != nil {
			return err
		}
		r.Status, r.WaitlistPosition = domain.RegistrationStatusWaitlisted, &pos
		if err := tx.Event.UpdateOneID(ev.ID).AddWaitlistCount(1).Exec(ctx); err != nil {
			return err
		}
	}
	return nil
}

// dequeue takes registrations off their waitlists (they get status to) and
// closes the gaps, so positions stay 1..n.
func dequeue(ctx context.Context, tx *ent.Tx, regs []*ent.Registration, to domain.RegistrationStatus, evs map[int]*ent.Event) error {
	byEvent := map[int]int{}
	for _, r := range regs {
		if err := tx.Registration.UpdateOne(r).SetStatus(to).ClearWaitlistPosition().Exec(ctx); err != nil {
			return err
		}
		r.Status, r.WaitlistPosition = to, nil
		byEvent[r.EventID]++
	}
	for _, id := range keys(byEvent) {
		if err := tx.Event.UpdateOneID(id).AddWaitlistCount(-byEvent[id]).Exec(ctx); err != nil {
			return err
		}
		evs[id].WaitlistCount -= byEvent[id]
		if err := renumber(ctx, tx, id); err != nil {
			return err
		}
	}
	return nil
}

// renumber gives an event's waiting registrations positions 1..n in their
// current order.
func renumber(ctx context.Context, tx *ent.Tx, eventID int) error {
	waiting, err := tx.Registration.Query().
		Where(registration.EventID(eventID), registration.StatusEQ(domain.RegistrationStatusWaitlisted)).
		Order(ent.Asc(registration.FieldWaitlistPosition), ent.Asc(registration.FieldID)).All(ctx)
	if err != nil {
		return err
	}
	for i, r := range waiting {
		if r.WaitlistPosition == nil || *r.WaitlistPosition != i+1 {
			if err := tx.Registration.UpdateOne(r).SetWaitlistPosition(i + 1).Exec(ctx); err != nil {
				return err
			}
		}
	}
	return nil
}

// promote fills freed seats of an event from its waitlist, first in, first
// out, as far as they go (docs/domain-rules.md, rule 3). A waitlisted booking that does
// not fit stops the queue: smaller ones behind it do not overtake it.
func (e *Engine) promote(ctx context.Context, tx *ent.Tx, tid, eventID int, evs map[int]*ent.Event) error {
	for {
		ev := evs[eventID]
		if ev.WaitlistCount == 0 || free(ev) <= 0 {
			return nil
		}
		head, err := tx.Registration.Query().
			Where(registration.EventID(eventID), registration.StatusEQ(domain.RegistrationStatusWaitlisted)).
			Order(ent.Asc(registration.FieldWaitlistPosition), ent.Asc(registration.FieldID)).
			WithTicket().First(ctx)
		if ent.IsNotFound(err) {
			return nil
		}
		if err != nil {
			return err
		}
		if head.Edges.Ticket == nil {
			// A registration of its own takes one seat and gets the status
			// it asked for.
			if err := dequeue(ctx, tx, []*ent.Registration{head}, head.RequestedStatus, evs); err != nil {
				return err
			}
			if err := tx.Event.UpdateOneID(eventID).AddRegisteredCount(1).Exec(ctx); err != nil {
				return err
			}
			ev.RegisteredCount++
			continue
		}
		promoted, err := e.promoteBooking(ctx, tx, tid, head.Edges.Ticket.BookingID, evs)
		if err != nil || !promoted {
			return err
		}
	}
}

// promoteBooking moves a waitlisted booking to PENDING (or CONFIRMED when
// nothing is due) if every one of its events has the seats and has it at the
// head of its queue; it reports whether it did.
func (e *Engine) promoteBooking(ctx context.Context, tx *ent.Tx, tid, bookingID int, evs map[int]*ent.Event) (bool, error) {
	b, err := tx.Booking.Query().Where(booking.ID(bookingID)).
		WithTickets(func(q *ent.TicketQuery) {
			q.Where(ticket.StatusEQ(domain.TicketStatusWaitlisted)).WithRegistration()
		}).Only(ctx)
	if err != nil {
		return false, err
	}
	n := needOf(b.Edges.Tickets)
	// Events of the booking beyond the one being filled are locked here;
	// a lock-order conflict with another transaction is retried by inTx.
	if err := e.lockMissing(ctx, tx, tid, n.eventIDs(), evs); err != nil {
		return false, err
	}
	cats, err := e.lockCategories(ctx, tx, tid, n.categoryIDs())
	if err != nil {
		return false, err
	}
	if ok, _ := fits(n, evs, cats, true); !ok {
		return false, nil
	}
	regs, first := headOfQueues(b.Edges.Tickets, n)
	if !first {
		return false, nil // someone waits in front of it on one of its events
	}
	now := e.clock()
	regStatus, err := e.admit(ctx, tx, b, now)
	if err != nil {
		return false, err
	}
	if err := dequeue(ctx, tx, regs, regStatus, evs); err != nil {
		return false, err
	}
	if err := take(ctx, tx, n, evs, cats, 1); err != nil {
		return false, err
	}
	if _, err := tx.Ticket.Update().Where(ticket.BookingID(b.ID), ticket.StatusEQ(domain.TicketStatusWaitlisted)).
		SetStatus(domain.TicketStatusActive).Save(ctx); err != nil {
		return false, err
	}
	return true, recordBooked(ctx, tx, tid, b.ID, b.Edges.Tickets, now)
}

// lockMissing locks the events of ids that are not in evs yet and adds them.
func (e *Engine) lockMissing(ctx context.Context, tx *ent.Tx, tid int, ids []int, evs map[int]*ent.Event) error {
	var missing []int
	for _, id := range ids {
		if evs[id] == nil {
			missing = append(missing, id)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	locked, err := e.lockEvents(ctx, tx, tid, missing)
	for id, ev := range locked {
		evs[id] = ev
	}
	return err
}

// headOfQueues returns the registrations of a waiting booking's tickets and
// whether they are at the head of every queue they wait in: a booking's
// registrations take consecutive positions, so on each event they must take
// positions 1..n.
func headOfQueues(tickets []*ent.Ticket, n need) ([]*ent.Registration, bool) {
	var regs []*ent.Registration
	for _, t := range tickets {
		if r := t.Edges.Registration; r != nil {
			if r.WaitlistPosition == nil || *r.WaitlistPosition > n.events[r.EventID] {
				return nil, false
			}
			regs = append(regs, r)
		}
	}
	return regs, true
}

// admit gives a promoted booking its status: CONFIRMED when nothing is due
// (or it is paid by invoice), else PENDING with a new hold. It returns the
// status its registrations get.
func (e *Engine) admit(ctx context.Context, tx *ent.Tx, b *ent.Booking, now time.Time) (domain.RegistrationStatus, error) {
	status, regStatus := domain.BookingStatusPending, domain.RegistrationStatusPending
	u := tx.Booking.UpdateOne(b)
	if b.Total-(b.PaidAmount-b.RefundedAmount) <= 0 || b.PaymentMethod == domain.PaymentMethodInvoice {
		status, regStatus = domain.BookingStatusConfirmed, domain.RegistrationStatusAccepted
		u.SetConfirmedAt(now).ClearHoldExpiresAt()
	} else {
		hold := now.Add(e.hold)
		u.SetHoldExpiresAt(hold)
		e.noteHold(hold)
	}
	return regStatus, u.SetStatus(status).Exec(ctx)
}
