package graph_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"
	"testing"

	"seatgraph/ent"
	entbooking "seatgraph/ent/booking"
	entevent "seatgraph/ent/event"
	enthistory "seatgraph/ent/history"
	entidem "seatgraph/ent/idempotencykey"
	entparticipant "seatgraph/ent/participant"
	entpayment "seatgraph/ent/payment"
	entregistration "seatgraph/ent/registration"
	entticket "seatgraph/ent/ticket"
	entcategory "seatgraph/ent/ticketcategory"
	"seatgraph/graph/graphtest"
	"seatgraph/internal/auth"
	"seatgraph/internal/domain"
	"seatgraph/internal/gid"
)

// The cross-tenant walk (issue 4, "Isolation enforced below the resolvers"):
// tenant A (the harness tenant) and tenant B each get one row of every type;
// acting as A's admin, every list, node lookup and mutation that names an
// object is tried with B's IDs and finds nothing, and B's rows stay as they
// were. A third tenant C holds rows that point into A's rows (as if a
// resolver or a bug had linked them): A's nested connections must still
// leave them out, since isolation sits below the resolvers.

// tncObjects are the IDs (opaque) of one tenant's seeded rows.
type tncObjects struct {
	slug          string
	key           string // ADMIN key
	tenantID      int
	marker        string // in every text field the tenant wrote
	pubEvent      string
	draftEvent    string
	category      string
	draftCategory string
	participant   string
	booking       string
	orderNumber   string
	bookerEmail   string
	tickets       []string
	ticketCodes   []string
	checkedTicket string
	registration  string
	payment       string
}

// all lists every seeded ID of the tenant.
func (o *tncObjects) all() []string {
	ids := []string{o.pubEvent, o.draftEvent, o.category, o.draftCategory, o.participant,
		o.booking, o.registration, o.payment}
	return append(ids, o.tickets...)
}

// tncAuth is the Authorization header of key; "" is anonymous.
func tncAuth(key string) []string {
	if key == "" {
		return []string{"Authorization", ""}
	}
	return []string{"Authorization", "Bearer " + key}
}

// tncMut runs a mutation with one input and returns its payload (object
// under field, errors) and the raw response.
type tncPayload struct {
	resp   *graphtest.Response
	object json.RawMessage
	errs   []struct {
		Typename string `json:"__typename"`
		Message  string `json:"message"`
	}
}

func (p tncPayload) typenames() []string {
	var out []string
	for _, e := range p.errs {
		out = append(out, e.Typename)
	}
	return out
}

func tncMut(t testing.TB, e *graphtest.Env, key, name, field, sel string, in map[string]any, headers ...string) tncPayload {
	t.Helper()
	inputType := strings.ToUpper(name[:1]) + name[1:] + "Input"
	objSel := field
	if sel != "" {
		objSel = field + " { " + sel + " }"
	}
	q := fmt.Sprintf(`mutation($in: %s!) { %s(input: $in) { %s errors { __typename ... on Error { message } } } }`,
		inputType, name, objSel)
	r := e.Do(t, q, map[string]any{"in": in}, append(tncAuth(key), headers...)...)
	p := tncPayload{resp: r}
	if len(r.Errors) > 0 || len(r.Data) == 0 || string(r.Data) == "null" {
		return p
	}
	var data map[string]map[string]json.RawMessage
	if err := json.Unmarshal(r.Data, &data); err != nil {
		t.Fatalf("%s: decoding %s: %v", name, r.Data, err)
	}
	p.object = data[name][field]
	if raw := data[name]["errors"]; len(raw) > 0 && string(raw) != "null" {
		if err := json.Unmarshal(raw, &p.errs); err != nil {
			t.Fatalf("%s: decoding errors %s: %v", name, raw, err)
		}
	}
	return p
}

// tncMust runs a mutation that must succeed and decodes its object.
func tncMust(t testing.TB, e *graphtest.Env, key, name, field, sel string, in map[string]any, out any) {
	t.Helper()
	p := tncMut(t, e, key, name, field, sel, in)
	if len(p.resp.Errors) > 0 {
		t.Fatalf("%s failed: %+v", name, p.resp.Errors)
	}
	if len(p.errs) > 0 {
		t.Fatalf("%s failed: %+v", name, p.errs)
	}
	if out != nil {
		if err := json.Unmarshal(p.object, out); err != nil {
			t.Fatalf("%s: decoding %s: %v", name, p.object, err)
		}
	}
}

// tncSeedTenant writes one row of every type for the tenant of key, through
// the API as its admin.
func tncSeedTenant(t testing.TB, e *graphtest.Env, o *tncObjects) {
	t.Helper()
	m := o.marker
	var ev struct {
		ID               string `json:"id"`
		TicketCategories []struct {
			ID string `json:"id"`
		} `json:"ticketCategories"`
	}
	tncMust(t, e, o.key, "createEvent", "event", "id ticketCategories { id }", map[string]any{
		"title": m + " Gala", "description": m + " description", "venue": m + " Hall",
		"startsAt": "2027-09-10T18:00:00Z", "endsAt": "2027-09-10T22:00:00Z",
		"capacity": 100, "publish": true, "waitlistEnabled": true,
		"cancellationPolicy": map[string]any{"rules": []any{map[string]any{"hoursBeforeStart": 24, "keepPercent": "50"}}},
		"ticketCategories":   []any{map[string]any{"name": m + " Standard", "price": "20.00", "taxRatePercent": "19"}},
	}, &ev)
	o.pubEvent, o.category = ev.ID, ev.TicketCategories[0].ID

	tncMust(t, e, o.key, "createEvent", "event", "id ticketCategories { id }", map[string]any{
		"title": m + " Draft", "startsAt": "2027-10-10T18:00:00Z",
		"ticketCategories": []any{map[string]any{"name": m + " Draft seat", "price": "5.00"}},
	}, &ev)
	o.draftEvent, o.draftCategory = ev.ID, ev.TicketCategories[0].ID

	var p struct {
		ID string `json:"id"`
	}
	// The same e-mail in both tenants: a participant is matched by e-mail
	// within a tenant only.
	tncMust(t, e, o.key, "createParticipant", "participant", "id", map[string]any{
		"firstName": m, "lastName": "Person", "email": "shared@example.com", "company": m + " Corp",
	}, &p)
	o.participant = p.ID

	o.bookerEmail = strings.ToLower(m) + "-booker@example.com"
	var b struct {
		ID          string `json:"id"`
		OrderNumber string `json:"orderNumber"`
		Tickets     struct {
			Nodes []struct {
				ID   string `json:"id"`
				Code string `json:"code"`
			} `json:"nodes"`
		} `json:"tickets"`
	}
	tncMust(t, e, o.key, "createBooking", "booking", "id orderNumber tickets(order: [{ id: ASC }]) { nodes { id code } }", map[string]any{
		"booker":         map[string]any{"firstName": m, "lastName": "Booker", "email": o.bookerEmail},
		"tickets":        []any{map[string]any{"ticketCategoryId": o.category}, map[string]any{"ticketCategoryId": o.category}},
		"paymentMethod":  "INVOICE",
		"idempotencyKey": "idem-" + m,
		"invoiceAddress": m + " Street 1",
	}, &b)
	o.booking, o.orderNumber = b.ID, b.OrderNumber
	for _, tk := range b.Tickets.Nodes {
		o.tickets = append(o.tickets, tk.ID)
		o.ticketCodes = append(o.ticketCodes, tk.Code)
	}
	if len(o.tickets) != 2 {
		t.Fatalf("booking has %d tickets, want 2", len(o.tickets))
	}

	tncMust(t, e, o.key, "recordPayment", "payment", "id", map[string]any{
		"bookingId": o.booking, "amount": "10.00", "method": "CASH", "note": m + " note",
	}, &p)
	o.payment = p.ID

	tncMust(t, e, o.key, "checkInTicket", "ticket", "id", map[string]any{"code": o.ticketCodes[1]}, &p)
	o.checkedTicket = p.ID

	tncMust(t, e, o.key, "createRegistration", "registration", "id", map[string]any{
		"eventId":     o.pubEvent,
		"participant": map[string]any{"firstName": m, "lastName": "Person", "email": "shared@example.com"},
		"metadata":    map[string]any{"marker": m},
	}, &p)
	o.registration = p.ID
}

// tncDump is everything stored for a tenant, for before/after comparisons.
func tncDump(t testing.TB, e *graphtest.Env, tid int) string {
	t.Helper()
	ctx := context.Background() // no tenant: the server's own view of all rows
	c := e.Client
	var parts []any
	add := func(name string, v any, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("dumping %s: %v", name, err)
		}
		parts = append(parts, name, v)
	}
	evs, err := c.Event.Query().Where(entevent.TenantID(tid)).Order(ent.Asc(entevent.FieldID)).All(ctx)
	add("events", evs, err)
	cats, err := c.TicketCategory.Query().Where(entcategory.TenantID(tid)).Order(ent.Asc(entcategory.FieldID)).All(ctx)
	add("categories", cats, err)
	ps, err := c.Participant.Query().Where(entparticipant.TenantID(tid)).Order(ent.Asc(entparticipant.FieldID)).All(ctx)
	add("participants", ps, err)
	bs, err := c.Booking.Query().Where(entbooking.TenantID(tid)).Order(ent.Asc(entbooking.FieldID)).All(ctx)
	add("bookings", bs, err)
	ts, err := c.Ticket.Query().Where(entticket.TenantID(tid)).Order(ent.Asc(entticket.FieldID)).All(ctx)
	add("tickets", ts, err)
	rs, err := c.Registration.Query().Where(entregistration.TenantID(tid)).Order(ent.Asc(entregistration.FieldID)).All(ctx)
	add("registrations", rs, err)
	pays, err := c.Payment.Query().Where(entpayment.TenantID(tid)).Order(ent.Asc(entpayment.FieldID)).All(ctx)
	add("payments", pays, err)
	hs, err := c.History.Query().Where(enthistory.TenantID(tid)).Order(ent.Asc(enthistory.FieldID)).All(ctx)
	add("history", hs, err)
	ks, err := c.IdempotencyKey.Query().Where(entidem.TenantID(tid)).Order(ent.Asc(entidem.FieldID)).All(ctx)
	add("idempotency keys", ks, err)
	b, err := json.Marshal(parts)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// tncOwnIDs lists the opaque IDs of every row of the tenant, by GraphQL type.
func tncOwnIDs(t testing.TB, e *graphtest.Env, tid int) map[string][]string {
	t.Helper()
	ctx := context.Background()
	c := e.Client
	out := map[string][]string{}
	add := func(typ string, ids []int, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range ids {
			out[typ] = append(out[typ], gid.Encode(id))
		}
		sort.Strings(out[typ])
	}
	ids, err := c.Event.Query().Where(entevent.TenantID(tid)).IDs(ctx)
	add("Event", ids, err)
	ids, err = c.TicketCategory.Query().Where(entcategory.TenantID(tid)).IDs(ctx)
	add("TicketCategory", ids, err)
	ids, err = c.Participant.Query().Where(entparticipant.TenantID(tid)).IDs(ctx)
	add("Participant", ids, err)
	ids, err = c.Booking.Query().Where(entbooking.TenantID(tid)).IDs(ctx)
	add("Booking", ids, err)
	ids, err = c.Ticket.Query().Where(entticket.TenantID(tid)).IDs(ctx)
	add("Ticket", ids, err)
	ids, err = c.Registration.Query().Where(entregistration.TenantID(tid)).IDs(ctx)
	add("Registration", ids, err)
	ids, err = c.Payment.Query().Where(entpayment.TenantID(tid)).IDs(ctx)
	add("Payment", ids, err)
	return out
}

// tncPoison writes rows of tenant c that point into tenant a's rows: a
// booking of a's participant linked to a's event, a ticket in a's booking,
// event and category held by a's participant, a registration of a's
// participant on a's event, and a payment on a's booking.
func tncPoison(t testing.TB, e *graphtest.Env, c int, a *tncObjects) []string {
	t.Helper()
	ctx := context.Background()
	dec := func(s string) int {
		id, err := gid.Decode(s)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	ev, cat, part, bk := dec(a.pubEvent), dec(a.category), dec(a.participant), dec(a.booking)
	cp, err := e.Client.Participant.Create().SetTenantID(c).SetFirstName("ZZC").SetLastName("Poison").
		SetEmail("zzc@example.com").Save(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cb, err := e.Client.Booking.Create().SetTenantID(c).SetOrderNumber("BK-ZZC001").
		SetStatus(domain.BookingStatusConfirmed).SetBookerID(part).SetCurrency("EUR").
		SetPaymentMethod(domain.PaymentMethodInvoice).AddEventIDs(ev).Save(ctx)
	if err != nil {
		t.Fatal(err)
	}
	creg, err := e.Client.Registration.Create().SetTenantID(c).SetEventID(ev).SetParticipantID(part).
		SetStatus(domain.RegistrationStatusAccepted).Save(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ctk, err := e.Client.Ticket.Create().SetTenantID(c).SetBookingID(bk).SetEventID(ev).
		SetTicketCategoryID(cat).SetHolderID(part).SetCode("ZZCPOISONTICKET1").
		SetStatus(domain.TicketStatusActive).SetCurrency("EUR").Save(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ctk2, err := e.Client.Ticket.Create().SetTenantID(c).SetBookingID(cb.ID).SetEventID(ev).
		SetTicketCategoryID(cat).SetHolderID(cp.ID).SetCode("ZZCPOISONTICKET2").
		SetStatus(domain.TicketStatusActive).SetCurrency("EUR").Save(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cpay, err := e.Client.Payment.Create().SetTenantID(c).SetBookingID(bk).SetKind(domain.PaymentKindPayment).
		SetAmount(999).SetCurrency("EUR").SetMethod(domain.PaymentMethodCash).
		SetStatus(domain.PaymentRecordStatusSucceeded).SetNote("ZZC").Save(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return []string{gid.Encode(cp.ID), gid.Encode(cb.ID), gid.Encode(creg.ID), gid.Encode(ctk.ID),
		gid.Encode(ctk2.ID), gid.Encode(cpay.ID)}
}

// tncCheckTree walks a response: every "id" must be one of own, every
// connection or segment must have as many nodes as its totalCount (pages
// are larger than the data), and no marker of another tenant may appear.
func tncCheckTree(t testing.TB, what string, data json.RawMessage, own map[string]bool, markers ...string) {
	t.Helper()
	for _, m := range markers {
		if strings.Contains(string(data), m) {
			t.Errorf("%s: response shows another tenant's data (%s): %s", what, m, data)
		}
	}
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch x := v.(type) {
		case map[string]any:
			if id, ok := x["id"].(string); ok && !own[id] {
				t.Errorf("%s: %s has id %s, which is not the caller's", what, path, id)
			}
			if total, ok := x["totalCount"].(float64); ok {
				rows, ok := x["nodes"].([]any)
				if !ok {
					rows, ok = x["items"].([]any)
				}
				if ok && int(total) != len(rows) {
					t.Errorf("%s: %s totalCount %v but %d rows", what, path, total, len(rows))
				}
			}
			for k, c := range x {
				walk(path+"."+k, c)
			}
		case []any:
			for i, c := range x {
				walk(fmt.Sprintf("%s[%d]", path, i), c)
			}
		}
	}
	walk("data", v)
}

// tncLists is every root list with the type of its rows.
var tncLists = []struct{ field, typ string }{
	{"events", "Event"}, {"bookings", "Booking"}, {"tickets", "Ticket"},
	{"participants", "Participant"}, {"payments", "Payment"}, {"registrations", "Registration"},
}

// tncWalkLists checks every root list (cursor and offset paged, with and
// without a where naming the other tenant's IDs) as the holder of key.
func tncWalkLists(t *testing.T, e *graphtest.Env, key string, own map[string][]string, foreign *tncObjects, markers ...string) {
	t.Helper()
	ownSet := map[string]bool{}
	for _, ids := range own {
		for _, id := range ids {
			ownSet[id] = true
		}
	}
	foreignIDs := foreign.all()
	for _, l := range tncLists {
		for _, q := range []struct{ name, query, list, rows string }{
			{"cursor", fmt.Sprintf("{ %s(first: 100) { totalCount nodes { id } edges { node { id } } } }", l.field), l.field, "nodes"},
			{"backward", fmt.Sprintf("{ %s(last: 100) { totalCount nodes { id } } }", l.field), l.field, "nodes"},
			{"offset", fmt.Sprintf("{ %sPage(take: 100) { totalCount items { id } } }", l.field), l.field + "Page", "items"},
		} {
			r := e.Do(t, q.query, nil, tncAuth(key)...)
			if len(r.Errors) > 0 {
				t.Fatalf("%s %s: %+v", l.field, q.name, r.Errors)
			}
			tncCheckTree(t, l.field+" "+q.name, r.Data, ownSet, markers...)
			var data map[string]map[string]json.RawMessage
			if err := json.Unmarshal(r.Data, &data); err != nil {
				t.Fatal(err)
			}
			var rows []struct {
				ID string `json:"id"`
			}
			var total int
			_ = json.Unmarshal(data[q.list][q.rows], &rows)
			_ = json.Unmarshal(data[q.list]["totalCount"], &total)
			var got []string
			for _, r := range rows {
				got = append(got, r.ID)
			}
			sort.Strings(got)
			want := own[l.typ]
			if !slices.Equal(got, want) {
				t.Errorf("%s %s: got %v, want the caller's %v", l.field, q.name, got, want)
			}
			if total != len(want) {
				t.Errorf("%s %s: totalCount %d, want %d", l.field, q.name, total, len(want))
			}
		}
		// A filter naming the other tenant's rows finds nothing.
		r := e.Do(t, fmt.Sprintf(`query($ids: [ID]) { %s(where: { id: { in: $ids } }) { totalCount nodes { id } } }`, l.field),
			map[string]any{"ids": foreignIDs}, tncAuth(key)...)
		if len(r.Errors) > 0 {
			t.Fatalf("%s where id in: %+v", l.field, r.Errors)
		}
		if !strings.Contains(string(r.Data), `"totalCount":0`) || strings.Contains(string(r.Data), `"id"`) {
			t.Errorf("%s where id in other tenant's IDs: %s", l.field, r.Data)
		}
	}
}

// tncNested are queries through every nested connection and to-one edge.
var tncNested = []string{
	`{ events(first: 10) { nodes { id bookings(first: 50) { totalCount nodes { id booker { id } } } } } }`,
	`{ events(first: 10) { nodes { id tickets(first: 50) { totalCount nodes { id holder { id } booking { id } } } } } }`,
	`{ events(first: 10) { nodes { id registrations(first: 50) { totalCount nodes { id participant { id } ticket { id } } } } } }`,
	`{ events(first: 5) { nodes { id ticketCategories { id event { id } tickets(first: 10) { totalCount nodes { id } } } } } }`,
	`{ eventsPage(take: 10) { items { id bookings(last: 50) { totalCount nodes { id } } } } }`,
	`{ participants(first: 10) { nodes { id bookings(first: 50) { totalCount nodes { id } } } } }`,
	`{ participants(first: 10) { nodes { id tickets(first: 50) { totalCount nodes { id event { id } } } } } }`,
	`{ participants(first: 10) { nodes { id registrations(first: 50) { totalCount nodes { id event { id } } } } } }`,
	`{ bookings(first: 10) { nodes { id events { id } tickets(first: 50) { totalCount nodes { id registration { id } } } } } }`,
	`{ bookings(first: 10) { nodes { id payments(first: 50) { totalCount nodes { id booking { id } } } } } }`,
	`{ bookingsPage(take: 10) { items { id payments(last: 50) { totalCount nodes { id } } tickets(last: 50) { totalCount nodes { id } } } } }`,
	`{ tickets(first: 20) { nodes { id event { id } ticketCategory { id } holder { id } booking { id } registration { id } } } }`,
	`{ payments(first: 20) { nodes { id booking { id booker { id } } } } }`,
	`{ registrations(first: 20) { nodes { id event { id } participant { id } ticket { id } } } }`,
}

func TestTenancyCrossTenantWalk(t *testing.T) {
	graphtest.Each(t, func(t *testing.T, e *graphtest.Env) {
		ctx := context.Background()
		tb, keyB, err := auth.CreateTenant(ctx, e.Client, "other", "")
		if err != nil {
			t.Fatal(err)
		}
		tc, _, err := auth.CreateTenant(ctx, e.Client, "poison", "")
		if err != nil {
			t.Fatal(err)
		}
		a := &tncObjects{slug: "default", key: e.AdminKey, tenantID: e.Tenant, marker: "ZZA"}
		b := &tncObjects{slug: "other", key: keyB, tenantID: tb.ID, marker: "ZZB"}
		tncSeedTenant(t, e, a)
		tncSeedTenant(t, e, b)
		poison := tncPoison(t, e, tc.ID, a)
		beforeB := tncDump(t, e, b.tenantID)
		ownA := tncOwnIDs(t, e, a.tenantID)
		ownB := tncOwnIDs(t, e, b.tenantID)
		ownASet := map[string]bool{}
		for _, ids := range ownA {
			for _, id := range ids {
				ownASet[id] = true
			}
		}

		t.Run("lists", func(t *testing.T) {
			tncWalkLists(t, e, a.key, ownA, b, "ZZB", "ZZC")
			tncWalkLists(t, e, b.key, ownB, a, "ZZA", "ZZC")
		})

		t.Run("nested connections", func(t *testing.T) {
			for _, q := range tncNested {
				r := e.Do(t, q, nil, tncAuth(a.key)...)
				if len(r.Errors) > 0 {
					t.Fatalf("%s: %+v", q, r.Errors)
				}
				tncCheckTree(t, q, r.Data, ownASet, "ZZB", "ZZC")
			}
		})

		t.Run("node and nodes", func(t *testing.T) {
			foreign := append(b.all(), poison...)
			sel := `__typename id ... on Event { title } ... on Booking { orderNumber } ... on Participant { email } ... on Ticket { code }`
			for _, id := range foreign {
				r := e.Do(t, `query($id: ID!) { node(id: $id) { `+sel+` } }`, map[string]any{"id": id}, tncAuth(a.key)...)
				if len(r.Errors) > 0 {
					t.Errorf("node(%s): errors %+v", id, r.Errors)
				}
				if string(r.Data) != `{"node":null}` {
					t.Errorf("node(%s) of another tenant = %s, want null", id, r.Data)
				}
			}
			r := e.Do(t, `query($ids: [ID!]!) { nodes(ids: $ids) { `+sel+` } }`,
				map[string]any{"ids": append(foreign, a.pubEvent)}, tncAuth(a.key)...)
			if len(r.Errors) > 0 {
				t.Fatalf("nodes: %+v", r.Errors)
			}
			var out struct {
				Nodes []json.RawMessage `json:"nodes"`
			}
			if err := json.Unmarshal(r.Data, &out); err != nil {
				t.Fatal(err)
			}
			if len(out.Nodes) != len(foreign)+1 {
				t.Fatalf("nodes returned %d entries for %d ids", len(out.Nodes), len(foreign)+1)
			}
			for i, n := range out.Nodes[:len(foreign)] {
				if string(n) != "null" {
					t.Errorf("nodes[%d] (%s) of another tenant = %s", i, foreign[i], n)
				}
			}
			if !strings.Contains(string(out.Nodes[len(foreign)]), a.pubEvent) {
				t.Errorf("nodes did not return the caller's own event: %s", out.Nodes[len(foreign)])
			}
		})

		t.Run("mutations", func(t *testing.T) {
			person := map[string]any{"firstName": "Mallory", "lastName": "A", "email": "mallory@example.com"}
			cases := []struct {
				name, field, sel string
				in               map[string]any
				want             string // payload error typename
			}{
				{"updateEvent", "event", "id title", map[string]any{"id": b.pubEvent, "title": "hacked"}, "NotFoundError"},
				{"updateEvent", "event", "id title", map[string]any{"id": b.draftEvent, "capacity": 1}, "NotFoundError"},
				{"publishEvent", "event", "id status", map[string]any{"id": b.draftEvent}, "NotFoundError"},
				{"cancelEvent", "event", "id status", map[string]any{"id": b.pubEvent, "reason": "hacked"}, "NotFoundError"},
				{"duplicateEvent", "event", "id title", map[string]any{"id": b.pubEvent, "startsAt": "2028-01-01T10:00:00Z"}, "NotFoundError"},
				{"deleteEvent", "deletedId", "", map[string]any{"id": b.draftEvent}, "NotFoundError"},
				{"createTicketCategory", "ticketCategory", "id", map[string]any{"eventId": b.pubEvent, "name": "hacked", "price": "1.00"}, "NotFoundError"},
				{"updateTicketCategory", "ticketCategory", "id name", map[string]any{"id": b.category, "name": "hacked", "price": "0.00"}, "NotFoundError"},
				{"updateTicketCategory", "ticketCategory", "id name", map[string]any{"id": b.draftCategory, "capacity": 0}, "NotFoundError"},
				{"updateParticipant", "participant", "id email", map[string]any{"id": b.participant, "firstName": "hacked"}, "NotFoundError"},
				{"createBooking", "booking", "id", map[string]any{"booker": person, "paymentMethod": "INVOICE",
					"tickets": []any{map[string]any{"ticketCategoryId": b.category}}}, "NotFoundError"},
				{"createBooking", "booking", "id", map[string]any{"booker": person, "paymentMethod": "INVOICE",
					"tickets": []any{map[string]any{"ticketCategoryId": a.category}, map[string]any{"ticketCategoryId": b.category}}}, "NotFoundError"},
				{"cancelBooking", "booking", "id status", map[string]any{"id": b.booking, "reason": "hacked"}, "NotFoundError"},
				{"cancelBooking", "booking", "id status", map[string]any{"id": b.booking, "applyPolicy": false, "ticketIds": []any{b.tickets[0]}}, "NotFoundError"},
				{"setBooker", "booking", "id", map[string]any{"id": b.booking, "booker": person}, "NotFoundError"},
				{"setInvoiceNumber", "booking", "id", map[string]any{"id": b.booking, "invoiceNumber": "HACKED-1"}, "NotFoundError"},
				{"recordPayment", "payment", "id", map[string]any{"bookingId": b.booking, "amount": "1.00", "method": "CASH"}, "NotFoundError"},
				{"updatePaymentStatus", "payment", "id", map[string]any{"id": b.payment, "status": "FAILED"}, "NotFoundError"},
				{"refundPayment", "payment", "id", map[string]any{"id": b.payment, "amount": "1.00"}, "NotFoundError"},
				{"createRegistration", "registration", "id", map[string]any{"eventId": b.pubEvent, "participant": person}, "NotFoundError"},
				{"updateRegistrationStatus", "registration", "id", map[string]any{"id": b.registration, "status": "CANCELLED"}, "NotFoundError"},
				{"checkInTicket", "ticket", "id", map[string]any{"code": b.ticketCodes[0]}, "TicketNotFoundError"},
				{"checkInTicket", "ticket", "id", map[string]any{"code": b.ticketCodes[0], "eventId": a.pubEvent}, "TicketNotFoundError"},
				{"undoCheckIn", "ticket", "id", map[string]any{"id": b.checkedTicket}, "NotFoundError"},
			}
			for _, c := range cases {
				p := tncMut(t, e, a.key, c.name, c.field, c.sel, c.in)
				raw, _ := json.Marshal(p.resp)
				if strings.Contains(string(raw), "ZZB") {
					t.Errorf("%s %v: response shows B's data: %s", c.name, c.in, raw)
				}
				switch {
				case len(p.resp.Errors) > 0:
					if code := p.resp.Errors[0].Code(); code != "NOT_FOUND" {
						t.Errorf("%s with B's ID: top-level %s (%s), want a NotFoundError", c.name, code, p.resp.Errors[0].Message)
					}
				case !slices.Equal(p.typenames(), []string{c.want}):
					t.Errorf("%s with B's ID: errors %v (object %s), want [%s]", c.name, p.typenames(), p.object, c.want)
				case len(p.object) > 0 && string(p.object) != "null":
					t.Errorf("%s with B's ID returned %s", c.name, p.object)
				}
			}

			// A's own booking with B's ticket: B's ticket is not A's booking's.
			p := tncMut(t, e, a.key, "cancelBooking", "booking", "id status",
				map[string]any{"id": a.booking, "ticketIds": []any{b.tickets[0]}})
			if len(p.resp.Errors) > 0 || len(p.errs) == 0 {
				t.Errorf("cancelBooking of A's booking with B's ticket: %+v %v %s", p.resp.Errors, p.typenames(), p.object)
			}

			// Queries that name an object.
			for _, q := range []struct{ name, query, id string }{
				{"calculateCancellation", `query($id: ID!) { calculateCancellation(bookingId: $id) { refund { amount } paid { amount } } }`, b.booking},
				{"eventStatistics", `query($id: ID!) { eventStatistics(eventId: $id) { registeredCount revenue { amount } } }`, b.pubEvent},
			} {
				r := e.Do(t, q.query, map[string]any{"id": q.id}, tncAuth(a.key)...)
				if len(r.Errors) == 0 || r.Errors[0].Code() != "NOT_FOUND" {
					t.Errorf("%s with B's ID: %s %v, want NOT_FOUND", q.name, r.Data, r.Codes())
				}
			}
			r := e.Do(t, `query($o: String!, $m: String!) { bookingByOrderNumber(orderNumber: $o, email: $m) { id } }`,
				map[string]any{"o": b.orderNumber, "m": b.bookerEmail}, tncAuth(a.key)...)
			if len(r.Errors) > 0 || string(r.Data) != `{"bookingByOrderNumber":null}` {
				t.Errorf("bookingByOrderNumber of B's booking as A: %s %v", r.Data, r.Codes())
			}

			// What exists in B does not exist in A: the same e-mail makes a
			// new participant of A, the same idempotency key a new booking.
			var np struct {
				ID string `json:"id"`
			}
			tncMust(t, e, a.key, "createParticipant", "participant", "id", map[string]any{
				"firstName": "Zed", "lastName": "A", "email": b.bookerEmail,
			}, &np)
			if np.ID == "" || slices.Contains(b.all(), np.ID) {
				t.Errorf("createParticipant with B's booker e-mail gave %q", np.ID)
			}
			var nb struct {
				ID      string              `json:"id"`
				Booker  struct{ ID string } `json:"booker"`
				Tickets struct {
					Nodes []struct{ ID string } `json:"nodes"`
				} `json:"tickets"`
			}
			tncMust(t, e, a.key, "createBooking", "booking", "id booker { id } tickets { nodes { id } }", map[string]any{
				"booker": person, "paymentMethod": "INVOICE", "idempotencyKey": "idem-" + b.marker,
				"tickets": []any{map[string]any{"ticketCategoryId": a.category}},
			}, &nb)
			if nb.ID == "" || nb.ID == b.booking || len(nb.Tickets.Nodes) != 1 {
				t.Errorf("createBooking with B's idempotency key gave %+v", nb)
			}
		})

		if after := tncDump(t, e, b.tenantID); after != beforeB {
			t.Errorf("B's rows changed while A acted:\nbefore %s\nafter  %s", beforeB, after)
		}

		t.Run("headers", func(t *testing.T) {
			q := `{ events(first: 100) { totalCount nodes { id title status } } }`
			for _, h := range []struct {
				name    string
				headers []string
				status  int
				code    string
			}{
				{"A's key with B's X-Tenant-Id", []string{"Authorization", "Bearer " + a.key, "X-Tenant-Id", b.slug}, http.StatusForbidden, "FORBIDDEN"},
				{"A's key with B's X-Cobra-TenantId", []string{"Authorization", "Bearer " + a.key, "X-Cobra-TenantId", b.slug}, http.StatusForbidden, "FORBIDDEN"},
				{"A's key with B's tenant ID", []string{"Authorization", "Bearer " + a.key, "X-Tenant-Id", gid.Encode(b.tenantID)}, http.StatusForbidden, "FORBIDDEN"},
				{"A's key with B's tenant number", []string{"Authorization", "Bearer " + a.key, "X-Tenant-Id", fmt.Sprint(b.tenantID & (1<<32 - 1))}, http.StatusForbidden, "FORBIDDEN"},
				{"A's key with B's slug in capitals", []string{"Authorization", "Bearer " + a.key, "X-Tenant-Id", strings.ToUpper(b.slug)}, http.StatusForbidden, "FORBIDDEN"},
				{"B's key with A's X-Tenant-Id", []string{"Authorization", "Bearer " + b.key, "X-Tenant-Id", a.slug}, http.StatusForbidden, "FORBIDDEN"},
				{"B's key with A's X-Cobra-TenantId", []string{"Authorization", "Bearer " + b.key, "X-Cobra-TenantId", a.slug}, http.StatusForbidden, "FORBIDDEN"},
				{"unknown key", []string{"Authorization", "Bearer sgk_" + strings.Repeat("x", 32)}, http.StatusUnauthorized, "UNAUTHENTICATED"},
				{"unknown key with B's tenant", []string{"Authorization", "Bearer nope", "X-Tenant-Id", b.slug}, http.StatusUnauthorized, "UNAUTHENTICATED"},
				{"B's key hash as key", []string{"Authorization", "Bearer " + auth.Hash(b.key)}, http.StatusUnauthorized, "UNAUTHENTICATED"},
				{"Basic scheme", []string{"Authorization", "Basic " + a.key}, http.StatusUnauthorized, "UNAUTHENTICATED"},
				{"bearer without key", []string{"Authorization", "Bearer "}, http.StatusUnauthorized, "UNAUTHENTICATED"},
				{"unknown tenant", []string{"Authorization", "", "X-Tenant-Id", "no-such-tenant"}, http.StatusNotFound, "NOT_FOUND"},
			} {
				r := e.Do(t, q, nil, h.headers...)
				if r.Status != h.status || len(r.Errors) == 0 || r.Errors[0].Code() != h.code {
					t.Errorf("%s: HTTP %d %v data %s, want %d %s", h.name, r.Status, r.Codes(), r.Data, h.status, h.code)
				}
				if strings.Contains(string(r.Data), "ZZ") {
					t.Errorf("%s: refused request still shows data %s", h.name, r.Data)
				}
			}

			// A key with its own tenant named works, and B's key sees B only.
			for _, h := range [][]string{
				{"Authorization", "Bearer " + a.key, "X-Tenant-Id", a.slug},
				{"Authorization", "Bearer " + a.key, "X-Cobra-TenantId", gid.Encode(a.tenantID)},
			} {
				r := e.Do(t, q, nil, h...)
				if r.Status != http.StatusOK || len(r.Errors) > 0 || strings.Contains(string(r.Data), "ZZB") {
					t.Errorf("%v: HTTP %d %v %s", h, r.Status, r.Codes(), r.Data)
				}
			}

			anonymousEvents := func(headers ...string) []string {
				t.Helper()
				r := e.Do(t, q, nil, append([]string{"Authorization", ""}, headers...)...)
				if r.Status != http.StatusOK || len(r.Errors) > 0 {
					t.Fatalf("anonymous events %v: HTTP %d %v", headers, r.Status, r.Codes())
				}
				var out struct {
					Events struct {
						TotalCount int
						Nodes      []struct{ ID, Title, Status string }
					}
				}
				if err := json.Unmarshal(r.Data, &out); err != nil {
					t.Fatal(err)
				}
				var ids []string
				for _, n := range out.Events.Nodes {
					ids = append(ids, n.ID)
				}
				if out.Events.TotalCount != len(ids) {
					t.Errorf("anonymous %v: totalCount %d for %d events", headers, out.Events.TotalCount, len(ids))
				}
				return ids
			}
			if got := anonymousEvents("X-Tenant-Id", b.slug); !slices.Equal(got, []string{b.pubEvent}) {
				t.Errorf("anonymous with X-Tenant-Id B sees %v, want only B's published %s", got, b.pubEvent)
			}
			if got := anonymousEvents("X-Cobra-TenantId", b.slug); !slices.Equal(got, []string{b.pubEvent}) {
				t.Errorf("anonymous with X-Cobra-TenantId B sees %v, want only %s", got, b.pubEvent)
			}
			if got := anonymousEvents(); !slices.Equal(got, []string{a.pubEvent}) {
				t.Errorf("anonymous without X-Tenant-Id sees %v, want only the default tenant's published %s", got, a.pubEvent)
			}
			// Anonymous in B: A's published event and B's draft are not there.
			for _, id := range []string{a.pubEvent, a.category, b.draftEvent, b.draftCategory} {
				r := e.Do(t, `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": id}, "Authorization", "", "X-Tenant-Id", b.slug)
				if len(r.Errors) > 0 || string(r.Data) != `{"node":null}` {
					t.Errorf("anonymous in B: node(%s) = %s %v, want null", id, r.Data, r.Codes())
				}
			}
			r := e.Do(t, `query($id: ID!) { node(id: $id) { id ... on Event { ticketCategories { id availableSeats } } } }`,
				map[string]any{"id": b.pubEvent}, "Authorization", "", "X-Tenant-Id", b.slug)
			if len(r.Errors) > 0 || !strings.Contains(string(r.Data), b.category) {
				t.Errorf("anonymous in B: node(B's published event) = %s %v", r.Data, r.Codes())
			}
			// Anonymous booking in B of A's category is not found.
			p := tncMut(t, e, "", "createBooking", "booking", "id", map[string]any{
				"booker":        map[string]any{"firstName": "Anon", "lastName": "Y", "email": "anon@example.com"},
				"paymentMethod": "INVOICE", "tickets": []any{map[string]any{"ticketCategoryId": a.category}},
			}, "X-Tenant-Id", b.slug)
			if !slices.Equal(p.typenames(), []string{"NotFoundError"}) {
				t.Errorf("anonymous in B booking A's category: %v %v %s", p.resp.Codes(), p.typenames(), p.object)
			}
		})

		if after := tncDump(t, e, b.tenantID); after != beforeB {
			t.Errorf("B's rows changed after the header checks")
		}
	})
}
