// Package tenant carries the caller's tenant through a request.
package tenant

import "context"

type key struct{}

// WithID returns ctx acting for tenant id.
func WithID(ctx context.Context, id int) context.Context { return context.WithValue(ctx, key{}, id) }

// ID returns the tenant of ctx.
func ID(ctx context.Context) (int, bool) {
	id, ok := ctx.Value(key{}).(int)
	return id, ok
}
