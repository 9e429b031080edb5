// Command gqlgen runs gqlgen's code generation (gqlgen.yml) with one change,
// made by the sequential plugin below. `go generate ./...` runs it.
package main

import (
	"fmt"
	"os"

	"github.com/99designs/gqlgen/api"
	"github.com/99designs/gqlgen/codegen"
	"github.com/99designs/gqlgen/codegen/config"
)

func main() {
	cfg, err := config.LoadConfigFromDefaultLocations()
	if err != nil {
		fmt.Fprintln(os.Stderr, "gqlgen: load config:", err)
		os.Exit(2)
	}
	if err := api.Generate(cfg, api.AddPlugin(sequential{})); err != nil {
		fmt.Fprintln(os.Stderr, "gqlgen:", err)
		os.Exit(3)
	}
}

// sequential resolves the fields of every object but Query one after
// another, in the goroutine that marshals the object, instead of one
// goroutine per field (gqlgen's default for fields whose method takes a
// context, which every Ent edge method does). The list resolvers load each
// page's edges in advance, one query per level, so these fields read
// memory: a goroutine each only cost time (stack growth, scheduling), a
// quarter of the CPU of the 50-booking page. Root Query fields, which do
// their own database work, still run concurrently.
type sequential struct{}

func (sequential) Name() string { return "sequential" }

func (sequential) GenerateCode(data *codegen.Data) error {
	for _, o := range data.Objects {
		if o.Definition != data.Schema.Query {
			o.DisableConcurrency = true
		}
	}
	return nil
}
