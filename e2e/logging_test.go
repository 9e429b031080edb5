package e2e

// The request log of the real binary, as an operator reads it on stderr
// (docs/operations.md): one JSON line per request with method,
// path, status and request id, the id echoed to the client, the admin key
// shown once on first start and never in a log line, and no error text in
// the lines of requests that did not fail inside the server. The unit
// tests of internal/observe check the line's fields on a handler; this
// checks that the binary's wiring (flags, JSON handler, middleware order)
// keeps them.

import (
	"context"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"seatgraph/e2e/harness"
)

// logRequest is one request the test sends and what it expects of its
// log line.
type logRequest struct {
	name    string
	id      string // X-Request-Id sent; "" lets the server make one
	key     bool   // send the admin key
	query   string
	op      string // operation name on the line
	codes   string // error codes on the line, joined by ","
	errText string // message the client gets, which must not be logged
}

var logRequests = []logRequest{
	{name: "with an id and the admin key", id: "e2e-log-1", key: true,
		query: `query AdminList { bookings(first: 1) { totalCount } }`, op: "AdminList"},
	{name: "without an id, anonymous",
		query: `query PublicList { events(first: 1) { totalCount } }`, op: "PublicList"},
	// Refused before it became an operation: the line names the
	// operationName the client sent, none here.
	{name: "a query the schema refuses", id: "e2e-log-3",
		query: `query Broken { noSuchField }`, op: "", codes: "GRAPHQL_VALIDATION_FAILED", errText: "noSuchField"},
}

// adminKeyBanner is how the server shows the admin key it made on first
// start.
var adminKeyBanner = regexp.MustCompile(`Admin API key of tenant default \(shown once, keep it\):\s+(\S+)`)

func TestRequestLog(t *testing.T) {
	db := "file:" + filepath.Join(t.TempDir(), "log.db")
	srv := start(t, harness.Options{DB: db})
	key := logAdminKey(t, srv)

	ids := make([]string, len(logRequests)) // the id each request was answered with
	for i, r := range logRequests {
		ids[i] = logSend(t, srv, r, key)
	}
	// The line of a request is written after its answer: stopping the
	// server flushes them all.
	if err := srv.Stop(); err != nil {
		t.Fatalf("stopping the server: %v", err)
	}
	lines := srv.Log.Requests()
	if len(lines) != len(logRequests) {
		t.Errorf("%d request lines, want one per request (%d); probes are not logged at INFO", len(lines), len(logRequests))
	}
	for i, r := range logRequests {
		logCheckLine(t, lines, r, ids[i])
	}
	logCheckNoErrors(t, srv.Log)
	logCheckKeyHidden(t, srv.Log, key, 1)

	// On the same database the key exists: it is not shown again, and it
	// still opens the admin queries.
	srv = restart(t, srv)
	logSend(t, srv, logRequests[0], key)
	if err := srv.Stop(); err != nil {
		t.Fatalf("stopping the restarted server: %v", err)
	}
	logCheckKeyHidden(t, srv.Log, key, 0)
}

// logAdminKey reads the admin key the server showed on first start.
func logAdminKey(t *testing.T, srv *harness.Server) string {
	t.Helper()
	m := adminKeyBanner.FindStringSubmatch(srv.Log.Plain())
	if m == nil {
		t.Fatalf("no admin key shown on first start:\n%s", srv.Log.Tail(2000))
	}
	return m[1]
}

// logSend sends r and returns the X-Request-Id it was answered with.
func logSend(t *testing.T, srv *harness.Server, r logRequest, key string) string {
	t.Helper()
	c := srv.Client("", 1)
	if r.key {
		c.Key = key
	}
	if r.id != "" {
		c.Header = http.Header{"X-Request-Id": {r.id}}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	resp, err := c.Post(ctx, r.query, nil)
	if err != nil {
		t.Fatalf("%s: %v", r.name, err)
	}
	got := resp.Header.Get("X-Request-Id")
	switch {
	case r.id != "" && got != r.id:
		t.Errorf("%s: answered with X-Request-Id %q, want the one sent, %q", r.name, got, r.id)
	case r.id == "" && !regexp.MustCompile(`^[0-9a-f]{24}$`).MatchString(got):
		t.Errorf("%s: answered with X-Request-Id %q, want a generated one (24 hex digits)", r.name, got)
	}
	if r.codes == "" && (resp.Status != http.StatusOK || len(resp.Errors) > 0) {
		t.Errorf("%s: HTTP %d %s", r.name, resp.Status, resp.Body)
	}
	if r.errText != "" && !strings.Contains(string(resp.Body), r.errText) {
		t.Errorf("%s: the client is not told %q: %s", r.name, r.errText, resp.Body)
	}
	return got
}

// logCheckLine finds the one request line of id and checks its fields.
func logCheckLine(t *testing.T, lines []harness.Line, r logRequest, id string) {
	t.Helper()
	var found []harness.Line
	for _, l := range lines {
		if l.Str("request_id") == id {
			found = append(found, l)
		}
	}
	if len(found) != 1 {
		t.Errorf("%s: %d request lines with request_id %q, want 1", r.name, len(found), id)
		return
	}
	l := found[0]
	want := map[string]any{"method": "POST", "path": "/graphql", "status": float64(200), "level": "INFO", "operation": r.op}
	for k, v := range want {
		if l.Fields[k] != v {
			t.Errorf("%s: %s = %v, want %v in %s", r.name, k, l.Fields[k], v, l.Text)
		}
	}
	if _, ok := l.Fields["duration"]; !ok {
		t.Errorf("%s: no duration in %s", r.name, l.Text)
	}
	var codes []string
	if list, ok := l.Fields["error_codes"].([]any); ok {
		for _, c := range list {
			s, _ := c.(string)
			codes = append(codes, s)
		}
	}
	if got := strings.Join(codes, ","); got != r.codes {
		t.Errorf("%s: error_codes %q, want %q in %s", r.name, got, r.codes, l.Text)
	}
	if r.errText != "" && strings.Contains(l.Text, r.errText) {
		t.Errorf("%s: the line carries the message the client got: %s", r.name, l.Text)
	}
}

// logCheckNoErrors checks that no line is an error or carries error text:
// none of the requests failed inside the server, and a client's mistake is
// logged by its code only.
func logCheckNoErrors(t *testing.T, log *harness.Log) {
	t.Helper()
	for _, l := range log.Lines() {
		_, hasErr := l.Fields["error"]
		if l.Str("level") == "ERROR" || l.Str("level") == "WARN" || hasErr {
			t.Errorf("unexpected error in the log: %s", l.Text)
		}
	}
}

// logCheckKeyHidden checks that key is shown `shown` times as the first
// start's banner and is in no JSON line.
func logCheckKeyHidden(t *testing.T, log *harness.Log, key string, shown int) {
	t.Helper()
	if n := len(adminKeyBanner.FindAllString(log.Plain(), -1)); n != shown {
		t.Errorf("the admin key banner is shown %d times, want %d", n, shown)
	}
	if n := strings.Count(log.String(), key); n != shown {
		t.Errorf("the admin key is in the output %d times, want %d (the banner only)", n, shown)
	}
	for _, l := range log.Lines() {
		if strings.Contains(l.Text, key) {
			t.Errorf("the admin key is logged: %s", l.Text)
		}
	}
}
