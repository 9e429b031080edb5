package graph

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"seatgraph/graph/generated"
)

// Error codes the handler gives errors that carry none.
const (
	CodeInternal = "INTERNAL_SERVER_ERROR"
)

// HandlerOptions configure the GraphQL endpoint.
type HandlerOptions struct {
	// Introspection allows __schema queries (GraphiQL needs it).
	Introspection bool
	Logger        *slog.Logger
	// Limits bound each operation; zero fields take DefaultLimits.
	Limits Limits
	// TokenLimit bounds the tokens of a query document (default 15,000);
	// deeply nested documents are refused before they are parsed deep.
	TokenLimit int
}

// NewHandler returns the GraphQL endpoint: POST and GET (queries only) per
// GraphQL over HTTP, and websocket subscriptions (graphql-transport-ws).
func NewHandler(r *Resolver, opts HandlerOptions) http.Handler {
	log := opts.Logger
	if log == nil {
		log = slog.Default()
	}
	srv := handler.New(generated.NewExecutableSchema(generated.Config{Resolvers: r}))
	srv.AddTransport(transport.Websocket{KeepAlivePingInterval: 10 * time.Second})
	srv.AddTransport(transport.Options{})
	srv.AddTransport(transport.GET{})
	srv.AddTransport(transport.POST{})
	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	if opts.TokenLimit == 0 {
		opts.TokenLimit = 15000
	}
	srv.SetParserTokenLimit(opts.TokenLimit)
	limits := opts.Limits
	if limits.MaxDepth == 0 {
		limits.MaxDepth = DefaultLimits.MaxDepth
	}
	if limits.MaxAliases == 0 {
		limits.MaxAliases = DefaultLimits.MaxAliases
	}
	if limits.MaxCost == 0 {
		limits.MaxCost = DefaultLimits.MaxCost
	}
	if limits.DefaultPage == 0 {
		limits.DefaultPage = DefaultLimits.DefaultPage
	}
	srv.Use(limits)
	srv.Use(extension.AutomaticPersistedQuery{Cache: lru.New[string](1000)})
	if opts.Introspection {
		srv.Use(extension.Introspection{})
	}
	// Holds that ran out are expired before a query reads availability;
	// this costs nothing unless one is due (see booking.Engine.ExpireDue).
	srv.AroundOperations(func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		if oc := graphql.GetOperationContext(ctx); oc.Operation != nil && oc.Operation.Operation == ast.Query {
			if err := r.Engine.ExpireDue(ctx); err != nil {
				log.ErrorContext(ctx, "expiring holds", "error", err.Error())
			}
		}
		return next(ctx)
	})
	srv.AroundRootFields(guardRoot)
	srv.AroundFields(guardField)
	srv.SetErrorPresenter(func(ctx context.Context, err error) *gqlerror.Error {
		return presentError(ctx, err, log)
	})
	srv.SetRecoverFunc(func(ctx context.Context, v any) error {
		log.ErrorContext(ctx, "panic in resolver", "panic", v)
		return errors.New("internal server error")
	})
	return srv
}

// presentError gives every error an extensions.code. Errors that carry one
// (input, paging, validation, parse) keep their message; anything else is
// an internal failure whose text stays in the log, never in the response.
func presentError(ctx context.Context, err error, log *slog.Logger) *gqlerror.Error {
	gerr := graphql.DefaultErrorPresenter(ctx, err)
	if _, ok := gerr.Extensions["code"]; ok {
		return gerr
	}
	log.ErrorContext(ctx, "request failed", "error", err.Error(), "path", gerr.Path.String())
	return &gqlerror.Error{
		Message:    "internal server error",
		Path:       gerr.Path,
		Locations:  gerr.Locations,
		Extensions: map[string]any{"code": CodeInternal},
	}
}
