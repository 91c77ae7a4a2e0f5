package content_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/werkwijzer/werkwijzer/internal/account"
	"github.com/werkwijzer/werkwijzer/internal/apperr"
	"github.com/werkwijzer/werkwijzer/internal/cachetag"
	"github.com/werkwijzer/werkwijzer/internal/content"
	"github.com/werkwijzer/werkwijzer/internal/database"
	"github.com/werkwijzer/werkwijzer/internal/dbtest"
	"github.com/werkwijzer/werkwijzer/internal/locale"
	"github.com/werkwijzer/werkwijzer/internal/store"
)

// auditActions lists the actions of an entry's audit log, newest first.
func auditActions(t *testing.T, svc *content.Service, id string) []string {
	t.Helper()
	log, err := svc.AuditLog(operator, content.AuditFilter{EntryID: id}, content.Page{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range log.Items {
		actions = append(actions, e.Action)
	}
	return actions
}

// TestEveryChangeIsAudited: each change of an entry leaves its audit row,
// after the revisions it writes.
func TestEveryChangeIsAudited(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		svc := newService(t, db)
		e := newFAQ(t, svc, map[string]string{"nl": "vraag"})
		e, err := svc.Update(operator, e.ID, content.Update{Type: content.TypeFAQ, ExpectedVersion: e.Version,
			Translations: map[string]content.TranslationInput{"nl": {Slug: "vraag", Fields: content.FAQFields{Question: "Nieuw?", Answer: "A."}}}})
		if err != nil {
			t.Fatal(err)
		}
		e = publish(t, svc, e.ID, "nl")
		if e, err = svc.Unpublish(operator, e.ID, []string{"nl"}); err != nil {
			t.Fatal(err)
		}
		revisions, err := revisionsOf(svc, operator, e.ID, "nl")
		if err != nil {
			t.Fatal(err)
		}
		first := revisions[len(revisions)-1]
		if e, err = svc.RestoreRevision(operator, first.ID, e.Version); err != nil {
			t.Fatal(err)
		}
		if err := svc.Delete(operator, e.ID, e.Version); err != nil {
			t.Fatal(err)
		}
		want := []string{"delete", "restore", "unpublish", "publish", "update", "create"}
		if got := auditActions(t, svc, e.ID); !slices.Equal(got, want) {
			t.Fatalf("audit log %v, want %v", got, want)
		}
		// create, update and restore each saved a revision; publish one.
		if revisions, err = revisionsOf(svc, operator, e.ID, ""); err != nil || len(revisions) != 4 {
			t.Fatalf("%d revisions (%v), want 4", len(revisions), err)
		}
	})
}

var errDiskFull = errors.New("disk full")

// failingRevisions is a store whose revisions cannot be written.
type failingRevisions struct{ content.Store }

func (f failingRevisions) InTx(ctx context.Context, fn func(content.Store) error) error {
	return f.Store.InTx(ctx, func(tx content.Store) error { return fn(failingRevisions{tx}) })
}

func (failingRevisions) AddRevision(context.Context, content.Revision) (content.Revision, error) {
	return content.Revision{}, errDiskFull
}

// TestAFailedSnapshotWritesNothing: when the revision of a save cannot be
// written, the save fails as a whole: no entry, no draft, no audit row.
func TestAFailedSnapshotWritesNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		base := store.NewContent(db.Gorm)
		locales, _ := locale.NewSet([]string{"nl", "en"})
		failing := content.NewService(failingRevisions{base}, locales)
		svc := content.NewService(base, locales)

		_, err := failing.Create(operator, content.FAQStructure{}, map[string]content.TranslationInput{
			"nl": {Slug: "vraag", Fields: content.FAQFields{Question: "Q?", Answer: "A."}}})
		if !errors.Is(err, errDiskFull) {
			t.Fatalf("create without its revision: %v", err)
		}
		if empty, err := svc.IsEmpty(operator); err != nil || !empty {
			t.Fatalf("a create whose revision failed was stored (empty %v, %v)", empty, err)
		}

		e := newFAQ(t, svc, map[string]string{"nl": "vraag"})
		_, err = failing.Update(operator, e.ID, content.Update{ExpectedVersion: e.Version,
			Translations: map[string]content.TranslationInput{"nl": {Slug: "vraag", Fields: content.FAQFields{Question: "Nieuw?", Answer: "A."}}}})
		if !errors.Is(err, errDiskFull) {
			t.Fatalf("update without its revision: %v", err)
		}
		revisions, err := revisionsOf(svc, operator, e.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := failing.RestoreRevision(operator, revisions[0].ID, e.Version); !errors.Is(err, errDiskFull) {
			t.Fatalf("restore without its revision: %v", err)
		}
		if _, err := failing.Publish(operator, e.ID, []string{"nl"}); !errors.Is(err, errDiskFull) {
			t.Fatalf("publish without its revision: %v", err)
		}
		after, err := svc.Entry(operator, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		if after.Version != e.Version || after.Translation("nl").UpdatedAt != e.Translation("nl").UpdatedAt || len(after.Live) != 0 {
			t.Fatalf("a failed change moved the entry: version %d → %d, live %v", e.Version, after.Version, after.Live)
		}
		if got := auditActions(t, svc, e.ID); !slices.Equal(got, []string{"create"}) {
			t.Fatalf("audit log %v after failed changes, want only the create", got)
		}
	})
}

// TestWhoMayUpdateWhat: a translator changes the text of their locales
// only; an update says what it changes and, when it names a type, that is
// the entry's.
func TestWhoMayUpdateWhat(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		svc := newService(t, db)
		e := newFAQ(t, svc, map[string]string{"nl": "vraag"})
		translator := account.WithPrincipal(context.Background(), account.Principal{
			UserID: uuid.NewString(), Role: account.RoleTranslator, Locales: []string{"en"}})
		english := map[string]content.TranslationInput{"en": {Slug: "question", Fields: content.FAQFields{Question: "Q?", Answer: "A."}}}
		dutch := map[string]content.TranslationInput{"nl": {Slug: "vraag", Fields: content.FAQFields{Question: "V?", Answer: "A."}}}

		if _, err := svc.Create(translator, content.FAQStructure{}, english); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("a translator created an entry: %v", err)
		}
		if _, err := svc.Update(translator, e.ID, content.Update{ExpectedVersion: e.Version, Structure: content.FAQStructure{}}); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("a translator changed a structure: %v", err)
		}
		if _, err := svc.Update(translator, e.ID, content.Update{ExpectedVersion: e.Version, Translations: dutch}); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("a translator for en changed nl: %v", err)
		}
		e, err := svc.Update(translator, e.ID, content.Update{ExpectedVersion: e.Version, Translations: english})
		if err != nil || e.Translation("en") == nil {
			t.Fatalf("a translator could not translate into their locale: %v", err)
		}

		if _, err := svc.Update(operator, e.ID, content.Update{ExpectedVersion: e.Version}); !apperr.Is(err, apperr.BadUserInput) {
			t.Errorf("an update of nothing: %v", err)
		}
		_, err = svc.Update(operator, e.ID, content.Update{Type: content.TypeRole, ExpectedVersion: e.Version, Translations: dutch})
		var coded *apperr.Error
		if !errors.As(err, &coded) || coded.Code != apperr.BadUserInput || coded.Details["field"] != "id" {
			t.Errorf("a FAQ updated as a role: %v", err)
		}
		if e, err = svc.Update(operator, e.ID, content.Update{Type: content.TypeFAQ, ExpectedVersion: e.Version, Structure: content.FAQStructure{}}); err != nil {
			t.Fatalf("an update of the structure alone: %v", err)
		}
		if got := auditActions(t, svc, e.ID); !slices.Equal(got, []string{"update", "update", "create"}) {
			t.Fatalf("audit log %v", got)
		}
		log, err := svc.AuditLog(operator, content.AuditFilter{EntryID: e.ID}, content.Page{Limit: 2})
		if err != nil {
			t.Fatal(err)
		}
		if structure, text := log.Items[0].Details, log.Items[1].Details; structure["structure"] != true || text["structure"] != false {
			t.Fatalf("the audit log does not tell a structure change (%v) from a translation (%v)", structure, text)
		}
	})
}

func newRole(t *testing.T, svc *content.Service, slug string, fields content.RoleFields) *content.EntryState {
	t.Helper()
	e, err := svc.Create(operator, content.RoleStructure{}, map[string]content.TranslationInput{"nl": {Slug: slug, Fields: fields}})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// TestRefusedPublicationSaysWhy: the message names each locale's problem,
// as the details do, so an editor can fix them all at once.
func TestRefusedPublicationSaysWhy(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		svc := newService(t, db)
		live := newRole(t, svc, "kok", content.RoleFields{Title: "Kok", Summary: "Kookt."})
		publish(t, svc, live.ID, "nl")
		e := newRole(t, svc, "kok", content.RoleFields{Title: "Kok"})
		_, err := svc.Publish(operator, e.ID, []string{"nl", "en"})
		var coded *apperr.Error
		if !errors.As(err, &coded) || coded.Code != apperr.BadUserInput {
			t.Fatalf("publishing a role with problems: %v", err)
		}
		want := `nl: required fields are empty: summary; the slug "kok" is live for another role | en: no translation`
		if !strings.HasSuffix(coded.Message, want) {
			t.Fatalf("message %q, want it to end in %q", coded.Message, want)
		}
		if got := auditActions(t, svc, e.ID); !slices.Equal(got, []string{"create"}) {
			t.Fatalf("a refused publication left %v in the audit log", got)
		}
		// A locale without translation does not hide the problems of the next.
		_, err = svc.Publish(operator, e.ID, []string{"en", "nl"})
		if !errors.As(err, &coded) || !strings.HasSuffix(coded.Message, `en: no translation | nl: required fields are empty: summary; the slug "kok" is live for another role`) {
			t.Fatalf("publishing en then nl: %v", err)
		}
		// Nor in the status of the locales after it.
		english, err := svc.Create(operator, content.FAQStructure{}, map[string]content.TranslationInput{
			"en": {Slug: "question", Fields: content.FAQFields{Question: "Q?"}}})
		if err != nil {
			t.Fatal(err)
		}
		if en := statusOf(t, svc, english, "en"); !en.Exists || !slices.Equal(en.MissingFields, []string{"answer"}) {
			t.Fatalf("status of the only translation, after a locale without one: %+v", en)
		}

		// Only the slug: the message names that alone.
		if e, err = svc.Update(operator, e.ID, content.Update{ExpectedVersion: e.Version, Translations: map[string]content.TranslationInput{
			"nl": {Slug: "kok", Fields: content.RoleFields{Title: "Kok", Summary: "Ook een kok."}}}}); err != nil {
			t.Fatal(err)
		}
		_, err = svc.Publish(operator, e.ID, []string{"nl"})
		if !errors.As(err, &coded) || !strings.HasSuffix(coded.Message, `: nl: the slug "kok" is live for another role`) {
			t.Fatalf("publishing on a taken slug: %v", err)
		}
	})
}

// TestUnpublishAuditsOnlyWhatWentOffline: taking a locale offline that
// is not live changes nothing and records nothing.
func TestUnpublishAuditsOnlyWhatWentOffline(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		svc := newService(t, db)
		e := newFAQ(t, svc, map[string]string{"nl": "vraag", "en": "question"})
		publish(t, svc, e.ID, "nl", "NL") // the same locale twice is published once
		if got := auditActions(t, svc, e.ID); !slices.Equal(got, []string{"publish", "create"}) {
			t.Fatalf("audit log after publishing nl and NL: %v", got)
		}
		after, err := svc.Unpublish(operator, e.ID, []string{"en", "nl"})
		if err != nil {
			t.Fatal(err)
		}
		if len(after.Live) != 0 {
			t.Fatalf("still live: %v", after.Live)
		}
		if _, err := svc.Unpublish(operator, e.ID, []string{"nl"}); err != nil {
			t.Fatal(err)
		}
		if got := auditActions(t, svc, e.ID); !slices.Equal(got, []string{"unpublish", "publish", "create"}) {
			t.Fatalf("audit log %v, want one unpublish (nl)", got)
		}
		for name, locales := range map[string][]string{"no locale": nil, "an unknown locale": {"de"}} {
			if _, err := svc.Unpublish(operator, e.ID, locales); !apperr.Is(err, apperr.BadUserInput) {
				t.Errorf("unpublish %s: %v", name, err)
			}
			if _, err := svc.Publish(operator, e.ID, locales); !apperr.Is(err, apperr.BadUserInput) {
				t.Errorf("publish %s: %v", name, err)
			}
		}
		if _, err := svc.Unpublish(operator, "not-an-id", []string{"nl"}); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("unpublish of no entry: %v", err)
		}
	})
}

// TestHistoryAndLists: revisions by locale, of a deleted entry too; the
// editors' lists by type.
func TestHistoryAndLists(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		svc := newService(t, db)
		e := newFAQ(t, svc, map[string]string{"nl": "vraag", "en": "question"})
		newRole(t, svc, "kok", content.RoleFields{Title: "Kok"})
		dutch, err := revisionsOf(svc, operator, e.ID, "NL")
		if err != nil || len(dutch) != 1 || dutch[0].Locale != "nl" {
			t.Fatalf("Dutch revisions: %+v %v", dutch, err)
		}
		if _, err := revisionsOf(svc, operator, e.ID, "de"); !apperr.Is(err, apperr.BadUserInput) {
			t.Errorf("revisions in an unknown locale: %v", err)
		}
		if _, err := revisionsOf(svc, operator, uuid.NewString(), ""); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("revisions of no entry: %v", err)
		}
		if err := svc.Delete(operator, e.ID, e.Version); err != nil {
			t.Fatal(err)
		}
		if all, err := revisionsOf(svc, operator, e.ID, ""); err != nil || len(all) != 2 {
			t.Fatalf("a deleted entry's history: %d revisions, %v", len(all), err)
		}

		faqs, err := svc.Entries(operator, content.TypeFAQ, content.Page{Limit: 10})
		if err != nil || len(faqs.Items) != 0 {
			t.Fatalf("FAQs after deleting the only one: %v %v", faqs.Items, err)
		}
		all, err := svc.Entries(operator, "", content.Page{Limit: 10})
		if err != nil || len(all.Items) != 1 || all.Items[0].Type != content.TypeRole {
			t.Fatalf("every entry: %v %v", all.Items, err)
		}
		if _, err := svc.Entries(operator, "poll", content.Page{Limit: 10}); !apperr.Is(err, apperr.BadUserInput) {
			t.Errorf("entries of an unknown type: %v", err)
		}
		if n, err := svc.CountEntries(operator, ""); err != nil || n != 1 {
			t.Errorf("count %d, %v", n, err)
		}
		if empty, err := svc.IsEmpty(operator); err != nil || empty {
			t.Errorf("IsEmpty with entries: %v %v", empty, err)
		}
	})
}

// TestReadingDraftsTakesARole: drafts, history and lists are for signed-in
// editors and translators, the audit log for admins.
func TestReadingDraftsTakesARole(t *testing.T) {
	svc := newService(t, dbtest.SQLite(t))
	e := newFAQ(t, svc, map[string]string{"nl": "vraag"})
	anonymous := context.Background()
	translator := account.WithPrincipal(anonymous, account.Principal{UserID: uuid.NewString(), Role: account.RoleTranslator})
	editor := account.WithPrincipal(anonymous, account.Principal{UserID: uuid.NewString(), Role: account.RoleEditor})
	reads := map[string]func(context.Context) error{
		"entry":     func(ctx context.Context) error { _, err := svc.Entry(ctx, e.ID); return err },
		"entries":   func(ctx context.Context) error { _, err := svc.Entries(ctx, "", content.Page{Limit: 1}); return err },
		"count":     func(ctx context.Context) error { _, err := svc.CountEntries(ctx, ""); return err },
		"revisions": func(ctx context.Context) error { _, err := revisionsOf(svc, ctx, e.ID, ""); return err },
		"work":      func(ctx context.Context) error { _, err := workOf(svc, ctx, "en"); return err },
	}
	for name, read := range reads {
		if err := read(anonymous); !apperr.Is(err, apperr.Unauthenticated) {
			t.Errorf("%s anonymously: %v", name, err)
		}
		if err := read(translator); err != nil {
			t.Errorf("%s as a translator: %v", name, err)
		}
	}
	if _, err := svc.AuditLog(editor, content.AuditFilter{}, content.Page{Limit: 1}); !apperr.Is(err, apperr.Forbidden) {
		t.Errorf("an editor read the audit log: %v", err)
	}
	for name, write := range map[string]func() error{
		"delete":  func() error { return svc.Delete(translator, e.ID, e.Version) },
		"publish": func() error { _, err := svc.Publish(translator, e.ID, []string{"nl"}); return err },
		"restore": func() error { _, err := svc.RestoreRevision(translator, e.ID, e.Version); return err },
	} {
		if err := write(); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("a translator may %s: %v", name, err)
		}
	}
}

// TestPatchRules: a patch is a JSON object over the current draft; a
// patch for a locale without one starts from nothing.
func TestPatchRules(t *testing.T) {
	svc := newService(t, dbtest.SQLite(t))
	e := newFAQ(t, svc, map[string]string{"nl": "vraag"})
	patch := func(loc, slug, body string) (*content.EntryState, error) {
		return svc.Update(operator, e.ID, content.Update{ExpectedVersion: e.Version,
			Translations: map[string]content.TranslationInput{loc: {Slug: slug, Patch: json.RawMessage(body)}}})
	}
	for name, body := range map[string]string{"not JSON": `{"question":`, "a list": `["question"]`, "an unknown member": `{"answr":"A."}`} {
		if _, err := patch("nl", "", body); !apperr.Is(err, apperr.BadUserInput) {
			t.Errorf("a patch that is %s: %v", name, err)
		}
	}
	if _, err := patch("de", "", `{}`); !apperr.Is(err, apperr.BadUserInput) {
		t.Errorf("a patch in an unknown locale: %v", err)
	}
	e, err := patch("en", "question", `{"question":"Q?"}`)
	if err != nil {
		t.Fatal(err)
	}
	var f content.FAQFields
	if err := json.Unmarshal(e.Translation("en").Fields, &f); err != nil || f != (content.FAQFields{Question: "Q?"}) || e.Translation("en").Slug != "question" {
		t.Fatalf("a patch for a new locale: %+v %v", e.Translation("en"), err)
	}
	if e, err = patch("nl", "nieuwe-vraag", `{"answer":"Nieuw."}`); err != nil || e.Translation("nl").Slug != "nieuwe-vraag" {
		t.Fatalf("a patch with a slug: %v", err)
	}
}

// TestChangesAreAnnounced: publishing, unpublishing and deleting tell the
// change hook which public answers they touch; a change that failed or
// did nothing tells nothing, so caches are not emptied for nothing.
func TestChangesAreAnnounced(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		svc := newService(t, db)
		var told [][]string
		svc.OnChange(func(_ context.Context, tags []string) { told = append(told, tags) })
		e := newFAQ(t, svc, map[string]string{"nl": "vraag"})
		expect := func(step string, n int) {
			t.Helper()
			if len(told) != n {
				t.Fatalf("after %s the hook was told %d times, want %d: %v", step, len(told), n, told)
			}
		}
		expect("create", 0)
		e = publish(t, svc, e.ID, "nl")
		expect("publish", 1)
		want := []string{cachetag.Entry(e.ID), cachetag.List("faq"), cachetag.Slug("faq", "vraag")}
		for _, tag := range want {
			if !slices.Contains(told[0], tag) {
				t.Fatalf("publishing told %v, without %s", told[0], tag)
			}
		}
		publish(t, svc, e.ID, "nl")
		expect("an unchanged publication", 1)
		if _, err := svc.Publish(operator, e.ID, []string{"en"}); err == nil {
			t.Fatal("published a locale without a translation")
		}
		expect("a refused publication", 1)
		if _, err := svc.Unpublish(operator, e.ID, []string{"nl"}); err != nil {
			t.Fatal(err)
		}
		expect("unpublish", 2)
		if _, err := svc.Unpublish(operator, uuid.NewString(), []string{"nl"}); err == nil {
			t.Fatal("unpublished no entry")
		}
		expect("a failed unpublish", 2)
		if err := svc.Delete(operator, e.ID, e.Version-1); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("delete of a stale version: %v", err)
		}
		expect("a refused delete", 2)
		if err := svc.Delete(operator, e.ID, e.Version); err != nil {
			t.Fatal(err)
		}
		expect("delete", 3)
	})
}

// TestTranslationWork: a locale needs work while it has no translation,
// misses required fields, or lags behind a change of the default locale's
// text; the work list holds exactly those entries.
func TestTranslationWork(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		svc := newService(t, db)
		done := newFAQ(t, svc, map[string]string{"nl": "klaar", "en": "done"})
		dutchOnly := newFAQ(t, svc, map[string]string{"nl": "alleen-nl"})
		done = publish(t, svc, done.ID, "nl", "en")
		en := statusOf(t, svc, done, "en")
		if en.NeedsWork() || !en.Published || en.DraftDiffers || !en.Exists {
			t.Fatalf("a published, complete translation: %+v", en)
		}
		if en := statusOf(t, svc, dutchOnly, "en"); !en.NeedsWork() || en.Exists || en.Published {
			t.Fatalf("a missing translation: %+v", en)
		}
		if nl := statusOf(t, svc, dutchOnly, "nl"); nl.NeedsWork() || !nl.DraftDiffers || len(nl.UntranslatedFields) != 0 {
			t.Fatalf("the default locale itself: %+v", nl)
		}
		work, err := workOf(svc, operator, "EN")
		if err != nil || len(work) != 1 || work[0].Entry.ID != dutchOnly.ID || work[0].Status.Locale != "en" {
			t.Fatalf("work in en: %+v %v", work, err)
		}
		if _, err := workOf(svc, operator, "de"); !apperr.Is(err, apperr.BadUserInput) {
			t.Errorf("work in an unknown locale: %v", err)
		}

		dutchChanges(t, svc, done)
	})
}

// dutchChanges changes the Dutch question of a FAQ live and complete in
// nl and en (with one other FAQ needing English): the English question is
// outdated, the Dutch draft no longer what is live.
func dutchChanges(t *testing.T, svc *content.Service, done *content.EntryState) {
	t.Helper()
	done, err := svc.Update(operator, done.ID, content.Update{ExpectedVersion: done.Version, Translations: map[string]content.TranslationInput{
		"nl": {Slug: "klaar", Fields: content.FAQFields{Question: "Een nieuwe vraag?", Answer: "A."}}}})
	if err != nil {
		t.Fatal(err)
	}
	if en := statusOf(t, svc, done, "en"); !en.NeedsWork() || !slices.Equal(en.OutdatedFields, []string{"question"}) || en.DraftDiffers {
		t.Fatalf("English after a Dutch change: %+v", en)
	}
	if nl := statusOf(t, svc, done, "nl"); !nl.DraftDiffers || nl.NeedsWork() {
		t.Fatalf("Dutch after its change: %+v", nl)
	}
	if work, err := workOf(svc, operator, "en"); err != nil || len(work) != 2 {
		t.Fatalf("work in en after the change: %d items, %v", len(work), err)
	}
}

// TestListsPage: the editors' list and the audit log say when there is
// more than a page.
func TestListsPage(t *testing.T) {
	svc := newService(t, dbtest.SQLite(t))
	newFAQ(t, svc, map[string]string{"nl": "een"})
	newFAQ(t, svc, map[string]string{"nl": "twee"})
	entries, err := svc.Entries(operator, content.TypeFAQ, content.Page{Limit: 1})
	if err != nil || len(entries.Items) != 1 || !entries.HasNextPage {
		t.Fatalf("one of two entries: %d items, next %v, %v", len(entries.Items), entries.HasNextPage, err)
	}
	if entries, err = svc.Entries(operator, content.TypeFAQ, content.Page{Limit: 2}); err != nil || len(entries.Items) != 2 || entries.HasNextPage {
		t.Fatalf("two of two entries: %d items, next %v, %v", len(entries.Items), entries.HasNextPage, err)
	}
	log, err := svc.AuditLog(operator, content.AuditFilter{}, content.Page{Limit: 1})
	if err != nil || len(log.Items) != 1 || !log.HasNextPage {
		t.Fatalf("one of two audit rows: %d items, next %v, %v", len(log.Items), log.HasNextPage, err)
	}
	if log, err = svc.AuditLog(operator, content.AuditFilter{}, content.Page{Limit: 2}); err != nil || len(log.Items) != 2 || log.HasNextPage {
		t.Fatalf("two of two audit rows: %d items, next %v, %v", len(log.Items), log.HasNextPage, err)
	}
}

// TestSitemap: the entries live in a locale whose type has a page, each
// with its pages in the other locales it is live in, paged by id.
func TestSitemap(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		svc := newService(t, db)
		both := newFAQ(t, svc, map[string]string{"nl": "vraag", "en": "question"})
		dutch := newFAQ(t, svc, map[string]string{"nl": "alleen-nl", "en": "draft-only"})
		publish(t, svc, both.ID, "nl", "en")
		publish(t, svc, dutch.ID, "nl")

		if list, err := svc.Sitemap(operator, "nl", content.Page{Limit: 10}); err != nil || len(list.Items) != 0 {
			t.Fatalf("FAQs have no page by default, yet the sitemap holds %v (%v)", list.Items, err)
		}
		svc.SetSEO(content.SEO{Patterns: content.URLPatterns{"faq": "/{locale}/vragen/{slug}"}})
		first, err := svc.Sitemap(operator, "nl", content.Page{Limit: 1})
		if err != nil || len(first.Items) != 1 || !first.HasNextPage || first.Items[0].EntryID != both.ID {
			t.Fatalf("first page: %+v %v", first, err)
		}
		page := first.Items[0]
		if page.Path != "/nl/vragen/vraag" || len(page.AlternatePaths) != 1 || page.AlternatePaths[0] != (content.AlternatePath{Locale: "en", Path: "/en/vragen/question"}) {
			t.Fatalf("page %+v", page)
		}
		rest, err := svc.Sitemap(operator, "nl", content.Page{Limit: 10, AfterID: both.ID})
		if err != nil || len(rest.Items) != 1 || rest.HasNextPage || len(rest.Items[0].AlternatePaths) != 0 {
			t.Fatalf("second page: %+v %v", rest, err)
		}
		for loc, want := range map[string]int{"nl": 2, "en": 1} {
			if n, err := svc.CountSitemap(operator, loc); err != nil || n != want {
				t.Errorf("count in %s: %d, %v; want %d", loc, n, err, want)
			}
		}
		if _, err := svc.Sitemap(operator, "de", content.Page{Limit: 1}); !apperr.Is(err, apperr.BadUserInput) {
			t.Errorf("a sitemap in an unknown locale: %v", err)
		}
	})
}
