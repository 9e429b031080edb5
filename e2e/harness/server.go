// Package harness runs the real seatgraph binary for whole-process tests
// and for the load bench: it builds the server once, starts it on a free
// loopback port, waits until /readyz answers, captures what it writes and
// stops it (SIGTERM), kills it (SIGKILL) or starts it again on the same
// database. It also has the small GraphQL-over-HTTP client they share.
//
// It is a plain package rather than test code so that cmd/bench, which is
// not a test, starts the server the same way the tests do.
package harness

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"
)

// StopGrace is how long Stop waits after SIGTERM before it kills. It is
// longer than the server's default -shutdown-grace so that a clean
// shutdown is never cut short by the harness.
const StopGrace = 20 * time.Second

var build struct {
	once sync.Once
	bin  string
	err  error
}

// Build compiles the server once per process and returns the binary's path;
// later calls return the same result. It builds by module path from the
// module's root, so it works from any directory inside the module and says
// so plainly outside one. ctx bounds only the first call's build.
func Build(ctx context.Context) (string, error) {
	build.once.Do(func() { build.bin, build.err = buildServer(ctx) })
	return build.bin, build.err
}

// RemoveBinary deletes what Build made. Test binaries call it from
// TestMain; the bench before it exits.
func RemoveBinary() {
	if build.bin != "" {
		_ = os.RemoveAll(filepath.Dir(build.bin))
	}
}

func buildServer(ctx context.Context) (string, error) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrNoGoTool, err)
	}
	out, err := exec.CommandContext(ctx, goTool, "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	mod := strings.TrimSpace(string(out))
	if mod == "" || mod == os.DevNull {
		return "", errors.New("run inside the seatgraph module (the server is built from its source)")
	}
	dir, err := os.MkdirTemp("", "seatgraph-bin-")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "seatgraph")
	cmd := exec.CommandContext(ctx, goTool, "build", "-o", bin, "seatgraph")
	cmd.Dir = filepath.Dir(mod)
	if out, err := cmd.CombinedOutput(); err != nil {
		_ = os.RemoveAll(dir)
		return "", fmt.Errorf("building the server: %w\n%s", err, out)
	}
	return bin, nil
}

// ErrNoGoTool is Build's error when there is no go command to build with;
// tests skip on it.
var ErrNoGoTool = errors.New("no go tool on PATH to build the server")

// Options say how to start the server.
type Options struct {
	// Name names the process in errors ("server A"); default "the server".
	Name string
	// DB is the -db flag; empty leaves the database to the environment.
	DB string
	// Args are further flags, such as -demo or -shutdown-grace=2s.
	Args []string
	// Dir is the process's working directory; default the caller's.
	Dir string
	// Env is added to the environment, as KEY=value.
	Env []string
	// InheritEnv passes the caller's SEATGRAPH_* and DATABASE_URL
	// variables on. Tests leave it off so that the developer's settings
	// cannot change what they check; the bench sets it so that the server
	// it measures is configured like one the user would run.
	InheritEnv bool
	// Metrics serves /metrics on a free port of its own (MetricsURL);
	// without it the server runs with -metrics-addr= (none).
	Metrics bool
	// Output receives stdout and stderr instead of the in-memory Log.
	// The bench writes to a file because a load run logs far more lines
	// than are worth keeping in memory.
	Output io.Writer
	// ReadyTimeout bounds the wait for /readyz; default 60s.
	ReadyTimeout time.Duration
}

// Server is one running server process.
type Server struct {
	URL        string // http://127.0.0.1:port
	MetricsURL string // http://127.0.0.1:port of /metrics, "" without Options.Metrics
	Log        *Log   // stdout and stderr; empty when Options.Output is set

	opts    Options
	cmd     *exec.Cmd
	done    chan struct{} // closed when the process is gone
	waitErr error         // cmd.Wait's result, once done is closed
}

// Start builds the server if need be, starts it as opts say and returns
// once it answers /readyz. When ctx ends first, or the process exits, or
// it is not ready in time, the process is stopped and Start fails.
func Start(ctx context.Context, opts Options) (*Server, error) {
	bin, err := Build(ctx)
	if err != nil {
		return nil, err
	}
	s, err := launch(bin, opts)
	if err != nil {
		return nil, err
	}
	if err := s.waitReady(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// Restart starts a new process with the options of s (the same database),
// on a new port. s is expected to be stopped or killed already.
func (s *Server) Restart(ctx context.Context) (*Server, error) {
	return Start(ctx, s.opts)
}

// launch starts the process without waiting for it to be ready.
func launch(bin string, opts Options) (*Server, error) {
	if opts.Name == "" {
		opts.Name = "the server"
	}
	addr, err := FreeAddr()
	if err != nil {
		return nil, err
	}
	s := &Server{URL: "http://" + addr, Log: &Log{}, opts: opts, done: make(chan struct{})}
	args := []string{"-addr", addr, "-metrics-addr="}
	if opts.Metrics {
		maddr, err := FreeAddr()
		if err != nil {
			return nil, err
		}
		args[len(args)-1] = "-metrics-addr=" + maddr
		s.MetricsURL = "http://" + maddr
	}
	if opts.DB != "" {
		args = append(args, "-db", opts.DB)
	}
	s.cmd = exec.Command(bin, append(args, opts.Args...)...)
	s.cmd.Env = environ(opts)
	s.cmd.Dir = opts.Dir
	var out io.Writer = s.Log
	if opts.Output != nil {
		out = opts.Output
	}
	s.cmd.Stdout, s.cmd.Stderr = out, out
	if err := s.cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %w", opts.Name, err)
	}
	go func() {
		s.waitErr = s.cmd.Wait()
		close(s.done)
	}()
	return s, nil
}

// environ is the process's environment: the caller's, without the
// server's own variables unless opts.InheritEnv, plus opts.Env.
func environ(opts Options) []string {
	var env []string
	for _, kv := range os.Environ() {
		own := strings.HasPrefix(kv, "SEATGRAPH_") || strings.HasPrefix(kv, "DATABASE_URL=")
		if opts.InheritEnv || !own {
			env = append(env, kv)
		}
	}
	return append(env, opts.Env...)
}

// waitReady polls /readyz until it answers 200.
func (s *Server) waitReady(ctx context.Context) error {
	timeout := s.opts.ReadyTimeout
	if timeout == 0 {
		timeout = 60 * time.Second
	}
	deadline := time.Now().Add(timeout)
	client := &http.Client{Timeout: 5 * time.Second}
	for {
		select {
		case <-s.done:
			return fmt.Errorf("%s exited before it was ready (%v)%s", s.opts.Name, s.waitErr, s.logTail())
		case <-ctx.Done():
			s.Stop()
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		if resp, err := client.Get(s.URL + "/readyz"); err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		if time.Now().After(deadline) {
			s.Stop()
			return fmt.Errorf("%s was not ready within %gs%s", s.opts.Name, timeout.Seconds(), s.logTail())
		}
	}
}

// logTail is the end of the in-memory log for an error message, "" when the
// output goes elsewhere (whose owner reports it).
func (s *Server) logTail() string {
	if s.opts.Output != nil {
		return ""
	}
	return "; its output:\n" + s.Log.Tail(8000)
}

// Name is the name the options gave the process.
func (s *Server) Name() string { return s.opts.Name }

// Pid is the process id.
func (s *Server) Pid() int { return s.cmd.Process.Pid }

// Done is closed when the process has exited.
func (s *Server) Done() <-chan struct{} { return s.done }

// Signal sends sig to the process.
func (s *Server) Signal(sig os.Signal) error { return s.cmd.Process.Signal(sig) }

// Stop ends the process as an orchestrator does: SIGTERM, then SIGKILL when
// it is still running after StopGrace. It returns how the process exited
// (nil for exit code 0) and may be called again.
func (s *Server) Stop() error {
	select {
	case <-s.done:
		return s.waitErr
	default:
	}
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(StopGrace):
		_ = s.cmd.Process.Kill()
		<-s.done
	}
	return s.waitErr
}

// Kill sends SIGKILL (kill -9) and waits until the process is gone.
func (s *Server) Kill() {
	select {
	case <-s.done:
		return
	default:
	}
	_ = s.cmd.Process.Kill()
	<-s.done
}

// ExitCode is the process's exit code, -1 while it runs or when a signal
// ended it.
func (s *Server) ExitCode() int {
	select {
	case <-s.done:
		return s.cmd.ProcessState.ExitCode()
	default:
		return -1
	}
}

// FreeAddr returns a loopback address with a port free at the time of the
// call.
func FreeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}
