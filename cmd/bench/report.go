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
	fmt.Fprintf(w, "   raw handler answers the same JSON as seatgraph: %s\n", r.sameAsRaw)
	for _, c := range cfg.conc {
		a, ok1 := r.find(scA, c)
		raw, ok2 := r.find(scRaw, c)
		if ok1 && ok2 {
			fmt.Fprintf(w, "   c%d: seatgraph's booking list at %.0f%% of the raw handler's throughput (%.0f vs %.0f req/s)\n", c, pct(a.rps, raw.rps), a.rps, raw.rps)
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

// printTargets checks the targets.
func printTargets(w io.Writer, reports []*report, cfg options) {
	fmt.Fprintln(w, "== targets")
	mark := func(ok bool) string {
		if ok {
			return "MET "
		}
		return "MISS"
	}
	c16 := cfg.conc[0]
	for _, c := range cfg.conc {
		if c == 16 {
			c16 = 16
		}
	}
	for _, r := range reports {
		for _, c := range cfg.conc {
			a, ok1 := r.find(scA, c)
			raw, ok2 := r.find(scRaw, c)
			if ok1 && ok2 {
				p := pct(a.rps, raw.rps)
				fmt.Fprintf(w, "  %s %s c%d: booking list >= 70%% of raw: %.0f%%\n", mark(p >= 70), r.name, c, p)
			}
		}
		for _, sc := range []string{scA, scB, scC, scD} {
			if x, ok := r.find(sc, c16); ok {
				fmt.Fprintf(w, "  %s %s c%d: p99 <= 30 ms, %s: %s ms\n", mark(x.p99 <= 30*time.Millisecond), r.name, c16, sc, ms(x.p99))
			}
		}
		var maxRSS int64
		for _, x := range r.rows {
			if x.scenario != scRaw {
				maxRSS = max(maxRSS, x.res.rssKiB)
			}
		}
		fmt.Fprintf(w, "  %s %s: server RSS <= 100 MiB under load: %.0f MiB\n", mark(maxRSS <= 100<<10), r.name, mib(maxRSS))
		fmt.Fprintf(w, "  %s %s: statements the same for 10 and 50 rows: %d and %d\n", mark(r.stmtA10 == r.stmtA50), r.name, r.stmtA10, r.stmtA50)
		if r.name == "sqlite" {
			for _, c := range cfg.conc {
				if x, ok := r.find(scC, c); ok {
					v := confirmedPerSec(x)
					fmt.Fprintf(w, "  %s %s c%d: createBooking on one event >= 800 confirmed/s: %.0f\n", mark(v >= 800), r.name, c, v)
				}
			}
		}
		for _, c := range cfg.conc {
			a, ok1 := r.find(scA, c)
			d, ok2 := r.find(scDeep, c)
			if ok1 && ok2 {
				p := pct(d.rps, a.rps)
				fmt.Fprintf(w, "  %s %s c%d: deep cursor as fast as the first page (>= 90%%): %.0f%% (%s)\n", mark(p >= 90), r.name, c, p, r.sizeNote(cfg))
			}
		}
	}
}

func (r *report) sizeNote(cfg options) string {
	for _, c := range r.counts {
		if strings.HasSuffix(c, " bookings") {
			return c
		}
	}
	return fmt.Sprintf("%d bookings", cfg.bookings)
}
