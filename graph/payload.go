package graph

import (
	"context"
	"seatgraph/ent"
	"seatgraph/internal/booking"
)

// cancellationPolicy shows an event's policy with amounts in its currency.
func cancellationPolicy(ev *ent.Event) *booking.Policy {
	return booking.PolicyOf(ev.CancellationPolicy, ev.Currency)
}

type idempotencyKeyCtx struct{}

// WithIdempotencyKey keeps the request's Idempotency-Key header for
// createBooking, which treats it as its idempotencyKey input field.
func WithIdempotencyKey(ctx context.Context, key string) context.Context {
	return context.WithValue(ctx, idempotencyKeyCtx{}, key)
}

func idempotencyKey(ctx context.Context) string {
	s, _ := ctx.Value(idempotencyKeyCtx{}).(string)
	return s
}
