package main

import (
	"bytes"
	"context"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// scenario is one kind of request sent over and over.
type scenario struct {
	name   string
	url    string
	header http.Header
	// body returns the next request body; ok false means there is nothing
	// more to send (the check-in codes ran out), which stops the client.
	body func() (b []byte, ok bool)
	// okBody tells whether a 200 response body is a success; nil means any
	// body without GraphQL errors.
	okBody func([]byte) bool
	// get sends GETs to url instead of POSTing body.
	get bool
}

var errorsMarker = []byte(`"errors":[`)

func graphqlOK(b []byte) bool { return !bytes.Contains(b, errorsMarker) }

// result is one measured round.
type result struct {
	requests int
	errors   int
	elapsed  time.Duration
	rps      float64
	p50      time.Duration
	p95      time.Duration
	p99      time.Duration
	rssKiB   int64 // largest server RSS during the round
	stmts    float64
	stopped  bool // a client ran out of work before the time was up
}

func newClient(conc int) *http.Client {
	tr := &http.Transport{
		MaxIdleConns:        conc * 2,
		MaxIdleConnsPerHost: conc * 2,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
	}
	return &http.Client{Transport: tr, Timeout: 60 * time.Second}
}

// load runs sc with conc clients for d and measures it; pid (0 for none)
// is the process whose RSS is sampled. Clients start no request after d;
// requests in flight then are waited for and counted, so that the slowest
// ones are not dropped from the latencies.
func load(ctx context.Context, sc scenario, conc int, d time.Duration, pid int) result {
	client := newClient(conc)
	defer client.CloseIdleConnections()
	rss := sampleRSS(pid)
	var stopped atomic.Bool
	start := time.Now()
	workers := make([]*loadWorker, conc)
	var wg sync.WaitGroup
	for i := range workers {
		w := &loadWorker{ctx: ctx, sc: sc, client: client, deadline: start.Add(d), stopped: &stopped}
		workers[i] = w
		wg.Add(1)
		go func() {
			defer wg.Done()
			w.run()
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	r := result{elapsed: elapsed, rssKiB: rss.finish(), stopped: stopped.Load()}
	var all []time.Duration
	for _, w := range workers {
		all = append(all, w.lats...)
		r.errors += w.errs
	}
	r.requests = len(all)
	r.rps = float64(r.requests) / elapsed.Seconds()
	slices.Sort(all)
	r.p50, r.p95, r.p99 = quantile(all, 0.50), quantile(all, 0.95), quantile(all, 0.99)
	return r
}

// loadWorker is one client of a load run, sending one request after the
// other.
type loadWorker struct {
	ctx      context.Context
	sc       scenario
	client   *http.Client
	deadline time.Time
	stopped  *atomic.Bool // set when the scenario ran out of bodies

	lats []time.Duration
	errs int
	buf  bytes.Buffer
}

func (w *loadWorker) run() {
	w.lats = make([]time.Duration, 0, 4096)
	for w.ctx.Err() == nil && time.Now().Before(w.deadline) {
		req, ok := w.request()
		if !ok {
			w.stopped.Store(true)
			return
		}
		if !w.send(req) {
			return
		}
	}
}

// request is the next request; ok is false when the scenario has no more
// bodies.
func (w *loadWorker) request() (*http.Request, bool) {
	var req *http.Request
	if w.sc.get {
		req, _ = http.NewRequestWithContext(w.ctx, http.MethodGet, w.sc.url, nil)
	} else {
		body, ok := w.sc.body()
		if !ok {
			return nil, false
		}
		req, _ = http.NewRequestWithContext(w.ctx, http.MethodPost, w.sc.url, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range w.sc.header {
		req.Header[k] = v
	}
	return req, true
}

// send sends req and records its latency and whether it failed. It
// returns false when the run was interrupted (^C): that request is not
// counted.
func (w *loadWorker) send(req *http.Request) bool {
	t0 := time.Now()
	resp, err := w.client.Do(req)
	if err != nil {
		if w.ctx.Err() != nil {
			return false
		}
		w.errs++
		w.lats = append(w.lats, time.Since(t0))
		return true
	}
	w.buf.Reset()
	_, err = w.buf.ReadFrom(resp.Body)
	resp.Body.Close()
	lat := time.Since(t0)
	if err != nil && w.ctx.Err() != nil {
		return false
	}
	w.lats = append(w.lats, lat)
	ok := err == nil && resp.StatusCode == http.StatusOK
	if ok {
		if w.sc.okBody != nil {
			ok = w.sc.okBody(w.buf.Bytes())
		} else {
			ok = graphqlOK(w.buf.Bytes())
		}
	}
	if !ok {
		w.errs++
	}
	return true
}

func quantile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(q*float64(len(sorted))+0.5) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

// median returns the round with the median throughput, with the totals
// (requests, errors) and the largest RSS of all rounds.
func median(rounds []result) result {
	if len(rounds) == 0 {
		return result{}
	}
	sorted := slices.Clone(rounds)
	slices.SortFunc(sorted, func(a, b result) int {
		switch {
		case a.rps < b.rps:
			return -1
		case a.rps > b.rps:
			return 1
		}
		return 0
	})
	m := sorted[(len(sorted)-1)/2]
	m.requests, m.errors, m.rssKiB = 0, 0, 0
	for _, r := range rounds {
		m.requests += r.requests
		m.errors += r.errors
		m.rssKiB = max(m.rssKiB, r.rssKiB)
		m.stopped = m.stopped || r.stopped
	}
	return m
}
