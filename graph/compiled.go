package graph

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"seatgraph/ent"
	"seatgraph/graph/model"
	"seatgraph/internal/auth"
	"seatgraph/internal/lists"
)

// planCacheSize is how many distinct root list fields keep their plans.
const planCacheSize = 512

// compiledLists answers root list fields with one SQL statement each
// (lists.Catalog.Compile), and leaves to the resolvers every field the
// compiler declines: per root field, so one field that needs Go does not
// cost the other fields of the request their compiled answer.
type compiledLists struct {
	cat    *lists.Catalog
	access *Access
	log    *slog.Logger
}

func newCompiledLists(r *Resolver, access *Access, log *slog.Logger) *compiledLists {
	cat := ent.CompiledLists(r.Client)
	cat.Time = model.MarshalDateTime
	cat.Go = r.goFields()
	// The isolation interceptors narrow by tenant and, for anonymous
	// callers, to published events; Allowed reads the role.
	cat.Scope = func(ctx context.Context) (string, bool) {
		p, ok := auth.FromContext(ctx)
		tid, hasTenant := auth.TenantID(ctx)
		if !ok || !hasTenant {
			return "", false
		}
		return strconv.Itoa(tid) + "/" + string(p.Role), true
	}
	cat.CachePlans(planCacheSize)
	return &compiledLists{cat: cat, access: access, log: log}
}

// goFields are the object fields with resolvers of their own that a
// compiled list answers by calling those resolvers on the entities loaded by
// id (lists.GoField); the edges named are those the resolvers read. A field
// not here (cancellationPolicy, an object) sends its root field to the
// resolvers.
func (r *Resolver) goFields() map[string]lists.GoField {
	return map[string]lists.GoField{
		"Booking.balanceDue":            {Resolve: resolveWith(r.Booking().BalanceDue)},
		"Event.availableSeats":          {Resolve: resolveWith(r.Event().AvailableSeats)},
		"TicketCategory.availableSeats": {Edges: []string{"event"}, Resolve: resolveWith(r.TicketCategory().AvailableSeats)},
		"TicketCategory.taxRatePercent": {Resolve: resolveWith(r.TicketCategory().TaxRatePercent)},
		"Participant.name":              {Resolve: resolveWith(r.Participant().Name)},
	}
}

// resolveWith adapts a field resolver over *ent.X to lists.GoField.
func resolveWith[T, V any](f func(context.Context, T) (V, error)) func(context.Context, any) (any, error) {
	return func(ctx context.Context, obj any) (any, error) {
		t, ok := obj.(T)
		if !ok {
			return nil, fmt.Errorf("graph: compiled list loaded %T, the resolver takes %T", obj, t)
		}
		return f(ctx, t)
	}
}

// around runs inside the access guard of root fields, so the root field is
// already allowed; the rules of the fields below it are the compiler's to
// keep, and it declines what the caller's role may not use, so that the
// ordinary path reports it exactly as it does without the compiler.
func (l *compiledLists) around(ctx context.Context, next graphql.RootResolver) graphql.Marshaler {
	fc := graphql.GetRootFieldContext(ctx)
	if fc == nil || !graphql.HasOperationContext(ctx) || graphql.GetOperationContext(ctx).Operation.Operation != ast.Query {
		return next(ctx)
	}
	var allowed lists.Allowed
	if p, ok := auth.FromContext(ctx); ok {
		role := p.Role
		allowed = func(typ, field string) bool { return l.access.Allows(role, typ, field) }
	}
	c, ok := l.cat.Compile(ctx, fc.Field, allowed)
	if !ok {
		return next(ctx)
	}
	if err := c.Run(ctx); err != nil {
		// The ordinary path still answers; a failing statement is the
		// compiler's bug (or a cancelled request), worth a log line.
		if ctx.Err() == nil && !errors.Is(err, lists.ErrRefused) {
			q, _ := c.Statement()
			l.log.WarnContext(ctx, "compiled list failed, answered by the resolvers", "field", fc.Field.Name, "error", err, "sql", q)
		}
		return next(ctx)
	}
	return c
}
