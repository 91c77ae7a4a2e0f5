package account

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"net"
	"net/netip"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/werkwijzer/werkwijzer/internal/apperr"
)

// Tokens is what a sign-in or a refresh returns: an access token to send as
// "Authorization: Bearer ..." until it expires, and a refresh token to
// exchange, once, for new tokens.
type Tokens struct {
	AccessToken           string
	AccessTokenExpiresAt  time.Time
	RefreshToken          string
	RefreshTokenExpiresAt time.Time
	User                  User
}

// The generic failures. One message whatever the cause, so a caller learns
// nothing about which accounts exist or which check failed.
func errBadCredentials() error {
	return apperr.New(apperr.Unauthenticated, "the email address or password is incorrect")
}

func errBadRefreshToken() error {
	return apperr.New(apperr.Unauthenticated, "the refresh token is invalid or has expired; sign in again")
}

// Login signs a user in with email and password and starts a session (a new
// refresh-token family). clientAddr is the caller's address ("host" or
// "host:port"; IPv6 addresses count per /64) for the per-address limit;
// pass "" when unknown.
//
// Every failure (unknown email, wrong password, deactivated account) is the
// same UNAUTHENTICATED error after the same work: an unknown email is
// checked against a dummy hash. After LoginLimits.PerAccount failures for
// one email or PerAddress failures from one address within the window,
// attempts are refused with RATE_LIMITED and a retryAfterSeconds detail,
// without checking the password; those attempts are not counted. A
// successful sign-in clears the account's count.
func (s *Service) Login(ctx context.Context, email, password, clientAddr string) (Tokens, error) {
	if s.keys == nil {
		return Tokens{}, errors.New("sign in: no JWT signing keys configured")
	}
	now := s.clock()
	addr := clientKey(clientAddr)
	normalized := strings.ToLower(strings.TrimSpace(email))
	account := emailHash(normalized)
	if err := s.checkLoginLimits(ctx, account, addr, now); err != nil {
		return Tokens{}, err
	}
	creds, ok, outdated, err := s.checkPassword(ctx, normalized, password)
	if err != nil {
		return Tokens{}, err
	}
	if !ok {
		if err := s.recordLoginFailure(ctx, account, addr, now); err != nil {
			return Tokens{}, err
		}
		return Tokens{}, errBadCredentials()
	}
	u := creds.User
	if err := s.store.ClearLoginFailures(ctx, account); err != nil {
		return Tokens{}, fmt.Errorf("sign in: clear failures: %w", err)
	}
	if outdated {
		s.rehash(ctx, u, password)
	}
	if err := s.store.RecordLogin(ctx, u.ID, now); err != nil {
		return Tokens{}, fmt.Errorf("sign in: %w", err)
	}
	u.LastLoginAt = now
	if _, err := s.store.DeleteExpiredRefreshTokens(ctx, u.ID, now); err != nil {
		s.log.WarnContext(ctx, "could not delete expired refresh tokens", "user", u.ID, "error", err)
	}
	family, err := uuid.NewV7()
	if err != nil {
		return Tokens{}, fmt.Errorf("sign in: %w", err)
	}
	return s.issueTokens(ctx, s.store, u, family.String(), addr, now)
}

// checkPassword looks the user up and checks the password, doing the same
// argon2id work whether or not the user exists.
func (s *Service) checkPassword(ctx context.Context, email, password string) (creds Credentials, ok, outdated bool, err error) {
	tooLong := len(password) > MaxPasswordBytes
	if tooLong {
		password = ""
	}
	if _, invalid := NormalizeEmail(email); invalid != nil {
		// No account can have it (and a NUL byte would be a database
		// error, not a miss): fail like an unknown account.
		err = apperr.New(apperr.NotFound, "no such account")
	} else {
		creds, err = s.store.Credentials(ctx, email)
	}
	if apperr.Is(err, apperr.NotFound) || tooLong {
		dummy, err := s.dummy(ctx)
		if err != nil {
			return Credentials{}, false, false, err
		}
		_, _, err = s.hasher.verify(ctx, dummy, password)
		return Credentials{}, false, false, err
	}
	if err != nil {
		return Credentials{}, false, false, fmt.Errorf("sign in: %w", err)
	}
	ok, outdated, err = s.hasher.verify(ctx, creds.PasswordHash, password)
	if errors.Is(err, errMalformedHash) {
		// The account cannot sign in until an admin sets a new password;
		// the caller gets the generic failure.
		s.log.ErrorContext(ctx, "stored password hash is malformed", "user", creds.User.ID, "error", err)
		return Credentials{}, false, false, nil
	}
	if err != nil {
		return Credentials{}, false, false, err
	}
	return creds, ok && creds.User.Active, outdated, nil
}

// dummy is a hash of a random password with the current parameters.
func (s *Service) dummy(ctx context.Context) (string, error) {
	s.dummyOnce.Do(func() {
		pw := make([]byte, 32)
		if _, err := rand.Read(pw); err != nil {
			s.dummyErr = err
			return
		}
		s.dummyHash, s.dummyErr = s.hasher.hash(context.WithoutCancel(ctx), base64.RawURLEncoding.EncodeToString(pw))
	})
	return s.dummyHash, s.dummyErr
}

// rehash stores a hash with the current parameters after a sign-in with
// an outdated one. Failing to is logged, not fatal: the old hash still works.
func (s *Service) rehash(ctx context.Context, u User, password string) {
	hash, err := s.hasher.hash(ctx, password)
	if err == nil {
		err = s.store.SetPasswordHash(ctx, u.ID, hash, u.PasswordChangedAt)
	}
	if err != nil {
		s.log.WarnContext(ctx, "could not upgrade password hash", "user", u.ID, "error", err)
	}
}

// checkLoginLimits refuses the attempt when the account or the address
// used up its failures in the window.
func (s *Service) checkLoginLimits(ctx context.Context, account, addr string, now time.Time) error {
	since := now.Add(-s.limits.Window)
	var wait time.Duration
	byEmail, err := s.store.LoginFailuresByEmail(ctx, account, since, s.limits.PerAccount)
	if err != nil {
		return fmt.Errorf("sign in: count failures: %w", err)
	}
	wait = max(wait, s.waitFor(byEmail, s.limits.PerAccount, now))
	if addr != "" {
		byAddr, err := s.store.LoginFailuresByAddr(ctx, addr, since, s.limits.PerAddress)
		if err != nil {
			return fmt.Errorf("sign in: count failures: %w", err)
		}
		wait = max(wait, s.waitFor(byAddr, s.limits.PerAddress, now))
	}
	if wait <= 0 {
		return nil
	}
	seconds := int(math.Ceil(wait.Seconds()))
	return apperr.New(apperr.RateLimited, "too many failed sign-in attempts; try again in %d seconds", seconds).
		With("retryAfterSeconds", seconds)
}

// waitFor is how long until fewer than limit of the failures (newest first)
// remain in the window: until the limit-th newest one leaves it.
func (s *Service) waitFor(failures []time.Time, limit int, now time.Time) time.Duration {
	if len(failures) < limit {
		return 0
	}
	return failures[limit-1].Add(s.limits.Window).Sub(now)
}

func (s *Service) recordLoginFailure(ctx context.Context, account, addr string, now time.Time) error {
	id, err := uuid.NewV7()
	if err != nil {
		return fmt.Errorf("sign in: %w", err)
	}
	if err := s.store.RecordLoginFailure(ctx, LoginFailure{ID: id.String(), EmailHash: account, ClientAddr: addr, At: now}); err != nil {
		return fmt.Errorf("sign in: record failure: %w", err)
	}
	if _, err := s.store.DeleteLoginFailures(ctx, now.Add(-s.limits.Window)); err != nil {
		s.log.WarnContext(ctx, "could not prune sign-in failures", "error", err)
	}
	return nil
}

// issueTokens signs an access token for u and stores a new refresh token in
// the family.
func (s *Service) issueTokens(ctx context.Context, store Store, u User, family, addr string, now time.Time) (Tokens, error) {
	access, accessExpires, err := s.signAccessToken(u, now)
	if err != nil {
		return Tokens{}, err
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return Tokens{}, fmt.Errorf("refresh token: %w", err)
	}
	refresh := base64.RawURLEncoding.EncodeToString(raw)
	id, err := uuid.NewV7()
	if err != nil {
		return Tokens{}, fmt.Errorf("refresh token: %w", err)
	}
	rt := RefreshToken{
		ID: id.String(), UserID: u.ID, FamilyID: family, TokenHash: tokenHash(refresh),
		CreatedAt: now, ExpiresAt: now.Add(s.refreshTTL), CreatedByAddr: addr,
	}
	if err := store.CreateRefreshToken(ctx, rt); err != nil {
		return Tokens{}, fmt.Errorf("store refresh token: %w", err)
	}
	return Tokens{
		AccessToken: access, AccessTokenExpiresAt: accessExpires,
		RefreshToken: refresh, RefreshTokenExpiresAt: rt.ExpiresAt,
		User: u,
	}, nil
}

// maxRefreshTokenLen bounds what is hashed; real ones have 43 characters.
const maxRefreshTokenLen = 256

// Refresh exchanges a refresh token for new tokens in the same family, with
// the user's current role and locales. A refresh token works once: it is
// marked used by a conditional UPDATE in the same transaction that issues
// its successor, so of two concurrent refreshes exactly one succeeds.
// Presenting a used token again is taken as theft: the whole family is
// revoked (signing out whoever holds its newest token) and the call fails.
// Clients must therefore refresh one at a time. Unknown, expired and
// revoked tokens, and tokens of deactivated users, fail too; every failure
// is the same UNAUTHENTICATED error.
func (s *Service) Refresh(ctx context.Context, refreshToken, clientAddr string) (Tokens, error) {
	if s.keys == nil {
		return Tokens{}, errors.New("refresh: no JWT signing keys configured")
	}
	if refreshToken == "" || len(refreshToken) > maxRefreshTokenLen {
		return Tokens{}, errBadRefreshToken()
	}
	now := s.clock()
	addr := clientKey(clientAddr)
	var (
		tokens Tokens
		reason string // why it was refused, for the log
		family string
	)
	err := s.store.InTx(ctx, func(tx Store) error {
		rt, err := tx.RefreshToken(ctx, tokenHash(refreshToken))
		if apperr.Is(err, apperr.NotFound) {
			reason = "unknown"
			return nil
		}
		if err != nil {
			return err
		}
		family = rt.FamilyID
		switch {
		case !rt.RevokedAt.IsZero():
			reason = "revoked"
			return nil
		case !rt.UsedAt.IsZero():
			reason = "reused"
			return tx.RevokeRefreshFamily(ctx, rt.FamilyID, now)
		case !now.Before(rt.ExpiresAt):
			reason = "expired"
			return nil
		}
		marked, err := tx.MarkRefreshTokenUsed(ctx, rt.ID, now)
		if err != nil {
			return err
		}
		if !marked {
			reason = "reused concurrently"
			return tx.RevokeRefreshFamily(ctx, rt.FamilyID, now)
		}
		u, err := tx.User(ctx, rt.UserID)
		if apperr.Is(err, apperr.NotFound) {
			reason = "user deleted" // the foreign key cascade makes this unlikely
			return nil
		}
		if err != nil {
			return err
		}
		if !u.Active {
			reason = "user deactivated"
			return tx.RevokeRefreshFamily(ctx, rt.FamilyID, now)
		}
		tokens, err = s.issueTokens(ctx, tx, u, rt.FamilyID, addr, now)
		return err
	})
	if err != nil {
		return Tokens{}, fmt.Errorf("refresh: %w", err)
	}
	if reason != "" {
		level := s.log.InfoContext
		if strings.HasPrefix(reason, "reused") {
			level = s.log.WarnContext
		}
		level(ctx, "refresh token refused", "reason", reason, "family", family, "client", addr)
		return Tokens{}, errBadRefreshToken()
	}
	return tokens, nil
}

// Logout ends the session the refresh token belongs to: every token of its
// family is revoked. Access tokens already issued stay valid until they
// expire (at most AccessTokenTTL) unless the caller uses Authenticate. An
// unknown or already revoked token is not an error: there is nothing to end.
func (s *Service) Logout(ctx context.Context, refreshToken string) error {
	if refreshToken == "" || len(refreshToken) > maxRefreshTokenLen {
		return nil
	}
	rt, err := s.store.RefreshToken(ctx, tokenHash(refreshToken))
	if apperr.Is(err, apperr.NotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("sign out: %w", err)
	}
	if err := s.store.RevokeRefreshFamily(ctx, rt.FamilyID, s.clock()); err != nil {
		return fmt.Errorf("sign out: %w", err)
	}
	return nil
}

// Authenticate verifies an access token like Verify and then checks, with
// one query, that its user still exists, is active and has not changed
// password since the token was issued. The Principal carries the user's
// current role and locales, so a demotion takes effect at once. This is
// what the HTTP middleware should call for a Bearer token; every failure is
// an *InvalidTokenError (UNAUTHENTICATED).
func (s *Service) Authenticate(ctx context.Context, token string) (Principal, error) {
	p, err := s.Verify(token)
	if err != nil {
		return Principal{}, err
	}
	u, err := s.store.User(ctx, p.UserID)
	if apperr.Is(err, apperr.NotFound) {
		return Principal{}, invalidToken(errors.New("the user no longer exists"))
	}
	if err != nil {
		return Principal{}, fmt.Errorf("authenticate: %w", err)
	}
	if !u.Active {
		return Principal{}, invalidToken(errors.New("the user is deactivated"))
	}
	if p.IssuedAt.Before(u.PasswordChangedAt.Truncate(time.Second)) {
		return Principal{}, invalidToken(errors.New("issued before the last password change"))
	}
	p.Role, p.Locales = u.Role, u.Locales
	return p, nil
}

// tokenHash is the hex SHA-256 under which a refresh token is stored.
func tokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// emailHash is the hex SHA-256 of a normalised email, the key that
// sign-in failures are counted under.
func emailHash(normalized string) string {
	sum := sha256.Sum256([]byte(normalized))
	return hex.EncodeToString(sum[:])
}

// clientKey is the key failures are counted under per client: the IP
// address without port or zone, IPv4-mapped addresses as IPv4, and IPv6
// addresses as their /64 (one subscriber usually holds a whole /64).
// Anything that is not an IP address is kept, bounded to 100 bytes.
func clientKey(addr string) string {
	addr = strings.TrimSpace(addr)
	if addr == "" {
		return ""
	}
	host := addr
	if h, _, err := net.SplitHostPort(addr); err == nil {
		host = h
	}
	ip, err := netip.ParseAddr(strings.Trim(host, "[]"))
	if err != nil {
		if len(host) > 100 {
			host = host[:100]
		}
		return host
	}
	ip = ip.Unmap().WithZone("")
	if ip.Is6() {
		prefix, _ := ip.Prefix(64)
		return prefix.String()
	}
	return ip.String()
}
