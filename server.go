// Command seatgraph serves the seatgraph GraphQL booking API.
//
//	go run . -demo          # SQLite file seatgraph.db, filled with demo data
//	go run . -db postgres://user:pass@host/db
//	go run . tenant create acme
//	go run . key create --tenant acme --role STAFF
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"
	_ "time/tzdata" // event time zones must resolve on hosts without zoneinfo

	"seatgraph/app"
	"seatgraph/auth"
	"seatgraph/booking"
	"seatgraph/demo"
	"seatgraph/server"
	"seatgraph/store"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// Lines logged with a request's context carry its request_id.
	log := slog.New(server.WithRequestID(slog.NewJSONHandler(os.Stderr, nil)))
	if err := run(ctx, os.Args[1:], log); err != nil {
		log.Error("seatgraph stopped", "error", err.Error())
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, log *slog.Logger) error {
	cfg, err := server.ParseFlags(args, os.Getenv)
	if err != nil {
		return err
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
	a := app.New(cfg, client, db, target.Dialect, tid, log, booking.Options{})
	go a.Sweep(ctx, 5*time.Second)
	if cfg.MetricsAddr != "" {
		if err := server.ServeOps(ctx, cfg.MetricsAddr, server.NewOpsMux(a.Metrics.Handler()), log); err != nil {
			return err
		}
	}
	h := a.Handler
	log.Info("seatgraph listening", "addr", "http://"+cfg.Addr, "graphiql", !cfg.Production)
	return server.Run(ctx, cfg, h, log)
}
