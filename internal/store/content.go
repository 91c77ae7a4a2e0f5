package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/datatypes"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/werkwijzer/werkwijzer/internal/apperr"
	"github.com/werkwijzer/werkwijzer/internal/content"
)

// Content stores content entries, their drafts, revisions and publications.
type Content struct {
	db *gorm.DB
}

// NewContent returns the content store on db.
func NewContent(db *gorm.DB) *Content { return &Content{db: db} }

var _ content.Store = (*Content)(nil)

type entryRow struct {
	ID        string
	Type      string
	Version   int
	Structure datatypes.JSON
	CreatedAt time.Time
	CreatedBy *string
	UpdatedAt time.Time
	UpdatedBy *string
	DeletedAt gorm.DeletedAt
}

func (entryRow) TableName() string { return "entries" }

type translationRow struct {
	EntryID   string `gorm:"primaryKey"`
	Locale    string `gorm:"primaryKey"`
	Slug      string
	Fields    datatypes.JSON
	CreatedAt time.Time
	UpdatedAt time.Time
	UpdatedBy *string
}

func (translationRow) TableName() string { return "translations" }

type revisionRow struct {
	ID        string
	EntryID   string
	Locale    string
	Number    int
	Slug      string
	Document  datatypes.JSON
	UpdatedAt time.Time
	CreatedAt time.Time
	CreatedBy *string
}

func (revisionRow) TableName() string { return "revisions" }

type publicationRow struct {
	EntryID          string `gorm:"primaryKey"`
	Locale           string `gorm:"primaryKey"`
	Type             string
	Slug             string
	RevisionID       string
	FirstPublishedAt time.Time
	PublishedAt      time.Time
}

func (publicationRow) TableName() string { return "publications" }

// liveRow is a publication joined with its revision.
type liveRow struct {
	EntryID     string
	Type        string
	Locale      string
	Slug        string
	PublishedAt time.Time
	// From the revision, NULL when only the alternate was wanted.
	Number    *int
	Document  datatypes.JSON
	UpdatedAt *time.Time
}

func (r liveRow) toContent() content.PublishedRevision {
	return content.PublishedRevision{
		EntryID:     r.EntryID,
		Type:        content.Type(r.Type),
		Locale:      r.Locale,
		Slug:        r.Slug,
		Number:      *r.Number,
		Document:    []byte(r.Document),
		UpdatedAt:   r.UpdatedAt.UTC(),
		PublishedAt: r.PublishedAt.UTC(),
	}
}

// InTx runs fn in one transaction.
func (s *Content) InTx(ctx context.Context, fn func(content.Store) error) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return fn(&Content{db: tx})
	})
}

// FindPublishedEntry finds the entry live under slug in any locale.
func (s *Content) FindPublishedEntry(ctx context.Context, typ content.Type, slug string, preferred []string) (string, error) {
	var rows []publicationRow
	err := s.db.WithContext(ctx).
		Select("entry_id", "locale").
		Where("type = ? AND slug = ?", string(typ), slug).
		Find(&rows).Error
	if err != nil {
		return "", fmt.Errorf("find %s by slug: %w", typ, err)
	}
	if len(rows) == 0 {
		return "", apperr.New(apperr.NotFound, "no published %s has the slug %q", typ, slug).With("field", "slug")
	}
	// Different entries may share a slug across locales; the one live
	// under it in the most preferred locale wins, then the lowest id.
	best, bestRank := rows[0], rank(rows[0].Locale, preferred)
	for _, r := range rows[1:] {
		if rk := rank(r.Locale, preferred); rk < bestRank || (rk == bestRank && r.EntryID < best.EntryID) {
			best, bestRank = r, rk
		}
	}
	return best.EntryID, nil
}

func rank(loc string, preferred []string) int {
	for i, p := range preferred {
		if p == loc {
			return i
		}
	}
	return len(preferred)
}

// PublishedRevisions loads the live revisions of entries in locales, and
// every locale each entry is live in, in one statement: the revision's
// columns are only joined for the wanted locales, the other rows bring just
// their locale and slug.
func (s *Content) PublishedRevisions(ctx context.Context, typ content.Type, entryIDs, locales []string) ([]content.PublishedRevision, map[string][]content.Alternate, error) {
	var revs []content.PublishedRevision
	alternates := make(map[string][]content.Alternate, len(entryIDs))
	for _, ids := range chunks(entryIDs) {
		var rows []liveRow
		err := s.db.WithContext(ctx).
			Table("publications AS p").
			Select("p.entry_id, p.type, p.locale, p.slug, p.published_at, r.number, r.document, r.updated_at").
			Joins("LEFT JOIN revisions AS r ON r.id = p.revision_id AND p.locale IN ?", locales).
			Where("p.type = ? AND p.entry_id IN ?", string(typ), ids).
			Order("p.entry_id, p.locale").
			Scan(&rows).Error
		if err != nil {
			return nil, nil, fmt.Errorf("load published %ss: %w", typ, err)
		}
		for _, r := range rows {
			alternates[r.EntryID] = append(alternates[r.EntryID], content.Alternate{Locale: r.Locale, Slug: r.Slug})
			if r.Document != nil {
				revs = append(revs, r.toContent())
			}
		}
	}
	return revs, alternates, nil
}

// PublishedEntryIDs pages through live entries by id.
func (s *Content) PublishedEntryIDs(ctx context.Context, typ content.Type, locales []string, page content.Page) ([]string, error) {
	q := s.db.WithContext(ctx).Model(&publicationRow{}).
		Distinct("entry_id").
		Where("type = ? AND locale IN ?", string(typ), locales)
	order := "entry_id ASC"
	if page.Descending {
		order = "entry_id DESC"
		if page.AfterID != "" {
			q = q.Where("entry_id < ?", page.AfterID)
		}
	} else if page.AfterID != "" {
		q = q.Where("entry_id > ?", page.AfterID)
	}
	var ids []string
	if err := q.Order(order).Limit(page.Limit).Pluck("entry_id", &ids).Error; err != nil {
		return nil, fmt.Errorf("list published %ss: %w", typ, err)
	}
	return ids, nil
}

// CountPublishedEntries counts entries live in at least one of locales.
func (s *Content) CountPublishedEntries(ctx context.Context, typ content.Type, locales []string) (int, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&publicationRow{}).
		Distinct("entry_id").
		Where("type = ? AND locale IN ?", string(typ), locales).
		Count(&n).Error
	if err != nil {
		return 0, fmt.Errorf("count published %ss: %w", typ, err)
	}
	return int(n), nil
}

// CreateEntry inserts an entry and its draft translations.
func (s *Content) CreateEntry(ctx context.Context, e content.NewEntry) error {
	by := optional(e.By)
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		entry := entryRow{
			ID: e.ID, Type: string(e.Type), Version: 1, Structure: datatypes.JSON(e.Structure),
			CreatedAt: e.At, CreatedBy: by, UpdatedAt: e.At, UpdatedBy: by,
		}
		if err := tx.Create(&entry).Error; err != nil {
			return fmt.Errorf("insert entry: %w", err)
		}
		for _, t := range e.Translations {
			row := translationRow{
				EntryID: e.ID, Locale: t.Locale, Slug: t.Slug, Fields: datatypes.JSON(t.Fields),
				CreatedAt: e.At, UpdatedAt: e.At, UpdatedBy: by,
			}
			if err := tx.Create(&row).Error; err != nil {
				return fmt.Errorf("insert %s translation: %w", t.Locale, err)
			}
		}
		return nil
	})
}

// Draft returns the working copy of an entry in one locale.
func (s *Content) Draft(ctx context.Context, entryID, locale string) (content.Draft, error) {
	var entry entryRow
	if err := s.db.WithContext(ctx).Where("id = ?", entryID).Take(&entry).Error; err != nil {
		return content.Draft{}, notFoundAs(err, "entry %s not found", entryID)
	}
	var tr translationRow
	if err := s.db.WithContext(ctx).Where("entry_id = ? AND locale = ?", entryID, locale).Take(&tr).Error; err != nil {
		return content.Draft{}, notFoundAs(err, "%s %s has no %s translation", entry.Type, entryID, locale)
	}
	return content.Draft{
		EntryID: entry.ID, Type: content.Type(entry.Type), Version: entry.Version,
		Structure: []byte(entry.Structure), Locale: tr.Locale, Slug: tr.Slug,
		Fields: []byte(tr.Fields), UpdatedAt: tr.UpdatedAt.UTC(),
	}, nil
}

// Publish inserts the next revision and points the publication at it.
func (s *Content) Publish(ctx context.Context, p content.Publication) (content.PublishedRevision, error) {
	var live content.PublishedRevision
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var last int
		err := tx.Model(&revisionRow{}).
			Where("entry_id = ? AND locale = ?", p.EntryID, p.Locale).
			Select("COALESCE(MAX(number), 0)").Scan(&last).Error
		if err != nil {
			return fmt.Errorf("next revision number: %w", err)
		}
		id, err := content.NewID()
		if err != nil {
			return err
		}
		rev := revisionRow{
			ID: id, EntryID: p.EntryID, Locale: p.Locale, Number: last + 1, Slug: p.Slug,
			Document: datatypes.JSON(p.Document), UpdatedAt: p.UpdatedAt, CreatedAt: p.At, CreatedBy: optional(p.By),
		}
		if err := tx.Create(&rev).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return apperr.New(apperr.Conflict, "%s %s was published in %s at the same time; try again", p.Type, p.EntryID, p.Locale)
			}
			return fmt.Errorf("insert revision: %w", err)
		}
		pub := publicationRow{
			EntryID: p.EntryID, Locale: p.Locale, Type: string(p.Type), Slug: p.Slug,
			RevisionID: id, FirstPublishedAt: p.At, PublishedAt: p.At,
		}
		err = tx.Clauses(clause.OnConflict{
			Columns:   []clause.Column{{Name: "entry_id"}, {Name: "locale"}},
			DoUpdates: clause.AssignmentColumns([]string{"slug", "revision_id", "published_at"}),
		}).Create(&pub).Error
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return apperr.New(apperr.Conflict, "the slug %q is already live for another %s in %s", p.Slug, p.Type, p.Locale).
				With("field", "slug").With("locale", p.Locale)
		}
		if err != nil {
			return fmt.Errorf("update publication: %w", err)
		}
		live = content.PublishedRevision{
			EntryID: p.EntryID, Type: p.Type, Locale: p.Locale, Slug: p.Slug, Number: rev.Number,
			Document: p.Document, UpdatedAt: p.UpdatedAt, PublishedAt: p.At,
		}
		return nil
	})
	return live, err
}

// CountEntries counts entries that are not deleted.
func (s *Content) CountEntries(ctx context.Context) (int, error) {
	var n int64
	if err := s.db.WithContext(ctx).Model(&entryRow{}).Count(&n).Error; err != nil {
		return 0, fmt.Errorf("count entries: %w", err)
	}
	return int(n), nil
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
