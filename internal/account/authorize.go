package account

import (
	"context"

	"github.com/werkwijzer/werkwijzer/internal/apperr"
)

// Actor is who acts on a domain service: a signed-in user, or the server's
// operator (the seed loader, the command line, importers, the scheduled
// pull), who acts as nobody in particular and may do everything.
type Actor struct {
	Principal
	// Operator is true for the server's operator; Principal is then zero
	// and audit rows name nobody (UserID "").
	Operator bool
}

// Can reports whether a holds role or a more powerful one; the operator
// holds every role.
func (a Actor) Can(role Role) bool { return a.Operator || a.Principal.Can(role) }

// MayEditLocale reports whether a may edit drafts in loc; the operator
// may edit every locale.
func (a Actor) MayEditLocale(loc string) bool { return a.Operator || a.Principal.MayEditLocale(loc) }

// Authorize returns who acts in ctx and checks that they hold need: the
// operator always passes; a machine client (a vacancy source's token) never
// does, whatever it asks, since its token grants only its scopes (FORBIDDEN);
// an anonymous caller gets UNAUTHENTICATED (saying that the token failed
// when the request carried one, see WithAuthFailure) and a user with a lesser role
// FORBIDDEN with a requiredRole detail. action completes "sign in to …" and
// "a TRANSLATOR may not …" in the messages.
func Authorize(ctx context.Context, need Role, action string) (Actor, error) {
	if IsOperator(ctx) {
		return Actor{Operator: true}, nil
	}
	p, signedIn := PrincipalFrom(ctx)
	if _, machine := ClientFrom(ctx); machine && !signedIn {
		return Actor{}, apperr.New(apperr.Forbidden, "a machine client's token may not %s; it takes a signed-in %s", action, need).
			With("requiredRole", string(need))
	}
	if !signedIn && AuthFailure(ctx) != nil {
		return Actor{}, apperr.New(apperr.Unauthenticated, "the access token is invalid or has expired: refresh it or sign in again")
	}
	if !signedIn {
		return Actor{}, apperr.New(apperr.Unauthenticated, "sign in to %s", action)
	}
	if !p.Can(need) {
		return Actor{}, apperr.New(apperr.Forbidden, "a %s may not %s; it takes %s", p.Role, action, need).
			With("requiredRole", string(need))
	}
	return Actor{Principal: p}, nil
}
