// Package server is seatgraph's HTTP plumbing: configuration, routes next to
// /graphql (GraphiQL, health checks), CORS, per-request context, request
// logging and a server that shuts down gracefully.
package server

import (
	"errors"
	"flag"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Config is how the operator set up the server (API.md, "Running it").
type Config struct {
	Addr          string        // listen address
	DB            string        // DSN, see store.Parse
	Demo          bool          // fill an empty database with demo data
	CORSOrigins   []string      // allowed browser origins; none means no CORS headers at all
	PageSize      int           // list page size when a query asks for none
	MaxPageSize   int           // largest page a query may ask for
	Hold          time.Duration // how long a pending booking holds its seats
	ShutdownGrace time.Duration // how long in-flight requests get to finish on shutdown
	// RequestTimeout bounds one GraphQL request over HTTP (not websockets)
	// through its context; 0 means none.
	RequestTimeout time.Duration
	Production     bool     // hide GraphiQL and introspection
	MaxBodyBytes   int64    // request body limit; 0 means none
	Args           []string // arguments after the flags (subcommands)
}

// Defaults of the flags that have one.
const (
	DefaultAddr          = "127.0.0.1:8080"
	DefaultDB            = "file:seatgraph.db"
	DefaultPageSize      = 20
	DefaultMaxPageSize   = 100
	DefaultHold          = 15 * time.Minute
	DefaultShutdownGrace = 15 * time.Second
	// DefaultRequestTimeout stays below WriteTimeout, so that a request cut
	// off by it still gets its answer out.
	DefaultRequestTimeout = 30 * time.Second
	// DefaultMaxBodyBytes bounds POST bodies: gqlgen reads them whole with
	// no limit of its own (NOTES.md), and no legitimate query comes near 1 MiB.
	DefaultMaxBodyBytes = 1 << 20
)

// ParseFlags reads the configuration from command-line args (without the
// program name) and the environment. A flag wins over its environment
// variable, which wins over the default. getenv is os.Getenv in production;
// tests pass a map lookup.
func ParseFlags(args []string, getenv func(string) string) (Config, error) {
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
		pageSize    = env.int("SEATGRAPH_PAGE_SIZE", DefaultPageSize)
		maxPageSize = env.int("SEATGRAPH_MAX_PAGE_SIZE", DefaultMaxPageSize)
		hold        = env.duration("SEATGRAPH_HOLD", DefaultHold)
		production  = env.bool("SEATGRAPH_PRODUCTION", false)
		maxBody     = env.int64("SEATGRAPH_MAX_BODY_BYTES", DefaultMaxBodyBytes)
		reqTimeout  = env.duration("SEATGRAPH_REQUEST_TIMEOUT", DefaultRequestTimeout)
	)
	if env.err != nil {
		return Config{}, env.err
	}

	var cfg Config
	fs := flag.NewFlagSet("seatgraph", flag.ContinueOnError)
	fs.StringVar(&cfg.Addr, "addr", addr, "listen address (env SEATGRAPH_ADDR)")
	fs.StringVar(&cfg.DB, "db", db, "database: file:/path/x.db (SQLite) or postgres://... (env DATABASE_URL)")
	fs.BoolVar(&cfg.Demo, "demo", false, "fill an empty database with demo events, bookings and payments")
	fs.StringVar(&origins, "cors-origins", origins, "comma-separated allowed CORS origins, * for any (env SEATGRAPH_CORS_ORIGINS)")
	fs.IntVar(&cfg.PageSize, "page-size", pageSize, "default list page size (env SEATGRAPH_PAGE_SIZE)")
	fs.IntVar(&cfg.MaxPageSize, "max-page-size", maxPageSize, "largest list page size (env SEATGRAPH_MAX_PAGE_SIZE)")
	fs.DurationVar(&cfg.Hold, "hold", hold, "how long a pending booking holds its seats (env SEATGRAPH_HOLD)")
	fs.DurationVar(&cfg.ShutdownGrace, "shutdown-grace", DefaultShutdownGrace, "time in-flight requests get to finish on shutdown")
	fs.DurationVar(&cfg.RequestTimeout, "request-timeout", reqTimeout, "longest a GraphQL request over HTTP may run, 0 for none (env SEATGRAPH_REQUEST_TIMEOUT)")
	fs.BoolVar(&cfg.Production, "production", production, "production mode: no GraphiQL page, no introspection (env SEATGRAPH_PRODUCTION)")
	fs.Int64Var(&cfg.MaxBodyBytes, "max-body-bytes", maxBody, "request body limit in bytes, 0 for none (env SEATGRAPH_MAX_BODY_BYTES)")
	if err := fs.Parse(args); err != nil {
		return Config{}, err
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
	if c.PageSize < 1 {
		errs = append(errs, fmt.Errorf("-page-size must be at least 1, got %d", c.PageSize))
	}
	if c.MaxPageSize < c.PageSize {
		errs = append(errs, fmt.Errorf("-max-page-size (%d) must not be below -page-size (%d)", c.MaxPageSize, c.PageSize))
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
	if c.MaxBodyBytes < 0 {
		errs = append(errs, fmt.Errorf("-max-body-bytes must not be negative, got %d", c.MaxBodyBytes))
	}
	return errors.Join(errs...)
}

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
