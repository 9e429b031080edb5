package graph_test

import (
	"testing"

	"seatgraph/graph/graphtest"
	"seatgraph/internal/catalog"
	"seatgraph/internal/gid"
)

// TestCategoryAvailabilityWhateverTheSelection: a ticket category's
// availableSeats falls back to its event's free seats when it has no quota
// of its own, so it reads the event's capacity and counters. The answer
// must not depend on whether the query also selected those fields of the
// event (the list then reads the event with only the selected columns).
func TestCategoryAvailabilityWhateverTheSelection(t *testing.T) {
	graphtest.Each(t, func(t *testing.T, e *graphtest.Env) {
		f := graphtest.Seed(t, e)
		want := map[string]*int{}
		for _, c := range f.Categories {
			want[gid.Encode(c.ID)] = catalog.CategoryAvailableSeats(c, f.Event(c.EventID))
		}
		selections := map[string]string{
			"categories only":         `ticketCategories { id availableSeats }`,
			"with the event's counts": `capacity registeredCount ticketCategories { id availableSeats }`,
			"with the event's own":    `availableSeats ticketCategories { id availableSeats }`,
		}
		for name, sel := range selections {
			t.Run(name, func(t *testing.T) {
				var out struct {
					Events struct {
						Nodes []struct {
							TicketCategories []struct {
								ID             string `json:"id"`
								AvailableSeats *int   `json:"availableSeats"`
							} `json:"ticketCategories"`
						} `json:"nodes"`
					} `json:"events"`
				}
				e.Query(t, `{ events(first: 50) { nodes { `+sel+` } } }`, nil, &out)
				seen := 0
				for _, ev := range out.Events.Nodes {
					for _, c := range ev.TicketCategories {
						seen++
						w, ok := want[c.ID]
						if !ok {
							t.Fatalf("unknown category %s", c.ID)
						}
						if (w == nil) != (c.AvailableSeats == nil) || w != nil && *w != *c.AvailableSeats {
							t.Errorf("category %s availableSeats = %v, want %v", c.ID, deref(c.AvailableSeats), deref(w))
						}
					}
				}
				if seen != len(want) {
					t.Errorf("saw %d categories, seeded %d", seen, len(want))
				}
			})
		}
	})
}

func deref(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}
