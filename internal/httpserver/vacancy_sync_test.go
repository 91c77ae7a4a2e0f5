package httpserver_test

import (
	"reflect"
	"testing"

	"github.com/werkwijzer/werkwijzer/internal/database"
	"github.com/werkwijzer/werkwijzer/internal/dbtest"
)

const chunkMutation = `mutation Sync($in: SyncVacanciesInput!) {
  syncVacancies(input: $in) { chunk snapshotCompleted missingChunks closed reopened updated unchanged
    items { index outcome problems { field code warning } } }
}`

// The chunk number, the missing chunks, repost and the new problem codes
// pass through GraphQL as the domain defines them.
func TestChunkedSnapshotsThroughGraphQL(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		va := newVacancyAPI(t, db)
		source := va.token(t, va.createSource(t, "acme", "example.nl"))
		type report struct {
			Chunk             *int
			SnapshotCompleted bool
			MissingChunks     []int
			Closed, Reopened  int
			Updated           int
			Unchanged         int
			Items             []struct {
				Index    int
				Outcome  string
				Problems []struct{ Field, Code string }
			}
		}
		send := func(in map[string]any) report {
			t.Helper()
			var res struct{ SyncVacancies report }
			va.post(chunkMutation, map[string]any{"in": in}, source...).ok(t, &res)
			return res.SyncVacancies
		}
		a, b := vacancyInput("C-1", "office-manager"), vacancyInput("C-2", "office-manager")
		send(map[string]any{"mode": "SNAPSHOT", "items": []any{a, b}})

		// Chunk 1 never arrives: chunk 2 completes nothing.
		rep := send(map[string]any{"mode": "SNAPSHOT", "snapshotId": "s", "chunk": 2, "complete": true, "items": []any{a}})
		if rep.SnapshotCompleted || rep.Closed != 0 || !reflect.DeepEqual(rep.MissingChunks, []int{1}) || rep.Chunk == nil || *rep.Chunk != 2 {
			t.Fatalf("chunk 1 missing: %+v", rep)
		}
		send(map[string]any{"mode": "SNAPSHOT", "snapshotId": "s", "chunk": 1, "complete": false, "items": []any{}})
		rep = send(map[string]any{"mode": "SNAPSHOT", "snapshotId": "s", "chunk": 2, "complete": true, "items": []any{a}})
		if !rep.SnapshotCompleted || rep.Closed != 1 || len(rep.MissingChunks) != 0 {
			t.Fatalf("complete: %+v", rep)
		}
		// C-2 comes back later: same posting, unless it is a repost.
		b["datePosted"] = "2026-02-01"
		rep = send(map[string]any{"mode": "UPSERT", "items": []any{b, b}})
		if rep.Reopened != 1 || len(rep.Items) != 2 || rep.Items[0].Problems[0].Code != "DATE_POSTED_KEPT" ||
			rep.Items[1].Outcome != "REJECTED" || rep.Items[1].Problems[0].Code != "DUPLICATE_IN_BATCH" {
			t.Fatalf("reopen: %+v", rep)
		}
		b["repost"] = true
		if rep = send(map[string]any{"mode": "UPSERT", "items": []any{b}}); rep.Updated != 1 {
			t.Fatalf("repost: %+v", rep)
		}
		// A chunk must be numbered from 1.
		res := va.post(chunkMutation, map[string]any{"in": map[string]any{"mode": "SNAPSHOT", "snapshotId": "t", "chunk": 0, "complete": true, "items": []any{}}}, source...)
		if res.code(t) != "BAD_USER_INPUT" || res.Errors[0].Extensions["field"] != "chunk" {
			t.Fatalf("chunk 0: %s", res.raw)
		}
	})
}
