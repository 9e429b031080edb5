// Package storetest gives tests a database of their own: a SQLite file in
// the test's temporary folder, and, when DATABASE_URL names a PostgreSQL
// server, a schema of its own there, dropped when the test ends.
package storetest

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"entgo.io/ent/dialect"

	"seatgraph/ent"
	"seatgraph/internal/store"
)

// Each runs fn on a fresh SQLite database and, when DATABASE_URL names a
// PostgreSQL server, on a fresh schema there, as subtests named after the
// dialect.
func Each(t *testing.T, fn func(t *testing.T, dsn, dialect string)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t), dialect.SQLite) })
	base := os.Getenv("DATABASE_URL")
	if tg, err := store.Parse(base); base == "" || err != nil || tg.Dialect != dialect.Postgres {
		return
	}
	t.Run("postgres", func(t *testing.T) { fn(t, PGSchema(t, base), dialect.Postgres) })
}

// Open opens (and migrates) the database at dsn for the test, closes it
// when the test ends, and returns the client and the id of tenant default.
func Open(t testing.TB, dsn string) (*ent.Client, int) {
	t.Helper()
	ctx := context.Background()
	client, _, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatalf("opening the test database: %v", err)
	}
	t.Cleanup(func() { client.Close() })
	tid, err := store.DefaultTenantID(ctx, client)
	if err != nil {
		t.Fatal(err)
	}
	return client, tid
}

// SQLite returns the DSN of a new SQLite file in the test's temporary folder.
func SQLite(t testing.TB) string {
	return "file:" + filepath.Join(t.TempDir(), "test.db")
}

// PGSchema creates a schema of its own for the test on the PostgreSQL
// server at base (DATABASE_URL), dropped when the test ends, and returns a
// DSN that uses it. Cleanups run last-registered first: register it before
// anything that must stop using the schema first (a server process).
func PGSchema(t testing.TB, base string) string {
	t.Helper()
	dsn, drop, err := store.CreateSchema(context.Background(), base, "t", false)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := drop(); err != nil {
			t.Logf("dropping the test schema: %v", err)
		}
	})
	return dsn
}
