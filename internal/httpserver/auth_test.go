package httpserver_test

import (
	"context"
	"database/sql"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/werkwijzer/werkwijzer/internal/account"
	"github.com/werkwijzer/werkwijzer/internal/database"
	"github.com/werkwijzer/werkwijzer/internal/dbtest"
)

type session struct{ access, refresh string }

func (s session) auth() []string { return []string{"Authorization", "Bearer " + s.access} }

// login signs an existing account in through GraphQL.
func (a *api) login(t testing.TB, email, password string) session {
	t.Helper()
	var res struct {
		Login struct{ AccessToken, RefreshToken string }
	}
	a.post(`mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken refreshToken } }`,
		map[string]any{"e": email, "p": password}).ok(t, &res)
	return session{res.Login.AccessToken, res.Login.RefreshToken}
}

// refresh exchanges a refresh token through GraphQL; it returns the error
// code when that fails.
func (a *api) refresh(t testing.TB, refresh string) (session, string) {
	t.Helper()
	res := a.post(`mutation($r: String!) { refreshToken(refreshToken: $r) { accessToken refreshToken } }`, map[string]any{"r": refresh})
	if len(res.Errors) > 0 {
		return session{}, res.code(t)
	}
	var out struct {
		RefreshToken struct{ AccessToken, RefreshToken string }
	}
	res.ok(t, &out)
	return session{out.RefreshToken.AccessToken, out.RefreshToken.RefreshToken}, ""
}

// meCode asks who the session's access token belongs to and returns the
// error code, or "" when the token works.
func (a *api) meCode(t testing.TB, s session) string {
	t.Helper()
	res := a.post(`{ me { email } }`, nil, s.auth()...)
	if len(res.Errors) == 0 {
		return ""
	}
	return res.code(t)
}

func createAccount(t testing.TB, a *api, email string, role account.Role) account.User {
	t.Helper()
	u, err := a.accounts.CreateUser(account.WithOperator(context.Background()), account.NewUser{Email: email, Role: role, Password: testPassword})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestEndedSessionsEndTheirAccessTokensAtOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		a := newAPI(t, db)
		admin := a.signIn(t, "admin@example.nl", account.RoleAdmin)
		editor := createAccount(t, a, "editor@example.nl", account.RoleEditor)

		t.Run("logout", func(t *testing.T) {
			s := a.login(t, "editor@example.nl", testPassword)
			other := a.login(t, "editor@example.nl", testPassword)
			if code := a.meCode(t, s); code != "" {
				t.Fatalf("a fresh token: %s", code)
			}
			a.post(`mutation($r: String!) { logout(refreshToken: $r) }`, map[string]any{"r": s.refresh}).ok(t, &struct{ Logout bool }{})
			if code := a.meCode(t, s); code != "UNAUTHENTICATED" {
				t.Fatalf("the access token after logout: %q; want UNAUTHENTICATED", code)
			}
			if code := a.meCode(t, other); code != "" {
				t.Fatalf("logout ended another session too: %s", code)
			}
		})

		t.Run("refresh token reuse", func(t *testing.T) {
			first := a.login(t, "editor@example.nl", testPassword)
			second, code := a.refresh(t, first.refresh)
			if code != "" {
				t.Fatal(code)
			}
			// Rotated twice, so not the grace window's just-rotated token.
			third, code := a.refresh(t, second.refresh)
			if code != "" {
				t.Fatal(code)
			}
			if _, code := a.refresh(t, first.refresh); code != "UNAUTHENTICATED" {
				t.Fatalf("reusing a refresh token: %q", code)
			}
			for name, s := range map[string]session{"the first": first, "the rotated": second, "the newest": third} {
				if code := a.meCode(t, s); code != "UNAUTHENTICATED" {
					t.Errorf("%s access token of a session ended as stolen: %q; want UNAUTHENTICATED", name, code)
				}
			}
		})

		t.Run("disable and enable", func(t *testing.T) {
			s := a.login(t, "editor@example.nl", testPassword)
			update := `mutation($id: ID!, $on: Boolean!) { updateUser(id: $id, input: { active: $on }) { active } }`
			a.post(update, map[string]any{"id": editor.ID, "on": false}, admin...).ok(t, &struct{}{})
			if code := a.meCode(t, s); code != "UNAUTHENTICATED" {
				t.Fatalf("a deactivated user's token: %q", code)
			}
			a.post(update, map[string]any{"id": editor.ID, "on": true}, admin...).ok(t, &struct{}{})
			if code := a.meCode(t, s); code != "UNAUTHENTICATED" {
				t.Fatalf("re-enabling brought an old token back: %q", code)
			}
			if code := a.meCode(t, a.login(t, "editor@example.nl", testPassword)); code != "" {
				t.Fatalf("a new sign-in after re-enabling: %s", code)
			}
		})

		t.Run("password change in the same second", func(t *testing.T) {
			// Start at the beginning of a second, so the sign-in and the
			// change fall in one: the old check compared second-truncated
			// times and let such tokens through.
			time.Sleep(time.Until(time.Now().Truncate(time.Second).Add(time.Second)))
			s := a.login(t, "editor@example.nl", testPassword)
			if err := a.accounts.SetPassword(account.WithOperator(context.Background()), editor.ID, "a completely new password"); err != nil {
				t.Fatal(err)
			}
			if code := a.meCode(t, s); code != "UNAUTHENTICATED" {
				t.Fatalf("a token issued just before the password change: %q", code)
			}
		})
	})
}

func TestRotatingASourceSecretWithRevokeOthersEndsItsTokens(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		va := newVacancyAPI(t, db)
		admin := va.signIn(t, "admin@example.nl", account.RoleAdmin)
		c := va.createSource(t, "devries")
		old := va.token(t, c)
		sync := `mutation($in: SyncVacanciesInput!) { syncVacancies(input: $in) { created } }`
		in := map[string]any{"in": map[string]any{"mode": "UPSERT", "items": []any{}}}
		va.post(sync, in, old...).ok(t, &struct{}{})

		var rotated struct{ RotateSourceSecret struct{ ClientSecret string } }
		va.post(`mutation($id: ID!) { rotateSourceSecret(id: $id, revokeOthers: true) { clientSecret } }`,
			map[string]any{"id": c.ClientID}, admin...).ok(t, &rotated)
		if code := va.post(sync, in, old...).code(t); code != "UNAUTHENTICATED" {
			t.Fatalf("a token of the revoked secret synced: %q", code)
		}
		c.ClientSecret = rotated.RotateSourceSecret.ClientSecret
		va.post(sync, in, va.token(t, c)...).ok(t, &struct{}{})

		// Without revokeOthers the previous secret, and its tokens, work on.
		current := va.token(t, c)
		va.post(`mutation($id: ID!) { rotateSourceSecret(id: $id) { clientSecret } }`,
			map[string]any{"id": c.ClientID}, admin...).ok(t, &struct{}{})
		va.post(sync, in, current...).ok(t, &struct{}{})
		// A source has two working secrets at most: the next plain
		// rotation revokes the one current's token was issued for.
		va.post(`mutation($id: ID!) { rotateSourceSecret(id: $id) { clientSecret } }`,
			map[string]any{"id": c.ClientID}, admin...).ok(t, &struct{}{})
		if code := va.post(sync, in, current...).code(t); code != "UNAUTHENTICATED" {
			t.Fatalf("a token of the secret a rotation revoked as the oldest synced: %q", code)
		}
	})
}

func TestDatabaseOutageIsNotUnauthenticated(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		a := newAPI(t, db)
		createAccount(t, a, "editor@example.nl", account.RoleEditor)
		s := a.login(t, "editor@example.nl", testPassword)

		sqlDB, err := db.Gorm.DB()
		if err != nil {
			t.Fatal(err)
		}
		closeDB(t, sqlDB)

		res := a.post(`{ me { email } }`, nil, s.auth()...)
		if res.status != http.StatusServiceUnavailable || res.headers.Get("Retry-After") == "" {
			t.Fatalf("a valid token during an outage: status %d, Retry-After %q; want 503 with Retry-After", res.status, res.headers.Get("Retry-After"))
		}
		if code := res.code(t); code != "INTERNAL" {
			t.Fatalf("a valid token during an outage: %s; want INTERNAL", code)
		}
		if _, code := a.refresh(t, s.refresh); code == "UNAUTHENTICATED" || code == "" {
			t.Fatalf("refreshing during an outage: %q; want INTERNAL, which keeps the session", code)
		}
	})
}

func closeDB(t *testing.T, db *sql.DB) {
	t.Helper()
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestTokenEndpointSlowsDownFailures(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		va := newVacancyAPI(t, db)
		c := va.createSource(t, "devries")
		grant := url.Values{"grant_type": {"client_credentials"}}
		const attacker, owner = "203.0.113.5:1000", "198.51.100.8:2000"
		for i := range 3 {
			if ans := va.tokenRequestFrom(t, attacker, grant, c.ClientID, "wws_guess"); ans.status != http.StatusUnauthorized {
				t.Fatalf("failure %d: %d %v", i+1, ans.status, ans.body)
			}
		}
		ans := va.tokenRequestFrom(t, attacker, grant, c.ClientID, c.ClientSecret)
		if ans.status != http.StatusTooManyRequests || ans.body["error"] != "slow_down" || ans.headers.Get("Retry-After") == "" {
			t.Fatalf("after three failures: %d %v %v; want 429 slow_down with Retry-After", ans.status, ans.body, ans.headers)
		}
		if ans := va.tokenRequestFrom(t, owner, grant, c.ClientID, c.ClientSecret); ans.status != http.StatusOK {
			t.Fatalf("the client from its own address: %d %v", ans.status, ans.body)
		}
		if !strings.Contains(ans.body["error_description"].(string), "seconds") {
			t.Fatalf("error_description %q does not say how long to wait", ans.body["error_description"])
		}
	})
}
