package server

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

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

func TestRequestTimeout(t *testing.T) {
	tests := []struct {
		name         string
		timeout      time.Duration
		path         string
		upgrade      bool
		wantDeadline bool
	}{
		{name: "graphql request gets a deadline", timeout: 2 * time.Second, path: "/graphql", wantDeadline: true},
		{name: "websocket upgrade gets none", timeout: 2 * time.Second, path: "/graphql", upgrade: true},
		{name: "zero means none", timeout: 0, path: "/graphql"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig()
			cfg.RequestTimeout = tt.timeout
			var deadline time.Time
			var has bool
			inner := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				deadline, has = r.Context().Deadline()
			})
			r := httptest.NewRequest("GET", tt.path, nil)
			if tt.upgrade {
				r.Header.Set("Connection", "Upgrade")
				r.Header.Set("Upgrade", "websocket")
			}
			start := time.Now()
			serve(NewMux(cfg, inner, openDB(t)), r)
			if has != tt.wantDeadline {
				t.Fatalf("deadline set = %v, want %v", has, tt.wantDeadline)
			}
			if has {
				if d := deadline.Sub(start); d < tt.timeout || d > tt.timeout+time.Since(start) {
					t.Errorf("deadline %s after the request, want %s", d, tt.timeout)
				}
			}
		})
	}
}

func TestRequestTimeoutCutsOff(t *testing.T) {
	cfg := testConfig()
	cfg.RequestTimeout = 100 * time.Millisecond
	slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
			http.Error(w, r.Context().Err().Error(), http.StatusGatewayTimeout)
		case <-time.After(5 * time.Second):
			_, _ = io.WriteString(w, "done")
		}
	})
	h := NewMux(cfg, slow, openDB(t))
	start := time.Now()
	w := serve(h, httptest.NewRequest("POST", "/graphql", strings.NewReader("{}")))
	if w.Code != http.StatusGatewayTimeout || !strings.Contains(w.Body.String(), "deadline exceeded") {
		t.Errorf("status %d body %q, want the context's deadline", w.Code, w.Body)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("took %s", d)
	}
}

func TestMetricsRoute(t *testing.T) {
	scrape := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "seatgraph_up 1\n")
	})
	tests := []struct {
		name     string
		h        http.Handler
		method   string
		wantCode int
		wantBody string
	}{
		{name: "served on the ops address", h: NewOpsMux(scrape), method: "GET", wantCode: 200, wantBody: "seatgraph_up 1"},
		{name: "GET only", h: NewOpsMux(scrape), method: "POST", wantCode: 405},
		{name: "never on the public port", h: NewMux(testConfig(), graphqlStub, openDB(t)), method: "GET", wantCode: 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := serve(tt.h, httptest.NewRequest(tt.method, "/metrics", nil))
			if w.Code != tt.wantCode || !strings.Contains(w.Body.String(), tt.wantBody) {
				t.Errorf("status %d body %q, want %d with %q", w.Code, w.Body, tt.wantCode, tt.wantBody)
			}
		})
	}
}

// TestServeOps: the ops listener serves /metrics until its context ends,
// and an address in use is an error at start.
func TestServeOps(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	scrape := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, "up 1\n") })
	if err := ServeOps(ctx, addr, NewOpsMux(scrape), log); err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(body) != "up 1\n" {
		t.Errorf("GET /metrics: %d %q", resp.StatusCode, body)
	}
	if err := ServeOps(ctx, addr, NewOpsMux(scrape), log); err == nil {
		t.Error("a second listener on the same address started")
	}
	cancel()
	deadline := time.Now().Add(5 * time.Second)
	for {
		if _, err := http.Get("http://" + addr + "/metrics"); err != nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the ops listener still serves after its context ended")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestWebsocketOutlivesServerTimeouts: ReadTimeout and WriteTimeout count
// from the upgrade request; a websocket must outlive them. (http.Server
// clears a hijacked connection's deadlines; this guards the upgrade tracker
// and the recorder, which hijack on the websocket's behalf.)
func TestWebsocketOutlivesServerTimeouts(t *testing.T) {
	echo := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, rw, err := http.NewResponseController(w).Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		defer c.Close()
		_, _ = rw.WriteString("HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n")
		_ = rw.Flush()
		buf := make([]byte, 5)
		if _, err := io.ReadFull(rw, buf); err != nil {
			return
		}
		_, _ = c.Write(buf)
	})
	ups := newUpgrades()
	srv := newServer(context.Background(), ups.wrap(echo), slog.New(slog.DiscardHandler))
	srv.ReadTimeout, srv.WriteTimeout = 100*time.Millisecond, 100*time.Millisecond
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()

	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_, _ = io.WriteString(c, "GET /graphql HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n")
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	head := make([]byte, len("HTTP/1.1 101"))
	if _, err := io.ReadFull(c, head); err != nil || string(head) != "HTTP/1.1 101" {
		t.Fatalf("upgrade: %q %v", head, err)
	}
	_, _ = io.ReadAll(io.LimitReader(c, int64(len(" Switching Protocols\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n"))))

	time.Sleep(300 * time.Millisecond) // past both server timeouts
	if _, err := io.WriteString(c, "hello"); err != nil {
		t.Fatal(err)
	}
	got := make([]byte, 5)
	if _, err := io.ReadFull(c, got); err != nil || string(got) != "hello" {
		t.Errorf("echo after the server timeouts: %q, %v", got, err)
	}
}
