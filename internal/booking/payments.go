package booking

import (
	"context"
	"strings"

	"seatgraph/ent"
	"seatgraph/ent/booking"
	"seatgraph/ent/payment"
	"seatgraph/ent/registration"
	"seatgraph/ent/ticket"
	"seatgraph/internal/domain"
	"seatgraph/internal/money"
)

// RecordPayment records money received for a booking. A succeeded payment
// that covers the total confirms a PENDING booking.
func (e *Engine) RecordPayment(ctx context.Context, in RecordPaymentInput) (*ent.Payment, *ent.Booking, error) {
	var (
		p *ent.Payment
		b *ent.Booking
	)
	err := e.inTx(ctx, func(ctx context.Context, tx *ent.Tx, tid int) error {
		if err := e.lockBooking(ctx, tx, tid, in.BookingID, map[int]*ent.Event{}); err != nil {
			return err
		}
		var err error
		if b, err = loadBooking(ctx, tx, tid, in.BookingID); err != nil {
			return err
		}
		if b.Status == domain.BookingStatusCancelled || b.Status == domain.BookingStatusExpired || b.Status == domain.BookingStatusWaitlisted {
			return domain.InvalidState("a %s booking takes no payments", strings.ToLower(string(b.Status)))
		}
		// A hold that ran out is expired, whether or not the sweep has
		// reached it yet: the outcome must not depend on its timing.
		if b.Status == domain.BookingStatusPending && b.HoldExpiresAt != nil && !e.clock().Before(*b.HoldExpiresAt) {
			return domain.InvalidState("the booking's hold ran out; it takes no payments")
		}
		amount, err := positiveAmount("amount", in.Amount, b.Currency)
		if err != nil {
			return err
		}
		status := domain.PaymentRecordStatusSucceeded
		if in.Status != nil {
			status = *in.Status
		}
		now := e.clock()
		pc := tx.Payment.Create().SetTenantID(tid).SetCreatedAt(now).SetUpdatedAt(now).SetBookingID(b.ID).SetKind(domain.PaymentKindPayment).
			SetAmount(amount).SetCurrency(b.Currency).SetMethod(in.Method).SetStatus(status).
			SetNillableProviderReference(in.ProviderReference).SetNillableNote(in.Note)
		if status == domain.PaymentRecordStatusSucceeded {
			pc.SetPaidAt(now)
		}
		if p, err = pc.Save(ctx); err != nil {
			return err
		}
		if status == domain.PaymentRecordStatusSucceeded {
			b, err = e.settle(ctx, tx, tid, b, p)
		}
		return err
	})
	return detach2(p, b, err)
}

// positiveAmount reads a money input in the booking's currency.
func positiveAmount(field string, d money.Decimal, currency string) (int64, error) {
	u, err := money.ParseAmount(d, currency)
	if err != nil {
		return 0, domain.Invalid(field, "%v", err)
	}
	if u <= 0 {
		return 0, domain.Invalid(field, "must be positive")
	}
	return u, nil
}

func loadBooking(ctx context.Context, tx *ent.Tx, tid, id int) (*ent.Booking, error) {
	b, err := tx.Booking.Query().Where(booking.ID(id), booking.TenantID(tid)).Only(ctx)
	if ent.IsNotFound(err) {
		return nil, domain.NotFound("Booking", id)
	}
	return b, err
}

// settle applies a payment or refund that succeeded to its booking: amounts,
// payment status, history, and confirmation once the total is covered.
func (e *Engine) settle(ctx context.Context, tx *ent.Tx, tid int, b *ent.Booking, p *ent.Payment) (*ent.Booking, error) {
	now := e.clock()
	paid, refunded := b.PaidAmount, b.RefundedAmount
	u := tx.Booking.UpdateOne(b)
	if p.Kind == domain.PaymentKindRefund {
		refunded += p.Amount
		u.AddRefundedAmount(p.Amount)
	} else {
		paid += p.Amount
		u.AddPaidAmount(p.Amount)
	}
	u.SetPaymentStatus(PaymentStatusOf(b.Total, paid, refunded))
	if b.Status == domain.BookingStatusPending && paid-refunded >= b.Total {
		u.SetStatus(domain.BookingStatusConfirmed).SetConfirmedAt(now).ClearHoldExpiresAt()
		if err := tx.Registration.Update().
			Where(registration.HasTicketWith(ticket.BookingID(b.ID)), registration.StatusEQ(domain.RegistrationStatusPending)).
			SetStatus(domain.RegistrationStatusAccepted).Exec(ctx); err != nil {
			return nil, err
		}
	}
	if err := recordPayment(ctx, tx, tid, p, now); err != nil {
		return nil, err
	}
	return u.Save(ctx)
}

// paymentMoves are the status changes a payment may make.
var paymentMoves = map[domain.PaymentRecordStatus][]domain.PaymentRecordStatus{
	domain.PaymentRecordStatusPending: {domain.PaymentRecordStatusSucceeded, domain.PaymentRecordStatusFailed, domain.PaymentRecordStatusCancelled},
}

// UpdatePaymentStatus moves a PENDING payment to SUCCEEDED, FAILED or
// CANCELLED; a settled payment does not change (refund it instead).
func (e *Engine) UpdatePaymentStatus(ctx context.Context, in UpdatePaymentStatusInput) (*ent.Payment, *ent.Booking, error) {
	var (
		p *ent.Payment
		b *ent.Booking
	)
	err := e.inTx(ctx, func(ctx context.Context, tx *ent.Tx, tid int) error {
		if err := e.lockPayment(ctx, tx, tid, in.ID); err != nil {
			return err
		}
		var err error
		if p, err = loadPayment(ctx, tx, tid, in.ID); err != nil {
			return err
		}
		if b, err = loadBooking(ctx, tx, tid, p.BookingID); err != nil {
			return err
		}
		if p.Status == in.Status {
			return nil
		}
		allowed := false
		for _, s := range paymentMoves[p.Status] {
			allowed = allowed || s == in.Status
		}
		if !allowed {
			return domain.InvalidState("a %s payment cannot become %s", p.Status, in.Status)
		}
		pu := tx.Payment.UpdateOne(p).SetStatus(in.Status)
		if in.Status == domain.PaymentRecordStatusSucceeded {
			if p.Kind == domain.PaymentKindRefund && p.Amount > b.PaidAmount-b.RefundedAmount {
				return domain.Invalid("status", "the refund exceeds what was paid")
			}
			pu.SetPaidAt(e.clock())
		}
		if p, err = pu.Save(ctx); err != nil {
			return err
		}
		if in.Status == domain.PaymentRecordStatusSucceeded {
			b, err = e.settle(ctx, tx, tid, b, p)
		}
		return err
	})
	return detach2(p, b, err)
}

func loadPayment(ctx context.Context, tx *ent.Tx, tid, id int) (*ent.Payment, error) {
	p, err := tx.Payment.Query().Where(payment.ID(id), payment.TenantID(tid)).Only(ctx)
	if ent.IsNotFound(err) {
		return nil, domain.NotFound("Payment", id)
	}
	return p, err
}

// lockPayment takes the locks of the payment's booking (see lockBooking)
// before the payment is read, so that two settlements of one payment, or two
// refunds of it, cannot both pass their checks.
func (e *Engine) lockPayment(ctx context.Context, tx *ent.Tx, tid, id int) error {
	if !e.postgres() {
		return nil
	}
	p, err := tx.Payment.Query().Where(payment.ID(id), payment.TenantID(tid)).Select(payment.FieldBookingID).Only(ctx)
	if ent.IsNotFound(err) {
		return nil // loadPayment reports it
	}
	if err != nil {
		return err
	}
	return e.lockBooking(ctx, tx, tid, p.BookingID, map[int]*ent.Event{})
}

// RefundPayment pays money back against a succeeded payment; a refund never
// exceeds what was paid net of earlier refunds (docs/domain-rules.md, rule 4).
func (e *Engine) RefundPayment(ctx context.Context, in RefundPaymentInput) (*ent.Payment, *ent.Booking, error) {
	var (
		refund *ent.Payment
		b      *ent.Booking
	)
	err := e.inTx(ctx, func(ctx context.Context, tx *ent.Tx, tid int) error {
		if err := e.lockPayment(ctx, tx, tid, in.ID); err != nil {
			return err
		}
		p, err := loadPayment(ctx, tx, tid, in.ID)
		if err != nil {
			return err
		}
		if p.Kind != domain.PaymentKindPayment || p.Status != domain.PaymentRecordStatusSucceeded {
			return domain.InvalidState("only a succeeded payment can be refunded")
		}
		if b, err = loadBooking(ctx, tx, tid, p.BookingID); err != nil {
			return err
		}
		amount, err := positiveAmount("amount", in.Amount, b.Currency)
		if err != nil {
			return err
		}
		if amount > b.PaidAmount-b.RefundedAmount {
			return domain.Invalid("amount", "at most %s can be refunded", money.New(b.PaidAmount-b.RefundedAmount, b.Currency).Amount())
		}
		if amount > p.Amount {
			return domain.Invalid("amount", "at most the payment's %s can be refunded", money.New(p.Amount, b.Currency).Amount())
		}
		now := e.clock()
		refund, err = tx.Payment.Create().SetTenantID(tid).SetCreatedAt(now).SetUpdatedAt(now).SetBookingID(b.ID).SetKind(domain.PaymentKindRefund).
			SetAmount(amount).SetCurrency(b.Currency).SetMethod(p.Method).SetStatus(domain.PaymentRecordStatusSucceeded).
			SetPaidAt(now).SetNillableNote(in.Reason).SetNillableProviderReference(p.ProviderReference).Save(ctx)
		if err != nil {
			return err
		}
		b, err = e.settle(ctx, tx, tid, b, refund)
		return err
	})
	return detach2(refund, b, err)
}

// detach2 detaches a payment and its booking after their transaction.
func detach2(p *ent.Payment, b *ent.Booking, err error) (*ent.Payment, *ent.Booking, error) {
	if err != nil {
		return nil, nil, err
	}
	p, _ = ent.Detach(p, nil)
	b, _ = ent.Detach(b, nil)
	return p, b, nil
}
