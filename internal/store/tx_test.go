package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"

	"seatgraph/ent"
	"seatgraph/ent/tenant"
)

// TestWithTx: a transaction that panics or fails leaves nothing behind, and
// the database stays writable afterwards: from the same pool and, on
// SQLite, from a connection that would get SQLITE_BUSY at once if the
// write lock were still held.
func TestWithTx(t *testing.T) {
	errFailed := errors.New("failed")
	tests := []struct {
		name      string
		fn        func(tx *ent.Tx, slug string) error // writes a tenant named slug first
		wantPanic any
		wantErr   error
		wantRow   bool
	}{
		{name: "commit", fn: func(*ent.Tx, string) error { return nil }, wantRow: true},
		{name: "error rolls back", fn: func(*ent.Tx, string) error { return errFailed }, wantErr: errFailed},
		{name: "panic rolls back and goes on up", fn: func(*ent.Tx, string) error { panic("boom") }, wantPanic: "boom"},
		{
			name: "panic after a second write rolls back both",
			fn: func(tx *ent.Tx, slug string) error {
				tx.Tenant.Create().SetSlug(slug + "-2").SetName("second").SaveX(context.Background())
				var m map[string]int
				m["x"] = 1 // a real runtime panic: nil map
				return nil
			},
			wantPanic: "assignment to entry in nil map",
		},
	}
	dbs := []struct {
		name string
		dsn  func(t *testing.T) string
	}{
		{"sqlite", func(t *testing.T) string { return "file:" + filepath.Join(t.TempDir(), "tx.db") }},
		{"postgres", freshPostgres},
	}
	for _, d := range dbs {
		t.Run(d.name, func(t *testing.T) {
			dsn := d.dsn(t)
			ctx := context.Background()
			client, db, err := Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer client.Close()
			for i, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					slug := fmt.Sprintf("t%d", i)
					var err error
					panicked := func() (p any) {
						defer func() { p = recover() }()
						err = WithTx(ctx, client, func(tx *ent.Tx) error {
							tx.Tenant.Create().SetSlug(slug).SetName("written before the end").SaveX(ctx)
							return tt.fn(tx, slug)
						})
						return nil
					}()
					if tt.wantPanic != nil {
						if panicked == nil || !strings.Contains(fmt.Sprint(panicked), fmt.Sprint(tt.wantPanic)) {
							t.Fatalf("panic = %v, want %v", panicked, tt.wantPanic)
						}
					} else if panicked != nil {
						t.Fatalf("unexpected panic %v", panicked)
					}
					if !errors.Is(err, tt.wantErr) {
						t.Fatalf("err = %v, want %v", err, tt.wantErr)
					}

					n, err := client.Tenant.Query().Where(tenant.SlugHasPrefix(slug)).Count(ctx)
					if err != nil {
						t.Fatal(err)
					}
					if got := n > 0; got != tt.wantRow {
						t.Errorf("rows written in the transaction: %d, want present=%v", n, tt.wantRow)
					}
					if s := db.Stats(); s.InUse != 0 {
						t.Errorf("%d connections still in use: the transaction's was not released", s.InUse)
					}

					// Still writable, through the pool and within a short time.
					wctx, cancel := context.WithTimeout(ctx, 2*time.Second)
					defer cancel()
					if err := WithTx(wctx, client, func(tx *ent.Tx) error {
						return tx.Tenant.Create().SetSlug(slug + "-after").SetName("after").Exec(wctx)
					}); err != nil {
						t.Fatalf("write after the transaction: %v", err)
					}
					if d.name == "sqlite" {
						assertSQLiteWritable(t, dsn, slug+"-other")
					}
				})
			}
		})
	}
}

// assertSQLiteWritable writes through a separate pool that does not wait
// for the lock: if any connection still held SQLite's write lock, this
// would fail with "database is locked".
func assertSQLiteWritable(t *testing.T, dsn, slug string) {
	t.Helper()
	tg, err := Parse(dsn + "?_busy_timeout=0")
	if err != nil {
		t.Fatal(err)
	}
	other, err := sql.Open(tg.Driver, tg.DSN)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	now := time.Now()
	if _, err := other.Exec("INSERT INTO tenants (slug, name, created_at, updated_at) VALUES (?, ?, ?, ?)", slug, "other", now, now); err != nil {
		t.Errorf("write from another connection: %v (write lock still held?)", err)
	}
}

// TestRawTx: the driver transaction under an Ent one runs savepoints and
// statements that return rows in the same transaction; a client built
// without NewDriver says so instead.
func TestRawTx(t *testing.T) {
	dbs := []struct {
		name string
		dsn  func(t *testing.T) string
		ph   string
	}{
		{"sqlite", func(t *testing.T) string { return "file:" + filepath.Join(t.TempDir(), "raw.db") }, "?"},
		{"postgres", freshPostgres, "$1"},
	}
	for _, d := range dbs {
		t.Run(d.name, func(t *testing.T) {
			ctx := context.Background()
			client, _, err := Open(ctx, d.dsn(t))
			if err != nil {
				t.Fatal(err)
			}
			defer client.Close()
			err = WithRawTx(ctx, client, func(tx *Tx) error {
				tx.Tenant.Create().SetSlug("kept").SetName("kept").SaveX(ctx)
				if err := tx.Exec(ctx, "SAVEPOINT s"); err != nil {
					return err
				}
				tx.Tenant.Create().SetSlug("undone").SetName("undone").SaveX(ctx)
				if err := tx.Exec(ctx, "ROLLBACK TO s"); err != nil {
					return err
				}
				n, err := tx.QueryInts(ctx, "SELECT count(*) FROM tenants WHERE slug = "+d.ph, "undone")
				if err != nil || len(n) != 1 || n[0] != 0 {
					t.Errorf("rolled back row still seen: %v, %v", n, err)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			got, err := client.Tenant.Query().Where(tenant.SlugIn("kept", "undone")).Select(tenant.FieldSlug).Strings(ctx)
			if err != nil || len(got) != 1 || got[0] != "kept" {
				t.Errorf("committed %v, %v; want only kept", got, err)
			}
		})
	}
	t.Run("a client of Ent's own driver", func(t *testing.T) {
		ctx := context.Background()
		_, db, err := Open(ctx, "file:"+filepath.Join(t.TempDir(), "plain.db"))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		plain := ent.NewClient(ent.Driver(entsql.OpenDB(dialect.SQLite, db)))
		if _, err := Begin(ctx, plain); !errors.Is(err, ErrNoRawTx) {
			t.Fatalf("Begin = %v, want ErrNoRawTx", err)
		}
		if s := db.Stats(); s.InUse != 0 {
			t.Errorf("%d connections still in use", s.InUse)
		}
	})
}
