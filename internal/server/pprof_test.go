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

// TestServePprof: the -pprof listener answers /debug/pprof/ (the index and
// a profile) until its context ends, and an address in use is an error at
// start.
func TestServePprof(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	log := slog.New(slog.DiscardHandler)
	if err := ServePprof(ctx, addr, log); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{
		"/debug/pprof/":                  "goroutine",
		"/debug/pprof/goroutine?debug=1": "goroutine profile:",
		"/debug/pprof/cmdline":           "",
	} {
		resp, err := http.Get("http://" + addr + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(body), want) {
			t.Errorf("GET %s: %d %.200q, want 200 with %q", path, resp.StatusCode, body, want)
		}
	}
	if err := ServePprof(ctx, addr, log); err == nil || !strings.Contains(err.Error(), "-pprof") {
		t.Errorf("a second listener on the same address: %v, want an error naming -pprof", err)
	}
	cancel()
	deadline := time.Now().Add(5 * time.Second)
	for {
		if _, err := http.Get("http://" + addr + "/debug/pprof/"); err != nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the pprof listener still serves after its context ended")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestPprofNeverOnPublicPort: net/http/pprof registers itself on
// http.DefaultServeMux when imported; the public mux is not that one, in
// development (GraphiQL at /) and in production alike.
func TestPprofNeverOnPublicPort(t *testing.T) {
	prod := testConfig()
	prod.Production = true
	db := openDB(t)
	for name, h := range map[string]http.Handler{
		"development": NewMux(testConfig(), graphqlStub, db),
		"production":  NewMux(prod, graphqlStub, db),
		"ops":         NewOpsMux(http.NotFoundHandler()),
	} {
		for _, path := range []string{"/debug/pprof/", "/debug/pprof/heap", "/debug/pprof/cmdline"} {
			w := serve(h, httptest.NewRequest("GET", path, nil))
			if w.Code != http.StatusNotFound {
				t.Errorf("%s mux, GET %s: %d %.200q, want 404", name, path, w.Code, w.Body)
			}
		}
	}
	w := serve(NewPprofMux(), httptest.NewRequest("GET", "/debug/pprof/heap?debug=1", nil))
	if w.Code != 200 || !strings.Contains(w.Body.String(), "heap profile") {
		t.Errorf("pprof mux, GET /debug/pprof/heap: %d %.200q", w.Code, w.Body)
	}
}
