package graph_test

import (
	"encoding/json"
	"net/http"
	"os"
	"testing"
	"time"

	"seatgraph/graph/graphtest"
	"seatgraph/internal/demo"
)

// BenchmarkBookingPage resolves the dashboard list of 50 bookings with their
// nested edges through the real handler, on SQLite with the demo data: the
// list compiler answers it with one statement.
func BenchmarkBookingPage(b *testing.B) {
	e := graphtest.SQLite(b)
	benchBookingPage(b, e, e.Handler)
}

// BenchmarkBookingPageResolvers is BenchmarkBookingPage answered by the
// resolvers (the compiler off), for comparison.
func BenchmarkBookingPageResolvers(b *testing.B) {
	e := graphtest.SQLite(b)
	benchBookingPage(b, e, e.Interpreted)
}

// BenchmarkBookingPagePostgres is the same page on PostgreSQL, compiled and
// by the resolvers, when DATABASE_URL names a server.
func BenchmarkBookingPagePostgres(b *testing.B) {
	if os.Getenv("DATABASE_URL") == "" {
		b.Skip("DATABASE_URL is not set")
	}
	e := graphtest.Open(b, "postgres")
	seeded := false
	for _, c := range []struct {
		name string
		h    http.Handler
	}{{"compiled", e.Handler}, {"resolvers", e.Interpreted}} {
		b.Run(c.name, func(b *testing.B) {
			if !seeded {
				seed(b, e)
				seeded = true
			}
			run(b, e, c.h)
		})
	}
}

func benchBookingPage(b *testing.B, e *graphtest.Env, h http.Handler) {
	seed(b, e)
	run(b, e, h)
}

func seed(b *testing.B, e *graphtest.Env) {
	if _, err := demo.Seed(e.Ctx(), e.Client, e.Dialect(), e.Tenant, time.Now()); err != nil {
		b.Fatal(err)
	}
}

// run measures what e.Query does: the request, and reading the response.
func run(b *testing.B, e *graphtest.Env, h http.Handler) {
	vars := map[string]any{"n": 50}
	query := func() {
		var resp graphtest.Response
		if err := json.Unmarshal(e.Raw(b, h, bookingPage, vars), &resp); err != nil || len(resp.Errors) > 0 {
			b.Fatalf("the page failed: %v %v", err, resp.Errors)
		}
	}
	query()
	e.ResetStatements()
	b.ReportAllocs()
	for b.Loop() {
		query()
	}
	b.ReportMetric(float64(e.Statements())/float64(b.N), "stmts/op")
}
