package store

import (
	"context"
	"fmt"

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
