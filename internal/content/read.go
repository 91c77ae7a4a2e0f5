package content

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/werkwijzer/werkwijzer/internal/account"
	"github.com/werkwijzer/werkwijzer/internal/apperr"
	"github.com/werkwijzer/werkwijzer/internal/cachetag"
	"github.com/werkwijzer/werkwijzer/internal/locale"
)

// Service reads content for the public and for editors' preview, and
// applies the editorial rules and permissions to every change.
type Service struct {
	store   Store
	locales *locale.Set
	now     func() time.Time
	// changed is told the cache tags of every publication, unpublication
	// and deletion once it is committed.
	changed func(ctx context.Context, tags []string)
	// record is told of publications, unpublications and deletions
	// inside their transactions (see RecordChanges).
	record func(ctx context.Context, tx Store, c Change) error
	// seo describes the public site for structured data and sitemaps.
	seo SEO
	// read is what the reads serve (see With).
	read ReadOptions
	// directory names the people in CONFLICT errors (see UseDirectory).
	directory Directory
	// entities serves live reads from memory (nil: from the store).
	entities *EntityCache
}

// NewService returns a content service over store for the given locales.
func NewService(store Store, locales *locale.Set) *Service {
	patterns, _ := ParseURLPatterns(DefaultURLPatterns)
	return &Service{store: store, locales: locales, now: func() time.Time { return time.Now().UTC() }, seo: SEO{Patterns: patterns}}
}

// OnChange sets the function told, after commit, the cache tags (see
// internal/cachetag) of the public answers a publication, unpublication or
// deletion changes. Set it before the service is used.
func (s *Service) OnChange(fn func(ctx context.Context, tags []string)) { s.changed = fn }

// announce tells the change hook what e's change touches: answers that
// show e, that list its type, and that looked up any of its slugs (a
// lookup that found nothing may find it now).
func (s *Service) announce(ctx context.Context, e *EntryState) {
	if s.changed == nil || e == nil {
		return
	}
	tags := []string{cachetag.Entry(e.ID), cachetag.List(string(e.Type))}
	for _, t := range e.Translations {
		tags = append(tags, cachetag.Slug(string(e.Type), t.Slug))
	}
	for _, l := range e.Live {
		tags = append(tags, cachetag.Slug(string(e.Type), l.Slug))
	}
	s.changed(ctx, tags)
}

// Locales is the configured locale set.
func (s *Service) Locales() *locale.Set { return s.locales }

// InTx runs fn with a service whose every read and write goes through one
// transaction.
func (s *Service) InTx(ctx context.Context, fn func(*Service) error) error {
	return s.store.InTx(ctx, func(tx Store) error {
		// No change hook inside: the caller's transaction has not
		// committed when its calls return.
		return fn(&Service{store: tx, locales: s.locales, now: s.now, seo: s.seo, read: s.read, directory: s.directory})
	})
}

// List is one page of a list.
type List[T any] struct {
	Items []T
	// HasNextPage tells whether more items follow, when paging forwards;
	// HasPreviousPage whether more precede, when paging from the end.
	// Relay's connection spec lets the other one be false.
	HasNextPage     bool
	HasPreviousPage bool
}

// cut trims items, fetched with page.Limit+1 in the list's order, to the
// page: the extra item, if any, is the one furthest from where paging
// starts and tells that there is more in that direction.
func cut[T any](items []T, page Page) List[T] {
	l := List[T]{Items: items}
	if len(items) <= page.Limit {
		return l
	}
	if page.FromEnd {
		l.Items, l.HasPreviousPage = items[len(items)-page.Limit:], true
	} else {
		l.Items, l.HasNextPage = items[:page.Limit], true
	}
	return l
}

// ReadOptions say what a service's reads serve.
type ReadOptions struct {
	// Preview serves editors' drafts instead of what is live. Only a
	// signed-in user may preview; the reads check it.
	Preview bool
}

// With returns a service whose reads follow o; changes are unaffected.
func (s *Service) With(o ReadOptions) *Service {
	c := *s
	c.read = o
	return &c
}

// view decides what a read sees. Drafts are never served to anonymous
// callers, whatever the transport asked for.
func (s *Service) view(ctx context.Context) (View, error) {
	if !s.read.Preview {
		return Live, nil
	}
	p, ok := account.PrincipalFrom(ctx)
	if !ok {
		return Live, apperr.New(apperr.Unauthenticated, "sign in to preview drafts").With("field", "preview")
	}
	if !p.Can(account.RoleTranslator) {
		return Live, apperr.New(apperr.Forbidden, "your role may not preview drafts").With("field", "preview")
	}
	return Drafts, nil
}

// chain matches a requested locale to a supported one (a router's "en-GB"
// is served "en") and returns its fallback chain.
func (s *Service) chain(code string) (string, []string, error) {
	normalized, err := s.locales.Match(code)
	if err != nil {
		return "", nil, apperr.Invalid(apperr.InvalidLocale, "%s", err.Error()).
			With("field", "locale").With("supportedLocales", s.locales.Codes())
	}
	return normalized, s.locales.Chain(normalized), nil
}

// ArticleBySlug returns the article with slug in any locale, served in loc
// or its fallback.
func (s *Service) ArticleBySlug(ctx context.Context, slug, loc string) (*PublishedArticle, error) {
	return bySlug[ArticleStructure, ArticleFields](ctx, s, TypeArticle, slug, loc)
}

// RoleBySlug returns the role with slug in any locale.
func (s *Service) RoleBySlug(ctx context.Context, slug, loc string) (*PublishedRole, error) {
	return bySlug[RoleStructure, RoleFields](ctx, s, TypeRole, slug, loc)
}

// ComparisonBySlug returns the comparison with slug in any locale.
func (s *Service) ComparisonBySlug(ctx context.Context, slug, loc string) (*PublishedComparison, error) {
	return bySlug[ComparisonStructure, ComparisonFields](ctx, s, TypeComparison, slug, loc)
}

// Articles lists articles, newest first.
func (s *Service) Articles(ctx context.Context, loc string, page Page) (List[*PublishedArticle], error) {
	page.Descending = true
	return list[ArticleStructure, ArticleFields](ctx, s, TypeArticle, loc, page)
}

// Roles lists roles in the order they were created.
func (s *Service) Roles(ctx context.Context, loc string, page Page) (List[*PublishedRole], error) {
	return list[RoleStructure, RoleFields](ctx, s, TypeRole, loc, page)
}

// Count counts the entries of typ visible in loc (itself or by fallback).
func (s *Service) Count(ctx context.Context, typ Type, loc string) (int, error) {
	view, err := s.view(ctx)
	if err != nil {
		return 0, err
	}
	_, chain, err := s.chain(loc)
	if err != nil {
		return 0, err
	}
	cachetag.Add(ctx, cachetag.List(string(typ)))
	return s.store.CountListed(ctx, view, typ, chain)
}

// ArticlesByID, RolesByID, ComparisonsByID and FAQsByID return the entries
// among ids, each served in loc or its fallback; ids that are not visible
// are absent. They are the batch functions behind the dataloaders.
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

// FAQs lists FAQs. With a filter they come in the order the role or
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
	start, end := 0, len(all)
	if page.AfterID != "" {
		start = slices.IndexFunc(all, func(f *PublishedFAQ) bool { return f.EntryID == page.AfterID }) + 1
		if start == 0 {
			return List[*PublishedFAQ]{}, apperr.Invalid(apperr.InvalidCursor, "cursor does not point into this list").With("field", "after")
		}
	}
	if page.BeforeID != "" {
		end = slices.IndexFunc(all, func(f *PublishedFAQ) bool { return f.EntryID == page.BeforeID })
		if end < 0 {
			return List[*PublishedFAQ]{}, apperr.Invalid(apperr.InvalidCursor, "cursor does not point into this list").With("field", "before")
		}
	}
	if end < start { // before precedes after: nothing lies between them
		end = start
	}
	// One more than the page, as the store is asked, so cut sets the flags.
	if page.FromEnd {
		start = max(start, end-page.Limit-1)
	} else {
		end = min(end, start+page.Limit+1)
	}
	return cut(all[start:end], page), nil
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
		if b.Type == BlockFAQ {
			ids = appendNew(ids, b.FAQIDs...)
		}
	}
	return ids
}

// Related is what a set of articles refers to, each entry served in the
// articles' requested locale or its own fallback. Every referenced id is a
// key; the value is nil when that entry is not visible.
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

func bySlug[S, F any](ctx context.Context, s *Service, typ Type, slug, loc string) (*Published[S, F], error) {
	view, err := s.view(ctx)
	if err != nil {
		return nil, err
	}
	requested, chain, err := s.chain(loc)
	if err != nil {
		return nil, err
	}
	if ValidateSlug(slug) != nil {
		// No entry can have it; and a NUL byte would be an error on
		// PostgreSQL rather than a miss.
		return nil, notFoundBySlug(typ, slug)
	}
	cachetag.Add(ctx, cachetag.Slug(string(typ), slug))
	id, current, err := s.findBySlug(ctx, view, typ, slug, requested, chain)
	if err != nil {
		return nil, fmt.Errorf("find %s %q: %w", typ, slug, err)
	}
	found, err := byIDsInChain[S, F](ctx, s, view, typ, []string{id}, requested, chain)
	if err != nil {
		return nil, err
	}
	p, ok := found[id]
	if !ok {
		// Visible only in locales outside the requested chain.
		return nil, apperr.New(apperr.NotFound, "%s %q is not published in %s", typ, slug, requested).
			With("field", "slug")
	}
	p.RequestedSlug = slug
	p.SlugIsCurrent = current && slug == p.Slug
	return p, nil
}

// findBySlug is the store's FindBySlug, answered from the entity cache
// when the view is live. A lookup that found nothing is kept too: a crawler
// asking for missing pages then costs no statement either.
func (s *Service) findBySlug(ctx context.Context, view View, typ Type, slug, requested string, chain []string) (string, bool, error) {
	if view != Live || s.entities == nil {
		return s.store.FindBySlug(ctx, view, typ, slug, chain)
	}
	if l, ok := s.entities.lookup(typ, slug, requested); ok {
		if !l.found {
			return "", false, notFoundBySlug(typ, slug)
		}
		return l.id, l.current, nil
	}
	generation := s.entities.generation()
	id, current, err := s.store.FindBySlug(ctx, view, typ, slug, chain)
	switch {
	case err == nil:
		s.entities.setLookup(typ, slug, requested, slugLookup{id: id, current: current, found: true}, generation)
	case apperr.Is(err, apperr.NotFound):
		s.entities.setLookup(typ, slug, requested, slugLookup{}, generation)
	}
	return id, current, err
}

func notFoundBySlug(typ Type, slug string) error {
	return apperr.New(apperr.NotFound, "no %s has the slug %q", typ, slug).With("field", "slug")
}

func byIDs[S, F any](ctx context.Context, s *Service, typ Type, ids []string, loc string) (map[string]*Published[S, F], error) {
	view, err := s.view(ctx)
	if err != nil {
		return nil, err
	}
	requested, chain, err := s.chain(loc)
	if err != nil {
		return nil, err
	}
	return byIDsInChain[S, F](ctx, s, view, typ, ids, requested, chain)
}

// byIDsInChain serves each entry in the first locale of chain it has, so a
// page is never half in one language and half in another. Live entries
// come from the entity cache where it has them; only the others are read.
func byIDsInChain[S, F any](ctx context.Context, s *Service, view View, typ Type, ids []string, requested string, chain []string) (map[string]*Published[S, F], error) {
	if len(ids) == 0 {
		return map[string]*Published[S, F]{}, nil
	}
	// Ids not visible are tagged too: publishing them changes the answer.
	for _, id := range ids {
		cachetag.Add(ctx, cachetag.Entry(id))
	}
	out := make(map[string]*Published[S, F], len(ids))
	cache := s.entities
	if view != Live {
		cache = nil // drafts never enter it, nor are served from it
	}
	missing := ids
	if cache != nil {
		missing = make([]string, 0, len(ids))
		for _, id := range ids {
			p, ok := cachedEntry[S, F](cache, typ, id, requested)
			switch {
			case !ok:
				missing = append(missing, id)
			case p != nil:
				// A copy: callers set the lookup's own fields on it.
				c := *p
				out[id] = &c
			}
		}
		if len(missing) == 0 {
			return out, nil
		}
	}
	generation := cache.generation()
	docs, alternates, err := s.store.Documents(ctx, view, typ, missing, chain)
	if err != nil {
		return nil, fmt.Errorf("load %ss: %w", typ, err)
	}
	best := make(map[string]PublishedRevision, len(missing))
	for _, doc := range docs {
		current, seen := best[doc.EntryID]
		if !seen || slices.Index(chain, doc.Locale) < slices.Index(chain, current.Locale) {
			best[doc.EntryID] = doc
		}
	}
	for id, doc := range best {
		p, err := decodePublished[S, F](doc, requested)
		if err != nil {
			return nil, err
		}
		p.Alternates = alternates[id]
		p.SlugIsCurrent = true
		p.Draft = view == Drafts
		if cache != nil {
			setEntry(cache, typ, id, requested, p, len(doc.Document), generation)
			c := *p
			p = &c
		}
		out[id] = p
	}
	if cache != nil {
		for _, id := range missing {
			if _, ok := best[id]; !ok {
				setEntry[S, F](cache, typ, id, requested, nil, 0, generation)
			}
		}
	}
	return out, nil
}

func list[S, F any](ctx context.Context, s *Service, typ Type, loc string, page Page) (List[*Published[S, F]], error) {
	view, err := s.view(ctx)
	if err != nil {
		return List[*Published[S, F]]{}, err
	}
	requested, chain, err := s.chain(loc)
	if err != nil {
		return List[*Published[S, F]]{}, err
	}
	fetch := page
	fetch.Limit++ // one more tells whether there is more in the paging direction
	cachetag.Add(ctx, cachetag.List(string(typ)))
	ids, err := s.store.ListIDs(ctx, view, typ, chain, fetch)
	if err != nil {
		return List[*Published[S, F]]{}, fmt.Errorf("list %ss: %w", typ, err)
	}
	idPage := cut(ids, page)
	byID, err := byIDsInChain[S, F](ctx, s, view, typ, idPage.Items, requested, chain)
	if err != nil {
		return List[*Published[S, F]]{}, err
	}
	items := make([]*Published[S, F], 0, len(idPage.Items))
	for _, id := range idPage.Items {
		if p, ok := byID[id]; ok {
			items = append(items, p)
		}
	}
	return List[*Published[S, F]]{Items: items, HasNextPage: idPage.HasNextPage, HasPreviousPage: idPage.HasPreviousPage}, nil
}
