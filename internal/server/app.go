// Package app wires seatgraph together: the booking engine, the GraphQL
// layer, the HTTP plumbing, and who each request acts for. The command and
// the end-to-end tests build the server the same way through it.
package server

import (
	"context"
	"database/sql"
	"log/slog"
	"net/http"
	"seatgraph/internal/config"
	"time"

	"seatgraph/ent"
	"seatgraph/graph"
	"seatgraph/internal/auth"
	"seatgraph/internal/booking"
	"seatgraph/internal/observe"
)

// App is a wired server.
type App struct {
	Handler http.Handler
	Engine  *booking.Engine
	Metrics *observe.Metrics // served at /metrics of the ops address
	log     *slog.Logger
}

// NewApp wires the server over client (of SQL dialect d) for the default tenant.
func NewApp(cfg config.Config, client *ent.Client, db *sql.DB, d string, tenantID int, log *slog.Logger, opts booking.Options) *App {
	// The operator's hold, unless the caller chose one; zero leaves it to
	// booking.New, the one place that knows the default.
	if opts.Hold == 0 {
		opts.Hold = cfg.Hold
	}
	auth.Protect(client)
	engine := booking.New(client, d, opts)
	m := observe.New(db)
	gql := graph.NewHandler(graph.New(client, engine), graph.HandlerOptions{
		Introspection: cfg.Introspection, Logger: log, Metrics: m, Limits: cfg.Limits})
	authn := auth.NewAuthenticator(client, tenantID)
	h := NewMux(cfg, authn.Middleware(withIdempotencyKey(gql)), db)
	return &App{Handler: h, Engine: engine, Metrics: m, log: log}
}

// withIdempotencyKey hands the Idempotency-Key header to createBooking.
func withIdempotencyKey(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if key := r.Header.Get("Idempotency-Key"); key != "" {
			r = r.WithContext(graph.WithIdempotencyKey(r.Context(), key))
		}
		next.ServeHTTP(w, r)
	})
}

// Sweep expires bookings whose hold ran out, every interval, until ctx ends.
func (a *App) Sweep(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if n, err := a.Engine.Sweep(ctx); err != nil && ctx.Err() == nil {
			a.log.Error("expiring holds", "error", err.Error())
		} else if n > 0 {
			a.log.Info("expired holds", "bookings", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
