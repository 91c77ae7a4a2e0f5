package store

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"slices"
	"time"

	"github.com/werkwijzer/werkwijzer/internal/store/datatypes"
	"gorm.io/gorm"

	"github.com/werkwijzer/werkwijzer/internal/account"
	"github.com/werkwijzer/werkwijzer/internal/apperr"
	"github.com/werkwijzer/werkwijzer/internal/vacancy"
)

// Vacancies stores vacancy sources, their client secrets, their vacancies
// and the reports of idempotent sync calls. It is also the machine
// clients' credential store: a source is an OAuth client.
type Vacancies struct {
	db *gorm.DB
	// postgres says the database is PostgreSQL (else SQLite), for the
	// statements written out per dialect; fixed when the store is made.
	postgres bool
}

// NewVacancies returns the vacancy store on db.
func NewVacancies(db *gorm.DB) *Vacancies {
	return &Vacancies{db: db, postgres: db.Dialector.Name() == "postgres"}
}

var (
	_ vacancy.Store       = (*Vacancies)(nil)
	_ account.ClientStore = (*Vacancies)(nil)
)

type vacancySourceRow struct {
	ID               string
	Name             string
	Kind             string
	FeedURL          string `gorm:"column:feed_url"`
	AllowedHosts     datatypes.JSONType[[]string]
	RoleRules        datatypes.JSONType[[]vacancy.RoleRule]
	Language         string
	TimeZone         string
	Active           bool
	CreatedAt        time.Time `gorm:"autoCreateTime:false"`
	UpdatedAt        time.Time `gorm:"autoUpdateTime:false"`
	DisabledAt       *time.Time
	FeedETag         string `gorm:"column:feed_etag"`
	FeedLastModified string
	PullLeaseOwner   *string
	PullLeaseUntil   *time.Time
	PullNotBefore    *time.Time
	LastPullAt       *time.Time
	LastSyncAt       *time.Time
	LastReport       datatypes.JSON
	LastError        string
	LastErrorAt      *time.Time
}

func (vacancySourceRow) TableName() string { return "vacancy_sources" }

type sourceSecretRow struct {
	ID         string
	SourceID   string
	SecretHash string
	Hint       string
	CreatedAt  time.Time `gorm:"autoCreateTime:false"`
	RevokedAt  *time.Time
	LastUsedAt *time.Time
}

func (sourceSecretRow) TableName() string { return "vacancy_source_secrets" }

func (r vacancySourceRow) toVacancy() (*vacancy.Source, error) {
	src := &vacancy.Source{
		ID: r.ID, Name: r.Name, Kind: vacancy.Kind(r.Kind), FeedURL: r.FeedURL,
		AllowedHosts: r.AllowedHosts.Data(), RoleRules: r.RoleRules.Data(),
		Language: r.Language, TimeZone: r.TimeZone, Active: r.Active,
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(), DisabledAt: timeOf(r.DisabledAt),
		State: vacancy.SyncState{
			LastSyncAt: timeOf(r.LastSyncAt), LastError: r.LastError, LastErrorAt: timeOf(r.LastErrorAt),
			LastPullAt: timeOf(r.LastPullAt), PullNotBefore: timeOf(r.PullNotBefore), FeedETag: r.FeedETag, FeedLastModified: r.FeedLastModified,
		},
	}
	if src.AllowedHosts == nil {
		src.AllowedHosts = []string{}
	}
	if src.RoleRules == nil {
		src.RoleRules = []vacancy.RoleRule{}
	}
	if len(r.LastReport) > 0 {
		var rep vacancy.Report
		if err := decodeJSON(r.LastReport, &rep); err != nil {
			return nil, fmt.Errorf("decode last report of source %s: %w", r.Name, err)
		}
		src.State.LastReport = &rep
	}
	return src, nil
}

func (r sourceSecretRow) toVacancy() vacancy.Secret {
	return vacancy.Secret{ID: r.ID, Hint: r.Hint, CreatedAt: r.CreatedAt.UTC(), RevokedAt: timeOf(r.RevokedAt), LastUsedAt: timeOf(r.LastUsedAt)}
}

// InTx runs fn in one transaction.
func (s *Vacancies) InTx(ctx context.Context, fn func(vacancy.Store) error) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return fn(&Vacancies{db: tx, postgres: s.postgres})
	})
}

// LockSource takes a transaction-scoped advisory lock on PostgreSQL, keyed
// by a 64-bit hash of the source id. SQLite needs none: its transactions
// start with BEGIN IMMEDIATE (see database.Open), so writers already run
// one at a time.
func (s *Vacancies) LockSource(ctx context.Context, sourceID string) error {
	if !s.postgres {
		return nil
	}
	h := fnv.New64a()
	_, _ = h.Write([]byte("werkwijzer/vacancy-source/" + sourceID))
	if err := s.db.WithContext(ctx).Exec("SELECT pg_advisory_xact_lock(?)", int64(h.Sum64())).Error; err != nil {
		return fmt.Errorf("lock source %s: %w", sourceID, err)
	}
	return nil
}

// CreateSource inserts a source and its first secret. The service calls
// it inside InTx, whose transaction makes the two inserts one.
func (s *Vacancies) CreateSource(ctx context.Context, src *vacancy.Source, secret vacancy.SecretRecord) error {
	row := vacancySourceRow{
		ID: src.ID, Name: src.Name, Kind: string(src.Kind), FeedURL: src.FeedURL,
		AllowedHosts: datatypes.NewJSONType(src.AllowedHosts), RoleRules: datatypes.NewJSONType(src.RoleRules),
		Language: src.Language, TimeZone: src.TimeZone, Active: src.Active,
		CreatedAt: src.CreatedAt, UpdatedAt: src.UpdatedAt,
	}
	if err := s.db.WithContext(ctx).Create(&row).Error; err != nil {
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return apperr.New(apperr.Conflict, "a source named %q exists already", src.Name).With("field", "name")
		}
		return fmt.Errorf("insert source %s: %w", src.Name, err)
	}
	return s.AddSecret(ctx, src.ID, secret)
}

// settingsColumns are a source's settings and whether it is active: what
// a sync call reads, without the last report (the previous call's, which
// would be read back and decoded on every call) and the pull state.
var settingsColumns = []string{"id", "name", "kind", "feed_url", "allowed_hosts", "role_rules", "language", "time_zone", "active", "created_at", "updated_at", "disabled_at"}

// SourceSettings loads a source's settings in one statement, without its
// secrets and sync state.
func (s *Vacancies) SourceSettings(ctx context.Context, id string) (*vacancy.Source, error) {
	var row vacancySourceRow
	if err := s.db.WithContext(ctx).Select(settingsColumns).Where("id = ?", id).Take(&row).Error; err != nil {
		return nil, notFoundAs(err, "vacancy source %s not found", id)
	}
	return row.toVacancy()
}

// Source loads one source with its secrets.
func (s *Vacancies) Source(ctx context.Context, id string) (*vacancy.Source, error) {
	var row vacancySourceRow
	if err := s.db.WithContext(ctx).Where("id = ?", id).Take(&row).Error; err != nil {
		return nil, notFoundAs(err, "vacancy source %s not found", id)
	}
	list, err := s.withSecrets(ctx, []vacancySourceRow{row})
	if err != nil {
		return nil, err
	}
	return list[0], nil
}

// SourceByName loads one source by name.
func (s *Vacancies) SourceByName(ctx context.Context, name string) (*vacancy.Source, error) {
	var row vacancySourceRow
	if err := s.db.WithContext(ctx).Where("name = ?", name).Take(&row).Error; err != nil {
		return nil, notFoundAs(err, "no vacancy source is named %q", name)
	}
	list, err := s.withSecrets(ctx, []vacancySourceRow{row})
	if err != nil {
		return nil, err
	}
	return list[0], nil
}

// Sources loads every source, by name.
func (s *Vacancies) Sources(ctx context.Context) ([]*vacancy.Source, error) {
	var rows []vacancySourceRow
	if err := s.db.WithContext(ctx).Order("name").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list sources: %w", err)
	}
	return s.withSecrets(ctx, rows)
}

// withSecrets converts rows and adds their secrets in one statement per
// batch of sources.
func (s *Vacancies) withSecrets(ctx context.Context, rows []vacancySourceRow) ([]*vacancy.Source, error) {
	out := make([]*vacancy.Source, len(rows))
	byID := make(map[string]*vacancy.Source, len(rows))
	ids := make([]string, len(rows))
	for i, r := range rows {
		src, err := r.toVacancy()
		if err != nil {
			return nil, err
		}
		out[i], byID[r.ID], ids[i] = src, src, r.ID
	}
	for chunk := range slices.Chunk(ids, maxBatch) {
		var secrets []sourceSecretRow
		if err := s.db.WithContext(ctx).Where("source_id IN ?", chunk).Order("created_at").Find(&secrets).Error; err != nil {
			return nil, fmt.Errorf("load source secrets: %w", err)
		}
		for _, sec := range secrets {
			src := byID[sec.SourceID]
			src.Secrets = append(src.Secrets, sec.toVacancy())
		}
	}
	return out, nil
}

// UpdateSource writes a source's settings.
func (s *Vacancies) UpdateSource(ctx context.Context, src *vacancy.Source) error {
	err := s.db.WithContext(ctx).Model(&vacancySourceRow{}).Where("id = ?", src.ID).Updates(map[string]any{
		"kind": string(src.Kind), "feed_url": src.FeedURL,
		"allowed_hosts": datatypes.NewJSONType(src.AllowedHosts), "role_rules": datatypes.NewJSONType(src.RoleRules),
		"language": src.Language, "time_zone": src.TimeZone, "updated_at": src.UpdatedAt,
	}).Error
	if err != nil {
		return fmt.Errorf("update source %s: %w", src.Name, err)
	}
	return nil
}

// SetSourceActive enables or disables a source.
func (s *Vacancies) SetSourceActive(ctx context.Context, id string, active bool, at time.Time) error {
	values := map[string]any{"active": active, "updated_at": at, "disabled_at": nil}
	if !active {
		values["disabled_at"] = at
	}
	if err := s.db.WithContext(ctx).Model(&vacancySourceRow{}).Where("id = ?", id).Updates(values).Error; err != nil {
		return fmt.Errorf("set source %s active=%v: %w", id, active, err)
	}
	return nil
}

// AddSecret inserts a secret.
func (s *Vacancies) AddSecret(ctx context.Context, sourceID string, sec vacancy.SecretRecord) error {
	row := sourceSecretRow{ID: sec.ID, SourceID: sourceID, SecretHash: sec.Hash, Hint: sec.Hint, CreatedAt: sec.CreatedAt}
	if err := s.db.WithContext(ctx).Create(&row).Error; err != nil {
		return fmt.Errorf("insert source secret: %w", err)
	}
	return nil
}

// RevokeSecrets revokes secrets that are not revoked yet.
func (s *Vacancies) RevokeSecrets(ctx context.Context, ids []string, at time.Time) error {
	for chunk := range slices.Chunk(ids, maxBatch) {
		err := s.db.WithContext(ctx).Model(&sourceSecretRow{}).Where("id IN ? AND revoked_at IS NULL", chunk).Update("revoked_at", at).Error
		if err != nil {
			return fmt.Errorf("revoke source secrets: %w", err)
		}
	}
	return nil
}

// Audit writes a change to a source into the audit log.
func (s *Vacancies) Audit(ctx context.Context, r vacancy.AuditRecord) error {
	return insertAudit(ctx, s.db, r.At, r.ActorID, r.Action, "sourceId", r.SourceID, r.Details)
}

// CountByStatus counts vacancies per source and status in one statement.
func (s *Vacancies) CountByStatus(ctx context.Context, sourceIDs []string) (map[string]map[vacancy.Status]int, error) {
	out := make(map[string]map[vacancy.Status]int, len(sourceIDs))
	for chunk := range slices.Chunk(sourceIDs, maxBatch) {
		var rows []struct {
			SourceID string
			Status   string
			N        int
		}
		err := s.db.WithContext(ctx).Model(&vacancyRow{}).Select("source_id, status, COUNT(*) AS n").
			Where("source_id IN ?", chunk).Group("source_id, status").Scan(&rows).Error
		if err != nil {
			return nil, fmt.Errorf("count vacancies: %w", err)
		}
		for _, r := range rows {
			if out[r.SourceID] == nil {
				out[r.SourceID] = map[vacancy.Status]int{}
			}
			out[r.SourceID][vacancy.Status(r.Status)] = r.N
		}
	}
	return out, nil
}

// ClientCredentials is what the token endpoint checks a source's
// credentials against.
func (s *Vacancies) ClientCredentials(ctx context.Context, clientID string) (account.ClientCredentials, error) {
	var row vacancySourceRow
	if err := s.db.WithContext(ctx).Select("id", "active").Where("id = ?", clientID).Take(&row).Error; err != nil {
		return account.ClientCredentials{}, notFoundAs(err, "client %s not found", clientID)
	}
	var secrets []sourceSecretRow
	if err := s.db.WithContext(ctx).Where("source_id = ? AND revoked_at IS NULL", clientID).Find(&secrets).Error; err != nil {
		return account.ClientCredentials{}, fmt.Errorf("load client secrets: %w", err)
	}
	creds := account.ClientCredentials{ClientID: row.ID, Active: row.Active, Scopes: []string{account.ScopeVacancySync}}
	for _, sec := range secrets {
		creds.Secrets = append(creds.Secrets, account.ClientSecretRecord{ID: sec.ID, Hash: sec.SecretHash, CreatedAt: sec.CreatedAt.UTC()})
	}
	return creds, nil
}

// TouchClientSecret records when a secret was last used.
func (s *Vacancies) TouchClientSecret(ctx context.Context, secretID string, at time.Time) error {
	if err := s.db.WithContext(ctx).Model(&sourceSecretRow{}).Where("id = ?", secretID).Update("last_used_at", at).Error; err != nil {
		return fmt.Errorf("record secret use: %w", err)
	}
	return nil
}

// RecordSync stores a report as the source's last and clears its error.
func (s *Vacancies) RecordSync(ctx context.Context, sourceID string, report *vacancy.Report, at time.Time) error {
	b, err := encodeJSON(report)
	if err != nil {
		return err
	}
	err = s.db.WithContext(ctx).Model(&vacancySourceRow{}).Where("id = ?", sourceID).Updates(map[string]any{
		"last_sync_at": at, "last_report": datatypes.JSON(b), "last_error": "", "last_error_at": nil,
	}).Error
	if err != nil {
		return fmt.Errorf("record sync of %s: %w", sourceID, err)
	}
	return nil
}

// RecordSyncFailure stores the source's last error.
func (s *Vacancies) RecordSyncFailure(ctx context.Context, sourceID, message string, at time.Time) error {
	if len(message) > 2000 {
		message = message[:2000]
	}
	err := s.db.WithContext(ctx).Model(&vacancySourceRow{}).Where("id = ?", sourceID).
		Updates(map[string]any{"last_error": message, "last_error_at": at}).Error
	if err != nil {
		return fmt.Errorf("record sync failure of %s: %w", sourceID, err)
	}
	return nil
}

// ClaimPull takes the pull lease in one conditional UPDATE.
func (s *Vacancies) ClaimPull(ctx context.Context, sourceID, owner string, now, leaseUntil, dueBefore time.Time) (bool, error) {
	res := s.db.WithContext(ctx).Model(&vacancySourceRow{}).
		Where("id = ? AND active = ? AND (pull_lease_until IS NULL OR pull_lease_until < ?) AND (last_pull_at IS NULL OR last_pull_at < ?)"+
			" AND (pull_not_before IS NULL OR pull_not_before <= ?)",
			sourceID, true, now, dueBefore, now).
		Updates(map[string]any{"pull_lease_owner": owner, "pull_lease_until": leaseUntil})
	if res.Error != nil {
		return false, fmt.Errorf("claim pull of %s: %w", sourceID, res.Error)
	}
	return res.RowsAffected == 1, nil
}

// FinishPull records a pull; with an owner it also releases that owner's
// lease (and only theirs).
func (s *Vacancies) FinishPull(ctx context.Context, sourceID, owner string, out vacancy.PullOutcome) error {
	values := map[string]any{"last_pull_at": out.At, "pull_not_before": nil}
	if !out.NotBefore.IsZero() {
		values["pull_not_before"] = out.NotBefore
	}
	if out.Succeeded {
		values["last_error"], values["last_error_at"] = "", nil
	}
	if out.ETag != nil {
		values["feed_etag"] = *out.ETag
	}
	if out.LastModified != nil {
		values["feed_last_modified"] = *out.LastModified
	}
	q := s.db.WithContext(ctx).Model(&vacancySourceRow{}).Where("id = ?", sourceID)
	if owner != "" {
		values["pull_lease_owner"], values["pull_lease_until"] = nil, nil
		q = q.Where("pull_lease_owner = ?", owner)
	}
	if err := q.Updates(values).Error; err != nil {
		return fmt.Errorf("record pull of %s: %w", sourceID, err)
	}
	return nil
}
