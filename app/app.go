// Package app wires seatgraph together: the GraphQL layer, the HTTP
// plumbing and the tenant of each request. The command and the end-to-end
// tests build the server the same way through it.
package app

import (
	"database/sql"
	"log/slog"
	"net/http"

	"seatgraph/ent"
	"seatgraph/graph"
	"seatgraph/server"
	"seatgraph/tenant"
)

// Handler returns the whole HTTP handler of the server.
func Handler(cfg server.Config, client *ent.Client, db *sql.DB, tenantID int, log *slog.Logger) http.Handler {
	gql := graph.NewHandler(graph.New(client), graph.HandlerOptions{Introspection: !cfg.Production, Logger: log})
	return server.NewMux(cfg, withTenant(tenantID, gql), db)
}

// withTenant acts for the default tenant. Tenants chosen by API key and
// X-Tenant-Id come with authentication.
func withTenant(id int, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(tenant.WithID(r.Context(), id)))
	})
}
