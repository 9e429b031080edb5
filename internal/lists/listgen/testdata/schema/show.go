package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"

	"seatgraph/internal/domain"
	"seatgraph/internal/lists"
)

// Show is listed by its start, priced in Money, and has seats as a plain
// to-many edge.
type Show struct{ ent.Schema }

func (Show) Annotations() []schema.Annotation {
	return []schema.Annotation{lists.ListOrdered("shows", "starts_at ASC")}
}

func (Show) Fields() []ent.Field {
	return []ent.Field{
		field.Time("created_at"),
		field.Int("venue_id"),
		field.String("title"),
		field.Enum("status").GoType(domain.EventStatus("")),
		field.Time("starts_at"),
		field.Int("price").Annotations(lists.Money()),
		field.String("currency"),
		field.Int("tax_rate").Annotations(lists.Scaled(2)),
		field.Bool("sold_out"),
		field.String("internal_note").Annotations(lists.Skip()),
	}
}

func (Show) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("venue", Venue.Type).Ref("shows").Field("venue_id").Unique().Required(),
		edge.To("seats", Seat.Type),
	}
}
