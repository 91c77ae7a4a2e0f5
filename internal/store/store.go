// Package store keeps Werkwijzer's aggregates in PostgreSQL or SQLite
// through GORM: the row types, the queries, and the conversions between rows
// and domain types. Every method takes a context and every query uses bind
// parameters. SQL that differs between the dialects is written out for
// each; the rest is shared.
package store

import (
	"errors"
	"fmt"

	"gorm.io/gorm"

	"github.com/werkwijzer/werkwijzer/internal/apperr"
)

// maxBatch bounds the ids bound in one IN list, under SQLite's and
// PostgreSQL's bind-parameter limits.
const maxBatch = 500

// chunks splits ids into slices of at most maxBatch.
func chunks(ids []string) [][]string {
	var out [][]string
	for len(ids) > maxBatch {
		out = append(out, ids[:maxBatch])
		ids = ids[maxBatch:]
	}
	if len(ids) > 0 {
		out = append(out, ids)
	}
	return out
}

// notFoundAs turns GORM's not-found into a coded error and wraps the rest.
func notFoundAs(err error, format string, args ...any) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return apperr.New(apperr.NotFound, format, args...)
	}
	return fmt.Errorf(format+": %w", append(args, err)...)
}
