package auth

// The caller's tenant travels through a request in its context.

import "context"

type tenantKey struct{}

// WithTenant returns ctx acting for tenant id.
func WithTenant(ctx context.Context, id int) context.Context {
	return context.WithValue(ctx, tenantKey{}, id)
}

// TenantID returns the tenant of ctx.
func TenantID(ctx context.Context) (int, bool) {
	id, ok := ctx.Value(tenantKey{}).(int)
	return id, ok
}
