package main

import "testing"

// TestPeerRatioSideBySide: the PostGraphile target holds seatgraph's
// figure from the same interleaved rounds as the peer's, when there is one.
func TestPeerRatioSideBySide(t *testing.T) {
	tests := []struct {
		name string
		own  map[int]float64
		main float64
		want float64
	}{
		{"side by side wins", map[int]float64{16: 1500}, 1000, 1500},
		{"other concurrency only", map[int]float64{64: 1500}, 1000, 1000},
		{"no side-by-side figure", nil, 1000, 1000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := peerResult{own: tt.own}
			if got := p.ours(16, tt.main); got != tt.want {
				t.Errorf("ours(16, %v) = %v, want %v", tt.main, got, tt.want)
			}
		})
	}
}
