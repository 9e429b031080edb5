package graph_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"seatgraph/internal/config"
	"seatgraph/internal/observe"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"

	"seatgraph/ent"
	"seatgraph/graph"
	"seatgraph/internal/auth"
	"seatgraph/internal/catalog"
	"seatgraph/internal/server"
)

// TestRequestTimeoutCutsOffSlowPath: with every database connection taken,
// a query waits for one until the request timeout ends it; the client gets
// an INTERNAL_SERVER_ERROR that says so, at once, and the server goes on
// serving once connections are free again.
func TestRequestTimeoutCutsOffSlowPath(t *testing.T) {
	const timeout = 300 * time.Millisecond
	e := newObsEnv(t, func(c *config.Config) { c.RequestTimeout = timeout })
	const query = `query Upcoming { events(first: 1) { totalCount } }`

	tests := []struct {
		name       string
		exhaust    bool // hold every pooled connection during the request
		wantCode   string
		wantWithin time.Duration
	}{
		{name: "slow path is cut off", exhaust: true, wantCode: "INTERNAL_SERVER_ERROR", wantWithin: timeout + 2*time.Second},
		{name: "server keeps serving", wantWithin: 2 * time.Second},
		{name: "cut off again", exhaust: true, wantCode: "INTERNAL_SERVER_ERROR", wantWithin: timeout + 2*time.Second},
		{name: "and serves again", wantWithin: 2 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.exhaust {
				ctx := context.Background()
				for range e.db.Stats().MaxOpenConnections {
					c, err := e.db.Conn(ctx)
					if err != nil {
						t.Fatal(err)
					}
					defer c.Close()
				}
			}
			start := time.Now()
			r, id := e.do(t, true, query, nil)
			took := time.Since(start)
			if took > tt.wantWithin {
				t.Errorf("took %s, want within %s", took, tt.wantWithin)
			}
			if tt.wantCode == "" {
				if len(r.Errors) > 0 {
					t.Fatalf("errors %+v", r.Errors)
				}
				return
			}
			if took < timeout {
				t.Errorf("answered after %s, before the timeout of %s", took, timeout)
			}
			if len(r.Errors) == 0 || r.Errors[0].Code() != tt.wantCode {
				t.Fatalf("errors %+v, want %s", r.Errors, tt.wantCode)
			}
			if msg := r.Errors[0].Message; !strings.Contains(msg, "took too long") || strings.Contains(msg, "deadline") {
				t.Errorf("message %q, want one that says the request took too long, without internals", msg)
			}
			for _, l := range e.logs.lines(t) {
				if l["request_id"] == id && l["msg"] == "request timed out" && l["level"] != "WARN" {
					t.Errorf("timeout logged at %v", l["level"])
				}
			}
		})
	}
}

// TestProductionTurnsOffIntrospection: -production refuses __schema and
// __type (a validation error, not an internal one) and hides GraphiQL;
// without it both work. __typename works either way.
func TestProductionTurnsOffIntrospection(t *testing.T) {
	queries := []struct {
		name          string
		query         string
		introspection bool
	}{
		{name: "__schema", query: `{ __schema { types { name } } }`, introspection: true},
		{name: "__type", query: `{ __type(name: "Event") { name } }`, introspection: true},
		{name: "through a fragment", query: `query { ...F } fragment F on Query { __schema { queryType { name } } }`, introspection: true},
		{name: "through an inline fragment", query: `{ ... on Query { __type(name: "Booking") { name } } }`, introspection: true},
		{name: "__typename", query: `{ __typename }`},
	}
	for _, production := range []bool{false, true} {
		t.Run(fmt.Sprintf("production=%v", production), func(t *testing.T) {
			e := newObsEnv(t, func(c *config.Config) { c.Production, c.Introspection = production, !production })
			for _, q := range queries {
				t.Run(q.name, func(t *testing.T) {
					r, _ := e.do(t, false, q.query, nil)
					refused := production && q.introspection
					if !refused {
						if len(r.Errors) > 0 || len(r.Data) < 10 {
							t.Fatalf("errors %+v data %s", r.Errors, r.Data)
						}
						if q.name == "__schema" && !strings.Contains(string(r.Data), `"Booking"`) {
							t.Errorf("schema lacks Booking: %.200s", r.Data)
						}
						return
					}
					if fmt.Sprint(r.Codes()) != "[GRAPHQL_VALIDATION_FAILED]" || !strings.Contains(r.Errors[0].Message, "introspection") {
						t.Errorf("errors %+v, want one GRAPHQL_VALIDATION_FAILED about introspection", r.Errors)
					}
					if s := string(r.Data); s != "" && s != "null" {
						t.Errorf("data %s", s)
					}
				})
			}
			rec := httptest.NewRecorder()
			e.handler.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
			if want := map[bool]int{false: 200, true: 404}[production]; rec.Code != want {
				t.Errorf("GraphiQL: status %d, want %d", rec.Code, want)
			}
			for _, l := range e.logs.lines(t) {
				if l["level"] == "ERROR" {
					t.Errorf("refused introspection logged an error: %v", l)
				}
			}
		})
	}
}

// TestResolverPanicRollsBack: a panic inside a mutation's transaction (here
// in the catalog's capacity hook, after the event row was updated) answers
// INTERNAL_SERVER_ERROR without internals, rolls the update back and leaves
// the database writable.
func TestResolverPanicRollsBack(t *testing.T) {
	e := newObsEnv(t, nil)
	eventID, _ := e.obsEvent(t, 10)

	tests := []struct {
		name  string
		panic func()
		leak  string // must not appear in the response
	}{
		{name: "string", panic: func() { panic("boom: secret at /srv/seatgraph") }, leak: "secret"},
		{name: "runtime error", panic: func() { var m map[string]int; m["x"]++ }, leak: "nil map"},
		{name: "error value", panic: func() { panic(fmt.Errorf("UPDATE events SET capacity = 20 failed")) }, leak: "UPDATE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := graph.New(e.client, e.app.Engine)
			r.Catalog = catalog.New(e.client, catalog.Hooks{
				CapacityRaised: func(context.Context, *ent.Tx, *ent.Event) error { tt.panic(); return nil },
			})
			gql := graph.NewHandler(r, graph.HandlerOptions{Logger: e.log, Introspection: true})
			panicky := &obsEnv{key: e.key, logs: e.logs, handler: observe.Logging(e.log,
				server.NewMux(e.cfg, auth.NewAuthenticator(e.client, e.tenant).Middleware(gql), e.db))}

			const update = `mutation Raise($id: ID!, $c: Int) { updateEvent(input: { id: $id, capacity: $c }) {
				event { capacity } errors { __typename } } }`
			resp, id := panicky.do(t, false, update, map[string]any{"id": eventID, "c": 20})
			if fmt.Sprint(resp.Codes()) != "[INTERNAL_SERVER_ERROR]" || resp.Errors[0].Message != "internal server error" {
				t.Fatalf("errors %+v, want one INTERNAL_SERVER_ERROR", resp.Errors)
			}
			body, _ := json.Marshal(resp)
			if strings.Contains(string(body), tt.leak) || strings.Contains(string(body), "goroutine") {
				t.Errorf("response leaks internals: %s", body)
			}
			logged := false
			for _, l := range e.logs.lines(t) {
				if l["request_id"] == id && l["msg"] == "panic in resolver" {
					logged = strings.Contains(fmt.Sprint(l["stack"]), "goroutine")
				}
			}
			if !logged {
				t.Error("the panic was not logged with its stack and request id")
			}

			// The update before the panic was rolled back ...
			var got struct{ Node struct{ Capacity int } }
			q, _ := e.do(t, false, `query($id: ID!) { node(id: $id) { ... on Event { capacity } } }`, map[string]any{"id": eventID})
			if err := json.Unmarshal(q.Data, &got); err != nil || got.Node.Capacity != 10 {
				t.Errorf("capacity after the panic: %s, want 10", q.Data)
			}
			// ... and the database takes writes (SQLite's write lock is free).
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			if _, err := e.db.ExecContext(ctx, `UPDATE tenants SET name = name`); err != nil {
				t.Errorf("raw write after the panic: %v", err)
			}
			ok, _ := e.do(t, false, `mutation($id: ID!) { updateEvent(input: { id: $id, title: "Still writable" }) { event { title } errors { __typename } } }`,
				map[string]any{"id": eventID})
			if len(ok.Errors) > 0 || !strings.Contains(string(ok.Data), "Still writable") {
				t.Errorf("write after the panic: %s %+v", ok.Data, ok.Errors)
			}
		})
	}
}

// TestGracefulShutdownFullServer runs the whole server on a real port: 100
// GraphQL requests in flight (each held ~200ms) and a graphql-transport-ws
// connection; cancelling the context (SIGTERM) lets all 100 complete,
// refuses new connections, closes the websocket and returns within the
// grace period.
func TestGracefulShutdownFullServer(t *testing.T) {
	const (
		inFlight = 100
		work     = 200 * time.Millisecond
		grace    = 5 * time.Second
	)
	e := newObsEnv(t, func(c *config.Config) { c.ShutdownGrace = grace })
	// The requests are held until the test releases them, after it has
	// cancelled: all 100 are in flight during the shutdown.
	started := make(chan struct{}, inFlight)
	release := make(chan struct{})
	releaseAll := sync.OnceFunc(func() { close(release) })
	defer releaseAll() // also when the test fails early
	slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/graphql" && r.Header.Get("Upgrade") == "" {
			started <- struct{}{}
			<-release
			time.Sleep(work)
		}
		e.app.Handler.ServeHTTP(w, r)
	})

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	served := make(chan error, 1)
	go func() { served <- server.Serve(ctx, e.cfg, ln, slow, e.log) }()

	// A websocket client that has done its handshake and one operation.
	dctx, dcancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer dcancel()
	ws, _, err := websocket.Dial(dctx, "ws://"+addr+"/graphql", &websocket.DialOptions{
		Subprotocols: []string{"graphql-transport-ws"},
		HTTPHeader:   http.Header{"X-Request-Id": {"ws-client-1"}},
	})
	if err != nil {
		t.Fatalf("websocket dial: %v", err)
	}
	defer ws.CloseNow()
	type msg struct {
		ID      string          `json:"id,omitempty"`
		Type    string          `json:"type"`
		Payload json.RawMessage `json:"payload,omitempty"`
	}
	steps := []struct {
		send     *msg
		wantType string
	}{
		{send: &msg{Type: "connection_init", Payload: json.RawMessage(`{}`)}, wantType: "connection_ack"},
		{send: &msg{ID: "1", Type: "subscribe", Payload: json.RawMessage(`{"query":"query Ping { __typename }"}`)}, wantType: "next"},
		{wantType: "complete"},
	}
	for _, s := range steps {
		if s.send != nil {
			if err := wsjson.Write(dctx, ws, s.send); err != nil {
				t.Fatalf("websocket write %s: %v", s.send.Type, err)
			}
		}
		var got msg
		if err := wsjson.Read(dctx, ws, &got); err != nil || got.Type != s.wantType {
			t.Fatalf("websocket: got %+v (%v), want %s", got, err, s.wantType)
		}
	}
	wsClosed := make(chan error, 1)
	go func() {
		var m msg
		wsClosed <- wsjson.Read(dctx, ws, &m)
	}()

	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: inFlight}, Timeout: 20 * time.Second}
	defer client.CloseIdleConnections()
	type result struct {
		status int
		body   string
		err    error
	}
	results := make(chan result, inFlight)
	var wg sync.WaitGroup
	for i := range inFlight {
		wg.Add(1)
		go func() {
			defer wg.Done()
			body := fmt.Sprintf(`{"query":"query InFlight%d { events(first: 1) { totalCount } }"}`, i%5)
			resp, err := client.Post("http://"+addr+"/graphql", "application/json", strings.NewReader(body))
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
		case <-time.After(15 * time.Second):
			t.Fatalf("only %d of %d requests started", i, inFlight)
		}
	}
	cancel() // what SIGTERM does through signal.NotifyContext
	stopAt := time.Now()

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

	// The websocket is closed as shutdown begins, while the 100 still run.
	select {
	case err := <-wsClosed:
		if websocket.CloseStatus(err) != websocket.StatusNormalClosure {
			t.Errorf("websocket ended with %v, want a normal close frame", err)
		}
	case <-time.After(grace / 2):
		t.Fatal("websocket still open while shutting down")
	}
	select {
	case err := <-served:
		t.Fatalf("Serve returned (%v) with 100 requests in flight", err)
	default:
	}
	releaseAll()

	select {
	case err := <-served:
		if err != nil {
			t.Errorf("Serve = %v", err)
		}
	case <-time.After(grace + 5*time.Second):
		t.Fatal("Serve did not return")
	}
	if d := time.Since(stopAt); d > grace {
		t.Errorf("Serve returned %s after cancel, beyond the grace of %s", d, grace)
	}

	wg.Wait()
	close(results)
	ok := 0
	for r := range results {
		if r.err != nil || r.status != 200 || !strings.Contains(r.body, `"totalCount"`) || strings.Contains(r.body, `"errors"`) {
			t.Errorf("in-flight request: status %d body %.200q err %v", r.status, r.body, r.err)
			continue
		}
		ok++
	}
	if ok != inFlight {
		t.Errorf("%d of %d in-flight requests completed", ok, inFlight)
	}

	// The websocket operation logged a line of its own, with the request id
	// of the connection.
	found := false
	for _, l := range e.logs.lines(t) {
		if l["msg"] == "graphql operation" && l["operation"] == "Ping" {
			found = l["request_id"] == "ws-client-1" && l["outcome"] == "ok" && l["operation_type"] == "query"
		}
	}
	if !found {
		t.Error("no graphql operation line for the websocket's Ping with its request id")
	}
}
