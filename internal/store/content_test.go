package store_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/werkwijzer/werkwijzer/internal/apperr"
	"github.com/werkwijzer/werkwijzer/internal/content"
	"github.com/werkwijzer/werkwijzer/internal/database"
	"github.com/werkwijzer/werkwijzer/internal/dbtest"
	"github.com/werkwijzer/werkwijzer/internal/store"
)

var t0 = time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)

func newFAQ(t *testing.T, s *store.Content, slugs map[string]string) string {
	t.Helper()
	id, err := content.NewID()
	if err != nil {
		t.Fatal(err)
	}
	e := content.NewEntry{ID: id, Type: content.TypeFAQ, Structure: json.RawMessage(`{}`), At: t0}
	for loc, slug := range slugs {
		e.Translations = append(e.Translations, content.TranslationState{
			Locale: loc, Slug: slug, Fields: json.RawMessage(`{"question":"Q ` + slug + `?","answer":"A."}`),
			CreatedAt: t0, UpdatedAt: t0,
		})
	}
	if err := s.CreateEntry(context.Background(), e); err != nil {
		t.Fatal(err)
	}
	return id
}

// publish freezes the entry's draft in loc and makes it live.
func publish(t *testing.T, s *store.Content, id, loc string, at time.Time) content.Revision {
	t.Helper()
	rev, err := tryPublish(s, id, loc, at)
	if err != nil {
		t.Fatal(err)
	}
	return rev
}

func tryPublish(s *store.Content, id, loc string, at time.Time) (content.Revision, error) {
	ctx := context.Background()
	e, err := s.Entry(ctx, id)
	if err != nil {
		return content.Revision{}, err
	}
	tr := e.Translation(loc)
	rev, err := s.AddRevision(ctx, content.Revision{
		EntryID: id, Locale: loc, Kind: content.RevisionPublished, Slug: tr.Slug,
		Document:  json.RawMessage(`{"structure":` + string(e.Structure) + `,"fields":` + string(tr.Fields) + `}`),
		UpdatedAt: tr.UpdatedAt, CreatedAt: at,
	})
	if err != nil {
		return rev, err
	}
	return rev, s.Publish(ctx, e.Type, rev)
}

func TestPublishingNumbersRevisionsAndMovesTheLiveOne(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := store.NewContent(db.Gorm)
		ctx := context.Background()
		id := newFAQ(t, s, map[string]string{"nl": "vraag", "en": "question"})

		if revs, _, err := s.Documents(ctx, content.Live, content.TypeFAQ, []string{id}, []string{"nl", "en"}); err != nil || len(revs) != 0 {
			t.Fatalf("a draft is live before publishing: %v %v", revs, err)
		}
		first := publish(t, s, id, "nl", t0.Add(time.Hour))
		second := publish(t, s, id, "nl", t0.Add(2*time.Hour))
		if first.Number != 1 || second.Number != 2 {
			t.Fatalf("revision numbers %d, %d", first.Number, second.Number)
		}
		revs, alternates, err := s.Documents(ctx, content.Live, content.TypeFAQ, []string{id}, []string{"nl", "en"})
		if err != nil {
			t.Fatal(err)
		}
		if len(revs) != 1 || revs[0].Number != 2 || !revs[0].PublishedAt.Equal(t0.Add(2*time.Hour)) {
			t.Fatalf("live revisions %+v", revs)
		}
		checkLiveFAQRevision(t, revs[0], id)
		if got := alternates[id]; len(got) != 1 || got[0] != (content.Alternate{Locale: "nl", Slug: "vraag"}) {
			t.Fatalf("alternates %+v", got)
		}
		checkLiveDocumentsAfterSecondLocale(t, s, id)
	})
}

// checkLiveFAQRevision checks that every column of the hand-scanned row
// arrives, on both databases.
func checkLiveFAQRevision(t *testing.T, rev content.PublishedRevision, id string) {
	t.Helper()
	var doc struct{ Fields struct{ Question string } }
	if err := json.Unmarshal(rev.Document, &doc); err != nil || doc.Fields.Question != "Q vraag?" ||
		rev.EntryID != id || rev.Type != content.TypeFAQ || rev.Locale != "nl" || rev.Slug != "vraag" ||
		!rev.UpdatedAt.Equal(t0) || rev.UpdatedAt.Location() != time.UTC {
		t.Fatalf("live revision %+v (document %s, %v)", rev, rev.Document, err)
	}
}

// checkLiveDocumentsAfterSecondLocale publishes the en translation of FAQ id
// and checks that Documents returns only the asked locale and type.
func checkLiveDocumentsAfterSecondLocale(t *testing.T, s *store.Content, id string) {
	t.Helper()
	ctx := context.Background()
	publish(t, s, id, "en", t0.Add(3*time.Hour))
	revs, alternates, err := s.Documents(ctx, content.Live, content.TypeFAQ, []string{id}, []string{"en"})
	if err != nil {
		t.Fatal(err)
	}
	if len(revs) != 1 || revs[0].Locale != "en" || len(alternates[id]) != 2 {
		t.Fatalf("only the asked locale's revision and every alternate: %+v %+v", revs, alternates)
	}
	if revs, _, _ := s.Documents(ctx, content.Live, content.TypeRole, []string{id}, []string{"nl"}); len(revs) != 0 {
		t.Fatal("an FAQ was returned as a role")
	}
}

func TestALiveSlugBelongsToOneEntryPerLocale(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := store.NewContent(db.Gorm)
		ctx := context.Background()
		a := newFAQ(t, s, map[string]string{"nl": "zelfde"})
		b := newFAQ(t, s, map[string]string{"nl": "zelfde", "en": "zelfde"})
		publish(t, s, a, "nl", t0)
		err := s.InTx(ctx, func(tx content.Store) error {
			_, err := tryPublish(tx.(*store.Content), b, "nl", t0)
			return err
		})
		if !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("publishing a taken slug: %v, want CONFLICT", err)
		}
		if revs, _, _ := s.Documents(ctx, content.Live, content.TypeFAQ, []string{b}, []string{"nl"}); len(revs) != 0 {
			t.Fatal("the refused publication left a live revision")
		}
		if history, _ := s.History(ctx, b, "nl", content.Page{Limit: 10}); len(history) != 0 {
			t.Fatalf("the refused publication left %d revisions", len(history))
		}
		// The same slug in another locale is another URL: allowed.
		publish(t, s, b, "en", t0)
		got, _, err := s.FindBySlug(ctx, content.Live, content.TypeFAQ, "zelfde", []string{"en", "nl"})
		if err != nil || got != b {
			t.Fatalf("slug lookup preferring en: %q %v, want %s", got, err, b)
		}
		got, _, err = s.FindBySlug(ctx, content.Live, content.TypeFAQ, "zelfde", []string{"nl"})
		if err != nil || got != a {
			t.Fatalf("slug lookup preferring nl: %q %v, want %s", got, err, a)
		}
		if _, _, err := s.FindBySlug(ctx, content.Live, content.TypeFAQ, "onbekend", []string{"nl"}); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("unknown slug: %v, want NOT_FOUND", err)
		}
	})
}

func TestPublishedEntryIDsPagesByKeyset(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := store.NewContent(db.Gorm)
		ctx := context.Background()
		var ids []string
		for i, slug := range []string{"een", "twee", "drie", "vier", "vijf"} {
			id := newFAQ(t, s, map[string]string{"nl": slug, "en": slug + "-en"})
			loc := "nl"
			if i == 4 {
				loc = "en" // live only in English
			}
			publish(t, s, id, loc, t0)
			ids = append(ids, id)
		}
		newFAQ(t, s, map[string]string{"nl": "concept"}) // never published

		var seen []string
		after := ""
		for {
			page, err := s.ListIDs(ctx, content.Live, content.TypeFAQ, []string{"nl", "en"}, content.Page{AfterID: after, Limit: 2})
			if err != nil {
				t.Fatal(err)
			}
			if len(page) == 0 {
				break
			}
			seen = append(seen, page...)
			after = page[len(page)-1]
		}
		if len(seen) != 5 {
			t.Fatalf("paged through %d entries, want 5: %v", len(seen), seen)
		}
		for i := range seen {
			if seen[i] != ids[i] {
				t.Fatalf("order %v, want %v", seen, ids)
			}
		}
		desc, err := s.ListIDs(ctx, content.Live, content.TypeFAQ, []string{"nl"}, content.Page{Limit: 10, Descending: true, AfterID: ids[3]})
		if err != nil {
			t.Fatal(err)
		}
		if len(desc) != 3 || desc[0] != ids[2] || desc[2] != ids[0] {
			t.Fatalf("descending after the 4th: %v", desc)
		}
		n, err := s.CountListed(ctx, content.Live, content.TypeFAQ, []string{"nl"})
		if err != nil || n != 4 {
			t.Fatalf("count in nl: %d %v, want 4", n, err)
		}
		if n, _ := s.CountEntries(ctx, ""); n != 6 {
			t.Fatalf("entries %d, want 6 (drafts count too)", n)
		}
	})
}

func TestInTxRollsBackEverything(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := store.NewContent(db.Gorm)
		ctx := context.Background()
		err := s.InTx(ctx, func(tx content.Store) error {
			id, _ := content.NewID()
			if err := tx.CreateEntry(ctx, content.NewEntry{ID: id, Type: content.TypeFAQ, Structure: json.RawMessage(`{}`), At: t0}); err != nil {
				return err
			}
			return apperr.New(apperr.BadUserInput, "changed my mind")
		})
		if !apperr.Is(err, apperr.BadUserInput) {
			t.Fatalf("InTx returned %v", err)
		}
		if n, _ := s.CountEntries(ctx, ""); n != 0 {
			t.Fatalf("%d entries survived the rollback", n)
		}
	})
}
