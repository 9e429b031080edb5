package graph_test

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"seatgraph/graph/graphtest"
)

//go:embed testdata/introspection.graphql
var standardIntrospection string

// TestStandardIntrospection: the query every GraphQL tool sends answers,
// anonymously and with a key, under both media types, whatever the limits.
func TestStandardIntrospection(t *testing.T) {
	e := graphtest.SQLite(t)
	for _, who := range []struct {
		name    string
		headers []string
	}{
		{"anonymous", []string{"Authorization", ""}},
		{"admin key", nil},
	} {
		for _, accept := range []string{"application/json", "application/graphql-response+json"} {
			t.Run(who.name+"/"+accept, func(t *testing.T) {
				r := e.Do(t, standardIntrospection, nil, append([]string{"Accept", accept}, who.headers...)...)
				if r.Status != 200 || len(r.Errors) > 0 {
					t.Fatalf("status %d errors %v", r.Status, r.Errors)
				}
				var out struct {
					Schema struct {
						QueryType struct{ Name string }
						Types     []struct {
							Name   string
							Fields []struct{ Name string }
						}
					} `json:"__schema"`
				}
				if err := json.Unmarshal(r.Data, &out); err != nil {
					t.Fatal(err)
				}
				if out.Schema.QueryType.Name != "Query" || len(out.Schema.Types) < 50 {
					t.Fatalf("schema incomplete: query type %q, %d types", out.Schema.QueryType.Name, len(out.Schema.Types))
				}
				for _, ty := range out.Schema.Types {
					if ty.Name == "Query" && len(ty.Fields) < 12 {
						t.Errorf("Query has %d fields", len(ty.Fields))
					}
				}
			})
		}
	}
	// Even with tight limits: introspection is no part of depth, aliases or cost.
	tight := graphtest.OpenWith(t, "", "-max-depth", "2", "-max-aliases", "1", "-max-cost", "1")
	if r := tight.Do(t, standardIntrospection, nil); len(r.Errors) > 0 {
		t.Fatalf("refused under tight limits: %v", r.Errors)
	}
	var b strings.Builder
	b.WriteString("{ ")
	for i := 0; i < 40; i++ {
		fmt.Fprintf(&b, `t%d: __type(name: "Event") { name fields { name } } n%d: __typename `, i, i)
	}
	b.WriteString("}")
	if r := e.Do(t, b.String(), nil); len(r.Errors) > 0 {
		t.Fatalf("80 introspection aliases refused: %v", r.Errors)
	}
}

// TestIntrospectionExemptionCannotBeSmuggled: only GraphQL's own
// introspection fields are exempt. An ordinary field aliased like one, a
// fragment named like one, or an expensive field beside one is costed.
func TestIntrospectionExemptionCannotBeSmuggled(t *testing.T) {
	e := graphtest.SQLite(t)
	const expensive = `bookings(first: 100) { nodes { tickets(first: 100) { nodes { id code } } } }`
	for _, c := range []struct{ name, query, code string }{
		{"alias __schema on an ordinary field", `{ __schema: ` + expensive + ` }`, "COMPLEXITY_LIMIT_EXCEEDED"},
		{"alias __type on an ordinary field", `{ __type: ` + expensive + ` }`, "COMPLEXITY_LIMIT_EXCEEDED"},
		{"fragment named __schema", `query { ...__schema } fragment __schema on Query { ` + expensive + ` }`, "COMPLEXITY_LIMIT_EXCEEDED"},
		{"expensive field beside __schema", `{ __schema { types { name } } ` + expensive + ` }`, "COMPLEXITY_LIMIT_EXCEEDED"},
		{"expensive field inside a fragment beside __type", `{ __type(name: "Event") { name } ...F } fragment F on Query { ` + expensive + ` }`, "COMPLEXITY_LIMIT_EXCEEDED"},
		{"__typename aliases beside an expensive field", `{ a: __typename b: __typename ` + expensive + ` }`, "COMPLEXITY_LIMIT_EXCEEDED"},
		// Introspection answers from memory and costs nothing, but each
		// nested list multiplies the answer by the schema's size:
		// gqlparser refuses three nested levels, as graphql-js does.
		{"introspection nested three levels", `{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }`, "GRAPHQL_VALIDATION_FAILED"},
		{"introspection nested three levels through a fragment", `{ __type(name: "Event") { ...T } } fragment T on __Type { fields { type { interfaces { possibleTypes { name } } } } }`, "GRAPHQL_VALIDATION_FAILED"},
		{"introspection nested two levels", `{ __schema { types { fields { type { fields { name } } } } } }`, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := e.Do(t, c.query, nil, "Accept", "application/graphql-response+json")
			if c.code == "" {
				if len(r.Errors) > 0 {
					t.Fatalf("refused: %v", r.Errors)
				}
				return
			}
			if len(r.Errors) == 0 || r.Errors[0].Code() != c.code || r.Status != 400 {
				t.Fatalf("status %d codes %v, want 400 %s", r.Status, r.Codes(), c.code)
			}
		})
	}
}

// TestIntrospectionOff: -introspection=false refuses __schema and __type
// as a validation failure; __typename still answers.
func TestIntrospectionOff(t *testing.T) {
	e := graphtest.OpenWith(t, "", "-introspection=false")
	for _, q := range []string{standardIntrospection, `{ __type(name: "Event") { name } }`, `{ ...F } fragment F on Query { __schema { queryType { name } } }`} {
		r := e.Do(t, q, nil, "Accept", "application/graphql-response+json")
		if r.Status != 400 || fmt.Sprint(r.Codes()) != "[GRAPHQL_VALIDATION_FAILED]" || len(r.Data) != 0 {
			t.Errorf("%.40q: status %d codes %v data %s, want 400 GRAPHQL_VALIDATION_FAILED", q, r.Status, r.Codes(), r.Data)
		}
	}
	if r := e.Do(t, `{ __typename events(first: 1) { __typename } }`, nil); len(r.Errors) > 0 {
		t.Errorf("__typename refused: %v", r.Errors)
	}
}

// TestLimitsFollowFlags: the page-size flags reach both the lists and the
// cost estimate, from the one limits value.
func TestLimitsFollowFlags(t *testing.T) {
	// The list costs 1 + page x (1 + 3): 121 at 30, 21 at 5 (the fixture
	// has 15 events).
	const list = `{ events { nodes { id title startsAt } } }`
	for _, c := range []struct {
		name   string
		flags  []string
		nodes  int
		code   string
		first7 string
	}{
		{"page 10", []string{"-page-size", "10"}, 10, "", ""},
		{"page 5", []string{"-page-size", "5", "-max-page-size", "6"}, 5, "", "PAGE_SIZE_EXCEEDED"},
		{"page 30 costs over 100", []string{"-page-size", "30", "-max-cost", "100"}, 0, "COMPLEXITY_LIMIT_EXCEEDED", ""},
		{"page 5 costs under 100", []string{"-page-size", "5", "-max-cost", "100"}, 5, "", ""},
		{"page 30 of 15 events under the default cost", []string{"-page-size", "30"}, 15, "", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := graphtest.OpenWith(t, "", c.flags...)
			graphtest.Seed(t, e)
			r := e.Do(t, list, nil)
			if c.code != "" {
				if len(r.Errors) == 0 || r.Errors[0].Code() != c.code {
					t.Fatalf("codes %v, want %s", r.Codes(), c.code)
				}
				return
			}
			var out struct {
				Events struct{ Nodes []struct{ ID string } }
			}
			if len(r.Errors) > 0 {
				t.Fatalf("errors %v", r.Errors)
			}
			if err := json.Unmarshal(r.Data, &out); err != nil {
				t.Fatal(err)
			}
			if len(out.Events.Nodes) != c.nodes {
				t.Errorf("%d nodes, want %d (the fixture has more events than that)", len(out.Events.Nodes), c.nodes)
			}
			r = e.Do(t, `{ events(first: 7) { totalCount } }`, nil)
			if got := fmt.Sprint(r.Codes()); c.first7 != "" && got != "["+c.first7+"]" || c.first7 == "" && len(r.Errors) > 0 {
				t.Errorf("first: 7 gave %v, want %q", r.Codes(), c.first7)
			}
		})
	}
}

// TestFilterStringLength: a string in a where argument longer than the
// limit is BAD_USER_INPUT on both databases (SQLite would fail on a LIKE
// pattern over 50,000 bytes), literal or variable, at any depth.
func TestFilterStringLength(t *testing.T) {
	graphtest.Each(t, func(t *testing.T, e *graphtest.Env) {
		long := strings.Repeat("é", 1001)
		for _, c := range []struct {
			name, query string
			vars        map[string]any
			ok          bool
		}{
			{"1,000 characters", `query($s: String) { events(where: { title: { contains: $s } }) { totalCount } }`, map[string]any{"s": strings.Repeat("é", 1000)}, true},
			{"contains over the limit", `query($s: String) { events(where: { title: { contains: $s } }) { totalCount } }`, map[string]any{"s": long}, false},
			{"50,001 characters anonymously", `query($s: String) { events(where: { title: { startsWith: $s } }) { totalCount } }`, map[string]any{"s": strings.Repeat("a", 50001)}, false},
			{"endsWith literal", `{ participants(where: { email: { endsWith: "` + long + `" } }) { totalCount } }`, nil, false},
			{"eq in a nested list filter", `query($s: String) { bookings(where: { tickets: { some: { holder: { email: { eq: $s } } } } }) { totalCount } }`, map[string]any{"s": long}, false},
			{"in list", `query($s: String) { eventsPage(where: { or: [ { venue: { in: ["a", $s] } } ] }) { totalCount } }`, map[string]any{"s": long}, false},
			{"nested connection", `query($s: String) { events(first: 1) { nodes { tickets(where: { code: { contains: $s } }) { totalCount } } } }`, map[string]any{"s": long}, false},
		} {
			t.Run(c.name, func(t *testing.T) {
				var r *graphtest.Response
				if strings.Contains(c.name, "anonymously") {
					r = e.Do(t, c.query, c.vars, "Authorization", "")
				} else {
					r = e.Do(t, c.query, c.vars)
				}
				if c.ok {
					if len(r.Errors) > 0 {
						t.Fatalf("refused: %v", r.Errors)
					}
					return
				}
				if fmt.Sprint(r.Codes()) != "[BAD_USER_INPUT]" || !strings.Contains(r.Errors[0].Message, "limit is 1000") {
					t.Fatalf("got %v (%v), want one BAD_USER_INPUT naming the limit", r.Codes(), r.Errors)
				}
			})
		}
	})
}
