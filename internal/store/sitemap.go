package store

import (
	"context"
	"fmt"

	"github.com/werkwijzer/werkwijzer/internal/content"
)

// Sitemap pages through the publications of types in locale by entry id
// (both ways, as content.Page says),
// and brings each entry's other live locales with a second statement: two
// statements per page, however many entries and locales.
func (s *Content) Sitemap(ctx context.Context, types []content.Type, locale string, page content.Page) ([]content.SitemapEntry, error) {
	q := s.db.WithContext(ctx).Model(&publicationRow{}).
		Select("entry_id, type, locale, slug, published_at").
		Where("locale = ? AND type IN ?", locale, typeNames(types))
	var rows []publicationRow
	if err := keyset(q, "entry_id", false, page).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("sitemap: %w", err)
	}
	inListOrder(rows, page)
	if len(rows) == 0 {
		return nil, nil
	}
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.EntryID
	}
	var others []struct{ EntryID, Locale, Slug string }
	err := s.db.WithContext(ctx).Model(&publicationRow{}).Select("entry_id, locale, slug").
		Where("entry_id IN ? AND locale <> ?", ids, locale).Order("entry_id, locale").
		Scan(&others).Error
	if err != nil {
		return nil, fmt.Errorf("sitemap alternates: %w", err)
	}
	alternates := make(map[string][]content.Alternate, len(rows))
	for _, o := range others {
		alternates[o.EntryID] = append(alternates[o.EntryID], content.Alternate{Locale: o.Locale, Slug: o.Slug})
	}
	out := make([]content.SitemapEntry, len(rows))
	for i, r := range rows {
		out[i] = content.SitemapEntry{
			EntryID: r.EntryID, Type: content.Type(r.Type), Locale: r.Locale, Slug: r.Slug,
			LastModified: r.PublishedAt.UTC(), Alternates: alternates[r.EntryID],
		}
	}
	return out, nil
}

// CountSitemap counts what Sitemap pages through.
func (s *Content) CountSitemap(ctx context.Context, types []content.Type, locale string) (int, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&publicationRow{}).
		Where("locale = ? AND type IN ?", locale, typeNames(types)).Count(&n).Error
	if err != nil {
		return 0, fmt.Errorf("count sitemap: %w", err)
	}
	return int(n), nil
}

func typeNames(types []content.Type) []string {
	out := make([]string, len(types))
	for i, t := range types {
		out[i] = string(t)
	}
	return out
}
