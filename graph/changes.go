package graph

import (
	"github.com/99designs/gqlgen/graphql"

	"seatgraph/graph/model"
	"seatgraph/internal/catalog"
)

// The update inputs are GraphQL's own models, whose left-out fields gqlgen
// tells from null ones (graphql.Omittable); the catalog takes the same
// distinction as catalog.Optional and knows nothing of GraphQL.

func optional[T any](o graphql.Omittable[T]) catalog.Optional[T] {
	if v, ok := o.ValueOK(); ok {
		return catalog.Set(v)
	}
	return catalog.Optional[T]{}
}

func eventChanges(in model.UpdateEventInput) catalog.EventChanges {
	return catalog.EventChanges{
		ID:                   in.ID,
		Title:                in.Title,
		Description:          optional(in.Description),
		StartsAt:             in.StartsAt,
		EndsAt:               optional(in.EndsAt),
		TimeZone:             in.TimeZone,
		Venue:                optional(in.Venue),
		Address:              optional(in.Address),
		OnlineURL:            optional(in.OnlineURL),
		Category:             optional(in.Category),
		Capacity:             optional(in.Capacity),
		WaitlistEnabled:      in.WaitlistEnabled,
		RegistrationOpensAt:  optional(in.RegistrationOpensAt),
		RegistrationClosesAt: optional(in.RegistrationClosesAt),
		MaxTicketsPerBooking: optional(in.MaxTicketsPerBooking),
		Currency:             in.Currency,
		CancellationPolicy:   optional(in.CancellationPolicy),
	}
}

func ticketCategoryChanges(in model.UpdateTicketCategoryInput) catalog.TicketCategoryChanges {
	return catalog.TicketCategoryChanges{
		ID:             in.ID,
		Name:           in.Name,
		Price:          in.Price,
		TaxRatePercent: in.TaxRatePercent,
		Capacity:       optional(in.Capacity),
		Description:    optional(in.Description),
		SalesStartAt:   optional(in.SalesStartAt),
		SalesEndAt:     optional(in.SalesEndAt),
	}
}

func participantChanges(in model.UpdateParticipantInput) catalog.ParticipantChanges {
	return catalog.ParticipantChanges{
		ID:          in.ID,
		FirstName:   in.FirstName,
		LastName:    in.LastName,
		Email:       in.Email,
		Phone:       optional(in.Phone),
		Company:     optional(in.Company),
		JobTitle:    optional(in.JobTitle),
		Address:     optional(in.Address),
		ZipCode:     optional(in.ZipCode),
		City:        optional(in.City),
		CountryCode: optional(in.CountryCode),
		ExternalRef: optional(in.ExternalRef),
	}
}
