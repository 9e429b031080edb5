// Package store opens the database behind seatgraph: it picks SQLite or
// PostgreSQL from a DSN, tunes the connection, migrates the Ent schema and
// makes sure tenant "default" exists (docs/operations.md).
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"time"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	entschema "entgo.io/ent/dialect/sql/schema"
	_ "github.com/jackc/pgx/v5/stdlib" // registers driver "pgx"
	"github.com/mattn/go-sqlite3"      // registers driver "sqlite3"

	"seatgraph/ent"
	"seatgraph/ent/migrate"
	"seatgraph/ent/tenant"
)

const (
	// DefaultDSN is the embedded database used when no DSN is given.
	DefaultDSN = "file:seatgraph.db"
	// DefaultTenantSlug names the tenant that always exists; anonymous
	// callers without X-Tenant-Id land in it.
	DefaultTenantSlug = "default"
	// DefaultTenantName is the display name given to the default tenant when
	// it is first created; an operator may rename it later.
	DefaultTenantName = "Default"
)

// Target is a DSN resolved to what database/sql and Ent need.
type Target struct {
	Dialect string // dialect.SQLite or dialect.Postgres
	Driver  string // database/sql driver name
	DSN     string // passed to sql.Open, with seatgraph's SQLite parameters added
	Memory  bool   // an in-memory SQLite database, which lives only as long as its connection
}

// String is the DSN with any password hidden, so it can be logged.
func (t Target) String() string {
	if t.Dialect != dialect.Postgres {
		return t.DSN
	}
	u, err := url.Parse(t.DSN)
	if err != nil {
		return t.Driver + "://?"
	}
	return u.Redacted()
}

// sqliteParams are added to every SQLite DSN that does not set them itself.
// Each entry lists the go-sqlite3 aliases of one parameter, so that a user's
// "_foreign_keys=0" is not contradicted by our "_fk=1".
var sqliteParams = []struct {
	names []string // first one is what we add
	value string
}{
	// Ent's schema relies on foreign keys; SQLite leaves them off by default.
	{[]string{"_fk", "_foreign_keys"}, "1"},
	// WAL lets readers run while one writer commits.
	{[]string{"_journal_mode", "_journal"}, "WAL"},
	// Concurrent writers wait for the lock instead of failing at once.
	{[]string{"_busy_timeout", "_timeout"}, "5000"},
	// NORMAL is crash-safe under WAL (no acknowledged commit lost on kill -9)
	// and much faster than FULL; only power loss can drop the last commits.
	{[]string{"_synchronous", "_sync"}, "NORMAL"},
	// BEGIN IMMEDIATE takes the write lock up front: a deferred transaction
	// that reads and then writes gets SQLITE_BUSY on the lock upgrade, which
	// busy_timeout does not retry (see NOTES.md, 200 bookers for 50 seats).
	{[]string{"_txlock"}, "immediate"},
}

// Parse resolves a DSN: "" means DefaultDSN; "postgres://" and
// "postgresql://" URLs are PostgreSQL; "file:" URIs and plain paths are
// SQLite files.
func Parse(dsn string) (Target, error) {
	dsn = strings.TrimSpace(dsn)
	if dsn == "" {
		dsn = DefaultDSN
	}
	lower := strings.ToLower(dsn)
	switch {
	case strings.HasPrefix(lower, "postgres://"), strings.HasPrefix(lower, "postgresql://"):
		return Target{Dialect: dialect.Postgres, Driver: "pgx", DSN: dsn}, nil
	case strings.HasPrefix(lower, "file:"):
	case strings.Contains(dsn, "://"):
		scheme, _, _ := strings.Cut(dsn, "://")
		return Target{}, fmt.Errorf("store: unsupported database URL scheme %q (use postgres:// or file:)", scheme)
	default:
		dsn = "file:" + dsn
	}
	return sqliteTarget(dsn), nil
}

func sqliteTarget(dsn string) Target {
	path, query, _ := strings.Cut(dsn, "?")
	given := map[string]bool{}
	for _, kv := range strings.Split(query, "&") {
		k, _, _ := strings.Cut(kv, "=")
		if k != "" {
			given[strings.ToLower(k)] = true
		}
	}
	var add []string
	for _, p := range sqliteParams {
		if !anyGiven(given, p.names) {
			add = append(add, p.names[0]+"="+p.value)
		}
	}
	if len(add) > 0 {
		if query != "" {
			query += "&"
		}
		query += strings.Join(add, "&")
	}
	memory := strings.Contains(path, ":memory:") || strings.Contains(strings.ToLower(query), "mode=memory")
	return Target{Dialect: dialect.SQLite, Driver: SQLiteDriver, DSN: path + "?" + query, Memory: memory}
}

func anyGiven(given map[string]bool, names []string) bool {
	for _, n := range names {
		if given[n] {
			return true
		}
	}
	return false
}

// Open connects to the database named by dsn (see Parse), migrates the Ent
// schema and ensures tenant "default" exists. The caller closes the client,
// which also closes the returned *sql.DB; the *sql.DB is for readiness
// checks and raw statements.
func Open(ctx context.Context, dsn string) (*ent.Client, *sql.DB, error) {
	t, err := Parse(dsn)
	if err != nil {
		return nil, nil, err
	}
	db, err := sql.Open(t.Driver, t.DSN)
	if err != nil {
		return nil, nil, fmt.Errorf("store: open %s: %w", t, err)
	}
	configurePool(db, t)
	// Ping first so a wrong path or unreachable server is reported as such,
	// not as a migration failure.
	if err := connect(ctx, db, t); err != nil {
		db.Close()
		return nil, nil, fmt.Errorf("store: connect %s: %w", t, err)
	}
	if err := migrateSchema(ctx, db, t); err != nil {
		db.Close()
		return nil, nil, fmt.Errorf("store: migrate %s: %w", t, err)
	}
	if err := optimize(ctx, db, t, "PRAGMA optimize=0x10002"); err != nil {
		db.Close()
		return nil, nil, fmt.Errorf("store: optimize %s: %w", t, err)
	}
	client := ent.NewClient(ent.Driver(NewDriver(t.Dialect, db)))
	if err := ensureDefaultTenant(ctx, client); err != nil {
		client.Close()
		return nil, nil, err
	}
	return client, db, nil
}

// connect opens the first connection. Converting a fresh SQLite file to WAL
// needs an exclusive lock, and SQLite reports "database is locked" at once
// instead of waiting out busy_timeout when another connection (a second
// process starting on the same new file) holds it; that race is over within
// milliseconds, so it is retried.
func connect(ctx context.Context, db *sql.DB, t Target) error {
	const wait = 10 * time.Second
	deadline := time.Now().Add(wait)
	for {
		err := db.PingContext(ctx)
		var se sqlite3.Error
		busy := t.Dialect == dialect.SQLite && errors.As(err, &se) &&
			(se.Code == sqlite3.ErrBusy || se.Code == sqlite3.ErrLocked)
		if !busy || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// The join table of the event–booking edge is Ent's own; its primary key
// (event_id, booking_id) serves an event's bookings, and this index a
// booking's events (eager loading of Booking.events on every booking list).
func init() {
	migrate.EventBookingsTable.Indexes = append(migrate.EventBookingsTable.Indexes, &entschema.Index{
		Name:    "eventbookings_booking_id",
		Columns: []*entschema.Column{migrate.EventBookingsTable.PrimaryKey[1]},
	})
}

// migrateMu serializes migrations within the process: Ent's migration
// rewrites the package-level table definitions of seatgraph/ent/migrate, so
// two at once (parallel tests each opening a database) are a data race.
var migrateMu sync.Mutex

// migrationLockKey names seatgraph's PostgreSQL advisory lock.
const migrationLockKey int64 = 0x5ea79a9b

// migrateSchema runs Ent's auto-migration inside one transaction that first
// takes a database-wide lock, so that processes starting together (replicas
// of a rolling deploy) migrate one after another: otherwise both inspect an
// empty schema and the second fails with "table already exists". SQLite's
// lock is the BEGIN IMMEDIATE of _txlock=immediate; PostgreSQL's is a
// transaction-scoped advisory lock, and its DDL is transactional too.
func migrateSchema(ctx context.Context, db *sql.DB, t Target) (err error) {
	migrateMu.Lock()
	defer migrateMu.Unlock()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	if t.Dialect == dialect.Postgres {
		if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1)", migrationLockKey); err != nil {
			return fmt.Errorf("take migration lock: %w", err)
		}
	}
	drv := txDriver{entsql.NewDriver(t.Dialect, entsql.Conn{ExecQuerier: tx})}
	if err := migrate.NewSchema(drv).Create(ctx); err != nil {
		return err
	}
	return tx.Commit()
}

// txDriver runs Ent's migration inside a transaction we own: the migration
// opens a transaction of its own, which here becomes a no-op on ours.
type txDriver struct{ *entsql.Driver }

func (d txDriver) Tx(context.Context) (dialect.Tx, error) { return dialect.NopTx(d.Driver), nil }

// Pool sizes (docs/operations.md, "Databases"), chosen for the load of a
// request: a handful of short statements, each taking a connection only
// while it runs. Idle connections are as many as open ones, so that a burst
// finds its connections warm instead of closing them on return and opening
// new ones on the next request, which on PostgreSQL is a backend process
// started and authenticated, and on SQLite a page cache and the kept
// statements thrown away.
const (
	// SQLitePoolSize bounds the SQLite connections. Readers run beside the
	// one writer (WAL), but reading is CPU work in this process: beyond a
	// few connections per core they only queue, and each holds up to 2 MiB
	// of page cache (SQLite's default cache_size), C memory outside the Go
	// memory limit, so 8 caches stay within the memory budget. The spare
	// ones let reads go on while writers wait out busy_timeout on the lock.
	SQLitePoolSize = 8
	// PostgresPoolSize bounds the PostgreSQL connections: enough that the
	// statements of concurrent requests seldom wait for one (the Go process,
	// not the database, is the bottleneck), and well under PostgreSQL's
	// default max_connections of 100, so that several instances and admin
	// tools fit.
	PostgresPoolSize = 20
)

func configurePool(db *sql.DB, t Target) {
	switch {
	case t.Memory:
		// Every connection to ":memory:" is a database of its own, and a
		// shared-cache one vanishes with its last connection: keep exactly one
		// connection, forever.
		db.SetMaxOpenConns(1)
		db.SetMaxIdleConns(1)
		db.SetConnMaxLifetime(0)
		db.SetConnMaxIdleTime(0)
	case t.Dialect == dialect.SQLite:
		// A file on this host: nothing to fail over, so connections live as
		// long as the process.
		db.SetMaxOpenConns(SQLitePoolSize)
		db.SetMaxIdleConns(SQLitePoolSize)
		db.SetConnMaxLifetime(0)
		db.SetConnMaxIdleTime(0)
	default:
		// Recycle connections so that failovers and server-side limits are
		// picked up, and give idle ones back to the database after a quiet
		// spell.
		db.SetMaxOpenConns(PostgresPoolSize)
		db.SetMaxIdleConns(PostgresPoolSize)
		db.SetConnMaxLifetime(30 * time.Minute)
		db.SetConnMaxIdleTime(5 * time.Minute)
	}
}

// ensureDefaultTenant looks before it writes so that a normal start does not
// write at all (an upsert would also burn a PostgreSQL sequence value each
// time); the insert itself is an upsert so that two processes starting at
// once on a fresh database cannot both create the tenant.
func ensureDefaultTenant(ctx context.Context, client *ent.Client) error {
	exists, err := client.Tenant.Query().Where(tenant.Slug(DefaultTenantSlug)).Exist(ctx)
	if err != nil {
		return fmt.Errorf("store: look up tenant %q: %w", DefaultTenantSlug, err)
	}
	if exists {
		return nil
	}
	err = client.Tenant.Create().
		SetSlug(DefaultTenantSlug).
		SetName(DefaultTenantName).
		OnConflictColumns(tenant.FieldSlug).
		Ignore().
		Exec(ctx)
	if err != nil {
		return fmt.Errorf("store: ensure tenant %q: %w", DefaultTenantSlug, err)
	}
	return nil
}

// DefaultTenantID returns the id of tenant "default".
func DefaultTenantID(ctx context.Context, client *ent.Client) (int, error) {
	id, err := client.Tenant.Query().Where(tenant.Slug(DefaultTenantSlug)).OnlyID(ctx)
	if err != nil {
		var nf *ent.NotFoundError
		if errors.As(err, &nf) {
			return 0, fmt.Errorf("store: tenant %q is missing (was the database opened with store.Open?): %w", DefaultTenantSlug, err)
		}
		return 0, fmt.Errorf("store: tenant %q: %w", DefaultTenantSlug, err)
	}
	return id, nil
}

// optimize lets SQLite gather the table statistics its planner needs: with
// none, it picks an index by its shape alone, and a page of a list could
// walk every participant of the tenant to find the bookers of fifty
// bookings (a cost that grows with the data; measured at 1 M bookings).
// PostgreSQL's autovacuum keeps its own statistics.
func optimize(ctx context.Context, db *sql.DB, t Target, pragma string) error {
	if t.Dialect != dialect.SQLite {
		return nil
	}
	_, err := db.ExecContext(ctx, pragma)
	return err
}

// Maintain refreshes SQLite's statistics every interval until ctx ends, as
// SQLite advises for long-lived connections: the data a server holds grows
// after it started. It does nothing on PostgreSQL.
func Maintain(ctx context.Context, db *sql.DB, t Target, every time.Duration, log *slog.Logger) {
	if t.Dialect != dialect.SQLite {
		return
	}
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			if err := optimize(ctx, db, t, "PRAGMA optimize"); err != nil && ctx.Err() == nil {
				log.Warn("refreshing the database statistics", "error", err.Error())
			}
		}
	}
}
