// Package richtext turns the Markdown stored for rich text fields into HTML
// that is safe to inject into a page.
//
// Markdown is parsed as CommonMark with the GitHub Flavored Markdown
// extensions (tables, strikethrough, autolinks and task lists) and the
// resulting HTML always passes through an allow-list sanitizer, so neither
// raw HTML nor Markdown link syntax can smuggle script into the page.
package richtext

import (
	"bytes"
	"regexp"

	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/renderer/html"
)

// converter is built once: a goldmark.Markdown is safe for concurrent Convert
// calls once configured.
var converter = goldmark.New(
	goldmark.WithExtensions(extension.GFM),
	goldmark.WithRendererOptions(
		// Raw HTML is passed through so that harmless inline markup such as
		// <sup> or <kbd> keeps working. This is acceptable only because HTML
		// never returns goldmark output without running it through policy.
		html.WithUnsafe(),
		// Alignment as an align attribute rather than a style attribute, so
		// the policy can keep rejecting style attributes altogether.
		extension.WithTableCellAlignMethod(extension.TableCellAlignAttribute),
	),
)

// policy is built once: a bluemonday.Policy is safe for concurrent use once it
// is no longer modified.
var policy = newPolicy()

// newPolicy returns the sanitizer policy for rendered rich text. It starts
// from bluemonday's policy for user generated content, which already allows
// headings, lists, tables, emphasis, code, blockquotes, links and images, and
// strips scripts, styles, iframes, event handler and style attributes.
func newPolicy() *bluemonday.Policy {
	p := bluemonday.UGCPolicy()

	// URLs must parse and be relative or use one of these schemes. The scheme
	// is compared after net/url has lower-cased it, and URLs containing
	// whitespace are rejected, so "JaVaScRiPt:" and "java&#x09;script:" are
	// refused like "javascript:"; so are "vbscript:" and "data:". Image
	// sources follow the same rules, so http(s) and relative images work.
	p.AllowURLSchemes("http", "https", "mailto", "tel")

	// Links within the site are trusted; only links leaving it get nofollow.
	p.RequireNoFollowOnLinks(false)
	p.RequireNoFollowOnFullyQualifiedLinks(true)

	// Ordered lists that do not start at 1 keep their numbering.
	p.AllowAttrs("start").Matching(bluemonday.Integer).OnElements("ol")

	// Fenced code blocks keep their language class so a front end can
	// highlight them; no other class is allowed, as content must not borrow
	// the site's styling.
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^language-[\w.+#-]+$`)).OnElements("code")

	// GFM task list items render as disabled checkboxes. Only the attributes
	// goldmark writes are allowed, and an input left without any of them is
	// dropped. Raw HTML can still yield e.g. <input checked>, a text box;
	// with no form, name or value allowed it can submit nothing.
	p.AllowAttrs("type").Matching(regexp.MustCompile(`^checkbox$`)).OnElements("input")
	p.AllowAttrs("checked", "disabled").Matching(regexp.MustCompile(`^$`)).OnElements("input")

	return p
}

// cache remembers recent renderings: published text changes rarely and is
// read often, and rendering plus sanitizing costs far more than a lookup.
// Only texts up to cacheableBytes are kept, which bounds the memory it can
// hold to about cacheEntries × (cacheableBytes + its HTML).
var cache = must(lru.New[string, string](cacheEntries))

const (
	cacheEntries   = 2048
	cacheableBytes = 16 << 10
)

func must[T any](v T, err error) T {
	if err != nil {
		panic(err) // only for constant, valid arguments
	}
	return v
}

// HTML renders CommonMark + GitHub Flavored Markdown (tables, strikethrough,
// autolinks, task lists) to HTML that is safe to inject into a page.
func HTML(markdown string) string {
	if len(markdown) > cacheableBytes {
		return render(markdown)
	}
	if html, ok := cache.Get(markdown); ok {
		return html
	}
	html := render(markdown)
	cache.Add(markdown, html)
	return html
}

func render(markdown string) string {
	var rendered bytes.Buffer
	if err := converter.Convert([]byte(markdown), &rendered); err != nil {
		// Convert only fails when writing fails, which a bytes.Buffer never
		// does. Should that change, render nothing rather than half a document.
		return ""
	}
	return policy.Sanitize(rendered.String())
}
