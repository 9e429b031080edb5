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

// Registration is one participant's seat on one event, or their place on
// its waitlist.
type Registration struct{ ent.Schema }

func (Registration) Annotations() []schema.Annotation {
	return []schema.Annotation{entsql.IncrementStart(7 << 32), lists.List("registrations").Allow(keys...)}
}

func (Registration) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}, TenantMixin{}} }

func (Registration) Fields() []ent.Field {
	return []ent.Field{
		field.Int("event_id"),
		field.Int("participant_id"),
		field.Enum("status").GoType(domain.RegistrationStatus("")),
		// the status a waitlisted registration gets when it is promoted
		// (rule 3); not part of the API.
		field.Enum("requested_status").GoType(domain.RegistrationStatus("")).
			Default(string(domain.RegistrationStatusAccepted)).Annotations(lists.Skip()),
		field.Int("waitlist_position").Optional().Nillable(),
		field.JSON("metadata", map[string]any{}).Optional(),
	}
}

func (Registration) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("event", Event.Type).Ref("registrations").Field("event_id").Unique().Required(),
		edge.From("participant", Participant.Type).Ref("registrations").Field("participant_id").Unique().Required(),
		edge.To("ticket", Ticket.Type).Unique(),
	}
}

func (Registration) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("event_id", "status", "waitlist_position"),
		// A participant's registrations (nested list, eager loading).
		index.Fields("tenant_id", "participant_id"),
	}
}
