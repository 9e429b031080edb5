package observe

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestAnnotate(t *testing.T) {
	tests := []struct {
		name      string
		handler   func(w http.ResponseWriter, r *http.Request) bool // returns Annotate's result
		wantOK    bool
		wantLevel string
		wantAttrs map[string]any
	}{
		{
			name: "attrs join the request line",
			handler: func(w http.ResponseWriter, r *http.Request) bool {
				return Annotate(r.Context(), slog.LevelInfo, slog.String("operation", "Upcoming"), slog.String("outcome", "ok"))
			},
			wantOK: true, wantLevel: "INFO",
			wantAttrs: map[string]any{"operation": "Upcoming", "outcome": "ok"},
		},
		{
			name: "level is raised, never lowered",
			handler: func(w http.ResponseWriter, r *http.Request) bool {
				ok := Annotate(r.Context(), slog.LevelError, slog.String("outcome", "error"))
				return Annotate(r.Context(), slog.LevelDebug) && ok
			},
			wantOK: true, wantLevel: "ERROR",
			wantAttrs: map[string]any{"outcome": "error", "status": float64(200)},
		},
		{
			name: "after a hijack there is no line to join",
			handler: func(w http.ResponseWriter, r *http.Request) bool {
				c, _, err := http.NewResponseController(w).Hijack()
				if err != nil {
					t.Errorf("hijack: %v", err)
					return true
				}
				defer c.Close()
				return Annotate(r.Context(), slog.LevelInfo, slog.String("operation", "ws"))
			},
			wantOK: false, wantLevel: "INFO",
			wantAttrs: map[string]any{"status": float64(101)},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			log := slog.New(slog.NewJSONHandler(&buf, nil))
			var ok bool
			done := make(chan struct{})
			logged := Logging(log, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				ok = tt.handler(w, r)
			}))
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				defer close(done)
				logged.ServeHTTP(w, r)
			}))
			defer srv.Close()
			resp, err := http.Get(srv.URL + "/graphql")
			if err == nil {
				resp.Body.Close()
			}
			<-done // the handler ran and its line is written
			if ok != tt.wantOK {
				t.Errorf("Annotate = %v, want %v", ok, tt.wantOK)
			}
			lines := logLines(t, buf.Bytes())
			if len(lines) != 1 {
				t.Fatalf("got %d log lines, want 1: %s", len(lines), buf.String())
			}
			l := lines[0]
			if l["level"] != tt.wantLevel {
				t.Errorf("level = %v, want %s", l["level"], tt.wantLevel)
			}
			for k, v := range tt.wantAttrs {
				if l[k] != v {
					t.Errorf("%s = %v, want %v", k, l[k], v)
				}
			}
			if !tt.wantOK && l["operation"] != nil {
				t.Errorf("refused attrs reached the line: %v", l)
			}
		})
	}

	if Annotate(context.Background(), slog.LevelInfo, slog.String("x", "y")) {
		t.Error("Annotate outside Logging = true")
	}
}

func TestWithRequestID(t *testing.T) {
	withID := context.WithValue(context.Background(), requestIDKey{}, "rid-1")
	tests := []struct {
		name   string
		ctx    context.Context
		attrs  []any
		logger func(*slog.Logger) *slog.Logger
		want   any // request_id in the line; nil for none
		count  int // times "request_id" appears in the line
	}{
		{name: "added from the context", ctx: withID, want: "rid-1", count: 1},
		{name: "not doubled", ctx: withID, attrs: []any{"request_id", "rid-1"}, want: "rid-1", count: 1},
		{name: "none outside a request", ctx: context.Background(), want: nil, count: 0},
		{
			name: "through With", ctx: withID, want: "rid-1", count: 1,
			logger: func(l *slog.Logger) *slog.Logger { return l.With("component", "x") },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			log := slog.New(WithRequestID(slog.NewJSONHandler(&buf, nil)))
			if tt.logger != nil {
				log = tt.logger(log)
			}
			log.InfoContext(tt.ctx, "hello", tt.attrs...)
			if n := strings.Count(buf.String(), `"request_id"`); n != tt.count {
				t.Errorf("request_id appears %d times: %s", n, buf.String())
			}
			if got := logLines(t, buf.Bytes())[0]["request_id"]; got != tt.want {
				t.Errorf("request_id = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestLogging(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	var ctxID string
	inner := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctxID = RequestID(r.Context())
		w.WriteHeader(http.StatusTeapot)
	})
	h := Logging(log, inner)

	tests := []struct {
		name   string
		sent   string
		wantID func(string) bool
	}{
		{name: "caller id kept", sent: "abc-123", wantID: func(id string) bool { return id == "abc-123" }},
		{name: "id generated", sent: "", wantID: func(id string) bool { return len(id) == 24 }},
		{name: "unsafe id replaced", sent: "a b\x01", wantID: func(id string) bool { return len(id) == 24 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			buf.Reset()
			r := httptest.NewRequest("GET", "/graphql?q=1", nil)
			if tt.sent != "" {
				r.Header.Set("X-Request-Id", tt.sent)
			}
			w := serve(h, r)
			id := w.Header().Get("X-Request-Id")
			if !tt.wantID(id) || id != ctxID {
				t.Errorf("response id %q, context id %q", id, ctxID)
			}
			var entry map[string]any
			if err := json.Unmarshal(buf.Bytes(), &entry); err != nil {
				t.Fatalf("log %q: %v", buf.String(), err)
			}
			want := map[string]any{"method": "GET", "path": "/graphql", "status": float64(418), "request_id": id, "level": "INFO"}
			for k, v := range want {
				if entry[k] != v {
					t.Errorf("log %s = %v, want %v", k, entry[k], v)
				}
			}
			if _, ok := entry["duration"]; !ok {
				t.Errorf("log lacks duration: %v", entry)
			}
		})
	}
}

func TestLoggingPanic(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, nil))
	h := Logging(log, http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") }))
	w := serve(h, httptest.NewRequest("GET", "/", nil))
	if w.Code != 500 {
		t.Errorf("status = %d, want 500", w.Code)
	}
	if !strings.Contains(buf.String(), "boom") || !strings.Contains(buf.String(), "status=500") {
		t.Errorf("log = %q", buf.String())
	}
}

// logLines decodes the JSON lines of a slog.JSONHandler.
func logLines(t *testing.T, b []byte) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, l := range bytes.Split(bytes.TrimSpace(b), []byte("\n")) {
		if len(l) == 0 {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal(l, &m); err != nil {
			t.Fatalf("log line %q: %v", l, err)
		}
		out = append(out, m)
	}
	return out
}

func serve(h http.Handler, r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}
