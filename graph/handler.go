package graph

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"seatgraph/graph/generated"
	"seatgraph/internal/config"
	"seatgraph/internal/observe"
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
	// Interpreted turns the list compiler off: every root list field is
	// answered by its resolvers (the differential tests compare the two).
	Interpreted bool
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
	// The rules come from the full schema; clients (introspection and
	// validation) get it without the server-only @allow and AccessRole.
	full := generated.NewExecutableSchema(generated.Config{}).Schema()
	access := MustReadAccess(full)
	es := generated.NewExecutableSchema(generated.Config{Resolvers: r, Schema: publicSchema(full)})
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
	srv.AroundRootFields(access.guardRoot)
	if !opts.Interpreted {
		// After the guard: only allowed root fields get here.
		srv.AroundRootFields(newCompiledLists(r, access, log).around)
	}
	srv.AroundFields(access.guardField)
	srv.SetErrorPresenter(func(ctx context.Context, err error) *gqlerror.Error {
		return presentError(ctx, err, log)
	})
	srv.SetRecoverFunc(func(ctx context.Context, v any) error {
		log.ErrorContext(ctx, "panic in resolver", "panic", v, "stack", string(debug.Stack()))
		return errors.New("internal server error")
	})
	return srv
}
