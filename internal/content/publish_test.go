package content_test

import (
	"slices"
	"testing"

	"github.com/werkwijzer/werkwijzer/internal/content"
	"github.com/werkwijzer/werkwijzer/internal/database"
	"github.com/werkwijzer/werkwijzer/internal/dbtest"
)

// TestPublishingAnUnchangedDraftWritesNothing publishes a draft that is
// live already twenty times: no revision, no audit entry, no version
// change, and each answer says the locale was unchanged. A locale that
// did change in the same call is still published.
func TestPublishingAnUnchangedDraftWritesNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		svc := newService(t, db)
		e := newFAQ(t, svc, map[string]string{"nl": "vraag", "en": "question"})
		first, err := svc.Publish(operator, e.ID, []string{"nl", "en"})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(first.Published, []string{"nl", "en"}) || len(first.Unchanged) != 0 {
			t.Fatalf("first publication: published %v, unchanged %v", first.Published, first.Unchanged)
		}
		revisions, audit := history(t, svc, e.ID)

		for range 20 {
			again, err := svc.Publish(operator, e.ID, []string{"nl", "en"})
			if err != nil {
				t.Fatal(err)
			}
			if len(again.Published) != 0 || !slices.Equal(again.Unchanged, []string{"nl", "en"}) {
				t.Fatalf("publishing again: published %v, unchanged %v", again.Published, again.Unchanged)
			}
			if again.Entry.Version != first.Entry.Version || len(again.Entry.Live) != 2 {
				t.Fatalf("publishing again changed the entry: version %d → %d, live %v", first.Entry.Version, again.Entry.Version, again.Entry.Live)
			}
		}
		if r, a := history(t, svc, e.ID); r != revisions || a != audit {
			t.Fatalf("twenty unchanged publications wrote %d revisions and %d audit entries", r-revisions, a-audit)
		}
		after, err := svc.Entry(operator, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		if after.Version != first.Entry.Version || !after.UpdatedAt.Equal(first.Entry.UpdatedAt) {
			t.Fatalf("the entry moved on: version %d, updated %v", after.Version, after.UpdatedAt)
		}

		publishOneChangedLocale(t, svc, e.ID, after.Version, revisions)
	})
}

// publishOneChangedLocale: of an entry live in nl and en, a new English
// slug is a change, and Dutch stays as it is.
func publishOneChangedLocale(t *testing.T, svc *content.Service, id string, version, revisions int) {
	t.Helper()
	changed, err := svc.Update(operator, id, content.Update{ExpectedVersion: version, Translations: map[string]content.TranslationInput{
		"en": {Slug: "another-question", Fields: content.FAQFields{Question: "Q question?", Answer: "A."}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	mixed, err := svc.Publish(operator, id, []string{"nl", "en"})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(mixed.Published, []string{"en"}) || !slices.Equal(mixed.Unchanged, []string{"nl"}) {
		t.Fatalf("after changing English: published %v, unchanged %v", mixed.Published, mixed.Unchanged)
	}
	if live := mixed.Entry.LiveIn("en"); live == nil || live.Slug != "another-question" {
		t.Fatalf("the changed English draft did not go live: %+v", live)
	}
	if r, _ := history(t, svc, id); r != revisions+2 { // the save and the English publication
		t.Fatalf("%d new revisions after a save and one publication, want 2", r-revisions)
	}
	if mixed.Entry.Version != changed.Version {
		t.Fatalf("publishing changed the version from %d to %d", changed.Version, mixed.Entry.Version)
	}
}

// history counts an entry's revisions and audit entries.
func history(t *testing.T, svc *content.Service, id string) (revisions, audit int) {
	t.Helper()
	revs, err := revisionsOf(svc, operator, id, "")
	if err != nil {
		t.Fatal(err)
	}
	log, err := svc.AuditLog(operator, content.AuditFilter{EntryID: id}, content.Page{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	return len(revs), len(log.Items)
}
