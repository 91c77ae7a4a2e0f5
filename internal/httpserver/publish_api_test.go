package httpserver_test

import (
	"slices"
	"testing"

	"github.com/werkwijzer/werkwijzer/internal/account"
	"github.com/werkwijzer/werkwijzer/internal/database"
	"github.com/werkwijzer/werkwijzer/internal/dbtest"
)

// TestPublishingWhatIsLiveSaysUnchanged publishes the seed article's
// English draft, which is live as it is, twenty times through the API:
// every answer lists English as unchanged, and the history, the audit log
// and the version stay as they were.
func TestPublishingWhatIsLiveSaysUnchanged(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		a := newAPI(t, db)
		admin := a.signIn(t, "admin@example.com", account.RoleAdmin)
		article := a.seedArticle(t, admin)
		type counts struct {
			Revisions struct{ TotalCount int }
			AuditLog  struct{ Edges []struct{ Cursor string } }
		}
		history := func() counts {
			var c counts
			a.post(`query($id: ID!) { revisions(id: $id) { totalCount } auditLog(entryId: $id, first: 100) { edges { cursor } } }`,
				map[string]any{"id": article.ID}, admin...).ok(t, &c)
			return c
		}
		before := history()

		const publish = `mutation($id: ID!) { publish(id: $id, locales: ["en"]) { published unchanged entry { version live { locale revisionNumber } } } }`
		for range 20 {
			var res struct {
				Publish struct {
					Published, Unchanged []string
					Entry                struct{ Version int }
				}
			}
			a.post(publish, map[string]any{"id": article.ID}, admin...).ok(t, &res)
			if len(res.Publish.Published) != 0 || !slices.Equal(res.Publish.Unchanged, []string{"en"}) {
				t.Fatalf("publishing the live draft: published %v, unchanged %v", res.Publish.Published, res.Publish.Unchanged)
			}
			if res.Publish.Entry.Version != article.Version {
				t.Fatalf("publishing the live draft changed the version from %d to %d", article.Version, res.Publish.Entry.Version)
			}
		}
		after := history()
		if after.Revisions.TotalCount != before.Revisions.TotalCount || len(after.AuditLog.Edges) != len(before.AuditLog.Edges) {
			t.Fatalf("twenty unchanged publications: %d → %d revisions, %d → %d audit entries",
				before.Revisions.TotalCount, after.Revisions.TotalCount, len(before.AuditLog.Edges), len(after.AuditLog.Edges))
		}
	})
}
