package account_test

import (
	"context"
	"errors"
	"log/slog"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/werkwijzer/werkwijzer/internal/account"
	"github.com/werkwijzer/werkwijzer/internal/apperr"
	"github.com/werkwijzer/werkwijzer/internal/database"
	"github.com/werkwijzer/werkwijzer/internal/dbtest"
	"github.com/werkwijzer/werkwijzer/internal/store"
)

const password = "correct horse battery staple"

var operator = account.WithOperator(context.Background())

func createUser(t *testing.T, svc *account.Service, email string, role account.Role, locales ...string) account.User {
	t.Helper()
	u, err := svc.CreateUser(operator, account.NewUser{Email: email, Role: role, Locales: locales, Password: password})
	if err != nil {
		t.Fatalf("create %s: %v", email, err)
	}
	return u
}

func wantCode(t *testing.T, err error, code apperr.Code) {
	t.Helper()
	if apperr.CodeOf(err) != code || err == nil {
		t.Fatalf("error %v (code %s); want %s", err, apperr.CodeOf(err), code)
	}
}

func TestLoginIssuesTokensAndRefreshRotatesThem(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		clk := newClock()
		svc := newService(t, db, clk, account.Config{})
		u := createUser(t, svc, "Vertaler@Example.nl", account.RoleTranslator, "EN", "nl")
		if u.Email != "vertaler@example.nl" || !reflect.DeepEqual(u.Locales, []string{"nl", "en"}) {
			t.Fatalf("created %+v; want the email normalised and the locales canonical, in configured order", u)
		}
		start := clk.Now()

		tokens, err := svc.Login(ctx, "  VERTALER@example.NL ", password, "192.0.2.1:5000")
		if err != nil {
			t.Fatal(err)
		}
		if tokens.User.ID != u.ID || !tokens.User.LastLoginAt.Equal(start) {
			t.Fatalf("tokens.User = %+v", tokens.User)
		}
		if !tokens.AccessTokenExpiresAt.Equal(start.Add(15*time.Minute)) || !tokens.RefreshTokenExpiresAt.Equal(start.Add(30*24*time.Hour)) {
			t.Fatalf("expiries %v, %v; want 15 minutes and 30 days", tokens.AccessTokenExpiresAt, tokens.RefreshTokenExpiresAt)
		}
		checkTranslatorAccessToken(t, svc, tokens.AccessToken, u.ID)
		checkRefreshRotates(t, svc, clk, tokens)
	})
}

// checkTranslatorAccessToken checks that the access token carries exactly
// the promised claims and header, and verifies to the translator's rights.
func checkTranslatorAccessToken(t *testing.T, svc *account.Service, accessToken, userID string) {
	t.Helper()
	var claims jwt.MapClaims
	parsed, _, err := jwt.NewParser().ParseUnverified(accessToken, &claims)
	if err != nil {
		t.Fatal(err)
	}
	if parsed.Header["alg"] != "HS256" || parsed.Header["kid"] != account.KeyID(testSecret) {
		t.Fatalf("header %v", parsed.Header)
	}
	for _, c := range []string{"sub", "role", "locales", "iss", "aud", "iat", "nbf", "exp", "jti"} {
		if _, ok := claims[c]; !ok {
			t.Errorf("access token lacks %q: %v", c, claims)
		}
	}
	p, err := svc.Verify(accessToken)
	if err != nil {
		t.Fatal(err)
	}
	if p.UserID != userID || p.Role != account.RoleTranslator || !reflect.DeepEqual(p.Locales, []string{"nl", "en"}) {
		t.Fatalf("principal %+v", p)
	}
	if !p.MayEditLocale("en") || p.MayEditLocale("de") || p.Can(account.RoleEditor) {
		t.Fatal("the translator's principal has the wrong rights")
	}
}

// checkRefreshRotates checks that a refresh returns new tokens and that the
// rotated refresh token works in turn.
func checkRefreshRotates(t *testing.T, svc *account.Service, clk *clock, tokens account.Tokens) {
	t.Helper()
	ctx := context.Background()
	clk.Advance(10 * time.Minute)
	second, err := svc.Refresh(ctx, tokens.RefreshToken, "192.0.2.1:5001")
	if err != nil {
		t.Fatal(err)
	}
	if second.RefreshToken == tokens.RefreshToken || second.AccessToken == tokens.AccessToken {
		t.Fatal("refresh returned the same tokens")
	}
	if !second.AccessTokenExpiresAt.Equal(clk.Now().Add(15 * time.Minute)) {
		t.Fatalf("refreshed access token expires %v", second.AccessTokenExpiresAt)
	}
	clk.Advance(10 * time.Minute)
	if _, err := svc.Refresh(ctx, second.RefreshToken, ""); err != nil {
		t.Fatalf("the rotated refresh token does not work: %v", err)
	}
}

func TestReusingARotatedRefreshTokenRevokesTheFamily(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		clk := newClock()
		svc := newService(t, db, clk, account.Config{})
		createUser(t, svc, "editor@example.nl", account.RoleEditor)
		first, err := svc.Login(ctx, "editor@example.nl", password, "")
		if err != nil {
			t.Fatal(err)
		}
		otherSession, err := svc.Login(ctx, "editor@example.nl", password, "")
		if err != nil {
			t.Fatal(err)
		}
		second, err := svc.Refresh(ctx, first.RefreshToken, "")
		if err != nil {
			t.Fatal(err)
		}

		clk.Advance(account.RefreshGraceWindow)
		_, err = svc.Refresh(ctx, first.RefreshToken, "")
		wantCode(t, err, apperr.Unauthenticated)
		_, err = svc.Refresh(ctx, second.RefreshToken, "")
		wantCode(t, err, apperr.Unauthenticated) // the thief's or the owner's successor is dead too

		if _, err := svc.Refresh(ctx, otherSession.RefreshToken, ""); err != nil {
			t.Fatalf("another session of the same user was revoked: %v", err)
		}
	})
}

// racingStore makes the refreshes of one token all read it before any marks
// it used, so the conditional UPDATE alone has to decide the winner. Only
// the first `racers` reads wait; the loser's second look goes through.
type racingStore struct {
	account.Store
	readers *sync.WaitGroup
	reads   *atomic.Int32
	racers  int32
}

func (s racingStore) InTx(ctx context.Context, fn func(account.Store) error) error {
	return s.Store.InTx(ctx, func(tx account.Store) error { return fn(racingStore{tx, s.readers, s.reads, s.racers}) })
}

func (s racingStore) RefreshToken(ctx context.Context, hash string) (account.RefreshToken, error) {
	rt, err := s.Store.RefreshToken(ctx, hash)
	if s.reads.Add(1) <= s.racers {
		s.readers.Done()
		s.readers.Wait()
	}
	return rt, err
}

func TestRefreshRaceIsDecidedByTheConditionalUpdate(t *testing.T) {
	// SQLite takes the write lock at BEGIN, so two refreshes cannot both be
	// inside their transactions; on PostgreSQL they can.
	db := dbtest.Postgres(t)
	ctx := context.Background()
	clk := newClock()
	plain := newService(t, db, clk, account.Config{})
	createUser(t, plain, "editor@example.nl", account.RoleEditor)
	tokens, err := plain.Login(ctx, "editor@example.nl", password, "")
	if err != nil {
		t.Fatal(err)
	}
	var readers sync.WaitGroup
	readers.Add(2)
	racing, err := account.NewService(racingStore{store.NewAccounts(db.Gorm), &readers, new(atomic.Int32), 2}, account.Config{
		Keys: testRing(t), Locales: testLocales(t), Password: cheapPassword, Now: clk.Now,
		Log: slog.New(slog.DiscardHandler),
	})
	if err != nil {
		t.Fatal(err)
	}
	got := refreshAtOnce(t, racing, tokens.RefreshToken, 2)
	if got[0] != got[1] {
		t.Fatalf("two refreshes that both read the unused token got different pairs:\n%+v\n%+v", got[0], got[1])
	}
	if _, err := plain.Refresh(ctx, got[0].refresh, "192.0.2.7"); err != nil {
		t.Fatalf("the shared successor does not refresh: %v", err)
	}
}

func TestRefreshTokenExpiresAndLogoutEndsTheSession(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		clk := newClock()
		svc := newService(t, db, clk, account.Config{RefreshTokenTTL: time.Hour})
		createUser(t, svc, "editor@example.nl", account.RoleEditor)

		a, err := svc.Login(ctx, "editor@example.nl", password, "")
		if err != nil {
			t.Fatal(err)
		}
		clk.Advance(time.Hour)
		_, err = svc.Refresh(ctx, a.RefreshToken, "")
		wantCode(t, err, apperr.Unauthenticated)

		b, err := svc.Login(ctx, "editor@example.nl", password, "")
		if err != nil {
			t.Fatal(err)
		}
		b2, err := svc.Refresh(ctx, b.RefreshToken, "")
		if err != nil {
			t.Fatal(err)
		}
		// Logging out with any token of the family ends it.
		if err := svc.Logout(ctx, b.RefreshToken); err != nil {
			t.Fatal(err)
		}
		_, err = svc.Refresh(ctx, b2.RefreshToken, "")
		wantCode(t, err, apperr.Unauthenticated)
		if err := svc.Logout(ctx, "no-such-token"); err != nil {
			t.Fatalf("logout with an unknown token: %v", err)
		}
		_, err = svc.Refresh(ctx, "", "")
		wantCode(t, err, apperr.Unauthenticated)
		_, err = svc.Refresh(ctx, strings.Repeat("x", 10000), "")
		wantCode(t, err, apperr.Unauthenticated)
	})
}

func TestLoginFailuresAreIndistinguishable(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		svc := newService(t, db, newClock(), account.Config{})
		createUser(t, svc, "editor@example.nl", account.RoleEditor)
		gone := createUser(t, svc, "gone@example.nl", account.RoleEditor)
		active := false
		if _, err := svc.UpdateUser(operator, gone.ID, account.UserUpdate{Active: &active}); err != nil {
			t.Fatal(err)
		}

		_, unknown := svc.Login(ctx, "nobody@example.nl", password, "")
		_, wrong := svc.Login(ctx, "editor@example.nl", "not the password at all", "")
		_, deactivated := svc.Login(ctx, "gone@example.nl", password, "")
		_, tooLong := svc.Login(ctx, "editor@example.nl", strings.Repeat("x", 5000), "")
		_, malformed := svc.Login(ctx, "not an email", password, "")
		wantCode(t, unknown, apperr.Unauthenticated)
		for name, err := range map[string]error{"wrong password": wrong, "deactivated": deactivated, "too long": tooLong, "malformed email": malformed} {
			if !reflect.DeepEqual(err, unknown) {
				t.Errorf("%s: %#v; unknown user: %#v; want identical errors", name, err, unknown)
			}
		}
	})
}

func TestDeactivatedUsersLoseTheirSessions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		svc := newService(t, db, newClock(), account.Config{})
		createUser(t, svc, "admin@example.nl", account.RoleAdmin)
		editor := createUser(t, svc, "editor@example.nl", account.RoleEditor)
		tokens, err := svc.Login(ctx, "editor@example.nl", password, "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Authenticate(ctx, tokens.AccessToken); err != nil {
			t.Fatal(err)
		}
		inactive := false
		if _, err := svc.UpdateUser(operator, editor.ID, account.UserUpdate{Active: &inactive}); err != nil {
			t.Fatal(err)
		}
		_, err = svc.Refresh(ctx, tokens.RefreshToken, "")
		wantCode(t, err, apperr.Unauthenticated)
		_, err = svc.Authenticate(ctx, tokens.AccessToken)
		wantCode(t, err, apperr.Unauthenticated)
		if _, err := svc.Verify(tokens.AccessToken); err != nil {
			t.Fatalf("Verify is meant to stay pure and accept the unexpired token: %v", err)
		}
		_, err = svc.Login(ctx, "editor@example.nl", password, "")
		wantCode(t, err, apperr.Unauthenticated)
	})
}

func TestAuthenticateSeesRoleAndPasswordChanges(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		clk := newClock()
		svc := newService(t, db, clk, account.Config{})
		createUser(t, svc, "admin@example.nl", account.RoleAdmin)
		u := createUser(t, svc, "editor@example.nl", account.RoleEditor)
		tokens, err := svc.Login(ctx, "editor@example.nl", password, "")
		if err != nil {
			t.Fatal(err)
		}
		translator := account.RoleTranslator
		if _, err := svc.UpdateUser(operator, u.ID, account.UserUpdate{Role: &translator, Locales: &[]string{"de"}}); err != nil {
			t.Fatal(err)
		}
		p, err := svc.Authenticate(ctx, tokens.AccessToken)
		if err != nil {
			t.Fatal(err)
		}
		if p.Role != account.RoleTranslator || !reflect.DeepEqual(p.Locales, []string{"de"}) || p.Can(account.RoleEditor) {
			t.Fatalf("Authenticate kept the token's old role: %+v", p)
		}

		clk.Advance(2 * time.Second)
		if err := svc.SetPassword(operator, u.ID, "a brand new password"); err != nil {
			t.Fatal(err)
		}
		_, err = svc.Authenticate(ctx, tokens.AccessToken)
		wantCode(t, err, apperr.Unauthenticated)
		_, err = svc.Refresh(ctx, tokens.RefreshToken, "")
		wantCode(t, err, apperr.Unauthenticated)
		_, err = svc.Login(ctx, "editor@example.nl", password, "")
		wantCode(t, err, apperr.Unauthenticated)
		fresh, err := svc.Login(ctx, "editor@example.nl", "a brand new password", "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Authenticate(ctx, fresh.AccessToken); err != nil {
			t.Fatalf("a token issued after the password change: %v", err)
		}
	})
}

func TestCreateUserValidates(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		svc := newService(t, db, newClock(), account.Config{})
		createUser(t, svc, "taken@example.nl", account.RoleEditor)
		for _, tc := range []struct {
			name string
			nu   account.NewUser
			code apperr.Code
		}{
			{"short password", account.NewUser{Email: "a@example.nl", Role: account.RoleEditor, Password: "elevenchars"}, apperr.BadUserInput},
			{"long password", account.NewUser{Email: "a@example.nl", Role: account.RoleEditor, Password: strings.Repeat("x", 1025)}, apperr.BadUserInput},
			{"unknown role", account.NewUser{Email: "a@example.nl", Role: "ROOT", Password: password}, apperr.BadUserInput},
			{"no role", account.NewUser{Email: "a@example.nl", Password: password}, apperr.BadUserInput},
			{"translator without locales", account.NewUser{Email: "a@example.nl", Role: account.RoleTranslator, Password: password}, apperr.BadUserInput},
			{"unsupported locale", account.NewUser{Email: "a@example.nl", Role: account.RoleTranslator, Locales: []string{"fr"}, Password: password}, apperr.BadUserInput},
			{"editor with locales", account.NewUser{Email: "a@example.nl", Role: account.RoleEditor, Locales: []string{"nl"}, Password: password}, apperr.BadUserInput},
			{"invalid email", account.NewUser{Email: "a@", Role: account.RoleEditor, Password: password}, apperr.BadUserInput},
			{"taken email in another case", account.NewUser{Email: " Taken@Example.NL", Role: account.RoleAdmin, Password: password}, apperr.Conflict},
		} {
			_, err := svc.CreateUser(operator, tc.nu)
			if apperr.CodeOf(err) != tc.code {
				t.Errorf("%s: %v; want %s", tc.name, err, tc.code)
			}
		}
		users, err := svc.ListUsers(operator)
		if err != nil || len(users) != 1 {
			t.Fatalf("ListUsers = %d users, %v; want only the first", len(users), err)
		}
	})
}

func TestUserManagementNeedsAnAdmin(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		svc := newService(t, db, newClock(), account.Config{})
		admin := createUser(t, svc, "admin@example.nl", account.RoleAdmin)
		editor := createUser(t, svc, "editor@example.nl", account.RoleEditor)
		asEditor := account.WithPrincipal(context.Background(), account.Principal{UserID: editor.ID, Role: account.RoleEditor})
		asAdmin := account.WithPrincipal(context.Background(), account.Principal{UserID: admin.ID, Role: account.RoleAdmin})
		anonymous := context.Background()
		nu := account.NewUser{Email: "new@example.nl", Role: account.RoleEditor, Password: password}

		_, err := svc.CreateUser(asEditor, nu)
		wantCode(t, err, apperr.Forbidden)
		_, err = svc.CreateUser(anonymous, nu)
		wantCode(t, err, apperr.Unauthenticated)
		wantCode(t, svc.SetPassword(asEditor, admin.ID, "taking over the admin"), apperr.Forbidden)
		_, err = svc.UpdateUser(asEditor, editor.ID, account.UserUpdate{Role: ptr(account.RoleAdmin)})
		wantCode(t, err, apperr.Forbidden)
		_, err = svc.ListUsers(asEditor)
		wantCode(t, err, apperr.Forbidden)
		_, err = svc.UserByID(asEditor, admin.ID)
		wantCode(t, err, apperr.Forbidden)
		_, err = svc.UserByEmail(asEditor, "admin@example.nl")
		wantCode(t, err, apperr.Forbidden)

		if me, err := svc.UserByID(asEditor, editor.ID); err != nil || me.Email != "editor@example.nl" {
			t.Fatalf("reading one's own account: %+v, %v", me, err)
		}
		if _, err := svc.CreateUser(asAdmin, nu); err != nil {
			t.Fatalf("an admin cannot create users: %v", err)
		}
		_, err = svc.UserByID(asAdmin, "no-such-id")
		wantCode(t, err, apperr.NotFound)
	})
}

func ptr[T any](v T) *T { return &v }

func TestTheLastActiveAdminStays(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		svc := newService(t, db, newClock(), account.Config{})
		first := createUser(t, svc, "first@example.nl", account.RoleAdmin)
		_, err := svc.UpdateUser(operator, first.ID, account.UserUpdate{Role: ptr(account.RoleEditor)})
		wantCode(t, err, apperr.Conflict)
		_, err = svc.UpdateUser(operator, first.ID, account.UserUpdate{Active: ptr(false)})
		wantCode(t, err, apperr.Conflict)

		second := createUser(t, svc, "second@example.nl", account.RoleEditor)
		if _, err := svc.UpdateUser(operator, second.ID, account.UserUpdate{Role: ptr(account.RoleAdmin)}); err != nil {
			t.Fatal(err)
		}
		demoted, err := svc.UpdateUser(operator, first.ID, account.UserUpdate{Role: ptr(account.RoleTranslator), Locales: &[]string{"en"}})
		if err != nil {
			t.Fatalf("demoting one of two admins: %v", err)
		}
		if demoted.Role != account.RoleTranslator || !reflect.DeepEqual(demoted.Locales, []string{"en"}) {
			t.Fatalf("demoted = %+v", demoted)
		}
		back, err := svc.UpdateUser(operator, first.ID, account.UserUpdate{Role: ptr(account.RoleEditor)})
		if err != nil || len(back.Locales) != 0 {
			t.Fatalf("a translator made editor keeps locales %v (%v)", back.Locales, err)
		}
		_, err = svc.UpdateUser(operator, first.ID, account.UserUpdate{Role: ptr(account.RoleTranslator)})
		wantCode(t, err, apperr.BadUserInput) // a translator needs locales
		stored, err := svc.UserByID(operator, first.ID)
		if err != nil || stored.Role != account.RoleEditor {
			t.Fatalf("a refused update changed the user: %+v, %v", stored, err)
		}
	})
}

func TestLoginUpgradesAnOutdatedHash(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		clk := newClock()
		weak := newService(t, db, clk, account.Config{})
		u := createUser(t, weak, "editor@example.nl", account.RoleEditor)
		strong := newService(t, db, clk, account.Config{Password: account.PasswordParams{Memory: 128, Time: 2, Threads: 1}})
		if _, err := strong.Login(ctx, "editor@example.nl", password, ""); err != nil {
			t.Fatal(err)
		}
		creds, err := store.NewAccounts(db.Gorm).Credentials(ctx, "editor@example.nl")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(creds.PasswordHash, "$argon2id$v=19$m=128,t=2,p=1$") {
			t.Fatalf("hash after sign-in with stronger parameters: %s", creds.PasswordHash)
		}
		if !creds.User.PasswordChangedAt.Equal(u.PasswordChangedAt) {
			t.Fatal("rehashing counted as a password change")
		}
		if _, err := strong.Login(ctx, "editor@example.nl", password, ""); err != nil {
			t.Fatalf("sign-in with the upgraded hash: %v", err)
		}
	})
}

func TestHasUsers(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		svc := newService(t, db, newClock(), account.Config{})
		if has, err := svc.HasUsers(context.Background()); err != nil || has {
			t.Fatalf("HasUsers on an empty database = %v, %v", has, err)
		}
		createUser(t, svc, "admin@example.nl", account.RoleAdmin)
		if has, err := svc.HasUsers(context.Background()); err != nil || !has {
			t.Fatalf("HasUsers with a user = %v, %v", has, err)
		}
	})
}

func TestNoKeysNoTokens(t *testing.T) {
	db := dbtest.SQLite(t)
	svc, err := account.NewService(store.NewAccounts(db.Gorm), account.Config{Locales: testLocales(t), Password: cheapPassword})
	if err != nil {
		t.Fatal(err)
	}
	createUser(t, svc, "admin@example.nl", account.RoleAdmin)
	if _, err := svc.Login(context.Background(), "admin@example.nl", password, ""); err == nil {
		t.Fatal("Login without keys succeeded")
	}
	_, err = svc.Verify("x.y.z")
	wantCode(t, err, apperr.Unauthenticated)
}

func TestEveryFailedLoginDoesOnePasswordCheck(t *testing.T) {
	// An unknown, deactivated or malformed account must cost what a wrong
	// password costs, or the answer's timing tells which accounts exist:
	// exactly one argon2id verification each, and no other hashing.
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		svc := newService(t, db, newClock(), account.Config{})
		createUser(t, svc, "editor@example.nl", account.RoleEditor)
		gone := createUser(t, svc, "gone@example.nl", account.RoleEditor)
		if _, err := svc.UpdateUser(operator, gone.ID, account.UserUpdate{Active: ptr(false)}); err != nil {
			t.Fatal(err)
		}
		broken := createUser(t, svc, "broken@example.nl", account.RoleEditor)
		if err := store.NewAccounts(db.Gorm).SetPasswordHash(ctx, broken.ID, "$argon2id$broken", broken.PasswordChangedAt); err != nil {
			t.Fatal(err)
		}
		counts := account.CountPasswordHashing(svc)
		if _, err := svc.Login(ctx, "nobody@example.nl", "wrong password!", "a"); err == nil {
			t.Fatal("unknown account signed in")
		}
		for i, try := range [][2]string{
			{"nobody@example.nl", "wrong password!"},
			{"editor@example.nl", "wrong password!"},
			{"gone@example.nl", password},
			{"broken@example.nl", password},
			{"not an email", password},
			{"editor@example.nl", strings.Repeat("x", 5000)},
		} {
			counts.Reset()
			_, err := svc.Login(ctx, try[0], try[1], "192.0.2."+string(rune('1'+i)))
			wantCode(t, err, apperr.Unauthenticated)
			if v, h := counts.Verifies(), counts.Hashes(); v != 1 || h != 0 {
				t.Errorf("login as %q: %d verifications and %d new hashes; want exactly 1 verification", try[0], v, h)
			}
		}
	})
}

// failingUserStore fails reading users inside transactions, as a database
// that goes away in the middle of a refresh would.
type failingUserStore struct{ account.Store }

func (s failingUserStore) InTx(ctx context.Context, fn func(account.Store) error) error {
	return s.Store.InTx(ctx, func(tx account.Store) error { return fn(failingUserStore{tx}) })
}

func (s failingUserStore) User(context.Context, string) (account.User, error) {
	return account.User{}, errors.New("connection reset by peer")
}

func TestRefreshKeepsTheSessionWhenTheDatabaseFails(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		clk := newClock()
		plain := newService(t, db, clk, account.Config{})
		createUser(t, plain, "editor@example.nl", account.RoleEditor)
		tokens, err := plain.Login(ctx, "editor@example.nl", password, "")
		if err != nil {
			t.Fatal(err)
		}
		failing, err := account.NewService(failingUserStore{store.NewAccounts(db.Gorm)}, account.Config{
			Keys: testRing(t), Locales: testLocales(t), Password: cheapPassword, Now: clk.Now,
			Log: slog.New(slog.DiscardHandler),
		})
		if err != nil {
			t.Fatal(err)
		}
		_, err = failing.Refresh(ctx, tokens.RefreshToken, "")
		wantCode(t, err, apperr.Internal)
		// Nothing of the failed attempt stuck: the token is neither used
		// nor revoked, and the session's access token still works.
		if _, err := plain.Authenticate(ctx, tokens.AccessToken); err != nil {
			t.Fatalf("the session ended after a database error: %v", err)
		}
		if _, err := plain.Refresh(ctx, tokens.RefreshToken, ""); err != nil {
			t.Fatalf("the refresh token was spent by a failed refresh: %v", err)
		}
	})
}

// failingPasswordStore fails storing password hashes inside transactions,
// as a database that goes away between two writes would.
type failingPasswordStore struct{ account.Store }

func (s failingPasswordStore) InTx(ctx context.Context, fn func(account.Store) error) error {
	return s.Store.InTx(ctx, func(tx account.Store) error { return fn(failingPasswordStore{tx}) })
}

func (s failingPasswordStore) SetPasswordHash(context.Context, string, string, time.Time) error {
	return errors.New("connection reset by peer")
}

func TestUpdateUserChangesRoleAndPasswordTogetherOrNotAtAll(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		clk := newClock()
		plain := newService(t, db, clk, account.Config{})
		u := createUser(t, plain, "editor@example.nl", account.RoleEditor)
		failing, err := account.NewService(failingPasswordStore{store.NewAccounts(db.Gorm)}, account.Config{
			Keys: testRing(t), Locales: testLocales(t), Password: cheapPassword, Now: clk.Now,
			Log: slog.New(slog.DiscardHandler),
		})
		if err != nil {
			t.Fatal(err)
		}
		const newPassword = "a completely new password"
		both := account.UserUpdate{Role: ptr(account.RoleAdmin), Password: ptr(newPassword)}

		_, err = failing.UpdateUser(operator, u.ID, both)
		wantCode(t, err, apperr.Internal)
		// A password the policy refuses changes nothing either.
		_, err = plain.UpdateUser(operator, u.ID, account.UserUpdate{Role: ptr(account.RoleAdmin), Password: ptr("short")})
		wantCode(t, err, apperr.BadUserInput)
		if got, err := plain.UserByID(operator, u.ID); err != nil || got.Role != account.RoleEditor {
			t.Fatalf("after failed password changes the user is %+v (%v); want the role still EDITOR", got, err)
		}
		if _, err := plain.Login(ctx, u.Email, password, ""); err != nil {
			t.Fatalf("the old password stopped working: %v", err)
		}

		updated, err := plain.UpdateUser(operator, u.ID, both)
		if err != nil {
			t.Fatal(err)
		}
		if updated.Role != account.RoleAdmin || !updated.PasswordChangedAt.Equal(clk.Now()) {
			t.Fatalf("updated = %+v; want ADMIN with the password changed now", updated)
		}
		if _, err := plain.Login(ctx, u.Email, newPassword, ""); err != nil {
			t.Fatalf("the new password does not work: %v", err)
		}
		_, err = plain.Login(ctx, u.Email, password, "")
		wantCode(t, err, apperr.Unauthenticated)
	})
}

// Saving a translator's role again, without naming locales, keeps the
// locales they have; only a change to another role clears them.
func TestResavingTheTranslatorRoleKeepsItsLocales(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		svc := newService(t, db, newClock(), account.Config{})
		u := createUser(t, svc, "vertaler@example.nl", account.RoleTranslator, "en", "de")
		got, err := svc.UpdateUser(operator, u.ID, account.UserUpdate{Role: ptr(account.RoleTranslator)})
		if err != nil || !reflect.DeepEqual(got.Locales, []string{"en", "de"}) {
			t.Fatalf("re-saving TRANSLATOR: %+v, %v; want the locales en, de kept", got.Locales, err)
		}
		got, err = svc.UpdateUser(operator, u.ID, account.UserUpdate{Role: ptr(account.RoleEditor)})
		if err != nil || len(got.Locales) != 0 {
			t.Fatalf("TRANSLATOR to EDITOR: %+v, %v; want no locales", got.Locales, err)
		}
	})
}

// tokenLookups counts the refresh-token lookups that reach the store.
type tokenLookups struct {
	account.Store
	n *int
}

func (s tokenLookups) InTx(ctx context.Context, fn func(account.Store) error) error {
	return s.Store.InTx(ctx, func(tx account.Store) error { return fn(tokenLookups{tx, s.n}) })
}

func (s tokenLookups) RefreshToken(ctx context.Context, hash string) (account.RefreshToken, error) {
	*s.n++
	return s.Store.RefreshToken(ctx, hash)
}

// An empty or over-long refresh token is refused without a database
// round trip; one of the longest allowed length is looked up.
func TestMalformedRefreshTokensNeverReachTheStore(t *testing.T) {
	ctx := context.Background()
	db := dbtest.SQLite(t)
	clk := newClock()
	lookups := 0
	svc, err := account.NewService(tokenLookups{store.NewAccounts(db.Gorm), &lookups}, account.Config{
		Keys: testRing(t), Locales: testLocales(t), Password: cheapPassword, Now: clk.Now,
		Log: slog.New(slog.DiscardHandler),
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, token := range []string{"", strings.Repeat("r", 257)} {
		_, err := svc.Refresh(ctx, token, "")
		wantCode(t, err, apperr.Unauthenticated)
		if err := svc.Logout(ctx, token); err != nil {
			t.Fatalf("logout with a %d-byte token: %v", len(token), err)
		}
	}
	if lookups != 0 {
		t.Fatalf("%d lookups of malformed refresh tokens reached the store", lookups)
	}
	longest := strings.Repeat("r", 256)
	_, err = svc.Refresh(ctx, longest, "")
	wantCode(t, err, apperr.Unauthenticated)
	if err := svc.Logout(ctx, longest); err != nil {
		t.Fatal(err)
	}
	if lookups != 2 {
		t.Fatalf("a 256-byte token was looked up %d times; want once by Refresh and once by Logout", lookups)
	}
}

func TestColleaguesNamesOnlyTheAskedForToSignedInCallers(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		svc := newService(t, db, newClock(), account.Config{})
		editor := createUser(t, svc, "editor@example.nl", account.RoleEditor)
		createUser(t, svc, "other@example.nl", account.RoleTranslator, "en")
		asEditor := account.WithPrincipal(context.Background(), account.Principal{UserID: editor.ID, Role: account.RoleEditor})
		found, err := svc.Colleagues(asEditor, []string{editor.ID, "01939a4e-1111-7000-8000-000000000009"})
		if err != nil || len(found) != 1 || found[editor.ID].Email != "editor@example.nl" {
			t.Fatalf("Colleagues = %+v, %v; want only the editor", found, err)
		}
		if found, err := svc.Colleagues(asEditor, nil); err != nil || found == nil || len(found) != 0 {
			t.Fatalf("Colleagues of nobody = %#v, %v; want an empty map", found, err)
		}
		_, err = svc.Colleagues(context.Background(), []string{editor.ID})
		wantCode(t, err, apperr.Unauthenticated)
	})
}
