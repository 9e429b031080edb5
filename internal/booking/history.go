package booking

import (
	"context"
	"seatgraph/ent/ticket"
	"time"

	"seatgraph/ent"
	"seatgraph/internal/domain"
)

// History rows record what happened, when (docs/domain-rules.md, rule 12); event
// statistics are computed from them.

// recordBooked writes one TICKET_BOOKED row per ticket that took a seat.
func recordBooked(ctx context.Context, tx *ent.Tx, tid, bookingID int, tickets []*ent.Ticket, at time.Time) error {
	return recordTickets(ctx, tx, tid, bookingID, tickets, domain.HistoryTicketBooked, at)
}

func recordTickets(ctx context.Context, tx *ent.Tx, tid, bookingID int, tickets []*ent.Ticket, kind domain.HistoryKind, at time.Time) error {
	if len(tickets) == 0 {
		return nil
	}
	rows := make([]*ent.HistoryCreate, len(tickets))
	for i, t := range tickets {
		rows[i] = tx.History.Create().SetTenantID(tid).SetKind(kind).SetOccurredAt(at).
			SetEventID(t.EventID).SetBookingID(bookingID).SetTicketID(t.ID).SetQuantity(1).
			SetAmount(t.Price).SetCurrency(t.Currency)
	}
	return tx.History.CreateBulk(rows...).Exec(ctx)
}

// recordPayment writes a succeeded payment or refund, split over the events
// of the booking by the gross price of their tickets, so each event's
// revenue adds up to what was paid.
func recordPayment(ctx context.Context, tx *ent.Tx, tid int, p *ent.Payment, at time.Time) error {
	kind := domain.HistoryPaymentSucceeded
	if p.Kind == domain.PaymentKindRefund {
		kind = domain.HistoryRefundSucceeded
	}
	tickets, err := tx.Ticket.Query().Where(ticket.BookingID(p.BookingID)).All(ctx)
	if err != nil {
		return err
	}
	shares := map[int]int64{}
	var total int64
	var order []int
	for _, t := range tickets {
		if _, ok := shares[t.EventID]; !ok {
			order = append(order, t.EventID)
		}
		shares[t.EventID] += t.Price
		total += t.Price
	}
	if len(order) == 0 {
		return nil
	}
	left := p.Amount
	for i, ev := range order {
		part := left
		if i < len(order)-1 && total > 0 {
			part = roundHalfUp(p.Amount*shares[ev], total)
			left -= part
		} else if i < len(order)-1 {
			part = 0
		}
		if err := tx.History.Create().SetTenantID(tid).SetKind(kind).SetOccurredAt(at).
			SetEventID(ev).SetBookingID(p.BookingID).SetPaymentID(p.ID).
			SetAmount(part).SetCurrency(p.Currency).Exec(ctx); err != nil {
			return err
		}
	}
	return nil
}

// recordCheckIn writes a check-in or its undoing.
func recordCheckIn(ctx context.Context, tx *ent.Tx, tid int, t *ent.Ticket, kind domain.HistoryKind, at time.Time) error {
	return tx.History.Create().SetTenantID(tid).SetKind(kind).SetOccurredAt(at).
		SetEventID(t.EventID).SetBookingID(t.BookingID).SetTicketID(t.ID).SetQuantity(1).Exec(ctx)
}
