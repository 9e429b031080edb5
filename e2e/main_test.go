package e2e

import (
	"context"
	"errors"
	"os"
	"testing"

	"seatgraph/e2e/harness"
)

// TestMain removes the server binary the tests built, once all have run.
func TestMain(m *testing.M) {
	code := m.Run()
	harness.RemoveBinary()
	os.Exit(code)
}

// start starts the server binary as opts say, stops it when the test ends
// and shows its output when the test failed. It skips with -short and
// without a go tool to build the server.
func start(t *testing.T, opts harness.Options) *harness.Server {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the server binary; skipped with -short")
	}
	s, err := harness.Start(context.Background(), opts)
	if errors.Is(err, harness.ErrNoGoTool) {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	watch(t, s)
	return s
}

// restart starts s again on its database (after Stop or Kill).
func restart(t *testing.T, s *harness.Server) *harness.Server {
	t.Helper()
	s2, err := s.Restart(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	watch(t, s2)
	return s2
}

func watch(t *testing.T, s *harness.Server) {
	t.Cleanup(func() {
		_ = s.Stop()
		if t.Failed() {
			t.Logf("%s output:\n%s", s.Name(), s.Log.Tail(8000))
		}
	})
}

// createBookingAnswer is the part of a createBooking answer the tests read:
// the booking when one was made, else the payload's errors.
type createBookingAnswer struct {
	CreateBooking struct {
		Booking *struct {
			ID     string `json:"id"`
			Status string `json:"status"`
		} `json:"booking"`
		Errors []struct {
			Typename string `json:"__typename"`
			Message  string `json:"message"`
		} `json:"errors"`
	} `json:"createBooking"`
}
