package auth

import (
	"context"
	"fmt"

	"entgo.io/ent/dialect/sql"

	"seatgraph/ent"
	"seatgraph/ent/event"
	"seatgraph/ent/intercept"
	"seatgraph/ent/ticketcategory"
	"seatgraph/internal/domain"
)

// Protect makes every query and mutation of client keep to the tenant of
// its context: queries (lists, counts, edge loads, node lookups) see only
// the tenant's rows, new rows get the tenant, updates and deletes touch only
// the tenant's rows. Anonymous callers see published events only. Work
// without a tenant in its context (migrations, expiring holds across
// tenants) is the server's own and is not narrowed.
func Protect(client *ent.Client) {
	client.Intercept(isolation())
	client.Use(tenantHook)
}

func isolation() ent.Interceptor {
	return intercept.TraverseFunc(func(ctx context.Context, q intercept.Query) error {
		tid, ok := TenantID(ctx)
		if !ok {
			return nil
		}
		if q.Type() == "Tenant" {
			q.WhereP(sql.FieldEQ("id", tid))
			return nil
		}
		q.WhereP(sql.FieldEQ("tenant_id", tid))
		if p, ok := FromContext(ctx); ok && p.Anonymous() {
			switch q.Type() {
			case "Event":
				q.WhereP(sql.FieldEQ(event.FieldStatus, string(domain.EventStatusPublished)))
			case "TicketCategory":
				q.WhereP(ticketcategory.HasEventWith(event.StatusEQ(domain.EventStatusPublished)))
			}
		}
		return nil
	})
}

// tenantHook stamps new rows with the tenant and narrows updates and
// deletes to it.
func tenantHook(next ent.Mutator) ent.Mutator {
	return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
		tid, ok := TenantID(ctx)
		if !ok {
			return next.Mutate(ctx, m)
		}
		column := "tenant_id"
		if m.Type() == "Tenant" {
			column = "id"
		}
		if m.Op().Is(ent.OpCreate) {
			if m.Type() == "Tenant" {
				return nil, fmt.Errorf("auth: tenants are created by the operator, not within a tenant")
			}
			if v, set := m.Field(column); set && v != tid {
				return nil, fmt.Errorf("auth: a row of tenant %v written for tenant %d", v, tid)
			}
			if err := m.SetField(column, tid); err != nil {
				return nil, err
			}
			return next.Mutate(ctx, m)
		}
		w, ok := m.(interface{ WhereP(...func(*sql.Selector)) })
		if !ok {
			return nil, fmt.Errorf("auth: %s mutation cannot be narrowed to a tenant", m.Type())
		}
		w.WhereP(sql.FieldEQ(column, tid))
		return next.Mutate(ctx, m)
	})
}
