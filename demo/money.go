package demo

import (
	"crypto/rand"
	"encoding/base32"
	"time"

	"seatgraph/domain"
	"seatgraph/enums"
)

// divRoundHalfUp returns a/b rounded half away from zero; b must be positive.
func divRoundHalfUp(a, b int64) int64 {
	q, r := a/b, a%b
	if r < 0 {
		r = -r
	}
	if 2*r >= b {
		if a < 0 {
			q--
		} else {
			q++
		}
	}
	return q
}

// splitGross splits a tax-inclusive price (minor units) into its net price
// and tax: net = gross*10000/(10000+rate) rounded half up, tax = gross-net.
// rate is the tax rate in hundredths of a percent (1900 = 19 %).
func splitGross(gross, rate int64) (net, tax int64) {
	if rate <= 0 {
		return gross, 0
	}
	net = divRoundHalfUp(gross*10000, 10000+rate)
	return net, gross - net
}

// cancellationKept applies a cancellation policy (DOMAIN.md rule 5) to what
// was paid, left before the start: the rule in force is the one with the
// smallest HoursBeforeStart that is still at least the time left; with none,
// nothing is kept. kept = min(paid, paid*KeepPercent/10000 + FixedFee).
func cancellationKept(p *domain.CancellationPolicy, paid int64, left time.Duration) (kept int64, rule *domain.CancellationRule) {
	if p == nil {
		return 0, nil
	}
	for i := range p.Rules {
		r := &p.Rules[i]
		if time.Duration(r.HoursBeforeStart)*time.Hour < left {
			continue
		}
		if rule == nil || r.HoursBeforeStart < rule.HoursBeforeStart {
			rule = r
		}
	}
	if rule == nil {
		return 0, nil
	}
	kept = divRoundHalfUp(paid*rule.KeepPercent, 10000)
	if rule.FixedFee != nil {
		kept += *rule.FixedFee
	}
	return min(paid, max(kept, 0)), rule
}

// paymentStatusFor derives a booking's payment status from its total and its
// succeeded payments and refunds. Nothing due (a free booking) counts as paid.
func paymentStatusFor(total, paid, refunded int64) enums.PaymentStatus {
	switch {
	case refunded > 0 && refunded >= paid:
		return enums.PaymentStatusRefunded
	case refunded > 0:
		return enums.PaymentStatusPartiallyRefunded
	case paid >= total:
		return enums.PaymentStatusPaid
	case paid > 0:
		return enums.PaymentStatusPartiallyPaid
	default:
		return enums.PaymentStatusUnpaid
	}
}

// crockford is Crockford's base32 alphabet (no I, L, O, U), without padding.
var crockford = base32.NewEncoding("0123456789ABCDEFGHJKMNPQRSTVWXYZ").WithPadding(base32.NoPadding)

// checkInCodeBytes is the entropy of a check-in code: 80 bits, 16 characters.
const checkInCodeBytes = 10

// newCheckInCode returns an unguessable ticket code from crypto/rand.
func newCheckInCode() (string, error) {
	b := make([]byte, checkInCodeBytes)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return crockford.EncodeToString(b), nil
}
