package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"seatgraph/internal/lists"
)

// TicketCategory is a price tier of one event.
type TicketCategory struct{ ent.Schema }

func (TicketCategory) Annotations() []schema.Annotation {
	// Categories list in the order they were made (Standard before Student).
	return []schema.Annotation{entsql.IncrementStart(3 << 32), lists.Annotation{DefaultOrder: "created_at ASC"}}
}

func (TicketCategory) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}, TenantMixin{}} }

func (TicketCategory) Fields() []ent.Field {
	return []ent.Field{
		field.Int("event_id"),
		field.String("name").NotEmpty(),
		field.Text("description").Optional().Nillable(),
		moneyField("price"),
		field.String("currency").Default("EUR"),
		// percent with two fraction digits: 19.00 % is 1900.
		field.Int64("tax_rate_percent").Default(0).Annotations(lists.Scaled(2)),
		field.Int("capacity").Optional().Nillable().NonNegative(),
		// ACTIVE tickets of the category, kept with the tickets (rule 1).
		field.Int("sold_count").Default(0).NonNegative(),
		field.Time("sales_start_at").Optional().Nillable(),
		field.Time("sales_end_at").Optional().Nillable(),
	}
}

func (TicketCategory) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("event", Event.Type).Ref("ticket_categories").Field("event_id").Unique().Required(),
		edge.To("tickets", Ticket.Type).Annotations(lists.Connection().Allow(ticketKeys...)),
	}
}

func (TicketCategory) Indexes() []ent.Index {
	return []ent.Index{
		// An event's categories (nested list, eager loading).
		index.Fields("tenant_id", "event_id"),
	}
}
