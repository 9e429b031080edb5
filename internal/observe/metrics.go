// Package observe is what seatgraph tells its operators: one JSON log line
// per request (Logging, with its request id and whatever the GraphQL layer
// adds through Annotate) and the Prometheus metrics: GraphQL requests by
// operation, errors by code, the database pool, and the business counters
// (bookings created, check-ins). Each server has a registry of its own, so
// that tests and several servers in one process do not collide; Handler
// serves it on the metrics address.
package observe

import (
	"database/sql"
	"net/http"
	"sync"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Label values for operations that have no name of their own.
const (
	// Anonymous is the operation label of an operation without a name.
	Anonymous = "anonymous"
	// Other stands for operation names past MaxOperations, and names too
	// long to be a label: clients choose operation names, and each distinct
	// one costs a set of series.
	Other = "other"
	// Unknown is the type label of a request that never became an
	// operation (a parse error), and the code label of an error without a
	// code.
	Unknown = "unknown"
)

// MaxOperations bounds the distinct operation names that get series of
// their own; later ones count under Other.
const MaxOperations = 200

// maxNameLen bounds an operation label's length.
const maxNameLen = 100

// DurationBuckets are the latency histogram's buckets, in seconds: from a
// cached lookup to the default request timeout.
var DurationBuckets = []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30}

// Metrics is one server's set of metrics.
type Metrics struct {
	Registry *prometheus.Registry

	// Requests counts GraphQL operations by operation name, operation type
	// (query, mutation, subscription, unknown) and outcome (ok, error).
	Requests *prometheus.CounterVec
	// Duration observes GraphQL operations' latency in seconds, by
	// operation name and type.
	Duration *prometheus.HistogramVec
	// Errors counts top-level GraphQL errors by extensions.code.
	Errors *prometheus.CounterVec
	// BookingsCreated counts successful createBooking mutations by the
	// status the booking got (PENDING, CONFIRMED, WAITLISTED).
	BookingsCreated *prometheus.CounterVec
	// CheckIns counts successful checkInTicket mutations.
	CheckIns prometheus.Counter

	mu  sync.Mutex
	ops map[string]struct{}
}

// New registers seatgraph's metrics, Go runtime and process metrics, and,
// when db is not nil, its connection pool statistics (go_sql_* with
// db_name="seatgraph") in a fresh registry.
func New(db *sql.DB) *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		Requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "seatgraph", Subsystem: "graphql", Name: "requests_total",
			Help: "GraphQL operations served, by operation name, type and outcome.",
		}, []string{"operation", "type", "outcome"}),
		Duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: "seatgraph", Subsystem: "graphql", Name: "request_duration_seconds",
			Help:    "Time from reading a GraphQL operation to its response, by operation name and type.",
			Buckets: DurationBuckets,
		}, []string{"operation", "type"}),
		Errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "seatgraph", Subsystem: "graphql", Name: "errors_total",
			Help: "Top-level GraphQL errors, by extensions.code.",
		}, []string{"code"}),
		BookingsCreated: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "seatgraph", Name: "bookings_created_total",
			Help: "Bookings created by createBooking, by the status they got.",
		}, []string{"status"}),
		CheckIns: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: "seatgraph", Name: "checkins_total",
			Help: "Tickets checked in by checkInTicket.",
		}),
		ops: map[string]struct{}{},
	}
	m.Registry.MustRegister(
		m.Requests, m.Duration, m.Errors, m.BookingsCreated, m.CheckIns,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	if db != nil {
		m.Registry.MustRegister(collectors.NewDBStatsCollector(db, "seatgraph"))
	}
	return m
}

// Handler serves the registry in the Prometheus exposition formats.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{Registry: m.Registry})
}

// Operation returns the label value for an operation name: the name, or
// Anonymous, or Other once MaxOperations names have been seen or when the
// name is too long.
func (m *Metrics) Operation(name string) string {
	switch {
	case name == "":
		return Anonymous
	case len(name) > maxNameLen:
		return Other
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.ops[name]; ok {
		return name
	}
	if len(m.ops) >= MaxOperations {
		return Other
	}
	m.ops[name] = struct{}{}
	return name
}
