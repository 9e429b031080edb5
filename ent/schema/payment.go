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

// Payment is money in (PAYMENT) or out (REFUND) for a booking.
type Payment struct{ ent.Schema }

func (Payment) Annotations() []schema.Annotation {
	return []schema.Annotation{entsql.IncrementStart(8 << 32), lists.List("payments").Allow(keys...)}
}

func (Payment) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}, TenantMixin{}} }

func (Payment) Fields() []ent.Field {
	return []ent.Field{
		field.Int("booking_id"),
		field.Enum("kind").GoType(domain.PaymentKind("")),
		moneyField("amount"),
		field.String("currency"),
		field.Enum("method").GoType(domain.PaymentMethod("")),
		field.Enum("status").GoType(domain.PaymentRecordStatus("")),
		field.String("provider_reference").Optional().Nillable(),
		field.Time("paid_at").Optional().Nillable(),
		field.String("note").Optional().Nillable(),
	}
}

func (Payment) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("booking", Booking.Type).Ref("payments").Field("booking_id").Unique().Required(),
	}
}

func (Payment) Indexes() []ent.Index {
	return []ent.Index{
		// A booking's payments (nested list, eager loading, refunds), in
		// the list order, so they come off the index already sorted.
		index.Fields("tenant_id", "booking_id", "created_at", "id").Annotations(entsql.DescColumns("created_at")),
	}
}
