package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"

	"seatgraph/ent"
)

// WithTx runs fn in one transaction: all of it lands, or nothing does. A
// panic rolls back too (so SQLite's write lock is not left held) and then
// goes on up to the server's recovery.
func WithTx(ctx context.Context, client *ent.Client, fn func(tx *ent.Tx) error) error {
	tx, err := client.Tx(ctx)
	if err != nil {
		return err
	}
	defer func() {
		if v := recover(); v != nil {
			_ = tx.Rollback()
			panic(v)
		}
	}()
	if err := fn(tx); err != nil {
		if rerr := tx.Rollback(); rerr != nil {
			return fmt.Errorf("%w (rollback: %v)", err, rerr)
		}
		return err
	}
	return tx.Commit()
}

// Tx is an Ent transaction together with the driver transaction under it,
// for the statements Ent has no builder for: savepoints, and updates that
// return what they changed (UPDATE ... RETURNING) instead of reading the
// row back in a second statement.
type Tx struct {
	*ent.Tx
	raw dialect.Tx
}

// ErrNoRawTx means the client was not built over NewDriver, so the driver
// transaction under an Ent one cannot be reached; callers fall back to what
// Ent alone can do.
var ErrNoRawTx = errors.New("store: the client's driver does not expose its transactions")

// captureKey marks the context of a transaction being begun by Begin: the
// driver leaves the transaction it began in the capture it carries.
type captureKey struct{}

type capture struct{ tx dialect.Tx }

func captureTx(ctx context.Context, tx dialect.Tx) {
	if c, ok := ctx.Value(captureKey{}).(*capture); ok {
		c.tx = tx
	}
}

// Begin begins a transaction on client (built over NewDriver). ctx bounds
// the whole transaction: database/sql rolls it back when ctx ends.
func Begin(ctx context.Context, client *ent.Client) (*Tx, error) {
	c := &capture{}
	tx, err := client.Tx(context.WithValue(ctx, captureKey{}, c))
	if err != nil {
		return nil, err
	}
	if c.tx == nil {
		_ = tx.Rollback()
		return nil, ErrNoRawTx
	}
	return &Tx{Tx: tx, raw: c.tx}, nil
}

// WithRawTx is WithTx for callers that also need the driver transaction.
func WithRawTx(ctx context.Context, client *ent.Client, fn func(tx *Tx) error) error {
	tx, err := Begin(ctx, client)
	if err != nil {
		return err
	}
	defer func() {
		if v := recover(); v != nil {
			_ = tx.Rollback()
			panic(v)
		}
	}()
	if err := fn(tx); err != nil {
		if rerr := tx.Rollback(); rerr != nil {
			return fmt.Errorf("%w (rollback: %v)", err, rerr)
		}
		return err
	}
	return tx.Commit()
}

// Exec runs a statement that returns no rows in the transaction.
func (t *Tx) Exec(ctx context.Context, query string, args ...any) error {
	var res sql.Result
	return t.raw.Exec(ctx, query, args, &res)
}

// QueryInts runs a statement in the transaction that returns one integer
// column and returns its values.
func (t *Tx) QueryInts(ctx context.Context, query string, args ...any) ([]int, error) {
	var rows entsql.Rows
	if err := t.raw.Query(ctx, query, args, &rows); err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
