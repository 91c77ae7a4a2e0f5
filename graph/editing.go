package graph

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/99designs/gqlgen/graphql"

	"github.com/werkwijzer/werkwijzer/graph/model"
	"github.com/werkwijzer/werkwijzer/internal/account"
	"github.com/werkwijzer/werkwijzer/internal/apperr"
	"github.com/werkwijzer/werkwijzer/internal/content"
)

// hasRole implements @hasRole: the first gate; the services check again.
func hasRole(ctx context.Context, _ any, next graphql.Resolver, role model.UserRole) (any, error) {
	if _, err := account.Authorize(ctx, account.Role(role), "use this field"); err != nil {
		return nil, err
	}
	return next(ctx)
}

func toSession(t account.Tokens) *model.Session {
	return &model.Session{
		AccessToken: t.AccessToken, AccessTokenExpiresAt: t.AccessTokenExpiresAt,
		RefreshToken: t.RefreshToken, RefreshTokenExpiresAt: t.RefreshTokenExpiresAt,
		User: toUser(t.User),
	}
}

func toUser(u account.User) *model.User {
	out := &model.User{
		ID: u.ID, Email: u.Email, Role: model.UserRole(u.Role), Locales: nonNil(u.Locales),
		Active: u.Active, CreatedAt: u.CreatedAt,
	}
	if !u.LastLoginAt.IsZero() {
		t := u.LastLoginAt
		out.LastLoginAt = &t
	}
	return out
}

func (r *Resolver) toEntry(e *content.EntryState) (*model.Entry, error) {
	statuses, err := r.Content.Status(e)
	if err != nil {
		return nil, err
	}
	out := &model.Entry{
		ID: e.ID, Type: model.EntryType(strings.ToUpper(string(e.Type))), Version: e.Version, StructureVersion: e.StructureVersion,
		Label: r.Content.Label(e), CreatedAt: e.CreatedAt, UpdatedAt: e.UpdatedAt,
		Structure: model.JSON(e.Structure), UpdatedByID: e.UpdatedBy,
		Translations: make([]model.EntryTranslation, len(e.Translations)),
		Live:         make([]model.LiveTranslation, len(e.Live)),
	}
	for i, t := range e.Translations {
		out.Translations[i] = model.EntryTranslation{Locale: t.Locale, Version: t.Version, Slug: t.Slug, Fields: model.JSON(t.Fields), UpdatedAt: t.UpdatedAt, UpdatedByID: t.UpdatedBy}
	}
	for i, l := range e.Live {
		out.Live[i] = model.LiveTranslation{Locale: l.Locale, Slug: l.Slug, RevisionNumber: l.RevisionNumber, PublishedAt: l.PublishedAt, FirstPublishedAt: l.FirstPublishedAt}
	}
	for _, st := range statuses {
		out.Status = append(out.Status, toStatus(st))
	}
	out.Scheduled = toScheduled(e.Scheduled, out)
	return out, nil
}

func toStatus(st content.LocaleStatus) model.TranslationStatus {
	return model.TranslationStatus{
		Locale: st.Locale, Exists: st.Exists, Published: st.Published, DraftDiffers: st.DraftDiffers,
		MissingFields: nonNil(st.MissingFields), OutdatedFields: nonNil(st.OutdatedFields),
		UntranslatedFields: nonNil(st.UntranslatedFields),
	}
}

func toRevision(rev content.Revision) model.Revision {
	out := model.Revision{
		ID: rev.ID, EntryID: rev.EntryID, Locale: rev.Locale, Number: rev.Number,
		Kind: model.RevisionKind(strings.ToUpper(string(rev.Kind))), Slug: rev.Slug,
		Document: model.JSON(rev.Document), CreatedAt: rev.CreatedAt, CreatedByID: rev.CreatedBy,
	}
	if rev.RestoredFrom != "" {
		from := rev.RestoredFrom
		out.RestoredFrom = &from
	}
	return out
}

func toAuditEntry(e content.AuditEntry) model.AuditEntry {
	details, _ := json.Marshal(e.Details)
	out := model.AuditEntry{ID: e.ID, At: e.At, Action: e.Action, Details: model.JSON(details), ActorID: e.ActorID}
	if e.EntryID != "" {
		id := e.EntryID
		out.EntryID = &id
	}
	if e.EntryType != "" {
		typ := model.EntryType(strings.ToUpper(string(e.EntryType)))
		out.EntryType = &typ
	}
	if e.Locale != "" {
		loc := e.Locale
		out.Locale = &loc
	}
	return out
}

func entryType(t model.EntryType) content.Type {
	return content.Type(strings.ToLower(string(t)))
}

// --- inputs to domain types ---

func roleStructure(in *model.RoleStructureInput) content.RoleStructure {
	s := content.RoleStructure{FAQIDs: nonNil(in.FaqIds)}
	if sal := in.Salary.Value(); sal != nil {
		s.Salary = &content.SalaryRange{Min: sal.Min, Max: sal.Max, Currency: sal.Currency, Period: content.SalaryPeriod(sal.Period)}
	}
	return s
}

func roleTranslations(in []model.RoleTranslationInput) (map[string]content.TranslationInput, error) {
	out := map[string]content.TranslationInput{}
	for _, t := range in {
		if err := once(out, t.Locale); err != nil {
			return nil, err
		}
		out[t.Locale] = content.TranslationInput{Slug: t.Slug, Fields: content.RoleFields{
			Title: t.Title, Summary: t.Summary, Body: t.Body, Responsibilities: nonNil(t.Responsibilities),
			DailyTasks: nonNil(t.DailyTasks), Competencies: nonNil(t.Competencies), CareerPaths: nonNil(t.CareerPaths),
			Certifications: nonNil(t.Certifications), Tools: nonNil(t.Tools), SalaryNotes: t.SalaryNotes,
			SEOTitle: t.SeoTitle, SEODescription: t.SeoDescription, OGImageURL: t.OgImageURL,
		}}
	}
	return out, nil
}

func articleStructure(in *model.ArticleStructureInput) content.ArticleStructure {
	s := content.ArticleStructure{Blocks: make([]content.BlockStructure, len(in.Blocks))}
	for i, b := range in.Blocks {
		block := content.BlockStructure{ID: b.ID, Type: blockTypes[b.Type], FAQIDs: b.FaqIds.Value()}
		if v := b.ComparisonID.Value(); v != nil {
			block.ComparisonID = *v
		}
		if v := b.RoleID.Value(); v != nil {
			block.RoleID = *v
		}
		if v := b.Limit.Value(); v != nil {
			block.Limit = *v
		}
		s.Blocks[i] = block
	}
	return s
}

var blockTypes = map[model.BlockType]content.BlockType{
	model.BlockTypeRichText:     content.BlockRichText,
	model.BlockTypeComparison:   content.BlockComparison,
	model.BlockTypeFaq:          content.BlockFAQ,
	model.BlockTypeVacancyList:  content.BlockVacancyList,
	model.BlockTypeCallToAction: content.BlockCallToAction,
}

func articleTranslations(in []model.ArticleTranslationInput) (map[string]content.TranslationInput, error) {
	out := map[string]content.TranslationInput{}
	for _, t := range in {
		if err := once(out, t.Locale); err != nil {
			return nil, err
		}
		f := content.ArticleFields{Title: t.Title, Lead: t.Lead, SEOTitle: t.SeoTitle, SEODescription: t.SeoDescription,
			OGImageURL: t.OgImageURL, Blocks: map[string]content.BlockFields{}}
		for _, b := range t.Blocks {
			if _, dup := f.Blocks[b.BlockID]; dup {
				return nil, apperr.Invalid(apperr.Duplicate, "the %s translation gives block %s twice", t.Locale, b.BlockID).With("field", "blocks").With("value", b.BlockID)
			}
			f.Blocks[b.BlockID] = content.BlockFields{Anchor: b.Anchor, Heading: b.Heading, Body: b.Body, Label: b.Label, URL: b.URL}
		}
		out[t.Locale] = content.TranslationInput{Slug: t.Slug, Fields: f}
	}
	return out, nil
}

func comparisonStructure(in *model.ComparisonStructureInput) content.ComparisonStructure {
	return content.ComparisonStructure{RoleIDs: nonNil(in.RoleIds), RowIDs: nonNil(in.RowIds)}
}

func comparisonTranslations(in []model.ComparisonTranslationInput) (map[string]content.TranslationInput, error) {
	out := map[string]content.TranslationInput{}
	for _, t := range in {
		if err := once(out, t.Locale); err != nil {
			return nil, err
		}
		f := content.ComparisonFields{Title: t.Title, Intro: t.Intro, Rows: map[string]content.ComparisonRow{}}
		for _, row := range t.Rows {
			if _, dup := f.Rows[row.RowID]; dup {
				return nil, apperr.Invalid(apperr.Duplicate, "the %s translation gives row %s twice", t.Locale, row.RowID).With("field", "rows").With("value", row.RowID)
			}
			f.Rows[row.RowID] = content.ComparisonRow{Label: row.Label, Values: nonNil(row.Values)}
		}
		out[t.Locale] = content.TranslationInput{Slug: t.Slug, Fields: f}
	}
	return out, nil
}

func faqTranslations(in []model.FAQTranslationInput) (map[string]content.TranslationInput, error) {
	out := map[string]content.TranslationInput{}
	for _, t := range in {
		if err := once(out, t.Locale); err != nil {
			return nil, err
		}
		out[t.Locale] = content.TranslationInput{Slug: t.Slug, Fields: content.FAQFields{Question: t.Question, Answer: t.Answer}}
	}
	return out, nil
}

func once(seen map[string]content.TranslationInput, loc string) error {
	if _, dup := seen[loc]; dup {
		return apperr.Invalid(apperr.Duplicate, "the locale %s is given twice", loc).With("field", "translations").With("value", loc)
	}
	return nil
}

// create is every create mutation: at least one translation, mapped by
// translate, then the entry created with structure.
func create[T any](ctx context.Context, r *Resolver, structure content.Structure, in []T,
	translate func([]T) (map[string]content.TranslationInput, error)) (*model.Entry, error) {
	if len(in) == 0 {
		return nil, apperr.Invalid(apperr.Required, "give at least one translation").With("field", "translations")
	}
	tr, err := translate(in)
	if err != nil {
		return nil, err
	}
	e, err := r.Content.Create(ctx, structure, tr)
	if err != nil {
		return nil, err
	}
	return r.toEntry(e)
}

// update runs a content update and maps the result.
func (r *Resolver) update(ctx context.Context, id string, upd content.Update) (*model.Entry, error) {
	e, err := r.Content.Update(ctx, id, upd)
	if err != nil {
		return nil, err
	}
	return r.toEntry(e)
}

// user resolves a user id for display; "" (the system) is null.
func (r *Resolver) user(ctx context.Context, id string) (*model.User, error) {
	if id == "" {
		return nil, nil
	}
	u, err := loadersUser(ctx, r, id)
	if err != nil || u == nil {
		return nil, err
	}
	return toUser(*u), nil
}
