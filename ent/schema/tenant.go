package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"

	"seatgraph/internal/lists"
)

// Tenant is an organizer; every other row belongs to exactly one tenant.
type Tenant struct{ ent.Schema }

func (Tenant) Annotations() []schema.Annotation {
	return []schema.Annotation{entsql.IncrementStart(1 << 32), lists.Skip()}
}

func (Tenant) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

func (Tenant) Fields() []ent.Field {
	return []ent.Field{
		field.String("slug").Unique().NotEmpty(),
		field.String("name").Default(""),
		// The last order number handed out; bookings take the next one in
		// their own transaction, so numbers are unique and increasing.
		field.Int("order_seq").Default(0),
	}
}
