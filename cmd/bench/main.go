// Command bench measures seatgraph under load and compares it with a raw
// net/http + database/sql baseline, in one invocation:
//
//	go run ./cmd/bench                              # 1,000 events, 50,000 bookings, SQLite
//	go run ./cmd/bench -bookings 5000 -events 100 -duration 3s -rounds 1
//	DATABASE_URL=postgres://... go run ./cmd/bench  # SQLite, then PostgreSQL
//
// For each database it seeds a data set (events through the catalog, then
// bookings in bulk, or with -seed engine through the booking engine, in
// process, checked against the booking rules either way), builds and
// starts the real server binary on it,
// loads four scenarios at each concurrency for -rounds rounds of -duration
// (reporting the median round), runs a hand-written raw handler for the
// booking list on the same data for the throughput ratio, pages the same
// list from a cursor deep in it, counts SQL statements per request, and
// samples the server's RSS. On PostgreSQL it then runs PostGraphile v5 on
// the same data next to seatgraph and the raw handler (postgraphile.go;
// skipped without node and npm, or with -postgraphile=false). The raw
// handler lives here only, never in the server.
//
//	go run ./cmd/bench -scale 10000,100000,1000000   # paging and totalCount as the data grows (scale.go)
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"seatgraph/e2e/harness"
	"seatgraph/internal/store"
)

type options struct {
	bookings    int
	events      int
	duration    time.Duration
	rounds      int
	conc        []int
	db          string
	keep        bool
	seedWorkers int
	warmup      time.Duration
	smoke       bool
	seedMode    string // "bulk" or "engine" (seed.go)
	scale       []int  // -scale sizes (scale.go); empty: the usual run
	peer        bool   // -postgraphile (postgraphile.go)
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func parseFlags(args []string) (options, error) {
	var cfg options
	var conc string
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.IntVar(&cfg.bookings, "bookings", 50000, "bookings to seed (about 2 tickets each), up to 1,000,000")
	fs.IntVar(&cfg.events, "events", 1000, "events to seed, each with 2 ticket categories")
	fs.DurationVar(&cfg.duration, "duration", 10*time.Second, "load time of one round of one scenario")
	fs.IntVar(&cfg.rounds, "rounds", 3, "rounds per scenario and concurrency; the median round is reported")
	fs.StringVar(&conc, "concurrency", "16,64", "comma-separated numbers of concurrent clients")
	fs.StringVar(&cfg.db, "db", "", "database: file:/path/x.db or postgres://... (default: a temporary SQLite file); "+
		"with DATABASE_URL set, PostgreSQL (a schema of its own) is measured after SQLite")
	fs.BoolVar(&cfg.keep, "keep", false, "keep the seeded database (a later run on the same -db reuses it)")
	fs.IntVar(&cfg.seedWorkers, "seed-workers", 0, "goroutines seeding (engine: default 4 on SQLite, 8 on PostgreSQL; bulk: 1 and 2)")
	fs.StringVar(&cfg.seedMode, "seed", "bulk", "how bookings are seeded: bulk (multi-row INSERTs) or engine (one by one through the booking engine)")
	var scale string
	fs.StringVar(&scale, "scale", "", "instead of the scenarios, measure paging and totalCount as the data set grows to each of these sizes "+
		"(comma-separated bookings, e.g. 10000,100000,1000000)")
	fs.BoolVar(&cfg.peer, "postgraphile", true, "on PostgreSQL, also measure PostGraphile v5 on the same data (needs node and npm)")
	fs.DurationVar(&cfg.warmup, "warmup", time.Second, "unmeasured load before each scenario and concurrency")
	fs.BoolVar(&cfg.smoke, "smoke", false, "CI smoke run: a tiny data set, every scenario for a moment; fails if one errs, asserts no speed")
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	if cfg.smoke {
		given := map[string]bool{}
		fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
		if err := applySmoke(fs.Set, given); err != nil {
			return cfg, err
		}
	}
	if scale != "" {
		for _, s := range strings.Split(scale, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(s))
			if err != nil || n < 1 || n > 10_000_000 || (len(cfg.scale) > 0 && n <= cfg.scale[len(cfg.scale)-1]) {
				return cfg, fmt.Errorf("-scale: %q is not a size larger than the one before", s)
			}
			cfg.scale = append(cfg.scale, n)
		}
	}
	if cfg.seedMode != "bulk" && cfg.seedMode != "engine" {
		return cfg, fmt.Errorf("-seed: %q is neither bulk nor engine", cfg.seedMode)
	}
	for _, s := range strings.Split(conc, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			return cfg, fmt.Errorf("-concurrency: bad number %q", s)
		}
		cfg.conc = append(cfg.conc, n)
	}
	switch {
	case cfg.bookings < 1 || cfg.bookings > 1_000_000:
		return cfg, errors.New("-bookings must be 1 to 1,000,000")
	case cfg.events < 1 || cfg.events > cfg.bookings:
		return cfg, errors.New("-events must be 1 to -bookings")
	case cfg.rounds < 1:
		return cfg, errors.New("-rounds must be at least 1")
	case cfg.duration <= 0:
		return cfg, errors.New("-duration must be positive")
	}
	return cfg, nil
}

// target is one database to measure.
type target struct {
	name    string // "sqlite" or "postgres"
	dsn     string
	cleanup func() // removes what the bench created, unless -keep
}

func run(ctx context.Context, args []string) error {
	cfg, err := parseFlags(args)
	if err != nil {
		return err
	}
	// The server's logs; kept with -keep.
	tmp, err := os.MkdirTemp("", "seatgraph-bench-")
	if err != nil {
		return err
	}
	if !cfg.keep {
		defer os.RemoveAll(tmp)
	}

	fmt.Printf("seatgraph bench: %d events, %d bookings; %s x %d rounds at concurrency %v; GOMAXPROCS %d\n",
		cfg.events, cfg.bookings, cfg.duration, cfg.rounds, cfg.conc, runtime.GOMAXPROCS(0))
	fmt.Printf("machine: %s\n", machineLine())

	start := time.Now()
	if _, err := harness.Build(ctx); err != nil {
		return err
	}
	defer harness.RemoveBinary()
	fmt.Printf("built the server in %s\n", time.Since(start).Round(100*time.Millisecond))

	targets, err := targetsOf(ctx, cfg)
	if err != nil {
		return err
	}
	if len(cfg.scale) > 0 {
		return runScale(ctx, cfg, tmp, targets)
	}
	var reports []*report
	for _, t := range targets {
		rep, err := runTarget(ctx, cfg, tmp, t)
		if err == nil && t.name == "postgres" {
			rep.comparePeer(ctx, cfg, tmp, t)
		}
		if t.cleanup != nil && !cfg.keep {
			t.cleanup()
		}
		if err != nil {
			return fmt.Errorf("%s: %w", t.name, err)
		}
		reports = append(reports, rep)
		fmt.Println()
		rep.print(os.Stdout, cfg)
		rep.peerRun.print(os.Stdout, cfg)
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
	printTargets(os.Stdout, reports, cfg)
	if cfg.smoke {
		if err := smokeCheck(reports); err != nil {
			return fmt.Errorf("smoke run failed:\n%w", err)
		}
		fmt.Println("smoke run: every scenario answered every request correctly")
	}
	return nil
}

// targetsOf lists the databases to measure: -db (or a temporary SQLite
// file), then PostgreSQL when DATABASE_URL is set and -db is not PostgreSQL.
func targetsOf(ctx context.Context, cfg options) ([]target, error) {
	var out []target
	dsn := cfg.db
	if dsn == "" {
		dir, err := os.MkdirTemp("", "seatgraph-bench-db-")
		if err != nil {
			return nil, err
		}
		dsn = "file:" + filepath.Join(dir, "bench.db")
		out = append(out, target{name: "sqlite", dsn: dsn, cleanup: func() { os.RemoveAll(dir) }})
		if cfg.keep {
			fmt.Printf("keeping the SQLite database: -db %s\n", dsn)
		}
	} else {
		t, err := store.Parse(dsn)
		if err != nil {
			return nil, err
		}
		name := "sqlite"
		if t.Dialect == "postgres" {
			name = "postgres"
		}
		out = append(out, target{name: name, dsn: dsn})
	}
	if pg := os.Getenv("DATABASE_URL"); pg != "" && out[0].name != "postgres" {
		t, err := store.Parse(pg)
		if err != nil {
			return nil, fmt.Errorf("DATABASE_URL: %w", err)
		}
		if t.Dialect == "postgres" {
			dsn, cleanup, err := pgSchema(ctx, pg, cfg.keep)
			if err != nil {
				return nil, err
			}
			out = append(out, target{name: "postgres", dsn: dsn, cleanup: cleanup})
		}
	}
	return out, nil
}

func machineLine() string {
	up, _ := os.ReadFile("/proc/loadavg")
	model := ""
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(l, "model name") {
				_, model, _ = strings.Cut(l, ":")
				model = strings.TrimSpace(model)
				break
			}
		}
	}
	f := strings.Fields(string(up))
	load := ""
	if len(f) >= 3 {
		load = strings.Join(f[:3], " ")
	}
	return fmt.Sprintf("%d CPUs (%s), %s, load average %s", runtime.NumCPU(), model, runtime.Version(), load)
}
