// Package auth decides who a caller is and what rows they can reach: API
// keys (stored hashed) name a tenant and a role; callers without a key are
// anonymous. Isolation is enforced below the resolvers, on every Ent query
// and mutation, so a resolver that forgets cannot leak another tenant's rows.
package auth

import (
	"context"

	"seatgraph/internal/domain"
)

// Principal is the caller of a request.
type Principal struct {
	TenantID int
	// Role is empty for anonymous callers.
	Role  domain.Role
	KeyID int
}

// Anonymous reports whether the caller sent no key.
func (p Principal) Anonymous() bool { return p.Role == "" }

type principalKey struct{}

// WithPrincipal returns ctx acting as p.
func WithPrincipal(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// FromContext returns the caller of ctx; ok is false for work the server
// does on its own (migrations, expiring holds, seeding).
func FromContext(ctx context.Context) (Principal, bool) {
	p, ok := ctx.Value(principalKey{}).(Principal)
	return p, ok
}
