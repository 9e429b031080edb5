package e2e

// Issue 4, "PostgreSQL": two server processes on one PostgreSQL database
// race bookings for the same seats through both, and capacity stays exact.
// Runs when DATABASE_URL names a PostgreSQL server.

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // driver "pgx", for the test's schema

	"seatgraph/graph/graphtest"
	"seatgraph/internal/auth"
	"seatgraph/internal/store"
)

const (
	tpCapacity = 50
	tpBookers  = 200
)

// tpPostgres returns DATABASE_URL, skipping the test without one.
func tpPostgres(t *testing.T) string {
	t.Helper()
	base := os.Getenv("DATABASE_URL")
	if !strings.HasPrefix(base, "postgres://") && !strings.HasPrefix(base, "postgresql://") {
		t.Skip("DATABASE_URL does not name a PostgreSQL server")
	}
	if testing.Short() {
		t.Skip("builds and runs the server binary")
	}
	return base
}

// tpBuild builds the server binary.
func tpBuild(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "seatgraph")
	cmd := exec.Command("go", "build", "-o", bin, "seatgraph")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// tpLog collects a process's output.
type tpLog struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *tpLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *tpLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

type tpServer struct {
	name   string
	url    string
	cmd    *exec.Cmd
	log    *tpLog
	exited chan error
}

func tpFreeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// tpStart starts a server process on dsn with key as the admin key.
func tpStart(t *testing.T, name, bin, dsn, key string) *tpServer {
	t.Helper()
	addr := tpFreeAddr(t)
	cmd := exec.Command(bin, "-addr", addr, "-metrics-addr=")
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "SEATGRAPH_") && !strings.HasPrefix(kv, "DATABASE_URL=") {
			env = append(env, kv)
		}
	}
	cmd.Env = append(env, "DATABASE_URL="+dsn, "SEATGRAPH_ADMIN_KEY="+key)
	cmd.Dir = t.TempDir()
	s := &tpServer{name: name, url: "http://" + addr, cmd: cmd, log: &tpLog{}, exited: make(chan error, 1)}
	cmd.Stdout, cmd.Stderr = s.log, s.log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { s.exited <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-s.exited:
		case <-time.After(20 * time.Second):
			_ = cmd.Process.Kill()
			<-s.exited
		}
		if t.Failed() {
			t.Logf("%s output:\n%s", name, s.log.String())
		}
	})
	return s
}

// ready waits until the server answers /readyz.
func (s *tpServer) ready(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-s.exited:
			t.Fatalf("%s exited while starting: %v\n%s", s.name, err, s.log.String())
		default:
		}
		resp, err := http.Get(s.url + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s did not become ready:\n%s", s.name, s.log.String())
}

var tpClient = &http.Client{
	Timeout:   2 * time.Minute,
	Transport: &http.Transport{MaxIdleConnsPerHost: tpBookers, IdleConnTimeout: time.Minute},
}

// gql posts a GraphQL request; key "" is anonymous.
func (s *tpServer) gql(key, query string, vars map[string]any, out any) (int, error) {
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, err := http.NewRequest(http.MethodPost, s.url+"/graphql", bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := tpClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	var raw bytes.Buffer
	if _, err := raw.ReadFrom(resp.Body); err != nil {
		return resp.StatusCode, err
	}
	if err := json.Unmarshal(raw.Bytes(), out); err != nil {
		return resp.StatusCode, fmt.Errorf("HTTP %d, not JSON: %.300s", resp.StatusCode, raw.String())
	}
	return resp.StatusCode, nil
}

type tpErrors []struct {
	Message    string         `json:"message"`
	Extensions map[string]any `json:"extensions"`
}

func TestTwoProcessesRaceForSeats(t *testing.T) {
	base := tpPostgres(t)
	dsn := graphtest.PGSchema(t, base)
	bin := tpBuild(t)
	key := hex.EncodeToString([]byte("seatgraph-2proc!")) // 32 characters
	if len(key) != 32 {
		t.Fatalf("key of %d characters", len(key))
	}

	// Both start at once on the empty schema: migration, tenant "default"
	// and the admin key from the environment are raced too.
	servers := []*tpServer{tpStart(t, "server A", bin, dsn, key), tpStart(t, "server B", bin, dsn, key)}
	for _, s := range servers {
		s.ready(t)
	}

	var created struct {
		Data struct {
			CreateEvent struct {
				Event struct {
					ID               string `json:"id"`
					TicketCategories []struct {
						ID string `json:"id"`
					} `json:"ticketCategories"`
				} `json:"event"`
				Errors []any `json:"errors"`
			} `json:"createEvent"`
		} `json:"data"`
		Errors tpErrors `json:"errors"`
	}
	if _, err := servers[0].gql(key, `mutation($in: CreateEventInput!) { createEvent(input: $in) { event { id ticketCategories { id } } errors { __typename } } }`,
		map[string]any{"in": map[string]any{
			"title": "Two processes", "startsAt": "2027-09-10T18:00:00Z", "capacity": tpCapacity, "publish": true,
			"ticketCategories": []any{map[string]any{"name": "Seat", "price": "10.00"}},
		}}, &created); err != nil {
		t.Fatal(err)
	}
	ev := created.Data.CreateEvent.Event
	if len(created.Errors) > 0 || len(created.Data.CreateEvent.Errors) > 0 || len(ev.TicketCategories) != 1 {
		t.Fatalf("createEvent: %+v", created)
	}

	type outcome struct {
		server  int
		booked  bool
		soldOut bool
		other   string
	}
	results := make([]outcome, tpBookers)
	gate := make(chan struct{})
	var wg sync.WaitGroup
	for i := 0; i < tpBookers; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			s := i % 2
			caller := key
			if i%4 >= 2 {
				caller = "" // half of the bookers are anonymous, as on a public site
			}
			var out struct {
				Data *struct {
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
				} `json:"data"`
				Errors tpErrors `json:"errors"`
			}
			<-gate
			status, err := servers[s].gql(caller, `mutation($in: CreateBookingInput!) { createBooking(input: $in) {
				booking { id status } errors { __typename ... on Error { message } } } }`,
				map[string]any{"in": map[string]any{
					"booker":        map[string]any{"firstName": "Racer", "lastName": fmt.Sprint(i), "email": fmt.Sprintf("racer%d@example.com", i)},
					"tickets":       []any{map[string]any{"ticketCategoryId": ev.TicketCategories[0].ID}},
					"paymentMethod": "INVOICE",
				}}, &out)
			r := outcome{server: s}
			switch {
			case err != nil:
				r.other = err.Error()
			case status != http.StatusOK || len(out.Errors) > 0 || out.Data == nil:
				r.other = fmt.Sprintf("HTTP %d %+v", status, out.Errors)
			case out.Data.CreateBooking.Booking != nil && len(out.Data.CreateBooking.Errors) == 0:
				r.booked = out.Data.CreateBooking.Booking.Status == "CONFIRMED"
				if !r.booked {
					r.other = "booking " + out.Data.CreateBooking.Booking.Status
				}
			case len(out.Data.CreateBooking.Errors) == 1 && out.Data.CreateBooking.Errors[0].Typename == "SoldOutError":
				r.soldOut = true
			default:
				r.other = fmt.Sprintf("%+v", out.Data.CreateBooking.Errors)
			}
			results[i] = r
		}(i)
	}
	start := time.Now()
	close(gate)
	wg.Wait()
	elapsed := time.Since(start)

	var booked, soldOut int
	perServer := [2]int{}
	others := map[string]int{}
	for _, r := range results {
		switch {
		case r.booked:
			booked++
			perServer[r.server]++
		case r.soldOut:
			soldOut++
		default:
			others[r.other]++
		}
	}
	t.Logf("%d createBooking requests through 2 processes in %s: %d booked (%d via A, %d via B), %d SoldOutError, %d other",
		tpBookers, elapsed.Round(time.Millisecond), booked, perServer[0], perServer[1], soldOut, tpBookers-booked-soldOut)
	if booked != tpCapacity || soldOut != tpBookers-tpCapacity || len(others) > 0 {
		var msgs []string
		for m, n := range others {
			msgs = append(msgs, fmt.Sprintf("%dx %s", n, m))
		}
		sort.Strings(msgs)
		t.Errorf("want %d booked and %d sold out; other outcomes: %s", tpCapacity, tpBookers-tpCapacity, strings.Join(msgs, "; "))
	}

	// Both processes see the same, exact counts.
	for _, s := range servers {
		var out struct {
			Data struct {
				Node struct {
					RegisteredCount int  `json:"registeredCount"`
					AvailableSeats  *int `json:"availableSeats"`
					Tickets         struct {
						TotalCount int `json:"totalCount"`
					} `json:"tickets"`
					Bookings struct {
						TotalCount int `json:"totalCount"`
					} `json:"bookings"`
				} `json:"node"`
				Bookings struct {
					TotalCount int `json:"totalCount"`
				} `json:"bookings"`
			} `json:"data"`
			Errors tpErrors `json:"errors"`
		}
		if _, err := s.gql(key, `query($id: ID!) { node(id: $id) { ... on Event { registeredCount availableSeats
			tickets { totalCount } bookings { totalCount } } } bookings { totalCount } }`,
			map[string]any{"id": ev.ID}, &out); err != nil || len(out.Errors) > 0 {
			t.Fatalf("%s: %v %+v", s.name, err, out.Errors)
		}
		n := out.Data.Node
		if n.RegisteredCount != tpCapacity || n.AvailableSeats == nil || *n.AvailableSeats != 0 ||
			n.Tickets.TotalCount != tpCapacity || n.Bookings.TotalCount != tpCapacity || out.Data.Bookings.TotalCount != tpCapacity {
			t.Errorf("%s sees registeredCount %d, availableSeats %v, %d tickets, %d event bookings, %d bookings; want %d",
				s.name, n.RegisteredCount, n.AvailableSeats, n.Tickets.TotalCount, n.Bookings.TotalCount, out.Data.Bookings.TotalCount, tpCapacity)
		}
	}
}

// TestTwoProcessesEnsureAdminKey starts the admin key of the environment
// from several clients at once, as processes starting together do: each
// must start, none may fail on the key the others stored.
func TestTwoProcessesEnsureAdminKey(t *testing.T) {
	base := tpPostgres(t)
	dsn := graphtest.PGSchema(t, base)
	ctx := context.Background()
	const n = 8
	type opened struct {
		tid   int
		close func() error
		do    func() error
	}
	key := strings.Repeat("k", 32)
	var clients []opened
	for i := 0; i < n; i++ {
		c, _, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		tid, err := store.DefaultTenantID(ctx, c)
		if err != nil {
			t.Fatal(err)
		}
		clients = append(clients, opened{tid: tid, close: c.Close, do: func() error {
			_, err := auth.EnsureAdminKey(ctx, c, tid, key)
			return err
		}})
	}
	defer func() {
		for _, c := range clients {
			_ = c.close()
		}
	}()
	for round := 0; round < 3; round++ {
		errs := make([]error, n)
		gate := make(chan struct{})
		var wg sync.WaitGroup
		for i, c := range clients {
			wg.Add(1)
			go func(i int, do func() error) {
				defer wg.Done()
				<-gate
				errs[i] = do()
			}(i, c.do)
		}
		close(gate)
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Errorf("round %d, client %d: %v", round, i, err)
			}
		}
		key = strings.Repeat(fmt.Sprint(round), 32) // a new key each round
	}
}
