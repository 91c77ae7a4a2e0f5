package content

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestParseURLPatterns(t *testing.T) {
	good, err := ParseURLPatterns(" role=/{locale}/functies/{slug} , article=/blog/{slug},home=/ ")
	if err != nil {
		t.Fatal(err)
	}
	if got := good.Path("role", "nl", "office-manager"); got != "/nl/functies/office-manager" {
		t.Errorf("role path: %q", got)
	}
	if got := good.Path("comparison", "nl", "x"); got != "" {
		t.Errorf("a type without a pattern has no path, got %q", got)
	}
	for _, bad := range []string{
		"role",                          // no path
		"vacancy=/{slug}",               // not an entry type
		"role=functies/{slug}",          // not a path
		"role=//evil.example/{slug}",    // another host
		"role=/{locale}/functies",       // no slug
		"role=/{lang}/{slug}",           // unknown placeholder
		"role=/a/{slug},role=/b/{slug}", // twice
		"role=/a b/{slug}",              // a space
		"article=/a/{slug}?x=1",         // a query
	} {
		if _, err := ParseURLPatterns(bad); err == nil {
			t.Errorf("ParseURLPatterns(%q) accepted it", bad)
		}
	}
	if _, err := ParseURLPatterns(DefaultURLPatterns); err != nil {
		t.Errorf("the default: %v", err)
	}
}

func TestRoleStructuredDataEstimatesTheSalaryBand(t *testing.T) {
	s := &Service{seo: SEO{Patterns: URLPatterns{"role": "/{locale}/functies/{slug}"}}}
	role := &PublishedRole{Locale: "nl", Slug: "office-manager", PublishedAt: time.Now()}
	role.Structure.Salary = &SalaryRange{Min: 2800, Max: 4200, Currency: "EUR", Period: PerMonth}
	role.Fields = RoleFields{Title: "Office manager", Summary: "Houdt het **kantoor** draaiende & <meer>."}
	script, err := s.RoleStructuredData(role)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Graph []map[string]any `json:"@graph"`
	}
	if err := json.Unmarshal([]byte(script), &doc); err != nil {
		t.Fatal(err)
	}
	occupation := doc.Graph[0]
	if occupation["@type"] != "Occupation" || occupation["url"] != "/nl/functies/office-manager" {
		t.Fatalf("occupation: %v", occupation)
	}
	// The description is the summary as text, not Markdown.
	if d := occupation["description"].(string); strings.Contains(d, "*") || !strings.Contains(d, "kantoor") {
		t.Errorf("description: %q", d)
	}
	salary := occupation["estimatedSalary"].([]any)[0].(map[string]any)
	if salary["@type"] != "MonetaryAmountDistribution" || salary["currency"] != "EUR" || salary["duration"] != "P1M" ||
		salary["minValue"] != 2800.0 || salary["maxValue"] != 4200.0 {
		t.Errorf("estimatedSalary: %v", salary)
	}
}

// ldGraph decodes a JSON-LD script's @graph.
func ldGraph(t *testing.T, script string, err error) []map[string]any {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Graph []map[string]any `json:"@graph"`
	}
	if err := json.Unmarshal([]byte(script), &doc); err != nil {
		t.Fatal(err)
	}
	return doc.Graph
}

// at follows keys (strings) and indexes (ints) into decoded JSON.
func at(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, _ := v.(map[string]any)
			v = m[k]
		case int:
			l, _ := v.([]any)
			if k >= len(l) {
				return nil
			}
			v = l[k]
		}
	}
	return v
}

func expectLD(t *testing.T, graph []map[string]any, want map[string]any, paths map[string][]any) {
	t.Helper()
	for name, path := range paths {
		if got := at(graphAsList(graph), path...); got != want[name] {
			t.Errorf("%s: %v, want %v", name, got, want[name])
		}
	}
}

func graphAsList(graph []map[string]any) []any {
	out := make([]any, len(graph))
	for i, node := range graph {
		out[i] = node
	}
	return out
}

func TestArticleStructuredData(t *testing.T) {
	s := &Service{seo: SEO{
		Publisher: Publisher{Name: "Werkwijzer", URL: "https://www.example.nl", Logo: "https://www.example.nl/logo.png"},
		SiteURL:   "https://www.example.nl",
		Patterns:  URLPatterns{"home": "/{locale}/", "article": "/{locale}/artikelen/{slug}"},
	}}
	first := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	a := &PublishedArticle{Locale: "nl", Slug: "werken", PublishedAt: first.AddDate(0, 1, 0), FirstPublishedAt: first}
	a.Structure.Blocks = []BlockStructure{{ID: "f", Type: BlockFAQ, FAQIDs: []string{"q1", "gone"}}}
	a.Fields = ArticleFields{Title: "Werken", Lead: "Over **werk** en meer", OGImageURL: "https://www.example.nl/a.png"}
	faq := &PublishedFAQ{}
	faq.Fields = FAQFields{Question: "Waarom?", Answer: "Daarom."}
	script, err := s.ArticleStructuredData(a, map[string]*PublishedFAQ{"q1": faq})
	graph := ldGraph(t, script, err)
	url := "https://www.example.nl/nl/artikelen/werken"
	expectLD(t, graph, map[string]any{
		"headline": "Werken", "description": "Over werk en meer", "url": url, "image": "https://www.example.nl/a.png",
		"published": "2026-01-02T03:04:05Z", "modified": "2026-02-02T03:04:05Z",
		"publisher": "Werkwijzer", "publisher url": "https://www.example.nl", "logo": "https://www.example.nl/logo.png", "author": "Werkwijzer",
		"FAQ page": "FAQPage", "FAQ page url": url, "question": "Waarom?", "no second question": nil,
		"home": "https://www.example.nl/nl/", "home name": "Werkwijzer", "page": url, "page position": 2.0,
	}, map[string][]any{
		"headline": {0, "headline"}, "description": {0, "description"}, "url": {0, "url"}, "image": {0, "image", 0},
		"published": {0, "datePublished"}, "modified": {0, "dateModified"},
		"publisher": {0, "publisher", "name"}, "publisher url": {0, "publisher", "url"}, "logo": {0, "publisher", "logo", "url"},
		"author":   {0, "author", "name"},
		"FAQ page": {1, "@type"}, "FAQ page url": {1, "url"}, "question": {1, "mainEntity", 0, "name"}, "no second question": {1, "mainEntity", 1},
		"home": {2, "itemListElement", 0, "item"}, "home name": {2, "itemListElement", 0, "name"},
		"page": {2, "itemListElement", 1, "item"}, "page position": {2, "itemListElement", 1, "position"},
	})
}

// TestPlainArticleStructuredData: without a site, publisher or FAQs the
// URLs are relative and there is no publisher or FAQ page.
func TestPlainArticleStructuredData(t *testing.T) {
	s := &Service{seo: SEO{Patterns: URLPatterns{"article": "/a/{slug}"}}}
	a := &PublishedArticle{Locale: "nl", Slug: "werken", PublishedAt: time.Date(2026, 2, 2, 3, 4, 5, 0, time.UTC)}
	a.Fields = ArticleFields{Title: "Werken", SEOTitle: "Kop", SEODescription: "Beschrijving"}
	script, err := s.ArticleStructuredData(a, nil)
	graph := ldGraph(t, script, err)
	expectLD(t, graph, map[string]any{
		"headline": "Kop", "description": "Beschrijving", "url": "/a/werken", "published": "2026-02-02T03:04:05Z",
		"publisher": nil, "image": nil, "crumbs": "BreadcrumbList", "home": "Werken", "nothing more": nil,
	}, map[string][]any{
		"headline": {0, "headline"}, "description": {0, "description"}, "url": {0, "url"}, "published": {0, "datePublished"},
		"publisher": {0, "publisher"}, "image": {0, "image"}, "crumbs": {1, "@type"}, "home": {1, "itemListElement", 0, "name"},
		"nothing more": {2},
	})
}

func TestSitemapTypesFollowTheKinds(t *testing.T) {
	seo := SEO{Patterns: URLPatterns{"article": "/a/{slug}", "home": "/", "role": "/r/{slug}"}}
	if got := seo.sitemapTypes(); !slices.Equal(got, []Type{TypeRole, TypeArticle}) {
		t.Fatalf("sitemap types %v", got)
	}
}

// An Occupation names skills, responsibilities and an image only when the
// role has them: an empty list or URL is left out, not sent empty.
func TestRoleStructuredDataLeavesOutWhatTheRoleLacks(t *testing.T) {
	s := &Service{}
	occupation := func(f RoleFields) map[string]any {
		t.Helper()
		role := &PublishedRole{Locale: "nl", Slug: "kok", PublishedAt: time.Now()}
		role.Fields = f
		script, err := s.RoleStructuredData(role)
		return ldGraph(t, script, err)[0]
	}
	bare := occupation(RoleFields{Title: "Kok", Summary: "Kookt."})
	for _, key := range []string{"skills", "responsibilities", "image"} {
		if v, ok := bare[key]; ok {
			t.Errorf("a role without %s has %s = %v", key, key, v)
		}
	}
	full := occupation(RoleFields{Title: "Kok", Summary: "Kookt.", Competencies: []string{"Koken"},
		Responsibilities: []string{"Het menu"}, OGImageURL: "https://example.com/kok.png"})
	if !slices.Equal(toStrings(full["skills"]), []string{"Koken"}) || !slices.Equal(toStrings(full["responsibilities"]), []string{"Het menu"}) ||
		full["image"] != "https://example.com/kok.png" {
		t.Errorf("a role with skills, responsibilities and an image: %v", full)
	}
}

func toStrings(v any) []string {
	var out []string
	list, _ := v.([]any)
	for _, x := range list {
		s, _ := x.(string)
		out = append(out, s)
	}
	return out
}
