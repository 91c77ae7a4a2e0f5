package database

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"

	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
)

// River's job queue (github.com/riverqueue/river) delivers webhooks. Its
// tables are made by River's own migrator, run right after the goose
// migrations, rather than copied into goose files: River versions its
// schema itself (in river_migration) and ships the SQL for each dialect
// with the driver, so upgrading the library brings the schema it expects
// with it, and a copy could never drift from it.

// riverMigrationLock is the PostgreSQL advisory lock key held while River's
// migrations run, so replicas starting together apply them once (River's
// migrator takes no lock of its own).
const riverMigrationLock = 0x7765626b68 // "webkh"

// RiverDriver returns River's driver for db: the database/sql drivers, so
// jobs are inserted in the transactions GORM opens (GORM runs on
// database/sql for both dialects).
func (db *DB) RiverDriver() (riverdriver.Driver[*sql.Tx], error) {
	sqlDB, err := db.Gorm.DB()
	if err != nil {
		return nil, err
	}
	if db.Dialect == Postgres {
		return riverdatabasesql.New(sqlDB), nil
	}
	return riversqlite.New(sqlDB), nil
}

// migrateRiver moves River's schema up to what the linked River version
// needs, or down (removing it) when down is true.
func (db *DB) migrateRiver(ctx context.Context, down bool) error {
	driver, err := db.RiverDriver()
	if err != nil {
		return err
	}
	migrator, err := rivermigrate.New(driver, &rivermigrate.Config{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return fmt.Errorf("river migrations: %w", err)
	}
	if db.Dialect == Postgres {
		unlock, err := db.advisoryLock(ctx, riverMigrationLock)
		if err != nil {
			return fmt.Errorf("river migration lock: %w", err)
		}
		defer unlock()
	}
	if down {
		_, err = migrator.Migrate(ctx, rivermigrate.DirectionDown, &rivermigrate.MigrateOpts{TargetVersion: -1})
	} else {
		_, err = migrator.Migrate(ctx, rivermigrate.DirectionUp, nil)
	}
	if err != nil {
		return fmt.Errorf("river migrations: %w", err)
	}
	return nil
}

// advisoryLock holds a PostgreSQL session advisory lock on a connection of
// its own until unlock is called.
func (db *DB) advisoryLock(ctx context.Context, key int64) (unlock func(), err error) {
	sqlDB, err := db.Gorm.DB()
	if err != nil {
		return nil, err
	}
	conn, err := sqlDB.Conn(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", key); err != nil {
		_ = conn.Close()
		return nil, err
	}
	return func() {
		_, _ = conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", key)
		_ = conn.Close()
	}, nil
}
