package httpserver_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/werkwijzer/werkwijzer/internal/account"
	"github.com/werkwijzer/werkwijzer/internal/content"
	"github.com/werkwijzer/werkwijzer/internal/database"
	"github.com/werkwijzer/werkwijzer/internal/dbtest"
)

// The properties Google documents for the rich results our JSON-LD is
// meant for (developers.google.com/search/docs/appearance/structured-data:
// article, faqpage, breadcrumb). Article has no required properties, only
// recommended ones; a nested property is written parent.child.
var googleProperties = map[string]struct{ required, recommended []string }{
	"Article":        {recommended: []string{"author", "author.name", "author.url", "dateModified", "datePublished", "headline", "image"}},
	"FAQPage":        {required: []string{"mainEntity"}},
	"Question":       {required: []string{"acceptedAnswer", "name"}},
	"Answer":         {required: []string{"text"}},
	"BreadcrumbList": {required: []string{"itemListElement"}},
	// item is required on every crumb but the last.
	"ListItem": {required: []string{"name", "position"}},
}

// has reports whether obj has a non-empty value at the dotted path (the
// first element of a list stands for the list).
func has(obj map[string]any, path string) bool {
	var v any = obj
	for part := range strings.SplitSeq(path, ".") {
		if list, ok := v.([]any); ok && len(list) > 0 {
			v = list[0]
		}
		m, ok := v.(map[string]any)
		if !ok {
			return false
		}
		v = m[part]
	}
	switch x := v.(type) {
	case nil:
		return false
	case string:
		return strings.TrimSpace(x) != ""
	case []any:
		return len(x) > 0
	}
	return true
}

// checkGoogleProperties fails the test for every property Google requires
// or recommends for obj's type that obj lacks.
func checkGoogleProperties(t *testing.T, obj map[string]any) {
	t.Helper()
	typ, _ := obj["@type"].(string)
	props := googleProperties[typ]
	for _, p := range slices.Concat(props.required, props.recommended) {
		if !has(obj, p) {
			t.Errorf("%s lacks %s, which Google documents for it: %v", typ, p, obj)
		}
	}
}

// checkScriptSafe fails unless script can sit inside a <script> element
// unchanged: no character that could end it or open a comment.
func checkScriptSafe(t *testing.T, script string) map[string]any {
	t.Helper()
	if strings.ContainsAny(script, "<>&\u2028\u2029") {
		t.Fatalf("structured data is not escaped for a script element: %s", script)
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(script), &doc); err != nil {
		t.Fatalf("structured data is not JSON: %v\n%s", err, script)
	}
	if doc["@context"] != "https://schema.org" {
		t.Fatalf("@context: %v", doc["@context"])
	}
	return doc
}

// byType indexes a JSON-LD @graph by @type, failing on duplicates.
func byType(t *testing.T, doc map[string]any) map[string]map[string]any {
	t.Helper()
	graph, _ := doc["@graph"].([]any)
	out := map[string]map[string]any{}
	for _, node := range graph {
		obj := node.(map[string]any)
		typ := obj["@type"].(string)
		if _, dup := out[typ]; dup {
			t.Fatalf("two %s in one page's structured data (Google reports duplicates as an error)", typ)
		}
		out[typ] = obj
	}
	return out
}

func checkBreadcrumbs(t *testing.T, list map[string]any, lastName, lastURL string) {
	t.Helper()
	checkGoogleProperties(t, list)
	items := list["itemListElement"].([]any)
	if len(items) != 2 {
		t.Fatalf("breadcrumbs: want home and the page, got %v", items)
	}
	for i, it := range items {
		item := it.(map[string]any)
		checkGoogleProperties(t, item)
		if item["position"] != float64(i+1) {
			t.Errorf("crumb %d has position %v", i, item["position"])
		}
		if i < len(items)-1 && !has(item, "item") {
			t.Errorf("crumb %d lacks item, which Google requires on all but the last", i)
		}
	}
	last := items[len(items)-1].(map[string]any)
	if last["name"] != lastName || last["item"] != lastURL {
		t.Errorf("last crumb: %v, want %q at %q", last, lastName, lastURL)
	}
}

var testSEO = func() content.SEO {
	patterns, err := content.ParseURLPatterns(content.DefaultURLPatterns)
	if err != nil {
		panic(err)
	}
	return content.SEO{
		Publisher: content.Publisher{Name: "Werkwijzer Media", URL: "https://www.example.nl/", Logo: "https://www.example.nl/logo.png"},
		SiteURL:   "https://www.example.nl",
		Patterns:  patterns,
	}
}()

// setEnglishFields patches the English draft of entry id and publishes it.
func (a *api) setEnglishFields(t *testing.T, auth []string, id string, version int, fields map[string]any) {
	t.Helper()
	var res struct{ UpdateTranslation struct{ Version int } }
	a.post(`mutation($id: ID!, $v: Int!, $f: JSON!) { updateTranslation(id: $id, expectedVersion: $v, locale: "en", fields: $f) { version } }`,
		map[string]any{"id": id, "v": version, "f": fields}, auth...).ok(t, &res)
	a.post(`mutation($id: ID!) { publish(id: $id, locales: ["en"]) { published } }`, map[string]any{"id": id}, auth...).ok(t, &struct{}{})
}

// TestArticleStructuredDataHasWhatGoogleDocuments reads the seed article's
// JSON-LD through the API and checks it against the properties Google
// documents for Article, FAQPage and BreadcrumbList, and that it is safe
// to embed as it is.
func TestArticleStructuredDataHasWhatGoogleDocuments(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		a := newAPI(t, db)
		a.content.SetSEO(testSEO)
		editor := a.signIn(t, "editor@example.com", account.RoleEditor)
		article := a.seedArticle(t, editor)
		const image = "https://www.example.nl/img/office-manager.jpg"
		a.setEnglishFields(t, editor, article.ID, article.Version, map[string]any{"ogImageUrl": image})

		var res struct {
			Article struct {
				Title, SeoTitle, StructuredData string
				OgImageURL                      *string
				Blocks                          []struct {
					Faqs []struct{ Question string }
				}
			}
		}
		// Without blocks selected, the FAQs are loaded for the JSON-LD alone.
		a.post(`{ article(slug: "`+nlArticleSlug+`", locale: "en") { title seoTitle ogImageUrl structuredData } }`, nil).ok(t, &res)
		if res.Article.OgImageURL == nil || *res.Article.OgImageURL != image {
			t.Fatalf("ogImageUrl: %v", res.Article.OgImageURL)
		}
		nodes := byType(t, checkScriptSafe(t, res.Article.StructuredData))
		for _, typ := range []string{"Article", "FAQPage", "BreadcrumbList"} {
			if nodes[typ] == nil {
				t.Fatalf("no %s in %s", typ, res.Article.StructuredData)
			}
		}

		url := "https://www.example.nl/en/artikelen/" + enArticleSlug
		checkArticleNode(t, nodes["Article"], res.Article.SeoTitle, url, image)
		checkFAQPageNode(t, nodes["FAQPage"])
		checkBreadcrumbs(t, nodes["BreadcrumbList"], res.Article.Title, url)

		// With blocks selected, the same FAQs in the same order.
		a.post(`{ article(slug: "`+nlArticleSlug+`", locale: "en") { structuredData blocks { ... on FAQBlock { faqs { question } } } } }`, nil).ok(t, &res)
		checkFAQOrderMatchesBlocks(t, res.Article.StructuredData, res.Article.Blocks)
	})
}

// checkArticleNode checks the Article node of an article's JSON-LD.
func checkArticleNode(t *testing.T, art map[string]any, seoTitle, url, image string) {
	t.Helper()
	checkGoogleProperties(t, art)
	if art["headline"] != seoTitle || art["inLanguage"] != "en" || art["url"] != url || !has(art, "description") {
		t.Errorf("Article: %v", art)
	}
	if !has(art, "publisher.name") || !has(art, "publisher.logo.url") {
		t.Errorf("Article publisher from the configuration: %v", art["publisher"])
	}
	if img, _ := art["image"].([]any); len(img) != 1 || img[0] != image {
		t.Errorf("Article image: %v", art["image"])
	}
	published, err1 := time.Parse(time.RFC3339, art["datePublished"].(string))
	modified, err2 := time.Parse(time.RFC3339, art["dateModified"].(string))
	if err1 != nil || err2 != nil || modified.Before(published) {
		t.Errorf("dates: published %v, modified %v", art["datePublished"], art["dateModified"])
	}
}

// checkFAQPageNode checks the FAQPage node of the seed article's JSON-LD:
// its six questions, each with its answer as HTML.
func checkFAQPageNode(t *testing.T, faqPage map[string]any) {
	t.Helper()
	checkGoogleProperties(t, faqPage)
	questions := faqPage["mainEntity"].([]any)
	if len(questions) != 6 {
		t.Fatalf("the seed article has six FAQs; the FAQPage has %d", len(questions))
	}
	for _, q := range questions {
		question := q.(map[string]any)
		checkGoogleProperties(t, question)
		answer := question["acceptedAnswer"].(map[string]any)
		checkGoogleProperties(t, answer)
		if question["@type"] != "Question" || answer["@type"] != "Answer" || !strings.HasPrefix(answer["text"].(string), "<p>") {
			t.Errorf("question %v: the answer should be its HTML", question)
		}
	}
}

// checkFAQOrderMatchesBlocks checks the FAQPage of structuredData has the
// questions of the FAQ blocks, in the same order.
func checkFAQOrderMatchesBlocks(t *testing.T, structuredData string, blocks []struct{ Faqs []struct{ Question string } }) {
	t.Helper()
	var fromBlocks []string
	for _, b := range blocks {
		for _, f := range b.Faqs {
			fromBlocks = append(fromBlocks, f.Question)
		}
	}
	again := byType(t, checkScriptSafe(t, structuredData))["FAQPage"]["mainEntity"].([]any)
	for i, q := range again {
		if name := q.(map[string]any)["name"]; i >= len(fromBlocks) || name != fromBlocks[i] {
			t.Fatalf("question %d is %v; the page shows %v", i, name, fromBlocks)
		}
	}
}

// TestRoleStructuredDataAndSEOFields: a role's SEO fields are edited per
// locale and served, and its JSON-LD is an Occupation with breadcrumbs.
func TestRoleStructuredDataAndSEOFields(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		a := newAPI(t, db)
		a.content.SetSEO(testSEO)
		editor := a.signIn(t, "editor@example.com", account.RoleEditor)

		var defaults struct {
			Role struct {
				Title, SeoTitle, SeoDescription string
				OgImageURL                      *string
			}
		}
		a.post(`{ role(slug: "office-manager", locale: "en") { title seoTitle seoDescription ogImageUrl } }`, nil).ok(t, &defaults)
		if defaults.Role.SeoTitle != defaults.Role.Title || defaults.Role.SeoDescription == "" ||
			strings.ContainsAny(defaults.Role.SeoDescription, "*<") || defaults.Role.OgImageURL != nil {
			t.Fatalf("unset SEO fields should fall back to the title and the summary as text: %+v", defaults.Role)
		}

		role := a.englishRole(t, editor, "office-manager")
		a.checkOgImageURLRejected(t, editor, role)
		const (
			title       = "Office manager: duties & salary"
			description = "What an office manager does, earns and grows into."
			image       = "https://www.example.nl/img/om.png"
		)
		a.setEnglishFields(t, editor, role.ID, role.Version, map[string]any{"seoTitle": title, "seoDescription": description, "ogImageUrl": image})

		var res struct {
			Role struct {
				Title, SeoTitle, SeoDescription, StructuredData string
				OgImageURL                                      *string
			}
		}
		a.post(`{ role(slug: "office-manager", locale: "en") { title seoTitle seoDescription ogImageUrl structuredData } }`, nil).ok(t, &res)
		if res.Role.SeoTitle != title || res.Role.SeoDescription != description || res.Role.OgImageURL == nil || *res.Role.OgImageURL != image {
			t.Fatalf("SEO fields: %+v", res.Role)
		}
		nodes := byType(t, checkScriptSafe(t, res.Role.StructuredData))
		occupation := nodes["Occupation"]
		url := "https://www.example.nl/en/functies/office-manager"
		if occupation == nil || occupation["name"] != res.Role.Title || occupation["description"] != description ||
			occupation["url"] != url || occupation["image"] != image || !has(occupation, "skills") {
			t.Fatalf("Occupation: %v", occupation)
		}
		checkBreadcrumbs(t, nodes["BreadcrumbList"], res.Role.Title, url)
	})
}

// englishRole finds, as an editor sees it, the role whose English slug is slug.
func (a *api) englishRole(t *testing.T, editor []string, slug string) entryView {
	t.Helper()
	var entries struct {
		Entries struct{ Edges []struct{ Node entryView } }
	}
	a.post(`{ entries(type: ROLE) { edges { node { `+entryFields+` } } } }`, nil, editor...).ok(t, &entries)
	var role entryView
	for _, e := range entries.Entries.Edges {
		for _, tr := range e.Node.Translations {
			if tr.Locale == "en" && tr.Slug == slug {
				role = e.Node
			}
		}
	}
	return role
}

// checkOgImageURLRejected checks that an ogImageUrl that is not an absolute
// http(s) URL is refused as bad input on the field.
func (a *api) checkOgImageURLRejected(t *testing.T, editor []string, role entryView) {
	t.Helper()
	for _, bad := range []string{"javascript:alert(1)", "/relative.png", "ftp://example.nl/a.png", "https://"} {
		res := a.post(`mutation($id: ID!, $v: Int!, $f: JSON!) { updateTranslation(id: $id, expectedVersion: $v, locale: "en", fields: $f) { version } }`,
			map[string]any{"id": role.ID, "v": role.Version, "f": map[string]any{"ogImageUrl": bad}}, editor...)
		if res.code(t) != "BAD_USER_INPUT" || res.Errors[0].Extensions["field"] != "ogImageUrl" {
			t.Fatalf("ogImageUrl %q: %s", bad, res.raw)
		}
	}
}

type sitemapPage struct {
	Sitemap struct {
		TotalCount int
		PageInfo   struct {
			HasNextPage bool
			EndCursor   string
		}
		Edges []struct {
			Node struct {
				ID, Type, Locale, Slug, Path string
				LastModified                 time.Time
				Alternates                   []struct{ Locale, Path string }
			}
		}
	}
}

const sitemapQuery = `query($l: String, $first: Int, $after: String) { sitemap(locale: $l, first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor } edges { node { id type locale slug path lastModified alternates { locale path } } } } }`

// sitemapLines walks the whole sitemap of loc, n entries per request, as
// "path [alternates]" lines.
func sitemapLines(t *testing.T, a *api, loc string, n int) []string {
	t.Helper()
	var lines []string
	after := ""
	for {
		var res sitemapPage
		vars := map[string]any{"l": loc, "first": n}
		if after != "" {
			vars["after"] = after
		}
		a.post(sitemapQuery, vars).ok(t, &res)
		for _, e := range res.Sitemap.Edges {
			if e.Node.Locale != loc || e.Node.LastModified.IsZero() {
				t.Fatalf("sitemap entry %+v", e.Node)
			}
			line := e.Node.Type + " " + e.Node.Path
			for _, alt := range e.Node.Alternates {
				line += fmt.Sprintf(" %s=%s", alt.Locale, alt.Path)
			}
			lines = append(lines, line)
		}
		if !res.Sitemap.PageInfo.HasNextPage {
			if res.Sitemap.TotalCount != len(lines) {
				t.Fatalf("totalCount %d, listed %d", res.Sitemap.TotalCount, len(lines))
			}
			slices.Sort(lines)
			return lines
		}
		after = res.Sitemap.PageInfo.EndCursor
	}
}

// TestSitemapListsPublishedPagesWithTheirAlternates: every role and article
// page of a locale with its paths in the other locales, paged; a locale an
// entry is not published in is neither listed nor an alternate.
func TestSitemapListsPublishedPagesWithTheirAlternates(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		a := newAPI(t, db)
		want := []string{
			"article /nl/artikelen/" + nlArticleSlug + " en=/en/artikelen/" + enArticleSlug,
			"role /nl/functies/office-manager en=/en/functies/office-manager",
			"role /nl/functies/personal-assistant en=/en/functies/personal-assistant",
		}
		if got := sitemapLines(t, a, "nl", 100); !slices.Equal(got, want) {
			t.Fatalf("nl sitemap:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		if got := sitemapLines(t, a, "nl", 1); !slices.Equal(got, want) {
			t.Fatalf("nl sitemap one entry per page:\n%s", strings.Join(got, "\n"))
		}

		editor := a.signIn(t, "editor@example.com", account.RoleEditor)
		var entries struct {
			Entries struct{ Edges []struct{ Node entryView } }
		}
		a.post(`{ entries(type: ROLE) { edges { node { `+entryFields+` } } } }`, nil, editor...).ok(t, &entries)
		for _, e := range entries.Entries.Edges {
			if e.Node.Translations[0].Slug == "personal-assistant" {
				a.post(`mutation($id: ID!) { unpublish(id: $id, locales: ["en"]) { id } }`, map[string]any{"id": e.Node.ID}, editor...).ok(t, &struct{}{})
			}
		}
		// Served in Dutch to English readers now (a fallback), the personal
		// assistant has no English page.
		want[2] = "role /nl/functies/personal-assistant"
		if got := sitemapLines(t, a, "nl", 2); !slices.Equal(got, want) {
			t.Fatalf("nl sitemap after unpublishing in en:\n%s", strings.Join(got, "\n"))
		}
		wantEN := []string{
			"article /en/artikelen/" + enArticleSlug + " nl=/nl/artikelen/" + nlArticleSlug,
			"role /en/functies/office-manager nl=/nl/functies/office-manager",
		}
		if got := sitemapLines(t, a, "en", 100); !slices.Equal(got, wantEN) {
			t.Fatalf("en sitemap:\n%s", strings.Join(got, "\n"))
		}

		bad := a.post(sitemapQuery, map[string]any{"l": "fr"})
		if bad.code(t) != "BAD_USER_INPUT" {
			t.Fatalf("unsupported locale: %s", bad.raw)
		}
	})
}

// TestSitemapStatementsDoNotGrowWithEntries: a page of the sitemap costs
// the same statements for one entry as for a hundred.
func TestSitemapStatementsDoNotGrowWithEntries(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		a := newAPI(t, db)
		seo := testSEO
		seo.Patterns = content.URLPatterns{"faq": "/{locale}/vragen/{slug}", "role": "/{locale}/functies/{slug}", "article": "/{locale}/artikelen/{slug}"}
		a.content.SetSEO(seo)
		for i := range 40 {
			a.publishFAQ(t, map[string]content.FAQFields{
				"nl": {Question: fmt.Sprintf("Vraag %d?", i), Answer: "Antwoord."},
				"en": {Question: fmt.Sprintf("Question %d?", i), Answer: "Answer."},
			}, fmt.Sprintf("extra-vraag-%d", i))
		}
		counter := dbtest.CountStatements(db)
		count := func(first int) (int, int) {
			var res sitemapPage
			counter.Reset()
			a.post(sitemapQuery, map[string]any{"l": "en", "first": first}).ok(t, &res)
			return counter.Count(), len(res.Sitemap.Edges)
		}
		small, one := count(1)
		large, many := count(100)
		if one != 1 || many < 49 {
			t.Fatalf("pages of %d and %d entries", one, many)
		}
		if small != large || large > 3 {
			t.Fatalf("statements: %d for one entry, %d for %d entries: want the same small number", small, large, many)
		}
		t.Logf("sitemap page: %d SQL statements for 1 and for %d entries", large, many)
	})
}
