package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	mrand "math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"seatgraph/internal/config"
	"strings"
	"sync/atomic"
	"time"

	"entgo.io/ent/dialect"

	"seatgraph/ent"
	"seatgraph/internal/auth"
	"seatgraph/internal/booking"
	"seatgraph/internal/domain"
	"seatgraph/internal/gid"
	"seatgraph/internal/server"
	"seatgraph/internal/store"
)

// The measured requests.
const (
	// queryA is the booking list of a back office (scenario a).
	queryA = `query BookingList($first: Int!, $after: String) {
  bookings(first: $first, after: $after) {
    nodes {
      orderNumber
      total { amount }
      booker { email }
      events { title }
      tickets(first: 10) { nodes { code holder { email } } }
      payments { nodes { amount { amount } } }
    }
  }
}`
	// queryB is a public event page (scenario b), sent without a key.
	queryB = `query EventPage {
  events(first: 20, where: { status: { eq: PUBLISHED } }) {
    nodes {
      id title startsAt venue availableSeats
      ticketCategories { id name price { amount currency } availableSeats }
    }
  }
}`
	mutationC = `mutation Book($input: CreateBookingInput!) {
  createBooking(input: $input) { booking { orderNumber status } errors { __typename } }
}`
	mutationD = `mutation CheckIn($code: String!) {
  checkInTicket(input: { code: $code }) { ticket { checkedInAt } errors { __typename } }
}`
	// queryCursor finds the cursor of one booking in the default order.
	queryCursor = `query Cursor($o: String!) {
  bookings(where: { orderNumber: { eq: $o } }, first: 1) { pageInfo { endCursor } }
}`
)

// rawStatements is what the raw handler sends per request: bookings,
// bookers, events, tickets, holders, payments.
const rawStatements = 6

// row is one scenario at one concurrency.
type row struct {
	scenario string
	conc     int
	res      result
	stmts    string
	note     string
}

// report is everything measured on one database.
type report struct {
	name       string
	dsn        string
	counts     []string
	seed       *seeded
	rows       []row
	stmtSource string
	stmtA10    int64
	stmtA50    int64
	stmtDeep   int64
	stmtB      int64
	stmtC      int64
	stmtD      int64
	sameAsRaw  string
	deepAt     string
	idleRSS    int64
	serverLog  string

	// binarySameAsRaw: the server binary answers query a as the raw
	// handler does ("yes", or what differed).
	binarySameAsRaw string
	// peer is another GraphQL server answering query a on the same data,
	// for the "3x PostGraphile" target; the code that starts the peer
	// fills it, and an empty one prints "peer not measured".
	peer peerResult
	// peerRun is the PostGraphile side-by-side run (postgraphile.go); nil
	// when not run. Its figures go into peer for the targets.
	peerRun *peerReport
}

func (r *report) add(scenario string, conc int, res result, stmts, note string) {
	r.rows = append(r.rows, row{scenario, conc, res, stmts, note})
}

func (r *report) find(scenario string, conc int) (result, bool) {
	for _, x := range r.rows {
		if x.scenario == scenario && x.conc == conc {
			return x.res, true
		}
	}
	return result{}, false
}

// Scenario names.
const (
	scA    = "a booking list (first 50)"
	scRaw  = "a raw net/http + database/sql"
	scDeep = "a booking list, cursor at 90%"
	scB    = "b event page (anonymous)"
	scC    = "c createBooking, one event"
	scD    = "d checkInTicket"
)

func gqlBody(query string, vars map[string]any) []byte {
	b, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	return b
}

// runTarget measures one database: the data set, the in-process counts,
// then the four scenarios against the server binary.
func runTarget(ctx context.Context, cfg options, tmp string, t target) (*report, error) {
	fmt.Printf("\n== %s\n", t.name)
	rep := &report{name: t.name, dsn: t.dsn}
	if t.name == "sqlite" {
		rep.peer.note = peerName + " serves PostgreSQL only"
	}
	st, err := store.Parse(t.dsn)
	if err != nil {
		return nil, err
	}
	client, db, err := store.Open(ctx, t.dsn)
	if err != nil {
		return nil, err
	}
	defer client.Close()
	tid, err := store.DefaultTenantID(ctx, client)
	if err != nil {
		return nil, err
	}
	auth.Protect(client)

	// 1. The data set.
	if err := rep.prepareData(ctx, cfg, client, db, st.Dialect, tid); err != nil {
		return nil, err
	}
	// 2. Keys: the admin key the server is started with, a check-in key.
	adminKey, checkinKey, err := benchKeys(ctx, client, tid)
	if err != nil {
		return nil, err
	}
	adminAuth := "Bearer " + adminKey
	// 3. In process: statements per request (a counting Ent driver under
	// the same wiring as the server), the deep cursor, the raw handler's
	// answer against seatgraph's.
	raw, err := newRawHandler(st, tid, adminAuth)
	if err != nil {
		return nil, err
	}
	defer raw.db.Close()
	ip, err := newInProc(db, st.Dialect, tid, adminAuth)
	if err != nil {
		return nil, err
	}
	if err := rep.inProcess(ctx, ip, raw, db, st.Dialect, tid); err != nil {
		return nil, err
	}
	// Under load this pool only reads the check-in codes: give its idle
	// connections back, so that the server's and the raw handler's pools
	// (store.PostgresPoolSize each) fit under max_connections beside it.
	db.SetMaxIdleConns(1)
	// 4. The server and the raw handler, under load.
	return rep, rep.underLoad(ctx, cfg, tmp, adminKey, checkinKey, raw, db, st.Dialect, tid)
}

// prepareData seeds the data set unless the database has it already, and
// settles and counts it.
func (rep *report) prepareData(ctx context.Context, cfg options, client *ent.Client, db *sql.DB, d string, tid int) error {
	sd, err := findSeeded(auth.WithTenant(ctx, tid), client)
	if err != nil {
		return err
	}
	if sd == nil {
		fmt.Printf("seeding %d events and %d bookings\n", cfg.events, cfg.bookings)
		if sd, err = seed(ctx, client, db, d, tid, cfg); err != nil {
			return fmt.Errorf("seeding: %w", err)
		}
		fmt.Printf("seeded in %s (%.0f bookings/s)\n", sd.elapsed.Round(100*time.Millisecond), float64(cfg.bookings)/sd.elapsed.Seconds())
	} else {
		fmt.Println("reusing the data set already in the database")
	}
	rep.seed = sd
	if err := settle(ctx, db, d); err != nil {
		return err
	}
	if rep.counts, err = countRows(ctx, db, d, tid); err != nil {
		return err
	}
	fmt.Println("data:", strings.Join(rep.counts, ", "))
	return nil
}

// benchKeys makes a fresh admin key (the server is started with it) and a
// check-in key.
func benchKeys(ctx context.Context, client *ent.Client, tid int) (adminKey, checkinKey string, err error) {
	adminKey = "sgk_bench_" + randomHex(16)
	if _, err := auth.EnsureAdminKey(ctx, client, tid, adminKey); err != nil {
		return "", "", err
	}
	checkinKey, err = auth.CreateKey(ctx, client, tid, domain.RoleCheckIn)
	return adminKey, checkinKey, err
}

// newRawHandler is the raw handler on a database pool of its own, sized
// like the server's.
func newRawHandler(st store.Target, tid int, adminAuth string) (*rawHandler, error) {
	rawDB, err := sql.Open(st.Driver, st.DSN)
	if err != nil {
		return nil, err
	}
	n := store.SQLitePoolSize
	if st.Dialect == dialect.Postgres {
		n = store.PostgresPoolSize
	}
	rawDB.SetMaxOpenConns(n)
	rawDB.SetMaxIdleConns(n)
	return &rawHandler{db: rawDB, postgres: st.Dialect == dialect.Postgres, tenantID: tid, auth: adminAuth}, nil
}

// underLoad starts the server binary and the raw handler and runs the
// scenarios against them.
func (rep *report) underLoad(ctx context.Context, cfg options, tmp, adminKey, checkinKey string, raw *rawHandler, db *sql.DB, d string, tid int) error {
	rep.serverLog = filepath.Join(tmp, rep.name+"-server.log")
	srv, err := startServer(ctx, rep.dsn, adminKey, rep.serverLog)
	if err != nil {
		return err
	}
	defer srv.Stop()
	rep.idleRSS = rssKiB(srv.Pid())
	rawURL, stopRaw, err := serveRaw(raw)
	if err != nil {
		return err
	}
	defer stopRaw()
	rep.binarySameAsRaw = compareBinaryWithRaw(ctx, srv.URL+"/graphql", raw)
	m := newMeasurer(ctx, cfg, rep, srv)
	fmt.Printf("server pid %d on %s, idle RSS %.1f MiB; raw handler on %s\n", srv.Pid(), srv.URL, mib(rep.idleRSS), rawURL)

	m.listings(raw.auth, rawURL)
	m.eventPage()
	m.bookings()
	codes, err := checkinCodes(ctx, db, d, tid)
	if err != nil {
		return err
	}
	m.checkIns("Bearer "+checkinKey, codes)
	return nil
}

// settle folds SQLite's write-ahead log into the database file, and has
// PostgreSQL analyze the tables, as autovacuum soon would after a bulk load.
func settle(ctx context.Context, db *sql.DB, d string) error {
	q := "PRAGMA wal_checkpoint(TRUNCATE)"
	if d == dialect.Postgres {
		q = "ANALYZE"
	}
	_, err := db.ExecContext(ctx, q)
	return err
}

func confirmedPerSec(r result) float64 {
	if r.elapsed <= 0 || r.requests == 0 {
		return 0
	}
	// errors and requests are totals over the rounds; the median round's
	// rate scaled by the share of successes.
	return r.rps * float64(r.requests-r.errors) / float64(r.requests)
}

func mib(kib int64) float64 { return float64(kib) / 1024 }

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func placeholder(d string, n int) string {
	if d == dialect.Postgres {
		return fmt.Sprintf("$%d", n)
	}
	return "?"
}

func countRows(ctx context.Context, db *sql.DB, d string, tid int) ([]string, error) {
	var out []string
	for _, t := range []string{"events", "ticket_categories", "bookings", "tickets", "registrations", "payments", "participants", "histories"} {
		var n int
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+t+" WHERE tenant_id = "+placeholder(d, 1), tid).Scan(&n); err != nil {
			return nil, fmt.Errorf("counting %s: %w", t, err)
		}
		out = append(out, fmt.Sprintf("%d %s", n, strings.ReplaceAll(t, "_", " ")))
	}
	return out, nil
}

// checkinCodes returns the codes of active, unchecked tickets of confirmed
// bookings in random order (at most 1,000,000).
func checkinCodes(ctx context.Context, db *sql.DB, d string, tid int) ([]string, error) {
	rows, err := db.QueryContext(ctx, "SELECT t.code FROM tickets t JOIN bookings b ON b.id = t.booking_id WHERE t.tenant_id = "+
		placeholder(d, 1)+" AND b.status = 'CONFIRMED' AND t.status = 'ACTIVE' AND t.checked_in_at IS NULL LIMIT 1000000", tid)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var codes []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		codes = append(codes, c)
	}
	mrand.Shuffle(len(codes), func(i, j int) { codes[i], codes[j] = codes[j], codes[i] })
	return codes, rows.Err()
}

// inProc is the server's handler, wired by server.NewApp in this process over an
// Ent client whose driver counts statements.
type inProc struct {
	h     http.Handler
	stmts atomic.Int64
}

func newInProc(db *sql.DB, d string, tid int, adminAuth string) (*inProc, error) {
	ip := &inProc{}
	drv := dialect.DebugWithContext(store.NewDriver(d, db), func(context.Context, ...any) { ip.stmts.Add(1) })
	client := ent.NewClient(ent.Driver(drv))
	cfg, err := config.Parse(nil, func(string) string { return "" })
	if err != nil {
		return nil, err
	}
	// Failures of in-process requests are the bench's to explain.
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	ip.h = server.NewApp(cfg, client, db, d, tid, log, booking.Options{}).Handler
	return ip, nil
}

// do sends one request and returns the body and the statements it cost.
func (ip *inProc) do(body []byte, authz string) ([]byte, int64, error) {
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if authz != "" {
		req.Header.Set("Authorization", authz)
	}
	rec := httptest.NewRecorder()
	before := ip.stmts.Load()
	ip.h.ServeHTTP(rec, req)
	n := ip.stmts.Load() - before
	if rec.Code != http.StatusOK || !graphqlOK(rec.Body.Bytes()) {
		return rec.Body.Bytes(), n, fmt.Errorf("status %d: %.500s", rec.Code, rec.Body.String())
	}
	return rec.Body.Bytes(), n, nil
}

// count sends body twice (the first warms caches) and returns the
// statements and the body of the second.
func (ip *inProc) count(body []byte, authz string) (int64, []byte, error) {
	if _, _, err := ip.do(body, authz); err != nil {
		return 0, nil, err
	}
	b, n, err := ip.do(body, authz)
	return n, b, err
}

// inProcess counts statements per request, finds the deep cursor and
// checks that the raw handler answers what seatgraph answers.
func (rep *report) inProcess(ctx context.Context, ip *inProc, raw *rawHandler, db *sql.DB, d string, tid int) error {
	// The first request of a key looks it up; later ones reuse it.
	if _, _, err := ip.do(gqlBody("{ __typename }", nil), raw.auth); err != nil {
		return err
	}
	// The queries first: the raw handler's answer is compared before
	// anything adds a booking.
	if err := rep.countQueries(ctx, ip, raw); err != nil {
		return err
	}
	if err := rep.countMutations(ctx, ip, db, d, tid, raw.auth); err != nil {
		return err
	}
	if err := rep.findDeepCursor(ctx, ip, db, d, tid, raw.auth); err != nil {
		return err
	}
	fmt.Printf("statements per request (in process): a first 10: %d, a first 50: %d, a deep: %d, b: %d, c: %d, d: %d; raw answers the same: %s\n",
		rep.stmtA10, rep.stmtA50, rep.stmtDeep, rep.stmtB, rep.stmtC, rep.stmtD, rep.sameAsRaw)
	return nil
}

// countQueries counts the statements of queries a and b, and checks that
// the raw handler answers what seatgraph answers to a.
func (rep *report) countQueries(ctx context.Context, ip *inProc, raw *rawHandler) error {
	var err error
	if rep.stmtA10, _, err = ip.count(gqlBody(queryA, map[string]any{"first": 10}), raw.auth); err != nil {
		return fmt.Errorf("query a: %w", err)
	}
	var a50 []byte
	if rep.stmtA50, a50, err = ip.count(gqlBody(queryA, map[string]any{"first": 50}), raw.auth); err != nil {
		return fmt.Errorf("query a: %w", err)
	}
	rr, err := raw.page(ctx, 50)
	if err != nil {
		return fmt.Errorf("raw handler: %w", err)
	}
	rb, _ := json.Marshal(rr)
	var x, y any
	_ = json.Unmarshal(a50, &x)
	_ = json.Unmarshal(rb, &y)
	if reflect.DeepEqual(x, y) {
		rep.sameAsRaw = "yes"
	} else {
		rep.sameAsRaw = "NO"
		fmt.Printf("the raw handler's answer differs from seatgraph's:\nseatgraph: %.600s\nraw:       %.600s\n", a50, rb)
	}
	if rep.stmtB, _, err = ip.count(gqlBody(queryB, nil), ""); err != nil {
		return fmt.Errorf("query b: %w", err)
	}
	return nil
}

// countMutations counts createBooking and checkInTicket, once each (not
// warmed: each changes data).
func (rep *report) countMutations(ctx context.Context, ip *inProc, db *sql.DB, d string, tid int, adminAuth string) error {
	in := map[string]any{
		"booker":        map[string]any{"firstName": "Count", "lastName": "Statements", "email": "count-" + randomHex(4) + "@bench.example"},
		"tickets":       []any{map[string]any{"ticketCategoryId": gid.Encode(rep.seed.hotCategoryID)}},
		"paymentMethod": "INVOICE",
	}
	var err error
	if _, rep.stmtC, err = ip.do(gqlBody(mutationC, map[string]any{"input": in}), ""); err != nil {
		return fmt.Errorf("createBooking: %w", err)
	}
	var code string
	if err := db.QueryRowContext(ctx, "SELECT t.code FROM tickets t JOIN bookings b ON b.id = t.booking_id WHERE t.tenant_id = "+
		placeholder(d, 1)+" AND b.status = 'CONFIRMED' AND t.status = 'ACTIVE' AND t.checked_in_at IS NULL LIMIT 1", tid).Scan(&code); err != nil {
		return fmt.Errorf("a ticket to check in: %w", err)
	}
	if _, rep.stmtD, err = ip.do(gqlBody(mutationD, map[string]any{"code": code}), adminAuth); err != nil {
		return fmt.Errorf("checkInTicket: %w", err)
	}
	return nil
}

// findDeepCursor finds the cursor of the booking at 90 % of the list, which
// the API hands out for a page that ends on it, and counts the statements
// of the page after it.
func (rep *report) findDeepCursor(ctx context.Context, ip *inProc, db *sql.DB, d string, tid int, adminAuth string) error {
	var total int
	if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM bookings WHERE tenant_id = "+placeholder(d, 1), tid).Scan(&total); err != nil {
		return err
	}
	offset := total * 9 / 10
	var order string
	if err := db.QueryRowContext(ctx, fmt.Sprintf("SELECT order_number FROM bookings WHERE tenant_id = %s ORDER BY created_at DESC, id ASC LIMIT 1 OFFSET %d",
		placeholder(d, 1), offset), tid).Scan(&order); err != nil {
		return fmt.Errorf("the booking at 90%%: %w", err)
	}
	b, _, err := ip.do(gqlBody(queryCursor, map[string]any{"o": order}), adminAuth)
	if err != nil {
		return fmt.Errorf("cursor: %w", err)
	}
	var cur struct {
		Data struct {
			Bookings struct{ PageInfo struct{ EndCursor string } }
		}
	}
	if err := json.Unmarshal(b, &cur); err != nil {
		return err
	}
	rep.deepAt = cur.Data.Bookings.PageInfo.EndCursor
	var deep []byte
	if rep.stmtDeep, deep, err = ip.count(gqlBody(queryA, map[string]any{"first": 50, "after": rep.deepAt}), adminAuth); err != nil {
		return fmt.Errorf("deep page: %w", err)
	}
	var page struct {
		Data struct {
			Bookings struct {
				Nodes []struct{ OrderNumber string }
			}
		}
	}
	_ = json.Unmarshal(deep, &page)
	fmt.Printf("deep cursor: after %s (booking %d of %d), the page has %d bookings\n", order, offset+1, total, len(page.Data.Bookings.Nodes))
	if want := min(50, total-offset-1); len(page.Data.Bookings.Nodes) != want {
		return fmt.Errorf("the deep page has %d bookings, want %d", len(page.Data.Bookings.Nodes), want)
	}
	return nil
}

func ms(d time.Duration) string {
	return fmt.Sprintf("%.1f", float64(d)/float64(time.Millisecond))
}

func pct(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return 100 * a / b
}
