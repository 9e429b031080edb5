package catalog

import (
	"context"
	"errors"

	"seatgraph/ent"
	"seatgraph/internal/auth"
	"seatgraph/internal/store"
)

// Catalog changes events, ticket categories and participants.
type Catalog struct {
	client *ent.Client
	hooks  Hooks
}

// Hooks let the booking engine take part in event changes, inside their
// transaction: seats and bookings are its business.
type Hooks struct {
	// CancelBookings cancels an event's bookings with full refunds
	// (docs/domain-rules.md, rule 9).
	CancelBookings func(ctx context.Context, tx *ent.Tx, ev *ent.Event) error
	// CapacityRaised promotes an event's waitlist into new seats (rule 3).
	CapacityRaised func(ctx context.Context, tx *ent.Tx, ev *ent.Event) error
}

// New returns a Catalog writing through client.
func New(client *ent.Client, hooks Hooks) *Catalog { return &Catalog{client: client, hooks: hooks} }

// errNoTenant means a request reached the catalog without a tenant: a wiring
// bug, never a client error.
var errNoTenant = errors.New("catalog: no tenant in context")

// inTx runs fn in one transaction: all of a change lands, or nothing.
// fn gets a context that carries the transaction, so that what runs in it
// (the booking engine's hooks too) knows it is inside one.
func (c *Catalog) inTx(ctx context.Context, fn func(ctx context.Context, tx *ent.Tx, tenantID int) error) error {
	tid, ok := auth.TenantID(ctx)
	if !ok {
		return errNoTenant
	}
	return store.WithTx(ctx, c.client, func(tx *ent.Tx) error { return fn(ent.NewTxContext(ctx, tx), tx, tid) })
}

// unwrap returns an entity written inside a committed transaction detached
// from it: ent binds an entity to the transaction it was loaded in, so edges
// loaded later (the GraphQL resolvers of a mutation payload) would fail with
// "transaction has already been committed". A failed change returns no entity.
func unwrap[T interface {
	comparable
	Unwrap() T
}](v T, err error) (T, error) {
	var zero T
	if err != nil {
		return zero, err
	}
	if v == zero {
		return v, nil
	}
	return v.Unwrap(), nil
}
