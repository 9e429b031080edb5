package observe

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"sync"
	"time"
)

type requestIDKey struct{}

type lineKey struct{}

// line is what handlers add to the one log line of their request.
type line struct {
	mu     sync.Mutex
	attrs  []slog.Attr
	level  slog.Level
	closed bool // written, or the connection was upgraded
}

// Annotate adds attrs to the one line Logging writes for the request of ctx
// and makes that line at least level (so that an internal error inside a
// 200 answer still logs as an error). It reports false when no line is to
// come for them: outside Logging, once the line is written, and on a
// connection upgraded to a websocket, whose line is written only when it
// closes. The caller then logs a line of its own.
func Annotate(ctx context.Context, level slog.Level, attrs ...slog.Attr) bool {
	l, _ := ctx.Value(lineKey{}).(*line)
	if l == nil {
		return false
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return false
	}
	l.attrs = append(l.attrs, attrs...)
	l.level = max(l.level, level)
	return true
}

// finish closes the line and returns what was added to it.
func (l *line) finish() ([]slog.Attr, slog.Level) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.closed = true
	return l.attrs, l.level
}

func (l *line) close() {
	l.mu.Lock()
	l.closed = true
	l.mu.Unlock()
}

// WithRequestID wraps a slog handler so that every record logged with the
// context of a request (logger.InfoContext(ctx, ...)) carries the request's
// request_id, as the request line does: an error logged deep inside a
// resolver can be matched to its request and to the client's X-Request-Id.
func WithRequestID(h slog.Handler) slog.Handler { return requestIDHandler{h} }

type requestIDHandler struct{ slog.Handler }

func (h requestIDHandler) Handle(ctx context.Context, r slog.Record) error {
	if id := RequestID(ctx); id != "" {
		has := false
		r.Attrs(func(a slog.Attr) bool {
			has = a.Key == "request_id"
			return !has
		})
		if !has {
			r.AddAttrs(slog.String("request_id", id))
		}
	}
	return h.Handler.Handle(ctx, r)
}

func (h requestIDHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return requestIDHandler{h.Handler.WithAttrs(attrs)}
}

func (h requestIDHandler) WithGroup(name string) slog.Handler {
	return requestIDHandler{h.Handler.WithGroup(name)}
}

// RequestID returns the id Logging gave the request of ctx, "" outside one.
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// Logging logs one line per request (method, path, status, duration, size)
// and tags it with a request id: the caller's X-Request-Id when it sent a
// sane one, else a fresh one. The id is echoed in the response so that a
// client's bug report can be matched to the log. Handlers add to the line
// with Annotate (the GraphQL layer adds operation and outcome). A panicking
// handler is logged with its stack and answered with 500 instead of a
// dropped connection.
func Logging(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := r.Header.Get("X-Request-Id")
		if !validRequestID(id) {
			id = newRequestID()
		}
		w.Header().Set("X-Request-Id", id)
		ln := &line{level: slog.LevelDebug}
		rec := &recorder{ResponseWriter: w, line: ln}
		ctx := context.WithValue(r.Context(), requestIDKey{}, id)
		r = r.WithContext(context.WithValue(ctx, lineKey{}, ln))

		defer func() {
			p := recover()
			if p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				log.ErrorContext(r.Context(), "panic serving request",
					"request_id", id, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
				if !rec.wroteHeader {
					http.Error(rec, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
				} else {
					// Half a response went out; only a broken connection
					// tells the client it is incomplete.
					defer panic(http.ErrAbortHandler)
				}
			}
			status := rec.status
			if status == 0 {
				status = http.StatusOK
			}
			level := slog.LevelInfo
			switch {
			case status >= 500 || p != nil:
				level = slog.LevelError
			case isProbe(r) && status < 400:
				// Orchestrators probe and Prometheus scrapes every few
				// seconds; successful ones would drown the log.
				level = slog.LevelDebug
			}
			extra, floor := ln.finish()
			level = max(level, floor)
			attrs := append([]slog.Attr{
				slog.String("method", r.Method),
				slog.String("path", r.URL.Path),
				slog.Int("status", status),
				slog.Duration("duration", time.Since(start)),
				slog.Int64("bytes", rec.bytes),
				slog.String("remote", r.RemoteAddr),
				slog.String("request_id", id),
			}, extra...)
			log.LogAttrs(r.Context(), level, "request", attrs...)
		}()
		next.ServeHTTP(rec, r)
	})
}

func isProbe(r *http.Request) bool {
	return r.URL.Path == "/healthz" || r.URL.Path == "/readyz" || r.URL.Path == "/metrics"
}

// validRequestID keeps log lines intact: a caller's id is taken only when it
// is short and free of control characters and spaces.
func validRequestID(id string) bool {
	if id == "" || len(id) > 128 {
		return false
	}
	for _, c := range []byte(id) {
		if c <= ' ' || c >= 0x7f {
			return false
		}
	}
	return true
}

func newRequestID() string {
	var b [12]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails since Go 1.24
	return hex.EncodeToString(b[:])
}

// recorder notes status and size for the log. It passes Flush and Hijack
// through because gqlgen's SSE transport flushes and its websocket
// transport hijacks, and both check for the interfaces on the writer they
// are given.
type recorder struct {
	http.ResponseWriter
	line        *line
	status      int
	bytes       int64
	wroteHeader bool
}

func (r *recorder) WriteHeader(code int) {
	if !r.wroteHeader {
		r.status = code
		// 1xx responses are interim; the final status is still to come.
		r.wroteHeader = code >= 200
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if !r.wroteHeader {
		r.WriteHeader(http.StatusOK)
	}
	n, err := r.ResponseWriter.Write(b)
	r.bytes += int64(n)
	return n, err
}

func (r *recorder) Flush() {
	if !r.wroteHeader {
		r.WriteHeader(http.StatusOK)
	}
	_ = http.NewResponseController(r.ResponseWriter).Flush()
}

func (r *recorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	conn, rw, err := http.NewResponseController(r.ResponseWriter).Hijack()
	if err == nil && !r.wroteHeader {
		// The upgraded connection answers 101 itself, past this writer.
		r.status, r.wroteHeader = http.StatusSwitchingProtocols, true
	}
	if err == nil && r.line != nil {
		// Operations on the websocket log lines of their own.
		r.line.close()
	}
	return conn, rw, err
}

// Unwrap lets http.ResponseController reach the underlying writer's other
// capabilities (deadlines, full duplex).
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

var _ interface {
	http.Flusher
	http.Hijacker
} = (*recorder)(nil)
