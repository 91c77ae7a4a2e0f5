package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/werkwijzer/werkwijzer/internal/store/datatypes"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/werkwijzer/werkwijzer/internal/apperr"
	"github.com/werkwijzer/werkwijzer/internal/content"
)

// Content stores content entries, their drafts, revisions, publications,
// slug history and the audit log.
type Content struct {
	db *gorm.DB
}

// NewContent returns the content store on db.
func NewContent(db *gorm.DB) *Content { return &Content{db: db} }

var _ content.Store = (*Content)(nil)

type entryRow struct {
	ID                 string
	Type               string
	Version            int
	StructureVersion   int
	StructureUpdatedAt time.Time
	StructureUpdatedBy *string
	Structure          datatypes.JSON
	CreatedAt          time.Time
	CreatedBy          *string
	UpdatedAt          time.Time
	UpdatedBy          *string
	DeletedAt          gorm.DeletedAt
}

func (entryRow) TableName() string { return "entries" }

type translationRow struct {
	EntryID        string `gorm:"primaryKey"`
	Locale         string `gorm:"primaryKey"`
	Version        int
	Slug           string
	Fields         datatypes.JSON
	FieldChangedAt datatypes.JSONType[map[string]time.Time]
	CreatedAt      time.Time
	UpdatedAt      time.Time
	UpdatedBy      *string
}

func (translationRow) TableName() string { return "translations" }

type revisionRow struct {
	ID           string
	EntryID      string
	Locale       string
	Number       int
	Kind         string
	Slug         string
	Document     datatypes.JSON
	UpdatedAt    time.Time
	CreatedAt    time.Time
	CreatedBy    *string
	RestoredFrom *string
}

func (revisionRow) TableName() string { return "revisions" }

func (r revisionRow) toContent() content.Revision {
	return content.Revision{
		ID: r.ID, EntryID: r.EntryID, Locale: r.Locale, Number: r.Number, Kind: content.RevisionKind(r.Kind),
		Slug: r.Slug, Document: json.RawMessage(r.Document), UpdatedAt: r.UpdatedAt.UTC(),
		CreatedAt: r.CreatedAt.UTC(), CreatedBy: deref(r.CreatedBy), RestoredFrom: deref(r.RestoredFrom),
	}
}

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

type slugHistoryRow struct {
	Type      string `gorm:"primaryKey"`
	Locale    string `gorm:"primaryKey"`
	Slug      string `gorm:"primaryKey"`
	EntryID   string
	RetiredAt time.Time
}

func (slugHistoryRow) TableName() string { return "slug_history" }

type auditRow struct {
	ID        string
	At        time.Time
	ActorID   *string
	Action    string
	EntryID   *string
	EntryType *string
	Locale    *string
	Details   datatypes.JSONType[map[string]any]
}

func (auditRow) TableName() string { return "audit_log" }

// InTx runs fn in one transaction.
func (s *Content) InTx(ctx context.Context, fn func(content.Store) error) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return fn(&Content{db: tx})
	})
}

// --- reads for the public API and preview ---

// slugRow is one place a slug is used.
type slugRow struct {
	EntryID string
	Locale  string
}

// FindBySlug finds the entry that has slug in any locale. A current slug
// and a former one compete on equal terms by locale preference (a former
// Dutch slug beats a current English one for a Dutch reader); at the same
// locale the current one wins.
func (s *Content) FindBySlug(ctx context.Context, view content.View, typ content.Type, slug string, preferred []string) (string, bool, error) {
	q := s.db.WithContext(ctx)
	if view == content.Live {
		q = q.Table("publications").Select("entry_id, locale").Where("type = ? AND slug = ?", string(typ), slug)
	} else {
		q = q.Table("translations AS t").Select("t.entry_id, t.locale").
			Joins("JOIN entries AS e ON e.id = t.entry_id").
			Where("e.type = ? AND t.slug = ? AND e.deleted_at IS NULL", string(typ), slug)
	}
	current, err := scanSlugRows(q)
	if err != nil {
		return "", false, fmt.Errorf("find %s by slug: %w", typ, err)
	}
	var former []slugRow
	if view == content.Live {
		// An old slug leads to its entry if that is still live somewhere.
		former, err = scanSlugRows(s.db.WithContext(ctx).Table("slug_history AS h").Select("DISTINCT h.entry_id, h.locale").
			Joins("JOIN publications AS p ON p.entry_id = h.entry_id").
			Where("h.type = ? AND h.slug = ?", string(typ), slug))
		if err != nil {
			return "", false, fmt.Errorf("find %s by former slug: %w", typ, err)
		}
	}
	type candidate struct {
		slugRow
		current bool
	}
	var best *candidate
	better := func(c candidate) bool {
		if best == nil {
			return true
		}
		if a, b := rank(c.Locale, preferred), rank(best.Locale, preferred); a != b {
			return a < b
		}
		if c.current != best.current {
			return c.current
		}
		return c.EntryID < best.EntryID
	}
	for _, r := range current {
		if c := (candidate{r, true}); better(c) {
			best = &c
		}
	}
	for _, r := range former {
		if c := (candidate{r, false}); better(c) {
			best = &c
		}
	}
	if best == nil {
		return "", false, apperr.New(apperr.NotFound, "no %s has the slug %q", typ, slug).With("field", "slug")
	}
	return best.EntryID, best.current, nil
}

func rank(loc string, preferred []string) int {
	for i, p := range preferred {
		if p == loc {
			return i
		}
	}
	return len(preferred)
}

// documentRow is a publication joined with its revision, or a draft.
type documentRow struct {
	EntryID     string
	Type        string
	Locale      string
	Slug        string
	PublishedAt time.Time
	// FirstPublishedAt is NULL in the Drafts view.
	FirstPublishedAt *time.Time
	// NULL when only the alternate (locale and slug) was wanted.
	Number    *int
	Document  datatypes.JSON
	Structure datatypes.JSON
	UpdatedAt *time.Time
}

// Documents loads documents of entries in locales, and every locale each
// entry has, in one statement: the document columns are only joined for
// the wanted locales, the other rows bring just their locale and slug.
func (s *Content) Documents(ctx context.Context, view content.View, typ content.Type, entryIDs, locales []string) ([]content.PublishedRevision, map[string][]content.Alternate, error) {
	var docs []content.PublishedRevision
	alternates := make(map[string][]content.Alternate, len(entryIDs))
	for ids := range slices.Chunk(entryIDs, maxBatch) {
		var rows []documentRow
		var q *gorm.DB
		if view == content.Live {
			live, err := s.liveDocuments(ctx, typ, ids, locales)
			if err != nil {
				return nil, nil, fmt.Errorf("load %ss: %w", typ, err)
			}
			rows = live
		} else {
			q = s.db.WithContext(ctx).Table("translations AS t").
				Select("t.entry_id, e.type, t.locale, t.slug, t.updated_at AS published_at, "+
					"CASE WHEN t.locale IN ? THEN e.version END AS number, "+
					"CASE WHEN t.locale IN ? THEN t.fields END AS document, "+
					"CASE WHEN t.locale IN ? THEN e.structure END AS structure, "+
					"t.updated_at", locales, locales, locales).
				Joins("JOIN entries AS e ON e.id = t.entry_id").
				Where("e.type = ? AND t.entry_id IN ? AND e.deleted_at IS NULL", string(typ), ids).
				Order("t.entry_id, t.locale")
			if err := q.Scan(&rows).Error; err != nil {
				return nil, nil, fmt.Errorf("load %ss: %w", typ, err)
			}
		}
		for _, r := range rows {
			alternates[r.EntryID] = append(alternates[r.EntryID], content.Alternate{Locale: r.Locale, Slug: r.Slug})
			if r.Number == nil {
				continue
			}
			doc := json.RawMessage(r.Document)
			if view == content.Drafts {
				var err error
				if doc, err = json.Marshal(content.Document[json.RawMessage, json.RawMessage]{
					Structure: json.RawMessage(r.Structure), Fields: json.RawMessage(r.Document),
				}); err != nil {
					return nil, nil, fmt.Errorf("encode draft of %s: %w", r.EntryID, err)
				}
			}
			rev := content.PublishedRevision{
				EntryID: r.EntryID, Type: content.Type(r.Type), Locale: r.Locale, Slug: r.Slug,
				Number: *r.Number, Document: doc, UpdatedAt: r.UpdatedAt.UTC(), PublishedAt: r.PublishedAt.UTC(),
			}
			if r.FirstPublishedAt != nil {
				rev.FirstPublishedAt = r.FirstPublishedAt.UTC()
			}
			docs = append(docs, rev)
		}
	}
	return docs, alternates, nil
}

// scanSlugRows runs q, which selects an entry id and a locale, and scans
// its rows by hand: every page looked up by slug runs two such statements.
func scanSlugRows(q *gorm.DB) ([]slugRow, error) {
	rs, err := q.Rows()
	if err != nil {
		return nil, err
	}
	defer rs.Close()
	var out []slugRow
	for rs.Next() {
		var r slugRow
		if err := rs.Scan(&r.EntryID, &r.Locale); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rs.Err()
}

// liveDocuments is Documents' statement for what is live. Every public
// page runs it, so its rows are scanned by hand: GORM's reflective Scan
// cost more CPU and allocations than the statement itself.
func (s *Content) liveDocuments(ctx context.Context, typ content.Type, ids, locales []string) ([]documentRow, error) {
	rs, err := s.db.WithContext(ctx).Raw("SELECT p.entry_id, p.type, p.locale, p.slug, p.published_at, p.first_published_at, r.number, r.document, r.updated_at "+
		"FROM publications AS p LEFT JOIN revisions AS r ON r.id = p.revision_id AND p.locale IN ? "+
		"WHERE p.type = ? AND p.entry_id IN ? ORDER BY p.entry_id, p.locale", locales, string(typ), ids).Rows()
	if err != nil {
		return nil, err
	}
	defer rs.Close()
	rows := make([]documentRow, 0, len(ids)*len(locales))
	for rs.Next() {
		var r documentRow
		var document []byte
		if err := rs.Scan(&r.EntryID, &r.Type, &r.Locale, &r.Slug, &r.PublishedAt, &r.FirstPublishedAt, &r.Number, &document, &r.UpdatedAt); err != nil {
			return nil, err
		}
		r.Document = document
		rows = append(rows, r)
	}
	return rows, rs.Err()
}

// ListIDs pages through entries that have one of locales in view, by id.
func (s *Content) ListIDs(ctx context.Context, view content.View, typ content.Type, locales []string, page content.Page) ([]string, error) {
	var ids []string
	q := keyset(s.listed(ctx, view, typ, locales), "entry_id", page.Descending, page)
	if err := q.Distinct("entry_id").Pluck("entry_id", &ids).Error; err != nil {
		return nil, fmt.Errorf("list %ss: %w", typ, err)
	}
	inListOrder(ids, page)
	return ids, nil
}

// keyset restricts q to one page of a list ordered by the unique column
// col: the Limit rows after AfterID or, with FromEnd, the Limit rows
// before BeforeID, read in reverse order (inListOrder turns them back).
func keyset(q *gorm.DB, col string, descending bool, page content.Page) *gorm.DB {
	after, before, order, reverse := ">", "<", "ASC", "DESC"
	if descending {
		after, before, order, reverse = "<", ">", "DESC", "ASC"
	}
	if page.AfterID != "" {
		q = q.Where(col+" "+after+" ?", page.AfterID)
	}
	if page.BeforeID != "" {
		q = q.Where(col+" "+before+" ?", page.BeforeID)
	}
	if page.FromEnd {
		order = reverse
	}
	return q.Order(col + " " + order).Limit(page.Limit)
}

// inListOrder puts rows read by keyset back in the list's order.
func inListOrder[T any](rows []T, page content.Page) {
	if page.FromEnd {
		slices.Reverse(rows)
	}
}

// CountListed counts what ListIDs pages through.
func (s *Content) CountListed(ctx context.Context, view content.View, typ content.Type, locales []string) (int, error) {
	var n int64
	if err := s.listed(ctx, view, typ, locales).Distinct("entry_id").Count(&n).Error; err != nil {
		return 0, fmt.Errorf("count %ss: %w", typ, err)
	}
	return int(n), nil
}

func (s *Content) listed(ctx context.Context, view content.View, typ content.Type, locales []string) *gorm.DB {
	if view == content.Live {
		return s.db.WithContext(ctx).Model(&publicationRow{}).Where("type = ? AND locale IN ?", string(typ), locales)
	}
	return s.db.WithContext(ctx).Model(&translationRow{}).
		Where("locale IN ? AND entry_id IN (?)", locales,
			s.db.Model(&entryRow{}).Select("id").Where("type = ?", string(typ)))
}

// --- the editors' side ---

// CreateEntry inserts an entry and its draft translations. It writes
// several rows, so the service calls it inside InTx; a transaction of its
// own would only add a savepoint.
func (s *Content) CreateEntry(ctx context.Context, e content.NewEntry) error {
	by := optional(e.By)
	entry := entryRow{
		ID: e.ID, Type: string(e.Type), Version: 1, Structure: datatypes.JSON(e.Structure),
		StructureVersion: 1, StructureUpdatedAt: e.At, StructureUpdatedBy: by,
		CreatedAt: e.At, CreatedBy: by, UpdatedAt: e.At, UpdatedBy: by,
	}
	if err := s.db.WithContext(ctx).Create(&entry).Error; err != nil {
		return fmt.Errorf("insert entry: %w", err)
	}
	for _, t := range e.Translations {
		t.Version = entry.Version // every part of a new entry is at its first version
		if err := s.PutTranslation(ctx, t, e.ID); err != nil {
			return err
		}
	}
	return nil
}

// Entry loads an entry that is not deleted, with drafts and publications.
func (s *Content) Entry(ctx context.Context, id string) (*content.EntryState, error) {
	var row entryRow
	if err := s.db.WithContext(ctx).Where("id = ?", id).Take(&row).Error; err != nil {
		return nil, notFoundAs(err, "entry %s not found", id)
	}
	states, err := s.withDetails(ctx, []entryRow{row})
	if err != nil {
		return nil, err
	}
	return states[0], nil
}

// Entries pages through entries, newest first.
func (s *Content) Entries(ctx context.Context, typ content.Type, page content.Page) ([]*content.EntryState, error) {
	q := s.db.WithContext(ctx)
	if typ != "" {
		q = q.Where("type = ?", string(typ))
	}
	var rows []entryRow
	if err := keyset(q, "id", true, page).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list entries: %w", err)
	}
	inListOrder(rows, page)
	return s.withDetails(ctx, rows)
}

// withDetails adds translations, publications and open scheduled actions
// to entries, in three statements however many entries there are.
func (s *Content) withDetails(ctx context.Context, rows []entryRow) ([]*content.EntryState, error) {
	byID := make(map[string]*content.EntryState, len(rows))
	out := make([]*content.EntryState, len(rows))
	ids := make([]string, len(rows))
	for i, r := range rows {
		out[i] = &content.EntryState{
			ID: r.ID, Type: content.Type(r.Type), Version: r.Version, Structure: json.RawMessage(r.Structure),
			StructureVersion: r.StructureVersion, StructureUpdatedAt: r.StructureUpdatedAt.UTC(), StructureUpdatedBy: deref(r.StructureUpdatedBy),
			CreatedAt: r.CreatedAt.UTC(), CreatedBy: deref(r.CreatedBy), UpdatedAt: r.UpdatedAt.UTC(), UpdatedBy: deref(r.UpdatedBy),
		}
		byID[r.ID] = out[i]
		ids[i] = r.ID
	}
	for chunk := range slices.Chunk(ids, maxBatch) {
		var trs []translationRow
		if err := s.db.WithContext(ctx).Where("entry_id IN ?", chunk).Order("entry_id, locale").Find(&trs).Error; err != nil {
			return nil, fmt.Errorf("load translations: %w", err)
		}
		for _, t := range trs {
			e := byID[t.EntryID]
			changed := t.FieldChangedAt.Data()
			for k, v := range changed {
				changed[k] = v.UTC()
			}
			e.Translations = append(e.Translations, content.TranslationState{
				Locale: t.Locale, Version: t.Version, Slug: t.Slug, Fields: json.RawMessage(t.Fields), CreatedAt: t.CreatedAt.UTC(),
				UpdatedAt: t.UpdatedAt.UTC(), UpdatedBy: deref(t.UpdatedBy), FieldChangedAt: changed,
			})
		}
		var live []struct {
			EntryID, Locale, Slug, RevisionID string
			FirstPublishedAt, PublishedAt     time.Time
			Number                            int
			Document                          datatypes.JSON
		}
		err := s.db.WithContext(ctx).Table("publications AS p").
			Select("p.entry_id, p.locale, p.slug, p.revision_id, p.first_published_at, p.published_at, r.number, r.document").
			Joins("JOIN revisions AS r ON r.id = p.revision_id").
			Where("p.entry_id IN ?", chunk).Order("p.entry_id, p.locale").
			Scan(&live).Error
		if err != nil {
			return nil, fmt.Errorf("load publications: %w", err)
		}
		for _, p := range live {
			e := byID[p.EntryID]
			e.Live = append(e.Live, content.LiveState{
				Locale: p.Locale, Slug: p.Slug, RevisionID: p.RevisionID, RevisionNumber: p.Number,
				Document: json.RawMessage(p.Document), FirstPublishedAt: p.FirstPublishedAt.UTC(), PublishedAt: p.PublishedAt.UTC(),
			})
		}
		if err := s.addScheduled(ctx, chunk, byID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// CountEntries counts entries that are not deleted.
func (s *Content) CountEntries(ctx context.Context, typ content.Type) (int, error) {
	q := s.db.WithContext(ctx).Model(&entryRow{})
	if typ != "" {
		q = q.Where("type = ?", string(typ))
	}
	var n int64
	if err := q.Count(&n).Error; err != nil {
		return 0, fmt.Errorf("count entries: %w", err)
	}
	return int(n), nil
}

// AnyEntryEver reports whether an entry was ever created.
func (s *Content) AnyEntryEver(ctx context.Context) (bool, error) {
	var ids []string
	if err := s.db.WithContext(ctx).Unscoped().Model(&entryRow{}).Limit(1).Pluck("id", &ids).Error; err != nil {
		return false, fmt.Errorf("look for entries: %w", err)
	}
	return len(ids) > 0, nil
}

// LockEntry takes the entry's row lock with an UPDATE that changes
// nothing: the same statement locks on PostgreSQL and on SQLite (whose
// immediate transactions hold the database's write lock anyway), where
// SELECT ... FOR UPDATE would not parse.
func (s *Content) LockEntry(ctx context.Context, id string) error {
	res := s.db.WithContext(ctx).Model(&entryRow{}).Where("id = ?", id).UpdateColumn("version", gorm.Expr("version"))
	if res.Error != nil {
		return fmt.Errorf("lock entry %s: %w", id, res.Error)
	}
	if res.RowsAffected == 0 {
		return apperr.New(apperr.NotFound, "entry %s not found", id)
	}
	return nil
}

// ClaimVersion is the optimistic lock, per part: it locks the entry's
// row first (on PostgreSQL a second writer waits here and then reads what
// the first committed), compares the version of each part the change
// touches with the one it was based on, and only then moves the entry on.
func (s *Content) ClaimVersion(ctx context.Context, id string, c content.Claim) (int, error) {
	if err := s.LockEntry(ctx, id); err != nil {
		return 0, err
	}
	db := s.db.WithContext(ctx)
	var e entryRow
	if err := db.Where("id = ?", id).Take(&e).Error; err != nil {
		return 0, notFoundAs(err, "entry %s not found", id)
	}
	if c.Expected < 1 || c.Expected > e.Version || (c.Whole && e.Version != c.Expected) {
		return 0, versionConflict(id, "entry", "", e.Version, c.Expected, e.UpdatedBy, e.UpdatedAt)
	}
	if c.Structure && e.StructureVersion > c.Expected {
		return 0, versionConflict(id, "structure", "", e.StructureVersion, c.Expected, e.StructureUpdatedBy, e.StructureUpdatedAt)
	}
	if len(c.Locales) > 0 {
		var moved []translationRow
		err := db.Select("locale", "version", "updated_at", "updated_by").
			Where("entry_id = ? AND locale IN ? AND version > ?", id, c.Locales, c.Expected).
			Order("locale").Find(&moved).Error
		if err != nil {
			return 0, fmt.Errorf("read translation versions of %s: %w", id, err)
		}
		if len(moved) > 0 {
			t := moved[0]
			return 0, versionConflict(id, "translation", t.Locale, t.Version, c.Expected, t.UpdatedBy, t.UpdatedAt)
		}
	}
	next := e.Version + 1
	changes := map[string]any{"version": next, "updated_at": c.At, "updated_by": optional(c.By)}
	if c.Structure {
		changes["structure_version"] = next
		changes["structure_updated_at"] = c.At
		changes["structure_updated_by"] = optional(c.By)
	}
	if err := db.Model(&entryRow{}).Where("id = ?", id).Updates(changes).Error; err != nil {
		return 0, fmt.Errorf("update version of %s: %w", id, err)
	}
	return next, nil
}

// versionConflict says which part of entry id moved past the version a
// change was based on, who moved it and when.
func versionConflict(id, part, locale string, current, expected int, by *string, at time.Time) error {
	what := "entry " + id
	switch part {
	case "structure":
		what = "the structure of entry " + id
	case "translation":
		what = fmt.Sprintf("the %s translation of entry %s", locale, id)
	}
	err := apperr.New(apperr.Conflict, "%s was changed by someone else: it is at version %d, your change was based on version %d; reload it and apply your change again",
		what, current, expected).
		With("part", part).
		With("currentVersion", current).
		With("expectedVersion", expected).
		With("updatedBy", deref(by)).
		With("updatedAt", at.UTC().Format(time.RFC3339Nano))
	if locale != "" {
		err = err.With("locale", locale)
	}
	return err
}

// SetStructure replaces an entry's draft structure.
func (s *Content) SetStructure(ctx context.Context, id string, structure json.RawMessage) error {
	err := s.db.WithContext(ctx).Model(&entryRow{}).Where("id = ?", id).
		UpdateColumn("structure", datatypes.JSON(structure)).Error
	if err != nil {
		return fmt.Errorf("update structure of %s: %w", id, err)
	}
	return nil
}

// PutTranslation inserts or replaces one locale's draft.
func (s *Content) PutTranslation(ctx context.Context, t content.TranslationState, entryID string) error {
	changed := t.FieldChangedAt
	if changed == nil {
		changed = map[string]time.Time{}
	}
	row := translationRow{
		EntryID: entryID, Locale: t.Locale, Version: t.Version, Slug: t.Slug, Fields: datatypes.JSON(t.Fields),
		FieldChangedAt: datatypes.NewJSONType(changed),
		CreatedAt:      t.CreatedAt, UpdatedAt: t.UpdatedAt, UpdatedBy: optional(t.UpdatedBy),
	}
	err := s.db.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "entry_id"}, {Name: "locale"}},
		DoUpdates: clause.AssignmentColumns([]string{"version", "slug", "fields", "field_changed_at", "updated_at", "updated_by"}),
	}).Create(&row).Error
	if err != nil {
		return fmt.Errorf("save %s translation of %s: %w", t.Locale, entryID, err)
	}
	return nil
}

// DeleteEntry soft-deletes an entry and takes it offline everywhere. Its
// history stays, for the audit trail.
func (s *Content) DeleteEntry(ctx context.Context, id string, at time.Time) error {
	if err := s.db.WithContext(ctx).Where("entry_id = ?", id).Delete(&publicationRow{}).Error; err != nil {
		return fmt.Errorf("take %s offline: %w", id, err)
	}
	if err := s.db.WithContext(ctx).Where("entry_id = ?", id).Delete(&slugHistoryRow{}).Error; err != nil {
		return fmt.Errorf("forget slugs of %s: %w", id, err)
	}
	if err := s.db.WithContext(ctx).Model(&entryRow{}).Where("id = ?", id).UpdateColumn("deleted_at", at).Error; err != nil {
		return fmt.Errorf("delete %s: %w", id, err)
	}
	return nil
}

// SlugInUse reports whether another entry of typ is live under slug in locale.
func (s *Content) SlugInUse(ctx context.Context, typ content.Type, locale, slug, exceptID string) (bool, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&publicationRow{}).
		Where("type = ? AND locale = ? AND slug = ? AND entry_id <> ?", string(typ), locale, slug, exceptID).
		Count(&n).Error
	if err != nil {
		return false, fmt.Errorf("check slug %q: %w", slug, err)
	}
	return n > 0, nil
}

// AddRevision appends a revision with the next number of its entry and locale.
func (s *Content) AddRevision(ctx context.Context, r content.Revision) (content.Revision, error) {
	var last int
	err := s.db.WithContext(ctx).Model(&revisionRow{}).
		Where("entry_id = ? AND locale = ?", r.EntryID, r.Locale).
		Select("COALESCE(MAX(number), 0)").Scan(&last).Error
	if err != nil {
		return r, fmt.Errorf("next revision number: %w", err)
	}
	if r.ID == "" {
		if r.ID, err = content.NewID(); err != nil {
			return r, err
		}
	}
	r.Number = last + 1
	row := revisionRow{
		ID: r.ID, EntryID: r.EntryID, Locale: r.Locale, Number: r.Number, Kind: string(r.Kind), Slug: r.Slug,
		Document: datatypes.JSON(r.Document), UpdatedAt: r.UpdatedAt, CreatedAt: r.CreatedAt,
		CreatedBy: optional(r.CreatedBy), RestoredFrom: optional(r.RestoredFrom),
	}
	if err := s.db.WithContext(ctx).Create(&row).Error; err != nil {
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return r, apperr.New(apperr.Conflict, "entry %s got another revision in %s at the same time; try again", r.EntryID, r.Locale)
		}
		return r, fmt.Errorf("insert revision: %w", err)
	}
	return r, nil
}

// Publish points the entry's publication in rev's locale at rev.
func (s *Content) Publish(ctx context.Context, typ content.Type, rev content.Revision) error {
	db := s.db.WithContext(ctx)
	var previous publicationRow
	err := db.Where("entry_id = ? AND locale = ?", rev.EntryID, rev.Locale).Take(&previous).Error
	switch {
	case err == nil && previous.Slug != rev.Slug:
		if err := s.retireSlug(ctx, typ, rev.Locale, previous.Slug, rev.EntryID, rev.CreatedAt); err != nil {
			return err
		}
	case err != nil && !errors.Is(err, gorm.ErrRecordNotFound):
		return fmt.Errorf("load publication: %w", err)
	}
	pub := publicationRow{
		EntryID: rev.EntryID, Locale: rev.Locale, Type: string(typ), Slug: rev.Slug,
		RevisionID: rev.ID, FirstPublishedAt: rev.CreatedAt, PublishedAt: rev.CreatedAt,
	}
	err = db.Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "entry_id"}, {Name: "locale"}},
		DoUpdates: clause.AssignmentColumns([]string{"slug", "revision_id", "published_at"}),
	}).Create(&pub).Error
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return apperr.New(apperr.Conflict, "the slug %q is already live for another %s in %s", rev.Slug, typ, rev.Locale).
			With("field", "slug").With("locale", rev.Locale)
	}
	if err != nil {
		return fmt.Errorf("update publication: %w", err)
	}
	// A slug live again is no longer a former one.
	err = db.Where("type = ? AND locale = ? AND slug = ?", string(typ), rev.Locale, rev.Slug).Delete(&slugHistoryRow{}).Error
	if err != nil {
		return fmt.Errorf("clear slug history: %w", err)
	}
	return nil
}

// Unpublish deletes the publication of an entry in locale and keeps its
// slug in the history, so links to it work again once it is republished
// under another slug.
func (s *Content) Unpublish(ctx context.Context, typ content.Type, id, locale string, at time.Time) (bool, error) {
	var pub publicationRow
	err := s.db.WithContext(ctx).Where("entry_id = ? AND locale = ?", id, locale).Take(&pub).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("load publication: %w", err)
	}
	if err := s.retireSlug(ctx, typ, locale, pub.Slug, id, at); err != nil {
		return false, err
	}
	if err := s.db.WithContext(ctx).Where("entry_id = ? AND locale = ?", id, locale).Delete(&publicationRow{}).Error; err != nil {
		return false, fmt.Errorf("unpublish %s in %s: %w", id, locale, err)
	}
	return true, nil
}

func (s *Content) retireSlug(ctx context.Context, typ content.Type, locale, slug, id string, at time.Time) error {
	retired := slugHistoryRow{Type: string(typ), Locale: locale, Slug: slug, EntryID: id, RetiredAt: at}
	err := s.db.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "type"}, {Name: "locale"}, {Name: "slug"}},
		DoUpdates: clause.AssignmentColumns([]string{"entry_id", "retired_at"}),
	}).Create(&retired).Error
	if err != nil {
		return fmt.Errorf("retire slug %q: %w", slug, err)
	}
	return nil
}

// History pages through revisions, newest first: by id, since revision
// ids are UUIDv7 and so in creation order, which keyset paging needs a
// unique column for.
func (s *Content) History(ctx context.Context, id, locale string, page content.Page) ([]content.Revision, error) {
	var rows []revisionRow
	if err := keyset(s.history(ctx, id, locale), "id", true, page).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("load history of %s: %w", id, err)
	}
	inListOrder(rows, page)
	out := make([]content.Revision, len(rows))
	for i, r := range rows {
		out[i] = r.toContent()
	}
	return out, nil
}

// CountHistory counts what History pages through.
func (s *Content) CountHistory(ctx context.Context, id, locale string) (int, error) {
	var n int64
	if err := s.history(ctx, id, locale).Model(&revisionRow{}).Count(&n).Error; err != nil {
		return 0, fmt.Errorf("count history of %s: %w", id, err)
	}
	return int(n), nil
}

func (s *Content) history(ctx context.Context, id, locale string) *gorm.DB {
	q := s.db.WithContext(ctx).Where("entry_id = ?", id)
	if locale != "" {
		q = q.Where("locale = ?", locale)
	}
	return q
}

// Revision loads one revision.
func (s *Content) Revision(ctx context.Context, id string) (content.Revision, error) {
	var row revisionRow
	if err := s.db.WithContext(ctx).Where("id = ?", id).Take(&row).Error; err != nil {
		return content.Revision{}, notFoundAs(err, "revision %s not found", id)
	}
	return row.toContent(), nil
}

// Audit appends one entry to the audit log.
func (s *Content) Audit(ctx context.Context, e content.AuditEntry) error {
	var err error
	if e.ID == "" {
		if e.ID, err = content.NewID(); err != nil {
			return err
		}
	}
	details := e.Details
	if details == nil {
		details = map[string]any{}
	}
	row := auditRow{
		ID: e.ID, At: e.At, ActorID: optional(e.ActorID), Action: e.Action, EntryID: optional(e.EntryID),
		EntryType: optional(string(e.EntryType)), Locale: optional(e.Locale), Details: datatypes.NewJSONType(details),
	}
	if err := s.db.WithContext(ctx).Create(&row).Error; err != nil {
		return fmt.Errorf("write audit log: %w", err)
	}
	return nil
}

// AuditLog pages through the audit log, newest first.
func (s *Content) AuditLog(ctx context.Context, filter content.AuditFilter, page content.Page) ([]content.AuditEntry, error) {
	q := s.db.WithContext(ctx)
	if filter.EntryID != "" {
		q = q.Where("entry_id = ?", filter.EntryID)
	}
	if filter.ActorID != "" {
		q = q.Where("actor_id = ?", filter.ActorID)
	}
	var rows []auditRow
	if err := keyset(q, "id", true, page).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("read audit log: %w", err)
	}
	inListOrder(rows, page)
	out := make([]content.AuditEntry, len(rows))
	for i, r := range rows {
		out[i] = content.AuditEntry{
			ID: r.ID, At: r.At.UTC(), ActorID: deref(r.ActorID), Action: r.Action, EntryID: deref(r.EntryID),
			EntryType: content.Type(deref(r.EntryType)), Locale: deref(r.Locale), Details: r.Details.Data(),
		}
	}
	return out, nil
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// TypesOf returns the type of each existing entry among ids.
func (s *Content) TypesOf(ctx context.Context, ids []string) (map[string]content.Type, error) {
	out := make(map[string]content.Type, len(ids))
	for chunk := range slices.Chunk(ids, maxBatch) {
		var rows []entryRow
		if err := s.db.WithContext(ctx).Select("id", "type").Where("id IN ?", chunk).Find(&rows).Error; err != nil {
			return nil, fmt.Errorf("look up entries: %w", err)
		}
		for _, r := range rows {
			out[r.ID] = content.Type(r.Type)
		}
	}
	return out, nil
}
