package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"

	"seatgraph/internal/domain"
	"seatgraph/internal/lists"
)

// APIKey lets a caller act for one tenant in one role. Only a hash of the
// key is stored; the key itself is shown once, when it is made.
type APIKey struct{ ent.Schema }

func (APIKey) Annotations() []schema.Annotation {
	return []schema.Annotation{entsql.IncrementStart(11 << 32), lists.Skip()}
}

func (APIKey) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}, TenantMixin{}} }

func (APIKey) Fields() []ent.Field {
	return []ent.Field{
		// SHA-256 of the key, hex: keys are long random secrets, so a plain
		// hash is enough to make a stolen table useless.
		field.String("key_hash").Unique().Immutable().Sensitive(),
		// The key's first characters, to tell keys apart in listings.
		field.String("prefix").Immutable(),
		field.Enum("role").GoType(domain.Role("")).Immutable(),
		field.Time("revoked_at").Optional().Nillable(),
	}
}
