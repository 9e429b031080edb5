package graph_test

// Sorting and paging of the Hot Chocolate style lists (docs/client-guide.md, "Lists":
// filtering, sorting, paging"), through the real HTTP handler on SQLite and,
// with DATABASE_URL, PostgreSQL. Every expectation comes from an oracle that
// sorts the rows in Go: nulls last in both directions, strings by code
// point, enums in declaration order, money by amount across currencies, ties
// on id ascending.

import (
	"cmp"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"seatgraph/ent"
	"seatgraph/graph/graphtest"
	"seatgraph/internal/domain"
	"seatgraph/internal/gid"
)

type M = map[string]any

// ---------------------------------------------------------------- oracle

// okey is one sort key of the oracle: val returns nil for null.
type okey[T any] struct {
	val  func(T) any
	desc bool
}

func asc[T any](f func(T) any) okey[T]  { return okey[T]{val: f} }
func desc[T any](f func(T) any) okey[T] { return okey[T]{val: f, desc: true} }

func cmpValue(a, b any) int {
	switch x := a.(type) {
	case string:
		return strings.Compare(x, b.(string)) // bytes of UTF-8: code points
	case int:
		return cmp.Compare(x, b.(int))
	case int64:
		return cmp.Compare(x, b.(int64))
	case bool:
		y := b.(bool)
		switch {
		case x == y:
			return 0
		case !x:
			return -1
		}
		return 1
	case time.Time:
		return x.Compare(b.(time.Time))
	}
	panic(fmt.Sprintf("oracle: cannot compare %T", a))
}

// compareRows orders by keys, nulls last whatever the direction, then id
// ascending.
func compareRows[T any](keys []okey[T], id func(T) int) func(a, b T) int {
	return func(a, b T) int {
		for _, k := range keys {
			va, vb := k.val(a), k.val(b)
			switch {
			case va == nil && vb == nil:
				continue
			case va == nil:
				return 1
			case vb == nil:
				return -1
			}
			c := cmpValue(va, vb)
			if k.desc {
				c = -c
			}
			if c != 0 {
				return c
			}
		}
		return cmp.Compare(id(a), id(b))
	}
}

// oracle is an expected list: the ids of the matching rows in order, and the
// order itself over any row of the type (cursor rows of other parents too).
type oracle struct {
	ids []int
	cmp func(a, b int) int
}

func newOracle[T any](rows []T, id func(T) int, keep func(T) bool, keys ...okey[T]) oracle {
	byID := make(map[int]T, len(rows))
	var ids []int
	for _, r := range rows {
		byID[id(r)] = r
		if keep == nil || keep(r) {
			ids = append(ids, id(r))
		}
	}
	rc := compareRows(keys, id)
	c := func(a, b int) int {
		ra, ok := byID[a]
		rb, ok2 := byID[b]
		if !ok || !ok2 {
			panic(fmt.Sprintf("oracle: unknown row %d or %d", a, b))
		}
		return rc(ra, rb)
	}
	slices.SortFunc(ids, c)
	return oracle{ids: ids, cmp: c}
}

// only keeps the rows of the oracle for which keep is true.
func (o oracle) only(keep func(id int) bool) oracle {
	var ids []int
	for _, id := range o.ids {
		if keep(id) {
			ids = append(ids, id)
		}
	}
	return oracle{ids: ids, cmp: o.cmp}
}

// pageArgs are cursor paging arguments; afterRow/beforeRow are the rows the
// cursors came from, for the oracle.
type pageArgs struct {
	first, last         *int
	after, before       *string
	afterRow, beforeRow int
}

func (a pageArgs) vars(v M) M {
	if v == nil {
		v = M{}
	}
	if a.first != nil {
		v["first"] = *a.first
	}
	if a.last != nil {
		v["last"] = *a.last
	}
	if a.after != nil {
		v["after"] = *a.after
	}
	if a.before != nil {
		v["before"] = *a.before
	}
	return v
}

func ptr[V any](v V) *V { return &v }

// expect cuts the page a (with a default size) asks for out of the list:
// its rows, and whether matching rows sort before and after it.
func (o oracle) expect(a pageArgs, defaultSize int) (ids []int, hasPrev, hasNext bool) {
	lo, hi := 0, len(o.ids)
	if a.after != nil {
		lo = 0
		for _, id := range o.ids {
			if o.cmp(id, a.afterRow) <= 0 {
				lo++
			}
		}
	}
	if a.before != nil {
		hi = 0
		for _, id := range o.ids {
			if o.cmp(id, a.beforeRow) < 0 {
				hi++
			}
		}
	}
	if hi < lo {
		hi = lo
	}
	start, end := lo, hi
	switch {
	case a.last != nil:
		start = max(lo, hi-*a.last)
	case a.first != nil:
		end = min(hi, lo+*a.first)
	default:
		end = min(hi, lo+defaultSize)
	}
	return slices.Clone(o.ids[start:end]), start > 0, end < len(o.ids)
}

// Field readers of the oracle.

func opt[V any](p *V) any {
	if p == nil {
		return nil
	}
	return *p
}

// amount is a money value at 3 fraction digits, whatever the currency.
func amount(minor int64, currency string) any {
	switch currency {
	case "EUR":
		return minor * 10
	case "JPY":
		return minor * 1000
	}
	panic("oracle: unexpected currency " + currency)
}

func enumIndex(members ...string) func(string) any {
	return func(v string) any {
		i := slices.Index(members, v)
		if i < 0 {
			panic("oracle: unknown enum value " + v)
		}
		return i
	}
}

var (
	eventStatus   = enumIndex("DRAFT", "PUBLISHED", "CANCELLED")
	bookingStatus = enumIndex("WAITLISTED", "PENDING", "CONFIRMED", "CANCELLED", "EXPIRED")
	ticketStatus  = enumIndex("ACTIVE", "WAITLISTED", "CANCELLED")
)

func evID(x *ent.Event) int          { return x.ID }
func evTitle(x *ent.Event) any       { return x.Title }
func evStartsAt(x *ent.Event) any    { return x.StartsAt }
func evEndsAt(x *ent.Event) any      { return opt(x.EndsAt) }
func evCapacity(x *ent.Event) any    { return opt(x.Capacity) }
func evVenue(x *ent.Event) any       { return opt(x.Venue) }
func evStatus(x *ent.Event) any      { return eventStatus(string(x.Status)) }
func evWaitlist(x *ent.Event) any    { return x.WaitlistEnabled }
func evIDKey(x *ent.Event) any       { return x.ID }
func tkID(x *ent.Ticket) int         { return x.ID }
func tkPrice(x *ent.Ticket) any      { return amount(x.Price, x.Currency) }
func tkCreatedAt(x *ent.Ticket) any  { return x.CreatedAt }
func tkStatus(x *ent.Ticket) any     { return ticketStatus(string(x.Status)) }
func bkID(x *ent.Booking) int        { return x.ID }
func bkTotal(x *ent.Booking) any     { return amount(x.Total, x.Currency) }
func bkCreatedAt(x *ent.Booking) any { return x.CreatedAt }
func bkInvoice(x *ent.Booking) any   { return opt(x.InvoiceNumber) }
func bkStatus(x *ent.Booking) any    { return bookingStatus(string(x.Status)) }
func payID(x *ent.Payment) int       { return x.ID }
func payAmount(x *ent.Payment) any   { return amount(x.Amount, x.Currency) }
func payCreated(x *ent.Payment) any  { return x.CreatedAt }
func payPaidAt(x *ent.Payment) any   { return opt(x.PaidAt) }
func ppID(x *ent.Participant) int    { return x.ID }
func ppFirst(x *ent.Participant) any { return x.FirstName }
func ppLast(x *ent.Participant) any  { return x.LastName }
func ppCreated(x *ent.Participant) any {
	return x.CreatedAt
}
func regCreated(x *ent.Registration) any { return x.CreatedAt }

// Readers through to-one edges.

func tkEvent(d *graphtest.PagingData, f func(*ent.Event) any) func(*ent.Ticket) any {
	return func(x *ent.Ticket) any { return f(d.Event(x.EventID)) }
}

func tkHolder(d *graphtest.PagingData, f func(*ent.Participant) any) func(*ent.Ticket) any {
	return func(x *ent.Ticket) any { return f(d.Participant(x.HolderID)) }
}

func tkCategoryEvent(d *graphtest.PagingData, f func(*ent.Event) any) func(*ent.Ticket) any {
	return func(x *ent.Ticket) any { return f(d.Event(d.Category(x.TicketCategoryID).EventID)) }
}

func tkRegistration(d *graphtest.PagingData, f func(*ent.Registration) any) func(*ent.Ticket) any {
	return func(x *ent.Ticket) any {
		if x.RegistrationID == nil {
			return nil
		}
		return f(d.Registration(*x.RegistrationID))
	}
}

func bkBooker(d *graphtest.PagingData, f func(*ent.Participant) any) func(*ent.Booking) any {
	return func(x *ent.Booking) any { return f(d.Participant(x.BookerID)) }
}

func payBooking(d *graphtest.PagingData, f func(*ent.Booking) any) func(*ent.Payment) any {
	return func(x *ent.Payment) any { return f(d.Booking(x.BookingID)) }
}

// reload reads the data set back from the database, after tests changed it.
func reload(t *testing.T, e *graphtest.Env) *graphtest.PagingData {
	t.Helper()
	ctx, c := e.Ctx(), e.Client
	var err error
	d := &graphtest.PagingData{}
	check := func(e error) {
		if e != nil && err == nil {
			err = e
		}
	}
	byID := ent.Asc("id")
	d.Events, err = c.Event.Query().Order(byID).All(ctx)
	var e2 error
	d.Categories, e2 = c.TicketCategory.Query().Order(byID).All(ctx)
	check(e2)
	d.Participants, e2 = c.Participant.Query().Order(byID).All(ctx)
	check(e2)
	d.Bookings, e2 = c.Booking.Query().Order(byID).All(ctx)
	check(e2)
	d.Registrations, e2 = c.Registration.Query().Order(byID).All(ctx)
	check(e2)
	d.Tickets, e2 = c.Ticket.Query().Order(byID).All(ctx)
	check(e2)
	d.Payments, e2 = c.Payment.Query().Order(byID).All(ctx)
	check(e2)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// ---------------------------------------------------------------- GraphQL

var listTypes = map[string]string{
	"events": "Event", "tickets": "Ticket", "bookings": "Booking",
	"payments": "Payment", "participants": "Participant",
}

const connSelection = `totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id } }
    nodes { id }`

const cursorParams = `$first: Int, $after: String, $last: Int, $before: String`
const cursorArgs = `first: $first, after: $after, last: $last, before: $before`

func connQuery(list string) string {
	typ := listTypes[list]
	return fmt.Sprintf(`query($where: %[2]sFilterInput, $order: [%[2]sSortInput!], %[3]s) {
  list: %[1]s(where: $where, order: $order, %[4]s) {
    %[5]s
  }
}`, list, typ, cursorParams, cursorArgs, connSelection)
}

type pageInfo struct {
	HasNextPage     bool
	HasPreviousPage bool
	StartCursor     *string
	EndCursor       *string
}

type conn struct {
	TotalCount int
	PageInfo   pageInfo
	Edges      []struct {
		Cursor string
		Node   struct{ ID string }
	}
	Nodes []struct{ ID string }
}

// ids decodes the page's node ids, checking nodes and edges agree and the
// start and end cursors are those of the first and last edge.
func (c conn) ids(t *testing.T) []int {
	t.Helper()
	out := make([]int, len(c.Edges))
	for i, e := range c.Edges {
		id, err := gid.Decode(e.Node.ID)
		if err != nil {
			t.Fatalf("edge %d: %v", i, err)
		}
		out[i] = id
	}
	if c.Nodes != nil {
		if len(c.Nodes) != len(c.Edges) {
			t.Fatalf("%d nodes but %d edges", len(c.Nodes), len(c.Edges))
		}
		for i := range c.Nodes {
			if c.Nodes[i].ID != c.Edges[i].Node.ID {
				t.Fatalf("nodes[%d] = %s, edges[%d].node = %s", i, c.Nodes[i].ID, i, c.Edges[i].Node.ID)
			}
		}
	}
	if n := len(c.Edges); n == 0 {
		if c.PageInfo.StartCursor != nil || c.PageInfo.EndCursor != nil {
			t.Fatalf("empty page with cursors %v %v", c.PageInfo.StartCursor, c.PageInfo.EndCursor)
		}
	} else {
		if c.PageInfo.StartCursor == nil || *c.PageInfo.StartCursor != c.Edges[0].Cursor {
			t.Fatalf("startCursor %v is not the first edge's cursor %s", c.PageInfo.StartCursor, c.Edges[0].Cursor)
		}
		if c.PageInfo.EndCursor == nil || *c.PageInfo.EndCursor != c.Edges[n-1].Cursor {
			t.Fatalf("endCursor %v is not the last edge's cursor %s", c.PageInfo.EndCursor, c.Edges[n-1].Cursor)
		}
	}
	return out
}

func (c conn) cursors() []string {
	out := make([]string, len(c.Edges))
	for i, e := range c.Edges {
		out[i] = e.Cursor
	}
	return out
}

// fetch reads one page of a top-level list.
func fetch(t *testing.T, e *graphtest.Env, list string, where M, order []any, a pageArgs) conn {
	t.Helper()
	vars := a.vars(M{})
	if where != nil {
		vars["where"] = where
	}
	if order != nil {
		vars["order"] = order
	}
	var out struct{ List conn }
	e.Query(t, connQuery(list), vars, &out)
	return out.List
}

// short writes ids as the local numbers of their type, for messages.
func short(ids []int) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = fmt.Sprint(id & (1<<32 - 1))
	}
	return "[" + strings.Join(parts, " ") + "]"
}

// ---------------------------------------------------------------- cases

type sortCase struct {
	name  string
	list  string
	where M
	order []any
	want  func(d *graphtest.PagingData) oracle
}

func events(keep func(*ent.Event) bool, keys ...okey[*ent.Event]) func(*graphtest.PagingData) oracle {
	return func(d *graphtest.PagingData) oracle { return newOracle(d.Events, evID, keep, keys...) }
}

func notCancelled(x *ent.Event) bool { return x.Status != domain.EventStatusCancelled }

func sortCases() []sortCase {
	return []sortCase{
		{"events default startsAt ASC", "events", nil, nil, events(nil, asc(evStartsAt))},
		{"events title ASC", "events", nil, []any{M{"title": "ASC"}}, events(nil, asc(evTitle))},
		{"events title DESC", "events", nil, []any{M{"title": "DESC"}}, events(nil, desc(evTitle))},
		{"events startsAt ASC then title DESC", "events", M{"status": M{"neq": "CANCELLED"}},
			[]any{M{"startsAt": "ASC"}, M{"title": "DESC"}}, events(notCancelled, asc(evStartsAt), desc(evTitle))},
		{"events side by side apply in schema order", "events", nil,
			[]any{M{"startsAt": "DESC", "title": "ASC"}}, events(nil, asc(evTitle), desc(evStartsAt))},
		{"events endsAt ASC nulls last", "events", nil, []any{M{"endsAt": "ASC"}}, events(nil, asc(evEndsAt))},
		{"events endsAt DESC nulls last", "events", nil, []any{M{"endsAt": "DESC"}}, events(nil, desc(evEndsAt))},
		{"events capacity ASC", "events", nil, []any{M{"capacity": "ASC"}}, events(nil, asc(evCapacity))},
		{"events capacity DESC then title ASC", "events", nil, []any{M{"capacity": "DESC"}, M{"title": "ASC"}},
			events(nil, desc(evCapacity), asc(evTitle))},
		{"events venue ASC then startsAt DESC", "events", nil, []any{M{"venue": "ASC"}, M{"startsAt": "DESC"}},
			events(nil, asc(evVenue), desc(evStartsAt))},
		{"events venue DESC", "events", M{"title": M{"nin": []any{"zoo", "Zoo"}}}, []any{M{"venue": "DESC"}},
			events(func(x *ent.Event) bool { return x.Title != "zoo" && x.Title != "Zoo" }, desc(evVenue))},
		{"events status ASC (declaration order)", "events", nil, []any{M{"status": "ASC"}}, events(nil, asc(evStatus))},
		{"events status DESC then endsAt ASC", "events", nil, []any{M{"status": "DESC"}, M{"endsAt": "ASC"}},
			events(nil, desc(evStatus), asc(evEndsAt))},
		{"events waitlistEnabled DESC then title ASC", "events", nil, []any{M{"waitlistEnabled": "DESC"}, M{"title": "ASC"}},
			events(nil, desc(evWaitlist), asc(evTitle))},
		{"events id DESC", "events", nil, []any{M{"id": "DESC"}}, events(nil, desc(evIDKey))},
		{"events filtered, default order", "events", M{"title": M{"contains": "APP"}}, nil,
			events(func(x *ent.Event) bool { return strings.Contains(strings.ToLower(x.Title), "app") }, asc(evStartsAt))},

		{"tickets default createdAt DESC", "tickets", nil, nil, func(d *graphtest.PagingData) oracle {
			return newOracle(d.Tickets, tkID, nil, desc(tkCreatedAt))
		}},
		{"tickets event.startsAt DESC then price ASC", "tickets", M{"status": M{"eq": "ACTIVE"}},
			[]any{M{"event": M{"startsAt": "DESC"}}, M{"price": "ASC"}}, func(d *graphtest.PagingData) oracle {
				return newOracle(d.Tickets, tkID, func(x *ent.Ticket) bool { return x.Status == domain.TicketStatusActive },
					desc(tkEvent(d, evStartsAt)), asc(tkPrice))
			}},
		{"tickets price DESC across currencies", "tickets", nil, []any{M{"price": "DESC"}}, func(d *graphtest.PagingData) oracle {
			return newOracle(d.Tickets, tkID, nil, desc(tkPrice))
		}},
		{"tickets price ASC where price gte 50", "tickets", M{"price": M{"gte": "50"}}, []any{M{"price": "ASC"}},
			func(d *graphtest.PagingData) oracle {
				return newOracle(d.Tickets, tkID, func(x *ent.Ticket) bool { return tkPrice(x).(int64) >= 50000 }, asc(tkPrice))
			}},
		{"tickets registration.createdAt ASC (missing edge last)", "tickets", nil,
			[]any{M{"registration": M{"createdAt": "ASC"}}}, func(d *graphtest.PagingData) oracle {
				return newOracle(d.Tickets, tkID, nil, asc(tkRegistration(d, regCreated)))
			}},
		{"tickets registration.createdAt DESC (missing edge last)", "tickets", nil,
			[]any{M{"registration": M{"createdAt": "DESC"}}}, func(d *graphtest.PagingData) oracle {
				return newOracle(d.Tickets, tkID, nil, desc(tkRegistration(d, regCreated)))
			}},
		{"tickets ticketCategory.event.title ASC then holder.lastName DESC", "tickets", nil,
			[]any{M{"ticketCategory": M{"event": M{"title": "ASC"}}}, M{"holder": M{"lastName": "DESC"}}},
			func(d *graphtest.PagingData) oracle {
				return newOracle(d.Tickets, tkID, nil, asc(tkCategoryEvent(d, evTitle)), desc(tkHolder(d, ppLast)))
			}},
		{"tickets status DESC then event.title ASC", "tickets", nil,
			[]any{M{"status": "DESC"}, M{"event": M{"title": "ASC"}}}, func(d *graphtest.PagingData) oracle {
				return newOracle(d.Tickets, tkID, nil, desc(tkStatus), asc(tkEvent(d, evTitle)))
			}},

		{"bookings default createdAt DESC", "bookings", nil, nil, func(d *graphtest.PagingData) oracle {
			return newOracle(d.Bookings, bkID, nil, desc(bkCreatedAt))
		}},
		{"bookings total DESC across currencies", "bookings", nil, []any{M{"total": "DESC"}}, func(d *graphtest.PagingData) oracle {
			return newOracle(d.Bookings, bkID, nil, desc(bkTotal))
		}},
		{"bookings booker.lastName ASC", "bookings", nil, []any{M{"booker": M{"lastName": "ASC"}}}, func(d *graphtest.PagingData) oracle {
			return newOracle(d.Bookings, bkID, nil, asc(bkBooker(d, ppLast)))
		}},
		{"bookings invoiceNumber DESC", "bookings", nil, []any{M{"invoiceNumber": "DESC"}}, func(d *graphtest.PagingData) oracle {
			return newOracle(d.Bookings, bkID, nil, desc(bkInvoice))
		}},
		{"bookings status ASC where EUR", "bookings", M{"currency": M{"eq": "EUR"}}, []any{M{"status": "ASC"}},
			func(d *graphtest.PagingData) oracle {
				return newOracle(d.Bookings, bkID, func(x *ent.Booking) bool { return x.Currency == "EUR" }, asc(bkStatus))
			}},

		{"payments default createdAt DESC", "payments", nil, nil, func(d *graphtest.PagingData) oracle {
			return newOracle(d.Payments, payID, nil, desc(payCreated))
		}},
		{"payments booking.booker.lastName DESC then amount ASC", "payments", nil,
			[]any{M{"booking": M{"booker": M{"lastName": "DESC"}}}, M{"amount": "ASC"}}, func(d *graphtest.PagingData) oracle {
				return newOracle(d.Payments, payID, nil, desc(payBooking(d, bkBooker(d, ppLast))), asc(payAmount))
			}},
		{"payments paidAt ASC", "payments", nil, []any{M{"paidAt": "ASC"}}, func(d *graphtest.PagingData) oracle {
			return newOracle(d.Payments, payID, nil, asc(payPaidAt))
		}},

		{"participants default createdAt DESC", "participants", nil, nil, func(d *graphtest.PagingData) oracle {
			return newOracle(d.Participants, ppID, nil, desc(ppCreated))
		}},
		{"participants lastName ASC then firstName DESC", "participants", nil,
			[]any{M{"lastName": "ASC"}, M{"firstName": "DESC"}}, func(d *graphtest.PagingData) oracle {
				return newOracle(d.Participants, ppID, nil, asc(ppLast), desc(ppFirst))
			}},
	}
}

// ---------------------------------------------------------------- 1. sorting

// TestSortOrders compares every list order with the oracle.
func TestSortOrders(t *testing.T) {
	graphtest.Each(t, func(t *testing.T, e *graphtest.Env) {
		d := graphtest.SeedPaging(t, e)
		for _, tc := range sortCases() {
			t.Run(tc.name, func(t *testing.T) {
				want := tc.want(d)
				got := fetch(t, e, tc.list, tc.where, tc.order, pageArgs{first: ptr(100)})
				if ids := got.ids(t); !slices.Equal(ids, want.ids) {
					t.Fatalf("order\n got %s\nwant %s", short(ids), short(want.ids))
				}
				if got.TotalCount != len(want.ids) || got.PageInfo.HasNextPage || got.PageInfo.HasPreviousPage {
					t.Fatalf("totalCount %d (want %d), pageInfo %+v", got.TotalCount, len(want.ids), got.PageInfo)
				}
			})
		}
	})
}

// TestSortStringsEnumsMoney spells the orders out: strings by code point
// (uppercase before lowercase, "Ä" after "z") on every database, nulls
// last both ways, enums in declaration order, money by amount.
func TestSortStringsEnumsMoney(t *testing.T) {
	graphtest.Each(t, func(t *testing.T, e *graphtest.Env) {
		graphtest.SeedPaging(t, e)
		strs := func(t *testing.T, q string, pick func(M) any) []any {
			t.Helper()
			var out struct{ List struct{ Nodes []M } }
			e.Query(t, q, nil, &out)
			var vals []any
			for _, n := range out.List.Nodes {
				vals = append(vals, pick(n))
			}
			return vals
		}
		field := func(name string) func(M) any { return func(n M) any { return n[name] } }
		same := func(t *testing.T, got []any, want ...any) {
			t.Helper()
			if !reflect.DeepEqual(got, want) {
				g, _ := json.Marshal(got)
				w, _ := json.Marshal(want)
				t.Errorf("\n got %s\nwant %s", g, w)
			}
		}
		titles := []any{"123 Go", "Apple", "Banana", "Zebra", "Zoo", "Zoo", "apple", "apple", "banana", "zebra", "zoo", "zoo", "Äpfel", "Äpfel", "Éclair"}
		t.Run("title ASC", func(t *testing.T) {
			same(t, strs(t, `{ list: events(order: [{title: ASC}], first: 100) { nodes { title } } }`, field("title")), titles...)
		})
		t.Run("title DESC", func(t *testing.T) {
			rev := slices.Clone(titles)
			slices.Reverse(rev)
			same(t, strs(t, `{ list: events(order: [{title: DESC}], first: 100) { nodes { title } } }`, field("title")), rev...)
		})
		t.Run("venue ASC nulls last", func(t *testing.T) {
			same(t, strs(t, `{ list: events(order: [{venue: ASC}], first: 100) { nodes { venue } } }`, field("venue")),
				"Hall A", "Hall A", "Hall A", "Zelt", "Zelt", "hall b", "hall b", "hall b", "Äußere Halle", "Äußere Halle",
				nil, nil, nil, nil, nil)
		})
		t.Run("venue DESC nulls last", func(t *testing.T) {
			same(t, strs(t, `{ list: events(order: [{venue: DESC}], first: 100) { nodes { venue } } }`, field("venue")),
				"Äußere Halle", "Äußere Halle", "hall b", "hall b", "hall b", "Zelt", "Zelt", "Hall A", "Hall A", "Hall A",
				nil, nil, nil, nil, nil)
		})
		t.Run("lastName ASC", func(t *testing.T) {
			same(t, strs(t, `{ list: participants(order: [{lastName: ASC}]) { nodes { lastName } } }`, field("lastName")),
				"Adams", "Meier", "Meier", "Mueller", "Müller", "Zimmer", "adams", "meier", "Özil")
		})
		t.Run("booker.lastName DESC", func(t *testing.T) {
			got := strs(t, `{ list: bookings(order: [{booker: {lastName: DESC}}]) { nodes { booker { lastName } } } }`,
				func(n M) any { return n["booker"].(map[string]any)["lastName"] })
			same(t, got, "Özil", "meier", "adams", "Zimmer", "Müller", "Müller", "Mueller", "Mueller", "Meier", "Meier", "Meier", "Adams")
		})
		t.Run("status ASC", func(t *testing.T) {
			same(t, strs(t, `{ list: events(order: [{status: ASC}]) { nodes { status } } }`, field("status")),
				"DRAFT", "DRAFT", "DRAFT", "DRAFT", "PUBLISHED", "PUBLISHED", "PUBLISHED", "PUBLISHED", "PUBLISHED",
				"PUBLISHED", "PUBLISHED", "PUBLISHED", "CANCELLED", "CANCELLED", "CANCELLED")
		})
		t.Run("status DESC", func(t *testing.T) {
			same(t, strs(t, `{ list: events(order: [{status: DESC}]) { nodes { status } } }`, field("status")),
				"CANCELLED", "CANCELLED", "CANCELLED", "PUBLISHED", "PUBLISHED", "PUBLISHED", "PUBLISHED", "PUBLISHED",
				"PUBLISHED", "PUBLISHED", "PUBLISHED", "DRAFT", "DRAFT", "DRAFT", "DRAFT")
		})
		t.Run("price DESC by amount", func(t *testing.T) {
			var out struct {
				List struct {
					Nodes []struct {
						ID    string
						Price struct{ Amount, Currency string }
					}
				}
			}
			e.Query(t, `{ list: tickets(order: [{price: DESC}], first: 100) { nodes { id price { amount currency } } } }`, nil, &out)
			if len(out.List.Nodes) != 35 {
				t.Fatalf("%d tickets", len(out.List.Nodes))
			}
			var prev *big.Rat
			prevID, mixed := 0, false
			prevCur := ""
			for i, n := range out.List.Nodes {
				amt, ok := new(big.Rat).SetString(n.Price.Amount)
				if !ok {
					t.Fatalf("amount %q", n.Price.Amount)
				}
				id, _ := gid.Decode(n.ID)
				if prev != nil {
					switch c := amt.Cmp(prev); {
					case c > 0:
						t.Fatalf("row %d: %s %s after %s", i, n.Price.Amount, n.Price.Currency, prev.FloatString(3))
					case c == 0 && id < prevID:
						t.Fatalf("row %d: tie on %s not broken on id ascending", i, n.Price.Amount)
					case c == 0 && n.Price.Currency != prevCur:
						mixed = true
					}
				}
				prev, prevID, prevCur = amt, id, n.Price.Currency
			}
			if out.List.Nodes[0].Price.Currency != "JPY" || out.List.Nodes[0].Price.Amount != "1200" {
				t.Errorf("first ticket %+v, want JPY 1200 (more than any EUR price)", out.List.Nodes[0].Price)
			}
			if !mixed {
				t.Error("the data set should hold a tie between EUR 50.00 and JPY 50")
			}
		})
	})
}

// ---------------------------------------------------------------- 2. cursor paging

// TestCursorPagingWalk walks every sorted, filtered list forwards (first: 3)
// and backwards (last: 3): the pages join up to the unpaged list, with exact
// pageInfo, cursors and totalCount on every page.
func TestCursorPagingWalk(t *testing.T) {
	graphtest.Each(t, func(t *testing.T, e *graphtest.Env) {
		d := graphtest.SeedPaging(t, e)
		for _, tc := range sortCases() {
			t.Run(tc.name, func(t *testing.T) {
				walk(t, e, tc.list, tc.where, tc.order, tc.want(d))
			})
		}
	})
}

func walk(t *testing.T, e *graphtest.Env, list string, where M, order []any, want oracle) {
	t.Helper()
	full := fetch(t, e, list, where, order, pageArgs{first: ptr(100)})
	ids := full.ids(t)
	if !slices.Equal(ids, want.ids) {
		t.Fatalf("unpaged list\n got %s\nwant %s", short(ids), short(want.ids))
	}
	cursors := full.cursors()
	n := len(ids)
	const size = 3
	check := func(dir string, page conn, start, end int) {
		t.Helper()
		got := page.ids(t)
		if !slices.Equal(got, ids[start:end]) {
			t.Fatalf("%s page [%d:%d]\n got %s\nwant %s", dir, start, end, short(got), short(ids[start:end]))
		}
		if !slices.Equal(page.cursors(), cursors[start:end]) {
			t.Fatalf("%s page [%d:%d]: cursors differ from the unpaged list's", dir, start, end)
		}
		if page.PageInfo.HasPreviousPage != (start > 0) || page.PageInfo.HasNextPage != (end < n) {
			t.Fatalf("%s page [%d:%d] of %d: hasPreviousPage %v, hasNextPage %v", dir, start, end, n,
				page.PageInfo.HasPreviousPage, page.PageInfo.HasNextPage)
		}
		if page.TotalCount != n {
			t.Fatalf("%s page [%d:%d]: totalCount %d, want %d", dir, start, end, page.TotalCount, n)
		}
	}

	var fwd []int
	a := pageArgs{first: ptr(size)}
	for start := 0; ; start += size {
		if start > n+size {
			t.Fatal("forward walk does not end")
		}
		page := fetch(t, e, list, where, order, a)
		check("forward", page, start, min(start+size, n))
		fwd = append(fwd, page.ids(t)...)
		if !page.PageInfo.HasNextPage {
			break
		}
		a.after = page.PageInfo.EndCursor
	}
	var back []int
	a = pageArgs{last: ptr(size)}
	for end := n; ; end -= size {
		if end < -size {
			t.Fatal("backward walk does not end")
		}
		page := fetch(t, e, list, where, order, a)
		check("backward", page, max(0, end-size), end)
		back = append(page.ids(t), back...)
		if !page.PageInfo.HasPreviousPage {
			break
		}
		a.before = page.PageInfo.StartCursor
	}
	if !slices.Equal(fwd, ids) || !slices.Equal(back, ids) {
		t.Fatalf("walks\nforward  %s\nbackward %s\nwant     %s", short(fwd), short(back), short(ids))
	}
	if n < 6 {
		return
	}
	// Windows between two cursors, and a page past the end.
	for _, a := range []pageArgs{
		{first: ptr(2), after: &cursors[1], before: &cursors[n-2]},
		{first: ptr(50), after: &cursors[1], before: &cursors[5]},
		{last: ptr(2), after: &cursors[1], before: &cursors[n-2]},
		{last: ptr(50), after: &cursors[1], before: &cursors[5]},
		{first: ptr(3), after: &cursors[n-1]},
		{last: ptr(3), before: &cursors[0]},
		{first: ptr(0), after: &cursors[2]},
		{last: ptr(0), before: &cursors[2]},
		{first: ptr(3), before: &cursors[2]},
		{last: ptr(3), after: &cursors[n-3]},
	} {
		a.afterRow, a.beforeRow = rowOf(ids, cursors, a.after), rowOf(ids, cursors, a.before)
		wantIDs, prev, next := want.expect(a, 20)
		page := fetch(t, e, list, where, order, a)
		got := page.ids(t)
		if !slices.Equal(got, wantIDs) || page.PageInfo.HasPreviousPage != prev || page.PageInfo.HasNextPage != next ||
			page.TotalCount != n {
			t.Fatalf("%s: got %s prev %v next %v total %d; want %s prev %v next %v total %d", describeArgs(ids, cursors, a),
				short(got), page.PageInfo.HasPreviousPage, page.PageInfo.HasNextPage, page.TotalCount,
				short(wantIDs), prev, next, n)
		}
	}
}

func rowOf(ids []int, cursors []string, c *string) int {
	if c == nil {
		return 0
	}
	return ids[slices.Index(cursors, *c)]
}

func describeArgs(ids []int, cursors []string, a pageArgs) string {
	var parts []string
	if a.first != nil {
		parts = append(parts, fmt.Sprintf("first: %d", *a.first))
	}
	if a.last != nil {
		parts = append(parts, fmt.Sprintf("last: %d", *a.last))
	}
	if a.after != nil {
		parts = append(parts, fmt.Sprintf("after: #%d", slices.Index(cursors, *a.after)))
	}
	if a.before != nil {
		parts = append(parts, fmt.Sprintf("before: #%d", slices.Index(cursors, *a.before)))
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

// TestCursorPagingDefaultSize: without first or last a page holds 20 rows.
func TestCursorPagingDefaultSize(t *testing.T) {
	graphtest.Each(t, func(t *testing.T, e *graphtest.Env) {
		d := graphtest.SeedPaging(t, e)
		want := newOracle(d.Tickets, tkID, nil, desc(tkCreatedAt)).ids
		if len(want) <= 20 {
			t.Fatalf("the data set needs more than 20 tickets, has %d", len(want))
		}
		p1 := fetch(t, e, "tickets", nil, nil, pageArgs{})
		if got := p1.ids(t); !slices.Equal(got, want[:20]) || !p1.PageInfo.HasNextPage || p1.PageInfo.HasPreviousPage || p1.TotalCount != len(want) {
			t.Fatalf("default page: %s %+v total %d; want %s", short(got), p1.PageInfo, p1.TotalCount, short(want[:20]))
		}
		p2 := fetch(t, e, "tickets", nil, nil, pageArgs{after: p1.PageInfo.EndCursor})
		if got := p2.ids(t); !slices.Equal(got, want[20:]) || p2.PageInfo.HasNextPage || !p2.PageInfo.HasPreviousPage {
			t.Fatalf("second default page: %s %+v; want %s", short(got), p2.PageInfo, short(want[20:]))
		}
		// The default order is the same order as spelled out, so its
		// cursors work there too.
		p3 := fetch(t, e, "tickets", nil, []any{M{"createdAt": "DESC"}}, pageArgs{first: ptr(5), after: p1.PageInfo.EndCursor})
		if got := p3.ids(t); !slices.Equal(got, want[20:25]) {
			t.Fatalf("createdAt DESC after the default page's cursor: %s, want %s", short(got), short(want[20:25]))
		}
	})
}

// ---------------------------------------------------------------- 3. changes between pages

// TestCursorPagingInsertBetweenPages inserts rows before, inside and after
// the first page (and one tied with its last row on every sort key) before
// the second page is read: no row of the original set repeats or is skipped.
func TestCursorPagingInsertBetweenPages(t *testing.T) {
	graphtest.Each(t, func(t *testing.T, e *graphtest.Env) {
		graphtest.SeedPaging(t, e)
		where := M{"status": M{"neq": "CANCELLED"}}
		order := []any{M{"startsAt": "ASC"}, M{"title": "ASC"}}
		keys := []okey[*ent.Event]{asc(evStartsAt), asc(evTitle)}
		orig := fetch(t, e, "events", where, order, pageArgs{first: ptr(100)}).ids(t)

		insert := func(title string, startsAt time.Time, status domain.EventStatus) int {
			t.Helper()
			ev, err := e.Client.Event.Create().SetTenantID(e.Tenant).SetTitle(title).SetStartsAt(startsAt).
				SetStatus(status).Save(e.Ctx())
			if err != nil {
				t.Fatal(err)
			}
			return ev.ID
		}
		forwardFrom := func(after *string, size int) (ids []int, first conn) {
			t.Helper()
			a := pageArgs{first: ptr(size), after: after}
			for i := 0; ; i++ {
				page := fetch(t, e, "events", where, order, a)
				if i == 0 {
					first = page
				}
				ids = append(ids, page.ids(t)...)
				if !page.PageInfo.HasNextPage || i > 50 {
					return ids, first
				}
				a.after = page.PageInfo.EndCursor
			}
		}
		keepOrig := func(ids []int) []int {
			return slices.DeleteFunc(slices.Clone(ids), func(id int) bool { return !slices.Contains(orig, id) })
		}

		t.Run("forward", func(t *testing.T) {
			p1 := fetch(t, e, "events", where, order, pageArgs{first: ptr(4)})
			ids1 := p1.ids(t)
			d := reload(t, e)
			cursorRow := d.Event(ids1[3])
			second := d.Event(ids1[1])
			insert("Early", graphtest.PagingT0.Add(-time.Hour), domain.EventStatusPublished)              // before page 1
			insert("AAA", second.StartsAt, domain.EventStatusPublished)                                   // inside page 1
			tied := insert(cursorRow.Title, cursorRow.StartsAt, domain.EventStatusPublished)              // same keys as the cursor row
			insert("Late", graphtest.PagingT0.Add(100*time.Hour), domain.EventStatusPublished)            // after
			insert("Cancelled", graphtest.PagingT0.Add(3*time.Hour), domain.EventStatusCancelled)         // filtered out
			insert("Middle", graphtest.PagingT0.Add(3*time.Hour+30*time.Minute), domain.EventStatusDraft) // on page 2

			rest, p2 := forwardFrom(p1.PageInfo.EndCursor, 4)
			if all := append(slices.Clone(ids1), keepOrig(rest)...); !slices.Equal(all, orig) {
				t.Fatalf("original rows across the insert\n got %s\nwant %s", short(all), short(orig))
			}
			now := newOracle(reload(t, e).Events, evID, notCancelled, keys...)
			at := slices.Index(now.ids, cursorRow.ID)
			if !slices.Equal(rest, now.ids[at+1:]) {
				t.Fatalf("rows after the cursor\n got %s\nwant %s", short(rest), short(now.ids[at+1:]))
			}
			if len(rest) == 0 || rest[0] != tied {
				t.Errorf("the row tied with the cursor row on every key should open page 2 (higher id), got %s", short(rest))
			}
			if !p2.PageInfo.HasPreviousPage || p2.TotalCount != len(now.ids) {
				t.Errorf("page 2: hasPreviousPage %v totalCount %d, want true %d", p2.PageInfo.HasPreviousPage, p2.TotalCount, len(now.ids))
			}
		})

		t.Run("backward", func(t *testing.T) {
			now := fetch(t, e, "events", where, order, pageArgs{first: ptr(100)}).ids(t)
			pl := fetch(t, e, "events", where, order, pageArgs{last: ptr(4)})
			idsL := pl.ids(t)
			d := reload(t, e)
			cursorRow := d.Event(idsL[0])
			insert("Before", cursorRow.StartsAt.Add(-time.Minute), domain.EventStatusPublished)
			insert(cursorRow.Title, cursorRow.StartsAt, domain.EventStatusPublished) // sorts after the cursor row: not on earlier pages
			insert("ZZZZ", cursorRow.StartsAt, domain.EventStatusPublished)
			insert("Latest", graphtest.PagingT0.Add(200*time.Hour), domain.EventStatusPublished)

			var before []int
			a := pageArgs{last: ptr(4), before: pl.PageInfo.StartCursor}
			for i := 0; ; i++ {
				page := fetch(t, e, "events", where, order, a)
				if i == 0 && !page.PageInfo.HasNextPage {
					t.Errorf("the page before the last page has no next page")
				}
				before = append(page.ids(t), before...)
				if !page.PageInfo.HasPreviousPage || i > 50 {
					break
				}
				a.before = page.PageInfo.StartCursor
			}
			keepNow := slices.DeleteFunc(slices.Clone(before), func(id int) bool { return !slices.Contains(now, id) })
			if all := append(keepNow, idsL...); !slices.Equal(all, now) {
				t.Fatalf("rows across the insert, backwards\n got %s\nwant %s", short(all), short(now))
			}
			after := newOracle(reload(t, e).Events, evID, notCancelled, keys...)
			at := slices.Index(after.ids, cursorRow.ID)
			if !slices.Equal(before, after.ids[:at]) {
				t.Fatalf("rows before the cursor\n got %s\nwant %s", short(before), short(after.ids[:at]))
			}
		})
	})
}

// TestCursorPagingDeleteBetweenPages deletes the row a cursor points at (and
// others) between pages: the cursor still places the next page exactly.
func TestCursorPagingDeleteBetweenPages(t *testing.T) {
	graphtest.Each(t, func(t *testing.T, e *graphtest.Env) {
		graphtest.SeedPaging(t, e)
		for _, tc := range []struct {
			name  string
			list  string
			where M
			order []any
			del   func(id int) error
		}{
			{"tickets through event", "tickets", M{"status": M{"eq": "ACTIVE"}},
				[]any{M{"event": M{"startsAt": "DESC"}}, M{"price": "ASC"}},
				func(id int) error { return e.Client.Ticket.DeleteOneID(id).Exec(e.Ctx()) }},
			{"payments by amount", "payments", nil, []any{M{"amount": "DESC"}},
				func(id int) error { return e.Client.Payment.DeleteOneID(id).Exec(e.Ctx()) }},
		} {
			t.Run(tc.name, func(t *testing.T) {
				orig := fetch(t, e, tc.list, tc.where, tc.order, pageArgs{first: ptr(100)}).ids(t)
				if len(orig) < 10 {
					t.Fatalf("only %d rows", len(orig))
				}
				p1 := fetch(t, e, tc.list, tc.where, tc.order, pageArgs{first: ptr(5)})
				ids1 := p1.ids(t)
				gone := []int{ids1[4], ids1[1], orig[7]} // the cursor row, one before it, one after
				for _, id := range gone {
					if err := tc.del(id); err != nil {
						t.Fatal(err)
					}
				}
				live := func(ids []int) []int {
					return slices.DeleteFunc(slices.Clone(ids), func(id int) bool { return slices.Contains(gone, id) })
				}
				var rest []int
				a := pageArgs{first: ptr(3), after: p1.PageInfo.EndCursor}
				for i := 0; ; i++ {
					page := fetch(t, e, tc.list, tc.where, tc.order, a)
					if i == 0 && (!page.PageInfo.HasPreviousPage || page.TotalCount != len(orig)-len(gone)) {
						t.Errorf("page 2: hasPreviousPage %v totalCount %d", page.PageInfo.HasPreviousPage, page.TotalCount)
					}
					rest = append(rest, page.ids(t)...)
					if !page.PageInfo.HasNextPage || i > 50 {
						break
					}
					a.after = page.PageInfo.EndCursor
				}
				if want := live(orig[5:]); !slices.Equal(rest, want) {
					t.Fatalf("after the deleted cursor row\n got %s\nwant %s", short(rest), short(want))
				}
				back := fetch(t, e, tc.list, tc.where, tc.order, pageArgs{last: ptr(10), before: p1.PageInfo.EndCursor})
				if want := live(orig[:4]); !slices.Equal(back.ids(t), want) || back.PageInfo.HasPreviousPage || !back.PageInfo.HasNextPage {
					t.Fatalf("before the deleted cursor row: %s %+v; want %s, no previous page, a next page",
						short(back.ids(t)), back.PageInfo, short(want))
				}
			})
		}
	})
}

// ---------------------------------------------------------------- 4. offset paging

// TestOffsetPaging reads segments (skip/take) at the start, middle, end and
// beyond the end, and checks the default take of 20.
func TestOffsetPaging(t *testing.T) {
	graphtest.Each(t, func(t *testing.T, e *graphtest.Env) {
		d := graphtest.SeedPaging(t, e)
		type seg struct {
			TotalCount int
			PageInfo   struct{ HasNextPage, HasPreviousPage bool }
			Items      []struct{ ID string }
		}
		read := func(t *testing.T, list string, where M, order []any, skip, take *int) ([]int, seg) {
			t.Helper()
			typ := listTypes[list]
			q := fmt.Sprintf(`query($where: %[2]sFilterInput, $order: [%[2]sSortInput!], $skip: Int, $take: Int) {
  list: %[1]sPage(where: $where, order: $order, skip: $skip, take: $take) {
    totalCount pageInfo { hasNextPage hasPreviousPage } items { id }
  }
}`, list, typ)
			vars := M{}
			if where != nil {
				vars["where"] = where
			}
			if order != nil {
				vars["order"] = order
			}
			if skip != nil {
				vars["skip"] = *skip
			}
			if take != nil {
				vars["take"] = *take
			}
			var out struct{ List seg }
			e.Query(t, q, vars, &out)
			ids := make([]int, len(out.List.Items))
			for i, it := range out.List.Items {
				var err error
				if ids[i], err = gid.Decode(it.ID); err != nil {
					t.Fatal(err)
				}
			}
			return ids, out.List
		}
		type tcase struct {
			name       string
			list       string
			where      M
			order      []any
			want       oracle
			skip, take *int
		}
		evs := newOracle(d.Events, evID, notCancelled, asc(evTitle))
		tks := newOracle(d.Tickets, tkID, nil, desc(tkCreatedAt))
		none := oracle{}
		notC := M{"status": M{"neq": "CANCELLED"}}
		byTitle := []any{M{"title": "ASC"}}
		cases := []tcase{
			{"first", "events", notC, byTitle, evs, ptr(0), ptr(5)},
			{"first without skip", "events", notC, byTitle, evs, nil, ptr(5)},
			{"middle", "events", notC, byTitle, evs, ptr(5), ptr(5)},
			{"unaligned", "events", notC, byTitle, evs, ptr(3), ptr(4)},
			{"last", "events", notC, byTitle, evs, ptr(10), ptr(5)},
			{"exactly at the end", "events", notC, byTitle, evs, ptr(12), ptr(5)},
			{"beyond the end", "events", notC, byTitle, evs, ptr(50), ptr(5)},
			{"take 0", "events", notC, byTitle, evs, ptr(0), ptr(0)},
			{"take 0 in the middle", "events", notC, byTitle, evs, ptr(4), ptr(0)},
			{"take all", "events", notC, byTitle, evs, nil, ptr(12)},
			{"take 100", "events", notC, byTitle, evs, ptr(0), ptr(100)},
			{"default take, fewer rows", "events", notC, byTitle, evs, nil, nil},
			{"default take 20", "tickets", nil, nil, tks, nil, nil},
			{"default take 20 after skip", "tickets", nil, nil, tks, ptr(20), nil},
			{"default take 20 mid", "tickets", nil, nil, tks, ptr(10), nil},
			{"nothing matches", "events", M{"title": M{"eq": "nope"}}, nil, none, ptr(0), ptr(5)},
			{"nothing matches, skipped", "events", M{"title": M{"eq": "nope"}}, nil, none, ptr(5), ptr(5)},
			{"money order", "bookings", nil, []any{M{"total": "DESC"}}, newOracle(d.Bookings, bkID, nil, desc(bkTotal)), ptr(2), ptr(3)},
			{"nested order", "tickets", nil, []any{M{"event": M{"title": "DESC"}}, M{"holder": M{"firstName": "ASC"}}},
				newOracle(d.Tickets, tkID, nil, desc(tkEvent(d, evTitle)), asc(tkHolder(d, ppFirst))), ptr(7), ptr(7)},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				skip, take := 0, 20
				if tc.skip != nil {
					skip = *tc.skip
				}
				if tc.take != nil {
					take = *tc.take
				}
				n := len(tc.want.ids)
				lo, hi := min(skip, n), min(skip+take, n)
				want := tc.want.ids[lo:hi]
				wantPrev := skip > 0 && n > 0
				wantNext := skip+take < n
				ids, s := read(t, tc.list, tc.where, tc.order, tc.skip, tc.take)
				if !slices.Equal(ids, want) {
					t.Fatalf("items\n got %s\nwant %s", short(ids), short(want))
				}
				if s.TotalCount != n || s.PageInfo.HasNextPage != wantNext || s.PageInfo.HasPreviousPage != wantPrev {
					t.Fatalf("totalCount %d hasNextPage %v hasPreviousPage %v; want %d %v %v",
						s.TotalCount, s.PageInfo.HasNextPage, s.PageInfo.HasPreviousPage, n, wantNext, wantPrev)
				}
			})
		}
	})
}

// ---------------------------------------------------------------- 5. errors

// TestPagingErrors checks the codes of bad paging arguments, top-level and
// nested.
func TestPagingErrors(t *testing.T) {
	graphtest.Each(t, func(t *testing.T, e *graphtest.Env) {
		graphtest.SeedPaging(t, e)
		var out struct {
			List struct {
				Edges []struct{ Cursor string }
			}
		}
		e.Query(t, `{ list: events(order: [{title: ASC}], first: 3) { edges { cursor } } }`, nil, &out)
		titleCursor := out.List.Edges[1].Cursor
		e.Query(t, `{ list: tickets(first: 3, order: [{price: DESC}]) { edges { cursor } } }`, nil, &out)
		priceCursor := out.List.Edges[1].Cursor

		raw, err := base64.RawURLEncoding.DecodeString(titleCursor)
		if err != nil {
			t.Fatalf("cursor %q is not base64url: %v", titleCursor, err)
		}
		var parsed map[string]json.RawMessage
		if err := json.Unmarshal(raw, &parsed); err != nil {
			t.Fatalf("cursor %q is not JSON: %v", raw, err)
		}
		tamper := func(keys string) string {
			return base64.RawURLEncoding.EncodeToString([]byte(`{"o":` + string(parsed["o"]) + `,"k":` + keys + `}`))
		}
		b64 := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

		const bad, tooBig = "BAD_USER_INPUT", "PAGE_SIZE_EXCEEDED"
		evq := func(args string) string { return `{ events(` + args + `) { totalCount nodes { id } } }` }
		cases := []struct {
			name, query string
			vars        M
			code        string
		}{
			{"first and last", evq("first: 1, last: 1"), nil, bad},
			{"first and last zero", evq("first: 0, last: 0"), nil, bad},
			{"negative first", evq("first: -1"), nil, bad},
			{"negative last", evq("last: -1"), nil, bad},
			{"negative take", `{ eventsPage(take: -1) { items { id } } }`, nil, bad},
			{"negative skip", `{ eventsPage(skip: -1) { items { id } } }`, nil, bad},
			{"first 101", evq("first: 101"), nil, tooBig},
			{"last 101", evq("last: 101"), nil, tooBig},
			{"take 101", `{ eventsPage(take: 101) { items { id } } }`, nil, tooBig},
			{"bookings first 101", `{ bookings(first: 101) { totalCount } }`, nil, tooBig},
			{"ticketsPage take 101", `{ ticketsPage(take: 101) { totalCount } }`, nil, tooBig},
			{"after abc", evq(`after: "abc"`), nil, bad},
			{"before abc", evq(`before: "abc"`), nil, bad},
			{"after not base64", evq(`after: "!!!"`), nil, bad},
			{"after base64 of junk", evq(`after: $c`), M{"c": b64("\x00\x01junk")}, bad},
			{"after base64 of other JSON", evq(`after: $c`), M{"c": b64(`{"o":"x","k":[1,2]}`)}, bad},
			{"after base64 of a JSON array", evq(`after: $c`), M{"c": b64(`[1,2]`)}, bad},
			{"after base64 of null", evq(`order: [{title: ASC}], after: $c`), M{"c": b64(`null`)}, bad},
			{"cursor keys of wrong types", evq(`order: [{title: ASC}], after: $c`), M{"c": tamper(`[5,"x"]`)}, bad},
			{"cursor with null for a non-null key", evq(`order: [{title: ASC}], after: $c`), M{"c": tamper(`[null,5]`)}, bad},
			{"cursor with too many keys", evq(`order: [{title: ASC}], after: $c`), M{"c": tamper(`["a",5,6]`)}, bad},
			{"cursor of title ASC with title DESC", evq(`order: [{title: DESC}], after: $c`), M{"c": titleCursor}, bad},
			{"cursor of title ASC with startsAt ASC", evq(`order: [{startsAt: ASC}], after: $c`), M{"c": titleCursor}, bad},
			{"cursor of title ASC with the default order", evq(`after: $c`), M{"c": titleCursor}, bad},
			{"cursor of title ASC as before with title ASC, venue ASC", evq(`order: [{title: ASC}, {venue: ASC}], before: $c`), M{"c": titleCursor}, bad},
			{"events cursor on tickets", `query($c: String) { tickets(after: $c) { totalCount } }`, M{"c": titleCursor}, bad},
			{"nested first 101", `{ events { nodes { tickets(first: 101) { totalCount } } } }`, nil, tooBig},
			{"nested first and last", `{ events { nodes { tickets(first: 1, last: 1) { totalCount } } } }`, nil, bad},
			{"nested negative last", `{ events { nodes { tickets(last: -2) { totalCount } } } }`, nil, bad},
			{"nested after abc", `{ events { nodes { tickets(after: "abc") { totalCount } } } }`, nil, bad},
			{"nested cursor of another order", `query($c: String) { events { nodes { tickets(order: [{price: ASC}], after: $c) { totalCount } } } }`,
				M{"c": priceCursor}, bad},
			{"nested M2M first 101", `{ events { nodes { bookings(first: 101) { totalCount } } } }`, nil, tooBig},
			{"node nested after abc", `query($id: ID!) { node(id: $id) { ... on Event { tickets(after: "abc") { totalCount } } } }`,
				M{"id": "placeholder"}, bad},
		}
		var firstEvent string
		{
			var o struct {
				List struct{ Nodes []struct{ ID string } }
			}
			e.Query(t, `{ list: events(first: 1) { nodes { id } } }`, nil, &o)
			firstEvent = o.List.Nodes[0].ID
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				vars := tc.vars
				if vars["id"] == "placeholder" {
					vars = M{"id": firstEvent}
				}
				if vars != nil && !strings.HasPrefix(tc.query, "query") {
					tc.query = "query($c: String) " + tc.query
				}
				r := e.Do(t, tc.query, vars)
				if len(r.Errors) == 0 {
					t.Fatalf("no error; data %s", r.Data)
				}
				for _, er := range r.Errors {
					if er.Code() != tc.code {
						t.Fatalf("error %q has code %q, want %s", er.Message, er.Code(), tc.code)
					}
				}
			})
		}

		for _, q := range []string{
			evq("first: 100"), evq("last: 100"), evq("first: 0"), evq("last: 0"),
			`{ eventsPage(take: 100) { items { id } } }`, `{ eventsPage(skip: 0, take: 0) { items { id } } }`,
			`{ events { nodes { tickets(first: 100) { totalCount } bookings(last: 100) { totalCount } } } }`,
			`query($c: String) { events(order: [{title: ASC}], after: $c) { totalCount } }`,
		} {
			var vars M
			if strings.HasPrefix(q, "query") {
				vars = M{"c": titleCursor}
			}
			r := e.Do(t, q, vars)
			if len(r.Errors) > 0 {
				t.Errorf("%s: unexpected errors %+v", q, r.Errors)
			}
		}
	})
}

// ---------------------------------------------------------------- 6. nested connections

// nestedCase is a connection field under the parents of a top-level list.
type nestedCase struct {
	name       string
	parents    string // top-level list of the parents
	parentType string
	field      string // the connection field on the parent
	childType  string // its node type
	// children returns the oracle of all children matching where, and which
	// of them belong to a parent.
	children func(d *graphtest.PagingData) (oracle, func(parent, child int) bool)
	// scope narrows a top-level list of children to one parent.
	scope func(parentID string) M
	where M
	order []any
}

// TestNestedConnections compares the pages of a connection field loaded
// for many parents at once with the same field on node(id:) for each parent,
// with the top-level list narrowed to the parent, and with the oracle; with
// after and before cursors taken from one parent's page and used for all.
func TestNestedConnections(t *testing.T) {
	graphtest.Each(t, func(t *testing.T, e *graphtest.Env) {
		d := graphtest.SeedPaging(t, e)
		eventTickets := func(keep func(*ent.Ticket) bool, keys func(d *graphtest.PagingData) []okey[*ent.Ticket]) func(d *graphtest.PagingData) (oracle, func(int, int) bool) {
			return func(d *graphtest.PagingData) (oracle, func(int, int) bool) {
				return newOracle(d.Tickets, tkID, keep, keys(d)...), func(p, c int) bool { return d.Ticket(c).EventID == p }
			}
		}
		byEvent := func(id string) M { return M{"event": M{"id": M{"eq": id}}} }
		cases := []nestedCase{
			{"event tickets by price DESC", "events", "Event", "tickets", "Ticket",
				eventTickets(nil, func(*graphtest.PagingData) []okey[*ent.Ticket] { return []okey[*ent.Ticket]{desc(tkPrice)} }),
				byEvent, nil, []any{M{"price": "DESC"}}},
			{"event ACTIVE tickets by holder.lastName", "events", "Event", "tickets", "Ticket",
				eventTickets(func(x *ent.Ticket) bool { return x.Status == domain.TicketStatusActive },
					func(d *graphtest.PagingData) []okey[*ent.Ticket] {
						return []okey[*ent.Ticket]{asc(tkHolder(d, ppLast))}
					}),
				byEvent, M{"status": M{"eq": "ACTIVE"}}, []any{M{"holder": M{"lastName": "ASC"}}}},
			{"event tickets default order", "events", "Event", "tickets", "Ticket",
				eventTickets(nil, func(*graphtest.PagingData) []okey[*ent.Ticket] { return []okey[*ent.Ticket]{desc(tkCreatedAt)} }),
				byEvent, nil, nil},
			{"event bookings (many-to-many) by total DESC", "events", "Event", "bookings", "Booking",
				func(d *graphtest.PagingData) (oracle, func(int, int) bool) {
					return newOracle(d.Bookings, bkID, nil, desc(bkTotal)), func(p, c int) bool {
						return slices.ContainsFunc(d.Tickets, func(x *ent.Ticket) bool { return x.EventID == p && x.BookingID == c })
					}
				},
				func(id string) M { return M{"events": M{"some": M{"id": M{"eq": id}}}} }, nil, []any{M{"total": "DESC"}}},
			{"booking tickets by event.title", "bookings", "Booking", "tickets", "Ticket",
				func(d *graphtest.PagingData) (oracle, func(int, int) bool) {
					return newOracle(d.Tickets, tkID, nil, asc(tkEvent(d, evTitle))), func(p, c int) bool { return d.Ticket(c).BookingID == p }
				},
				func(id string) M { return M{"booking": M{"id": M{"eq": id}}} }, nil, []any{M{"event": M{"title": "ASC"}}}},
			{"participant tickets by event.endsAt DESC", "participants", "Participant", "tickets", "Ticket",
				func(d *graphtest.PagingData) (oracle, func(int, int) bool) {
					return newOracle(d.Tickets, tkID, nil, desc(tkEvent(d, evEndsAt))), func(p, c int) bool { return d.Ticket(c).HolderID == p }
				},
				func(id string) M { return M{"holder": M{"id": M{"eq": id}}} }, nil, []any{M{"event": M{"endsAt": "DESC"}}}},
			{"booking payments by amount ASC", "bookings", "Booking", "payments", "Payment",
				func(d *graphtest.PagingData) (oracle, func(int, int) bool) {
					return newOracle(d.Payments, payID, nil, asc(payAmount)), func(p, c int) bool {
						return slices.ContainsFunc(d.Payments, func(x *ent.Payment) bool { return x.ID == c && x.BookingID == p })
					}
				},
				func(id string) M { return M{"booking": M{"id": M{"eq": id}}} }, nil, []any{M{"amount": "ASC"}}},
		}
		for _, nc := range cases {
			t.Run(nc.name, func(t *testing.T) { nestedCheck(t, e, d, nc) })
		}
	})
}

func nestedCheck(t *testing.T, e *graphtest.Env, d *graphtest.PagingData, nc nestedCase) {
	childFilter, childSort := nc.childType+"FilterInput", "["+nc.childType+"SortInput!]"
	params := fmt.Sprintf(`$where: %s, $order: %s, %s`, childFilter, childSort, cursorParams)
	field := fmt.Sprintf(`%s(where: $where, order: $order, %s) { %s }`, nc.field, cursorArgs, connSelection)
	// 20 parents at most, so the operation stays within the cost limit.
	many := fmt.Sprintf(`query(%s) { list: %s(first: 20) { nodes { id %s } } }`, params, nc.parents, field)
	one := fmt.Sprintf(`query($id: ID!, %s) { node(id: $id) { ... on %s { %s } } }`, params, nc.parentType, field)
	all, belongs := nc.children(d)

	loadMany := func(t *testing.T, a pageArgs) (parents []string, pages map[string]conn) {
		t.Helper()
		vars := a.vars(M{})
		if nc.where != nil {
			vars["where"] = nc.where
		}
		if nc.order != nil {
			vars["order"] = nc.order
		}
		var out struct {
			List struct{ Nodes []map[string]json.RawMessage }
		}
		e.Query(t, many, vars, &out)
		pages = map[string]conn{}
		for _, n := range out.List.Nodes {
			var id string
			var c conn
			if err := json.Unmarshal(n["id"], &id); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(n[nc.field], &c); err != nil {
				t.Fatal(err)
			}
			parents = append(parents, id)
			pages[id] = c
		}
		return parents, pages
	}
	loadOne := func(t *testing.T, parent string, a pageArgs) conn {
		t.Helper()
		vars := a.vars(M{"id": parent})
		if nc.where != nil {
			vars["where"] = nc.where
		}
		if nc.order != nil {
			vars["order"] = nc.order
		}
		var out struct{ Node map[string]conn }
		e.Query(t, one, vars, &out)
		return out.Node[nc.field]
	}
	loadTop := func(t *testing.T, parent string, a pageArgs) conn {
		t.Helper()
		where := nc.scope(parent)
		if nc.where != nil {
			where = M{"and": []any{where, nc.where}}
		}
		return fetch(t, e, nc.field, where, nc.order, a)
	}

	// The parent with the most children gives the cursors.
	parents, base := loadMany(t, pageArgs{first: ptr(20)})
	if len(parents) == 0 {
		t.Fatal("no parents")
	}
	rich := parents[0]
	for _, p := range parents {
		if len(base[p].Edges) > len(base[rich].Edges) {
			rich = p
		}
	}
	full := base[rich]
	if full.PageInfo.HasNextPage {
		t.Fatal("the richest parent has more than 20 children")
	}
	fullIDs := full.ids(t)
	if len(fullIDs) < 2 {
		t.Fatalf("the richest parent has only %d children", len(fullIDs))
	}
	n := len(fullIDs)
	cur := func(i int) (*string, int) { return &full.Edges[i].Cursor, fullIDs[i] }
	withAfter := func(a pageArgs, i int) pageArgs { a.after, a.afterRow = cur(i); return a }
	withBefore := func(a pageArgs, i int) pageArgs { a.before, a.beforeRow = cur(i); return a }
	argSets := []pageArgs{
		{first: ptr(2)},
		{last: ptr(2)},
		{},
		{first: ptr(0)},
		withAfter(pageArgs{first: ptr(2)}, 0),
		withAfter(pageArgs{first: ptr(2)}, 1),
		withAfter(pageArgs{last: ptr(2)}, 1),
		withBefore(pageArgs{last: ptr(2)}, n-1),
		withBefore(pageArgs{last: ptr(2)}, n/2),
		withBefore(pageArgs{first: ptr(2)}, n/2),
		withBefore(withAfter(pageArgs{first: ptr(1)}, 0), n-1),
		withBefore(withAfter(pageArgs{last: ptr(10)}, 0), n-1),
	}
	if n >= 5 {
		argSets = append(argSets, withBefore(withAfter(pageArgs{first: ptr(2)}, 1), n-2))
	}
	// Every parent is checked against the oracle; a few (the richest, one
	// without children, the first ones) against the other two paths too.
	compareOthers := map[string]bool{rich: true}
	for i, p := range parents {
		if i < 1 || len(base[p].Edges) == 0 && len(compareOthers) < 3 {
			compareOthers[p] = true
		}
	}
	for _, a := range argSets {
		name := describeArgs(fullIDs, full.cursors(), a)
		t.Run(name, func(t *testing.T) {
			parents, pages := loadMany(t, a)
			for _, p := range parents {
				pid, err := gid.Decode(p)
				if err != nil {
					t.Fatal(err)
				}
				mine := all.only(func(c int) bool { return belongs(pid, c) })
				wantIDs, prev, next := mine.expect(a, 20)
				got := pages[p]
				if ids := got.ids(t); !slices.Equal(ids, wantIDs) || got.PageInfo.HasPreviousPage != prev ||
					got.PageInfo.HasNextPage != next || got.TotalCount != len(mine.ids) {
					t.Fatalf("parent %s: got %s prev %v next %v total %d; want %s prev %v next %v total %d (all %s)",
						short([]int{pid}), short(ids), got.PageInfo.HasPreviousPage, got.PageInfo.HasNextPage, got.TotalCount,
						short(wantIDs), prev, next, len(mine.ids), short(mine.ids))
				}
				if !compareOthers[p] {
					continue
				}
				for _, other := range []struct {
					name string
					c    conn
				}{{"node(id:)", loadOne(t, p, a)}, {"top-level list", loadTop(t, p, a)}} {
					other.c.Nodes = nil
					got.Nodes = nil
					if !reflect.DeepEqual(other.c, got) {
						a, _ := json.Marshal(got)
						b, _ := json.Marshal(other.c)
						t.Fatalf("parent %s: nested page differs from %s\nnested %s\nother  %s", short([]int{pid}), other.name, a, b)
					}
				}
			}
		})
	}
}

// TestNestedConnectionsBatched proves a nested connection is loaded for all
// parents at once, whether where and order come as literals or variables
// and for many-to-many edges too: the statement count does not grow with
// the number of parents.
func TestNestedConnectionsBatched(t *testing.T) {
	graphtest.Each(t, func(t *testing.T, e *graphtest.Env) {
		graphtest.SeedPaging(t, e)
		for _, tc := range []struct {
			query string
			vars  M
		}{
			{`query($n: Int) { list: events(first: $n) { nodes { tickets(first: 2, order: [{price: DESC}]) {
				totalCount edges { cursor node { id } } } } } }`, nil},
			{`query($n: Int) { list: events(first: $n) { nodes { tickets(where: {status: {eq: ACTIVE}},
				order: {holder: {lastName: ASC}}, last: 2) { totalCount pageInfo { hasNextPage hasPreviousPage } nodes { id } } } } }`, nil},
			{`query($n: Int, $w: TicketFilterInput, $o: [TicketSortInput!]) { list: events(first: $n) { nodes {
				tickets(where: $w, order: $o, first: 1) { totalCount nodes { id } } } } }`,
				M{"w": M{"price": M{"gte": "10"}}, "o": []any{M{"event": M{"startsAt": "DESC"}}}}},
			{`query($n: Int) { list: events(first: $n) { nodes { bookings(first: 2) { totalCount nodes { id } } } } }`, nil},
			{`query($n: Int) { list: events(first: $n) { nodes { bookings(order: [{total: DESC}], last: 1) {
				totalCount pageInfo { hasNextPage hasPreviousPage } nodes { id } } } } }`, nil},
			{`query($n: Int) { list: bookings(first: $n) { nodes { tickets(order: [{event: {title: ASC}}], first: 1) { nodes { id } }
				payments(where: {kind: {eq: PAYMENT}}) { totalCount } } } }`, nil},
		} {
			var counts []int64
			for _, n := range []int{2, 2, 10} { // the first run warms up
				vars := M{"n": n}
				for k, v := range tc.vars {
					vars[k] = v
				}
				var out struct {
					List struct{ Nodes []json.RawMessage }
				}
				e.ResetStatements()
				e.Query(t, tc.query, vars, &out)
				counts = append(counts, e.Statements())
				if len(out.List.Nodes) != n {
					t.Fatalf("%d parents, want %d", len(out.List.Nodes), n)
				}
			}
			if counts[1] != counts[2] {
				t.Errorf("%s\nstatements: %d for 2 parents, %d for 10", tc.query, counts[1], counts[2])
			}
		}
	})
}
