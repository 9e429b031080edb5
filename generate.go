package main

// Ent first (it writes the list SDL gqlgen reads), then gqlgen. Both steps
// live here because go generate visits packages in import-path order.
//go:generate go run -mod=mod ./ent/entc.go
//go:generate go run ./graph/gqlgen
