package demo

import (
	"regexp"
	"testing"
	"time"

	"seatgraph/internal/domain"
)

// Reference arithmetic of docs/domain-rules.md, rules 4 and 5, written independently of
// the booking engine, that the seeded data is checked against.

// divRoundHalfUp returns a/b rounded half away from zero; b must be positive.
func divRoundHalfUp(a, b int64) int64 {
	q, r := a/b, a%b
	if r < 0 {
		r = -r
	}
	if 2*r >= b {
		if a < 0 {
			q--
		} else {
			q++
		}
	}
	return q
}

// splitGross splits a tax-inclusive price (minor units) into its net price
// and tax: net = gross*10000/(10000+rate) rounded half up, tax = gross-net.
// rate is the tax rate in hundredths of a percent (1900 = 19 %).
func splitGross(gross, rate int64) (net, tax int64) {
	if rate <= 0 {
		return gross, 0
	}
	net = divRoundHalfUp(gross*10000, 10000+rate)
	return net, gross - net
}

// cancellationKept applies a cancellation policy (docs/domain-rules.md, rule 5) to what
// was paid, left before the start: the rule in force is the one with the
// smallest HoursBeforeStart that is still at least the time left; with none,
// nothing is kept. kept = min(paid, paid*KeepPercent/10000 + FixedFee).
func cancellationKept(p *domain.CancellationPolicy, paid int64, left time.Duration) (kept int64, rule *domain.CancellationRule) {
	if p == nil {
		return 0, nil
	}
	for i := range p.Rules {
		r := &p.Rules[i]
		if time.Duration(r.HoursBeforeStart)*time.Hour < left {
			continue
		}
		if rule == nil || r.HoursBeforeStart < rule.HoursBeforeStart {
			rule = r
		}
	}
	if rule == nil {
		return 0, nil
	}
	kept = divRoundHalfUp(paid*rule.KeepPercent, 10000)
	if rule.FixedFee != nil {
		kept += *rule.FixedFee
	}
	return min(paid, max(kept, 0)), rule
}

// paymentStatusFor derives a booking's payment status from its total and its
// succeeded payments and refunds. Nothing due (a free booking) counts as paid.
func paymentStatusFor(total, paid, refunded int64) domain.PaymentStatus {
	switch {
	case refunded > 0 && refunded >= paid:
		return domain.PaymentStatusRefunded
	case refunded > 0:
		return domain.PaymentStatusPartiallyRefunded
	case paid >= total:
		return domain.PaymentStatusPaid
	case paid > 0:
		return domain.PaymentStatusPartiallyPaid
	default:
		return domain.PaymentStatusUnpaid
	}
}

func TestDivRoundHalfUp(t *testing.T) {
	tests := []struct {
		a, b, want int64
	}{
		{10, 4, 3},   // 2.5 rounds up
		{9, 4, 2},    // 2.25
		{11, 4, 3},   // 2.75
		{-10, 4, -3}, // half away from zero
		{-9, 4, -2},
		{0, 7, 0},
		{7, 7, 1},
		{1, 3, 0},
		{2, 3, 1},
	}
	for _, tt := range tests {
		if got := divRoundHalfUp(tt.a, tt.b); got != tt.want {
			t.Errorf("divRoundHalfUp(%d, %d) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestSplitGross(t *testing.T) {
	tests := []struct {
		name           string
		gross, rate    int64
		wantNet, wantT int64
	}{
		{"19% exact", 11900, 1900, 10000, 1900},
		{"19% conference", 34900, 1900, 29328, 5572}, // 293.277... -> 293.28
		{"19% student", 14900, 1900, 12521, 2379},    // 125.210...
		{"7% concert", 4500, 700, 4206, 294},         // 42.056... -> 42.06
		{"7% reduced", 2500, 700, 2336, 164},         // 23.364...
		{"10% JPY", 3000, 1000, 2727, 273},           // 2727.27...
		{"10% JPY half up", 1155, 1000, 1050, 105},   // exactly 1050
		{"half rounds up", 107, 700, 100, 7},         // exactly 100
		{"half case", 21, 10000, 11, 10},             // 21/2 = 10.5 -> 11
		{"no tax", 49900, 0, 49900, 0},               // US events
		{"free", 0, 1900, 0, 0},                      // free ticket
		{"one cent", 1, 1900, 1, 0},                  // 0.84 -> 1
		{"fractional rate", 10000, 1950, 8368, 1632}, // 19.5 %: 83.682...
		{"large amount", 999999900, 1900, 840336050, 159663850},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			net, tax := splitGross(tt.gross, tt.rate)
			if net != tt.wantNet || tax != tt.wantT {
				t.Errorf("splitGross(%d, %d) = %d, %d; want %d, %d", tt.gross, tt.rate, net, tax, tt.wantNet, tt.wantT)
			}
			if net+tax != tt.gross {
				t.Errorf("net %d + tax %d != gross %d", net, tax, tt.gross)
			}
		})
	}
}

func TestCancellationKept(t *testing.T) {
	std := standardPolicy()
	fee := &domain.CancellationPolicy{Rules: []domain.CancellationRule{
		{HoursBeforeStart: 720, KeepPercent: 0},
		{HoursBeforeStart: 168, KeepPercent: 5000, FixedFee: i64p(2500)},
		{HoursBeforeStart: 0, KeepPercent: 10000},
	}}
	h := func(n float64) time.Duration { return time.Duration(n * float64(time.Hour)) }
	tests := []struct {
		name     string
		policy   *domain.CancellationPolicy
		paid     int64
		left     time.Duration
		want     int64
		wantRule int // HoursBeforeStart of the rule in force, -1 for none
	}{
		{"no policy", nil, 10000, h(10), 0, -1},
		{"empty policy", &domain.CancellationPolicy{}, 10000, h(10), 0, -1},
		{"before every rule", std, 10000, h(200), 0, -1},
		{"week rule", std, 10000, h(72), 0, 168},
		{"exactly 168h", std, 10000, h(168), 0, 168},
		{"just over 48h", std, 10000, h(48.5), 0, 168},
		{"half kept", std, 10000, h(24), 5000, 48},
		{"half rounds up", std, 333, h(24), 167, 48},
		{"after start", std, 10000, h(-2), 10000, 0},
		{"at start", std, 10000, 0, 10000, 0},
		{"fee added", fee, 49900, h(100), 27450, 168},
		{"fee capped at paid", fee, 2000, h(100), 2000, 168},
		{"nothing paid", std, 0, h(1), 0, 48},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kept, rule := cancellationKept(tt.policy, tt.paid, tt.left)
			if kept != tt.want {
				t.Errorf("kept = %d, want %d", kept, tt.want)
			}
			got := -1
			if rule != nil {
				got = rule.HoursBeforeStart
			}
			if got != tt.wantRule {
				t.Errorf("rule = %d, want %d", got, tt.wantRule)
			}
		})
	}
}

func TestPaymentStatusFor(t *testing.T) {
	tests := []struct {
		total, paid, refunded int64
		want                  domain.PaymentStatus
	}{
		{10000, 0, 0, domain.PaymentStatusUnpaid},
		{10000, 5000, 0, domain.PaymentStatusPartiallyPaid},
		{10000, 10000, 0, domain.PaymentStatusPaid},
		{0, 0, 0, domain.PaymentStatusPaid},
		{10000, 10000, 5000, domain.PaymentStatusPartiallyRefunded},
		{10000, 10000, 10000, domain.PaymentStatusRefunded},
		{10000, 5000, 5000, domain.PaymentStatusRefunded},
	}
	for _, tt := range tests {
		if got := paymentStatusFor(tt.total, tt.paid, tt.refunded); got != tt.want {
			t.Errorf("paymentStatusFor(%d, %d, %d) = %s, want %s", tt.total, tt.paid, tt.refunded, got, tt.want)
		}
	}
}

var codePattern = regexp.MustCompile(`^[0-9A-HJKMNP-TV-Z]{16,}$`)
