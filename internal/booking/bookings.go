package booking

import (
	"context"
	"strings"

	"seatgraph/ent"
	"seatgraph/ent/booking"
	"seatgraph/ent/participant"
	"seatgraph/internal/catalog"
	"seatgraph/internal/domain"
)

// SetBooker changes the booker of a booking; the person is matched to a
// participant by e-mail, or created.
func (e *Engine) SetBooker(ctx context.Context, in SetBookerInput) (*ent.Booking, error) {
	person, err := catalog.ValidatePerson("booker.", in.Booker)
	if err != nil {
		return nil, err
	}
	var out *ent.Booking
	err = e.inTx(ctx, func(ctx context.Context, tx *ent.Tx, tid int) error {
		b, err := loadBooking(ctx, tx, tid, in.ID)
		if err != nil {
			return err
		}
		p, err := findOrCreate(ctx, tx, tid, person)
		if err != nil {
			return err
		}
		out, err = tx.Booking.UpdateOne(b).SetBooker(p).Save(ctx)
		return err
	})
	return ent.Detach(out, err)
}

// SetInvoiceNumber sets the organizer's invoice number, unique per tenant.
func (e *Engine) SetInvoiceNumber(ctx context.Context, in SetInvoiceNumberInput) (*ent.Booking, error) {
	number := strings.TrimSpace(in.InvoiceNumber)
	if number == "" || len(number) > 100 {
		return nil, domain.Invalid("invoiceNumber", "must be 1 to 100 characters")
	}
	var out *ent.Booking
	err := e.inTx(ctx, func(ctx context.Context, tx *ent.Tx, tid int) error {
		b, err := loadBooking(ctx, tx, tid, in.ID)
		if err != nil {
			return err
		}
		taken, err := tx.Booking.Query().Where(booking.TenantID(tid), booking.InvoiceNumber(number), booking.IDNEQ(b.ID)).Exist(ctx)
		if err != nil {
			return err
		}
		if taken {
			return domain.Invalid("invoiceNumber", "another booking has this invoice number")
		}
		out, err = tx.Booking.UpdateOne(b).SetInvoiceNumber(number).Save(ctx)
		return err
	})
	return ent.Detach(out, err)
}

// ByOrderNumber finds a booker's own booking; nil unless both the order
// number and the booker's e-mail match.
func (e *Engine) ByOrderNumber(ctx context.Context, orderNumber, email string) (*ent.Booking, error) {
	tid, ok := tenantOf(ctx)
	if !ok {
		return nil, errNoTenant
	}
	b, err := e.client.Booking.Query().Where(booking.TenantID(tid), booking.OrderNumber(strings.TrimSpace(orderNumber)),
		booking.HasBookerWith(participant.Email(strings.ToLower(strings.TrimSpace(email))))).Only(ctx)
	if ent.IsNotFound(err) {
		return nil, nil
	}
	return b, err
}
