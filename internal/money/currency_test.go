package money

import (
	"context"
	"math"
	"regexp"
	"testing"

	"seatgraph/internal/domain"
)

func TestValidCurrency(t *testing.T) {
	tests := []struct {
		code string
		want bool
	}{
		{"EUR", true}, {"USD", true}, {"JPY", true}, {"KWD", true}, {"CHF", true}, {"GBP", true},
		{"eur", false}, {"Eur", false}, {"", false}, {"EURO", false}, {"EU", false},
		{"XXX", false}, {" EUR", false}, {"EUR ", false},
	}
	for _, tt := range tests {
		if got := ValidCurrency(tt.code); got != tt.want {
			t.Errorf("ValidCurrency(%q) = %v, want %v", tt.code, got, tt.want)
		}
	}
}

func TestKnownCurrencies(t *testing.T) {
	code := regexp.MustCompile(`^[A-Z]{3}$`)
	seen := map[string]bool{}
	for _, c := range known {
		if !code.MatchString(c) {
			t.Errorf("known currency %q is not three capital letters", c)
		}
		if seen[c] {
			t.Errorf("known currency %q is listed twice", c)
		}
		seen[c] = true
	}
	for c, d := range minorDigits {
		if !ValidCurrency(c) {
			t.Errorf("minorDigits lists %s, which ValidCurrency refuses", c)
		}
		if d < 0 || d > MaxDigits {
			t.Errorf("%s has %d minor digits, outside 0..MaxDigits", c, d)
		}
	}
}

func TestDigits(t *testing.T) {
	tests := []struct {
		code string
		want int
	}{
		{"EUR", 2}, {"USD", 2}, {"CHF", 2}, {"JPY", 0}, {"KRW", 0}, {"CLP", 0},
		{"KWD", 3}, {"BHD", 3}, {"TND", 3}, {"XXX", 2}, {"", 2},
	}
	for _, tt := range tests {
		if got := Digits(tt.code); got != tt.want {
			t.Errorf("Digits(%q) = %d, want %d", tt.code, got, tt.want)
		}
	}
}

func TestScaleFactors(t *testing.T) {
	others, dflt := ScaleFactors()
	if dflt != 10 {
		t.Errorf("default factor = %d, want 10", dflt)
	}
	for _, tt := range []struct {
		code string
		want int64
	}{{"JPY", 1000}, {"KRW", 1000}, {"KWD", 1}, {"BHD", 1}} {
		if got, ok := others[tt.code]; !ok || got != tt.want {
			t.Errorf("factor of %s = %d (listed %v), want %d", tt.code, got, ok, tt.want)
		}
	}
	if f, ok := others["EUR"]; ok {
		t.Errorf("EUR listed with factor %d; two-digit currencies use the default", f)
	}
	// Every currency reaches MaxDigits: minor units x factor has the same
	// scale whatever the currency.
	for _, c := range known {
		f, ok := others[c]
		if !ok {
			f = dflt
		}
		if want := int64(math.Pow10(MaxDigits - Digits(c))); f != want {
			t.Errorf("factor of %s = %d, want %d", c, f, want)
		}
	}
	// The map is a fresh copy each call.
	others["JPY"] = 0
	if again, _ := ScaleFactors(); again["JPY"] != 1000 {
		t.Error("ScaleFactors returns a shared map")
	}
}

func TestParseAmount(t *testing.T) {
	tests := []struct {
		amount   string
		currency string
		want     int64
		ok       bool
	}{
		{"19.90", "EUR", 1990, true},
		{"19.9", "EUR", 1990, true},
		{"19", "EUR", 1900, true},
		{"-3", "EUR", -300, true},
		{"0.01", "EUR", 1, true},
		{"19.900", "EUR", 1990, true}, // trailing zeros do not add precision
		{"19.905", "EUR", 0, false},
		{"0.001", "EUR", 0, false},
		{"1200", "JPY", 1200, true},
		{"1200.0", "JPY", 1200, true},
		{"1200.5", "JPY", 0, false},
		{"0.1", "JPY", 0, false},
		{"1.234", "KWD", 1234, true},
		{"1.23", "KWD", 1230, true},
		{"1.2345", "KWD", 0, false},
		{"19.90", "XXX", 1990, true}, // unknown currencies have two digits
		{"9999999999999999.9", "EUR", 999999999999999990, true},
		{"99999999999999999", "EUR", 0, false}, // overflow
	}
	for _, tt := range tests {
		t.Run(tt.amount+" "+tt.currency, func(t *testing.T) {
			d, err := ParseDecimal(tt.amount)
			if err != nil {
				t.Fatal(err)
			}
			got, err := ParseAmount(d, tt.currency)
			if tt.ok {
				if err != nil || got != tt.want {
					t.Fatalf("ParseAmount(%s, %s) = %d, %v; want %d", tt.amount, tt.currency, got, err, tt.want)
				}
				return
			}
			if err == nil {
				t.Fatalf("ParseAmount(%s, %s) = %d, want an error", tt.amount, tt.currency, got)
			}
		})
	}
}

func TestParseAmountError(t *testing.T) {
	_, err := ParseAmount(Decimal{19905, 3}, "EUR")
	if err == nil {
		t.Fatal("19.905 EUR accepted")
	}
	if want := "19.905 has at most 2 decimal places in EUR"; err.Error() != want {
		t.Errorf("error = %q, want %q", err, want)
	}
}

func TestMoneyAmount(t *testing.T) {
	tests := []struct {
		m    Money
		want string
	}{
		{New(1990, "EUR"), "19.90"},
		{New(1200, "JPY"), "1200"},
		{New(1234, "KWD"), "1.234"},
		{New(-5, "USD"), "-0.05"},
	}
	for _, tt := range tests {
		if got := tt.m.Amount().String(); got != tt.want {
			t.Errorf("%+v.Amount() = %s, want %s", tt.m, got, tt.want)
		}
	}
}

func TestMoneyFormatted(t *testing.T) {
	const nb = "\u00a0"
	tests := []struct {
		m      Money
		en, de string
	}{
		{New(1990, "EUR"), "€19.90", "19,90" + nb + "€"},
		{New(0, "EUR"), "€0.00", "0,00" + nb + "€"},
		{New(5, "EUR"), "€0.05", "0,05" + nb + "€"},
		{New(-1990, "EUR"), "-€19.90", "-19,90" + nb + "€"},
		{New(99999, "EUR"), "€999.99", "999,99" + nb + "€"},
		{New(100000, "EUR"), "€1,000.00", "1.000,00" + nb + "€"},
		{New(123456789, "EUR"), "€1,234,567.89", "1.234.567,89" + nb + "€"},
		{New(-123456789, "EUR"), "-€1,234,567.89", "-1.234.567,89" + nb + "€"},
		{New(1990, "USD"), "$19.90", "19,90" + nb + "$"},
		{New(1990, "GBP"), "£19.90", "19,90" + nb + "£"},
		{New(1200, "JPY"), "¥1,200", "1.200" + nb + "¥"},
		{New(999, "JPY"), "¥999", "999" + nb + "¥"},
		{New(1234, "KWD"), "KWD" + nb + "1.234", "1,234" + nb + "KWD"},
		{New(123456789, "KWD"), "KWD" + nb + "123,456.789", "123.456,789" + nb + "KWD"},
		{New(100000, "CHF"), "CHF" + nb + "1,000.00", "1.000,00" + nb + "CHF"},
		{New(math.MinInt64, "EUR"), "-€92,233,720,368,547,758.08", "-92.233.720.368.547.758,08" + nb + "€"},
	}
	en := domain.WithLanguage(context.Background(), "en")
	de := domain.WithLanguage(context.Background(), "de")
	for _, tt := range tests {
		if got := tt.m.Formatted(en); got != tt.en {
			t.Errorf("%+v.Formatted(en) = %q, want %q", tt.m, got, tt.en)
		}
		if got := tt.m.Formatted(de); got != tt.de {
			t.Errorf("%+v.Formatted(de) = %q, want %q", tt.m, got, tt.de)
		}
	}
	// Without a language, and in an unsupported one, English formatting applies.
	m := New(123456, "EUR")
	for name, ctx := range map[string]context.Context{
		"none": context.Background(),
		"fr":   domain.WithLanguage(context.Background(), "fr"),
	} {
		if got := m.Formatted(ctx); got != "€1,234.56" {
			t.Errorf("Formatted(%s) = %q, want English €1,234.56", name, got)
		}
	}
}
