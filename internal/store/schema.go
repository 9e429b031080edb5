package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"regexp"
)

// schemaName is what CreateSchema accepts: it goes into SQL as an
// identifier, so nothing but lower-case letters, digits and underscores.
var schemaName = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,50}$`)

// CreateSchema makes a PostgreSQL schema on the server at base (a
// postgres:// DSN) and returns a DSN whose connections use it, and a func
// that drops it. With fixed false the name is prefix plus a random suffix, a
// schema of its own for a test or a bench run; with fixed true it is prefix
// itself, kept if it exists, so that a later run finds its data again.
func CreateSchema(ctx context.Context, base, prefix string, fixed bool) (dsn string, drop func() error, err error) {
	name := prefix
	if !fixed {
		b := make([]byte, 6)
		_, _ = rand.Read(b)
		name = prefix + "_" + hex.EncodeToString(b)
	}
	if !schemaName.MatchString(name) {
		return "", nil, fmt.Errorf("store: %q is not a schema name", name)
	}
	u, err := url.Parse(base)
	if err != nil {
		return "", nil, fmt.Errorf("store: %w", err)
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		return "", nil, err
	}
	defer admin.Close()
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA IF NOT EXISTS "+name); err != nil {
		return "", nil, fmt.Errorf("creating schema %s: %w", name, err)
	}
	q := u.Query()
	q.Set("search_path", name)
	u.RawQuery = q.Encode()
	drop = func() error {
		a, err := sql.Open("pgx", base)
		if err != nil {
			return err
		}
		defer a.Close()
		_, err = a.Exec("DROP SCHEMA " + name + " CASCADE")
		return err
	}
	return u.String(), drop, nil
}
