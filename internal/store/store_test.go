package store

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"entgo.io/ent/dialect"

	"seatgraph/ent"
	"seatgraph/ent/tenant"
)

func TestParse(t *testing.T) {
	const ours = "_fk=1&_journal_mode=WAL&_busy_timeout=5000&_synchronous=NORMAL&_txlock=immediate"
	tests := []struct {
		name    string
		dsn     string
		dialect string
		driver  string
		want    string
		memory  bool
		wantErr bool
	}{
		{name: "empty is the embedded file", dsn: "", dialect: dialect.SQLite, driver: SQLiteDriver, want: "file:seatgraph.db?" + ours},
		{name: "plain path", dsn: "/var/lib/x.db", dialect: dialect.SQLite, driver: SQLiteDriver, want: "file:/var/lib/x.db?" + ours},
		{name: "relative path", dsn: "data/x.db", dialect: dialect.SQLite, driver: SQLiteDriver, want: "file:data/x.db?" + ours},
		{name: "file URI", dsn: "file:/tmp/x.db", dialect: dialect.SQLite, driver: SQLiteDriver, want: "file:/tmp/x.db?" + ours},
		{
			name: "user params kept, ours appended", dsn: "file:/tmp/x.db?cache=private&_busy_timeout=100",
			dialect: dialect.SQLite, driver: SQLiteDriver,
			want: "file:/tmp/x.db?cache=private&_busy_timeout=100&_fk=1&_journal_mode=WAL&_synchronous=NORMAL&_txlock=immediate",
		},
		{
			name: "aliases count as given", dsn: "file:x.db?_foreign_keys=1&_journal=DELETE&_timeout=1&_sync=FULL&_txlock=deferred",
			dialect: dialect.SQLite, driver: SQLiteDriver,
			want: "file:x.db?_foreign_keys=1&_journal=DELETE&_timeout=1&_sync=FULL&_txlock=deferred",
		},
		{name: "memory", dsn: "file::memory:", dialect: dialect.SQLite, driver: SQLiteDriver, want: "file::memory:?" + ours, memory: true},
		{name: "memory mode", dsn: "file:x?mode=memory&cache=shared", dialect: dialect.SQLite, driver: SQLiteDriver, want: "file:x?mode=memory&cache=shared&" + ours, memory: true},
		{name: "postgres", dsn: "postgres://u:p@h/db?sslmode=disable", dialect: dialect.Postgres, driver: "pgx", want: "postgres://u:p@h/db?sslmode=disable"},
		{name: "postgresql", dsn: "postgresql://h/db", dialect: dialect.Postgres, driver: "pgx", want: "postgresql://h/db"},
		{name: "other scheme", dsn: "mysql://h/db", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(tt.dsn)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("Parse(%q) = %+v, want error", tt.dsn, got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want := Target{Dialect: tt.dialect, Driver: tt.driver, DSN: tt.want, Memory: tt.memory}
			if got != want {
				t.Errorf("Parse(%q)\n got %+v\nwant %+v", tt.dsn, got, want)
			}
		})
	}
}

func TestTargetStringHidesPassword(t *testing.T) {
	tg, err := Parse("postgres://user:secret@db.example/seat")
	if err != nil {
		t.Fatal(err)
	}
	if s := tg.String(); strings.Contains(s, "secret") {
		t.Errorf("String() = %q leaks the password", s)
	}
}

func TestOpenSQLite(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "seat.db")

	var ids []int
	for i := range 2 {
		client, db, err := Open(ctx, path)
		if err != nil {
			t.Fatalf("open #%d: %v", i+1, err)
		}
		pragmas := []struct{ pragma, want string }{
			{"journal_mode", "wal"},
			{"foreign_keys", "1"},
			{"busy_timeout", "5000"},
			{"synchronous", "1"}, // NORMAL
		}
		for _, p := range pragmas {
			if got := pragma(t, db, p.pragma); !strings.EqualFold(got, p.want) {
				t.Errorf("open #%d: PRAGMA %s = %q, want %q", i+1, p.pragma, got, p.want)
			}
		}
		n, err := client.Tenant.Query().Where(tenant.Slug(DefaultTenantSlug)).Count(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			t.Errorf("open #%d: %d default tenants, want 1", i+1, n)
		}
		id, err := DefaultTenantID(ctx, client)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
		if err := client.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if ids[0] != ids[1] {
		t.Errorf("default tenant id changed between opens: %d then %d", ids[0], ids[1])
	}
	if _, err := os.Stat(path); err != nil {
		t.Errorf("database file not created: %v", err)
	}
}

func TestOpenSQLiteKeepsTenantName(t *testing.T) {
	ctx := context.Background()
	path := "file:" + filepath.Join(t.TempDir(), "seat.db")
	client, _, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.Tenant.Update().Where(tenant.Slug(DefaultTenantSlug)).SetName("Box Office").Save(ctx); err != nil {
		t.Fatal(err)
	}
	client.Close()

	client, _, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	got := client.Tenant.Query().Where(tenant.Slug(DefaultTenantSlug)).OnlyX(ctx)
	if got.Name != "Box Office" {
		t.Errorf("reopening renamed the default tenant to %q", got.Name)
	}
}

func TestOpenInMemory(t *testing.T) {
	ctx := context.Background()
	client, _, err := Open(ctx, "file::memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	// Several queries in a row must see the same database: the migration and
	// the tenant have to survive across pooled connections.
	for range 3 {
		if _, err := DefaultTenantID(ctx, client); err != nil {
			t.Fatal(err)
		}
	}
}

func TestOpenErrors(t *testing.T) {
	tests := []struct{ name, dsn string }{
		{"missing directory", "file:" + filepath.Join(t.TempDir(), "no", "such", "dir", "x.db")},
		{"unsupported scheme", "mysql://localhost/db"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			client, _, err := Open(context.Background(), tt.dsn)
			if err == nil {
				client.Close()
				t.Fatalf("Open(%q) succeeded", tt.dsn)
			}
		})
	}
}

// freshPostgres returns DATABASE_URL pointed at a new, empty schema that is
// dropped after the test, so tests neither see nor disturb existing tables.
func freshPostgres(t *testing.T) string {
	t.Helper()
	dsn := os.Getenv("DATABASE_URL")
	if dsn == "" {
		t.Skip("DATABASE_URL not set")
	}
	if tg, err := Parse(dsn); err != nil || tg.Dialect != dialect.Postgres {
		t.Skip("DATABASE_URL is not a PostgreSQL URL")
	}
	fresh, drop, err := CreateSchema(context.Background(), dsn, "seatgraph_test", false)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := drop(); err != nil {
			t.Errorf("dropping the test schema: %v", err)
		}
	})
	return fresh
}

func TestOpenPostgres(t *testing.T) {
	dsn := freshPostgres(t)
	ctx := context.Background()
	var ids []int
	for i := range 2 {
		client, db, err := Open(ctx, dsn)
		if err != nil {
			t.Fatalf("open #%d: %v", i+1, err)
		}
		if err := db.PingContext(ctx); err != nil {
			t.Fatal(err)
		}
		n, err := client.Tenant.Query().Where(tenant.Slug(DefaultTenantSlug)).Count(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			t.Errorf("open #%d: %d default tenants, want 1", i+1, n)
		}
		id, err := DefaultTenantID(ctx, client)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
		client.Close()
	}
	if ids[0] != ids[1] {
		t.Errorf("default tenant id changed between opens: %d then %d", ids[0], ids[1])
	}
}

func TestDefaultTenantIDMissing(t *testing.T) {
	ctx := context.Background()
	client, db, err := Open(ctx, "file:"+filepath.Join(t.TempDir(), "x.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	if _, err := db.ExecContext(ctx, "DELETE FROM tenants"); err != nil {
		t.Fatal(err)
	}
	_, err = DefaultTenantID(ctx, client)
	if !ent.IsNotFound(err) {
		t.Errorf("DefaultTenantID on an empty table: err = %v, want a NotFoundError", err)
	}
}

func pragma(t *testing.T, db *sql.DB, name string) string {
	t.Helper()
	var v string
	if err := db.QueryRow("PRAGMA " + name).Scan(&v); err != nil {
		t.Fatalf("PRAGMA %s: %v", name, err)
	}
	return v
}

// TestMain lets TestOpenConcurrently use the test binary as a second
// process that only opens the database.
func TestMain(m *testing.M) {
	if dsn := os.Getenv("STORE_TEST_OPEN_DSN"); dsn != "" {
		c, _, err := Open(context.Background(), dsn)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		c.Close()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func TestOpenConcurrently(t *testing.T) {
	// Processes started at once on a fresh database (replicas of a rolling
	// deploy, or a restart racing its predecessor) must all come up, with one
	// default tenant. Goroutines check the in-process serialization, child
	// processes the database lock.
	dbs := []struct {
		name string
		dsn  func(t *testing.T) string
	}{
		{"sqlite", func(t *testing.T) string { return "file:" + filepath.Join(t.TempDir(), "race.db") }},
		{"postgres", freshPostgres},
	}
	openers := []struct {
		name string
		open func(ctx context.Context, dsn string) error
	}{
		{"goroutines", func(ctx context.Context, dsn string) error {
			c, _, err := Open(ctx, dsn)
			if err == nil {
				c.Close()
			}
			return err
		}},
		{"processes", func(ctx context.Context, dsn string) error {
			cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), "STORE_TEST_OPEN_DSN="+dsn)
			if out, err := cmd.CombinedOutput(); err != nil {
				return fmt.Errorf("%w: %s", err, out)
			}
			return nil
		}},
	}
	for _, db := range dbs {
		for _, o := range openers {
			t.Run(db.name+"/"+o.name, func(t *testing.T) {
				ctx := context.Background()
				dsn := db.dsn(t)
				const n = 4
				errs := make(chan error, n)
				for range n {
					go func() { errs <- o.open(ctx, dsn) }()
				}
				for range n {
					if err := <-errs; err != nil {
						t.Error(err)
					}
				}
				c, _, err := Open(ctx, dsn)
				if err != nil {
					t.Fatal(err)
				}
				defer c.Close()
				if n := c.Tenant.Query().CountX(ctx); n != 1 {
					t.Errorf("%d tenants after concurrent opens, want 1", n)
				}
			})
		}
	}
}
