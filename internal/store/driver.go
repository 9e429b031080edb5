package store

import (
	"context"
	"database/sql"
	"sync"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
)

// NewDriver is the Ent driver over db that every client of seatgraph uses.
//
// It differs from entsql.OpenDB in one way: result sets remember their
// column types. Ent scans a column it has no field for (the sort keys and
// row numbers the list queries select beside the entity's columns) by
// asking the result set for its column types, once per such column per row
// (sqlgraph's query.nodes), and database/sql rebuilds the types of all
// columns each time, several cgo calls per column on SQLite. On the
// 50-booking page that was a sixth of the request's CPU time. Column types
// are fixed for a result set, so the first answer serves the rest.
//
// Ent's schema migration needs its plain driver (it asserts the rows'
// type); store.Open migrates with that one before it hands out this one.
func NewDriver(dialectName string, db *sql.DB) dialect.Driver {
	return &entDriver{entsql.OpenDB(dialectName, db)}
}

type entDriver struct{ *entsql.Driver }

func (d *entDriver) Query(ctx context.Context, query string, args, v any) error {
	if err := d.Driver.Query(ctx, query, args, v); err != nil {
		return err
	}
	cacheColumnTypes(v)
	return nil
}

func cacheColumnTypes(v any) {
	if rows, ok := v.(*entsql.Rows); ok && rows.ColumnScanner != nil {
		rows.ColumnScanner = &typedRows{ColumnScanner: rows.ColumnScanner}
	}
}

func (d *entDriver) Tx(ctx context.Context) (dialect.Tx, error) {
	tx, err := d.Driver.Tx(ctx)
	if err != nil {
		return nil, err
	}
	t := &txn{tx}
	captureTx(ctx, t)
	return t, nil
}

// BeginTx is what the generated ent.Client.BeginTx looks for.
func (d *entDriver) BeginTx(ctx context.Context, opts *sql.TxOptions) (dialect.Tx, error) {
	tx, err := d.Driver.BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	t := &txn{tx}
	captureTx(ctx, t)
	return t, nil
}

type txn struct{ dialect.Tx }

func (t *txn) Query(ctx context.Context, query string, args, v any) error {
	if err := t.Tx.Query(ctx, query, args, v); err != nil {
		return err
	}
	cacheColumnTypes(v)
	return nil
}

// typedRows answers ColumnTypes from the first call on.
type typedRows struct {
	entsql.ColumnScanner
	once  sync.Once
	types []*sql.ColumnType
	err   error
}

func (r *typedRows) ColumnTypes() ([]*sql.ColumnType, error) {
	r.once.Do(func() { r.types, r.err = r.ColumnScanner.ColumnTypes() })
	return r.types, r.err
}

// NextResultSet moves to a result set whose columns may differ.
func (r *typedRows) NextResultSet() bool {
	r.once = sync.Once{}
	r.types, r.err = nil, nil
	return r.ColumnScanner.NextResultSet()
}
