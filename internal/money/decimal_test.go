package money

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"
)

func TestParseDecimal(t *testing.T) {
	tests := []struct {
		in   string
		want Decimal
	}{
		{"19.90", Decimal{1990, 2}},
		{"-3", Decimal{-3, 0}},
		{"+0.5", Decimal{5, 1}},
		{"0.5", Decimal{5, 1}},
		{"1200", Decimal{1200, 0}},
		{".5", Decimal{5, 1}},
		{"-.5", Decimal{-5, 1}},
		{"5.", Decimal{5, 0}},
		{"0", Decimal{0, 0}},
		{"-0", Decimal{0, 0}},
		{"0.00", Decimal{0, 2}},
		{"007.10", Decimal{710, 2}},
		{" 19.90 ", Decimal{1990, 2}},
		{"123456789012345678", Decimal{123456789012345678, 0}},   // 18 digits
		{"-999999999999999999", Decimal{-999999999999999999, 0}}, // 18 digits
		{"1234567890.12345678", Decimal{123456789012345678, 8}},
		// Leading zeros are not significant digits.
		{"0.000000000000000001", Decimal{1, 18}},
		{"-0.123456789012345678", Decimal{-123456789012345678, 18}},
		{"0000000000000000000019.90", Decimal{1990, 2}},
		{"0.000000000000000000", Decimal{0, 18}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseDecimal(tt.in)
			if err != nil {
				t.Fatalf("ParseDecimal(%q): %v", tt.in, err)
			}
			if got != tt.want {
				t.Fatalf("ParseDecimal(%q) = %+v, want %+v", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseDecimalInvalid(t *testing.T) {
	for _, in := range []string{
		"", " ", ".", "-", "+", "-.", "+.",
		"abc", "1e5", "1E5", "1.2.3", "1..2", "--1", "+-1", "-+1", "1-", "1,5", "1 000",
		"0x10", "NaN", "Inf", "-Inf", "Infinity", "١٢", "1_000",
		"1234567890123456789",   // 19 digits
		"12345678901234567.89",  // 19 digits
		"99999999999999999999",  // 20 digits, beyond int64 as well
		"0.0000000000000000001", // 19 fraction digits
		"1.2345678901234567890", // 20 significant digits
	} {
		t.Run(in, func(t *testing.T) {
			d, err := ParseDecimal(in)
			if err == nil {
				t.Fatalf("ParseDecimal(%q) = %+v, want an error", in, d)
			}
			if !errors.Is(err, ErrSyntax) {
				t.Fatalf("ParseDecimal(%q) error %v does not wrap ErrSyntax", in, err)
			}
			if d != (Decimal{}) {
				t.Fatalf("ParseDecimal(%q) returned %+v with its error", in, d)
			}
		})
	}
}

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want Decimal }{
		{Decimal{1990, 2}, Decimal{199, 1}},
		{Decimal{1900, 2}, Decimal{19, 0}},
		{Decimal{1999, 2}, Decimal{1999, 2}},
		{Decimal{0, 3}, Decimal{0, 0}},
		{Decimal{-500, 2}, Decimal{-5, 0}},
		{Decimal{1200, 0}, Decimal{1200, 0}},
	}
	for _, tt := range tests {
		if got := tt.in.Normalize(); got != tt.want {
			t.Errorf("%+v.Normalize() = %+v, want %+v", tt.in, got, tt.want)
		}
	}
}

func TestRescale(t *testing.T) {
	tests := []struct {
		name  string
		d     Decimal
		scale int
		want  int64
		ok    bool
	}{
		{"same scale", Decimal{1990, 2}, 2, 1990, true},
		{"up", Decimal{1990, 2}, 3, 19900, true},
		{"up from integer", Decimal{1200, 0}, 2, 120000, true},
		{"down exact via trailing zeros", Decimal{1900, 2}, 0, 19, true},
		{"down exact", Decimal{19900, 3}, 2, 1990, true},
		{"zero any scale", Decimal{0, 5}, 0, 0, true},
		{"negative", Decimal{-5, 1}, 2, -50, true},
		{"inexact", Decimal{19905, 3}, 2, 0, false},
		{"inexact to integer", Decimal{5, 1}, 0, 0, false},
		{"inexact negative", Decimal{-1, 3}, 2, 0, false},
		{"largest without overflow", Decimal{math.MaxInt64 / 10, 0}, 1, math.MaxInt64 / 10 * 10, true},
		{"overflow", Decimal{math.MaxInt64/10 + 1, 0}, 1, 0, false},
		{"overflow after several steps", Decimal{99999999999999999, 0}, 2, 0, false},
		{"several steps", Decimal{9999999999999999, 0}, 2, 999999999999999900, true},
		{"smallest without overflow", Decimal{math.MinInt64 / 10, 0}, 1, math.MinInt64 / 10 * 10, true},
		{"negative overflow", Decimal{math.MinInt64/10 - 1, 0}, 1, 0, false},
		{"max int64 at same scale", Decimal{math.MaxInt64, 0}, 0, math.MaxInt64, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := tt.d.Rescale(tt.scale)
			if got != tt.want || ok != tt.ok {
				t.Fatalf("%+v.Rescale(%d) = %d, %v; want %d, %v", tt.d, tt.scale, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestFormatUnits(t *testing.T) {
	tests := []struct {
		units int64
		scale int
		want  string
	}{
		{1990, 2, "19.90"},
		{-1990, 2, "-19.90"},
		{5, 2, "0.05"},
		{-5, 2, "-0.05"},
		{50, 2, "0.50"},
		{100, 2, "1.00"},
		{0, 2, "0.00"},
		{0, 0, "0"},
		{1200, 0, "1200"},
		{-7, 0, "-7"},
		{1234, 3, "1.234"},
		{-1, 3, "-0.001"},
		{999, 3, "0.999"},
		{1000, 3, "1.000"},
		{math.MinInt64, 0, "-9223372036854775808"},
		{math.MinInt64, 2, "-92233720368547758.08"},
		{math.MinInt64, 3, "-9223372036854775.808"},
		{math.MaxInt64, 3, "9223372036854775.807"},
	}
	for _, tt := range tests {
		if got := FormatUnits(tt.units, tt.scale); got != tt.want {
			t.Errorf("FormatUnits(%d, %d) = %q, want %q", tt.units, tt.scale, got, tt.want)
		}
		if got := (Decimal{tt.units, tt.scale}).String(); got != tt.want {
			t.Errorf("Decimal{%d, %d}.String() = %q, want %q", tt.units, tt.scale, got, tt.want)
		}
	}
}

// Formatting then parsing gives the value back.
func TestFormatParseRoundTrip(t *testing.T) {
	for _, d := range []Decimal{{1990, 2}, {-5, 2}, {0, 3}, {1200, 0}, {-123456789012345678, 9}, {1, 18}} {
		got, err := ParseDecimal(d.String())
		if err != nil {
			t.Fatalf("ParseDecimal(%q): %v", d.String(), err)
		}
		if got != d {
			t.Errorf("round trip of %+v gave %+v", d, got)
		}
	}
}

func TestDecimalUnmarshalGQL(t *testing.T) {
	tests := []struct {
		name string
		in   any
		want Decimal
	}{
		{"string", "19.90", Decimal{1990, 2}},
		{"negative string", "-3", Decimal{-3, 0}},
		{"json.Number", json.Number("19.90"), Decimal{1990, 2}},
		{"json.Number integer", json.Number("1200"), Decimal{1200, 0}},
		{"int", 1200, Decimal{1200, 0}},
		{"negative int", -42, Decimal{-42, 0}},
		{"int64", int64(1200), Decimal{1200, 0}},
		{"float64", 19.9, Decimal{199, 1}},
		{"float64 integer", float64(1200), Decimal{1200, 0}},
		{"float64 small", 0.1, Decimal{1, 1}},
		{"float64 negative", -0.05, Decimal{-5, 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var d Decimal
			if err := d.UnmarshalGQL(tt.in); err != nil {
				t.Fatalf("UnmarshalGQL(%#v): %v", tt.in, err)
			}
			if d != tt.want {
				t.Fatalf("UnmarshalGQL(%#v) = %+v, want %+v", tt.in, d, tt.want)
			}
		})
	}
}

func TestDecimalUnmarshalGQLErrors(t *testing.T) {
	tests := []struct {
		name string
		in   any
	}{
		{"nil", nil},
		{"bool", true},
		{"bytes", []byte("19.90")},
		{"int32", int32(5)},
		{"map", map[string]any{"amount": "1"}},
		{"bad string", "abc"},
		{"empty string", ""},
		{"exponent string", "1e5"},
		{"exponent json.Number", json.Number("1e5")},
		{"bad json.Number", json.Number("1.2.3")},
		{"too many digits", "1234567890123456789"},
		{"huge float", 1e21},
		{"NaN", math.NaN()},
		{"Inf", math.Inf(1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Decimal{7, 1}
			err := d.UnmarshalGQL(tt.in)
			if err == nil {
				t.Fatalf("UnmarshalGQL(%#v) = %+v, want an error", tt.in, d)
			}
			if d != (Decimal{7, 1}) {
				t.Fatalf("UnmarshalGQL(%#v) changed the value to %+v on error", tt.in, d)
			}
			if !strings.Contains(err.Error(), "Decimal") {
				t.Fatalf("error %q does not name the Decimal scalar", err)
			}
		})
	}
}

func TestDecimalMarshalGQL(t *testing.T) {
	tests := []struct {
		d    Decimal
		want string
	}{
		{Decimal{1990, 2}, `"19.90"`},
		{Decimal{-5, 2}, `"-0.05"`},
		{Decimal{1200, 0}, `"1200"`},
		{Decimal{0, 0}, `"0"`},
		{Decimal{1234, 3}, `"1.234"`},
	}
	for _, tt := range tests {
		var b bytes.Buffer
		tt.d.MarshalGQL(&b)
		if b.String() != tt.want {
			t.Errorf("%+v.MarshalGQL wrote %s, want %s", tt.d, b.String(), tt.want)
		}
		// The output is a JSON string that reads back to the same value.
		var s string
		if err := json.Unmarshal(b.Bytes(), &s); err != nil {
			t.Errorf("MarshalGQL output %s is not a JSON string: %v", b.String(), err)
			continue
		}
		var back Decimal
		if err := back.UnmarshalGQL(s); err != nil || back != tt.d {
			t.Errorf("reading %s back gave %+v, %v", b.String(), back, err)
		}
	}
}
