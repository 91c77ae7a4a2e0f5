// Package seed loads Werkwijzer's sample content: the article the product
// grew from ("Office manager vs personal assistant"), its two roles, the
// comparison table and its six FAQs, in Dutch and English. The content is a
// data file embedded in the binary (sample.yaml, shaped by File), loaded
// through the content service so the same rules apply as to an editor's
// work, and published in every locale it has.
package seed

import (
	"bytes"
	"context"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"sort"

	"go.yaml.in/yaml/v3"

	"github.com/werkwijzer/werkwijzer/internal/account"
	"github.com/werkwijzer/werkwijzer/internal/content"
)

//go:embed sample.yaml
var sampleYAML []byte

// Sample returns the embedded sample content.
func Sample() (*File, error) { return Parse(sampleYAML) }

// Parse decodes a sample-content file strictly: an unknown key is an error,
// so a typo cannot silently drop content.
func Parse(data []byte) (*File, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var f File
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("parse sample content: %w", err)
	}
	var extra any
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return nil, errors.New("parse sample content: more than one YAML document")
	}
	return &f, nil
}

// Result counts what Load created.
type Result struct {
	Roles, FAQs, Comparisons, Articles int
}

// Load creates and publishes everything in f in one transaction: either
// all of it is live afterwards, or none of it.
func Load(ctx context.Context, svc *content.Service, f *File) (Result, error) {
	ctx = account.WithOperator(ctx)
	var res Result
	err := svc.InTx(ctx, func(svc *content.Service) error {
		l := loader{svc: svc, ids: map[string]string{}}
		var err error
		res, err = l.load(ctx, f)
		return err
	})
	return res, err
}

// loader remembers the entry id created for each key so later entries can
// refer to earlier ones.
type loader struct {
	svc *content.Service
	ids map[string]string // "faq:key" -> entry id
}

func (l *loader) load(ctx context.Context, f *File) (Result, error) {
	for _, faq := range f.FAQs {
		tr := map[string]content.TranslationInput{}
		for loc, t := range faq.Translations {
			tr[loc] = content.TranslationInput{Slug: t.Slug, Fields: content.FAQFields{Question: t.Question, Answer: t.Answer}}
		}
		if err := l.create(ctx, content.TypeFAQ, faq.Key, content.FAQStructure{}, tr); err != nil {
			return Result{}, err
		}
	}
	for _, role := range f.Roles {
		faqIDs, err := l.refs("faq", role.FAQs)
		if err != nil {
			return Result{}, fmt.Errorf("role %s: %w", role.Key, err)
		}
		structure := content.RoleStructure{FAQIDs: faqIDs}
		if s := role.Salary; s != nil {
			structure.Salary = &content.SalaryRange{Min: s.Min, Max: s.Max, Currency: s.Currency, Period: content.SalaryPeriod(s.Period)}
		}
		tr := map[string]content.TranslationInput{}
		for loc, t := range role.Translations {
			tr[loc] = content.TranslationInput{Slug: t.Slug, Fields: content.RoleFields{
				Title: t.Title, Summary: t.Summary, Body: t.Body,
				Responsibilities: t.Responsibilities, DailyTasks: t.DailyTasks, Competencies: t.Competencies,
				CareerPaths: t.CareerPaths, Certifications: t.Certifications, Tools: t.Tools,
				SalaryNotes: t.SalaryNotes,
			}}
		}
		if err := l.create(ctx, content.TypeRole, role.Key, structure, tr); err != nil {
			return Result{}, err
		}
	}
	for _, c := range f.Comparisons {
		if err := l.comparison(ctx, c); err != nil {
			return Result{}, err
		}
	}
	for _, a := range f.Articles {
		if err := l.article(ctx, a); err != nil {
			return Result{}, err
		}
	}
	return Result{Roles: len(f.Roles), FAQs: len(f.FAQs), Comparisons: len(f.Comparisons), Articles: len(f.Articles)}, nil
}

func (l *loader) comparison(ctx context.Context, c Comparison) error {
	roleIDs, err := l.refs("role", c.Roles)
	if err != nil {
		return fmt.Errorf("comparison %s: %w", c.Key, err)
	}
	rowIDs := make([]string, len(c.Rows))
	for i := range c.Rows {
		if rowIDs[i], err = content.NewID(); err != nil {
			return err
		}
	}
	tr := map[string]content.TranslationInput{}
	for loc, t := range c.Translations {
		fields := content.ComparisonFields{Title: t.Title, Intro: t.Intro, Rows: map[string]content.ComparisonRow{}}
		for i, rowKey := range c.Rows {
			cell, ok := t.Rows[rowKey]
			if !ok {
				return fmt.Errorf("comparison %s (%s): no text for row %q", c.Key, loc, rowKey)
			}
			fields.Rows[rowIDs[i]] = content.ComparisonRow{Label: cell.Label, Values: cell.Values}
		}
		tr[loc] = content.TranslationInput{Slug: t.Slug, Fields: fields}
	}
	return l.create(ctx, content.TypeComparison, c.Key, content.ComparisonStructure{RoleIDs: roleIDs, RowIDs: rowIDs}, tr)
}

func (l *loader) article(ctx context.Context, a Article) error {
	var structure content.ArticleStructure
	fields := map[string]*content.ArticleFields{}
	for loc, t := range a.Translations {
		fields[loc] = &content.ArticleFields{
			Title: t.Title, Lead: t.Lead, SEOTitle: t.SEOTitle, SEODescription: t.SEODescription,
			Blocks: map[string]content.BlockFields{},
		}
	}
	for i, b := range a.Blocks {
		id, err := content.NewID()
		if err != nil {
			return err
		}
		block := content.BlockStructure{ID: id, Type: content.BlockType(b.Type), Limit: b.Limit}
		switch block.Type {
		case content.BlockRichText, content.BlockCallToAction:
		case content.BlockComparison:
			block.ComparisonID, err = l.ref("comparison", b.Comparison)
		case content.BlockFAQ:
			block.FAQIDs, err = l.refs("faq", b.FAQs)
		case content.BlockVacancyList:
			block.RoleID, err = l.ref("role", b.Role)
		default:
			err = fmt.Errorf("unknown block type %q", b.Type)
		}
		if err != nil {
			return fmt.Errorf("article %s block %d: %w", a.Key, i, err)
		}
		structure.Blocks = append(structure.Blocks, block)
		for loc, t := range b.Translations {
			f, ok := fields[loc]
			if !ok {
				return fmt.Errorf("article %s block %d has %s text but the article has no %s translation", a.Key, i, loc, loc)
			}
			f.Blocks[id] = content.BlockFields{Anchor: t.Anchor, Heading: t.Heading, Body: t.Body, Label: t.Label, URL: t.URL}
		}
	}
	tr := map[string]content.TranslationInput{}
	for loc, f := range fields {
		tr[loc] = content.TranslationInput{Slug: a.Translations[loc].Slug, Fields: *f}
	}
	return l.create(ctx, content.TypeArticle, a.Key, structure, tr)
}

// create stores and publishes one entry in all its locales.
func (l *loader) create(ctx context.Context, typ content.Type, key string, structure content.Structure, tr map[string]content.TranslationInput) error {
	if _, dup := l.ids[string(typ)+":"+key]; dup {
		return fmt.Errorf("%s key %q is used twice", typ, key)
	}
	created, err := l.svc.Create(ctx, structure, tr)
	if err != nil {
		return fmt.Errorf("%s %s: %w", typ, key, err)
	}
	id := created.ID
	locales := make([]string, 0, len(tr))
	for loc := range tr {
		locales = append(locales, loc)
	}
	sort.Strings(locales)
	if _, err := l.svc.Publish(ctx, id, locales); err != nil {
		return fmt.Errorf("%s %s: %w", typ, key, err)
	}
	l.ids[string(typ)+":"+key] = id
	return nil
}

func (l *loader) ref(kind, key string) (string, error) {
	id, ok := l.ids[kind+":"+key]
	if !ok {
		return "", fmt.Errorf("unknown %s %q (define it before it is used)", kind, key)
	}
	return id, nil
}

func (l *loader) refs(kind string, keys []string) ([]string, error) {
	ids := make([]string, 0, len(keys))
	for _, k := range keys {
		id, err := l.ref(kind, k)
		if err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, nil
}
