package lists

// The annotations below are how the Ent schema (ent/schema) tells listgen
// what to generate for an entity, field or edge. They live in the runtime
// package, not in listgen, so that the Ent schema, which the server links,
// does not pull the code generator into the binary.

// AnnotationName is the key of every listgen annotation in the Ent graph.
const AnnotationName = "ListGen"

// Annotation configures how a schema, field or edge appears in the list API.
type Annotation struct {
	// List names the root Query fields of an entity: "events" gives
	// Query.events (cursor paged) and Query.eventsPage (offset paged).
	List string `json:"list,omitempty"`
	// DefaultOrder is the field and direction lists sort by when no order
	// is given ("starts_at ASC"); "created_at DESC" when empty.
	DefaultOrder string `json:"default_order,omitempty"`
	// Skip leaves the schema, field or edge out of the GraphQL list API.
	Skip bool `json:"skip,omitempty"`
	// Money marks an integer field holding minor units of the currency in
	// CurrencyField; it filters and sorts as a Decimal amount.
	Money bool `json:"money,omitempty"`
	// CurrencyField names the field holding the ISO 4217 code of a Money
	// field (default "currency").
	CurrencyField string `json:"currency_field,omitempty"`
	// Scale marks an integer field holding a decimal with that many fraction
	// digits (taxRatePercent 19.00 is stored as 1900 with Scale 2).
	Scale int `json:"scale,omitempty"`
	// Connection exposes a to-many edge as a paged connection field on the
	// object type, with where, order and cursor arguments.
	Connection bool `json:"connection,omitempty"`
	// Roles are the callers that may use the root list fields of a schema
	// or the connection field of an edge; the SDL carries them as
	// @allow(roles: [...]). The server refuses a root field without them to
	// everyone, so every listed schema names its roles.
	Roles []string `json:"roles,omitempty"`
}

// Name implements ent/schema.Annotation.
func (Annotation) Name() string { return AnnotationName }

// List exposes an entity through Query.<name> and Query.<name>Page.
func List(name string) Annotation { return Annotation{List: name} }

// ListOrdered is List with a default order other than "created_at DESC".
func ListOrdered(name, defaultOrder string) Annotation {
	return Annotation{List: name, DefaultOrder: defaultOrder}
}

// Skip leaves a schema, field or edge out of the list API.
func Skip() Annotation { return Annotation{Skip: true} }

// Money marks a field of integer minor units priced in the "currency" field.
func Money() Annotation { return Annotation{Money: true, CurrencyField: "currency"} }

// Scaled marks an integer field holding a decimal with scale fraction digits.
func Scaled(scale int) Annotation { return Annotation{Scale: scale} }

// Connection exposes a to-many edge as a paged connection.
func Connection() Annotation { return Annotation{Connection: true} }

// Allow returns a with the callers that may use its list or connection
// fields: lists.List("events").Allow("ANONYMOUS", "ADMIN").
func (a Annotation) Allow(roles ...string) Annotation {
	a.Roles = append([]string(nil), roles...)
	return a
}
