// Package graphtest runs GraphQL requests against the real HTTP handler over
// a fresh database: SQLite always, and PostgreSQL too when DATABASE_URL names
// a server (each test gets a schema of its own there). The Ent client counts
// the SQL statements it sends, to prove query counts.
package graphtest

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"seatgraph/internal/config"
	"seatgraph/internal/store/storetest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"entgo.io/ent/dialect"

	"seatgraph/ent"
	"seatgraph/graph"
	"seatgraph/internal/auth"
	"seatgraph/internal/booking"
	"seatgraph/internal/domain"
	"seatgraph/internal/server"
	"seatgraph/internal/store"
)

// Env is one database with the server's handler in front of it.
type Env struct {
	Name    string // "sqlite" or "postgres"
	Client  *ent.Client
	DB      *sql.DB
	Tenant  int
	Handler http.Handler
	// Interpreted is Handler with the list compiler off: every list is
	// answered by its resolvers (see graph.HandlerOptions).
	Interpreted http.Handler
	App         *server.App
	// AdminKey is an ADMIN key of Tenant, sent with every request through
	// Handler unless the request names its own Authorization ("" for
	// anonymous).
	AdminKey string
	// Clock is the booking engine's clock; tests move it to expire holds.
	Clock *Clock
	stmts atomic.Int64
	logMu sync.Mutex
	log   []string // statements sent since Record, when recording
	rec   bool
}

// Clock is a clock tests can move forward.
type Clock struct{ offset atomic.Int64 }

// Now is the real time plus the offset.
func (c *Clock) Now() time.Time { return time.Now().Add(time.Duration(c.offset.Load())) }

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) { c.offset.Add(int64(d)) }

// Dialect is the Ent dialect of the database.
func (e *Env) Dialect() string {
	if e.Name == "postgres" {
		return dialect.Postgres
	}
	return dialect.SQLite
}

// Ctx returns a context acting for the test tenant, for direct Ent writes.
func (e *Env) Ctx() context.Context { return auth.WithTenant(context.Background(), e.Tenant) }

// Statements returns the SQL statements sent since the last reset.
func (e *Env) Statements() int64 { return e.stmts.Load() }

// ResetStatements restarts the statement count.
func (e *Env) ResetStatements() { e.stmts.Store(0) }

// Record runs fn and returns the statements (the debug driver's account of
// each: query and arguments) it sent.
func (e *Env) Record(fn func()) []string {
	e.logMu.Lock()
	e.log, e.rec = nil, true
	e.logMu.Unlock()
	fn()
	e.logMu.Lock()
	defer e.logMu.Unlock()
	out := e.log
	e.log, e.rec = nil, false
	return out
}

func (e *Env) note(args []any) {
	e.stmts.Add(1)
	e.logMu.Lock()
	defer e.logMu.Unlock()
	if e.rec {
		e.log = append(e.log, fmt.Sprint(args...))
	}
}

// Each runs fn on SQLite and, when DATABASE_URL is set, on PostgreSQL.
func Each(t *testing.T, fn func(t *testing.T, e *Env)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, Open(t, "")) })
	if os.Getenv("DATABASE_URL") != "" {
		t.Run("postgres", func(t *testing.T) { fn(t, Open(t, "postgres")) })
	}
}

// SQLite opens a fresh SQLite database.
func SQLite(t testing.TB) *Env { return Open(t, "") }

// Open opens a fresh database of kind ("" for SQLite, "postgres").
func Open(t testing.TB, kind string) *Env { return OpenWith(t, kind) }

// OpenWith is Open with the server configured by command-line flags, as
// an operator would start it (for example "-page-size", "5").
func OpenWith(t testing.TB, kind string, flags ...string) *Env {
	t.Helper()
	ctx := context.Background()
	var dsn, name string
	if kind == "postgres" {
		dsn, name = storetest.PGSchema(t, os.Getenv("DATABASE_URL")), "postgres"
	} else {
		dsn, name = "file:"+filepath.Join(t.TempDir(), "test.db"), "sqlite"
	}
	migrated, db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatalf("opening %s: %v", name, err)
	}
	t.Cleanup(func() { migrated.Close() })
	tid, err := store.DefaultTenantID(ctx, migrated)
	if err != nil {
		t.Fatal(err)
	}
	d := dialect.SQLite
	if name == "postgres" {
		d = dialect.Postgres
	}
	e := &Env{Name: name, DB: db, Tenant: tid, Clock: &Clock{}}
	counting := dialect.DebugWithContext(store.NewDriver(d, db), func(_ context.Context, args ...any) { e.note(args) })
	e.Client = ent.NewClient(ent.Driver(counting))
	cfg, err := config.Parse(flags, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if testing.Verbose() {
		log = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	if e.AdminKey, err = auth.CreateKey(context.Background(), migrated, tid, domain.RoleAdmin); err != nil {
		t.Fatal(err)
	}
	e.App = server.NewApp(cfg, e.Client, db, d, tid, log, booking.Options{Now: e.Clock.Now})
	e.Handler = asAdmin(e.AdminKey, e.App.Handler)
	gql := graph.NewHandler(graph.New(e.Client, e.App.Engine), graph.HandlerOptions{
		Introspection: cfg.Introspection, Logger: log, Limits: cfg.Limits, Interpreted: true})
	e.Interpreted = asAdmin(e.AdminKey, server.RequestContext(cfg, auth.NewAuthenticator(e.Client, tid).Middleware(gql)))
	return e
}

// Raw posts a GraphQL request to h and returns the response body as sent.
func (e *Env) Raw(t testing.TB, h http.Handler, query string, vars map[string]any, headers ...string) []byte {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Body.Bytes()
}

// asAdmin sends requests that name no Authorization with the admin key, so
// tests act as the organizer unless they say otherwise: an Authorization
// header that is present but empty makes the request anonymous.
func asAdmin(key string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, named := r.Header["Authorization"]; !named {
			r.Header.Set("Authorization", "Bearer "+key)
		}
		next.ServeHTTP(w, r)
	})
}

// Error is one GraphQL error of a response.
type Error struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

// Code is the error's extensions.code.
func (e Error) Code() string { s, _ := e.Extensions["code"].(string); return s }

// Response is a GraphQL response.
type Response struct {
	Status int
	Header http.Header
	Data   json.RawMessage `json:"data"`
	Errors []Error         `json:"errors"`
}

// Codes lists the codes of the response's errors.
func (r *Response) Codes() []string {
	var out []string
	for _, e := range r.Errors {
		out = append(out, e.Code())
	}
	return out
}

// Do posts a GraphQL request and returns the response, failing the test
// only when the response is not GraphQL.
func (e *Env) Do(t testing.TB, query string, vars map[string]any, headers ...string) *Response {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	e.Handler.ServeHTTP(rec, req)
	resp := &Response{Status: rec.Code, Header: rec.Header()}
	if err := json.Unmarshal(rec.Body.Bytes(), resp); err != nil {
		t.Fatalf("response is not JSON (%d): %s", rec.Code, rec.Body.String())
	}
	return resp
}

// Query runs a request that must succeed and decodes its data into out.
func (e *Env) Query(t testing.TB, query string, vars map[string]any, out any, headers ...string) {
	t.Helper()
	r := e.Do(t, query, vars, headers...)
	if len(r.Errors) > 0 {
		t.Fatalf("query failed: %s", describe(r.Errors))
	}
	if out != nil {
		if err := json.Unmarshal(r.Data, out); err != nil {
			t.Fatalf("decoding data: %v\n%s", err, r.Data)
		}
	}
}

// ErrorCode runs a request that must fail with one top-level error and
// returns its code.
func (e *Env) ErrorCode(t testing.TB, query string, vars map[string]any) string {
	t.Helper()
	r := e.Do(t, query, vars)
	if len(r.Errors) == 0 {
		t.Fatalf("expected an error, got data %s", r.Data)
	}
	return r.Errors[0].Code()
}

func describe(errs []Error) string {
	var parts []string
	for _, e := range errs {
		parts = append(parts, fmt.Sprintf("%s (%s at %v)", e.Message, e.Code(), e.Path))
	}
	return strings.Join(parts, "; ")
}
