package main

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	"seatgraph/ent"
	"seatgraph/internal/auth"
	"seatgraph/internal/store"
	"seatgraph/internal/store/storetest"
)

// TestSeedConsistent seeds small data sets and checks them against the
// booking rules: the engine-made one shows that the checks agree with the
// engine, the bulk ones that the bulk seeder keeps the engine's rules, also
// when it grows a data set in steps past what its events hold (the
// sold-out fallback and skips). Then it breaks a counter and expects the
// check to say so.
func TestSeedConsistent(t *testing.T) {
	open := func(t *testing.T, dsn string) (context.Context, *ent.Client, *sql.DB, int) {
		ctx := context.Background()
		client, db, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		tid, err := store.DefaultTenantID(ctx, client)
		if err != nil {
			t.Fatal(err)
		}
		auth.Protect(client)
		t.Cleanup(func() { client.Close() })
		return ctx, client, db, tid
	}
	count := func(t *testing.T, ctx context.Context, db *sql.DB, d string, tid int) int {
		var n int
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM bookings WHERE tenant_id = "+placeholder(d, 1), tid).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	breakIt := func(t *testing.T, ctx context.Context, db *sql.DB, d string, tid int) {
		if _, err := db.ExecContext(ctx, "UPDATE events SET registered_count = registered_count + 1 WHERE id IN (SELECT MIN(id) FROM events)"); err != nil {
			t.Fatal(err)
		}
		err := checkConsistency(ctx, db, d, tid)
		if err == nil || !strings.Contains(err.Error(), "registered_count") {
			t.Fatalf("a broken counter passed the check: %v", err)
		}
	}
	t.Run("engine", func(t *testing.T) {
		storetest.Each(t, func(t *testing.T, dsn, d string) {
			ctx, client, db, tid := open(t, dsn)
			cfg := options{bookings: 300, events: 3, seedMode: "engine"}
			sd, err := seed(ctx, client, db, d, tid, cfg)
			if err != nil {
				t.Fatal(err)
			}
			if n := count(t, ctx, db, d, tid); n != cfg.bookings-int(sd.skipped) {
				t.Fatalf("%d bookings, want %d less %d skipped", n, cfg.bookings, sd.skipped)
			}
			breakIt(t, ctx, db, d, tid)
		})
	})
	t.Run("bulk", func(t *testing.T) {
		storetest.Each(t, func(t *testing.T, dsn, d string) {
			ctx, client, db, tid := open(t, dsn)
			tctx := auth.WithTenant(ctx, tid)
			// Events with room for 600 bookings, then 1,500 in two steps:
			// the reduced quotas and then the events sell out.
			now := time.Now().UTC().Truncate(time.Microsecond)
			if _, err := newSeeder(client, d, options{bookings: 600, events: 3}, now).events(tctx); err != nil {
				t.Fatal(err)
			}
			bs, err := newBulkSeeder(tctx, client, db, d, tid, 1500, 0, now)
			if err != nil {
				t.Fatal(err)
			}
			for _, step := range [][2]int{{0, 600}, {600, 1500}} {
				if err := bs.grow(tctx, step[0], step[1]); err != nil {
					t.Fatal(err)
				}
				if err := checkConsistency(ctx, db, d, tid); err != nil {
					t.Fatalf("after %d bookings: %v", step[1], err)
				}
			}
			if bs.skipped == 0 {
				t.Fatal("no booking was skipped: the events did not sell out")
			}
			if n := count(t, ctx, db, d, tid); n != 1500-int(bs.skipped) {
				t.Fatalf("%d bookings, want 1500 less %d skipped", n, bs.skipped)
			}
			breakIt(t, ctx, db, d, tid)
		})
	})
}
