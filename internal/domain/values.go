// Package domain is the vocabulary of the booking model that every other
// package speaks: the enumerations (statuses, payment methods, roles), the
// value types stored inside rows as JSON (the cancellation policy, custom
// field answers), the response language, and the failures a client is told
// about (errors.go). It depends on nothing of seatgraph's own.
package domain

// CancellationRule means: from HoursBeforeStart hours before the event's
// start on, keep KeepPercent percent of what was paid plus FixedFee.
type CancellationRule struct {
	HoursBeforeStart int `json:"hoursBeforeStart"`
	// KeepPercent in hundredths of a percent: 50 % is 5000.
	KeepPercent int64 `json:"keepPercent"`
	// FixedFee in minor units of the event currency; nil means none.
	FixedFee *int64 `json:"fixedFee,omitempty"`
}

// CancellationPolicy is an event's list of cancellation rules.
type CancellationPolicy struct {
	Rules []CancellationRule `json:"rules"`
}

// CustomFieldAnswer is one answer a booker gave to a custom booking question.
type CustomFieldAnswer struct {
	Label  string `json:"label"`
	Answer string `json:"answer"`
}
