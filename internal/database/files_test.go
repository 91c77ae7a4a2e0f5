//go:build unix

package database_test

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/werkwijzer/werkwijzer/internal/database"
)

// withUmask runs the test under the umask most systems default to, so the
// modes it sees do not depend on a strict umask of whoever runs it.
func withUmask(t *testing.T, mask int) {
	old := syscall.Umask(mask)
	t.Cleanup(func() { syscall.Umask(old) })
}

// openAndWrite opens the SQLite file at path and writes to it, which makes
// SQLite create its -wal and -shm files.
func openAndWrite(t *testing.T, path string) *database.DB {
	t.Helper()
	db, err := database.Open(context.Background(), database.Config{URL: "sqlite:" + path})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	if err := db.Gorm.Exec("CREATE TABLE IF NOT EXISTS t (v TEXT)").Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Gorm.Exec("INSERT INTO t (v) VALUES ('secret')").Error; err != nil {
		t.Fatal(err)
	}
	return db
}

func checkPrivate(t *testing.T, path string) {
	t.Helper()
	for _, name := range []string{path, path + "-wal", path + "-shm"} {
		info, err := os.Stat(name)
		if err != nil {
			t.Fatalf("%s: %v", filepath.Base(name), err)
		}
		if got := info.Mode().Perm(); got != 0o600 {
			t.Errorf("%s has mode %#o, want 0600: it holds password hashes and sessions", filepath.Base(name), got)
		}
	}
}

func TestSQLiteFilesAreReadableByTheOwnerOnly(t *testing.T) {
	withUmask(t, 0o022)
	path := filepath.Join(t.TempDir(), "werkwijzer.db")
	openAndWrite(t, path)
	checkPrivate(t, path)
}

// TestOpeningTightensSQLiteFilesLeftReadable: files an older version
// created 0644 (the database, and the -wal and -shm of a process still
// running) become 0600 when the server opens them.
func TestOpeningTightensSQLiteFilesLeftReadable(t *testing.T) {
	withUmask(t, 0o022)
	path := filepath.Join(t.TempDir(), "werkwijzer.db")
	openAndWrite(t, path) // stays open, so its -wal and -shm stay too
	for _, name := range []string{path, path + "-wal", path + "-shm"} {
		if err := os.Chmod(name, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	openAndWrite(t, path)
	checkPrivate(t, path)
}
