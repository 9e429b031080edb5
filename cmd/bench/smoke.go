package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"time"
)

// Smoke mode (-smoke) runs every step of the bench on a tiny data set for
// a moment each, so that CI exercises the bench's code paths (seeding, the
// in-process counts, the server binary, every scenario, the report and the
// target checks) in seconds. It asserts nothing about speed; it fails when
// a scenario errors or answers wrongly.
var smokeDefaults = map[string]string{
	"bookings":    "300",
	"events":      "6",
	"duration":    "300ms",
	"rounds":      "1",
	"warmup":      "0s",
	"concurrency": "16,64",
	// The peer needs npm and a download: not for a smoke run.
	"postgraphile": "false",
}

// applySmoke sets the smoke defaults of the flags not given on the command
// line.
func applySmoke(set func(name, value string) error, given map[string]bool) error {
	for name, v := range smokeDefaults {
		if !given[name] {
			if err := set(name, v); err != nil {
				return err
			}
		}
	}
	return nil
}

// smokeCheck is the verdict of a smoke run: every scenario answered every
// request correctly, at every concurrency, and seatgraph's booking list is
// the raw handler's, in process and from the server binary.
func smokeCheck(reports []*report) error {
	var errs []error
	for _, r := range reports {
		if r.sameAsRaw != "yes" {
			errs = append(errs, fmt.Errorf("%s: in process, seatgraph's booking list differs from the raw handler's", r.name))
		}
		if r.binarySameAsRaw != "yes" {
			errs = append(errs, fmt.Errorf("%s: the server binary's booking list differs from the raw handler's: %s", r.name, r.binarySameAsRaw))
		}
		if r.stmtA10 <= 0 || r.stmtA50 <= 0 {
			errs = append(errs, fmt.Errorf("%s: no statements counted for the booking list", r.name))
		}
		for _, x := range r.rows {
			switch {
			case x.res.requests == 0:
				errs = append(errs, fmt.Errorf("%s: %s at c%d sent no request", r.name, x.scenario, x.conc))
			case x.res.errors > 0:
				errs = append(errs, fmt.Errorf("%s: %s at c%d: %d of %d requests failed", r.name, x.scenario, x.conc, x.res.errors, x.res.requests))
			}
		}
	}
	return errors.Join(errs...)
}

// compareBinaryWithRaw asks the running server for the booking list of
// scenario a and compares it with the raw handler's answer at the same
// moment: what the load measures must be the right answer, not just one
// without errors.
func compareBinaryWithRaw(ctx context.Context, gqlURL string, raw *rawHandler) string {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, gqlURL, bytes.NewReader(gqlBody(queryA, map[string]any{"first": 50})))
	if err != nil {
		return err.Error()
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", raw.auth)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err.Error()
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return err.Error()
	}
	if resp.StatusCode != http.StatusOK || !graphqlOK(body) {
		return fmt.Sprintf("status %d: %.300s", resp.StatusCode, body)
	}
	rr, err := raw.page(ctx, 50)
	if err != nil {
		return "raw handler: " + err.Error()
	}
	rb, _ := json.Marshal(rr)
	var x, y any
	if err := json.Unmarshal(body, &x); err != nil {
		return err.Error()
	}
	_ = json.Unmarshal(rb, &y)
	if !reflect.DeepEqual(x, y) {
		return fmt.Sprintf("NO\nserver: %.600s\nraw:    %.600s", body, rb)
	}
	return "yes"
}
