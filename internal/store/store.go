// Package store keeps Werkwijzer's aggregates in PostgreSQL or SQLite
// through GORM: the row types, the queries, and the conversions between rows
// and domain types. Every method takes a context and every query uses bind
// parameters. SQL that differs between the dialects is written out for
// each; the rest is shared.
package store

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"time"

	"github.com/google/uuid"
	"github.com/werkwijzer/werkwijzer/internal/store/datatypes"

	"gorm.io/gorm"

	"github.com/werkwijzer/werkwijzer/internal/apperr"
)

// maxBatch bounds the ids bound in one IN list, under SQLite's and
// PostgreSQL's bind-parameter limits.
const maxBatch = 500

// isPostgres reports whether db talks to PostgreSQL. Stores ask it once,
// at construction, and keep the answer for the queries whose SQL differs
// by dialect.
func isPostgres(db *gorm.DB) bool { return db.Dialector.Name() == "postgres" }

// notFoundAs turns GORM's not-found into a coded error and wraps the rest.
func notFoundAs(err error, format string, args ...any) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return apperr.New(apperr.NotFound, format, args...)
	}
	return fmt.Errorf(format+": %w", append(args, err)...)
}

// insertAudit appends a change to something other than a content entry
// (an account, a vacancy source) to the audit log; what it changed goes in
// the details under subjectKey.
func insertAudit(ctx context.Context, db *gorm.DB, at time.Time, actorID, action, subjectKey, subjectID string, details map[string]any) error {
	id, err := uuid.NewV7()
	if err != nil {
		return fmt.Errorf("new audit id: %w", err)
	}
	all := map[string]any{subjectKey: subjectID}
	maps.Copy(all, details)
	row := auditRow{ID: id.String(), At: at, ActorID: optional(actorID), Action: action, Details: datatypes.NewJSONType(all)}
	if err := db.WithContext(ctx).Create(&row).Error; err != nil {
		return fmt.Errorf("write audit log: %w", err)
	}
	return nil
}
