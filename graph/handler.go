package graph

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"

	"seatgraph/domainerr"
	"seatgraph/graph/generated"
	"seatgraph/metrics"
)

// Error codes the handler gives errors that carry none.
const (
	CodeInternal   = "INTERNAL_SERVER_ERROR"
	CodeBadRequest = "BAD_REQUEST"
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
	// Metrics, when set, receives request, error and business metrics
	// (see Observer); logging of operations happens either way.
	Metrics *metrics.Metrics
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
	// First, so that it sees every response and times all of the work.
	srv.Use(Observer{Log: log, Metrics: opts.Metrics})
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
	} else {
		srv.Use(NoIntrospection{})
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
		log.ErrorContext(ctx, "panic in resolver", "panic", v, "stack", string(debug.Stack()))
		return errors.New("internal server error")
	})
	return checkGET(srv)
}

// isTransportError reports whether err is gqlgen's own account of a request
// it could not read, rather than a resolver's failure.
func isTransportError(err error) bool {
	var g *gqlerror.Error
	return errors.As(err, &g) && g.Err == nil
}

// checkGET answers what gqlgen's GET transport would refuse with an error
// lacking extensions.code (API.md: every top-level error has one): a
// mutation or subscription sent over GET is 405, since GET is for queries
// that caches and prefetchers may repeat; variables or extensions that are
// not JSON objects are 400 BAD_REQUEST.
func checkGET(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || r.Header.Get("Upgrade") != "" {
			next.ServeHTTP(w, r)
			return
		}
		params := r.URL.Query()
		for _, name := range []string{"variables", "extensions"} {
			if raw := params.Get(name); raw != "" {
				var m map[string]any
				if err := json.Unmarshal([]byte(raw), &m); err != nil {
					writeCoded(w, http.StatusBadRequest, name+" must be a JSON object")
					return
				}
			}
		}
		if q := params.Get("query"); q != "" {
			doc, err := parser.ParseQueryWithTokenLimit(&ast.Source{Input: q}, 15000)
			if err == nil {
				if op := doc.Operations.ForName(params.Get("operationName")); op != nil && op.Operation != ast.Query {
					w.Header().Set("Allow", http.MethodPost)
					writeCoded(w, http.StatusMethodNotAllowed, "GET is for queries: send mutations with POST and subscriptions over a websocket")
					return
				}
			}
		}
		next.ServeHTTP(w, r)
	})
}

// writeCoded writes a GraphQL response holding one BAD_REQUEST error.
func writeCoded(w http.ResponseWriter, status int, msg string) {
	body, _ := json.Marshal(map[string]any{"errors": []*gqlerror.Error{{
		Message: msg, Extensions: map[string]any{"code": CodeBadRequest}}}})
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// presentError gives every error an extensions.code. Errors that carry one
// (input, paging, validation, parse) keep their message; anything else is
// an internal failure whose text stays in the log, never in the response.
func presentError(ctx context.Context, err error, log *slog.Logger) *gqlerror.Error {
	gerr := graphql.DefaultErrorPresenter(ctx, err)
	if _, ok := gerr.Extensions["code"]; ok {
		return gerr
	}
	if d, ok := domainerr.As(err); ok {
		// A domain failure outside a payload (a query's argument names
		// nothing, or is out of range): the client's to fix.
		code := "BAD_USER_INPUT"
		if _, notFound := d.(*domainerr.NotFoundError); notFound {
			code = "NOT_FOUND"
		}
		gerr.Message = d.Error()
		gerr.Extensions = map[string]any{"code": code}
		return gerr
	}
	if len(gerr.Path) == 0 && isTransportError(err) {
		// The request itself is broken (not JSON, not a GraphQL request):
		// the client's fault, said without echoing its body back.
		msg, _, _ := strings.Cut(gerr.Message, " body:")
		return &gqlerror.Error{Message: msg, Extensions: map[string]any{"code": CodeBadRequest}}
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
