// Package money holds exact decimal amounts: the Decimal GraphQL scalar,
// ISO 4217 currencies with their minor digits, and Money values built from
// integer minor units. Money is never a float.
package money

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"seatgraph/internal/domain"
)

// Decimal is an exact decimal number: Units x 10^-Scale.
type Decimal struct {
	Units int64
	Scale int
}

// ErrSyntax is returned for text that is not a plain decimal number.
var ErrSyntax = errors.New("not a decimal number")

// maxScale bounds the fraction digits ParseDecimal accepts, leading zeros
// included, so that a long run of zeros cannot make a huge Scale.
const maxScale = 18

// ParseDecimal reads "19.90", "-3", "1200" or "0.5". Exponents, signs
// other than a leading "-"/"+", more than 18 significant digits and more
// than 18 fraction digits are refused.
func ParseDecimal(s string) (Decimal, error) {
	t := strings.TrimSpace(s)
	neg := false
	if strings.HasPrefix(t, "-") || strings.HasPrefix(t, "+") {
		neg = t[0] == '-'
		t = t[1:]
	}
	intPart, frac, hasDot := strings.Cut(t, ".")
	if intPart == "" && frac == "" || hasDot && frac == "" && intPart == "" {
		return Decimal{}, fmt.Errorf("%q: %w", s, ErrSyntax)
	}
	digits := intPart + frac
	if digits == "" {
		return Decimal{}, fmt.Errorf("%q: %w", s, ErrSyntax)
	}
	for _, r := range digits {
		if r < '0' || r > '9' {
			return Decimal{}, fmt.Errorf("%q: %w", s, ErrSyntax)
		}
	}
	// Leading zeros are not significant: "0.000000000000000001", which
	// String writes for Decimal{1, 18}, has one significant digit.
	digits = strings.TrimLeft(digits, "0")
	if digits == "" {
		digits = "0"
	}
	if len(digits) > 18 || len(frac) > maxScale {
		return Decimal{}, fmt.Errorf("%q: %w", s, ErrSyntax)
	}
	u, err := strconv.ParseInt(digits, 10, 64)
	if err != nil {
		return Decimal{}, fmt.Errorf("%q: %w", s, ErrSyntax)
	}
	if neg {
		u = -u
	}
	return Decimal{Units: u, Scale: len(frac)}, nil
}

// Normalize drops trailing fraction zeros: 19.90 becomes 19.9.
func (d Decimal) Normalize() Decimal {
	for d.Scale > 0 && d.Units%10 == 0 {
		d.Units /= 10
		d.Scale--
	}
	return d
}

// Rescale returns the value as integer units of 10^-scale, and false when
// that cannot be done exactly (too many fraction digits, or overflow).
func (d Decimal) Rescale(scale int) (int64, bool) {
	n := d.Normalize()
	if n.Scale > scale {
		return 0, false
	}
	u := n.Units
	for i := n.Scale; i < scale; i++ {
		if u > math.MaxInt64/10 || u < math.MinInt64/10 {
			return 0, false
		}
		u *= 10
	}
	return u, true
}

// String writes the value with exactly Scale fraction digits.
func (d Decimal) String() string { return FormatUnits(d.Units, d.Scale) }

// FormatUnits writes units x 10^-scale with exactly scale fraction digits.
func FormatUnits(units int64, scale int) string {
	neg := units < 0
	var s string
	if neg {
		s = strconv.FormatUint(uint64(-(units+1))+1, 10)
	} else {
		s = strconv.FormatInt(units, 10)
	}
	if scale > 0 {
		if len(s) <= scale {
			s = strings.Repeat("0", scale-len(s)+1) + s
		}
		s = s[:len(s)-scale] + "." + s[len(s)-scale:]
	}
	if neg {
		s = "-" + s
	}
	return s
}

// MarshalGQL writes the Decimal as a JSON string.
func (d Decimal) MarshalGQL(w io.Writer) { _, _ = io.WriteString(w, strconv.Quote(d.String())) }

// UnmarshalGQL reads a Decimal from a string or a JSON number.
func (d *Decimal) UnmarshalGQL(v any) error {
	var s string
	switch x := v.(type) {
	case string:
		s = x
	case json.Number:
		s = x.String()
	case int:
		s = strconv.Itoa(x)
	case int64:
		s = strconv.FormatInt(x, 10)
	case float64:
		s = strconv.FormatFloat(x, 'f', -1, 64)
	default:
		return domain.BadInput("Decimal must be a string such as \"19.90\" or a number")
	}
	dec, err := ParseDecimal(s)
	if err != nil {
		return domain.BadInput("Decimal %q is not a plain decimal number such as \"19.90\"", s)
	}
	*d = dec
	return nil
}
