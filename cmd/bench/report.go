package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
)

func (r *report) print(w io.Writer, cfg options) {
	fmt.Fprintf(w, "== %s: %s\n", r.name, strings.Join(r.counts, ", "))
	if r.seed.reused {
		fmt.Fprintln(w, "   data set reused from an earlier run")
	} else {
		fmt.Fprintf(w, "   seeded in %s (%.0f bookings/s)", r.seed.elapsed.Round(100*time.Millisecond), float64(cfg.bookings)/r.seed.elapsed.Seconds())
		if r.seed.skipped > 0 {
			fmt.Fprintf(w, ", %d bookings skipped (sold out)", r.seed.skipped)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "   median of %d round(s) of %s; errors and requests summed over the rounds; RSS: server's largest VmRSS (idle %.0f MiB)\n",
		cfg.rounds, cfg.duration, mib(r.idleRSS))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "scenario\tconc\treq/s\tp50 ms\tp95 ms\tp99 ms\terrors\trequests\tstmts/req\tRSS MiB\t\t")
	for _, x := range r.rows {
		rss := fmt.Sprintf("%.0f", mib(x.res.rssKiB))
		if x.scenario == scRaw {
			rss = "-"
		}
		fmt.Fprintf(tw, "%s\t%d\t%.0f\t%s\t%s\t%s\t%d\t%d\t%s\t%s\t%s\t\n", x.scenario, x.conc, x.res.rps,
			ms(x.res.p50), ms(x.res.p95), ms(x.res.p99), x.res.errors, x.res.requests, x.stmts, rss, x.note)
	}
	tw.Flush()
	fmt.Fprintf(w, "   statements per request from %s\n", r.stmtSource)
	fmt.Fprintf(w, "   query a: %d statements for 10 rows, %d for 50 rows, %d from the deep cursor\n", r.stmtA10, r.stmtA50, r.stmtDeep)
	fmt.Fprintf(w, "   raw handler answers the same JSON as seatgraph: %s (in process), %s (server binary)\n", r.sameAsRaw, r.binarySameAsRaw)
	for _, c := range cfg.conc {
		a, ok1 := r.find(scA, c)
		raw, ok2 := r.find(scRaw, c)
		if ok1 && ok2 {
			fmt.Fprintf(w, "   c%d: seatgraph's booking list at %.0f%% of the raw handler's throughput (%.0f vs %.0f req/s)\n", c, pct(a.rps, raw.rps), a.rps, raw.rps)
		}
		if p := r.peer.rps[c]; p > 0 && ok1 {
			o := r.peer.ours(c, a.rps)
			fmt.Fprintf(w, "   c%d: seatgraph's booking list at %.1fx %s's throughput (%.0f vs %.0f req/s, side by side)\n", c, o/p, r.peer.name, o, p)
		}
		if d, ok := r.find(scDeep, c); ok && ok1 {
			fmt.Fprintf(w, "   c%d: cursor at 90%%: %.0f req/s, p50 %s ms vs first page %.0f req/s, p50 %s ms (%.0f%%)\n",
				c, d.rps, ms(d.p50), a.rps, ms(a.p50), pct(d.rps, a.rps))
		}
	}
	if cfg.keep {
		fmt.Fprintf(w, "   server log: %s\n", r.serverLog)
	}
	fmt.Fprintln(w)
}

// peerResult is a peer GraphQL server's throughput on query a (the same
// query, answer and data as seatgraph's), by concurrency.
type peerResult struct {
	name string          // e.g. "PostGraphile v5"
	rps  map[int]float64 // median req/s by concurrency
	// own is seatgraph's req/s in the same interleaved rounds as the peer,
	// on the same data and indexes: the fair side of the ratio. Empty when
	// the peer run measured no seatgraph figure; then the main run's is used.
	own  map[int]float64
	note string // why it was not measured, when rps has no entry
}

// ours is seatgraph's req/s to hold against the peer at conc: the one
// measured beside it, else main, the main run's.
func (p *peerResult) ours(conc int, main float64) float64 {
	if v := p.own[conc]; v > 0 {
		return v
	}
	return main
}

// set records the peer's req/s at conc.
func (p *peerResult) set(name string, conc int, rps float64) {
	p.name = name
	if p.rps == nil {
		p.rps = map[int]float64{}
	}
	p.rps[conc] = rps
}

// The targets of the performance issue: concurrencies, ratios and bounds.
const (
	peerName       = "PostGraphile v5"
	peerFactor     = 3.0 // seatgraph's booking list at least 3x the peer's
	rawShare       = 80  // and at least 80 % of the raw handler's
	p99Conc        = 16
	p99Bound       = 25 * time.Millisecond
	rssConc        = 64
	rssBoundKiB    = 64 << 10
	bookingsSQLite = 1000 // confirmed createBooking/s on one hot event
	bookingsPG     = 500
)

// targetConcs are the concurrencies the throughput targets are set at.
var targetConcs = []int{16, 64}

// printTargets prints MET or MISS for every target of the performance
// issue on every database, and "----" with the reason where the run has
// no figure for it (a concurrency not run, the peer not measured).
func printTargets(w io.Writer, reports []*report, cfg options) {
	if cfg.smoke {
		fmt.Fprintln(w, "== targets (smoke run: a tiny data set for a moment, the figures say nothing)")
	} else {
		fmt.Fprintln(w, "== targets")
	}
	line := func(ok bool, db string, format string, args ...any) {
		m := "MISS"
		if ok {
			m = "MET "
		}
		fmt.Fprintf(w, "  %s %s %s\n", m, db, fmt.Sprintf(format, args...))
	}
	none := func(db string, format string, args ...any) {
		fmt.Fprintf(w, "  ---- %s %s\n", db, fmt.Sprintf(format, args...))
	}
	for _, r := range reports {
		for _, c := range targetConcs {
			a, ok := r.find(scA, c)
			what := fmt.Sprintf("c%d: booking list >= %.0fx %s:", c, peerFactor, peerName)
			peer := r.peer.rps[c]
			switch {
			case !ok:
				none(r.name, "%s not measured (no c%d in -concurrency)", what, c)
			case peer <= 0:
				note := r.peer.note
				if note == "" {
					note = "no peer figure in this run"
				}
				none(r.name, "%s peer not measured (%s)", what, note)
			default:
				o := r.peer.ours(c, a.rps)
				line(o >= peerFactor*peer, r.name, "%s %.1fx (%.0f vs %.0f req/s, side by side)", what, o/peer, o, peer)
			}
		}
		for _, c := range targetConcs {
			a, ok1 := r.find(scA, c)
			raw, ok2 := r.find(scRaw, c)
			what := fmt.Sprintf("c%d: booking list >= %d%% of the raw handler:", c, rawShare)
			if !ok1 || !ok2 {
				none(r.name, "%s not measured (no c%d in -concurrency)", what, c)
				continue
			}
			p := pct(a.rps, raw.rps)
			line(p >= rawShare, r.name, "%s %.0f%% (%.0f vs %.0f req/s)", what, p, a.rps, raw.rps)
		}
		for _, sc := range []string{scA, scB, scC, scD} {
			what := fmt.Sprintf("c%d: p99 <= %s ms, %s:", p99Conc, ms(p99Bound), sc)
			if x, ok := r.find(sc, p99Conc); ok {
				line(x.p99 <= p99Bound, r.name, "%s %s ms", what, ms(x.p99))
			} else {
				none(r.name, "%s not measured", what)
			}
		}
		var maxRSS int64
		var maxAt string
		for _, x := range r.rows {
			if x.scenario != scRaw && x.conc == rssConc && x.res.rssKiB > maxRSS {
				maxRSS, maxAt = x.res.rssKiB, x.scenario
			}
		}
		what := fmt.Sprintf("c%d: server RSS <= %.0f MiB:", rssConc, mib(rssBoundKiB))
		if maxAt == "" {
			none(r.name, "%s not measured (no c%d in -concurrency)", what, rssConc)
		} else {
			line(maxRSS <= rssBoundKiB, r.name, "%s %.0f MiB (largest, under %s)", what, mib(maxRSS), maxAt)
		}
		want := bookingsSQLite
		if r.name == "postgres" {
			want = bookingsPG
		}
		for _, c := range targetConcs {
			what := fmt.Sprintf("c%d: createBooking on one hot event >= %d confirmed/s:", c, want)
			if x, ok := r.find(scC, c); ok {
				v := confirmedPerSec(x)
				line(v >= float64(want), r.name, "%s %.0f", what, v)
			} else {
				none(r.name, "%s not measured (no c%d in -concurrency)", what, c)
			}
		}
		line(r.stmtA10 == r.stmtA50, r.name, "statements per request constant in page size: %d for 10 rows, %d for 50", r.stmtA10, r.stmtA50)
	}
}
