package server

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

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
