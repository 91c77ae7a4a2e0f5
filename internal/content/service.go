package content

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/werkwijzer/werkwijzer/internal/apperr"
	"github.com/werkwijzer/werkwijzer/internal/locale"
)

// Service reads published content for the public and applies the
// editorial rules to what editors write.
type Service struct {
	store   Store
	locales *locale.Set
	now     func() time.Time
}

// NewService returns a content service over store for the given locales.
func NewService(store Store, locales *locale.Set) *Service {
	return &Service{store: store, locales: locales, now: func() time.Time { return time.Now().UTC() }}
}

// Locales is the configured locale set.
func (s *Service) Locales() *locale.Set { return s.locales }

// List is one page of a list.
type List[T any] struct {
	Items       []T
	HasNextPage bool
}

// chain validates a requested locale and returns its fallback chain.
func (s *Service) chain(code string) (string, []string, error) {
	normalized, err := s.locales.Normalize(code)
	if err != nil {
		return "", nil, apperr.New(apperr.BadUserInput, "%s", err.Error()).
			With("field", "locale").With("supportedLocales", s.locales.Codes())
	}
	return normalized, s.locales.Chain(normalized), nil
}

// ArticleBySlug returns the live article with slug in any locale, served in
// loc or its fallback.
func (s *Service) ArticleBySlug(ctx context.Context, slug, loc string) (*PublishedArticle, error) {
	return bySlug[ArticleStructure, ArticleFields](ctx, s, TypeArticle, slug, loc)
}

// RoleBySlug returns the live role with slug in any locale.
func (s *Service) RoleBySlug(ctx context.Context, slug, loc string) (*PublishedRole, error) {
	return bySlug[RoleStructure, RoleFields](ctx, s, TypeRole, slug, loc)
}

// ComparisonBySlug returns the live comparison with slug in any locale.
func (s *Service) ComparisonBySlug(ctx context.Context, slug, loc string) (*PublishedComparison, error) {
	return bySlug[ComparisonStructure, ComparisonFields](ctx, s, TypeComparison, slug, loc)
}

// Articles lists live articles, newest first.
func (s *Service) Articles(ctx context.Context, loc string, page Page) (List[*PublishedArticle], error) {
	page.Descending = true
	return list[ArticleStructure, ArticleFields](ctx, s, TypeArticle, loc, page)
}

// Roles lists live roles in the order they were created.
func (s *Service) Roles(ctx context.Context, loc string, page Page) (List[*PublishedRole], error) {
	return list[RoleStructure, RoleFields](ctx, s, TypeRole, loc, page)
}

// Count counts the live entries of typ visible in loc (itself or by fallback).
func (s *Service) Count(ctx context.Context, typ Type, loc string) (int, error) {
	_, chain, err := s.chain(loc)
	if err != nil {
		return 0, err
	}
	return s.store.CountPublishedEntries(ctx, typ, chain)
}

// ArticlesByID, RolesByID, ComparisonsByID and FAQsByID return the live
// entries among ids, each served in loc or its fallback; ids that are not
// live are absent. They are the batch functions behind the dataloaders.
func (s *Service) ArticlesByID(ctx context.Context, ids []string, loc string) (map[string]*PublishedArticle, error) {
	return byIDs[ArticleStructure, ArticleFields](ctx, s, TypeArticle, ids, loc)
}

func (s *Service) RolesByID(ctx context.Context, ids []string, loc string) (map[string]*PublishedRole, error) {
	return byIDs[RoleStructure, RoleFields](ctx, s, TypeRole, ids, loc)
}

func (s *Service) ComparisonsByID(ctx context.Context, ids []string, loc string) (map[string]*PublishedComparison, error) {
	return byIDs[ComparisonStructure, ComparisonFields](ctx, s, TypeComparison, ids, loc)
}

func (s *Service) FAQsByID(ctx context.Context, ids []string, loc string) (map[string]*PublishedFAQ, error) {
	return byIDs[FAQStructure, FAQFields](ctx, s, TypeFAQ, ids, loc)
}

// FAQFilter narrows FAQs to those shown with a role and/or an article.
type FAQFilter struct {
	RoleSlug    string
	ArticleSlug string
}

// FAQs lists live FAQs. With a filter they come in the order the role or
// article shows them (both: the article's order, only those the role shows
// too); without, in the order they were created.
func (s *Service) FAQs(ctx context.Context, loc string, filter FAQFilter, page Page) (List[*PublishedFAQ], error) {
	if filter == (FAQFilter{}) {
		return list[FAQStructure, FAQFields](ctx, s, TypeFAQ, loc, page)
	}
	all, err := s.filteredFAQs(ctx, loc, filter)
	if err != nil {
		return List[*PublishedFAQ]{}, err
	}
	start := 0
	if page.AfterID != "" {
		start = slices.IndexFunc(all, func(f *PublishedFAQ) bool { return f.EntryID == page.AfterID }) + 1
		if start == 0 {
			return List[*PublishedFAQ]{}, apperr.New(apperr.BadUserInput, "cursor does not point into this list").With("field", "after")
		}
	}
	end := min(start+page.Limit, len(all))
	return List[*PublishedFAQ]{Items: all[start:end], HasNextPage: end < len(all)}, nil
}

// CountFAQs counts what FAQs lists.
func (s *Service) CountFAQs(ctx context.Context, loc string, filter FAQFilter) (int, error) {
	if filter == (FAQFilter{}) {
		return s.Count(ctx, TypeFAQ, loc)
	}
	all, err := s.filteredFAQs(ctx, loc, filter)
	return len(all), err
}

func (s *Service) filteredFAQs(ctx context.Context, loc string, filter FAQFilter) ([]*PublishedFAQ, error) {
	var ids []string
	if filter.ArticleSlug != "" {
		article, err := s.ArticleBySlug(ctx, filter.ArticleSlug, loc)
		if err != nil {
			return nil, err
		}
		ids = article.Structure.FAQIDs()
	}
	if filter.RoleSlug != "" {
		role, err := s.RoleBySlug(ctx, filter.RoleSlug, loc)
		if err != nil {
			return nil, err
		}
		if filter.ArticleSlug == "" {
			ids = role.Structure.FAQIDs
		} else {
			ids = slices.DeleteFunc(ids, func(id string) bool { return !slices.Contains(role.Structure.FAQIDs, id) })
		}
	}
	byID, err := s.FAQsByID(ctx, ids, loc)
	if err != nil {
		return nil, err
	}
	out := make([]*PublishedFAQ, 0, len(ids))
	for _, id := range ids {
		if f, ok := byID[id]; ok {
			out = append(out, f)
		}
	}
	return out, nil
}

// FAQIDs lists the FAQs of all the article's FAQ blocks, in order, once each.
func (a ArticleStructure) FAQIDs() []string {
	var ids []string
	for _, b := range a.Blocks {
		if b.Type != BlockFAQ {
			continue
		}
		for _, id := range b.FAQIDs {
			if !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
	}
	return ids
}

func bySlug[S, F any](ctx context.Context, s *Service, typ Type, slug, loc string) (*Published[S, F], error) {
	requested, chain, err := s.chain(loc)
	if err != nil {
		return nil, err
	}
	id, err := s.store.FindPublishedEntry(ctx, typ, slug, chain)
	if err != nil {
		return nil, fmt.Errorf("find %s %q: %w", typ, slug, err)
	}
	found, err := byIDsInChain[S, F](ctx, s, typ, []string{id}, requested, chain)
	if err != nil {
		return nil, err
	}
	p, ok := found[id]
	if !ok {
		// Live only in locales outside the requested chain.
		return nil, apperr.New(apperr.NotFound, "%s %q is not published in %s", typ, slug, requested).
			With("field", "slug")
	}
	return p, nil
}

func byIDs[S, F any](ctx context.Context, s *Service, typ Type, ids []string, loc string) (map[string]*Published[S, F], error) {
	requested, chain, err := s.chain(loc)
	if err != nil {
		return nil, err
	}
	return byIDsInChain[S, F](ctx, s, typ, ids, requested, chain)
}

// byIDsInChain serves each entry in the first locale of chain it is live
// in, so a page is never half in one language and half in another.
func byIDsInChain[S, F any](ctx context.Context, s *Service, typ Type, ids []string, requested string, chain []string) (map[string]*Published[S, F], error) {
	if len(ids) == 0 {
		return map[string]*Published[S, F]{}, nil
	}
	revs, alternates, err := s.store.PublishedRevisions(ctx, typ, ids, chain)
	if err != nil {
		return nil, fmt.Errorf("load published %ss: %w", typ, err)
	}
	best := make(map[string]PublishedRevision, len(ids))
	for _, rev := range revs {
		current, seen := best[rev.EntryID]
		if !seen || slices.Index(chain, rev.Locale) < slices.Index(chain, current.Locale) {
			best[rev.EntryID] = rev
		}
	}
	out := make(map[string]*Published[S, F], len(best))
	for id, rev := range best {
		p, err := decodePublished[S, F](rev, requested)
		if err != nil {
			return nil, err
		}
		p.Alternates = alternates[id]
		out[id] = p
	}
	return out, nil
}

func list[S, F any](ctx context.Context, s *Service, typ Type, loc string, page Page) (List[*Published[S, F]], error) {
	requested, chain, err := s.chain(loc)
	if err != nil {
		return List[*Published[S, F]]{}, err
	}
	limit := page.Limit
	page.Limit = limit + 1 // one more tells whether there is a next page
	ids, err := s.store.PublishedEntryIDs(ctx, typ, chain, page)
	if err != nil {
		return List[*Published[S, F]]{}, fmt.Errorf("list %ss: %w", typ, err)
	}
	hasNext := len(ids) > limit
	ids = ids[:min(limit, len(ids))]
	byID, err := byIDsInChain[S, F](ctx, s, typ, ids, requested, chain)
	if err != nil {
		return List[*Published[S, F]]{}, err
	}
	items := make([]*Published[S, F], 0, len(ids))
	for _, id := range ids {
		if p, ok := byID[id]; ok {
			items = append(items, p)
		}
	}
	return List[*Published[S, F]]{Items: items, HasNextPage: hasNext}, nil
}

// TranslationInput is one locale's slug and text of a new entry.
type TranslationInput struct {
	Slug   string
	Fields any // RoleFields, ArticleFields, ComparisonFields or FAQFields
}

// Create stores a new entry as a draft and returns its id. structure is
// the RoleStructure, ArticleStructure, ComparisonStructure or FAQStructure
// matching typ.
func (s *Service) Create(ctx context.Context, by string, typ Type, structure any, translations map[string]TranslationInput) (string, error) {
	if !typ.Valid() {
		return "", apperr.New(apperr.BadUserInput, "unknown entry type %q", typ).With("field", "type")
	}
	if err := checkStructureType(typ, structure); err != nil {
		return "", err
	}
	id, err := NewID()
	if err != nil {
		return "", err
	}
	structureJSON, err := json.Marshal(structure)
	if err != nil {
		return "", fmt.Errorf("encode %s structure: %w", typ, err)
	}
	entry := NewEntry{ID: id, Type: typ, Structure: structureJSON, By: by, At: s.now()}
	for code, tr := range translations {
		loc, err := s.locales.Normalize(code)
		if err != nil {
			return "", apperr.New(apperr.BadUserInput, "%s", err.Error()).With("field", "locale")
		}
		if err := ValidateSlug(tr.Slug); err != nil {
			return "", err
		}
		fields, err := json.Marshal(tr.Fields)
		if err != nil {
			return "", fmt.Errorf("encode %s fields (%s): %w", typ, loc, err)
		}
		entry.Translations = append(entry.Translations, NewTranslation{Locale: loc, Slug: tr.Slug, Fields: fields})
	}
	slices.SortFunc(entry.Translations, func(a, b NewTranslation) int { return strings.Compare(a.Locale, b.Locale) })
	if err := s.store.CreateEntry(ctx, entry); err != nil {
		return "", fmt.Errorf("create %s: %w", typ, err)
	}
	return id, nil
}

// Publish freezes the entry's draft in each locale as a new immutable
// revision and makes it live. It publishes all locales or, when one is
// incomplete or its slug is taken, none.
func (s *Service) Publish(ctx context.Context, by, id string, locales []string) error {
	if len(locales) == 0 {
		return apperr.New(apperr.BadUserInput, "name at least one locale to publish").With("field", "locales")
	}
	return s.store.InTx(ctx, func(tx Store) error {
		for _, code := range locales {
			loc, err := s.locales.Normalize(code)
			if err != nil {
				return apperr.New(apperr.BadUserInput, "%s", err.Error()).With("field", "locales")
			}
			draft, err := tx.Draft(ctx, id, loc)
			if err != nil {
				return fmt.Errorf("publish %s in %s: %w", id, loc, err)
			}
			if missing, err := MissingFields(draft.Type, draft.Structure, draft.Fields); err != nil {
				return err
			} else if len(missing) > 0 {
				return apperr.New(apperr.BadUserInput, "cannot publish %s %s in %s: required fields are empty: %v", draft.Type, id, loc, missing).
					With("locale", loc).With("missingFields", missing)
			}
			doc, err := json.Marshal(Document[json.RawMessage, json.RawMessage]{Structure: draft.Structure, Fields: draft.Fields})
			if err != nil {
				return fmt.Errorf("encode revision of %s: %w", id, err)
			}
			if _, err := tx.Publish(ctx, Publication{
				EntryID: id, Type: draft.Type, Locale: loc, Slug: draft.Slug,
				Document: doc, UpdatedAt: draft.UpdatedAt, By: by, At: s.now(),
			}); err != nil {
				return fmt.Errorf("publish %s %s in %s: %w", draft.Type, id, loc, err)
			}
		}
		return nil
	})
}

// IsEmpty reports whether no content exists yet, live or draft.
func (s *Service) IsEmpty(ctx context.Context) (bool, error) {
	n, err := s.store.CountEntries(ctx)
	return n == 0, err
}

// NewID returns a new entry, block or row id: a UUIDv7, so ids sort in
// creation order.
func NewID() (string, error) {
	id, err := uuid.NewV7()
	if err != nil {
		return "", fmt.Errorf("new id: %w", err)
	}
	return id.String(), nil
}

var slugPattern = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)

// ValidateSlug accepts lowercase ASCII words joined by single hyphens, up to
// 200 characters: safe in a URL path without escaping.
func ValidateSlug(slug string) error {
	if len(slug) > 200 || !slugPattern.MatchString(slug) {
		return apperr.New(apperr.BadUserInput, "slug %q must be lowercase letters and digits joined by single hyphens (at most 200 characters)", slug).
			With("field", "slug")
	}
	return nil
}

func checkStructureType(typ Type, structure any) error {
	ok := false
	switch structure.(type) {
	case RoleStructure:
		ok = typ == TypeRole
	case ArticleStructure:
		ok = typ == TypeArticle
	case ComparisonStructure:
		ok = typ == TypeComparison
	case FAQStructure:
		ok = typ == TypeFAQ
	}
	if !ok {
		return fmt.Errorf("structure %T does not belong to a %s", structure, typ)
	}
	return nil
}

// InTx runs fn with a service whose every read and write goes through one
// transaction.
func (s *Service) InTx(ctx context.Context, fn func(*Service) error) error {
	return s.store.InTx(ctx, func(tx Store) error {
		return fn(&Service{store: tx, locales: s.locales, now: s.now})
	})
}

// Related is what a set of articles refers to, each entry served in the
// articles' requested locale or its own fallback. Every referenced id is a
// key; the value is nil when that entry is not live.
type Related struct {
	Comparisons map[string]*PublishedComparison
	Roles       map[string]*PublishedRole
	FAQs        map[string]*PublishedFAQ
}

// RelatedToArticles loads everything the blocks of articles refer to, in
// three statements however many blocks there are: the comparisons, then the
// roles (of comparisons and vacancy lists), and the FAQs.
func (s *Service) RelatedToArticles(ctx context.Context, articles []*PublishedArticle, loc string) (Related, error) {
	var comparisonIDs, roleIDs, faqIDs []string
	for _, a := range articles {
		for _, b := range a.Structure.Blocks {
			switch b.Type {
			case BlockComparison:
				comparisonIDs = appendNew(comparisonIDs, b.ComparisonID)
			case BlockVacancyList:
				roleIDs = appendNew(roleIDs, b.RoleID)
			case BlockFAQ:
				faqIDs = appendNew(faqIDs, b.FAQIDs...)
			}
		}
	}
	var rel Related
	var err error
	if rel.Comparisons, err = s.ComparisonsByID(ctx, comparisonIDs, loc); err != nil {
		return Related{}, err
	}
	for _, c := range rel.Comparisons {
		roleIDs = appendNew(roleIDs, c.Structure.RoleIDs...)
	}
	if rel.Roles, err = s.RolesByID(ctx, roleIDs, loc); err != nil {
		return Related{}, err
	}
	if rel.FAQs, err = s.FAQsByID(ctx, faqIDs, loc); err != nil {
		return Related{}, err
	}
	markMissing(rel.Comparisons, comparisonIDs)
	markMissing(rel.Roles, roleIDs)
	markMissing(rel.FAQs, faqIDs)
	return rel, nil
}

func appendNew(ids []string, more ...string) []string {
	for _, id := range more {
		if id != "" && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	return ids
}

func markMissing[V any](found map[string]*V, ids []string) {
	for _, id := range ids {
		if _, ok := found[id]; !ok {
			found[id] = nil
		}
	}
}
