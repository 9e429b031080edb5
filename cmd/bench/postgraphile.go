package main

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"seatgraph/internal/money"
	"seatgraph/internal/store"
)

// The PostGraphile peer: on PostgreSQL the bench also starts PostGraphile
// v5 on the same schema and data, checks that it answers the booking list
// with the same bookings, codes and amounts, and loads it round by round
// next to seatgraph and the raw handler, so that the three ratios come
// from the same minutes of the same machine. PostGraphile is installed
// with npm on first use into a cache folder, pinned by the package.json
// and package-lock.json next to this file; without node and npm the peer
// is skipped, and said to be.

//go:embed postgraphile/package.json postgraphile/package-lock.json postgraphile/node20-shim.cjs
var peerFiles embed.FS

// peerRow is one concurrency of the side-by-side run.
type peerRow struct {
	conc                 int
	seatgraph, peer, raw result
}

// peerReport is what the peer run measured; report.peer holds it (nil when
// the peer was not run: SQLite, or -postgraphile=false).
type peerReport struct {
	skipped string // why the peer was not measured; "" when it was
	version string // PostGraphile's version and the Node it ran on
	same    string // "yes" when all three answered the same
	indexes []string
	rows    []peerRow
	rssKiB  int64
}

// comparePeer runs PostGraphile beside seatgraph on t (unless
// -postgraphile=false) and hands its req/s to the report's targets.
func (r *report) comparePeer(ctx context.Context, cfg options, tmp string, t target) {
	if !cfg.peer {
		r.peer.note = "-postgraphile=false"
		return
	}
	r.peerRun = runPeer(ctx, cfg, tmp, t)
	if r.peerRun == nil || r.peerRun.skipped != "" {
		if r.peerRun != nil {
			r.peer.note = r.peerRun.skipped
		}
		return
	}
	for _, row := range r.peerRun.rows {
		r.peer.set(peerName, row.conc, row.peer.rps)
		if row.seatgraph.rps > 0 {
			if r.peer.own == nil {
				r.peer.own = map[int]float64{}
			}
			r.peer.own[row.conc] = row.seatgraph.rps
		}
	}
}

// peerIndexes are the plain indexes PostGraphile needs for the query: it
// finds a booking's tickets and payments by booking_id alone, which the
// schema's (tenant_id, booking_id) indexes do not serve, so without them
// each page scans those tables fifty times. Made on the shared data,
// they are there for seatgraph and the raw handler as well.
var peerIndexes = []string{
	"CREATE INDEX IF NOT EXISTS bench_ticket_booking_id ON tickets (booking_id, created_at DESC, id)",
	"CREATE INDEX IF NOT EXISTS bench_payment_booking_id ON payments (booking_id, created_at DESC, id)",
}

// runPeer runs the side-by-side measurement on the PostgreSQL target t. A
// peer that cannot be installed or started is reported, not fatal: the
// rest of the bench stands without it.
func runPeer(ctx context.Context, cfg options, tmp string, t target) *peerReport {
	fmt.Printf("\n== postgres: PostGraphile v5 side by side\n")
	rep := &peerReport{}
	if err := rep.run(ctx, cfg, tmp, t); err != nil && ctx.Err() == nil {
		rep.skipped = "PostGraphile peer failed: " + err.Error()
		fmt.Println("  " + rep.skipped)
	}
	return rep
}

func (rep *peerReport) run(ctx context.Context, cfg options, tmp string, t target) error {
	dir, nodeVer, err := installPeer(ctx)
	if err != nil {
		if errors.Is(err, errNoNode) {
			rep.skipped = err.Error()
			fmt.Println("  " + rep.skipped)
			return nil
		}
		return fmt.Errorf("installing it: %w", err)
	}
	st, err := store.Parse(t.dsn)
	if err != nil {
		return err
	}
	client, db, err := store.Open(ctx, t.dsn)
	if err != nil {
		return err
	}
	defer client.Close()
	tid, err := store.DefaultTenantID(ctx, client)
	if err != nil {
		return err
	}
	for _, q := range peerIndexes {
		if _, err := db.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("index for the peer: %w", err)
		}
		rep.indexes = append(rep.indexes, q[strings.Index(q, " ON ")+4:])
	}
	if _, err := db.ExecContext(ctx, "ANALYZE tickets, payments"); err != nil {
		return err
	}
	adminKey, _, err := benchKeys(ctx, client, tid)
	if err != nil {
		return err
	}
	authz := "Bearer " + adminKey

	pg, err := startPeer(ctx, dir, nodeVer, t.dsn, filepath.Join(tmp, "postgraphile.log"))
	if err != nil {
		return err
	}
	defer pg.stop()
	rep.version = pg.version
	srv, err := startServer(ctx, t.dsn, adminKey, filepath.Join(tmp, "postgres-peer-server.log"))
	if err != nil {
		return err
	}
	defer srv.Stop()
	raw, err := newRawHandler(st, tid, authz)
	if err != nil {
		return err
	}
	defer raw.db.Close()
	rawURL, stopRaw, err := serveRaw(raw)
	if err != nil {
		return err
	}
	defer stopRaw()
	fmt.Printf("  %s on %s (pid %d); seatgraph pid %d; indexes added for all three: %s\n", rep.version, pg.url, pg.pid(), srv.Pid(),
		strings.Join(rep.indexes, ", "))

	peerBody := gqlBody(peerQuery(tid), nil)
	if rep.same, err = sameAnswers(ctx, srv.URL+"/graphql", authz, pg.url, peerBody, raw); err != nil {
		return err
	}
	fmt.Printf("  seatgraph, PostGraphile and the raw handler answer the same: %s\n", rep.same)

	scSG := scenario{name: "seatgraph", url: srv.URL + "/graphql", header: header("Authorization", authz),
		body: fixed(gqlBody(queryA, map[string]any{"first": 50}))}
	scPeer := scenario{name: "PostGraphile", url: pg.url, body: fixed(peerBody)}
	scRawA := scenario{name: "raw", url: rawURL + "/bookings?first=50", header: header("Authorization", authz), get: true}
	for _, c := range cfg.conc {
		if cfg.warmup > 0 {
			load(ctx, scSG, c, cfg.warmup, 0)
			load(ctx, scPeer, c, cfg.warmup, 0)
			load(ctx, scRawA, c, cfg.warmup, 0)
		}
		var rs, rp, rr []result
		for range cfg.rounds {
			rs = append(rs, load(ctx, scSG, c, cfg.duration, srv.Pid()))
			rp = append(rp, load(ctx, scPeer, c, cfg.duration, pg.pid()))
			rr = append(rr, load(ctx, scRawA, c, cfg.duration, 0))
		}
		row := peerRow{conc: c, seatgraph: median(rs), peer: median(rp), raw: median(rr)}
		rep.rows = append(rep.rows, row)
		rep.rssKiB = max(rep.rssKiB, row.peer.rssKiB)
		fmt.Printf("  c%-3d seatgraph %.0f req/s, PostGraphile %.0f req/s, raw %.0f req/s\n", c, row.seatgraph.rps, row.peer.rps, row.raw.rps)
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
	return nil
}

func (p *peerReport) print(w io.Writer, cfg options) {
	if p == nil {
		return
	}
	fmt.Fprintln(w, "== postgres: seatgraph next to PostGraphile v5 and the raw handler (booking list, first 50)")
	if p.skipped != "" {
		fmt.Fprintln(w, "   "+p.skipped)
		fmt.Fprintln(w)
		return
	}
	fmt.Fprintf(w, "   %s; same answer from all three: %s; median of %d round(s) of %s, interleaved\n", p.version, p.same, cfg.rounds, cfg.duration)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "conc\tseatgraph req/s\tp99 ms\tPostGraphile req/s\tp99 ms\traw req/s\tp99 ms\tseatgraph ÷ PostGraphile\tseatgraph ÷ raw\tPostGraphile ÷ raw\t")
	for _, r := range p.rows {
		fmt.Fprintf(tw, "%d\t%.0f\t%s\t%.0f\t%s\t%.0f\t%s\t%.2f\t%.2f\t%.2f\t\n", r.conc, r.seatgraph.rps, ms(r.seatgraph.p99),
			r.peer.rps, ms(r.peer.p99), r.raw.rps, ms(r.raw.p99), ratio(r.seatgraph.rps, r.peer.rps),
			ratio(r.seatgraph.rps, r.raw.rps), ratio(r.peer.rps, r.raw.rps))
	}
	tw.Flush()
	fmt.Fprintf(w, "   PostGraphile's largest RSS under load: %.0f MiB; errors: ", mib(p.rssKiB))
	for i, r := range p.rows {
		if i > 0 {
			fmt.Fprint(w, ", ")
		}
		fmt.Fprintf(w, "c%d %d/%d/%d", r.conc, r.seatgraph.errors, r.peer.errors, r.raw.errors)
	}
	fmt.Fprintln(w, " (seatgraph/PostGraphile/raw)")
	fmt.Fprintln(w)
}

func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

// peerQuery is the booking list in PostGraphile's schema shape: the same
// tenant, order (createdAt descending, ties by id), page and nested lists
// as queryA. tid is the bench's own tenant id, not input.
func peerQuery(tid int) string {
	return `query BookingList {
  allBookings(first: 50, condition: { tenantId: "` + strconv.Itoa(tid) + `" }, orderBy: [CREATED_AT_DESC, ROW_ID_ASC]) {
    nodes {
      orderNumber total currency
      participantByBookerId { email }
      eventBookingsByBookingId { nodes { eventByEventId { title startsAt rowId } } }
      ticketsByBookingId(first: 10, orderBy: [CREATED_AT_DESC, ROW_ID_ASC]) { nodes { code participantByHolderId { email } } }
      paymentsByBookingId(orderBy: [CREATED_AT_DESC, ROW_ID_ASC]) { nodes { amount currency } }
    }
  }
}`
}

// peerAnswer is PostGraphile's answer to peerQuery.
type peerAnswer struct {
	Data struct {
		AllBookings struct {
			Nodes []struct {
				OrderNumber string
				Total       string
				Currency    string
				Booker      rawEmail `json:"participantByBookerId"`
				Events      struct {
					Nodes []struct {
						Event struct {
							Title    string
							StartsAt string
							RowID    string
						} `json:"eventByEventId"`
					}
				} `json:"eventBookingsByBookingId"`
				Tickets struct {
					Nodes []struct {
						Code   string
						Holder rawEmail `json:"participantByHolderId"`
					}
				} `json:"ticketsByBookingId"`
				Payments struct {
					Nodes []struct{ Amount, Currency string }
				} `json:"paymentsByBookingId"`
			}
		}
	}
}

// asRaw is the answer in the raw handler's (and so seatgraph's) shape:
// amounts in minor units become decimals of the currency, as seatgraph
// formats them.
func (a *peerAnswer) asRaw() (*rawResponse, error) {
	out := &rawResponse{}
	out.Data.Bookings.Nodes = []*rawBooking{}
	for _, n := range a.Data.AllBookings.Nodes {
		total, err := strconv.ParseInt(n.Total, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("total %q: %w", n.Total, err)
		}
		b := &rawBooking{OrderNumber: n.OrderNumber, Total: rawAmount{money.FormatUnits(total, money.Digits(n.Currency))}, Booker: n.Booker,
			Events: []rawTitle{}}
		b.Tickets.Nodes = []rawTicket{}
		b.Payments.Nodes = []rawPayment{}
		// The link table comes in its key's order; seatgraph lists a
		// booking's events by start (ties by id).
		evs := n.Events.Nodes
		sort.SliceStable(evs, func(i, j int) bool {
			a, b := evs[i].Event, evs[j].Event
			if a.StartsAt != b.StartsAt {
				return a.StartsAt < b.StartsAt
			}
			x, _ := strconv.Atoi(a.RowID)
			y, _ := strconv.Atoi(b.RowID)
			return x < y
		})
		for _, e := range evs {
			b.Events = append(b.Events, rawTitle{e.Event.Title})
		}
		for _, t := range n.Tickets.Nodes {
			b.Tickets.Nodes = append(b.Tickets.Nodes, rawTicket{Code: t.Code, Holder: t.Holder})
		}
		for _, p := range n.Payments.Nodes {
			u, err := strconv.ParseInt(p.Amount, 10, 64)
			if err != nil {
				return nil, fmt.Errorf("payment amount %q: %w", p.Amount, err)
			}
			b.Payments.Nodes = append(b.Payments.Nodes, rawPayment{Amount: rawAmount{money.FormatUnits(u, money.Digits(p.Currency))}})
		}
		out.Data.Bookings.Nodes = append(out.Data.Bookings.Nodes, b)
	}
	return out, nil
}

// sameAnswers asks seatgraph, PostGraphile and the raw handler for the
// first 50 bookings and compares the answers (order numbers, totals,
// bookers, events, ticket codes and holders, payment amounts).
func sameAnswers(ctx context.Context, sgURL, authz, peerURL string, peerBody []byte, raw *rawHandler) (string, error) {
	var sg any
	if err := postJSON(ctx, sgURL, authz, gqlBody(queryA, map[string]any{"first": 50}), &sg); err != nil {
		return "", fmt.Errorf("seatgraph: %w", err)
	}
	var pa peerAnswer
	if err := postJSON(ctx, peerURL, "", peerBody, &pa); err != nil {
		return "", fmt.Errorf("PostGraphile: %w", err)
	}
	pr, err := pa.asRaw()
	if err != nil {
		return "", fmt.Errorf("PostGraphile: %w", err)
	}
	rr, err := raw.page(ctx, 50)
	if err != nil {
		return "", fmt.Errorf("raw handler: %w", err)
	}
	norm := func(v any) any {
		b, _ := json.Marshal(v)
		var x any
		_ = json.Unmarshal(b, &x)
		return x
	}
	p, r := norm(pr), norm(rr)
	same := "yes"
	if !reflect.DeepEqual(sg, r) {
		same = "NO (seatgraph differs from raw)"
	}
	if !reflect.DeepEqual(p, r) {
		b, _ := json.Marshal(pr)
		c, _ := json.Marshal(rr)
		fmt.Printf("  PostGraphile's answer differs:\n  PostGraphile: %.600s\n  raw:          %.600s\n", b, c)
		same = "NO (PostGraphile differs from raw)"
	}
	if n := len(pr.Data.Bookings.Nodes); n != len(rr.Data.Bookings.Nodes) || n == 0 {
		same = fmt.Sprintf("NO (%d bookings from PostGraphile, %d from raw)", n, len(rr.Data.Bookings.Nodes))
	}
	return same, nil
}

// errNoNode says the peer cannot run here.
var errNoNode = errors.New("PostGraphile peer skipped")

// installPeer makes sure the pinned PostGraphile is installed in the cache
// and returns its folder and node's major version.
func installPeer(ctx context.Context) (dir string, nodeMajor int, err error) {
	node, err := exec.LookPath("node")
	if err != nil {
		return "", 0, fmt.Errorf("%w: node is not on PATH", errNoNode)
	}
	npm, err := exec.LookPath("npm")
	if err != nil {
		return "", 0, fmt.Errorf("%w: npm is not on PATH", errNoNode)
	}
	out, err := exec.CommandContext(ctx, node, "--version").Output()
	if err != nil {
		return "", 0, fmt.Errorf("%w: node --version: %v", errNoNode, err)
	}
	v := strings.TrimPrefix(strings.TrimSpace(string(out)), "v")
	nodeMajor, _ = strconv.Atoi(strings.SplitN(v, ".", 2)[0])
	if nodeMajor < 18 {
		return "", 0, fmt.Errorf("%w: node %s is too old (PostGraphile v5 asks for 22; 20 runs with a shim)", errNoNode, v)
	}
	lock, err := peerFiles.ReadFile("postgraphile/package-lock.json")
	if err != nil {
		return "", 0, err
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		return "", 0, err
	}
	// The folder is named by the lockfile, so that a new pin installs
	// afresh and an old one is reused.
	sum := sha256.Sum256(lock)
	dir = filepath.Join(cache, "seatgraph-bench", "postgraphile-"+hex.EncodeToString(sum[:6]))
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "postgraphile", "package.json")); err == nil {
		return dir, nodeMajor, nil
	}
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return "", 0, err
	}
	work, err := os.MkdirTemp(filepath.Dir(dir), "installing-")
	if err != nil {
		return "", 0, err
	}
	defer os.RemoveAll(work)
	for _, f := range []string{"package.json", "package-lock.json", "node20-shim.cjs"} {
		b, err := peerFiles.ReadFile("postgraphile/" + f)
		if err != nil {
			return "", 0, err
		}
		if err := os.WriteFile(filepath.Join(work, f), b, 0o644); err != nil {
			return "", 0, err
		}
	}
	fmt.Printf("  installing PostGraphile with npm ci into %s\n", dir)
	t0 := time.Now()
	// --ignore-scripts: nothing in the tree needs an install script, and
	// the bench runs none it did not choose. engine-strict off: the
	// packages ask for Node 22 (see node20-shim.cjs).
	cmd := exec.CommandContext(ctx, npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error", "--engine-strict=false")
	cmd.Dir = work
	if b, err := cmd.CombinedOutput(); err != nil {
		return "", 0, fmt.Errorf("npm ci: %w\n%s", err, b)
	}
	if err := os.Rename(work, dir); err != nil {
		// Another run may have finished the same install first.
		if _, serr := os.Stat(filepath.Join(dir, "node_modules", "postgraphile", "package.json")); serr != nil {
			return "", 0, err
		}
	}
	fmt.Printf("  installed in %s\n", time.Since(t0).Round(100*time.Millisecond))
	return dir, nodeMajor, nil
}

// peerProc is a running PostGraphile.
type peerProc struct {
	cmd     *exec.Cmd
	url     string
	version string
	done    chan struct{}
}

func (p *peerProc) pid() int { return p.cmd.Process.Pid }

func (p *peerProc) stop() {
	_ = p.cmd.Process.Signal(os.Interrupt)
	select {
	case <-p.done:
	case <-time.After(5 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.done
	}
}

// startPeer starts PostGraphile (the amber preset, its default) on the
// schema of dsn, on a free loopback port, and waits until it answers.
func startPeer(ctx context.Context, dir string, nodeMajor int, dsn, logPath string) (*peerProc, error) {
	conn, schema, err := splitSearchPath(dsn)
	if err != nil {
		return nil, err
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	var ver struct{ Version string }
	if b, err := os.ReadFile(filepath.Join(dir, "node_modules", "postgraphile", "package.json")); err == nil {
		_ = json.Unmarshal(b, &ver)
	}
	args := []string{}
	version := fmt.Sprintf("PostGraphile %s on Node %d", ver.Version, nodeMajor)
	if nodeMajor < 22 {
		args = append(args, "--require", filepath.Join(dir, "node20-shim.cjs"))
		version += " (with node20-shim.cjs: Promise.withResolvers)"
	}
	args = append(args, filepath.Join(dir, "node_modules", "postgraphile", "dist", "cli-run.js"),
		"-P", "postgraphile/presets/amber", "-c", conn, "-s", schema, "-p", strconv.Itoa(port), "-n", "127.0.0.1")
	logf, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command("node", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GRAPHILE_ENV=production", "NODE_ENV=production")
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		logf.Close()
		return nil, err
	}
	p := &peerProc{cmd: cmd, url: fmt.Sprintf("http://127.0.0.1:%d/graphql", port), version: version, done: make(chan struct{})}
	go func() {
		_ = cmd.Wait()
		logf.Close()
		close(p.done)
	}()
	deadline := time.Now().Add(90 * time.Second)
	for {
		var x any
		err := postJSON(ctx, p.url, "", gqlBody("{ __typename }", nil), &x)
		if err == nil {
			return p, nil
		}
		select {
		case <-p.done:
			return nil, fmt.Errorf("PostGraphile exited; its log: %s\n%s", logPath, tail(logPath))
		case <-ctx.Done():
			p.stop()
			return nil, ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			p.stop()
			return nil, fmt.Errorf("PostGraphile did not answer in 90 s: %v; its log: %s\n%s", err, logPath, tail(logPath))
		}
	}
}

// splitSearchPath takes the schema out of a DSN made by store.CreateSchema:
// PostGraphile is told the schema (-s), and node-postgres has no
// search_path setting in its URL.
func splitSearchPath(dsn string) (conn, schema string, err error) {
	u, err := url.Parse(dsn)
	if err != nil {
		return "", "", err
	}
	q := u.Query()
	schema = q.Get("search_path")
	if schema == "" {
		schema = "public"
	}
	q.Del("search_path")
	u.RawQuery = q.Encode()
	return u.String(), schema, nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
