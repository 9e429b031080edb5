package graph_test

// Concurrency tests: many requests at once through the real HTTP handler, on
// SQLite and (with DATABASE_URL) PostgreSQL. They prove docs/domain-rules.md, rules 1
// (capacity is exact), 3 (waitlist first in, first out), 6 (idempotency under
// simultaneous twins) and 10 (order numbers) hold under races. Run them with
// -race: every request runs on a goroutine of its own.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"seatgraph/graph/graphtest"
)

// ---------------------------------------------------------------------------
// Plumbing: requests that are safe to send from any goroutine (no t.Fatal).

type ccResponse struct {
	Status int
	Data   json.RawMessage   `json:"data"`
	Errors []graphtest.Error `json:"errors"`
}

// ccDo posts a GraphQL request to the handler and decodes the answer; it
// reports a broken answer as an error instead of failing the test, so that
// goroutines may call it.
func ccDo(h http.Handler, query string, vars map[string]any, headers ...string) (ccResponse, error) {
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		return ccResponse{}, err
	}
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	out := ccResponse{Status: rec.Code}
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
		return out, fmt.Errorf("answer is not JSON (HTTP %d): %s", rec.Code, rec.Body.String())
	}
	return out, nil
}

// ccFire runs fn(0..n-1) on n goroutines released at the same instant and
// returns how long they took together.
func ccFire(n int, fn func(i int)) time.Duration {
	var ready, done sync.WaitGroup
	start := make(chan struct{})
	for i := 0; i < n; i++ {
		ready.Add(1)
		done.Add(1)
		go func(i int) {
			defer done.Done()
			ready.Done()
			<-start
			fn(i)
		}(i)
	}
	ready.Wait()
	t0 := time.Now()
	close(start)
	done.Wait()
	return time.Since(t0)
}

// ---------------------------------------------------------------------------
// Shapes.

type ccPayloadError struct {
	Typename          string `json:"__typename"`
	Message           string `json:"message"`
	AvailableSeats    *int   `json:"availableSeats"`
	WaitlistAvailable *bool  `json:"waitlistAvailable"`
}

type ccBooking struct {
	ID          string `json:"id"`
	OrderNumber string `json:"orderNumber"`
	Status      string `json:"status"`
	Tickets     struct {
		TotalCount int `json:"totalCount"`
	} `json:"tickets"`
}

type ccCreated struct {
	CreateBooking struct {
		Booking *ccBooking       `json:"booking"`
		Errors  []ccPayloadError `json:"errors"`
	} `json:"createBooking"`
}

const ccErrorSelection = `errors { __typename ... on Error { message } ... on SoldOutError { availableSeats waitlistAvailable } }`

const ccCreateBooking = `mutation($in: CreateBookingInput!) { createBooking(input: $in) {
	booking { id orderNumber status tickets { totalCount } }
	` + ccErrorSelection + `
} }`

const ccCancelBooking = `mutation($in: CancelBookingInput!) { cancelBooking(input: $in) {
	booking { id status }
	errors { __typename ... on Error { message } }
} }`

// ccOutcome is what one createBooking request came back with.
type ccOutcome struct {
	booking   *ccBooking
	errors    []ccPayloadError
	topLevel  []graphtest.Error
	transport error
}

func (o ccOutcome) String() string {
	switch {
	case o.transport != nil:
		return "transport: " + o.transport.Error()
	case len(o.topLevel) > 0:
		var parts []string
		for _, e := range o.topLevel {
			parts = append(parts, fmt.Sprintf("%s (%s)", e.Message, e.Code()))
		}
		return "top-level: " + strings.Join(parts, "; ")
	case len(o.errors) > 0:
		return fmt.Sprintf("payload errors: %+v", o.errors)
	case o.booking != nil:
		return "booking " + o.booking.ID + " " + o.booking.Status
	}
	return "nothing"
}

// ccBook sends one createBooking; safe on any goroutine.
func ccBook(e *graphtest.Env, in map[string]any, headers ...string) ccOutcome {
	r, err := ccDo(e.Handler, ccCreateBooking, map[string]any{"in": in}, headers...)
	if err != nil {
		return ccOutcome{transport: err}
	}
	if len(r.Errors) > 0 {
		return ccOutcome{topLevel: r.Errors}
	}
	var out ccCreated
	if err := json.Unmarshal(r.Data, &out); err != nil {
		return ccOutcome{transport: fmt.Errorf("decoding %s: %w", r.Data, err)}
	}
	return ccOutcome{booking: out.CreateBooking.Booking, errors: out.CreateBooking.Errors}
}

// ccBookingInput is a createBooking input: tickets of one category, the
// booker holding the first, other holders the rest.
func ccBookingInput(categoryID, email, method string, tickets int, joinWaitlist bool) map[string]any {
	ts := make([]any, tickets)
	for i := range ts {
		t := map[string]any{"ticketCategoryId": categoryID}
		if i > 0 {
			t["holder"] = map[string]any{"firstName": "Guest", "lastName": strconv.Itoa(i), "email": fmt.Sprintf("guest%d.%s", i, email)}
		}
		ts[i] = t
	}
	return map[string]any{
		"booker":        map[string]any{"firstName": "Race", "lastName": "Booker", "email": email},
		"tickets":       ts,
		"paymentMethod": method,
		"joinWaitlist":  joinWaitlist,
	}
}

// ccTally counts outcomes and keeps the unexpected ones for the report.
type ccTally struct {
	mu        sync.Mutex
	confirmed []*ccBooking
	other     map[string][]*ccBooking // bookings with another status, by status
	soldOut   []ccPayloadError
	odd       []string // anything else: other payload errors, top-level errors, broken answers
}

func (c *ccTally) add(o ccOutcome) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case o.transport == nil && len(o.topLevel) == 0 && len(o.errors) == 0 && o.booking != nil:
		if o.booking.Status == "CONFIRMED" {
			c.confirmed = append(c.confirmed, o.booking)
			return
		}
		if c.other == nil {
			c.other = map[string][]*ccBooking{}
		}
		c.other[o.booking.Status] = append(c.other[o.booking.Status], o.booking)
	case o.transport == nil && len(o.topLevel) == 0 && len(o.errors) == 1 && o.errors[0].Typename == "SoldOutError" && o.booking == nil:
		c.soldOut = append(c.soldOut, o.errors[0])
	default:
		c.odd = append(c.odd, o.String())
	}
}

func (c *ccTally) check(t *testing.T, wantConfirmed, wantSoldOut int) {
	t.Helper()
	for i, s := range c.odd {
		if i == 10 {
			t.Errorf("... and %d more unexpected answers", len(c.odd)-10)
			break
		}
		t.Errorf("unexpected answer: %s", s)
	}
	for status, bs := range c.other {
		t.Errorf("%d bookings came back %s, want CONFIRMED", len(bs), status)
	}
	if len(c.confirmed) != wantConfirmed || len(c.soldOut) != wantSoldOut {
		t.Errorf("got %d confirmed and %d sold out (%d unexpected), want %d and %d",
			len(c.confirmed), len(c.soldOut), len(c.odd), wantConfirmed, wantSoldOut)
	}
	ids := map[string]bool{}
	for _, b := range c.confirmed {
		if ids[b.ID] {
			t.Errorf("booking %s answered twice", b.ID)
		}
		ids[b.ID] = true
		if b.Tickets.TotalCount != 1 {
			t.Errorf("booking %s has %d tickets, want 1", b.ID, b.Tickets.TotalCount)
		}
	}
	for _, s := range c.soldOut {
		if s.Message == "" {
			t.Errorf("SoldOutError without a message")
		}
		if s.WaitlistAvailable == nil || *s.WaitlistAvailable {
			t.Errorf("SoldOutError says waitlistAvailable %v for an event without a waitlist", s.WaitlistAvailable)
		}
	}
}

// ---------------------------------------------------------------------------
// Events and what the API says about them.

type ccEventIDs struct{ event, category string }

// ccNewEvent creates a published event with one category a month ahead.
// capacity and categoryCapacity are nil for unlimited.
func ccNewEvent(t *testing.T, e *graphtest.Env, title string, capacity, categoryCapacity *int, waitlist bool) ccEventIDs {
	t.Helper()
	cat := map[string]any{"name": "Standard", "price": "20.00", "taxRatePercent": "19"}
	if categoryCapacity != nil {
		cat["capacity"] = *categoryCapacity
	}
	start := time.Now().UTC().Add(30 * 24 * time.Hour).Truncate(time.Second)
	in := map[string]any{
		"title":            title,
		"startsAt":         start.Format(time.RFC3339),
		"endsAt":           start.Add(3 * time.Hour).Format(time.RFC3339),
		"waitlistEnabled":  waitlist,
		"publish":          true,
		"ticketCategories": []any{cat},
	}
	if capacity != nil {
		in["capacity"] = *capacity
	}
	var out struct {
		CreateEvent struct {
			Event *struct {
				ID               string `json:"id"`
				Status           string `json:"status"`
				TicketCategories []struct {
					ID string `json:"id"`
				} `json:"ticketCategories"`
			} `json:"event"`
			Errors []ccPayloadError `json:"errors"`
		} `json:"createEvent"`
	}
	e.Query(t, `mutation($in: CreateEventInput!) { createEvent(input: $in) {
		event { id status ticketCategories { id } }
		errors { __typename ... on Error { message } } } }`, map[string]any{"in": in}, &out)
	ev := out.CreateEvent.Event
	if len(out.CreateEvent.Errors) > 0 || ev == nil || len(ev.TicketCategories) != 1 || ev.Status != "PUBLISHED" {
		t.Fatalf("createEvent: %+v %+v", ev, out.CreateEvent.Errors)
	}
	return ccEventIDs{event: ev.ID, category: ev.TicketCategories[0].ID}
}

type ccRegistration struct {
	ID               string `json:"id"`
	Status           string `json:"status"`
	WaitlistPosition *int   `json:"waitlistPosition"`
	Ticket           *struct {
		Booking struct {
			ID string `json:"id"`
		} `json:"booking"`
	} `json:"ticket"`
}

type ccEvent struct {
	Capacity         *int `json:"capacity"`
	RegisteredCount  int  `json:"registeredCount"`
	WaitlistCount    int  `json:"waitlistCount"`
	AvailableSeats   *int `json:"availableSeats"`
	TicketCategories []struct {
		ID             string `json:"id"`
		SoldCount      int    `json:"soldCount"`
		AvailableSeats *int   `json:"availableSeats"`
	} `json:"ticketCategories"`
	Bookings struct {
		TotalCount int `json:"totalCount"`
	} `json:"bookings"`
	Registrations struct {
		TotalCount int              `json:"totalCount"`
		Nodes      []ccRegistration `json:"nodes"`
	} `json:"registrations"`
}

// ccReadEvent reads an event's counters, its bookings' count and its
// registrations (at most 100).
func ccReadEvent(t *testing.T, e *graphtest.Env, id string) ccEvent {
	t.Helper()
	var out struct {
		Node *ccEvent `json:"node"`
	}
	e.Query(t, `query($id: ID!) { node(id: $id) { ... on Event {
		capacity registeredCount waitlistCount availableSeats
		ticketCategories { id soldCount availableSeats }
		bookings { totalCount }
		registrations(first: 100) { totalCount nodes { id status waitlistPosition ticket { booking { id } } } }
	} } }`, map[string]any{"id": id}, &out)
	if out.Node == nil {
		t.Fatalf("event %s not found", id)
	}
	if out.Node.Registrations.TotalCount > len(out.Node.Registrations.Nodes) {
		t.Fatalf("event %s has %d registrations, more than one page", id, out.Node.Registrations.TotalCount)
	}
	return *out.Node
}

func ccConfirmedBookings(t *testing.T, e *graphtest.Env) int {
	t.Helper()
	var out struct {
		Bookings struct {
			TotalCount int `json:"totalCount"`
		} `json:"bookings"`
	}
	e.Query(t, `{ bookings(where: { status: { eq: CONFIRMED } }) { totalCount } }`, nil, &out)
	return out.Bookings.TotalCount
}

func ccIntp(n int) *int { return &n }

// ---------------------------------------------------------------------------
// 1. 200 people race for 50 seats.

func TestConcurrentLastSeats(t *testing.T) {
	graphtest.Each(t, func(t *testing.T, e *graphtest.Env) {
		const capacity, requests = 50, 200
		ids := ccNewEvent(t, e, "Race for 50 seats", ccIntp(capacity), nil, false)

		var tally ccTally
		elapsed := ccFire(requests, func(i int) {
			tally.add(ccBook(e, ccBookingInput(ids.category, fmt.Sprintf("racer%03d@example.com", i), "INVOICE", 1, false)))
		})
		t.Logf("%s: %d requests in %dms: %d confirmed, %d sold out, %d other",
			e.Name, requests, elapsed.Milliseconds(), len(tally.confirmed), len(tally.soldOut), len(tally.odd))
		tally.check(t, capacity, requests-capacity)

		ev := ccReadEvent(t, e, ids.event)
		if ev.RegisteredCount != capacity {
			t.Errorf("registeredCount = %d, want %d", ev.RegisteredCount, capacity)
		}
		if ev.AvailableSeats == nil || *ev.AvailableSeats != 0 {
			t.Errorf("availableSeats = %v, want 0", ev.AvailableSeats)
		}
		if ev.Bookings.TotalCount != capacity {
			t.Errorf("the event has %d bookings, want %d (a rejected request left rows)", ev.Bookings.TotalCount, capacity)
		}
		if got := ccConfirmedBookings(t, e); got != capacity {
			t.Errorf("bookings(where: CONFIRMED) totalCount = %d, want %d", got, capacity)
		}
		accepted := 0
		for _, r := range ev.Registrations.Nodes {
			if r.Status == "ACCEPTED" {
				accepted++
			}
		}
		if accepted != capacity || ev.Registrations.TotalCount != capacity {
			t.Errorf("%d registrations, %d ACCEPTED; want %d, all ACCEPTED", ev.Registrations.TotalCount, accepted, capacity)
		}
	})
}

// ---------------------------------------------------------------------------
// 2. A category quota inside a large event is exact too.

func TestConcurrentCategoryQuota(t *testing.T) {
	graphtest.Each(t, func(t *testing.T, e *graphtest.Env) {
		const quota, requests = 30, 100
		ids := ccNewEvent(t, e, "Race for a quota", ccIntp(1000), ccIntp(quota), false)

		var tally ccTally
		elapsed := ccFire(requests, func(i int) {
			tally.add(ccBook(e, ccBookingInput(ids.category, fmt.Sprintf("quota%03d@example.com", i), "INVOICE", 1, false)))
		})
		t.Logf("%s: %d requests for a quota of %d in %dms: %d confirmed, %d sold out, %d other",
			e.Name, requests, quota, elapsed.Milliseconds(), len(tally.confirmed), len(tally.soldOut), len(tally.odd))
		tally.check(t, quota, requests-quota)

		ev := ccReadEvent(t, e, ids.event)
		if ev.RegisteredCount != quota {
			t.Errorf("registeredCount = %d, want %d", ev.RegisteredCount, quota)
		}
		if ev.AvailableSeats == nil || *ev.AvailableSeats != 1000-quota {
			t.Errorf("event availableSeats = %v, want %d", ev.AvailableSeats, 1000-quota)
		}
		cat := ev.TicketCategories[0]
		if cat.SoldCount != quota || cat.AvailableSeats == nil || *cat.AvailableSeats != 0 {
			t.Errorf("category soldCount %d, availableSeats %v; want %d and 0", cat.SoldCount, cat.AvailableSeats, quota)
		}
		if got := ccConfirmedBookings(t, e); got != quota {
			t.Errorf("bookings(where: CONFIRMED) totalCount = %d, want %d", got, quota)
		}
	})
}

// ---------------------------------------------------------------------------
// 3. Identical requests with one idempotency key, all at once, book once.

func TestConcurrentIdempotency(t *testing.T) {
	graphtest.Each(t, func(t *testing.T, e *graphtest.Env) {
		for _, variant := range []string{"input field", "header"} {
			t.Run(strings.ReplaceAll(variant, " ", "_"), func(t *testing.T) {
				const requests, tickets = 20, 2
				ids := ccNewEvent(t, e, "Idempotent "+variant, ccIntp(100), nil, false)
				key := "race-key-" + strings.ReplaceAll(variant, " ", "-")
				in := ccBookingInput(ids.category, "twin@example.com", "CARD", tickets, false)
				var headers []string
				if variant == "header" {
					headers = []string{"Idempotency-Key", key}
				} else {
					in["idempotencyKey"] = key
				}

				outcomes := make([]ccOutcome, requests)
				elapsed := ccFire(requests, func(i int) { outcomes[i] = ccBook(e, in, headers...) })
				t.Logf("%s: %d twins in %dms", e.Name, requests, elapsed.Milliseconds())

				var first *ccBooking
				for i, o := range outcomes {
					if o.booking == nil || len(o.errors) > 0 || len(o.topLevel) > 0 || o.transport != nil {
						t.Errorf("request %d: %s", i, o)
						continue
					}
					if first == nil {
						first = o.booking
						continue
					}
					if o.booking.ID != first.ID || o.booking.OrderNumber != first.OrderNumber {
						t.Errorf("request %d got booking %s (%s), request 0 got %s (%s)",
							i, o.booking.ID, o.booking.OrderNumber, first.ID, first.OrderNumber)
					}
				}
				if first == nil {
					t.Fatal("no request succeeded")
				}
				if first.Tickets.TotalCount != tickets || first.Status != "PENDING" {
					t.Errorf("booking %s is %s with %d tickets, want PENDING with %d", first.ID, first.Status, first.Tickets.TotalCount, tickets)
				}
				ev := ccReadEvent(t, e, ids.event)
				if ev.Bookings.TotalCount != 1 {
					t.Errorf("the event has %d bookings, want 1", ev.Bookings.TotalCount)
				}
				if ev.RegisteredCount != first.Tickets.TotalCount || ev.Registrations.TotalCount != tickets {
					t.Errorf("registeredCount %d, %d registrations; want %d (the booking's tickets)",
						ev.RegisteredCount, ev.Registrations.TotalCount, first.Tickets.TotalCount)
				}
				for _, r := range ev.Registrations.Nodes {
					if r.Ticket == nil || r.Ticket.Booking.ID != first.ID {
						t.Errorf("registration %s does not belong to booking %s", r.ID, first.ID)
					}
				}

				// The same key with other input, also at once: all rejected.
				other := ccBookingInput(ids.category, "someone.else@example.com", "CARD", 1, false)
				if variant != "header" {
					other["idempotencyKey"] = key
				}
				ccFire(5, func(i int) {
					o := ccBook(e, other, headers...)
					if o.booking != nil || len(o.errors) != 1 || o.errors[0].Typename != "IdempotencyKeyReusedError" {
						t.Errorf("reused key with other input: %s", o)
					}
				})
				if ev := ccReadEvent(t, e, ids.event); ev.Bookings.TotalCount != 1 || ev.RegisteredCount != tickets {
					t.Errorf("after reusing the key: %d bookings, registeredCount %d; want 1 and %d",
						ev.Bookings.TotalCount, ev.RegisteredCount, tickets)
				}
			})
		}
	})
}

// ---------------------------------------------------------------------------
// 4. Cancellations promote the waitlist first in, first out while new
// bookings join it.

func TestConcurrentCancelWhileWaitlisting(t *testing.T) {
	graphtest.Each(t, func(t *testing.T, e *graphtest.Env) {
		const capacity = 10
		ids := ccNewEvent(t, e, "Full with a waitlist", ccIntp(capacity), nil, true)

		book := func(email, method string) *ccBooking {
			t.Helper()
			o := ccBook(e, ccBookingInput(ids.category, email, method, 1, true))
			if o.booking == nil || len(o.errors) > 0 || len(o.topLevel) > 0 || o.transport != nil {
				t.Fatalf("booking %s: %s", email, o)
			}
			return o.booking
		}
		var confirmed, waiting []*ccBooking
		for i := 0; i < capacity; i++ {
			b := book(fmt.Sprintf("seated%02d@example.com", i), "INVOICE")
			if b.Status != "CONFIRMED" {
				t.Fatalf("booking %d is %s, want CONFIRMED", i, b.Status)
			}
			confirmed = append(confirmed, b)
		}
		// Waiting bookings alternate CARD (promoted to PENDING with a hold)
		// and INVOICE (promoted to CONFIRMED, nothing due now).
		methods := map[string]string{}
		for i := 0; i < 10; i++ {
			m := []string{"CARD", "INVOICE"}[i%2]
			b := book(fmt.Sprintf("waiting%02d@example.com", i), m)
			if b.Status != "WAITLISTED" {
				t.Fatalf("waiting booking %d is %s, want WAITLISTED", i, b.Status)
			}
			methods[b.ID] = m
			waiting = append(waiting, b)
		}
		before := ccReadEvent(t, e, ids.event)
		if before.RegisteredCount != capacity || before.WaitlistCount != 10 {
			t.Fatalf("before the race: registeredCount %d, waitlistCount %d; want %d and 10", before.RegisteredCount, before.WaitlistCount, capacity)
		}

		// 5 cancellations and 10 new bookings, all at once.
		const cancels, arrivals = 5, 10
		var mu sync.Mutex
		var arrived []*ccBooking
		elapsed := ccFire(cancels+arrivals, func(i int) {
			if i < cancels {
				r, err := ccDo(e.Handler, ccCancelBooking, map[string]any{"in": map[string]any{"id": confirmed[i].ID, "reason": "race"}})
				var out struct {
					CancelBooking struct {
						Booking *ccBooking       `json:"booking"`
						Errors  []ccPayloadError `json:"errors"`
					} `json:"cancelBooking"`
				}
				if err == nil && len(r.Errors) == 0 {
					err = json.Unmarshal(r.Data, &out)
				}
				switch {
				case err != nil:
					t.Errorf("cancelling %s: %v", confirmed[i].ID, err)
				case len(r.Errors) > 0:
					t.Errorf("cancelling %s: top-level errors %+v", confirmed[i].ID, r.Errors)
				case len(out.CancelBooking.Errors) > 0 || out.CancelBooking.Booking == nil || out.CancelBooking.Booking.Status != "CANCELLED":
					t.Errorf("cancelling %s: %+v %+v", confirmed[i].ID, out.CancelBooking.Booking, out.CancelBooking.Errors)
				}
				return
			}
			o := ccBook(e, ccBookingInput(ids.category, fmt.Sprintf("late%02d@example.com", i), "INVOICE", 1, true))
			if o.booking == nil || len(o.errors) > 0 || len(o.topLevel) > 0 || o.transport != nil {
				t.Errorf("late booking %d: %s", i, o)
				return
			}
			// While anyone waits, freed seats go to the queue: a newcomer waits.
			if o.booking.Status != "WAITLISTED" {
				t.Errorf("late booking %s is %s, want WAITLISTED (5 were still waiting in front)", o.booking.ID, o.booking.Status)
			}
			mu.Lock()
			arrived = append(arrived, o.booking)
			mu.Unlock()
		})
		t.Logf("%s: %d cancellations and %d waitlist arrivals in %dms", e.Name, cancels, arrivals, elapsed.Milliseconds())

		ev := ccReadEvent(t, e, ids.event)
		held, waitlisted := 0, 0
		posOf := map[string]int{} // booking id -> waitlist position
		statusOf := map[string]string{}
		var positions []int
		for _, r := range ev.Registrations.Nodes {
			bid := ""
			if r.Ticket != nil {
				bid = r.Ticket.Booking.ID
			}
			statusOf[bid] = r.Status
			switch r.Status {
			case "PENDING", "ACCEPTED":
				held++
				if r.WaitlistPosition != nil {
					t.Errorf("registration %s is %s with waitlistPosition %d", r.ID, r.Status, *r.WaitlistPosition)
				}
			case "WAITLISTED":
				waitlisted++
				if r.WaitlistPosition == nil {
					t.Errorf("waitlisted registration %s has no position", r.ID)
					continue
				}
				positions = append(positions, *r.WaitlistPosition)
				posOf[bid] = *r.WaitlistPosition
			}
		}
		if ev.RegisteredCount > capacity {
			t.Errorf("registeredCount %d exceeds capacity %d", ev.RegisteredCount, capacity)
		}
		if ev.RegisteredCount != held {
			t.Errorf("registeredCount %d, but %d registrations are PENDING or ACCEPTED", ev.RegisteredCount, held)
		}
		if ev.WaitlistCount != waitlisted {
			t.Errorf("waitlistCount %d, but %d registrations are WAITLISTED", ev.WaitlistCount, waitlisted)
		}
		if held != capacity || waitlisted != 10-cancels+arrivals {
			t.Errorf("%d seats held and %d waiting, want %d and %d", held, waitlisted, capacity, 10-cancels+arrivals)
		}
		sort.Ints(positions)
		for i, p := range positions {
			if p != i+1 {
				t.Errorf("waitlist positions are %v, want 1..%d without gaps or duplicates", positions, len(positions))
				break
			}
		}
		for i := 0; i < cancels; i++ {
			if s := statusOf[confirmed[i].ID]; s != "CANCELLED" {
				t.Errorf("cancelled booking %s has a registration %s", confirmed[i].ID, s)
			}
		}
		// First in, first out: the 5 oldest waiting were promoted, the other 5
		// keep their order at the head of the queue, the newcomers follow.
		statuses := ccBookingStatuses(t, e, waiting)
		for i, b := range waiting {
			got := statuses[b.ID]
			if i < cancels {
				want, reg := "PENDING", "PENDING"
				if methods[b.ID] == "INVOICE" {
					want, reg = "CONFIRMED", "ACCEPTED"
				}
				if got != want || statusOf[b.ID] != reg {
					t.Errorf("waiting booking #%d (%s, %s) is %s with registration %s, want promoted: %s / %s",
						i+1, b.ID, methods[b.ID], got, statusOf[b.ID], want, reg)
				}
				continue
			}
			if got != "WAITLISTED" || posOf[b.ID] != i+1-cancels {
				t.Errorf("waiting booking #%d (%s) is %s at position %d, want WAITLISTED at %d", i+1, b.ID, got, posOf[b.ID], i+1-cancels)
			}
		}
		for _, b := range arrived {
			if p := posOf[b.ID]; p <= 10-cancels {
				t.Errorf("newcomer %s is at position %d, in front of the ones who waited before", b.ID, p)
			}
		}
	})
}

// ccBookingStatuses reads the statuses of bookings by id.
func ccBookingStatuses(t *testing.T, e *graphtest.Env, bs []*ccBooking) map[string]string {
	t.Helper()
	ids := make([]string, len(bs))
	for i, b := range bs {
		ids[i] = b.ID
	}
	var out struct {
		Nodes []*struct {
			ID     string `json:"id"`
			Status string `json:"status"`
		} `json:"nodes"`
	}
	e.Query(t, `query($ids: [ID!]!) { nodes(ids: $ids) { ... on Booking { id status } } }`, map[string]any{"ids": ids}, &out)
	got := map[string]string{}
	for _, n := range out.Nodes {
		if n != nil {
			got[n.ID] = n.Status
		}
	}
	return got
}

// ---------------------------------------------------------------------------
// Cancelling one booking many times at once frees its seats once.

func TestConcurrentCancelSameBooking(t *testing.T) {
	graphtest.Each(t, func(t *testing.T, e *graphtest.Env) {
		ids := ccNewEvent(t, e, "Double cancel", ccIntp(5), nil, true)
		var bs []*ccBooking
		for i := 0; i < 5; i++ {
			o := ccBook(e, ccBookingInput(ids.category, fmt.Sprintf("seat%d@example.com", i), "INVOICE", 1, false))
			if o.booking == nil {
				t.Fatalf("booking %d: %s", i, o)
			}
			bs = append(bs, o.booking)
		}
		// One waiting booking of 2 seats: a double release would promote it.
		w := ccBook(e, ccBookingInput(ids.category, "waits@example.com", "INVOICE", 2, true))
		if w.booking == nil || w.booking.Status != "WAITLISTED" {
			t.Fatalf("waiting booking: %s", w)
		}

		const requests = 10
		var mu sync.Mutex
		ok, invalid := 0, 0
		ccFire(requests, func(i int) {
			r, err := ccDo(e.Handler, ccCancelBooking, map[string]any{"in": map[string]any{"id": bs[0].ID}})
			var out struct {
				CancelBooking struct {
					Booking *ccBooking       `json:"booking"`
					Errors  []ccPayloadError `json:"errors"`
				} `json:"cancelBooking"`
			}
			if err == nil && len(r.Errors) == 0 {
				err = json.Unmarshal(r.Data, &out)
			}
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err != nil:
				t.Errorf("cancel: %v", err)
			case len(r.Errors) > 0:
				t.Errorf("cancel: top-level errors %+v", r.Errors)
			case len(out.CancelBooking.Errors) == 0 && out.CancelBooking.Booking != nil:
				ok++
			case len(out.CancelBooking.Errors) == 1 && out.CancelBooking.Errors[0].Typename == "InvalidStateError":
				invalid++
			default:
				t.Errorf("cancel: %+v", out.CancelBooking)
			}
		})
		if ok != 1 || invalid != requests-1 {
			t.Errorf("%d cancellations succeeded and %d were InvalidStateError, want 1 and %d", ok, invalid, requests-1)
		}
		ev := ccReadEvent(t, e, ids.event)
		if ev.RegisteredCount != 4 || ev.WaitlistCount != 2 {
			t.Errorf("registeredCount %d, waitlistCount %d; want 4 and 2 (one seat freed, the 2-seat booking still waits)",
				ev.RegisteredCount, ev.WaitlistCount)
		}
		if st := ccBookingStatuses(t, e, []*ccBooking{w.booking}); st[w.booking.ID] != "WAITLISTED" {
			t.Errorf("the waiting 2-seat booking is %s, want WAITLISTED", st[w.booking.ID])
		}
	})
}

// ---------------------------------------------------------------------------
// 5. Order numbers stay unique and sequential under concurrency.

var ccOrderNumber = regexp.MustCompile(`^BK-[0-9]{6}$`)

func TestConcurrentOrderNumbers(t *testing.T) {
	graphtest.Each(t, func(t *testing.T, e *graphtest.Env) {
		const requests = 50
		ids := ccNewEvent(t, e, "Order numbers", nil, nil, false)
		var tally ccTally
		elapsed := ccFire(requests, func(i int) {
			tally.add(ccBook(e, ccBookingInput(ids.category, fmt.Sprintf("order%02d@example.com", i), "INVOICE", 1, false)))
		})
		t.Logf("%s: %d bookings in %dms", e.Name, requests, elapsed.Milliseconds())
		tally.check(t, requests, 0)

		seen := map[string]string{}
		var nums []int
		for _, b := range tally.confirmed {
			if !ccOrderNumber.MatchString(b.OrderNumber) {
				t.Errorf("order number %q is not BK- and 6 digits", b.OrderNumber)
				continue
			}
			if other, dup := seen[b.OrderNumber]; dup {
				t.Errorf("bookings %s and %s share order number %s", other, b.ID, b.OrderNumber)
			}
			seen[b.OrderNumber] = b.ID
			n, _ := strconv.Atoi(strings.TrimPrefix(b.OrderNumber, "BK-"))
			nums = append(nums, n)
		}
		if len(seen) != requests {
			t.Errorf("%d distinct order numbers, want %d", len(seen), requests)
		}
		// Sequential: no number skipped between the first and the last.
		slices.Sort(nums)
		if len(nums) == requests && nums[len(nums)-1]-nums[0] != requests-1 {
			t.Errorf("order numbers run from %d to %d, not %d consecutive numbers", nums[0], nums[len(nums)-1], requests)
		}
	})
}

// ---------------------------------------------------------------------------
// Removing one registration many times at once frees its seat once.

func TestConcurrentRegistrationRemoval(t *testing.T) {
	graphtest.Each(t, func(t *testing.T, e *graphtest.Env) {
		ids := ccNewEvent(t, e, "Registrations", ccIntp(3), nil, true)
		create := func(email string) (id, status string) {
			t.Helper()
			var out struct {
				CreateRegistration struct {
					Registration *struct {
						ID     string `json:"id"`
						Status string `json:"status"`
					} `json:"registration"`
					Errors []ccPayloadError `json:"errors"`
				} `json:"createRegistration"`
			}
			e.Query(t, `mutation($in: CreateRegistrationInput!) { createRegistration(input: $in) {
				registration { id status } errors { __typename ... on Error { message } } } }`,
				map[string]any{"in": map[string]any{"eventId": ids.event, "status": "ACCEPTED",
					"participant": map[string]any{"firstName": "Reg", "lastName": "Istrant", "email": email}}}, &out)
			r := out.CreateRegistration.Registration
			if r == nil {
				t.Fatalf("createRegistration %s: %+v", email, out.CreateRegistration.Errors)
			}
			return r.ID, r.Status
		}
		var seated []string
		for i := 0; i < 3; i++ {
			id, st := create(fmt.Sprintf("reg%d@example.com", i))
			if st != "ACCEPTED" {
				t.Fatalf("registration %d is %s, want ACCEPTED", i, st)
			}
			seated = append(seated, id)
		}
		var waiting []string
		for i := 0; i < 2; i++ {
			id, st := create(fmt.Sprintf("wait%d@example.com", i))
			if st != "WAITLISTED" {
				t.Fatalf("registration %d is %s, want WAITLISTED", i, st)
			}
			waiting = append(waiting, id)
		}

		const requests = 10
		var mu sync.Mutex
		ok, invalid := 0, 0
		ccFire(requests, func(i int) {
			r, err := ccDo(e.Handler, `mutation($in: UpdateRegistrationStatusInput!) { updateRegistrationStatus(input: $in) {
				registration { id status } errors { __typename ... on Error { message } } } }`,
				map[string]any{"in": map[string]any{"id": seated[0], "status": "REMOVED"}})
			var out struct {
				UpdateRegistrationStatus struct {
					Registration *struct {
						Status string `json:"status"`
					} `json:"registration"`
					Errors []ccPayloadError `json:"errors"`
				} `json:"updateRegistrationStatus"`
			}
			if err == nil && len(r.Errors) == 0 {
				err = json.Unmarshal(r.Data, &out)
			}
			mu.Lock()
			defer mu.Unlock()
			u := out.UpdateRegistrationStatus
			switch {
			case err != nil:
				t.Errorf("remove: %v", err)
			case len(r.Errors) > 0:
				t.Errorf("remove: top-level errors %+v", r.Errors)
			case len(u.Errors) == 0 && u.Registration != nil && u.Registration.Status == "REMOVED":
				ok++
			case len(u.Errors) == 1 && u.Errors[0].Typename == "InvalidStateError":
				invalid++
			default:
				t.Errorf("remove: %+v", u)
			}
		})
		if ok != 1 || invalid != requests-1 {
			t.Errorf("%d removals succeeded and %d were InvalidStateError, want 1 and %d", ok, invalid, requests-1)
		}
		ev := ccReadEvent(t, e, ids.event)
		if ev.RegisteredCount != 3 || ev.WaitlistCount != 1 {
			t.Errorf("registeredCount %d, waitlistCount %d; want 3 and 1 (one seat freed, one waiting promoted)",
				ev.RegisteredCount, ev.WaitlistCount)
		}
		status := map[string]ccRegistration{}
		for _, r := range ev.Registrations.Nodes {
			status[r.ID] = r
		}
		if r := status[waiting[0]]; r.Status != "ACCEPTED" {
			t.Errorf("first waiting registration is %s, want ACCEPTED (promoted)", r.Status)
		}
		if r := status[waiting[1]]; r.Status != "WAITLISTED" || r.WaitlistPosition == nil || *r.WaitlistPosition != 1 {
			t.Errorf("second waiting registration is %s at %v, want WAITLISTED at 1", r.Status, r.WaitlistPosition)
		}
	})
}

// ---------------------------------------------------------------------------
// A payment and a cancellation of the same booking at once: whichever comes
// first, the booking ends cancelled, its seats free and its money refunded.

func TestConcurrentPaymentAndCancel(t *testing.T) {
	graphtest.Each(t, func(t *testing.T, e *graphtest.Env) {
		const pairs = 20
		ids := ccNewEvent(t, e, "Pay or cancel", ccIntp(100), nil, false)
		var bs []*ccBooking
		for i := 0; i < pairs; i++ {
			o := ccBook(e, ccBookingInput(ids.category, fmt.Sprintf("payer%02d@example.com", i), "CARD", 1, false))
			if o.booking == nil || o.booking.Status != "PENDING" {
				t.Fatalf("booking %d: %s", i, o)
			}
			bs = append(bs, o.booking)
		}
		paid := make([]bool, pairs)
		ccFire(2*pairs, func(i int) {
			b := bs[i/2]
			if i%2 == 0 {
				r, err := ccDo(e.Handler, `mutation($in: RecordPaymentInput!) { recordPayment(input: $in) {
					payment { id } errors { __typename ... on Error { message } } } }`,
					map[string]any{"in": map[string]any{"bookingId": b.ID, "amount": "20.00", "method": "CARD"}})
				var out struct {
					RecordPayment struct {
						Payment *struct {
							ID string `json:"id"`
						} `json:"payment"`
						Errors []ccPayloadError `json:"errors"`
					} `json:"recordPayment"`
				}
				if err == nil && len(r.Errors) == 0 {
					err = json.Unmarshal(r.Data, &out)
				}
				switch p := out.RecordPayment; {
				case err != nil || len(r.Errors) > 0:
					t.Errorf("paying %s: %v %+v", b.ID, err, r.Errors)
				case p.Payment != nil && len(p.Errors) == 0:
					paid[i/2] = true
				case len(p.Errors) == 1 && p.Errors[0].Typename == "InvalidStateError":
				default:
					t.Errorf("paying %s: %+v", b.ID, p)
				}
				return
			}
			r, err := ccDo(e.Handler, ccCancelBooking, map[string]any{"in": map[string]any{"id": b.ID}})
			if err != nil || len(r.Errors) > 0 || !strings.Contains(string(r.Data), `"CANCELLED"`) {
				t.Errorf("cancelling %s: %v %+v %s", b.ID, err, r.Errors, r.Data)
			}
		})

		ids2 := make([]string, pairs)
		for i, b := range bs {
			ids2[i] = b.ID
		}
		var out struct {
			Nodes []*struct {
				ID             string                  `json:"id"`
				Status         string                  `json:"status"`
				PaidAmount     struct{ Amount string } `json:"paidAmount"`
				RefundedAmount struct{ Amount string } `json:"refundedAmount"`
				Tickets        struct {
					Nodes []struct{ Status string } `json:"nodes"`
				} `json:"tickets"`
			} `json:"nodes"`
		}
		e.Query(t, `query($ids: [ID!]!) { nodes(ids: $ids) { ... on Booking {
			id status paidAmount { amount } refundedAmount { amount } tickets { nodes { status } } } } }`,
			map[string]any{"ids": ids2}, &out)
		payments := 0
		for i, b := range out.Nodes {
			if b == nil {
				t.Errorf("booking %s not found", ids2[i])
				continue
			}
			if paid[i] {
				payments++
			}
			if b.Status != "CANCELLED" {
				t.Errorf("booking %s is %s after its cancellation succeeded", b.ID, b.Status)
			}
			for _, tk := range b.Tickets.Nodes {
				if tk.Status != "CANCELLED" {
					t.Errorf("booking %s (%s) has a %s ticket", b.ID, b.Status, tk.Status)
				}
			}
			wantPaid := "0.00"
			if paid[i] {
				wantPaid = "20.00"
			}
			if b.PaidAmount.Amount != wantPaid || b.RefundedAmount.Amount != wantPaid {
				t.Errorf("booking %s: paid %s, refunded %s; want both %s (no policy: a cancellation refunds everything)",
					b.ID, b.PaidAmount.Amount, b.RefundedAmount.Amount, wantPaid)
			}
		}
		t.Logf("%s: %d of %d payments landed before their cancellation", e.Name, payments, pairs)
		if ev := ccReadEvent(t, e, ids.event); ev.RegisteredCount != 0 {
			t.Errorf("registeredCount %d after every booking was cancelled, want 0", ev.RegisteredCount)
		}
	})
}

// ---------------------------------------------------------------------------
// One pending payment settled many times at once counts once; one payment
// refunded many times at once is refunded once (docs/domain-rules.md, rule 4).

func TestConcurrentPaymentSettlement(t *testing.T) {
	graphtest.Each(t, func(t *testing.T, e *graphtest.Env) {
		ids := ccNewEvent(t, e, "Settle once", ccIntp(10), nil, false)
		o := ccBook(e, ccBookingInput(ids.category, "settle@example.com", "CARD", 1, false))
		if o.booking == nil || o.booking.Status != "PENDING" {
			t.Fatalf("booking: %s", o)
		}
		var rec struct {
			RecordPayment struct {
				Payment *struct {
					ID string `json:"id"`
				} `json:"payment"`
				Errors []ccPayloadError `json:"errors"`
			} `json:"recordPayment"`
		}
		e.Query(t, `mutation($in: RecordPaymentInput!) { recordPayment(input: $in) {
			payment { id } errors { __typename ... on Error { message } } } }`,
			map[string]any{"in": map[string]any{"bookingId": o.booking.ID, "amount": "20.00", "method": "CARD", "status": "PENDING"}}, &rec)
		if rec.RecordPayment.Payment == nil {
			t.Fatalf("recordPayment: %+v", rec.RecordPayment.Errors)
		}
		paymentID := rec.RecordPayment.Payment.ID

		// race sends the mutation n times at once and counts successes and
		// payload errors of the one allowed type.
		race := func(mutation string, in map[string]any, allowed string) (ok, refused int) {
			var mu sync.Mutex
			ccFire(10, func(int) {
				r, err := ccDo(e.Handler, `mutation($in: `+strings.ToUpper(mutation[:1])+mutation[1:]+`Input!) { `+mutation+`(input: $in) {
					payment { id } errors { __typename ... on Error { message } } } }`, map[string]any{"in": in})
				var out map[string]struct {
					Payment *struct {
						ID string `json:"id"`
					} `json:"payment"`
					Errors []ccPayloadError `json:"errors"`
				}
				if err == nil && len(r.Errors) == 0 {
					err = json.Unmarshal(r.Data, &out)
				}
				mu.Lock()
				defer mu.Unlock()
				p := out[mutation]
				switch {
				case err != nil || len(r.Errors) > 0:
					t.Errorf("%s: %v %+v", mutation, err, r.Errors)
				case p.Payment != nil && len(p.Errors) == 0:
					ok++
				case len(p.Errors) == 1 && p.Errors[0].Typename == allowed:
					refused++
				default:
					t.Errorf("%s: %+v", mutation, p)
				}
			})
			return ok, refused
		}
		amounts := func() (status, paid, refunded string) {
			var out struct {
				Node struct {
					Status         string                  `json:"status"`
					PaidAmount     struct{ Amount string } `json:"paidAmount"`
					RefundedAmount struct{ Amount string } `json:"refundedAmount"`
				} `json:"node"`
			}
			e.Query(t, `query($id: ID!) { node(id: $id) { ... on Booking { status paidAmount { amount } refundedAmount { amount } } } }`,
				map[string]any{"id": o.booking.ID}, &out)
			return out.Node.Status, out.Node.PaidAmount.Amount, out.Node.RefundedAmount.Amount
		}

		// Settling the same PENDING payment again is a no-op answered with
		// the payment, so every request succeeds; it must count once.
		race("updatePaymentStatus", map[string]any{"id": paymentID, "status": "SUCCEEDED"}, "InvalidStateError")
		if status, paid, _ := amounts(); status != "CONFIRMED" || paid != "20.00" {
			t.Errorf("after settling one payment of 20.00 ten times at once: %s, paid %s; want CONFIRMED, 20.00", status, paid)
		}
		ok, refused := race("refundPayment", map[string]any{"id": paymentID, "amount": "20.00"}, "ValidationError")
		if ok != 1 || refused != 9 {
			t.Errorf("%d refunds of the whole payment succeeded and %d were refused, want 1 and 9", ok, refused)
		}
		if _, paid, refunded := amounts(); paid != "20.00" || refunded != "20.00" {
			t.Errorf("after refunding 20.00 ten times at once: paid %s, refunded %s; want 20.00 and 20.00", paid, refunded)
		}
	})
}
