package main

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// consistencyChecks are queries that count the rows breaking a rule the
// booking engine keeps; each must count 0. They hold for engine-made and
// bulk-made data alike, which is how the bulk seeder is held to the
// engine's rules. Order numbers and ticket codes are unique by the
// schema's unique indexes, so the inserts themselves would have failed.
var consistencyChecks = []struct{ rule, query string }{
	{"events' registered_count is their accepted and pending registrations",
		`SELECT COUNT(*) FROM events e LEFT JOIN (SELECT event_id, COUNT(*) AS n FROM registrations
		 WHERE tenant_id = $1 AND status IN ('ACCEPTED', 'PENDING') GROUP BY event_id) r ON r.event_id = e.id
		 WHERE e.tenant_id = $1 AND e.registered_count <> COALESCE(r.n, 0)`},
	{"events hold no more than their capacity",
		`SELECT COUNT(*) FROM events WHERE tenant_id = $1 AND capacity IS NOT NULL AND registered_count > capacity`},
	{"categories' sold_count is their active tickets",
		`SELECT COUNT(*) FROM ticket_categories c LEFT JOIN (SELECT ticket_category_id, COUNT(*) AS n FROM tickets
		 WHERE tenant_id = $1 AND status = 'ACTIVE' GROUP BY ticket_category_id) t ON t.ticket_category_id = c.id
		 WHERE c.tenant_id = $1 AND c.sold_count <> COALESCE(t.n, 0)`},
	{"categories sell no more than their quota",
		`SELECT COUNT(*) FROM ticket_categories WHERE tenant_id = $1 AND capacity IS NOT NULL AND sold_count > capacity`},
	{"a ticket's price is its net price plus its tax",
		`SELECT COUNT(*) FROM tickets WHERE tenant_id = $1 AND price <> net_price + tax_amount`},
	{"a booking's totals are the sums of its tickets' snapshots",
		`SELECT COUNT(*) FROM bookings b JOIN (SELECT booking_id, SUM(price) AS g, SUM(net_price) AS n, SUM(tax_amount) AS x
		 FROM tickets WHERE tenant_id = $1 GROUP BY booking_id) t ON t.booking_id = b.id
		 WHERE b.total <> t.g OR b.subtotal <> t.n OR b.tax_total <> t.x`},
	{"a booking's paid amount is its succeeded payments",
		`SELECT COUNT(*) FROM bookings b LEFT JOIN (SELECT booking_id, SUM(amount) AS paid FROM payments
		 WHERE tenant_id = $1 AND kind = 'PAYMENT' AND status = 'SUCCEEDED' GROUP BY booking_id) p ON p.booking_id = b.id
		 WHERE b.tenant_id = $1 AND b.paid_amount <> COALESCE(p.paid, 0)`},
	{"a booking's payment status follows from its amounts",
		`SELECT COUNT(*) FROM bookings WHERE tenant_id = $1 AND refunded_amount = 0 AND payment_status <>
		 CASE WHEN total <= 0 OR paid_amount >= total THEN 'PAID' WHEN paid_amount > 0 THEN 'PARTIALLY_PAID' ELSE 'UNPAID' END`},
	{"a ticket's registration is of its event and its holder",
		`SELECT COUNT(*) FROM tickets t LEFT JOIN registrations r ON r.id = t.registration_id
		 WHERE t.tenant_id = $1 AND (r.id IS NULL OR r.event_id <> t.event_id OR r.participant_id <> t.holder_id)`},
	{"every booking is linked to the events of its tickets",
		`SELECT COUNT(*) FROM tickets t LEFT JOIN event_bookings eb ON eb.event_id = t.event_id AND eb.booking_id = t.booking_id
		 WHERE t.tenant_id = $1 AND eb.booking_id IS NULL`},
	{"the tenant's order sequence is past every booking",
		`SELECT COUNT(*) FROM tenants WHERE id = $1 AND order_seq < (SELECT COUNT(*) FROM bookings WHERE tenant_id = $1)`},
}

// Each check is a join of grouped rows rather than a subquery per row: the
// tables' indexes lead with tenant_id, which a correlated subquery would
// not use, and a million bookings must be checked in seconds.

// checkConsistency runs the checks and returns an error naming the rules
// broken.
func checkConsistency(ctx context.Context, db *sql.DB, d string, tid int) error {
	var broken []string
	for _, c := range consistencyChecks {
		q := c.query
		if d != "postgres" {
			q = strings.ReplaceAll(q, "$1", "?1")
		}
		var n int
		if err := db.QueryRowContext(ctx, q, tid).Scan(&n); err != nil {
			return fmt.Errorf("check %q: %w", c.rule, err)
		}
		if n != 0 {
			broken = append(broken, fmt.Sprintf("%s: %d rows break it", c.rule, n))
		}
	}
	if len(broken) > 0 {
		return fmt.Errorf("the data set is not consistent:\n  %s", strings.Join(broken, "\n  "))
	}
	return nil
}
