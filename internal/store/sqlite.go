package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"strings"

	"github.com/mattn/go-sqlite3"
)

// SQLiteDriver is the database/sql driver name seatgraph opens SQLite
// with: go-sqlite3 with two changes to its connections.
//
// Rows are read without a context the driver could cancel. Given one,
// go-sqlite3 starts a goroutine and a channel for every row it reads
// (SQLiteRows.Next), to interrupt the statement if the context ends; on the
// 50-booking page that was a third of the request's time. database/sql
// still honours the context: waiting for a connection stops when it ends,
// and it closes the rows then (one watcher per query, not per row), so
// iteration stops at the next row with the context's error. What is lost
// is interrupting a single long step (SQLite sorting a large unindexed
// result), which runs to its end first.
//
// Queries are prepared once per connection and kept (up to
// maxCachedStatements): go-sqlite3 prepares every query anew, which was a
// sixth of the CPU of createBooking.
const SQLiteDriver = "seatgraph-sqlite3"

// maxCachedStatements bounds the statements kept per connection; lists
// with IN (...) of many lengths make many distinct texts, and those past
// the bound are prepared for each use as before.
const maxCachedStatements = 256

func init() {
	sql.Register(SQLiteDriver, sqliteDriver{&sqlite3.SQLiteDriver{}})
}

type sqliteDriver struct{ *sqlite3.SQLiteDriver }

func (d sqliteDriver) Open(dsn string) (driver.Conn, error) {
	c, err := d.SQLiteDriver.Open(dsn)
	if err != nil {
		return nil, err
	}
	return &sqliteConn{SQLiteConn: c.(*sqlite3.SQLiteConn), stmts: map[string]*cachedStmt{}}, nil
}

// sqliteConn is go-sqlite3's connection with QueryContext changed.
// database/sql uses a connection from one goroutine at a time. Exec keeps
// go-sqlite3's own path: a statement that returns rows (INSERT ...
// RETURNING) is left on its first row by Exec, and kept so it would hold
// its transaction open ("cannot commit - SQL statements in progress").
type sqliteConn struct {
	*sqlite3.SQLiteConn
	stmts map[string]*cachedStmt
}

// cachedStmt is a kept statement; busy while rows read from it are open
// (a transaction may run another query meanwhile, which then prepares its
// own).
type cachedStmt struct {
	stmt *sqlite3.SQLiteStmt
	busy bool
}

// cached returns the kept statement for query, preparing it on first use;
// nil when the query is not to be kept or its statement is in use.
func (c *sqliteConn) cached(ctx context.Context, query string) (*cachedStmt, error) {
	if cs, ok := c.stmts[query]; ok {
		if cs.busy {
			return nil, nil
		}
		return cs, nil
	}
	// A text of several statements runs through go-sqlite3's own path,
	// which executes them all; a prepared statement holds only the first.
	if len(c.stmts) >= maxCachedStatements || strings.Contains(query, ";") {
		return nil, nil
	}
	st, err := c.SQLiteConn.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	cs := &cachedStmt{stmt: st.(*sqlite3.SQLiteStmt)}
	c.stmts[query] = cs
	return cs, nil
}

func (c *sqliteConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	ctx = context.WithoutCancel(ctx)
	cs, err := c.cached(ctx, query)
	if err != nil {
		return nil, err
	}
	if cs == nil {
		return c.SQLiteConn.QueryContext(ctx, query, args)
	}
	rows, err := cs.stmt.QueryContext(ctx, args)
	if err != nil {
		return nil, err
	}
	cs.busy = true
	return &cachedRows{SQLiteRows: rows.(*sqlite3.SQLiteRows), cs: cs}, nil
}

// Close finalizes the kept statements, then closes the connection.
func (c *sqliteConn) Close() error {
	for q, cs := range c.stmts {
		_ = cs.stmt.Close()
		delete(c.stmts, q)
	}
	return c.SQLiteConn.Close()
}

// cachedRows frees its statement for the next use when closed; closing
// resets it (go-sqlite3 resets, rather than finalizes, prepared statements).
type cachedRows struct {
	*sqlite3.SQLiteRows
	cs     *cachedStmt
	closed bool
}

func (r *cachedRows) Close() error {
	if r.closed {
		return nil
	}
	r.closed = true
	err := r.SQLiteRows.Close()
	r.cs.busy = false
	return err
}
