package e2e

// SIGTERM through the process, as an orchestrator stops the server
// (docs/operations.md): a request under way completes, new connections are
// refused, and the process exits with code 0. graph/operability_test.go
// TestGracefulShutdownFullServer checks the same on the in-process server
// with 100 held requests and a websocket; it holds them in a handler of its
// own, which the binary has not, so it stays there. Here the request is
// held by the client instead: it sends its headers with
// "Expect: 100-continue", and the server's "100 Continue" proves the
// handler is running and reading the body, which is sent only after the
// signal.

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"seatgraph/e2e/harness"
)

func TestSIGTERMFinishesInFlightRequest(t *testing.T) {
	db := "file:" + filepath.Join(t.TempDir(), "shutdown.db")
	srv := start(t, harness.Options{DB: db, Args: []string{"-shutdown-grace=10s"}})
	addr := strings.TrimPrefix(srv.URL, "http://")

	body := `{"query":"query InFlight { events(first: 1) { totalCount } }"}`
	conn, br := holdRequest(t, addr, body)
	defer conn.Close()

	if err := srv.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	waitRefused(t, addr)
	select {
	case <-srv.Done():
		t.Fatal("the process exited with a request in flight")
	default:
	}

	// The rest of the request: it is answered in full.
	if _, err := io.WriteString(conn, body); err != nil {
		t.Fatalf("sending the body after SIGTERM: %v", err)
	}
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatalf("reading the answer: %v", err)
	}
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(got), `"totalCount":`) {
		t.Errorf("the in-flight request got HTTP %d %s", resp.StatusCode, got)
	}

	select {
	case <-srv.Done():
	case <-time.After(15 * time.Second):
		t.Fatal("the process did not exit after its last request")
	}
	if code := srv.ExitCode(); code != 0 {
		t.Errorf("exit code %d after SIGTERM, want 0", code)
	}
	shutdownCheckLog(t, srv.Log)
}

// holdRequest opens a connection and sends a POST /graphql up to its body,
// returning once the server's handler asked for the body.
func holdRequest(t *testing.T, addr, body string) (net.Conn, *bufio.Reader) {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	_ = conn.SetDeadline(time.Now().Add(30 * time.Second))
	fmt.Fprintf(conn, "POST /graphql HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\n"+
		"Content-Length: %d\r\nExpect: 100-continue\r\nX-Request-Id: e2e-in-flight\r\n\r\n", addr, len(body))
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		conn.Close()
		t.Fatalf("waiting for 100 Continue: %v", err)
	}
	if resp.StatusCode != http.StatusContinue {
		conn.Close()
		t.Fatalf("got HTTP %d before sending the body, want 100 Continue", resp.StatusCode)
	}
	return conn, br
}

// waitRefused waits until addr refuses connections: the server has stopped
// accepting, so the shutdown is under way.
func waitRefused(t *testing.T, addr string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", addr, 100*time.Millisecond)
		if err != nil {
			return
		}
		c.Close()
		if time.Now().After(deadline) {
			t.Fatal("still accepting connections 5s after SIGTERM")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// shutdownCheckLog checks that the held request was logged as answered and
// that the server says it stopped cleanly.
func shutdownCheckLog(t *testing.T, log *harness.Log) {
	t.Helper()
	var answered, stopped bool
	for _, l := range log.Lines() {
		switch {
		case l.Str("msg") == "request" && l.Str("request_id") == "e2e-in-flight":
			answered = l.Fields["status"] == float64(200)
		case l.Str("msg") == "stopped":
			stopped = true
		}
	}
	if !answered || !stopped {
		t.Errorf("log: in-flight request logged with 200: %v, \"stopped\": %v", answered, stopped)
	}
}

// TestHarnessOutputAndMetrics starts the server as the bench does: output
// to a file rather than memory, /metrics on a port of its own.
func TestHarnessOutputAndMetrics(t *testing.T) {
	dir := t.TempDir()
	out, err := os.Create(filepath.Join(dir, "server.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	srv := start(t, harness.Options{DB: "file:" + filepath.Join(dir, "m.db"), Metrics: true, Output: out})
	resp, err := http.Get(srv.MetricsURL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET /metrics: HTTP %d", resp.StatusCode)
	}
	if err := srv.Stop(); err != nil {
		t.Errorf("Stop = %v, want a clean exit", err)
	}
	b, _ := os.ReadFile(out.Name())
	if !strings.Contains(string(b), `"msg":"stopped"`) || srv.Log.String() != "" {
		t.Errorf("output file:\n%s\nin memory: %q", b, srv.Log.String())
	}
}
