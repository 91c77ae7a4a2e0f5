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
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Graph []map[string]any `json:"@graph"`
	}
	if err := json.Unmarshal([]byte(script), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Graph) != 3 {
		t.Fatalf("graph %v: want the Article, the FAQPage and the breadcrumbs", doc.Graph)
	}
	article, faqPage, crumbs := doc.Graph[0], doc.Graph[1], doc.Graph[2]
	url := "https://www.example.nl/nl/artikelen/werken"
	if article["headline"] != "Werken" || article["description"] != "Over werk en meer" || article["url"] != url ||
		article["datePublished"] != "2026-01-02T03:04:05Z" || article["dateModified"] != "2026-02-02T03:04:05Z" {
		t.Errorf("article: %v", article)
	}
	if image, _ := article["image"].([]any); len(image) != 1 || image[0] != "https://www.example.nl/a.png" {
		t.Errorf("image: %v", article["image"])
	}
	publisher, _ := article["publisher"].(map[string]any)
	if publisher["name"] != "Werkwijzer" || publisher["url"] != "https://www.example.nl" || publisher["logo"] == nil || article["author"] == nil {
		t.Errorf("publisher: %v, author %v", publisher, article["author"])
	}
	if questions, _ := faqPage["mainEntity"].([]any); faqPage["@type"] != "FAQPage" || faqPage["url"] != url || len(questions) != 1 {
		t.Errorf("FAQ page: %v", faqPage)
	}
	items, _ := crumbs["itemListElement"].([]any)
	if len(items) != 2 || items[0].(map[string]any)["item"] != "https://www.example.nl/nl/" || items[0].(map[string]any)["name"] != "Werkwijzer" ||
		items[1].(map[string]any)["item"] != url || items[1].(map[string]any)["position"] != 2.0 {
		t.Errorf("breadcrumbs: %v", items)
	}

	// Without a site, publisher or FAQs: relative URLs, no publisher, no FAQ page.
	s.seo = SEO{Patterns: URLPatterns{"article": "/a/{slug}"}}
	a.Structure.Blocks, a.Fields.SEOTitle, a.Fields.SEODescription, a.FirstPublishedAt = nil, "Kop", "Beschrijving", time.Time{}
	script, err = s.ArticleStructuredData(a, nil)
	if err != nil {
		t.Fatal(err)
	}
	doc.Graph = nil
	if err := json.Unmarshal([]byte(script), &doc); err != nil {
		t.Fatal(err)
	}
	article = doc.Graph[0]
	if len(doc.Graph) != 2 || article["headline"] != "Kop" || article["description"] != "Beschrijving" || article["url"] != "/a/werken" ||
		article["publisher"] != nil || article["datePublished"] != "2026-02-02T03:04:05Z" {
		t.Errorf("plain article: %v", doc.Graph)
	}
}

func TestSitemapTypesFollowTheKinds(t *testing.T) {
	seo := SEO{Patterns: URLPatterns{"article": "/a/{slug}", "home": "/", "role": "/r/{slug}"}}
	if got := seo.sitemapTypes(); !slices.Equal(got, []Type{TypeRole, TypeArticle}) {
		t.Fatalf("sitemap types %v", got)
	}
}
