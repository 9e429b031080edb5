package store

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
)

// numbers is a query of n rows (i, 'x' || i), i = 1..n.
const numbers = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i < ?) SELECT i, 'x' || i FROM n"

// TestSQLiteRowsStopWhenContextEnds checks what SQLiteDriver trades for
// reading rows without go-sqlite3's per-row goroutine: a query whose
// context has ended is not run, and rows stop soon after it ends, with the
// context's error, through the Ent driver and in a transaction alike.
func TestSQLiteRowsStopWhenContextEnds(t *testing.T) {
	ctx := context.Background()
	_, db, err := Open(ctx, "file:"+filepath.Join(t.TempDir(), "d.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	drv := NewDriver(dialect.SQLite, db)
	const total = 100_000
	for _, c := range []struct {
		name     string
		tx       bool
		cancelAt int // cancel after this many rows; -1: before the query
		wantErr  error
	}{
		{"not cancelled", false, 0, nil},
		{"cancelled before", false, -1, context.Canceled},
		{"cancelled after 3 rows", false, 3, context.Canceled},
		{"in a transaction, cancelled after 5 rows", true, 5, context.Canceled},
		{"in a transaction, not cancelled", true, 0, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			qctx, cancel := context.WithCancel(ctx)
			defer cancel()
			var q interface {
				Query(context.Context, string, any, any) error
			} = drv
			if c.tx {
				tx, err := drv.Tx(ctx)
				if err != nil {
					t.Fatal(err)
				}
				defer tx.Rollback()
				q = tx
			}
			if c.cancelAt < 0 {
				cancel()
			}
			var rows entsql.Rows
			err := q.Query(qctx, numbers, []any{total}, &rows)
			if c.cancelAt < 0 {
				if !errors.Is(err, c.wantErr) {
					t.Fatalf("Query: %v, want %v", err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			n := 0
			for rows.Next() {
				var i int
				var s string
				if err := rows.Scan(&i, &s); err != nil {
					// database/sql closed the rows between Next and Scan.
					if c.wantErr == nil || !errors.Is(err, c.wantErr) {
						t.Fatalf("Scan: %v", err)
					}
					break
				}
				n++
				if i != n {
					t.Fatalf("row %d holds %d", n, i)
				}
				if n == c.cancelAt {
					cancel()
				}
			}
			if !errors.Is(rows.Err(), c.wantErr) {
				t.Fatalf("after %d rows Err is %v, want %v", n, rows.Err(), c.wantErr)
			}
			if c.wantErr == nil && n != total || c.wantErr != nil && n >= total {
				t.Fatalf("read %d of %d rows", n, total)
			}
		})
	}
}

// TestDriverCachesColumnTypes checks that the cached column types are the
// result set's, row after row (Ent asks for them once per row).
func TestDriverCachesColumnTypes(t *testing.T) {
	ctx := context.Background()
	_, db, err := Open(ctx, "file:"+filepath.Join(t.TempDir(), "d.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	var rows entsql.Rows
	if err := NewDriver(dialect.SQLite, db).Query(ctx, "SELECT id, slug, name FROM tenants UNION ALL SELECT 2, 'b', 'B'", []any{}, &rows); err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		n++
		types, err := rows.ColumnTypes()
		if err != nil || len(types) != 3 || types[0].Name() != "id" || types[2].Name() != "name" {
			t.Fatalf("row %d: ColumnTypes %v, %v", n, types, err)
		}
	}
	if n != 2 || rows.Err() != nil {
		t.Fatalf("%d rows, %v", n, rows.Err())
	}
}

// TestSQLiteStatementCache checks the kept statements: the same query runs
// again with other arguments, also while rows of it are still open in the
// same transaction, and a text of several statements still runs them all.
func TestSQLiteStatementCache(t *testing.T) {
	ctx := context.Background()
	_, db, err := Open(ctx, "file:"+filepath.Join(t.TempDir(), "d.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.ExecContext(ctx, "CREATE TABLE kv (k INTEGER PRIMARY KEY, v TEXT); INSERT INTO kv VALUES (1, 'a'); INSERT INTO kv VALUES (2, 'b')"); err != nil {
		t.Fatal(err)
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	const q = "SELECT v FROM kv WHERE k >= ? ORDER BY k"
	outer, err := tx.QueryContext(ctx, q, 1)
	if err != nil {
		t.Fatal(err)
	}
	if !outer.Next() {
		t.Fatal("no first row")
	}
	for _, c := range []struct {
		from int
		want string
	}{{2, "b"}, {1, "ab"}, {3, ""}} {
		rows, err := tx.QueryContext(ctx, q, c.from) // the kept statement is busy: a fresh one
		if err != nil {
			t.Fatal(err)
		}
		got := ""
		for rows.Next() {
			var v string
			if err := rows.Scan(&v); err != nil {
				t.Fatal(err)
			}
			got += v
		}
		rows.Close()
		if got != c.want {
			t.Errorf("k >= %d: %q, want %q", c.from, got, c.want)
		}
	}
	var rest string
	for ok := true; ok; ok = outer.Next() {
		var v string
		if err := outer.Scan(&v); err != nil {
			t.Fatal(err)
		}
		rest += v
	}
	if err := outer.Close(); err != nil || rest != "ab" {
		t.Fatalf("outer rows read %q, %v", rest, err)
	}
	if _, err := tx.ExecContext(ctx, "UPDATE kv SET v = ? WHERE k = ?", "c", 2); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.ExecContext(ctx, "UPDATE kv SET v = ? WHERE k = ?", "d", 1); err != nil {
		t.Fatal(err)
	}
	var got string
	if err := tx.QueryRowContext(ctx, "SELECT group_concat(v, '') FROM kv").Scan(&got); err != nil || got != "dc" {
		t.Fatalf("after updates: %q, %v", got, err)
	}
}

// TestSQLiteExecReturningCommits replays what the bench found: a statement
// that returns rows, sent with Exec inside a transaction, must not keep the
// transaction from committing.
func TestSQLiteExecReturningCommits(t *testing.T) {
	ctx := context.Background()
	_, db, err := Open(ctx, "file:"+filepath.Join(t.TempDir(), "d.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.ExecContext(ctx, "CREATE TABLE kv (k INTEGER PRIMARY KEY, v TEXT)"); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO kv (v) VALUES (?) RETURNING k", "x"); err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			t.Fatalf("commit %d: %v", i, err)
		}
	}
}
