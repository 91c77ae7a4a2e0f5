package transfer_test

import (
	"context"
	"strings"
	"testing"

	"github.com/werkwijzer/werkwijzer/internal/dbtest"
	"github.com/werkwijzer/werkwijzer/internal/store"
	"github.com/werkwijzer/werkwijzer/internal/transfer"
)

// TestImportDoesNotOverwriteAConcurrentChange: an import that read an
// entry and decided to replace it fails, rather than overwrite it, when
// someone changed the entry in between. PostgreSQL only: on SQLite the
// import's transaction holds the write lock, so the change must wait.
func TestImportDoesNotOverwriteAConcurrentChange(t *testing.T) {
	db := dbtest.Postgres(t)
	id := fill(t, db)
	ctx := context.Background()
	err := store.NewTransfer(db.Gorm).InTx(ctx, func(tx transfer.Store) error {
		entries, err := tx.Entries(ctx, []string{id})
		if err != nil {
			return err
		}
		// An editor saves, on another connection, after the import read.
		if err := db.Gorm.Exec("UPDATE entries SET version = version + 1 WHERE id = ?", id).Error; err != nil {
			t.Fatal(err)
		}
		e := entries[0]
		e.Version += 5
		return tx.PutEntry(ctx, e, true)
	})
	if err == nil || !strings.Contains(err.Error(), "could not serialize") {
		t.Fatalf("replacing an entry changed since it was read: %v; want a serialization failure", err)
	}
}
