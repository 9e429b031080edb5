package booking

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"time"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"

	"seatgraph/ent"
	"seatgraph/ent/booking"
	"seatgraph/ent/event"
	"seatgraph/ent/tenant"
	"seatgraph/ent/ticket"
	"seatgraph/ent/ticketcategory"
	"seatgraph/internal/domain"
	"seatgraph/internal/store"
)

// The hot-event path on PostgreSQL. Locking the event row first (SELECT
// ... FOR UPDATE) and keeping it through a dozen round trips makes every
// booking of a hot event wait for the whole transaction of the one before
// it. Here the transaction reads the event and its category without
// locking them, writes the booking, its registrations, tickets and history
// rows, and takes the seats last, in one statement: guarded updates of the
// event's and the category's counters, which apply only if the seats are
// still there, no queue stands in front, and what the rules were checked
// against (status, registration window, limits, price, sales window) is
// unchanged; in the same statement, the tenant's next order number. The
// rows stay locked only from that statement to the commit. PostgreSQL
// re-checks an UPDATE's condition on the newest version of a row it had to
// wait for, so two processes racing for the last seats cannot both get
// them (docs/domain-rules.md, rule 1).
//
// Whenever the read shows anything but the plain case (several events or
// categories, seats short, a queue, holds due to expire) the booking takes
// the locking path, which decides sold out, waitlist and expiry under
// lock, as always. When the guarded statement finds the rows changed since
// they were read, the transaction is rolled back and run again on the
// locking path (errFastMissed).
//
// On SQLite the path serves the bookings of a group only (batch.go): its
// transaction holds the write lock from the start, so the counters read
// are current and need no guards; what the path saves there is writing
// the event's, the category's and the tenant's rows once per group
// instead of once per booking.

// errNotFast: the read shows a case for the locking path; nothing was
// written yet.
var errNotFast = errors.New("booking: not a case for the hot-event path")

// errFastMissed: the seats could not be taken as read; the transaction
// must be rolled back and run on the locking path.
var errFastMissed = errors.New("booking: seats changed since read, taking the locking path")

// slowKey marks a context whose booking takes the locking path.
type slowKey struct{}

func lockingPath(ctx context.Context) bool { return ctx.Value(slowKey{}) != nil }

// takeSeatsSQL takes the seats of one category of one event and the next
// order number, and gives the booking its number, in one statement. $1
// event, $2 tenant, $3 seats, $4 now, $5.. $10 the event as read, $11
// category, $12.. $15 the category as read, $16 booking. No row comes
// back unless every part applied.
const takeSeatsSQL = `WITH ev AS (
	UPDATE events SET registered_count = registered_count + $3, updated_at = $4
	WHERE id = $1 AND tenant_id = $2 AND status = 'PUBLISHED' AND waitlist_count = 0
		AND (capacity IS NULL OR registered_count + $3 <= capacity)
		AND registration_opens_at IS NOT DISTINCT FROM $5::timestamptz AND registration_closes_at IS NOT DISTINCT FROM $6::timestamptz
		AND starts_at = $7::timestamptz AND ends_at IS NOT DISTINCT FROM $8::timestamptz
		AND max_tickets_per_booking IS NOT DISTINCT FROM $9::bigint AND currency = $10
	RETURNING id
), cat AS (
	UPDATE ticket_categories SET sold_count = sold_count + $3, updated_at = $4
	WHERE id = $11 AND event_id = $1 AND EXISTS (SELECT 1 FROM ev)
		AND (capacity IS NULL OR sold_count + $3 <= capacity)
		AND price = $12 AND tax_rate_percent = $13
		AND sales_start_at IS NOT DISTINCT FROM $14::timestamptz AND sales_end_at IS NOT DISTINCT FROM $15::timestamptz
	RETURNING id
), seq AS (
	UPDATE tenants SET order_seq = order_seq + 1, updated_at = $4
	WHERE id = $2 AND EXISTS (SELECT 1 FROM cat)
	RETURNING order_seq
)
UPDATE bookings SET order_number = 'BK-' || lpad(seq.order_seq::text, greatest(6, length(seq.order_seq::text)), '0')
FROM seq WHERE bookings.id = $16
RETURNING seq.order_seq`

// bookFast is book on the hot-event path; errNotFast sends the booking to
// the locking path in the same transaction (it wrote nothing yet).
func (e *Engine) bookFast(ctx context.Context, tx *ent.Tx, tid int, o *order) (*ent.Booking, error) {
	raw := rawTx(ctx)
	if raw == nil || len(o.n.events) != 1 || len(o.n.categories) != 1 {
		return nil, errNotFast
	}
	evID, catID := o.n.eventIDs()[0], o.n.categoryIDs()[0]
	seats := o.n.events[evID]
	ev, err := tx.Event.Query().Where(event.ID(evID), event.TenantID(tid)).Only(ctx)
	if ent.IsNotFound(err) {
		return nil, errNotFast // the locking path reports it as it always has
	}
	if err != nil {
		return nil, err
	}
	o.evs = map[int]*ent.Event{evID: ev}
	if err := o.checkOnSale(); err != nil {
		return nil, err
	}
	o.locked = o.cats
	pend := pendingOf(ctx)
	var guardEv *ent.Event
	var guardCat *ent.TicketCategory
	if pend != nil {
		// The guards compare with the rows as read; the rules see them with
		// what the group took already.
		ec, cc := *ev, *o.cats[catID]
		guardEv, guardCat = &ec, &cc
		tookEv, tookCat := pend.taken(evID, catID)
		ev.RegisteredCount += tookEv
		o.cats[catID].SoldCount += tookCat
	}
	if ok, _ := fits(o.n, o.evs, o.locked, false); !ok {
		return nil, errNotFast
	}
	// Holds that ran out still count as held until they are expired, which
	// takes the locks.
	due, err := tx.Booking.Query().Where(booking.TenantID(tid), booking.StatusEQ(domain.BookingStatusPending),
		booking.HoldExpiresAtLTE(e.clock()), booking.HasTicketsWith(ticket.EventIDEQ(evID))).Exist(ctx)
	if err != nil {
		return nil, err
	}
	if due {
		return nil, errNotFast
	}
	if err := o.price(); err != nil {
		return nil, err
	}
	if err := o.findPeople(ctx, tx, tid); err != nil {
		return nil, err
	}
	number := provisionalNumber()
	if pend != nil && pend.sqlite {
		if number, err = pend.number(ctx, tx, tid); err != nil {
			return nil, err
		}
	}
	b, err := e.writeBookingAs(ctx, tx, tid, o, number)
	if err != nil {
		return nil, err
	}
	tickets, err := o.writeTickets(ctx, tx, tid, b)
	if err != nil {
		return nil, err
	}
	if err := recordBooked(ctx, tx, tid, b.ID, tickets, o.now); err != nil {
		return nil, err
	}
	c := o.cats[catID]
	if pend != nil {
		pend.claims = append(pend.claims, &claim{b: b, tid: tid, ev: guardEv, cat: guardCat, seats: seats})
		return b, nil
	}
	seqs, err := raw.QueryInts(ctx, takeSeatsSQL, evID, tid, seats, o.now,
		ev.RegistrationOpensAt, ev.RegistrationClosesAt, ev.StartsAt, ev.EndsAt, ev.MaxTicketsPerBooking, ev.Currency,
		catID, c.Price, c.TaxRatePercent, c.SalesStartAt, c.SalesEndAt, b.ID)
	if err != nil {
		return nil, err
	}
	if len(seqs) != 1 {
		return nil, errFastMissed
	}
	b.OrderNumber = orderNumber(seqs[0])
	return b, nil
}

// provisionalNumber is a booking's order number until the statement that
// takes its seats gives it the next one of its tenant, before the commit:
// unique, so it passes the index meanwhile, and never seen by anyone else.
func provisionalNumber() string {
	var b [12]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return "BK-provisional-" + hex.EncodeToString(b[:])
}

// orderNumber writes an order number as the tenant's readers see it
// (docs/domain-rules.md, rule 10).
func orderNumber(seq int) string { return fmt.Sprintf("BK-%06d", seq) }

// In a group's transaction on PostgreSQL the hot-event path defers taking
// the seats to the end of the group: each booking's rules are checked
// against the counters as read plus what the group's bookings before it
// took (pending), and one guarded update per event and category, and one
// per tenant for the order numbers, take the seats of the whole group just
// before its commit (flush). So the hot rows are locked for one statement
// and the commit per group, and several writers' groups overlap. When a
// guard fails there (another process took the seats meanwhile), the group
// as a whole is rolled back and each of its bookings runs alone.

// claim is one booking of the group on the hot-event path.
type claim struct {
	b            *ent.Booking
	tid          int
	ev           *ent.Event          // as read: the guards
	cat          *ent.TicketCategory // as read: the guards
	seats        int
	flushedSeats bool
}

// pending are the claims of a group whose seats are not taken yet.
type pending struct {
	claims []*claim
	// sqlite: the group's transaction holds SQLite's write lock from its
	// first statement, so nothing changes under it: the counters need no
	// guards, and the order numbers are counted on from the tenant's as
	// read (seq, per tenant, since the last flush) instead of provisional.
	sqlite bool
	seq    map[int]int
}

// number returns the order number of the next booking of tenant tid in
// the group (SQLite): the tenant's last one, plus the group's bookings
// before it. A booking that fails gives its number to the next one.
func (p *pending) number(ctx context.Context, tx *ent.Tx, tid int) (string, error) {
	seq, ok := p.seq[tid]
	if !ok {
		t, err := tx.Tenant.Get(ctx, tid)
		if err != nil {
			return "", err
		}
		seq = t.OrderSeq
		p.seq[tid] = seq
	}
	for _, c := range p.claims {
		if !c.flushedSeats && c.tid == tid {
			seq++
		}
	}
	return orderNumber(seq + 1), nil
}

// holds reports whether a booking of the group still waits for its order
// number (PostgreSQL: it has a provisional one).
func (p *pending) holds(bookingID int) bool {
	if p == nil || p.sqlite {
		return false
	}
	for _, c := range p.claims {
		if !c.flushedSeats && c.b.ID == bookingID {
			return true
		}
	}
	return false
}

// pendingKey carries a group's pending claims in its statements' context.
type pendingKey struct{}

func pendingOf(ctx context.Context) *pending {
	p, _ := ctx.Value(pendingKey{}).(*pending)
	return p
}

// errNeedFlush: a booking of a group takes the locking path, which must see
// the seats the group's bookings before it took; nothing was written yet
// that its savepoint does not undo.
var errNeedFlush = errors.New("booking: the group's seats must be taken first")

// errGroupLost: the seats a group took as read were not there any more.
var errGroupLost = errors.New("booking: the group's seats changed since read")

// unflushed reports whether claims wait for their seats to be taken.
func (p *pending) unflushed() bool {
	for _, c := range p.claims {
		if !c.flushedSeats {
			return true
		}
	}
	return false
}

// taken returns the seats the group's claims took of an event and of a
// category and have not yet written.
func (p *pending) taken(evID, catID int) (ev, cat int) {
	for _, c := range p.claims {
		if c.flushedSeats {
			continue
		}
		if c.ev.ID == evID {
			ev += c.seats
		}
		if c.cat.ID == catID {
			cat += c.seats
		}
	}
	return ev, cat
}

// takeGroupSeatsSQL takes seats of one category of one event for a group:
// $1 event, $2 tenant, $3 seats, $4 now, $5.. $10 the event as read, $11
// category, $12.. $15 the category as read. A row comes back only if both
// updates applied.
const takeGroupSeatsSQL = `WITH ev AS (
	UPDATE events SET registered_count = registered_count + $3, updated_at = $4
	WHERE id = $1 AND tenant_id = $2 AND status = 'PUBLISHED' AND waitlist_count = 0
		AND (capacity IS NULL OR registered_count + $3 <= capacity)
		AND registration_opens_at IS NOT DISTINCT FROM $5::timestamptz AND registration_closes_at IS NOT DISTINCT FROM $6::timestamptz
		AND starts_at = $7::timestamptz AND ends_at IS NOT DISTINCT FROM $8::timestamptz
		AND max_tickets_per_booking IS NOT DISTINCT FROM $9::bigint AND currency = $10
	RETURNING id
)
UPDATE ticket_categories SET sold_count = sold_count + $3, updated_at = $4
WHERE id = $11 AND event_id = $1 AND EXISTS (SELECT 1 FROM ev)
	AND (capacity IS NULL OR sold_count + $3 <= capacity)
	AND price = $12 AND tax_rate_percent = $13
	AND sales_start_at IS NOT DISTINCT FROM $14::timestamptz AND sales_end_at IS NOT DISTINCT FROM $15::timestamptz
RETURNING id`

// flush takes the seats and order numbers of the claims not yet written,
// events (then their categories) in id order and tenants in id order, as
// every transaction locks them. errGroupLost: a guard failed.
func (p *pending) flush(ctx context.Context, tx *store.Tx, now time.Time) error {
	if p.sqlite {
		return p.flushSQLite(ctx, tx, now)
	}
	type pair struct{ ev, cat int }
	seats := map[pair]int{}
	first := map[pair]*claim{}
	var pairs []pair
	var todo []*claim
	for _, c := range p.claims {
		if c.flushedSeats {
			continue
		}
		k := pair{c.ev.ID, c.cat.ID}
		if _, ok := first[k]; !ok {
			first[k] = c
			pairs = append(pairs, k)
		}
		seats[k] += c.seats
		todo = append(todo, c)
	}
	if len(todo) == 0 {
		return nil
	}
	slices.SortFunc(pairs, func(a, b pair) int { return cmp.Or(cmp.Compare(a.ev, b.ev), cmp.Compare(a.cat, b.cat)) })
	for _, k := range pairs {
		c := first[k]
		ev, cat := c.ev, c.cat
		ids, err := tx.QueryInts(ctx, takeGroupSeatsSQL, ev.ID, c.tid, seats[k], now,
			ev.RegistrationOpensAt, ev.RegistrationClosesAt, ev.StartsAt, ev.EndsAt, ev.MaxTicketsPerBooking, ev.Currency,
			cat.ID, cat.Price, cat.TaxRatePercent, cat.SalesStartAt, cat.SalesEndAt)
		if err != nil {
			return err
		}
		if len(ids) != 1 {
			return errGroupLost
		}
	}
	// Order numbers, per tenant in the order the bookings were made.
	byTenant := map[int][]*claim{}
	var tids []int
	for _, c := range todo {
		if byTenant[c.tid] == nil {
			tids = append(tids, c.tid)
		}
		byTenant[c.tid] = append(byTenant[c.tid], c)
	}
	slices.Sort(tids)
	for _, tid := range tids {
		cs := byTenant[tid]
		last, err := tx.QueryInts(ctx, `UPDATE tenants SET order_seq = order_seq + $1, updated_at = $2 WHERE id = $3 RETURNING order_seq`,
			len(cs), now, tid)
		if err != nil {
			return err
		}
		if len(last) != 1 {
			return fmt.Errorf("booking: tenant %d not found for its order numbers", tid)
		}
		ids := make([]int64, len(cs))
		numbers := make([]string, len(cs))
		for i, c := range cs {
			ids[i], numbers[i] = int64(c.b.ID), orderNumber(last[0]-len(cs)+1+i)
		}
		if err := tx.Exec(ctx, `UPDATE bookings SET order_number = v.number FROM unnest($1::bigint[], $2::text[]) AS v(id, number) WHERE bookings.id = v.id`,
			ids, numbers); err != nil {
			return err
		}
		for i, c := range cs {
			c.b.OrderNumber = numbers[i]
		}
	}
	for _, c := range todo {
		c.flushedSeats = true
	}
	return nil
}

// flushSQLite takes the seats of the claims not yet written and moves the
// tenants' order numbers on past those the claims took.
func (p *pending) flushSQLite(ctx context.Context, tx *store.Tx, now time.Time) error {
	events, categories, tenants := map[int]int{}, map[int]int{}, map[int]int{}
	for _, c := range p.claims {
		if !c.flushedSeats {
			events[c.ev.ID] += c.seats
			categories[c.cat.ID] += c.seats
			tenants[c.tid]++
		}
	}
	d := entsql.Dialect(dialect.SQLite)
	for _, u := range []struct {
		table, column string
		by            map[int]int
	}{
		{event.Table, event.FieldRegisteredCount, events},
		{ticketcategory.Table, ticketcategory.FieldSoldCount, categories},
		{tenant.Table, tenant.FieldOrderSeq, tenants},
	} {
		for _, id := range keys(u.by) {
			q, args := d.Update(u.table).Add(u.column, u.by[id]).Set("updated_at", now).Where(entsql.EQ("id", id)).Query()
			if err := tx.Exec(ctx, q, args...); err != nil {
				return err
			}
		}
	}
	for _, c := range p.claims {
		c.flushedSeats = true
	}
	clear(p.seq)
	return nil
}
