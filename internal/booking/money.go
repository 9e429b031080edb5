// Package booking holds the booking rules of docs/domain-rules.md: what a booking
// costs and owes, how seats are taken and given back. It knows nothing of
// GraphQL.
package booking

import (
	"seatgraph/ent"
	"seatgraph/internal/domain"
	"seatgraph/internal/money"
)

// BalanceDue is what a booking still owes: its total less what was paid net
// of refunds, never negative; nothing once it is cancelled or expired.
func BalanceDue(b *ent.Booking) int64 {
	if b.Status == domain.BookingStatusCancelled || b.Status == domain.BookingStatusExpired {
		return 0
	}
	return max(0, b.Total-(b.PaidAmount-b.RefundedAmount))
}

// PolicyOf shows a stored cancellation policy with amounts in currency.
func PolicyOf(p domain.CancellationPolicy, currency string) *Policy {
	out := &Policy{Rules: make([]*PolicyRule, len(p.Rules))}
	for i, r := range p.Rules {
		out.Rules[i] = ruleOf(r, currency)
	}
	return out
}

func ruleOf(r domain.CancellationRule, currency string) *PolicyRule {
	rule := &PolicyRule{
		HoursBeforeStart: r.HoursBeforeStart,
		KeepPercent:      money.Decimal{Units: r.KeepPercent, Scale: 2}.Normalize(),
	}
	if r.FixedFee != nil {
		fee := money.New(*r.FixedFee, currency)
		rule.FixedFee = &fee
	}
	return rule
}

// roundHalfUp divides num by den (den > 0), rounding half away from zero.
func roundHalfUp(num, den int64) int64 {
	if num < 0 {
		return -roundHalfUp(-num, den)
	}
	return (2*num + den) / (2 * den)
}

// NetOf splits a gross price including tax at rate (hundredths of a
// percent): net = gross / (1 + rate), rounded half up to the minor unit, and
// tax = gross - net (docs/domain-rules.md, rule 4).
func NetOf(gross, rate int64) (net, tax int64) {
	net = roundHalfUp(gross*10000, 10000+rate)
	return net, gross - net
}

// PaymentStatusOf derives a booking's payment status from its total and
// its succeeded payments and refunds.
func PaymentStatusOf(total, paid, refunded int64) domain.PaymentStatus {
	switch {
	case refunded > 0 && paid-refunded <= 0:
		return domain.PaymentStatusRefunded
	case refunded > 0:
		return domain.PaymentStatusPartiallyRefunded
	case total <= 0 || paid >= total:
		return domain.PaymentStatusPaid
	case paid > 0:
		return domain.PaymentStatusPartiallyPaid
	}
	return domain.PaymentStatusUnpaid
}
