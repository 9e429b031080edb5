package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync/atomic"
	"time"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"

	"seatgraph/ent"
	"seatgraph/ent/event"
	"seatgraph/internal/booking"
	"seatgraph/internal/domain"
)

// The bulk seeder writes the same rows the booking engine would write for
// the same bookings (a booking, its event link, one registration and one
// ticket per seat, the payment, the history), but as multi-row INSERTs
// built with Ent's SQL builder, thousands of rows per statement, with ids
// it assigns itself. Going through the engine costs a transaction and
// about twenty statements per booking, which makes a million bookings a
// matter of hours; the rules the engine enforces one booking at a time
// (seats within capacity and quota, counters that match the rows, unique
// order numbers and codes, price snapshots that add up) are kept here by
// planning every booking in one goroutine, and checked afterwards by
// checkConsistency.

// bulkChunk is how many bookings one transaction writes; bulkRows is how
// many rows one INSERT writes, which keeps every statement below SQLite's
// 32,766 and PostgreSQL's 65,535 bound parameters (19 columns at most).
const (
	bulkChunk = 5000
	bulkRows  = 600
)

// bulkCategory is a ticket category as the planner tracks it.
type bulkCategory struct {
	id       int
	price    int64
	taxRate  int64
	capacity *int
	sold     int // as the planner has filled it
	added    int // seats this seeding took
}

// bulkEvent is an event as the planner tracks it.
type bulkEvent struct {
	id         int
	currency   string
	policy     string // the cancellation policy a booking copies, as JSON
	capacity   *int
	registered int
	added      int
	standard   *bulkCategory
	reduced    *bulkCategory
}

// bulkConn is what the seeder writes through: the pool on PostgreSQL, one
// connection of it on SQLite.
type bulkConn interface {
	BeginTx(ctx context.Context, opts *sql.TxOptions) (*sql.Tx, error)
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// bulkSeeder grows the bookings of a data set whose events exist.
type bulkSeeder struct {
	db      bulkConn
	pool    *sql.DB
	dialect string
	tid     int
	now     time.Time
	workers int
	evs     []*bulkEvent
	// final is the size the data set grows to: booking i is made at
	// base + span*i/final, so that later growth continues the history.
	final int
	base  time.Time
	span  time.Duration
	// participants made so far; participant j has id pBase+j.
	participants int
	pBase        int
	rng          *rand.Rand
	skipped      int64
}

// newBulkSeeder reads the events (all of the tenant's events whose title
// has eventPrefix) and their categories.
func newBulkSeeder(ctx context.Context, client *ent.Client, db *sql.DB, d string, tid, final, workers int, now time.Time) (*bulkSeeder, error) {
	if workers <= 0 {
		// On PostgreSQL two writers keep both cores busy (the database
		// does most of the work).
		workers = 2
	}
	if d != dialect.Postgres {
		// SQLite has one writer, and the seeder one connection to it.
		workers = 1
	}
	s := &bulkSeeder{db: db, pool: db, dialect: d, tid: tid, now: now, workers: workers, final: final,
		base: now.Add(-60 * 24 * time.Hour), span: 60*24*time.Hour - time.Hour, rng: rand.New(rand.NewPCG(1, 0x5ea7))}
	evs, err := client.Event.Query().Where(event.TenantID(tid), event.TitleHasPrefix(eventPrefix)).
		WithTicketCategories().Order(ent.Asc(event.FieldID)).All(ctx)
	if err != nil {
		return nil, err
	}
	if len(evs) == 0 {
		return nil, errors.New("bulk seeding needs the events first")
	}
	for _, ev := range evs {
		pol, err := json.Marshal(ev.CancellationPolicy)
		if err != nil {
			return nil, err
		}
		be := &bulkEvent{id: ev.ID, currency: ev.Currency, policy: string(pol), capacity: ev.Capacity, registered: ev.RegisteredCount}
		for _, c := range ev.Edges.TicketCategories {
			bc := &bulkCategory{id: c.ID, price: c.Price, taxRate: c.TaxRatePercent, capacity: c.Capacity, sold: c.SoldCount}
			switch c.Name {
			case "Standard":
				be.standard = bc
			case "Reduced":
				be.reduced = bc
			}
		}
		if be.standard == nil || be.reduced == nil {
			return nil, fmt.Errorf("event %d lacks its Standard or Reduced category", ev.ID)
		}
		s.evs = append(s.evs, be)
	}
	return s, nil
}

// pool is how many participants bookers and holders are drawn from when
// the data set has n bookings: as in the engine-driven seeding.
func pool(n int) int { return max(50, n*7/10) }

// grow adds the bookings from index `from` up to `to` (exclusive).
func (s *bulkSeeder) grow(ctx context.Context, from, to int) error {
	if to <= from {
		return nil
	}
	if s.dialect != dialect.Postgres {
		conn, err := s.sqliteConn(ctx)
		if err != nil {
			return err
		}
		defer func() {
			// Back to the default before the connection returns to the pool.
			_, _ = conn.ExecContext(context.Background(), "PRAGMA cache_size = -2000")
			conn.Close()
			s.db = s.pool
		}()
		s.db = conn
	}
	if err := s.addParticipants(ctx, pool(to)); err != nil {
		return fmt.Errorf("participants: %w", err)
	}
	next, err := s.nextIDs(ctx)
	if err != nil {
		return err
	}
	firstSeq, err := s.reserveOrderNumbers(ctx, to-from)
	if err != nil {
		return err
	}
	// One planner (it alone touches the counters), several writers.
	chunks := make(chan *bulkPlan, s.workers)
	var done atomic.Int64
	stopProgress := progress(&done, to-from)
	defer stopProgress()
	go func() {
		defer close(chunks)
		seq := firstSeq
		for lo := from; lo < to; lo += bulkChunk {
			if ctx.Err() != nil {
				return
			}
			p := s.plan(lo, min(lo+bulkChunk, to), &seq, &next)
			select {
			case chunks <- p:
			case <-ctx.Done():
				return
			}
		}
	}()
	err = parallel(ctx, s.workers, func(ctx context.Context, _ int) error {
		for p := range chunks {
			if err := s.write(ctx, p); err != nil {
				return err
			}
			done.Add(int64(p.bookings))
		}
		return nil
	})
	if err != nil {
		// Drain the planner so that it ends.
		for range chunks {
		}
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.finish(ctx)
}

// sqliteConn is the one connection SQLite's single writer seeds through,
// with a page cache of 256 MiB instead of SQLite's 2 MiB: some indexes
// take random keys (ticket codes, holders, bookers), so once they outgrow
// the cache nearly every insert reads index pages back from the file (the
// rate fell from about 4,500 to 2,200 bookings/s on the way to 1 M with
// the default cache, on a busy machine).
func (s *bulkSeeder) sqliteConn(ctx context.Context) (*sql.Conn, error) {
	conn, err := s.pool.Conn(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := conn.ExecContext(ctx, "PRAGMA cache_size = -262144"); err != nil {
		conn.Close()
		return nil, err
	}
	return conn, nil
}

// addParticipants makes participants up to n (guest0000000@... on), as
// the engine would on first booking: the bench draws from a pool.
func (s *bulkSeeder) addParticipants(ctx context.Context, n int) error {
	if s.participants == 0 {
		id, err := s.maxID(ctx, "participants")
		if err != nil {
			return err
		}
		s.pBase = id + 1
	}
	cols := []string{"id", "created_at", "updated_at", "tenant_id", "first_name", "last_name", "email", "city", "country_code"}
	for lo := s.participants; lo < n; lo += bulkChunk {
		hi := min(lo+bulkChunk, n)
		err := s.inTx(ctx, func(tx *sql.Tx) error {
			ins := newBatch(s, tx, "participants", cols)
			for j := lo; j < hi; j++ {
				p := person(j)
				if err := ins.add(ctx, s.pBase+j, s.now, s.now, s.tid, p.FirstName, p.LastName, p.Email, *p.City, *p.CountryCode); err != nil {
					return err
				}
			}
			return ins.flush(ctx)
		})
		if err != nil {
			return err
		}
		s.participants = hi
	}
	return nil
}

// bulkIDs are the next free ids of the tables the bookings go into.
type bulkIDs struct{ booking, ticket, registration, payment, history int }

func (s *bulkSeeder) nextIDs(ctx context.Context) (bulkIDs, error) {
	var n bulkIDs
	for _, x := range []struct {
		table string
		id    *int
	}{{"bookings", &n.booking}, {"tickets", &n.ticket}, {"registrations", &n.registration}, {"payments", &n.payment}, {"histories", &n.history}} {
		id, err := s.maxID(ctx, x.table)
		if err != nil {
			return n, err
		}
		*x.id = id + 1
	}
	return n, nil
}

// idStarts are where each table's ids begin (the schema's IncrementStart):
// the global ids of the API tell a type by the range its id is in.
var idStarts = map[string]int{"participants": 4 << 32, "bookings": 5 << 32, "tickets": 6 << 32,
	"registrations": 7 << 32, "payments": 8 << 32, "histories": 9 << 32}

// maxID is the largest id of table, or one below its range when it is empty.
func (s *bulkSeeder) maxID(ctx context.Context, table string) (int, error) {
	var id sql.NullInt64
	if err := s.db.QueryRowContext(ctx, "SELECT MAX(id) FROM "+table).Scan(&id); err != nil {
		return 0, fmt.Errorf("max id of %s: %w", table, err)
	}
	if !id.Valid || int(id.Int64) < idStarts[table] {
		return idStarts[table] - 1, nil
	}
	return int(id.Int64), nil
}

// reserveOrderNumbers takes n numbers off the tenant's order sequence, as
// n engine bookings would, and returns the first.
func (s *bulkSeeder) reserveOrderNumbers(ctx context.Context, n int) (int, error) {
	var seq int
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "UPDATE tenants SET order_seq = order_seq + "+placeholder(s.dialect, 1)+
			" WHERE id = "+placeholder(s.dialect, 2), n, s.tid); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, "SELECT order_seq FROM tenants WHERE id = "+placeholder(s.dialect, 1), s.tid).Scan(&seq)
	})
	return seq - n + 1, err
}

// bulkTicket is one seat of a planned booking.
type bulkTicket struct {
	cat             *bulkCategory
	holder          int // participant index
	net, tax, gross int64
}

// bulkBooking is one planned booking.
type bulkBooking struct {
	id, ticketID, regID, paymentID, historyID int // the first id of each kind
	orderNumber                               string
	ev                                        *bulkEvent
	booker                                    int
	tickets                                   []bulkTicket
	subtotal, taxTotal, total                 int64
	method                                    domain.PaymentMethod
	paidBy                                    domain.PaymentMethod // "" when unpaid
	at, confirmedAt, paidAt                   time.Time
	utm                                       *string
}

// bulkPlan is one chunk of planned bookings.
type bulkPlan struct {
	bookings int
	rows     []bulkBooking
}

// plan decides the bookings lo..hi-1 as the engine-driven seeding does
// (see bookingInput and payment): 1 to 3 tickets, 30 % reduced, a sold-out
// request retried with one standard ticket and skipped when even that is
// sold out; card bookings (10 %) paid at once, invoices mostly by bank
// transfer within three days.
func (s *bulkSeeder) plan(lo, hi int, seq *int, next *bulkIDs) *bulkPlan {
	p := &bulkPlan{bookings: hi - lo}
	pl := pool(s.final)
	pl = min(pl, s.participants)
	rng := s.rng
	for i := lo; i < hi; i++ {
		ev := s.evs[i%len(s.evs)]
		at := s.base.Add(time.Duration(int64(s.span) / int64(s.final) * int64(i))).Truncate(time.Microsecond)
		n := 1
		switch r := rng.IntN(10); {
		case r >= 7:
			n = 3
		case r >= 3:
			n = 2
		}
		b := bulkBooking{ev: ev, booker: rng.IntN(pl), at: at}
		for k := 0; k < n; k++ {
			c := ev.standard
			if rng.IntN(10) < 3 {
				c = ev.reduced
			}
			t := bulkTicket{cat: c, holder: b.booker}
			if k > 0 && rng.IntN(10) < 6 {
				t.holder = rng.IntN(pl)
			}
			b.tickets = append(b.tickets, t)
		}
		if !fitsBulk(ev, b.tickets) {
			b.tickets = []bulkTicket{{cat: ev.standard, holder: b.booker}}
			if !fitsBulk(ev, b.tickets) {
				s.skipped++
				continue
			}
		}
		b.method = domain.PaymentMethodInvoice
		if rng.IntN(10) == 0 {
			b.method = domain.PaymentMethodCard
		}
		if src := []string{"newsletter", "instagram", "partner", ""}[rng.IntN(4)]; src != "" {
			b.utm = &src
		}
		for k := range b.tickets {
			t := &b.tickets[k]
			t.gross = t.cat.price
			t.net, t.tax = booking.NetOf(t.cat.price, t.cat.taxRate)
			b.subtotal, b.taxTotal, b.total = b.subtotal+t.net, b.taxTotal+t.tax, b.total+t.gross
			t.cat.sold++
			t.cat.added++
		}
		ev.registered += len(b.tickets)
		ev.added += len(b.tickets)
		b.confirmedAt = at
		switch {
		case b.method == domain.PaymentMethodCard:
			// Pending until the card payment two minutes later confirms it.
			b.paidBy, b.paidAt, b.confirmedAt = domain.PaymentMethodCard, at.Add(2*time.Minute), at.Add(2*time.Minute)
		case rng.IntN(100) >= 15:
			b.paidBy = domain.PaymentMethodBankTransfer
			b.paidAt = earliest(at.Add(time.Duration(1+rng.IntN(72))*time.Hour), s.now).Truncate(time.Microsecond)
		}
		b.id, b.ticketID, b.regID, b.historyID = next.booking, next.ticket, next.registration, next.history
		next.booking++
		next.ticket += len(b.tickets)
		next.registration += len(b.tickets)
		next.history += len(b.tickets)
		if b.paidBy != "" {
			b.paymentID = next.payment
			next.payment++
			next.history++
		}
		b.orderNumber = fmt.Sprintf("BK-%06d", *seq)
		*seq++
		p.rows = append(p.rows, b)
	}
	return p
}

// fitsBulk tells whether the tickets fit the event's capacity and their
// categories' quotas.
func fitsBulk(ev *bulkEvent, ts []bulkTicket) bool {
	need := map[*bulkCategory]int{}
	for _, t := range ts {
		need[t.cat]++
	}
	if ev.capacity != nil && ev.registered+len(ts) > *ev.capacity {
		return false
	}
	for c, n := range need {
		if c.capacity != nil && c.sold+n > *c.capacity {
			return false
		}
	}
	return true
}

// write writes one chunk in one transaction, parents before children.
func (s *bulkSeeder) write(ctx context.Context, p *bulkPlan) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		steps := []func(context.Context, *sql.Tx, *bulkPlan) error{s.writeBookings, s.writeEventLinks, s.writeRegistrations,
			s.writeTickets, s.writePayments, s.writeHistory}
		for _, step := range steps {
			if err := step(ctx, tx, p); err != nil {
				return err
			}
		}
		return nil
	})
}

var bookingCols = []string{"id", "created_at", "updated_at", "tenant_id", "order_number", "status", "booker_id", "currency",
	"subtotal", "tax_total", "total", "paid_amount", "refunded_amount", "payment_status", "payment_method", "confirmed_at",
	"custom_field_answers", "utm_source", "cancellation_policy"}

func (s *bulkSeeder) writeBookings(ctx context.Context, tx *sql.Tx, p *bulkPlan) error {
	ins := newBatch(s, tx, "bookings", bookingCols)
	for i := range p.rows {
		b := &p.rows[i]
		var paid int64
		updated := b.at
		if b.paidBy != "" {
			paid, updated = b.total, b.paidAt
		}
		if err := ins.add(ctx, b.id, b.at, updated, s.tid, b.orderNumber, string(domain.BookingStatusConfirmed), s.pBase+b.booker,
			b.ev.currency, b.subtotal, b.taxTotal, b.total, paid, int64(0), string(booking.PaymentStatusOf(b.total, paid, 0)),
			string(b.method), b.confirmedAt, "[]", b.utm, b.ev.policy); err != nil {
			return err
		}
	}
	return ins.flush(ctx)
}

func (s *bulkSeeder) writeEventLinks(ctx context.Context, tx *sql.Tx, p *bulkPlan) error {
	ins := newBatch(s, tx, "event_bookings", []string{"event_id", "booking_id"})
	for i := range p.rows {
		if err := ins.add(ctx, p.rows[i].ev.id, p.rows[i].id); err != nil {
			return err
		}
	}
	return ins.flush(ctx)
}

func (s *bulkSeeder) writeRegistrations(ctx context.Context, tx *sql.Tx, p *bulkPlan) error {
	ins := newBatch(s, tx, "registrations", []string{"id", "created_at", "updated_at", "tenant_id", "event_id", "participant_id",
		"status", "requested_status"})
	accepted := string(domain.RegistrationStatusAccepted)
	for i := range p.rows {
		b := &p.rows[i]
		for k, t := range b.tickets {
			if err := ins.add(ctx, b.regID+k, b.at, b.confirmedAt, s.tid, b.ev.id, s.pBase+t.holder, accepted, accepted); err != nil {
				return err
			}
		}
	}
	return ins.flush(ctx)
}

func (s *bulkSeeder) writeTickets(ctx context.Context, tx *sql.Tx, p *bulkPlan) error {
	ins := newBatch(s, tx, "tickets", []string{"id", "created_at", "updated_at", "tenant_id", "booking_id", "event_id",
		"ticket_category_id", "holder_id", "registration_id", "code", "status", "price", "net_price", "tax_amount", "currency"})
	active := string(domain.TicketStatusActive)
	for i := range p.rows {
		b := &p.rows[i]
		for k, t := range b.tickets {
			if err := ins.add(ctx, b.ticketID+k, b.at, b.at, s.tid, b.id, b.ev.id, t.cat.id, s.pBase+t.holder, b.regID+k,
				booking.NewCode(), active, t.gross, t.net, t.tax, b.ev.currency); err != nil {
				return err
			}
		}
	}
	return ins.flush(ctx)
}

func (s *bulkSeeder) writePayments(ctx context.Context, tx *sql.Tx, p *bulkPlan) error {
	ins := newBatch(s, tx, "payments", []string{"id", "created_at", "updated_at", "tenant_id", "booking_id", "kind", "amount",
		"currency", "method", "status", "provider_reference", "paid_at"})
	for i := range p.rows {
		b := &p.rows[i]
		if b.paidBy == "" {
			continue
		}
		ref := fmt.Sprintf("pay_%s_%d", strings.ToLower(b.orderNumber), b.id)
		if err := ins.add(ctx, b.paymentID, b.paidAt, b.paidAt, s.tid, b.id, string(domain.PaymentKindPayment), b.total,
			b.ev.currency, string(b.paidBy), string(domain.PaymentRecordStatusSucceeded), ref, b.paidAt); err != nil {
			return err
		}
	}
	return ins.flush(ctx)
}

// writeHistory writes what the engine records: each ticket booked, each
// payment that succeeded (a booking here is on one event, so a payment is
// one row).
func (s *bulkSeeder) writeHistory(ctx context.Context, tx *sql.Tx, p *bulkPlan) error {
	ins := newBatch(s, tx, "histories", []string{"id", "created_at", "updated_at", "tenant_id", "kind", "occurred_at",
		"event_id", "booking_id", "ticket_id", "payment_id", "quantity", "amount", "currency"})
	for i := range p.rows {
		b := &p.rows[i]
		id := b.historyID
		for k, t := range b.tickets {
			if err := ins.add(ctx, id, s.now, s.now, s.tid, string(domain.HistoryTicketBooked), b.at, b.ev.id, b.id, b.ticketID+k,
				nil, 1, t.gross, b.ev.currency); err != nil {
				return err
			}
			id++
		}
		if b.paidBy != "" {
			if err := ins.add(ctx, id, s.now, s.now, s.tid, string(domain.HistoryPaymentSucceeded), b.paidAt, b.ev.id, b.id, nil,
				b.paymentID, 0, b.total, b.ev.currency); err != nil {
				return err
			}
		}
	}
	return ins.flush(ctx)
}

// finish brings the counters up to the rows written, and PostgreSQL's id
// sequences past the ids the seeder chose (SQLite's AUTOINCREMENT follows
// the largest id by itself).
func (s *bulkSeeder) finish(ctx context.Context) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		for _, ev := range s.evs {
			if ev.added > 0 {
				if _, err := tx.ExecContext(ctx, "UPDATE events SET registered_count = registered_count + "+placeholder(s.dialect, 1)+
					" WHERE id = "+placeholder(s.dialect, 2), ev.added, ev.id); err != nil {
					return err
				}
			}
			for _, c := range []*bulkCategory{ev.standard, ev.reduced} {
				if c.added > 0 {
					if _, err := tx.ExecContext(ctx, "UPDATE ticket_categories SET sold_count = sold_count + "+placeholder(s.dialect, 1)+
						" WHERE id = "+placeholder(s.dialect, 2), c.added, c.id); err != nil {
						return err
					}
				}
				c.added = 0
			}
			ev.added = 0
		}
		return nil
	})
	if err != nil || s.dialect != dialect.Postgres {
		return err
	}
	for t := range idStarts {
		if _, err := s.db.ExecContext(ctx, "SELECT setval(pg_get_serial_sequence('"+t+"', 'id'), (SELECT MAX(id) FROM "+t+"))"); err != nil {
			return fmt.Errorf("sequence of %s: %w", t, err)
		}
	}
	return nil
}

func (s *bulkSeeder) inTx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

// batch collects rows of one table and writes them bulkRows at a time as
// one multi-row INSERT (Ent's SQL builder quotes and numbers the
// placeholders for the dialect).
type batch struct {
	tx      *sql.Tx
	dialect string
	table   string
	cols    []string
	ins     *entsql.InsertBuilder
	n       int
}

func newBatch(s *bulkSeeder, tx *sql.Tx, table string, cols []string) *batch {
	return &batch{tx: tx, dialect: s.dialect, table: table, cols: cols}
}

func (b *batch) add(ctx context.Context, vals ...any) error {
	if b.ins == nil {
		b.ins = entsql.Dialect(b.dialect).Insert(b.table).Columns(b.cols...)
	}
	b.ins.Values(vals...)
	b.n++
	if b.n >= bulkRows {
		return b.flush(ctx)
	}
	return nil
}

func (b *batch) flush(ctx context.Context) error {
	if b.n == 0 {
		return nil
	}
	q, args := b.ins.Query()
	b.ins, b.n = nil, 0
	if _, err := b.tx.ExecContext(ctx, q, args...); err != nil {
		return fmt.Errorf("inserting into %s: %w", b.table, err)
	}
	return nil
}
