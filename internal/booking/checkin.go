package booking

import (
	"context"
	"strings"

	"seatgraph/ent"
	"seatgraph/ent/ticket"
	"seatgraph/internal/domain"
)

// Reasons a ticket is not admitted.
const (
	ReasonCancelled    = "CANCELLED"
	ReasonWaitlisted   = "WAITLISTED"
	ReasonNotConfirmed = "BOOKING_NOT_CONFIRMED"
	ReasonOtherEvent   = "OTHER_EVENT"
)

// CheckInTicket admits a ticket once: only while it is ACTIVE and its
// booking CONFIRMED (docs/domain-rules.md, rule 7).
func (e *Engine) CheckInTicket(ctx context.Context, in CheckInTicketInput) (*ent.Ticket, error) {
	code := strings.ToUpper(strings.TrimSpace(in.Code))
	var out *ent.Ticket
	err := e.inTx(ctx, func(ctx context.Context, tx *ent.Tx, tid int) error {
		t, err := tx.Ticket.Query().Where(ticket.Code(code), ticket.TenantID(tid)).WithBooking().Only(ctx)
		if ent.IsNotFound(err) {
			return &domain.TicketNotFoundError{Message: "no ticket has this code"}
		}
		if err != nil {
			return err
		}
		notValid := func(reason, msg string) error {
			return &domain.TicketNotValidError{Reason: reason, Message: msg}
		}
		switch {
		case in.EventID != nil && *in.EventID != t.EventID:
			return notValid(ReasonOtherEvent, "the ticket is for another event")
		case t.Status == domain.TicketStatusCancelled:
			return notValid(ReasonCancelled, "the ticket is cancelled")
		case t.Status == domain.TicketStatusWaitlisted:
			return notValid(ReasonWaitlisted, "the ticket is on the waitlist")
		case t.Edges.Booking.Status != domain.BookingStatusConfirmed:
			return notValid(ReasonNotConfirmed, "the booking is not confirmed")
		case t.CheckedInAt != nil:
			return &domain.AlreadyCheckedInError{CheckedInAt: *t.CheckedInAt, Message: "the ticket was checked in before"}
		}
		now := e.clock()
		// The guard on checked_in_at admits exactly one of two scans that
		// race (PostgreSQL; on SQLite writers are serial anyway).
		n, err := tx.Ticket.Update().Where(ticket.ID(t.ID), ticket.CheckedInAtIsNil()).SetCheckedInAt(now).Save(ctx)
		if err != nil {
			return err
		}
		if n == 0 {
			again, err := tx.Ticket.Get(ctx, t.ID)
			if err != nil {
				return err
			}
			return &domain.AlreadyCheckedInError{CheckedInAt: *again.CheckedInAt, Message: "the ticket was checked in before"}
		}
		if err := tx.Event.UpdateOneID(t.EventID).AddCheckedInCount(1).Exec(ctx); err != nil {
			return err
		}
		if err := recordCheckIn(ctx, tx, tid, t, domain.HistoryCheckedIn, now); err != nil {
			return err
		}
		out, err = tx.Ticket.Get(ctx, t.ID)
		return err
	})
	return ent.Detach(out, err)
}

// UndoCheckIn reverses a check-in.
func (e *Engine) UndoCheckIn(ctx context.Context, in UndoCheckInInput) (*ent.Ticket, error) {
	var out *ent.Ticket
	err := e.inTx(ctx, func(ctx context.Context, tx *ent.Tx, tid int) error {
		t, err := tx.Ticket.Query().Where(ticket.ID(in.ID), ticket.TenantID(tid)).Only(ctx)
		if ent.IsNotFound(err) {
			return domain.NotFound("Ticket", in.ID)
		}
		if err != nil {
			return err
		}
		if t.CheckedInAt == nil {
			return domain.InvalidState("the ticket is not checked in")
		}
		// Guarded like the check-in: of two undos that race, one reverses
		// it and the other finds it not checked in (PostgreSQL).
		n, err := tx.Ticket.Update().Where(ticket.ID(t.ID), ticket.CheckedInAtNotNil()).ClearCheckedInAt().Save(ctx)
		if err != nil {
			return err
		}
		if n == 0 {
			return domain.InvalidState("the ticket is not checked in")
		}
		if out, err = tx.Ticket.Get(ctx, t.ID); err != nil {
			return err
		}
		if err := tx.Event.UpdateOneID(t.EventID).AddCheckedInCount(-1).Exec(ctx); err != nil {
			return err
		}
		return recordCheckIn(ctx, tx, tid, t, domain.HistoryCheckInUndone, e.clock())
	})
	return ent.Detach(out, err)
}
