package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"seatgraph/internal/domain"
	"seatgraph/internal/lists"
)

// History is one recorded change of a booking, ticket or payment
// (docs/domain-rules.md, rule 12); eventStatistics is computed from these rows.
type History struct{ ent.Schema }

func (History) Annotations() []schema.Annotation {
	return []schema.Annotation{entsql.IncrementStart(9 << 32), lists.Skip()}
}

func (History) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}, TenantMixin{}} }

func (History) Fields() []ent.Field {
	return []ent.Field{
		field.Enum("kind").GoType(domain.HistoryKind("")),
		field.Time("occurred_at").Default(Now).Immutable(),
		field.Int("event_id").Optional().Nillable().Immutable(),
		field.Int("booking_id").Optional().Nillable().Immutable(),
		field.Int("ticket_id").Optional().Nillable().Immutable(),
		field.Int("payment_id").Optional().Nillable().Immutable(),
		field.Int("quantity").Default(0).Immutable(),
		field.Int64("amount").Default(0).Immutable(),
		field.String("currency").Optional().Immutable(),
		field.String("detail").Optional().Immutable(),
	}
}

func (History) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("event_id", "occurred_at"),
		index.Fields("booking_id"),
	}
}
