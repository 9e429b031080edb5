package graph

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"seatgraph/graph/generated"
	"seatgraph/internal/config"
	"seatgraph/internal/domain"
	"seatgraph/internal/observe"
)

// Error codes the handler gives errors that carry none.
const (
	CodeInternal   = "INTERNAL_SERVER_ERROR"
	CodeBadRequest = "BAD_REQUEST"
)

// HandlerOptions configure the GraphQL endpoint.
type HandlerOptions struct {
	// Introspection allows __schema and __type queries (GraphiQL, client
	// tooling and code generators need it).
	Introspection bool
	Logger        *slog.Logger
	// Limits bound each request; the zero value takes config.Defaults.
	Limits config.Limits
	// Metrics, when set, receives request, error and business metrics
	// (see Observer); logging of operations happens either way.
	Metrics *observe.Metrics
}

// NewHandler returns the GraphQL endpoint: GET (queries only) and POST per
// GraphQL over HTTP (httpTransport), and websocket subscriptions
// (graphql-transport-ws).
func NewHandler(r *Resolver, opts HandlerOptions) http.Handler {
	log := opts.Logger
	if log == nil {
		log = slog.Default()
	}
	l := opts.Limits
	if l == (config.Limits{}) {
		l = config.Defaults
	}
	es := generated.NewExecutableSchema(generated.Config{Resolvers: r})
	srv := handler.New(es)
	srv.AddTransport(transport.Websocket{KeepAlivePingInterval: 10 * time.Second})
	srv.AddTransport(transport.Options{})
	srv.AddTransport(httpTransport{tokens: l.Tokens})
	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	// First, so that it sees every response and times all of the work.
	srv.Use(Observer{Log: log, Metrics: opts.Metrics})
	srv.SetParserTokenLimit(l.Tokens)
	srv.Use(guard{limits: l, schema: es.Schema(), introspection: opts.Introspection})
	srv.Use(extension.AutomaticPersistedQuery{Cache: lru.New[string](1000)})
	if opts.Introspection {
		srv.Use(extension.Introspection{})
	}
	srv.AroundRootFields(guardRoot)
	srv.AroundFields(guardField)
	srv.SetErrorPresenter(func(ctx context.Context, err error) *gqlerror.Error {
		return presentError(ctx, err, log)
	})
	srv.SetRecoverFunc(func(ctx context.Context, v any) error {
		log.ErrorContext(ctx, "panic in resolver", "panic", v, "stack", string(debug.Stack()))
		return errors.New("internal server error")
	})
	return srv
}

// isTransportError reports whether err is gqlgen's own account of a request
// it could not read (the websocket transport's), rather than a resolver's
// failure.
func isTransportError(err error) bool {
	var g *gqlerror.Error
	return errors.As(err, &g) && g.Err == nil
}

// presentError gives every error an extensions.code. Errors that carry one
// (input, paging, validation, parse) keep their message; anything else is
// an internal failure whose text stays in the log, never in the response.
func presentError(ctx context.Context, err error, log *slog.Logger) *gqlerror.Error {
	gerr := graphql.DefaultErrorPresenter(ctx, err)
	if _, ok := gerr.Extensions["code"]; ok {
		return gerr
	}
	if d, ok := domain.As(err); ok {
		// A domain failure outside a payload (a query's argument names
		// nothing, or is out of range): the client's to fix.
		code := CodeBadUserInput
		if _, notFound := d.(*domain.NotFoundError); notFound {
			code = "NOT_FOUND"
		}
		gerr.Message = d.Error()
		gerr.Extensions = map[string]any{"code": code}
		return gerr
	}
	if len(gerr.Path) == 0 && isTransportError(err) {
		// The request itself is broken (a websocket message that is not a
		// GraphQL request): the client's fault.
		return &gqlerror.Error{Message: gerr.Message, Extensions: map[string]any{"code": CodeBadRequest}}
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded) {
		// The request timeout (server.Config.RequestTimeout) cut it off.
		log.WarnContext(ctx, "request timed out", "error", err.Error(), "path", gerr.Path.String())
		return &gqlerror.Error{
			Message:    "the request took too long and was stopped",
			Path:       gerr.Path,
			Locations:  gerr.Locations,
			Extensions: map[string]any{"code": CodeInternal},
		}
	}
	log.ErrorContext(ctx, "request failed", "error", err.Error(), "path", gerr.Path.String())
	return &gqlerror.Error{
		Message:    "internal server error",
		Path:       gerr.Path,
		Locations:  gerr.Locations,
		Extensions: map[string]any{"code": CodeInternal},
	}
}
