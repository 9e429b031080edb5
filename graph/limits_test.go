package graph_test

import (
	"strings"
	"testing"

	"seatgraph/graph/graphtest"
)

func TestOperationLimits(t *testing.T) {
	e := graphtest.SQLite(t)
	nested := func(levels int) string {
		// events > nodes > tickets > nodes > booking > tickets > ... grows the depth
		q := "id"
		for i := 0; i < levels; i++ {
			q = "booker { bookings(first: 1) { nodes { " + q + " } } }"
		}
		return "{ bookings(first: 1) { nodes { " + q + " } } }"
	}
	aliases := func(n int) string {
		var b strings.Builder
		b.WriteString("{ ")
		for i := 0; i < n; i++ {
			b.WriteString("a")
			b.WriteString(strings.Repeat("x", i+1))
			b.WriteString(": eventsPage(take: 1) { totalCount } ")
		}
		b.WriteString("}")
		return b.String()
	}
	for _, tc := range []struct {
		name, query, code string
	}{
		{"shallow query passes", nested(1), ""},
		{"depth over 15", nested(5), "COMPLEXITY_LIMIT_EXCEEDED"},
		{"30 aliases pass", aliases(30), ""},
		{"31 aliases", aliases(31), "COMPLEXITY_LIMIT_EXCEEDED"},
		{"cost under the limit", "{ bookings(first: 50) { nodes { tickets(first: 10) { nodes { id code } } } } }", ""},
		{"cost over the limit", "{ bookings(first: 100) { nodes { tickets(first: 100) { nodes { id code } } } } }", "COMPLEXITY_LIMIT_EXCEEDED"},
		{"default page size counts", "{ events { nodes { tickets { nodes { id holder { bookings { nodes { id code: orderNumber } } } } } } } }", "COMPLEXITY_LIMIT_EXCEEDED"},
		{"token limit", "{ " + strings.Repeat("__typename ", 16000) + "}", "GRAPHQL_PARSE_FAILED"},
		{"deeply nested braces", strings.Repeat("{ a ", 200000) + strings.Repeat("}", 200000), "GRAPHQL_PARSE_FAILED"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := e.Do(t, tc.query, nil)
			if tc.code == "" {
				if len(r.Errors) > 0 {
					t.Fatalf("unexpected errors: %v", r.Codes())
				}
				return
			}
			if len(r.Errors) == 0 || r.Errors[0].Code() != tc.code {
				t.Fatalf("codes %v, want %s", r.Codes(), tc.code)
			}
		})
	}
}
