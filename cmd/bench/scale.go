package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"seatgraph/internal/auth"
	"seatgraph/internal/store"
)

// The scale mode (-scale 10000,100000,1000000) answers how the booking list
// behaves as the data set grows: it seeds the smallest size in bulk,
// measures, grows the same data set to the next size, measures again, and
// so on. Measured at each size, one client at a time (latency, not
// throughput, is the question): the first page of the booking list, the
// page after a cursor 90 % deep (keyset paging should cost the same), and
// the first page with totalCount, next to the COUNT(*) it comes down to.

// queryCounted is queryA with totalCount: what a list screen with a
// "1–50 of N" line asks. totalCount's cost is its time less queryA's;
// asking for totalCount alone would still fetch a page (of one), whose
// plan is not the 50-row page's (on SQLite with statistics it sorts the
// tenant's bookings).
const queryCounted = `query BookingListCounted($first: Int!) {
  bookings(first: $first) {
    totalCount
    nodes {
      orderNumber
      total { amount }
      booker { email }
      events { title }
      tickets(first: 10) { nodes { code holder { email } } }
      payments { nodes { amount { amount } } }
    }
  }
}`

// scalePoint is what was measured at one size.
type scalePoint struct {
	bookings  int
	grow      time.Duration // seeding from the size before
	check     time.Duration // the consistency check
	first     result
	deep      result
	counted   result        // the first page with totalCount
	sqlCount  time.Duration // median of SELECT COUNT(*) in the bench process
	deepAfter string        // the order number the deep page starts after
	analyzed  bool          // SQLite, measured again after ANALYZE (grow is its time)
}

func runScale(ctx context.Context, cfg options, tmp string, targets []target) error {
	for _, t := range targets {
		pts, err := scaleTarget(ctx, cfg, tmp, t)
		if t.cleanup != nil && !cfg.keep {
			t.cleanup()
		}
		if err != nil {
			return fmt.Errorf("%s: %w", t.name, err)
		}
		printScale(os.Stdout, t.name, cfg, pts)
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
	return nil
}

func scaleTarget(ctx context.Context, cfg options, tmp string, t target) ([]scalePoint, error) {
	fmt.Printf("\n== %s: scale %v\n", t.name, cfg.scale)
	st, err := store.Parse(t.dsn)
	if err != nil {
		return nil, err
	}
	client, db, err := store.Open(ctx, t.dsn)
	if err != nil {
		return nil, err
	}
	defer client.Close()
	tid, err := store.DefaultTenantID(ctx, client)
	if err != nil {
		return nil, err
	}
	auth.Protect(client)
	tctx := auth.WithTenant(ctx, tid)
	if sd, err := findSeeded(tctx, client); err != nil || sd != nil {
		if err == nil {
			err = fmt.Errorf("the database holds a data set already; the scale mode grows a fresh one")
		}
		return nil, err
	}
	// The events are made for the largest size, so that every size is
	// the same events, fuller.
	final := cfg.scale[len(cfg.scale)-1]
	ecfg := cfg
	ecfg.bookings = final
	now := time.Now().UTC().Truncate(time.Microsecond)
	if _, err := newSeeder(client, st.Dialect, ecfg, now).events(tctx); err != nil {
		return nil, err
	}
	bs, err := newBulkSeeder(tctx, client, db, st.Dialect, tid, final, cfg.seedWorkers, now)
	if err != nil {
		return nil, err
	}
	adminKey, _, err := benchKeys(ctx, client, tid)
	if err != nil {
		return nil, err
	}
	var pts []scalePoint
	from := 0
	for _, size := range cfg.scale {
		p := scalePoint{bookings: size}
		fmt.Printf("growing to %d bookings\n", size)
		t0 := time.Now()
		if err := bs.grow(tctx, from, size); err != nil {
			return pts, fmt.Errorf("seeding: %w", err)
		}
		p.grow = time.Since(t0)
		prev := from
		from = size
		if err := settle(ctx, db, st.Dialect); err != nil {
			return pts, err
		}
		if st.Dialect == "postgres" {
			// Autovacuum visits a table after a bulk insert some time
			// later; until it has, the visibility map is empty and every
			// count reads the heap. Vacuuming here makes each size
			// measured in the state a live database settles into, not
			// in whichever state autovacuum happened to leave. Only the
			// bench's own tables: the server may hold other schemas.
			if _, err := db.ExecContext(ctx, "VACUUM (ANALYZE) bookings, tickets, registrations, payments, participants, histories, event_bookings"); err != nil {
				return pts, err
			}
		}
		t0 = time.Now()
		if err := checkConsistency(ctx, db, st.Dialect, tid); err != nil {
			return pts, err
		}
		p.check = time.Since(t0)
		fmt.Printf("  seeded in %s (%.0f bookings/s; %d skipped as sold out so far), consistent (checked in %s)\n",
			p.grow.Round(100*time.Millisecond), float64(size-prev)/p.grow.Seconds(), bs.skipped, p.check.Round(100*time.Millisecond))
		if err := measureScale(ctx, cfg, tmp, t, st.Dialect, db, tid, adminKey, &p); err != nil {
			return pts, err
		}
		pts = append(pts, p)
	}
	if st.Dialect != "postgres" {
		// SQLite plans without statistics unless someone runs ANALYZE, and
		// nothing in the server does: then it reads the participants of a
		// page (id IN (...) AND tenant_id = ?) by scanning the tenant's
		// (tenant_id, email) index rather than looking up the ids, which
		// makes every page cost O(participants). The sizes above are
		// measured as the server runs today; the largest once more with
		// statistics shows what they change.
		p := scalePoint{bookings: cfg.scale[len(cfg.scale)-1], analyzed: true}
		t0 := time.Now()
		if _, err := db.ExecContext(ctx, "ANALYZE"); err != nil {
			return pts, err
		}
		p.grow = time.Since(t0)
		fmt.Printf("after ANALYZE (%s), %d bookings again\n", p.grow.Round(100*time.Millisecond), p.bookings)
		if err := measureScale(ctx, cfg, tmp, t, st.Dialect, db, tid, adminKey, &p); err != nil {
			return pts, err
		}
		pts = append(pts, p)
	}
	return pts, nil
}

// measureScale starts the server on the data set and measures the three
// requests, one client at a time.
func measureScale(ctx context.Context, cfg options, tmp string, t target, d string, db *sql.DB, tid int, adminKey string, p *scalePoint) error {
	var err error
	if p.sqlCount, err = timeCount(ctx, db, d, tid); err != nil {
		return err
	}
	logPath := filepath.Join(tmp, fmt.Sprintf("%s-scale-%d-%v.log", t.name, p.bookings, p.analyzed))
	srv, err := startServer(ctx, t.dsn, adminKey, logPath)
	if err != nil {
		return err
	}
	defer srv.Stop()
	gql := srv.URL + "/graphql"
	authz := "Bearer " + adminKey
	after, order, err := deepCursor(ctx, db, d, tid, gql, authz)
	if err != nil {
		return err
	}
	p.deepAfter = order
	h := header("Authorization", authz)
	scs := []struct {
		res *result
		sc  scenario
	}{
		{&p.first, scenario{name: "first page", url: gql, header: h, body: fixed(gqlBody(queryA, map[string]any{"first": 50}))}},
		{&p.deep, scenario{name: "page after the cursor at 90%", url: gql, header: h,
			body: fixed(gqlBody(queryA, map[string]any{"first": 50, "after": after}))}},
		{&p.counted, scenario{name: "first page with totalCount", url: gql, header: h, body: fixed(gqlBody(queryCounted, map[string]any{"first": 50})),
			okBody: func(b []byte) bool { return graphqlOK(b) && strings.Contains(string(b), `"totalCount":`) }}},
	}
	for _, x := range scs {
		if cfg.warmup > 0 {
			load(ctx, x.sc, 1, cfg.warmup, 0)
		}
		var rs []result
		for range cfg.rounds {
			rs = append(rs, load(ctx, x.sc, 1, cfg.duration, srv.Pid()))
		}
		*x.res = median(rs)
		fmt.Printf("  %-30s p50 %6s ms  p99 %6s ms  %5.0f req/s  errors %d\n", x.sc.name, ms(x.res.p50), ms(x.res.p99), x.res.rps, x.res.errors)
	}
	fmt.Printf("  %-30s %6s ms (SELECT COUNT(*) in the bench process, median of 5)\n", "COUNT(*)", ms(p.sqlCount))
	return ctx.Err()
}

// timeCount is the median time of the COUNT(*) totalCount stands for.
func timeCount(ctx context.Context, db *sql.DB, d string, tid int) (time.Duration, error) {
	var ts []time.Duration
	for range 5 {
		t0 := time.Now()
		var n int
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM bookings WHERE tenant_id = "+placeholder(d, 1), tid).Scan(&n); err != nil {
			return 0, err
		}
		ts = append(ts, time.Since(t0))
	}
	slices.Sort(ts)
	return ts[len(ts)/2], nil
}

// deepCursor finds the cursor the API hands out for the booking at 90 % of
// the default order, and that booking's order number.
func deepCursor(ctx context.Context, db *sql.DB, d string, tid int, gql, authz string) (cursor, order string, err error) {
	var total int
	if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM bookings WHERE tenant_id = "+placeholder(d, 1), tid).Scan(&total); err != nil {
		return "", "", err
	}
	if err := db.QueryRowContext(ctx, fmt.Sprintf("SELECT order_number FROM bookings WHERE tenant_id = %s ORDER BY created_at DESC, id ASC LIMIT 1 OFFSET %d",
		placeholder(d, 1), total*9/10), tid).Scan(&order); err != nil {
		return "", "", fmt.Errorf("the booking at 90%%: %w", err)
	}
	var out struct {
		Data struct {
			Bookings struct{ PageInfo struct{ EndCursor string } }
		}
	}
	if err := postJSON(ctx, gql, authz, gqlBody(queryCursor, map[string]any{"o": order}), &out); err != nil {
		return "", "", fmt.Errorf("cursor: %w", err)
	}
	if out.Data.Bookings.PageInfo.EndCursor == "" {
		return "", "", fmt.Errorf("no cursor for %s", order)
	}
	return out.Data.Bookings.PageInfo.EndCursor, order, nil
}

// postJSON posts body to url and decodes the answer into out.
func postJSON(ctx context.Context, url, authz string, body []byte, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, strings.NewReader(string(body)))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if authz != "" {
		req.Header.Set("Authorization", authz)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK || !graphqlOK(b) {
		return fmt.Errorf("status %d: %.500s", resp.StatusCode, b)
	}
	return json.Unmarshal(b, out)
}

func printScale(w io.Writer, name string, cfg options, pts []scalePoint) {
	fmt.Fprintf(w, "\n== %s: keyset paging and totalCount by size (one client; median of %d round(s) of %s)\n", name, cfg.rounds, cfg.duration)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "bookings\tseeded in\tfirst p50 ms\tfirst p99 ms\tdeep p50 ms\tdeep p99 ms\tdeep/first\t+totalCount p50 ms\t+totalCount p99 ms\ttotalCount costs ms\tCOUNT(*) ms\t")
	for _, p := range pts {
		size := fmt.Sprint(p.bookings)
		if p.analyzed {
			size += " after ANALYZE"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%.2f\t%s\t%s\t%s\t%s\t\n", size, p.grow.Round(100*time.Millisecond),
			ms(p.first.p50), ms(p.first.p99), ms(p.deep.p50), ms(p.deep.p99), float64(p.deep.p50)/float64(max(p.first.p50, 1)),
			ms(p.counted.p50), ms(p.counted.p99), ms(p.counted.p50-p.first.p50), ms(p.sqlCount))
	}
	tw.Flush()
	fmt.Fprintln(w, "   first/deep: the booking list (first 50 with event, tickets, payments), from the start and after the cursor at 90%")
	fmt.Fprintln(w, "   seeded in: from the size before (after ANALYZE: the ANALYZE); +totalCount: the first page with totalCount; costs: its p50 less the first page's")
}
