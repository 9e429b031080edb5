package graph_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"seatgraph/internal/config"
	"seatgraph/internal/observe"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"entgo.io/ent/dialect"

	"seatgraph/ent"
	"seatgraph/graph/graphtest"
	"seatgraph/internal/auth"
	"seatgraph/internal/booking"
	"seatgraph/internal/domain"
	"seatgraph/internal/server"
	"seatgraph/internal/store"
)

// syncBuffer is a log sink that handlers on many goroutines may share.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// lines decodes the JSON log lines written so far.
func (b *syncBuffer) lines(t testing.TB) []map[string]any {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []map[string]any
	for _, l := range bytes.Split(b.buf.Bytes(), []byte("\n")) {
		if len(bytes.TrimSpace(l)) == 0 {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal(l, &m); err != nil {
			t.Fatalf("log line %q: %v", l, err)
		}
		out = append(out, m)
	}
	return out
}

// obsEnv is the whole server (server.NewApp behind observe.Logging, as Run serves
// it) over a fresh SQLite database, with its JSON log captured.
type obsEnv struct {
	cfg     config.Config
	client  *ent.Client
	db      *sql.DB
	tenant  int
	key     string
	app     *server.App
	log     *slog.Logger
	logs    *syncBuffer
	handler http.Handler
}

func newObsEnv(t *testing.T, configure func(*config.Config)) *obsEnv {
	t.Helper()
	ctx := context.Background()
	client, db, err := store.Open(ctx, "file:"+filepath.Join(t.TempDir(), "obs.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client.Close() })
	tid, err := store.DefaultTenantID(ctx, client)
	if err != nil {
		t.Fatal(err)
	}
	key, err := auth.CreateKey(ctx, client, tid, domain.RoleAdmin)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Parse(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if configure != nil {
		configure(&cfg)
	}
	logs := &syncBuffer{}
	log := slog.New(observe.WithRequestID(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	a := server.NewApp(cfg, client, db, dialect.SQLite, tid, log, booking.Options{})
	return &obsEnv{
		cfg: cfg, client: client, db: db, tenant: tid, key: key, app: a,
		log: log, logs: logs, handler: observe.Logging(log, a.Handler),
	}
}

// do posts a GraphQL request as the admin (anonymous when anon is set) with
// extra header pairs and returns the response and the request id it got.
func (e *obsEnv) do(t testing.TB, anon bool, query string, vars map[string]any, headers ...string) (graphtest.Response, string) {
	t.Helper()
	return e.doNamed(t, anon, "", query, vars, headers...)
}

// doNamed is do with an operationName in the request.
func (e *obsEnv) doNamed(t testing.TB, anon bool, opName, query string, vars map[string]any, headers ...string) (graphtest.Response, string) {
	t.Helper()
	params := map[string]any{"query": query, "variables": vars}
	if opName != "" {
		params["operationName"] = opName
	}
	body, _ := json.Marshal(params)
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if !anon {
		req.Header.Set("Authorization", "Bearer "+e.key)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	e.handler.ServeHTTP(rec, req)
	resp := graphtest.Response{Status: rec.Code, Header: rec.Header()}
	if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil {
		t.Fatalf("response is not JSON (%d): %s", rec.Code, rec.Body.String())
	}
	return resp, rec.Header().Get("X-Request-Id")
}

// scrape reads /metrics of the ops address into series -> value, a series
// being the metric name with its labels as the text format writes them.
func (e *obsEnv) scrape(t testing.TB) map[string]float64 {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, "/metrics", nil)
	req.Header.Set("Accept", "text/plain")
	rec := httptest.NewRecorder()
	server.NewOpsMux(e.app.Metrics.Handler()).ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /metrics: %d %s", rec.Code, rec.Body)
	}
	out := map[string]float64{}
	for _, l := range strings.Split(rec.Body.String(), "\n") {
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		i := strings.LastIndexByte(l, ' ')
		v, err := strconv.ParseFloat(l[i+1:], 64)
		if err != nil {
			t.Fatalf("metrics line %q: %v", l, err)
		}
		out[l[:i]] = v
	}
	return out
}

const (
	obsCreateEvent = `mutation CreateEvent($in: CreateEventInput!) {
		createEvent(input: $in) { event { id ticketCategories { id } } errors { __typename } } }`
	obsCreateBooking = `mutation Book($in: CreateBookingInput!) {
		createBooking(input: $in) { booking { id status tickets { nodes { code } } } errors { __typename } } }`
	obsCheckIn = `mutation Scan($code: String!) {
		checkInTicket(input: { code: $code }) { ticket { id checkedInAt } errors { __typename } } }`
)

// obsEvent creates a published event with one category of capacity seats
// and returns the ids of event and category.
func (e *obsEnv) obsEvent(t *testing.T, capacity int) (string, string) {
	t.Helper()
	r, _ := e.do(t, false, obsCreateEvent, map[string]any{"in": map[string]any{
		"title": "Observed", "startsAt": time.Now().Add(30 * 24 * time.Hour).UTC().Format(time.RFC3339),
		"capacity": capacity, "publish": true, "currency": "EUR",
		"ticketCategories": []map[string]any{{"name": "Standard", "price": "25.00", "taxRatePercent": "19"}},
	}})
	var data struct {
		CreateEvent struct {
			Event struct {
				ID               string
				TicketCategories []struct{ ID string }
			}
			Errors []any
		}
	}
	if len(r.Errors) > 0 || json.Unmarshal(r.Data, &data) != nil || len(data.CreateEvent.Errors) > 0 {
		t.Fatalf("createEvent: %s %+v", r.Data, r.Errors)
	}
	return data.CreateEvent.Event.ID, data.CreateEvent.Event.TicketCategories[0].ID
}

func bookingInput(category string, tickets int, method string) map[string]any {
	ts := make([]map[string]any, tickets)
	for i := range ts {
		ts[i] = map[string]any{"ticketCategoryId": category}
	}
	return map[string]any{"in": map[string]any{
		"booker":  map[string]any{"firstName": "Ada", "lastName": "Lovelace", "email": "ada@example.com"},
		"tickets": ts, "paymentMethod": method,
	}}
}

// TestObserveRequests sends requests of every kind through the whole
// server and checks each one's log line, then scrapes /metrics.
func TestObserveRequests(t *testing.T) {
	e := newObsEnv(t, nil)
	_, category := e.obsEvent(t, 3)
	var ticketCode string

	tests := []struct {
		name      string
		anon      bool
		opName    string // operationName sent along
		query     string
		vars      func() map[string]any
		headers   []string
		wantOp    string
		wantType  string
		wantCodes []string // nil: outcome ok
		wantPE    []string // payload_errors
		wantLevel string
		after     func(t *testing.T, r graphtest.Response)
	}{
		{name: "named query", query: `query Upcoming { events(first: 5) { totalCount } }`, wantOp: "Upcoming", wantType: "query"},
		{name: "anonymous query, anonymous caller", anon: true, query: `{ __typename }`, wantOp: "", wantType: "query"},
		{name: "parse error", query: `{ events(`, wantType: "unknown", wantCodes: []string{"GRAPHQL_PARSE_FAILED"}},
		// Refused before execution: the name is the operationName sent.
		{name: "validation error", opName: "Bad", query: `query Bad { nope }`, wantOp: "Bad", wantType: "unknown", wantCodes: []string{"GRAPHQL_VALIDATION_FAILED"}},
		{name: "operation not in the document", opName: "Missing", query: `query Other { __typename }`, wantOp: "Missing", wantType: "unknown", wantCodes: []string{"GRAPHQL_VALIDATION_FAILED"}},
		{name: "operationName picks the operation", opName: "Two", query: `query One { __typename } query Two { __typename }`, wantOp: "Two", wantType: "query"},
		{name: "resolver error", query: `query Big { events(first: 1000) { totalCount } }`, wantOp: "Big", wantType: "query", wantCodes: []string{"PAGE_SIZE_EXCEEDED"}},
		{
			name: "booking held", query: obsCreateBooking, wantOp: "Book", wantType: "mutation",
			vars: func() map[string]any { return bookingInput(category, 1, "CARD") },
		},
		{
			name: "booking confirmed", query: obsCreateBooking, wantOp: "Book", wantType: "mutation",
			vars:    func() map[string]any { return bookingInput(category, 1, "INVOICE") },
			headers: []string{"Idempotency-Key", "obs-1"},
			after: func(t *testing.T, r graphtest.Response) {
				var d struct {
					CreateBooking struct {
						Booking struct {
							Status  string
							Tickets struct{ Nodes []struct{ Code string } }
						}
					}
				}
				if err := json.Unmarshal(r.Data, &d); err != nil || d.CreateBooking.Booking.Status != "CONFIRMED" {
					t.Fatalf("booking: %s", r.Data)
				}
				ticketCode = d.CreateBooking.Booking.Tickets.Nodes[0].Code
			},
		},
		{
			name: "idempotent replay", query: obsCreateBooking, wantOp: "Book", wantType: "mutation",
			vars:    func() map[string]any { return bookingInput(category, 1, "INVOICE") },
			headers: []string{"Idempotency-Key", "obs-1"},
		},
		{
			name: "sold out is a payload error", query: obsCreateBooking, wantOp: "Book", wantType: "mutation",
			vars:   func() map[string]any { return bookingInput(category, 2, "INVOICE") },
			wantPE: []string{"SoldOutError"},
		},
		{
			name: "check-in", query: obsCheckIn, wantOp: "Scan", wantType: "mutation",
			vars: func() map[string]any { return map[string]any{"code": ticketCode} },
		},
		{
			name: "second check-in", query: obsCheckIn, wantOp: "Scan", wantType: "mutation",
			vars:   func() map[string]any { return map[string]any{"code": ticketCode} },
			wantPE: []string{"AlreadyCheckedInError"},
		},
		{
			name: "caller's request id is kept", query: `query Upcoming { events(first: 1) { totalCount } }`,
			headers: []string{"X-Request-Id", "client-chosen-42"}, wantOp: "Upcoming", wantType: "query",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var vars map[string]any
			if tt.vars != nil {
				vars = tt.vars()
			}
			r, id := e.doNamed(t, tt.anon, tt.opName, tt.query, vars, tt.headers...)
			if got := r.Codes(); fmt.Sprint(got) != fmt.Sprint(tt.wantCodes) && !(len(got) == 0 && tt.wantCodes == nil) {
				t.Fatalf("error codes %v, want %v (%s)", got, tt.wantCodes, r.Data)
			}
			if tt.after != nil {
				tt.after(t, r)
			}
			if id == "" {
				t.Fatal("no X-Request-Id in the response")
			}
			if len(tt.headers) == 2 && tt.headers[0] == "X-Request-Id" && id != tt.headers[1] {
				t.Errorf("X-Request-Id = %q, want the caller's %q", id, tt.headers[1])
			}

			var mine []map[string]any
			for _, l := range e.logs.lines(t) {
				if l["request_id"] == id {
					mine = append(mine, l)
				}
			}
			if len(mine) != 1 {
				t.Fatalf("%d log lines for request %s, want 1: %v", len(mine), id, mine)
			}
			l := mine[0]
			outcome := "ok"
			if tt.wantCodes != nil {
				outcome = "error"
			}
			want := map[string]any{
				"msg": "request", "path": "/graphql", "status": float64(r.Status), "level": "INFO",
				"operation": tt.wantOp, "operation_type": tt.wantType, "outcome": outcome,
			}
			for k, v := range want {
				if l[k] != v {
					t.Errorf("log %s = %v, want %v", k, l[k], v)
				}
			}
			if d, ok := l["duration"].(float64); !ok || d <= 0 {
				t.Errorf("log duration = %v", l["duration"])
			}
			if got := fmt.Sprint(l["error_codes"]); tt.wantCodes != nil && got != fmt.Sprint(tt.wantCodes) {
				t.Errorf("log error_codes = %s, want %v", got, tt.wantCodes)
			} else if tt.wantCodes == nil && l["error_codes"] != nil {
				t.Errorf("log error_codes = %v on success", l["error_codes"])
			}
			if got := fmt.Sprint(l["payload_errors"]); tt.wantPE != nil && got != fmt.Sprint(tt.wantPE) {
				t.Errorf("log payload_errors = %s, want %v", got, tt.wantPE)
			} else if tt.wantPE == nil && l["payload_errors"] != nil {
				t.Errorf("log payload_errors = %v", l["payload_errors"])
			}
		})
	}

	t.Run("metrics", func(t *testing.T) {
		m := e.scrape(t)
		atLeast := func(v float64) func(float64) bool { return func(x float64) bool { return x >= v } }
		exactly := func(v float64) func(float64) bool { return func(x float64) bool { return x == v } }
		series := []struct {
			series string
			ok     func(float64) bool
			want   string
		}{
			{`seatgraph_graphql_requests_total{operation="Upcoming",outcome="ok",type="query"}`, exactly(2), "2"},
			{`seatgraph_graphql_requests_total{operation="anonymous",outcome="ok",type="query"}`, exactly(1), "1"},
			{`seatgraph_graphql_requests_total{operation="anonymous",outcome="error",type="unknown"}`, exactly(1), "1 (parse error)"},
			{`seatgraph_graphql_requests_total{operation="Bad",outcome="error",type="unknown"}`, exactly(1), "1"},
			{`seatgraph_graphql_requests_total{operation="Two",outcome="ok",type="query"}`, exactly(1), "1"},
			{`seatgraph_graphql_requests_total{operation="Book",outcome="ok",type="mutation"}`, exactly(4), "4"},
			{`seatgraph_graphql_requests_total{operation="CreateEvent",outcome="ok",type="mutation"}`, exactly(1), "1"},
			{`seatgraph_graphql_request_duration_seconds_count{operation="Book",type="mutation"}`, exactly(4), "4"},
			{`seatgraph_graphql_request_duration_seconds_sum{operation="Book",type="mutation"}`, func(x float64) bool { return x > 0 && x < 60 }, "between 0 and 60s"},
			{`seatgraph_graphql_request_duration_seconds_bucket{operation="Scan",type="mutation",le="+Inf"}`, exactly(2), "2"},
			{`seatgraph_graphql_errors_total{code="GRAPHQL_PARSE_FAILED"}`, exactly(1), "1"},
			{`seatgraph_graphql_errors_total{code="GRAPHQL_VALIDATION_FAILED"}`, exactly(2), "2"},
			{`seatgraph_graphql_errors_total{code="PAGE_SIZE_EXCEEDED"}`, exactly(1), "1"},
			// The replay and the sold-out attempt created nothing.
			{`seatgraph_bookings_created_total{status="PENDING"}`, exactly(1), "1"},
			{`seatgraph_bookings_created_total{status="CONFIRMED"}`, exactly(1), "1"},
			{`seatgraph_checkins_total`, exactly(1), "1 (the second scan is refused)"},
			{`go_sql_max_open_connections{db_name="seatgraph"}`, exactly(8), "8 (SQLite pool)"},
			{`go_sql_open_connections{db_name="seatgraph"}`, atLeast(1), ">= 1"},
			{`go_sql_wait_count_total{db_name="seatgraph"}`, atLeast(0), "present"},
		}
		for _, s := range series {
			v, ok := m[s.series]
			if !ok {
				t.Errorf("series %s missing", s.series)
				continue
			}
			if !s.ok(v) {
				t.Errorf("%s = %v, want %s", s.series, v, s.want)
			}
		}
		if _, ok := m[`seatgraph_bookings_created_total{status="WAITLISTED"}`]; ok {
			t.Error("a WAITLISTED booking was counted")
		}
	})
}

// TestObserveInternalErrorLogsAtError: an internal error inside a 200
// answer makes the request line an error line.
func TestObserveInternalErrorLogsAtError(t *testing.T) {
	e := newObsEnv(t, nil)
	e.db.Close() // every database call now fails
	r, id := e.do(t, true, `query Upcoming { events(first: 1) { totalCount } }`, nil)
	if fmt.Sprint(r.Codes()) != "[INTERNAL_SERVER_ERROR]" {
		t.Fatalf("codes %v", r.Codes())
	}
	for _, l := range e.logs.lines(t) {
		if l["msg"] == "request" && l["request_id"] == id {
			if l["level"] != "ERROR" || l["outcome"] != "error" {
				t.Errorf("request line %v, want level ERROR and outcome error", l)
			}
			return
		}
	}
	t.Error("no request line")
}
