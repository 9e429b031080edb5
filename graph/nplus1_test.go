package graph_test

import (
	"testing"
	"time"

	"seatgraph/demo"
	"seatgraph/graph/graphtest"
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

// TestBookingPageStatementCount proves there is no N+1: the page costs one
// statement per level plus the counts, whatever the number of rows.
func TestBookingPageStatementCount(t *testing.T) {
	graphtest.Each(t, func(t *testing.T, e *graphtest.Env) {
		if _, err := demo.Seed(e.Ctx(), e.Client, e.Dialect(), e.Tenant, time.Now()); err != nil {
			t.Fatal(err)
		}
		// bookings, totalCount, booker, events (through the join table),
		// tickets, tickets' totalCount, holders, tickets' events, payments.
		const want = 9
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
	})
}
