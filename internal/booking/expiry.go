package booking

import (
	"context"
	"log/slog"
	"time"

	"seatgraph/ent"
	"seatgraph/ent/booking"
	"seatgraph/ent/ticket"
	"seatgraph/internal/domain"
)

// A PENDING booking holds its seats until holdExpiresAt; then it becomes
// EXPIRED and its seats are freed (docs/domain-rules.md, rule 2). The engine
// does this itself, in three places:
//
//   - writes that count seats expire the due holds of the events they lock
//     (expireDue), in their own transaction;
//   - reads of the client outside a transaction run the sweep first once a
//     hold this process knows of is due (ExpireDue, installed by New), so
//     that availability and booking status are right before the sweeper
//     comes round;
//   - RunSweeper sweeps every so often, for holds no read touches.

// expireDue expires the PENDING bookings whose hold ran out and that hold
// seats on the given (locked) events, so their seats can be taken again.
func (e *Engine) expireDue(ctx context.Context, tx *ent.Tx, tid int, eventIDs []int, evs map[int]*ent.Event) error {
	due, err := tx.Booking.Query().Where(booking.TenantID(tid), booking.StatusEQ(domain.BookingStatusPending),
		booking.HoldExpiresAtLTE(e.clock()), booking.HasTicketsWith(ticket.EventIDIn(eventIDs...))).
		Order(ent.Asc(booking.FieldHoldExpiresAt), ent.Asc(booking.FieldID)).All(ctx)
	if err != nil {
		return err
	}
	for _, b := range due {
		if err := e.expire(ctx, tx, tid, b, evs); err != nil {
			return err
		}
	}
	return nil
}

// expire turns a PENDING booking whose hold ran out into EXPIRED.
func (e *Engine) expire(ctx context.Context, tx *ent.Tx, tid int, b *ent.Booking, evs map[int]*ent.Event) error {
	tickets, err := tx.Ticket.Query().Where(ticket.BookingID(b.ID), ticket.StatusNEQ(domain.TicketStatusCancelled)).
		WithRegistration().All(ctx)
	if err != nil {
		return err
	}
	now := e.clock()
	if err := e.release(ctx, tx, tid, b, tickets, evs, now); err != nil {
		return err
	}
	return tx.Booking.UpdateOne(b).SetStatus(domain.BookingStatusExpired).ClearHoldExpiresAt().Exec(ctx)
}

// sweepingKey marks the context of a sweep: its own queries must not start
// another one.
type sweepingKey struct{}

// Sweep expires every booking whose hold ran out, one transaction each, and
// returns how many it expired.
func (e *Engine) Sweep(ctx context.Context) (int, error) {
	ctx = context.WithValue(ctx, sweepingKey{}, true)
	now := e.clock()
	due, err := e.client.Booking.Query().Where(booking.StatusEQ(domain.BookingStatusPending), booking.HoldExpiresAtLTE(now)).
		Select(booking.FieldID, booking.FieldTenantID).All(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, d := range due {
		expired, err := e.expireOne(withTenant(ctx, d.TenantID), d.ID, now)
		if err != nil {
			return n, err
		}
		if expired {
			n++
		}
	}
	return n, e.learnNextExpiry(ctx)
}

// expireOne expires one booking that was due at now, in a transaction of its
// own, unless it was paid or cancelled meanwhile.
func (e *Engine) expireOne(ctx context.Context, id int, now time.Time) (bool, error) {
	expired := false
	err := e.inTx(ctx, func(ctx context.Context, tx *ent.Tx, tid int) error {
		expired = false
		evs := map[int]*ent.Event{}
		if err := e.lockBooking(ctx, tx, tid, id, evs); err != nil {
			return err
		}
		b, err := tx.Booking.Get(ctx, id)
		if err != nil {
			return err
		}
		if b.Status != domain.BookingStatusPending || b.HoldExpiresAt == nil || b.HoldExpiresAt.After(now) {
			return nil
		}
		expired = true
		return e.expire(ctx, tx, tid, b, evs)
	})
	return expired, err
}

// learnNextExpiry sets the earliest hold still running, of any process, as
// the time the next read has to sweep.
func (e *Engine) learnNextExpiry(ctx context.Context) error {
	next, err := e.client.Booking.Query().Where(booking.StatusEQ(domain.BookingStatusPending), booking.HoldExpiresAtNotNil()).
		Order(ent.Asc(booking.FieldHoldExpiresAt)).First(ctx)
	e.mu.Lock()
	defer e.mu.Unlock()
	switch {
	case ent.IsNotFound(err):
		e.nextExpiry = time.Time{}
	case err != nil:
		return err
	default:
		e.nextExpiry = *next.HoldExpiresAt
	}
	return nil
}

// due reports whether a hold this process knows of has run out.
func (e *Engine) due() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return !e.nextExpiry.IsZero() && !e.clock().Before(e.nextExpiry)
}

// ExpireDue runs Sweep when a hold this process knows of has run out; it
// costs nothing otherwise, so every read of availability can call it.
// Concurrent callers wait for one sweep rather than run their own.
func (e *Engine) ExpireDue(context.Context) error {
	if !e.due() {
		return nil
	}
	e.sweepMu.Lock()
	defer e.sweepMu.Unlock()
	if !e.due() { // another caller swept meanwhile
		return nil
	}
	// Expiring holds is the server's own work across tenants: it must not
	// run narrowed to the caller's tenant or role, nor end with the
	// caller's request.
	sys, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err := e.Sweep(sys)
	return err
}

// expireOnRead is the check on read: a query made outside a transaction
// first expires the holds that ran out, so that the seat counts, waitlists
// and booking statuses it reads are those of rule 2. Queries inside a
// transaction are left alone: the transactions that count seats expire the
// holds of their events themselves (expireDue), and a sweep started from
// inside one would wait for the locks it holds. A transaction is known by
// its context: whoever opens one on this client hands its queries a
// context from ent.NewTxContext, as inTx and the catalog's inTx do.
func (e *Engine) expireOnRead() ent.Interceptor {
	return ent.InterceptFunc(func(next ent.Querier) ent.Querier {
		return ent.QuerierFunc(func(ctx context.Context, q ent.Query) (ent.Value, error) {
			if ent.TxFromContext(ctx) == nil && ctx.Value(sweepingKey{}) == nil {
				// A failed sweep leaves the hold to the next read or the
				// sweeper; the read itself goes on.
				if err := e.ExpireDue(ctx); err != nil {
					e.log.ErrorContext(ctx, "expiring holds", "error", err.Error())
				}
			}
			return next.Query(ctx, q)
		})
	})
}

// RunSweeper expires the holds that ran out every interval until ctx ends;
// it catches the holds no read or booking touches.
func (e *Engine) RunSweeper(ctx context.Context, every time.Duration, log *slog.Logger) {
	if log == nil {
		log = e.log
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if n, err := e.Sweep(ctx); err != nil && ctx.Err() == nil {
			log.Error("expiring holds", "error", err.Error())
		} else if n > 0 {
			log.Info("expired holds", "bookings", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// noteHold remembers the earliest hold this process created.
func (e *Engine) noteHold(t time.Time) {
	e.mu.Lock()
	if e.nextExpiry.IsZero() || t.Before(e.nextExpiry) {
		e.nextExpiry = t
	}
	e.mu.Unlock()
}
