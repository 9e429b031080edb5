package graph_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"seatgraph/graph/graphtest"
)

// httpAnswer is a response as a client of GraphQL over HTTP sees it.
type httpAnswer struct {
	status  int
	media   string
	hasData bool
	codes   []string
	message string
	body    string
}

func sendHTTP(t *testing.T, h http.Handler, method, target, contentType, accept, body string) httpAnswer {
	t.Helper()
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	a := httpAnswer{status: rec.Code, media: rec.Header().Get("Content-Type"), body: rec.Body.String()}
	var out struct {
		Data   json.RawMessage `json:"data"`
		Errors []struct {
			Message    string         `json:"message"`
			Extensions map[string]any `json:"extensions"`
		} `json:"errors"`
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(rec.Body.Bytes(), &raw); err != nil {
		t.Fatalf("%s %s: the body is not a JSON object (%d): %s", method, target, rec.Code, rec.Body)
	}
	_, a.hasData = raw["data"]
	_ = json.Unmarshal(rec.Body.Bytes(), &out)
	for _, e := range out.Errors {
		code, _ := e.Extensions["code"].(string)
		a.codes = append(a.codes, code)
		if a.message == "" {
			a.message = e.Message
		}
	}
	return a
}

func getURL(query string, vars string) string {
	v := url.Values{"query": {query}}
	if vars != "" {
		v.Set("variables", vars)
	}
	return "/graphql?" + v.Encode()
}

func postBody(query string, vars string) string {
	b, _ := json.Marshal(query)
	if vars == "" {
		return `{"query":` + string(b) + `}`
	}
	return `{"query":` + string(b) + `,"variables":` + vars + `}`
}

// TestRequestErrorStatus: every kind of request error, under both response
// media types. A request that never executed has errors and no data entry;
// under application/graphql-response+json it is 4xx, under application/json
// 200 (GraphQL over HTTP); a malformed request is 400 under both.
func TestRequestErrorStatus(t *testing.T) {
	e := graphtest.SQLite(t)
	const json, gqlResp = "application/json", "application/graphql-response+json"
	deep := "{ bookings(first: 1) { nodes { " + strings.Repeat("booker { bookings(first: 1) { nodes { ", 6) + "id" + strings.Repeat(" } } }", 6) + " } } }"
	cases := []struct {
		name, method, target, body string
		code                       string
		// status under application/json and application/graphql-response+json
		jsonStatus, gqlStatus int
	}{
		{"parse failure", "POST", "/graphql", postBody("{", ""), "GRAPHQL_PARSE_FAILED", 200, 400},
		{"validation failure", "POST", "/graphql", postBody("{ noSuchField }", ""), "GRAPHQL_VALIDATION_FAILED", 200, 400},
		{"missing variable", "POST", "/graphql", postBody("query($id: ID!) { node(id: $id) { id } }", ""), "BAD_USER_INPUT", 200, 400},
		{"Int variable above 2^31-1", "POST", "/graphql", postBody("query($n: Int) { events(first: $n) { totalCount } }", `{"n": 2147483648}`), "BAD_USER_INPUT", 200, 400},
		{"page size over the maximum", "POST", "/graphql", postBody("{ events(first: 10000) { totalCount } }", ""), "PAGE_SIZE_EXCEEDED", 200, 400},
		{"depth", "POST", "/graphql", postBody(deep, ""), "COMPLEXITY_LIMIT_EXCEEDED", 200, 400},
		{"cost", "POST", "/graphql", postBody("{ bookings(first: 100) { nodes { tickets(first: 100) { nodes { id } } } } }", ""), "COMPLEXITY_LIMIT_EXCEEDED", 200, 400},
		{"tokens", "POST", "/graphql", postBody("{ "+strings.Repeat("__typename ", 16000)+"}", ""), "GRAPHQL_PARSE_FAILED", 200, 400},
		{"GET parse failure", "GET", getURL("{", ""), "", "GRAPHQL_PARSE_FAILED", 200, 400},
		{"GET mutation", "GET", getURL("mutation { __typename }", ""), "", "BAD_REQUEST", 405, 405},
		{"GET subscription", "GET", getURL("subscription { __typename }", ""), "", "BAD_REQUEST", 405, 405},
		{"not JSON", "POST", "/graphql", `{ "not a JSON`, "BAD_REQUEST", 400, 400},
		{"no query", "POST", "/graphql", `{"qeury": "{ __typename }"}`, "BAD_REQUEST", 400, 400},
		{"empty body", "POST", "/graphql", ``, "BAD_REQUEST", 400, 400},
		{"batched array", "POST", "/graphql", `[{"query": "{ __typename }"}]`, "BAD_REQUEST", 400, 400},
		{"bare number", "POST", "/graphql", `42`, "BAD_REQUEST", 400, 400},
		{"query not a string", "POST", "/graphql", `{"query": {"obj": "ect"}}`, "BAD_REQUEST", 400, 400},
		{"operationName not a string", "POST", "/graphql", `{"query": "{ __typename }", "operationName": 0}`, "BAD_REQUEST", 400, 400},
		{"variables a list", "POST", "/graphql", `{"query": "{ __typename }", "variables": ["array"]}`, "BAD_REQUEST", 400, 400},
		{"extensions a string", "POST", "/graphql", `{"query": "{ __typename }", "extensions": "string"}`, "BAD_REQUEST", 400, 400},
		{"invalid UTF-8", "POST", "/graphql", "{\"query\": \"{ __typename }\", \"variables\": {\"x\": \"\xff\"}}", "BAD_REQUEST", 400, 400},
		{"lone surrogate escape", "POST", "/graphql", `{"query": "{ __typename }", "variables": {"x": "\ud800"}}`, "BAD_REQUEST", 400, 400},
		{"GET variables not JSON", "GET", "/graphql?query=%7B__typename%7D&variables=%7Bx", "", "BAD_REQUEST", 400, 400},
		{"GET invalid UTF-8", "GET", "/graphql?query=%7B__typename%7D&operationName=%FF", "", "BAD_REQUEST", 400, 400},
		{"PUT", "PUT", "/graphql", postBody("{ __typename }", ""), "BAD_REQUEST", 405, 405},
	}
	for _, c := range cases {
		for _, accept := range []string{json, gqlResp} {
			t.Run(c.name+"/"+accept, func(t *testing.T) {
				a := sendHTTP(t, e.Handler, c.method, c.target, "application/json", accept, c.body)
				want := c.jsonStatus
				if accept == gqlResp {
					want = c.gqlStatus
				}
				if a.status != want {
					t.Errorf("status %d, want %d: %s", a.status, want, a.body)
				}
				if a.hasData {
					t.Errorf("a request that never executed has a data entry: %s", a.body)
				}
				if len(a.codes) == 0 || a.codes[0] != c.code {
					t.Errorf("codes %v, want %s: %s", a.codes, c.code, a.body)
				}
				if !strings.HasPrefix(a.media, accept) {
					t.Errorf("Content-Type %q, want %s", a.media, accept)
				}
				for _, internal := range []string{"Go value", "graphql.RawParams", "unmarshal", "json:"} {
					if strings.Contains(a.message, internal) {
						t.Errorf("the message names our internals (%q): %s", internal, a.message)
					}
				}
			})
		}
	}
}

// TestResponseMediaType: the Accept header picks the media type; an
// executed operation answers 200 under both.
func TestResponseMediaType(t *testing.T) {
	e := graphtest.SQLite(t)
	for _, c := range []struct {
		accept, want string
		status       int
	}{
		{"", "application/json", 200},
		{"*/*", "application/json", 200},
		{"application/json", "application/json", 200},
		{"application/graphql-response+json", "application/graphql-response+json", 200},
		{"application/graphql-response+json, application/json;q=0.9", "application/graphql-response+json", 200},
		{"application/json, application/graphql-response+json;q=0.5", "application/json", 200},
		{"text/html,application/xhtml+xml,*/*;q=0.8", "application/json", 200},
		{"text/html", "application/json", 406},
	} {
		t.Run(c.accept, func(t *testing.T) {
			a := sendHTTP(t, e.Handler, "POST", "/graphql", "application/json", c.accept, postBody("{ __typename }", ""))
			if a.status != c.status || !strings.HasPrefix(a.media, c.want) {
				t.Errorf("status %d %q, want %d %s: %s", a.status, a.media, c.status, c.want, a.body)
			}
			if c.status == 200 && (!a.hasData || len(a.codes) > 0) {
				t.Errorf("want data and no errors: %s", a.body)
			}
		})
	}
	// A POST that is not JSON is refused as such.
	a := sendHTTP(t, e.Handler, "POST", "/graphql", "text/plain", "", postBody("{ __typename }", ""))
	if a.status != http.StatusUnsupportedMediaType || len(a.codes) == 0 || a.codes[0] != "BAD_REQUEST" {
		t.Errorf("text/plain body: %d %v, want 415 BAD_REQUEST", a.status, a.codes)
	}
}

// TestVariableCoercion: variables are coerced as the GraphQL specification
// says before anything is costed or run: every bad variable is
// BAD_USER_INPUT, never a cost refusal or an execution error.
func TestVariableCoercion(t *testing.T) {
	e := graphtest.SQLite(t)
	const first = `query($n: Int) { events(first: $n) { totalCount } }`
	const status = `query($s: EventStatus) { events(where: { status: { eq: $s } }) { totalCount } }`
	const when = `query($t: DateTime) { events(where: { startsAt: { gt: $t } }) { totalCount } }`
	const take = `query($w: EventFilterInput) { events(where: $w) { totalCount } }`
	for _, c := range []struct {
		name, query, vars string
		ok                bool
	}{
		{"Int in range", first, `{"n": 5}`, true},
		{"Int above 2^31-1", first, `{"n": 2147483648}`, false},
		{"Int far below", first, `{"n": -9223372036854775808}`, false},
		{"Int with a fraction", first, `{"n": 2.5}`, false},
		{"Int as a string", first, `{"n": "5"}`, false},
		{"Int as a boolean", first, `{"n": true}`, false},
		{"enum value", status, `{"s": "PUBLISHED"}`, true},
		{"enum in lower case", status, `{"s": "published"}`, false},
		{"enum as a number", status, `{"s": 1}`, false},
		{"DateTime", when, `{"t": "2026-01-01T00:00:00Z"}`, true},
		{"DateTime without offset", when, `{"t": "2026-01-01T00:00:00"}`, false},
		{"DateTime as a number", when, `{"t": 1767225600}`, false},
		{"nested Int in an input object", take, `{"w": {"capacity": {"gt": 9999999999}}}`, false},
		{"nested Int list entry", take, `{"w": {"capacity": {"in": [1, "2"]}}}`, false},
		{"nested String as a number", take, `{"w": {"title": {"eq": 5}}}`, false},
		{"nested input fine", take, `{"w": {"capacity": {"in": [1, 2]}, "title": {"contains": "jazz"}}}`, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			a := sendHTTP(t, e.Handler, "POST", "/graphql", "application/json", "application/graphql-response+json", postBody(c.query, c.vars))
			if c.ok {
				if a.status != 200 || len(a.codes) > 0 {
					t.Fatalf("refused: %d %s", a.status, a.body)
				}
				return
			}
			if a.status != 400 || len(a.codes) != 1 || a.codes[0] != "BAD_USER_INPUT" || a.hasData {
				t.Fatalf("got %d %v, want 400 BAD_USER_INPUT without data: %s", a.status, a.codes, a.body)
			}
			if !strings.Contains(a.message, "$") {
				t.Errorf("the message does not name the variable: %q", a.message)
			}
		})
	}
}

// TestMangledTextStoresNothing: a createBooking whose e-mail holds a byte
// that is not UTF-8, or a lone surrogate escape, is refused as BAD_REQUEST
// and books nothing (encoding/json would have stored U+FFFD in its place);
// the same booking with clean text is booked. Both databases.
func TestMangledTextStoresNothing(t *testing.T) {
	graphtest.Each(t, func(t *testing.T, e *graphtest.Env) {
		ev := ccNewEvent(t, e, "Mangled text", ccIntp(10), nil, false)
		body := func(email string) string {
			return `{"query": ` + mustJSON(ccCreateBooking) + `, "variables": {"in": {"booker": {"firstName": "A", "lastName": "B", "email": "` +
				email + `"}, "tickets": [{"ticketCategoryId": "` + ev.category + `"}], "paymentMethod": "INVOICE"}}}`
		}
		for _, c := range []struct{ name, email string }{
			{"invalid UTF-8", "a\xffb@example.com"},
			{"lone surrogate", `a\udc00b@example.com`},
			{"high surrogate without its pair", `a\ud83db@example.com`},
		} {
			a := sendHTTP(t, e.Handler, "POST", "/graphql", "application/json", "", body(c.email))
			if a.status != 400 || len(a.codes) != 1 || a.codes[0] != "BAD_REQUEST" {
				t.Errorf("%s: %d %v, want 400 BAD_REQUEST: %s", c.name, a.status, a.codes, a.body)
			}
		}
		if n := ccConfirmedBookings(t, e); n != 0 {
			t.Fatalf("%d bookings stored from refused requests", n)
		}
		a := sendHTTP(t, e.Handler, "POST", "/graphql", "application/json", "", body(`j\u00fcrgen.\ud83d\ude00@example.com`))
		if a.status != 200 || len(a.codes) > 0 {
			t.Fatalf("clean booking refused: %s", a.body)
		}
		if n := ccConfirmedBookings(t, e); n != 1 {
			t.Fatalf("%d bookings after one clean request", n)
		}
	})
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}
