package content_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/google/uuid"

	"github.com/werkwijzer/werkwijzer/internal/account"
	"github.com/werkwijzer/werkwijzer/internal/apperr"
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
		revisions, err := svc.Revisions(operator, e.ID, "nl")
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
		if revisions, err = svc.Revisions(operator, e.ID, ""); err != nil || len(revisions) != 4 {
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
		revisions, err := svc.Revisions(operator, e.ID, "")
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
