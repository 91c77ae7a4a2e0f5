package account

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"

	"github.com/werkwijzer/werkwijzer/internal/apperr"
	"github.com/werkwijzer/werkwijzer/internal/locale"
)

// Config configures a Service. Zero durations and limits take the defaults.
type Config struct {
	// Keys sign and verify access tokens. Without them the service still
	// manages users, but Login, Refresh, Verify and Authenticate fail.
	Keys *KeyRing
	// Issuer and Audience are the iss and aud of access tokens
	// (default DefaultIssuer and DefaultAudience).
	Issuer   string
	Audience string
	// AccessTokenTTL is how long an access token is accepted
	// (default 15 minutes); RefreshTokenTTL how long a refresh token may
	// renew it (default 30 days, counted from its own issue).
	AccessTokenTTL  time.Duration
	RefreshTokenTTL time.Duration
	// Locales are the configured content locales; a translator's locales
	// must be among them. Required.
	Locales *locale.Set
	// Password are the argon2id costs of new hashes (default
	// DefaultPasswordParams). Tests lower them to stay fast.
	Password PasswordParams
	// LoginLimits slow down and bound failed sign-ins.
	LoginLimits LoginLimits
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Log receives what the caller is not told: failed background
	// writes, rejected refresh-token reuse (default slog.Default()).
	Log *slog.Logger
}

// Service manages users and their sessions. Safe for concurrent use.
type Service struct {
	store      Store
	keys       *KeyRing
	issuer     string
	audience   string
	accessTTL  time.Duration
	refreshTTL time.Duration
	locales    *locale.Set
	hasher     passwordHasher
	throttle   throttle
	now        func() time.Time
	log        *slog.Logger
	parser     *jwt.Parser

	dummyOnce sync.Once
	dummyHash string
	dummyErr  error
}

// NewService returns the account service over store.
func NewService(store Store, cfg Config) (*Service, error) {
	if store == nil {
		return nil, errors.New("account: no store")
	}
	if cfg.Locales == nil {
		return nil, errors.New("account: no locales configured")
	}
	if cfg.AccessTokenTTL < 0 || cfg.RefreshTokenTTL < 0 {
		return nil, errors.New("account: negative token lifetime")
	}
	limits, err := cfg.LoginLimits.withDefaults()
	if err != nil {
		return nil, fmt.Errorf("account: %w", err)
	}
	params := cfg.Password
	if params == (PasswordParams{}) {
		params = DefaultPasswordParams
	}
	h, err := newHasher(params)
	if err != nil {
		return nil, fmt.Errorf("account: %w", err)
	}
	s := &Service{
		store:      store,
		keys:       cfg.Keys,
		issuer:     or(cfg.Issuer, DefaultIssuer),
		audience:   or(cfg.Audience, DefaultAudience),
		accessTTL:  or(cfg.AccessTokenTTL, DefaultAccessTokenTTL),
		refreshTTL: or(cfg.RefreshTokenTTL, DefaultRefreshTokenTTL),
		locales:    cfg.Locales,
		hasher:     h,
		now:        cfg.Now,
		log:        cfg.Log,
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	s.throttle = newThrottle(store, limits, s.log)
	s.parser = s.newParser()
	return s, nil
}

func or[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

// clock returns the current time in UTC at the databases' precision.
func (s *Service) clock() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

// HasUsers reports whether any account exists. The server calls it at
// start-up to tell the operator how to create the first admin.
func (s *Service) HasUsers(ctx context.Context) (bool, error) {
	ok, err := s.store.HasUsers(ctx)
	if err != nil {
		return false, fmt.Errorf("check for users: %w", err)
	}
	return ok, nil
}

// NewUser is an account to create.
type NewUser struct {
	Email    string
	Role     Role
	Locales  []string // required for TRANSLATOR, not allowed otherwise
	Password string
}

// CreateUser creates an active account. Only an ADMIN or the operator may
// (FORBIDDEN, UNAUTHENTICATED). Errors: BAD_USER_INPUT for an invalid
// email, role, locales or password; CONFLICT when the email is taken.
func (s *Service) CreateUser(ctx context.Context, nu NewUser) (User, error) {
	actor, err := Authorize(ctx, RoleAdmin, "create users")
	if err != nil {
		return User{}, err
	}
	email, err := NormalizeEmail(nu.Email)
	if err != nil {
		return User{}, err
	}
	if !nu.Role.Valid() {
		return User{}, apperr.Invalid(apperr.UnsupportedValue, "unknown role %q; want ADMIN, EDITOR or TRANSLATOR", nu.Role).With("field", "role").
			With("allowed", Roles)
	}
	locales, err := s.CheckLocales(nu.Role, nu.Locales)
	if err != nil {
		return User{}, err
	}
	if err := ValidatePassword(nu.Password); err != nil {
		return User{}, err
	}
	hash, err := s.hasher.hash(ctx, nu.Password)
	if err != nil {
		return User{}, err
	}
	id, err := uuid.NewV7()
	if err != nil {
		return User{}, fmt.Errorf("new user id: %w", err)
	}
	now := s.clock()
	u := User{
		ID: id.String(), Email: email, Role: nu.Role, Locales: locales, Active: true,
		CreatedAt: now, UpdatedAt: now, PasswordChangedAt: now,
	}
	err = s.store.InTx(ctx, func(tx Store) error {
		if err := tx.CreateUser(ctx, u, hash); err != nil {
			return fmt.Errorf("create user %s: %w", email, err)
		}
		return tx.Audit(ctx, AuditRecord{At: now, ActorID: actor.UserID, Action: "user.create", UserID: u.ID,
			Details: map[string]any{"email": u.Email, "role": string(u.Role), "locales": u.Locales}})
	})
	if err != nil {
		return User{}, err
	}
	return u, nil
}

// CheckLocales validates a user's locales for role and returns them in
// canonical form and configured order: a TRANSLATOR needs at least one,
// all configured; other roles have none. Errors are BAD_USER_INPUT.
func (s *Service) CheckLocales(role Role, locales []string) ([]string, error) {
	if role != RoleTranslator {
		if len(locales) > 0 {
			return nil, apperr.Invalid(apperr.NotApplicable, "only a TRANSLATOR is limited to locales; a %s edits all of them", role).
				With("field", "locales")
		}
		return nil, nil
	}
	if len(locales) == 0 {
		return nil, apperr.Invalid(apperr.Required, "a TRANSLATOR needs at least one locale (supported: %v)", s.locales.Codes()).
			With("field", "locales").With("supportedLocales", s.locales.Codes())
	}
	wanted := make(map[string]bool, len(locales))
	for _, l := range locales {
		code, err := s.locales.Normalize(l)
		if err != nil {
			return nil, apperr.Invalid(apperr.InvalidLocale, "%s", err.Error()).
				With("field", "locales").With("supportedLocales", s.locales.Codes())
		}
		wanted[code] = true
	}
	out := make([]string, 0, len(wanted))
	for _, code := range s.locales.Codes() {
		if wanted[code] {
			out = append(out, code)
		}
	}
	return out, nil
}

// SetPassword replaces a user's password and signs them out everywhere
// (their refresh tokens are revoked; Authenticate refuses access tokens
// issued before the change). Only an ADMIN or the operator may. Errors:
// BAD_USER_INPUT for an invalid password, NOT_FOUND.
func (s *Service) SetPassword(ctx context.Context, userID, password string) error {
	_, err := s.UpdateUser(ctx, userID, UserUpdate{Password: &password})
	return err
}

// UserUpdate changes some of a user's settings; nil fields stay as they are.
type UserUpdate struct {
	Role *Role
	// Locales replaces a translator's locales. When the role changes away
	// from TRANSLATOR they are cleared without being named.
	Locales *[]string
	Active  *bool
	// Password replaces the user's password and signs them out everywhere,
	// as SetPassword does.
	Password *string
}

// UpdateUser changes a user's role, locales, active flag or password, all
// in one transaction (a role change never commits without the password
// change that came with it), and returns the user as updated. Deactivating
// and a new password revoke the user's sessions. The last active ADMIN
// cannot be demoted or deactivated (CONFLICT), so nobody is locked out.
// Only an ADMIN or the operator may. Errors: BAD_USER_INPUT, NOT_FOUND,
// CONFLICT.
func (s *Service) UpdateUser(ctx context.Context, userID string, upd UserUpdate) (User, error) {
	actor, err := Authorize(ctx, RoleAdmin, "change users")
	if err != nil {
		return User{}, err
	}
	// A bad password is refused before anything changes; the hash is made
	// outside the transaction, which must not hold locks through argon2id.
	var hash string
	if upd.Password != nil {
		if err := ValidatePassword(*upd.Password); err != nil {
			return User{}, err
		}
		if hash, err = s.hasher.hash(ctx, *upd.Password); err != nil {
			return User{}, err
		}
	}
	onlyPassword := upd.Password != nil && upd.Role == nil && upd.Locales == nil && upd.Active == nil
	var updated User
	err = s.store.InTx(ctx, func(tx Store) error {
		now := s.clock()
		var err error
		if onlyPassword {
			updated, err = tx.User(ctx, userID)
		} else {
			updated, err = s.updateSettings(ctx, tx, actor, userID, upd, now)
		}
		if err != nil || upd.Password == nil {
			return err
		}
		updated.PasswordChangedAt = now
		return setPasswordHash(ctx, tx, actor, updated, hash, now)
	})
	if err != nil {
		return User{}, err
	}
	return updated, nil
}

// updateSettings writes upd's role, locales and active flag in tx.
func (s *Service) updateSettings(ctx context.Context, tx Store, actor Actor, userID string, upd UserUpdate, now time.Time) (User, error) {
	var admins []string
	if upd.Role != nil || upd.Active != nil {
		// Lock the admins before reading the user, so the check below
		// sees what concurrent updates committed and they wait for
		// this one.
		var err error
		if admins, err = tx.LockActiveAdmins(ctx); err != nil {
			return User{}, fmt.Errorf("lock admins: %w", err)
		}
	}
	u, err := tx.User(ctx, userID)
	if err != nil {
		return User{}, err
	}
	wasAdmin := u.Active && u.Role == RoleAdmin
	if upd.Role != nil {
		if !upd.Role.Valid() {
			return User{}, apperr.Invalid(apperr.UnsupportedValue, "unknown role %q; want ADMIN, EDITOR or TRANSLATOR", *upd.Role).
				With("field", "role").With("allowed", Roles)
		}
		if *upd.Role != RoleTranslator && upd.Locales == nil {
			u.Locales = nil
		}
		u.Role = *upd.Role
	}
	if upd.Locales != nil {
		u.Locales = *upd.Locales
	}
	if u.Locales, err = s.CheckLocales(u.Role, u.Locales); err != nil {
		return User{}, err
	}
	if upd.Active != nil {
		u.Active = *upd.Active
	}
	if wasAdmin && !(u.Active && u.Role == RoleAdmin) && len(admins) <= 1 {
		return User{}, apperr.New(apperr.Conflict, "%s is the last active ADMIN; make another user ADMIN first", u.Email)
	}
	u.UpdatedAt = now
	if err := tx.UpdateUser(ctx, u); err != nil {
		return User{}, fmt.Errorf("update user %s: %w", u.Email, err)
	}
	if !u.Active {
		if err := tx.RevokeUserRefreshTokens(ctx, u.ID, now); err != nil {
			return User{}, fmt.Errorf("revoke sessions of %s: %w", u.Email, err)
		}
	}
	err = tx.Audit(ctx, AuditRecord{At: now, ActorID: actor.UserID, Action: "user.update", UserID: u.ID,
		Details: map[string]any{"email": u.Email, "role": string(u.Role), "locales": u.Locales, "active": u.Active}})
	return u, err
}

// setPasswordHash stores u's new password hash in tx and signs u out
// everywhere.
func setPasswordHash(ctx context.Context, tx Store, actor Actor, u User, hash string, now time.Time) error {
	if err := tx.SetPasswordHash(ctx, u.ID, hash, now); err != nil {
		return fmt.Errorf("set password of %s: %w", u.Email, err)
	}
	if err := tx.RevokeUserRefreshTokens(ctx, u.ID, now); err != nil {
		return fmt.Errorf("revoke sessions of %s: %w", u.Email, err)
	}
	// A new password is a fresh start for the account's sign-in
	// delays: guesses at the old one tell nothing about the new one.
	if err := tx.ClearAccountLoginFailures(ctx, emailHash(u.Email)); err != nil {
		return fmt.Errorf("clear sign-in failures of %s: %w", u.Email, err)
	}
	return tx.Audit(ctx, AuditRecord{At: now, ActorID: actor.UserID, Action: "user.password", UserID: u.ID,
		Details: map[string]any{"email": u.Email}})
}

// ListUsers returns every user, ordered by email. Only an ADMIN or the
// operator may.
func (s *Service) ListUsers(ctx context.Context) ([]User, error) {
	if _, err := Authorize(ctx, RoleAdmin, "list users"); err != nil {
		return nil, err
	}
	users, err := s.store.Users(ctx)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	return users, nil
}

// UserByID returns a user. Anyone signed in may read their own account
// (that is the "me" query); an ADMIN or the operator may read any.
// Errors: UNAUTHENTICATED, FORBIDDEN, NOT_FOUND.
func (s *Service) UserByID(ctx context.Context, id string) (User, error) {
	if p, ok := PrincipalFrom(ctx); !ok || p.UserID != id {
		if _, err := Authorize(ctx, RoleAdmin, "read other users"); err != nil {
			return User{}, err
		}
	}
	return s.store.User(ctx, id)
}

// UserByEmail returns the user with the given email, in any case. Only an
// ADMIN or the operator may. Errors: BAD_USER_INPUT, NOT_FOUND.
func (s *Service) UserByEmail(ctx context.Context, email string) (User, error) {
	if _, err := Authorize(ctx, RoleAdmin, "look users up"); err != nil {
		return User{}, err
	}
	normalized, err := NormalizeEmail(email)
	if err != nil {
		return User{}, err
	}
	c, err := s.store.Credentials(ctx, normalized)
	if err != nil {
		return User{}, err
	}
	return c.User, nil
}

// Prune deletes what can no longer matter: refresh tokens that expired a
// day ago and sign-in failures older than the throttling window. Run it
// now and then (hourly, say); sign-ins also prune as they go.
func (s *Service) Prune(ctx context.Context) error {
	now := s.clock()
	if _, err := s.store.DeleteExpiredRefreshTokens(ctx, "", now.Add(-24*time.Hour)); err != nil {
		return fmt.Errorf("prune refresh tokens: %w", err)
	}
	if _, err := s.store.DeleteLoginFailures(ctx, now.Add(-s.throttle.limits.Window)); err != nil {
		return fmt.Errorf("prune sign-in failures: %w", err)
	}
	return nil
}
