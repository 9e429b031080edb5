// Package catalog holds the rules for what organizers sell and who takes
// part: events with their ticket categories and cancellation policy, and
// participants. It validates input (failures are domain error values naming the
// input field) and writes through Ent in one transaction per change. It knows
// nothing of GraphQL; most GraphQL input types bind to the structs here,
// while the update inputs, whose fields may be left out, are GraphQL's own
// and converted to the *Changes structs by the resolvers.
package catalog

import (
	"time"

	"seatgraph/internal/money"
)

// CancellationRuleInput is one rule of a cancellation policy.
type CancellationRuleInput struct {
	HoursBeforeStart int
	KeepPercent      money.Decimal
	FixedFee         *money.Decimal
}

// CancellationPolicyInput is an event's list of cancellation rules.
type CancellationPolicyInput struct {
	Rules []*CancellationRuleInput
}

// TicketCategoryInput is a category given inline with a new event.
type TicketCategoryInput struct {
	Name           string
	Price          money.Decimal
	TaxRatePercent *money.Decimal
	Capacity       *int
	Description    *string
	SalesStartAt   *time.Time
	SalesEndAt     *time.Time
}

// CreateEventInput creates an event.
type CreateEventInput struct {
	Title                string
	Description          *string
	StartsAt             time.Time
	EndsAt               *time.Time
	TimeZone             *string
	Venue                *string
	Address              *string
	OnlineURL            *string `json:"onlineUrl"`
	Category             *string
	Capacity             *int
	WaitlistEnabled      *bool
	RegistrationOpensAt  *time.Time
	RegistrationClosesAt *time.Time
	MaxTicketsPerBooking *int
	Currency             *string
	CancellationPolicy   *CancellationPolicyInput
	TicketCategories     []*TicketCategoryInput
	Publish              *bool
}

// EventChanges changes the given fields of an event; Optional fields set
// to nil are cleared.
type EventChanges struct {
	ID                   int
	Title                *string
	Description          Optional[*string]
	StartsAt             *time.Time
	EndsAt               Optional[*time.Time]
	TimeZone             *string
	Venue                Optional[*string]
	Address              Optional[*string]
	OnlineURL            Optional[*string]
	Category             Optional[*string]
	Capacity             Optional[*int]
	WaitlistEnabled      *bool
	RegistrationOpensAt  Optional[*time.Time]
	RegistrationClosesAt Optional[*time.Time]
	MaxTicketsPerBooking Optional[*int]
	Currency             *string
	CancellationPolicy   Optional[*CancellationPolicyInput]
}

// PublishEventInput names the event to publish.
type PublishEventInput struct{ ID int }

// CancelEventInput names the event to cancel.
type CancelEventInput struct {
	ID     int
	Reason *string
}

// DuplicateEventInput copies an event to a new start.
type DuplicateEventInput struct {
	ID       int
	StartsAt time.Time
}

// DeleteEventInput names the event to delete.
type DeleteEventInput struct{ ID int }

// CreateTicketCategoryInput adds a category to an event.
type CreateTicketCategoryInput struct {
	EventID        int
	Name           string
	Price          money.Decimal
	TaxRatePercent *money.Decimal
	Capacity       *int
	Description    *string
	SalesStartAt   *time.Time
	SalesEndAt     *time.Time
}

// TicketCategoryChanges changes the given fields of a category.
type TicketCategoryChanges struct {
	ID             int
	Name           *string
	Price          *money.Decimal
	TaxRatePercent *money.Decimal
	Capacity       Optional[*int]
	Description    Optional[*string]
	SalesStartAt   Optional[*time.Time]
	SalesEndAt     Optional[*time.Time]
}

// ParticipantInput is a person, matched to an existing participant by e-mail.
type ParticipantInput struct {
	FirstName   string
	LastName    string
	Email       string
	Phone       *string
	Company     *string
	JobTitle    *string
	Address     *string
	ZipCode     *string
	City        *string
	CountryCode *string
	ExternalRef *string
}

// CreateParticipantInput creates a participant.
type CreateParticipantInput = ParticipantInput

// ParticipantChanges changes the given fields of a participant.
type ParticipantChanges struct {
	ID          int
	FirstName   *string
	LastName    *string
	Email       *string
	Phone       Optional[*string]
	Company     Optional[*string]
	JobTitle    Optional[*string]
	Address     Optional[*string]
	ZipCode     Optional[*string]
	City        Optional[*string]
	CountryCode Optional[*string]
	ExternalRef Optional[*string]
}
