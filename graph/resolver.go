// Package graph is the GraphQL layer of seatgraph: thin resolvers that decode
// arguments, call the Ent client or the domain packages, and shape payloads.
package graph

import (
	"context"

	"seatgraph/catalog"
	"seatgraph/ent"
)

// Resolver is the root resolver; one per server.
type Resolver struct {
	Client  *ent.Client
	Catalog *catalog.Catalog
	// CancelBookings cancels an event's bookings with full refunds inside
	// cancelEvent's transaction (DOMAIN.md rule 9); nil while the event has
	// no booking engine attached.
	CancelBookings func(ctx context.Context, tx *ent.Tx, ev *ent.Event) error
}

// New returns the root resolver over client.
func New(client *ent.Client) *Resolver {
	return &Resolver{Client: client, Catalog: catalog.New(client)}
}
