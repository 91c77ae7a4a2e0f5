package account

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/werkwijzer/werkwijzer/internal/apperr"
)

// Defaults for Config.
const (
	DefaultIssuer          = "werkwijzer"
	DefaultAudience        = "werkwijzer-api"
	DefaultAccessTokenTTL  = 15 * time.Minute
	DefaultRefreshTokenTTL = 30 * 24 * time.Hour
)

// ClockSkew is how far the clocks of the signing and verifying servers may
// disagree: exp, nbf and iat are checked with this leeway.
const ClockSkew = 30 * time.Second

// accessClaims are the claims of an access token.
type accessClaims struct {
	Role    Role     `json:"role"`
	Locales []string `json:"locales"`
	// SessionID binds the token to its session (refresh-token family), so
	// ending the session ends the token (OpenID Connect's sid claim).
	SessionID string `json:"sid"`
	jwt.RegisteredClaims
}

// Validate adds the checks jwt's validator does not make; the parser calls
// it after the signature and the registered claims are verified.
func (c accessClaims) Validate() error {
	switch {
	case c.Subject == "":
		return errors.New("no sub claim")
	case c.ID == "":
		return errors.New("no jti claim")
	case c.SessionID == "":
		return errors.New("no sid claim")
	case c.IssuedAt == nil:
		return errors.New("no iat claim")
	case c.NotBefore == nil:
		return errors.New("no nbf claim")
	case !c.Role.Valid():
		return fmt.Errorf("unknown role %q", c.Role)
	case c.Role == RoleTranslator && len(c.Locales) == 0:
		return errors.New("translator without locales")
	}
	return nil
}

// InvalidTokenError is the error of a rejected token. Its message and code
// (UNAUTHENTICATED) never say which check failed, so they are safe to show
// to a client; the reason is in the chain for logs: errors.Is(err,
// jwt.ErrTokenExpired) and so on, or Reason.
type InvalidTokenError struct {
	coded  *apperr.Error
	reason error
}

func invalidToken(reason error) error {
	return &InvalidTokenError{
		coded:  apperr.New(apperr.Unauthenticated, "the access token is invalid or has expired; sign in again"),
		reason: reason,
	}
}

func (e *InvalidTokenError) Error() string { return e.coded.Message }

// Unwrap returns the coded error and the reason.
func (e *InvalidTokenError) Unwrap() []error { return []error{e.coded, e.reason} }

// Reason says why the token was rejected, for logs only.
func (e *InvalidTokenError) Reason() string { return e.reason.Error() }

var errUnknownKey = errors.New("unknown kid")

// signAccessToken returns a signed access token for u in the session and
// its expiry.
func (s *Service) signAccessToken(u User, session string, now time.Time) (string, time.Time, error) {
	if s.keys == nil {
		return "", time.Time{}, errors.New("no JWT signing keys configured")
	}
	jti := make([]byte, 16)
	if _, err := rand.Read(jti); err != nil {
		return "", time.Time{}, fmt.Errorf("token id: %w", err)
	}
	issued := now.Truncate(time.Second)
	expires := issued.Add(s.accessTTL)
	locales := u.Locales
	if locales == nil {
		locales = []string{}
	}
	claims := accessClaims{
		Role:      u.Role,
		Locales:   locales,
		SessionID: session,
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    s.issuer,
			Subject:   u.ID,
			Audience:  jwt.ClaimStrings{s.audience},
			ExpiresAt: jwt.NewNumericDate(expires),
			NotBefore: jwt.NewNumericDate(issued),
			IssuedAt:  jwt.NewNumericDate(issued),
			ID:        base64.RawURLEncoding.EncodeToString(jti),
		},
	}
	token := jwt.NewWithClaims(jwt.SigningMethodHS256, claims)
	token.Header["kid"] = s.keys.current.id
	signed, err := token.SignedString(s.keys.current.secret)
	if err != nil {
		return "", time.Time{}, fmt.Errorf("sign access token: %w", err)
	}
	return signed, expires, nil
}

// keyFor picks the verification key by the token's kid header.
func (s *Service) keyFor(t *jwt.Token) (any, error) {
	if t.Method != jwt.SigningMethodHS256 {
		return nil, fmt.Errorf("alg %v", t.Header["alg"])
	}
	kid, _ := t.Header["kid"].(string)
	secret, ok := s.keys.key(kid)
	if !ok {
		return nil, fmt.Errorf("%w %q", errUnknownKey, kid)
	}
	return secret, nil
}

// Verify checks an access token without touching the database: the HS256
// signature by the key its kid names, the issuer and audience, and exp,
// nbf and iat with ClockSkew of leeway. Any failure is an
// *InvalidTokenError (UNAUTHENTICATED, one generic message). Verify alone
// cannot tell an ended session or a deactivated user; Authenticate does.
func (s *Service) Verify(token string) (Principal, error) {
	if s.keys == nil {
		return Principal{}, invalidToken(errors.New("no JWT keys configured"))
	}
	if len(token) > 8<<10 {
		return Principal{}, invalidToken(errors.New("token longer than 8 KiB"))
	}
	var claims accessClaims
	if _, err := s.parser.ParseWithClaims(token, &claims, s.keyFor); err != nil {
		return Principal{}, invalidToken(err)
	}
	return Principal{
		UserID:    claims.Subject,
		Role:      claims.Role,
		Locales:   claims.Locales,
		TokenID:   claims.ID,
		SessionID: claims.SessionID,
		IssuedAt:  claims.IssuedAt.Time.UTC(),
		ExpiresAt: claims.ExpiresAt.Time.UTC(),
	}, nil
}

func (s *Service) newParser() *jwt.Parser {
	return jwt.NewParser(
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithIssuer(s.issuer),
		jwt.WithAudience(s.audience),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithLeeway(ClockSkew),
		jwt.WithTimeFunc(s.now),
		jwt.WithStrictDecoding(),
	)
}
