package account

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
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
// "host:port"; IPv6 addresses count per /64) for LoginLimits; pass "" when
// unknown.
//
// Every failure (unknown email, wrong password, deactivated account) is the
// same UNAUTHENTICATED error after the same work: one argon2id check,
// against a dummy hash when there is no usable account. While this email
// and address must wait after earlier failures, or the address reached its
// ceiling (see LoginLimits), the attempt is refused with RATE_LIMITED and a
// retryAfterSeconds detail without checking the password. Failures from
// other addresses never refuse it. A successful sign-in clears the
// failures of this email from this address.
func (s *Service) Login(ctx context.Context, email, password, clientAddr string) (Tokens, error) {
	if s.keys == nil {
		return Tokens{}, errors.New("sign in: no JWT signing keys configured")
	}
	now := s.clock()
	addr := clientKey(clientAddr)
	normalized := strings.ToLower(strings.TrimSpace(email))
	subject := emailHash(normalized)
	leave, err := s.throttle.enter(ctx, subject, addr)
	if err != nil {
		return Tokens{}, fmt.Errorf("sign in: %w", err)
	}
	defer leave()
	if err := s.throttle.check(ctx, subject, addr, now); err != nil {
		return Tokens{}, fmt.Errorf("sign in: %w", err)
	}
	creds, ok, outdated, err := s.checkPassword(ctx, normalized, password)
	if err != nil {
		return Tokens{}, err
	}
	if !ok {
		if err := s.throttle.fail(ctx, subject, addr, now); err != nil {
			return Tokens{}, fmt.Errorf("sign in: %w", err)
		}
		return Tokens{}, errBadCredentials()
	}
	u := creds.User
	if err := s.throttle.succeed(ctx, subject, addr); err != nil {
		return Tokens{}, fmt.Errorf("sign in: %w", err)
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

// checkPassword looks the user up and checks the password with exactly one
// argon2id verification whatever the outcome: against the stored hash of
// an account that exists (active or not), otherwise against a dummy hash
// made with the current parameters, so the time taken does not tell
// whether an account exists. ok is false for a deactivated account.
func (s *Service) checkPassword(ctx context.Context, email, password string) (creds Credentials, ok, outdated bool, err error) {
	found := false
	if len(password) > MaxPasswordBytes {
		password = "" // bounded work; no stored hash can match it
	} else if _, invalid := NormalizeEmail(email); invalid == nil {
		// (An invalid address cannot belong to an account, and a NUL
		// byte would be a database error rather than a miss.)
		creds, err = s.store.Credentials(ctx, email)
		switch {
		case err == nil:
			found = true
		case !apperr.Is(err, apperr.NotFound):
			return Credentials{}, false, false, fmt.Errorf("sign in: %w", err)
		}
	}
	hash := creds.PasswordHash
	if found {
		if _, perr := parsePHC(hash); perr != nil {
			// The account cannot sign in until an admin sets a new
			// password; the caller gets the generic failure.
			s.log.ErrorContext(ctx, "stored password hash is malformed", "user", creds.User.ID, "error", perr)
			found = false
		}
	}
	if !found {
		if hash, err = s.dummy(ctx); err != nil {
			return Credentials{}, false, false, err
		}
	}
	ok, outdated, err = s.hasher.verify(ctx, hash, password)
	if err != nil {
		return Credentials{}, false, false, err
	}
	if !found || !ok || !creds.User.Active {
		return Credentials{}, false, false, nil
	}
	return creds, true, outdated, nil
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

// issueTokens signs an access token for u and stores a new refresh token in
// the family.
func (s *Service) issueTokens(ctx context.Context, store Store, u User, family, addr string, now time.Time) (Tokens, error) {
	access, accessExpires, err := s.signAccessToken(u, family, now)
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
// the user's current role and locales. A refresh token rotates once: it is
// marked used by a conditional UPDATE in the same transaction that issues
// its successor, so of two concurrent refreshes exactly one rotates it.
// The other, and any refresh with that token from the same client address
// within RefreshGraceWindow while the successor is still unused, gets the
// very pair the rotation issued (a reload during a refresh, two tabs), so
// every tab ends up with the same tokens. Any other use of a used token
// (after the window, from another address, or once its successor was
// rotated in turn) is taken as theft: the whole family is revoked (signing
// out whoever holds its newest token) and the call fails. Unknown, expired
// and revoked tokens, and tokens of deactivated users, fail too; every
// failure is the same UNAUTHENTICATED error.
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
			tokens, reason, err = s.replayRotation(ctx, tx, rt, refreshToken, addr, now)
			return err
		case !now.Before(rt.ExpiresAt):
			reason = "expired"
			return nil
		}
		marked, err := tx.MarkRefreshTokenUsed(ctx, rt.ID, now)
		if err != nil {
			return err
		}
		if !marked {
			// A concurrent refresh rotated it and has committed (the
			// conditional UPDATE waited for it on PostgreSQL): read
			// what it issued.
			if rt, err = tx.RefreshToken(ctx, tokenHash(refreshToken)); err != nil {
				return err
			}
			if !rt.RevokedAt.IsZero() {
				reason = "revoked concurrently"
				return nil
			}
			tokens, reason, err = s.replayRotation(ctx, tx, rt, refreshToken, addr, now)
			return err
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
		if err != nil {
			return err
		}
		sealed, err := sealSuccessor(refreshToken, rt.ID, successorPair{
			AccessToken: tokens.AccessToken, AccessTokenExpiresAt: tokens.AccessTokenExpiresAt,
			RefreshToken: tokens.RefreshToken, RefreshTokenExpiresAt: tokens.RefreshTokenExpiresAt,
			ClientAddr: addr,
		})
		if err != nil {
			return err
		}
		return tx.SealRefreshSuccessor(ctx, rt.ID, sealed)
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

// replayRotation answers a refresh with the used token rt (presented as
// token) by the pair its rotation issued, if the grace rules of Refresh
// allow; otherwise it revokes the family and says why.
func (s *Service) replayRotation(ctx context.Context, tx Store, rt RefreshToken, token, addr string, now time.Time) (Tokens, string, error) {
	refuse := func(reason string) (Tokens, string, error) {
		return Tokens{}, reason, tx.RevokeRefreshFamily(ctx, rt.FamilyID, now)
	}
	if now.Sub(rt.UsedAt) >= RefreshGraceWindow {
		return refuse("reused")
	}
	if rt.SuccessorSealed == nil {
		return refuse("reused before its successor was kept")
	}
	pair, err := openSuccessor(token, rt.ID, rt.SuccessorSealed)
	if err != nil {
		return refuse("reused with a successor that does not open")
	}
	if pair.ClientAddr != addr {
		return refuse("reused from another client within the grace window")
	}
	next, err := tx.RefreshToken(ctx, tokenHash(pair.RefreshToken))
	if apperr.Is(err, apperr.NotFound) {
		return refuse("reused after its successor was deleted")
	}
	if err != nil {
		return Tokens{}, "", err
	}
	if !next.UsedAt.IsZero() || !next.RevokedAt.IsZero() {
		return refuse("reused after its successor was rotated")
	}
	u, err := tx.User(ctx, rt.UserID)
	if apperr.Is(err, apperr.NotFound) {
		return Tokens{}, "user deleted", nil
	}
	if err != nil {
		return Tokens{}, "", err
	}
	if !u.Active {
		return refuse("user deactivated")
	}
	s.log.InfoContext(ctx, "rotated refresh token replayed within the grace window", "family", rt.FamilyID, "client", addr)
	return Tokens{
		AccessToken: pair.AccessToken, AccessTokenExpiresAt: pair.AccessTokenExpiresAt,
		RefreshToken: pair.RefreshToken, RefreshTokenExpiresAt: pair.RefreshTokenExpiresAt,
		User: u,
	}, "", nil
}

// Logout ends the session the refresh token belongs to: every token of its
// family is revoked, and Authenticate refuses the session's access tokens
// from then on. An unknown or already revoked token is not an error: there
// is nothing to end.
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
// one indexed query, that its session (the refresh-token family it was
// issued for) has not ended and its user still exists and is active. A
// session ends at logout, when reuse of its refresh token is detected, and
// for all of a user's sessions when their password is set or they are
// deactivated, so re-activating a user does not revive old tokens. The
// Principal carries the user's current role and locales, so a demotion
// takes effect at once. This is what the HTTP middleware calls for a
// Bearer token. A rejected token is an *InvalidTokenError
// (UNAUTHENTICATED); a failing database is any other error, never
// UNAUTHENTICATED, so callers do not sign people out during an outage.
func (s *Service) Authenticate(ctx context.Context, token string) (Principal, error) {
	p, err := s.Verify(token)
	if err != nil {
		return Principal{}, err
	}
	u, err := s.store.SessionUser(ctx, p.UserID, p.SessionID)
	if apperr.Is(err, apperr.NotFound) {
		return Principal{}, invalidToken(errors.New("the session ended or the user no longer exists"))
	}
	if err != nil {
		return Principal{}, fmt.Errorf("authenticate: %w", err)
	}
	if !u.Active {
		return Principal{}, invalidToken(errors.New("the user is deactivated"))
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
