// Package dbtest gives tests a real, migrated, throwaway database: a SQLite
// file in the test's temporary directory, and a fresh PostgreSQL database
// created on the server named by WERKWIJZER_TEST_DATABASE_URL and dropped
// when the test ends. Store and API tests run against both through Each.
//
// When PostgreSQL cannot be reached its tests are skipped with the reason,
// unless WERKWIJZER_REQUIRE_POSTGRES=1 (as in CI), where they fail instead.
package dbtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver for the admin connection
	"gorm.io/gorm/logger"

	"github.com/werkwijzer/werkwijzer/internal/database"
)

// DefaultPostgresURL is the server tried when WERKWIJZER_TEST_DATABASE_URL is unset.
const DefaultPostgresURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// Each runs fn once on SQLite and once on PostgreSQL, as subtests named
// after the dialect, each with its own migrated database.
func Each(t *testing.T, fn func(t *testing.T, db *database.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, Postgres(t)) })
}

// SQLite returns a migrated database in a new file under t.TempDir().
func SQLite(t testing.TB) *database.DB {
	t.Helper()
	db := OpenSQLite(t)
	migrateUp(t, db)
	return db
}

// Postgres returns a migrated database created for this test alone.
func Postgres(t testing.TB) *database.DB {
	t.Helper()
	db := OpenPostgres(t)
	migrateUp(t, db)
	return db
}

// OpenSQLite returns an empty, unmigrated SQLite database.
func OpenSQLite(t testing.TB) *database.DB {
	t.Helper()
	path := filepath.Join(t.TempDir(), "test.db")
	db, err := database.Open(context.Background(), database.Config{URL: "sqlite:" + path})
	if err != nil {
		t.Fatalf("open sqlite: %v", err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// OpenPostgres creates an empty database on the test server and returns it
// unmigrated; the database is dropped when the test ends.
func OpenPostgres(t testing.TB) *database.DB {
	t.Helper()
	db, _ := OpenPostgresWithURL(t)
	return db
}

// OpenPostgresWithURL is OpenPostgres that also returns the database's
// URL, for tests that run commands on the database they watch.
func OpenPostgresWithURL(t testing.TB) (*database.DB, string) {
	t.Helper()
	testURL := NewPostgresURL(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	db, err := database.Open(ctx, database.Config{URL: testURL, MaxOpenConns: 10})
	if err != nil {
		t.Fatalf("open test database: %v", err)
	}
	// Cleanups run last first: this closes before the database is dropped.
	t.Cleanup(func() { _ = db.Close() })
	return db, testURL
}

// NewPostgresURL creates an empty database on the test server and returns
// its URL, for tests that open it the way a command does; it is dropped
// (with any connections left) when the test ends.
func NewPostgresURL(t testing.TB) string {
	t.Helper()
	serverURL := PostgresURL()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	admin, err := sql.Open("pgx", serverURL)
	if err == nil {
		err = admin.PingContext(ctx)
	}
	if err != nil {
		if admin != nil {
			_ = admin.Close()
		}
		unavailable(t, fmt.Errorf("PostgreSQL at %s is unreachable: %w", serverURL, err))
		return ""
	}
	name := "werkwijzer_test_" + randomSuffix()
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		_ = admin.Close()
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		if _, err := admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("drop test database %s: %v", name, err)
		}
		_ = admin.Close()
	})
	testURL, err := withDatabase(serverURL, name)
	if err != nil {
		t.Fatal(err)
	}
	return testURL
}

// PostgresURL is the test server's URL.
func PostgresURL() string {
	if u := os.Getenv("WERKWIJZER_TEST_DATABASE_URL"); u != "" {
		return u
	}
	return DefaultPostgresURL
}

// Required reports whether PostgreSQL tests must run rather than skip.
func Required() bool { return os.Getenv("WERKWIJZER_REQUIRE_POSTGRES") == "1" }

func unavailable(t testing.TB, err error) {
	t.Helper()
	if Required() {
		t.Fatalf("%v (WERKWIJZER_REQUIRE_POSTGRES=1, so this fails instead of skipping)", err)
	}
	t.Skipf("skipping PostgreSQL test: %v (set WERKWIJZER_TEST_DATABASE_URL to a reachable server)", err)
}

func migrateUp(t testing.TB, db *database.DB) {
	t.Helper()
	m, err := db.Migrator()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Up(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func withDatabase(serverURL, name string) (string, error) {
	u, err := url.Parse(serverURL)
	if err != nil {
		return "", fmt.Errorf("parse WERKWIJZER_TEST_DATABASE_URL: %w", err)
	}
	u.Path = "/" + name
	return u.String(), nil
}

func randomSuffix() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// StatementCounter counts the SQL statements a database runs, for tests
// that prove a query's cost does not grow with the data (no N+1).
type StatementCounter struct {
	logger.Interface
	n atomic.Int64
}

// CountStatements makes db count its statements from now on.
func CountStatements(db *database.DB) *StatementCounter {
	c := &StatementCounter{Interface: db.Gorm.Config.Logger}
	db.Gorm.Config.Logger = c
	return c
}

// Trace is called by GORM once per statement.
func (c *StatementCounter) Trace(ctx context.Context, begin time.Time, fc func() (string, int64), err error) {
	c.n.Add(1)
	c.Interface.Trace(ctx, begin, fc, err)
}

// Reset sets the count to zero.
func (c *StatementCounter) Reset() { c.n.Store(0) }

// Count is the number of statements since the last Reset.
func (c *StatementCounter) Count() int { return int(c.n.Load()) }
