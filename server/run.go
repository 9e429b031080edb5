package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
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
// SIGTERM). Then it stops accepting connections, gives in-flight requests
// cfg.ShutdownGrace to finish and returns nil; it returns an error if the
// address cannot be used, serving fails, or requests outlive the grace.
func Run(ctx context.Context, cfg Config, h http.Handler, log *slog.Logger) error {
	// Listening before serving makes a taken port an immediate error of Run
	// rather than something that surfaces after startup was logged.
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	return Serve(ctx, cfg, ln, h, log)
}

// Serve is Run on a listener the caller opened (tests use port 0). It
// closes ln.
func Serve(ctx context.Context, cfg Config, ln net.Listener, h http.Handler, log *slog.Logger) error {
	if log == nil {
		log = slog.Default()
	}
	// Request contexts derive from base, not ctx: cancelling ctx starts the
	// shutdown, and in-flight requests must keep running through it. base is
	// cancelled once Shutdown is done, which ends hijacked websocket
	// connections that Shutdown does not wait for.
	base, cancelBase := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelBase()

	srv := newServer(base, h, log)

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
		Handler:           Logging(log, h),
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
