// Package content holds Werkwijzer's career content: roles, articles made of
// blocks, comparisons of roles, and FAQs, each translated per locale.
//
// Every entry has a locale-independent structure (which blocks in which
// order, which roles a comparison sets side by side) and per-locale fields
// (the text). Editors change a draft of both; publishing a locale freezes
// the structure and that locale's fields into an immutable revision, and the
// public API reads only those. This package owns the types and the rules;
// storage is behind the Store interface.
package content

import (
	"encoding/json"
	"fmt"
	"time"
)

// Type is the kind of an entry.
type Type string

const (
	TypeRole       Type = "role"
	TypeArticle    Type = "article"
	TypeComparison Type = "comparison"
	TypeFAQ        Type = "faq"
)

// Valid reports whether t is a known entry type.
func (t Type) Valid() bool {
	switch t {
	case TypeRole, TypeArticle, TypeComparison, TypeFAQ:
		return true
	}
	return false
}

// Role is a job profile.
type Role struct {
	Structure RoleStructure
	Fields    RoleFields
}

// RoleStructure is the locale-independent part of a role.
type RoleStructure struct {
	Salary *SalaryRange `json:"salary,omitempty"`
	// FAQIDs are the FAQs shown with the role, in order.
	FAQIDs []string `json:"faqIds"`
}

// SalaryPeriod is what a salary amount is paid for.
type SalaryPeriod string

const (
	PerHour  SalaryPeriod = "HOUR"
	PerMonth SalaryPeriod = "MONTH"
	PerYear  SalaryPeriod = "YEAR"
)

// SalaryRange is a gross salary band in whole currency units.
type SalaryRange struct {
	Min      int          `json:"min"`
	Max      int          `json:"max"`
	Currency string       `json:"currency"`
	Period   SalaryPeriod `json:"period"`
}

// RoleFields is one locale's text of a role. Markdown fields are Markdown.
type RoleFields struct {
	Title            string   `json:"title"`
	Summary          string   `json:"summary"`
	Body             string   `json:"body"`
	Responsibilities []string `json:"responsibilities"`
	DailyTasks       []string `json:"dailyTasks"`
	Competencies     []string `json:"competencies"`
	CareerPaths      []string `json:"careerPaths"`
	Certifications   []string `json:"certifications"`
	Tools            []string `json:"tools"`
	SalaryNotes      string   `json:"salaryNotes"`
	// SEOTitle, SEODescription and OGImageURL describe the role's page to
	// search engines and link previews; empty means "derive it".
	SEOTitle       string `json:"seoTitle,omitempty"`
	SEODescription string `json:"seoDescription,omitempty"`
	OGImageURL     string `json:"ogImageUrl,omitempty"`
}

// Article is a page of ordered blocks.
type Article struct {
	Structure ArticleStructure
	Fields    ArticleFields
}

// ArticleStructure is the block order and what each block refers to.
type ArticleStructure struct {
	Blocks []BlockStructure `json:"blocks"`
}

// BlockType is the kind of an article block.
type BlockType string

const (
	BlockRichText     BlockType = "richText"
	BlockComparison   BlockType = "comparison"
	BlockFAQ          BlockType = "faq"
	BlockVacancyList  BlockType = "vacancyList"
	BlockCallToAction BlockType = "callToAction"
)

// BlockStructure is the locale-independent part of a block. Which reference
// applies depends on Type.
type BlockStructure struct {
	ID           string    `json:"id"`
	Type         BlockType `json:"type"`
	ComparisonID string    `json:"comparisonId,omitempty"`
	FAQIDs       []string  `json:"faqIds,omitempty"`
	RoleID       string    `json:"roleId,omitempty"`
	Limit        int       `json:"limit,omitempty"`
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

// BlockFields is one locale's text of a block.
type BlockFields struct {
	Anchor  string `json:"anchor,omitempty"`
	Heading string `json:"heading,omitempty"`
	Body    string `json:"body,omitempty"`
	Label   string `json:"label,omitempty"`
	URL     string `json:"url,omitempty"`
}

// Comparison sets roles side by side, row by row.
type Comparison struct {
	Structure ComparisonStructure
	Fields    ComparisonFields
}

// ComparisonStructure is the column (role) and row order.
type ComparisonStructure struct {
	RoleIDs []string `json:"roleIds"`
	RowIDs  []string `json:"rowIds"`
}

// ComparisonFields is one locale's text of a comparison.
type ComparisonFields struct {
	Title string `json:"title"`
	Intro string `json:"intro"`
	// Rows holds each row's text by row id.
	Rows map[string]ComparisonRow `json:"rows"`
}

// ComparisonRow is a dimension and one value per role, in role order.
type ComparisonRow struct {
	Label  string   `json:"label"`
	Values []string `json:"values"`
}

// FAQ is a question with its answer.
type FAQ struct {
	Structure FAQStructure
	Fields    FAQFields
}

// FAQStructure is empty today; it exists so every type has the same shape
// and a later locale-independent FAQ property has a place to go.
type FAQStructure struct{}

// FAQFields is one locale's question and answer (Markdown).
type FAQFields struct {
	Question string `json:"question"`
	Answer   string `json:"answer"`
}

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
