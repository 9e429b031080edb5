package observe

import (
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	_ "github.com/mattn/go-sqlite3"
)

func scrape(t *testing.T, m *Metrics) string {
	t.Helper()
	r := httptest.NewRequest(http.MethodGet, "/metrics", nil)
	w := httptest.NewRecorder()
	m.Handler().ServeHTTP(w, r)
	if w.Code != http.StatusOK {
		t.Fatalf("scrape: status %d", w.Code)
	}
	b, _ := io.ReadAll(w.Body)
	return string(b)
}

func TestNew(t *testing.T) {
	db, err := sql.Open("sqlite3", "file::memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(3)

	tests := []struct {
		name    string
		db      *sql.DB
		want    []string // lines or prefixes that must appear
		wantNot []string
	}{
		{
			name: "with a database",
			db:   db,
			want: []string{
				`go_sql_max_open_connections{db_name="seatgraph"} 3`,
				`go_sql_open_connections{db_name="seatgraph"}`,
				`go_sql_wait_count_total{db_name="seatgraph"}`,
				`seatgraph_graphql_requests_total{operation="Upcoming",outcome="ok",type="query"} 1`,
				`seatgraph_graphql_request_duration_seconds_bucket{operation="Upcoming",type="query",le="0.025"} 1`,
				`seatgraph_graphql_errors_total{code="BAD_USER_INPUT"} 2`,
				`seatgraph_bookings_created_total{status="CONFIRMED"} 1`,
				`seatgraph_checkins_total 1`,
				`go_goroutines `,
			},
		},
		{
			name:    "without a database",
			want:    []string{`seatgraph_checkins_total 1`},
			wantNot: []string{`go_sql_`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := New(tt.db)
			m.Requests.WithLabelValues(m.Operation("Upcoming"), "query", "ok").Inc()
			m.Duration.WithLabelValues(m.Operation("Upcoming"), "query").Observe(0.02)
			m.Errors.WithLabelValues("BAD_USER_INPUT").Add(2)
			m.BookingsCreated.WithLabelValues("CONFIRMED").Inc()
			m.CheckIns.Inc()
			out := scrape(t, m)
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("scrape lacks %q", w)
				}
			}
			for _, w := range tt.wantNot {
				if strings.Contains(out, w) {
					t.Errorf("scrape has %q", w)
				}
			}
		})
	}
}

// Two servers in one process (tests) each have their own registry.
func TestRegistriesAreSeparate(t *testing.T) {
	a, b := New(nil), New(nil)
	a.CheckIns.Inc()
	if out := scrape(t, b); !strings.Contains(out, "seatgraph_checkins_total 0") {
		t.Errorf("b sees a's check-in:\n%s", out)
	}
}

func TestOperation(t *testing.T) {
	m := New(nil)
	for i := range MaxOperations - 1 {
		m.Operation(fmt.Sprintf("Op%d", i))
	}
	tests := []struct {
		name string
		in   string
		want string
	}{
		{name: "anonymous", in: "", want: Anonymous},
		{name: "known name", in: "Op7", want: "Op7"},
		{name: "last free slot", in: "Fresh", want: "Fresh"},
		{name: "seen before", in: "Fresh", want: "Fresh"},
		{name: "past the cap", in: "OneTooMany", want: Other},
		{name: "known names keep their label", in: "Op0", want: "Op0"},
		{name: "too long", in: strings.Repeat("x", 101), want: Other},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := m.Operation(tt.in); got != tt.want {
				t.Errorf("Operation(%.20q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
