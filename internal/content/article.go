package content

import (
	"fmt"
	"maps"
	"regexp"
	"slices"

	"github.com/werkwijzer/werkwijzer/internal/apperr"
)

// TypeArticle is a page of ordered blocks.
const TypeArticle Type = "article"

// ArticleStructure is the block order and what each block refers to.
type ArticleStructure struct {
	Blocks []BlockStructure `json:"blocks"`
}

// ArticleFields is one locale's text of an article.
type ArticleFields struct {
	Title          string `json:"title"`
	Lead           string `json:"lead"`
	SEOTitle       string `json:"seoTitle"`
	SEODescription string `json:"seoDescription"`
	// OGImageURL is the image of link previews (og:image) and of the
	// article's structured data: an absolute http(s) URL, or empty.
	OGImageURL string `json:"ogImageUrl,omitempty"`
	// Blocks holds each block's text by block id.
	Blocks map[string]BlockFields `json:"blocks"`
}

// Kind is TypeArticle.
func (ArticleStructure) Kind() Type { return TypeArticle }

// Kind is TypeArticle.
func (ArticleFields) Kind() Type { return TypeArticle }

// check refuses more than maxBlocks blocks, a block id that is malformed
// or given twice (its text is found by id), and what each block's kind
// refuses.
func (s ArticleStructure) check(refs references) error {
	if len(s.Blocks) > maxBlocks {
		return badInput("blocks", apperr.TooMany, "an article has at most %d blocks", maxBlocks).With("max", maxBlocks)
	}
	seen := make(map[string]bool, len(s.Blocks))
	for i, b := range s.Blocks {
		at := fmt.Sprintf("blocks[%d]", i)
		if !partIDPattern.MatchString(b.ID) || seen[b.ID] {
			reason := apperr.InvalidFormat
			if seen[b.ID] {
				reason = apperr.Duplicate
			}
			return badInput(at+".id", reason, "%s.id %q must be unique in the article and 1 to 64 letters, digits, '-' or '_'", at, b.ID)
		}
		seen[b.ID] = true
		k, ok := blockKinds[b.Type]
		if !ok {
			return badInput(at+".type", apperr.UnsupportedValue, "%s has the unknown type %q", at, b.Type).With("allowed", slices.Sorted(maps.Keys(blockKinds)))
		}
		if err := k.check(at, b, refs); err != nil {
			return err
		}
	}
	return nil
}

var anchorPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{0,100}$`)

// check validates what an article's text links to: a call to action
// leads to an http(s) URL, a path on the site, an anchor, or a mail or
// phone link, never a script; anchors are fragment-safe; the og:image is
// an absolute URL.
func (f ArticleFields) check() error {
	for id, b := range f.Blocks {
		if !anchorPattern.MatchString(b.Anchor) {
			return badInput("blocks."+id+".anchor", apperr.InvalidFormat, "anchor %q must be letters, digits, '-' or '_' (at most 100)", b.Anchor)
		}
		if b.URL != "" && !SafeLink(b.URL) {
			return badInput("blocks."+id+".url", apperr.InvalidURL, "url %q must be an https or http URL, a path starting with /, an #anchor, or a mailto: or tel: link", b.URL)
		}
	}
	return checkOGImage(f.OGImageURL)
}

// required: an article needs its title and lead, and each block what its
// kind requires.
func (f ArticleFields) required(s ArticleStructure, m *missing) {
	m.text("title", f.Title)
	m.text("lead", f.Lead)
	for i, b := range s.Blocks {
		if k, ok := blockKinds[b.Type]; ok {
			k.required(fmt.Sprintf("blocks[%d].", i), f.Blocks[b.ID], m)
		}
	}
}
