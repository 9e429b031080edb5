package store

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"
)

// TestPoolSizes: each database gets its deliberate pool, and a burst that
// used every connection leaves them all idle for the next one instead of
// closing them (see SQLitePoolSize).
func TestPoolSizes(t *testing.T) {
	dsns := map[string]struct {
		dsn  string
		want int
	}{
		"sqlite file":   {"file:" + filepath.Join(t.TempDir(), "pool.db"), SQLitePoolSize},
		"sqlite memory": {"file::memory:", 1},
	}
	if pg := os.Getenv("DATABASE_URL"); pg != "" {
		dsns["postgres"] = struct {
			dsn  string
			want int
		}{pg, PostgresPoolSize}
	}
	for name, tt := range dsns {
		t.Run(name, func(t *testing.T) {
			target, err := Parse(tt.dsn)
			if err != nil {
				t.Fatal(err)
			}
			db, err := sql.Open(target.Driver, target.DSN)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			configurePool(db, target)
			if got := db.Stats().MaxOpenConnections; got != tt.want {
				t.Errorf("MaxOpenConnections = %d, want %d", got, tt.want)
			}
			ctx := context.Background()
			var conns []*sql.Conn
			for range tt.want {
				c, err := db.Conn(ctx)
				if err != nil {
					t.Fatal(err)
				}
				conns = append(conns, c)
			}
			for _, c := range conns {
				c.Close()
			}
			if s := db.Stats(); s.Idle != tt.want || s.MaxIdleClosed != 0 {
				t.Errorf("after a burst of %d: %d idle, %d closed as surplus; want all kept", tt.want, s.Idle, s.MaxIdleClosed)
			}
		})
	}
}
