package content_test

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/werkwijzer/werkwijzer/internal/account"
	"github.com/werkwijzer/werkwijzer/internal/apperr"
	"github.com/werkwijzer/werkwijzer/internal/content"
	"github.com/werkwijzer/werkwijzer/internal/database"
	"github.com/werkwijzer/werkwijzer/internal/dbtest"
	"github.com/werkwijzer/werkwijzer/internal/locale"
	"github.com/werkwijzer/werkwijzer/internal/store"
)

var operator = account.WithOperator(context.Background())

func newFAQ(t *testing.T, svc *content.Service, slugs map[string]string) *content.EntryState {
	t.Helper()
	tr := map[string]content.TranslationInput{}
	for loc, slug := range slugs {
		tr[loc] = content.TranslationInput{Slug: slug, Fields: content.FAQFields{Question: "Q " + slug + "?", Answer: "A."}}
	}
	e, err := svc.Create(operator, content.FAQStructure{}, tr)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func publish(t *testing.T, svc *content.Service, id string, locales ...string) *content.EntryState {
	t.Helper()
	e, err := svc.Publish(operator, id, locales)
	if err != nil {
		t.Fatal(err)
	}
	return e.Entry
}

// pausingStore holds its first transaction after all its work, just
// before the commit, until released, so a test can run another change in
// the middle of it.
type pausingStore struct {
	content.Store
	reached chan struct{}
	release chan struct{}
	once    *sync.Once
}

func (p *pausingStore) InTx(ctx context.Context, fn func(content.Store) error) error {
	return p.Store.InTx(ctx, func(tx content.Store) error {
		if err := fn(tx); err != nil {
			return err
		}
		p.once.Do(func() {
			close(p.reached)
			<-p.release
		})
		return nil
	})
}

// TestDeleteDuringPublishLeavesNothingLive: a delete that starts while a
// first publication is under way must not end with the deleted entry live.
func TestDeleteDuringPublishLeavesNothingLive(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		base := store.NewContent(db.Gorm)
		paused := &pausingStore{Store: base, reached: make(chan struct{}), release: make(chan struct{}), once: new(sync.Once)}
		locales, _ := locale.NewSet([]string{"nl", "en"})
		svc := content.NewService(paused, locales)
		plain := content.NewService(base, locales)
		e := newFAQ(t, plain, map[string]string{"nl": "racen"})

		var wg sync.WaitGroup
		var publishErr, deleteErr error
		wg.Add(1)
		go func() { defer wg.Done(); _, publishErr = svc.Publish(operator, e.ID, []string{"nl"}) }()
		<-paused.reached
		wg.Add(1)
		go func() { defer wg.Done(); deleteErr = plain.Delete(operator, e.ID, e.Version) }()
		time.Sleep(100 * time.Millisecond) // let the delete reach the database; the outcome must not depend on it
		close(paused.release)
		wg.Wait()
		if publishErr != nil || deleteErr != nil {
			t.Logf("publish: %v; delete: %v", publishErr, deleteErr)
		}
		if _, err := plain.Entry(operator, e.ID); err == nil {
			if deleteErr == nil {
				t.Fatal("delete reported success but the entry is still there")
			}
			return // the delete lost cleanly
		}
		if n, _ := plain.Count(context.Background(), content.TypeFAQ, "nl"); n != 0 {
			t.Fatalf("the deleted entry is live: %d FAQs listed", n)
		}
		if _, err := plain.RoleBySlug(context.Background(), "racen", "nl"); !apperr.Is(err, apperr.NotFound) {
			t.Fatal("the deleted entry's slug still resolves")
		}
	})
}

func TestOperatorMayEditEverything(t *testing.T) {
	svc := newService(t, dbtest.SQLite(t))
	e := newFAQ(t, svc, map[string]string{"nl": "vraag"})
	_, err := svc.Update(operator, e.ID, content.Update{ExpectedVersion: e.Version, Translations: map[string]content.TranslationInput{
		"en": {Slug: "question", Fields: content.FAQFields{Question: "Q?", Answer: "A."}},
	}})
	if err != nil {
		t.Fatalf("the operator could not update: %v", err)
	}
}

func TestBadInputIsBadUserInputNotInternal(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		svc := newService(t, db)
		faq := newFAQ(t, svc, map[string]string{"nl": "vraag"})
		cases := map[string]func() error{
			"NUL in a text": func() error {
				_, err := svc.Create(operator, content.FAQStructure{}, map[string]content.TranslationInput{
					"nl": {Slug: "nul", Fields: content.FAQFields{Question: "a\x00b", Answer: "A."}}})
				return err
			},
			"the same locale twice": func() error {
				_, err := svc.Create(operator, content.FAQStructure{}, map[string]content.TranslationInput{
					"nl": {Slug: "een", Fields: content.FAQFields{Question: "Q?", Answer: "A."}},
					"NL": {Slug: "twee", Fields: content.FAQFields{Question: "Q?", Answer: "A."}}})
				return err
			},
			"an update through the wrong type": func() error {
				_, err := svc.Update(operator, faq.ID, content.Update{Type: content.TypeRole, ExpectedVersion: faq.Version,
					Translations: map[string]content.TranslationInput{"nl": {Slug: "vraag", Fields: content.RoleFields{Title: "T", Summary: "S"}}}})
				return err
			},
			"fields of another type": func() error {
				_, err := svc.Update(operator, faq.ID, content.Update{ExpectedVersion: faq.Version,
					Translations: map[string]content.TranslationInput{"nl": {Slug: "vraag", Fields: content.RoleFields{Title: "T"}}}})
				return err
			},
			"a structure of another type": func() error {
				_, err := svc.Update(operator, faq.ID, content.Update{ExpectedVersion: faq.Version, Structure: content.RoleStructure{}})
				return err
			},
			"a script link in a call to action": func() error {
				block := content.BlockStructure{ID: "cta", Type: content.BlockCallToAction}
				_, err := svc.Create(operator, content.ArticleStructure{Blocks: []content.BlockStructure{block}},
					map[string]content.TranslationInput{"nl": {Slug: "artikel", Fields: content.ArticleFields{Title: "T", Lead: "L",
						Blocks: map[string]content.BlockFields{"cta": {Label: "Klik", URL: "javascript:alert(1)"}}}}})
				return err
			},
		}
		for name, run := range cases {
			if err := run(); !apperr.Is(err, apperr.BadUserInput) {
				t.Errorf("%s: %v, want BAD_USER_INPUT", name, err)
			}
		}
		for name, run := range map[string]func() error{
			"NUL in a slug lookup": func() error { _, err := svc.ArticleBySlug(context.Background(), "a\x00b", "nl"); return err },
			"NUL in an id":         func() error { _, err := svc.Entry(operator, "x\x00y"); return err },
			"NUL in a revision id": func() error { _, err := svc.RestoreRevision(operator, "x\x00y", 1); return err },
		} {
			if err := run(); !apperr.Is(err, apperr.NotFound) {
				t.Errorf("%s: %v, want NOT_FOUND", name, err)
			}
		}
	})
}

func TestFormerSlugsAcrossLocalesAndRepublishing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		svc := newService(t, db)
		ctx := context.Background()
		a := newFAQ(t, svc, map[string]string{"nl": "assistent"})
		publish(t, svc, a.ID, "nl")
		a, err := svc.Update(operator, a.ID, content.Update{ExpectedVersion: a.Version, Translations: map[string]content.TranslationInput{
			"nl": {Slug: "secretaresse", Fields: content.FAQFields{Question: "Q?", Answer: "A."}}}})
		if err != nil {
			t.Fatal(err)
		}
		publish(t, svc, a.ID, "nl")
		// Another entry now uses the old Dutch slug in English.
		b := newFAQ(t, svc, map[string]string{"en": "assistent"})
		publish(t, svc, b.ID, "en")

		// A Dutch reader following the old Dutch link reaches A, though B
		// is live under it in English.
		if id, current := faqBySlug(t, db, "assistent", []string{"nl", "en"}); id != a.ID || current {
			t.Errorf("old Dutch slug for a Dutch reader: %s (current %v), want a redirect to %s", id, current, a.ID)
		}
		if _, err := svc.ArticleBySlug(ctx, "assistent", "nl"); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("an FAQ slug found an article: %v", err)
		}

		// Unpublish and republish under a new slug: the old one still leads there.
		if _, err := svc.Unpublish(operator, a.ID, []string{"nl"}); err != nil {
			t.Fatal(err)
		}
		a, _ = svc.Entry(operator, a.ID)
		if a.LiveIn("nl") != nil {
			t.Fatalf("unpublish answered success, but the Dutch FAQ is still live: %+v", a.Live)
		}
		a, err = svc.Update(operator, a.ID, content.Update{ExpectedVersion: a.Version, Translations: map[string]content.TranslationInput{
			"nl": {Slug: "managementassistent", Fields: content.FAQFields{Question: "Q?", Answer: "A."}}}})
		if err != nil {
			t.Fatal(err)
		}
		publish(t, svc, a.ID, "nl")
		for _, old := range []string{"secretaresse", "assistent"} {
			id, current := faqBySlug(t, db, old, []string{"nl", "en"})
			if id != a.ID || current {
				t.Errorf("former slug %q leads to %s (current %v), want %s as a redirect", old, id, current, a.ID)
			}
		}
		if id, _ := faqBySlug(t, db, "assistent", []string{"en", "nl"}); id != b.ID {
			t.Errorf("for an English reader the live English slug wins, got %s", id)
		}
	})
}

func faqBySlug(t *testing.T, db *database.DB, slug string, chain []string) (string, bool) {
	t.Helper()
	id, current, err := store.NewContent(db.Gorm).FindBySlug(context.Background(), content.Live, content.TypeFAQ, slug, chain)
	if err != nil {
		t.Fatalf("slug %q: %v", slug, err)
	}
	return id, current
}

func TestDeletingEverythingDoesNotBringTheSampleBack(t *testing.T) {
	svc := newService(t, dbtest.SQLite(t))
	e := newFAQ(t, svc, map[string]string{"nl": "weg"})
	if err := svc.Delete(operator, e.ID, e.Version); err != nil {
		t.Fatal(err)
	}
	if empty, err := svc.IsEmpty(context.Background()); err != nil || empty {
		t.Fatalf("after deleting the only entry IsEmpty = %v, %v; the seed would load again", empty, err)
	}
}

func TestRestoreChecksReferencesAndKeepsOutdatedFlags(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		svc := newService(t, db)
		faq := newFAQ(t, svc, map[string]string{"nl": "vraag", "en": "question"})
		role, err := svc.Create(operator, content.RoleStructure{FAQIDs: []string{faq.ID}}, map[string]content.TranslationInput{
			"nl": {Slug: "kok", Fields: content.RoleFields{Title: "Kok", Summary: "Kookt."}},
			"en": {Slug: "cook", Fields: content.RoleFields{Title: "Cook", Summary: "Cooks."}},
		})
		if err != nil {
			t.Fatal(err)
		}
		history, err := revisionsOf(svc, operator, role.ID, "en")
		if err != nil || len(history) == 0 {
			t.Fatal(err)
		}
		firstEN := history[len(history)-1]

		// The Dutch title changes later: English is outdated.
		time.Sleep(2 * time.Millisecond) // a later change time; not an assertion on speed
		role, err = svc.Update(operator, role.ID, content.Update{ExpectedVersion: role.Version, Structure: content.RoleStructure{},
			Translations: map[string]content.TranslationInput{"nl": {Slug: "kok", Fields: content.RoleFields{Title: "Chef-kok", Summary: "Kookt.", Tools: []string{"Mes"}}}}})
		if err != nil {
			t.Fatal(err)
		}
		en := statusOf(t, svc, role, "en")
		if strings.Join(en.OutdatedFields, ",") != "title" || strings.Join(en.UntranslatedFields, ",") != "tools" {
			t.Fatalf("English after the Dutch change: outdated %v, untranslated %v", en.OutdatedFields, en.UntranslatedFields)
		}
		// Restoring the first English revision must not hide that.
		if role, err = svc.RestoreRevision(operator, firstEN.ID, role.Version); err != nil {
			t.Fatal(err)
		}
		if en := statusOf(t, svc, role, "en"); strings.Join(en.OutdatedFields, ",") != "title" {
			t.Fatalf("restoring older English text cleared the outdated flag: %v", en.OutdatedFields)
		}
		// The first revision names the FAQ: once it is deleted, restoring
		// that revision must be refused like any change naming it.
		if err := svc.Delete(operator, faq.ID, faq.Version); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.RestoreRevision(operator, firstEN.ID, role.Version); !apperr.Is(err, apperr.BadUserInput) {
			t.Fatalf("restoring a revision that names a deleted FAQ: %v, want BAD_USER_INPUT", err)
		}
	})
}

func statusOf(t *testing.T, svc *content.Service, e *content.EntryState, loc string) content.LocaleStatus {
	t.Helper()
	statuses, err := svc.Status(e)
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range statuses {
		if st.Locale == loc {
			return st
		}
	}
	t.Fatalf("no status for %s", loc)
	return content.LocaleStatus{}
}

func TestPatchChangesOneFieldOnly(t *testing.T) {
	svc := newService(t, dbtest.SQLite(t))
	e := newFAQ(t, svc, map[string]string{"nl": "vraag"})
	e, err := svc.Update(operator, e.ID, content.Update{ExpectedVersion: e.Version, Translations: map[string]content.TranslationInput{
		"nl": {Patch: json.RawMessage(`{"question":"Een betere vraag?"}`)}}})
	if err != nil {
		t.Fatal(err)
	}
	var f content.FAQFields
	_ = json.Unmarshal(e.Translation("nl").Fields, &f)
	if f.Question != "Een betere vraag?" || f.Answer != "A." || e.Translation("nl").Slug != "vraag" {
		t.Fatalf("after the patch: %+v slug %s", f, e.Translation("nl").Slug)
	}
}
