package database_test

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
	"time"

	"github.com/werkwijzer/werkwijzer/internal/database"
	"github.com/werkwijzer/werkwijzer/internal/dbtest"
)

// TestSourceKindCheck: migration 00007 lets the database store the
// Personio, Greenhouse and Lever kinds and nothing more, on every pooled
// connection, and its rollback refuses while a source of those kinds
// exists rather than leaving rows its CHECK forbids.
func TestSourceKindCheck(t *testing.T) {
	for name, open := range map[string]func(testing.TB) *database.DB{
		"sqlite":   dbtest.OpenSQLite,
		"postgres": dbtest.OpenPostgres,
	} {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			db := open(t)
			sqlDB, err := db.Gorm.DB()
			if err != nil {
				t.Fatal(err)
			}
			m, err := db.Migrator()
			if err != nil {
				t.Fatal(err)
			}
			if _, err := m.Up(ctx); err != nil {
				t.Fatal(err)
			}
			// Later migrations come off first, so that Down undoes 00007.
			if err := m.DownTo(ctx, 7); err != nil {
				t.Fatal(err)
			}
			if _, err := m.Down(ctx); err != nil {
				t.Fatal(err)
			}
			// Connections that read the schema before the migration must
			// see the wider CHECK too, not only the one that ran it.
			held := connsThatReadSources(ctx, t, sqlDB, 3)
			if _, err := m.Up(ctx); err != nil {
				t.Fatal(err)
			}
			insertNewKindsOn(ctx, t, held)
			now := time.Now().UTC()
			insert := func(id, kind string) error {
				return db.Gorm.Exec(`INSERT INTO vacancy_sources (id, name, kind, language, time_zone, created_at, updated_at)
					VALUES (?, ?, ?, 'nl', 'Europe/Amsterdam', ?, ?)`, id, id, kind, now, now).Error
			}
			if err := insert("bogus", "workday"); err == nil {
				t.Fatal("an unknown kind was stored")
			}
			if err := m.DownTo(ctx, 7); err != nil {
				t.Fatal(err)
			}
			if _, err := m.Down(ctx); err == nil {
				t.Fatal("rolled back while sources of the new kinds exist")
			}
			if err := db.Gorm.Exec(`DELETE FROM vacancy_sources WHERE kind IN ('personio', 'greenhouse', 'lever')`).Error; err != nil {
				t.Fatal(err)
			}
			if v, err := m.Down(ctx); err != nil || v != 7 {
				t.Fatalf("down: %d %v", v, err)
			}
			if err := insert("late", "lever"); err == nil {
				t.Fatal("a lever source was stored after the rollback")
			}
			if err := insert("old", "recruitee"); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// connsThatReadSources holds n pooled connections, each of which has read
// vacancy_sources, so that each has looked at its schema.
func connsThatReadSources(ctx context.Context, t *testing.T, sqlDB *sql.DB, n int) []*sql.Conn {
	t.Helper()
	var held []*sql.Conn
	for range n {
		conn, err := sqlDB.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var count int
		if err := conn.QueryRowContext(ctx, "SELECT count(*) FROM vacancy_sources").Scan(&count); err != nil {
			t.Fatal(err)
		}
		held = append(held, conn)
	}
	return held
}

// insertNewKindsOn stores a source of each new kind, each on its own held
// connection, then releases the connections.
func insertNewKindsOn(ctx context.Context, t *testing.T, held []*sql.Conn) {
	t.Helper()
	for i, kind := range []string{"personio", "greenhouse", "lever"} {
		q := fmt.Sprintf(`INSERT INTO vacancy_sources (id, name, kind, language, time_zone, created_at, updated_at)
			VALUES ('s%d', 's%d', '%s', 'nl', 'Europe/Amsterdam', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`, i, i, kind)
		if _, err := held[i].ExecContext(ctx, q); err != nil {
			t.Fatalf("%s on connection %d: %v", kind, i, err)
		}
	}
	for _, conn := range held {
		_ = conn.Close()
	}
}
