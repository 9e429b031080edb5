package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"seatgraph/e2e/harness"
	"seatgraph/internal/store"
)

// startServer runs the server binary on dsn, its output going to logPath,
// and waits for /readyz. The server gets the bench's environment, so that
// SEATGRAPH_* settings apply to the server measured, and a /metrics
// address of its own for the statement counter.
func startServer(ctx context.Context, dsn, adminKey, logPath string) (*harness.Server, error) {
	logf, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	srv, err := harness.Start(ctx, harness.Options{
		DB:           dsn,
		Env:          []string{"SEATGRAPH_ADMIN_KEY=" + adminKey},
		InheritEnv:   true,
		Metrics:      true,
		Output:       logf,
		ReadyTimeout: 90 * time.Second,
	})
	if err != nil {
		logf.Close()
		if ctx.Err() != nil {
			return nil, err
		}
		return nil, fmt.Errorf("%w; its log: %s\n%s", err, logPath, tail(logPath))
	}
	go func() {
		<-srv.Done()
		logf.Close()
	}()
	return srv, nil
}

func tail(path string) string {
	b, _ := os.ReadFile(path)
	if len(b) > 2000 {
		b = b[len(b)-2000:]
	}
	return string(b)
}

// rssKiB reads VmRSS of a process.
func rssKiB(pid int) int64 {
	f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			f := strings.Fields(v)
			if len(f) > 0 {
				n, _ := strconv.ParseInt(f[0], 10, 64)
				return n
			}
		}
	}
	return 0
}

// rssSampler records the largest RSS of a process while it runs.
type rssSampler struct {
	mu   sync.Mutex
	max  int64
	stop chan struct{}
	done chan struct{}
}

func sampleRSS(pid int) *rssSampler {
	s := &rssSampler{stop: make(chan struct{}), done: make(chan struct{})}
	if pid == 0 {
		close(s.done)
		return s
	}
	go func() {
		defer close(s.done)
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		for {
			if v := rssKiB(pid); v > 0 {
				s.mu.Lock()
				s.max = max(s.max, v)
				s.mu.Unlock()
			}
			select {
			case <-s.stop:
				return
			case <-t.C:
			}
		}
	}()
	return s
}

// finish stops sampling and returns the largest RSS seen, in KiB.
func (s *rssSampler) finish() int64 {
	select {
	case <-s.stop:
	default:
		close(s.stop)
	}
	<-s.done
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.max
}

// statementCounter finds a SQL statement counter on the server's /metrics
// (base is its metrics address):
// the sum of the series whose metric name mentions "statement" and ends in
// _total. ok is false when the server exposes none.
func statementCounter(base string) (float64, bool) {
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		return 0, false
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return 0, false
	}
	var sum float64
	found := false
	sc := bufio.NewScanner(io.LimitReader(resp.Body, 8<<20))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		l := sc.Text()
		if l == "" || l[0] == '#' {
			continue
		}
		name := l
		if i := strings.IndexAny(l, "{ "); i >= 0 {
			name = l[:i]
		}
		if !strings.Contains(name, "statement") || !strings.HasSuffix(name, "_total") {
			continue
		}
		f := strings.Fields(l[strings.LastIndexByte(l, '}')+1:])
		if len(f) == 0 {
			continue
		}
		if v, err := strconv.ParseFloat(f[0], 64); err == nil {
			sum += v
			found = true
		}
	}
	return sum, found
}

// pgSchema makes a schema of the bench's own on the DATABASE_URL server and
// returns a DSN using it. With keep the schema has a fixed name and stays,
// so that a later run reuses its data; otherwise it is a fresh one, dropped
// by cleanup.
func pgSchema(ctx context.Context, base string, keep bool) (string, func(), error) {
	dsn, drop, err := store.CreateSchema(ctx, base, "seatgraph_bench", keep)
	if err != nil {
		return "", nil, err
	}
	if keep {
		fmt.Println("keeping the PostgreSQL schema seatgraph_bench")
		return dsn, func() {}, nil
	}
	return dsn, func() { _ = drop() }, nil
}
