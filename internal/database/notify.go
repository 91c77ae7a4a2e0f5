package database

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/stdlib"
)

// ErrNoNotifications is returned by Listen and Notify on SQLite, which
// serves one process and has nothing to tell others.
var ErrNoNotifications = errors.New("notifications need PostgreSQL")

// Notify sends payload to every process listening on channel, through
// PostgreSQL's NOTIFY.
func (db *DB) Notify(ctx context.Context, channel, payload string) error {
	if db.Dialect != Postgres {
		return ErrNoNotifications
	}
	if err := db.Gorm.WithContext(ctx).Exec("SELECT pg_notify(?, ?)", channel, payload).Error; err != nil {
		return fmt.Errorf("notify %s: %w", channel, err)
	}
	return nil
}

// Listen calls fn with the payload of every notification on channel until
// ctx ends. It holds one connection of the pool and takes another after a
// failure; notifications sent while it reconnects are lost, so callers
// must not rely on them alone for correctness (the answer cache's entries
// also expire).
func (db *DB) Listen(ctx context.Context, channel string, fn func(payload string), log *slog.Logger) error {
	if db.Dialect != Postgres {
		return ErrNoNotifications
	}
	sqlDB, err := db.Gorm.DB()
	if err != nil {
		return err
	}
	for ctx.Err() == nil {
		err := func() error {
			conn, err := sqlDB.Conn(ctx)
			if err != nil {
				return err
			}
			defer conn.Close()
			return conn.Raw(func(driverConn any) error {
				pg := driverConn.(*stdlib.Conn).Conn()
				if _, err := pg.Exec(ctx, "LISTEN "+quoteIdent(channel)); err != nil {
					return err
				}
				for {
					n, err := pg.WaitForNotification(ctx)
					if err != nil {
						return err
					}
					fn(n.Payload)
				}
			})
		}()
		if ctx.Err() != nil {
			break
		}
		log.WarnContext(ctx, "listening for notifications failed; retrying", "channel", channel, "error", err)
		select {
		case <-ctx.Done():
		case <-time.After(time.Second):
		}
	}
	return nil
}

func quoteIdent(s string) string {
	out := []byte{'"'}
	for i := 0; i < len(s); i++ {
		if s[i] == '"' {
			out = append(out, '"')
		}
		out = append(out, s[i])
	}
	return string(append(out, '"'))
}
