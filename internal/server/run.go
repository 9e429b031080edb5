package server

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"seatgraph/internal/config"
	"seatgraph/internal/observe"
	"sync"
	"time"
)

// Timeouts of the http.Server. They bound how long a slow or malicious
// client can hold a connection; WriteTimeout also caps the longest query.
const (
	ReadHeaderTimeout = 10 * time.Second
	ReadTimeout       = 30 * time.Second
	WriteTimeout      = 60 * time.Second
	IdleTimeout       = 120 * time.Second
)

// Run listens on cfg.Addr and serves h, with every request logged through
// Logging, until ctx is cancelled (the caller ties it to SIGINT and
// SIGTERM). Then it stops accepting connections, closes websocket
// connections, gives in-flight requests cfg.ShutdownGrace to finish and
// returns nil; it returns an error if the address cannot be used, serving
// fails, or requests outlive the grace.
func Run(ctx context.Context, cfg config.Config, h http.Handler, log *slog.Logger) error {
	// Listening before serving makes a taken port an immediate error of Run
	// rather than something that surfaces after startup was logged.
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	return Serve(ctx, cfg, ln, h, log)
}

// ServeOps listens on addr and serves h (NewOpsMux) there until ctx is
// cancelled. It returns once the listener is open, so that an address
// in use stops the start; serving goes on in the background.
func ServeOps(ctx context.Context, addr string, h http.Handler, log *slog.Logger) error {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: ReadHeaderTimeout,
		WriteTimeout:      WriteTimeout,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	return serveAside(ctx, "-metrics-addr", "metrics", addr, srv, "/metrics", log)
}

// ServePprof listens on addr (Config.PprofAddr, which Validate holds to
// loopback) and serves NewPprofMux there until ctx is cancelled, returning
// once the listener is open like ServeOps.
func ServePprof(ctx context.Context, addr string, log *slog.Logger) error {
	srv := &http.Server{
		Handler:           NewPprofMux(),
		ReadHeaderTimeout: ReadHeaderTimeout,
		// No WriteTimeout: a CPU profile or trace answers after the seconds
		// it was asked for, and pprof refuses a duration beyond the
		// server's write timeout.
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	return serveAside(ctx, "-pprof", "pprof", addr, srv, "/debug/pprof/", log)
}

// serveAside opens addr (given by flag) and serves srv on it in the
// background until ctx is cancelled; name is what the log calls it.
func serveAside(ctx context.Context, flag, name, addr string, srv *http.Server, path string, log *slog.Logger) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s (%s): %w", addr, flag, err)
	}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("serving "+name, "error", err.Error())
		}
	}()
	context.AfterFunc(ctx, func() { _ = srv.Close() })
	log.Info(name+" listening", "addr", "http://"+ln.Addr().String()+path)
	return nil
}

// Serve is Run on a listener the caller opened (tests use port 0). It
// closes ln.
func Serve(ctx context.Context, cfg config.Config, ln net.Listener, h http.Handler, log *slog.Logger) error {
	if log == nil {
		log = slog.Default()
	}
	// Request contexts derive from base, not ctx: cancelling ctx starts the
	// shutdown, and in-flight requests must keep running through it.
	// Websocket connections are hijacked, which Shutdown neither waits for
	// nor closes: ups ends them as soon as shutdown begins.
	base, cancelBase := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelBase()

	ups := newUpgrades()
	srv := newServer(base, ups.wrap(h), log)
	srv.RegisterOnShutdown(ups.shutdown)

	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	log.Info("listening", "addr", ln.Addr().String())

	select {
	case err := <-served:
		// Serve only returns on its own when the listener fails.
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}

	log.Info("shutting down", "grace", cfg.ShutdownGrace)
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cfg.ShutdownGrace)
	defer cancel()
	err := srv.Shutdown(sctx)
	if err != nil {
		// Grace is over: cut the remaining connections rather than let a
		// stuck request keep the process alive.
		_ = srv.Close()
		err = fmt.Errorf("shutdown: requests still running after %s: %w", cfg.ShutdownGrace, err)
	}
	if n := ups.drain(sctx); n > 0 {
		log.Warn("closed websocket connections that did not end within the grace", "connections", n)
	}
	if serr := <-served; serr != nil && !errors.Is(serr, http.ErrServerClosed) {
		err = errors.Join(err, fmt.Errorf("serve: %w", serr))
	}
	if err == nil {
		log.Info("stopped")
	}
	return err
}

func newServer(base context.Context, h http.Handler, log *slog.Logger) *http.Server {
	return &http.Server{
		Handler:           observe.Logging(log, h),
		ReadHeaderTimeout: ReadHeaderTimeout,
		ReadTimeout:       ReadTimeout,
		WriteTimeout:      WriteTimeout,
		IdleTimeout:       IdleTimeout,
		// Connection-level errors (TLS handshakes, bad requests) belong in
		// the same structured log as everything else.
		ErrorLog:    slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		BaseContext: func(net.Listener) context.Context { return base },
	}
}

// upgrades tracks the requests that take over their connection (websockets,
// which gqlgen's transport accepts on /graphql). When shutdown begins their
// contexts are cancelled, on which gqlgen sends a close frame and ends the
// handler; connections still open when the grace runs out (one that never
// sent connection_init, say) are closed hard.
type upgrades struct {
	closing context.Context
	stop    context.CancelFunc

	mu     sync.Mutex
	active int
	conns  map[net.Conn]struct{}
}

func newUpgrades() *upgrades {
	ctx, stop := context.WithCancel(context.Background())
	return &upgrades{closing: ctx, stop: stop, conns: map[net.Conn]struct{}{}}
}

// shutdown ends every upgraded request, now and from now on.
func (u *upgrades) shutdown() { u.stop() }

func (u *upgrades) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !isUpgrade(r) {
			next.ServeHTTP(w, r)
			return
		}
		u.mu.Lock()
		u.active++
		u.mu.Unlock()
		hw := &hijackTracker{ResponseWriter: w, u: u}
		defer func() {
			u.mu.Lock()
			u.active--
			if hw.conn != nil {
				delete(u.conns, hw.conn)
			}
			u.mu.Unlock()
		}()
		ctx, cancel := context.WithCancel(r.Context())
		defer cancel()
		defer context.AfterFunc(u.closing, cancel)()
		next.ServeHTTP(hw, r.WithContext(ctx))
	})
}

// drain waits until every upgraded request has ended or ctx is done; then it
// closes the connections still open and returns how many there were.
func (u *upgrades) drain(ctx context.Context) int {
	u.stop()
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for {
		u.mu.Lock()
		active := u.active
		u.mu.Unlock()
		if active == 0 {
			return 0
		}
		select {
		case <-tick.C:
		case <-ctx.Done():
			u.mu.Lock()
			defer u.mu.Unlock()
			for c := range u.conns {
				_ = c.Close()
			}
			return len(u.conns)
		}
	}
}

// hijackTracker notes the connection an upgrade takes over.
type hijackTracker struct {
	http.ResponseWriter
	u    *upgrades
	conn net.Conn
}

func (h *hijackTracker) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	conn, rw, err := http.NewResponseController(h.ResponseWriter).Hijack()
	if err != nil {
		return conn, rw, err
	}
	h.u.mu.Lock()
	h.conn = conn
	h.u.conns[conn] = struct{}{}
	h.u.mu.Unlock()
	return conn, rw, nil
}

func (h *hijackTracker) Flush() { _ = http.NewResponseController(h.ResponseWriter).Flush() }

// Unwrap lets http.ResponseController reach the writer's other capabilities.
func (h *hijackTracker) Unwrap() http.ResponseWriter { return h.ResponseWriter }
