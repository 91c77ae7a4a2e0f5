package seed_test

import (
	"context"
	"testing"

	"github.com/werkwijzer/werkwijzer/internal/content"
	"github.com/werkwijzer/werkwijzer/internal/database"
	"github.com/werkwijzer/werkwijzer/internal/dbtest"
	"github.com/werkwijzer/werkwijzer/internal/locale"
	"github.com/werkwijzer/werkwijzer/internal/seed"
	"github.com/werkwijzer/werkwijzer/internal/store"
)

func TestLoadPublishesTheSampleInEveryLocale(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		locales, _ := locale.NewSet([]string{"nl", "en"})
		svc := content.NewService(store.NewContent(db.Gorm), locales)
		ctx := context.Background()
		f, err := seed.Sample()
		if err != nil {
			t.Fatal(err)
		}
		res, err := seed.Load(ctx, svc, f)
		if err != nil {
			t.Fatal(err)
		}
		if res != (seed.Result{Roles: 2, FAQs: 6, Comparisons: 1, Articles: 1}) {
			t.Fatalf("loaded %+v", res)
		}
		for _, loc := range []string{"nl", "en"} {
			for typ, want := range map[content.Type]int{content.TypeRole: 2, content.TypeFAQ: 6, content.TypeArticle: 1, content.TypeComparison: 1} {
				if n, err := svc.Count(ctx, typ, loc); err != nil || n != want {
					t.Fatalf("%s in %s: %d %v, want %d", typ, loc, n, err, want)
				}
			}
		}
		// A second load collides with the live slugs and changes nothing.
		if _, err := seed.Load(ctx, svc, f); err == nil {
			t.Fatal("loading the sample twice succeeded")
		}
		if n, _ := svc.Count(ctx, content.TypeFAQ, "nl"); n != 6 {
			t.Fatalf("the failed second load left %d FAQs, want 6", n)
		}
	})
}

func TestParseRejectsUnknownKeysAndExtraDocuments(t *testing.T) {
	if _, err := seed.Parse([]byte("roles: []\nrols: []\n")); err == nil {
		t.Error("an unknown key was accepted")
	}
	if _, err := seed.Parse([]byte("roles: []\n---\nroles: []\n")); err == nil {
		t.Error("a second document was accepted")
	}
}
