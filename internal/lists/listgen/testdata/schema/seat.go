package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
)

// Seat has no list of its own: it is reached through its show only.
type Seat struct{ ent.Schema }

func (Seat) Fields() []ent.Field {
	return []ent.Field{
		field.Time("created_at"),
		field.String("label"),
		field.Int("show_id").Optional().Nillable(),
	}
}

func (Seat) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("show", Show.Type).Ref("seats").Field("show_id").Unique(),
	}
}
