package content

import (
	"strings"
	"time"

	nethtml "golang.org/x/net/html"

	"github.com/werkwijzer/werkwijzer/internal/jsonld"
	"github.com/werkwijzer/werkwijzer/internal/richtext"
)

// The JSON-LD documents below follow schema.org and the properties Google
// documents for Article, FAQPage and BreadcrumbList rich results. Each is
// one @graph, so a page embeds one <script type="application/ld+json">.

type ldObject = map[string]any

// ArticleStructuredData returns the article's JSON-LD, escaped for a
// <script type="application/ld+json"> element: the Article, one FAQPage
// with the questions of all its FAQ blocks (Google reports two FAQPage
// items on one page as an error), and a BreadcrumbList. faqs holds the
// article's FAQs by id as served with it; missing ones are left out.
func (s *Service) ArticleStructuredData(a *PublishedArticle, faqs map[string]*PublishedFAQ) (string, error) {
	f := a.Fields
	headline := f.SEOTitle
	if headline == "" {
		headline = f.Title
	}
	description := f.SEODescription
	if description == "" {
		description = PlainText(f.Lead)
	}
	url := s.seo.pageURL(s.seo.Patterns.Path(string(TypeArticle), a.Locale, a.Slug))
	article := ldObject{
		"@type":         "Article",
		"headline":      headline,
		"description":   description,
		"datePublished": a.firstPublished().Format(time.RFC3339),
		"dateModified":  a.PublishedAt.Format(time.RFC3339),
		"inLanguage":    a.Locale,
	}
	if url != "" {
		article["url"] = url
		article["mainEntityOfPage"] = url
	}
	if f.OGImageURL != "" {
		article["image"] = []string{f.OGImageURL}
	}
	if org := s.seo.organization(); org != nil {
		// Articles name no authors: the publisher is the author, which
		// Google accepts as an Organization.
		article["publisher"] = org
		article["author"] = org
	}
	graph := []ldObject{article}

	var questions []ldObject
	for _, id := range a.Structure.FAQIDs() {
		faq := faqs[id]
		if faq == nil {
			continue
		}
		questions = append(questions, ldObject{
			"@type": "Question",
			"name":  faq.Fields.Question,
			"acceptedAnswer": ldObject{
				"@type": "Answer",
				"text":  richtext.HTML(faq.Fields.Answer),
			},
		})
	}
	if len(questions) > 0 {
		faqPage := ldObject{"@type": "FAQPage", "inLanguage": a.Locale, "mainEntity": questions}
		if url != "" {
			faqPage["url"] = url
		}
		graph = append(graph, faqPage)
	}
	graph = append(graph, s.breadcrumbs(a.Locale, f.Title, url))
	return jsonld.Marshal(ldObject{"@context": "https://schema.org", "@graph": graph})
}

// RoleStructuredData returns the role's JSON-LD, escaped like
// ArticleStructuredData's: an Occupation (with its salary band as
// estimatedSalary when there is one) and a BreadcrumbList.
func (s *Service) RoleStructuredData(r *PublishedRole) (string, error) {
	f := r.Fields
	description := f.SEODescription
	if description == "" {
		description = PlainText(f.Summary)
	}
	url := s.seo.pageURL(s.seo.Patterns.Path(string(TypeRole), r.Locale, r.Slug))
	occupation := ldObject{
		"@type":       "Occupation",
		"name":        f.Title,
		"description": description,
		"inLanguage":  r.Locale,
	}
	if url != "" {
		occupation["url"] = url
		occupation["mainEntityOfPage"] = url
	}
	if len(f.Competencies) > 0 {
		occupation["skills"] = f.Competencies
	}
	if len(f.Responsibilities) > 0 {
		occupation["responsibilities"] = f.Responsibilities
	}
	if f.OGImageURL != "" {
		occupation["image"] = f.OGImageURL
	}
	if sal := r.Structure.Salary; sal != nil {
		occupation["estimatedSalary"] = []ldObject{{
			"@type":    "MonetaryAmountDistribution",
			"name":     "base",
			"currency": sal.Currency,
			"duration": isoPeriod[sal.Period],
			"minValue": sal.Min,
			"maxValue": sal.Max,
		}}
	}
	graph := []ldObject{occupation, s.breadcrumbs(r.Locale, f.Title, url)}
	return jsonld.Marshal(ldObject{"@context": "https://schema.org", "@graph": graph})
}

// isoPeriod is each salary period as the ISO 8601 duration schema.org's
// MonetaryAmountDistribution.duration takes.
var isoPeriod = map[SalaryPeriod]string{PerHour: "PT1H", PerMonth: "P1M", PerYear: "P1Y"}

// breadcrumbs is the trail from the locale's start page to the entry.
// Google wants an item URL on every crumb but the last.
func (s *Service) breadcrumbs(loc, title, url string) ldObject {
	var items []ldObject
	if home := s.seo.pageURL(s.seo.Patterns.Path("home", loc, "")); home != "" {
		name := s.seo.Publisher.Name
		if name == "" {
			name = "Home"
		}
		items = append(items, ldObject{"@type": "ListItem", "position": 1, "name": name, "item": home})
	}
	last := ldObject{"@type": "ListItem", "position": len(items) + 1, "name": title}
	if url != "" {
		last["item"] = url
	}
	items = append(items, last)
	return ldObject{"@type": "BreadcrumbList", "itemListElement": items}
}

// organization is the publisher as a schema.org Organization, or nil.
func (seo SEO) organization() ldObject {
	p := seo.Publisher
	if p.Name == "" {
		return nil
	}
	org := ldObject{"@type": "Organization", "name": p.Name}
	if p.URL != "" {
		org["url"] = p.URL
	}
	if p.Logo != "" {
		org["logo"] = ldObject{"@type": "ImageObject", "url": p.Logo}
	}
	return org
}

// firstPublished is when the entry first went live in its locale; a draft
// or a revision without that date reports its own publication.
func (p *Published[S, F]) firstPublished() time.Time {
	if p.FirstPublishedAt.IsZero() {
		return p.PublishedAt
	}
	return p.FirstPublishedAt
}

// PlainText is Markdown as the text a reader sees, on one line: for
// descriptions, which search engines show as plain text.
func PlainText(markdown string) string {
	z := nethtml.NewTokenizer(strings.NewReader(richtext.HTML(markdown)))
	var b strings.Builder
	for {
		switch z.Next() {
		case nethtml.ErrorToken:
			return strings.Join(strings.Fields(b.String()), " ")
		case nethtml.TextToken:
			b.Write(z.Text())
		case nethtml.StartTagToken, nethtml.EndTagToken, nethtml.SelfClosingTagToken:
			b.WriteByte(' ')
		}
	}
}
