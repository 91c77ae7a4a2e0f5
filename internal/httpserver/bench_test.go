package httpserver_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/werkwijzer/werkwijzer/internal/account"
	"github.com/werkwijzer/werkwijzer/internal/content"
	"github.com/werkwijzer/werkwijzer/internal/database"
	"github.com/werkwijzer/werkwijzer/internal/dbtest"
	"github.com/werkwijzer/werkwijzer/internal/loadtest"
	"github.com/werkwijzer/werkwijzer/internal/vacancy"
)

// BenchmarkArticlePage measures the full article page query through the
// whole handler chain, read from the store and with the entity cache:
// go test -bench=ArticlePage -benchmem ./internal/httpserver/
func BenchmarkArticlePage(b *testing.B) {
	for name, open := range map[string]func(testing.TB) *database.DB{"sqlite": dbtest.SQLite, "postgres": dbtest.Postgres} {
		for _, entities := range []bool{false, true} {
			sub := name
			if entities {
				sub += "/entitycache"
			}
			b.Run(sub, func(b *testing.B) {
				a := newAPI(b, open(b))
				if entities {
					useEntityCache(a.content)
				}
				benchPOST(b, a.handler, loadtest.ArticlePageQuery, map[string]any{"slug": nlArticleSlug, "locale": "en"})
			})
		}
	}
}

// BenchmarkRolePage measures the role page of the load command
// (internal/loadtest): the role in Dutch, its 10 FAQs and its 10 newest
// vacancies, with no answer cache, through the whole handler chain; read
// from the store, and with the entity cache the server has by default.
func BenchmarkRolePage(b *testing.B) {
	for name, open := range map[string]func(testing.TB) *database.DB{"sqlite": dbtest.SQLite, "postgres": dbtest.Postgres} {
		for _, entities := range []bool{false, true} {
			sub := name
			if entities {
				sub += "/entitycache"
			}
			b.Run(sub, func(b *testing.B) {
				va := newVacancyAPI(b, open(b))
				fillRolePage(b, va, benchRole, 10)
				if entities {
					useEntityCache(va.content)
				}
				benchPOST(b, va.handler, loadtest.RolePageQuery, map[string]any{"slug": benchRole, "locale": "nl"})
			})
		}
	}
}

func benchPOST(b *testing.B, h http.Handler, query string, vars map[string]any) {
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK || bytes.Contains(rec.Body.Bytes(), []byte(`"errors"`)) {
			b.Fatalf("status %d: %s", rec.Code, rec.Body.String())
		}
	}
}

const benchRole = "office-manager"

// fillRolePage tops the role up to n published FAQs and n open vacancies,
// the way an editor and a source would.
func fillRolePage(tb testing.TB, va *vacancyAPI, slug string, n int) {
	tb.Helper()
	ctx := account.WithOperator(context.Background())
	svc := va.content
	role, err := svc.RoleBySlug(ctx, slug, "nl")
	if err != nil {
		tb.Fatal(err)
	}
	ids := role.Structure.FAQIDs
	for i := len(ids); i < n; i++ {
		e, err := svc.Create(ctx, content.FAQStructure{}, map[string]content.TranslationInput{
			"nl": {Slug: fmt.Sprintf("bench-vraag-%d", i), Fields: content.FAQFields{
				Question: fmt.Sprintf("Vraag %d over het werk?", i),
				Answer:   "Een antwoord met **nadruk** en een [link](https://example.com/).\n\n- een punt\n- nog een punt",
			}},
			"en": {Slug: fmt.Sprintf("bench-question-%d", i), Fields: content.FAQFields{
				Question: fmt.Sprintf("Question %d about the work?", i),
				Answer:   "An answer with **emphasis** and a [link](https://example.com/).",
			}},
		})
		if err != nil {
			tb.Fatal(err)
		}
		if _, err := svc.Publish(ctx, e.ID, []string{"nl", "en"}); err != nil {
			tb.Fatal(err)
		}
		ids = append(ids, e.ID)
	}
	entry, err := svc.Entry(ctx, role.EntryID)
	if err != nil {
		tb.Fatal(err)
	}
	var structure content.RoleStructure
	if err := json.Unmarshal(entry.Structure, &structure); err != nil {
		tb.Fatal(err)
	}
	structure.FAQIDs = ids
	if _, err := svc.Update(ctx, role.EntryID, content.Update{ExpectedVersion: entry.Version, Structure: structure}); err != nil {
		tb.Fatal(err)
	}
	if _, err := svc.Publish(ctx, role.EntryID, []string{"nl", "en"}); err != nil {
		tb.Fatal(err)
	}
	src, _, err := va.vacancies.CreateSource(ctx, vacancy.NewSource{Name: "bench", AllowedHosts: []string{"example.com"}})
	if err != nil {
		tb.Fatal(err)
	}
	now := va.vacancies.Now()
	items := make([]vacancy.Item, n)
	for i := range items {
		items[i] = vacancy.Item{
			ExternalID: fmt.Sprintf("B-%03d", i), Language: "nl", Title: fmt.Sprintf("Office manager %d", i),
			Description:  "<p>Een vacature.</p><ul><li>32 tot 40 uur</li></ul>",
			URL:          fmt.Sprintf("https://example.com/vacatures/b-%03d", i),
			RoleSlug:     slug,
			Organization: vacancy.Organization{Name: "Voorbeeld BV", URL: "https://example.com/"},
			Locations:    []vacancy.Location{{Locality: "Utrecht", Country: "NL"}},
			DatePosted:   now.Format("2006-01-02"),
			ValidThrough: now.Add(60 * 24 * time.Hour).Format("2006-01-02"),
		}
	}
	rep, err := va.vacancies.SyncSource(ctx, src.ID, vacancy.SyncRequest{Mode: vacancy.ModeSnapshot, Items: items})
	if err != nil || rep.Rejected > 0 {
		tb.Fatalf("sync: %v %+v", err, rep)
	}
}
