package content_test

import (
	"context"
	"testing"

	"github.com/google/uuid"

	"github.com/werkwijzer/werkwijzer/internal/account"
	"github.com/werkwijzer/werkwijzer/internal/apperr"
	"github.com/werkwijzer/werkwijzer/internal/content"
	"github.com/werkwijzer/werkwijzer/internal/database"
	"github.com/werkwijzer/werkwijzer/internal/dbtest"
)

// With the entity cache on, live reads are answered from it, and previews
// never are, nor do they leave drafts in it for live reads to find.
func TestEntityCacheServesLiveReadsAndNeverPreviews(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		svc := newService(t, db)
		svc.UseEntityCache(content.NewEntityCache(1 << 20))
		ctx := account.WithOperator(context.Background())
		e, err := svc.Create(ctx, content.RoleStructure{}, map[string]content.TranslationInput{
			"nl": {Slug: "kok", Fields: content.RoleFields{Title: "Kok", Summary: "Kookt."}},
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Publish(ctx, e.ID, []string{"nl"}); err != nil {
			t.Fatal(err)
		}
		if r, err := svc.RoleBySlug(ctx, "kok", "nl"); err != nil || r.Fields.Title != "Kok" {
			t.Fatalf("live read: %+v %v", r, err)
		}
		statements := dbtest.CountStatements(db)
		if r, err := svc.RoleBySlug(ctx, "kok", "nl"); err != nil || r.Fields.Title != "Kok" {
			t.Fatalf("repeated live read: %+v %v", r, err)
		}
		if n := statements.Count(); n != 0 {
			t.Fatalf("a repeated live read ran %d statements; want it served from the entity cache", n)
		}

		checkPreviewBypassesTheCache(t, svc, e.ID)
	})
}

// checkPreviewBypassesTheCache saves a draft under a new slug and title:
// a preview serves it, and live reads still serve what is live.
func checkPreviewBypassesTheCache(t *testing.T, svc *content.Service, id string) {
	t.Helper()
	ctx := account.WithOperator(context.Background())
	state, err := svc.Entry(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Update(ctx, id, content.Update{ExpectedVersion: state.Version, Translations: map[string]content.TranslationInput{
		"nl": {Slug: "chef", Fields: content.RoleFields{Title: "Chef", Summary: "Kookt."}},
	}}); err != nil {
		t.Fatal(err)
	}
	editor := account.WithPrincipal(context.Background(), account.Principal{UserID: uuid.NewString(), Role: account.RoleEditor})
	preview := svc.With(content.ReadOptions{Preview: true})
	if r, err := preview.RoleBySlug(editor, "chef", "nl"); err != nil || r.Fields.Title != "Chef" || !r.Draft {
		t.Fatalf("preview of the draft: %+v %v; want the draft titled Chef", r, err)
	}
	if r, err := svc.RoleBySlug(ctx, "chef", "nl"); !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("the draft's slug resolved live after a preview: %+v %v", r, err)
	}
	if r, err := svc.RoleBySlug(ctx, "kok", "nl"); err != nil || r.Fields.Title != "Kok" || r.Draft {
		t.Fatalf("live read after a preview: %+v %v; want the live Kok", r, err)
	}
}

// An id with nothing live is remembered as such too: asking again costs
// no statement.
func TestEntityCacheRemembersWhatIsNotLive(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		svc := newService(t, db)
		svc.UseEntityCache(content.NewEntityCache(1 << 20))
		ctx := account.WithOperator(context.Background())
		unpublished, err := svc.Create(ctx, content.RoleStructure{}, map[string]content.TranslationInput{
			"nl": {Slug: "ober", Fields: content.RoleFields{Title: "Ober", Summary: "Serveert."}},
		})
		if err != nil {
			t.Fatal(err)
		}
		statements := dbtest.CountStatements(db)
		for i := range 2 {
			statements.Reset()
			if got, err := svc.RolesByID(ctx, []string{unpublished.ID}, "nl"); err != nil || len(got) != 0 {
				t.Fatalf("an unpublished role by id: %v %v", got, err)
			}
			if n := statements.Count(); i == 1 && n != 0 {
				t.Fatalf("asking again for a role with nothing live ran %d statements; want none", n)
			}
		}
	})
}

// A slug read in a locale whose translation has another slug is found but
// not current, so the frontend redirects to the translation's own slug.
func TestSlugIsCurrentOnlyForTheServedTranslationsOwnSlug(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		svc := newService(t, db)
		ctx := account.WithOperator(context.Background())
		e, err := svc.Create(ctx, content.RoleStructure{}, map[string]content.TranslationInput{
			"nl": {Slug: "kok", Fields: content.RoleFields{Title: "Kok", Summary: "Kookt."}},
			"en": {Slug: "cook", Fields: content.RoleFields{Title: "Cook", Summary: "Cooks."}},
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Publish(ctx, e.ID, []string{"nl", "en"}); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			slug, loc, wantSlug string
			current             bool
		}{
			{"kok", "nl", "kok", true},
			{"cook", "en", "cook", true},
			{"kok", "en", "cook", false},
			{"cook", "nl", "kok", false},
		} {
			r, err := svc.RoleBySlug(ctx, c.slug, c.loc)
			if err != nil || r.Slug != c.wantSlug || r.SlugIsCurrent != c.current {
				t.Errorf("RoleBySlug(%q, %q) = slug %q current %v, %v; want %q current %v", c.slug, c.loc, r.Slug, r.SlugIsCurrent, err, c.wantSlug, c.current)
			}
		}
	})
}

// Count counts what a reader of the locale sees, and refuses what a read
// refuses: an unknown locale, a preview without a signed-in editor.
func TestCountSeesWhatReadsSeeAndRefusesWhatTheyRefuse(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		svc := newService(t, db)
		ctx := account.WithOperator(context.Background())
		for _, slug := range []string{"kok", "ober"} {
			e, err := svc.Create(ctx, content.RoleStructure{}, map[string]content.TranslationInput{
				"nl": {Slug: slug, Fields: content.RoleFields{Title: slug, Summary: "Werkt."}},
			})
			if err != nil {
				t.Fatal(err)
			}
			if slug == "kok" {
				if _, err := svc.Publish(ctx, e.ID, []string{"nl"}); err != nil {
					t.Fatal(err)
				}
			}
		}
		if n, err := svc.Count(ctx, content.TypeRole, "nl"); err != nil || n != 1 {
			t.Fatalf("Count of live roles = %d, %v; want 1", n, err)
		}
		editor := account.WithPrincipal(context.Background(), account.Principal{UserID: uuid.NewString(), Role: account.RoleEditor})
		if n, err := svc.With(content.ReadOptions{Preview: true}).Count(editor, content.TypeRole, "nl"); err != nil || n != 2 {
			t.Fatalf("Count of previewed roles = %d, %v; want 2", n, err)
		}
		if _, err := svc.Count(ctx, content.TypeRole, "xx"); !apperr.Is(err, apperr.BadUserInput) {
			t.Fatalf("Count in an unknown locale: %v; want BAD_USER_INPUT", err)
		}
		if _, err := svc.With(content.ReadOptions{Preview: true}).Count(context.Background(), content.TypeRole, "nl"); !apperr.Is(err, apperr.Unauthenticated) {
			t.Fatalf("an anonymous preview count: %v; want UNAUTHENTICATED", err)
		}
	})
}
