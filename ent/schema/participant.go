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

// Participant is a person: a booker, a ticket holder, or both.
type Participant struct{ ent.Schema }

func (Participant) Annotations() []schema.Annotation {
	return []schema.Annotation{entsql.IncrementStart(4 << 32), lists.List("participants").Allow(keys...)}
}

func (Participant) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}, TenantMixin{}} }

func (Participant) Fields() []ent.Field {
	return []ent.Field{
		field.String("first_name").NotEmpty(),
		field.String("last_name").NotEmpty(),
		// stored lower-cased: a participant is found again by e-mail.
		field.String("email").NotEmpty(),
		field.String("phone").Optional().Nillable(),
		field.String("company").Optional().Nillable(),
		field.String("job_title").Optional().Nillable(),
		field.String("address").Optional().Nillable(),
		field.String("zip_code").Optional().Nillable(),
		field.String("city").Optional().Nillable(),
		field.String("country_code").Optional().Nillable(),
		field.String("external_ref").Optional().Nillable(),
	}
}

func (Participant) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("bookings", Booking.Type).Annotations(lists.Connection().Allow(keys...)),
		edge.To("tickets", Ticket.Type).Annotations(lists.Connection().Allow(ticketKeys...)),
		edge.To("registrations", Registration.Type).Annotations(lists.Connection().Allow(keys...)),
	}
}

func (Participant) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("tenant_id", "email").Unique(),
		index.Fields("tenant_id", "last_name", "first_name"),
	}
}
