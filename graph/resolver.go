// Package graph is the GraphQL layer of seatgraph: thin resolvers that decode
// arguments, call the Ent client or the domain packages, and shape payloads.
package graph

import (
	"seatgraph/ent"
	"seatgraph/internal/booking"
	"seatgraph/internal/catalog"
)

// Resolver is the root resolver; one per server.
type Resolver struct {
	Client  *ent.Client
	Catalog *catalog.Catalog
	Engine  *booking.Engine
}

// New returns the root resolver over client, with the booking engine taking
// part in event changes.
func New(client *ent.Client, engine *booking.Engine) *Resolver {
	return &Resolver{
		Client: client,
		Engine: engine,
		Catalog: catalog.New(client, catalog.Hooks{
			CancelBookings: engine.CancelEventBookings,
			CapacityRaised: engine.CapacityChanged,
		}),
	}
}
