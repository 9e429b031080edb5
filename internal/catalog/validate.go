package catalog

import (
	"fmt"
	"net/mail"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"seatgraph/internal/domain"
	"seatgraph/internal/money"
)

// checker collects the first validation failure; later checks are skipped
// so the client hears about one field at a time, in input order.
type checker struct{ err *domain.ValidationError }

func (c *checker) fail(field, format string, args ...any) {
	if c.err == nil {
		c.err = domain.Invalid(field, format, args...)
	}
}

func (c *checker) ok() bool { return c.err == nil }

func (c *checker) result() error {
	if c.err == nil {
		return nil
	}
	return c.err
}

// text trims s and checks its length; required text must not be empty.
func (c *checker) text(field, s string, required bool, max int) string {
	s = strings.TrimSpace(s)
	switch {
	case required && s == "":
		c.fail(field, "must not be empty")
	case utf8.RuneCountInString(s) > max:
		c.fail(field, "must be at most %d characters", max)
	}
	return s
}

// optText is text for an optional field; empty text clears it (nil).
func (c *checker) optText(field string, s *string, max int) *string {
	if s == nil {
		return nil
	}
	t := c.text(field, *s, false, max)
	if t == "" {
		return nil
	}
	return &t
}

func (c *checker) timeZone(field, tz string) string {
	tz = strings.TrimSpace(tz)
	if _, err := time.LoadLocation(tz); err != nil || tz == "" || strings.EqualFold(tz, "local") {
		c.fail(field, "%q is not an IANA time zone such as Europe/Berlin", tz)
	}
	return tz
}

func (c *checker) currency(field, code string) string {
	code = strings.ToUpper(strings.TrimSpace(code))
	if !money.ValidCurrency(code) {
		c.fail(field, "%q is not an ISO 4217 currency code", code)
	}
	return code
}

func (c *checker) url(field string, s *string) *string {
	v := c.optText(field, s, 2000)
	if v == nil {
		return nil
	}
	u, err := url.Parse(*v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		c.fail(field, "must be an http or https URL")
	}
	return v
}

func (c *checker) email(field, s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	a, err := mail.ParseAddress(s)
	if s == "" || err != nil || a.Address != s || !strings.Contains(s[strings.LastIndex(s, "@")+1:], ".") {
		c.fail(field, "%q is not an e-mail address", s)
	}
	return s
}

func (c *checker) countryCode(field string, s *string) *string {
	v := c.optText(field, s, 2)
	if v == nil {
		return nil
	}
	up := strings.ToUpper(*v)
	if len(up) != 2 || up[0] < 'A' || up[0] > 'Z' || up[1] < 'A' || up[1] > 'Z' {
		c.fail(field, "must be an ISO 3166-1 alpha-2 code such as DE")
	}
	return &up
}

func (c *checker) nonNegative(field string, v *int) {
	if v != nil && *v < 0 {
		c.fail(field, "must not be negative")
	}
}

func (c *checker) positive(field string, v *int) {
	if v != nil && *v < 1 {
		c.fail(field, "must be at least 1")
	}
}

func (c *checker) order(field string, from, to *time.Time, what string) {
	if from != nil && to != nil && to.Before(*from) {
		c.fail(field, "must not be before %s", what)
	}
}

// amount converts a price in currency to minor units; it must not be negative.
func (c *checker) amount(field string, d money.Decimal, currency string) int64 {
	u, err := money.ParseAmount(d, currency)
	switch {
	case err != nil:
		c.fail(field, "%v", err)
	case u < 0:
		c.fail(field, "must not be negative")
	}
	return u
}

// percent converts a percentage to hundredths: 0 to 100, two decimals.
func (c *checker) percent(field string, d *money.Decimal) int64 {
	if d == nil {
		return 0
	}
	u, ok := d.Rescale(2)
	switch {
	case !ok:
		c.fail(field, "has at most 2 decimal places")
	case u < 0 || u > 10000:
		c.fail(field, "must be between 0 and 100")
	}
	return u
}

// policy validates a cancellation policy in currency.
func (c *checker) policy(field string, in *CancellationPolicyInput, currency string) domain.CancellationPolicy {
	var p domain.CancellationPolicy
	if in == nil {
		return p
	}
	seen := map[int]bool{}
	for i, r := range in.Rules {
		f := fmt.Sprintf("%s.rules.%d", field, i)
		if r == nil {
			continue
		}
		if seen[r.HoursBeforeStart] {
			c.fail(f+".hoursBeforeStart", "two rules have %d hours", r.HoursBeforeStart)
		}
		seen[r.HoursBeforeStart] = true
		rule := domain.CancellationRule{HoursBeforeStart: r.HoursBeforeStart, KeepPercent: c.percent(f+".keepPercent", &r.KeepPercent)}
		if r.FixedFee != nil {
			fee := c.amount(f+".fixedFee", *r.FixedFee, currency)
			rule.FixedFee = &fee
		}
		p.Rules = append(p.Rules, rule)
	}
	return p
}
