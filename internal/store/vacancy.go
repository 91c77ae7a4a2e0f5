package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/werkwijzer/werkwijzer/internal/store/datatypes"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/werkwijzer/werkwijzer/internal/vacancy"
)

type vacancyRow struct {
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
	Locations        datatypes.JSONType[[]vacancy.Location]
	LocationKeys     string
	HoursMin         *float64
	HoursMax         *float64
	SalaryMin        *int64
	SalaryMax        *int64
	SalaryCurrency   string
	SalaryUnit       string
	DatePosted       time.Time
	DatePostedText   string
	ValidThrough     *time.Time // the expiry instant
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

func (vacancyRow) TableName() string { return "vacancies" }

// vacancyColumns lists the columns an upsert replaces: all but the key,
// the id and when it was first seen and created.
var vacancyColumns = []string{
	"role_id", "title", "description", "url", "apply_url", "org_name", "org_url", "org_logo_url",
	"employment_types", "workplace_type", "locations", "location_keys", "hours_min", "hours_max",
	"salary_min", "salary_max", "salary_currency", "salary_unit", "date_posted", "date_posted_text",
	"valid_through", "valid_through_text", "source_updated_at", "status", "closed_reason", "closed_at",
	"last_seen_at", "seen_snapshot", "content_hash", "input_hash", "updated_at",
}

func toVacancyRow(v *vacancy.Vacancy) vacancyRow {
	locations := v.Locations
	if locations == nil {
		locations = []vacancy.Location{}
	}
	r := vacancyRow{
		ID: v.ID, SourceID: v.SourceID, ExternalID: v.ExternalID, Language: v.Language, RoleID: optional(v.RoleID),
		Title: v.Title, Description: v.Description, URL: v.URL, ApplyURL: v.ApplyURL,
		OrgName: v.Organization.Name, OrgURL: v.Organization.URL, OrgLogoURL: v.Organization.LogoURL,
		EmploymentTypes: vacancy.EmploymentMask(v.EmploymentTypes), WorkplaceType: string(v.WorkplaceType),
		Locations: datatypes.NewJSONType(locations), LocationKeys: vacancy.LocationKeys(locations),
		DatePosted: v.DatePosted.At.UTC(), DatePostedText: v.DatePosted.Text,
		ValidThrough: timePtr(v.ExpiresAt), ValidThroughText: v.ValidThrough,
		SourceUpdatedAt: timePtr(v.SourceUpdatedAt), Status: string(v.Status), ClosedReason: v.ClosedReason,
		ClosedAt: timePtr(v.ClosedAt), FirstSeenAt: v.FirstSeenAt, LastSeenAt: v.LastSeenAt,
		SeenSnapshot: v.SeenSnapshot, ContentHash: v.ContentHash, InputHash: v.InputHash, CreatedAt: v.CreatedAt, UpdatedAt: v.UpdatedAt,
	}
	if h := v.Hours; h != nil {
		r.HoursMin, r.HoursMax = &h.Min, &h.Max
	}
	if s := v.Salary; s != nil {
		r.SalaryMin, r.SalaryMax, r.SalaryCurrency, r.SalaryUnit = s.MinCents, s.MaxCents, s.Currency, string(s.Unit)
	}
	return r
}

func (r *vacancyRow) toVacancy() *vacancy.Vacancy {
	v := &vacancy.Vacancy{
		ID: r.ID, SourceID: r.SourceID, ExternalID: r.ExternalID, Language: r.Language, RoleID: deref(r.RoleID),
		Title: r.Title, Description: r.Description, URL: r.URL, ApplyURL: r.ApplyURL,
		Organization:    vacancy.Organization{Name: r.OrgName, URL: r.OrgURL, LogoURL: r.OrgLogoURL},
		EmploymentTypes: vacancy.EmploymentTypesOf(r.EmploymentTypes), WorkplaceType: vacancy.WorkplaceType(r.WorkplaceType),
		Locations:    r.Locations.Data(),
		DatePosted:   vacancy.Date{At: r.DatePosted.UTC(), Text: r.DatePostedText},
		ValidThrough: r.ValidThroughText, ExpiresAt: timeOf(r.ValidThrough), SourceUpdatedAt: timeOf(r.SourceUpdatedAt),
		Status: vacancy.Status(r.Status), ClosedReason: r.ClosedReason, ClosedAt: timeOf(r.ClosedAt),
		FirstSeenAt: r.FirstSeenAt.UTC(), LastSeenAt: r.LastSeenAt.UTC(), SeenSnapshot: r.SeenSnapshot,
		ContentHash: r.ContentHash, InputHash: r.InputHash, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(),
	}
	if v.Locations == nil {
		v.Locations = []vacancy.Location{}
	}
	if r.HoursMin != nil && r.HoursMax != nil {
		v.Hours = &vacancy.Hours{Min: *r.HoursMin, Max: *r.HoursMax}
	}
	if r.SalaryCurrency != "" {
		v.Salary = &vacancy.Salary{MinCents: r.SalaryMin, MaxCents: r.SalaryMax, Currency: r.SalaryCurrency, Unit: vacancy.SalaryUnit(r.SalaryUnit)}
	}
	return v
}

func toVacancies(rows []vacancyRow) []*vacancy.Vacancy {
	out := make([]*vacancy.Vacancy, len(rows))
	for i := range rows {
		out[i] = rows[i].toVacancy()
	}
	return out
}

// upsertBatch is how many vacancies one INSERT carries: 37 columns each,
// well under SQLite's 32,766 and PostgreSQL's 65,535 bind parameters.
const upsertBatch = 250

// UpsertVacancies writes vacancies with multi-row INSERT ... ON CONFLICT
// (source_id, external_id, language) DO UPDATE.
func (s *Vacancies) UpsertVacancies(ctx context.Context, vs []*vacancy.Vacancy) error {
	if len(vs) == 0 {
		return nil
	}
	rows := make([]vacancyRow, len(vs))
	for i, v := range vs {
		rows[i] = toVacancyRow(v)
	}
	err := s.db.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "source_id"}, {Name: "external_id"}, {Name: "language"}},
		DoUpdates: clause.AssignmentColumns(vacancyColumns),
	}).CreateInBatches(&rows, upsertBatch).Error
	if err != nil {
		return fmt.Errorf("upsert %d vacancies: %w", len(rows), err)
	}
	return nil
}

// stateColumns are what a sync compares an item with; leaving out the
// content (descriptions run to kilobytes) makes loading a call's 500 stored
// vacancies a tenth of the work.
var stateColumns = []string{
	"id", "source_id", "external_id", "language", "content_hash", "input_hash", "status", "closed_reason", "closed_at",
	"date_posted", "date_posted_text", "source_updated_at", "first_seen_at", "last_seen_at", "seen_snapshot", "created_at", "updated_at",
}

// VacancyStates loads the sync state of a source's vacancies by external id.
func (s *Vacancies) VacancyStates(ctx context.Context, sourceID string, externalIDs []string) ([]*vacancy.Vacancy, error) {
	var out []*vacancy.Vacancy
	for chunk := range slices.Chunk(externalIDs, maxBatch) {
		var rows []vacancyRow
		q := s.db.WithContext(ctx).Select(stateColumns).Where("source_id = ?", sourceID)
		if err := s.in(q, "external_id", chunk).Find(&rows).Error; err != nil {
			return nil, fmt.Errorf("load vacancies of source %s: %w", sourceID, err)
		}
		out = append(out, toVacancies(rows)...)
	}
	return out, nil
}

type snapshotRow struct {
	SourceID   string
	SnapshotID string
	Token      string
	StartedAt  time.Time
}

func (snapshotRow) TableName() string { return "vacancy_snapshots" }

type snapshotCallRow struct {
	Token      string
	CallID     string
	Chunk      *int
	Seen       datatypes.JSON
	ReceivedAt time.Time
}

func (snapshotCallRow) TableName() string { return "vacancy_snapshot_calls" }

// OpenSnapshot returns the token of a source's running snapshot, starting
// it with token when there is none.
func (s *Vacancies) OpenSnapshot(ctx context.Context, sourceID, snapshotID, token string, at time.Time) (string, error) {
	var rows []snapshotRow
	if err := s.db.WithContext(ctx).Where("source_id = ? AND snapshot_id = ?", sourceID, snapshotID).Limit(1).Find(&rows).Error; err != nil {
		return "", fmt.Errorf("load snapshot %s: %w", snapshotID, err)
	}
	if len(rows) > 0 {
		return rows[0].Token, nil
	}
	row := snapshotRow{SourceID: sourceID, SnapshotID: snapshotID, Token: token, StartedAt: at}
	if err := s.db.WithContext(ctx).Create(&row).Error; err != nil {
		return "", fmt.Errorf("start snapshot %s: %w", snapshotID, err)
	}
	return token, nil
}

// RecordCall stores one call of a snapshot run: its chunk number (0:
// none) and the vacancies it contained without writing them, in one row.
func (s *Vacancies) RecordCall(ctx context.Context, token, callID string, chunk int, seen []string, at time.Time) error {
	if seen == nil {
		seen = []string{}
	}
	b, err := encodeJSON(seen)
	if err != nil {
		return err
	}
	row := snapshotCallRow{Token: token, CallID: callID, Chunk: optionalInt(chunk), Seen: datatypes.JSON(b), ReceivedAt: at}
	if err := s.db.WithContext(ctx).Create(&row).Error; err != nil {
		return fmt.Errorf("record snapshot call: %w", err)
	}
	return nil
}

func optionalInt(n int) *int {
	if n == 0 {
		return nil
	}
	return &n
}

// SnapshotChunks lists the chunks of a snapshot stored so far, ascending.
func (s *Vacancies) SnapshotChunks(ctx context.Context, token string) ([]int, error) {
	var out []int
	err := s.db.WithContext(ctx).Model(&snapshotCallRow{}).Distinct("chunk").
		Where("token = ? AND chunk IS NOT NULL", token).Order("chunk").Pluck("chunk", &out).Error
	if err != nil {
		return nil, fmt.Errorf("list chunks: %w", err)
	}
	return out, nil
}

// EndSnapshot forgets a snapshot run.
func (s *Vacancies) EndSnapshot(ctx context.Context, token string) error {
	db := s.db.WithContext(ctx)
	if err := db.Where("token = ?", token).Delete(&snapshotCallRow{}).Error; err != nil {
		return fmt.Errorf("end snapshot: %w", err)
	}
	if err := db.Where("token = ?", token).Delete(&snapshotRow{}).Error; err != nil {
		return fmt.Errorf("end snapshot: %w", err)
	}
	return nil
}

// notSeen is the condition "vacancies the snapshot run (the token, given
// twice) did not contain": neither written by it nor listed as seen by one
// of its calls. PostgreSQL runs the NOT IN as one hashed subplan, SQLite
// with one temporary index: a set difference, not a probe per vacancy.
func (s *Vacancies) notSeen() string {
	if s.postgres {
		return "seen_snapshot <> ? AND id NOT IN (SELECT jsonb_array_elements_text(c.seen) FROM vacancy_snapshot_calls AS c WHERE c.token = ?)"
	}
	return "seen_snapshot <> ? AND id NOT IN (SELECT j.value FROM vacancy_snapshot_calls AS c, json_each(c.seen) AS j WHERE c.token = ?)"
}

// in restricts q to rows whose column is one of values. On PostgreSQL the
// values go as one text[] parameter: with an IN list the statement's text
// depends on how many values there are, and PostgreSQL, after five runs of
// a prepared statement, may keep a generic plan made while the table was
// small (a sequential scan comparing every row with all 500 values, 100 ms
// per call at 10,000 vacancies). One array parameter keeps one statement
// whose plan probes the index.
func (s *Vacancies) in(q *gorm.DB, column string, values []string) *gorm.DB {
	if s.postgres {
		return q.Where(column+" = ANY(?::text[])", pgTextArray(values))
	}
	return q.Where(column+" IN ?", values)
}

// pgTextArray is a PostgreSQL text[] literal parameter.
type pgTextArray []string

// Value writes the array literal: every element double-quoted, with
// backslashes and double quotes escaped.
func (a pgTextArray) Value() (driver.Value, error) {
	var b strings.Builder
	b.WriteByte('{')
	for i, s := range a {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('"')
		for _, r := range s {
			if r == '"' || r == '\\' {
				b.WriteByte('\\')
			}
			b.WriteRune(r)
		}
		b.WriteByte('"')
	}
	b.WriteByte('}')
	return b.String(), nil
}

func closing(reason string, at time.Time) map[string]any {
	return map[string]any{"status": string(vacancy.StatusClosed), "closed_reason": reason, "closed_at": at, "updated_at": at}
}

// CloseVacancies closes open vacancies by id.
func (s *Vacancies) CloseVacancies(ctx context.Context, ids []string, reason string, at time.Time) (int, error) {
	n := 0
	for chunk := range slices.Chunk(ids, maxBatch) {
		res := s.in(s.db.WithContext(ctx).Model(&vacancyRow{}), "id", chunk).Where("status = ?", string(vacancy.StatusOpen)).Updates(closing(reason, at))
		if res.Error != nil {
			return n, fmt.Errorf("close vacancies: %w", res.Error)
		}
		n += int(res.RowsAffected)
	}
	return n, nil
}

// SnapshotCounts counts what the mass-close guard weighs, in one statement.
func (s *Vacancies) SnapshotCounts(ctx context.Context, sourceID, snapshot string) (vacancy.SnapshotCounts, error) {
	var c struct{ Open, Unseen, Seen *int }
	err := s.db.WithContext(ctx).Model(&vacancyRow{}).Select(
		"SUM(CASE WHEN status = ? THEN 1 ELSE 0 END) AS open, "+
			"SUM(CASE WHEN status = ? AND "+s.notSeen()+" THEN 1 ELSE 0 END) AS unseen, "+
			"SUM(CASE WHEN "+s.notSeen()+" THEN 0 ELSE 1 END) AS seen",
		string(vacancy.StatusOpen), string(vacancy.StatusOpen), snapshot, snapshot, snapshot, snapshot).
		Where("source_id = ?", sourceID).Scan(&c).Error
	if err != nil {
		return vacancy.SnapshotCounts{}, fmt.Errorf("count snapshot %s: %w", snapshot, err)
	}
	val := func(p *int) int {
		if p == nil {
			return 0
		}
		return *p
	}
	return vacancy.SnapshotCounts{Open: val(c.Open), Unseen: val(c.Unseen), Seen: val(c.Seen)}, nil
}

// CloseUnseen closes a source's open vacancies the snapshot did not contain.
func (s *Vacancies) CloseUnseen(ctx context.Context, sourceID, snapshot string, at time.Time) (int, error) {
	res := s.db.WithContext(ctx).Model(&vacancyRow{}).
		Where("source_id = ? AND status = ? AND "+s.notSeen(), sourceID, string(vacancy.StatusOpen), snapshot, snapshot).
		Updates(closing(vacancy.ReasonSnapshot, at))
	if res.Error != nil {
		return 0, fmt.Errorf("close vacancies missing from snapshot: %w", res.Error)
	}
	return int(res.RowsAffected), nil
}

// CloseAllOpen closes every open vacancy of a source.
func (s *Vacancies) CloseAllOpen(ctx context.Context, sourceID, reason string, at time.Time) (int, error) {
	res := s.db.WithContext(ctx).Model(&vacancyRow{}).
		Where("source_id = ? AND status = ?", sourceID, string(vacancy.StatusOpen)).Updates(closing(reason, at))
	if res.Error != nil {
		return 0, fmt.Errorf("close vacancies of %s: %w", sourceID, res.Error)
	}
	return int(res.RowsAffected), nil
}

// ExpireDue marks open vacancies past their expiry expired; they closed
// at that instant.
func (s *Vacancies) ExpireDue(ctx context.Context, sourceID string, now time.Time) (int, error) {
	q := s.db.WithContext(ctx).Model(&vacancyRow{}).
		Where("status = ? AND valid_through IS NOT NULL AND valid_through <= ?", string(vacancy.StatusOpen), now)
	if sourceID != "" {
		q = q.Where("source_id = ?", sourceID)
	}
	res := q.Updates(map[string]any{
		"status": string(vacancy.StatusExpired), "closed_reason": vacancy.ReasonExpired,
		"closed_at": gorm.Expr("valid_through"), "updated_at": now,
	})
	if res.Error != nil {
		return 0, fmt.Errorf("expire vacancies: %w", res.Error)
	}
	return int(res.RowsAffected), nil
}

type syncRequestRow struct {
	SourceID       string `gorm:"primaryKey"`
	IdempotencyKey string `gorm:"primaryKey"`
	RequestHash    string
	Report         datatypes.JSON
	CreatedAt      time.Time `gorm:"autoCreateTime:false"`
}

func (syncRequestRow) TableName() string { return "vacancy_sync_requests" }

// SyncRequest loads a stored request, or nil.
func (s *Vacancies) SyncRequest(ctx context.Context, sourceID, key string) (*vacancy.StoredRequest, error) {
	var rows []syncRequestRow
	if err := s.db.WithContext(ctx).Where("source_id = ? AND idempotency_key = ?", sourceID, key).Limit(1).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("load idempotency key: %w", err)
	}
	if len(rows) == 0 {
		return nil, nil
	}
	var rep vacancy.Report
	if err := decodeJSON(rows[0].Report, &rep); err != nil {
		return nil, fmt.Errorf("decode stored report: %w", err)
	}
	return &vacancy.StoredRequest{Key: key, RequestHash: rows[0].RequestHash, Report: &rep, CreatedAt: rows[0].CreatedAt.UTC()}, nil
}

// SaveSyncRequest stores a request's report.
func (s *Vacancies) SaveSyncRequest(ctx context.Context, sourceID string, r vacancy.StoredRequest) error {
	b, err := encodeJSON(r.Report)
	if err != nil {
		return err
	}
	row := syncRequestRow{SourceID: sourceID, IdempotencyKey: r.Key, RequestHash: r.RequestHash, Report: datatypes.JSON(b), CreatedAt: r.CreatedAt}
	if err := s.db.WithContext(ctx).Create(&row).Error; err != nil {
		return fmt.Errorf("store idempotency key: %w", err)
	}
	return nil
}

// PruneSyncRequests deletes old stored requests.
func (s *Vacancies) PruneSyncRequests(ctx context.Context, before time.Time) (int, error) {
	res := s.db.WithContext(ctx).Where("created_at < ?", before).Delete(&syncRequestRow{})
	if res.Error != nil {
		return 0, fmt.Errorf("prune idempotency keys: %w", res.Error)
	}
	return int(res.RowsAffected), nil
}

// PruneSnapshots forgets snapshots started before before that never
// completed, in one transaction.
func (s *Vacancies) PruneSnapshots(ctx context.Context, before time.Time) (int, error) {
	n := 0
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		old := tx.Model(&snapshotRow{}).Select("token").Where("started_at < ?", before)
		if err := tx.Where("token IN (?)", old).Delete(&snapshotCallRow{}).Error; err != nil {
			return err
		}
		res := tx.Where("started_at < ?", before).Delete(&snapshotRow{})
		n = int(res.RowsAffected)
		return res.Error
	})
	if err != nil {
		return 0, fmt.Errorf("prune snapshots: %w", err)
	}
	return n, nil
}

// RoleIDsBySlug resolves slugs of live roles, current ones before former
// ones, in one statement.
func (s *Vacancies) RoleIDsBySlug(ctx context.Context, slugs []string) (map[string]string, error) {
	out := make(map[string]string, len(slugs))
	for chunk := range slices.Chunk(slugs, maxBatch) {
		var rows []struct {
			Slug    string
			EntryID string
			Current int
		}
		err := s.db.WithContext(ctx).Raw(
			`SELECT slug, entry_id, 1 AS current FROM publications WHERE type = 'role' AND slug IN ?
			 UNION
			 SELECT h.slug, h.entry_id, 0 AS current FROM slug_history AS h
			 WHERE h.type = 'role' AND h.slug IN ? AND EXISTS (SELECT 1 FROM publications AS p WHERE p.entry_id = h.entry_id)
			 ORDER BY current, entry_id DESC`, chunk, chunk).Scan(&rows).Error
		if err != nil {
			return nil, fmt.Errorf("look up roles by slug: %w", err)
		}
		// Former slugs first, then current ones overwrite them; among
		// equals the lowest id wins, as in content lookups.
		for _, r := range rows {
			out[strings.ToLower(r.Slug)] = r.EntryID
		}
	}
	return out, nil
}

// openAt restricts q to vacancies served at now.
func openAt(q *gorm.DB, now time.Time) *gorm.DB {
	return q.Where(openWhere, string(vacancy.StatusOpen), now)
}

// openWhere is what makes a vacancy open at a time: its status, and the
// time before its expiry. Its arguments are StatusOpen and the time.
const openWhere = "status = ? AND (valid_through IS NULL OR valid_through > ?)"

func filtered(q *gorm.DB, f vacancy.StoreFilter) *gorm.DB {
	if f.SourceID != "" {
		q = q.Where("source_id = ?", f.SourceID)
	}
	if f.RoleID != "" {
		q = q.Where("role_id = ?", f.RoleID)
	}
	if f.NoRole {
		q = q.Where("role_id IS NULL")
	}
	if f.Location != "" {
		q = q.Where("location_keys LIKE ?", "%|"+f.Location+"|%")
	}
	if bit := f.EmploymentType.Bit(); bit != 0 {
		q = q.Where("(employment_types & ?) <> 0", bit)
	}
	if f.WorkplaceType != "" {
		q = q.Where("workplace_type = ?", string(f.WorkplaceType))
	}
	if f.Language != "" {
		q = q.Where("language = ?", f.Language)
	}
	if !f.PostedAfter.IsZero() {
		q = q.Where("date_posted >= ?", f.PostedAfter.UTC())
	}
	if f.Status != "" {
		q = q.Where("status = ?", string(f.Status))
	}
	return q
}

// paged restricts q to one page, newest first; with FromEnd the rows are
// read oldest first, and inPageOrder turns them back.
func paged(q *gorm.DB, page vacancy.Page) *gorm.DB {
	if page.After != nil {
		q = q.Where("(date_posted, id) < (?, ?)", page.After.Posted.UTC(), page.After.ID)
	}
	if page.Before != nil {
		q = q.Where("(date_posted, id) > (?, ?)", page.Before.Posted.UTC(), page.Before.ID)
	}
	if page.FromEnd {
		return q.Order("date_posted ASC, id ASC").Limit(page.Limit)
	}
	return q.Order("date_posted DESC, id DESC").Limit(page.Limit)
}

func inPageOrder(rows []vacancyRow, page vacancy.Page) []vacancyRow {
	if page.FromEnd {
		slices.Reverse(rows)
	}
	return rows
}

// OpenVacancies pages through open vacancies, newest first.
func (s *Vacancies) OpenVacancies(ctx context.Context, f vacancy.StoreFilter, page vacancy.Page, now time.Time) ([]*vacancy.Vacancy, error) {
	var rows []vacancyRow
	q := paged(filtered(openAt(s.db.WithContext(ctx).Model(&vacancyRow{}), now), f), page)
	if err := q.Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list vacancies: %w", err)
	}
	return toVacancies(inPageOrder(rows, page)), nil
}

// CountOpen counts open vacancies.
func (s *Vacancies) CountOpen(ctx context.Context, f vacancy.StoreFilter, now time.Time) (int, error) {
	var n int64
	if err := filtered(openAt(s.db.WithContext(ctx).Model(&vacancyRow{}), now), f).Count(&n).Error; err != nil {
		return 0, fmt.Errorf("count vacancies: %w", err)
	}
	return int(n), nil
}

// OpenByRoles returns each role's first limit open vacancies in one
// statement, with a window function (PostgreSQL; SQLite 3.25 and newer).
// Every role page runs it, so its rows are scanned by hand: GORM's
// reflective Find cost more CPU than the rest of the page under load.
func (s *Vacancies) OpenByRoles(ctx context.Context, roleIDs []string, limit int, now time.Time) (map[string][]*vacancy.Vacancy, error) {
	out := make(map[string][]*vacancy.Vacancy, len(roleIDs))
	for chunk := range slices.Chunk(roleIDs, maxBatch) {
		rs, err := s.db.WithContext(ctx).Raw("SELECT "+vacancyRowColumns+" FROM (SELECT "+vacancyRowColumns+
			", ROW_NUMBER() OVER (PARTITION BY role_id ORDER BY date_posted DESC, id DESC) AS rank_in_role "+
			"FROM vacancies WHERE "+openWhere+" AND role_id IN ?) AS ranked "+
			"WHERE rank_in_role <= ? ORDER BY role_id, date_posted DESC, id DESC",
			string(vacancy.StatusOpen), now, chunk, limit).Rows()
		if err != nil {
			return nil, fmt.Errorf("list vacancies of roles: %w", err)
		}
		rows, err := scanVacancyRows(rs)
		if err != nil {
			return nil, fmt.Errorf("list vacancies of roles: %w", err)
		}
		for _, v := range toVacancies(rows) {
			out[v.RoleID] = append(out[v.RoleID], v)
		}
	}
	return out, nil
}

// vacancyRowColumns are vacancyRow's columns in the order scanVacancyRows
// reads them.
const vacancyRowColumns = "id, source_id, external_id, language, role_id, title, description, url, apply_url, " +
	"org_name, org_url, org_logo_url, employment_types, workplace_type, locations, location_keys, " +
	"hours_min, hours_max, salary_min, salary_max, salary_currency, salary_unit, date_posted, date_posted_text, " +
	"valid_through, valid_through_text, source_updated_at, status, closed_reason, closed_at, first_seen_at, " +
	"last_seen_at, seen_snapshot, content_hash, input_hash, created_at, updated_at"

// scanVacancyRows reads rows that select vacancyRowColumns, and closes them.
func scanVacancyRows(rs *sql.Rows) ([]vacancyRow, error) {
	defer rs.Close()
	var out []vacancyRow
	for rs.Next() {
		var r vacancyRow
		if err := rs.Scan(&r.ID, &r.SourceID, &r.ExternalID, &r.Language, &r.RoleID, &r.Title, &r.Description, &r.URL, &r.ApplyURL,
			&r.OrgName, &r.OrgURL, &r.OrgLogoURL, &r.EmploymentTypes, &r.WorkplaceType, &r.Locations, &r.LocationKeys,
			&r.HoursMin, &r.HoursMax, &r.SalaryMin, &r.SalaryMax, &r.SalaryCurrency, &r.SalaryUnit, &r.DatePosted, &r.DatePostedText,
			&r.ValidThrough, &r.ValidThroughText, &r.SourceUpdatedAt, &r.Status, &r.ClosedReason, &r.ClosedAt, &r.FirstSeenAt,
			&r.LastSeenAt, &r.SeenSnapshot, &r.ContentHash, &r.InputHash, &r.CreatedAt, &r.UpdatedAt); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rs.Err()
}

// CountOpenByRoles counts open vacancies per role, with the earliest
// expiry among them. Role pages run it with OpenByRoles, so its rows are
// scanned by hand too.
func (s *Vacancies) CountOpenByRoles(ctx context.Context, roleIDs []string, now time.Time) (map[string]vacancy.OpenCount, error) {
	out := make(map[string]vacancy.OpenCount, len(roleIDs))
	for chunk := range slices.Chunk(roleIDs, maxBatch) {
		rs, err := s.db.WithContext(ctx).Raw("SELECT role_id, COUNT(*), MIN(valid_through) FROM vacancies WHERE "+openWhere+" AND role_id IN ? GROUP BY role_id",
			string(vacancy.StatusOpen), now, chunk).Rows()
		if err != nil {
			return nil, fmt.Errorf("count vacancies of roles: %w", err)
		}
		err = func() error {
			defer rs.Close()
			for rs.Next() {
				var roleID string
				var n int
				var next aggregateTime
				if err := rs.Scan(&roleID, &n, &next); err != nil {
					return err
				}
				out[roleID] = vacancy.OpenCount{N: n, NextExpiry: next.t}
			}
			return rs.Err()
		}()
		if err != nil {
			return nil, fmt.Errorf("count vacancies of roles: %w", err)
		}
	}
	return out, nil
}

// aggregateTime scans MIN or MAX of a time column. PostgreSQL's driver
// gives a time.Time; SQLite's gives the stored text, as an aggregate has
// no declared column type to convert by. NULL is the zero time.
type aggregateTime struct{ t time.Time }

// sqliteTimeLayouts are the layouts SQLite's driver writes times in.
var sqliteTimeLayouts = []string{"2006-01-02 15:04:05.999999999-07:00", time.RFC3339Nano, "2006-01-02 15:04:05.999999999", "2006-01-02T15:04:05.999999999"}

func (a *aggregateTime) Scan(src any) error {
	var text string
	switch v := src.(type) {
	case nil:
		a.t = time.Time{}
		return nil
	case time.Time:
		a.t = v.UTC()
		return nil
	case string:
		text = v
	case []byte:
		text = string(v)
	default:
		return fmt.Errorf("scan a time from %T", src)
	}
	for _, layout := range sqliteTimeLayouts {
		if t, err := time.Parse(layout, text); err == nil {
			a.t = t.UTC()
			return nil
		}
	}
	return fmt.Errorf("scan a time from %q", text)
}

// VacanciesByID loads vacancies by id.
func (s *Vacancies) VacanciesByID(ctx context.Context, ids []string) ([]*vacancy.Vacancy, error) {
	var out []*vacancy.Vacancy
	for chunk := range slices.Chunk(ids, maxBatch) {
		var rows []vacancyRow
		if err := s.db.WithContext(ctx).Where("id IN ?", chunk).Find(&rows).Error; err != nil {
			return nil, fmt.Errorf("load vacancies: %w", err)
		}
		out = append(out, toVacancies(rows)...)
	}
	return out, nil
}

// AllVacancies pages through vacancies of any status.
func (s *Vacancies) AllVacancies(ctx context.Context, f vacancy.StoreFilter, page vacancy.Page) ([]*vacancy.Vacancy, error) {
	var rows []vacancyRow
	if err := paged(filtered(s.db.WithContext(ctx).Model(&vacancyRow{}), f), page).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list vacancies: %w", err)
	}
	return toVacancies(inPageOrder(rows, page)), nil
}

// CountAll counts vacancies of any status.
func (s *Vacancies) CountAll(ctx context.Context, f vacancy.StoreFilter) (int, error) {
	var n int64
	if err := filtered(s.db.WithContext(ctx).Model(&vacancyRow{}), f).Count(&n).Error; err != nil {
		return 0, fmt.Errorf("count vacancies: %w", err)
	}
	return int(n), nil
}

func encodeJSON(v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encode %T: %w", v, err)
	}
	return b, nil
}

func decodeJSON(b []byte, v any) error { return json.Unmarshal(b, v) }
