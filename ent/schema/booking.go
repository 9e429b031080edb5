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

// Booking is one order by one booker.
type Booking struct{ ent.Schema }

func (Booking) Annotations() []schema.Annotation {
	return []schema.Annotation{entsql.IncrementStart(5 << 32), lists.List("bookings").Allow(keys...)}
}

func (Booking) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}, TenantMixin{}} }

func (Booking) Fields() []ent.Field {
	return []ent.Field{
		field.String("order_number").NotEmpty(),
		field.Enum("status").GoType(domain.BookingStatus("")),
		field.Int("booker_id"),
		field.Text("invoice_address").Optional().Nillable(),
		field.String("currency"),
		moneyField("subtotal"),
		moneyField("tax_total"),
		moneyField("total"),
		moneyField("paid_amount"),
		moneyField("refunded_amount"),
		field.Enum("payment_status").GoType(domain.PaymentStatus("")).Default(string(domain.PaymentStatusUnpaid)),
		field.Enum("payment_method").GoType(domain.PaymentMethod("")),
		field.String("invoice_number").Optional().Nillable(),
		field.Time("hold_expires_at").Optional().Nillable(),
		field.Time("confirmed_at").Optional().Nillable(),
		field.Time("cancelled_at").Optional().Nillable(),
		field.String("cancellation_reason").Optional().Nillable(),
		field.JSON("custom_field_answers", []domain.CustomFieldAnswer{}).Optional(),
		field.String("utm_source").Optional().Nillable(),
		field.String("utm_medium").Optional().Nillable(),
		field.String("utm_campaign").Optional().Nillable(),
		// the event's cancellation policy when the booking was made (rule 5).
		field.JSON("cancellation_policy", domain.CancellationPolicy{}).Optional(),
	}
}

func (Booking) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("booker", Participant.Type).Ref("bookings").Field("booker_id").Unique().Required(),
		edge.To("tickets", Ticket.Type).Annotations(lists.Connection().Allow(everyone...)),
		edge.To("payments", Payment.Type).Annotations(lists.Connection().Allow(booker...)),
		edge.From("events", Event.Type).Ref("bookings"),
	}
}

func (Booking) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("tenant_id", "order_number").Unique(),
		index.Fields("tenant_id", "invoice_number").Unique(),
		index.Fields("tenant_id", "status", "created_at"),
		index.Fields("status", "hold_expires_at"),
		// A participant's bookings (nested list, eager loading).
		index.Fields("tenant_id", "booker_id"),
	}
}
