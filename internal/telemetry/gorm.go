package telemetry

import (
	"errors"
	"fmt"
	"strings"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"
	"gorm.io/gorm"

	"github.com/werkwijzer/werkwijzer/internal/database"
)

// maxTracedSQL is how much of a statement's text a span carries, as the
// statement log does: the text has placeholders, never the values.
const maxTracedSQL = 1000

type statementSpan struct{}

// TraceGORM gives every statement run through db a client span, a child of
// the span in the statement's context (db.WithContext(ctx)). Statements
// without one (background jobs) get none: a trace per statement would
// bury the useful ones. With tracing off it registers nothing, so
// statements cost what they did. system names the database
// ("postgresql", "sqlite").
func (t *Telemetry) TraceGORM(db *gorm.DB, system string) error {
	if !t.Tracing() {
		return nil
	}
	start := func(tx *gorm.DB) {
		ctx := tx.Statement.Context
		if ctx == nil || !trace.SpanContextFromContext(ctx).IsValid() {
			return
		}
		_, span := t.tracer.Start(ctx, "db", trace.WithSpanKind(trace.SpanKindClient),
			trace.WithAttributes(attribute.String("db.system.name", system)))
		tx.Statement.Settings.Store(statementSpan{}, span)
	}
	finish := func(tx *gorm.DB) {
		v, ok := tx.Statement.Settings.LoadAndDelete(statementSpan{})
		if !ok {
			return
		}
		span := v.(trace.Span)
		sql := tx.Statement.SQL.String()
		verb := strings.ToUpper(firstWord(sql))
		name := verb
		if table := tx.Statement.Table; table != "" {
			name += " " + table
			span.SetAttributes(attribute.String("db.collection.name", table))
		}
		if name == "" {
			name = "statement"
		}
		span.SetName(name)
		span.SetAttributes(attribute.String("db.operation.name", verb), attribute.String("db.query.text", cut(sql, maxTracedSQL)),
			attribute.Int64("db.response.rows", tx.Statement.RowsAffected))
		if err := tx.Error; err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
			span.RecordError(err)
			span.SetStatus(codes.Error, "statement failed")
		}
		span.End()
	}
	if err := database.AroundStatements(db, "trace", start, finish); err != nil {
		return fmt.Errorf("trace statements: %w", err)
	}
	return nil
}

func firstWord(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, " \t\n("); i >= 0 {
		return s[:i]
	}
	return s
}

func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "") + "…"
}
