package graph_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"seatgraph/graph/graphtest"
)

// Abusive requests through the whole app handler (issue 4, "Request
// limits"): each is refused with the right code, quickly, and the server
// keeps serving.

// abuMaxTime is how long a refusal may take at most; the race detector and
// a busy CI machine are slow, the real figures are logged.
const abuMaxTime = 5 * time.Second

type abuResult struct {
	status  int
	body    []byte
	elapsed time.Duration
}

// abuPost posts body to /graphql as JSON; chunked hides its length.
func abuPost(e *graphtest.Env, body []byte, chunked bool) abuResult {
	var r io.Reader = bytes.NewReader(body)
	if chunked {
		r = io.MultiReader(r) // no length known: sent chunked
	}
	req := httptest.NewRequest(http.MethodPost, "/graphql", r)
	if chunked {
		req.ContentLength = -1
	}
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	start := time.Now()
	e.Handler.ServeHTTP(rec, req)
	return abuResult{status: rec.Code, body: rec.Body.Bytes(), elapsed: time.Since(start)}
}

func abuQuery(query string, vars map[string]any) []byte {
	b, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		panic(err)
	}
	return b
}

// abuAliases is one selection set with n aliases of an ordinary field
// (aliases of __typename are introspection, which no limit refuses).
func abuAliases(n int) string {
	var b strings.Builder
	b.WriteString("{ ")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "a%d: eventsPage(take: 1) { totalCount } ", i)
	}
	b.WriteString("}")
	return b.String()
}

// abuFragmentCycle is a chain of n fragments whose last spreads the first.
func abuFragmentCycle(n int) string {
	var b strings.Builder
	b.WriteString("query { ...F0 }\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "fragment F%d on Query { __typename ...F%d }\n", i, (i+1)%n)
	}
	return b.String()
}

// abuFragmentChain is n fragments each selecting body and spreading the next.
func abuFragmentChain(n int, body string) string {
	var b strings.Builder
	b.WriteString("query { ...F0 }\n")
	for i := 0; i < n; i++ {
		next := ""
		if i < n-1 {
			next = fmt.Sprintf("...F%d", i+1)
		}
		fmt.Fprintf(&b, "fragment F%d on Query { %s %s }\n", i, body, next)
	}
	return b.String()
}

// abuFragmentFanOut is n fragments each spreading the next twice: 2^n
// spreads when expanded naively, a few hundred tokens to send.
func abuFragmentFanOut(n int) string {
	var b strings.Builder
	b.WriteString("query { ...F0 }\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "fragment F%d on Query { ...F%d ...F%d }\n", i, i+1, i+1)
	}
	fmt.Fprintf(&b, "fragment F%d on Query { __typename }\n", n)
	return b.String()
}

// abuFragmentsSideBySide spreads n fragments of k fields in one set.
func abuFragmentsSideBySide(n, k int) string {
	var b strings.Builder
	b.WriteString("query { ")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "...G%d ", i)
	}
	b.WriteString("}\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "fragment G%d on Query { %s}\n", i, strings.Repeat("__typename ", k))
	}
	return b.String()
}

// abuFieldFanOut is n fragments on Event each reaching the next through
// five different fields: 5^n selections when expanded, deeper than the
// depth limit only after a long walk.
func abuFieldFanOut(n int) string {
	var b strings.Builder
	b.WriteString("query { events(first: 1) { nodes { ...E0 } } }\n")
	for i := 0; i < n; i++ {
		next := fmt.Sprintf("...E%d", i+1)
		if i == n-1 {
			next = "id"
		}
		fmt.Fprintf(&b, "fragment E%d on Event { id ticketCategories { event { %[2]s } } "+
			"t1: ticketCategories { event { %[2]s } } t2: ticketCategories { event { %[2]s } } "+
			"t3: ticketCategories { event { %[2]s } } t4: ticketCategories { event { %[2]s } } }\n", i, next)
	}
	return b.String()
}

// abuNestedWhere is an events filter nested n levels deep through "and".
func abuNestedWhere(n int) any {
	var w any = map[string]any{"title": map[string]any{"eq": "x"}}
	for i := 0; i < n; i++ {
		w = map[string]any{"and": []any{w}}
	}
	return w
}

func TestAbuseRejectedQuickly(t *testing.T) {
	graphtest.Each(t, func(t *testing.T, e *graphtest.Env) {
		twoMB := strings.Repeat("x", 2<<20)
		for _, c := range []struct {
			name    string
			body    []byte
			chunked bool
			status  int    // 0: any 4xx
			code    string // extensions.code of the first error
		}{
			{name: "10,000-level nested query", body: abuQuery(strings.Repeat("{a", 10000), nil), code: "GRAPHQL_PARSE_FAILED"},
			{name: "10,000-level nested query, closed", body: abuQuery(strings.Repeat("{a", 10000)+strings.Repeat("}", 10000), nil), code: "GRAPHQL_PARSE_FAILED"},
			{name: "500,000-level nested query", body: abuQuery(strings.Repeat("{a", 500000), nil), code: "GRAPHQL_PARSE_FAILED"},
			{name: "16,000 tokens", body: abuQuery("{ "+strings.Repeat("__typename ", 16000)+"}", nil), code: "GRAPHQL_PARSE_FAILED"},
			{name: "2 MB body", body: abuQuery("{ __typename }", map[string]any{"pad": twoMB}), status: http.StatusRequestEntityTooLarge, code: "BAD_REQUEST"},
			{name: "2 MB body, chunked", body: abuQuery("{ __typename }", map[string]any{"pad": twoMB}), chunked: true, status: http.StatusRequestEntityTooLarge, code: "BAD_REQUEST"},
			{name: "2 MB query", body: abuQuery("{ __typename "+twoMB+" }", nil), status: http.StatusRequestEntityTooLarge, code: "BAD_REQUEST"},
			{name: "100 aliases", body: abuQuery(abuAliases(100), nil), code: "COMPLEXITY_LIMIT_EXCEEDED"},
			{name: "cost 1,000,000", body: abuQuery(`{ bookings(first: 100) { nodes { tickets(first: 100) { nodes { event { bookings(first: 100) { nodes { id } } } } } } } }`, nil), code: "COMPLEXITY_LIMIT_EXCEEDED"},
			{name: "cost through variables", body: abuQuery(`query($n: Int) { events(first: $n) { nodes { tickets(first: $n) { nodes { id code } } } } }`, map[string]any{"n": 100}), code: "COMPLEXITY_LIMIT_EXCEEDED"},
			{name: "50-fragment spread cycle", body: abuQuery(abuFragmentCycle(50), nil), code: "GRAPHQL_VALIDATION_FAILED"},
			{name: "1,000-fragment spread cycle", body: abuQuery(abuFragmentCycle(1000), nil), code: "COMPLEXITY_LIMIT_EXCEEDED"},
			{name: "800-fragment chain", body: abuQuery(abuFragmentChain(800, "__typename"), nil), code: "COMPLEXITY_LIMIT_EXCEEDED"},
			{name: "7,000 repeated fields", body: abuQuery("{ "+strings.Repeat("__typename ", 7000)+"}", nil), code: "COMPLEXITY_LIMIT_EXCEEDED"},
			{name: "7,000 repeated nested fields", body: abuQuery("{ events(first: 1) { nodes { "+strings.Repeat("id ", 7000)+"} } }", nil), code: "COMPLEXITY_LIMIT_EXCEEDED"},
			{name: "3,000 repeated lists", body: abuQuery("{ events(first: 1) { nodes { "+strings.Repeat("ticketCategories { id } ", 3000)+"} } }", nil), code: "COMPLEXITY_LIMIT_EXCEEDED"},
			{name: "2-fragment spread cycle", body: abuQuery("query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }", nil), code: "GRAPHQL_VALIDATION_FAILED"},
			{name: "fragment fan-out 2^60", body: abuQuery(abuFragmentFanOut(60), nil), code: "COMPLEXITY_LIMIT_EXCEEDED"},
			{name: "field fan-out 5^12 through fragments", body: abuQuery(abuFieldFanOut(12), nil), code: "COMPLEXITY_LIMIT_EXCEEDED"},
			{name: "4,000-level nested where in variables",
				body: abuQuery(`query($w: EventFilterInput) { events(where: $w) { totalCount } }`, map[string]any{"w": abuNestedWhere(4000)}),
				code: "COMPLEXITY_LIMIT_EXCEEDED"},
			{name: "2,000-level nested where literal",
				body: abuQuery(`{ events(where: `+strings.Repeat("{ and: [", 2000)+`{ title: { eq: "x" } }`+strings.Repeat("] }", 2000)+`) { totalCount } }`, nil),
				code: "COMPLEXITY_LIMIT_EXCEEDED"},
			{name: "200,000-level nested JSON", body: []byte(`{"query":"{ __typename }","variables":{"v":` + strings.Repeat("[", 200000) + strings.Repeat("]", 200000) + `}}`),
				status: http.StatusBadRequest, code: "BAD_REQUEST"},
		} {
			t.Run(c.name, func(t *testing.T) {
				r := abuPost(e, c.body, c.chunked)
				t.Logf("%s (%d bytes): HTTP %d, rejected in %dms", c.name, len(c.body), r.status, r.elapsed.Milliseconds())
				if c.status != 0 && r.status != c.status {
					t.Errorf("HTTP %d, want %d", r.status, c.status)
				}
				if r.status < 400 || r.status >= 500 {
					// GraphQL over HTTP answers application/json requests
					// that fail before execution with 200 too; only 5xx is wrong.
					if r.status >= 500 {
						t.Errorf("HTTP %d", r.status)
					}
				}
				var resp graphtest.Response
				if err := json.Unmarshal(r.body, &resp); err != nil {
					t.Fatalf("answer is not a GraphQL response: %.300s", r.body)
				}
				if len(resp.Errors) == 0 || resp.Errors[0].Code() != c.code {
					t.Errorf("codes %v, want %s: %.300s", resp.Codes(), c.code, r.body)
				}
				if len(resp.Data) > 0 && string(resp.Data) != "null" {
					t.Errorf("refused request has data %.200s", resp.Data)
				}
				if r.elapsed > abuMaxTime {
					t.Errorf("took %s, want under %s", r.elapsed, abuMaxTime)
				}
			})
		}

		// Documents at the limits are answered, and validation of them
		// stays bounded: the worst shapes found (repeated fields, chained
		// fragments, repeated lists) at 500 fields or 50 fragments.
		for _, c := range []struct{ name, query string }{
			{"500 repeated fields", "{ " + strings.Repeat("__typename ", 499) + "}"},
			{"50-fragment chain of 9 fields", abuFragmentChain(50, strings.Repeat("__typename ", 9))},
			{"166 repeated lists", "{ " + strings.Repeat("events(first: 1) { nodes { id } } ", 166) + "}"},
			{"50 fragments side by side", abuFragmentsSideBySide(50, 9)},
		} {
			r := abuPost(e, abuQuery(c.query, nil), false)
			t.Logf("at the limits, %s (%d bytes): HTTP %d, answered in %dms", c.name, len(c.query), r.status, r.elapsed.Milliseconds())
			if r.status != http.StatusOK || bytes.Contains(r.body, []byte(`"errors"`)) {
				t.Errorf("%s: HTTP %d %.300s", c.name, r.status, r.body)
			}
			if r.elapsed > abuMaxTime {
				t.Errorf("%s took %s", c.name, r.elapsed)
			}
		}

		// Still serving, and serving right.
		var out struct {
			Events struct{ TotalCount int } `json:"events"`
		}
		start := time.Now()
		e.Query(t, `{ events(first: 100) { totalCount nodes { id ticketCategories { id } } } __typename }`, nil, &out)
		t.Logf("a normal query afterwards answered in %dms", time.Since(start).Milliseconds())
		r := abuPost(e, abuQuery(abuAliases(30), nil), false)
		if r.status != http.StatusOK || bytes.Contains(r.body, []byte(`"errors"`)) {
			t.Errorf("30 aliases after the abuse: HTTP %d %.200s", r.status, r.body)
		}
	})
}

func TestAbuseNestedInput(t *testing.T) {
	graphtest.Each(t, func(t *testing.T, e *graphtest.Env) {
		literal := func(n int) string {
			return `{ events(where: ` + strings.Repeat("{ and: [", n) + `{ title: { eq: "x" } }` + strings.Repeat("] }", n) + `) { totalCount } }`
		}
		const variable = `query($w: EventFilterInput) { events(where: $w) { totalCount } }`
		// An "and" level is two levels of input: an object and a list.
		for _, c := range []struct {
			name string
			body []byte
			code string
		}{
			{"31 levels of and, literal", abuQuery(literal(31), nil), ""},
			{"31 levels of and, variable", abuQuery(variable, map[string]any{"w": abuNestedWhere(31)}), ""},
			{"33 levels of and, literal", abuQuery(literal(33), nil), "COMPLEXITY_LIMIT_EXCEEDED"},
			{"33 levels of and, variable", abuQuery(variable, map[string]any{"w": abuNestedWhere(33)}), "COMPLEXITY_LIMIT_EXCEEDED"},
			{"2,000 levels of and, literal", abuQuery(literal(2000), nil), "COMPLEXITY_LIMIT_EXCEEDED"},
			{"65 levels of lists in a Map variable", abuQuery(`mutation($m: Map) { __typename }`, map[string]any{"m": map[string]any{"x": abuNestedList(65)}}), "COMPLEXITY_LIMIT_EXCEEDED"},
			{"65 levels of lists in a default value", abuQuery(`query($w: [[Int]] = `+strings.Repeat("[", 65)+strings.Repeat("]", 65)+`) { __typename }`, nil), "COMPLEXITY_LIMIT_EXCEEDED"},
		} {
			r := abuPost(e, c.body, false)
			t.Logf("%s (%d bytes): HTTP %d in %dms", c.name, len(c.body), r.status, r.elapsed.Milliseconds())
			var resp graphtest.Response
			if err := json.Unmarshal(r.body, &resp); err != nil {
				t.Fatalf("%s: %.300s", c.name, r.body)
			}
			switch {
			case c.code == "" && len(resp.Errors) > 0:
				t.Errorf("%s: %+v", c.name, resp.Errors)
			case c.code != "" && (len(resp.Errors) == 0 || resp.Errors[0].Code() != c.code):
				t.Errorf("%s: codes %v, want %s", c.name, resp.Codes(), c.code)
			}
			if r.elapsed > abuMaxTime {
				t.Errorf("%s took %s", c.name, r.elapsed)
			}
		}
	})
}

// abuNestedList is n lists nested in each other.
func abuNestedList(n int) any {
	var v any = []any{}
	for i := 1; i < n; i++ {
		v = []any{v}
	}
	return v
}
