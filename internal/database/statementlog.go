package database

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// DefaultSlowStatement is how long a statement may take before it is
// logged.
const DefaultSlowStatement = 200 * time.Millisecond

// maxLoggedSQL is how much of a statement's text a log line carries: enough
// to recognize it, where a 250-row INSERT would otherwise log its whole
// VALUES list.
const maxLoggedSQL = 300

// gormLogger is GORM's logger with its statement trace switched off: GORM
// hands Trace the statement with every bound value written in (Scan even
// ignores the parameter filter), so content, hashes and e-mail addresses
// would reach the log. logStatements logs statements instead.
type gormLogger struct{}

func (l gormLogger) LogMode(logger.LogLevel) logger.Interface                      { return l }
func (gormLogger) Info(context.Context, string, ...any)                            {}
func (gormLogger) Warn(context.Context, string, ...any)                            {}
func (gormLogger) Error(context.Context, string, ...any)                           {}
func (gormLogger) Trace(context.Context, time.Time, func() (string, int64), error) {}

type statementStart struct{}

// logStatements logs every failed or slow statement through log with its
// placeholders, never its values, cut to maxLoggedSQL bytes. It hooks into
// every GORM processor, before and after the statement runs, where the SQL
// text still has its placeholders.
func logStatements(db *gorm.DB, log *slog.Logger, slow time.Duration) error {
	if log == nil {
		log = slog.Default()
	}
	if slow <= 0 {
		slow = DefaultSlowStatement
	}
	start := func(tx *gorm.DB) { tx.Statement.Settings.Store(statementStart{}, time.Now()) }
	finish := func(tx *gorm.DB) {
		v, ok := tx.Statement.Settings.Load(statementStart{})
		if !ok {
			return
		}
		took := time.Since(v.(time.Time))
		failed := tx.Error != nil && !errors.Is(tx.Error, gorm.ErrRecordNotFound)
		if !failed && took <= slow {
			return
		}
		attrs := []any{
			"sql", cutSQL(tx.Statement.SQL.String()),
			"duration_ms", float64(took.Microseconds()) / 1000,
			"rows", tx.Statement.RowsAffected,
		}
		if failed {
			log.ErrorContext(tx.Statement.Context, "SQL statement failed", append(attrs, "error", tx.Error)...)
			return
		}
		log.WarnContext(tx.Statement.Context, "slow SQL statement", attrs...)
	}
	if err := AroundStatements(db, "log", start, finish); err != nil {
		return fmt.Errorf("statement log: %w", err)
	}
	return nil
}

// AroundStatements registers before to run before and after to run after
// every statement GORM runs through db, whichever processor (create, query,
// update, delete, row, raw) runs it: there the SQL text still has its
// placeholders. name tells the callbacks apart from others registered so.
func AroundStatements(db *gorm.DB, name string, before, after func(*gorm.DB)) error {
	type registrar interface {
		Register(name string, fn func(*gorm.DB)) error
	}
	cb := db.Callback()
	for processor, hooks := range map[string][2]registrar{
		"create": {cb.Create().Before("*"), cb.Create().After("*")},
		"query":  {cb.Query().Before("*"), cb.Query().After("*")},
		"update": {cb.Update().Before("*"), cb.Update().After("*")},
		"delete": {cb.Delete().Before("*"), cb.Delete().After("*")},
		"row":    {cb.Row().Before("*"), cb.Row().After("*")},
		"raw":    {cb.Raw().Before("*"), cb.Raw().After("*")},
	} {
		if err := hooks[0].Register("werkwijzer:"+name+"_before_"+processor, before); err != nil {
			return err
		}
		if err := hooks[1].Register("werkwijzer:"+name+"_after_"+processor, after); err != nil {
			return err
		}
	}
	return nil
}

// cutSQL shortens a statement to maxLoggedSQL bytes, saying how long it
// was, and squeezes its runs of white space.
func cutSQL(sql string) string {
	sql = strings.Join(strings.Fields(sql), " ")
	if len(sql) <= maxLoggedSQL {
		return sql
	}
	return strings.ToValidUTF8(sql[:maxLoggedSQL], "") + fmt.Sprintf("… (%d bytes)", len(sql))
}
