package content

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/werkwijzer/werkwijzer/internal/apperr"
	"github.com/werkwijzer/werkwijzer/internal/cachetag"
)

// SEO is what the content service needs to know about the public site to
// describe its pages to search engines: who publishes them, where they
// live, and how an entry's page URL is built.
type SEO struct {
	// Publisher is the organisation named as the publisher (and, lacking
	// authors, the author) of articles; omitted when Name is empty.
	Publisher Publisher
	// SiteURL is the public site's origin, such as
	// https://www.example.nl; empty leaves page URLs relative paths, which
	// a JSON-LD reader resolves against the page they are embedded in.
	SiteURL string
	// Patterns are the page paths per entry type; a type without one has
	// no public page of its own (it is left out of the sitemap).
	Patterns URLPatterns
}

// Publisher is the organisation behind the site.
type Publisher struct {
	Name string
	URL  string
	Logo string
}

// URLPatterns maps an entry type (or "home", the locale's start page) to
// a path with {locale} and {slug} placeholders.
type URLPatterns map[string]string

// DefaultURLPatterns is what WERKWIJZER_URL_PATTERNS holds unless set.
const DefaultURLPatterns = "home=/{locale}/,role=/{locale}/functies/{slug},article=/{locale}/artikelen/{slug}"

// ParseURLPatterns reads "type=/path/{slug},..." as in
// WERKWIJZER_URL_PATTERNS. Each key is home or an entry type; each path
// starts with / and an entry type's has {slug}.
func ParseURLPatterns(s string) (URLPatterns, error) {
	out := URLPatterns{}
	for part := range strings.SplitSeq(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		key, path, ok := strings.Cut(part, "=")
		key, path = strings.TrimSpace(key), strings.TrimSpace(path)
		if !ok || (key != "home" && !Type(key).Valid()) {
			return nil, fmt.Errorf("%q: want home, role, article, comparison or faq, then = and a path", part)
		}
		if _, dup := out[key]; dup {
			return nil, fmt.Errorf("%s is given twice", key)
		}
		if !strings.HasPrefix(path, "/") || strings.HasPrefix(path, "//") || strings.ContainsAny(path, " \t\r\n\\?#\"<>") {
			return nil, fmt.Errorf("%s: the path %q must start with a single / and have no spaces, quotes, ? or #", key, path)
		}
		rest := strings.NewReplacer("{locale}", "", "{slug}", "").Replace(path)
		if strings.ContainsAny(rest, "{}") {
			return nil, fmt.Errorf("%s: %q may only use the placeholders {locale} and {slug}", key, path)
		}
		if key != "home" && !strings.Contains(path, "{slug}") {
			return nil, fmt.Errorf("%s: %q needs {slug}", key, path)
		}
		out[key] = path
	}
	return out, nil
}

// CheckSiteURL accepts an empty site URL or an http(s) origin without a
// query or fragment; it returns it without a trailing slash.
func CheckSiteURL(s string) (string, error) {
	if s == "" {
		return "", nil
	}
	if !AbsoluteHTTPURL(s) {
		return "", fmt.Errorf("%q: want an http(s) URL such as https://www.example.nl", s)
	}
	u, _ := url.Parse(s)
	if u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("%q: want no query or fragment", s)
	}
	return strings.TrimSuffix(s, "/"), nil
}

// AbsoluteHTTPURL reports whether s is an absolute http or https URL with
// a host and nothing a page could not carry in an attribute.
func AbsoluteHTTPURL(s string) bool {
	if strings.ContainsAny(s, " \t\r\n\x00\\\"'<>") {
		return false
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || u.User != nil {
		return false
	}
	return slices.Contains([]string{"http", "https"}, strings.ToLower(u.Scheme))
}

// SetSEO sets what the service knows about the public site. Set it before
// the service is used.
func (s *Service) SetSEO(seo SEO) { s.seo = seo }

// Path returns the page path of an entry of typ with slug in loc, or ""
// when typ has no page.
func (p URLPatterns) Path(key, loc, slug string) string {
	pattern, ok := p[key]
	if !ok {
		return ""
	}
	return strings.NewReplacer("{locale}", loc, "{slug}", slug).Replace(pattern)
}

// pageURL makes a path absolute on the site, when the site URL is known.
func (seo SEO) pageURL(path string) string {
	if path == "" {
		return ""
	}
	return seo.SiteURL + path
}

// SitemapEntry is one published page of the sitemap of a locale.
type SitemapEntry struct {
	EntryID string
	Type    Type
	Locale  string
	Slug    string
	// LastModified is when the page's live revision was published.
	LastModified time.Time
	// Alternates are the other locales the entry is live in, each with
	// its slug there.
	Alternates []Alternate
}

// SitemapPage is an entry of the sitemap with its page paths.
type SitemapPage struct {
	SitemapEntry
	Path string
	// AlternatePaths are the entry's pages in the other supported locales
	// it is published in, in locale order.
	AlternatePaths []AlternatePath
}

// AlternatePath is an entry's page in another locale.
type AlternatePath struct {
	Locale string
	Path   string
}

// sitemapTypes are the entry types with a page of their own.
func (seo SEO) sitemapTypes() []Type {
	var types []Type
	for _, k := range kinds {
		if _, ok := seo.Patterns[string(k.typ())]; ok {
			types = append(types, k.typ())
		}
	}
	return types
}

// Sitemap pages through every entry published in loc whose type has a page
// (WERKWIJZER_URL_PATTERNS), by id, with its alternates: only locales it
// is itself published in, never a fallback. Each page costs two
// statements however many entries and locales it holds.
func (s *Service) Sitemap(ctx context.Context, loc string, page Page) (List[SitemapPage], error) {
	requested, _, err := s.chain(loc)
	if err != nil {
		return List[SitemapPage]{}, err
	}
	types := s.seo.sitemapTypes()
	for _, t := range types {
		cachetag.Add(ctx, cachetag.List(string(t)))
	}
	if len(types) == 0 {
		return List[SitemapPage]{}, nil
	}
	limit := page.Limit
	page.Limit = limit + 1 // one more tells whether there is a next page
	entries, err := s.store.Sitemap(ctx, types, requested, page)
	if err != nil {
		return List[SitemapPage]{}, fmt.Errorf("sitemap of %s: %w", requested, err)
	}
	page.Limit = limit
	cutEntries := cut(entries, page)
	list := List[SitemapPage]{HasNextPage: cutEntries.HasNextPage, HasPreviousPage: cutEntries.HasPreviousPage}
	entries = cutEntries.Items
	order := s.locales.Codes()
	for _, e := range entries {
		p := SitemapPage{SitemapEntry: e, Path: s.seo.Patterns.Path(string(e.Type), e.Locale, e.Slug), AlternatePaths: []AlternatePath{}}
		for _, code := range order {
			i := slices.IndexFunc(e.Alternates, func(a Alternate) bool { return a.Locale == code })
			if code == requested || i < 0 {
				continue
			}
			p.AlternatePaths = append(p.AlternatePaths, AlternatePath{Locale: code, Path: s.seo.Patterns.Path(string(e.Type), code, e.Alternates[i].Slug)})
		}
		list.Items = append(list.Items, p)
	}
	return list, nil
}

// CountSitemap counts what Sitemap pages through.
func (s *Service) CountSitemap(ctx context.Context, loc string) (int, error) {
	requested, _, err := s.chain(loc)
	if err != nil {
		return 0, err
	}
	types := s.seo.sitemapTypes()
	if len(types) == 0 {
		return 0, nil
	}
	return s.store.CountSitemap(ctx, types, requested)
}

// checkOGImage refuses an og:image that is not an absolute http(s) URL:
// link previews and structured data need one they can fetch.
func checkOGImage(image string) error {
	if image != "" && !AbsoluteHTTPURL(image) {
		return badInput("ogImageUrl", apperr.InvalidURL, "ogImageUrl %q must be an absolute https or http URL", image)
	}
	return nil
}
