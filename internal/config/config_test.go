package config

import (
	"errors"
	"flag"
	"reflect"
	"testing"
	"time"
)

func TestParseFlags(t *testing.T) {
	defaults := Config{
		Addr: DefaultAddr, DB: DefaultDB, Limits: Defaults,
		Hold: 15 * time.Minute, ShutdownGrace: 15 * time.Second,
		RequestTimeout: 30 * time.Second, Introspection: true, MetricsAddr: DefaultMetricsAddr,
		MemoryLimit: 96 << 20,
	}
	with := func(f func(*Config)) Config {
		c := defaults
		f(&c)
		return c
	}
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		want    Config
		wantErr bool
	}{
		{name: "defaults", want: defaults},
		{
			name: "env applies",
			env: map[string]string{
				"SEATGRAPH_ADDR": ":9000", "DATABASE_URL": "postgres://h/db",
				"SEATGRAPH_CORS_ORIGINS": "https://a.example, https://b.example,",
				"SEATGRAPH_PAGE_SIZE":    "10", "SEATGRAPH_MAX_PAGE_SIZE": "50",
				"SEATGRAPH_HOLD": "5m", "SEATGRAPH_PRODUCTION": "true",
				"SEATGRAPH_REQUEST_TIMEOUT": "2s", "SEATGRAPH_MAX_COST": "500",
				"SEATGRAPH_MAX_FILTER_LENGTH": "64", "SEATGRAPH_METRICS_ADDR": "127.0.0.1:9100",
			},
			want: with(func(c *Config) {
				c.Addr, c.DB = ":9000", "postgres://h/db"
				c.CORSOrigins = []string{"https://a.example", "https://b.example"}
				c.Limits.PageSize, c.Limits.MaxPageSize, c.Hold, c.Production = 10, 50, 5*time.Minute, true
				c.Limits.Cost, c.Limits.FilterString = 500, 64
				c.RequestTimeout, c.Introspection, c.MetricsAddr = 2*time.Second, false, "127.0.0.1:9100"
			}),
		},
		{
			name: "flags win over env",
			args: []string{
				"-addr", ":7000", "-db", "file:/tmp/x.db", "-cors-origins", "*",
				"-page-size", "5", "-max-page-size", "7", "-hold", "30s",
				"-production=false", "-shutdown-grace", "3s", "-demo", "-request-timeout", "0",
				"-max-depth", "9", "-max-tokens", "900", "-max-body-bytes", "2048", "-metrics-addr", "",
			},
			env: map[string]string{
				"SEATGRAPH_ADDR": ":9000", "DATABASE_URL": "postgres://h/db",
				"SEATGRAPH_CORS_ORIGINS": "https://a.example", "SEATGRAPH_PAGE_SIZE": "10",
				"SEATGRAPH_MAX_PAGE_SIZE": "50", "SEATGRAPH_HOLD": "5m", "SEATGRAPH_PRODUCTION": "1",
				"SEATGRAPH_REQUEST_TIMEOUT": "2s",
			},
			want: with(func(c *Config) {
				c.Addr, c.DB, c.CORSOrigins = ":7000", "file:/tmp/x.db", []string{"*"}
				c.Limits.PageSize, c.Limits.MaxPageSize, c.Hold = 5, 7, 30*time.Second
				c.ShutdownGrace, c.Demo, c.RequestTimeout = 3*time.Second, true, 0
				c.Limits.Depth, c.Limits.Tokens, c.Limits.BodyBytes, c.MetricsAddr = 9, 900, 2048, ""
			}),
		},
		{
			name: "empty env counts as unset",
			env:  map[string]string{"SEATGRAPH_ADDR": "", "SEATGRAPH_PAGE_SIZE": " "},
			want: defaults,
		},
		{
			name: "remaining args are kept",
			args: []string{"-db", "x.db", "tenant", "create", "acme"},
			want: with(func(c *Config) { c.DB, c.Args = "x.db", []string{"tenant", "create", "acme"} }),
		},
		{name: "bad env int", env: map[string]string{"SEATGRAPH_PAGE_SIZE": "ten"}, wantErr: true},
		{name: "bad env bool", env: map[string]string{"SEATGRAPH_PRODUCTION": "yes please"}, wantErr: true},
		{name: "bad env duration", env: map[string]string{"SEATGRAPH_HOLD": "15"}, wantErr: true},
		{name: "bad env request timeout", env: map[string]string{"SEATGRAPH_REQUEST_TIMEOUT": "30"}, wantErr: true},
		{name: "negative request timeout", args: []string{"-request-timeout", "-1s"}, wantErr: true},
		{name: "unknown flag", args: []string{"-nope"}, wantErr: true},
		{name: "page size above max", args: []string{"-page-size", "200"}, wantErr: true},
		{name: "zero page size", args: []string{"-page-size", "0"}, wantErr: true},
		{name: "zero hold", args: []string{"-hold", "0s"}, wantErr: true},
		{name: "zero cost limit", args: []string{"-max-cost", "0"}, wantErr: true},
		{name: "bad env limit", env: map[string]string{"SEATGRAPH_MAX_DEPTH": "deep"}, wantErr: true},
		{name: "bad introspection env", env: map[string]string{"SEATGRAPH_INTROSPECTION": "maybe"}, wantErr: true},
		{
			name: "pprof on loopback",
			args: []string{"-pprof", "127.0.0.1:6060"},
			want: with(func(c *Config) { c.PprofAddr = "127.0.0.1:6060" }),
		},
		{
			name: "pprof by env on localhost",
			env:  map[string]string{"SEATGRAPH_PPROF_ADDR": "localhost:0"},
			want: with(func(c *Config) { c.PprofAddr = "localhost:0" }),
		},
		{
			name: "pprof on IPv6 loopback",
			args: []string{"-pprof", "[::1]:6060"},
			want: with(func(c *Config) { c.PprofAddr = "[::1]:6060" }),
		},
		{name: "pprof on every interface", args: []string{"-pprof", ":6060"}, wantErr: true},
		{name: "pprof on a public address", args: []string{"-pprof", "0.0.0.0:6060"}, wantErr: true},
		{name: "pprof on a host name", env: map[string]string{"SEATGRAPH_PPROF_ADDR": "example.com:6060"}, wantErr: true},
		{name: "pprof without a port", args: []string{"-pprof", "127.0.0.1"}, wantErr: true},
		{
			name: "memory limit by flag",
			args: []string{"-memory-limit", "1GiB"},
			want: with(func(c *Config) { c.MemoryLimit = 1 << 30 }),
		},
		{
			name: "memory limit by env, in bytes",
			env:  map[string]string{"SEATGRAPH_MEMORY_LIMIT": "1000000"},
			want: with(func(c *Config) { c.MemoryLimit = 1000000 }),
		},
		{
			name: "memory limit off",
			args: []string{"-memory-limit", "off"},
			want: with(func(c *Config) { c.MemoryLimit = 0 }),
		},
		{
			name: "GOMEMLIMIT wins over the default and the flag",
			args: []string{"-memory-limit", "64MiB"},
			env:  map[string]string{"GOMEMLIMIT": "200MiB"},
			want: with(func(c *Config) { c.MemoryLimit = 0 }),
		},
		{name: "memory limit with a unit GOMEMLIMIT does not know", args: []string{"-memory-limit", "48MB"}, wantErr: true},
		{name: "negative memory limit", args: []string{"-memory-limit", "-1MiB"}, wantErr: true},
		{name: "memory limit overflows", args: []string{"-memory-limit", "9000000TiB"}, wantErr: true},
		{name: "bad memory limit env", env: map[string]string{"SEATGRAPH_MEMORY_LIMIT": "lots"}, wantErr: true},
		{
			name: "introspection off",
			args: []string{"-introspection=false"},
			want: with(func(c *Config) { c.Introspection = false }),
		},
		{
			name: "introspection off by env",
			env:  map[string]string{"SEATGRAPH_INTROSPECTION": "false"},
			want: with(func(c *Config) { c.Introspection = false }),
		},
		{
			name: "introspection on in production when asked",
			args: []string{"-production", "-introspection"},
			want: with(func(c *Config) { c.Production, c.Introspection = true, true }),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(tt.args, func(k string) string { return tt.env[k] })
			if tt.wantErr {
				if err == nil {
					t.Fatalf("Parse = %+v, want error", got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Parse\n got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestParseFlagsHelp(t *testing.T) {
	_, err := Parse([]string{"-h"}, nil)
	if !errors.Is(err, flag.ErrHelp) {
		t.Errorf("-h: err = %v, want flag.ErrHelp so the caller can exit 0", err)
	}
}

func TestParseBytes(t *testing.T) {
	tests := []struct {
		in      string
		want    int64
		wantErr bool
	}{
		{in: "0", want: 0},
		{in: "off", want: 0},
		{in: "512", want: 512},
		{in: "512B", want: 512},
		{in: "4KiB", want: 4 << 10},
		{in: "48MiB", want: 48 << 20},
		{in: " 2 GiB ", want: 2 << 30},
		{in: "1TiB", want: 1 << 40},
		{in: "", wantErr: true},
		{in: "MiB", wantErr: true},
		{in: "1.5GiB", wantErr: true},
		{in: "48M", wantErr: true},
		{in: "-5", wantErr: true},
	}
	for _, tt := range tests {
		got, err := ParseBytes(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("ParseBytes(%q) = %d, %v; want %d, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}
