// Package model holds the GraphQL transport types: hand-written ones here,
// where a resolver needs data the schema does not expose (ids to load
// related entries by), and generated ones in models_gen.go.
package model

import (
	"context"
	"time"

	"github.com/werkwijzer/werkwijzer/internal/richtext"
)

// Localized is implemented by every published, translated entry.
type Localized interface{ IsLocalized() }

// ArticleBlock is implemented by every block type of an article.
type ArticleBlock interface{ IsArticleBlock() }

// Served is what every localized entry reports about its locale.
type Served struct {
	ID              string
	Locale          string
	RequestedLocale string
	IsFallback      bool
	Slug            string
	SlugIsCurrent   bool
	Alternates      []Alternate
	UpdatedAt       time.Time
	PublishedAt     time.Time
	// Preview is set on drafts served to an editor; entries they refer
	// to are then loaded as drafts too.
	Preview bool
}

// RichText is Markdown; its HTML is rendered only when asked for.
type RichText struct {
	Markdown string
}

// HTML renders the Markdown. It is a method rather than a resolver so
// gqlgen calls it inline: rendering needs no context or I/O (and is
// memoized by richtext), and a goroutine per rich text field, with its
// stack grown by the Markdown parser, cost more than the rendering.
func (r RichText) HTML() string { return richtext.HTML(r.Markdown) }

// Role is a published role.
type Role struct {
	Served
	Title            string
	Summary          RichText
	Body             RichText
	Responsibilities []string
	DailyTasks       []string
	Competencies     []string
	CareerPaths      []string
	Certifications   []string
	Tools            []string
	SalaryNotes      RichText
	Salary           *SalaryRange
	// FAQIDs load Role.faqs.
	FAQIDs         []string
	SEOTitle       string
	SEODescription string
	OgImageURL     *string
	// StructuredData makes the role's JSON-LD, only when a query asks.
	StructuredData func() (string, error)
}

func (Role) IsLocalized() {}

// Article is a published article.
type Article struct {
	Served
	Title          string
	Lead           RichText
	SEOTitle       string
	SEODescription string
	Blocks         []ArticleBlock
	OgImageURL     *string
	// StructuredData makes the article's JSON-LD, only when a query asks:
	// it loads the FAQs of the article's blocks.
	StructuredData func(ctx context.Context) (string, error)
}

func (Article) IsLocalized() {}

// Comparison is a published comparison.
type Comparison struct {
	Served
	Title string
	Intro RichText
	Rows  []ComparisonRow
	// RoleIDs load Comparison.roles.
	RoleIDs []string
}

func (Comparison) IsLocalized() {}

// FAQ is a published FAQ.
type FAQ struct {
	Served
	Question string
	Answer   RichText
}

func (FAQ) IsLocalized() {}

// RichTextBlock is a section of an article.
type RichTextBlock struct {
	ID      string
	Anchor  string
	Heading string
	Body    RichText
}

func (RichTextBlock) IsArticleBlock() {}

// ComparisonBlock shows a comparison.
type ComparisonBlock struct {
	ID           string
	Anchor       string
	Heading      string
	ComparisonID string
	// Locale is the article's requested locale; related entries are
	// served in it or their own fallback, and as drafts when Preview.
	Locale  string
	Preview bool
}

func (ComparisonBlock) IsArticleBlock() {}

// FAQBlock lists FAQs.
type FAQBlock struct {
	ID      string
	Anchor  string
	Heading string
	FAQIDs  []string
	Locale  string
	Preview bool
}

func (FAQBlock) IsArticleBlock() {}

// VacancyListBlock lists a role's vacancies.
type VacancyListBlock struct {
	ID      string
	Anchor  string
	Heading string
	RoleID  string
	Limit   int
	Locale  string
	Preview bool
}

func (VacancyListBlock) IsArticleBlock() {}

// CallToActionBlock asks the reader to act.
type CallToActionBlock struct {
	ID    string
	Label string
	URL   string
}

func (CallToActionBlock) IsArticleBlock() {}

// Counter computes a connection's totalCount, only when it is selected.
type Counter func(ctx context.Context) (int, error)

// ArticleConnection is a page of articles.
type ArticleConnection struct {
	Edges    []ArticleEdge
	PageInfo PageInfo
	Count    Counter
}

// RoleConnection is a page of roles.
type RoleConnection struct {
	Edges    []RoleEdge
	PageInfo PageInfo
	Count    Counter
}

// FAQConnection is a page of FAQs.
type FAQConnection struct {
	Edges    []FAQEdge
	PageInfo PageInfo
	Count    Counter
}

// Entry is an entry as editors see it.
type Entry struct {
	ID               string
	Type             EntryType
	Version          int
	StructureVersion int
	Label            string
	CreatedAt        time.Time
	UpdatedAt        time.Time
	Structure        JSON
	Translations     []EntryTranslation
	Live             []LiveTranslation
	Status           []TranslationStatus
	Scheduled        []ScheduledAction
	// UpdatedByID resolves Entry.updatedBy.
	UpdatedByID string
}

// EntryTranslation is one locale's draft.
type EntryTranslation struct {
	Locale      string
	Version     int
	Slug        string
	Fields      JSON
	UpdatedAt   time.Time
	UpdatedByID string
}

// Revision is a snapshot in an entry's history.
type Revision struct {
	ID           string
	EntryID      string
	Locale       string
	Number       int
	Kind         RevisionKind
	Slug         string
	Document     JSON
	CreatedAt    time.Time
	RestoredFrom *string
	// CreatedByID resolves Revision.createdBy.
	CreatedByID string
}

// AuditEntry is one change in the audit log.
type AuditEntry struct {
	ID        string
	At        time.Time
	Action    string
	EntryID   *string
	EntryType *EntryType
	Locale    *string
	Details   JSON
	// ActorID resolves AuditEntry.actor.
	ActorID string
}

// EntryConnection is a page of entries.
type EntryConnection struct {
	Edges    []EntryEdge
	PageInfo PageInfo
	Count    Counter
}

// SitemapConnection is a page of the sitemap.
type SitemapConnection struct {
	Edges    []SitemapEdge
	PageInfo PageInfo
	Count    Counter
}
