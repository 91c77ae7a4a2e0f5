package store_test

import (
	"context"
	"testing"

	"github.com/werkwijzer/werkwijzer/internal/database"
	"github.com/werkwijzer/werkwijzer/internal/dbtest"
	"github.com/werkwijzer/werkwijzer/internal/store"
)

func TestPersistedQueriesAreSharedAndRegisteredOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		one, other := store.NewPersistedQueries(db.Gorm), store.NewPersistedQueries(db.Gorm)
		const hash = "0000000000000000000000000000000000000000000000000000000000000001"
		if _, ok, err := one.Get(ctx, hash); ok || err != nil {
			t.Fatalf("unknown hash: %v %v", ok, err)
		}
		for range 2 { // a second registration, by another replica, is no error
			if err := one.Add(ctx, hash, "{ locales { code } }"); err != nil {
				t.Fatal(err)
			}
		}
		if q, ok, err := other.Get(ctx, hash); !ok || err != nil || q != "{ locales { code } }" {
			t.Fatalf("got %q %v %v", q, ok, err)
		}
	})
}
