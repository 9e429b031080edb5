// Command seatgraph serves the seatgraph GraphQL booking API.
//
//	go run . -demo          # SQLite file seatgraph.db, filled with demo data
//	go run . -db postgres://user:pass@host/db
//	go run . tenant create acme
//	go run . key create --tenant acme --role STAFF
package main

// Ent first (it writes the list SDL gqlgen reads), then gqlgen. Both steps
// live here because go generate visits packages in import-path order.
//go:generate go run -mod=mod ./ent/entc.go
//go:generate go run ./graph/gqlgen

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"
	"time"
	_ "time/tzdata" // event time zones must resolve on hosts without zoneinfo

	"seatgraph/ent"
	"seatgraph/internal/auth"
	"seatgraph/internal/booking"
	"seatgraph/internal/config"
	"seatgraph/internal/demo"
	"seatgraph/internal/domain"
	"seatgraph/internal/observe"
	"seatgraph/internal/server"
	"seatgraph/internal/store"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// Lines logged with a request's context carry its request_id.
	log := slog.New(observe.WithRequestID(slog.NewJSONHandler(os.Stderr, nil)))
	if err := run(ctx, os.Args[1:], log); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return // -h printed the flags: asking for help is not a failure
		}
		log.Error("seatgraph stopped", "error", err.Error())
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, log *slog.Logger) error {
	cfg, err := config.Parse(args, os.Getenv)
	if err != nil {
		return err
	}
	if cfg.MemoryLimit > 0 {
		// Before the pools and caches fill, so that the heap grows under it
		// from the start (docs/operations.md, "Memory").
		debug.SetMemoryLimit(cfg.MemoryLimit)
	}
	target, err := store.Parse(cfg.DB)
	if err != nil {
		return err
	}
	client, db, err := store.Open(ctx, cfg.DB)
	if err != nil {
		return fmt.Errorf("opening the database: %w", err)
	}
	defer client.Close()
	if done, err := command(ctx, cfg.Args, client, os.Stdout); done {
		return err
	}
	tid, err := store.DefaultTenantID(ctx, client)
	if err != nil {
		return err
	}
	// The default tenant gets an admin key: SEATGRAPH_ADMIN_KEY's, or one
	// made on first start and shown this once.
	key, err := auth.EnsureAdminKey(ctx, client, tid, os.Getenv("SEATGRAPH_ADMIN_KEY"))
	if err != nil {
		return err
	}
	if key != "" {
		fmt.Fprintf(os.Stderr, "\nAdmin API key of tenant default (shown once, keep it):\n\n    %s\n\nSend it as: Authorization: Bearer <key>\n\n", key)
	}
	if cfg.Demo {
		sum, err := demo.Seed(ctx, client, target.Dialect, tid, time.Now())
		if err != nil {
			return fmt.Errorf("seeding demo data: %w", err)
		}
		log.Info("demo data", "skipped", sum.Skipped, "events", sum.Events, "bookings", sum.Bookings)
	}
	a := server.NewApp(cfg, client, db, target.Dialect, tid, log, booking.Options{})
	// The sweeper expires the holds no read or booking touches; reads
	// expire the due ones themselves (booking.Engine.ExpireDue).
	go a.Engine.RunSweeper(ctx, 5*time.Second, log)
	go store.Maintain(ctx, db, target, time.Hour, log)
	if cfg.MetricsAddr != "" {
		if err := server.ServeOps(ctx, cfg.MetricsAddr, server.NewOpsMux(a.Metrics.Handler()), log); err != nil {
			return err
		}
	}
	if cfg.PprofAddr != "" {
		if err := server.ServePprof(ctx, cfg.PprofAddr, log); err != nil {
			return err
		}
	}
	h := a.Handler
	log.Info("seatgraph listening", "addr", "http://"+cfg.Addr, "graphiql", !cfg.Production, "memory_limit", memoryLimit())
	return server.Run(ctx, cfg, h, log)
}

// command runs a subcommand (what follows the flags) and reports whether
// there was one.
func command(ctx context.Context, args []string, client *ent.Client, out io.Writer) (bool, error) {
	if len(args) == 0 {
		return false, nil
	}
	switch strings.Join(args[:min(2, len(args))], " ") {
	case "tenant create":
		if len(args) != 3 {
			return true, errors.New("usage: seatgraph tenant create <slug>")
		}
		t, key, err := auth.CreateTenant(ctx, client, args[2], "")
		if err != nil {
			return true, err
		}
		fmt.Fprintf(out, "tenant %s created\nadmin key (shown once): %s\n", t.Slug, key)
		return true, nil
	case "key create":
		fs := flag.NewFlagSet("key create", flag.ContinueOnError)
		fs.SetOutput(out)
		slug := fs.String("tenant", "default", "tenant slug")
		role := fs.String("role", string(domain.RoleAdmin), "ADMIN, STAFF or CHECKIN")
		if err := fs.Parse(args[2:]); err != nil {
			return true, err
		}
		t, err := auth.TenantBySlug(ctx, client, *slug)
		if err != nil {
			return true, err
		}
		key, err := auth.CreateKey(ctx, client, t.ID, domain.Role(strings.ToUpper(*role)))
		if err != nil {
			return true, err
		}
		fmt.Fprintf(out, "%s key for tenant %s (shown once): %s\n", strings.ToUpper(*role), t.Slug, key)
		return true, nil
	}
	return true, fmt.Errorf("unknown command %q; commands: tenant create <slug>, key create --tenant <slug> --role ADMIN|STAFF|CHECKIN", strings.Join(args, " "))
}

// memoryLimit is the runtime's soft memory limit in effect, from
// -memory-limit or GOMEMLIMIT, for the start-up log.
func memoryLimit() string {
	n := debug.SetMemoryLimit(-1) // a negative value only reads it
	if n == math.MaxInt64 {
		return "none"
	}
	if n%(1<<20) != 0 {
		return fmt.Sprintf("%dB", n)
	}
	return fmt.Sprintf("%dMiB", n>>20)
}
