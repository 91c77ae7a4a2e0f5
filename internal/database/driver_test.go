package database_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/werkwijzer/werkwijzer/internal/database"
)

// TestSQLiteDriver pins what the store and the migrations expect of the
// SQLite driver, so that a driver swap that breaks one fails here: times
// are written as the text SQLite's date functions read, in the one format
// every earlier version wrote (string order is time order, also in files
// written before the swap), and DATETIME columns read back as times; text
// from an expression such as MAX(at) stays the stored text (a cursor or a
// bound value made from it must compare with it); constraint errors are
// translated; FTS5 is compiled in (full-text search on SQLite uses it).
func TestSQLiteDriver(t *testing.T) {
	ctx := context.Background()
	db, err := database.Open(ctx, database.Config{URL: "sqlite:" + filepath.Join(t.TempDir(), "d.db")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	g := db.Gorm.WithContext(ctx)
	if err := g.Exec("CREATE TABLE t (id TEXT PRIMARY KEY, at DATETIME NOT NULL)").Error; err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 29, 7, 5, 3, 120_000_000, time.UTC)
	if err := g.Exec("INSERT INTO t (id, at) VALUES (?, ?)", "a", at).Error; err != nil {
		t.Fatal(err)
	}
	var stored struct{ Kind, Text string }
	if err := g.Raw("SELECT typeof(at) AS kind, CAST(at AS TEXT) AS text FROM t").Scan(&stored).Error; err != nil {
		t.Fatal(err)
	}
	if stored.Kind != "text" || stored.Text != "2026-11-29 07:05:03.12+00:00" {
		t.Fatalf("a time is stored as %s %q; want text 2026-11-29 07:05:03.12+00:00", stored.Kind, stored.Text)
	}
	var latest string
	if err := g.Raw("SELECT MAX(at) FROM t").Scan(&latest).Error; err != nil || latest != stored.Text {
		t.Fatalf("MAX(at) read as %q, %v; want the stored text %q", latest, err, stored.Text)
	}
	var back time.Time
	if err := g.Raw("SELECT at FROM t WHERE at <= ?", at.Add(time.Millisecond)).Scan(&back).Error; err != nil || !back.Equal(at) {
		t.Fatalf("read back %v, %v; want %v", back, err, at)
	}
	var day string
	if err := g.Raw("SELECT date(at) FROM t").Scan(&day).Error; err != nil || day != "2026-11-29" {
		t.Fatalf("SQLite's date() reads the stored time as %q, %v", day, err)
	}

	err = g.Exec("INSERT INTO t (id, at) VALUES (?, ?)", "a", at).Error
	if !errors.Is(err, gorm.ErrDuplicatedKey) {
		t.Fatalf("a duplicate key gives %v; want gorm.ErrDuplicatedKey", err)
	}

	if err := g.Exec("CREATE VIRTUAL TABLE docs USING fts5(body)").Error; err != nil {
		t.Fatalf("FTS5 is not available: %v", err)
	}
	if err := g.Exec("INSERT INTO docs (body) VALUES ('office manager in Utrecht'), ('personal assistant')").Error; err != nil {
		t.Fatal(err)
	}
	var hits []string
	if err := g.Raw("SELECT body FROM docs WHERE docs MATCH ? ORDER BY rank", "manag*").Scan(&hits).Error; err != nil || len(hits) != 1 || hits[0] != "office manager in Utrecht" {
		t.Fatalf("FTS5 MATCH found %q, %v", hits, err)
	}
}
