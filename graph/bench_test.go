package graph_test

import (
	"testing"
	"time"

	"seatgraph/graph/graphtest"
	"seatgraph/internal/demo"
)

// BenchmarkBookingPage resolves the dashboard list of 50 bookings with their
// nested edges through the real handler, on SQLite with the demo data.
func BenchmarkBookingPage(b *testing.B) {
	e := graphtest.SQLite(b)
	if _, err := demo.Seed(e.Ctx(), e.Client, e.Dialect(), e.Tenant, time.Now()); err != nil {
		b.Fatal(err)
	}
	vars := map[string]any{"n": 50}
	e.Query(b, bookingPage, vars, nil)
	e.ResetStatements()
	b.ReportAllocs()
	for b.Loop() {
		e.Query(b, bookingPage, vars, nil)
	}
	b.ReportMetric(float64(e.Statements())/float64(b.N), "stmts/op")
}
