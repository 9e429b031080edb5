package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"seatgraph/internal/lists"
)

// IdempotencyKey remembers the booking a createBooking request with an
// idempotency key made, for 24 hours (docs/domain-rules.md, rule 6).
type IdempotencyKey struct{ ent.Schema }

func (IdempotencyKey) Annotations() []schema.Annotation {
	return []schema.Annotation{entsql.IncrementStart(10 << 32), lists.Skip()}
}

func (IdempotencyKey) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}, TenantMixin{}} }

func (IdempotencyKey) Fields() []ent.Field {
	return []ent.Field{
		field.String("key").NotEmpty().Immutable(),
		// SHA-256 of the request's canonical form: the same key with other
		// input is refused.
		field.String("request_hash").Immutable(),
		field.Int("booking_id"),
	}
}

func (IdempotencyKey) Indexes() []ent.Index {
	return []ent.Index{index.Fields("tenant_id", "key").Unique()}
}
