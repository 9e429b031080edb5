package e2e

// Issue 4, "PostgreSQL": two server processes on one PostgreSQL database
// race bookings for the same seats through both, and capacity stays exact.
// Runs when DATABASE_URL names a PostgreSQL server.

import (
	"context"
	"encoding/hex"
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // driver "pgx", for the test's schema

	"seatgraph/e2e/harness"
	"seatgraph/internal/auth"
	"seatgraph/internal/store"
	"seatgraph/internal/store/storetest"
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

func TestTwoProcessesRaceForSeats(t *testing.T) {
	base := tpPostgres(t)
	dsn := storetest.PGSchema(t, base)
	key := hex.EncodeToString([]byte("seatgraph-2proc!")) // 32 characters
	if len(key) != 32 {
		t.Fatalf("key of %d characters", len(key))
	}

	// Both start at once on the empty schema: migration, tenant "default"
	// and the admin key from the environment are raced too.
	servers := tpStartAll(t, dsn, key, "server A", "server B")
	clients := make([]harness.Client, len(servers))
	for i, s := range servers {
		clients[i] = harness.Client{HTTP: tpHTTP, URL: s.URL, Key: key}
	}

	eventID, categoryID := tpCreateEvent(t, clients[0])
	results, elapsed := tpRace(clients, categoryID)
	tpCheckOutcomes(t, results, elapsed)
	// Both processes see the same, exact counts.
	for i, c := range clients {
		tpCheckCounts(t, servers[i].Name(), c, eventID)
	}
}

// tpStartAll starts one process per name at the same time, with the
// database and admin key from the environment, and waits until all are
// ready.
func tpStartAll(t *testing.T, dsn, key string, names ...string) []*harness.Server {
	t.Helper()
	servers := make([]*harness.Server, len(names))
	dir := t.TempDir() // the working directory: nothing lands in the source tree
	var wg sync.WaitGroup
	for i, name := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := harness.Start(context.Background(), harness.Options{
				Name: name, Dir: dir, Env: []string{"DATABASE_URL=" + dsn, "SEATGRAPH_ADMIN_KEY=" + key},
			})
			if err != nil {
				t.Error(err)
				return
			}
			watch(t, s)
			servers[i] = s
		}()
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	return servers
}

// tpHTTP is shared by all bookers, with a connection for each.
var tpHTTP = harness.NewHTTPClient(tpBookers, 2*time.Minute)

// tpCreateEvent creates the published event of tpCapacity seats the
// bookers race for.
func tpCreateEvent(t *testing.T, c harness.Client) (eventID, categoryID string) {
	t.Helper()
	var out struct {
		CreateEvent struct {
			Event struct {
				ID               string `json:"id"`
				TicketCategories []struct {
					ID string `json:"id"`
				} `json:"ticketCategories"`
			} `json:"event"`
			Errors []any `json:"errors"`
		} `json:"createEvent"`
	}
	if err := c.Query(`mutation($in: CreateEventInput!) { createEvent(input: $in) { event { id ticketCategories { id } } errors { __typename } } }`,
		map[string]any{"in": map[string]any{
			"title": "Two processes", "startsAt": "2027-09-10T18:00:00Z", "capacity": tpCapacity, "publish": true,
			"ticketCategories": []any{map[string]any{"name": "Seat", "price": "10.00"}},
		}}, &out); err != nil {
		t.Fatal(err)
	}
	ev := out.CreateEvent.Event
	if len(out.CreateEvent.Errors) > 0 || len(ev.TicketCategories) != 1 {
		t.Fatalf("createEvent: %+v", out.CreateEvent)
	}
	return ev.ID, ev.TicketCategories[0].ID
}

// tpOutcome is what one booker got.
type tpOutcome struct {
	server  int
	booked  bool
	soldOut bool
	other   string
}

// tpRace releases tpBookers createBooking requests at once, alternating
// between the servers, and returns what each got.
func tpRace(clients []harness.Client, categoryID string) ([]tpOutcome, time.Duration) {
	results := make([]tpOutcome, tpBookers)
	gate := make(chan struct{})
	var wg sync.WaitGroup
	for i := 0; i < tpBookers; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			s := i % len(clients)
			c := clients[s]
			if i%4 >= 2 {
				c = c.WithKey("") // half of the bookers are anonymous, as on a public site
			}
			<-gate
			results[i] = tpBook(c, i, categoryID)
			results[i].server = s
		}(i)
	}
	start := time.Now()
	close(gate)
	wg.Wait()
	return results, time.Since(start)
}

// tpBook books one seat as booker i.
func tpBook(c harness.Client, i int, categoryID string) tpOutcome {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	resp, err := c.Post(ctx, `mutation($in: CreateBookingInput!) { createBooking(input: $in) {
		booking { id status } errors { __typename ... on Error { message } } } }`,
		map[string]any{"in": map[string]any{
			"booker":        map[string]any{"firstName": "Racer", "lastName": fmt.Sprint(i), "email": fmt.Sprintf("racer%d@example.com", i)},
			"tickets":       []any{map[string]any{"ticketCategoryId": categoryID}},
			"paymentMethod": "INVOICE",
		}})
	if err != nil {
		return tpOutcome{other: err.Error()}
	}
	var out createBookingAnswer
	if err := resp.Decode(&out); err != nil {
		return tpOutcome{other: fmt.Sprintf("HTTP %d %+v", resp.Status, resp.Errors)}
	}
	b, errs := out.CreateBooking.Booking, out.CreateBooking.Errors
	switch {
	case b != nil && len(errs) == 0 && b.Status == "CONFIRMED":
		return tpOutcome{booked: true}
	case b != nil && len(errs) == 0:
		return tpOutcome{other: "booking " + b.Status}
	case len(errs) == 1 && errs[0].Typename == "SoldOutError":
		return tpOutcome{soldOut: true}
	}
	return tpOutcome{other: fmt.Sprintf("%+v", errs)}
}

// tpCheckOutcomes checks that exactly the capacity was booked and every
// other booker was told the event is sold out.
func tpCheckOutcomes(t *testing.T, results []tpOutcome, elapsed time.Duration) {
	t.Helper()
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
}

// tpCheckCounts checks the event's counters and lists as one server sees
// them: every seat taken, once.
func tpCheckCounts(t *testing.T, name string, c harness.Client, eventID string) {
	t.Helper()
	var out struct {
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
	}
	if err := c.Query(`query($id: ID!) { node(id: $id) { ... on Event { registeredCount availableSeats
		tickets { totalCount } bookings { totalCount } } } bookings { totalCount } }`,
		map[string]any{"id": eventID}, &out); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	n := out.Node
	if n.RegisteredCount != tpCapacity || n.AvailableSeats == nil || *n.AvailableSeats != 0 ||
		n.Tickets.TotalCount != tpCapacity || n.Bookings.TotalCount != tpCapacity || out.Bookings.TotalCount != tpCapacity {
		t.Errorf("%s sees registeredCount %d, availableSeats %v, %d tickets, %d event bookings, %d bookings; want %d",
			name, n.RegisteredCount, n.AvailableSeats, n.Tickets.TotalCount, n.Bookings.TotalCount, out.Bookings.TotalCount, tpCapacity)
	}
}

// TestTwoProcessesEnsureAdminKey starts the admin key of the environment
// from several clients at once, as processes starting together do: each
// must start, none may fail on the key the others stored.
func TestTwoProcessesEnsureAdminKey(t *testing.T) {
	base := tpPostgres(t)
	dsn := storetest.PGSchema(t, base)
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
