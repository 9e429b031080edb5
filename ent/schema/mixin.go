package schema

import (
	"time"

	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
	"entgo.io/ent/schema/mixin"

	"seatgraph/internal/lists"
)

// Now is the clock of every timestamp: UTC, truncated to microseconds so a
// value reads back the same from SQLite and PostgreSQL and keyset cursors on
// timestamps compare exactly.
func Now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

// TimeMixin records when a row was created and last changed (docs/domain-rules.md, rule 12).
type TimeMixin struct{ mixin.Schema }

func (TimeMixin) Fields() []ent.Field {
	return []ent.Field{
		field.Time("created_at").Default(Now).Immutable(),
		field.Time("updated_at").Default(Now).UpdateDefault(Now),
	}
}

// TenantMixin puts every row into exactly one tenant.
type TenantMixin struct{ mixin.Schema }

func (TenantMixin) Fields() []ent.Field {
	return []ent.Field{
		field.Int("tenant_id").Immutable().Annotations(lists.Skip()),
	}
}

// Indexes serve the default order (createdAt DESC, then id ASC) inside a
// tenant: in that order, with id in it, a page is read off the index
// without sorting the tenant's rows (SQLite otherwise sorted every row for
// a one-row page once its statistics made it prefer another index).
func (TenantMixin) Indexes() []ent.Index {
	return []ent.Index{index.Fields("tenant_id", "created_at", "id").Annotations(entsql.DescColumns("created_at"))}
}

// moneyField is an amount in integer minor units of the row's currency.
func moneyField(name string) ent.Field {
	return field.Int64(name).Default(0).Annotations(lists.Money())
}
