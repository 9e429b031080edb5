package booking

import (
	"math/big"
	"strings"
	"testing"
	"time"

	"seatgraph/ent"
	"seatgraph/internal/domain"
)

func TestMoneyRoundHalfUp(t *testing.T) {
	tests := []struct {
		num, den, want int64
	}{
		{0, 7, 0},
		{1, 3, 0},   // 0.33
		{1, 2, 1},   // 0.5 rounds up
		{2, 3, 1},   // 0.67
		{3, 2, 2},   // 1.5 rounds up
		{5, 2, 3},   // 2.5 rounds up, not to even
		{7, 2, 4},   // 3.5
		{10, 5, 2},  // exact
		{14, 4, 4},  // 3.5
		{13, 4, 3},  // 3.25
		{15, 4, 4},  // 3.75
		{-1, 2, -1}, // -0.5: half away from zero
		{-5, 2, -3}, // -2.5
		{-1, 3, 0},  // -0.33
		{-2, 3, -1}, // -0.67
		{19990000, 11900, 1680},
		{1 << 40, 1, 1 << 40},
		{1<<40 + 1, 2, 1<<39 + 1},
	}
	for _, tt := range tests {
		if got := roundHalfUp(tt.num, tt.den); got != tt.want {
			t.Errorf("roundHalfUp(%d, %d) = %d, want %d", tt.num, tt.den, got, tt.want)
		}
	}
}

// exactHalfUp is the oracle: num/den rounded half away from zero with big
// rationals.
func exactHalfUp(num, den int64) int64 {
	r := new(big.Rat).SetFrac64(num, den)
	neg := r.Sign() < 0
	r.Abs(r)
	r.Add(r, big.NewRat(1, 2))
	q := new(big.Int).Quo(r.Num(), r.Denom())
	if neg {
		q.Neg(q)
	}
	return q.Int64()
}

func TestMoneyRoundHalfUpOracle(t *testing.T) {
	for num := int64(-300); num <= 300; num++ {
		for den := int64(1); den <= 24; den++ {
			if got, want := roundHalfUp(num, den), exactHalfUp(num, den); got != want {
				t.Fatalf("roundHalfUp(%d, %d) = %d, want %d", num, den, got, want)
			}
		}
	}
}

func TestMoneyNetOf(t *testing.T) {
	tests := []struct {
		name             string
		gross, rate      int64 // minor units; hundredths of a percent
		wantNet, wantTax int64
	}{
		{"19.99 at 19%", 1999, 1900, 1680, 319},
		{"20.00 at 19%", 2000, 1900, 1681, 319}, // 16.806 -> 16.81
		{"10.70 at 7%", 1070, 700, 1000, 70},    // exact
		{"10.00 at 7.7%", 1000, 770, 929, 71},   // 9.28505 -> 9.29
		{"25.00 at 0%", 2500, 0, 2500, 0},
		{"0.00 at 19%", 0, 1900, 0, 0},
		{"0.05 at 100%: 0.025 rounds up", 5, 10000, 3, 2},
		{"0.01 at 100%: 0.005 rounds up", 1, 10000, 1, 0},
		{"1.00 at 100%", 100, 10000, 50, 50},
		{"JPY 1200 at 10%", 1200, 1000, 1091, 109},    // 1090.9
		{"JPY 1500 at 8%", 1500, 800, 1389, 111},      // 1388.9
		{"KWD 1.000 at 5%", 1000, 500, 952, 48},       // 952.38
		{"0.01 at 19%", 1, 1900, 1, 0},                // 0.0084 -> 0.01
		{"large", 99999999, 1900, 84033613, 15966386}, // 84033612.6
	}
	for _, tt := range tests {
		net, tax := NetOf(tt.gross, tt.rate)
		if net != tt.wantNet || tax != tt.wantTax {
			t.Errorf("%s: NetOf(%d, %d) = (%d, %d), want (%d, %d)", tt.name, tt.gross, tt.rate, net, tax, tt.wantNet, tt.wantTax)
		}
	}
}

// NetOf against the exact definition: net = gross / (1 + rate/10000)
// rounded half up, tax = gross - net, both never negative.
func TestMoneyNetOfOracle(t *testing.T) {
	for _, rate := range []int64{0, 1, 250, 500, 700, 770, 1000, 1900, 2000, 2500, 3333, 9999, 10000} {
		for gross := int64(0); gross <= 5000; gross++ {
			net, tax := NetOf(gross, rate)
			want := exactHalfUp(gross*10000, 10000+rate)
			if net != want || tax != gross-want || net < 0 || tax < 0 || net+tax != gross {
				t.Fatalf("NetOf(%d, %d) = (%d, %d), want (%d, %d)", gross, rate, net, tax, want, gross-want)
			}
		}
	}
}

func TestMoneyPaymentStatusOf(t *testing.T) {
	tests := []struct {
		total, paid, refunded int64
		want                  domain.PaymentStatus
	}{
		{5000, 0, 0, domain.PaymentStatusUnpaid},
		{5000, 1, 0, domain.PaymentStatusPartiallyPaid},
		{5000, 4999, 0, domain.PaymentStatusPartiallyPaid},
		{5000, 5000, 0, domain.PaymentStatusPaid},
		{5000, 6000, 0, domain.PaymentStatusPaid}, // overpaid
		{5000, 5000, 1, domain.PaymentStatusPartiallyRefunded},
		{5000, 5000, 4999, domain.PaymentStatusPartiallyRefunded},
		{5000, 5000, 5000, domain.PaymentStatusRefunded},
		{5000, 2000, 500, domain.PaymentStatusPartiallyRefunded}, // refunds win over partly paid
		{5000, 2000, 2000, domain.PaymentStatusRefunded},
		{0, 0, 0, domain.PaymentStatusPaid}, // nothing owed
	}
	for _, tt := range tests {
		if got := PaymentStatusOf(tt.total, tt.paid, tt.refunded); got != tt.want {
			t.Errorf("PaymentStatusOf(total %d, paid %d, refunded %d) = %s, want %s", tt.total, tt.paid, tt.refunded, got, tt.want)
		}
	}
	// The documented life of a booking of 50.00.
	steps := []struct {
		paid, refunded int64
		want           domain.PaymentStatus
	}{
		{0, 0, domain.PaymentStatusUnpaid},
		{2000, 0, domain.PaymentStatusPartiallyPaid},
		{5000, 0, domain.PaymentStatusPaid},
		{5000, 1000, domain.PaymentStatusPartiallyRefunded},
		{5000, 5000, domain.PaymentStatusRefunded},
	}
	for i, s := range steps {
		if got := PaymentStatusOf(5000, s.paid, s.refunded); got != s.want {
			t.Errorf("step %d: %s, want %s", i, got, s.want)
		}
	}
}

func TestMoneyQuoteFor(t *testing.T) {
	start := time.Date(2027, 5, 1, 18, 0, 0, 0, time.UTC)
	before := func(h float64) time.Time { return start.Add(-time.Duration(h * float64(time.Hour))) }
	fee := func(v int64) *int64 { return &v }
	standard := domain.CancellationPolicy{Rules: []domain.CancellationRule{
		{HoursBeforeStart: 168, KeepPercent: 0},
		{HoursBeforeStart: 48, KeepPercent: 5000},
		{HoursBeforeStart: 0, KeepPercent: 10000},
	}}
	// The same rules in another order: the rule in force does not depend on it.
	shuffled := domain.CancellationPolicy{Rules: []domain.CancellationRule{standard.Rules[2], standard.Rules[0], standard.Rules[1]}}
	withFee := domain.CancellationPolicy{Rules: []domain.CancellationRule{
		{HoursBeforeStart: 48, KeepPercent: 1000, FixedFee: fee(500)},
		{HoursBeforeStart: 0, KeepPercent: 5000, FixedFee: fee(8000)},
	}}
	tickets := func(prices ...int64) []*ent.Ticket {
		out := make([]*ent.Ticket, len(prices))
		for i, p := range prices {
			out[i] = &ent.Ticket{ID: i + 1, Price: p}
		}
		return out
	}
	one := tickets(10000)
	three := tickets(3000, 3000, 4000)
	tests := []struct {
		name           string
		policy         domain.CancellationPolicy
		paid, refunded int64
		cancel, all    []*ent.Ticket
		at             time.Time
		apply          bool
		wantPaid       int64
		wantKept       int64
		wantRefund     int64
		wantRule       int // -1: no rule in force
		wantHours      float64
	}{
		{"200h before: no rule yet", standard, 10000, 0, one, one, before(200), true, 10000, 0, 10000, -1, 200},
		{"168h before exactly: 168h rule", standard, 10000, 0, one, one, before(168), true, 10000, 0, 10000, 168, 168},
		{"72h before: 168h rule", standard, 10000, 0, one, one, before(72), true, 10000, 0, 10000, 168, 72},
		{"48h before exactly: 48h rule", standard, 10000, 0, one, one, before(48), true, 10000, 5000, 5000, 48, 48},
		{"24h before: half kept", standard, 10000, 0, one, one, before(24), true, 10000, 5000, 5000, 48, 24},
		{"half an hour before: still the 48h rule", standard, 10000, 0, one, one, before(0.5), true, 10000, 5000, 5000, 48, 0.5},
		{"at the start", standard, 10000, 0, one, one, start, true, 10000, 10000, 0, 0, 0},
		{"after the start: all kept", standard, 10000, 0, one, one, before(-1), true, 10000, 10000, 0, 0, -1},
		{"rule order does not matter", shuffled, 10000, 0, one, one, before(24), true, 10000, 5000, 5000, 48, 24},
		{"rule order does not matter, 72h", shuffled, 10000, 0, one, one, before(72), true, 10000, 0, 10000, 168, 72},
		{"no policy keeps nothing", domain.CancellationPolicy{}, 10000, 0, one, one, before(-5), true, 10000, 0, 10000, -1, -5},
		{"applyPolicy false refunds everything", standard, 10000, 0, one, one, before(-1), false, 10000, 0, 10000, -1, -1},
		{"fixed fee on top", withFee, 10000, 0, one, one, before(24), true, 10000, 1500, 8500, 48, 24},
		{"fixed fee capped at paid", withFee, 10000, 0, one, one, before(-1), true, 10000, 10000, 0, 0, -1},
		{"fee larger than a small payment", withFee, 300, 0, one, one, before(24), true, 300, 300, 0, 48, 24},
		{"nothing paid", standard, 0, 0, one, one, before(24), true, 0, 0, 0, 48, 24},
		{"kept rounds half up", standard, 5, 0, one, one, before(24), true, 5, 3, 2, 48, 24},
		{"net of earlier refunds", standard, 10000, 4000, one, one, before(24), true, 6000, 3000, 3000, 48, 24},
		{"fully refunded already", standard, 10000, 10000, one, one, before(200), true, 0, 0, 0, -1, 200},
		{"partial: share by gross price", standard, 10000, 0, three[:1], three, before(24), true, 3000, 1500, 1500, 48, 24},
		{"partial: two of three", standard, 10000, 0, three[1:], three, before(200), true, 7000, 0, 7000, -1, 200},
		{"partial share rounds half up", standard, 1001, 0, tickets(1, 1)[:1], tickets(1, 1), before(200), true, 501, 0, 501, -1, 200},
		{"partial, applyPolicy false", standard, 10000, 0, three[:1], three, before(-1), false, 3000, 0, 3000, -1, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := &ent.Booking{PaidAmount: tt.paid, RefundedAmount: tt.refunded, CancellationPolicy: tt.policy, Total: 10000}
			q := quoteFor(b, tt.cancel, tt.all, start, tt.at, tt.apply)
			if q.paid != tt.wantPaid || q.kept != tt.wantKept || q.refund != tt.wantRefund {
				t.Errorf("paid/kept/refund = %d/%d/%d, want %d/%d/%d", q.paid, q.kept, q.refund, tt.wantPaid, tt.wantKept, tt.wantRefund)
			}
			if q.paid != q.kept+q.refund || q.refund < 0 || q.kept < 0 {
				t.Errorf("paid %d != kept %d + refund %d, or negative", q.paid, q.kept, q.refund)
			}
			switch {
			case tt.wantRule < 0 && q.rule != nil:
				t.Errorf("rule in force %+v, want none", *q.rule)
			case tt.wantRule >= 0 && q.rule == nil:
				t.Errorf("no rule in force, want the %dh rule", tt.wantRule)
			case tt.wantRule >= 0 && q.rule.HoursBeforeStart != tt.wantRule:
				t.Errorf("rule in force %dh, want %dh", q.rule.HoursBeforeStart, tt.wantRule)
			}
			if q.hours != tt.wantHours {
				t.Errorf("hours = %v, want %v", q.hours, tt.wantHours)
			}
		})
	}
}

func TestMoneyNewCode(t *testing.T) {
	const n = 10000
	seen := make(map[string]bool, n)
	perPosition := make([]map[rune]bool, 16)
	for i := range perPosition {
		perPosition[i] = map[rune]bool{}
	}
	used := map[rune]bool{}
	for range n {
		c := NewCode()
		if len(c) != 16 {
			t.Fatalf("code %q has %d characters, want 16", c, len(c))
		}
		for i, r := range c {
			if !strings.ContainsRune(codeAlphabet, r) {
				t.Fatalf("code %q has %q, not in Crockford base32", c, r)
			}
			perPosition[i][r] = true
			used[r] = true
		}
		if strings.ContainsAny(c, "ILOU-ilou") {
			t.Fatalf("code %q has a character Crockford leaves out", c)
		}
		if seen[c] {
			t.Fatalf("code %q repeated within %d codes", c, n)
		}
		seen[c] = true
	}
	if codeAlphabet != "0123456789ABCDEFGHJKMNPQRSTVWXYZ" {
		t.Errorf("alphabet %q is not Crockford's", codeAlphabet)
	}
	// 80 random bits spread over all 16 characters: every position takes
	// (nearly) every symbol, and every symbol shows up.
	if len(used) != 32 {
		t.Errorf("only %d of 32 symbols used", len(used))
	}
	for i, m := range perPosition {
		if len(m) < 30 {
			t.Errorf("position %d takes only %d symbols over %d codes: not random", i, len(m), n)
		}
	}
}
