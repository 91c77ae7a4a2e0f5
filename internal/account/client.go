package account

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"

	"github.com/werkwijzer/werkwijzer/internal/apperr"
)

// Machine clients are programs, not people: a recruitment site that syncs
// its vacancies signs in with a client id and secret at the OAuth 2.0
// token endpoint (client credentials grant, RFC 6749 section 4.4) and gets
// a short-lived access token for one scope.
//
// Their tokens can never pass for an editor's, nor an editor's for theirs:
// they carry another audience (DefaultClientAudience), the JWT type
// "at+jwt" (RFC 9068), sub "source:<id>" and a scope instead of a role,
// and each kind is verified by its own parser that requires its own
// audience. An authenticated client travels in the context as a Client,
// never as a Principal, so nothing that checks a user's role can mistake
// one for the other.

// Client scopes.
const (
	// ScopeVacancySync lets a source sync its own vacancies.
	ScopeVacancySync = "vacancies:sync"
)

// DefaultClientAudience is the aud of client access tokens.
const DefaultClientAudience = "werkwijzer-sync"

// ClientSubjectPrefix starts the sub claim of a client token.
const ClientSubjectPrefix = "source:"

// clientTokenType is the typ header of client tokens (RFC 9068).
const clientTokenType = "at+jwt"

// SecretPrefix starts every client secret, so secret scanners and people
// recognise one.
const SecretPrefix = "wws_"

// Client is an authenticated machine client: a vacancy source.
type Client struct {
	// ID is the client id, which is the source's id.
	ID string
	// SecretID is the secret the token was issued for: revoking the
	// secret ends the token.
	SecretID string
	Scopes   []string
	// TokenID is the access token's jti, for logs.
	TokenID   string
	ExpiresAt time.Time
}

// HasScope reports whether the client's token grants scope.
func (c Client) HasScope(scope string) bool { return slices.Contains(c.Scopes, scope) }

type machineClientKey struct{}

// WithClient returns a copy of ctx carrying the authenticated client.
func WithClient(ctx context.Context, c Client) context.Context {
	return context.WithValue(ctx, machineClientKey{}, c)
}

// ClientFrom returns the authenticated client in ctx, if there is one.
func ClientFrom(ctx context.Context) (Client, bool) {
	c, ok := ctx.Value(machineClientKey{}).(Client)
	return c, ok && c.ID != ""
}

// ClientSecretRecord is one stored secret of a client.
type ClientSecretRecord struct {
	ID        string
	Hash      string // hex SHA-256 of the secret
	CreatedAt time.Time
	RevokedAt time.Time // zero while active
}

// ClientCredentials is what the token endpoint needs to know of a client.
type ClientCredentials struct {
	ClientID string
	Active   bool
	Scopes   []string
	Secrets  []ClientSecretRecord
}

// ClientStore is the storage of client credentials. ClientCredentials
// returns an *apperr.Error with code NotFound for an unknown client. Its
// FailureStore counts failed token requests.
type ClientStore interface {
	ClientCredentials(ctx context.Context, clientID string) (ClientCredentials, error)
	// TouchClientSecret records that a secret was used.
	TouchClientSecret(ctx context.Context, secretID string, at time.Time) error
	// ClientSecretLive reports whether the secret secretID of the client
	// is not revoked and the client is active.
	ClientSecretLive(ctx context.Context, clientID, secretID string) (bool, error)
	FailureStore
}

// ClientConfig configures Clients.
type ClientConfig struct {
	// Keys sign and verify the tokens: the editors' key ring, so one
	// rotation covers both.
	Keys *KeyRing
	// Issuer is the iss (default DefaultIssuer); Audience the aud
	// (default DefaultClientAudience), which must differ from the
	// editors' audience.
	Issuer   string
	Audience string
	// TokenTTL is how long a token is accepted (default 15 minutes).
	TokenTTL time.Duration
	// Limits slow down and bound failed token requests per client id and
	// address, like editors' sign-ins.
	Limits LoginLimits
	Now    func() time.Time
	Log    *slog.Logger // default slog.Default()
}

// Clients issues and verifies machine clients' access tokens.
type Clients struct {
	store    ClientStore
	keys     *KeyRing
	issuer   string
	audience string
	ttl      time.Duration
	throttle throttle
	now      func() time.Time
	parser   *jwt.Parser
}

// NewClients returns the machine-client service over store.
func NewClients(store ClientStore, cfg ClientConfig) (*Clients, error) {
	if store == nil {
		return nil, errors.New("account: no client store")
	}
	if cfg.Keys == nil {
		return nil, errors.New("account: no JWT keys for client tokens")
	}
	if cfg.TokenTTL < 0 {
		return nil, errors.New("account: negative client token lifetime")
	}
	limits, err := cfg.Limits.withDefaults()
	if err != nil {
		return nil, fmt.Errorf("account: client %w", err)
	}
	log := cfg.Log
	if log == nil {
		log = slog.Default()
	}
	c := &Clients{
		store:    store,
		keys:     cfg.Keys,
		issuer:   or(cfg.Issuer, DefaultIssuer),
		audience: or(cfg.Audience, DefaultClientAudience),
		ttl:      or(cfg.TokenTTL, DefaultAccessTokenTTL),
		throttle: newThrottle(store, limits, log),
		now:      cfg.Now,
	}
	if c.now == nil {
		c.now = time.Now
	}
	c.parser = jwt.NewParser(
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithIssuer(c.issuer),
		jwt.WithAudience(c.audience),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithLeeway(ClockSkew),
		jwt.WithTimeFunc(c.now),
		jwt.WithStrictDecoding(),
	)
	return c, nil
}

// Audience is the aud of the tokens this service issues.
func (c *Clients) Audience() string { return c.audience }

// NewClientSecret returns a new random secret (256 bits, base64url, with
// SecretPrefix) and the hash to store. Only the hash is kept: the secret
// is shown to its owner once.
//
// The hash is a plain SHA-256, not a password hash such as argon2id: a
// password hash is slow to make guessing a human-chosen password costly,
// but nobody can guess a 256-bit random value, so the slowness would only
// make the token endpoint an easy target for exhausting the server's CPU.
func NewClientSecret() (secret, hash string, err error) {
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", "", fmt.Errorf("generate client secret: %w", err)
	}
	secret = SecretPrefix + base64.RawURLEncoding.EncodeToString(raw)
	return secret, HashClientSecret(secret), nil
}

// HashClientSecret is the stored form of a secret: hex SHA-256.
func HashClientSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// SecretHint is the part of a secret that may be shown again, so people
// can tell their secrets apart.
func SecretHint(secret string) string {
	if len(secret) <= len(SecretPrefix)+4 {
		return SecretPrefix + "…"
	}
	return secret[:len(SecretPrefix)+4] + "…"
}

// ClientToken is an access token issued to a client.
type ClientToken struct {
	AccessToken string
	ExpiresAt   time.Time
	Scopes      []string
}

// errInvalidClient is the one failure of client authentication, whatever
// went wrong, so the endpoint never tells which clients exist.
func errInvalidClient() error {
	return apperr.New(apperr.Unauthenticated, "client authentication failed")
}

// IssueToken authenticates a client by id and secret and issues an access
// token for the requested scopes (space-separated; empty: every scope the
// client has). clientAddr is the caller's address, for the limits on
// failures ("" when unknown). Errors: UNAUTHENTICATED for an unknown or
// disabled client or a wrong secret (one generic message); RATE_LIMITED
// with retryAfterSeconds while this client id and address must wait after
// failures, or the address reached its ceiling (see LoginLimits);
// FORBIDDEN when a requested scope is not the client's (OAuth's
// invalid_scope).
func (c *Clients) IssueToken(ctx context.Context, clientID, secret, scope, clientAddr string) (ClientToken, error) {
	now := c.now().UTC().Truncate(time.Microsecond)
	addr := clientKey(clientAddr)
	subject := clientSubject(clientID)
	leave, err := c.throttle.enter(ctx, subject, addr)
	if err != nil {
		return ClientToken{}, fmt.Errorf("client token: %w", err)
	}
	defer leave()
	if err := c.throttle.check(ctx, subject, addr, now); err != nil {
		return ClientToken{}, fmt.Errorf("client token: %w", err)
	}
	matched, err := c.authenticateClient(ctx, clientID, secret)
	if err != nil {
		return ClientToken{}, err
	}
	if matched == nil {
		if err := c.throttle.fail(ctx, subject, addr, now); err != nil {
			return ClientToken{}, fmt.Errorf("client token: %w", err)
		}
		return ClientToken{}, errInvalidClient()
	}
	if err := c.throttle.succeed(ctx, subject, addr); err != nil {
		return ClientToken{}, fmt.Errorf("client token: %w", err)
	}
	granted := matched.scopes
	if requested := strings.Fields(scope); len(requested) > 0 {
		for _, s := range requested {
			if !slices.Contains(matched.scopes, s) {
				return ClientToken{}, apperr.New(apperr.Forbidden, "the scope %q is not granted to this client", s).With("field", "scope")
			}
		}
		granted = requested
	}
	token, expires, err := c.sign(clientID, matched.secretID, granted, now)
	if err != nil {
		return ClientToken{}, err
	}
	// Recording use is bookkeeping; it must not fail a valid sign-in.
	_ = c.store.TouchClientSecret(ctx, matched.secretID, now)
	return ClientToken{AccessToken: token, ExpiresAt: expires, Scopes: granted}, nil
}

// clientMatch is an active client's secret that matched.
type clientMatch struct {
	secretID string
	scopes   []string
}

// authenticateClient returns the active client's secret that secret
// matches, or nil when the id is unknown, the client disabled or the
// secret wrong.
func (c *Clients) authenticateClient(ctx context.Context, clientID, secret string) (*clientMatch, error) {
	// Hash first, whatever the id: an unknown id costs the same work.
	presented := HashClientSecret(secret)
	if _, err := uuid.Parse(clientID); err != nil || len(clientID) != 36 || secret == "" || len(secret) > 256 {
		return nil, nil
	}
	creds, err := c.store.ClientCredentials(ctx, clientID)
	if apperr.Is(err, apperr.NotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("look up client: %w", err)
	}
	var matched *clientMatch
	for _, s := range creds.Secrets {
		// Compare every active secret in constant time, and do not stop
		// at the first match.
		if s.RevokedAt.IsZero() && subtle.ConstantTimeCompare([]byte(s.Hash), []byte(presented)) == 1 {
			matched = &clientMatch{secretID: s.ID, scopes: creds.Scopes}
		}
	}
	if !creds.Active {
		return nil, nil
	}
	return matched, nil
}

// clientSubject is the key a client id's failures are counted under. The
// prefix keeps it apart from editors' email hashes (an email has an @).
func clientSubject(clientID string) string {
	if len(clientID) > maxRefreshTokenLen {
		clientID = clientID[:maxRefreshTokenLen]
	}
	return emailHash("client:" + clientID)
}

// clientClaims are the claims of a client access token (RFC 9068).
type clientClaims struct {
	ClientID string `json:"client_id"`
	Scope    string `json:"scope"`
	// SecretID binds the token to the secret it was issued for.
	SecretID string `json:"secret_id"`
	// Role and Locales belong to editors' tokens; a token with them is not
	// one we issued to a client.
	Role    *json.RawMessage `json:"role,omitempty"`
	Locales *json.RawMessage `json:"locales,omitempty"`
	jwt.RegisteredClaims
}

// Validate adds the checks jwt's validator does not make.
func (c clientClaims) Validate() error {
	id, ok := strings.CutPrefix(c.Subject, ClientSubjectPrefix)
	switch {
	case !ok || id == "":
		return errors.New("sub is not a client")
	case c.ClientID != id:
		return errors.New("client_id does not match sub")
	case c.ID == "":
		return errors.New("no jti claim")
	case c.SecretID == "":
		return errors.New("no secret_id claim")
	case c.IssuedAt == nil:
		return errors.New("no iat claim")
	case strings.TrimSpace(c.Scope) == "":
		return errors.New("no scope claim")
	case c.Role != nil || c.Locales != nil:
		return errors.New("an editor's claims in a client token")
	}
	return nil
}

func (c *Clients) sign(clientID, secretID string, scopes []string, now time.Time) (string, time.Time, error) {
	jti := make([]byte, 16)
	if _, err := rand.Read(jti); err != nil {
		return "", time.Time{}, fmt.Errorf("token id: %w", err)
	}
	issued := now.Truncate(time.Second)
	expires := issued.Add(c.ttl)
	claims := clientClaims{
		ClientID: clientID,
		Scope:    strings.Join(scopes, " "),
		SecretID: secretID,
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    c.issuer,
			Subject:   ClientSubjectPrefix + clientID,
			Audience:  jwt.ClaimStrings{c.audience},
			ExpiresAt: jwt.NewNumericDate(expires),
			NotBefore: jwt.NewNumericDate(issued),
			IssuedAt:  jwt.NewNumericDate(issued),
			ID:        base64.RawURLEncoding.EncodeToString(jti),
		},
	}
	token := jwt.NewWithClaims(jwt.SigningMethodHS256, claims)
	token.Header["kid"] = c.keys.current.id
	token.Header["typ"] = clientTokenType
	signed, err := token.SignedString(c.keys.current.secret)
	if err != nil {
		return "", time.Time{}, fmt.Errorf("sign client token: %w", err)
	}
	return signed, expires, nil
}

// Verify checks a client access token without touching the database: the
// HS256 signature by the key its kid names, the typ header, issuer,
// audience, expiry and the client claims. Any failure is an
// *InvalidTokenError (UNAUTHENTICATED). Verify alone cannot tell a revoked
// secret or a disabled source; Authenticate does.
func (c *Clients) Verify(token string) (Client, error) {
	if len(token) > 8<<10 {
		return Client{}, invalidToken(errors.New("token longer than 8 KiB"))
	}
	var claims clientClaims
	_, err := c.parser.ParseWithClaims(token, &claims, func(t *jwt.Token) (any, error) {
		if typ, _ := t.Header["typ"].(string); !strings.EqualFold(typ, clientTokenType) {
			return nil, fmt.Errorf("typ %q is not a client token", t.Header["typ"])
		}
		if t.Method != jwt.SigningMethodHS256 {
			return nil, fmt.Errorf("alg %v", t.Header["alg"])
		}
		kid, _ := t.Header["kid"].(string)
		secret, ok := c.keys.key(kid)
		if !ok {
			return nil, fmt.Errorf("%w %q", errUnknownKey, kid)
		}
		return secret, nil
	})
	if err != nil {
		return Client{}, invalidToken(err)
	}
	return Client{
		ID:        claims.ClientID,
		SecretID:  claims.SecretID,
		Scopes:    strings.Fields(claims.Scope),
		TokenID:   claims.ID,
		ExpiresAt: claims.ExpiresAt.Time.UTC(),
	}, nil
}

// Authenticate verifies a client access token like Verify and then checks,
// with one indexed query, that the secret it was issued for is not revoked
// (rotateSourceSecret with revokeOthers revokes the old ones) and the
// source is active. A rejected token is an *InvalidTokenError
// (UNAUTHENTICATED); a failing database is any other error.
func (c *Clients) Authenticate(ctx context.Context, token string) (Client, error) {
	client, err := c.Verify(token)
	if err != nil {
		return Client{}, err
	}
	live, err := c.store.ClientSecretLive(ctx, client.ID, client.SecretID)
	if err != nil {
		return Client{}, fmt.Errorf("authenticate client: %w", err)
	}
	if !live {
		return Client{}, invalidToken(errors.New("the secret is revoked or the source disabled"))
	}
	return client, nil
}
