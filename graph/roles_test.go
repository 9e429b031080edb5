package graph_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"seatgraph/graph/graphtest"
	"seatgraph/internal/auth"
	"seatgraph/internal/domain"
)

// The role policy (docs/client-guide.md, "Authentication, tenants and
// roles"): anonymous callers reach published
// events, booking and their own booking; CHECKIN reads events and tickets
// and checks in; STAFF does everything but manage events and categories;
// ADMIN does everything.

var rolSeq atomic.Int64

func rolNext() int64 { return rolSeq.Add(1) }

const (
	rolOK              = "ok"   // no errors at all
	rolNull            = "null" // no errors, every root field null
	rolUnauthenticated = "UNAUTHENTICATED"
	rolForbidden       = "FORBIDDEN"
)

// rolRoles are the callers, in the order each case lists expectations.
var rolRoles = []string{"anonymous", "CHECKIN", "STAFF", "ADMIN"}

// rolWorld is what the cases act on; make* functions write fresh rows as
// the admin so that state-changing cases do not depend on each other.
type rolWorld struct {
	e          *graphtest.Env
	keys       map[string]string // role -> key ("" anonymous)
	pubEvent   string
	pubCat     string
	draftEvent string
	draftCat   string
	booking    rolBooking
}

type rolBooking struct {
	ID          string `json:"id"`
	OrderNumber string `json:"orderNumber"`
	Booker      struct {
		ID    string `json:"id"`
		Email string `json:"email"`
	} `json:"booker"`
	Tickets struct {
		Nodes []struct {
			ID           string `json:"id"`
			Code         string `json:"code"`
			Registration struct {
				ID string `json:"id"`
			} `json:"registration"`
		} `json:"nodes"`
	} `json:"tickets"`
	Payments struct {
		Nodes []struct {
			ID string `json:"id"`
		} `json:"nodes"`
	} `json:"payments"`
}

func (w *rolWorld) makeEvent(t *testing.T, publish bool) (event, category string) {
	t.Helper()
	var ev struct {
		ID               string `json:"id"`
		TicketCategories []struct {
			ID string `json:"id"`
		} `json:"ticketCategories"`
	}
	tncMust(t, w.e, w.e.AdminKey, "createEvent", "event", "id ticketCategories { id }", map[string]any{
		"title": fmt.Sprintf("Role event %d", rolNext()), "startsAt": "2027-09-10T18:00:00Z",
		"capacity": 500, "publish": publish,
		"ticketCategories": []any{map[string]any{"name": "Standard", "price": "20.00"}},
	}, &ev)
	return ev.ID, ev.TicketCategories[0].ID
}

const rolBookingSel = `id orderNumber booker { id email } tickets(order: [{ id: ASC }]) { nodes { id code registration { id } } } payments { nodes { id } }`

// makeBooking books two tickets of the published event as the admin, with
// a succeeded payment of 20.00.
func (w *rolWorld) makeBooking(t *testing.T) rolBooking {
	t.Helper()
	var b rolBooking
	tncMust(t, w.e, w.e.AdminKey, "createBooking", "booking", rolBookingSel, map[string]any{
		"booker":        w.person(),
		"tickets":       []any{map[string]any{"ticketCategoryId": w.pubCat}, map[string]any{"ticketCategoryId": w.pubCat}},
		"paymentMethod": "INVOICE",
	}, &b)
	tncMust(t, w.e, w.e.AdminKey, "recordPayment", "payment", "id", map[string]any{
		"bookingId": b.ID, "amount": "20.00", "method": "CASH",
	}, nil)
	tncMust(t, w.e, w.e.AdminKey, "setInvoiceNumber", "booking", rolBookingSel, map[string]any{
		"id": b.ID, "invoiceNumber": fmt.Sprintf("INV-%d", rolNext()),
	}, &b)
	return b
}

func (w *rolWorld) person() map[string]any {
	return map[string]any{"firstName": "Role", "lastName": "Tester", "email": fmt.Sprintf("role%d@example.com", rolNext())}
}

// rolCase is one operation with what each role gets (in rolRoles order).
type rolCase struct {
	name  string
	query string
	vars  func(t *testing.T, w *rolWorld) map[string]any
	want  [4]string
	// check looks at the data of an allowed answer.
	check func(t *testing.T, w *rolWorld, role string, data json.RawMessage)
}

func rolMutation(name, sel string) string {
	return fmt.Sprintf(`mutation($in: %sInput!) { %s(input: $in) { %s errors { __typename ... on Error { message } } } }`,
		strings.ToUpper(name[:1])+name[1:], name, sel)
}

func rolIn(in map[string]any) map[string]any { return map[string]any{"in": in} }

// rolRows counts every row, to prove a refused operation wrote nothing.
func rolRows(t *testing.T, e *graphtest.Env) [8]int {
	t.Helper()
	ctx := context.Background()
	var n [8]int
	var err error
	counts := []func() (int, error){
		func() (int, error) { return e.Client.Event.Query().Count(ctx) },
		func() (int, error) { return e.Client.TicketCategory.Query().Count(ctx) },
		func() (int, error) { return e.Client.Participant.Query().Count(ctx) },
		func() (int, error) { return e.Client.Booking.Query().Count(ctx) },
		func() (int, error) { return e.Client.Ticket.Query().Count(ctx) },
		func() (int, error) { return e.Client.Registration.Query().Count(ctx) },
		func() (int, error) { return e.Client.Payment.Query().Count(ctx) },
		func() (int, error) { return e.Client.History.Query().Count(ctx) },
	}
	for i, c := range counts {
		if n[i], err = c(); err != nil {
			t.Fatal(err)
		}
	}
	return n
}

// rolIDs returns the ids under nodes/items of the first root field.
func rolIDs(t *testing.T, data json.RawMessage) []string {
	t.Helper()
	var root map[string]struct {
		Nodes []struct{ ID, Status string } `json:"nodes"`
		Items []struct{ ID, Status string } `json:"items"`
	}
	if err := json.Unmarshal(data, &root); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, v := range root {
		for _, n := range append(v.Nodes, v.Items...) {
			ids = append(ids, n.ID+":"+n.Status)
		}
	}
	return ids
}

var rolCases = []rolCase{
	// Reading events.
	{name: "events", query: `{ events(first: 100) { totalCount nodes { id status } } }`,
		want: [4]string{rolOK, rolOK, rolOK, rolOK},
		check: func(t *testing.T, w *rolWorld, role string, data json.RawMessage) {
			ids := strings.Join(rolIDs(t, data), " ")
			draft := strings.Contains(ids, w.draftEvent)
			if !strings.Contains(ids, w.pubEvent+":PUBLISHED") {
				t.Errorf("%s does not see the published event: %s", role, ids)
			}
			if role == "anonymous" && (draft || strings.Contains(ids, "DRAFT")) {
				t.Errorf("anonymous sees a draft: %s", ids)
			}
			if role != "anonymous" && !draft {
				t.Errorf("%s does not see the draft: %s", role, ids)
			}
		}},
	{name: "eventsPage", query: `{ eventsPage(take: 100) { totalCount items { id status } } }`,
		want: [4]string{rolOK, rolOK, rolOK, rolOK},
		check: func(t *testing.T, w *rolWorld, role string, data json.RawMessage) {
			ids := strings.Join(rolIDs(t, data), " ")
			if role == "anonymous" && strings.Contains(ids, "DRAFT") {
				t.Errorf("anonymous sees a draft: %s", ids)
			}
		}},
	{name: "events filtered on DRAFT", query: `{ events(where: { status: { eq: DRAFT } }) { totalCount nodes { id } } }`,
		want: [4]string{rolOK, rolOK, rolOK, rolOK},
		check: func(t *testing.T, w *rolWorld, role string, data json.RawMessage) {
			if role == "anonymous" && !strings.Contains(string(data), `"totalCount":0`) {
				t.Errorf("anonymous finds drafts through where: %s", data)
			}
		}},
	{name: "node of a draft event", query: `query($id: ID!) { node(id: $id) { id ... on Event { title } } }`,
		vars: func(t *testing.T, w *rolWorld) map[string]any { return map[string]any{"id": w.draftEvent} },
		want: [4]string{rolNull, rolOK, rolOK, rolOK}},
	{name: "node of a draft's category", query: `query($id: ID!) { node(id: $id) { id ... on TicketCategory { name } } }`,
		vars: func(t *testing.T, w *rolWorld) map[string]any { return map[string]any{"id": w.draftCat} },
		want: [4]string{rolNull, rolOK, rolOK, rolOK}},
	{name: "nodes of a draft and a published event", query: `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`,
		vars: func(t *testing.T, w *rolWorld) map[string]any {
			return map[string]any{"ids": []string{w.draftEvent, w.pubEvent}}
		},
		want: [4]string{rolOK, rolOK, rolOK, rolOK},
		check: func(t *testing.T, w *rolWorld, role string, data json.RawMessage) {
			want := fmt.Sprintf(`{"nodes":[{"id":%q},{"id":%q}]}`, w.draftEvent, w.pubEvent)
			if role == "anonymous" {
				want = fmt.Sprintf(`{"nodes":[null,{"id":%q}]}`, w.pubEvent)
			}
			if string(data) != want {
				t.Errorf("%s: nodes = %s, want %s", role, data, want)
			}
		}},
	{name: "published event with categories and seats",
		query: `query($id: ID!) { node(id: $id) { ... on Event { id availableSeats ticketCategories { id name availableSeats price { amount } } } } }`,
		vars:  func(t *testing.T, w *rolWorld) map[string]any { return map[string]any{"id": w.pubEvent} },
		want:  [4]string{rolOK, rolOK, rolOK, rolOK},
		check: func(t *testing.T, w *rolWorld, role string, data json.RawMessage) {
			if !strings.Contains(string(data), w.pubCat) || !strings.Contains(string(data), `"availableSeats":`) {
				t.Errorf("%s: %s", role, data)
			}
		}},
	{name: "events with categories", query: `{ events { nodes { ticketCategories { id availableSeats } availableSeats } } }`,
		want: [4]string{rolOK, rolOK, rolOK, rolOK}},

	// Objects behind a key.
	{name: "node of a booking", query: `query($id: ID!) { node(id: $id) { id } }`,
		vars: func(t *testing.T, w *rolWorld) map[string]any { return map[string]any{"id": w.booking.ID} },
		want: [4]string{rolNull, rolNull, rolOK, rolOK}},
	{name: "node of a participant", query: `query($id: ID!) { node(id: $id) { id } }`,
		vars: func(t *testing.T, w *rolWorld) map[string]any { return map[string]any{"id": w.booking.Booker.ID} },
		want: [4]string{rolNull, rolNull, rolOK, rolOK}},
	{name: "node of a ticket", query: `query($id: ID!) { node(id: $id) { id } }`,
		vars: func(t *testing.T, w *rolWorld) map[string]any {
			return map[string]any{"id": w.booking.Tickets.Nodes[0].ID}
		},
		want: [4]string{rolNull, rolOK, rolOK, rolOK}},
	{name: "node of a payment", query: `query($id: ID!) { node(id: $id) { id } }`,
		vars: func(t *testing.T, w *rolWorld) map[string]any {
			return map[string]any{"id": w.booking.Payments.Nodes[0].ID}
		},
		want: [4]string{rolNull, rolNull, rolOK, rolOK}},
	{name: "node of a registration", query: `query($id: ID!) { node(id: $id) { id } }`,
		vars: func(t *testing.T, w *rolWorld) map[string]any {
			return map[string]any{"id": w.booking.Tickets.Nodes[0].Registration.ID}
		},
		want: [4]string{rolNull, rolNull, rolOK, rolOK}},
	{name: "bookings", query: `{ bookings { totalCount nodes { id } } }`,
		want: [4]string{rolUnauthenticated, rolForbidden, rolOK, rolOK}},
	{name: "bookingsPage", query: `{ bookingsPage { totalCount items { id } } }`,
		want: [4]string{rolUnauthenticated, rolForbidden, rolOK, rolOK}},
	{name: "participants", query: `{ participants { totalCount nodes { id email } } }`,
		want: [4]string{rolUnauthenticated, rolForbidden, rolOK, rolOK}},
	{name: "participantsPage", query: `{ participantsPage { totalCount items { id } } }`,
		want: [4]string{rolUnauthenticated, rolForbidden, rolOK, rolOK}},
	{name: "payments", query: `{ payments { totalCount nodes { id } } }`,
		want: [4]string{rolUnauthenticated, rolForbidden, rolOK, rolOK}},
	{name: "paymentsPage", query: `{ paymentsPage { totalCount items { id } } }`,
		want: [4]string{rolUnauthenticated, rolForbidden, rolOK, rolOK}},
	{name: "registrations", query: `{ registrations { totalCount nodes { id } } }`,
		want: [4]string{rolUnauthenticated, rolForbidden, rolOK, rolOK}},
	{name: "registrationsPage", query: `{ registrationsPage { totalCount items { id } } }`,
		want: [4]string{rolUnauthenticated, rolForbidden, rolOK, rolOK}},
	{name: "tickets", query: `{ tickets { totalCount nodes { id code holder { name } } } }`,
		want: [4]string{rolUnauthenticated, rolOK, rolOK, rolOK}},
	{name: "ticketsPage", query: `{ ticketsPage { totalCount items { id code } } }`,
		want: [4]string{rolUnauthenticated, rolOK, rolOK, rolOK}},
	{name: "calculateCancellation", query: `query($id: ID!) { calculateCancellation(bookingId: $id) { refund { amount } } }`,
		vars: func(t *testing.T, w *rolWorld) map[string]any { return map[string]any{"id": w.booking.ID} },
		want: [4]string{rolUnauthenticated, rolForbidden, rolOK, rolOK}},
	{name: "eventStatistics", query: `query($id: ID!) { eventStatistics(eventId: $id) { registeredCount revenue { amount } } }`,
		vars: func(t *testing.T, w *rolWorld) map[string]any { return map[string]any{"id": w.pubEvent} },
		want: [4]string{rolUnauthenticated, rolForbidden, rolOK, rolOK}},

	// Lists hanging off public objects.
	{name: "Event.bookings", query: `{ events { nodes { id bookings { totalCount nodes { id } } } } }`,
		want: [4]string{rolUnauthenticated, rolForbidden, rolOK, rolOK}},
	{name: "Event.registrations", query: `{ events { nodes { id registrations { totalCount } } } }`,
		want: [4]string{rolUnauthenticated, rolForbidden, rolOK, rolOK}},
	{name: "Event.tickets", query: `{ events { nodes { id tickets { totalCount } } } }`,
		want: [4]string{rolUnauthenticated, rolOK, rolOK, rolOK}},
	{name: "TicketCategory.tickets", query: `{ events { nodes { ticketCategories { tickets { totalCount } } } } }`,
		want: [4]string{rolUnauthenticated, rolOK, rolOK, rolOK}},
	{name: "Ticket.booking.payments", query: `{ tickets { nodes { booking { payments { totalCount nodes { id } } } } } }`,
		want: [4]string{rolUnauthenticated, rolForbidden, rolOK, rolOK}},
	{name: "Ticket.holder.bookings", query: `{ tickets { nodes { holder { bookings { totalCount } } } } }`,
		want: [4]string{rolUnauthenticated, rolForbidden, rolOK, rolOK}},

	// A booker's own booking.
	{name: "bookingByOrderNumber",
		query: `query($o: String!, $m: String!) { bookingByOrderNumber(orderNumber: $o, email: $m) { id orderNumber booker { email } tickets { totalCount nodes { code } } payments { totalCount } } }`,
		vars: func(t *testing.T, w *rolWorld) map[string]any {
			return map[string]any{"o": w.booking.OrderNumber, "m": w.booking.Booker.Email}
		},
		want: [4]string{rolOK, rolForbidden, rolOK, rolOK},
		check: func(t *testing.T, w *rolWorld, role string, data json.RawMessage) {
			if !strings.Contains(string(data), w.booking.ID) || !strings.Contains(string(data), `"totalCount":2`) {
				t.Errorf("%s: %s", role, data)
			}
		}},
	{name: "bookingByOrderNumber with another e-mail",
		query: `query($o: String!, $m: String!) { bookingByOrderNumber(orderNumber: $o, email: $m) { id } }`,
		vars: func(t *testing.T, w *rolWorld) map[string]any {
			return map[string]any{"o": w.booking.OrderNumber, "m": "someone@example.com"}
		},
		want: [4]string{rolNull, rolForbidden, rolNull, rolNull}},
	{name: "own booking's event bookings",
		query: `query($o: String!, $m: String!) { bookingByOrderNumber(orderNumber: $o, email: $m) { tickets { nodes { event { bookings { totalCount } } } } } }`,
		vars: func(t *testing.T, w *rolWorld) map[string]any {
			return map[string]any{"o": w.booking.OrderNumber, "m": w.booking.Booker.Email}
		},
		want: [4]string{rolUnauthenticated, rolForbidden, rolOK, rolOK}},
	{name: "own booking's booker's bookings",
		query: `query($o: String!, $m: String!) { bookingByOrderNumber(orderNumber: $o, email: $m) { booker { bookings { totalCount } tickets { totalCount } } } }`,
		vars: func(t *testing.T, w *rolWorld) map[string]any {
			return map[string]any{"o": w.booking.OrderNumber, "m": w.booking.Booker.Email}
		},
		want: [4]string{rolUnauthenticated, rolForbidden, rolOK, rolOK}},
	{name: "introspection", query: `{ __schema { queryType { name } } __typename }`,
		want: [4]string{rolOK, rolOK, rolOK, rolOK}},

	// Managing events and categories: ADMIN only.
	{name: "createEvent", query: rolMutation("createEvent", "event { id }"),
		vars: func(t *testing.T, w *rolWorld) map[string]any {
			return rolIn(map[string]any{"title": "New", "startsAt": "2027-01-01T10:00:00Z"})
		},
		want: [4]string{rolUnauthenticated, rolForbidden, rolForbidden, rolOK}},
	{name: "updateEvent", query: rolMutation("updateEvent", "event { id title }"),
		vars: func(t *testing.T, w *rolWorld) map[string]any {
			ev, _ := w.makeEvent(t, true)
			return rolIn(map[string]any{"id": ev, "title": "Renamed"})
		},
		want: [4]string{rolUnauthenticated, rolForbidden, rolForbidden, rolOK}},
	{name: "publishEvent", query: rolMutation("publishEvent", "event { id status }"),
		vars: func(t *testing.T, w *rolWorld) map[string]any {
			ev, _ := w.makeEvent(t, false)
			return rolIn(map[string]any{"id": ev})
		},
		want: [4]string{rolUnauthenticated, rolForbidden, rolForbidden, rolOK}},
	{name: "cancelEvent", query: rolMutation("cancelEvent", "event { id status }"),
		vars: func(t *testing.T, w *rolWorld) map[string]any {
			ev, _ := w.makeEvent(t, true)
			return rolIn(map[string]any{"id": ev, "reason": "rain"})
		},
		want: [4]string{rolUnauthenticated, rolForbidden, rolForbidden, rolOK}},
	{name: "duplicateEvent", query: rolMutation("duplicateEvent", "event { id }"),
		vars: func(t *testing.T, w *rolWorld) map[string]any {
			return rolIn(map[string]any{"id": w.pubEvent, "startsAt": "2028-01-01T10:00:00Z"})
		},
		want: [4]string{rolUnauthenticated, rolForbidden, rolForbidden, rolOK}},
	{name: "deleteEvent", query: rolMutation("deleteEvent", "deletedId"),
		vars: func(t *testing.T, w *rolWorld) map[string]any {
			ev, _ := w.makeEvent(t, false)
			return rolIn(map[string]any{"id": ev})
		},
		want: [4]string{rolUnauthenticated, rolForbidden, rolForbidden, rolOK}},
	{name: "createTicketCategory", query: rolMutation("createTicketCategory", "ticketCategory { id }"),
		vars: func(t *testing.T, w *rolWorld) map[string]any {
			return rolIn(map[string]any{"eventId": w.pubEvent, "name": fmt.Sprintf("Cat %d", rolNext()), "price": "5.00"})
		},
		want: [4]string{rolUnauthenticated, rolForbidden, rolForbidden, rolOK}},
	{name: "updateTicketCategory", query: rolMutation("updateTicketCategory", "ticketCategory { id }"),
		vars: func(t *testing.T, w *rolWorld) map[string]any {
			return rolIn(map[string]any{"id": w.pubCat, "description": "changed"})
		},
		want: [4]string{rolUnauthenticated, rolForbidden, rolForbidden, rolOK}},

	// People, bookings and payments: STAFF and ADMIN; booking also anonymous.
	{name: "createParticipant", query: rolMutation("createParticipant", "participant { id }"),
		vars: func(t *testing.T, w *rolWorld) map[string]any { return rolIn(w.person()) },
		want: [4]string{rolUnauthenticated, rolForbidden, rolOK, rolOK}},
	{name: "updateParticipant", query: rolMutation("updateParticipant", "participant { id }"),
		vars: func(t *testing.T, w *rolWorld) map[string]any {
			return rolIn(map[string]any{"id": w.makeBooking(t).Booker.ID, "company": "Acme"})
		},
		want: [4]string{rolUnauthenticated, rolForbidden, rolOK, rolOK}},
	{name: "createBooking", query: rolMutation("createBooking", "booking { id status }"),
		vars: func(t *testing.T, w *rolWorld) map[string]any {
			return rolIn(map[string]any{"booker": w.person(), "paymentMethod": "CARD",
				"tickets": []any{map[string]any{"ticketCategoryId": w.pubCat}}})
		},
		want: [4]string{rolOK, rolForbidden, rolOK, rolOK}},
	{name: "createBooking of a draft's category", query: rolMutation("createBooking", "booking { id status }"),
		vars: func(t *testing.T, w *rolWorld) map[string]any {
			return rolIn(map[string]any{"booker": w.person(), "paymentMethod": "CARD",
				"tickets": []any{map[string]any{"ticketCategoryId": w.draftCat}}})
		},
		want: [4]string{"NotFoundError", rolForbidden, "RegistrationClosedError", "RegistrationClosedError"}},
	{name: "cancelBooking", query: rolMutation("cancelBooking", "booking { id status }"),
		vars: func(t *testing.T, w *rolWorld) map[string]any {
			return rolIn(map[string]any{"id": w.makeBooking(t).ID, "reason": "ill"})
		},
		want: [4]string{rolUnauthenticated, rolForbidden, rolOK, rolOK}},
	{name: "setBooker", query: rolMutation("setBooker", "booking { id }"),
		vars: func(t *testing.T, w *rolWorld) map[string]any {
			return rolIn(map[string]any{"id": w.makeBooking(t).ID, "booker": w.person()})
		},
		want: [4]string{rolUnauthenticated, rolForbidden, rolOK, rolOK}},
	{name: "setInvoiceNumber", query: rolMutation("setInvoiceNumber", "booking { id }"),
		vars: func(t *testing.T, w *rolWorld) map[string]any {
			return rolIn(map[string]any{"id": w.makeBooking(t).ID, "invoiceNumber": fmt.Sprintf("R-%d", rolNext())})
		},
		want: [4]string{rolUnauthenticated, rolForbidden, rolOK, rolOK}},
	{name: "recordPayment", query: rolMutation("recordPayment", "payment { id }"),
		vars: func(t *testing.T, w *rolWorld) map[string]any {
			return rolIn(map[string]any{"bookingId": w.makeBooking(t).ID, "amount": "5.00", "method": "CASH"})
		},
		want: [4]string{rolUnauthenticated, rolForbidden, rolOK, rolOK}},
	{name: "updatePaymentStatus", query: rolMutation("updatePaymentStatus", "payment { id }"),
		vars: func(t *testing.T, w *rolWorld) map[string]any {
			var p struct{ ID string }
			tncMust(t, w.e, w.e.AdminKey, "recordPayment", "payment", "id", map[string]any{
				"bookingId": w.makeBooking(t).ID, "amount": "5.00", "method": "CARD", "status": "PENDING",
			}, &p)
			return rolIn(map[string]any{"id": p.ID, "status": "SUCCEEDED"})
		},
		want: [4]string{rolUnauthenticated, rolForbidden, rolOK, rolOK}},
	{name: "refundPayment", query: rolMutation("refundPayment", "payment { id }"),
		vars: func(t *testing.T, w *rolWorld) map[string]any {
			return rolIn(map[string]any{"id": w.makeBooking(t).Payments.Nodes[0].ID, "amount": "1.00"})
		},
		want: [4]string{rolUnauthenticated, rolForbidden, rolOK, rolOK}},
	{name: "createRegistration", query: rolMutation("createRegistration", "registration { id }"),
		vars: func(t *testing.T, w *rolWorld) map[string]any {
			return rolIn(map[string]any{"eventId": w.pubEvent, "participant": w.person()})
		},
		want: [4]string{rolUnauthenticated, rolForbidden, rolOK, rolOK}},
	{name: "updateRegistrationStatus", query: rolMutation("updateRegistrationStatus", "registration { id }"),
		vars: func(t *testing.T, w *rolWorld) map[string]any {
			var r struct{ ID string }
			tncMust(t, w.e, w.e.AdminKey, "createRegistration", "registration", "id", map[string]any{
				"eventId": w.pubEvent, "participant": w.person(),
			}, &r)
			return rolIn(map[string]any{"id": r.ID, "status": "CANCELLED"})
		},
		want: [4]string{rolUnauthenticated, rolForbidden, rolOK, rolOK}},

	// Check-in.
	{name: "checkInTicket", query: rolMutation("checkInTicket", "ticket { id checkedInAt }"),
		vars: func(t *testing.T, w *rolWorld) map[string]any {
			return rolIn(map[string]any{"code": w.makeBooking(t).Tickets.Nodes[0].Code})
		},
		want: [4]string{rolUnauthenticated, rolOK, rolOK, rolOK}},
	{name: "undoCheckIn", query: rolMutation("undoCheckIn", "ticket { id checkedInAt }"),
		vars: func(t *testing.T, w *rolWorld) map[string]any {
			b := w.makeBooking(t)
			tncMust(t, w.e, w.e.AdminKey, "checkInTicket", "ticket", "id", map[string]any{"code": b.Tickets.Nodes[0].Code}, nil)
			return rolIn(map[string]any{"id": b.Tickets.Nodes[0].ID})
		},
		want: [4]string{rolUnauthenticated, rolOK, rolOK, rolOK}},
}

func TestRolesPolicy(t *testing.T) {
	graphtest.Each(t, func(t *testing.T, e *graphtest.Env) {
		w := &rolWorld{e: e, keys: map[string]string{"anonymous": "", "ADMIN": e.AdminKey}}
		for _, role := range []domain.Role{domain.RoleStaff, domain.RoleCheckIn} {
			key, err := auth.CreateKey(context.Background(), e.Client, e.Tenant, role)
			if err != nil {
				t.Fatal(err)
			}
			w.keys[string(role)] = key
		}
		w.pubEvent, w.pubCat = w.makeEvent(t, true)
		w.draftEvent, w.draftCat = w.makeEvent(t, false)
		w.booking = w.makeBooking(t)

		for _, c := range rolCases {
			t.Run(c.name, func(t *testing.T) {
				for i, role := range rolRoles {
					want := c.want[i]
					var vars map[string]any
					if c.vars != nil {
						vars = c.vars(t, w)
					}
					before := rolRows(t, e)
					r := e.Do(t, c.query, vars, tncAuth(w.keys[role])...)
					switch want {
					case rolOK, rolNull:
						if len(r.Errors) > 0 {
							t.Errorf("%s: errors %+v, want %s", role, r.Errors, want)
							continue
						}
						var root map[string]json.RawMessage
						if err := json.Unmarshal(r.Data, &root); err != nil {
							t.Fatal(err)
						}
						for field, v := range root {
							if want == rolNull && string(v) != "null" {
								t.Errorf("%s: %s = %s, want null", role, field, v)
							}
							if want == rolOK && string(v) == "null" && field != "__typename" {
								t.Errorf("%s: %s is null", role, field)
							}
							var payload struct {
								Errors []struct {
									Typename string `json:"__typename"`
									Message  string `json:"message"`
								} `json:"errors"`
							}
							if json.Unmarshal(v, &payload) == nil && len(payload.Errors) > 0 {
								t.Errorf("%s: %s failed: %+v", role, field, payload.Errors)
							}
						}
						if want == rolOK && c.check != nil {
							c.check(t, w, role, r.Data)
						}
					case rolUnauthenticated, rolForbidden:
						if len(r.Errors) == 0 || r.Errors[0].Code() != want {
							t.Errorf("%s: %v (data %s), want %s", role, r.Codes(), r.Data, want)
						}
						if strings.Contains(string(r.Data), `"id"`) {
							t.Errorf("%s: refused but answered %s", role, r.Data)
						}
						if after := rolRows(t, e); after != before {
							t.Errorf("%s: refused %s still wrote rows: %v -> %v", role, c.name, before, after)
						}
					default: // a payload error type
						if len(r.Errors) > 0 || !strings.Contains(string(r.Data), `"__typename":"`+want+`"`) {
							t.Errorf("%s: %v %s, want %s", role, r.Codes(), r.Data, want)
						}
					}
				}
			})
		}
	})
}
