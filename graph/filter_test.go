package graph_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"seatgraph/ent"
	"seatgraph/graph/graphtest"
	"seatgraph/internal/domain"
	"seatgraph/internal/gid"
)

// These tests run the `where` argument of the list fields through the real
// HTTP handler over the fixture of graphtest.Seed, and compare the ids that
// come back (from both the cursor field and the offset field, with their
// totalCount) with the rows an oracle written in Go picks from the same
// fixture, following the client guide (docs/client-guide.md, "Lists").

// fltCase is one where argument of one list and the ids it must select.
type fltCase struct {
	name  string
	list  string // "events", "bookings", ...; the offset field is list+"Page"
	where string // GraphQL literal
	want  []int
	// trivial marks a case whose answer may be nothing or everything;
	// others must discriminate, so an oracle or fixture mistake cannot hide.
	trivial bool
}

// fltOracle runs the contract semantics of filters in Go over a fixture.
type fltOracle struct {
	f      *graphtest.Fixture
	labels map[int]string
	sizes  map[string]int
}

func newFltOracle(f *graphtest.Fixture) *fltOracle {
	o := &fltOracle{f: f, labels: map[int]string{}, sizes: map[string]int{
		"events": len(f.Events), "bookings": len(f.Bookings), "tickets": len(f.Tickets),
		"participants": len(f.Participants), "payments": len(f.Payments), "registrations": len(f.Registrations),
	}}
	for _, e := range f.Events {
		o.labels[e.ID] = fmt.Sprintf("event %q", e.Title)
	}
	for _, b := range f.Bookings {
		o.labels[b.ID] = "booking " + b.OrderNumber
	}
	for _, t := range f.Tickets {
		o.labels[t.ID] = "ticket " + t.Code
	}
	for _, p := range f.Participants {
		o.labels[p.ID] = "participant " + p.Email
	}
	for _, p := range f.Payments {
		o.labels[p.ID] = fmt.Sprintf("payment %d of %s", p.ID&(1<<32-1), f.Booking(p.BookingID).OrderNumber)
	}
	for _, r := range f.Registrations {
		o.labels[r.ID] = fmt.Sprintf("registration %d", r.ID&(1<<32-1))
	}
	return o
}

func fltPick[T any](rows []T, id func(T) int, keep func(T) bool) []int {
	out := []int{}
	for _, r := range rows {
		if keep(r) {
			out = append(out, id(r))
		}
	}
	return out
}

func (o *fltOracle) events(keep func(*ent.Event) bool) []int {
	return fltPick(o.f.Events, func(e *ent.Event) int { return e.ID }, keep)
}

func (o *fltOracle) bookings(keep func(*ent.Booking) bool) []int {
	return fltPick(o.f.Bookings, func(b *ent.Booking) int { return b.ID }, keep)
}

func (o *fltOracle) tickets(keep func(*ent.Ticket) bool) []int {
	return fltPick(o.f.Tickets, func(t *ent.Ticket) int { return t.ID }, keep)
}

func (o *fltOracle) participants(keep func(*ent.Participant) bool) []int {
	return fltPick(o.f.Participants, func(p *ent.Participant) int { return p.ID }, keep)
}

func (o *fltOracle) payments(keep func(*ent.Payment) bool) []int {
	return fltPick(o.f.Payments, func(p *ent.Payment) int { return p.ID }, keep)
}

func (o *fltOracle) registrations(keep func(*ent.Registration) bool) []int {
	return fltPick(o.f.Registrations, func(r *ent.Registration) int { return r.ID }, keep)
}

// fltNegated maps every negated operation to its positive.
var fltNegated = map[string]string{
	"neq": "eq", "nin": "in", "ngt": "gt", "ngte": "gte", "nlt": "lt", "nlte": "lte",
	"ncontains": "contains", "nstartsWith": "startsWith", "nendsWith": "endsWith",
}

// fltOrdered evaluates eq/gt/gte/lt/lte or a negation on a nullable value: a
// positive operation is false on null, a negated one its exact complement.
func fltOrdered[T any](op string, x *T, v T, compare func(a, b T) int) bool {
	base, neg := op, false
	if p, ok := fltNegated[op]; ok {
		base, neg = p, true
	}
	pos := false
	if x != nil {
		c := compare(*x, v)
		switch base {
		case "eq":
			pos = c == 0
		case "gt":
			pos = c > 0
		case "gte":
			pos = c >= 0
		case "lt":
			pos = c < 0
		case "lte":
			pos = c <= 0
		default:
			panic("unknown operation " + op)
		}
	}
	return pos != neg
}

// fltText evaluates a String operation: eq is exact, the others ignore case.
func fltText(op string, x *string, v string) bool {
	base, neg := op, false
	if p, ok := fltNegated[op]; ok {
		base, neg = p, true
	}
	pos := false
	if x != nil {
		s, l := strings.ToLower(*x), strings.ToLower(v)
		switch base {
		case "eq":
			pos = *x == v
		case "contains":
			pos = strings.Contains(s, l)
		case "startsWith":
			pos = strings.HasPrefix(s, l)
		case "endsWith":
			pos = strings.HasSuffix(s, l)
		default:
			panic("unknown operation " + op)
		}
	}
	return pos != neg
}

// fltMember evaluates in (nin: negate) with a list that may hold null.
func fltMember[T comparable](x *T, vals []*T) bool {
	for _, v := range vals {
		if (v == nil) == (x == nil) && (v == nil || *v == *x) {
			return true
		}
	}
	return false
}

func fltCmpInt(a, b int) int                    { return a - b }
func fltCmpInt64(a, b int64) int                { return int(a - b) }
func fltCmpTime(a, b time.Time) int             { return a.Compare(b) }
func fltPtr[T any](v T) *T                      { return &v }
func fltAny[T any](xs []T, f func(T) bool) bool { return slices.ContainsFunc(xs, f) }
func fltAll[T any](xs []T, f func(T) bool) bool {
	for _, x := range xs {
		if !f(x) {
			return false
		}
	}
	return true
}

// fltMilli is an amount in thousandths, the common scale of every currency.
func fltMilli(minor int64, currency string) int64 {
	switch currency {
	case "JPY":
		return minor * 1000
	case "EUR", "USD":
		return minor * 10
	}
	panic("no digits known for " + currency)
}

// fltParseMilli reads a decimal literal ("99.99", "100") in thousandths.
func fltParseMilli(s string) int64 {
	whole, frac, _ := strings.Cut(s, ".")
	for len(frac) < 3 {
		frac += "0"
	}
	n, err := strconv.ParseInt(whole+frac, 10, 64)
	if err != nil || len(frac) > 3 {
		panic("bad decimal " + s)
	}
	return n
}

// fltLit writes a Go value as a GraphQL literal.
func fltLit(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		b, _ := json.Marshal(x)
		return string(b)
	case int:
		return strconv.Itoa(x)
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = fltLit(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	panic(fmt.Sprintf("no literal for %T", v))
}

func fltRFC(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// fltResult is what one list query returned.
type fltResult struct {
	ids        []int
	totalCount int
}

// fltQuery asks the cursor and the offset field of list for everything
// matching where, and checks both agree.
func fltQuery(t *testing.T, e *graphtest.Env, list, where string, vars map[string]any, varDecl string) fltResult {
	t.Helper()
	q := fmt.Sprintf(`query%s {
  conn: %s(where: %s, first: 100) { totalCount pageInfo { hasNextPage } nodes { id } }
  page: %sPage(where: %s, take: 100) { totalCount pageInfo { hasNextPage } items { id } }
}`, varDecl, list, where, list, where)
	type node struct{ ID string }
	var out struct {
		Conn struct {
			TotalCount int
			PageInfo   struct{ HasNextPage bool }
			Nodes      []node
		}
		Page struct {
			TotalCount int
			PageInfo   struct{ HasNextPage bool }
			Items      []node
		}
	}
	e.Query(t, q, vars, &out)
	decode := func(nodes []node) []int {
		ids := make([]int, 0, len(nodes))
		for _, n := range nodes {
			id, err := gid.Decode(n.ID)
			if err != nil {
				t.Fatalf("returned id %q: %v", n.ID, err)
			}
			ids = append(ids, id)
		}
		sort.Ints(ids)
		return ids
	}
	conn, page := decode(out.Conn.Nodes), decode(out.Page.Items)
	if out.Conn.PageInfo.HasNextPage || out.Page.PageInfo.HasNextPage {
		t.Fatalf("the fixture outgrew one page of 100 %s", list)
	}
	if !slices.Equal(conn, page) || out.Conn.TotalCount != out.Page.TotalCount {
		t.Errorf("%s and %sPage disagree: %d rows (totalCount %d) vs %d rows (totalCount %d)",
			list, list, len(conn), out.Conn.TotalCount, len(page), out.Page.TotalCount)
	}
	return fltResult{ids: conn, totalCount: out.Conn.TotalCount}
}

// check compares a result with the oracle's ids.
func (o *fltOracle) check(t *testing.T, got fltResult, want []int) {
	t.Helper()
	want = slices.Clone(want)
	sort.Ints(want)
	if slices.Equal(got.ids, want) && got.totalCount == len(want) {
		return
	}
	var missing, extra []string
	for _, id := range want {
		if !slices.Contains(got.ids, id) {
			missing = append(missing, o.label(id))
		}
	}
	for _, id := range got.ids {
		if !slices.Contains(want, id) {
			extra = append(extra, o.label(id))
		}
	}
	t.Errorf("got %d rows (totalCount %d), want %d\n  missing: %s\n  unexpected: %s",
		len(got.ids), got.totalCount, len(want), strings.Join(missing, ", "), strings.Join(extra, ", "))
}

func (o *fltOracle) label(id int) string {
	if l, ok := o.labels[id]; ok {
		return l
	}
	return fmt.Sprintf("unknown %s %d", gid.TypeOf(id), id)
}

// fltRun seeds a database per backend and checks each case there.
func fltRun(t *testing.T, build func(o *fltOracle) []fltCase) {
	graphtest.Each(t, func(t *testing.T, e *graphtest.Env) {
		o := newFltOracle(graphtest.Seed(t, e))
		for _, c := range build(o) {
			t.Run(c.name, func(t *testing.T) {
				if !c.trivial && (len(c.want) == 0 || len(c.want) == o.sizes[c.list]) {
					t.Fatalf("oracle selects %d of %d %s: make the case discriminate, or mark it trivial",
						len(c.want), o.sizes[c.list], c.list)
				}
				o.check(t, fltQuery(t, e, c.list, c.where, nil, ""), c.want)
			})
		}
	})
}

var (
	fltOrderedOps = []string{"eq", "neq", "gt", "ngt", "gte", "ngte", "lt", "nlt", "lte", "nlte"}
	fltStringOps  = []string{"eq", "neq", "contains", "ncontains", "startsWith", "nstartsWith", "endsWith", "nendsWith"}
)

func TestFilterString(t *testing.T) {
	fltRun(t, func(o *fltOracle) []fltCase {
		var cs []fltCase
		// Every operation on a required (title) and a nullable field
		// (description), with values that differ only in case from stored
		// ones, so eq (exact) and the folding operations part ways.
		titles := []string{"Jazz Night", "jazz night", "jazz", "JAZZ", "Town Hall", "talk", "NIGHT", "meetup"}
		descriptions := []string{"Monthly meetup", "monthly meetup", "LIVE", "day", "Smooth"}
		for _, op := range fltStringOps {
			for _, v := range titles {
				cs = append(cs, fltCase{
					name:    fmt.Sprintf("title %s %q", op, v),
					list:    "events",
					where:   fmt.Sprintf("{ title: { %s: %s } }", op, fltLit(v)),
					want:    o.events(func(e *ent.Event) bool { return fltText(op, &e.Title, v) }),
					trivial: true, // eq "jazz night" matches nothing: eq is case sensitive
				})
			}
			for _, v := range descriptions {
				cs = append(cs, fltCase{
					name:    fmt.Sprintf("nullable description %s %q (null is outside every positive and inside every negated operation)", op, v),
					list:    "events",
					where:   fmt.Sprintf("{ description: { %s: %s } }", op, fltLit(v)),
					want:    o.events(func(e *ent.Event) bool { return fltText(op, e.Description, v) }),
					trivial: true, // "day" matches nothing stored: null must still match the negations
				})
			}
		}
		cs = append(cs,
			fltCase{name: "eq is case sensitive", list: "events", where: `{ title: { eq: "jazz NIGHT" } }`, want: []int{}, trivial: true},
			fltCase{name: "contains ignores case", list: "events", where: `{ title: { contains: "jAzZ" } }`,
				want: o.events(func(e *ent.Event) bool { return strings.Contains(strings.ToLower(e.Title), "jazz") })},
			fltCase{name: "eq on two equal titles returns both", list: "events", where: `{ title: { eq: "Town Hall" } }`,
				want: o.events(func(e *ent.Event) bool { return e.Title == "Town Hall" })},
			fltCase{name: "eq null matches null", list: "events", where: `{ description: { eq: null } }`,
				want: o.events(func(e *ent.Event) bool { return e.Description == nil })},
			fltCase{name: "neq null matches not null", list: "events", where: `{ description: { neq: null } }`,
				want: o.events(func(e *ent.Event) bool { return e.Description != nil })},
			fltCase{name: "eq null on a required field matches nothing", list: "events", where: `{ title: { eq: null } }`, want: []int{}, trivial: true},
			fltCase{name: "neq x also matches null", list: "events", where: `{ venue: { neq: "Blue Note" } }`,
				want: o.events(func(e *ent.Event) bool { return e.Venue == nil || *e.Venue != "Blue Note" })},
			fltCase{name: "in with values", list: "events", where: `{ title: { in: ["Town Hall", "jazz brunch", "no such title"] } }`,
				want: o.events(func(e *ent.Event) bool { return e.Title == "Town Hall" || e.Title == "jazz brunch" })},
			fltCase{name: "in is case sensitive", list: "events", where: `{ title: { in: ["town hall", "JAZZ BRUNCH"] } }`, want: []int{}, trivial: true},
			fltCase{name: "in with a value and null", list: "events", where: `{ venue: { in: ["Blue Note", null] } }`,
				want: o.events(func(e *ent.Event) bool { return fltMember(e.Venue, []*string{fltPtr("Blue Note"), nil}) })},
			fltCase{name: "in with only null", list: "events", where: `{ venue: { in: [null] } }`,
				want: o.events(func(e *ent.Event) bool { return e.Venue == nil })},
			fltCase{name: "nin with a value and null", list: "events", where: `{ venue: { nin: ["Blue Note", null] } }`,
				want: o.events(func(e *ent.Event) bool { return !fltMember(e.Venue, []*string{fltPtr("Blue Note"), nil}) })},
			fltCase{name: "nin without null keeps null", list: "events", where: `{ venue: { nin: ["Blue Note", "Zoo"] } }`,
				want: o.events(func(e *ent.Event) bool { return !fltMember(e.Venue, []*string{fltPtr("Blue Note"), fltPtr("Zoo")}) })},
			fltCase{name: "in empty list matches nothing", list: "events", where: `{ title: { in: [] } }`, want: []int{}, trivial: true},
			fltCase{name: "nin empty list matches everything, null too", list: "events", where: `{ venue: { nin: [] } }`,
				want: o.events(func(*ent.Event) bool { return true }), trivial: true},
			fltCase{name: "eq empty string is not null", list: "participants", where: `{ company: { eq: "" } }`,
				want: o.participants(func(p *ent.Participant) bool { return p.Company != nil && *p.Company == "" })},
			fltCase{name: "startsWith empty string matches every non-null", list: "participants", where: `{ company: { startsWith: "" } }`,
				want: o.participants(func(p *ent.Participant) bool { return p.Company != nil })},
			fltCase{name: "contains percent is literal, not a LIKE wildcard", list: "events", where: `{ title: { contains: "%" } }`,
				want: o.events(func(e *ent.Event) bool { return strings.Contains(e.Title, "%") })},
			fltCase{name: "contains underscore is literal, not a LIKE wildcard", list: "events", where: `{ title: { contains: "n_n" } }`,
				want: o.events(func(e *ent.Event) bool { return strings.Contains(strings.ToLower(e.Title), "n_n") })},
			fltCase{name: "underscore does not match any character", list: "events", where: `{ title: { contains: "n_g" } }`, want: []int{}, trivial: true},
			fltCase{name: "startsWith with percent", list: "events", where: `{ title: { startsWith: "100%" } }`,
				want: o.events(func(e *ent.Event) bool { return strings.HasPrefix(e.Title, "100%") })},
			fltCase{name: "two operations side by side combine with AND", list: "events",
				where: `{ title: { contains: "jazz", nstartsWith: "jazz" } }`,
				want: o.events(func(e *ent.Event) bool {
					return fltText("contains", &e.Title, "jazz") && fltText("nstartsWith", &e.Title, "jazz")
				})},
			fltCase{name: "nested booker email endsWith", list: "bookings", where: `{ booker: { email: { endsWith: "@EXAMPLE.com" } } }`,
				want: o.bookings(func(b *ent.Booking) bool {
					return strings.HasSuffix(o.f.Participant(b.BookerID).Email, "@example.com")
				})},
			fltCase{name: "eq on ticket code", list: "tickets", where: fmt.Sprintf(`{ code: { eq: %s } }`, fltLit(o.f.Tickets[3].Code)),
				want: []int{o.f.Tickets[3].ID}},
		)
		return cs
	})
}

// TestFilterStringNonASCII checks that contains, startsWith and endsWith
// ignore the case of letters beyond ASCII too ("ärzte" finds "Ärzte").
func TestFilterStringNonASCII(t *testing.T) {
	fltRun(t, func(o *fltOracle) []fltCase {
		var cs []fltCase
		for _, c := range []struct{ op, v string }{
			{"contains", "ärzte"}, {"contains", "ÄRZTE"}, {"startsWith", "über"}, {"startsWith", "ÜBER"},
			{"endsWith", "KONZERT"}, {"contains", "ZÜRICH"}, {"ncontains", "ärzte"}, {"nstartsWith", "über"},
		} {
			cs = append(cs, fltCase{
				name:  fmt.Sprintf("title %s %q", c.op, c.v),
				list:  "events",
				where: fmt.Sprintf("{ title: { %s: %s } }", c.op, fltLit(c.v)),
				want:  o.events(func(e *ent.Event) bool { return fltText(c.op, &e.Title, c.v) }),
			})
		}
		cs = append(cs,
			fltCase{name: "eq with non-ASCII is exact", list: "events", where: `{ title: { eq: "Ärzte Konzert" } }`,
				want: o.events(func(e *ent.Event) bool { return e.Title == "Ärzte Konzert" })},
			fltCase{name: "eq with non-ASCII is case sensitive", list: "events", where: `{ title: { eq: "ärzte konzert" } }`,
				want: []int{}, trivial: true},
			fltCase{name: "non-ASCII and ASCII letters mixed", list: "events", where: `{ title: { endsWith: "zürich STARTUP talk" } }`,
				want: o.events(func(e *ent.Event) bool { return fltText("endsWith", &e.Title, "zürich STARTUP talk") })},
			fltCase{name: "question mark beside a non-ASCII letter is literal", list: "events", where: `{ title: { contains: "Ü?" } }`,
				want: []int{}, trivial: true},
			fltCase{name: "star beside a non-ASCII letter is literal", list: "events", where: `{ title: { contains: "ä*" } }`,
				want: []int{}, trivial: true},
			fltCase{name: "bracket beside a non-ASCII letter is literal", list: "events", where: `{ title: { startsWith: "[Ü" } }`,
				want: []int{}, trivial: true},
			fltCase{name: "percent beside a non-ASCII letter is literal", list: "events", where: `{ description: { contains: "ä%" } }`,
				want: []int{}, trivial: true},
			fltCase{name: "non-ASCII fold in a nested filter", list: "tickets", where: `{ event: { title: { startsWith: "ärzte" } } }`,
				want: o.tickets(func(t *ent.Ticket) bool { return o.f.Event(t.EventID).Title == "Ärzte Konzert" })},
			fltCase{name: "non-ASCII fold on a participant name with ß", list: "participants", where: `{ lastName: { eq: "Weiß" }, firstName: { startsWith: "JÜR" } }`,
				want: o.participants(func(p *ent.Participant) bool { return p.LastName == "Weiß" })},
		)
		return cs
	})
}

func TestFilterInt(t *testing.T) {
	fltRun(t, func(o *fltOracle) []fltCase {
		var cs []fltCase
		// capacity is nullable (null = unlimited) and holds 0, 10, 50, 100.
		for _, op := range fltOrderedOps {
			for _, v := range []int{0, 10, 42, 50, 100} {
				cs = append(cs, fltCase{
					name:    fmt.Sprintf("nullable capacity %s %d", op, v),
					list:    "events",
					where:   fmt.Sprintf("{ capacity: { %s: %d } }", op, v),
					want:    o.events(func(e *ent.Event) bool { return fltOrdered(op, e.Capacity, v, fltCmpInt) }),
					trivial: true, // boundaries on purpose: gt 100 and lt 0 match nothing, ngt 100 everything
				})
			}
			cs = append(cs, fltCase{
				name:  fmt.Sprintf("required registeredCount %s 2", op),
				list:  "events",
				where: fmt.Sprintf("{ registeredCount: { %s: 2 } }", op),
				want:  o.events(func(e *ent.Event) bool { return fltOrdered(op, &e.RegisteredCount, 2, fltCmpInt) }),
			})
		}
		in := func(x *int, vals ...*int) bool { return fltMember(x, vals) }
		cs = append(cs,
			fltCase{name: "capacity eq null", list: "events", where: `{ capacity: { eq: null } }`,
				want: o.events(func(e *ent.Event) bool { return e.Capacity == nil })},
			fltCase{name: "capacity neq null", list: "events", where: `{ capacity: { neq: null } }`,
				want: o.events(func(e *ent.Event) bool { return e.Capacity != nil })},
			fltCase{name: "capacity in values", list: "events", where: `{ capacity: { in: [0, 100] } }`,
				want: o.events(func(e *ent.Event) bool { return in(e.Capacity, fltPtr(0), fltPtr(100)) })},
			fltCase{name: "capacity in value and null", list: "events", where: `{ capacity: { in: [10, null] } }`,
				want: o.events(func(e *ent.Event) bool { return in(e.Capacity, fltPtr(10), nil) })},
			fltCase{name: "capacity nin values keeps null", list: "events", where: `{ capacity: { nin: [10, 50] } }`,
				want: o.events(func(e *ent.Event) bool { return !in(e.Capacity, fltPtr(10), fltPtr(50)) })},
			fltCase{name: "capacity nin value and null", list: "events", where: `{ capacity: { nin: [0, null] } }`,
				want: o.events(func(e *ent.Event) bool { return !in(e.Capacity, fltPtr(0), nil) })},
			fltCase{name: "capacity in empty list matches nothing", list: "events", where: `{ capacity: { in: [] } }`, want: []int{}, trivial: true},
			fltCase{name: "capacity nin empty list matches everything", list: "events", where: `{ capacity: { nin: [] } }`,
				want: o.events(func(*ent.Event) bool { return true }), trivial: true},
			fltCase{name: "range as two operations side by side", list: "events", where: `{ capacity: { gt: 0, lte: 50 } }`,
				want: o.events(func(e *ent.Event) bool { return e.Capacity != nil && *e.Capacity > 0 && *e.Capacity <= 50 })},
			fltCase{name: "maxTicketsPerBooking ngte 5 keeps null", list: "events", where: `{ maxTicketsPerBooking: { ngte: 5 } }`,
				want: o.events(func(e *ent.Event) bool { return fltOrdered("ngte", e.MaxTicketsPerBooking, 5, fltCmpInt) })},
			fltCase{name: "ticket category soldCount gt 0 through list", list: "events",
				where: `{ ticketCategories: { some: { soldCount: { gt: 2 } } } }`,
				want: o.events(func(e *ent.Event) bool {
					return fltAny(o.f.CategoriesOf(e.ID), func(c *ent.TicketCategory) bool { return c.SoldCount > 2 })
				})},
			fltCase{name: "registration waitlistPosition eq 1", list: "registrations", where: `{ waitlistPosition: { eq: 1 } }`,
				want: o.registrations(func(r *ent.Registration) bool { return fltOrdered("eq", r.WaitlistPosition, 1, fltCmpInt) })},
			fltCase{name: "registration waitlistPosition nlt 2 keeps null", list: "registrations", where: `{ waitlistPosition: { nlt: 2 } }`,
				want: o.registrations(func(r *ent.Registration) bool { return fltOrdered("nlt", r.WaitlistPosition, 2, fltCmpInt) })},
		)
		return cs
	})
}

func TestFilterDecimal(t *testing.T) {
	fltRun(t, func(o *fltOracle) []fltCase {
		var cs []fltCase
		// Booking totals sit on both sides of 100 in EUR (2 digits), USD
		// (2) and JPY (0): the comparison is on the amount.
		for _, op := range fltOrderedOps {
			for _, v := range []string{"100", "99.99", "100.01", "0", "120.000", "99.995"} {
				cs = append(cs, fltCase{
					name:  fmt.Sprintf("money total %s %s across EUR, USD and JPY", op, v),
					list:  "bookings",
					where: fmt.Sprintf("{ total: { %s: %s } }", op, fltLit(v)),
					want: o.bookings(func(b *ent.Booking) bool {
						return fltOrdered(op, fltPtr(fltMilli(b.Total, b.Currency)), fltParseMilli(v), fltCmpInt64)
					}),
					trivial: true, // boundaries on purpose: lt "0" matches nothing
				})
			}
		}
		amount := func(b *ent.Booking) *int64 { return fltPtr(fltMilli(b.Total, b.Currency)) }
		tp := func(t *ent.Ticket) *int64 { return fltPtr(fltMilli(t.Price, t.Currency)) }
		in := func(x *int64, vals ...string) bool {
			var ps []*int64
			for _, v := range vals {
				ps = append(ps, fltPtr(fltParseMilli(v)))
			}
			return fltMember(x, ps)
		}
		cs = append(cs,
			fltCase{name: "total gte 100 written as an Int literal", list: "bookings", where: `{ total: { gte: 100 } }`,
				want: o.bookings(func(b *ent.Booking) bool { return *amount(b) >= 100000 })},
			fltCase{name: "total lt 99.99 written as a Float literal", list: "bookings", where: `{ total: { lt: 99.99 } }`,
				want: o.bookings(func(b *ent.Booking) bool { return *amount(b) < 99990 })},
			fltCase{name: "total eq 100 finds EUR 100.00 and JPY 100", list: "bookings", where: `{ total: { eq: "100" } }`,
				want: o.bookings(func(b *ent.Booking) bool { return *amount(b) == 100000 })},
			fltCase{name: "total in amounts", list: "bookings", where: `{ total: { in: ["100", "99.99", "0"] } }`,
				want: o.bookings(func(b *ent.Booking) bool { return in(amount(b), "100", "99.99", "0") })},
			fltCase{name: "total nin amounts", list: "bookings", where: `{ total: { nin: ["100", "99.99", "0"] } }`,
				want: o.bookings(func(b *ent.Booking) bool { return !in(amount(b), "100", "99.99", "0") })},
			fltCase{name: "total eq null on a required money field matches nothing", list: "bookings", where: `{ total: { eq: null } }`,
				want: []int{}, trivial: true},
			fltCase{name: "total between with and", list: "bookings", where: `{ total: { and: [{ gte: "50" }, { lt: "100" }] } }`,
				want: o.bookings(func(b *ent.Booking) bool { return *amount(b) >= 50000 && *amount(b) < 100000 })},
			fltCase{name: "money filter with currency filter", list: "bookings", where: `{ total: { gte: "100" }, currency: { eq: "JPY" } }`,
				want: o.bookings(func(b *ent.Booking) bool { return *amount(b) >= 100000 && b.Currency == "JPY" })},
			fltCase{name: "paidAmount gt 0", list: "bookings", where: `{ paidAmount: { gt: 0 } }`,
				want: o.bookings(func(b *ent.Booking) bool { return b.PaidAmount > 0 })},
			fltCase{name: "ticket price gte 100", list: "tickets", where: `{ price: { gte: "100" } }`,
				want: o.tickets(func(t *ent.Ticket) bool { return *tp(t) >= 100000 })},
			fltCase{name: "ticket price eq 0 (free tickets)", list: "tickets", where: `{ price: { eq: "0.00" } }`,
				want: o.tickets(func(t *ent.Ticket) bool { return t.Price == 0 })},
			fltCase{name: "payment amount lte 50", list: "payments", where: `{ amount: { lte: "50" } }`,
				want: o.payments(func(p *ent.Payment) bool { return fltMilli(p.Amount, p.Currency) <= 50000 })},
		)
		// taxRatePercent is a Decimal held in hundredths of a percent.
		for _, c := range []struct {
			op, v string
			test  func(int64) bool
		}{
			{"eq", `"19"`, func(r int64) bool { return r == 1900 }},
			{"eq", `"19.00"`, func(r int64) bool { return r == 1900 }},
			{"eq", `19`, func(r int64) bool { return r == 1900 }},
			{"eq", `"7.5"`, func(r int64) bool { return r == 750 }},
			{"gte", `"7"`, func(r int64) bool { return r >= 700 }},
			{"lt", `"7"`, func(r int64) bool { return r < 700 }},
			{"neq", `"0"`, func(r int64) bool { return r != 0 }},
			{"ngt", `"7"`, func(r int64) bool { return r <= 700 }},
		} {
			cats := func(e *ent.Event) []*ent.TicketCategory { return o.f.CategoriesOf(e.ID) }
			match := func(tc *ent.TicketCategory) bool { return c.test(tc.TaxRatePercent) }
			cs = append(cs,
				fltCase{
					name:    fmt.Sprintf("event ticketCategories some taxRatePercent %s %s", c.op, c.v),
					list:    "events",
					where:   fmt.Sprintf("{ ticketCategories: { some: { taxRatePercent: { %s: %s } } } }", c.op, c.v),
					want:    o.events(func(e *ent.Event) bool { return fltAny(cats(e), match) }),
					trivial: c.v == `"7.5"`,
				},
				fltCase{
					name:  fmt.Sprintf("event ticketCategories all taxRatePercent %s %s (true without categories)", c.op, c.v),
					list:  "events",
					where: fmt.Sprintf("{ ticketCategories: { all: { taxRatePercent: { %s: %s } } } }", c.op, c.v),
					want:  o.events(func(e *ent.Event) bool { return fltAll(cats(e), match) }),
				},
				fltCase{
					name:  fmt.Sprintf("ticket ticketCategory taxRatePercent %s %s", c.op, c.v),
					list:  "tickets",
					where: fmt.Sprintf("{ ticketCategory: { taxRatePercent: { %s: %s } } }", c.op, c.v),
					want: o.tickets(func(t *ent.Ticket) bool {
						return match(o.f.Category(t.TicketCategoryID))
					}),
					trivial: c.v == `"7.5"`,
				},
			)
		}
		return cs
	})
}

func TestFilterDateTime(t *testing.T) {
	fltRun(t, func(o *fltOracle) []fltCase {
		var cs []fltCase
		// Two events start at 2026-06-15T20:00Z (Ärzte Konzert, Über
		// Coding); the same instant written with an offset must match too.
		same := time.Date(2026, 6, 15, 20, 0, 0, 0, time.UTC)
		for _, op := range fltOrderedOps {
			for _, v := range []string{"2026-06-15T20:00:00Z", "2026-06-15T22:00:00+02:00", "2026-05-01T19:00:00.000000Z"} {
				at, _ := time.Parse(time.RFC3339Nano, v)
				cs = append(cs, fltCase{
					name:  fmt.Sprintf("startsAt %s %s", op, v),
					list:  "events",
					where: fmt.Sprintf("{ startsAt: { %s: %q } }", op, v),
					want:  o.events(func(e *ent.Event) bool { return fltOrdered(op, &e.StartsAt, at, fltCmpTime) }),
				})
			}
			end := same.Add(3 * time.Hour)
			cs = append(cs, fltCase{
				name:  fmt.Sprintf("nullable endsAt %s %s", op, fltRFC(end)),
				list:  "events",
				where: fmt.Sprintf("{ endsAt: { %s: %q } }", op, fltRFC(end)),
				want:  o.events(func(e *ent.Event) bool { return fltOrdered(op, e.EndsAt, end, fltCmpTime) }),
			})
		}
		shared := o.f.Bookings[7].CreatedAt // booking 8 shares it to the microsecond
		cs = append(cs,
			fltCase{name: "endsAt eq null", list: "events", where: `{ endsAt: { eq: null } }`,
				want: o.events(func(e *ent.Event) bool { return e.EndsAt == nil })},
			fltCase{name: "endsAt neq null", list: "events", where: `{ endsAt: { neq: null } }`,
				want: o.events(func(e *ent.Event) bool { return e.EndsAt != nil })},
			fltCase{name: "startsAt in two instants", list: "events",
				where: fmt.Sprintf(`{ startsAt: { in: [%q, %q] } }`, fltRFC(same), "2026-05-01T21:00:00+02:00"),
				want: o.events(func(e *ent.Event) bool {
					return e.StartsAt.Equal(same) || e.StartsAt.Equal(time.Date(2026, 5, 1, 19, 0, 0, 0, time.UTC))
				})},
			fltCase{name: "startsAt nin an instant", list: "events", where: fmt.Sprintf(`{ startsAt: { nin: [%q] } }`, fltRFC(same)),
				want: o.events(func(e *ent.Event) bool { return !e.StartsAt.Equal(same) })},
			fltCase{name: "registrationOpensAt in with null", list: "events",
				where: fmt.Sprintf(`{ registrationOpensAt: { in: [null, %q] } }`, fltRFC(*o.f.Events[0].RegistrationOpensAt)),
				want: o.events(func(e *ent.Event) bool {
					return e.RegistrationOpensAt == nil || e.RegistrationOpensAt.Equal(*o.f.Events[0].RegistrationOpensAt)
				})},
			fltCase{name: "booking createdAt eq matches to the microsecond", list: "bookings",
				where: fmt.Sprintf(`{ createdAt: { eq: %q } }`, fltRFC(shared)),
				want:  o.bookings(func(b *ent.Booking) bool { return b.CreatedAt.Equal(shared) })},
			fltCase{name: "booking createdAt gt excludes the equal instant", list: "bookings",
				where: fmt.Sprintf(`{ createdAt: { gt: %q } }`, fltRFC(shared)),
				want:  o.bookings(func(b *ent.Booking) bool { return b.CreatedAt.After(shared) })},
			fltCase{name: "booking createdAt lt one microsecond later includes the instant", list: "bookings",
				where: fmt.Sprintf(`{ createdAt: { lt: %q } }`, fltRFC(shared.Add(time.Microsecond))),
				want:  o.bookings(func(b *ent.Booking) bool { return !b.CreatedAt.After(shared) })},
			fltCase{name: "payment paidAt eq null", list: "payments", where: `{ paidAt: { eq: null } }`,
				want: o.payments(func(p *ent.Payment) bool { return p.PaidAt == nil })},
			fltCase{name: "ticket checkedInAt neq null", list: "tickets", where: `{ checkedInAt: { neq: null } }`,
				want: o.tickets(func(t *ent.Ticket) bool { return t.CheckedInAt != nil })},
		)
		return cs
	})
}

func TestFilterBoolean(t *testing.T) {
	fltRun(t, func(o *fltOracle) []fltCase {
		var cs []fltCase
		for _, op := range []string{"eq", "neq"} {
			for _, v := range []bool{true, false} {
				cs = append(cs, fltCase{
					name:  fmt.Sprintf("waitlistEnabled %s %t", op, v),
					list:  "events",
					where: fmt.Sprintf("{ waitlistEnabled: { %s: %t } }", op, v),
					want:  o.events(func(e *ent.Event) bool { return (e.WaitlistEnabled == v) == (op == "eq") }),
				})
			}
		}
		cs = append(cs,
			fltCase{name: "waitlistEnabled eq null matches nothing", list: "events", where: `{ waitlistEnabled: { eq: null } }`,
				want: []int{}, trivial: true},
			fltCase{name: "waitlistEnabled or of both values", list: "events", where: `{ waitlistEnabled: { or: [{ eq: true }, { eq: false }] } }`,
				want: o.events(func(*ent.Event) bool { return true }), trivial: true},
		)
		return cs
	})
}

func TestFilterID(t *testing.T) {
	fltRun(t, func(o *fltOracle) []fltCase {
		e1, e2 := o.f.Events[3], o.f.Events[10]
		id := func(x int) string { return fltLit(gid.Encode(x)) }
		b := o.f.Bookings[5]
		return []fltCase{
			{name: "id eq", list: "events", where: fmt.Sprintf("{ id: { eq: %s } }", id(e1.ID)), want: []int{e1.ID}},
			{name: "id neq", list: "events", where: fmt.Sprintf("{ id: { neq: %s } }", id(e1.ID)),
				want: o.events(func(e *ent.Event) bool { return e.ID != e1.ID })},
			{name: "id in", list: "events", where: fmt.Sprintf("{ id: { in: [%s, %s] } }", id(e1.ID), id(e2.ID)),
				want: []int{e1.ID, e2.ID}},
			{name: "id nin", list: "events", where: fmt.Sprintf("{ id: { nin: [%s, %s] } }", id(e1.ID), id(e2.ID)),
				want: o.events(func(e *ent.Event) bool { return e.ID != e1.ID && e.ID != e2.ID })},
			{name: "id in empty list", list: "events", where: "{ id: { in: [] } }", want: []int{}, trivial: true},
			{name: "booking id eq", list: "bookings", where: fmt.Sprintf("{ id: { eq: %s } }", id(b.ID)), want: []int{b.ID}},
			{name: "nested booker id eq", list: "bookings", where: fmt.Sprintf("{ booker: { id: { eq: %s } } }", id(b.BookerID)),
				want: o.bookings(func(x *ent.Booking) bool { return x.BookerID == b.BookerID })},
			{name: "payments of one booking by nested id", list: "payments", where: fmt.Sprintf("{ booking: { id: { eq: %s } } }", id(o.f.Bookings[1].ID)),
				want: o.payments(func(p *ent.Payment) bool { return p.BookingID == o.f.Bookings[1].ID })},
		}
	})
}

func TestFilterEnum(t *testing.T) {
	fltRun(t, func(o *fltOracle) []fltCase {
		var cs []fltCase
		for _, s := range domain.EventStatus("").Values() {
			st := domain.EventStatus(s)
			cs = append(cs,
				fltCase{name: "event status eq " + s, list: "events", where: fmt.Sprintf("{ status: { eq: %s } }", s),
					want: o.events(func(e *ent.Event) bool { return e.Status == st })},
				fltCase{name: "event status neq " + s, list: "events", where: fmt.Sprintf("{ status: { neq: %s } }", s),
					want: o.events(func(e *ent.Event) bool { return e.Status != st })},
			)
		}
		for _, s := range domain.BookingStatus("").Values() {
			st := domain.BookingStatus(s)
			cs = append(cs,
				fltCase{name: "booking status eq " + s, list: "bookings", where: fmt.Sprintf("{ status: { eq: %s } }", s),
					want: o.bookings(func(b *ent.Booking) bool { return b.Status == st })},
				fltCase{name: "booking status neq " + s, list: "bookings", where: fmt.Sprintf("{ status: { neq: %s } }", s),
					want: o.bookings(func(b *ent.Booking) bool { return b.Status != st })},
			)
		}
		cs = append(cs,
			fltCase{name: "event status in", list: "events", where: `{ status: { in: [DRAFT, CANCELLED] } }`,
				want: o.events(func(e *ent.Event) bool { return e.Status != domain.EventStatusPublished })},
			fltCase{name: "event status nin", list: "events", where: `{ status: { nin: [DRAFT, CANCELLED] } }`,
				want: o.events(func(e *ent.Event) bool { return e.Status == domain.EventStatusPublished })},
			fltCase{name: "event status in with null on a required enum", list: "events", where: `{ status: { in: [DRAFT, null] } }`,
				want: o.events(func(e *ent.Event) bool { return e.Status == domain.EventStatusDraft })},
			fltCase{name: "event status in empty list", list: "events", where: `{ status: { in: [] } }`, want: []int{}, trivial: true},
			fltCase{name: "event status nin empty list", list: "events", where: `{ status: { nin: [] } }`,
				want: o.events(func(*ent.Event) bool { return true }), trivial: true},
			fltCase{name: "booking status in", list: "bookings", where: `{ status: { in: [CONFIRMED, PENDING] } }`,
				want: o.bookings(func(b *ent.Booking) bool {
					return b.Status == domain.BookingStatusConfirmed || b.Status == domain.BookingStatusPending
				})},
			fltCase{name: "booking status nin", list: "bookings", where: `{ status: { nin: [CONFIRMED, PENDING] } }`,
				want: o.bookings(func(b *ent.Booking) bool {
					return b.Status != domain.BookingStatusConfirmed && b.Status != domain.BookingStatusPending
				})},
			fltCase{name: "booking paymentStatus in", list: "bookings", where: `{ paymentStatus: { in: [PARTIALLY_PAID, PARTIALLY_REFUNDED] } }`,
				want: o.bookings(func(b *ent.Booking) bool {
					return b.PaymentStatus == domain.PaymentStatusPartiallyPaid || b.PaymentStatus == domain.PaymentStatusPartiallyRefunded
				})},
			fltCase{name: "ticket status eq WAITLISTED", list: "tickets", where: `{ status: { eq: WAITLISTED } }`,
				want: o.tickets(func(t *ent.Ticket) bool { return t.Status == domain.TicketStatusWaitlisted })},
			fltCase{name: "payment kind and status side by side", list: "payments", where: `{ kind: { eq: REFUND }, status: { neq: SUCCEEDED } }`,
				want: o.payments(func(p *ent.Payment) bool {
					return p.Kind == domain.PaymentKindRefund && p.Status != domain.PaymentRecordStatusSucceeded
				})},
			fltCase{name: "registration status in", list: "registrations", where: `{ status: { in: [WAITLISTED, CANCELLED] } }`,
				want: o.registrations(func(r *ent.Registration) bool {
					return r.Status == domain.RegistrationStatusWaitlisted || r.Status == domain.RegistrationStatusCancelled
				})},
		)
		return cs
	})
}

func TestFilterAndOr(t *testing.T) {
	fltRun(t, func(o *fltOracle) []fltCase {
		published := func(e *ent.Event) bool { return e.Status == domain.EventStatusPublished }
		return []fltCase{
			{name: "entity and list", list: "events", where: `{ and: [{ status: { eq: PUBLISHED } }, { currency: { eq: "USD" } }] }`,
				want: o.events(func(e *ent.Event) bool { return published(e) && e.Currency == "USD" })},
			{name: "entity or list", list: "events", where: `{ or: [{ title: { startsWith: "jazz" } }, { capacity: { eq: 0 } }] }`,
				want: o.events(func(e *ent.Event) bool {
					return fltText("startsWith", &e.Title, "jazz") || fltOrdered("eq", e.Capacity, 0, fltCmpInt)
				})},
			{name: "entity or beside a field is ANDed with it", list: "events",
				where: `{ status: { eq: PUBLISHED }, or: [{ currency: { eq: "JPY" } }, { capacity: { eq: null } }] }`,
				want: o.events(func(e *ent.Event) bool {
					return published(e) && (e.Currency == "JPY" || e.Capacity == nil)
				})},
			{name: "entity or of ands", list: "events",
				where: `{ or: [{ and: [{ currency: { eq: "EUR" } }, { capacity: { gte: 50 } }] }, { and: [{ currency: { eq: "USD" } }, { waitlistEnabled: { eq: true } }] }] }`,
				want: o.events(func(e *ent.Event) bool {
					return (e.Currency == "EUR" && fltOrdered("gte", e.Capacity, 50, fltCmpInt)) || (e.Currency == "USD" && e.WaitlistEnabled)
				})},
			{name: "entity and of ors", list: "events",
				where: `{ and: [{ or: [{ currency: { eq: "EUR" } }, { currency: { eq: "JPY" } }] }, { or: [{ description: { eq: null } }, { status: { neq: PUBLISHED } }] }] }`,
				want: o.events(func(e *ent.Event) bool {
					return (e.Currency == "EUR" || e.Currency == "JPY") && (e.Description == nil || !published(e))
				})},
			{name: "operation or inside a string input", list: "events", where: `{ title: { or: [{ startsWith: "jazz" }, { endsWith: "talk" }] } }`,
				want: o.events(func(e *ent.Event) bool {
					return fltText("startsWith", &e.Title, "jazz") || fltText("endsWith", &e.Title, "talk")
				})},
			{name: "operation and inside an int input", list: "events", where: `{ capacity: { and: [{ gte: 10 }, { lte: 50 }] } }`,
				want: o.events(func(e *ent.Event) bool { return e.Capacity != nil && *e.Capacity >= 10 && *e.Capacity <= 50 })},
			{name: "operation or with eq null", list: "events", where: `{ description: { or: [{ eq: null }, { contains: "live" }] } }`,
				want: o.events(func(e *ent.Event) bool { return e.Description == nil || fltText("contains", e.Description, "live") })},
			{name: "operation or beside an operation is ANDed with it", list: "events",
				where: `{ capacity: { neq: 0, or: [{ eq: null }, { gt: 50 }] } }`,
				want: o.events(func(e *ent.Event) bool {
					return fltOrdered("neq", e.Capacity, 0, fltCmpInt) && (e.Capacity == nil || *e.Capacity > 50)
				})},
			{name: "operation nested and inside or", list: "bookings",
				where: `{ total: { or: [{ and: [{ gt: "0" }, { lt: "50" }] }, { gte: "200" }] } }`,
				want: o.bookings(func(b *ent.Booking) bool {
					a := fltMilli(b.Total, b.Currency)
					return (a > 0 && a < 50000) || a >= 200000
				})},
			{name: "empty where matches everything", list: "events", where: `{}`,
				want: o.events(func(*ent.Event) bool { return true }), trivial: true},
		}
	})
}

func TestFilterNestedObject(t *testing.T) {
	fltRun(t, func(o *fltOracle) []fltCase {
		f := o.f
		eventOf := func(t *ent.Ticket) *ent.Event { return f.Event(t.EventID) }
		return []fltCase{
			{name: "tickets where event title contains", list: "tickets", where: `{ event: { title: { contains: "JAZZ" } } }`,
				want: o.tickets(func(t *ent.Ticket) bool { return fltText("contains", &eventOf(t).Title, "jazz") })},
			{name: "tickets where event capacity eq null", list: "tickets", where: `{ event: { capacity: { eq: null } } }`,
				want: o.tickets(func(t *ent.Ticket) bool { return eventOf(t).Capacity == nil })},
			{name: "tickets where holder company neq keeps holders without company", list: "tickets",
				where: `{ holder: { company: { neq: "Acme GmbH" } } }`,
				want: o.tickets(func(t *ent.Ticket) bool {
					return fltText("neq", f.Participant(t.HolderID).Company, "Acme GmbH")
				})},
			{name: "bookings where booker email endsWith", list: "bookings", where: `{ booker: { email: { endsWith: "@example.com" } } }`,
				want: o.bookings(func(b *ent.Booking) bool { return strings.HasSuffix(f.Participant(b.BookerID).Email, "@example.com") })},
			{name: "bookings where booker city eq null", list: "bookings", where: `{ booker: { city: { eq: null } } }`,
				want: o.bookings(func(b *ent.Booking) bool { return f.Participant(b.BookerID).City == nil })},
			{name: "bookings where booker matches or", list: "bookings",
				where: `{ booker: { or: [{ city: { eq: "Boston" } }, { company: { startsWith: "acme" } }] } }`,
				want: o.bookings(func(b *ent.Booking) bool {
					p := f.Participant(b.BookerID)
					return fltText("eq", p.City, "Boston") || fltText("startsWith", p.Company, "acme")
				})},
			{name: "payments where booking status eq CANCELLED", list: "payments", where: `{ booking: { status: { eq: CANCELLED } } }`,
				want: o.payments(func(p *ent.Payment) bool { return f.Booking(p.BookingID).Status == domain.BookingStatusCancelled })},
			{name: "payments two levels deep: booking booker city", list: "payments", where: `{ booking: { booker: { city: { eq: "Boston" } } } }`,
				want: o.payments(func(p *ent.Payment) bool {
					return fltText("eq", f.Participant(f.Booking(p.BookingID).BookerID).City, "Boston")
				})},
			{name: "registrations where participant company eq null", list: "registrations", where: `{ participant: { company: { eq: null } } }`,
				want: o.registrations(func(r *ent.Registration) bool { return f.Participant(r.ParticipantID).Company == nil })},
			{name: "registrations where event status and own status", list: "registrations",
				where: `{ event: { status: { eq: PUBLISHED } }, status: { eq: ACCEPTED } }`,
				want: o.registrations(func(r *ent.Registration) bool {
					return f.Event(r.EventID).Status == domain.EventStatusPublished && r.Status == domain.RegistrationStatusAccepted
				})},
			{name: "tickets where ticketCategory name and booking status", list: "tickets",
				where: `{ ticketCategory: { name: { eq: "Stehplatz" } }, booking: { status: { neq: CONFIRMED } } }`,
				want: o.tickets(func(t *ent.Ticket) bool {
					return f.Category(t.TicketCategoryID).Name == "Stehplatz" && f.Booking(t.BookingID).Status != domain.BookingStatusConfirmed
				})},
		}
	})
}

func TestFilterLists(t *testing.T) {
	fltRun(t, func(o *fltOracle) []fltCase {
		f := o.f
		active := func(t *ent.Ticket) bool { return t.Status == domain.TicketStatusActive }
		tix := func(b *ent.Booking) []*ent.Ticket { return f.TicketsOf(b.ID) }
		cats := func(e *ent.Event) []*ent.TicketCategory { return f.CategoriesOf(e.ID) }
		free := func(c *ent.TicketCategory) bool { return c.Price == 0 }
		jazz := func(t *ent.Ticket) bool { return fltText("contains", &f.Event(t.EventID).Title, "jazz") }
		return []fltCase{
			// bookings.tickets; two bookings have no tickets.
			{name: "bookings tickets some ACTIVE", list: "bookings", where: `{ tickets: { some: { status: { eq: ACTIVE } } } }`,
				want: o.bookings(func(b *ent.Booking) bool { return fltAny(tix(b), active) })},
			{name: "bookings tickets all ACTIVE (true without tickets)", list: "bookings", where: `{ tickets: { all: { status: { eq: ACTIVE } } } }`,
				want: o.bookings(func(b *ent.Booking) bool { return fltAll(tix(b), active) })},
			{name: "bookings tickets none ACTIVE (true without tickets)", list: "bookings", where: `{ tickets: { none: { status: { eq: ACTIVE } } } }`,
				want: o.bookings(func(b *ent.Booking) bool { return !fltAny(tix(b), active) })},
			{name: "bookings tickets any true", list: "bookings", where: `{ tickets: { any: true } }`,
				want: o.bookings(func(b *ent.Booking) bool { return len(tix(b)) > 0 })},
			{name: "bookings tickets any false", list: "bookings", where: `{ tickets: { any: false } }`,
				want: o.bookings(func(b *ent.Booking) bool { return len(tix(b)) == 0 })},
			{name: "bookings tickets some with empty filter is any", list: "bookings", where: `{ tickets: { some: {} } }`,
				want: o.bookings(func(b *ent.Booking) bool { return len(tix(b)) > 0 })},
			{name: "bookings tickets all checked in (nullable field)", list: "bookings", where: `{ tickets: { all: { checkedInAt: { neq: null } } } }`,
				want: o.bookings(func(b *ent.Booking) bool {
					return fltAll(tix(b), func(t *ent.Ticket) bool { return t.CheckedInAt != nil })
				})},
			{name: "bookings tickets some and all together", list: "bookings",
				where: `{ tickets: { some: { price: { gt: "0" } }, all: { status: { eq: ACTIVE } } } }`,
				want: o.bookings(func(b *ent.Booking) bool {
					return fltAny(tix(b), func(t *ent.Ticket) bool { return t.Price > 0 }) && fltAll(tix(b), active)
				})},
			{name: "bookings tickets some event title contains jazz (nested to-one inside list)", list: "bookings",
				where: `{ tickets: { some: { event: { title: { contains: "jazz" } } } } }`,
				want:  o.bookings(func(b *ent.Booking) bool { return fltAny(tix(b), jazz) })},
			{name: "bookings tickets all holder city eq null (nested to-one inside all)", list: "bookings",
				where: `{ tickets: { all: { holder: { city: { eq: null } } } } }`,
				want: o.bookings(func(b *ent.Booking) bool {
					return fltAll(tix(b), func(t *ent.Ticket) bool { return f.Participant(t.HolderID).City == nil })
				})},
			{name: "bookings tickets none holder is the booker's company Acme", list: "bookings",
				where: `{ tickets: { none: { holder: { company: { contains: "acme" } } } } }`,
				want: o.bookings(func(b *ent.Booking) bool {
					return !fltAny(tix(b), func(t *ent.Ticket) bool { return fltText("contains", f.Participant(t.HolderID).Company, "acme") })
				})},
			{name: "bookings payments some refund", list: "bookings", where: `{ payments: { some: { kind: { eq: REFUND } } } }`,
				want: o.bookings(func(b *ent.Booking) bool {
					return fltAny(f.PaymentsOf(b.ID), func(p *ent.Payment) bool { return p.Kind == domain.PaymentKindRefund })
				})},
			{name: "bookings payments all succeeded (true without payments)", list: "bookings", where: `{ payments: { all: { status: { eq: SUCCEEDED } } } }`,
				want: o.bookings(func(b *ent.Booking) bool {
					return fltAll(f.PaymentsOf(b.ID), func(p *ent.Payment) bool { return p.Status == domain.PaymentRecordStatusSucceeded })
				})},
			{name: "bookings events any false (many-to-many)", list: "bookings", where: `{ events: { any: false } }`,
				want: o.bookings(func(b *ent.Booking) bool { return len(f.BookingEvents[b.ID]) == 0 })},
			{name: "bookings events some currency JPY (many-to-many)", list: "bookings", where: `{ events: { some: { currency: { eq: "JPY" } } } }`,
				want: o.bookings(func(b *ent.Booking) bool {
					return fltAny(f.BookingEvents[b.ID], func(id int) bool { return f.Event(id).Currency == "JPY" })
				})},
			// events.ticketCategories; two events have none.
			{name: "events ticketCategories some free", list: "events", where: `{ ticketCategories: { some: { price: { eq: "0" } } } }`,
				want: o.events(func(e *ent.Event) bool { return fltAny(cats(e), free) })},
			{name: "events ticketCategories all free (true without categories)", list: "events", where: `{ ticketCategories: { all: { price: { eq: "0" } } } }`,
				want: o.events(func(e *ent.Event) bool { return fltAll(cats(e), free) })},
			{name: "events ticketCategories none free (true without categories)", list: "events", where: `{ ticketCategories: { none: { price: { eq: "0" } } } }`,
				want: o.events(func(e *ent.Event) bool { return !fltAny(cats(e), free) })},
			{name: "events ticketCategories any true", list: "events", where: `{ ticketCategories: { any: true } }`,
				want: o.events(func(e *ent.Event) bool { return len(cats(e)) > 0 })},
			{name: "events ticketCategories any false", list: "events", where: `{ ticketCategories: { any: false } }`,
				want: o.events(func(e *ent.Event) bool { return len(cats(e)) == 0 })},
			{name: "events ticketCategories all capacity eq null", list: "events", where: `{ ticketCategories: { all: { capacity: { eq: null } } } }`,
				want: o.events(func(e *ent.Event) bool {
					return fltAll(cats(e), func(c *ent.TicketCategory) bool { return c.Capacity == nil })
				})},
			{name: "events ticketCategories none capacity lt 20 (null capacity is not lt)", list: "events", where: `{ ticketCategories: { none: { capacity: { lt: 20 } } } }`,
				want: o.events(func(e *ent.Event) bool {
					return !fltAny(cats(e), func(c *ent.TicketCategory) bool { return fltOrdered("lt", c.Capacity, 20, fltCmpInt) })
				})},
			{name: "events ticketCategories any true and none free", list: "events", where: `{ ticketCategories: { any: true, none: { price: { eq: "0" } } } }`,
				want: o.events(func(e *ent.Event) bool { return len(cats(e)) > 0 && !fltAny(cats(e), free) })},
			{name: "events bookings some CANCELLED (many-to-many)", list: "events", where: `{ bookings: { some: { status: { eq: CANCELLED } } } }`,
				want: o.events(func(e *ent.Event) bool {
					return fltAny(f.BookingsOf(e.ID), func(b *ent.Booking) bool { return b.Status == domain.BookingStatusCancelled })
				})},
			{name: "events tickets some holder email endsWith .org", list: "events", where: `{ tickets: { some: { holder: { email: { endsWith: ".org" } } } } }`,
				want: o.events(func(e *ent.Event) bool {
					return fltAny(f.Tickets, func(t *ent.Ticket) bool {
						return t.EventID == e.ID && strings.HasSuffix(f.Participant(t.HolderID).Email, ".org")
					})
				})},
			{name: "events registrations none WAITLISTED and some ACCEPTED", list: "events",
				where: `{ registrations: { none: { status: { eq: WAITLISTED } }, some: { status: { eq: ACCEPTED } } } }`,
				want: o.events(func(e *ent.Event) bool {
					regs := slices.DeleteFunc(slices.Clone(f.Registrations), func(r *ent.Registration) bool { return r.EventID != e.ID })
					return !fltAny(regs, func(r *ent.Registration) bool { return r.Status == domain.RegistrationStatusWaitlisted }) &&
						fltAny(regs, func(r *ent.Registration) bool { return r.Status == domain.RegistrationStatusAccepted })
				})},
			{name: "participants bookings some WAITLISTED", list: "participants", where: `{ bookings: { some: { status: { eq: WAITLISTED } } } }`,
				want: o.participants(func(p *ent.Participant) bool {
					return fltAny(f.Bookings, func(b *ent.Booking) bool { return b.BookerID == p.ID && b.Status == domain.BookingStatusWaitlisted })
				})},
			{name: "participants tickets none (holds no ticket)", list: "participants", where: `{ tickets: { any: false } }`,
				want: o.participants(func(p *ent.Participant) bool {
					return !fltAny(f.Tickets, func(t *ent.Ticket) bool { return t.HolderID == p.ID })
				}), trivial: true},
			{name: "ticket categories through list inside an or", list: "events",
				where: `{ or: [{ ticketCategories: { any: false } }, { ticketCategories: { some: { name: { eq: "VIP" } } } }] }`,
				want: o.events(func(e *ent.Event) bool {
					return len(cats(e)) == 0 || fltAny(cats(e), func(c *ent.TicketCategory) bool { return c.Name == "VIP" })
				})},
		}
	})
}

// TestFilterVariables sends the where argument as a variable.
func TestFilterVariables(t *testing.T) {
	graphtest.Each(t, func(t *testing.T, e *graphtest.Env) {
		o := newFltOracle(graphtest.Seed(t, e))
		f := o.f
		cases := []struct {
			name, list, typ string
			where           map[string]any
			want            []int
		}{
			{"event filter", "events", "EventFilterInput",
				map[string]any{"title": map[string]any{"startsWith": "jazz"}, "status": map[string]any{"eq": "PUBLISHED"}},
				o.events(func(e *ent.Event) bool {
					return fltText("startsWith", &e.Title, "jazz") && e.Status == domain.EventStatusPublished
				})},
			{"explicit null in a variable is eq null", "events", "EventFilterInput",
				map[string]any{"description": map[string]any{"eq": nil}},
				o.events(func(e *ent.Event) bool { return e.Description == nil })},
			{"in list with null in a variable", "events", "EventFilterInput",
				map[string]any{"capacity": map[string]any{"in": []any{10, nil}}},
				o.events(func(e *ent.Event) bool { return fltMember(e.Capacity, []*int{fltPtr(10), nil}) })},
			{"decimal as a JSON number in a variable", "bookings", "BookingFilterInput",
				map[string]any{"total": map[string]any{"gte": 100}},
				o.bookings(func(b *ent.Booking) bool { return fltMilli(b.Total, b.Currency) >= 100000 })},
			{"decimal as a string in a variable", "bookings", "BookingFilterInput",
				map[string]any{"total": map[string]any{"lt": "99.99"}},
				o.bookings(func(b *ent.Booking) bool { return fltMilli(b.Total, b.Currency) < 99990 })},
			{"ids and date times in a variable", "events", "EventFilterInput",
				map[string]any{"id": map[string]any{"nin": []any{gid.Encode(f.Events[0].ID)}}, "startsAt": map[string]any{"lte": "2026-05-01T21:00:00+02:00"}},
				o.events(func(e *ent.Event) bool {
					return e.ID != f.Events[0].ID && !e.StartsAt.After(time.Date(2026, 5, 1, 19, 0, 0, 0, time.UTC))
				})},
			{"list filter in a variable", "bookings", "BookingFilterInput",
				map[string]any{"tickets": map[string]any{"all": map[string]any{"status": map[string]any{"eq": "ACTIVE"}}}},
				o.bookings(func(b *ent.Booking) bool {
					return fltAll(f.TicketsOf(b.ID), func(t *ent.Ticket) bool { return t.Status == domain.TicketStatusActive })
				})},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				got := fltQuery(t, e, c.list, "$w", map[string]any{"w": c.where}, fmt.Sprintf("($w: %s)", c.typ))
				o.check(t, got, c.want)
			})
		}
		t.Run("null where variable matches everything", func(t *testing.T) {
			got := fltQuery(t, e, "events", "$w", map[string]any{"w": nil}, "($w: EventFilterInput)")
			o.check(t, got, o.events(func(*ent.Event) bool { return true }))
		})
	})
}

// TestFilterErrors checks that bad filter values are BAD_USER_INPUT.
func TestFilterErrors(t *testing.T) {
	graphtest.Each(t, func(t *testing.T, e *graphtest.Env) {
		graphtest.Seed(t, e)
		cases := []struct {
			name, query string
			vars        map[string]any
		}{
			{"money decimal with more than 3 fraction digits", `{ bookings(where: { total: { gte: "1.2345" } }, first: 100) { nodes { id } } }`, nil},
			{"money decimal with too many digits in a list", `{ bookings(where: { total: { in: ["1", "1.2345"] } }, first: 100) { nodes { id } } }`, nil},
			{"money decimal with too many digits inside or", `{ bookings(where: { total: { or: [{ gt: "1" }, { lt: "0.0001" }] } }, first: 100) { nodes { id } } }`, nil},
			{"money decimal with too many digits on the offset field", `{ bookingsPage(where: { total: { gte: "1.2345" } }, take: 100) { items { id } } }`, nil},
			{"money decimal with too many digits in a variable", `query($w: BookingFilterInput) { bookings(where: $w, first: 100) { nodes { id } } }`,
				map[string]any{"w": map[string]any{"total": map[string]any{"gte": "1.2345"}}}},
			{"money decimal as a float with too many digits", `{ bookings(where: { total: { gte: 1.2345 } }, first: 100) { nodes { id } } }`, nil},
			{"not a decimal", `{ bookings(where: { total: { gte: "abc" } }, first: 100) { nodes { id } } }`, nil},
			{"tax rate with more than 2 fraction digits in a nested list filter", `{ events(where: { ticketCategories: { some: { taxRatePercent: { eq: "19.001" } } } }, first: 100) { nodes { id } } }`, nil},
			{"malformed ID", `{ events(where: { id: { eq: "not-an-id" } }, first: 100) { nodes { id } } }`, nil},
			{"malformed ID in a list", `{ events(where: { id: { in: ["` + gid.Encode(2<<32|1) + `", "%%%"] } }, first: 100) { nodes { id } } }`, nil},
			{"malformed ID in a variable", `query($w: EventFilterInput) { events(where: $w, first: 100) { nodes { id } } }`,
				map[string]any{"w": map[string]any{"id": map[string]any{"eq": "bm90OmFuOmlk"}}}},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				r := e.Do(t, c.query, c.vars)
				if len(r.Errors) == 0 {
					t.Fatalf("expected an error, got data %s", r.Data)
				}
				if got := r.Errors[0].Code(); got != "BAD_USER_INPUT" {
					t.Errorf("code = %s (%s), want BAD_USER_INPUT", got, r.Errors[0].Message)
				}
			})
		}
	})
}

// TestFilterNestedConnection checks the where argument of a connection
// field on an object (Event.bookings, Booking.tickets).
func TestFilterNestedConnection(t *testing.T) {
	graphtest.Each(t, func(t *testing.T, e *graphtest.Env) {
		o := newFltOracle(graphtest.Seed(t, e))
		f := o.f
		type pageInfo struct{ HasNextPage bool }
		var out struct {
			Events struct {
				PageInfo pageInfo
				Nodes    []struct {
					ID       string
					Bookings struct {
						TotalCount int
						PageInfo   pageInfo
						Nodes      []struct {
							ID      string
							Tickets struct {
								TotalCount int
								PageInfo   pageInfo
								Nodes      []struct{ ID string }
							}
						}
					}
				}
			}
		}
		// Page sizes stay under the cost limit and above what the fixture
		// holds (at most 5 bookings per event, 5 tickets per booking).
		e.Query(t, `{ events(where: { bookings: { any: true } }, first: 20) { pageInfo { hasNextPage } nodes { id
			bookings(where: { status: { in: [CONFIRMED, CANCELLED] } }, first: 8) { totalCount pageInfo { hasNextPage } nodes { id
				tickets(where: { holder: { company: { eq: null } } }, first: 6) { totalCount pageInfo { hasNextPage } nodes { id } } } } } } }`, nil, &out)
		decode := func(s string) int {
			id, err := gid.Decode(s)
			if err != nil {
				t.Fatal(err)
			}
			return id
		}
		var gotE []int
		for _, ev := range out.Events.Nodes {
			gotE = append(gotE, decode(ev.ID))
		}
		sort.Ints(gotE)
		t.Run("events with bookings", func(t *testing.T) {
			if out.Events.PageInfo.HasNextPage {
				t.Fatal("more than one page of events")
			}
			o.check(t, fltResult{ids: gotE, totalCount: len(gotE)}, o.events(func(e *ent.Event) bool { return len(f.BookingsOf(e.ID)) > 0 }))
		})
		for _, ev := range out.Events.Nodes {
			evID := decode(ev.ID)
			wantB := fltPick(f.BookingsOf(evID), func(b *ent.Booking) int { return b.ID }, func(b *ent.Booking) bool {
				return b.Status == domain.BookingStatusConfirmed || b.Status == domain.BookingStatusCancelled
			})
			var gotB []int
			for _, b := range ev.Bookings.Nodes {
				bID := decode(b.ID)
				gotB = append(gotB, bID)
				wantT := fltPick(f.TicketsOf(bID), func(t *ent.Ticket) int { return t.ID }, func(t *ent.Ticket) bool {
					return f.Participant(t.HolderID).Company == nil
				})
				var gotT []int
				for _, tk := range b.Tickets.Nodes {
					gotT = append(gotT, decode(tk.ID))
				}
				sort.Ints(gotT)
				t.Run(fmt.Sprintf("%s tickets", o.label(bID)), func(t *testing.T) {
					if b.Tickets.PageInfo.HasNextPage {
						t.Fatal("more than one page of tickets")
					}
					o.check(t, fltResult{ids: gotT, totalCount: b.Tickets.TotalCount}, wantT)
				})
			}
			sort.Ints(gotB)
			t.Run(o.label(evID)+" bookings", func(t *testing.T) {
				if ev.Bookings.PageInfo.HasNextPage {
					t.Fatal("more than one page of bookings")
				}
				o.check(t, fltResult{ids: gotB, totalCount: ev.Bookings.TotalCount}, wantB)
			})
		}
	})
}
