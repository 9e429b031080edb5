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
	lats := make([][]time.Duration, conc)
	errs := make([]int, conc)
	var stopped atomic.Bool
	start := time.Now()
	deadline := start.Add(d)
	var wg sync.WaitGroup
	for w := range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			my := make([]time.Duration, 0, 4096)
			var buf bytes.Buffer
			for ctx.Err() == nil && time.Now().Before(deadline) {
				var req *http.Request
				if sc.get {
					req, _ = http.NewRequestWithContext(ctx, http.MethodGet, sc.url, nil)
				} else {
					body, ok := sc.body()
					if !ok {
						stopped.Store(true)
						break
					}
					req, _ = http.NewRequestWithContext(ctx, http.MethodPost, sc.url, bytes.NewReader(body))
					req.Header.Set("Content-Type", "application/json")
				}
				for k, v := range sc.header {
					req.Header[k] = v
				}
				t0 := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					if ctx.Err() != nil {
						break // interrupted: not counted
					}
					errs[w]++
					my = append(my, time.Since(t0))
					continue
				}
				buf.Reset()
				_, err = buf.ReadFrom(resp.Body)
				resp.Body.Close()
				lat := time.Since(t0)
				if err != nil && ctx.Err() != nil {
					break
				}
				my = append(my, lat)
				ok := err == nil && resp.StatusCode == http.StatusOK
				if ok {
					if sc.okBody != nil {
						ok = sc.okBody(buf.Bytes())
					} else {
						ok = graphqlOK(buf.Bytes())
					}
				}
				if !ok {
					errs[w]++
				}
			}
			lats[w] = my
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	var all []time.Duration
	r := result{elapsed: elapsed, rssKiB: rss.finish(), stopped: stopped.Load()}
	for w := range conc {
		all = append(all, lats[w]...)
		r.errors += errs[w]
	}
	r.requests = len(all)
	r.rps = float64(r.requests) / elapsed.Seconds()
	slices.Sort(all)
	r.p50, r.p95, r.p99 = quantile(all, 0.50), quantile(all, 0.95), quantile(all, 0.99)
	return r
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
