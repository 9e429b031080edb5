package graph

import (
	"context"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"seatgraph/internal/auth"
	"seatgraph/internal/domain"
)

// What each kind of caller may ask for at the root of an operation
// (API.md, the operator's contract). Rows are limited further below the
// resolvers: by tenant, and to published events for anonymous callers.
var (
	// anonymousFields are the public surface: published events, booking,
	// and a booker's own booking.
	anonymousFields = set("Query.events", "Query.eventsPage", "Query.node", "Query.nodes",
		"Query.bookingByOrderNumber", "Mutation.createBooking")
	// checkInFields serve a check-in app.
	checkInFields = set("Query.events", "Query.eventsPage", "Query.tickets", "Query.ticketsPage",
		"Query.node", "Query.nodes", "Mutation.checkInTicket", "Mutation.undoCheckIn")
	// adminOnlyFields manage events and categories: not for STAFF.
	adminOnlyFields = set("Mutation.createEvent", "Mutation.updateEvent", "Mutation.publishEvent",
		"Mutation.cancelEvent", "Mutation.duplicateEvent", "Mutation.deleteEvent",
		"Mutation.createTicketCategory", "Mutation.updateTicketCategory")
	// nodeTypes are the types node(id:) shows to a role; nil means all.
	nodeTypes = map[domain.Role]map[string]bool{
		"":                 set("Event", "TicketCategory"),
		domain.RoleCheckIn: set("Event", "TicketCategory", "Ticket"),
	}
)

func set(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// allowed reports whether p may resolve the root field object.field.
func allowed(p auth.Principal, object, field string) bool {
	if strings.HasPrefix(field, "__") {
		return true
	}
	name := object + "." + field
	switch p.Role {
	case domain.RoleAdmin:
		return true
	case domain.RoleStaff:
		return !adminOnlyFields[name]
	case domain.RoleCheckIn:
		return checkInFields[name]
	}
	return anonymousFields[name]
}

// denied is the error of a field the caller may not use.
func denied(p auth.Principal) *gqlerror.Error {
	if p.Anonymous() {
		return codedError(domain.CodeUnauthenticated, "this needs an API key (Authorization: Bearer <key>)")
	}
	return codedError(domain.CodeForbidden, "the API key's role may not do this")
}

// guardRoot refuses root fields outside the caller's role.
func guardRoot(ctx context.Context, next graphql.RootResolver) graphql.Marshaler {
	p, ok := auth.FromContext(ctx)
	if !ok {
		return next(ctx)
	}
	fc := graphql.GetRootFieldContext(ctx)
	if fc != nil && !allowed(p, rootType(ctx), fc.Field.Name) {
		err := denied(p)
		err.Path = ast.Path{ast.PathName(fc.Field.Alias)}
		graphql.AddError(ctx, err)
		return graphql.Null
	}
	return next(ctx)
}

// rootType names the root type of the operation in ctx.
func rootType(ctx context.Context) string {
	switch graphql.GetOperationContext(ctx).Operation.Operation {
	case ast.Mutation:
		return "Mutation"
	case ast.Subscription:
		return "Subscription"
	}
	return "Query"
}

// guardField keeps limited callers out of the lists hanging off the
// objects they may see: anonymous callers reach only their own booking's
// tickets and payments (not an event's bookings, not a participant's
// tickets); CHECKIN keys reach lists of tickets only.
func guardField(ctx context.Context, next graphql.Resolver) (any, error) {
	p, ok := auth.FromContext(ctx)
	if !ok || (!p.Anonymous() && p.Role != domain.RoleCheckIn) {
		return next(ctx)
	}
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || fc.Field.Definition == nil || fc.Object == "Query" || fc.Object == "Mutation" {
		return next(ctx)
	}
	typ := fc.Field.Definition.Type.Name()
	if !strings.HasSuffix(typ, "Connection") {
		return next(ctx)
	}
	if p.Anonymous() && fc.Object == "Booking" || p.Role == domain.RoleCheckIn && typ == "TicketConnection" {
		return next(ctx)
	}
	return nil, denied(p)
}

// visible hides node(id:) results of types the caller may not look up.
func visible(ctx context.Context, typ string) bool {
	p, ok := auth.FromContext(ctx)
	if !ok {
		return true
	}
	types, limited := nodeTypes[p.Role]
	return !limited || types[typ]
}
