package httpserver_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/werkwijzer/werkwijzer/internal/account"
	"github.com/werkwijzer/werkwijzer/internal/answercache"
	"github.com/werkwijzer/werkwijzer/internal/cachetag"
	"github.com/werkwijzer/werkwijzer/internal/content"
	"github.com/werkwijzer/werkwijzer/internal/database"
	"github.com/werkwijzer/werkwijzer/internal/dbtest"
	"github.com/werkwijzer/werkwijzer/internal/httpserver"
	"github.com/werkwijzer/werkwijzer/internal/loadtest"
	"github.com/werkwijzer/werkwijzer/internal/store"
	"github.com/werkwijzer/werkwijzer/internal/vacancy"
)

// cachedAPI is the handler chain with an answer cache that content and
// vacancy changes invalidate, as internal/app wires it.
type cachedAPI struct {
	*api
	cache     *answercache.Cache
	vacancies *vacancy.Service
	counter   *dbtest.StatementCounter
}

func newCachedAPI(t *testing.T, db *database.DB) *cachedAPI {
	t.Helper()
	c := &cachedAPI{cache: answercache.New(8 << 20)}
	c.vacancies = vacancy.NewService(store.NewVacancies(db.Gorm), vacancy.Config{
		Changed: func(context.Context) { c.cache.Invalidate(cachetag.Vacancies) },
	})
	c.api = newAPIWith(t, db, func(cfg *httpserver.Config) {
		cfg.AnswerCache = c.cache
		cfg.Vacancies = c.vacancies
		cfg.Content.OnChange(func(_ context.Context, tags []string) { c.cache.Invalidate(tags...) })
	})
	c.counter = dbtest.CountStatements(db)
	return c
}

const titleQuery = `query T($slug: String!, $locale: String) { article(slug: $slug, locale: $locale) { id title } }`

func articleTitle(t *testing.T, r gqlResponse) (id, title string) {
	t.Helper()
	var v struct{ Article struct{ ID, Title string } }
	r.ok(t, &v)
	return v.Article.ID, v.Article.Title
}

// TestAnswerCacheServesRepeatsAndPublishInvalidates: a repeated query is
// answered without a statement, and publishing the entry it shows makes
// the next answer fresh.
func TestAnswerCacheServesRepeatsAndPublishInvalidates(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		a := newCachedAPI(t, db)
		vars := map[string]any{"slug": enArticleSlug, "locale": "en"}
		id, before := articleTitle(t, a.get(titleQuery, vars))
		for _, repeat := range []func() gqlResponse{
			func() gqlResponse { return a.get(titleQuery, vars) },
			func() gqlResponse { return a.post(titleQuery, vars) },
		} {
			a.counter.Reset()
			if _, title := articleTitle(t, repeat()); title != before {
				t.Fatalf("cached title %q, want %q", title, before)
			}
			if n := a.counter.Count(); n != 0 {
				t.Fatalf("a cached answer ran %d statements", n)
			}
		}

		ctx := account.WithOperator(context.Background())
		e, err := a.content.Entry(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.content.Update(ctx, id, content.Update{ExpectedVersion: e.Version, Translations: map[string]content.TranslationInput{
			"en": {Patch: json.RawMessage(`{"title":"A new title"}`)},
		}}); err != nil {
			t.Fatal(err)
		}
		if _, title := articleTitle(t, a.get(titleQuery, vars)); title != before {
			t.Fatalf("a draft change reached the public answer: %q", title)
		}
		if _, err := a.content.Publish(ctx, id, []string{"en"}); err != nil {
			t.Fatal(err)
		}
		if _, title := articleTitle(t, a.get(titleQuery, vars)); title != "A new title" {
			t.Fatalf("after publishing: %q, want the new title", title)
		}
		if _, err := a.content.Unpublish(ctx, id, []string{"en"}); err != nil {
			t.Fatal(err)
		}
		if _, title := articleTitle(t, a.get(titleQuery, vars)); title == "A new title" {
			t.Fatal("after unpublishing English the English title is still served")
		}
	})
}

// TestNotModifiedFromTheCacheTouchesNoDatabase: a GET with the current
// ETag gets 304 without a statement.
func TestNotModifiedFromTheCacheTouchesNoDatabase(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		a := newCachedAPI(t, db)
		vars := map[string]any{"slug": nlArticleSlug, "locale": "nl"}
		first := a.get(loadtest.ArticlePageQuery, vars)
		etag := first.headers.Get("ETag")
		if len(first.Errors) > 0 || etag == "" {
			t.Fatalf("first answer: %s %v", first.raw, first.headers)
		}
		a.counter.Reset()
		if res := a.get(loadtest.ArticlePageQuery, vars, "If-None-Match", etag); res.status != 304 {
			t.Fatalf("status %d, want 304", res.status)
		}
		if n := a.counter.Count(); n != 0 {
			t.Fatalf("a 304 ran %d statements", n)
		}
	})
}

// TestAnswersCarryTheirLength: answers from the cache and answers just
// computed say their length, so they are not sent chunked.
func TestAnswersCarryTheirLength(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		a := newCachedAPI(t, db)
		vars := map[string]any{"slug": nlArticleSlug, "locale": "nl"}
		for i, res := range []gqlResponse{
			a.get(loadtest.ArticlePageQuery, vars), a.get(loadtest.ArticlePageQuery, vars),
			a.post(loadtest.ArticlePageQuery, vars), a.post(titleQuery, vars),
		} {
			if got, want := res.headers.Get("Content-Length"), fmt.Sprint(len(res.raw)); got != want {
				t.Fatalf("answer %d: Content-Length %q, want %s", i, got, want)
			}
		}
	})
}

// TestCacheHeadersNameTagsAndVaryOnlyOnTheHeaderLocale: the answer names
// the entries it shows; Vary names Accept-Language only when the locale
// came from that header, on one line; and two languages get two answers.
func TestCacheHeadersNameTagsAndVaryOnlyOnTheHeaderLocale(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		a := newCachedAPI(t, db)
		explicit := a.get(titleQuery, map[string]any{"slug": nlArticleSlug, "locale": "en"}, "Accept-Language", "nl")
		id, _ := articleTitle(t, explicit)
		for _, h := range []string{"Surrogate-Key", "Cache-Tag"} {
			if v := explicit.headers.Get(h); !strings.Contains(v, cachetag.Entry(id)) || !strings.Contains(v, cachetag.Slug("article", nlArticleSlug)) {
				t.Fatalf("%s %q lacks the article's tags", h, v)
			}
		}
		if vary := explicit.headers.Values("Vary"); len(vary) != 1 || strings.Contains(vary[0], "Accept-Language") {
			t.Fatalf("explicit locale: Vary %q, want one line without Accept-Language", vary)
		}
		byHeader := func(lang string) gqlResponse {
			return a.get(titleQuery, map[string]any{"slug": nlArticleSlug}, "Accept-Language", lang)
		}
		nl, en := byHeader("nl"), byHeader("en")
		for _, r := range []gqlResponse{nl, en} {
			if vary := r.headers.Values("Vary"); len(vary) != 1 || !strings.Contains(vary[0], "Accept-Language") {
				t.Fatalf("locale from the header: Vary %q, want one line with Accept-Language", vary)
			}
		}
		if _, nlTitle := articleTitle(t, nl); func() bool { _, enTitle := articleTitle(t, en); return nlTitle == enTitle }() {
			t.Fatal("Dutch and English readers got the same cached answer")
		}
	})
}

// TestVacancySyncInvalidatesCachedRolePages: a sync that adds a vacancy
// to a role makes its cached page fresh.
func TestVacancySyncInvalidatesCachedRolePages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		a := newCachedAPI(t, db)
		ctx := account.WithOperator(context.Background())
		src, _, err := a.vacancies.CreateSource(ctx, vacancy.NewSource{Name: "cache-test", AllowedHosts: []string{"example.com"}})
		if err != nil {
			t.Fatal(err)
		}
		sync := func(n int) {
			items := make([]vacancy.Item, n)
			for i := range items {
				items[i] = vacancy.Item{ExternalID: fmt.Sprint("C-", i), Language: "nl", Title: "Office manager",
					Description: "Een vacature.", URL: fmt.Sprintf("https://example.com/v/%d", i), RoleSlug: "office-manager",
					Organization: vacancy.Organization{Name: "Voorbeeld"}, DatePosted: a.vacancies.Now().Format("2006-01-02")}
			}
			if rep, err := a.vacancies.SyncSource(ctx, src.ID, vacancy.SyncRequest{Mode: vacancy.ModeSnapshot, Items: items}); err != nil || rep.Rejected > 0 {
				t.Fatalf("sync: %v %+v", err, rep)
			}
		}
		count := func() int {
			var v struct {
				Role struct{ Vacancies struct{ TotalCount int } }
			}
			a.get(`{ role(slug: "office-manager", locale: "nl") { vacancies { totalCount } } }`, nil).ok(t, &v)
			return v.Role.Vacancies.TotalCount
		}
		sync(1)
		before := count()
		a.counter.Reset()
		if count() != before || a.counter.Count() != 0 {
			t.Fatalf("the repeat was not served from the cache (%d statements)", a.counter.Count())
		}
		sync(2)
		if after := count(); after != before+1 {
			t.Fatalf("after a sync adding one vacancy: %d, want %d", after, before+1)
		}
	})
}
