// Package schema is the small Ent schema of listgen's golden test: a venue
// with a connection of shows, shows with a plain to-many edge of seats, a
// Money and a scaled field, an enum, a skipped field and a JSON field.
package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"

	"seatgraph/internal/lists"
)

// Venue is listed with the default order and has shows as a connection.
type Venue struct{ ent.Schema }

func (Venue) Annotations() []schema.Annotation {
	return []schema.Annotation{lists.List("venues")}
}

func (Venue) Fields() []ent.Field {
	return []ent.Field{
		field.Time("created_at"),
		field.String("name"),
		field.String("city").Optional().Nillable(),
		// JSON columns are left out of the list API without an annotation.
		field.JSON("opening_hours", map[string]string{}).Optional(),
	}
}

func (Venue) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("shows", Show.Type).Annotations(lists.Connection()),
	}
}
