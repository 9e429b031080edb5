package graph

import (
	"context"
	"log/slog"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"seatgraph/ent"
	"seatgraph/graph/model"
	"seatgraph/internal/auth"
	"seatgraph/internal/lists"
)

// compiledLists answers root list fields with one SQL statement each
// (lists.Catalog.Compile), and leaves to the resolvers every field the
// compiler declines: per root field, so one field that needs Go does not
// cost the other fields of the request their compiled answer.
type compiledLists struct {
	cat    *lists.Catalog
	access *Access
	log    *slog.Logger
}

func newCompiledLists(client *ent.Client, access *Access, log *slog.Logger) *compiledLists {
	cat := ent.CompiledLists(client)
	cat.Time = model.MarshalDateTime
	return &compiledLists{cat: cat, access: access, log: log}
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
		if ctx.Err() == nil {
			q, _ := c.Statement()
			l.log.WarnContext(ctx, "compiled list failed, answered by the resolvers", "field", fc.Field.Name, "error", err, "sql", q)
		}
		return next(ctx)
	}
	return c
}
