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
