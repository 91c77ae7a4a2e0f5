package seed

// File is the shape of the embedded sample-content data file (sample.yaml).
// Entries refer to each other by Key, a stable name used only inside the
// file; the loader turns keys into entry ids. Every translatable part has a
// map from locale code ("nl", "en") to its text, so adding a locale is a
// matter of adding keys, not changing code.
type File struct {
	Roles       []Role       `yaml:"roles"`
	FAQs        []FAQ        `yaml:"faqs"`
	Comparisons []Comparison `yaml:"comparisons"`
	Articles    []Article    `yaml:"articles"`
}

// Role is a job profile such as "office manager".
type Role struct {
	Key string `yaml:"key"`
	// Salary is an optional numeric range; the seed article gives none, so
	// it stays empty there and the prose lives in SalaryNotes.
	Salary       *SalaryRange               `yaml:"salary,omitempty"`
	FAQs         []string                   `yaml:"faqs"` // FAQ keys, in display order
	Translations map[string]RoleTranslation `yaml:"translations"`
}

// SalaryRange is a gross salary band.
type SalaryRange struct {
	Min      int    `yaml:"min"`
	Max      int    `yaml:"max"`
	Currency string `yaml:"currency"` // ISO 4217, e.g. EUR
	Period   string `yaml:"period"`   // HOUR, MONTH or YEAR
}

// RoleTranslation is one locale's text of a role. Markdown fields hold
// CommonMark/GFM; list fields are plain sentences, one per item.
type RoleTranslation struct {
	Slug             string   `yaml:"slug"`
	Title            string   `yaml:"title"`
	Summary          string   `yaml:"summary"` // Markdown, one or two sentences
	Body             string   `yaml:"body"`    // Markdown
	Responsibilities []string `yaml:"responsibilities"`
	DailyTasks       []string `yaml:"dailyTasks"`
	Competencies     []string `yaml:"competencies"`
	CareerPaths      []string `yaml:"careerPaths"`
	Certifications   []string `yaml:"certifications"`
	Tools            []string `yaml:"tools"`
	SalaryNotes      string   `yaml:"salaryNotes"` // Markdown
}

// FAQ is one question with its answer.
type FAQ struct {
	Key          string                    `yaml:"key"`
	Translations map[string]FAQTranslation `yaml:"translations"`
}

// FAQTranslation is one locale's question and answer.
type FAQTranslation struct {
	Slug     string `yaml:"slug"`
	Question string `yaml:"question"`
	Answer   string `yaml:"answer"` // Markdown
}

// Comparison sets two or more roles side by side, row by row.
type Comparison struct {
	Key          string                           `yaml:"key"`
	Roles        []string                         `yaml:"roles"` // role keys, column order
	Rows         []string                         `yaml:"rows"`  // row keys, display order
	Translations map[string]ComparisonTranslation `yaml:"translations"`
}

// ComparisonTranslation is one locale's text of a comparison.
type ComparisonTranslation struct {
	Slug  string                    `yaml:"slug"`
	Title string                    `yaml:"title"`
	Intro string                    `yaml:"intro"` // Markdown, may be empty
	Rows  map[string]ComparisonCell `yaml:"rows"`  // by row key
}

// ComparisonCell is one row: the dimension it compares and one value per
// role, in the comparison's role order.
type ComparisonCell struct {
	Label  string   `yaml:"label"`
	Values []string `yaml:"values"`
}

// Article is a page made of ordered blocks.
type Article struct {
	Key          string                        `yaml:"key"`
	Translations map[string]ArticleTranslation `yaml:"translations"`
	Blocks       []Block                       `yaml:"blocks"`
}

// ArticleTranslation is one locale's page-level text of an article.
type ArticleTranslation struct {
	Slug           string `yaml:"slug"`
	Title          string `yaml:"title"`
	Lead           string `yaml:"lead"` // Markdown: the intro paragraph
	SEOTitle       string `yaml:"seoTitle"`
	SEODescription string `yaml:"seoDescription"`
}

// Block is one part of an article. Type says which of the optional fields
// apply:
//   - richText: Translations carry anchor, heading (may be empty for a
//     continuation paragraph) and body.
//   - comparison: Comparison is a comparison key; Translations may carry an
//     anchor and heading.
//   - faq: FAQs are FAQ keys in order; Translations carry anchor and heading.
//   - vacancyList: Role is a role key and Limit how many vacancies to show;
//     Translations may carry a heading.
//   - callToAction: Translations carry label and url.
type Block struct {
	Type         string                      `yaml:"type"`
	Comparison   string                      `yaml:"comparison,omitempty"`
	FAQs         []string                    `yaml:"faqs,omitempty"`
	Role         string                      `yaml:"role,omitempty"`
	Limit        int                         `yaml:"limit,omitempty"`
	Translations map[string]BlockTranslation `yaml:"translations"`
}

// BlockTranslation is one locale's text of a block.
type BlockTranslation struct {
	Anchor  string `yaml:"anchor,omitempty"`
	Heading string `yaml:"heading,omitempty"`
	Body    string `yaml:"body,omitempty"` // Markdown
	Label   string `yaml:"label,omitempty"`
	URL     string `yaml:"url,omitempty"`
}
