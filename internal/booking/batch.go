package booking

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"

	"seatgraph/ent"
	"seatgraph/internal/auth"
	"seatgraph/internal/store"
)

// Group commit. Every booking's transaction ends in a commit the database
// must make durable before the booking is answered, and on one hot event
// the commits queue: on SQLite, which has one writer at a time, a quarter
// of a booking's time went into writing its pages to the WAL; on
// PostgreSQL the event's row stays locked until the commit has been
// flushed to disk, so the bookings of one event got no further than one
// disk flush each. So the bookings of a moment share one transaction: a
// writer goroutine of the engine takes the bookings that arrived while its
// previous transaction ran (up to maxGroup), begins one transaction
// (IMMEDIATE on SQLite), runs each booking in a savepoint of its own with
// the same steps and rules as a booking alone, commits once, and only then
// answers every caller (docs/domain-rules.md, rule 11: nothing answered as
// done may be lost). Within the transaction the bookings run one after the
// other, each seeing what those before it wrote, as if their transactions
// had run one after the other; a booking that fails its rules rolls back
// to its savepoint, gets its own error, and leaves the others be. There is
// no waiting for company: a booking that finds a writer idle goes at once,
// alone, and those arriving meanwhile form the next group. The seats and
// order numbers of a group's bookings on one event are written once, at
// the end of the group (fast.go).

// maxGroup bounds the bookings of one transaction, so a group's last
// booking is not kept waiting behind too many before it; on PostgreSQL
// also so that the savepoints of a group stay within what it keeps in
// memory (see commitGroup).
const (
	maxGroup         = 64
	maxGroupPostgres = 32
)

// group is the queue of bookings waiting for the writer.
type group struct {
	mu      sync.Mutex
	queue   []*groupReq
	writers int // writer goroutines running; each sees the queue before it ends

	// transactions and bookings count what the writer did, for GroupStats.
	transactions, bookings atomic.Int64
	// alone counts the bookings sent on to a transaction of their own.
	alone atomic.Int64
}

// GroupStats returns how many group transactions the writers ran, how
// many bookings they carried (their ratio is the mean group size), and how
// many of those were sent on to a transaction of their own.
func (e *Engine) GroupStats() (transactions, bookings, alone int64) {
	return e.group.transactions.Load(), e.group.bookings.Load(), e.group.alone.Load()
}

// groupReq is one booking waiting for the writer.
type groupReq struct {
	ctx  context.Context
	tid  int
	in   CreateBookingInput
	ppl  people
	hash string
	done chan groupRes
}

// groupRes is the writer's answer to one booking.
type groupRes struct {
	b   *ent.Booking
	err error
	// alone: run the booking in a transaction of its own (the group's
	// transaction failed as a whole, or the booking hit a conflict that a
	// fresh transaction retries).
	alone bool
	// panicked is what the booking's steps panicked with; the caller's
	// goroutine panics with it, as it would have run the steps itself.
	panicked any
}

// groupCommit books through the writer and waits for its answer.
func (e *Engine) groupCommit(ctx context.Context, in CreateBookingInput, p people, hash string) (*ent.Booking, error) {
	tid, ok := auth.TenantID(ctx)
	if !ok {
		return nil, errNoTenant
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r := &groupReq{ctx: ctx, tid: tid, in: in, ppl: p, hash: hash, done: make(chan groupRes, 1)}
	g := &e.group
	g.mu.Lock()
	g.queue = append(g.queue, r)
	if g.writers < e.maxWriters() {
		g.writers++
		go e.write()
	}
	g.mu.Unlock()
	// The answer comes once the group's transaction has committed or
	// rolled back; the caller waits for it even when its context ends
	// meanwhile, so that what it is told is what the database holds.
	res := <-r.done
	switch {
	case res.panicked != nil:
		panic(res.panicked)
	case res.alone:
		e.group.alone.Add(1)
		return e.createAlone(ctx, in, p, hash)
	}
	return res.b, res.err
}

// maxWriters is how many groups run at once: on SQLite one, as the database
// has one writer; on PostgreSQL a few, whose groups lock the hot rows only
// from their last statements to their commits (fast.go), so that one
// group's round trips overlap another's.
func (e *Engine) maxWriters() int {
	if e.postgres() {
		return 3
	}
	return 1
}

// write is a writer: it runs groups until the queue is empty, then ends
// (the next booking starts a new one).
func (e *Engine) write() {
	g := &e.group
	for {
		g.mu.Lock()
		limit := maxGroup
		if e.postgres() {
			limit = maxGroupPostgres
		}
		n := min(len(g.queue), limit)
		if n == 0 {
			g.writers--
			g.queue = nil
			g.mu.Unlock()
			return
		}
		batch := make([]*groupReq, n)
		copy(batch, g.queue)
		g.queue = append(g.queue[:0:0], g.queue[n:]...)
		g.mu.Unlock()
		res := e.commitGroup(batch)
		g.transactions.Add(1)
		g.bookings.Add(int64(n))
		for i, r := range batch {
			r.done <- res[i]
		}
	}
}

// commitGroup runs the bookings of batch in one transaction and returns
// each one's answer. Whatever makes the transaction as a whole fail sends
// every booking of it to a transaction of its own: their answers would
// otherwise rest on writes that were rolled back.
func (e *Engine) commitGroup(batch []*groupReq) []groupRes {
	res := make([]groupRes, len(batch))
	allAlone := func() []groupRes {
		for i := range res {
			if res[i].panicked == nil {
				res[i] = groupRes{alone: true}
			}
		}
		return res
	}
	// The transaction is the writer's, not any caller's: a caller whose
	// request ends must not roll back the others' bookings.
	bg := context.Background()
	tx, err := store.Begin(bg, e.client)
	if err != nil {
		return allAlone()
	}
	pend := &pending{sqlite: !e.postgres(), seq: map[int]int{}}
	// A lone booking needs no savepoint: the transaction is its own.
	if len(batch) == 1 {
		res[0] = e.runInGroup(tx, batch[0], pend)
		if res[0].err == nil && res[0].panicked == nil {
			if err := e.flush(tx, pend); err != nil {
				_ = tx.Rollback()
				return allAlone()
			}
			if err := tx.Commit(); err != nil {
				res[0] = groupRes{alone: true}
			}
			return res
		}
		if err := tx.Rollback(); err != nil {
			return allAlone()
		}
		return res
	}
	for i, r := range batch {
		if err := r.ctx.Err(); err != nil {
			res[i] = groupRes{err: err} // its caller gave up before it ran
			continue
		}
		// Savepoints are never released: the next booking's savepoint of
		// the same name stacks on this one, ROLLBACK TO goes back to the
		// newest, and the commit ends them all. That saves a statement per
		// booking; PostgreSQL keeps up to 64 per transaction in memory,
		// more than maxGroupPostgres.
		if err := tx.Exec(bg, "SAVEPOINT booking"); err != nil {
			_ = tx.Rollback()
			return allAlone()
		}
		claims := len(pend.claims)
		res[i] = e.runInGroup(tx, r, pend)
		if errors.Is(res[i].err, errNeedFlush) {
			// Take the seats of the bookings before it, outside its
			// savepoint (a failure of its own must not undo them), then
			// run it again.
			if tx.Exec(bg, "ROLLBACK TO booking") != nil || tx.Exec(bg, "RELEASE booking") != nil ||
				e.flush(tx, pend) != nil || tx.Exec(bg, "SAVEPOINT booking") != nil {
				_ = tx.Rollback()
				return allAlone()
			}
			res[i] = e.runInGroup(tx, r, pend)
		}
		if res[i].err == nil && res[i].panicked == nil {
			continue
		}
		// A failed statement leaves a PostgreSQL transaction unusable
		// until it rolls back to a savepoint; a domain error leaves rows
		// the booking wrote before it found the error.
		if err := tx.Exec(bg, "ROLLBACK TO booking"); err != nil {
			_ = tx.Rollback()
			return allAlone()
		}
		pend.claims = pend.claims[:claims] // its seats were never taken
		if res[i].alone {
			// A conflict with another transaction (a deadlock PostgreSQL
			// broke, a key taken meanwhile): end the group here, so that
			// its locks are not kept for the rest of it, which run alone.
			for j := i + 1; j < len(batch); j++ {
				res[j] = groupRes{alone: true}
			}
			break
		}
	}
	if err := e.flush(tx, pend); err != nil {
		_ = tx.Rollback()
		return allAlone()
	}
	if err := tx.Commit(); err != nil {
		return allAlone()
	}
	return res
}

// flush takes the seats of a group's pending claims (fast.go); a failure
// fails the group.
func (e *Engine) flush(tx *store.Tx, pend *pending) error {
	return pend.flush(context.Background(), tx, e.clock())
}

// runInGroup runs one booking's steps in the group's transaction. Its
// bookings on the hot-event path leave their seats to the group's flush
// (they never end in errFastMissed). Its statements get the caller's context
// values (tenant, role) but not its cancellation: an interrupted statement
// can roll back SQLite's whole transaction, the other bookings' too.
func (e *Engine) runInGroup(tx *store.Tx, r *groupReq, pend *pending) (res groupRes) {
	defer func() {
		if v := recover(); v != nil {
			res = groupRes{panicked: v}
		}
	}()
	ctx := context.WithValue(txContext(context.WithoutCancel(r.ctx), tx), pendingKey{}, pend)
	b, err := e.createIn(ctx, tx.Tx, r.tid, r.in, r.ppl, r.hash)
	if err != nil && !errors.Is(err, errNeedFlush) && retryable(err) {
		// A conflict with another process: a transaction of its own
		// retries it as inTx does. It still gets an error here, so its
		// savepoint is rolled back.
		return groupRes{err: err, alone: true}
	}
	return groupRes{b: b, err: err}
}
