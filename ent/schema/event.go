package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"seatgraph/internal/domain"
	"seatgraph/internal/lists"
)

// Event is something people attend.
type Event struct{ ent.Schema }

func (Event) Annotations() []schema.Annotation {
	return []schema.Annotation{entsql.IncrementStart(2 << 32), lists.ListOrdered("events", "starts_at ASC").Allow(everyone...)}
}

func (Event) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}, TenantMixin{}} }

func (Event) Fields() []ent.Field {
	return []ent.Field{
		field.String("title").NotEmpty(),
		field.Text("description").Optional().Nillable(),
		field.Enum("status").GoType(domain.EventStatus("")).Default(string(domain.EventStatusDraft)),
		field.Time("starts_at"),
		field.Time("ends_at").Optional().Nillable(),
		field.String("time_zone").Default("UTC"),
		field.String("venue").Optional().Nillable(),
		field.String("address").Optional().Nillable(),
		field.String("online_url").Optional().Nillable(),
		field.String("category").Optional().Nillable(),
		field.Int("capacity").Optional().Nillable().NonNegative(),
		field.Bool("waitlist_enabled").Default(false),
		field.Time("registration_opens_at").Optional().Nillable(),
		field.Time("registration_closes_at").Optional().Nillable(),
		field.Int("max_tickets_per_booking").Optional().Nillable().Positive(),
		field.String("currency").Default("EUR"),
		field.JSON("cancellation_policy", domain.CancellationPolicy{}).Optional(),
		// Counters kept in the same transaction as the rows they count, so
		// availability is read without counting and capacity is taken with a
		// guarded update (docs/domain-rules.md, rule 1). They filter and sort as the
		// object fields of the same name.
		field.Int("registered_count").Default(0).NonNegative(),
		field.Int("waitlist_count").Default(0).NonNegative(),
		field.Int("checked_in_count").Default(0).NonNegative(),
		field.Time("cancelled_at").Optional().Nillable(),
		field.String("cancellation_reason").Optional().Nillable(),
	}
}

func (Event) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("ticket_categories", TicketCategory.Type),
		edge.To("tickets", Ticket.Type).Annotations(lists.Connection().Allow(ticketKeys...)),
		edge.To("registrations", Registration.Type).Annotations(lists.Connection().Allow(keys...)),
		// bookings holding a ticket for this event; kept by the booking
		// package when tickets are written, so the list is one join away.
		edge.To("bookings", Booking.Type).Annotations(lists.Connection().Allow(keys...)),
	}
}

func (Event) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("tenant_id", "starts_at"),
		index.Fields("tenant_id", "status", "starts_at"),
	}
}
