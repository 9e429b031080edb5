package e2e

// docs/domain-rules.md, "Nothing is lost": a booking answered as successful
// survives kill -9 of the server at any moment. The test builds the real
// binary, books from several goroutines, kills the process while requests
// are in flight, restarts it on the same database and looks every
// acknowledged booking up again. It repeats that a few times on one
// database, and runs on PostgreSQL too when DATABASE_URL is set.

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // driver "pgx", to create the test's schema

	"seatgraph/e2e/harness"
	"seatgraph/internal/store/storetest"
)

const (
	crashRounds    = 3   // kill -9 and restarts per database
	crashWorkers   = 6   // goroutines booking at once
	crashKillAfter = 100 // acknowledged bookings per round before the kill (plus up to 20 more at random)
	crashTickets   = 2   // tickets per booking
)

func TestCrashKeepsAcknowledgedBookings(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		crashRun(t, "file:"+filepath.Join(t.TempDir(), "crash.db"))
	})
	if base := os.Getenv("DATABASE_URL"); base != "" {
		t.Run("postgres", func(t *testing.T) { crashRun(t, storetest.PGSchema(t, base)) })
	}
}

// crashRun books, kills and restarts crashRounds times on one database and
// checks after each restart that every booking ever acknowledged is there.
func crashRun(t *testing.T, dsn string) {
	srv := crashStart(t, dsn)
	c := crashClient(srv)
	eventID, categoryID := crashCreateEvent(t, c)

	var acked []string // every booking answered as successful, all rounds
	var seq atomic.Int64
	for round := 1; round <= crashRounds; round++ {
		threshold := crashKillAfter + crashRandInt(21)
		res := crashBookUntilKilled(t, srv, c, categoryID, threshold, &seq)
		acked = append(acked, res.acked...)
		t.Logf("%s round %d: %d bookings acknowledged before kill -9 (%d in flight at the kill, %d failed after it); %d acknowledged in all",
			crashDBName(dsn), round, len(res.acked), res.inFlight, res.failed, len(acked))
		if len(res.acked) < threshold {
			t.Fatalf("only %d bookings acknowledged, the kill came at %d", len(res.acked), threshold)
		}

		srv = restart(t, srv)
		c = crashClient(srv)
		crashCheckBookings(t, c, acked)
		crashCheckEvent(t, c, eventID, len(acked))
		if t.Failed() {
			return // the restarted server's output is shown at cleanup
		}
	}
	srv.Kill()
}

// crashResult is what one round of booking saw.
type crashResult struct {
	acked    []string
	inFlight int64 // requests under way when the process was killed
	failed   int   // requests that got no answer (the kill cut them off)
}

// crashBookUntilKilled books from crashWorkers goroutines until threshold
// bookings were acknowledged, then kills the server with requests in flight
// and waits for every worker to notice.
func crashBookUntilKilled(t *testing.T, srv *harness.Server, c harness.Client, categoryID string, threshold int, seq *atomic.Int64) crashResult {
	var (
		mu       sync.Mutex
		res      crashResult
		inFlight atomic.Int64
		killed   atomic.Bool
		once     sync.Once
		wg       sync.WaitGroup
	)
	kill := func() {
		once.Do(func() {
			res.inFlight = inFlight.Load()
			killed.Store(true)
			srv.Kill()
			c.HTTP.CloseIdleConnections()
		})
	}
	deadline := time.Now().Add(2 * time.Minute)
	for w := 0; w < crashWorkers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !killed.Load() {
				if time.Now().After(deadline) {
					mu.Lock()
					t.Errorf("no kill within 2 minutes (%d acknowledged)", len(res.acked))
					mu.Unlock()
					kill()
					return
				}
				n := seq.Add(1)
				inFlight.Add(1)
				id, err := crashBook(c, categoryID, n)
				inFlight.Add(-1)
				mu.Lock()
				switch {
				case err == nil:
					// Acknowledged, whenever the answer arrived: the server
					// sent it, so it must have committed.
					res.acked = append(res.acked, id)
					if len(res.acked) >= threshold {
						mu.Unlock()
						kill()
						continue
					}
				case killed.Load():
					res.failed++
				default:
					t.Errorf("booking %d failed before the kill: %v", n, err)
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return res
}

// crashBook sends one createBooking and returns the booking's id when the
// server answered it as a success.
func crashBook(c harness.Client, categoryID string, n int64) (string, error) {
	email := fmt.Sprintf("crash%06d@example.com", n)
	tickets := make([]any, crashTickets)
	for i := range tickets {
		tk := map[string]any{"ticketCategoryId": categoryID}
		if i > 0 {
			tk["holder"] = map[string]any{"firstName": "Guest", "lastName": fmt.Sprint(i), "email": fmt.Sprintf("guest%d.%s", i, email)}
		}
		tickets[i] = tk
	}
	var out createBookingAnswer
	err := c.Query(`mutation($in: CreateBookingInput!) { createBooking(input: $in) {
		booking { id status } errors { __typename ... on Error { message } } } }`,
		map[string]any{"in": map[string]any{
			"booker":        map[string]any{"firstName": "Crash", "lastName": "Test", "email": email},
			"tickets":       tickets,
			"paymentMethod": "INVOICE",
		}}, &out)
	if err != nil {
		return "", err
	}
	b := out.CreateBooking.Booking
	if len(out.CreateBooking.Errors) > 0 || b == nil || b.Status != "CONFIRMED" {
		return "", fmt.Errorf("not booked: %+v", out.CreateBooking)
	}
	return b.ID, nil
}

// crashCheckBookings looks every acknowledged booking up on the restarted
// server: each is there, confirmed, with all its tickets active.
func crashCheckBookings(t *testing.T, c harness.Client, acked []string) {
	t.Helper()
	for _, id := range acked {
		var out struct {
			Node *struct {
				ID      string `json:"id"`
				Status  string `json:"status"`
				Tickets struct {
					TotalCount int `json:"totalCount"`
					Nodes      []struct {
						Status string `json:"status"`
					} `json:"nodes"`
				} `json:"tickets"`
			} `json:"node"`
		}
		if err := c.Query(`query($id: ID!) { node(id: $id) { ... on Booking { id status tickets { totalCount nodes { status } } } } }`,
			map[string]any{"id": id}, &out); err != nil {
			t.Fatalf("looking up booking %s: %v", id, err)
		}
		b := out.Node
		switch {
		case b == nil:
			t.Errorf("acknowledged booking %s is lost", id)
		case b.Status != "CONFIRMED" || b.Tickets.TotalCount != crashTickets || len(b.Tickets.Nodes) != crashTickets:
			t.Errorf("acknowledged booking %s came back %s with %d tickets, want CONFIRMED with %d", id, b.Status, b.Tickets.TotalCount, crashTickets)
		default:
			for _, tk := range b.Tickets.Nodes {
				if tk.Status != "ACTIVE" {
					t.Errorf("booking %s has a %s ticket", id, tk.Status)
				}
			}
		}
	}
}

// crashCheckEvent checks that there are no partial rows: every booking that
// made it has all its tickets, and the seat counter matches them (bookings
// committed but not answered before the kill may be there too, so there
// are at least acked).
func crashCheckEvent(t *testing.T, c harness.Client, eventID string, acked int) {
	t.Helper()
	var ev struct {
		Node *struct {
			RegisteredCount int `json:"registeredCount"`
			Bookings        struct {
				TotalCount int `json:"totalCount"`
			} `json:"bookings"`
			Confirmed struct {
				TotalCount int `json:"totalCount"`
			} `json:"confirmed"`
			Tickets struct {
				TotalCount int `json:"totalCount"`
			} `json:"tickets"`
		} `json:"node"`
	}
	if err := c.Query(`query($id: ID!) { node(id: $id) { ... on Event { registeredCount
		bookings { totalCount } confirmed: bookings(where: { status: { eq: CONFIRMED } }) { totalCount }
		tickets { totalCount } } } }`, map[string]any{"id": eventID}, &ev); err != nil {
		t.Fatalf("reading the event: %v", err)
	}
	e := ev.Node
	if e == nil {
		t.Fatal("the event is lost")
	}
	if e.Bookings.TotalCount < acked || e.Confirmed.TotalCount != e.Bookings.TotalCount ||
		e.Tickets.TotalCount != crashTickets*e.Bookings.TotalCount || e.RegisteredCount != e.Tickets.TotalCount {
		t.Errorf("after the restart: %d bookings (%d confirmed), %d tickets, registeredCount %d; want at least %d bookings, all confirmed, %d tickets each, one seat per ticket",
			e.Bookings.TotalCount, e.Confirmed.TotalCount, e.Tickets.TotalCount, e.RegisteredCount, acked, crashTickets)
	}
}

// crashCreateEvent creates the published event all rounds book, with room
// for every booking they can make.
func crashCreateEvent(t *testing.T, c harness.Client) (eventID, categoryID string) {
	t.Helper()
	start := time.Now().UTC().Add(30 * 24 * time.Hour).Truncate(time.Second)
	var out struct {
		CreateEvent struct {
			Event *struct {
				ID               string `json:"id"`
				TicketCategories []struct {
					ID string `json:"id"`
				} `json:"ticketCategories"`
			} `json:"event"`
			Errors []struct {
				Message string `json:"message"`
			} `json:"errors"`
		} `json:"createEvent"`
	}
	err := c.Query(`mutation($in: CreateEventInput!) { createEvent(input: $in) {
		event { id ticketCategories { id } } errors { ... on Error { message } } } }`,
		map[string]any{"in": map[string]any{
			"title":            "Crash test",
			"startsAt":         start.Format(time.RFC3339),
			"endsAt":           start.Add(3 * time.Hour).Format(time.RFC3339),
			"capacity":         1000000,
			"publish":          true,
			"ticketCategories": []any{map[string]any{"name": "Standard", "price": "20.00", "taxRatePercent": "19"}},
		}}, &out)
	if err != nil {
		t.Fatalf("createEvent: %v", err)
	}
	ev := out.CreateEvent.Event
	if ev == nil || len(ev.TicketCategories) != 1 {
		t.Fatalf("createEvent: %+v", out.CreateEvent)
	}
	return ev.ID, ev.TicketCategories[0].ID
}

// crashAdminKey is the admin key of tenant default the test starts the
// server with (SEATGRAPH_ADMIN_KEY), the same for every restart.
var crashAdminKey = func() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return "crash-test-" + hex.EncodeToString(b)
}()

// crashStart starts the binary on dsn with the test's admin key.
func crashStart(t *testing.T, dsn string) *harness.Server {
	t.Helper()
	return start(t, harness.Options{DB: dsn, Env: []string{"SEATGRAPH_ADMIN_KEY=" + crashAdminKey}})
}

// crashClient is an admin client of srv with a connection for every
// worker.
func crashClient(srv *harness.Server) harness.Client {
	return harness.Client{HTTP: harness.NewHTTPClient(crashWorkers*2, 30*time.Second), URL: srv.URL, Key: crashAdminKey}
}

func crashDBName(dsn string) string {
	if strings.HasPrefix(dsn, "postgres") {
		return "postgres"
	}
	return "sqlite"
}

func crashRandInt(n int64) int {
	v, err := rand.Int(rand.Reader, big.NewInt(n))
	if err != nil {
		return 0
	}
	return int(v.Int64())
}
