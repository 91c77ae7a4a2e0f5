package content_test

import (
	"context"
	"errors"
	"testing"

	"github.com/werkwijzer/werkwijzer/internal/account"
	"github.com/werkwijzer/werkwijzer/internal/apperr"
	"github.com/werkwijzer/werkwijzer/internal/content"
	"github.com/werkwijzer/werkwijzer/internal/database"
	"github.com/werkwijzer/werkwijzer/internal/dbtest"
	"github.com/werkwijzer/werkwijzer/internal/locale"
	"github.com/werkwijzer/werkwijzer/internal/store"
)

func newService(t *testing.T, db *database.DB) *content.Service {
	t.Helper()
	locales, err := locale.NewSet([]string{"nl", "en"})
	if err != nil {
		t.Fatal(err)
	}
	return content.NewService(store.NewContent(db.Gorm), locales)
}

func TestPublishIsAllLocalesOrNone(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		svc := newService(t, db)
		ctx := account.WithOperator(context.Background())
		e, err := svc.Create(ctx, content.RoleStructure{}, map[string]content.TranslationInput{
			"nl": {Slug: "kok", Fields: content.RoleFields{Title: "Kok", Summary: "Kookt."}},
			"en": {Slug: "cook", Fields: content.RoleFields{Title: "Cook"}}, // no summary
		})
		if err != nil {
			t.Fatal(err)
		}
		id := e.ID
		_, err = svc.Publish(ctx, id, []string{"nl", "en"})
		var coded *apperr.Error
		if !apperr.Is(err, apperr.BadUserInput) || !errors.As(err, &coded) {
			t.Fatalf("publishing an incomplete translation: %v", err)
		}
		if problems, _ := coded.Details["problems"].([]content.PublishProblem); len(problems) != 1 || problems[0].Locale != "en" ||
			len(problems[0].MissingFields) != 1 || problems[0].MissingFields[0] != "summary" {
			t.Fatalf("details %v do not name the incomplete locale and field", coded.Details)
		}
		if _, err := svc.RoleBySlug(ctx, "kok", "nl"); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("Dutch went live although English failed: %v", err)
		}
		if _, err := svc.Publish(ctx, id, []string{"nl"}); err != nil {
			t.Fatal(err)
		}
		role, err := svc.RoleBySlug(ctx, "cook", "en")
		if !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("an unpublished English slug resolved: %v %v", role, err)
		}
		role, err = svc.RoleBySlug(ctx, "kok", "en")
		if err != nil || role.Locale != "nl" || !role.IsFallback() || role.RequestedLocale != "en" {
			t.Fatalf("fallback: %+v %v", role, err)
		}
	})
}

func TestCreateRefusesBadInput(t *testing.T) {
	svc := newService(t, dbtest.SQLite(t))
	ctx := account.WithOperator(context.Background())
	for name, tr := range map[string]map[string]content.TranslationInput{
		"unsupported locale": {"de": {Slug: "koch", Fields: content.FAQFields{}}},
		"bad slug":           {"nl": {Slug: "Niet Goed", Fields: content.FAQFields{}}},
	} {
		if _, err := svc.Create(ctx, content.FAQStructure{}, tr); !apperr.Is(err, apperr.BadUserInput) {
			t.Errorf("%s: %v, want BAD_USER_INPUT", name, err)
		}
	}
	if _, err := svc.Create(ctx, nil, nil); !apperr.Is(err, apperr.BadUserInput) {
		t.Errorf("no structure: %v, want BAD_USER_INPUT", err)
	}
	if _, err := svc.Create(ctx, content.RoleStructure{}, map[string]content.TranslationInput{
		"nl": {Slug: "kok", Fields: content.FAQFields{Question: "Kok?"}},
	}); !apperr.Is(err, apperr.BadUserInput) {
		t.Errorf("FAQ fields for a role: %v, want BAD_USER_INPUT", err)
	}
	if empty, _ := svc.IsEmpty(ctx); !empty {
		t.Error("refused input was stored")
	}
}
