package server

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"testing"
	"time"
)

// addrHandler is a slog.Handler that reports the address Run logs when it
// starts listening, so tests can use port 0.
type addrHandler struct{ addr chan string }

func (h addrHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h addrHandler) WithAttrs([]slog.Attr) slog.Handler       { return h }
func (h addrHandler) WithGroup(string) slog.Handler            { return h }
func (h addrHandler) Handle(_ context.Context, r slog.Record) error {
	if r.Message == "listening" {
		r.Attrs(func(a slog.Attr) bool {
			if a.Key == "addr" {
				h.addr <- a.Value.String()
			}
			return true
		})
	}
	return nil
}

func TestRunShutdown(t *testing.T) {
	tests := []struct {
		name     string
		work     time.Duration // how long the in-flight request takes
		grace    time.Duration
		wantErr  bool
		wantBody string // "" when the request must be cut off
	}{
		{name: "in-flight request completes", work: 300 * time.Millisecond, grace: 5 * time.Second, wantBody: "done"},
		{name: "grace exceeded", work: 5 * time.Second, grace: 100 * time.Millisecond, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig()
			cfg.ShutdownGrace = tt.grace

			started := make(chan struct{})
			slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				close(started)
				select {
				case <-time.After(tt.work):
				case <-r.Context().Done():
					return
				}
				_, _ = io.WriteString(w, "done")
			})

			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			logs := addrHandler{addr: make(chan string, 1)}
			ran := make(chan error, 1)
			go func() { ran <- Run(ctx, cfg, slow, slog.New(logs)) }()

			var addr string
			select {
			case addr = <-logs.addr:
			case err := <-ran:
				t.Fatalf("Run returned early: %v", err)
			case <-time.After(5 * time.Second):
				t.Fatal("Run did not start listening")
			}

			type result struct {
				body string
				err  error
			}
			got := make(chan result, 1)
			go func() {
				resp, err := http.Get("http://" + addr + "/slow")
				if err != nil {
					got <- result{err: err}
					return
				}
				defer resp.Body.Close()
				b, err := io.ReadAll(resp.Body)
				got <- result{string(b), err}
			}()

			<-started
			cancel()

			// Once shutdown has begun, new connections are refused while the
			// slow request is still running.
			deadline := time.Now().Add(2 * time.Second)
			for {
				c, err := net.DialTimeout("tcp", addr, 100*time.Millisecond)
				if err != nil {
					break
				}
				c.Close()
				if time.Now().After(deadline) {
					t.Fatal("still accepting connections after cancel")
				}
				time.Sleep(10 * time.Millisecond)
			}

			select {
			case err := <-ran:
				if (err != nil) != tt.wantErr {
					t.Errorf("Run = %v, want error %v", err, tt.wantErr)
				}
			case <-time.After(tt.grace + 5*time.Second):
				t.Fatal("Run did not return after cancel")
			}

			r := <-got
			if tt.wantBody != "" {
				if r.err != nil || r.body != tt.wantBody {
					t.Errorf("in-flight request: body %q, err %v; want %q", r.body, r.err, tt.wantBody)
				}
			} else if r.err == nil && r.body != "" {
				t.Errorf("request past the grace period still answered %q", r.body)
			}
		})
	}
}

func TestRunListenError(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	cfg := testConfig()
	cfg.Addr = ln.Addr().String() // taken

	done := make(chan error, 1)
	go func() { done <- Run(context.Background(), cfg, http.NotFoundHandler(), slog.New(slog.DiscardHandler)) }()
	select {
	case err := <-done:
		if err == nil {
			t.Error("Run on a taken port returned nil")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run on a taken port did not return")
	}
}

func TestServerTimeouts(t *testing.T) {
	srv := newServer(context.Background(), http.NotFoundHandler(), slog.New(slog.DiscardHandler))
	got := []time.Duration{srv.ReadHeaderTimeout, srv.ReadTimeout, srv.WriteTimeout, srv.IdleTimeout}
	want := []time.Duration{10 * time.Second, 30 * time.Second, 60 * time.Second, 120 * time.Second}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("timeouts (read header, read, write, idle) = %v, want %v", got, want)
			break
		}
	}
}
