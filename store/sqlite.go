package store

import (
	"context"
	"database/sql"
	"database/sql/driver"

	"github.com/mattn/go-sqlite3"
)

// SQLiteDriver is the database/sql driver name seatgraph opens SQLite
// with: go-sqlite3, except that rows are read without a context the driver
// could cancel. Given one, go-sqlite3 starts a goroutine and a channel for
// every row it reads (SQLiteRows.Next), to interrupt the statement if the
// context ends; on the 50-booking page that was a third of the request's
// time. database/sql still honours the context: waiting for a connection
// stops when it ends, and it closes the rows then (one watcher per query,
// not per row), so iteration stops at the next row with the context's
// error. What is lost is interrupting a single long step (SQLite sorting a
// large unindexed result), which runs to its end first.
const SQLiteDriver = "seatgraph-sqlite3"

func init() {
	sql.Register(SQLiteDriver, sqliteDriver{&sqlite3.SQLiteDriver{}})
}

type sqliteDriver struct{ *sqlite3.SQLiteDriver }

func (d sqliteDriver) Open(dsn string) (driver.Conn, error) {
	c, err := d.SQLiteDriver.Open(dsn)
	if err != nil {
		return nil, err
	}
	return sqliteConn{c.(*sqlite3.SQLiteConn)}, nil
}

// sqliteConn is go-sqlite3's connection with QueryContext changed.
type sqliteConn struct{ *sqlite3.SQLiteConn }

func (c sqliteConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return c.SQLiteConn.QueryContext(context.WithoutCancel(ctx), query, args)
}
