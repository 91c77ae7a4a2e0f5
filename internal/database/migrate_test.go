package database_test

import (
	"context"
	"io/fs"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/werkwijzer/werkwijzer/internal/database"
	"github.com/werkwijzer/werkwijzer/internal/dbtest"
	"github.com/werkwijzer/werkwijzer/migrations"
)

func TestDialectsHaveTheSameMigrationVersions(t *testing.T) {
	pg, err := fs.Glob(migrations.FS, "postgres/*.sql")
	if err != nil {
		t.Fatal(err)
	}
	lite, err := fs.Glob(migrations.FS, "sqlite/*.sql")
	if err != nil {
		t.Fatal(err)
	}
	if len(pg) == 0 {
		t.Fatal("no migrations embedded")
	}
	names := func(paths []string, dir string) []string {
		out := make([]string, len(paths))
		for i, p := range paths {
			out[i] = p[len(dir)+1:]
		}
		return out
	}
	if a, b := names(pg, "postgres"), names(lite, "sqlite"); !slices.Equal(a, b) {
		t.Fatalf("migration sets differ:\npostgres: %v\nsqlite:   %v", a, b)
	}
}

func TestMigrateUpDownUp(t *testing.T) {
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
			first, err := m.Up(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(first) == 0 {
				t.Fatal("first Up applied nothing")
			}
			assertAllApplied(t, m, true)
			if err := m.Reset(ctx); err != nil {
				t.Fatal(err)
			}
			assertAllApplied(t, m, false)
			if tables := userTables(t, db); len(tables) != 0 {
				t.Fatalf("down left tables behind: %v", tables)
			}
			again, err := m.Up(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(first, again) {
				t.Fatalf("second Up applied %v, first applied %v", again, first)
			}
			if more, err := m.Up(ctx); err != nil || len(more) != 0 {
				t.Fatalf("Up on a current schema applied %v, err %v", more, err)
			}
		})
	}
}

func assertAllApplied(t *testing.T, m *database.Migrator, want bool) {
	t.Helper()
	statuses, err := m.Status(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range statuses {
		if s.Applied != want {
			t.Fatalf("migration %d applied=%v, want %v", s.Version, s.Applied, want)
		}
	}
}

// userTables lists the tables other than goose's own bookkeeping.
func userTables(t *testing.T, db *database.DB) []string {
	t.Helper()
	var names []string
	q := `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'goose_db_version'`
	if db.Dialect == database.SQLite {
		q = `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('goose_db_version', 'sqlite_sequence')`
	}
	if err := db.Gorm.Raw(q).Scan(&names).Error; err != nil {
		t.Fatal(err)
	}
	return names
}

// TestLogsLeaveValuesOut: a failing statement is logged without the values
// bound to it, so content and credentials stay out of the log.
func TestLogsLeaveValuesOut(t *testing.T) {
	var buf strings.Builder
	log := slog.New(slog.NewTextHandler(&buf, nil))
	db, err := database.Open(context.Background(), database.Config{URL: "sqlite:" + filepath.Join(t.TempDir(), "log.db"), Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_ = db.Gorm.Exec("INSERT INTO no_such_table (secret) VALUES (?)", "hunter2-password-hash").Error
	if !strings.Contains(buf.String(), "no_such_table") {
		t.Fatalf("the failing statement was not logged: %q", buf.String())
	}
	if strings.Contains(buf.String(), "hunter2") {
		t.Fatalf("a bound value reached the log: %q", buf.String())
	}
}
