package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"sync/atomic"

	"seatgraph/e2e/harness"
	"seatgraph/internal/gid"
)

// measurer runs the scenarios against one server and adds their rows to
// the report.
type measurer struct {
	ctx context.Context
	cfg options
	rep *report
	srv *harness.Server
	gql string // the server's GraphQL endpoint
	// metricsStmts: the server's /metrics counts SQL statements, so the
	// statements per request are measured there rather than in process.
	metricsStmts bool
}

func newMeasurer(ctx context.Context, cfg options, rep *report, srv *harness.Server) *measurer {
	m := &measurer{ctx: ctx, cfg: cfg, rep: rep, srv: srv, gql: srv.URL + "/graphql"}
	_, m.metricsStmts = statementCounter(srv.MetricsURL)
	if m.metricsStmts {
		rep.stmtSource = "the server's /metrics statement counter"
	} else {
		rep.stmtSource = "in process: server.NewApp over a counting Ent driver (the server's /metrics has no statement counter)"
	}
	return m
}

// measure runs one round of sc at conc and returns it.
func (m *measurer) measure(sc scenario, conc int) result {
	var s0 float64
	if m.metricsStmts {
		s0, _ = statementCounter(m.srv.MetricsURL)
	}
	r := load(m.ctx, sc, conc, m.cfg.duration, m.srv.Pid())
	if m.metricsStmts && r.requests > 0 {
		s1, _ := statementCounter(m.srv.MetricsURL)
		r.stmts = (s1 - s0) / float64(r.requests)
	}
	return r
}

// warm runs sc at conc unmeasured, so that caches and pools are filled.
func (m *measurer) warm(sc scenario, conc int) {
	if m.cfg.warmup > 0 {
		load(m.ctx, sc, conc, m.cfg.warmup, 0)
	}
}

// median warms sc up at conc and returns the median of its rounds.
func (m *measurer) median(sc scenario, conc int) result {
	m.warm(sc, conc)
	var rs []result
	for range m.cfg.rounds {
		rs = append(rs, m.measure(sc, conc))
	}
	return median(rs)
}

// stmtCol is the statements-per-request column: measured under load, or
// the in-process count.
func (m *measurer) stmtCol(r result, inproc int64) string {
	if m.metricsStmts {
		return fmt.Sprintf("%.1f", r.stmts)
	}
	return fmt.Sprint(inproc)
}

func header(kv ...string) http.Header {
	h := http.Header{}
	for i := 0; i+1 < len(kv); i += 2 {
		h.Set(kv[i], kv[i+1])
	}
	return h
}

func fixed(b []byte) func() ([]byte, bool) { return func() ([]byte, bool) { return b, true } }

// listings is (a), the raw handler and the deep cursor, round by round
// side by side so that the machine's load falls on all three alike.
func (m *measurer) listings(adminAuth, rawURL string) {
	after := m.rep.deepAt
	scA50 := scenario{name: scA, url: m.gql, header: header("Authorization", adminAuth), body: fixed(gqlBody(queryA, map[string]any{"first": 50}))}
	scRawA := scenario{name: scRaw, url: rawURL + "/bookings?first=50", header: header("Authorization", adminAuth), get: true}
	scDeepA := scenario{name: scDeep, url: m.gql, header: header("Authorization", adminAuth),
		body: fixed(gqlBody(queryA, map[string]any{"first": 50, "after": after}))}
	for _, c := range m.cfg.conc {
		m.warm(scA50, c)
		m.warm(scRawA, c)
		if after != "" {
			m.warm(scDeepA, c)
		}
		var ra, rr, rd []result
		for range m.cfg.rounds {
			ra = append(ra, m.measure(scA50, c))
			rr = append(rr, load(m.ctx, scRawA, c, m.cfg.duration, 0))
			if after != "" {
				rd = append(rd, m.measure(scDeepA, c))
			}
		}
		ma, mr := median(ra), median(rr)
		m.rep.add(scA, c, ma, m.stmtCol(ma, m.rep.stmtA50), "")
		m.rep.add(scRaw, c, mr, fmt.Sprint(rawStatements), "in the bench process")
		if after != "" {
			md := median(rd)
			m.rep.add(scDeep, c, md, m.stmtCol(md, m.rep.stmtDeep), "")
		}
		fmt.Printf("  a c%-3d seatgraph %.0f req/s, raw %.0f req/s: %.0f%%\n", c, ma.rps, mr.rps, 100*ma.rps/mr.rps)
	}
}

// eventPage is (b), the public event page, sent without a key.
func (m *measurer) eventPage() {
	sc := scenario{name: scB, url: m.gql, body: fixed(gqlBody(queryB, nil))}
	for _, c := range m.cfg.conc {
		r := m.median(sc, c)
		m.rep.add(scB, c, r, m.stmtCol(r, m.rep.stmtB), "")
		fmt.Printf("  b c%-3d %.0f req/s\n", c, r.rps)
	}
}

// bookings is (c): every request books one ticket on the hot event,
// anonymously, as a new booker, paying by invoice (so it confirms at once).
func (m *measurer) bookings() {
	var seq atomic.Int64
	run := randomHex(4)
	catID := gid.Encode(m.rep.seed.hotCategoryID)
	sc := scenario{name: scC, url: m.gql,
		body: func() ([]byte, bool) {
			n := seq.Add(1)
			return gqlBody(mutationC, map[string]any{"input": map[string]any{
				"booker":        map[string]any{"firstName": "Hot", "lastName": "Booker", "email": fmt.Sprintf("hot-%s-%d@bench.example", run, n)},
				"tickets":       []any{map[string]any{"ticketCategoryId": catID}},
				"paymentMethod": "INVOICE",
			}}), true
		},
		okBody: func(b []byte) bool { return bytes.Contains(b, []byte(`"status":"CONFIRMED"`)) },
	}
	for _, c := range m.cfg.conc {
		r := m.median(sc, c)
		m.rep.add(scC, c, r, m.stmtCol(r, m.rep.stmtC), fmt.Sprintf("%.0f confirmed/s", confirmedPerSec(r)))
		fmt.Printf("  c c%-3d %.0f req/s, %.0f confirmed bookings/s\n", c, r.rps, confirmedPerSec(r))
	}
}

// checkIns is (d): codes of confirmed, unchecked tickets, each sent once.
func (m *measurer) checkIns(checkinAuth string, codes []string) {
	var next atomic.Int64
	sc := scenario{name: scD, url: m.gql, header: header("Authorization", checkinAuth),
		body: func() ([]byte, bool) {
			i := int(next.Add(1)) - 1
			if i >= len(codes) {
				return nil, false
			}
			return gqlBody(mutationD, map[string]any{"code": codes[i]}), true
		},
		okBody: func(b []byte) bool { return bytes.Contains(b, []byte(`"checkedInAt":"`)) },
	}
	for _, c := range m.cfg.conc {
		r := m.median(sc, c)
		note := ""
		if r.stopped {
			note = "codes ran out"
		}
		m.rep.add(scD, c, r, m.stmtCol(r, m.rep.stmtD), note)
		fmt.Printf("  d c%-3d %.0f req/s\n", c, r.rps)
	}
	fmt.Printf("  %d check-in codes loaded, %d used\n", len(codes), min(int(next.Load()), len(codes)))
}
