// Package booking holds the booking rules of DOMAIN.md: what a booking
// costs and owes, how seats are taken and given back. It knows nothing of
// GraphQL.
package booking

import (
	"seatgraph/ent"
	"seatgraph/enums"
)

// BalanceDue is what a booking still owes: its total less what was paid net
// of refunds, never negative; nothing once it is cancelled or expired.
func BalanceDue(b *ent.Booking) int64 {
	if b.Status == enums.BookingStatusCancelled || b.Status == enums.BookingStatusExpired {
		return 0
	}
	return max(0, b.Total-(b.PaidAmount-b.RefundedAmount))
}
