package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"

	"github.com/werkwijzer/werkwijzer/internal/apperr"
	"github.com/werkwijzer/werkwijzer/internal/store/datatypes"
	"github.com/werkwijzer/werkwijzer/internal/transfer"
)

// Transfer reads and writes whole records for export and import, with
// their ids, timestamps and versions exactly as given: it bypasses the
// domain services on purpose, since a restore must not bump versions,
// take new ids or stamp the current time.
type Transfer struct {
	db *gorm.DB
}

// NewTransfer returns the transfer store on db.
func NewTransfer(db *gorm.DB) *Transfer { return &Transfer{db: db} }

var _ transfer.Store = (*Transfer)(nil)

// The rows below read JSON columns as stored (the rows of the other
// stores decode some of them into domain types, which would drop what a
// newer version added) and name exactly the columns an export carries.

type transferTranslationRow struct {
	EntryID        string
	Locale         string
	Version        int
	Slug           string
	Fields         datatypes.JSON
	FieldChangedAt datatypes.JSON
	CreatedAt      time.Time `gorm:"autoCreateTime:false"`
	UpdatedAt      time.Time `gorm:"autoUpdateTime:false"`
	UpdatedBy      *string
}

func (transferTranslationRow) TableName() string { return "translations" }

type transferSourceRow struct {
	ID           string
	Name         string
	Kind         string
	FeedURL      string `gorm:"column:feed_url"`
	AllowedHosts datatypes.JSON
	RoleRules    datatypes.JSON
	Language     string
	TimeZone     string
	Active       bool
	CreatedAt    time.Time `gorm:"autoCreateTime:false"`
	UpdatedAt    time.Time `gorm:"autoUpdateTime:false"`
	DisabledAt   *time.Time
}

func (transferSourceRow) TableName() string { return "vacancy_sources" }

type transferVacancyRow struct {
	ID               string
	SourceID         string
	ExternalID       string
	Language         string
	RoleID           *string
	Title            string
	Description      string
	URL              string `gorm:"column:url"`
	ApplyURL         string `gorm:"column:apply_url"`
	OrgName          string
	OrgURL           string `gorm:"column:org_url"`
	OrgLogoURL       string `gorm:"column:org_logo_url"`
	EmploymentTypes  int
	WorkplaceType    string
	Locations        datatypes.JSON
	LocationKeys     string
	HoursMin         *float64
	HoursMax         *float64
	SalaryMin        *int64
	SalaryMax        *int64
	SalaryCurrency   string
	SalaryUnit       string
	DatePosted       time.Time
	DatePostedText   string
	ValidThrough     *time.Time
	ValidThroughText string
	SourceUpdatedAt  *time.Time
	Status           string
	ClosedReason     string
	ClosedAt         *time.Time
	FirstSeenAt      time.Time
	LastSeenAt       time.Time
	SeenSnapshot     string
	ContentHash      string
	InputHash        string
	CreatedAt        time.Time `gorm:"autoCreateTime:false"`
	UpdatedAt        time.Time `gorm:"autoUpdateTime:false"`
}

func (transferVacancyRow) TableName() string { return "vacancies" }

// InTx runs fn in one transaction that sees one state of the database
// throughout: an export is consistent, and an import that decided to
// replace a record fails rather than overwrite a change committed since
// it read it. SQLite's transactions are like that already; PostgreSQL's
// need REPEATABLE READ (its default, READ COMMITTED, sees each
// statement's own snapshot).
func (s *Transfer) InTx(ctx context.Context, fn func(transfer.Store) error) error {
	var opts []*sql.TxOptions
	if isPostgres(s.db) {
		opts = append(opts, &sql.TxOptions{Isolation: sql.LevelRepeatableRead})
	}
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return fn(&Transfer{db: tx})
	}, opts...)
}

// findIn reads the rows of T whose column is one of ids, in batches under
// the bind-parameter limits; nil ids reads every row.
func findIn[T any](ctx context.Context, db *gorm.DB, column string, ids []string, scope func(*gorm.DB) *gorm.DB) ([]T, error) {
	var all []T
	read := func(q *gorm.DB) error {
		var rows []T
		if err := scope(q).Find(&rows).Error; err != nil {
			return err
		}
		all = append(all, rows...)
		return nil
	}
	if ids == nil {
		return all, read(db.WithContext(ctx))
	}
	for batch := range slices.Chunk(ids, maxBatch) {
		if err := read(db.WithContext(ctx).Where(column+" IN ?", batch)); err != nil {
			return nil, err
		}
	}
	return all, nil
}

func noScope(q *gorm.DB) *gorm.DB { return q }

// Entries returns the entries with ids (nil: all), deleted ones included.
func (s *Transfer) Entries(ctx context.Context, ids []string) ([]transfer.Entry, error) {
	rows, err := findIn[entryRow](ctx, s.db, "id", ids, func(q *gorm.DB) *gorm.DB { return q.Unscoped() })
	if err != nil {
		return nil, fmt.Errorf("read entries: %w", err)
	}
	if ids != nil {
		// Only the parts of the entries found.
		ids = make([]string, len(rows))
		for i, r := range rows {
			ids[i] = r.ID
		}
	}
	translations, err := findIn[transferTranslationRow](ctx, s.db, "entry_id", ids, noScope)
	if err != nil {
		return nil, fmt.Errorf("read drafts: %w", err)
	}
	revisions, err := findIn[revisionRow](ctx, s.db, "entry_id", ids, noScope)
	if err != nil {
		return nil, fmt.Errorf("read revisions: %w", err)
	}
	publications, err := findIn[publicationRow](ctx, s.db, "entry_id", ids, noScope)
	if err != nil {
		return nil, fmt.Errorf("read publications: %w", err)
	}
	former, err := findIn[slugHistoryRow](ctx, s.db, "entry_id", ids, noScope)
	if err != nil {
		return nil, fmt.Errorf("read slug history: %w", err)
	}
	entries := make([]transfer.Entry, len(rows))
	at := make(map[string]*transfer.Entry, len(rows))
	for i, r := range rows {
		if entries[i], err = exportedEntry(r); err != nil {
			return nil, err
		}
		at[r.ID] = &entries[i]
	}
	if err := addDrafts(at, translations); err != nil {
		return nil, err
	}
	if err := addRevisions(at, revisions); err != nil {
		return nil, err
	}
	for _, p := range publications {
		if e := at[p.EntryID]; e != nil {
			e.Live = append(e.Live, transfer.Live{
				Locale: p.Locale, Slug: p.Slug, RevisionID: p.RevisionID,
				FirstPublishedAt: transfer.NewTime(p.FirstPublishedAt), PublishedAt: transfer.NewTime(p.PublishedAt),
			})
		}
	}
	for _, h := range former {
		if e := at[h.EntryID]; e != nil {
			e.FormerSlugs = append(e.FormerSlugs, transfer.FormerSlug{Locale: h.Locale, Slug: h.Slug, RetiredAt: transfer.NewTime(h.RetiredAt)})
		}
	}
	return entries, nil
}

// exportedEntry is an entry row as the export writes it, its parts still
// empty.
func exportedEntry(r entryRow) (transfer.Entry, error) {
	structure, err := transfer.Canonical(r.Structure)
	if err != nil {
		return transfer.Entry{}, fmt.Errorf("entry %s structure: %w", r.ID, err)
	}
	e := transfer.Entry{
		ID: r.ID, Type: r.Type, Version: r.Version, Structure: structure,
		StructureVersion: r.StructureVersion, StructureUpdatedAt: transfer.NewTime(r.StructureUpdatedAt), StructureUpdatedBy: r.StructureUpdatedBy,
		CreatedAt: transfer.NewTime(r.CreatedAt), CreatedBy: r.CreatedBy,
		UpdatedAt: transfer.NewTime(r.UpdatedAt), UpdatedBy: r.UpdatedBy,
		Drafts: []transfer.Translation{}, Revisions: []transfer.Revision{}, Live: []transfer.Live{}, FormerSlugs: []transfer.FormerSlug{},
	}
	if r.DeletedAt.Valid {
		e.DeletedAt = transfer.TimePtr(&r.DeletedAt.Time)
	}
	return e, nil
}

// addDrafts adds each draft to its entry in at, in canonical JSON.
func addDrafts(at map[string]*transfer.Entry, translations []transferTranslationRow) error {
	for _, t := range translations {
		e := at[t.EntryID]
		if e == nil {
			continue
		}
		fields, err := transfer.Canonical(t.Fields)
		if err != nil {
			return fmt.Errorf("entry %s draft %s fields: %w", t.EntryID, t.Locale, err)
		}
		changed, err := transfer.Canonical(t.FieldChangedAt)
		if err != nil {
			return fmt.Errorf("entry %s draft %s field times: %w", t.EntryID, t.Locale, err)
		}
		e.Drafts = append(e.Drafts, transfer.Translation{
			Locale: t.Locale, Version: t.Version, Slug: t.Slug, Fields: fields, FieldChangedAt: changed,
			CreatedAt: transfer.NewTime(t.CreatedAt), UpdatedAt: transfer.NewTime(t.UpdatedAt), UpdatedBy: t.UpdatedBy,
		})
	}
	return nil
}

// addRevisions adds each revision to its entry in at, in canonical JSON.
func addRevisions(at map[string]*transfer.Entry, revisions []revisionRow) error {
	for _, r := range revisions {
		e := at[r.EntryID]
		if e == nil {
			continue
		}
		doc, err := transfer.Canonical(r.Document)
		if err != nil {
			return fmt.Errorf("revision %s document: %w", r.ID, err)
		}
		e.Revisions = append(e.Revisions, transfer.Revision{
			ID: r.ID, Locale: r.Locale, Number: r.Number, Kind: r.Kind, Slug: r.Slug, Document: doc,
			UpdatedAt: transfer.NewTime(r.UpdatedAt), CreatedAt: transfer.NewTime(r.CreatedAt),
			CreatedBy: r.CreatedBy, RestoredFrom: r.RestoredFrom,
		})
	}
	return nil
}

// Users returns the users with ids (nil: all), with their password hashes
// only when withCredentials.
func (s *Transfer) Users(ctx context.Context, ids []string, withCredentials bool) ([]transfer.User, error) {
	rows, err := findIn[userRow](ctx, s.db, "id", ids, noScope)
	if err != nil {
		return nil, fmt.Errorf("read users: %w", err)
	}
	users := make([]transfer.User, len(rows))
	for i, r := range rows {
		u, err := r.toAccount()
		if err != nil {
			return nil, err
		}
		users[i] = transfer.User{
			ID: r.ID, Email: r.Email, Role: r.Role, Locales: u.Locales, Active: r.Active,
			CreatedAt: transfer.NewTime(r.CreatedAt), UpdatedAt: transfer.NewTime(r.UpdatedAt),
			PasswordChangedAt: transfer.NewTime(r.PasswordChangedAt), LastLoginAt: transfer.TimePtr(r.LastLoginAt),
		}
		if users[i].Locales == nil {
			users[i].Locales = []string{}
		}
		if withCredentials {
			users[i].PasswordHash = r.PasswordHash
		}
	}
	return users, nil
}

// Sources returns the vacancy sources with ids (nil: all).
func (s *Transfer) Sources(ctx context.Context, ids []string) ([]transfer.Source, error) {
	rows, err := findIn[transferSourceRow](ctx, s.db, "id", ids, noScope)
	if err != nil {
		return nil, fmt.Errorf("read sources: %w", err)
	}
	sources := make([]transfer.Source, len(rows))
	for i, r := range rows {
		var hosts []string
		if err := decodeJSON(r.AllowedHosts, &hosts); err != nil {
			return nil, fmt.Errorf("source %s allowed hosts: %w", r.Name, err)
		}
		if hosts == nil {
			hosts = []string{}
		}
		rules, err := transfer.Canonical(r.RoleRules)
		if err != nil {
			return nil, fmt.Errorf("source %s role rules: %w", r.Name, err)
		}
		sources[i] = transfer.Source{
			ID: r.ID, Name: r.Name, Kind: r.Kind, FeedURL: r.FeedURL, AllowedHosts: hosts, RoleRules: rules,
			Language: r.Language, TimeZone: r.TimeZone, Active: r.Active,
			CreatedAt: transfer.NewTime(r.CreatedAt), UpdatedAt: transfer.NewTime(r.UpdatedAt), DisabledAt: transfer.TimePtr(r.DisabledAt),
		}
	}
	return sources, nil
}

// Vacancies returns the vacancies with ids whatever their status, with
// Closed set for those not open; nil ids means every open vacancy.
func (s *Transfer) Vacancies(ctx context.Context, ids []string) ([]transfer.Vacancy, error) {
	scope := noScope
	if ids == nil {
		scope = func(q *gorm.DB) *gorm.DB { return q.Where("status = ?", "open") }
	}
	rows, err := findIn[transferVacancyRow](ctx, s.db, "id", ids, scope)
	if err != nil {
		return nil, fmt.Errorf("read vacancies: %w", err)
	}
	vacancies := make([]transfer.Vacancy, len(rows))
	for i, r := range rows {
		locations, err := transfer.Canonical(r.Locations)
		if err != nil {
			return nil, fmt.Errorf("vacancy %s locations: %w", r.ID, err)
		}
		vacancies[i] = transfer.Vacancy{
			ID: r.ID, SourceID: r.SourceID, ExternalID: r.ExternalID, Language: r.Language, RoleID: r.RoleID,
			Title: r.Title, Description: r.Description, URL: r.URL, ApplyURL: r.ApplyURL,
			OrgName: r.OrgName, OrgURL: r.OrgURL, OrgLogoURL: r.OrgLogoURL,
			EmploymentTypes: r.EmploymentTypes, WorkplaceType: r.WorkplaceType, Locations: locations, LocationKeys: r.LocationKeys,
			HoursMin: r.HoursMin, HoursMax: r.HoursMax, SalaryMin: r.SalaryMin, SalaryMax: r.SalaryMax,
			SalaryCurrency: r.SalaryCurrency, SalaryUnit: r.SalaryUnit,
			DatePosted: transfer.NewTime(r.DatePosted), DatePostedText: r.DatePostedText,
			ValidThrough: transfer.TimePtr(r.ValidThrough), ValidThroughText: r.ValidThroughText,
			SourceUpdatedAt: transfer.TimePtr(r.SourceUpdatedAt),
			FirstSeenAt:     transfer.NewTime(r.FirstSeenAt), LastSeenAt: transfer.NewTime(r.LastSeenAt),
			ContentHash: r.ContentHash, CreatedAt: transfer.NewTime(r.CreatedAt), UpdatedAt: transfer.NewTime(r.UpdatedAt),
			Closed: r.Status != "open",
		}
	}
	return vacancies, nil
}

// transferBatch bounds the rows of one INSERT: eleven columns a row keeps
// it far under both databases' bind-parameter limits.
const transferBatch = 200

// PutEntry writes e and its parts. Replacing deletes the stored parts and
// writes the document's: the entry row itself is updated in place, so
// vacancies linked to a role keep their link.
func (s *Transfer) PutEntry(ctx context.Context, e transfer.Entry, replace bool) error {
	db := s.db.WithContext(ctx)
	if replace {
		// Publications first: they refer to revisions. The revisions go in
		// one statement, so those restored from others are no obstacle.
		for _, table := range []string{"publications", "slug_history", "translations", "revisions"} {
			if err := db.Exec("DELETE FROM "+table+" WHERE entry_id = ?", e.ID).Error; err != nil {
				return transferWriteErr(err, "clear "+table)
			}
		}
		res := db.Table("entries").Where("id = ?", e.ID).Updates(map[string]any{
			"type": e.Type, "version": e.Version, "structure": datatypes.JSON(e.Structure),
			"structure_version": e.StructureVersion, "structure_updated_at": e.StructureUpdatedAt.Time, "structure_updated_by": e.StructureUpdatedBy,
			"created_at": e.CreatedAt.Time, "created_by": e.CreatedBy,
			"updated_at": e.UpdatedAt.Time, "updated_by": e.UpdatedBy, "deleted_at": timeOfPtr(e.DeletedAt),
		})
		if res.Error != nil {
			return transferWriteErr(res.Error, "update the entry")
		}
	} else {
		row := entryRow{
			ID: e.ID, Type: e.Type, Version: e.Version, Structure: datatypes.JSON(e.Structure),
			StructureVersion: e.StructureVersion, StructureUpdatedAt: e.StructureUpdatedAt.Time, StructureUpdatedBy: e.StructureUpdatedBy,
			CreatedAt: e.CreatedAt.Time, CreatedBy: e.CreatedBy, UpdatedAt: e.UpdatedAt.Time, UpdatedBy: e.UpdatedBy,
		}
		if e.DeletedAt != nil {
			row.DeletedAt = gorm.DeletedAt{Time: e.DeletedAt.Time, Valid: true}
		}
		if err := db.Create(&row).Error; err != nil {
			return transferWriteErr(err, "create the entry")
		}
	}
	return s.putEntryParts(db, e)
}

func (s *Transfer) putEntryParts(db *gorm.DB, e transfer.Entry) error {
	translations := make([]transferTranslationRow, len(e.Drafts))
	for i, t := range e.Drafts {
		translations[i] = transferTranslationRow{
			EntryID: e.ID, Locale: t.Locale, Version: t.Version, Slug: t.Slug, Fields: datatypes.JSON(t.Fields), FieldChangedAt: datatypes.JSON(t.FieldChangedAt),
			CreatedAt: t.CreatedAt.Time, UpdatedAt: t.UpdatedAt.Time, UpdatedBy: t.UpdatedBy,
		}
	}
	if len(translations) > 0 {
		if err := db.CreateInBatches(translations, transferBatch).Error; err != nil {
			return transferWriteErr(err, "write the drafts")
		}
	}
	// Revisions are written without the revision they were restored from,
	// then linked, so their order does not matter.
	revisions := make([]revisionRow, len(e.Revisions))
	for i, r := range e.Revisions {
		revisions[i] = revisionRow{
			ID: r.ID, EntryID: e.ID, Locale: r.Locale, Number: r.Number, Kind: r.Kind, Slug: r.Slug,
			Document: datatypes.JSON(r.Document), UpdatedAt: r.UpdatedAt.Time, CreatedAt: r.CreatedAt.Time, CreatedBy: r.CreatedBy,
		}
	}
	if len(revisions) > 0 {
		if err := db.CreateInBatches(revisions, transferBatch).Error; err != nil {
			return transferWriteErr(err, "write the revisions")
		}
	}
	for _, r := range e.Revisions {
		if r.RestoredFrom == nil {
			continue
		}
		if err := db.Table("revisions").Where("id = ?", r.ID).Update("restored_from", *r.RestoredFrom).Error; err != nil {
			return transferWriteErr(err, "link revision "+r.ID)
		}
	}
	publications := make([]publicationRow, len(e.Live))
	for i, l := range e.Live {
		publications[i] = publicationRow{
			EntryID: e.ID, Locale: l.Locale, Type: e.Type, Slug: l.Slug, RevisionID: l.RevisionID,
			FirstPublishedAt: l.FirstPublishedAt.Time, PublishedAt: l.PublishedAt.Time,
		}
	}
	if len(publications) > 0 {
		if err := db.Create(&publications).Error; err != nil {
			return transferWriteErr(err, "write what is live")
		}
	}
	former := make([]slugHistoryRow, len(e.FormerSlugs))
	for i, f := range e.FormerSlugs {
		former[i] = slugHistoryRow{Type: e.Type, Locale: f.Locale, Slug: f.Slug, EntryID: e.ID, RetiredAt: f.RetiredAt.Time}
	}
	if len(former) > 0 {
		if err := db.CreateInBatches(former, transferBatch).Error; err != nil {
			return transferWriteErr(err, "write the former slugs")
		}
	}
	return nil
}

// PutUser writes u; replacing keeps the stored password hash when u has
// none.
func (s *Transfer) PutUser(ctx context.Context, u transfer.User, replace bool) error {
	locales, err := datatypes.NewJSONType(nonNilStrings(u.Locales)).Value()
	if err != nil {
		return err
	}
	row := userRow{
		ID: u.ID, Email: u.Email, PasswordHash: u.PasswordHash, Role: u.Role, Locales: datatypes.JSON(locales.(string)),
		Active: u.Active, CreatedAt: u.CreatedAt.Time, UpdatedAt: u.UpdatedAt.Time,
		PasswordChangedAt: u.PasswordChangedAt.Time, LastLoginAt: timeOfPtr(u.LastLoginAt),
	}
	db := s.db.WithContext(ctx)
	if !replace {
		return transferWriteErr(db.Create(&row).Error, "create the user")
	}
	cols := map[string]any{
		"email": row.Email, "role": row.Role, "locales": row.Locales, "active": row.Active,
		"created_at": row.CreatedAt, "updated_at": row.UpdatedAt, "password_changed_at": row.PasswordChangedAt,
		"last_login_at": row.LastLoginAt,
	}
	if u.PasswordHash != "" {
		cols["password_hash"] = u.PasswordHash
	}
	return transferWriteErr(db.Table("users").Where("id = ?", u.ID).Updates(cols).Error, "update the user")
}

// PutSource writes s's configuration; replacing leaves the stored
// source's secrets and pull state alone.
func (s *Transfer) PutSource(ctx context.Context, src transfer.Source, replace bool) error {
	hosts, err := datatypes.NewJSONType(nonNilStrings(src.AllowedHosts)).Value()
	if err != nil {
		return err
	}
	row := transferSourceRow{
		ID: src.ID, Name: src.Name, Kind: src.Kind, FeedURL: src.FeedURL,
		AllowedHosts: datatypes.JSON(hosts.(string)), RoleRules: datatypes.JSON(src.RoleRules),
		Language: src.Language, TimeZone: src.TimeZone, Active: src.Active,
		CreatedAt: src.CreatedAt.Time, UpdatedAt: src.UpdatedAt.Time, DisabledAt: timeOfPtr(src.DisabledAt),
	}
	db := s.db.WithContext(ctx)
	if !replace {
		return transferWriteErr(db.Create(&row).Error, "create the source")
	}
	return transferWriteErr(db.Table("vacancy_sources").Where("id = ?", src.ID).Updates(map[string]any{
		"name": row.Name, "kind": row.Kind, "feed_url": row.FeedURL, "allowed_hosts": row.AllowedHosts,
		"role_rules": row.RoleRules, "language": row.Language, "time_zone": row.TimeZone, "active": row.Active,
		"created_at": row.CreatedAt, "updated_at": row.UpdatedAt, "disabled_at": row.DisabledAt,
	}).Error, "update the source")
}

// PutVacancy writes v as an open vacancy. Its input hash is cleared, so
// the next sync checks the source's item again rather than trusting a
// check made elsewhere.
func (s *Transfer) PutVacancy(ctx context.Context, v transfer.Vacancy, replace bool) error {
	row := transferVacancyRow{
		ID: v.ID, SourceID: v.SourceID, ExternalID: v.ExternalID, Language: v.Language, RoleID: v.RoleID,
		Title: v.Title, Description: v.Description, URL: v.URL, ApplyURL: v.ApplyURL,
		OrgName: v.OrgName, OrgURL: v.OrgURL, OrgLogoURL: v.OrgLogoURL,
		EmploymentTypes: v.EmploymentTypes, WorkplaceType: v.WorkplaceType, Locations: datatypes.JSON(v.Locations), LocationKeys: v.LocationKeys,
		HoursMin: v.HoursMin, HoursMax: v.HoursMax, SalaryMin: v.SalaryMin, SalaryMax: v.SalaryMax,
		SalaryCurrency: v.SalaryCurrency, SalaryUnit: v.SalaryUnit,
		DatePosted: v.DatePosted.Time, DatePostedText: v.DatePostedText,
		ValidThrough: timeOfPtr(v.ValidThrough), ValidThroughText: v.ValidThroughText, SourceUpdatedAt: timeOfPtr(v.SourceUpdatedAt),
		Status: "open", FirstSeenAt: v.FirstSeenAt.Time, LastSeenAt: v.LastSeenAt.Time,
		ContentHash: v.ContentHash, CreatedAt: v.CreatedAt.Time, UpdatedAt: v.UpdatedAt.Time,
	}
	db := s.db.WithContext(ctx)
	if !replace {
		return transferWriteErr(db.Create(&row).Error, "create the vacancy")
	}
	return transferWriteErr(db.Table("vacancies").Where("id = ?", v.ID).Updates(map[string]any{
		"source_id": row.SourceID, "external_id": row.ExternalID, "language": row.Language, "role_id": row.RoleID,
		"title": row.Title, "description": row.Description, "url": row.URL, "apply_url": row.ApplyURL,
		"org_name": row.OrgName, "org_url": row.OrgURL, "org_logo_url": row.OrgLogoURL,
		"employment_types": row.EmploymentTypes, "workplace_type": row.WorkplaceType, "locations": row.Locations,
		"location_keys": row.LocationKeys, "hours_min": row.HoursMin, "hours_max": row.HoursMax,
		"salary_min": row.SalaryMin, "salary_max": row.SalaryMax, "salary_currency": row.SalaryCurrency, "salary_unit": row.SalaryUnit,
		"date_posted": row.DatePosted, "date_posted_text": row.DatePostedText,
		"valid_through": row.ValidThrough, "valid_through_text": row.ValidThroughText, "source_updated_at": row.SourceUpdatedAt,
		"status": "open", "closed_reason": "", "closed_at": nil,
		"first_seen_at": row.FirstSeenAt, "last_seen_at": row.LastSeenAt, "seen_snapshot": "",
		"content_hash": row.ContentHash, "input_hash": "", "created_at": row.CreatedAt, "updated_at": row.UpdatedAt,
	}).Error, "update the vacancy")
}

// nonNilStrings keeps an empty list a JSON array, as the CHECK
// constraints on list columns require.
func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func timeOfPtr(t *transfer.Time) *time.Time {
	if t == nil {
		return nil
	}
	return &t.Time
}

// transferWriteErr names what the database refused in terms of the
// document: a record that collides with another one already stored, a
// reference to a record that is nowhere, or a value its rules refuse.
func transferWriteErr(err error, what string) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, gorm.ErrDuplicatedKey):
		return apperr.New(apperr.Conflict, "%s: another record in the database already holds one of its unique values (a live or former slug, an email, a source name, a source's external id): %v", what, err)
	case errors.Is(err, gorm.ErrForeignKeyViolated):
		return apperr.Invalid(apperr.UnknownReference, "%s: it refers to a record that is neither in the export nor in the database: %v", what, err)
	case errors.Is(err, gorm.ErrCheckConstraintViolated):
		return apperr.Invalid(apperr.InvalidFormat, "%s: a value the database does not allow: %v", what, err)
	}
	return fmt.Errorf("%s: %w", what, err)
}
