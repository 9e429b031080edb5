// Package catalog holds the rules for what organizers sell and who takes
// part: events with their ticket categories and cancellation policy, and
// participants. It validates input (failures are domainerr values naming the
// input field) and writes through Ent in one transaction per change. It knows
// nothing of GraphQL; the GraphQL input types bind to the structs here.
package catalog

import (
	"time"

	"github.com/99designs/gqlgen/graphql"

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

// UpdateEventInput changes the given fields of an event; Omittable fields
// set to null are cleared.
type UpdateEventInput struct {
	ID                   int
	Title                *string
	Description          graphql.Omittable[*string]
	StartsAt             *time.Time
	EndsAt               graphql.Omittable[*time.Time]
	TimeZone             *string
	Venue                graphql.Omittable[*string]
	Address              graphql.Omittable[*string]
	OnlineURL            graphql.Omittable[*string] `json:"onlineUrl"`
	Category             graphql.Omittable[*string]
	Capacity             graphql.Omittable[*int]
	WaitlistEnabled      *bool
	RegistrationOpensAt  graphql.Omittable[*time.Time]
	RegistrationClosesAt graphql.Omittable[*time.Time]
	MaxTicketsPerBooking graphql.Omittable[*int]
	Currency             *string
	CancellationPolicy   graphql.Omittable[*CancellationPolicyInput]
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

// UpdateTicketCategoryInput changes the given fields of a category.
type UpdateTicketCategoryInput struct {
	ID             int
	Name           *string
	Price          *money.Decimal
	TaxRatePercent *money.Decimal
	Capacity       graphql.Omittable[*int]
	Description    graphql.Omittable[*string]
	SalesStartAt   graphql.Omittable[*time.Time]
	SalesEndAt     graphql.Omittable[*time.Time]
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

// UpdateParticipantInput changes the given fields of a participant.
type UpdateParticipantInput struct {
	ID          int
	FirstName   *string
	LastName    *string
	Email       *string
	Phone       graphql.Omittable[*string]
	Company     graphql.Omittable[*string]
	JobTitle    graphql.Omittable[*string]
	Address     graphql.Omittable[*string]
	ZipCode     graphql.Omittable[*string]
	City        graphql.Omittable[*string]
	CountryCode graphql.Omittable[*string]
	ExternalRef graphql.Omittable[*string]
}
