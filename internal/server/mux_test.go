package server

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"seatgraph/internal/observe"
	"strings"
	"testing"

	_ "github.com/mattn/go-sqlite3"

	"seatgraph/internal/config"
	"seatgraph/internal/domain"
)

func testConfig() config.Config {
	return config.Config{Addr: "127.0.0.1:0", Limits: config.Defaults}
}

func openDB(t *testing.T) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite3", "file::memory:")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// graphqlStub stands in for gqlgen's handler and reports what reached it.
var graphqlStub = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = io.WriteString(w, `{"data":{}}`)
})

func serve(h http.Handler, r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func TestRoutes(t *testing.T) {
	open := openDB(t)
	closed, err := sql.Open("sqlite3", "file::memory:")
	if err != nil {
		t.Fatal(err)
	}
	closed.Close()

	prod := testConfig()
	prod.Production = true

	tests := []struct {
		name     string
		cfg      config.Config
		db       *sql.DB
		method   string
		path     string
		wantCode int
		wantBody string // substring, compared case-insensitively
		noBody   string // substring that must not appear
	}{
		{name: "healthz", cfg: testConfig(), db: open, method: "GET", path: "/healthz", wantCode: 200, wantBody: `{"status":"ok"}`},
		{name: "healthz with closed db", cfg: testConfig(), db: closed, method: "GET", path: "/healthz", wantCode: 200, wantBody: `"ok"`},
		{name: "healthz POST", cfg: testConfig(), db: open, method: "POST", path: "/healthz", wantCode: 405},
		{name: "readyz ok", cfg: testConfig(), db: open, method: "GET", path: "/readyz", wantCode: 200, wantBody: `{"status":"ok"}`},
		{name: "readyz closed db", cfg: testConfig(), db: closed, method: "GET", path: "/readyz", wantCode: 503, wantBody: `"unavailable"`, noBody: "closed"},
		{name: "readyz no db", cfg: testConfig(), db: nil, method: "GET", path: "/readyz", wantCode: 503},
		{name: "graphiql", cfg: testConfig(), db: open, method: "GET", path: "/", wantCode: 200, wantBody: "graphiql"},
		{name: "graphiql points at /graphql", cfg: testConfig(), db: open, method: "GET", path: "/", wantCode: 200, wantBody: "/graphql"},
		{name: "no graphiql in production", cfg: prod, db: open, method: "GET", path: "/", wantCode: 404, noBody: "graphiql"},
		{name: "unknown path", cfg: testConfig(), db: open, method: "GET", path: "/nope", wantCode: 404, noBody: "graphiql"},
		{name: "graphql GET", cfg: testConfig(), db: open, method: "GET", path: "/graphql?query=%7B__typename%7D", wantCode: 200, wantBody: `{"data":{}}`},
		{name: "graphql POST", cfg: prod, db: open, method: "POST", path: "/graphql", wantCode: 200, wantBody: `{"data":{}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := NewMux(tt.cfg, graphqlStub, tt.db)
			w := serve(h, httptest.NewRequest(tt.method, tt.path, strings.NewReader(`{"query":"{__typename}"}`)))
			body := strings.ToLower(w.Body.String())
			if w.Code != tt.wantCode {
				t.Errorf("status = %d, want %d (body %q)", w.Code, tt.wantCode, body)
			}
			if tt.wantBody != "" && !strings.Contains(body, strings.ToLower(tt.wantBody)) {
				t.Errorf("body %q does not contain %q", body, tt.wantBody)
			}
			if tt.noBody != "" && strings.Contains(body, strings.ToLower(tt.noBody)) {
				t.Errorf("body %q contains %q", body, tt.noBody)
			}
		})
	}
}

func TestHealthJSON(t *testing.T) {
	w := serve(NewMux(testConfig(), graphqlStub, openDB(t)), httptest.NewRequest("GET", "/healthz", nil))
	if ct := w.Header().Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q", ct)
	}
	var got map[string]string
	if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil || got["status"] != "ok" {
		t.Errorf("body %q: %v", w.Body, err)
	}
}

func TestCORS(t *testing.T) {
	const allowed, other = "https://app.example", "https://evil.example"
	tests := []struct {
		name        string
		origins     []string
		origin      string
		reqHeaders  string
		wantOrigin  string // expected Access-Control-Allow-Origin, "" for none
		wantCreds   bool
		wantHeaders []string // must appear in Access-Control-Allow-Headers
	}{
		{
			name: "allowed origin", origins: []string{allowed}, origin: allowed,
			reqHeaders: "authorization,content-type,x-tenant-id", wantOrigin: allowed, wantCreds: true,
			wantHeaders: []string{"authorization", "content-type", "x-tenant-id"},
		},
		{
			name: "all contract headers", origins: []string{allowed}, origin: allowed,
			// Browsers send the names lowercased and sorted; rs/cors relies on it.
			reqHeaders: "accept-language,idempotency-key,x-cobra-tenantid,x-request-id",
			wantOrigin: allowed, wantCreds: true,
			wantHeaders: []string{"x-cobra-tenantid", "accept-language", "idempotency-key", "x-request-id"},
		},
		{name: "disallowed origin", origins: []string{allowed}, origin: other, reqHeaders: "content-type"},
		{name: "wildcard has no credentials", origins: []string{"*"}, origin: other, reqHeaders: "content-type", wantOrigin: "*"},
		{name: "no origins configured", origins: nil, origin: allowed, reqHeaders: "content-type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig()
			cfg.CORSOrigins = tt.origins
			h := NewMux(cfg, graphqlStub, openDB(t))

			r := httptest.NewRequest(http.MethodOptions, "/graphql", nil)
			r.Header.Set("Origin", tt.origin)
			r.Header.Set("Access-Control-Request-Method", "POST")
			r.Header.Set("Access-Control-Request-Headers", tt.reqHeaders)
			w := serve(h, r)

			if got := w.Header().Get("Access-Control-Allow-Origin"); got != tt.wantOrigin {
				t.Errorf("Allow-Origin = %q, want %q", got, tt.wantOrigin)
			}
			if got := w.Header().Get("Access-Control-Allow-Credentials") == "true"; got != tt.wantCreds {
				t.Errorf("Allow-Credentials = %v, want %v", got, tt.wantCreds)
			}
			allowHeaders := strings.ToLower(w.Header().Get("Access-Control-Allow-Headers"))
			for _, h := range tt.wantHeaders {
				if !strings.Contains(allowHeaders, h) {
					t.Errorf("Allow-Headers %q lacks %q", allowHeaders, h)
				}
			}
			if tt.origins == nil {
				for k := range w.Header() {
					if strings.HasPrefix(k, "Access-Control-") {
						t.Errorf("CORS header %s sent without configured origins", k)
					}
				}
			}

			// The actual request gets the same verdict.
			r = httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(`{}`))
			r.Header.Set("Origin", tt.origin)
			w = serve(h, r)
			if w.Code != 200 {
				t.Errorf("POST status = %d", w.Code)
			}
			if got := w.Header().Get("Access-Control-Allow-Origin"); got != tt.wantOrigin {
				t.Errorf("POST Allow-Origin = %q, want %q", got, tt.wantOrigin)
			}
		})
	}
}

func TestRequestContext(t *testing.T) {
	tests := []struct {
		header string
		want   string
	}{
		{"", "en"},
		{"de", "de"},
		{"de-DE,de;q=0.9,en;q=0.8", "de"},
		{"en-US,en;q=0.9,de;q=0.8", "en"},
		{"en;q=0.3, de;q=0.8", "de"},
		{"fr-FR", "en"},
	}
	for _, tt := range tests {
		t.Run(tt.header, func(t *testing.T) {
			cfg := testConfig()
			cfg.Limits.PageSize, cfg.Limits.MaxPageSize = 7, 42
			var lang string
			var got config.Limits
			inner := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				lang = domain.Language(r.Context())
				got = config.From(r.Context())
			})
			r := httptest.NewRequest("POST", "/graphql", strings.NewReader("{}"))
			if tt.header != "" {
				r.Header.Set("Accept-Language", tt.header)
			}
			w := serve(NewMux(cfg, inner, openDB(t)), r)
			if lang != tt.want {
				t.Errorf("language = %q, want %q", lang, tt.want)
			}
			if got != cfg.Limits {
				t.Errorf("limits = %+v, want %+v", got, cfg.Limits)
			}
			if !strings.Contains(strings.Join(w.Header().Values("Vary"), ","), "Accept-Language") {
				t.Errorf("Vary = %q, want Accept-Language", w.Header().Values("Vary"))
			}
		})
	}
}

func TestBodyLimit(t *testing.T) {
	cfg := testConfig()
	cfg.Limits.BodyBytes = 16
	var readErr error
	inner := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, readErr = io.ReadAll(r.Body)
	})
	h := NewMux(cfg, inner, openDB(t))

	tests := []struct {
		name     string
		body     string
		chunked  bool
		wantCode int
		wantErr  bool
	}{
		{name: "small", body: `{"query":"{a}"}`, wantCode: 200},
		{name: "declared too large", body: strings.Repeat("x", 17), wantCode: 413},
		{name: "streamed too large", body: strings.Repeat("x", 100), chunked: true, wantCode: 413},
		{name: "streamed within the limit", body: `{"a":1}`, chunked: true, wantCode: 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			readErr = nil
			var body io.Reader = strings.NewReader(tt.body)
			if tt.chunked {
				body = io.MultiReader(body) // hides the length
			}
			r := httptest.NewRequest("POST", "/graphql", body)
			if tt.chunked {
				r.ContentLength = -1
			}
			w := serve(h, r)
			if w.Code != tt.wantCode {
				t.Errorf("status = %d, want %d", w.Code, tt.wantCode)
			}
			if (readErr != nil) != tt.wantErr {
				t.Errorf("read error = %v, want error %v", readErr, tt.wantErr)
			}
			if tt.wantCode == 413 && !strings.Contains(w.Body.String(), `"BAD_REQUEST"`) {
				t.Errorf("413 body %q carries no BAD_REQUEST code", w.Body.String())
			}
		})
	}
}

func TestProbesLogAtDebug(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, nil)) // Info and up
	h := observe.Logging(log, NewMux(testConfig(), graphqlStub, openDB(t)))
	serve(h, httptest.NewRequest("GET", "/healthz", nil))
	if buf.Len() != 0 {
		t.Errorf("successful probe logged at Info: %q", buf.String())
	}
}
