package server

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/pprof"
	"slices"
	"time"

	"github.com/rs/cors"

	"seatgraph/internal/config"
	"seatgraph/internal/domain"
	"seatgraph/internal/server/graphiql"
)

// ReadinessTimeout bounds the database ping of /readyz: a probe that hangs
// is worse for an orchestrator than one that says "not ready".
const ReadinessTimeout = 2 * time.Second

// CORSHeaders are the request headers a browser may send cross-origin
// (docs/client-guide.md, "Endpoint and transports").
var CORSHeaders = []string{
	"Authorization", "Content-Type", "X-Tenant-Id", "X-Cobra-TenantId",
	"Accept-Language", "Idempotency-Key", "X-Request-Id",
}

// NewMux routes seatgraph's HTTP endpoints: graphql at /graphql, GraphiQL at
// / (not in production), /healthz and /readyz. Metrics are not here: they
// are served on an address of their own (see NewOpsMux).
// Every request carries its response language and list limits in its
// context (see RequestContext); GraphQL requests over HTTP are cut off
// after cfg.RequestTimeout; CORS applies when cfg.CORSOrigins is set.
// Request logging is added by Run.
func NewMux(cfg config.Config, graphql http.Handler, db *sql.DB) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/graphql", withTimeout(cfg.RequestTimeout, graphql))
	if !cfg.Production {
		// "/{$}" matches only the root, so unknown paths stay 404 rather
		// than all answering with the GraphiQL page.
		gi := graphiql.Handler("/graphql")
		mux.Handle("GET /{$}", gi)
		mux.Handle("GET "+graphiql.Prefix, gi)
	}
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		writeStatus(w, http.StatusOK, "ok")
	})
	mux.HandleFunc("GET /readyz", readyz(db))

	var h http.Handler = RequestContext(cfg, mux)
	if cfg.Limits.BodyBytes > 0 {
		h = limitBody(cfg.Limits.BodyBytes, h)
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
// request limits of cfg.
func RequestContext(cfg config.Config, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := domain.WithLanguage(r.Context(), domain.NegotiateLanguage(r.Header.Get("Accept-Language")))
		ctx = config.With(ctx, cfg.Limits)
		// Localized fields and formatted money depend on the header, so a
		// shared cache must not hand one language's answer to another.
		w.Header().Add("Vary", "Accept-Language")
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// withTimeout gives each request a context that ends after d, so that the
// resolvers and database calls of a runaway query give up and the client
// gets an answer. Websocket connections are long-lived by design and are
// left alone (their operations end with the connection or at shutdown).
func withTimeout(d time.Duration, next http.Handler) http.Handler {
	if d <= 0 {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if isUpgrade(r) {
			next.ServeHTTP(w, r)
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), d)
		defer cancel()
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// isUpgrade tells a websocket upgrade, as gqlgen's websocket transport
// does: by the mere presence of an Upgrade header. A request that claims
// one but is not a valid upgrade is refused by that transport, so the
// header cannot be used to escape the timeout.
func isUpgrade(r *http.Request) bool { return r.Header.Get("Upgrade") != "" }

func limitBody(n int64, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > n {
			tooLarge(w, n)
			return
		}
		if r.Body == nil || r.Body == http.NoBody {
			next.ServeHTTP(w, r)
			return
		}
		// Read the body here, so that one without a length (chunked) that
		// runs over the limit is answered 413 too, not as a broken request.
		body, err := io.ReadAll(io.LimitReader(r.Body, n+1))
		if err != nil {
			writeError(w, http.StatusBadRequest, domain.CodeBadRequest, "the request body could not be read")
			return
		}
		if int64(len(body)) > n {
			tooLarge(w, n)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		next.ServeHTTP(w, r)
	})
}

func tooLarge(w http.ResponseWriter, n int64) {
	writeError(w, http.StatusRequestEntityTooLarge, domain.CodeBadRequest, fmt.Sprintf("the request body is larger than %d bytes", n))
}

// writeError answers in the shape of a GraphQL response.
func writeError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"errors": []map[string]any{{"message": msg, "extensions": map[string]any{"code": code}}},
	})
}

// NewOpsMux routes the operator's endpoints, served on an address of their
// own (Config.MetricsAddr, loopback by default) and never on the public
// port: GET /metrics, the Prometheus scrape of metrics.
func NewOpsMux(metrics http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", metrics)
	return mux
}

// NewPprofMux routes net/http/pprof's handlers under /debug/pprof/, served
// on Config.PprofAddr only (docs/operations.md, "Profiling"). They are
// registered on a mux of their own: the package's init also registers them
// on http.DefaultServeMux, which seatgraph never serves.
func NewPprofMux() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	return mux
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
