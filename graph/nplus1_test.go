package graph_test

import (
	"strings"
	"testing"
	"time"

	"seatgraph/graph/graphtest"
	"seatgraph/internal/demo"
)

// bookingPage is the list a back-office dashboard shows: bookings with their
// booker, events, tickets (with holder and event) and payments.
const bookingPage = `query($n: Int!) {
  bookings(first: $n) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes {
      orderNumber
      total { amount currency }
      booker { email }
      events { title }
      tickets(first: 10) {
        totalCount
        nodes { code holder { email } event { title startsAt } }
      }
      payments { nodes { kind amount { amount } } }
    }
  }
}`

// TestBookingPageStatementCount proves there is no N+1: compiled, the page
// is one statement whatever its size (the list compiler builds the whole
// field, counts and nested edges included, in the database); answered by
// the resolvers, it costs one statement per level plus the counts.
func TestBookingPageStatementCount(t *testing.T) {
	graphtest.Each(t, func(t *testing.T, e *graphtest.Env) {
		if _, err := demo.Seed(e.Ctx(), e.Client, e.Dialect(), e.Tenant, time.Now()); err != nil {
			t.Fatal(err)
		}
		t.Run("compiled", func(t *testing.T) { bookingPageStatements(t, e, 1) })
		// bookings, totalCount, booker, events (through the join table),
		// tickets, tickets' totalCount, holders, tickets' events, payments.
		e.Handler = e.Interpreted
		t.Run("resolvers", func(t *testing.T) { bookingPageStatements(t, e, 9) })
	})
}

func bookingPageStatements(t *testing.T, e *graphtest.Env, want int64) {
	t.Helper()
	// The first request looks the API key up; later ones reuse it.
	e.Query(t, "{ __typename }", nil, nil)
	counts := map[int]int64{}
	for _, n := range []int{5, 50} {
		var out struct {
			Bookings struct {
				TotalCount int
				Nodes      []struct {
					Booker  struct{ Email string }
					Events  []struct{ Title string }
					Tickets struct {
						TotalCount int
						Nodes      []struct {
							Holder struct{ Email string }
							Event  struct{ Title string }
						}
					}
				}
			}
		}
		e.ResetStatements()
		e.Query(t, bookingPage, map[string]any{"n": n}, &out)
		counts[n] = e.Statements()
		if len(out.Bookings.Nodes) != n {
			t.Fatalf("first %d gave %d bookings", n, len(out.Bookings.Nodes))
		}
		tickets := 0
		for _, b := range out.Bookings.Nodes {
			if b.Booker.Email == "" {
				t.Fatalf("booking without booker: %+v", b)
			}
			tickets += len(b.Tickets.Nodes)
			for _, tk := range b.Tickets.Nodes {
				if tk.Holder.Email == "" || tk.Event.Title == "" {
					t.Fatalf("ticket without holder or event: %+v", tk)
				}
			}
		}
		if tickets == 0 {
			t.Fatalf("the page of %d bookings loaded no tickets", n)
		}
		t.Logf("%s: %d bookings, %d tickets: %d SQL statements", e.Name, n, tickets, counts[n])
	}
	if counts[5] != want || counts[50] != want {
		t.Errorf("statements: %d for 5 rows, %d for 50 rows; want %d for both", counts[5], counts[50], want)
	}
}

// TestListsReadSelectedColumns checks the column projection of lists
// answered by the resolvers (the compiled statement names only the
// selected columns by construction, see TestCompiledReadsSelectedColumns):
// a selection of stored fields reads only their columns (and the keys its
// edges need), at every level; a field with a resolver of its own makes
// that level and the edges below it read every column, so the resolver
// finds what it reads.
func TestListsReadSelectedColumns(t *testing.T) {
	graphtest.Each(t, func(t *testing.T, e *graphtest.Env) {
		e.Handler = e.Interpreted
		if _, err := demo.Seed(e.Ctx(), e.Client, e.Dialect(), e.Tenant, time.Now()); err != nil {
			t.Fatal(err)
		}
		e.Query(t, "{ __typename }", nil, nil)
		q := func(s string) string { // the quoting of the dialect
			if e.Name == "postgres" {
				return `"` + s + `"`
			}
			return "`" + s + "`"
		}
		tests := []struct {
			name, query string
			table       string   // the statement reading this table...
			has, lacks  []string // ...selects these columns, and not those
		}{
			{"stored fields only", `{ bookings(first: 5) { nodes { orderNumber total { amount } } } }`,
				"bookings", []string{"order_number", "total", "currency"}, []string{"custom_field_answers", "invoice_address", "utm_source"}},
			{"a to-one edge selects its key", `{ bookings(first: 5) { nodes { booker { email } } } }`,
				"bookings", []string{"booker_id"}, []string{"order_number", "cancellation_policy"}},
			{"the edge's own selection", `{ bookings(first: 5) { nodes { booker { email } } } }`,
				"participants", []string{"email"}, []string{"first_name", "address"}},
			{"nested connection", `{ bookings(first: 5) { nodes { tickets(first: 2) { nodes { code } } } } }`,
				"tickets", []string{"code", "booking_id"}, []string{"net_price", "checked_in_at"}},
			{"a resolver reads every column", `{ bookings(first: 5) { nodes { orderNumber balanceDue { amount } } } }`,
				"bookings", []string{"paid_amount", "custom_field_answers"}, nil},
			{"and its edges too", `{ events(first: 5) { nodes { ticketCategories { availableSeats event { id } } } } }`,
				"events", []string{"capacity", "description"}, nil},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				var found string
				for _, s := range e.Record(func() { e.Query(t, tt.query, nil, nil) }) {
					if i := strings.Index(s, " FROM "+q(tt.table)); i >= 0 && strings.Contains(s, "SELECT") {
						found = s[:i]
					}
				}
				if found == "" {
					t.Fatalf("no statement read %s", tt.table)
				}
				for _, c := range tt.has {
					if !strings.Contains(found, q(c)) {
						t.Errorf("%s lacks column %s: %.300s", tt.table, c, found)
					}
				}
				for _, c := range tt.lacks {
					if strings.Contains(found, q(c)) {
						t.Errorf("%s reads column %s: %.300s", tt.table, c, found)
					}
				}
			})
		}
	})
}
