package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"seatgraph/graph/graphtest"
	"seatgraph/internal/auth"
	"seatgraph/internal/demo"
	"seatgraph/internal/domain"
)

// The stored fields of every list entity, for selections that read them all.
const compiledFragments = `
fragment B on Booking { id createdAt updatedAt orderNumber status statusLocalized invoiceAddress currency
  subtotal { amount currency formatted } taxTotal { amount } total { amount formatted } paidAmount { amount }
  refundedAmount { currency } paymentStatus paymentStatusLocalized paymentMethod paymentMethodLocalized
  invoiceNumber holdExpiresAt confirmedAt cancelledAt cancellationReason utmSource utmMedium utmCampaign }
fragment T on Ticket { id createdAt updatedAt code status statusLocalized checkedInAt
  price { amount currency formatted } netPrice { amount } taxAmount { formatted } currency }
fragment R on Registration { id createdAt updatedAt status statusLocalized waitlistPosition }
fragment P on Payment { id createdAt updatedAt kind kindLocalized amount { amount currency formatted } currency
  method methodLocalized status statusLocalized providerReference paidAt note }
fragment E on Event { id createdAt updatedAt title description status statusLocalized startsAt endsAt timeZone
  venue address onlineUrl category capacity waitlistEnabled registrationOpensAt registrationClosesAt
  maxTicketsPerBooking currency cancelledAt cancellationReason registeredCount waitlistCount checkedInCount }
fragment C on TicketCategory { id createdAt updatedAt name description price { amount currency formatted }
  capacity soldCount salesStartAt salesEndAt }
fragment Q on Participant { id createdAt updatedAt firstName lastName email phone company jobTitle address
  zipCode city countryCode externalRef }
`

// withFragments appends the fragments of compiledFragments that query uses
// (GraphQL refuses unused ones).
func withFragments(query string) string {
	if i := strings.Index(query, compiledFragments); i >= 0 {
		query = query[:i]
	}
	for _, f := range strings.Split(compiledFragments, "\nfragment ")[1:] {
		name, _, _ := strings.Cut(f, " ")
		if strings.Contains(query, "..."+name+" ") || strings.HasSuffix(query, "..."+name) {
			query += "\nfragment " + f
		}
	}
	return query
}

const pageInfoAll = `pageInfo { hasNextPage hasPreviousPage startCursor endCursor }`

type compiledCase struct {
	name  string
	query string
	vars  map[string]any
	// headers of the request (Authorization "" is anonymous).
	headers []string
	// stmts is the number of statements the compiled answer takes (one
	// per compiled root field); -1: the compiler must decline, the
	// resolvers answer.
	stmts int64
	// others is the number of statements besides the compiled ones (the
	// loads of fields answered in Go); -1: any (a root field answered by
	// the resolvers).
	others int64
}

// TestCompiledListsMatchResolvers answers a table of list queries with the
// list compiler on and off: the responses must be the same bytes, and a
// compiled answer must cost one statement per root list field (so a
// silent fall back to the resolvers cannot pass for a compiled answer).
func TestCompiledListsMatchResolvers(t *testing.T) {
	graphtest.Each(t, func(t *testing.T, e *graphtest.Env) {
		graphtest.SeedPaging(t, e)
		// Text the databases escape differently in JSON than GraphQL does.
		_, err := e.Client.Participant.Create().SetFirstName(`Zoë "Q" \ / <b>`).SetLastName("Tab\tNew\nline\u0001 😀").
			SetEmail("odd@example.com").SetCompany("é\u2028\u00a0").Save(e.Ctx())
		if err != nil {
			t.Fatal(err)
		}
		checkin, err := auth.CreateKey(context.Background(), e.Client, e.Tenant, domain.RoleCheckIn)
		if err != nil {
			t.Fatal(err)
		}
		// The first request of a key looks it up; later ones reuse it.
		e.Query(t, "{ __typename }", nil, nil)
		e.Query(t, "{ __typename }", nil, nil, "Authorization", "Bearer "+checkin)
		run := func(t *testing.T, tc compiledCase) []byte {
			t.Helper()
			return compareCompiled(t, e, tc)
		}
		// cursors reads the start and end cursors at path in a response.
		cursors := func(t *testing.T, body []byte, path ...string) (start, end string) {
			t.Helper()
			var v any
			if err := json.Unmarshal(body, &v); err != nil {
				t.Fatal(err)
			}
			v = v.(map[string]any)["data"]
			for _, p := range path {
				switch x := v.(type) {
				case map[string]any:
					v = x[p]
				case []any:
					v = x[0].(map[string]any)[p]
				}
			}
			info := v.(map[string]any)["pageInfo"].(map[string]any)
			s, _ := info["startCursor"].(string)
			en, _ := info["endCursor"].(string)
			if s == "" || en == "" {
				t.Fatalf("no cursors at %v: %s", path, body)
			}
			return s, en
		}

		all := []compiledCase{
			{name: "bookings", query: `{ bookings(first: 4) { totalCount ` + pageInfoAll + ` edges { cursor node { ...B booker { ...Q } } } } }` + compiledFragments, stmts: 1},
			{name: "bookings de", query: `{ bookings(first: 4) { nodes { ...B } } }` + compiledFragments, headers: []string{"Accept-Language", "de"}, stmts: 1},
			{name: "tickets", query: `{ tickets(first: 6) { totalCount nodes { ...T booking { orderNumber } event { ...E } ticketCategory { ...C } holder { email } registration { ...R } } } }` + compiledFragments, stmts: 1},
			{name: "tickets de", query: `{ tickets(first: 6) { nodes { ...T } } }` + compiledFragments, headers: []string{"Accept-Language", "de-CH,de;q=0.9"}, stmts: 1},
			{name: "registrations", query: `{ registrations(first: 6) { ` + pageInfoAll + ` nodes { ...R event { title } participant { ...Q } ticket { code } } } }` + compiledFragments, stmts: 1},
			{name: "payments", query: `{ payments(first: 6) { totalCount nodes { ...P booking { ...B } } } }` + compiledFragments, stmts: 1},
			{name: "payments de", query: `{ payments { nodes { ...P } } }` + compiledFragments, headers: []string{"Accept-Language", "de"}, stmts: 1},
			{name: "events", query: `{ events { totalCount ` + pageInfoAll + ` nodes { ...E ticketCategories { ...C event { title } } } } }` + compiledFragments, stmts: 1},
			{name: "participants", query: `{ participants(first: 20) { totalCount nodes { ...Q } } }` + compiledFragments, stmts: 1},
			{name: "offset pages", query: `{ bookingsPage(skip: 2, take: 3) { __typename totalCount pageInfo { __typename hasNextPage hasPreviousPage } items { id } }
			  eventsPage(take: 2) { pageInfo { hasNextPage hasPreviousPage } items { ...E } }
			  ticketsPage(skip: 1000) { totalCount pageInfo { hasNextPage hasPreviousPage } items { id } }
			  paymentsPage(skip: 1, take: 1) { items { ...P } } participantsPage { items { id } } registrationsPage(take: 0) { pageInfo { hasNextPage hasPreviousPage } items { id } } }` + compiledFragments, stmts: 6},
			{name: "orders", query: `{
			  a: bookings(order: [{total: DESC}], first: 5) { ` + pageInfoAll + ` edges { cursor node { orderNumber total { amount currency } } } }
			  b: events(order: [{capacity: ASC}, {title: DESC}], first: 5) { edges { cursor node { title capacity } } }
			  c: participants(order: [{company: ASC}], first: 5) { edges { cursor node { company } } }
			  d: tickets(order: [{booking: {booker: {lastName: ASC}}}, {status: DESC}], first: 5) { edges { cursor node { code } } }
			  e: registrations(order: [{waitlistPosition: DESC}], first: 5) { edges { cursor node { waitlistPosition } } }
			  f: payments(order: [{amount: ASC}, {paidAt: DESC}], first: 5) { edges { cursor node { amount { amount currency } paidAt } } }
			  g: bookings(order: [{status: ASC, confirmedAt: DESC}], last: 3) { ` + pageInfoAll + ` edges { cursor } } }`, stmts: 7},
			{name: "filters", query: `{
			  a: bookings(where: {or: [{status: {eq: CONFIRMED}}, {total: {gt: "10"}}], booker: {email: {contains: "A"}}}) { totalCount nodes { orderNumber } }
			  b: tickets(where: {event: {title: {startsWith: "s"}}, status: {neq: CANCELLED}}) { totalCount nodes { code } }
			  c: events(where: {capacity: {eq: null}}) { totalCount nodes { title } }
			  d: participants(where: {bookings: {some: {status: {eq: CANCELLED}}}}) { totalCount nodes { email } }
			  e: payments(where: {and: [{kind: {in: [REFUND]}}, {paidAt: {neq: null}}]}) { totalCount nodes { id } }
			  f: registrations(where: {ticket: {code: {ncontains: "x"}}}) { totalCount nodes { id } } }`, stmts: 6},
			{name: "nested connections", query: `{ events(first: 4) { nodes { title
			    tickets(first: 2, order: [{code: ASC}]) { totalCount ` + pageInfoAll + ` edges { cursor node { code holder { lastName } } } }
			    registrations(last: 2) { totalCount ` + pageInfoAll + ` nodes { status } }
			    bookings(first: 2, where: {status: {neq: CANCELLED}}) { totalCount ` + pageInfoAll + ` nodes { orderNumber events { title } payments(first: 1) { nodes { amount { formatted } } } } } } } }`, stmts: 1},
			{name: "nested under participants", query: `{ participants(first: 5) { nodes { email
			    bookings(first: 1) { ` + pageInfoAll + ` nodes { orderNumber } }
			    tickets(last: 1, order: [{price: DESC}]) { ` + pageInfoAll + ` nodes { code } }
			    registrations { totalCount } } } ticketsPage(take: 3) { items { code ticketCategory { name tickets(first: 1) { totalCount nodes { code } } } } } }`, stmts: 2},
			{name: "aliases fragments directives", query: `query($yes: Boolean!, $no: Boolean!) {
			  x: bookings(first: 2) { __typename ... on BookingConnection { nodes { ...Bk } } n: totalCount @include(if: $yes) m: totalCount @skip(if: $yes)
			    edges { __typename c: cursor ... @include(if: $no) { node { id } } } pageInfo { __typename e: endCursor } } }
			  fragment Bk on Booking { __typename id n: orderNumber id2: id t: total { __typename f: formatted a: amount } ... on Node { id } }`,
				vars: map[string]any{"yes": true, "no": false}, stmts: 1},
			{name: "anonymous", query: `{ events { totalCount nodes { title status ticketCategories { name price { formatted } } } } eventsPage { totalCount } }`,
				headers: []string{"Authorization", ""}, stmts: 2},
			{name: "checkin role", query: `{ tickets(first: 3) { nodes { code booking { orderNumber } event { title } } } }`,
				headers: []string{"Authorization", "Bearer " + checkin}, stmts: 1},
			{name: "checkin role refused a nested list", query: `{ events(first: 1) { nodes { title bookings { totalCount } } } }`,
				headers: []string{"Authorization", "Bearer " + checkin}, stmts: -1},
			// Fields with resolvers of their own: the statement answers the
			// rest, the resolvers run on the entities loaded by id (one more
			// statement per entity type, whatever the page size).
			{name: "balanceDue", query: `{ bookings(first: 5) { nodes { orderNumber balanceDue { amount currency formatted } tickets { nodes { code } } } } }`,
				headers: []string{"Accept-Language", "de"}, stmts: 1, others: 1},
			{name: "participant name", query: `{ participants(first: 30) { nodes { name email } } }`, stmts: 1, others: 1},
			{name: "availableSeats and taxRatePercent", query: `{ events { nodes { title availableSeats ticketCategories { name availableSeats taxRatePercent event { capacity } } } } }`, stmts: 1, others: 3},
			{name: "the event page, anonymous", query: `{ events(first: 20, where: { status: { eq: PUBLISHED } }) { nodes { id title startsAt venue availableSeats
			    ticketCategories { id name price { amount currency } availableSeats } } } }`, headers: []string{"Authorization", ""}, stmts: 1, others: 3},
			{name: "Go fields at every level", query: `{ tickets(first: 8) { nodes { code booking { balanceDue { amount } booker { name } } holder { name } ticketCategory { taxRatePercent availableSeats } event { availableSeats } } } }`, stmts: 1, others: 5},
			{name: "a field with an object resolver", query: `{ events(first: 3) { nodes { title cancellationPolicy { rules { hoursBeforeStart } } } } }`, stmts: -1},
			{name: "one root field declines, the other compiles", query: `{ events(first: 3) { nodes { cancellationPolicy { rules { keepPercent } } } } participants(first: 1) { nodes { email } } }`, stmts: 1, others: -1},
			{name: "bad arguments", query: `{ bookings(first: -1) { totalCount } }`, stmts: -1},
			{name: "bad cursor", query: `{ events(after: "nope") { totalCount } }`, stmts: -1},
			{name: "page too large", query: `{ events(first: 100000) { totalCount } }`, stmts: -1},
			{name: "nested bad argument", query: `{ events(first: 1) { nodes { tickets(first: -2) { totalCount } } } }`, stmts: -1},
		}
		for _, tc := range all {
			t.Run(tc.name, func(t *testing.T) { run(t, tc) })
		}

		t.Run("cursors", func(t *testing.T) {
			for _, order := range []string{`[]`, `[{total: DESC}]`, `[{booker: {company: ASC}}]`, `[{confirmedAt: ASC}, {status: DESC}]`} {
				sel := `totalCount ` + pageInfoAll + ` edges { cursor node { orderNumber } }`
				page1 := run(t, compiledCase{query: `{ bookings(order: ` + order + `, first: 3) { ` + sel + ` } }`, stmts: 1})
				start, end := cursors(t, page1, "bookings")
				q := func(args string) string {
					var decl []string
					for _, v := range []string{"$a", "$b"} {
						if strings.Contains(args, v) {
							decl = append(decl, v+": String")
						}
					}
					head := "query"
					if len(decl) > 0 {
						head += "(" + strings.Join(decl, ", ") + ")"
					}
					return head + ` { bookings(order: ` + order + `, ` + args + `) { ` + sel + ` } }`
				}
				vars := map[string]any{"a": end, "b": start}
				run(t, compiledCase{query: q(`first: 3, after: $a`), vars: vars, stmts: 1})
				run(t, compiledCase{query: q(`last: 2, before: $a`), vars: vars, stmts: 1})
				run(t, compiledCase{query: q(`last: 10, before: $a`), vars: vars, stmts: 1})
				run(t, compiledCase{query: q(`first: 10, after: $b, before: $a`), vars: vars, stmts: 1})
				run(t, compiledCase{query: q(`last: 1, after: $b, before: $a`), vars: vars, stmts: 1})
				run(t, compiledCase{query: q(`last: 3`), vars: vars, stmts: 1})
			}
			nested := `query($a: String) { events(first: 3) { nodes { tickets(first: 2, after: $a) { ` + pageInfoAll + ` edges { cursor node { code } } } } } }`
			first := run(t, compiledCase{query: nested, stmts: 1})
			_, end := cursors(t, first, "events", "nodes", "tickets")
			run(t, compiledCase{query: nested, vars: map[string]any{"a": end}, stmts: 1})
			back := strings.Replace(nested, "first: 2, after: $a", "last: 1, before: $a", 1)
			run(t, compiledCase{query: back, vars: map[string]any{"a": end}, stmts: 1})
		})
	})
}

// TestCompiledReadsSelectedColumns checks what a compiled statement reads:
// the selected columns only, and every table it touches narrowed to the
// caller's tenant (each alias of a FROM carries the tenant predicate).
func TestCompiledReadsSelectedColumns(t *testing.T) {
	graphtest.Each(t, func(t *testing.T, e *graphtest.Env) {
		graphtest.SeedPaging(t, e)
		e.Query(t, "{ __typename }", nil, nil)
		q := func(s string) string { // the quoting of the dialect
			if e.Name == "postgres" {
				return `"` + s + `"`
			}
			return "`" + s + "`"
		}
		tests := []struct {
			name, query string
			has, lacks  []string
		}{
			{"stored fields", `{ bookings(first: 5) { nodes { orderNumber total { amount } } } }`,
				[]string{"order_number", "total", "currency"}, []string{"custom_field_answers", "invoice_address", "utm_source", "subtotal"}},
			{"edges and nested connections", `{ bookings(first: 5) { totalCount nodes { booker { email } tickets(first: 2) { totalCount nodes { code event { title } } } payments { pageInfo { hasNextPage } } } } }`,
				[]string{"email", "code", "title", "booker_id", "booking_id"}, []string{"first_name", "net_price", "description", "order_number"}},
			{"filters and bounds", `{ events(where: {title: {contains: "o"}}, order: [{capacity: DESC}], first: 2) { pageInfo { hasPreviousPage } nodes { bookings(where: {status: {eq: CONFIRMED}}) { totalCount } } } }`,
				[]string{"title", "capacity", "status"}, []string{"venue", "order_number"}},
		}
		tenant := regexp.MustCompile(`FROM ` + "[`\"]" + `(\w+)` + "[`\"]" + ` AS ` + "[`\"]" + `(q\d+)` + "[`\"]")
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				stmts := e.Record(func() { e.Query(t, tt.query, nil, nil) })
				if len(stmts) != 1 {
					t.Fatalf("%d statements, want one compiled statement", len(stmts))
				}
				s := stmts[0]
				for _, c := range tt.has {
					if !strings.Contains(s, q(c)) {
						t.Errorf("lacks column %s: %s", c, s)
					}
				}
				for _, c := range tt.lacks {
					if strings.Contains(s, q(c)) {
						t.Errorf("reads column %s: %s", c, s)
					}
				}
				froms := tenant.FindAllStringSubmatch(s, -1)
				if len(froms) == 0 {
					t.Fatalf("no aliased table in %s", s)
				}
				for _, m := range froms {
					if !strings.Contains(s, q(m[2])+"."+q("tenant_id")+" = ") {
						t.Errorf("%s AS %s is not narrowed to the tenant: %s", m[1], m[2], s)
					}
				}
			})
		}
	})
}

// compareCompiled answers tc with the compiler on and off and requires the
// same bytes, and the compiled statements tc expects.
func compareCompiled(t *testing.T, e *graphtest.Env, tc compiledCase) []byte {
	t.Helper()
	query := withFragments(tc.query)
	want := e.Raw(t, e.Interpreted, query, tc.vars, tc.headers...)
	var got []byte
	stmts := e.Record(func() { got = e.Raw(t, e.Handler, query, tc.vars, tc.headers...) })
	if !bytes.Equal(got, want) {
		t.Fatalf("compiled and resolver answers differ\ncompiled:  %s\nresolvers: %s", got, want)
	}
	// The same request again runs the plan kept from the first.
	if again := e.Raw(t, e.Handler, query, tc.vars, tc.headers...); !bytes.Equal(again, want) {
		t.Fatalf("a reused plan answers differently\nreused:    %s\nresolvers: %s", again, want)
	}
	if tc.stmts > 0 && bytes.Contains(got, []byte(`"errors":`)) {
		t.Fatalf("a compiled answer with errors: %s", got)
	}
	compiled := 0
	for _, s := range stmts {
		if strings.Contains(s, "json_agg(") || strings.Contains(s, "jsonb_group_array(") {
			compiled++
		}
	}
	switch {
	case tc.stmts >= 0 && ((tc.others >= 0 && int64(len(stmts)-compiled) != tc.others) || int64(compiled) != tc.stmts):
		t.Errorf("compiled answer took %d statements (%d compiled), want %d compiled and %d others: %.300s", len(stmts), compiled, tc.stmts, tc.others, got)
	case tc.stmts < 0 && compiled > 0:
		t.Errorf("expected the resolvers to answer, %d statements were compiled", compiled)
	}
	return got
}

// TestCompiledListsMatchResolversDemo is the differential test on the demo
// data (custom fields, several events per booking, payments and refunds).
func TestCompiledListsMatchResolversDemo(t *testing.T) {
	graphtest.Each(t, func(t *testing.T, e *graphtest.Env) {
		if _, err := demo.Seed(e.Ctx(), e.Client, e.Dialect(), e.Tenant, time.Now()); err != nil {
			t.Fatal(err)
		}
		e.Query(t, "{ __typename }", nil, nil)
		for _, tc := range []compiledCase{
			{name: "booking page", query: bookingPage, vars: map[string]any{"n": 50}, stmts: 1},
			{name: "booking page de", query: bookingPage, vars: map[string]any{"n": 50}, headers: []string{"Accept-Language", "de"}, stmts: 1},
			{name: "everything", query: `{ bookings(first: 5) { totalCount ` + pageInfoAll + ` edges { cursor node { ...B booker { ...Q } } } } }`, stmts: 1},
			{name: "edges of bookings", query: `{ bookings(first: 4) { nodes { orderNumber events { title ticketCategories { name price { amount } } }
			    tickets(first: 3) { totalCount nodes { ...T registration { status } ticketCategory { name } } }
			    payments(first: 2, order: [{paidAt: DESC}]) { ` + pageInfoAll + ` nodes { ...P } } } } }`, stmts: 1},
			{name: "events", query: `{ events(last: 5) { ` + pageInfoAll + ` nodes { ...E registrations(first: 3) { totalCount nodes { ...R participant { ...Q } } }
			    bookings(last: 2, order: [{total: DESC}]) { ` + pageInfoAll + ` edges { cursor node { ...B } } } } } }`, stmts: 1},
			{name: "anonymous event page", query: `{ events(first: 20, where: { status: { eq: PUBLISHED } }) { nodes { id title startsAt venue ticketCategories { id name price { amount currency } } } } }`,
				headers: []string{"Authorization", ""}, stmts: 1},
		} {
			t.Run(tc.name, func(t *testing.T) { compareCompiled(t, e, tc) })
		}
	})
}
