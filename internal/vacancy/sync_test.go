package vacancy_test

import (
	"testing"

	"github.com/werkwijzer/werkwijzer/internal/database"
	"github.com/werkwijzer/werkwijzer/internal/dbtest"
	"github.com/werkwijzer/werkwijzer/internal/vacancy"
)

func TestUpsertCreatesThenReplayChangesNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		src, ctx := e.source("devries")
		req := vacancy.SyncRequest{Mode: vacancy.ModeUpsert, Items: items("a", 3)}
		rep := e.sync(ctx, req)
		if rep.Created != 3 || rep.Rejected != 0 {
			t.Fatalf("first sync: %+v", rep)
		}
		before := e.all(src.ID)
		e.clock.Add(1000000000)
		rep = e.sync(ctx, req)
		if rep.Unchanged != 3 || rep.Created+rep.Updated != 0 {
			t.Fatalf("replay: %+v", rep)
		}
		after := e.all(src.ID)
		for k, b := range before {
			a := after[k]
			if !a.UpdatedAt.Equal(b.UpdatedAt) || a.ContentHash != b.ContentHash {
				t.Fatalf("%s changed on replay: %v -> %v", k, b.UpdatedAt, a.UpdatedAt)
			}
		}
		if got := len(e.open(vacancy.Filter{RoleSlug: "office-manager"})); got != 3 {
			t.Fatalf("open for role: %d", got)
		}
	})
}
