package server

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// TestShutdownInFlight cancels the server's context (what SIGTERM does)
// while 100 requests are running: every one of them completes, new
// connections are refused at once, websocket connections are closed, and
// Serve returns within the grace period.
func TestShutdownInFlight(t *testing.T) {
	const inFlight = 100
	tests := []struct {
		name  string
		work  time.Duration // each request's duration
		grace time.Duration
		// ws: "" none; "cooperative" ends when its request context ends;
		// "stubborn" ignores it and must be closed when the grace runs out.
		ws string
		// wantWithin bounds the time from releasing the requests to Serve's
		// return.
		wantWithin time.Duration
	}{
		{name: "100 requests finish", work: 200 * time.Millisecond, grace: 5 * time.Second, wantWithin: 2 * time.Second},
		{name: "websocket closed when shutdown begins", work: 200 * time.Millisecond, grace: 5 * time.Second, ws: "cooperative", wantWithin: 2 * time.Second},
		{name: "stubborn websocket closed at the grace", work: 200 * time.Millisecond, grace: 2 * time.Second, ws: "stubborn", wantWithin: 3 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig()
			cfg.ShutdownGrace = tt.grace

			// Every request waits until the test releases it after cancelling,
			// so that all 100 are in flight during the shutdown, each with
			// tt.work to go.
			started := make(chan struct{}, inFlight)
			release := make(chan struct{})
			releaseAll := sync.OnceFunc(func() { close(release) })
			defer releaseAll() // also when the test fails early
			wsUp := make(chan struct{}, 1)
			h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/ws" {
					c, err := websocket.Accept(w, r, nil)
					if err != nil {
						return
					}
					wsUp <- struct{}{}
					if tt.ws == "cooperative" {
						<-r.Context().Done()
						_ = c.Close(websocket.StatusGoingAway, "server shutting down")
						return
					}
					// Reads until the connection is gone, whatever the context.
					for {
						if _, _, err := c.Read(context.Background()); err != nil {
							return
						}
					}
				}
				started <- struct{}{}
				<-release
				time.Sleep(tt.work) // deaf to cancellation on purpose
				_, _ = io.WriteString(w, "done")
			})

			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			addr := ln.Addr().String()
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			served := make(chan error, 1)
			go func() { served <- Serve(ctx, cfg, ln, h, slog.New(slog.DiscardHandler)) }()

			// The websocket first, so that it is open before shutdown.
			wsErr := make(chan error, 1)
			if tt.ws != "" {
				dctx, dcancel := context.WithTimeout(context.Background(), 5*time.Second)
				c, _, err := websocket.Dial(dctx, "ws://"+addr+"/ws", nil)
				dcancel()
				if err != nil {
					t.Fatalf("websocket dial: %v", err)
				}
				defer c.CloseNow()
				<-wsUp
				go func() {
					rctx, rcancel := context.WithTimeout(context.Background(), 10*time.Second)
					defer rcancel()
					_, _, err := c.Read(rctx)
					wsErr <- err
				}()
			}

			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: inFlight}, Timeout: 10 * time.Second}
			defer client.CloseIdleConnections()
			type result struct {
				status int
				body   string
				err    error
			}
			results := make(chan result, inFlight)
			var wg sync.WaitGroup
			for range inFlight {
				wg.Add(1)
				go func() {
					defer wg.Done()
					resp, err := client.Get("http://" + addr + "/slow")
					if err != nil {
						results <- result{err: err}
						return
					}
					defer resp.Body.Close()
					b, err := io.ReadAll(resp.Body)
					results <- result{resp.StatusCode, string(b), err}
				}()
			}
			for i := range inFlight {
				select {
				case <-started:
				case <-time.After(10 * time.Second):
					t.Fatalf("only %d of %d requests started", i, inFlight)
				}
			}
			cancel()
			stopAt := time.Now()

			// New connections are refused while the 100 are still running.
			for {
				c, err := net.DialTimeout("tcp", addr, 100*time.Millisecond)
				if err != nil {
					break
				}
				c.Close()
				if time.Since(stopAt) > 2*time.Second {
					t.Fatal("still accepting connections after cancel")
				}
				time.Sleep(5 * time.Millisecond)
			}
			if tt.ws == "cooperative" {
				// Closed as shutdown begins, while the 100 are still held.
				select {
				case err := <-wsErr:
					if websocket.CloseStatus(err) != websocket.StatusGoingAway {
						t.Errorf("websocket closed with %v, want a going-away close frame", err)
					}
				case <-time.After(tt.grace / 2):
					t.Fatal("websocket still open while shutting down")
				}
			}
			releaseAll()
			releasedAt := time.Now()

			select {
			case err := <-served:
				if err != nil {
					t.Errorf("Serve = %v", err)
				}
			case <-time.After(tt.grace + 5*time.Second):
				t.Fatal("Serve did not return")
			}
			if d := time.Since(releasedAt); d > tt.wantWithin || time.Since(stopAt) > tt.grace+500*time.Millisecond {
				t.Errorf("Serve returned %s after the requests were released, %s after cancel; want within %s (grace %s)",
					d, time.Since(stopAt), tt.wantWithin, tt.grace)
			}

			wg.Wait()
			close(results)
			ok := 0
			for r := range results {
				if r.err != nil || r.status != 200 || r.body != "done" {
					t.Errorf("in-flight request: status %d body %q err %v", r.status, r.body, r.err)
					continue
				}
				ok++
			}
			if ok != inFlight {
				t.Errorf("%d of %d in-flight requests completed", ok, inFlight)
			}

			if tt.ws == "stubborn" {
				select {
				case err := <-wsErr:
					if err == nil || errors.Is(err, context.DeadlineExceeded) {
						t.Errorf("websocket read: %v, want the connection closed", err)
					}
				case <-time.After(5 * time.Second):
					t.Fatal("websocket still open after shutdown")
				}
			}
		})
	}
}
