//go:build tools

// Package tools pins the code generators go generate runs, so that they are
// built at the versions in go.mod (the module proxy here refuses @latest).
package main

import (
	_ "entgo.io/ent/cmd/ent"
	_ "entgo.io/ent/entc/gen"
	_ "github.com/99designs/gqlgen"
)
