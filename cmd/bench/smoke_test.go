package main

import (
	"strings"
	"testing"
)

// TestSmokeCheck: a smoke run fails on a scenario's failed requests, on a
// scenario that sent none, and on a wrong answer; it passes otherwise,
// whatever the speed.
func TestSmokeCheck(t *testing.T) {
	good := func() *report {
		return &report{name: "sqlite", sameAsRaw: "yes", binarySameAsRaw: "yes", stmtA10: 6, stmtA50: 6,
			rows: []row{
				{scenario: scA, conc: 16, res: result{requests: 3, rps: 1}},
				{scenario: scC, conc: 64, res: result{requests: 9, rps: 1}},
			}}
	}
	tests := []struct {
		name  string
		spoil func(*report)
		want  string
	}{
		{name: "all well, however slow"},
		{name: "failed requests", spoil: func(r *report) { r.rows[1].res.errors = 2 }, want: "2 of 9 requests failed"},
		{name: "no request", spoil: func(r *report) { r.rows[0].res.requests = 0 }, want: "sent no request"},
		{name: "in process answer differs", spoil: func(r *report) { r.sameAsRaw = "NO" }, want: "in process"},
		{name: "server answer differs", spoil: func(r *report) { r.binarySameAsRaw = "NO" }, want: "server binary"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := good()
			if tt.spoil != nil {
				tt.spoil(r)
			}
			err := smokeCheck([]*report{r})
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("smokeCheck = %v, want nil", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("smokeCheck = %v, want an error with %q", err, tt.want)
			}
		})
	}
}

// TestSmokeFlags: -smoke brings its own small defaults, and a flag given
// beside it wins.
func TestSmokeFlags(t *testing.T) {
	cfg, err := parseFlags([]string{"-smoke", "-bookings", "500"})
	if err != nil {
		t.Fatal(err)
	}
	if !cfg.smoke || cfg.bookings != 500 || cfg.events != 6 || cfg.rounds != 1 || cfg.warmup != 0 || len(cfg.conc) != 2 {
		t.Errorf("parseFlags(-smoke -bookings 500) = %+v", cfg)
	}
}
