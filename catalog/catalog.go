package catalog

import (
	"context"
	"errors"
	"fmt"

	"seatgraph/ent"
	"seatgraph/tenant"
)

// Catalog changes events, ticket categories and participants.
type Catalog struct {
	client *ent.Client
}

// New returns a Catalog writing through client.
func New(client *ent.Client) *Catalog { return &Catalog{client: client} }

// errNoTenant means a request reached the catalog without a tenant: a wiring
// bug, never a client error.
var errNoTenant = errors.New("catalog: no tenant in context")

// inTx runs fn in one transaction: all of a change lands, or nothing.
func (c *Catalog) inTx(ctx context.Context, fn func(tx *ent.Tx, tenantID int) error) error {
	tid, ok := tenant.ID(ctx)
	if !ok {
		return errNoTenant
	}
	tx, err := c.client.Tx(ctx)
	if err != nil {
		return err
	}
	if err := fn(tx, tid); err != nil {
		if rerr := tx.Rollback(); rerr != nil {
			return fmt.Errorf("%w (rollback: %v)", err, rerr)
		}
		return err
	}
	return tx.Commit()
}
