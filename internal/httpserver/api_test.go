package httpserver_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/werkwijzer/werkwijzer/graph"
	"github.com/werkwijzer/werkwijzer/internal/account"
	"github.com/werkwijzer/werkwijzer/internal/content"
	"github.com/werkwijzer/werkwijzer/internal/database"
	"github.com/werkwijzer/werkwijzer/internal/dbtest"
	"github.com/werkwijzer/werkwijzer/internal/httpserver"
	"github.com/werkwijzer/werkwijzer/internal/loadtest"
	"github.com/werkwijzer/werkwijzer/internal/testserver"
)

const (
	nlArticleSlug = "verschil-office-manager-en-personal-assistant"
	enArticleSlug = "office-manager-vs-personal-assistant"
)

// api is the full HTTP handler chain on a seeded database.
type api struct {
	t        testing.TB
	db       *database.DB
	content  *content.Service
	accounts *account.Service
	handler  http.Handler
}

func newAPI(t testing.TB, db *database.DB) *api {
	t.Helper()
	return newAPIWithLimits(t, db, graph.DefaultLimits)
}

func newAPIWithLimits(t testing.TB, db *database.DB, limits graph.Limits) *api {
	t.Helper()
	return newAPIWith(t, db, func(c *httpserver.Config) { c.Limits = limits })
}

// newAPIWith lets a test change the server's configuration.
func newAPIWith(t testing.TB, db *database.DB, configure func(*httpserver.Config)) *api {
	t.Helper()
	return apiOf(t, db, testserver.New(t, db, testserver.Options{Configure: configure}))
}

func apiOf(t testing.TB, db *database.DB, s *testserver.Server) *api {
	return &api{t: t, db: db, content: s.Content, accounts: s.Accounts, handler: s.Handler}
}

type gqlResponse struct {
	Data   json.RawMessage `json:"data"`
	Errors []struct {
		Message    string         `json:"message"`
		Path       []any          `json:"path"`
		Extensions map[string]any `json:"extensions"`
	} `json:"errors"`
	status  int
	headers http.Header
	raw     []byte
}

// post sends a GraphQL POST and decodes the answer.
func (a *api) post(query string, vars map[string]any, header ...string) gqlResponse {
	a.t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return a.do(req)
}

// get sends a GraphQL GET.
func (a *api) get(query string, vars map[string]any, header ...string) gqlResponse {
	a.t.Helper()
	q := url.Values{"query": {query}}
	if vars != nil {
		v, _ := json.Marshal(vars)
		q.Set("variables", string(v))
	}
	req := httptest.NewRequest(http.MethodGet, "/graphql?"+q.Encode(), nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return a.do(req)
}

func (a *api) do(req *http.Request) gqlResponse {
	a.t.Helper()
	rec := httptest.NewRecorder()
	a.handler.ServeHTTP(rec, req)
	var res gqlResponse
	res.status, res.headers, res.raw = rec.Code, rec.Header(), rec.Body.Bytes()
	if rec.Code == http.StatusNotModified {
		return res
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil {
		a.t.Fatalf("status %d, body is not JSON: %v\n%s", rec.Code, err, rec.Body.String())
	}
	return res
}

// publishFAQ creates and publishes an FAQ as the operator, in the locales
// given, all under slug.
func (a *api) publishFAQ(t testing.TB, text map[string]content.FAQFields, slug string) string {
	t.Helper()
	ctx := account.WithOperator(context.Background())
	tr := map[string]content.TranslationInput{}
	var locales []string
	for loc, f := range text {
		tr[loc] = content.TranslationInput{Slug: slug, Fields: f}
		locales = append(locales, loc)
	}
	e, err := a.content.Create(ctx, content.FAQStructure{}, tr)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.content.Publish(ctx, e.ID, locales); err != nil {
		t.Fatal(err)
	}
	return e.ID
}

// ok fails the test on any GraphQL error and decodes data into v.
func (r gqlResponse) ok(t testing.TB, v any) {
	t.Helper()
	if len(r.Errors) > 0 {
		t.Fatalf("unexpected errors: %s", r.raw)
	}
	if err := json.Unmarshal(r.Data, v); err != nil {
		t.Fatalf("decode data: %v\n%s", err, r.Data)
	}
}

// code returns the extensions.code of the only error.
func (r gqlResponse) code(t testing.TB) string {
	t.Helper()
	if len(r.Errors) != 1 {
		t.Fatalf("want exactly one error, got %s", r.raw)
	}
	c, _ := r.Errors[0].Extensions["code"].(string)
	return c
}

type articlePage struct {
	Article *struct {
		ID              string
		Locale          string
		RequestedLocale string
		IsFallback      bool
		Slug            string
		UpdatedAt       time.Time
		PublishedAt     time.Time
		Alternates      []struct{ Locale, Slug string }
		Title           string
		SEOTitle        string
		Lead            struct{ Markdown, HTML string }
		Blocks          []articleBlock
	}
}

// articleBlock is one block of articlePage, named so that checks of one
// block type can live in their own helpers.
type articleBlock struct {
	Typename   string `json:"__typename"`
	ID         string
	Anchor     string
	Heading    string
	Body       struct{ Markdown, HTML string }
	Comparison *struct {
		Title string
		Roles []struct{ ID, Locale, Slug, Title string }
		Rows  []struct {
			Label  string
			Values []string
		}
	}
	FAQs []struct {
		ID, Locale, Slug, Question string
		IsFallback                 bool
		Answer                     struct{ Markdown, HTML string }
	} `json:"faqs"`
	Role  *struct{ ID, Slug, Title string }
	Limit int
	Label string
	URL   string
}

func TestArticlePageServesTheWholeSeedArticle(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		a := newAPI(t, db)
		var nl articlePage
		a.post(loadtest.ArticlePageQuery, map[string]any{"slug": nlArticleSlug, "locale": "nl"}).ok(t, &nl)
		art := nl.Article
		if art == nil {
			t.Fatal("article not found by its Dutch slug")
		}
		if art.Locale != "nl" || art.IsFallback || art.Slug != nlArticleSlug {
			t.Fatalf("served %s (fallback %v) slug %s", art.Locale, art.IsFallback, art.Slug)
		}
		if !strings.HasPrefix(art.Lead.Markdown, "Het verschil tussen een office manager en een personal assistant") {
			t.Fatalf("lead is not the article's intro: %q", art.Lead.Markdown)
		}
		wantHeadings := []string{
			"Wat doet een office manager precies in een organisatie?",
			"Welke werkzaamheden voert een personal assistant dagelijks uit?",
			"Waar ligt het belangrijkste verschil tussen beide functies?",
			"Hoeveel verdient een office manager vergeleken met een personal assistant?",
			"Wanneer heeft een bedrijf een office manager nodig versus een personal assistant?",
		}
		checkSeedArticleBlocks(t, art.Blocks, wantHeadings)

		var en articlePage
		a.post(loadtest.ArticlePageQuery, map[string]any{"slug": nlArticleSlug, "locale": "en"}).ok(t, &en)
		if en.Article == nil || en.Article.Locale != "en" || en.Article.IsFallback || en.Article.Slug != enArticleSlug {
			t.Fatalf("English article by Dutch slug: %+v", en.Article)
		}
		if en.Article.ID != art.ID || en.Article.Title == art.Title || len(en.Article.Blocks) != len(art.Blocks) {
			t.Fatalf("English version differs in identity or shape: %q vs %q", en.Article.Title, art.Title)
		}
		if got := en.Article.Alternates; len(got) != 2 || got[0].Locale != "en" || got[1].Slug != nlArticleSlug {
			t.Fatalf("alternates %+v", got)
		}
	})
}

// seedBlockCounts counts what checkSeedArticleBlocks finds in the blocks.
type seedBlockCounts struct {
	headings                                          []string
	lists, comparisons, faqBlocks, ctas, vacancyLists int
}

// checkSeedArticleBlocks checks every block of the seed article by its
// type, then the section headings in order and how many of each there are.
func checkSeedArticleBlocks(t *testing.T, blocks []articleBlock, wantHeadings []string) {
	t.Helper()
	var n seedBlockCounts
	for _, b := range blocks {
		switch b.Typename {
		case "RichTextBlock":
			checkSeedRichText(t, b, &n)
		case "ComparisonBlock":
			n.comparisons++
			checkSeedComparison(t, b)
		case "FAQBlock":
			n.faqBlocks++
			n.headings = append(n.headings, b.Heading)
			checkSeedFAQs(t, b)
		case "CallToActionBlock":
			n.ctas++
			if b.Label == "" || b.URL == "" {
				t.Fatalf("call to action %+v", b)
			}
		case "VacancyListBlock":
			n.vacancyLists++
			if b.Role == nil || b.Role.Slug != "office-manager" {
				t.Fatalf("vacancy list block role %+v", b.Role)
			}
		}
	}
	if strings.Join(n.headings, "\n") != strings.Join(append(wantHeadings, "Veelgestelde vragen"), "\n") {
		t.Fatalf("section headings in order:\n%s", strings.Join(n.headings, "\n"))
	}
	if n.lists != 4 || n.comparisons != 1 || n.faqBlocks != 1 || n.ctas != 1 || n.vacancyLists != 1 {
		t.Fatalf("lists %d comparisons %d faq blocks %d ctas %d vacancy lists %d", n.lists, n.comparisons, n.faqBlocks, n.ctas, n.vacancyLists)
	}
}

func checkSeedRichText(t *testing.T, b articleBlock, n *seedBlockCounts) {
	t.Helper()
	if b.Heading != "" {
		n.headings = append(n.headings, b.Heading)
	}
	n.lists += strings.Count(b.Body.HTML, "<ul>")
	if b.Heading == "" && b.Anchor == "" {
		t.Fatalf("rich text block %s has neither heading nor anchor", b.ID)
	}
}

func checkSeedComparison(t *testing.T, b articleBlock) {
	t.Helper()
	c := b.Comparison
	if c == nil || len(c.Rows) != 5 || len(c.Roles) != 2 {
		t.Fatalf("comparison block: %+v", c)
	}
	if c.Roles[0].Title != "Office manager" || c.Roles[1].Title != "Personal assistant" {
		t.Fatalf("comparison roles: %+v", c.Roles)
	}
	for _, row := range c.Rows {
		if row.Label == "" || len(row.Values) != 2 || row.Values[0] == "" || row.Values[1] == "" {
			t.Fatalf("incomplete row %+v", row)
		}
	}
	if c.Rows[0].Values[0] != "Kantoorbreed management" || c.Rows[4].Values[1] != "Persoonlijke administratie" {
		t.Fatalf("rows are not the article's table: %+v", c.Rows)
	}
}

func checkSeedFAQs(t *testing.T, b articleBlock) {
	t.Helper()
	if len(b.FAQs) != 6 {
		t.Fatalf("FAQ block has %d FAQs, want 6", len(b.FAQs))
	}
	if b.FAQs[0].Question != "Kan ik als personal assistant doorgroeien naar office manager?" {
		t.Fatalf("first FAQ: %q", b.FAQs[0].Question)
	}
	for _, f := range b.FAQs {
		if f.Locale != "nl" || f.Answer.HTML == "" {
			t.Fatalf("FAQ %+v", f)
		}
	}
}

func TestUnsupportedLocaleIsBadUserInput(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		a := newAPI(t, db)
		res := a.post(loadtest.ArticlePageQuery, map[string]any{"slug": nlArticleSlug, "locale": "de"})
		if code := res.code(t); code != "BAD_USER_INPUT" {
			t.Fatalf("code %q, want BAD_USER_INPUT: %s", code, res.raw)
		}
		if msg := res.Errors[0].Message; !strings.Contains(msg, "nl") || !strings.Contains(msg, "en") {
			t.Fatalf("message does not list the supported locales: %q", msg)
		}
		if supported, _ := res.Errors[0].Extensions["supportedLocales"].([]any); len(supported) != 2 {
			t.Fatalf("extensions lack supportedLocales: %v", res.Errors[0].Extensions)
		}
	})
}

func TestLocaleComesFromAcceptLanguageThenDefault(t *testing.T) {
	a := newAPI(t, dbtest.SQLite(t))
	query := `{ article(slug: "` + nlArticleSlug + `") { locale requestedLocale slug } }`
	type page struct {
		Article struct{ Locale, RequestedLocale, Slug string }
	}
	for header, want := range map[string]string{
		"":                         "nl",
		"en-GB,en;q=0.9,nl;q=0.8":  "en",
		"de-DE, fr;q=0.5":          "nl",
		"nl-BE;q=0.4, en-US;q=0.6": "en",
	} {
		var p page
		a.post(query, nil, "Accept-Language", header).ok(t, &p)
		if p.Article.Locale != want || p.Article.RequestedLocale != want {
			t.Errorf("Accept-Language %q: served %s (requested %s), want %s", header, p.Article.Locale, p.Article.RequestedLocale, want)
		}
	}
	var p page
	a.post(`{ article(slug: "`+nlArticleSlug+`", locale: "nl") { locale requestedLocale slug } }`, nil, "Accept-Language", "en").ok(t, &p)
	if p.Article.Locale != "nl" {
		t.Errorf("the locale argument must win over Accept-Language, got %s", p.Article.Locale)
	}
}

func TestEntryWithoutTranslationFallsBackWhole(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		a := newAPI(t, db)
		id := a.publishFAQ(t, map[string]content.FAQFields{"nl": {Question: "Alleen in het Nederlands?", Answer: "Ja."}}, "alleen-nederlands")
		var res struct {
			FAQs struct {
				TotalCount int
				Edges      []struct {
					Node struct {
						ID, Locale, RequestedLocale, Question string
						IsFallback                            bool
					}
				}
			} `json:"faqs"`
		}
		a.post(`{ faqs(locale: "en", first: 100) { totalCount edges { node { id locale requestedLocale isFallback question } } } }`, nil).ok(t, &res)
		if res.FAQs.TotalCount != 7 || len(res.FAQs.Edges) != 7 {
			t.Fatalf("want the 6 seed FAQs and the new one, got %d (%d edges)", res.FAQs.TotalCount, len(res.FAQs.Edges))
		}
		for _, e := range res.FAQs.Edges {
			n := e.Node
			if n.ID == id {
				if n.Locale != "nl" || n.RequestedLocale != "en" || !n.IsFallback || n.Question != "Alleen in het Nederlands?" {
					t.Fatalf("untranslated FAQ: %+v", n)
				}
			} else if n.Locale != "en" || n.IsFallback {
				t.Fatalf("translated FAQ served as %+v", n)
			}
		}
	})
}

func TestGetAnswersLikePost(t *testing.T) {
	a := newAPI(t, dbtest.SQLite(t))
	vars := map[string]any{"slug": nlArticleSlug, "locale": "en"}
	post := a.post(loadtest.ArticlePageQuery, vars)
	get := a.get(loadtest.ArticlePageQuery, vars)
	if len(post.Errors) > 0 || len(get.Errors) > 0 {
		t.Fatalf("errors: %s / %s", post.raw, get.raw)
	}
	if !bytes.Equal(post.Data, get.Data) {
		t.Fatalf("GET and POST differ:\n%s\n%s", post.Data, get.Data)
	}
	if cc := get.headers.Get("Cache-Control"); !strings.Contains(cc, "public") {
		t.Fatalf("anonymous GET Cache-Control %q, want public", cc)
	}
	if cc := post.headers.Get("Cache-Control"); cc != "no-store" {
		t.Fatalf("POST Cache-Control %q, want no-store", cc)
	}
	etag := get.headers.Get("ETag")
	if etag == "" {
		t.Fatal("GET answer has no ETag")
	}
	again := a.get(loadtest.ArticlePageQuery, vars, "If-None-Match", etag)
	if again.status != http.StatusNotModified {
		t.Fatalf("If-None-Match with the current ETag: status %d, want 304", again.status)
	}
	mutation := a.get(`mutation { __typename }`, nil)
	if len(mutation.Errors) == 0 {
		t.Fatalf("GET must not run mutations: %s", mutation.raw)
	}
}

// TestArticlePageStatementsDoNotGrowWithContent proves there is no N+1:
// the full page query runs the same number of SQL statements for the seed
// article as for an article with many more blocks and FAQs.
func TestArticlePageStatementsDoNotGrowWithContent(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		a := newAPI(t, db)
		big := createBigArticle(t, a.content, 40)

		counter := dbtest.CountStatements(db)
		var small, large articlePage
		counter.Reset()
		a.post(loadtest.ArticlePageQuery, map[string]any{"slug": nlArticleSlug, "locale": "en"}).ok(t, &small)
		smallCount := counter.Count()
		counter.Reset()
		a.post(loadtest.ArticlePageQuery, map[string]any{"slug": big, "locale": "en"}).ok(t, &large)
		largeCount := counter.Count()

		if n := len(large.Article.Blocks); n < 80 {
			t.Fatalf("big article has only %d blocks", n)
		}
		if largeCount != smallCount {
			t.Fatalf("statements: %d for the seed article, %d for an article with %d blocks: the count grows with content",
				smallCount, largeCount, len(large.Article.Blocks))
		}
		if smallCount > 10 {
			t.Fatalf("the article page takes %d statements; expected a small constant", smallCount)
		}
		t.Logf("article page: %d SQL statements for %d and for %d blocks", smallCount, len(small.Article.Blocks), len(large.Article.Blocks))
	})
}

// createBigArticle publishes n FAQs, n FAQ blocks, n comparison blocks and
// n rich-text blocks (nl and en) and returns the article's Dutch slug.
func createBigArticle(t *testing.T, svc *content.Service, n int) string {
	t.Helper()
	ctx := account.WithOperator(context.Background())
	publish := func(structure content.Structure, nl, en content.TranslationInput) string {
		e, err := svc.Create(ctx, structure, map[string]content.TranslationInput{"nl": nl, "en": en})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Publish(ctx, e.ID, []string{"nl", "en"}); err != nil {
			t.Fatal(err)
		}
		return e.ID
	}
	var roleIDs []string
	for i := range 2 {
		slug := "rol-" + string(rune('a'+i))
		roleIDs = append(roleIDs, publish(content.RoleStructure{},
			content.TranslationInput{Slug: slug, Fields: content.RoleFields{Title: "Rol", Summary: "Samenvatting"}},
			content.TranslationInput{Slug: slug + "-en", Fields: content.RoleFields{Title: "Role", Summary: "Summary"}}))
	}
	rowID, _ := content.NewID()
	comparisonID := publish(content.ComparisonStructure{RoleIDs: roleIDs, RowIDs: []string{rowID}},
		content.TranslationInput{Slug: "vergelijking-groot", Fields: content.ComparisonFields{Title: "V", Rows: map[string]content.ComparisonRow{rowID: {Label: "L", Values: []string{"a", "b"}}}}},
		content.TranslationInput{Slug: "big-comparison", Fields: content.ComparisonFields{Title: "C", Rows: map[string]content.ComparisonRow{rowID: {Label: "L", Values: []string{"a", "b"}}}}})
	var structure content.ArticleStructure
	nl := content.ArticleFields{Title: "Groot", Lead: "Veel blokken.", Blocks: map[string]content.BlockFields{}}
	en := content.ArticleFields{Title: "Big", Lead: "Many blocks.", Blocks: map[string]content.BlockFields{}}
	for i := range n {
		faqID := publish(content.FAQStructure{},
			content.TranslationInput{Slug: "vraag-" + strconv.Itoa(i), Fields: content.FAQFields{Question: "Vraag?", Answer: "Antwoord."}},
			content.TranslationInput{Slug: "question-" + strconv.Itoa(i), Fields: content.FAQFields{Question: "Question?", Answer: "Answer."}})
		text, _ := content.NewID()
		faqBlock, _ := content.NewID()
		cmpBlock, _ := content.NewID()
		structure.Blocks = append(structure.Blocks,
			content.BlockStructure{ID: text, Type: content.BlockRichText},
			content.BlockStructure{ID: faqBlock, Type: content.BlockFAQ, FAQIDs: []string{faqID}},
			content.BlockStructure{ID: cmpBlock, Type: content.BlockComparison, ComparisonID: comparisonID},
		)
		nl.Blocks[text] = content.BlockFields{Heading: "Kop", Body: "- een\n- twee"}
		en.Blocks[text] = content.BlockFields{Heading: "Heading", Body: "- one\n- two"}
	}
	publish(structure,
		content.TranslationInput{Slug: "groot-artikel", Fields: nl},
		content.TranslationInput{Slug: "big-article", Fields: en})
	return "groot-artikel"
}
