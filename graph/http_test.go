package graph_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"seatgraph/graph/graphtest"
)

// httpResult is a raw HTTP answer of the server.
type httpResult struct {
	status int
	header http.Header
	body   []byte
}

func (r httpResult) gql(t *testing.T) graphtest.Response {
	t.Helper()
	var resp graphtest.Response
	if err := json.Unmarshal(r.body, &resp); err != nil {
		t.Fatalf("response (%d) is not JSON: %s", r.status, r.body)
	}
	return resp
}

func serve(e *graphtest.Env, req *http.Request) httpResult {
	rec := httptest.NewRecorder()
	e.Handler.ServeHTTP(rec, req)
	return httpResult{status: rec.Code, header: rec.Header(), body: rec.Body.Bytes()}
}

func get(e *graphtest.Env, target string, headers ...string) httpResult {
	req := httptest.NewRequest(http.MethodGet, target, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return serve(e, req)
}

func post(e *graphtest.Env, contentType string, body io.Reader) httpResult {
	req := httptest.NewRequest(http.MethodPost, "/graphql", body)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	return serve(e, req)
}

func graphqlGET(query string, vars map[string]any) string {
	v := url.Values{"query": {query}}
	if vars != nil {
		b, _ := json.Marshal(vars)
		v.Set("variables", string(b))
	}
	return "/graphql?" + v.Encode()
}

func TestHTTPGraphiQL(t *testing.T) {
	e := graphtest.SQLite(t)
	r := get(e, "/", "Accept", "text/html")
	if r.status != http.StatusOK {
		t.Fatalf("GET / = %d", r.status)
	}
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Errorf("Content-Type %q, want text/html", ct)
	}
	body := strings.ToLower(string(r.body))
	for _, want := range []string{"<html", "graphiql", "/graphql"} {
		if !strings.Contains(body, want) {
			t.Errorf("GraphiQL page does not mention %q", want)
		}
	}
	// Only the root serves the page.
	if r := get(e, "/no-such-page"); r.status != http.StatusNotFound {
		t.Errorf("GET /no-such-page = %d, want 404", r.status)
	}
}

func TestHTTPGet(t *testing.T) {
	graphtest.Each(t, func(t *testing.T, e *graphtest.Env) {
		tests := []struct {
			name   string
			target string
			want   string
		}{
			{"raw braces", "/graphql?query={__typename}", `{"__typename":"Query"}`},
			{"encoded", graphqlGET(`{ __typename }`, nil), `{"__typename":"Query"}`},
			{"with variables", graphqlGET(`query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": "RXZlbnQ6OTk5OTk5"}), `{"node":null}`},
			{"named operation", "/graphql?" + url.Values{"query": {`query A { a: __typename } query B { b: __typename }`}, "operationName": {"B"}}.Encode(), `{"b":"Query"}`},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				r := get(e, tt.target)
				if r.status != http.StatusOK {
					t.Fatalf("status %d: %s", r.status, r.body)
				}
				if ct := r.header.Get("Content-Type"); !strings.Contains(ct, "json") {
					t.Errorf("Content-Type %q", ct)
				}
				resp := r.gql(t)
				if len(resp.Errors) > 0 {
					t.Fatalf("errors %+v", resp.Errors)
				}
				if string(resp.Data) != tt.want {
					t.Errorf("data %s, want %s", resp.Data, tt.want)
				}
			})
		}

		t.Run("a mutation over GET is refused and changes nothing", func(t *testing.T) {
			before := countRows(t, e)
			for _, target := range []string{
				graphqlGET(`mutation { createParticipant(input: { firstName: "G", lastName: "Et", email: "get@example.com" }) { participant { id } } }`, nil),
				graphqlGET(`mutation($in: CreateEventInput!) { createEvent(input: $in) { event { id } } }`,
					map[string]any{"in": map[string]any{"title": "Via GET", "startsAt": "2027-01-01T00:00:00Z"}}),
			} {
				r := get(e, target)
				if r.status < 400 || r.status >= 500 {
					t.Errorf("status %d, want a 4xx refusal (405 by the client guide): %s", r.status, r.body)
				}
				resp := r.gql(t)
				if len(resp.Errors) == 0 || len(resp.Data) > 0 && string(resp.Data) != "null" {
					t.Errorf("want an error and no data, got %s", r.body)
				}
				if r.status != http.StatusMethodNotAllowed {
					t.Errorf("a mutation over GET answers %d, the client guide says 405 (body %s)", r.status, r.body)
				}
				if len(resp.Errors) > 0 && resp.Errors[0].Code() != "BAD_REQUEST" {
					t.Errorf("the GET refusal has code %q, want BAD_REQUEST", resp.Errors[0].Code())
				}
			}
			if after := countRows(t, e); after != before {
				t.Errorf("a mutation over GET changed rows: %+v -> %+v", before, after)
			}
		})
	})
}

func TestHTTPPostErrors(t *testing.T) {
	e := graphtest.SQLite(t)
	tests := []struct {
		name        string
		contentType string
		body        string
		status      int    // 0: do not check
		code        string // extensions.code of the first error
	}{
		{"malformed JSON", "application/json", `{"query": "{ __typename }"`, http.StatusBadRequest, "BAD_REQUEST"},
		{"not an object", "application/json", `["{ __typename }"]`, http.StatusBadRequest, "BAD_REQUEST"},
		{"empty body", "application/json", ``, http.StatusBadRequest, "BAD_REQUEST"},
		{"variables not an object", "application/json", `{"query": "{ __typename }", "variables": 5}`, http.StatusBadRequest, "BAD_REQUEST"},
		{"unknown field", "application/json", `{"query": "{ noSuchField }"}`, 0, "GRAPHQL_VALIDATION_FAILED"},
		{"unknown argument", "application/json", `{"query": "{ node(nid: \"x\") { id } }"}`, 0, "GRAPHQL_VALIDATION_FAILED"},
		{"missing variable", "application/json", `{"query": "query($id: ID!) { node(id: $id) { id } }"}`, 0, "BAD_USER_INPUT"},
		{"syntax error", "application/json", `{"query": "{ __typename "}`, 0, "GRAPHQL_PARSE_FAILED"},
		{"not GraphQL at all", "application/json", `{"query": "SELECT * FROM events"}`, 0, "GRAPHQL_PARSE_FAILED"},
		{"empty query", "application/json", `{"query": ""}`, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := post(e, tt.contentType, strings.NewReader(tt.body))
			if tt.status != 0 && r.status != tt.status {
				t.Errorf("status %d, want %d: %s", r.status, tt.status, r.body)
			}
			if r.status >= 500 {
				t.Errorf("status %d for a client error: %s", r.status, r.body)
			}
			resp := r.gql(t)
			if len(resp.Errors) == 0 {
				t.Fatalf("no errors: %s", r.body)
			}
			got := resp.Errors[0]
			if got.Code() == "" {
				t.Errorf("error %q has no extensions.code", got.Message)
			}
			if got.Code() == "INTERNAL_SERVER_ERROR" || got.Message == "internal server error" {
				t.Errorf("a client error reported as internal: %+v", got)
			}
			if tt.code != "" && got.Code() != tt.code {
				t.Errorf("code %q (%s), want %s", got.Code(), got.Message, tt.code)
			}
		})
	}
}

func TestHTTPBodyLimit(t *testing.T) {
	e := graphtest.SQLite(t)
	big := `{"query": "{ __typename }", "variables": {"pad": "` + strings.Repeat("x", 2<<20) + `"}}`

	t.Run("with Content-Length", func(t *testing.T) {
		r := post(e, "application/json", strings.NewReader(big))
		if r.status != http.StatusRequestEntityTooLarge {
			t.Errorf("status %d, want 413", r.status)
		}
	})
	t.Run("chunked, no Content-Length", func(t *testing.T) {
		req := httptest.NewRequest(http.MethodPost, "/graphql", io.NopCloser(bytes.NewReader([]byte(big))))
		req.ContentLength = -1
		req.Header.Set("Content-Type", "application/json")
		r := serve(e, req)
		if r.status == http.StatusRequestEntityTooLarge {
			return
		}
		t.Errorf("an oversized chunked body is answered with %d %s; the client guide wants 413", r.status, bytes.TrimSpace(r.body))
	})
}

func TestHTTPHealth(t *testing.T) {
	graphtest.Each(t, func(t *testing.T, e *graphtest.Env) {
		for _, path := range []string{"/healthz", "/readyz"} {
			t.Run(path, func(t *testing.T) {
				r := get(e, path)
				if r.status != http.StatusOK {
					t.Fatalf("GET %s = %d: %s", path, r.status, r.body)
				}
				var body struct{ Status string }
				if err := json.Unmarshal(r.body, &body); err != nil || body.Status != "ok" {
					t.Errorf("GET %s body %s", path, r.body)
				}
				if cc := r.header.Get("Cache-Control"); cc != "no-store" {
					t.Errorf("GET %s Cache-Control %q", path, cc)
				}
			})
		}
	})
}
