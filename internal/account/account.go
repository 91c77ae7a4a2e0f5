// Package account holds the people who edit Werkwijzer's content: users
// with a role, their argon2id password hashes, the short-lived access
// tokens (JWT, HS256) they present on every request and the single-use
// refresh tokens that renew them, and the limits on failed sign-ins
// (LoginLimits).
//
// Roles are ordered: an ADMIN may do everything, including managing users;
// an EDITOR may change and publish all content; a TRANSLATOR may only edit
// drafts in the locales assigned to them and may not create or delete
// entries or publish. Principal carries who is calling through a context;
// Principal.Can and Principal.MayEditLocale are the checks the other
// services make.
//
// Every failure a caller can act on is an *apperr.Error. Sign-in failures
// are UNAUTHENTICATED with one generic message whatever went wrong, so the
// API never tells whether an account exists; too many of them give
// RATE_LIMITED with a retryAfterSeconds detail. Storage is behind Store.
package account

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/werkwijzer/werkwijzer/internal/apperr"
)

// Role is what a user may do. Roles are ordered: ADMIN > EDITOR > TRANSLATOR.
type Role string

const (
	// RoleAdmin may do everything, including managing users and API tokens.
	RoleAdmin Role = "ADMIN"
	// RoleEditor may change, create, delete and publish all content.
	RoleEditor Role = "EDITOR"
	// RoleTranslator may edit drafts in their assigned locales only.
	RoleTranslator Role = "TRANSLATOR"
)

// Roles lists every role, most powerful first.
var Roles = []Role{RoleAdmin, RoleEditor, RoleTranslator}

// ParseRole returns the role named s, ignoring case and surrounding space,
// or a BAD_USER_INPUT error naming the roles.
func ParseRole(s string) (Role, error) {
	r := Role(strings.ToUpper(strings.TrimSpace(s)))
	if !r.Valid() {
		return "", apperr.Invalid(apperr.UnsupportedValue, "unknown role %q; want ADMIN, EDITOR or TRANSLATOR", s).
			With("field", "role").With("allowed", Roles)
	}
	return r, nil
}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return r.rank() > 0 }

func (r Role) rank() int {
	switch r {
	case RoleAdmin:
		return 3
	case RoleEditor:
		return 2
	case RoleTranslator:
		return 1
	}
	return 0
}

// AtLeast reports whether r may do everything min may. An unknown role is
// never at least anything.
func (r Role) AtLeast(min Role) bool { return r.Valid() && min.Valid() && r.rank() >= min.rank() }

// User is an account as the rest of the system sees it; the password hash
// never leaves this package and the store.
type User struct {
	ID    string // UUIDv7
	Email string // normalised: trimmed and lower case; unique
	Role  Role
	// Locales are the locales a TRANSLATOR may edit, canonical codes in
	// the configured order; empty for every other role.
	Locales []string
	// Active is false once an admin deactivated the account: it can no
	// longer sign in and its sessions are revoked.
	Active            bool
	CreatedAt         time.Time
	UpdatedAt         time.Time
	PasswordChangedAt time.Time
	LastLoginAt       time.Time // zero if the user never signed in
}

// Principal is the authenticated caller of a request.
type Principal struct {
	UserID string
	Role   Role
	// Locales are a TRANSLATOR's locales; empty for other roles.
	Locales []string
	// TokenID is the access token's jti, for logs.
	TokenID string
	// SessionID is the session (refresh-token family) the token belongs to.
	SessionID string
	// IssuedAt and ExpiresAt bound the access token's validity.
	IssuedAt  time.Time
	ExpiresAt time.Time
}

// Can reports whether p holds role or a more powerful one: Can(RoleEditor)
// is true for editors and admins. The zero Principal (anonymous) can nothing.
func (p Principal) Can(role Role) bool { return p.UserID != "" && p.Role.AtLeast(role) }

// MayEditLocale reports whether p may edit drafts in the locale loc (a
// canonical code such as "nl" or "en-GB"; compared without regard to case):
// editors and admins may edit every locale, translators only their own.
func (p Principal) MayEditLocale(loc string) bool {
	if p.Can(RoleEditor) {
		return true
	}
	if !p.Can(RoleTranslator) {
		return false
	}
	return slices.ContainsFunc(p.Locales, func(l string) bool { return strings.EqualFold(l, loc) })
}

type principalKey struct{}

type operatorKey struct{}

// WithPrincipal returns a copy of ctx carrying p.
func WithPrincipal(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// PrincipalFrom returns the principal in ctx, if there is one.
func PrincipalFrom(ctx context.Context) (Principal, bool) {
	p, ok := ctx.Value(principalKey{}).(Principal)
	return p, ok && p.UserID != ""
}

type authFailureKey struct{}

// WithAuthFailure records that the request carried credentials that did
// not authenticate (err says why, for logs). Public reads still answer,
// anonymously; Authorize then tells the caller their token failed rather
// than asking them to sign in.
func WithAuthFailure(ctx context.Context, err error) context.Context {
	return context.WithValue(ctx, authFailureKey{}, err)
}

// AuthFailure returns what WithAuthFailure recorded, or nil.
func AuthFailure(ctx context.Context) error {
	err, _ := ctx.Value(authFailureKey{}).(error)
	return err
}

type clientAddrKey struct{}

// WithClientAddr records the address of the request's client (as the
// server's trusted proxies report it), for sign-in and rate limits.
func WithClientAddr(ctx context.Context, addr string) context.Context {
	return context.WithValue(ctx, clientAddrKey{}, addr)
}

// ClientAddr returns the address WithClientAddr recorded, or "".
func ClientAddr(ctx context.Context) string {
	addr, _ := ctx.Value(clientAddrKey{}).(string)
	return addr
}

// WithOperator returns a copy of ctx that acts as the server's operator:
// someone with shell access, such as the "werkwijzer user" command, who may
// manage users without signing in (that is how the first admin is
// created). Never call it on a request's context.
func WithOperator(ctx context.Context) context.Context {
	return context.WithValue(ctx, operatorKey{}, true)
}

// IsOperator reports whether ctx acts as the server's operator (see
// WithOperator). Authorize lets the operator do everything; the few
// actions only the server itself may take (the scheduled pull) ask this.
func IsOperator(ctx context.Context) bool {
	on, _ := ctx.Value(operatorKey{}).(bool)
	return on
}

// NormalizeEmail trims s and lower-cases it, and checks that the result is
// a plain address (local@domain, no display name, at most 254 bytes).
func NormalizeEmail(s string) (string, error) {
	email := strings.ToLower(strings.TrimSpace(s))
	bad := func(reason string) error {
		return apperr.Invalid(apperr.InvalidEmail, "invalid email address %q: %s", s, reason).With("field", "email")
	}
	if email == "" {
		return "", bad("it is empty")
	}
	if len(email) > 254 {
		return "", bad("it is longer than 254 bytes")
	}
	local, domain, ok := strings.Cut(email, "@")
	if !ok || local == "" || domain == "" || strings.Contains(domain, "@") {
		return "", bad("want local-part@domain")
	}
	if strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") || strings.Contains(domain, "..") {
		return "", bad("the domain is malformed")
	}
	for _, c := range email {
		if c <= ' ' || c == 0x7f || strings.ContainsRune(`"(),:;<>[\]`, c) {
			return "", bad(fmt.Sprintf("it contains %q", c))
		}
	}
	return email, nil
}
