package httpserver_test

import (
	"context"
	"encoding/json"
	"reflect"
	"regexp"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm/logger"

	"github.com/werkwijzer/werkwijzer/internal/account"
	"github.com/werkwijzer/werkwijzer/internal/content"
	"github.com/werkwijzer/werkwijzer/internal/database"
	"github.com/werkwijzer/werkwijzer/internal/dbtest"
	"github.com/werkwijzer/werkwijzer/internal/httpserver"
	"github.com/werkwijzer/werkwijzer/internal/loadtest"
	"github.com/werkwijzer/werkwijzer/internal/store"
	"github.com/werkwijzer/werkwijzer/internal/vacancy"
)

// statementLog records the SQL a database runs, to tell content
// statements from vacancy ones.
type statementLog struct {
	logger.Interface
	mu  sync.Mutex
	sql []string
}

func logStatements(db *database.DB) *statementLog {
	l := &statementLog{Interface: db.Gorm.Config.Logger}
	db.Gorm.Config.Logger = l
	return l
}

func (l *statementLog) Trace(ctx context.Context, begin time.Time, fc func() (string, int64), err error) {
	sql, _ := fc()
	l.mu.Lock()
	l.sql = append(l.sql, sql)
	l.mu.Unlock()
	l.Interface.Trace(ctx, begin, fc, err)
}

// take returns the statements since the last take and forgets them.
func (l *statementLog) take() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := l.sql
	l.sql = nil
	return out
}

// contentTables are the tables published entries are read from.
var contentTables = regexp.MustCompile(`\b(publications|revisions|slug_history|translations|entries)\b`)

// rolePageTwice reads the benchmark role page twice, fails unless both
// answers are the same, and returns the statements each read ran.
func rolePageTwice(t *testing.T, a *api, log *statementLog) (first, second []string) {
	t.Helper()
	vars := map[string]any{"slug": benchRole, "locale": "nl"}
	answer := a.post(loadtest.RolePageQuery, vars)
	if len(answer.Errors) > 0 {
		t.Fatalf("first read: %s", answer.raw)
	}
	first = log.take()
	again := a.post(loadtest.RolePageQuery, vars)
	if string(again.raw) != string(answer.raw) {
		t.Fatalf("the cached page differs:\n%s\n%s", answer.raw, again.raw)
	}
	return first, log.take()
}

// statementsOn returns the statements of sql that name one of tables.
func statementsOn(tables *regexp.Regexp, sql []string) []string {
	var out []string
	for _, s := range sql {
		if tables.MatchString(s) {
			out = append(out, s)
		}
	}
	return out
}

// withEntityCache gives the server an entity cache (and no answer cache)
// that the content service's changes invalidate, as internal/app wires it.
func withEntityCache(c *httpserver.Config) { useEntityCache(c.Content) }

func useEntityCache(svc *content.Service) {
	cache := content.NewEntityCache(8 << 20)
	svc.UseEntityCache(cache)
	svc.OnChange(func(_ context.Context, tags []string) { cache.Invalidate(tags...) })
}

const roleTitleQuery = `query R($slug: String!, $preview: Boolean) { role(slug: $slug, locale: "nl", preview: $preview) { id title slug slugIsCurrent } }`

type roleTitle struct {
	ID, Title, Slug string
	SlugIsCurrent   bool
}

func readRole(t *testing.T, a *api, slug string, header ...string) roleTitle {
	t.Helper()
	var v struct{ Role *roleTitle }
	vars := map[string]any{"slug": slug, "preview": len(header) > 0}
	a.post(roleTitleQuery, vars, header...).ok(t, &v)
	if v.Role == nil {
		t.Fatalf("role %q: null", slug)
	}
	return *v.Role
}

// TestEntityCacheServesPublishedRolePageWithoutContentStatements: the
// second read of a role page reads no entry from the database, only its
// vacancies; the answer is the same as the first.
func TestEntityCacheServesPublishedRolePageWithoutContentStatements(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		va := newVacancyAPI(t, db)
		useEntityCache(va.content)
		fillRolePage(t, va, benchRole, 10)
		firstSQL, sql := rolePageTwice(t, va.api, logStatements(db))
		if n := len(statementsOn(contentTables, firstSQL)); n == 0 {
			t.Fatal("the first read ran no content statement: the test does not see the store")
		}
		if c := statementsOn(contentTables, sql); len(c) > 0 {
			t.Fatalf("the second read ran %d content statements: %q", len(c), c)
		}
		if len(sql) == 0 {
			t.Fatal("the second read ran no statement at all: the vacancies must still come from the database")
		}
		t.Logf("the first read ran %d statements, the second %d", len(firstSQL), len(sql))
	})
}

// TestEntityCacheServesRepeatedArticlePageWithoutStatements: the article
// page shows only entries (no vacancy list), so its repeat runs none.
func TestEntityCacheServesRepeatedArticlePageWithoutStatements(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		a := newAPIWith(t, db, withEntityCache)
		vars := map[string]any{"slug": nlArticleSlug, "locale": "en"}
		first := a.post(loadtest.ArticlePageQuery, vars)
		if len(first.Errors) > 0 {
			t.Fatalf("first read: %s", first.raw)
		}
		log := logStatements(db)
		second := a.post(loadtest.ArticlePageQuery, vars)
		if string(second.raw) != string(first.raw) {
			t.Fatalf("the cached page differs:\n%s\n%s", first.raw, second.raw)
		}
		if sql := log.take(); len(sql) > 0 {
			t.Fatalf("the repeat ran %d statements: %q", len(sql), sql)
		}
	})
}

// TestEntityCacheIsInvalidatedByPublishSlugChangeAndUnpublish: each change
// through the service is served on the next read.
func TestEntityCacheIsInvalidatedByPublishSlugChangeAndUnpublish(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		a := newAPIWith(t, db, withEntityCache)
		before := readRole(t, a, benchRole)
		if again := readRole(t, a, benchRole); again != before {
			t.Fatalf("repeat differs: %+v, %+v", before, again)
		}
		ctx := account.WithOperator(context.Background())
		update := func(in content.TranslationInput) {
			t.Helper()
			e, err := a.content.Entry(ctx, before.ID)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := a.content.Update(ctx, before.ID, content.Update{ExpectedVersion: e.Version,
				Translations: map[string]content.TranslationInput{"nl": in}}); err != nil {
				t.Fatal(err)
			}
			if _, err := a.content.Publish(ctx, before.ID, []string{"nl"}); err != nil {
				t.Fatal(err)
			}
		}

		update(content.TranslationInput{Patch: json.RawMessage(`{"title":"Nieuw gepubliceerd"}`)})
		if got := readRole(t, a, benchRole); got.Title != "Nieuw gepubliceerd" {
			t.Fatalf("after publishing a new title the role reads %+v", got)
		}

		update(content.TranslationInput{Slug: "office-manager-vernieuwd", Patch: json.RawMessage(`{}`)})
		if got := readRole(t, a, "office-manager-vernieuwd"); !got.SlugIsCurrent || got.ID != before.ID {
			t.Fatalf("the new slug reads %+v", got)
		}
		if got := readRole(t, a, benchRole); got.SlugIsCurrent || got.Slug != "office-manager-vernieuwd" {
			t.Fatalf("the former slug reads %+v, want a redirect to the new one", got)
		}

		if _, err := a.content.Unpublish(ctx, before.ID, []string{"nl", "en"}); err != nil {
			t.Fatal(err)
		}
		for _, slug := range []string{benchRole, "office-manager-vernieuwd"} {
			var v struct{ Role *roleTitle }
			if a.post(roleTitleQuery, map[string]any{"slug": slug}).ok(t, &v); v.Role != nil {
				t.Fatalf("%s after unpublishing reads %+v, want null", slug, *v.Role)
			}
		}
	})
}

// TestEntityCacheIsBypassedByPreview: an editor's preview reads the draft
// from the database even when the live entry is cached, and the draft never
// reaches the public.
func TestEntityCacheIsBypassedByPreview(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		a := newAPIWith(t, db, withEntityCache)
		live := readRole(t, a, benchRole)
		auth := a.signIn(t, "editor@example.com", account.RoleEditor)
		ctx := account.WithOperator(context.Background())
		e, err := a.content.Entry(ctx, live.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.content.Update(ctx, live.ID, content.Update{ExpectedVersion: e.Version, Translations: map[string]content.TranslationInput{
			"nl": {Patch: json.RawMessage(`{"title":"Nog niet gepubliceerd"}`)},
		}}); err != nil {
			t.Fatal(err)
		}
		log := logStatements(db)
		if got := readRole(t, a, benchRole, auth...); got.Title != "Nog niet gepubliceerd" {
			t.Fatalf("the preview reads %+v, want the draft", got)
		}
		if len(statementsOn(contentTables, log.take())) == 0 {
			t.Fatal("the preview was served without reading the drafts")
		}
		if got := readRole(t, a, benchRole); got != live {
			t.Fatalf("after a preview the public reads %+v, want %+v", got, live)
		}
	})
}

// TestTwoReplicasShareEntityCacheInvalidations: with no answer cache, a
// publication through one server is served by the other, which had the
// entry in its entity cache, within a second.
func TestTwoReplicasShareEntityCacheInvalidations(t *testing.T) {
	db := dbtest.Postgres(t)
	a := replicateCaches(t, db, func(c func(*httpserver.Config)) *api { return newAPIWith(t, db, c) }, nil, content.NewEntityCache(8<<20))
	b := replicateCaches(t, db, func(c func(*httpserver.Config)) *api { return unseededAPI(t, db, c) }, nil, content.NewEntityCache(8<<20))
	waitListening(t, a, b)

	before := readRole(t, b.api, benchRole)
	log := logStatements(db)
	if again := readRole(t, b.api, benchRole); again != before {
		t.Fatal("b's repeat differs")
	}
	if c := statementsOn(contentTables, log.take()); len(c) > 0 {
		t.Fatalf("b's repeat read the database: %q", c)
	}
	ctx := account.WithOperator(context.Background())
	e, err := a.content.Entry(ctx, before.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.content.Update(ctx, before.ID, content.Update{ExpectedVersion: e.Version, Translations: map[string]content.TranslationInput{
		"nl": {Patch: json.RawMessage(`{"title":"Gepubliceerd via replica a"}`)},
	}}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.content.Publish(ctx, before.ID, []string{"nl"}); err != nil {
		t.Fatal(err)
	}
	published := time.Now()
	for readRole(t, b.api, benchRole).Title != "Gepubliceerd via replica a" {
		if time.Since(published) > time.Second {
			t.Fatal("replica b still serves the old title a second after the publication on a")
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Logf("replica b served the publication after %s", time.Since(published))
}

// TestOpenVacanciesOfRolesReadEveryColumn guards the hand-written scans of
// the role page's vacancy statements (the count too): each vacancy it returns equals the
// same vacancy loaded by id through GORM, field for field.
func TestOpenVacanciesOfRolesReadEveryColumn(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		va := newVacancyAPI(t, db)
		fillRolePage(t, va, benchRole, 3)
		ctx := account.WithOperator(context.Background())
		src, _, err := va.vacancies.CreateSource(ctx, vacancy.NewSource{Name: "every-column", AllowedHosts: []string{"example.com"}})
		if err != nil {
			t.Fatal(err)
		}
		hours, salary := 32.0, 4200.0
		now := va.vacancies.Now()
		rep, err := va.vacancies.SyncSource(ctx, src.ID, vacancy.SyncRequest{Mode: vacancy.ModeSnapshot, Items: []vacancy.Item{{
			ExternalID: "ALL-1", Language: "nl", Title: "Office manager met alles", Description: "<p>Alles ingevuld.</p>",
			URL: "https://example.com/v/all-1", ApplyURL: "https://example.com/v/all-1/solliciteer", RoleSlug: benchRole,
			Organization:    vacancy.Organization{Name: "Voorbeeld BV", URL: "https://example.com/", LogoURL: "https://example.com/logo.png"},
			EmploymentTypes: []string{"fulltime", "deeltijd"}, WorkplaceType: "hybride",
			Locations:    []vacancy.Location{{Locality: "Utrecht", Country: "NL"}, {Locality: "Gent", Country: "BE"}},
			HoursPerWeek: &vacancy.HoursInput{Min: &hours, Max: &hours},
			Salary:       &vacancy.SalaryInput{Min: &salary, Max: &salary, Currency: "EUR", Unit: "MONTH"},
			DatePosted:   now.Format("2006-01-02"), ValidThrough: now.Add(30 * 24 * time.Hour).Format("2006-01-02"),
			SourceUpdatedAt: now.Format(time.RFC3339),
		}}})
		if err != nil || rep.Rejected > 0 {
			t.Fatalf("sync: %v %+v", err, rep)
		}
		role, err := va.content.RoleBySlug(ctx, benchRole, "nl")
		if err != nil {
			t.Fatal(err)
		}
		vacancies := store.NewVacancies(db.Gorm)
		open, err := vacancies.OpenByRoles(context.Background(), []string{role.EntryID}, 10, now)
		if err != nil {
			t.Fatal(err)
		}
		got := open[role.EntryID]
		if len(got) != 4 {
			t.Fatalf("%d open vacancies, want 4", len(got))
		}
		counts, err := vacancies.CountOpenByRoles(context.Background(), []string{role.EntryID, "no-such-role"}, now)
		if err != nil || counts[role.EntryID].N != 4 || len(counts) != 1 {
			t.Fatalf("counts %v (%v), want 4 for the role only", counts, err)
		}
		var next time.Time
		for _, v := range got {
			if !v.ExpiresAt.IsZero() && (next.IsZero() || v.ExpiresAt.Before(next)) {
				next = v.ExpiresAt
			}
		}
		if next.IsZero() || !counts[role.EntryID].NextExpiry.Equal(next) {
			t.Fatalf("the count's next expiry is %v, want %v (the earliest of its vacancies')", counts[role.EntryID].NextExpiry, next)
		}
		ids := make([]string, len(got))
		for i, v := range got {
			ids[i] = v.ID
		}
		byID, err := vacancies.VacanciesByID(context.Background(), ids)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]*vacancy.Vacancy{}
		for _, v := range byID {
			want[v.ID] = v
		}
		sawSalary := false
		for _, v := range got {
			if !reflect.DeepEqual(v, want[v.ID]) {
				t.Errorf("vacancy %s:\nscanned %+v\nby id   %+v", v.ID, *v, *want[v.ID])
			}
			sawSalary = sawSalary || (v.Salary != nil && v.Hours != nil && v.Organization.LogoURL != "")
		}
		if !sawSalary {
			t.Error("the vacancy with every field lost its salary, hours or logo")
		}
	})
}
