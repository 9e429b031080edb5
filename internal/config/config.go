// Package config is seatgraph's one configuration value: Config, built
// from flags and environment by Parse in one place, with every default
// written once (the Default constants here and Defaults for the request
// limits). Everything else reads the value it is handed.
package config

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"
)

// Config is how the operator set up the server (docs/operations.md).
type Config struct {
	Addr          string        // listen address
	DB            string        // DSN, see store.Parse
	Demo          bool          // fill an empty database with demo data
	CORSOrigins   []string      // allowed browser origins; none means no CORS headers at all
	Hold          time.Duration // how long a pending booking holds its seats
	ShutdownGrace time.Duration // how long in-flight requests get to finish on shutdown
	// RequestTimeout bounds one GraphQL request over HTTP (not websockets)
	// through its context; 0 means none.
	RequestTimeout time.Duration
	Production     bool // hide GraphiQL; introspection defaults to off
	// Introspection answers __schema and __type (GraphiQL, code generators
	// and client tooling need it); on unless -production.
	Introspection bool
	// MetricsAddr serves /metrics (Prometheus) on a listener of its own,
	// loopback by default, so that the public port never shows it; empty
	// means no metrics endpoint.
	MetricsAddr string
	// PprofAddr serves net/http/pprof on a listener of its own; it must be
	// a loopback address, since profiles show memory contents and a CPU
	// profile costs the server while it runs. Empty, the default, means off.
	PprofAddr string
	// MemoryLimit is the Go runtime's soft memory limit in bytes
	// (debug.SetMemoryLimit), applied at start; 0 leaves the runtime alone.
	// It is 0 whenever GOMEMLIMIT is set: the runtime read that itself, and
	// an operator who set it meant it.
	MemoryLimit int64
	// Limits bound each request; every layer reads this one value.
	Limits Limits
	Args   []string // arguments after the flags (subcommands)
}

// Defaults of the flags that have one.
const (
	DefaultAddr          = "127.0.0.1:8080"
	DefaultDB            = "file:seatgraph.db"
	DefaultHold          = 15 * time.Minute
	DefaultShutdownGrace = 15 * time.Second
	// DefaultRequestTimeout stays below WriteTimeout, so that a request cut
	// off by it still gets its answer out.
	DefaultRequestTimeout = 30 * time.Second
	DefaultMetricsAddr    = "127.0.0.1:9464"
	// DefaultPprofAddr is off: profiling is switched on when needed.
	DefaultPprofAddr = ""
	// DefaultMemoryLimit is a soft limit on the Go runtime's memory: near
	// it the garbage collector runs more often instead of letting the heap
	// grow to twice the live data (GOGC=100). It must stay well above what
	// the load needs, or the collector runs without pause: under the
	// bench's c64 booking-list load a 48 MiB limit cut throughput to between
	// a sixth and a third, while from 64 MiB up no cost was measurable.
	// 96 MiB leaves headroom for larger pages and bursts and still fits a
	// 128 MiB container beside what the limit does not count (the mapped
	// binary, SQLite's page caches); see docs/operations.md, "Memory".
	DefaultMemoryLimit = "96MiB"
)

// Parse reads the configuration from command-line args (without the
// program name) and the environment. A flag wins over its environment
// variable, which wins over the default. getenv is os.Getenv in production;
// tests pass a map lookup.
func Parse(args []string, getenv func(string) string) (Config, error) {
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	env := envReader{getenv: getenv}
	// Environment values become the flags' defaults, so that an explicit flag
	// simply overrides them and -h shows what is in effect.
	var (
		addr        = env.str("SEATGRAPH_ADDR", DefaultAddr)
		db          = env.str("DATABASE_URL", DefaultDB)
		origins     = env.str("SEATGRAPH_CORS_ORIGINS", "")
		hold        = env.duration("SEATGRAPH_HOLD", DefaultHold)
		production  = env.bool("SEATGRAPH_PRODUCTION", false)
		metricsAddr = env.str("SEATGRAPH_METRICS_ADDR", DefaultMetricsAddr)
		reqTimeout  = env.duration("SEATGRAPH_REQUEST_TIMEOUT", DefaultRequestTimeout)
		pprofAddr   = env.str("SEATGRAPH_PPROF_ADDR", DefaultPprofAddr)
		memLimit    = env.str("SEATGRAPH_MEMORY_LIMIT", DefaultMemoryLimit)
	)
	// Introspection follows -production unless it is set itself.
	var introspection optionalBool
	if v, ok := env.lookup("SEATGRAPH_INTROSPECTION"); ok {
		if err := introspection.Set(v); err != nil {
			env.fail("SEATGRAPH_INTROSPECTION", v, err)
		}
	}
	var cfg Config
	fs := flag.NewFlagSet("seatgraph", flag.ContinueOnError)
	limitFlags(fs, &env, &cfg.Limits)
	if env.err != nil {
		return Config{}, env.err
	}
	fs.StringVar(&cfg.Addr, "addr", addr, "listen address (env SEATGRAPH_ADDR)")
	fs.StringVar(&cfg.DB, "db", db, "database: file:/path/x.db (SQLite) or postgres://... (env DATABASE_URL)")
	fs.BoolVar(&cfg.Demo, "demo", false, "fill an empty database with demo events, bookings and payments")
	fs.StringVar(&origins, "cors-origins", origins, "comma-separated allowed CORS origins, * for any (env SEATGRAPH_CORS_ORIGINS)")
	fs.DurationVar(&cfg.Hold, "hold", hold, "how long a pending booking holds its seats (env SEATGRAPH_HOLD)")
	fs.DurationVar(&cfg.ShutdownGrace, "shutdown-grace", DefaultShutdownGrace, "time in-flight requests get to finish on shutdown")
	fs.DurationVar(&cfg.RequestTimeout, "request-timeout", reqTimeout, "longest a GraphQL request over HTTP may run, 0 for none (env SEATGRAPH_REQUEST_TIMEOUT)")
	fs.BoolVar(&cfg.Production, "production", production, "production mode: no GraphiQL page, introspection off unless -introspection (env SEATGRAPH_PRODUCTION)")
	fs.Var(&introspection, "introspection", "answer __schema and __type queries: true or false; default true, false with -production (env SEATGRAPH_INTROSPECTION)")
	fs.StringVar(&cfg.MetricsAddr, "metrics-addr", metricsAddr, "address serving /metrics, empty for none (env SEATGRAPH_METRICS_ADDR)")
	fs.StringVar(&cfg.PprofAddr, "pprof", pprofAddr, "loopback address serving /debug/pprof/, empty for none (env SEATGRAPH_PPROF_ADDR)")
	fs.StringVar(&memLimit, "memory-limit", memLimit, "Go soft memory limit, e.g. 96MiB or 1GiB, 0 for none; ignored when GOMEMLIMIT is set (env SEATGRAPH_MEMORY_LIMIT)")
	if err := fs.Parse(args); err != nil {
		return Config{}, err
	}
	limit, err := ParseBytes(memLimit)
	if err != nil {
		return Config{}, fmt.Errorf("-memory-limit (env SEATGRAPH_MEMORY_LIMIT) %q: %w", memLimit, err)
	}
	if _, set := env.lookup("GOMEMLIMIT"); !set {
		cfg.MemoryLimit = limit
	}
	cfg.Introspection = !cfg.Production
	if introspection.set {
		cfg.Introspection = introspection.on
	}
	cfg.CORSOrigins = splitList(origins)
	if rest := fs.Args(); len(rest) > 0 {
		cfg.Args = rest
	}
	if err := cfg.Validate(); err != nil {
		return Config{}, err
	}
	return cfg, nil
}

// Validate reports settings that cannot work together.
func (c Config) Validate() error {
	var errs []error
	if c.Addr == "" {
		errs = append(errs, errors.New("-addr must not be empty"))
	}
	if err := c.Limits.Validate(); err != nil {
		errs = append(errs, err)
	}
	if c.Hold <= 0 {
		errs = append(errs, fmt.Errorf("-hold must be positive, got %s", c.Hold))
	}
	if c.ShutdownGrace < 0 {
		errs = append(errs, fmt.Errorf("-shutdown-grace must not be negative, got %s", c.ShutdownGrace))
	}
	if c.RequestTimeout < 0 {
		errs = append(errs, fmt.Errorf("-request-timeout must not be negative, got %s", c.RequestTimeout))
	}
	if c.PprofAddr != "" && !isLoopback(c.PprofAddr) {
		errs = append(errs, fmt.Errorf("-pprof must be a loopback address such as 127.0.0.1:6060, got %q: "+
			"profiles expose memory contents and cost CPU, so they are never served beyond this host", c.PprofAddr))
	}
	if c.MemoryLimit < 0 {
		errs = append(errs, fmt.Errorf("-memory-limit must not be negative, got %d", c.MemoryLimit))
	}
	return errors.Join(errs...)
}

// isLoopback reports whether addr (host:port) can only be reached from
// this host: "localhost" or a loopback IP. An empty host listens on every
// interface, so it is not.
func isLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// ParseBytes reads a size in GOMEMLIMIT's syntax: a number of bytes with
// an optional unit B, KiB, MiB, GiB or TiB, so that one value can move
// between the flag and the variable. "0" and "off" mean no limit (0).
func ParseBytes(s string) (int64, error) {
	s = strings.TrimSpace(s)
	if s == "off" {
		return 0, nil
	}
	units := []struct {
		suffix string
		shift  uint
	}{{"TiB", 40}, {"GiB", 30}, {"MiB", 20}, {"KiB", 10}, {"B", 0}}
	num, shift := s, uint(0)
	for _, u := range units {
		if n, ok := strings.CutSuffix(s, u.suffix); ok {
			num, shift = strings.TrimSpace(n), u.shift
			break
		}
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil {
		return 0, errors.New("want a number of bytes with an optional unit B, KiB, MiB, GiB or TiB, or off")
	}
	if n < 0 {
		return 0, errors.New("must not be negative")
	}
	if n > (1<<63-1)>>shift {
		return 0, errors.New("too large")
	}
	return n << shift, nil
}

// limitFlags registers a flag (with its environment variable) for every
// field of Limits; their defaults are Defaults.
func limitFlags(fs *flag.FlagSet, env *envReader, l *Limits) {
	d := Defaults
	ints := []struct {
		dst        *int
		flag, name string
		def        int
		usage      string
	}{
		{&l.Tokens, "max-tokens", "SEATGRAPH_MAX_TOKENS", d.Tokens, "most tokens in a query document"},
		{&l.Depth, "max-depth", "SEATGRAPH_MAX_DEPTH", d.Depth, "deepest nesting of selections"},
		{&l.Aliases, "max-aliases", "SEATGRAPH_MAX_ALIASES", d.Aliases, "most aliased fields in an operation"},
		{&l.Cost, "max-cost", "SEATGRAPH_MAX_COST", d.Cost, "highest estimated cost of an operation (an object counts 1, a list its page size times its children)"},
		{&l.Fields, "max-fields", "SEATGRAPH_MAX_FIELDS", d.Fields, "most field selections in a document, fragments included"},
		{&l.Fragments, "max-fragments", "SEATGRAPH_MAX_FRAGMENTS", d.Fragments, "most fragment definitions in a document"},
		{&l.InputDepth, "max-input-depth", "SEATGRAPH_MAX_INPUT_DEPTH", d.InputDepth, "deepest nesting of lists and input objects in arguments and variables"},
		{&l.PageSize, "page-size", "SEATGRAPH_PAGE_SIZE", d.PageSize, "list page size when a query asks for none"},
		{&l.MaxPageSize, "max-page-size", "SEATGRAPH_MAX_PAGE_SIZE", d.MaxPageSize, "largest first, last or take"},
		{&l.FilterString, "max-filter-length", "SEATGRAPH_MAX_FILTER_LENGTH", d.FilterString, "longest string, in characters, in a list filter"},
	}
	for _, f := range ints {
		fs.IntVar(f.dst, f.flag, env.int(f.name, f.def), f.usage+" (env "+f.name+")")
	}
	fs.Int64Var(&l.BodyBytes, "max-body-bytes", env.int64("SEATGRAPH_MAX_BODY_BYTES", d.BodyBytes), "request body limit in bytes, 0 for none (env SEATGRAPH_MAX_BODY_BYTES)")
}

// optionalBool is a boolean flag that knows whether it was given.
type optionalBool struct{ on, set bool }

func (b *optionalBool) Set(s string) error {
	v, err := strconv.ParseBool(s)
	if err != nil {
		return errors.New("must be true or false")
	}
	b.on, b.set = v, true
	return nil
}

func (b *optionalBool) String() string {
	if b == nil || !b.set {
		return ""
	}
	return strconv.FormatBool(b.on)
}

// IsBoolFlag lets "-introspection" stand for "-introspection=true".
func (b *optionalBool) IsBoolFlag() bool { return true }

// splitList splits a comma-separated list, dropping blanks so that a
// trailing comma or "a, b" works as meant.
func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// envReader collects the first malformed variable, so that a typo in the
// environment stops the start instead of silently using a default.
type envReader struct {
	getenv func(string) string
	err    error
}

func (e *envReader) lookup(name string) (string, bool) {
	v := strings.TrimSpace(e.getenv(name))
	return v, v != ""
}

func (e *envReader) fail(name, v string, err error) {
	if e.err == nil {
		e.err = fmt.Errorf("environment variable %s=%q: %w", name, v, err)
	}
}

func (e *envReader) str(name, def string) string {
	if v, ok := e.lookup(name); ok {
		return v
	}
	return def
}

func (e *envReader) int(name string, def int) int {
	v, ok := e.lookup(name)
	if !ok {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		e.fail(name, v, err)
		return def
	}
	return n
}

func (e *envReader) int64(name string, def int64) int64 {
	v, ok := e.lookup(name)
	if !ok {
		return def
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		e.fail(name, v, err)
		return def
	}
	return n
}

func (e *envReader) bool(name string, def bool) bool {
	v, ok := e.lookup(name)
	if !ok {
		return def
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		e.fail(name, v, err)
		return def
	}
	return b
}

func (e *envReader) duration(name string, def time.Duration) time.Duration {
	v, ok := e.lookup(name)
	if !ok {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		e.fail(name, v, err)
		return def
	}
	return d
}
