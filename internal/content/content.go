// Package content holds Werkwijzer's career content: roles, articles made of
// blocks, comparisons of roles, and FAQs, each translated per locale.
//
// Every entry has a locale-independent structure (which blocks in which
// order, which roles a comparison sets side by side) and per-locale fields
// (the text). Editors change a draft of both; publishing a locale freezes
// the structure and that locale's fields into an immutable revision, and the
// public API reads only those. This package owns the types and the rules;
// storage is behind the Store interface.
//
// Each entry type has one file that owns its structure, its fields and
// their rules (validation, references, required fields): role.go,
// article.go (with block.go for the block types), comparison.go and
// faq.go. kind.go holds what they have in common: the closed Structure
// and Fields interfaces and the table of kinds the service looks a stored
// type up in.
package content

import (
	"encoding/json"
	"fmt"
	"time"
)

// Document is what a revision freezes: the structure and one locale's
// fields, encoded as JSON by the store.
type Document[S, F any] struct {
	Structure S `json:"structure"`
	Fields    F `json:"fields"`
}

// Published is one entry as the public API serves it: the live revision of
// the best locale available for the request.
type Published[S, F any] struct {
	EntryID string
	Type    Type
	// Locale is the locale served; RequestedLocale the one asked for.
	// They differ when the entry has no published translation in the
	// requested locale and fell back along the locale chain.
	Locale          string
	RequestedLocale string
	Slug            string
	RevisionNumber  int
	UpdatedAt       time.Time
	PublishedAt     time.Time
	// FirstPublishedAt is when the entry first went live in Locale; zero
	// for drafts.
	FirstPublishedAt time.Time
	// Alternates lists every locale the entry is live in, this one too.
	Alternates []Alternate
	// RequestedSlug is the slug it was looked up by, when it was; and
	// SlugIsCurrent whether that is the entry's slug in the served locale
	// (false for a former slug or another locale's: redirect to Slug).
	RequestedSlug string
	SlugIsCurrent bool
	// Draft is true when this is an editor's draft (preview), not a live
	// revision.
	Draft bool
	Document[S, F]
}

// IsFallback reports whether another locale than the requested one was served.
func (p *Published[S, F]) IsFallback() bool { return p.Locale != p.RequestedLocale }

// Alternate is the slug an entry is published under in one locale, for
// hreflang links.
type Alternate struct {
	Locale string
	Slug   string
}

// PublishedRole and its siblings name the public read models.
type (
	PublishedRole       = Published[RoleStructure, RoleFields]
	PublishedArticle    = Published[ArticleStructure, ArticleFields]
	PublishedComparison = Published[ComparisonStructure, ComparisonFields]
	PublishedFAQ        = Published[FAQStructure, FAQFields]
)

// decodePublished turns a stored live revision into its typed form.
func decodePublished[S, F any](rev PublishedRevision, requested string) (*Published[S, F], error) {
	p := &Published[S, F]{
		EntryID:          rev.EntryID,
		Type:             rev.Type,
		Locale:           rev.Locale,
		RequestedLocale:  requested,
		Slug:             rev.Slug,
		RevisionNumber:   rev.Number,
		UpdatedAt:        rev.UpdatedAt,
		PublishedAt:      rev.PublishedAt,
		FirstPublishedAt: rev.FirstPublishedAt,
	}
	if err := json.Unmarshal(rev.Document, &p.Document); err != nil {
		return nil, fmt.Errorf("decode %s %s revision %d (%s): %w", rev.Type, rev.EntryID, rev.Number, rev.Locale, err)
	}
	return p, nil
}
