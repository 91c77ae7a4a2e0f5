package httpserver_test

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/werkwijzer/werkwijzer/graph"
	"github.com/werkwijzer/werkwijzer/internal/content"
	"github.com/werkwijzer/werkwijzer/internal/database"
	"github.com/werkwijzer/werkwijzer/internal/dbtest"
	"github.com/werkwijzer/werkwijzer/internal/httpserver"
)

func TestRolesPageThroughWithCursors(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		a := newAPI(t, db)
		type conn struct {
			Roles struct {
				TotalCount int
				PageInfo   struct {
					HasNextPage bool
					EndCursor   *string
				}
				Edges []struct {
					Cursor string
					Node   struct{ Slug, Title string }
				}
			}
		}
		q := `query($after: String) { roles(locale: "en", first: 1, after: $after) {
			totalCount pageInfo { hasNextPage endCursor } edges { cursor node { slug title } } } }`
		var first, second conn
		a.post(q, nil).ok(t, &first)
		if first.Roles.TotalCount != 2 || len(first.Roles.Edges) != 1 || !first.Roles.PageInfo.HasNextPage {
			t.Fatalf("first page: %+v", first.Roles)
		}
		a.post(q, map[string]any{"after": *first.Roles.PageInfo.EndCursor}).ok(t, &second)
		if len(second.Roles.Edges) != 1 || second.Roles.PageInfo.HasNextPage {
			t.Fatalf("second page: %+v", second.Roles)
		}
		if got := first.Roles.Edges[0].Node.Slug + "," + second.Roles.Edges[0].Node.Slug; got != "office-manager,personal-assistant" {
			t.Fatalf("roles in order: %s", got)
		}
	})
}

func TestBadArgumentsAreTypedErrors(t *testing.T) {
	a := newAPI(t, dbtest.SQLite(t))
	for name, tc := range map[string]struct{ query, code string }{
		"cursor not from us": {`{ roles(after: "bm90LWEtY3Vyc29y") { totalCount } }`, "BAD_USER_INPUT"},
		"cursor not base64":  {`{ roles(after: "!!!") { totalCount } }`, "BAD_USER_INPUT"},
		"first too large":    {`{ articles(first: 1000) { totalCount } }`, "BAD_USER_INPUT"},
		"first zero":         {`{ faqs(first: 0) { totalCount } }`, "BAD_USER_INPUT"},
		"first and last":     {`{ roles(first: 2, last: 2) { totalCount } }`, "BAD_USER_INPUT"},
		"last too large":     {`{ vacancies(last: 101) { totalCount } }`, "BAD_USER_INPUT"},
		"last zero":          {`{ articles(last: 0) { totalCount } }`, "BAD_USER_INPUT"},
		"before not ours":    {`{ faqs(before: "bm90LWEtY3Vyc29y") { totalCount } }`, "BAD_USER_INPUT"},
		"vacancy before bad": {`{ vacancies(before: "!!!") { totalCount } }`, "BAD_USER_INPUT"},
		"unknown role slug":  {`{ faqs(roleSlug: "astronaut") { totalCount } }`, "NOT_FOUND"},
		"syntax error":       {`{ roles(`, "GRAPHQL_PARSE_FAILED"},
		"unknown field":      {`{ roles { nope } }`, "GRAPHQL_VALIDATION_FAILED"},
	} {
		t.Run(name, func(t *testing.T) {
			res := a.post(tc.query, nil)
			if got := res.code(t); got != tc.code {
				t.Fatalf("code %q, want %q: %s", got, tc.code, res.raw)
			}
			if res.status >= 500 {
				t.Fatalf("status %d", res.status)
			}
		})
	}
}

func TestQueriesNestedTooDeepAreRefused(t *testing.T) {
	limits := graph.DefaultLimits
	limits.MaxDepth = 4
	a := newAPIWithLimits(t, dbtest.SQLite(t), limits)
	if res := a.post(`{ roles { edges { node { slug } } } }`, nil); len(res.Errors) > 0 {
		t.Fatalf("a query 4 levels deep was refused: %s", res.raw)
	}
	// Fragments count where they are spread.
	res := a.post(`{ roles { ...R } } fragment R on RoleConnection { edges { node { faqs { id } } } }`, nil)
	if res.code(t) != "BAD_USER_INPUT" || !strings.Contains(res.Errors[0].Message, "nested 5 levels") {
		t.Fatalf("a query 5 levels deep was not refused as such: %s", res.raw)
	}
}

func TestComplexityLimitRefusesHugeQueries(t *testing.T) {
	a := newAPI(t, dbtest.SQLite(t))
	res := a.post(`{ roles(first: 100) { edges { node { faqs { id question answer { markdown html } alternates { locale slug } } } } } }`, nil)
	if len(res.Errors) > 0 {
		t.Fatalf("a large but reasonable query was refused: %s", res.raw)
	}
	var q strings.Builder
	q.WriteString("{")
	for i := range 30 {
		q.WriteString(" a" + strconv.Itoa(i) + `: articles(first: 100) { edges { node { id title } } }`)
	}
	q.WriteString(" }")
	if got := a.post(q.String(), nil).code(t); got != "COMPLEXITY_LIMIT_EXCEEDED" {
		t.Fatalf("30 aliased pages of 100: code %q, want COMPLEXITY_LIMIT_EXCEEDED", got)
	}
	// Pages counted from the end cost the same.
	if got := a.post(strings.ReplaceAll(q.String(), "first:", "last:"), nil).code(t); got != "COMPLEXITY_LIMIT_EXCEEDED" {
		t.Fatalf("30 aliased pages of the last 100: code %q, want COMPLEXITY_LIMIT_EXCEEDED", got)
	}
	if res := a.post(`{ roles(last: 100) { edges { node { faqs { id question answer { markdown html } alternates { locale slug } } } } } }`, nil); len(res.Errors) > 0 {
		t.Fatalf("a large but reasonable query from the end was refused: %s", res.raw)
	}
}

func TestUnknownSlugIsNull(t *testing.T) {
	a := newAPI(t, dbtest.SQLite(t))
	var res struct {
		Article    *struct{ ID string }
		Role       *struct{ ID string }
		Comparison *struct{ ID string }
	}
	a.post(`{ article(slug: "bestaat-niet") { id } role(slug: "nope") { id } comparison(slug: "nope") { id } }`, nil).ok(t, &res)
	if res.Article != nil || res.Role != nil || res.Comparison != nil {
		t.Fatalf("unknown slugs resolved: %+v", res)
	}
}

func TestRichTextHTMLIsSanitized(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		a := newAPI(t, db)
		hostile := "Klik [hier](javascript:alert(1)) of <a href=\"javascript:alert(2)\" onclick=\"x()\">daar</a>.\n\n<script>alert(3)</script>\n\n<img src=x onerror=alert(4)>\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n- een\n- twee"
		id := a.publishFAQ(t, map[string]content.FAQFields{"nl": {Question: "Veilig?", Answer: hostile}}, "gevaarlijk")
		var res struct {
			FAQs struct {
				Edges []struct {
					Node struct {
						ID     string
						Answer struct{ Markdown, HTML string }
					}
				}
			} `json:"faqs"`
		}
		a.post(`{ faqs(locale: "nl", first: 100) { edges { node { id answer { markdown html } } } } }`, nil).ok(t, &res)
		for _, e := range res.FAQs.Edges {
			if e.Node.ID != id {
				continue
			}
			html := strings.ToLower(e.Node.Answer.HTML)
			for _, bad := range []string{"<script", "javascript:", "onclick", "onerror"} {
				if strings.Contains(html, bad) {
					t.Fatalf("HTML contains %q:\n%s", bad, e.Node.Answer.HTML)
				}
			}
			for _, good := range []string{"<table>", "<td>1</td>", "<ul>", "<li>een</li>"} {
				if !strings.Contains(html, good) {
					t.Fatalf("HTML lacks %q:\n%s", good, e.Node.Answer.HTML)
				}
			}
			if e.Node.Answer.Markdown != hostile {
				t.Fatal("the Markdown must be served as stored")
			}
			return
		}
		t.Fatal("the FAQ was not listed")
	})
}

func TestFAQsOfARoleAndOfAnArticle(t *testing.T) {
	a := newAPI(t, dbtest.SQLite(t))
	var res struct {
		ByRole    struct{ TotalCount int } `json:"byRole"`
		ByArticle struct {
			TotalCount int
			Edges      []struct{ Node struct{ Question string } }
		} `json:"byArticle"`
	}
	a.post(`{ byRole: faqs(roleSlug: "personal-assistant", locale: "en") { totalCount }
	          byArticle: faqs(articleSlug: "`+nlArticleSlug+`", locale: "en", first: 2) { totalCount edges { node { question } } } }`, nil).ok(t, &res)
	if res.ByRole.TotalCount != 6 || res.ByArticle.TotalCount != 6 || len(res.ByArticle.Edges) != 2 {
		t.Fatalf("%+v", res)
	}
	if q := res.ByArticle.Edges[0].Node.Question; q != "Can I progress from personal assistant to office manager?" {
		t.Fatalf("first FAQ of the article in English: %q", q)
	}
}

func TestOperationalEndpoints(t *testing.T) {
	a := newAPI(t, dbtest.SQLite(t))
	for path, want := range map[string]int{
		"/healthz":        http.StatusOK,
		"/readyz":         http.StatusOK,
		"/playground":     http.StatusOK,
		"/schema.graphql": http.StatusOK,
		"/admin/":         http.StatusOK,
	} {
		rec := httptest.NewRecorder()
		a.handler.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		if rec.Code != want {
			t.Errorf("GET %s: %d, want %d", path, rec.Code, want)
		}
		if path == "/schema.graphql" && !strings.Contains(rec.Body.String(), "type Article implements Localized") {
			t.Errorf("schema.graphql does not serve the SDL")
		}
		if path == "/admin/" && !strings.Contains(rec.Header().Get("Content-Security-Policy"), "script-src 'self'") {
			t.Errorf("/admin/ lacks a strict Content-Security-Policy")
		}
	}
	if err := a.db.Close(); err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	a.handler.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/readyz", nil))
	if rec.Code != http.StatusServiceUnavailable {
		t.Fatalf("/readyz with the database closed: %d, want 503", rec.Code)
	}
}

func TestCORSAnswersVaryByOrigin(t *testing.T) {
	a := newAPIWith(t, dbtest.SQLite(t), func(c *httpserver.Config) { c.CORSOrigins = []string{"https://a.example", "https://b.example"} })
	// The article is served in the Accept-Language locale, so the answer
	// varies by it too.
	res := a.get(`{ article(slug: "`+nlArticleSlug+`") { title } }`, nil, "Origin", "https://a.example")
	if got := res.headers.Get("Access-Control-Allow-Origin"); got != "https://a.example" {
		t.Fatalf("Allow-Origin %q", got)
	}
	vary := strings.Join(res.headers.Values("Vary"), ",")
	for _, want := range []string{"Origin", "Accept-Language", "Authorization"} {
		if !strings.Contains(vary, want) {
			t.Fatalf("Vary %q lacks %s: a shared cache would hand one origin's answer to another", vary, want)
		}
	}
	if res := a.get(`{ locales { code } }`, nil, "Origin", "https://evil.example"); res.headers.Get("Access-Control-Allow-Origin") != "" {
		t.Fatal("an origin not on the list was allowed")
	}
	pre := httptest.NewRequest(http.MethodOptions, "/graphql", nil)
	pre.Header.Set("Origin", "https://b.example")
	pre.Header.Set("Access-Control-Request-Method", "POST")
	rec := httptest.NewRecorder()
	a.handler.ServeHTTP(rec, pre)
	if rec.Code != http.StatusNoContent || !strings.Contains(rec.Header().Get("Access-Control-Allow-Headers"), "Authorization") {
		t.Fatalf("preflight: %d %v", rec.Code, rec.Header())
	}
}
