package graph

import (
	"context"

	"github.com/werkwijzer/werkwijzer/graph/loaders"
	"github.com/werkwijzer/werkwijzer/graph/model"
	"github.com/werkwijzer/werkwijzer/internal/content"
)

// served maps what every published entry reports about its locale.
func served[S, F any](p *content.Published[S, F]) model.Served {
	return model.Served{
		ID:              p.EntryID,
		Locale:          p.Locale,
		RequestedLocale: p.RequestedLocale,
		IsFallback:      p.IsFallback(),
		Slug:            p.Slug,
		SlugIsCurrent:   p.SlugIsCurrent,
		Alternates:      toAlternates(p.Alternates),
		UpdatedAt:       p.UpdatedAt,
		PublishedAt:     p.PublishedAt,
		Preview:         p.Draft,
	}
}

func (r *Resolver) toRole(p *content.PublishedRole) *model.Role {
	f := p.Fields
	role := &model.Role{
		Served:           served(p),
		Title:            f.Title,
		Summary:          model.RichText{Markdown: f.Summary},
		Body:             model.RichText{Markdown: f.Body},
		Responsibilities: nonNil(f.Responsibilities),
		DailyTasks:       nonNil(f.DailyTasks),
		Competencies:     nonNil(f.Competencies),
		CareerPaths:      nonNil(f.CareerPaths),
		Certifications:   nonNil(f.Certifications),
		Tools:            nonNil(f.Tools),
		SalaryNotes:      model.RichText{Markdown: f.SalaryNotes},
		FAQIDs:           p.Structure.FAQIDs,
		SEOTitle:         f.SEOTitle,
		SEODescription:   f.SEODescription,
		OgImageURL:       optionalString(f.OGImageURL),
		StructuredData:   func() (string, error) { return r.Content.RoleStructuredData(p) },
	}
	if role.SEOTitle == "" {
		role.SEOTitle = f.Title
	}
	if role.SEODescription == "" {
		role.SEODescription = content.PlainText(f.Summary)
	}
	if s := p.Structure.Salary; s != nil {
		role.Salary = &model.SalaryRange{Min: s.Min, Max: s.Max, Currency: s.Currency, Period: model.SalaryPeriod(s.Period)}
	}
	return role
}

func (r *Resolver) toArticle(p *content.PublishedArticle) *model.Article {
	f := p.Fields
	article := &model.Article{
		Served:         served(p),
		Title:          f.Title,
		Lead:           model.RichText{Markdown: f.Lead},
		SEOTitle:       f.SEOTitle,
		SEODescription: f.SEODescription,
		Blocks:         make([]model.ArticleBlock, 0, len(p.Structure.Blocks)),
		OgImageURL:     optionalString(f.OGImageURL),
		StructuredData: func(ctx context.Context) (string, error) { return r.articleStructuredData(ctx, p) },
	}
	if article.SEOTitle == "" {
		article.SEOTitle = f.Title
	}
	for _, b := range p.Structure.Blocks {
		if block := toBlock(b, f.Blocks[b.ID], p.RequestedLocale, p.Draft); block != nil {
			article.Blocks = append(article.Blocks, block)
		}
	}
	return article
}

// toBlock maps one block; related entries are loaded in the locale the
// article was requested in, each falling back on its own. A block type this
// version does not know is left out rather than failing the page.
func toBlock(b content.BlockStructure, text content.BlockFields, requested string, preview bool) model.ArticleBlock {
	switch b.Type {
	case content.BlockRichText:
		return model.RichTextBlock{ID: b.ID, Anchor: text.Anchor, Heading: text.Heading, Body: model.RichText{Markdown: text.Body}}
	case content.BlockComparison:
		return model.ComparisonBlock{ID: b.ID, Anchor: text.Anchor, Heading: text.Heading, ComparisonID: b.ComparisonID, Locale: requested, Preview: preview}
	case content.BlockFAQ:
		return model.FAQBlock{ID: b.ID, Anchor: text.Anchor, Heading: text.Heading, FAQIDs: b.FAQIDs, Locale: requested, Preview: preview}
	case content.BlockVacancyList:
		return model.VacancyListBlock{ID: b.ID, Anchor: text.Anchor, Heading: text.Heading, RoleID: b.RoleID, Limit: b.Limit, Locale: requested, Preview: preview}
	case content.BlockCallToAction:
		return model.CallToActionBlock{ID: b.ID, Label: text.Label, URL: text.URL}
	}
	return nil
}

func toComparison(p *content.PublishedComparison) *model.Comparison {
	c := &model.Comparison{
		Served:  served(p),
		Title:   p.Fields.Title,
		Intro:   model.RichText{Markdown: p.Fields.Intro},
		RoleIDs: p.Structure.RoleIDs,
		Rows:    make([]model.ComparisonRow, 0, len(p.Structure.RowIDs)),
	}
	for _, rowID := range p.Structure.RowIDs {
		row := p.Fields.Rows[rowID]
		c.Rows = append(c.Rows, model.ComparisonRow{Label: row.Label, Values: nonNil(row.Values)})
	}
	return c
}

func toFAQ(p *content.PublishedFAQ) *model.FAQ {
	return &model.FAQ{Served: served(p), Question: p.Fields.Question, Answer: model.RichText{Markdown: p.Fields.Answer}}
}

func toAlternates(alts []content.Alternate) []model.Alternate {
	out := make([]model.Alternate, len(alts))
	for i, a := range alts {
		out[i] = model.Alternate{Locale: a.Locale, Slug: a.Slug}
	}
	return out
}

// mapAll maps a slice, dereferencing the mapper's pointer results.
func mapAll[T, M any](items []T, to func(T) *M) []M {
	out := make([]M, len(items))
	for i, item := range items {
		out[i] = *to(item)
	}
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func toSitemapEntry(p content.SitemapPage) *model.SitemapEntry {
	e := &model.SitemapEntry{
		ID: p.EntryID, Type: string(p.Type), Locale: p.Locale, Slug: p.Slug, Path: p.Path,
		LastModified: p.LastModified, Alternates: make([]model.SitemapAlternate, len(p.AlternatePaths)),
	}
	for i, a := range p.AlternatePaths {
		e.Alternates[i] = model.SitemapAlternate{Locale: a.Locale, Path: a.Path}
	}
	return e
}

// optionalString maps "" (not set) to null.
func optionalString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// articleStructuredData makes p's JSON-LD with the FAQs of its blocks, from
// the loader the page's blocks primed, or in one batch when no blocks were
// selected.
func (r *Resolver) articleStructuredData(ctx context.Context, p *content.PublishedArticle) (string, error) {
	faqs, err := loaders.Many(ctx, r.loaders(ctx).FAQs, keys(p.Structure.FAQIDs(), p.RequestedLocale, p.Draft))
	if err != nil {
		return "", err
	}
	byID := make(map[string]*content.PublishedFAQ, len(faqs))
	for _, f := range faqs {
		byID[f.EntryID] = f
	}
	return r.Content.ArticleStructuredData(p, byID)
}
