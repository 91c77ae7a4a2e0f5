package database_test

import (
	"context"
	"testing"
	"time"

	"github.com/werkwijzer/werkwijzer/internal/database"
	"github.com/werkwijzer/werkwijzer/internal/dbtest"
)

// TestPartVersionsStartAtTheEntryVersion: migration 00012 gives an
// existing entry's structure and translations the entry's version, who
// changed it and when, so a client that read the entry before the
// migration is neither refused nor let through wrongly.
func TestPartVersionsStartAtTheEntryVersion(t *testing.T) {
	for name, open := range map[string]func(testing.TB) *database.DB{
		"sqlite":   dbtest.OpenSQLite,
		"postgres": dbtest.OpenPostgres,
	} {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			db := open(t)
			m, err := db.Migrator()
			if err != nil {
				t.Fatal(err)
			}
			if _, err := m.Up(ctx); err != nil {
				t.Fatal(err)
			}
			if err := m.DownTo(ctx, 11); err != nil {
				t.Fatal(err)
			}
			at := time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC)
			exec := func(q string, args ...any) {
				t.Helper()
				if err := db.Gorm.Exec(q, args...).Error; err != nil {
					t.Fatal(err)
				}
			}
			exec(`INSERT INTO entries (id, type, version, structure, created_at, updated_at, updated_by) VALUES ('e1', 'faq', 5, '{}', ?, ?, 'u1')`, at, at)
			for _, loc := range []string{"nl", "en"} {
				exec(`INSERT INTO translations (entry_id, locale, slug, fields, created_at, updated_at) VALUES ('e1', ?, 'vraag', '{}', ?, ?)`, loc, at, at)
			}
			if _, err := m.Up(ctx); err != nil {
				t.Fatal(err)
			}
			var entries, translations int64
			if err := db.Gorm.Raw(`SELECT count(*) FROM entries WHERE id = 'e1' AND structure_version = 5
				AND structure_updated_at = updated_at AND structure_updated_by = 'u1'`).Scan(&entries).Error; err != nil {
				t.Fatal(err)
			}
			if err := db.Gorm.Raw(`SELECT count(*) FROM translations WHERE entry_id = 'e1' AND version = 5`).Scan(&translations).Error; err != nil {
				t.Fatal(err)
			}
			if entries != 1 || translations != 2 {
				t.Fatalf("after the migration %d entry and %d translations start at the entry's version 5, want 1 and 2", entries, translations)
			}
		})
	}
}
