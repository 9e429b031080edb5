package money

import (
	"context"
	"fmt"
	"strings"

	"seatgraph/internal/domain"
)

// Currency digits per ISO 4217. Currencies not listed here but in Known
// have two minor digits.
var minorDigits = map[string]int{
	"BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0,
	"PYG": 0, "RWF": 0, "UGX": 0, "UYI": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
	"BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
}

// known lists the ISO 4217 currencies seatgraph accepts.
var known = strings.Fields(`AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL
BSD BTN BWP BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP
GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW
KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO
NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD
SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYI UYU UZS VES VND VUV WST XAF XCD
XOF XPF YER ZAR ZMW ZWL`)

var knownSet = func() map[string]bool {
	m := make(map[string]bool, len(known))
	for _, c := range known {
		m[c] = true
	}
	return m
}()

// MaxDigits is the largest number of minor digits of any accepted currency;
// amounts of mixed currencies are compared at this scale.
const MaxDigits = 3

// ValidCurrency reports whether code is an accepted ISO 4217 code.
func ValidCurrency(code string) bool { return knownSet[code] }

// Digits returns the number of minor digits of a currency (2 when unknown).
func Digits(code string) int {
	if d, ok := minorDigits[code]; ok {
		return d
	}
	return 2
}

// ScaleFactors lists the currencies whose minor units must be multiplied by
// something other than 10 to reach MaxDigits, for SQL CASE expressions that
// compare amounts of mixed currencies exactly.
func ScaleFactors() (others map[string]int64, dflt int64) {
	others = map[string]int64{}
	for c, d := range minorDigits {
		others[c] = pow10(MaxDigits - d)
	}
	return others, pow10(MaxDigits - 2)
}

func pow10(n int) int64 {
	p := int64(1)
	for range n {
		p *= 10
	}
	return p
}

// ParseAmount reads a Decimal in a currency into minor units; more fraction
// digits than the currency has is an error.
func ParseAmount(d Decimal, currency string) (int64, error) {
	digits := Digits(currency)
	u, ok := d.Rescale(digits)
	if !ok {
		return 0, fmt.Errorf("%s has at most %d decimal places in %s", d.String(), digits, currency)
	}
	return u, nil
}

// Money is an amount of one currency, as the GraphQL Money type shows it.
type Money struct {
	Minor    int64
	Currency string
}

// New returns Money of minor units in currency.
func New(minor int64, currency string) Money { return Money{Minor: minor, Currency: currency} }

// Amount is the exact decimal value.
func (m Money) Amount() Decimal { return Decimal{Units: m.Minor, Scale: Digits(m.Currency)} }

// Formatted writes the amount for humans in the language of ctx: "€19.90"
// in English, "19,90 €" in German.
func (m Money) Formatted(ctx context.Context) string {
	lang := domain.Language(ctx)
	digits := Digits(m.Currency)
	s := FormatUnits(m.Minor, digits)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, _ := strings.Cut(s, ".")
	thousands, decimal := ",", "."
	if lang == "de" {
		thousands, decimal = ".", ","
	}
	var b strings.Builder
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteString(thousands)
		}
		b.WriteRune(r)
	}
	num := b.String()
	if frac != "" {
		num += decimal + frac
	}
	sym := symbol(m.Currency)
	sign := ""
	if neg {
		sign = "-"
	}
	if lang == "de" {
		return sign + num + "\u00a0" + sym
	}
	if len(sym) == 3 && sym == m.Currency {
		return sign + sym + "\u00a0" + num
	}
	return sign + sym + num
}

func symbol(code string) string {
	switch code {
	case "EUR":
		return "€"
	case "USD":
		return "$"
	case "GBP":
		return "£"
	case "JPY":
		return "¥"
	}
	return code
}
