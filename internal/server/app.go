// Package server is seatgraph's HTTP side. NewApp wires the booking
// engine, the GraphQL layer and who each request acts for into one handler
// (the command and the tests build the server the same way through it);
// NewMux puts it at /graphql beside GraphiQL and the health checks, behind
// CORS, the request context, the timeout and the body limit; Run serves it
// and shuts down gracefully.
package server

import (
	"database/sql"
	"log/slog"
	"net/http"

	"seatgraph/ent"
	"seatgraph/graph"
	"seatgraph/internal/auth"
	"seatgraph/internal/booking"
	"seatgraph/internal/config"
	"seatgraph/internal/observe"
)

// App is a wired server.
type App struct {
	Handler http.Handler
	Engine  *booking.Engine
	Metrics *observe.Metrics // served at /metrics of the ops address
}

// NewApp wires the server over client (of SQL dialect d) for the default tenant.
func NewApp(cfg config.Config, client *ent.Client, db *sql.DB, d string, tenantID int, log *slog.Logger, opts booking.Options) *App {
	// The operator's hold, unless the caller chose one; zero leaves it to
	// booking.New, the one place that knows the default.
	if opts.Hold == 0 {
		opts.Hold = cfg.Hold
	}
	if opts.Log == nil {
		opts.Log = log
	}
	auth.Protect(client)
	engine := booking.New(client, d, opts)
	m := observe.New(db)
	gql := graph.NewHandler(graph.New(client, engine), graph.HandlerOptions{
		Introspection: cfg.Introspection, Logger: log, Metrics: m, Limits: cfg.Limits})
	authn := auth.NewAuthenticator(client, tenantID)
	h := NewMux(cfg, authn.Middleware(withIdempotencyKey(gql)), db)
	return &App{Handler: h, Engine: engine, Metrics: m}
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
