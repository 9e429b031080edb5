package graph_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"hash/fnv"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"

	"seatgraph/graph/graphtest"
)

// FuzzRequest sends arbitrary requests to the whole app handler (issue 4,
// "Fuzzing"): whatever arrives, the server answers without panicking, never
// with a 5xx status and never with INTERNAL_SERVER_ERROR. The seed corpus
// runs in every `go test`, on SQLite and (with DATABASE_URL) PostgreSQL.

// fzrCursor is a cursor of the right order with arbitrary keys: it gets
// past the order check and into the key decoding.
func fzrCursor(signature, keys string) string {
	h := fnv.New32a()
	h.Write([]byte(signature))
	o := strconv.FormatUint(uint64(h.Sum32()), 36)
	return base64.RawURLEncoding.EncodeToString([]byte(`{"o":"` + o + `","k":` + keys + `}`))
}

func fzrBody(query string, vars any) string {
	b, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	return string(b)
}

// fzrNested is an events filter nested n levels deep through "and".
func fzrNested(n int) string {
	return strings.Repeat(`{"and":[`, n) + `{"title":{"eq":"x"}}` + strings.Repeat(`]}`, n)
}

// fzrSeeds are request bodies (mode 0) or queries with variables (mode 1).
var fzrSeeds = []struct {
	body, vars string
	mode       uint8
}{
	// Valid queries and mutations.
	{`{"query":"{ events { totalCount nodes { id title ticketCategories { id price { amount formatted } availableSeats } } } }"}`, "", 0},
	{`{"query":"query($id: ID!) { node(id: $id) { id ... on Event { title } } }","variables":{"id":"RXZlbnQ6MQ"}}`, "", 0},
	{`{ bookings(first: 5, order: [{ total: DESC }]) { pageInfo { endCursor hasNextPage } nodes { orderNumber total { amount } booker { email } tickets { nodes { code } } } } }`, `{}`, 1},
	{`{ eventsPage(skip: 1, take: 2, where: { title: { contains: "ä" } }) { items { id } totalCount } }`, `{}`, 1},
	{`mutation($in: CreateBookingInput!) { createBooking(input: $in) { booking { id total { amount } } errors { __typename } } }`,
		`{"in":{"booker":{"firstName":"F","lastName":"Z","email":"fuzz@example.com"},"tickets":[{"ticketCategoryId":"VGlja2V0Q2F0ZWdvcnk6MQ"}],"paymentMethod":"CARD"}}`, 1},
	{`mutation($in: CreateEventInput!) { createEvent(input: $in) { event { id } errors { __typename } } }`,
		`{"in":{"title":"Fuzz","startsAt":"2027-01-01T10:00:00+02:00","capacity":-5,"currency":"XXX","ticketCategories":[{"name":"A","price":"1e5"}]}}`, 1},
	{`mutation { recordPayment(input: { bookingId: "Qm9va2luZzox", amount: "0.001", method: CASH }) { errors { __typename } } }`, `{}`, 1},
	{`{ __schema { types { name fields { name } } } }`, `{}`, 1},
	{`query A { __typename } query B { events { totalCount } }`, `{}`, 1},
	// Broken JSON and bodies that are not GraphQL requests.
	{``, "", 0},
	{`{`, "", 0},
	{`{"query":`, "", 0},
	{`null`, "", 0},
	{`[]`, "", 0},
	{`[{"query":"{ __typename }"}]`, "", 0},
	{`"query"`, "", 0},
	{`{"query":null}`, "", 0},
	{`{"query":1}`, "", 0},
	{`{"query":"{ __typename }","variables":[]}`, "", 0},
	{`{"query":"{ __typename }","variables":"x"}`, "", 0},
	{`{"query":"{ __typename }","operationName":"Nope"}`, "", 0},
	{`{"query":"{ __typename }","extensions":{"persistedQuery":{"version":1,"sha256Hash":"00"}}}`, "", 0},
	{`{"extensions":{"persistedQuery":{"version":1,"sha256Hash":"ecf4edb46db40b5132295c0291d62fb65d6759a9eedfa4d5d612dd5ec54a6b38"}}}`, "", 0},
	{`{"extensions":{"persistedQuery":{"version":2}}}`, "", 0},
	{"{\"query\":\"{ \xff\xfe }\"}", "", 0},
	{"\x00\x01\x02", "", 0},
	{`{"query":"{ __typename }","variables":{"a":` + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + `}}`, "", 0},
	// Huge numbers.
	{`{ events(first: 99999999999999999999) { totalCount } }`, `{}`, 1},
	{`{ events(first: 2147483648) { totalCount } }`, `{}`, 1},
	{`{ events(first: -1) { totalCount } }`, `{}`, 1},
	{`{ eventsPage(skip: 2147483647, take: 100) { totalCount items { id } } }`, `{}`, 1},
	{`{ eventsPage(skip: -2147483648) { totalCount } }`, `{}`, 1},
	{`query($n: Int) { events(first: $n) { totalCount } }`, `{"n":1e400}`, 1},
	{`query($n: Int) { events(first: $n) { totalCount } }`, `{"n":9223372036854775807}`, 1},
	{`query($n: Int) { events(last: $n) { nodes { tickets(first: $n) { nodes { id } } } } }`, `{"n":4611686018427387904}`, 1},
	{`query($n: Int) { eventsPage(skip: $n, take: 1) { totalCount } }`, `{"n":9223372036854775807}`, 1},
	{`query($n: Int) { events(where: { capacity: { gt: $n } }) { totalCount } }`, `{"n":-9223372036854775808}`, 1},
	{`{ events(where: { capacity: { in: [2147483647, -2147483648, 0] } }) { totalCount } }`, `{}`, 1},
	{`query($t: DateTime) { events(where: { startsAt: { gte: $t } }) { totalCount } }`, `{"t":"0000-01-01T00:00:00Z"}`, 1},
	{`query($t: DateTime) { events(where: { startsAt: { lt: $t } }) { totalCount } }`, `{"t":"9999-12-31T23:59:59.999999999+14:00"}`, 1},
	{`query($t: DateTime) { eventStatistics(eventId: "RXZlbnQ6MQ", from: $t, to: "9999-01-01T00:00:00Z", interval: HOUR) { bookedTickets } }`, `{"t":"0001-01-01T00:00:00Z"}`, 1},
	// Bad cursors.
	{`{ events(after: "!!!") { totalCount } }`, `{}`, 1},
	{`{ events(before: "") { totalCount } }`, `{}`, 1},
	{`{ events(after: "e30") { totalCount } }`, `{}`, 1},
	{`query($c: String) { events(after: $c) { nodes { id } } }`, `{"c":"` + fzrCursor("startsAt,id", `["not a time",1]`) + `"}`, 1},
	{`query($c: String) { events(after: $c) { nodes { id } } }`, `{"c":"` + fzrCursor("startsAt,id", `["2026-01-01T00:00:00Z",1e30]`) + `"}`, 1},
	{`query($c: String) { events(before: $c, last: 5) { nodes { id } } }`, `{"c":"` + fzrCursor("startsAt,id", `[null,null]`) + `"}`, 1},
	{`query($c: String) { events(after: $c) { nodes { id } } }`, `{"c":"` + fzrCursor("startsAt,id", `["0000-01-01T00:00:00Z",-9223372036854775808]`) + `"}`, 1},
	{`query($c: String) { bookings(order: [{ total: DESC }], after: $c) { nodes { id } } }`, `{"c":"` + fzrCursor("total desc,id", `[9223372036854775807,9223372036854775807]`) + `"}`, 1},
	{`query($c: String) { bookings(order: [{ booker: { lastName: ASC } }], after: $c) { nodes { id } } }`, `{"c":"` + fzrCursor("booker.lastName,id", `["\u0000'\"",1]`) + `"}`, 1},
	{`query($c: String) { events(order: [{ status: DESC }, { capacity: ASC }], after: $c) { nodes { id } } }`, `{"c":"` + fzrCursor("status desc,capacity,id", `["NOPE",1.5,1]`) + `"}`, 1},
	{`{ events(first: 1) { nodes { bookings(after: "AAAA") { totalCount } } } }`, `{}`, 1},
	// Bad IDs.
	{`{ node(id: "zzz") { id } }`, `{}`, 1},
	{`{ node(id: "") { id } }`, `{}`, 1},
	{`{ node(id: "RXZlbnQ6LTE") { id } }`, `{}`, 1},             // Event:-1
	{`{ node(id: "RXZlbnQ6OTk5OTk5OTk5OTk") { id } }`, `{}`, 1}, // Event:99999999999
	{`{ node(id: "VGVuYW50OjE") { id } }`, `{}`, 1},             // Tenant:1
	{`{ node(id: "QVBJS2V5OjE") { id } }`, `{}`, 1},             // APIKey:1
	{`{ nodes(ids: ["RXZlbnQ6MQ", "x", "RXZlbnQ6MQ"]) { id } }`, `{}`, 1},
	{`{ node(id: 1) { id } }`, `{}`, 1},
	{`query($id: ID!) { node(id: $id) { id } }`, `{"id":12345678901234567890}`, 1},
	{`query($id: ID!) { node(id: $id) { id } }`, `{"id":{"a":1}}`, 1},
	{`{ events(where: { id: { in: ["x"] } }) { totalCount } }`, `{}`, 1},
	{`{ calculateCancellation(bookingId: "RXZlbnQ6MQ") { refund { amount } } }`, `{}`, 1},
	{`mutation { cancelBooking(input: { id: "Qm9va2luZzox", ticketIds: ["x"] }) { errors { __typename } } }`, `{}`, 1},
	{`mutation { checkInTicket(input: { code: "` + strings.Repeat("A", 5000) + `" }) { errors { __typename } } }`, `{}`, 1},
	// Bad decimals.
	{`{ bookings(where: { total: { gte: "1e5" } }) { totalCount } }`, `{}`, 1},
	{`{ bookings(where: { total: { gte: "abc" } }) { totalCount } }`, `{}`, 1},
	{`{ bookings(where: { total: { eq: "1.23456789" } }) { totalCount } }`, `{}`, 1},
	{`{ bookings(where: { total: { lt: "99999999999999999999" } }) { totalCount } }`, `{}`, 1},
	{`{ bookings(where: { total: { lt: "9223372036854775.807" } }) { totalCount } }`, `{}`, 1},
	{`{ bookings(where: { total: { in: ["-0", "+1", ".5", "5.", "-"] } }) { totalCount } }`, `{}`, 1},
	{`query($d: Decimal) { bookings(where: { total: { gt: $d } }) { totalCount } }`, `{"d":1e400}`, 1},
	{`query($d: Decimal) { bookings(where: { total: { gt: $d } }) { totalCount } }`, `{"d":0.1}`, 1},
	{`query($d: Decimal) { bookings(where: { total: { gt: $d } }) { totalCount } }`, `{"d":[1]}`, 1},
	{`query($d: Decimal) { events(where: { ticketCategories: { some: { taxRatePercent: { eq: $d } } } }) { totalCount } }`, `{"d":"7.777"}`, 1},
	{`mutation { createTicketCategory(input: { eventId: "RXZlbnQ6MQ", name: "x", price: "92233720368547758.08" }) { errors { __typename } } }`, `{}`, 1},
	// Filters and sorts at their edges.
	{`{ events(where: { title: { contains: "%_[*?]\\" } }) { totalCount } }`, `{}`, 1},
	{`{ events(where: { title: { startsWith: "ÄÖÜẞİǅ" }, or: [] }) { totalCount } }`, `{}`, 1},
	{`{ events(where: { and: [], or: [{}] }) { totalCount } }`, `{}`, 1},
	{`{ bookings(where: { tickets: { all: { event: { bookings: { none: { status: { nin: [] } } } } } } }) { totalCount } }`, `{}`, 1},
	{`{ events(order: [{ title: ASC, startsAt: DESC }]) { totalCount } }`, `{}`, 1},
	{`{ events(order: []) { totalCount } }`, `{}`, 1},
	{`query($w: EventFilterInput) { events(where: $w) { totalCount } }`, `{"w":` + fzrNested(300) + `}`, 1},
	{`query($w: EventFilterInput) { events(where: $w) { totalCount } }`, `{"w":` + fzrNested(2000) + `}`, 1},
	{`query($w: EventFilterInput) { events(where: $w) { totalCount } }`, `{"w":{"title":{"in":[` + strings.Repeat(`"x",`, 30000) + `"y"]}}}`, 1},
	{`query($w: EventFilterInput) { events(where: $w) { totalCount } }`, `{"w":{"unknown":1}}`, 1},
	// NUL characters, which PostgreSQL cannot store or compare in text.
	{`{ events(where: { title: { eq: "a\u0000b" } }) { totalCount } }`, `{}`, 1},
	{`query($s: String) { events(where: { title: { contains: $s } }) { totalCount } }`, `{"s":"\u0000"}`, 1},
	{`query($s: String) { participants(where: { email: { in: [$s] } }) { totalCount } }`, `{"s":"\u0000"}`, 1},
	{`query($o: String!) { bookingByOrderNumber(orderNumber: $o, email: $o) { id } }`, `{"o":"BK-\u0000"}`, 1},
	{`mutation($in: CreateParticipantInput!) { createParticipant(input: $in) { participant { id } errors { __typename } } }`,
		`{"in":{"firstName":"Nul\u0000","lastName":"Z","email":"nul@example.com"}}`, 1},
	{`mutation($in: CreateEventInput!) { createEvent(input: $in) { event { id } errors { __typename } } }`,
		`{"in":{"title":"T\u0000","startsAt":"2027-01-01T10:00:00Z"}}`, 1},
	{`mutation($in: CheckInTicketInput!) { checkInTicket(input: $in) { ticket { id } errors { __typename } } }`, `{"in":{"code":"\u0000"}}`, 1},
	{`mutation($in: CreateBookingInput!) { createBooking(input: $in) { booking { id } errors { __typename } } }`,
		`{"in":{"booker":{"firstName":"F","lastName":"Z","email":"nul2@example.com"},"tickets":[{"ticketCategoryId":"VGlja2V0Q2F0ZWdvcnk6MQ"}],"paymentMethod":"CARD","idempotencyKey":"\u0000","utmSource":"\u0000"}}`, 1},
	// Abuse.
	{strings.Repeat("{a", 3000), `{}`, 1},
	{`query { ...F0 } fragment F0 on Query { ...F1 ...F1 } fragment F1 on Query { ...F2 ...F2 } fragment F2 on Query { __typename }`, `{}`, 1},
	{`query { ...A } fragment A on Query { ...A }`, `{}`, 1},
	{`subscription { __typename }`, `{}`, 1},
	{`{ events { nodes { bookings { nodes { tickets { nodes { event { bookings { nodes { id } } } } } } } } } }`, `{}`, 1},
}

func FuzzRequest(f *testing.F) {
	envs := []*graphtest.Env{graphtest.SQLite(f)}
	if os.Getenv("DATABASE_URL") != "" {
		envs = append(envs, graphtest.Open(f, "postgres"))
	}
	for _, e := range envs {
		// Rows for the queries to read: an event with a category, a booking.
		tncMust(f, e, e.AdminKey, "createEvent", "event", "id", map[string]any{
			"title": "Fuzz Night", "startsAt": "2027-09-10T18:00:00Z", "capacity": 20, "publish": true,
			"ticketCategories": []any{map[string]any{"name": "Standard", "price": "20.00"}},
		}, nil)
	}
	for i, s := range fzrSeeds {
		// As the admin, anonymous, or with a key that is not one, in turn.
		f.Add(s.body, s.vars, s.mode, uint8(i%3))
	}
	f.Add(`{ __typename }`, `{}`, uint8(2), uint8(0)) // GET
	f.Add(`mutation { __typename }`, `{}`, uint8(2), uint8(0))
	f.Add(`query($w: EventFilterInput) { events(where: $w) { totalCount } }`, `{"w":`+fzrNested(100)+`}`, uint8(2), uint8(1))
	f.Fuzz(func(t *testing.T, body, vars string, mode, who uint8) {
		for _, e := range envs {
			var req *http.Request
			switch mode % 3 {
			case 0: // the body as sent
				req = httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(body))
			case 1: // a query with variables (not always JSON)
				payload := `{"query":` + strconv.Quote(body)
				if vars != "" {
					payload += `,"variables":` + vars
				}
				req = httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(payload+"}"))
			case 2: // GET
				v := url.Values{"query": {body}}
				if vars != "" {
					v.Set("variables", vars)
				}
				req = httptest.NewRequest(http.MethodGet, "/graphql?"+v.Encode(), nil)
			}
			req.Header.Set("Content-Type", "application/json")
			switch who % 3 {
			case 1:
				req.Header.Set("Authorization", "") // anonymous
			case 2:
				req.Header.Set("Authorization", "Bearer "+vars) // a key that is not one
			}
			rec := httptest.NewRecorder()
			e.Handler.ServeHTTP(rec, req)
			out := rec.Body.Bytes()
			if rec.Code >= 500 {
				t.Fatalf("%s: HTTP %d for %q (vars %q, mode %d): %.500s", e.Name, rec.Code, body, vars, mode%3, out)
			}
			if bytes.Contains(out, []byte("INTERNAL_SERVER_ERROR")) {
				t.Errorf("%s: INTERNAL_SERVER_ERROR for %q (vars %q, mode %d): %.500s", e.Name, body, vars, mode%3, out)
			}
			if rec.Code != http.StatusOK && rec.Code != http.StatusMethodNotAllowed && len(out) > 0 {
				var resp graphtest.Response
				if err := json.Unmarshal(out, &resp); err == nil && len(resp.Errors) > 0 {
					for _, er := range resp.Errors {
						if er.Code() == "" {
							t.Fatalf("%s: an error without a code: %s", e.Name, out)
						}
					}
				}
			}
		}
	})
}

// TestFuzzFoundUncodedGET replays what FuzzRequest found: GET requests
// gqlgen's transport refuses with an error lacking extensions.code (docs/client-guide.md:
// every top-level error carries one). checkGET answers them instead.
func TestFuzzFoundUncodedGET(t *testing.T) {
	e := graphtest.SQLite(t)
	for _, c := range []struct {
		target string
		status int
	}{
		{"/graphql?query=0&variables=0", http.StatusBadRequest},
		{"/graphql?query=%7B__typename%7D&variables=%7B", http.StatusBadRequest},
		{"/graphql?query=%7B__typename%7D&extensions=x", http.StatusBadRequest},
		{"/graphql?query=subscription%7B__typename%7D", http.StatusMethodNotAllowed},
		{"/graphql?query=mutation%7B__typename%7D", http.StatusMethodNotAllowed},
	} {
		req := httptest.NewRequest(http.MethodGet, c.target, nil)
		rec := httptest.NewRecorder()
		e.Handler.ServeHTTP(rec, req)
		var resp graphtest.Response
		if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil || len(resp.Errors) == 0 {
			t.Errorf("GET %s: HTTP %d %s", c.target, rec.Code, rec.Body.Bytes())
			continue
		}
		if rec.Code != c.status || resp.Errors[0].Code() != "BAD_REQUEST" {
			t.Errorf("GET %s: HTTP %d %v %q, want %d BAD_REQUEST", c.target, rec.Code, resp.Codes(), resp.Errors[0].Message, c.status)
		}
	}
}

// TestFuzzFoundNUL replays what FuzzRequest found on PostgreSQL: text with
// U+0000, which PostgreSQL cannot store or compare, in a forged cursor key
// or in any input, failed as INTERNAL_SERVER_ERROR there. Both databases
// now refuse it as BAD_USER_INPUT before it reaches SQL.
func TestFuzzFoundNUL(t *testing.T) {
	graphtest.Each(t, func(t *testing.T, e *graphtest.Env) {
		for _, c := range []struct {
			query string
			vars  map[string]any
		}{
			{`query($c: String) { bookings(order: [{ booker: { lastName: ASC } }], after: $c) { nodes { id } } }`,
				map[string]any{"c": fzrCursor("booker.lastName,id", `["\u0000",1]`)}},
			{`query($c: String) { events(order: [{ title: DESC }], after: $c) { nodes { id } } }`,
				map[string]any{"c": fzrCursor("title desc,id", `["a\u0000",1]`)}},
			{`{ events(where: { title: { eq: "a\u0000b" } }) { totalCount } }`, nil},
			{`query($s: String) { events(where: { title: { contains: $s } }) { totalCount } }`, map[string]any{"s": "\x00"}},
			{`mutation($in: CreateParticipantInput!) { createParticipant(input: $in) { participant { id } } }`,
				map[string]any{"in": map[string]any{"firstName": "Nul\x00", "lastName": "Z", "email": "nul@example.com"}}},
		} {
			r := e.Do(t, c.query, c.vars)
			if r.Status >= 500 || len(r.Errors) == 0 || r.Errors[0].Code() != "BAD_USER_INPUT" {
				t.Errorf("%s %v: HTTP %d %v, want BAD_USER_INPUT", c.query, c.vars, r.Status, r.Codes())
			}
		}
		if n := e.Client.Participant.Query().CountX(e.Ctx()); n != 0 {
			t.Errorf("a refused createParticipant stored %d participants", n)
		}
	})
}
