package lists

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"entgo.io/ent/dialect"

	"seatgraph/internal/money"
)

// Type is how a stored field filters, sorts and appears in cursors.
type Type int

const (
	TypeString Type = iota
	TypeInt
	TypeFloat
	TypeBool
	TypeTime
	TypeEnum
	TypeID
	// TypeMoney is an integer of minor units of the currency in
	// Field.CurrencyColumn, compared as an amount across currencies.
	TypeMoney
	// TypeScaled is an integer holding a decimal with Field.Scale digits.
	TypeScaled
)

// Field describes one stored column of an entity for the list API.
type Field struct {
	Name           string // GraphQL name ("startsAt")
	Column         string // SQL column ("starts_at")
	Type           Type
	Nullable       bool
	Enum           []string // members in sort order, for TypeEnum
	CurrencyColumn string   // for TypeMoney
	Scale          int      // for TypeScaled
}

// ColFunc qualifies a column name for the table in scope.
type ColFunc func(column string) string

// Expr is the SQL expression the field sorts and compares by: strings sort
// by code point on every database, enums in declaration order, money as an
// amount scaled to money.MaxDigits whatever its currency.
func (f Field) Expr(c ColFunc, d string) string {
	col := c(f.Column)
	switch f.Type {
	case TypeString:
		if d == dialect.Postgres {
			return col + ` COLLATE "C"`
		}
		return col
	case TypeEnum:
		var b strings.Builder
		b.WriteString("(CASE ")
		b.WriteString(col)
		for i, v := range f.Enum {
			fmt.Fprintf(&b, " WHEN '%s' THEN %d", strings.ReplaceAll(v, "'", "''"), i)
		}
		b.WriteString(" END)")
		return b.String()
	case TypeMoney:
		return "(" + col + " * " + currencyFactor(c(f.CurrencyColumn)) + ")"
	}
	return col
}

// currencyFactor is a CASE expression giving, per currency, the factor that
// brings minor units to money.MaxDigits fraction digits.
func currencyFactor(currencyCol string) string {
	return strings.Replace(factorSQL, "?", currencyCol, 1)
}

var factorSQL = func() string {
	others, dflt := money.ScaleFactors()
	codes := make([]string, 0, len(others))
	for c := range others {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	var b strings.Builder
	b.WriteString("CASE ?")
	for _, c := range codes {
		fmt.Fprintf(&b, " WHEN '%s' THEN %d", c, others[c])
	}
	b.WriteString(" ELSE " + strconv.FormatInt(dflt, 10) + " END")
	return b.String()
}()
