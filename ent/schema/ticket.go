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

// Ticket is one admission inside a booking.
type Ticket struct{ ent.Schema }

func (Ticket) Annotations() []schema.Annotation {
	return []schema.Annotation{entsql.IncrementStart(6 << 32), lists.List("tickets").Allow(ticketKeys...)}
}

func (Ticket) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}, TenantMixin{}} }

func (Ticket) Fields() []ent.Field {
	return []ent.Field{
		field.Int("booking_id"),
		field.Int("event_id"),
		field.Int("ticket_category_id"),
		field.Int("holder_id"),
		field.Int("registration_id").Optional().Nillable().Unique(),
		field.String("code").NotEmpty().Unique(),
		field.Enum("status").GoType(domain.TicketStatus("")),
		field.Time("checked_in_at").Optional().Nillable(),
		moneyField("price"),
		moneyField("net_price"),
		moneyField("tax_amount"),
		field.String("currency"),
	}
}

func (Ticket) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("booking", Booking.Type).Ref("tickets").Field("booking_id").Unique().Required(),
		edge.From("event", Event.Type).Ref("tickets").Field("event_id").Unique().Required(),
		edge.From("ticket_category", TicketCategory.Type).Ref("tickets").Field("ticket_category_id").Unique().Required(),
		edge.From("holder", Participant.Type).Ref("tickets").Field("holder_id").Unique().Required(),
		edge.From("registration", Registration.Type).Ref("ticket").Field("registration_id").Unique(),
	}
}

func (Ticket) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("event_id", "status"),
		// Foreign keys that nested lists, eager loading and the booking
		// engine look tickets up by; without them each lookup scans. Every
		// query also says tenant_id = ?, so the tenant leads: otherwise
		// SQLite, without statistics, prefers (tenant_id, created_at) and
		// walks all of the tenant's tickets. The list order follows, so a
		// booking's tickets come off the index already sorted.
		index.Fields("tenant_id", "booking_id", "created_at", "id").Annotations(entsql.DescColumns("created_at")),
		index.Fields("tenant_id", "holder_id"),
		index.Fields("tenant_id", "ticket_category_id"),
	}
}
