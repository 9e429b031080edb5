package booking

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"entgo.io/ent/dialect"

	"seatgraph/ent"
	"seatgraph/internal/auth"
	"seatgraph/internal/config"
	"seatgraph/internal/store"
)

// Engine applies the booking rules. One per process; safe for concurrent use.
type Engine struct {
	client  *ent.Client
	dialect string
	hold    time.Duration
	now     func() time.Time
	log     *slog.Logger

	// nextExpiry is the earliest hold this process knows of; reads run the
	// expiry sweep only once it has passed (see ExpireDue).
	mu         sync.Mutex
	nextExpiry time.Time
	// sweepMu lets one read sweep while the others wait for it.
	sweepMu sync.Mutex

	// noRaw is set once a transaction showed that the client's driver does
	// not expose its transactions (a client not opened by store.Open).
	noRaw atomic.Bool
	// group collects the bookings that wait for SQLite's writer (batch.go).
	group group
}

// Options configure an Engine.
type Options struct {
	// Hold is how long a PENDING booking holds its seats; zero means
	// config.DefaultHold.
	Hold time.Duration
	// Now is the clock (default time.Now); tests move it.
	Now func() time.Time
	// ManualExpiry leaves expiring holds to the caller's own calls of
	// Sweep: reads of the client no longer expire the holds that ran out
	// (the demo seeder tells a story in which the sweeper comes late).
	ManualExpiry bool
	// Log receives the failures of the sweeps reads start, which do not
	// fail the read (default slog.Default()).
	Log *slog.Logger
}

// New returns an engine writing through client, whose dialect is d
// (dialect.SQLite or dialect.Postgres). Unless opts.ManualExpiry, it makes
// the client's reads expire the holds that ran out first (expireOnRead).
func New(client *ent.Client, d string, opts Options) *Engine {
	if opts.Hold <= 0 {
		opts.Hold = config.DefaultHold
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Log == nil {
		opts.Log = slog.Default()
	}
	e := &Engine{client: client, dialect: d, hold: opts.Hold, now: opts.Now, log: opts.Log}
	if !opts.ManualExpiry {
		client.Intercept(e.expireOnRead())
	}
	return e
}

func (e *Engine) clock() time.Time { return e.now().UTC().Truncate(time.Microsecond) }

// errNoTenant means a request reached the engine without a tenant: a wiring
// bug, never a client error.
var errNoTenant = errors.New("booking: no tenant in context")

// maxAttempts bounds retries of transactions that lost a race the database
// resolved by aborting them (deadlock, serialization failure, a unique key
// another transaction took first).
const maxAttempts = 8

// inTx runs fn in one transaction and retries it when the database aborted
// it for a conflict. Domain failures roll back and are returned as they are.
// fn gets a context that carries the transaction: queries made with it are
// known to run inside one (see expireOnRead).
func (e *Engine) inTx(ctx context.Context, fn func(ctx context.Context, tx *ent.Tx, tid int) error) error {
	tid, ok := auth.TenantID(ctx)
	if !ok {
		return errNoTenant
	}
	var err error
	for attempt := 0; attempt < maxAttempts; attempt++ {
		if err = e.tryTx(ctx, tid, fn); err == nil || !retryable(err) {
			return err
		}
		time.Sleep(time.Duration(attempt+1) * 2 * time.Millisecond)
	}
	return err
}

func (e *Engine) tryTx(ctx context.Context, tid int, fn func(ctx context.Context, tx *ent.Tx, tid int) error) error {
	if !e.noRaw.Load() {
		err := store.WithRawTx(ctx, e.client, func(tx *store.Tx) error { return fn(txContext(ctx, tx), tx.Tx, tid) })
		if !errors.Is(err, store.ErrNoRawTx) {
			return err
		}
		// A client not built by store.Open: Ent's statements only.
		e.noRaw.Store(true)
	}
	return store.WithTx(ctx, e.client, func(tx *ent.Tx) error { return fn(ent.NewTxContext(ctx, tx), tx, tid) })
}

// rawKey carries the driver transaction beside the Ent one in a context.
type rawKey struct{}

// txContext is the context of the statements of tx: it marks them as made
// inside a transaction (see expireOnRead) and carries the driver
// transaction, for the statements Ent has no builder for.
func txContext(ctx context.Context, tx *store.Tx) context.Context {
	return context.WithValue(ent.NewTxContext(ctx, tx.Tx), rawKey{}, tx)
}

// rawTx returns the driver transaction of ctx's transaction, nil when
// there is none (Ent's statements then do it the long way).
func rawTx(ctx context.Context) *store.Tx {
	tx, _ := ctx.Value(rawKey{}).(*store.Tx)
	return tx
}

// retryable reports whether err is a conflict a fresh attempt can win.
func retryable(err error) bool {
	if err == nil {
		return false
	}
	msg := err.Error()
	for _, s := range []string{
		"SQLSTATE 40001", "SQLSTATE 40P01", "SQLSTATE 23505", // PostgreSQL
		"database is locked", // SQLite
	} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

// postgres reports whether rows must be locked explicitly: SQLite write
// transactions start immediately and hold the database lock already.
func (e *Engine) postgres() bool { return e.dialect == dialect.Postgres }

func tenantOf(ctx context.Context) (int, bool) { return auth.TenantID(ctx) }

func withTenant(ctx context.Context, id int) context.Context { return auth.WithTenant(ctx, id) }
