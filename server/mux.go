package server

import (
	"context"
	"database/sql"
	"encoding/json"
	"log/slog"
	"net/http"
	"slices"
	"time"

	"github.com/99designs/gqlgen/graphql/playground"
	"github.com/rs/cors"

	"seatgraph/i18n"
	"seatgraph/listing"
)

// ReadinessTimeout bounds the database ping of /readyz: a probe that hangs
// is worse for an orchestrator than one that says "not ready".
const ReadinessTimeout = 2 * time.Second

// CORSHeaders are the request headers a browser may send cross-origin
// (API.md, "Transport").
var CORSHeaders = []string{
	"Authorization", "Content-Type", "X-Tenant-Id", "X-Cobra-TenantId",
	"Accept-Language", "Idempotency-Key", "X-Request-Id",
}

// NewMux routes seatgraph's HTTP endpoints: graphql at /graphql, GraphiQL at
// / (not in production), /healthz and /readyz. Every request carries its
// response language and list limits in its context (see RequestContext);
// CORS applies when cfg.CORSOrigins is set. Request logging is added by Run.
func NewMux(cfg Config, graphql http.Handler, db *sql.DB) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/graphql", graphql)
	if !cfg.Production {
		// "/{$}" matches only the root, so unknown paths stay 404 rather
		// than all answering with the GraphiQL page.
		mux.Handle("GET /{$}", playground.Handler("seatgraph", "/graphql"))
	}
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		writeStatus(w, http.StatusOK, "ok")
	})
	mux.HandleFunc("GET /readyz", readyz(db))

	var h http.Handler = RequestContext(cfg, mux)
	if cfg.MaxBodyBytes > 0 {
		h = limitBody(cfg.MaxBodyBytes, h)
	}
	return CORS(cfg.CORSOrigins, h)
}

func readyz(db *sql.DB) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if db == nil {
			writeStatus(w, http.StatusServiceUnavailable, "unavailable")
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), ReadinessTimeout)
		defer cancel()
		if err := db.PingContext(ctx); err != nil {
			// The reason goes to the log, not to the unauthenticated caller:
			// it may name hosts and users.
			slog.WarnContext(r.Context(), "readiness check failed", "err", err)
			writeStatus(w, http.StatusServiceUnavailable, "unavailable")
			return
		}
		writeStatus(w, http.StatusOK, "ok")
	}
}

func writeStatus(w http.ResponseWriter, code int, status string) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	// Probes must see the live state, never a cached answer.
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(map[string]string{"status": status})
}

// RequestContext puts what resolvers need from the HTTP request into its
// context: the response language negotiated from Accept-Language, and the
// page-size limits of cfg.
func RequestContext(cfg Config, next http.Handler) http.Handler {
	limits := listing.Limits{Default: cfg.PageSize, Max: cfg.MaxPageSize}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := i18n.WithLanguage(r.Context(), i18n.NegotiateLanguage(r.Header.Get("Accept-Language")))
		ctx = listing.WithLimits(ctx, limits)
		// Localized fields and formatted money depend on the header, so a
		// shared cache must not hand one language's answer to another.
		w.Header().Add("Vary", "Accept-Language")
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

func limitBody(n int64, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > n {
			http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, n)
		next.ServeHTTP(w, r)
	})
}

// CORS lets browsers on the given origins call the API. With no origins it
// returns next unchanged, so that no CORS header is ever sent. Credentials
// are allowed only for listed origins: with "*" a browser would refuse them
// anyway, and a reflected wildcard with credentials would let any site act
// with a user's cookies.
func CORS(origins []string, next http.Handler) http.Handler {
	if len(origins) == 0 {
		return next
	}
	return cors.New(cors.Options{
		AllowedOrigins:   origins,
		AllowedMethods:   []string{http.MethodGet, http.MethodPost, http.MethodOptions},
		AllowedHeaders:   CORSHeaders,
		ExposedHeaders:   []string{"X-Request-Id"},
		AllowCredentials: !slices.Contains(origins, "*"),
		// Saves a preflight round trip on every GraphQL POST for ten minutes.
		MaxAge: 600,
	}).Handler(next)
}
