package e2e

// DOMAIN.md rule 11, "Nothing is lost": a booking answered as successful
// survives kill -9 of the server at any moment. The test builds the real
// binary, books from several goroutines, kills the process while requests
// are in flight, restarts it on the same database and looks every
// acknowledged booking up again. It repeats that a few times on one
// database, and runs on PostgreSQL too when DATABASE_URL is set.

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // driver "pgx", to create the test's schema

	"seatgraph/graph/graphtest"
)

const (
	crashRounds    = 3   // kill -9 and restarts per database
	crashWorkers   = 6   // goroutines booking at once
	crashKillAfter = 100 // acknowledged bookings per round before the kill (plus up to 20 more at random)
	crashTickets   = 2   // tickets per booking
)

func TestCrashKeepsAcknowledgedBookings(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the server binary; skipped with -short")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go tool on PATH to build the server")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "seatgraph")
	build := exec.Command(goTool, "build", "-o", bin, "seatgraph")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the server: %v\n%s", err, out)
	}
	t.Run("sqlite", func(t *testing.T) {
		crashRun(t, bin, "file:"+filepath.Join(t.TempDir(), "crash.db"))
	})
	if base := os.Getenv("DATABASE_URL"); base != "" {
		t.Run("postgres", func(t *testing.T) { crashRun(t, bin, graphtest.PGSchema(t, base)) })
	}
}

// crashRun books, kills and restarts crashRounds times on one database and
// checks after each restart that every booking ever acknowledged is there.
func crashRun(t *testing.T, bin, dsn string) {
	srv := crashStart(t, bin, dsn)
	eventID, categoryID := crashCreateEvent(t, srv)

	var acked []string // every booking answered as successful, all rounds
	var seq atomic.Int64
	for round := 1; round <= crashRounds; round++ {
		threshold := crashKillAfter + crashRandInt(21)
		res := crashBookUntilKilled(t, srv, categoryID, threshold, &seq)
		acked = append(acked, res.acked...)
		t.Logf("%s round %d: %d bookings acknowledged before kill -9 (%d in flight at the kill, %d failed after it); %d acknowledged in all",
			crashDBName(dsn), round, len(res.acked), res.inFlight, res.failed, len(acked))
		if len(res.acked) < threshold {
			t.Fatalf("only %d bookings acknowledged, the kill came at %d", len(res.acked), threshold)
		}

		srv = crashStart(t, bin, dsn)
		crashCheck(t, srv, eventID, acked)
		if t.Failed() {
			t.Logf("server log after the restart:\n%s", srv.logs.String())
			return
		}
	}
	srv.kill()
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
func crashBookUntilKilled(t *testing.T, srv *crashServer, categoryID string, threshold int, seq *atomic.Int64) crashResult {
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
			srv.kill()
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
				id, err := crashBook(srv, categoryID, n)
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
func crashBook(srv *crashServer, categoryID string, n int64) (string, error) {
	email := fmt.Sprintf("crash%06d@example.com", n)
	tickets := make([]any, crashTickets)
	for i := range tickets {
		tk := map[string]any{"ticketCategoryId": categoryID}
		if i > 0 {
			tk["holder"] = map[string]any{"firstName": "Guest", "lastName": fmt.Sprint(i), "email": fmt.Sprintf("guest%d.%s", i, email)}
		}
		tickets[i] = tk
	}
	var out struct {
		CreateBooking struct {
			Booking *struct {
				ID     string `json:"id"`
				Status string `json:"status"`
			} `json:"booking"`
			Errors []struct {
				Typename string `json:"__typename"`
				Message  string `json:"message"`
			} `json:"errors"`
		} `json:"createBooking"`
	}
	err := srv.gql(`mutation($in: CreateBookingInput!) { createBooking(input: $in) {
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

// crashCheck looks every acknowledged booking up on the restarted server
// and checks that the event's counters agree with its rows.
func crashCheck(t *testing.T, srv *crashServer, eventID string, acked []string) {
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
		if err := srv.gql(`query($id: ID!) { node(id: $id) { ... on Booking { id status tickets { totalCount nodes { status } } } } }`,
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
	// No partial rows: every booking that made it has all its tickets, and
	// the seat counter matches them (bookings committed but not answered
	// before the kill may be there too).
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
	if err := srv.gql(`query($id: ID!) { node(id: $id) { ... on Event { registeredCount
		bookings { totalCount } confirmed: bookings(where: { status: { eq: CONFIRMED } }) { totalCount }
		tickets { totalCount } } } }`, map[string]any{"id": eventID}, &ev); err != nil {
		t.Fatalf("reading the event: %v", err)
	}
	e := ev.Node
	if e == nil {
		t.Fatal("the event is lost")
	}
	if e.Bookings.TotalCount < len(acked) || e.Confirmed.TotalCount != e.Bookings.TotalCount ||
		e.Tickets.TotalCount != crashTickets*e.Bookings.TotalCount || e.RegisteredCount != e.Tickets.TotalCount {
		t.Errorf("after the restart: %d bookings (%d confirmed), %d tickets, registeredCount %d; want at least %d bookings, all confirmed, %d tickets each, one seat per ticket",
			e.Bookings.TotalCount, e.Confirmed.TotalCount, e.Tickets.TotalCount, e.RegisteredCount, len(acked), crashTickets)
	}
}

func crashCreateEvent(t *testing.T, srv *crashServer) (eventID, categoryID string) {
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
	err := srv.gql(`mutation($in: CreateEventInput!) { createEvent(input: $in) {
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

// ---------------------------------------------------------------------------
// The server process.

type crashServer struct {
	t      *testing.T
	cmd    *exec.Cmd
	base   string
	key    string // the admin API key, sent with every request
	client *http.Client
	logs   *crashLog
	done   chan struct{} // closed when the process is gone
}

// crashAdminKey is the admin key of tenant default the test starts the
// server with (SEATGRAPH_ADMIN_KEY), the same for every restart.
var crashAdminKey = func() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return "crash-test-" + hex.EncodeToString(b)
}()

// crashStart starts the binary on dsn at a free port and waits for /healthz.
func crashStart(t *testing.T, bin, dsn string) *crashServer {
	t.Helper()
	addr := crashFreeAddr(t)
	logs := &crashLog{}
	cmd := exec.Command(bin, "-db", dsn, "-addr", addr, "-metrics-addr=")
	cmd.Env = append(os.Environ(), "SEATGRAPH_ADMIN_KEY="+crashAdminKey)
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting the server: %v", err)
	}
	s := &crashServer{
		t: t, cmd: cmd, base: "http://" + addr, key: crashAdminKey, logs: logs, done: make(chan struct{}),
		client: &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: crashWorkers * 2}},
	}
	go func() {
		_ = cmd.Wait()
		close(s.done)
	}()
	t.Cleanup(s.kill)
	deadline := time.Now().Add(60 * time.Second)
	for {
		select {
		case <-s.done:
			t.Fatalf("the server exited while starting:\n%s", logs.String())
		default:
		}
		resp, err := s.client.Get(s.base + "/healthz")
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return s
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("the server did not become healthy in time (last error %v):\n%s", err, logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// kill sends SIGKILL (kill -9) and waits until the process is gone.
func (s *crashServer) kill() {
	select {
	case <-s.done:
		return
	default:
	}
	_ = s.cmd.Process.Signal(syscall.SIGKILL)
	<-s.done
	s.client.CloseIdleConnections()
}

// gql posts a GraphQL request and decodes its data into out; top-level
// errors and transport failures are errors.
func (s *crashServer) gql(query string, vars map[string]any, out any) error {
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.base+"/graphql", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+s.key)
	resp, err := s.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	var r struct {
		Data   json.RawMessage `json:"data"`
		Errors []struct {
			Message string `json:"message"`
		} `json:"errors"`
	}
	if err := json.Unmarshal(raw, &r); err != nil {
		return fmt.Errorf("HTTP %d, not JSON: %s", resp.StatusCode, raw)
	}
	if len(r.Errors) > 0 {
		return fmt.Errorf("HTTP %d, errors: %s", resp.StatusCode, raw)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("HTTP %d: %s", resp.StatusCode, raw)
	}
	return json.Unmarshal(r.Data, out)
}

// crashLog collects the server's output for failure reports.
type crashLog struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *crashLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *crashLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	const keep = 8000
	s := l.buf.String()
	if len(s) > keep {
		s = "...\n" + s[len(s)-keep:]
	}
	return s
}

func crashDBName(dsn string) string {
	if strings.HasPrefix(dsn, "postgres") {
		return "postgres"
	}
	return "sqlite"
}

func crashFreeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func crashRandInt(n int64) int {
	v, err := rand.Int(rand.Reader, big.NewInt(n))
	if err != nil {
		return 0
	}
	return int(v.Int64())
}
