package account

import (
	"context"
	"time"
)

// Store is the storage the account service needs. Implementations return
// an *apperr.Error with code NotFound for a missing user or token and
// Conflict for an email address that is taken. Times are UTC.
type Store interface {
	// InTx runs fn with a Store bound to one transaction; an error from fn
	// rolls it back.
	InTx(ctx context.Context, fn func(Store) error) error

	// HasUsers reports whether any user exists, active or not.
	HasUsers(ctx context.Context) (bool, error)
	// CreateUser inserts u with its password hash.
	CreateUser(ctx context.Context, u User, passwordHash string) error
	// User returns the user with the given id.
	User(ctx context.Context, id string) (User, error)
	// Credentials returns the user with the given normalised email and
	// their password hash.
	Credentials(ctx context.Context, email string) (Credentials, error)
	// Users returns every user, ordered by email.
	Users(ctx context.Context) ([]User, error)
	// UpdateUser writes u's role, locales, active flag and UpdatedAt.
	UpdateUser(ctx context.Context, u User) error
	// SetPasswordHash replaces a user's password hash and records when the
	// password last changed.
	SetPasswordHash(ctx context.Context, userID, hash string, changedAt time.Time) error
	// RecordLogin sets a user's last sign-in time.
	RecordLogin(ctx context.Context, userID string, at time.Time) error
	// LockActiveAdmins returns the ids of the active users with role
	// ADMIN. Called on a transaction's Store, it locks their rows until the
	// transaction ends, so two transactions that each check "another admin
	// remains" cannot both remove one (PostgreSQL: SELECT ... FOR UPDATE;
	// SQLite's immediate transactions already serialise writers).
	LockActiveAdmins(ctx context.Context) ([]string, error)
	// SessionUser returns the user with the given id if the session
	// (refresh-token family) sessionID of that user is still live: not
	// revoked. NotFound when the user is gone or the session ended.
	SessionUser(ctx context.Context, userID, sessionID string) (User, error)

	// CreateRefreshToken inserts t.
	CreateRefreshToken(ctx context.Context, t RefreshToken) error
	// RefreshToken returns the token whose SHA-256 (hex) is tokenHash.
	RefreshToken(ctx context.Context, tokenHash string) (RefreshToken, error)
	// MarkRefreshTokenUsed sets used_at on the token only if it is neither
	// used nor revoked (a conditional UPDATE) and reports whether it did:
	// of two concurrent calls exactly one gets true.
	MarkRefreshTokenUsed(ctx context.Context, id string, at time.Time) (bool, error)
	// SealRefreshSuccessor keeps, on the token id that was just rotated,
	// the sealed pair its rotation issued (see RefreshGraceWindow).
	SealRefreshSuccessor(ctx context.Context, id string, sealed []byte) error
	// RevokeRefreshFamily revokes every token of a family not yet revoked.
	RevokeRefreshFamily(ctx context.Context, familyID string, at time.Time) error
	// RevokeUserRefreshTokens revokes every token of a user not yet revoked.
	RevokeUserRefreshTokens(ctx context.Context, userID string, at time.Time) error
	// DeleteExpiredRefreshTokens deletes the tokens that expired before
	// before, of one user or, with userID "", of everyone.
	DeleteExpiredRefreshTokens(ctx context.Context, userID string, before time.Time) (int, error)

	FailureStore
	// ClearAccountLoginFailures stops counting an account's failures
	// from every address against it (they still count against their
	// addresses' ceilings).
	ClearAccountLoginFailures(ctx context.Context, subject string) error

	// Audit appends a change to accounts to the audit log, in the same
	// transaction as the change when called on a transaction's Store.
	Audit(ctx context.Context, r AuditRecord) error
}

// AuditRecord is one change to an account, for the audit log.
type AuditRecord struct {
	At      time.Time
	ActorID string // "" for the operator
	Action  string // user.create, user.update, user.password
	UserID  string
	Details map[string]any
}

// Credentials is a user with their password hash (PHC string format).
type Credentials struct {
	User         User
	PasswordHash string
}

// RefreshToken is a stored refresh token. The token itself is never
// stored, only its SHA-256. Tokens issued by rotating one another form a
// family, which starts at sign-in and is revoked as a whole.
type RefreshToken struct {
	ID            string
	UserID        string
	FamilyID      string
	TokenHash     string // hex SHA-256 of the token
	CreatedAt     time.Time
	ExpiresAt     time.Time
	UsedAt        time.Time // zero until rotated
	RevokedAt     time.Time // zero unless revoked
	CreatedByAddr string    // client address of the sign-in or refresh
	// SuccessorSealed is the pair this token's rotation issued, sealed
	// under a key only the token itself gives; nil until rotated.
	SuccessorSealed []byte
}
