package graph_test

// Check-in (docs/domain-rules.md, rule 7), idempotent booking (rule 6), order and invoice
// numbers, bookers (rule 10) and bookingByOrderNumber, through the real HTTP
// handler. The cx helpers are shared with statistics_test.go.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"seatgraph/graph/graphtest"
	"seatgraph/internal/auth"
	"seatgraph/internal/gid"
)

// ---------------------------------------------------------------------------
// Helpers.

// cxErr is one entry of a payload's errors union.
type cxErr struct {
	Typename    string  `json:"__typename"`
	Message     string  `json:"message"`
	Field       *string `json:"field"`
	ID          *string `json:"id"`
	Reason      string  `json:"reason"`
	CheckedInAt string  `json:"checkedInAt"`
}

func (c cxErr) String() string {
	s := c.Typename + ": " + c.Message
	if c.Field != nil {
		s += " (field " + *c.Field + ")"
	}
	if c.Reason != "" {
		s += " (reason " + c.Reason + ")"
	}
	return s
}

// cxUnions lists the members of the error unions the cx tests use, so the
// selection only spreads fragments a union can hold.
var cxUnions = map[string][]string{
	"createBooking":       {"SoldOutError", "RegistrationClosedError", "ValidationError", "NotFoundError", "IdempotencyKeyReusedError"},
	"cancelBooking":       {"InvalidStateError", "NotFoundError"},
	"setBooker":           {"ValidationError", "NotFoundError"},
	"setInvoiceNumber":    {"ValidationError", "NotFoundError"},
	"recordPayment":       {"ValidationError", "InvalidStateError", "NotFoundError"},
	"updatePaymentStatus": {"ValidationError", "InvalidStateError", "NotFoundError"},
	"refundPayment":       {"ValidationError", "InvalidStateError", "NotFoundError"},
	"checkInTicket":       {"TicketNotFoundError", "AlreadyCheckedInError", "TicketNotValidError"},
	"undoCheckIn":         {"NotFoundError", "InvalidStateError"},
	"createEvent":         {"ValidationError"},
	"updateEvent":         {"ValidationError", "NotFoundError"},
	"updateParticipant":   {"ValidationError", "NotFoundError"},
}

func cxErrorSelection(mutation string) string {
	members, ok := cxUnions[mutation]
	if !ok {
		panic("no error union for " + mutation)
	}
	sel := "__typename ... on Error { message }"
	for _, m := range members {
		switch m {
		case "ValidationError":
			sel += " ... on ValidationError { field }"
		case "NotFoundError":
			sel += " ... on NotFoundError { id }"
		case "TicketNotValidError":
			sel += " ... on TicketNotValidError { reason }"
		case "AlreadyCheckedInError":
			sel += " ... on AlreadyCheckedInError { checkedInAt }"
		}
	}
	return sel
}

func cxQuery(mutation, sel string) string {
	return fmt.Sprintf("mutation($input: %sInput!) { %s(input: $input) { %s errors { %s } } }",
		strings.ToUpper(mutation[:1])+mutation[1:], mutation, sel, cxErrorSelection(mutation))
}

// cxPayload is a decoded mutation payload.
type cxPayload struct {
	fields map[string]json.RawMessage
	errs   []cxErr
}

func cxDecode(t testing.TB, mutation string, r *graphtest.Response) cxPayload {
	t.Helper()
	if len(r.Errors) > 0 {
		t.Fatalf("%s: top-level errors %+v", mutation, r.Errors)
	}
	var data map[string]map[string]json.RawMessage
	if err := json.Unmarshal(r.Data, &data); err != nil {
		t.Fatalf("%s: decoding %s: %v", mutation, r.Data, err)
	}
	p := cxPayload{fields: data[mutation]}
	if p.fields == nil {
		t.Fatalf("%s: no payload in %s", mutation, r.Data)
	}
	if raw := p.fields["errors"]; len(raw) > 0 && string(raw) != "null" {
		if err := json.Unmarshal(raw, &p.errs); err != nil {
			t.Fatalf("%s: decoding errors %s: %v", mutation, raw, err)
		}
	}
	return p
}

// cxDo runs mutation(input) selecting sel (e.g. "booking { id }") and the errors.
func cxDo(t testing.TB, e *graphtest.Env, mutation, sel string, input map[string]any, headers ...string) cxPayload {
	t.Helper()
	return cxDecode(t, mutation, e.Do(t, cxQuery(mutation, sel), map[string]any{"input": input}, headers...))
}

// get decodes the payload field into out; it fails when the payload has
// errors or the field is null.
func (p cxPayload) get(t testing.TB, field string, out any) {
	t.Helper()
	if len(p.errs) > 0 {
		t.Fatalf("unexpected payload errors: %v", p.errs)
	}
	raw := p.fields[field]
	if len(raw) == 0 || string(raw) == "null" {
		t.Fatalf("payload %s is null", field)
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			t.Fatalf("decoding %s: %v", raw, err)
		}
	}
}

// fails requires exactly one error of typename and a null payload field.
func (p cxPayload) fails(t testing.TB, field, typename string) cxErr {
	t.Helper()
	if len(p.errs) != 1 {
		t.Fatalf("want one %s, got %v", typename, p.errs)
	}
	got := p.errs[0]
	if got.Typename != typename {
		t.Fatalf("want %s, got %v", typename, got)
	}
	if got.Message == "" {
		t.Errorf("%s without a message", typename)
	}
	if raw := p.fields[field]; len(raw) > 0 && string(raw) != "null" {
		t.Errorf("failed mutation still returned %s: %s", field, raw)
	}
	return got
}

type cxEventOut struct {
	ID               string `json:"id"`
	CreatedAt        string `json:"createdAt"`
	UpdatedAt        string `json:"updatedAt"`
	TimeZone         string `json:"timeZone"`
	TicketCategories []struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	} `json:"ticketCategories"`
	cats map[string]string
}

// cxEvent creates a published event with the categories Standard (50.00,
// 19 %) and Free (0.00), unless extra sets ticketCategories.
func cxEvent(t testing.TB, e *graphtest.Env, title string, extra map[string]any) cxEventOut {
	t.Helper()
	in := map[string]any{
		"title":    title,
		"startsAt": "2027-09-10T18:00:00Z",
		"endsAt":   "2027-09-10T22:00:00Z",
		"publish":  true,
		"ticketCategories": []any{
			map[string]any{"name": "Standard", "price": "50.00", "taxRatePercent": "19"},
			map[string]any{"name": "Free", "price": "0.00"},
		},
	}
	for k, v := range extra {
		in[k] = v
	}
	var ev cxEventOut
	cxDo(t, e, "createEvent", "event { id createdAt updatedAt timeZone ticketCategories { id name } }", in).get(t, "event", &ev)
	ev.cats = map[string]string{}
	for _, c := range ev.TicketCategories {
		ev.cats[c.Name] = c.ID
	}
	return ev
}

// cat returns the id of the event's category name.
func (ev cxEventOut) cat(t testing.TB, name string) string {
	t.Helper()
	id, ok := ev.cats[name]
	if !ok {
		t.Fatalf("event %s has no category %q", ev.ID, name)
	}
	return id
}

type cxTicket struct {
	ID          string  `json:"id"`
	Code        string  `json:"code"`
	Status      string  `json:"status"`
	CheckedInAt *string `json:"checkedInAt"`
	CreatedAt   string  `json:"createdAt"`
	UpdatedAt   string  `json:"updatedAt"`
	Event       struct {
		ID string `json:"id"`
	} `json:"event"`
}

type cxBooking struct {
	ID            string  `json:"id"`
	CreatedAt     string  `json:"createdAt"`
	UpdatedAt     string  `json:"updatedAt"`
	OrderNumber   string  `json:"orderNumber"`
	Status        string  `json:"status"`
	InvoiceNumber *string `json:"invoiceNumber"`
	ConfirmedAt   *string `json:"confirmedAt"`
	HoldExpiresAt *string `json:"holdExpiresAt"`
	Booker        struct {
		ID        string `json:"id"`
		Email     string `json:"email"`
		FirstName string `json:"firstName"`
	} `json:"booker"`
	Total struct {
		Amount string `json:"amount"`
	} `json:"total"`
	Tickets struct {
		Nodes []cxTicket `json:"nodes"`
	} `json:"tickets"`
}

const cxTicketFields = `id code status checkedInAt createdAt updatedAt event { id }`

const cxBookingFields = `id createdAt updatedAt orderNumber status invoiceNumber confirmedAt holdExpiresAt
	booker { id email firstName } total { amount }
	tickets(first: 100, order: [{ id: ASC }]) { nodes { ` + cxTicketFields + ` } }`

// cxPerson is a ParticipantInput.
func cxPerson(email string) map[string]any {
	first, _, _ := strings.Cut(email, "@")
	return map[string]any{"firstName": first, "lastName": "Tester", "email": email}
}

// cxBookingInput books one ticket per category id, for booker email.
func cxBookingInput(email, method string, catIDs ...string) map[string]any {
	tickets := make([]any, len(catIDs))
	for i, c := range catIDs {
		tickets[i] = map[string]any{"ticketCategoryId": c}
	}
	return map[string]any{"booker": cxPerson(email), "paymentMethod": method, "tickets": tickets}
}

// cxBook creates a booking that must succeed.
func cxBook(t testing.TB, e *graphtest.Env, in map[string]any, headers ...string) cxBooking {
	t.Helper()
	var b cxBooking
	cxDo(t, e, "createBooking", "booking { "+cxBookingFields+" }", in, headers...).get(t, "booking", &b)
	return b
}

// cxRepeat returns n copies of s.
func cxRepeat(s string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = s
	}
	return out
}

type cxCounts struct {
	RegisteredCount int  `json:"registeredCount"`
	WaitlistCount   int  `json:"waitlistCount"`
	CheckedInCount  int  `json:"checkedInCount"`
	AvailableSeats  *int `json:"availableSeats"`
}

// cxEventCounts reads an event's derived counts.
func cxEventCounts(t testing.TB, e *graphtest.Env, id string) cxCounts {
	t.Helper()
	var out struct {
		Node *cxCounts `json:"node"`
	}
	e.Query(t, `query($id: ID!) { node(id: $id) { ... on Event { registeredCount waitlistCount checkedInCount availableSeats } } }`,
		map[string]any{"id": id}, &out)
	if out.Node == nil {
		t.Fatalf("event %s not found", id)
	}
	return *out.Node
}

// cxTotal returns the totalCount of a root list ("bookings", "participants", ...).
func cxTotal(t testing.TB, e *graphtest.Env, list string) int {
	t.Helper()
	var out map[string]struct {
		TotalCount int `json:"totalCount"`
	}
	e.Query(t, fmt.Sprintf("{ %s { totalCount } }", list), nil, &out)
	return out[list].TotalCount
}

// cxNode reads one object by id with the selection sel (inside "... on Type").
func cxNode(t testing.TB, e *graphtest.Env, id, typ, sel string, out any) {
	t.Helper()
	var wrap struct {
		Node json.RawMessage `json:"node"`
	}
	e.Query(t, fmt.Sprintf(`query($id: ID!) { node(id: $id) { ... on %s { %s } } }`, typ, sel), map[string]any{"id": id}, &wrap)
	if len(wrap.Node) == 0 || string(wrap.Node) == "null" {
		t.Fatalf("%s %s not found", typ, id)
	}
	if err := json.Unmarshal(wrap.Node, out); err != nil {
		t.Fatalf("decoding %s: %v", wrap.Node, err)
	}
}

// cxUnknownID returns an ID of type typ that no row has: like ref, but far
// beyond every key.
func cxUnknownID(t testing.TB, ref string) string {
	t.Helper()
	id, err := gid.Decode(ref)
	if err != nil {
		t.Fatal(err)
	}
	return gid.Encode(id + 1_000_000)
}

func cxTime(t testing.TB, s string) time.Time {
	t.Helper()
	ts, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatalf("%q is not a DateTime: %v", s, err)
	}
	if !strings.HasSuffix(s, "Z") {
		t.Errorf("%q is not UTC with Z", s)
	}
	return ts
}

// ---------------------------------------------------------------------------
// Rule 7: check-in.

const cxCheckInSel = "ticket { " + cxTicketFields + " }"

func TestCheckInTicket(t *testing.T) {
	graphtest.Each(t, func(t *testing.T, e *graphtest.Env) {
		ev := cxEvent(t, e, "Check-in night", map[string]any{"capacity": 20})
		other := cxEvent(t, e, "Tiny show", map[string]any{"capacity": 1, "waitlistEnabled": true})

		confirmed := cxBook(t, e, cxBookingInput("conf@example.com", "INVOICE", cxRepeat(ev.cat(t, "Standard"), 4)...))
		pending := cxBook(t, e, cxBookingInput("pend@example.com", "CARD", ev.cat(t, "Standard")))
		cancelled := cxBook(t, e, cxBookingInput("canc@example.com", "FREE", ev.cat(t, "Free")))
		cxDo(t, e, "cancelBooking", "booking { id }", map[string]any{"id": cancelled.ID}).get(t, "booking", nil)
		cxBook(t, e, cxBookingInput("seat@example.com", "FREE", other.cat(t, "Free")))
		wl := cxBookingInput("wait@example.com", "FREE", other.cat(t, "Free"))
		wl["joinWaitlist"] = true
		waitlisted := cxBook(t, e, wl)
		if confirmed.Status != "CONFIRMED" || pending.Status != "PENDING" || waitlisted.Status != "WAITLISTED" {
			t.Fatalf("setup: statuses %s %s %s", confirmed.Status, pending.Status, waitlisted.Status)
		}
		if pending.Tickets.Nodes[0].Status != "ACTIVE" || waitlisted.Tickets.Nodes[0].Status != "WAITLISTED" {
			t.Fatalf("setup: ticket statuses %s %s", pending.Tickets.Nodes[0].Status, waitlisted.Tickets.Nodes[0].Status)
		}
		ct := confirmed.Tickets.Nodes
		var firstAt string // checkedInAt of the first successful scan of ct[0]

		cases := []struct {
			name     string
			code     string
			eventID  string // "" leaves the guard out
			wantType string // "" means success
			reason   string
			count    int // checkedInCount of ev afterwards
		}{
			{name: "confirmed active ticket", code: ct[0].Code, eventID: ev.ID, count: 1},
			{name: "second scan", code: ct[0].Code, eventID: ev.ID, wantType: "AlreadyCheckedInError", count: 1},
			{name: "second scan without event guard", code: ct[0].Code, wantType: "AlreadyCheckedInError", count: 1},
			{name: "lower-case code", code: strings.ToLower(ct[1].Code), eventID: ev.ID, count: 2},
			{name: "code with surrounding spaces", code: "  " + ct[2].Code + " ", count: 3},
			{name: "pending booking", code: pending.Tickets.Nodes[0].Code, eventID: ev.ID, wantType: "TicketNotValidError", reason: "BOOKING_NOT_CONFIRMED", count: 3},
			{name: "cancelled ticket", code: cancelled.Tickets.Nodes[0].Code, eventID: ev.ID, wantType: "TicketNotValidError", reason: "CANCELLED", count: 3},
			{name: "waitlisted ticket", code: waitlisted.Tickets.Nodes[0].Code, wantType: "TicketNotValidError", reason: "WAITLISTED", count: 3},
			{name: "another event", code: ct[3].Code, eventID: other.ID, wantType: "TicketNotValidError", reason: "OTHER_EVENT", count: 3},
			{name: "unknown code", code: "0123456789ABCDEF", eventID: ev.ID, wantType: "TicketNotFoundError", count: 3},
			{name: "empty code", code: "", wantType: "TicketNotFoundError", count: 3},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				in := map[string]any{"code": c.code}
				if c.eventID != "" {
					in["eventId"] = c.eventID
				}
				before := e.Clock.Now().UTC().Truncate(time.Microsecond)
				p := cxDo(t, e, "checkInTicket", cxCheckInSel, in)
				if c.wantType == "" {
					var tk cxTicket
					p.get(t, "ticket", &tk)
					if tk.CheckedInAt == nil {
						t.Fatalf("checkedInAt is null after check-in")
					}
					if at := cxTime(t, *tk.CheckedInAt); at.Before(before) || at.After(e.Clock.Now().Add(time.Second)) {
						t.Errorf("checkedInAt %s is not the time of the scan (%s)", at, before)
					}
					if tk.Code != strings.ToUpper(strings.TrimSpace(c.code)) || tk.Status != "ACTIVE" || tk.Event.ID != ev.ID {
						t.Errorf("checked in the wrong ticket: %+v", tk)
					}
					if firstAt == "" {
						firstAt = *tk.CheckedInAt
					}
				} else {
					got := p.fails(t, "ticket", c.wantType)
					if got.Reason != c.reason {
						t.Errorf("reason %q, want %q", got.Reason, c.reason)
					}
					if c.wantType == "AlreadyCheckedInError" && got.CheckedInAt != firstAt {
						t.Errorf("AlreadyCheckedInError.checkedInAt %q, want the first scan's %q", got.CheckedInAt, firstAt)
					}
				}
				if got := cxEventCounts(t, e, ev.ID).CheckedInCount; got != c.count {
					t.Errorf("checkedInCount %d, want %d", got, c.count)
				}
			})
		}
		// A refused scan changed nothing.
		var tk cxTicket
		cxNode(t, e, ct[3].ID, "Ticket", cxTicketFields, &tk)
		if tk.CheckedInAt != nil {
			t.Errorf("the OTHER_EVENT ticket was checked in: %+v", tk)
		}
		if got := cxEventCounts(t, e, other.ID).CheckedInCount; got != 0 {
			t.Errorf("the other event's checkedInCount is %d", got)
		}

		undo := []struct {
			name     string
			id       string
			wantType string
			count    int
		}{
			{name: "undo a check-in", id: ct[0].ID, count: 2},
			{name: "undo again", id: ct[0].ID, wantType: "InvalidStateError", count: 2},
			{name: "undo a ticket never checked in", id: ct[3].ID, wantType: "InvalidStateError", count: 2},
			{name: "undo an unknown ticket", id: cxUnknownID(t, ct[0].ID), wantType: "NotFoundError", count: 2},
			{name: "undo the lower-case scan", id: ct[1].ID, count: 1},
		}
		for _, c := range undo {
			t.Run(c.name, func(t *testing.T) {
				p := cxDo(t, e, "undoCheckIn", cxCheckInSel, map[string]any{"id": c.id})
				if c.wantType == "" {
					var tk cxTicket
					p.get(t, "ticket", &tk)
					if tk.CheckedInAt != nil || tk.ID != c.id {
						t.Errorf("after undo: %+v", tk)
					}
				} else {
					p.fails(t, "ticket", c.wantType)
				}
				if got := cxEventCounts(t, e, ev.ID).CheckedInCount; got != c.count {
					t.Errorf("checkedInCount %d, want %d", got, c.count)
				}
			})
		}

		t.Run("check in again after undo", func(t *testing.T) {
			e.Clock.Advance(time.Minute)
			var tk cxTicket
			cxDo(t, e, "checkInTicket", cxCheckInSel, map[string]any{"code": ct[0].Code}).get(t, "ticket", &tk)
			if tk.CheckedInAt == nil || *tk.CheckedInAt == firstAt {
				t.Errorf("re-check-in: checkedInAt %v, first was %s", tk.CheckedInAt, firstAt)
			}
			if got := cxEventCounts(t, e, ev.ID).CheckedInCount; got != 2 {
				t.Errorf("checkedInCount %d, want 2", got)
			}
		})
	})
}

// cxPost sends one GraphQL request from any goroutine (no testing.T).
func cxPost(e *graphtest.Env, query string, vars map[string]any) (*graphtest.Response, error) {
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if e.AdminKey != "" {
		req.Header.Set("Authorization", "Bearer "+e.AdminKey)
	}
	rec := httptest.NewRecorder()
	e.Handler.ServeHTTP(rec, req)
	resp := &graphtest.Response{Status: rec.Code}
	if err := json.Unmarshal(rec.Body.Bytes(), resp); err != nil {
		return nil, fmt.Errorf("not JSON (%d): %s", rec.Code, rec.Body.String())
	}
	return resp, nil
}

func TestCheckInConcurrentScans(t *testing.T) {
	graphtest.Each(t, func(t *testing.T, e *graphtest.Env) {
		ev := cxEvent(t, e, "Rush hour", nil)
		b := cxBook(t, e, cxBookingInput("rush@example.com", "INVOICE", ev.cat(t, "Standard")))
		code := b.Tickets.Nodes[0].Code
		const scans = 20
		var (
			wg        sync.WaitGroup
			start     = make(chan struct{})
			responses = make([]*graphtest.Response, scans)
			failures  = make([]error, scans)
		)
		for i := range scans {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				responses[i], failures[i] = cxPost(e, cxQuery("checkInTicket", cxCheckInSel),
					map[string]any{"input": map[string]any{"code": code, "eventId": ev.ID}})
			}()
		}
		close(start)
		wg.Wait()
		var ok []string
		already := map[string]int{}
		for i := range scans {
			if failures[i] != nil {
				t.Fatalf("scan %d: %v", i, failures[i])
			}
			p := cxDecode(t, "checkInTicket", responses[i])
			if len(p.errs) == 0 {
				var tk cxTicket
				p.get(t, "ticket", &tk)
				ok = append(ok, *tk.CheckedInAt)
				continue
			}
			got := p.fails(t, "ticket", "AlreadyCheckedInError")
			already[got.CheckedInAt]++
		}
		if len(ok) != 1 {
			t.Fatalf("%d scans succeeded, want exactly 1 (already checked in: %v)", len(ok), already)
		}
		if already[ok[0]] != scans-1 || len(already) != 1 {
			t.Errorf("AlreadyCheckedInError times %v, want %d x %s", already, scans-1, ok[0])
		}
		if got := cxEventCounts(t, e, ev.ID).CheckedInCount; got != 1 {
			t.Errorf("checkedInCount %d after %d concurrent scans, want 1", got, scans)
		}
		var stats struct {
			EventStatistics struct {
				Series []struct {
					CheckIns int `json:"checkIns"`
				} `json:"series"`
			} `json:"eventStatistics"`
		}
		e.Query(t, `query($id: ID!) { eventStatistics(eventId: $id) { series { checkIns } } }`, map[string]any{"id": ev.ID}, &stats)
		sum := 0
		for _, s := range stats.EventStatistics.Series {
			sum += s.CheckIns
		}
		if sum != 1 {
			t.Errorf("history records %d check-ins, want 1", sum)
		}
	})
}

// TestCheckInUndoConcurrent: concurrent undos of one check-in reverse it once.
func TestCheckInUndoConcurrent(t *testing.T) {
	graphtest.Each(t, func(t *testing.T, e *graphtest.Env) {
		ev := cxEvent(t, e, "Undo rush", nil)
		b := cxBook(t, e, cxBookingInput("undo@example.com", "INVOICE", ev.cat(t, "Standard")))
		tk := b.Tickets.Nodes[0]
		cxDo(t, e, "checkInTicket", cxCheckInSel, map[string]any{"code": tk.Code}).get(t, "ticket", nil)
		const n = 10
		var wg sync.WaitGroup
		results := make([]*graphtest.Response, n)
		failures := make([]error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				results[i], failures[i] = cxPost(e, cxQuery("undoCheckIn", cxCheckInSel), map[string]any{"input": map[string]any{"id": tk.ID}})
			}()
		}
		wg.Wait()
		succeeded := 0
		for i := range n {
			if failures[i] != nil {
				t.Fatalf("undo %d: %v", i, failures[i])
			}
			p := cxDecode(t, "undoCheckIn", results[i])
			if len(p.errs) == 0 {
				succeeded++
				continue
			}
			p.fails(t, "ticket", "InvalidStateError")
		}
		if succeeded != 1 {
			t.Errorf("%d undos succeeded, want 1", succeeded)
		}
		if got := cxEventCounts(t, e, ev.ID).CheckedInCount; got != 0 {
			t.Errorf("checkedInCount %d after concurrent undos, want 0", got)
		}
	})
}

var cxCodeRE = regexp.MustCompile(`^[0-9A-HJKMNP-TV-Z]{16,}$`)

func TestCheckInCodes(t *testing.T) {
	graphtest.Each(t, func(t *testing.T, e *graphtest.Env) {
		ev := cxEvent(t, e, "Codes", nil)
		seen := map[string]bool{}
		for i := range 5 {
			b := cxBook(t, e, cxBookingInput(fmt.Sprintf("codes%d@example.com", i), "FREE", cxRepeat(ev.cat(t, "Free"), 100)...))
			if len(b.Tickets.Nodes) != 100 {
				t.Fatalf("booking %d has %d tickets", i, len(b.Tickets.Nodes))
			}
			for _, tk := range b.Tickets.Nodes {
				if !cxCodeRE.MatchString(tk.Code) {
					t.Errorf("code %q is not 16+ characters of Crockford base32 (no I, L, O, U, no hyphens)", tk.Code)
				}
				if seen[tk.Code] {
					t.Errorf("code %q appears twice", tk.Code)
				}
				seen[tk.Code] = true
			}
		}
		if len(seen) != 500 {
			t.Errorf("%d distinct codes for 500 tickets", len(seen))
		}
	})
}

// ---------------------------------------------------------------------------
// Rule 6: idempotency.

func TestIdempotentCreateBooking(t *testing.T) {
	graphtest.Each(t, func(t *testing.T, e *graphtest.Env) {
		ev := cxEvent(t, e, "Idempotent", map[string]any{"capacity": 50})
		std := ev.cat(t, "Standard")
		withKey := func(in map[string]any, key string) map[string]any {
			out := map[string]any{}
			for k, v := range in {
				out[k] = v
			}
			out["idempotencyKey"] = key
			return out
		}
		a := cxBookingInput("anna@example.com", "INVOICE", std)
		other := cxBookingInput("anna@example.com", "INVOICE", std, std)
		ids := map[string]string{} // name -> booking id

		cases := []struct {
			name     string
			advance  time.Duration // clock moved before the request
			input    map[string]any
			header   string // Idempotency-Key header
			wantType string
			same     string // the booking must be this earlier one ("" : new)
			booked   int    // registeredCount afterwards
		}{
			{name: "first", input: withKey(a, "k1"), booked: 1},
			{name: "repeat", input: withKey(a, "k1"), same: "first", booked: 1},
			{name: "repeat again", input: withKey(a, "k1"), same: "first", booked: 1},
			{name: "other input", input: withKey(other, "k1"), wantType: "IdempotencyKeyReusedError", booked: 1},
			{name: "other booker", input: withKey(cxBookingInput("bert@example.com", "INVOICE", std), "k1"), wantType: "IdempotencyKeyReusedError", booked: 1},
			{name: "no key books anew", input: a, booked: 2},
			{name: "header", input: a, header: "k2", booked: 3},
			{name: "header repeat", input: a, header: "k2", same: "header", booked: 3},
			{name: "header as field", input: withKey(a, "k2"), same: "header", booked: 3},
			{name: "field key via header", input: a, header: "k1", same: "first", booked: 3},
			{name: "header other input", input: other, header: "k2", wantType: "IdempotencyKeyReusedError", booked: 3},
			{name: "within 24h", advance: 23 * time.Hour, input: withKey(a, "k1"), same: "first", booked: 3},
			{name: "after 24h", advance: 2 * time.Hour, input: withKey(a, "k1"), booked: 4},
			{name: "after 24h repeat", input: withKey(a, "k1"), same: "after 24h", booked: 4},
			// The key was claimed again 1 hour ago (engine clock): still in force.
			{name: "renewed key an hour later", advance: time.Hour, input: withKey(a, "k1"), same: "after 24h", booked: 4},
			{name: "renewed key other input", input: withKey(other, "k1"), wantType: "IdempotencyKeyReusedError", booked: 4},
			{name: "header key after 24h", input: a, header: "k2", booked: 5},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				e.Clock.Advance(c.advance)
				var headers []string
				if c.header != "" {
					headers = []string{"Idempotency-Key", c.header}
				}
				before := cxTotal(t, e, "bookings")
				p := cxDo(t, e, "createBooking", "booking { "+cxBookingFields+" }", c.input, headers...)
				after := cxTotal(t, e, "bookings")
				switch {
				case c.wantType != "":
					p.fails(t, "booking", c.wantType)
					if after != before {
						t.Errorf("a refused request booked: %d bookings, were %d", after, before)
					}
				case c.same != "":
					var b cxBooking
					p.get(t, "booking", &b)
					if b.ID != ids[c.same] {
						t.Errorf("got booking %s (%s), want the first result %s", b.ID, b.OrderNumber, ids[c.same])
					}
					if after != before {
						t.Errorf("a repeated request booked: %d bookings, were %d", after, before)
					}
				default:
					var b cxBooking
					p.get(t, "booking", &b)
					for name, id := range ids {
						if id == b.ID {
							t.Errorf("got the booking of %q again", name)
						}
					}
					ids[c.name] = b.ID
					if after != before+1 {
						t.Errorf("%d bookings, want %d", after, before+1)
					}
				}
				if got := cxEventCounts(t, e, ev.ID).RegisteredCount; got != c.booked {
					t.Errorf("registeredCount %d, want %d", got, c.booked)
				}
			})
		}
	})
}

// A key whose first request failed was not used: it books later.
func TestIdempotencyFailedFirstRequest(t *testing.T) {
	graphtest.Each(t, func(t *testing.T, e *graphtest.Env) {
		ev := cxEvent(t, e, "Idempotent retry", map[string]any{"capacity": 1})
		std := ev.cat(t, "Standard")
		in := cxBookingInput("retry@example.com", "INVOICE", std, std)
		in["idempotencyKey"] = "retry-1"
		cxDo(t, e, "createBooking", "booking { id }", in).fails(t, "booking", "SoldOutError")
		in["tickets"] = []any{map[string]any{"ticketCategoryId": std}}
		b := cxBook(t, e, in)
		if again := cxBook(t, e, in); again.ID != b.ID {
			t.Errorf("repeat got %s, want %s", again.ID, b.ID)
		}
		if got := cxEventCounts(t, e, ev.ID).RegisteredCount; got != 1 {
			t.Errorf("registeredCount %d, want 1", got)
		}
	})
}

// ---------------------------------------------------------------------------
// Rule 10: order numbers, invoice numbers, bookers.

func TestOrderNumbers(t *testing.T) {
	graphtest.Each(t, func(t *testing.T, e *graphtest.Env) {
		ev := cxEvent(t, e, "Numbers", map[string]any{"capacity": 3})
		std, free := ev.cat(t, "Standard"), ev.cat(t, "Free")
		cases := []struct {
			name     string
			input    map[string]any
			wantType string
			want     string
		}{
			{name: "first", input: cxBookingInput("n1@example.com", "INVOICE", std), want: "BK-000001"},
			{name: "second", input: cxBookingInput("n2@example.com", "CARD", std), want: "BK-000002"},
			// FREE with a price fails after the number was drawn: it is rolled back.
			{name: "failure after drawing", input: cxBookingInput("n3@example.com", "FREE", std), wantType: "ValidationError"},
			{name: "unknown category", input: cxBookingInput("n3@example.com", "FREE", cxUnknownID(t, free)), wantType: "NotFoundError"},
			{name: "third", input: cxBookingInput("n3@example.com", "FREE", free), want: "BK-000003"},
			{name: "sold out", input: cxBookingInput("n4@example.com", "FREE", free), wantType: "SoldOutError"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				p := cxDo(t, e, "createBooking", "booking { "+cxBookingFields+" }", c.input)
				if c.wantType != "" {
					p.fails(t, "booking", c.wantType)
					return
				}
				var b cxBooking
				p.get(t, "booking", &b)
				if b.OrderNumber != c.want {
					t.Errorf("orderNumber %q, want %q", b.OrderNumber, c.want)
				}
			})
		}

		t.Run("per tenant", func(t *testing.T) {
			_, key, err := auth.CreateTenant(context.Background(), e.Client, "second", "Second")
			if err != nil {
				t.Fatal(err)
			}
			as2 := []string{"Authorization", "Bearer " + key}
			var ev2 cxEventOut
			cxDo(t, e, "createEvent", "event { id ticketCategories { id name } }", map[string]any{
				"title": "Other tenant", "startsAt": "2027-09-01T18:00:00Z", "publish": true,
				"ticketCategories": []any{map[string]any{"name": "Free", "price": "0.00"}},
			}, as2...).get(t, "event", &ev2)
			for i, want := range []string{"BK-000001", "BK-000002"} {
				var b cxBooking
				cxDo(t, e, "createBooking", "booking { id orderNumber }",
					cxBookingInput(fmt.Sprintf("t%d@example.com", i), "FREE", ev2.TicketCategories[0].ID), as2...).get(t, "booking", &b)
				if b.OrderNumber != want {
					t.Errorf("second tenant: orderNumber %q, want %q", b.OrderNumber, want)
				}
			}
			// The default tenant goes on where it was.
			b := cxBook(t, e, cxBookingInput("n5@example.com", "INVOICE", cxEvent(t, e, "More", nil).cat(t, "Standard")))
			if b.OrderNumber != "BK-000004" {
				t.Errorf("default tenant: orderNumber %q, want BK-000004", b.OrderNumber)
			}
		})
	})
}

func TestInvoiceNumbers(t *testing.T) {
	graphtest.Each(t, func(t *testing.T, e *graphtest.Env) {
		ev := cxEvent(t, e, "Invoices", nil)
		b1 := cxBook(t, e, cxBookingInput("i1@example.com", "INVOICE", ev.cat(t, "Standard")))
		b2 := cxBook(t, e, cxBookingInput("i2@example.com", "INVOICE", ev.cat(t, "Standard")))
		if b1.InvoiceNumber != nil {
			t.Fatalf("a new booking has invoice number %q", *b1.InvoiceNumber)
		}
		cases := []struct {
			name, id, number string
			wantType, field  string
			want1, want2     string // invoice numbers of b1 and b2 afterwards ("" : null)
		}{
			{name: "set", id: b1.ID, number: "INV-2026-001", want1: "INV-2026-001"},
			{name: "duplicate on another booking", id: b2.ID, number: "INV-2026-001", wantType: "ValidationError", field: "invoiceNumber", want1: "INV-2026-001"},
			{name: "duplicate with spaces", id: b2.ID, number: " INV-2026-001 ", wantType: "ValidationError", field: "invoiceNumber", want1: "INV-2026-001"},
			{name: "same number on the same booking", id: b1.ID, number: "INV-2026-001", want1: "INV-2026-001"},
			{name: "another number", id: b2.ID, number: "INV-2026-002", want1: "INV-2026-001", want2: "INV-2026-002"},
			{name: "empty", id: b2.ID, number: "  ", wantType: "ValidationError", field: "invoiceNumber", want1: "INV-2026-001", want2: "INV-2026-002"},
			{name: "change frees the old number", id: b1.ID, number: "INV-2026-003", want1: "INV-2026-003", want2: "INV-2026-002"},
			{name: "old number reused", id: b2.ID, number: "INV-2026-001", want1: "INV-2026-003", want2: "INV-2026-001"},
			{name: "unknown booking", id: cxUnknownID(t, b2.ID), number: "INV-X", wantType: "NotFoundError", want1: "INV-2026-003", want2: "INV-2026-001"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				p := cxDo(t, e, "setInvoiceNumber", "booking { "+cxBookingFields+" }", map[string]any{"id": c.id, "invoiceNumber": c.number})
				if c.wantType != "" {
					got := p.fails(t, "booking", c.wantType)
					if c.field != "" && (got.Field == nil || *got.Field != c.field) {
						t.Errorf("error on field %v, want %q", got.Field, c.field)
					}
				} else {
					var b cxBooking
					p.get(t, "booking", &b)
					if b.ID != c.id || b.InvoiceNumber == nil || *b.InvoiceNumber != strings.TrimSpace(c.number) {
						t.Errorf("booking %s invoiceNumber %v, want %q", b.ID, b.InvoiceNumber, c.number)
					}
				}
				for _, w := range []struct{ id, want string }{{b1.ID, c.want1}, {b2.ID, c.want2}} {
					var b cxBooking
					cxNode(t, e, w.id, "Booking", "invoiceNumber", &b)
					got := ""
					if b.InvoiceNumber != nil {
						got = *b.InvoiceNumber
					}
					if got != w.want {
						t.Errorf("booking %s invoiceNumber %q, want %q", w.id, got, w.want)
					}
				}
			})
		}
	})
}

func TestSetBooker(t *testing.T) {
	graphtest.Each(t, func(t *testing.T, e *graphtest.Env) {
		ev := cxEvent(t, e, "Bookers", nil)
		b1 := cxBook(t, e, cxBookingInput("first@example.com", "INVOICE", ev.cat(t, "Standard")))
		b2 := cxBook(t, e, cxBookingInput("anna.smith@example.com", "INVOICE", ev.cat(t, "Standard")))
		anna := b2.Booker.ID

		cases := []struct {
			name        string
			id          string
			booker      map[string]any
			wantType    string
			field       string
			wantBooker  string // participant id ("new": a new one)
			wantEmail   string
			newPeople   int // participants added
			bookerOfTwo string
		}{
			{name: "existing participant, other case", id: b1.ID, booker: cxPerson("Anna.Smith@EXAMPLE.com"), wantBooker: anna, wantEmail: "anna.smith@example.com"},
			{name: "new participant", id: b1.ID, booker: cxPerson("New.Person@Example.com"), wantBooker: "new", wantEmail: "new.person@example.com", newPeople: 1},
			{name: "the new one again", id: b2.ID, booker: cxPerson("new.person@example.com"), wantBooker: "prev", wantEmail: "new.person@example.com"},
			{name: "bad e-mail", id: b1.ID, booker: cxPerson("not-an-address"), wantType: "ValidationError", field: "booker.email"},
			{name: "unknown booking", id: cxUnknownID(t, b1.ID), booker: cxPerson("x@example.com"), wantType: "NotFoundError"},
		}
		prev := ""
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				people := cxTotal(t, e, "participants")
				p := cxDo(t, e, "setBooker", "booking { "+cxBookingFields+" }", map[string]any{"id": c.id, "booker": c.booker})
				if c.wantType != "" {
					got := p.fails(t, "booking", c.wantType)
					if c.field != "" && (got.Field == nil || *got.Field != c.field) {
						t.Errorf("error on field %v, want %q", got.Field, c.field)
					}
				} else {
					var b cxBooking
					p.get(t, "booking", &b)
					switch c.wantBooker {
					case "new":
						if b.Booker.ID == anna || b.Booker.ID == b2.Booker.ID {
							t.Errorf("booker %s is not a new participant", b.Booker.ID)
						}
					case "prev":
						if b.Booker.ID != prev {
							t.Errorf("booker %s, want the participant %s found by e-mail", b.Booker.ID, prev)
						}
					default:
						if b.Booker.ID != c.wantBooker {
							t.Errorf("booker %s, want %s", b.Booker.ID, c.wantBooker)
						}
					}
					if b.Booker.Email != c.wantEmail {
						t.Errorf("booker email %q, want %q", b.Booker.Email, c.wantEmail)
					}
					prev = b.Booker.ID
				}
				if got := cxTotal(t, e, "participants"); got != people+c.newPeople {
					t.Errorf("%d participants, want %d", got, people+c.newPeople)
				}
			})
		}
	})
}

func TestBookingByOrderNumber(t *testing.T) {
	graphtest.Each(t, func(t *testing.T, e *graphtest.Env) {
		ev := cxEvent(t, e, "Lookup", nil)
		b1 := cxBook(t, e, cxBookingInput("Owner@Example.com", "INVOICE", ev.cat(t, "Standard")))
		b2 := cxBook(t, e, cxBookingInput("someone@example.com", "INVOICE", ev.cat(t, "Standard")))
		const q = `query($o: String!, $m: String!) { bookingByOrderNumber(orderNumber: $o, email: $m) { id orderNumber booker { email } } }`
		lookup := func(t *testing.T, order, email string) string {
			t.Helper()
			var out struct {
				BookingByOrderNumber *struct {
					ID string `json:"id"`
				} `json:"bookingByOrderNumber"`
			}
			e.Query(t, q, map[string]any{"o": order, "m": email}, &out)
			if out.BookingByOrderNumber == nil {
				return ""
			}
			return out.BookingByOrderNumber.ID
		}
		cases := []struct {
			name, order, email, want string
		}{
			{"both match", b1.OrderNumber, "owner@example.com", b1.ID},
			{"e-mail in other case", b1.OrderNumber, "OWNER@EXAMPLE.COM", b1.ID},
			{"e-mail with spaces", b1.OrderNumber, " owner@example.com ", b1.ID},
			{"the other booking", b2.OrderNumber, "someone@example.com", b2.ID},
			{"wrong e-mail", b1.OrderNumber, "someone@example.com", ""},
			{"other booking's number", b2.OrderNumber, "owner@example.com", ""},
			{"unknown number", "BK-999999", "owner@example.com", ""},
			{"empty e-mail", b1.OrderNumber, "", ""},
			{"empty number", "", "owner@example.com", ""},
			{"e-mail prefix", b1.OrderNumber, "owner@example", ""},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				if got := lookup(t, c.order, c.email); got != c.want {
					t.Errorf("bookingByOrderNumber(%q, %q) = %q, want %q", c.order, c.email, got, c.want)
				}
			})
		}
		t.Run("after setBooker", func(t *testing.T) {
			cxDo(t, e, "setBooker", "booking { id }", map[string]any{"id": b1.ID, "booker": cxPerson("heir@example.com")}).get(t, "booking", nil)
			if got := lookup(t, b1.OrderNumber, "owner@example.com"); got != "" {
				t.Errorf("the old booker still finds the booking")
			}
			if got := lookup(t, b1.OrderNumber, "Heir@Example.com"); got != b1.ID {
				t.Errorf("the new booker finds %q, want %q", got, b1.ID)
			}
		})
	})
}
