package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/werkwijzer/werkwijzer/internal/store/datatypes"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/werkwijzer/werkwijzer/internal/account"
	"github.com/werkwijzer/werkwijzer/internal/apperr"
)

// Accounts stores users, refresh tokens and failed sign-ins.
type Accounts struct {
	db *gorm.DB
	// postgres is the dialect, asked once: row locks exist there only.
	postgres bool
}

// NewAccounts returns the account store on db.
func NewAccounts(db *gorm.DB) *Accounts { return &Accounts{db: db, postgres: isPostgres(db)} }

var _ account.Store = (*Accounts)(nil)

// The rows set their timestamps from the service's clock, never GORM's.

type userRow struct {
	ID                string
	Email             string
	PasswordHash      string
	Role              string
	Locales           datatypes.JSON
	Active            bool
	CreatedAt         time.Time `gorm:"autoCreateTime:false"`
	UpdatedAt         time.Time `gorm:"autoUpdateTime:false"`
	PasswordChangedAt time.Time
	LastLoginAt       *time.Time
}

func (userRow) TableName() string { return "users" }

type refreshTokenRow struct {
	ID              string
	UserID          string
	FamilyID        string
	TokenHash       string
	CreatedAt       time.Time `gorm:"autoCreateTime:false"`
	ExpiresAt       time.Time
	UsedAt          *time.Time
	RevokedAt       *time.Time
	CreatedByAddr   string
	SuccessorSealed []byte
}

func (refreshTokenRow) TableName() string { return "refresh_tokens" }

// loginFailureRow is a failed credential check. The column email_hash
// holds the subject: the hash of an editor's email, or of "client:" and a
// vacancy source's client id.
type loginFailureRow struct {
	ID         string
	EmailHash  *string
	ClientAddr string
	FailedAt   time.Time
}

func (loginFailureRow) TableName() string { return "login_failures" }

func toUserRow(u account.User, passwordHash string) (userRow, error) {
	locales := u.Locales
	if locales == nil {
		locales = []string{}
	}
	b, err := json.Marshal(locales)
	if err != nil {
		return userRow{}, fmt.Errorf("encode locales: %w", err)
	}
	return userRow{
		ID: u.ID, Email: u.Email, PasswordHash: passwordHash, Role: string(u.Role),
		Locales: datatypes.JSON(b), Active: u.Active,
		CreatedAt: u.CreatedAt, UpdatedAt: u.UpdatedAt, PasswordChangedAt: u.PasswordChangedAt,
		LastLoginAt: timePtr(u.LastLoginAt),
	}, nil
}

func (r userRow) toAccount() (account.User, error) {
	var locales []string
	if err := json.Unmarshal(r.Locales, &locales); err != nil {
		return account.User{}, fmt.Errorf("decode locales of user %s: %w", r.ID, err)
	}
	if len(locales) == 0 {
		locales = nil
	}
	return account.User{
		ID: r.ID, Email: r.Email, Role: account.Role(r.Role), Locales: locales, Active: r.Active,
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(),
		PasswordChangedAt: r.PasswordChangedAt.UTC(), LastLoginAt: timeOf(r.LastLoginAt),
	}, nil
}

func (r refreshTokenRow) toAccount() account.RefreshToken {
	return account.RefreshToken{
		ID: r.ID, UserID: r.UserID, FamilyID: r.FamilyID, TokenHash: r.TokenHash,
		CreatedAt: r.CreatedAt.UTC(), ExpiresAt: r.ExpiresAt.UTC(),
		UsedAt: timeOf(r.UsedAt), RevokedAt: timeOf(r.RevokedAt), CreatedByAddr: r.CreatedByAddr,
		SuccessorSealed: r.SuccessorSealed,
	}
}

// timePtr maps the zero time to NULL.
func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	t = t.UTC()
	return &t
}

// timeOf maps NULL to the zero time.
func timeOf(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}

// InTx runs fn in one transaction.
func (s *Accounts) InTx(ctx context.Context, fn func(account.Store) error) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return fn(&Accounts{db: tx, postgres: s.postgres})
	})
}

// HasUsers reports whether the users table has a row.
func (s *Accounts) HasUsers(ctx context.Context) (bool, error) {
	var ids []string
	if err := s.db.WithContext(ctx).Model(&userRow{}).Limit(1).Pluck("id", &ids).Error; err != nil {
		return false, fmt.Errorf("look for users: %w", err)
	}
	return len(ids) > 0, nil
}

// CreateUser inserts a user.
func (s *Accounts) CreateUser(ctx context.Context, u account.User, passwordHash string) error {
	row, err := toUserRow(u, passwordHash)
	if err != nil {
		return err
	}
	err = s.db.WithContext(ctx).Create(&row).Error
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return apperr.New(apperr.Conflict, "a user with the email address %s already exists", u.Email).With("field", "email")
	}
	if err != nil {
		return fmt.Errorf("insert user: %w", err)
	}
	return nil
}

// User returns a user by id.
func (s *Accounts) User(ctx context.Context, id string) (account.User, error) {
	var row userRow
	if err := s.db.WithContext(ctx).Where("id = ?", id).Take(&row).Error; err != nil {
		return account.User{}, notFoundAs(err, "user %s not found", id)
	}
	return row.toAccount()
}

// Credentials returns a user and password hash by normalised email.
func (s *Accounts) Credentials(ctx context.Context, email string) (account.Credentials, error) {
	var row userRow
	if err := s.db.WithContext(ctx).Where("email = ?", email).Take(&row).Error; err != nil {
		return account.Credentials{}, notFoundAs(err, "no user has the email address %s", email)
	}
	u, err := row.toAccount()
	if err != nil {
		return account.Credentials{}, err
	}
	return account.Credentials{User: u, PasswordHash: row.PasswordHash}, nil
}

// Users returns every user by email.
func (s *Accounts) Users(ctx context.Context) ([]account.User, error) {
	var rows []userRow
	if err := s.db.WithContext(ctx).Order("email").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	out := make([]account.User, 0, len(rows))
	for _, r := range rows {
		u, err := r.toAccount()
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, nil
}

// UpdateUser writes a user's role, locales, active flag and update time.
func (s *Accounts) UpdateUser(ctx context.Context, u account.User) error {
	row, err := toUserRow(u, "")
	if err != nil {
		return err
	}
	res := s.db.WithContext(ctx).Model(&userRow{}).Where("id = ?", u.ID).
		Updates(map[string]any{
			"role": row.Role, "locales": row.Locales, "active": row.Active, "updated_at": row.UpdatedAt.UTC(),
		})
	if res.Error != nil {
		return fmt.Errorf("update user: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return apperr.New(apperr.NotFound, "user %s not found", u.ID)
	}
	return nil
}

// SetPasswordHash replaces a password hash.
func (s *Accounts) SetPasswordHash(ctx context.Context, userID, hash string, changedAt time.Time) error {
	res := s.db.WithContext(ctx).Model(&userRow{}).Where("id = ?", userID).
		Updates(map[string]any{"password_hash": hash, "password_changed_at": changedAt.UTC()})
	if res.Error != nil {
		return fmt.Errorf("set password hash: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return apperr.New(apperr.NotFound, "user %s not found", userID)
	}
	return nil
}

// RecordLogin sets the last sign-in time.
func (s *Accounts) RecordLogin(ctx context.Context, userID string, at time.Time) error {
	err := s.db.WithContext(ctx).Model(&userRow{}).Where("id = ?", userID).
		Update("last_login_at", at.UTC()).Error
	if err != nil {
		return fmt.Errorf("record sign-in: %w", err)
	}
	return nil
}

// LockActiveAdmins lists the active admins, locking their rows on
// PostgreSQL. SQLite has no row locks and needs none: its transactions
// take the write lock at BEGIN (_txlock=immediate), so they run one at a
// time.
func (s *Accounts) LockActiveAdmins(ctx context.Context) ([]string, error) {
	q := s.db.WithContext(ctx).Model(&userRow{}).
		Where("role = ? AND active = ?", string(account.RoleAdmin), true).
		Order("id")
	if s.postgres {
		q = q.Clauses(clause.Locking{Strength: clause.LockingStrengthUpdate})
	}
	var ids []string
	if err := q.Pluck("id", &ids).Error; err != nil {
		return nil, fmt.Errorf("lock admins: %w", err)
	}
	return ids, nil
}

// SessionUser returns a user whose session is live, in one query that the
// refresh_tokens_live_family_idx index serves.
func (s *Accounts) SessionUser(ctx context.Context, userID, sessionID string) (account.User, error) {
	var row userRow
	live := s.db.Model(&refreshTokenRow{}).Select("1").
		Where("family_id = ? AND user_id = users.id AND revoked_at IS NULL", sessionID)
	err := s.db.WithContext(ctx).Where("id = ? AND EXISTS (?)", userID, live).Take(&row).Error
	if err != nil {
		return account.User{}, notFoundAs(err, "no live session %s of user %s", sessionID, userID)
	}
	return row.toAccount()
}

// CreateRefreshToken inserts a refresh token.
func (s *Accounts) CreateRefreshToken(ctx context.Context, t account.RefreshToken) error {
	row := refreshTokenRow{
		ID: t.ID, UserID: t.UserID, FamilyID: t.FamilyID, TokenHash: t.TokenHash,
		CreatedAt: t.CreatedAt.UTC(), ExpiresAt: t.ExpiresAt.UTC(),
		UsedAt: timePtr(t.UsedAt), RevokedAt: timePtr(t.RevokedAt), CreatedByAddr: t.CreatedByAddr,
	}
	if err := s.db.WithContext(ctx).Create(&row).Error; err != nil {
		return fmt.Errorf("insert refresh token: %w", err)
	}
	return nil
}

// RefreshToken returns a refresh token by the hash of the token.
func (s *Accounts) RefreshToken(ctx context.Context, tokenHash string) (account.RefreshToken, error) {
	var row refreshTokenRow
	if err := s.db.WithContext(ctx).Where("token_hash = ?", tokenHash).Take(&row).Error; err != nil {
		return account.RefreshToken{}, notFoundAs(err, "refresh token not found")
	}
	return row.toAccount(), nil
}

// MarkRefreshTokenUsed marks a token used if nobody did yet.
func (s *Accounts) MarkRefreshTokenUsed(ctx context.Context, id string, at time.Time) (bool, error) {
	res := s.db.WithContext(ctx).Model(&refreshTokenRow{}).
		Where("id = ? AND used_at IS NULL AND revoked_at IS NULL", id).
		Update("used_at", at.UTC())
	if res.Error != nil {
		return false, fmt.Errorf("mark refresh token used: %w", res.Error)
	}
	return res.RowsAffected == 1, nil
}

// SealRefreshSuccessor stores the sealed successor pair of a rotated token.
func (s *Accounts) SealRefreshSuccessor(ctx context.Context, id string, sealed []byte) error {
	res := s.db.WithContext(ctx).Model(&refreshTokenRow{}).Where("id = ?", id).Update("successor_sealed", sealed)
	if res.Error != nil {
		return fmt.Errorf("seal refresh token successor: %w", res.Error)
	}
	if res.RowsAffected != 1 {
		return apperr.New(apperr.NotFound, "refresh token %s not found", id)
	}
	return nil
}

// RevokeRefreshFamily revokes a family's tokens.
func (s *Accounts) RevokeRefreshFamily(ctx context.Context, familyID string, at time.Time) error {
	err := s.db.WithContext(ctx).Model(&refreshTokenRow{}).
		Where("family_id = ? AND revoked_at IS NULL", familyID).
		Update("revoked_at", at.UTC()).Error
	if err != nil {
		return fmt.Errorf("revoke refresh token family: %w", err)
	}
	return nil
}

// RevokeUserRefreshTokens revokes a user's tokens.
func (s *Accounts) RevokeUserRefreshTokens(ctx context.Context, userID string, at time.Time) error {
	err := s.db.WithContext(ctx).Model(&refreshTokenRow{}).
		Where("user_id = ? AND revoked_at IS NULL", userID).
		Update("revoked_at", at.UTC()).Error
	if err != nil {
		return fmt.Errorf("revoke refresh tokens of user: %w", err)
	}
	return nil
}

// DeleteExpiredRefreshTokens deletes expired tokens.
func (s *Accounts) DeleteExpiredRefreshTokens(ctx context.Context, userID string, before time.Time) (int, error) {
	q := s.db.WithContext(ctx).Where("expires_at < ?", before.UTC())
	if userID != "" {
		q = q.Where("user_id = ?", userID)
	}
	res := q.Delete(&refreshTokenRow{})
	if res.Error != nil {
		return 0, fmt.Errorf("delete expired refresh tokens: %w", res.Error)
	}
	return int(res.RowsAffected), nil
}

// RecordLoginFailure inserts a failed sign-in.
func (s *Accounts) RecordLoginFailure(ctx context.Context, f account.LoginFailure) error {
	return recordFailure(ctx, s.db, f)
}

// LoginFailuresFor lists recent failures of an account from an address.
func (s *Accounts) LoginFailuresFor(ctx context.Context, subject, addr string, since time.Time, limit int) ([]time.Time, error) {
	return failuresFor(ctx, s.db, subject, addr, since, limit)
}

// LoginFailuresByAddr lists recent failures from a client address.
func (s *Accounts) LoginFailuresByAddr(ctx context.Context, addr string, since time.Time, limit int) ([]time.Time, error) {
	return failuresByAddr(ctx, s.db, addr, since, limit)
}

// ClearLoginFailures stops counting an account's failures from an address.
func (s *Accounts) ClearLoginFailures(ctx context.Context, subject, addr string) error {
	return clearFailures(ctx, s.db.Where("client_addr = ?", addr), subject)
}

// ClearAccountLoginFailures stops counting an account's failures.
func (s *Accounts) ClearAccountLoginFailures(ctx context.Context, subject string) error {
	return clearFailures(ctx, s.db, subject)
}

// DeleteLoginFailures deletes old failures.
func (s *Accounts) DeleteLoginFailures(ctx context.Context, before time.Time) (int, error) {
	return deleteFailures(ctx, s.db, before)
}

// Vacancy sources' failed token requests share the table and its limits
// with editors' sign-ins: one address's failures count against one
// ceiling whatever it tried.

// RecordLoginFailure inserts a failed token request.
func (s *Vacancies) RecordLoginFailure(ctx context.Context, f account.LoginFailure) error {
	return recordFailure(ctx, s.db, f)
}

// LoginFailuresFor lists recent failures of a client id from an address.
func (s *Vacancies) LoginFailuresFor(ctx context.Context, subject, addr string, since time.Time, limit int) ([]time.Time, error) {
	return failuresFor(ctx, s.db, subject, addr, since, limit)
}

// LoginFailuresByAddr lists recent failures from a client address.
func (s *Vacancies) LoginFailuresByAddr(ctx context.Context, addr string, since time.Time, limit int) ([]time.Time, error) {
	return failuresByAddr(ctx, s.db, addr, since, limit)
}

// ClearLoginFailures stops counting a client id's failures from an address.
func (s *Vacancies) ClearLoginFailures(ctx context.Context, subject, addr string) error {
	return clearFailures(ctx, s.db.Where("client_addr = ?", addr), subject)
}

// DeleteLoginFailures deletes old failures.
func (s *Vacancies) DeleteLoginFailures(ctx context.Context, before time.Time) (int, error) {
	return deleteFailures(ctx, s.db, before)
}

// ClientSecretLive reports whether a secret is unrevoked and its source
// active, by primary key.
func (s *Vacancies) ClientSecretLive(ctx context.Context, clientID, secretID string) (bool, error) {
	var ids []string
	err := s.db.WithContext(ctx).Table("vacancy_source_secrets AS s").
		Joins("JOIN vacancy_sources AS v ON v.id = s.source_id").
		Where("s.id = ? AND s.source_id = ? AND s.revoked_at IS NULL AND v.active = ?", secretID, clientID, true).
		Limit(1).Pluck("s.id", &ids).Error
	if err != nil {
		return false, fmt.Errorf("check client secret: %w", err)
	}
	return len(ids) == 1, nil
}

func recordFailure(ctx context.Context, db *gorm.DB, f account.LoginFailure) error {
	row := loginFailureRow{ID: f.ID, ClientAddr: f.ClientAddr, FailedAt: f.At.UTC()}
	if f.Subject != "" {
		row.EmailHash = &f.Subject
	}
	if err := db.WithContext(ctx).Create(&row).Error; err != nil {
		return fmt.Errorf("insert sign-in failure: %w", err)
	}
	return nil
}

func failuresFor(ctx context.Context, db *gorm.DB, subject, addr string, since time.Time, limit int) ([]time.Time, error) {
	return recentFailures(db.WithContext(ctx).Where("email_hash = ? AND client_addr = ?", subject, addr), since, limit)
}

func failuresByAddr(ctx context.Context, db *gorm.DB, addr string, since time.Time, limit int) ([]time.Time, error) {
	return recentFailures(db.WithContext(ctx).Where("client_addr = ?", addr), since, limit)
}

// recentFailures lists the newest failure times that q selects after since.
func recentFailures(q *gorm.DB, since time.Time, limit int) ([]time.Time, error) {
	var times []time.Time
	err := q.Model(&loginFailureRow{}).
		Where("failed_at > ?", since.UTC()).
		Order("failed_at DESC").
		Limit(limit).
		Pluck("failed_at", &times).Error
	if err != nil {
		return nil, fmt.Errorf("list sign-in failures: %w", err)
	}
	for i := range times {
		times[i] = times[i].UTC()
	}
	return times, nil
}

// clearFailures detaches the failures q selects from their subject: they
// keep counting against their address.
func clearFailures(ctx context.Context, q *gorm.DB, subject string) error {
	err := q.WithContext(ctx).Model(&loginFailureRow{}).
		Where("email_hash = ?", subject).
		Update("email_hash", nil).Error
	if err != nil {
		return fmt.Errorf("clear sign-in failures: %w", err)
	}
	return nil
}

func deleteFailures(ctx context.Context, db *gorm.DB, before time.Time) (int, error) {
	res := db.WithContext(ctx).Where("failed_at < ?", before.UTC()).Delete(&loginFailureRow{})
	if res.Error != nil {
		return 0, fmt.Errorf("delete old sign-in failures: %w", res.Error)
	}
	return int(res.RowsAffected), nil
}

// Audit writes a change to accounts into the audit log.
func (s *Accounts) Audit(ctx context.Context, r account.AuditRecord) error {
	return insertAudit(ctx, s.db, r.At, r.ActorID, r.Action, "userId", r.UserID, r.Details)
}
