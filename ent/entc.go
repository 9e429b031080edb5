//go:build ignore

// entc.go generates the Ent client and, through the listgen extension, the
// Hot Chocolate style list API (Go inputs and translation in package ent,
// SDL in schema/lists.graphql). Run from the module root by go generate.
package main

import (
	"log"

	"entgo.io/ent/entc"
	"entgo.io/ent/entc/gen"

	"seatgraph/internal/lists/listgen"
)

func main() {
	err := entc.Generate("./ent/schema", &gen.Config{
		Target:  "./ent",
		Package: "seatgraph/ent",
		Features: []gen.Feature{
			gen.FeatureModifier, gen.FeatureNamedEdges, gen.FeatureExecQuery,
			gen.FeatureUpsert, gen.FeatureLock, gen.FeatureIntercept, gen.FeatureVersionedMigration,
		},
	}, entc.Extensions(listgen.NewExtension("./schema/lists.graphql")))
	if err != nil {
		log.Fatalf("running ent codegen: %v", err)
	}
}
