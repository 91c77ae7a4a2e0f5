package store

import (
	"context"
	"fmt"

	"github.com/werkwijzer/werkwijzer/internal/content"
)

// EntriesMentioning finds entries whose draft structure or live revision
// holds id anywhere in its JSON text; the service keeps those whose
// structure really refers to it. Ids are UUIDs (the service checks), so
// the LIKE pattern has no wildcard but its own. Casting the JSON to text
// reads the same on PostgreSQL (JSONB) and SQLite (TEXT); it scans the
// entries, which an editor's single look before a delete can afford.
func (s *Content) EntriesMentioning(ctx context.Context, id string, limit int) ([]*content.EntryState, error) {
	pattern := "%" + id + "%"
	db := s.db.WithContext(ctx)
	live := db.Table("publications AS p").Select("p.entry_id").
		Joins("JOIN revisions AS r ON r.id = p.revision_id").
		Where("CAST(r.document AS TEXT) LIKE ?", pattern)
	var rows []entryRow
	err := db.Where("id <> ? AND (CAST(structure AS TEXT) LIKE ? OR id IN (?))", id, pattern, live).
		Order("id").Limit(limit).Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("find entries that mention %s: %w", id, err)
	}
	return s.withDetails(ctx, rows)
}
