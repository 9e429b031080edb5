package graph

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"seatgraph/internal/domain"
)

// This file is the one mapping from the domain's failures (internal/domain,
// errors.go) to what a client sees: a mutation's payload errors, or a
// top-level error with an extensions.code. Every error the GraphQL layer
// makes itself goes through codedError, every error it returns passes
// presentError.

// payloadErrors splits a mutation's error: a domain failure goes into the
// payload's errors list (and nothing was changed); anything else stays a
// top-level error.
func payloadErrors(err error) ([]domain.Error, error) {
	if err == nil {
		return nil, nil
	}
	if d, ok := domain.As(err); ok {
		return []domain.Error{d}, nil
	}
	return nil, err
}

// codedError is a top-level error with a message safe to show and its code.
func codedError(code, format string, args ...any) *gqlerror.Error {
	return &gqlerror.Error{Message: fmt.Sprintf(format, args...), Extensions: map[string]any{"code": code}}
}

func tooMuch(format string, args ...any) *gqlerror.Error {
	return codedError(domain.CodeComplexity, format, args...)
}

func badUserInput(format string, args ...any) *gqlerror.Error {
	return codedError(domain.CodeBadUserInput, format, args...)
}

// clientError returns the top-level error a client gets for a failure of
// its own making, and false for anything else (an internal failure).
func clientError(err error) (*gqlerror.Error, bool) {
	if e, ok := domain.AsInputError(err); ok {
		return codedError(e.Code, "%s", e.Message), true
	}
	if d, ok := domain.As(err); ok {
		// A domain failure outside a payload (a query's argument names
		// nothing, or is out of range): the client's to fix.
		code := domain.CodeBadUserInput
		if _, notFound := d.(*domain.NotFoundError); notFound {
			code = domain.CodeNotFound
		}
		return codedError(code, "%s", d.Error()), true
	}
	var g *gqlerror.Error
	if errors.As(err, &g) {
		if _, ok := g.Extensions["code"]; ok {
			return g, true
		}
	}
	return nil, false
}

// isTransportError reports whether err is gqlgen's own account of a request
// it could not read (the websocket transport's), rather than a resolver's
// failure.
func isTransportError(err error) bool {
	var g *gqlerror.Error
	return errors.As(err, &g) && g.Err == nil
}

// presentError gives every error an extensions.code. Client errors (input,
// paging, validation, parse, domain failures outside a payload) keep their
// message; anything else is an internal failure whose text stays in the
// log, never in the response.
func presentError(ctx context.Context, err error, log *slog.Logger) *gqlerror.Error {
	gerr := graphql.DefaultErrorPresenter(ctx, err)
	if _, ok := gerr.Extensions["code"]; ok {
		return gerr
	}
	if c, ok := clientError(err); ok {
		gerr.Message = c.Message
		gerr.Extensions = c.Extensions
		return gerr
	}
	if len(gerr.Path) == 0 && isTransportError(err) {
		// The request itself is broken (a websocket message that is not a
		// GraphQL request): the client's fault.
		return codedError(domain.CodeBadRequest, "%s", gerr.Message)
	}
	internal := &gqlerror.Error{
		Message:    "internal server error",
		Path:       gerr.Path,
		Locations:  gerr.Locations,
		Extensions: map[string]any{"code": domain.CodeInternal},
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded) {
		// The request timeout (config.Config.RequestTimeout) cut it off.
		log.WarnContext(ctx, "request timed out", "error", err.Error(), "path", gerr.Path.String())
		internal.Message = "the request took too long and was stopped"
		return internal
	}
	log.ErrorContext(ctx, "request failed", "error", err.Error(), "path", gerr.Path.String())
	return internal
}
