package store_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/werkwijzer/werkwijzer/internal/account"
	"github.com/werkwijzer/werkwijzer/internal/apperr"
	"github.com/werkwijzer/werkwijzer/internal/database"
	"github.com/werkwijzer/werkwijzer/internal/dbtest"
	"github.com/werkwijzer/werkwijzer/internal/store"
)

// acctT0 has a fractional second, as the service's clock does.
var acctT0 = time.Date(2026, 5, 4, 10, 0, 0, 123456000, time.UTC)

const acctHash = "$argon2id$v=19$m=64,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g"

func acctUser(id, email string, role account.Role, locales ...string) account.User {
	return account.User{
		ID: id, Email: email, Role: role, Locales: locales, Active: true,
		CreatedAt: acctT0, UpdatedAt: acctT0, PasswordChangedAt: acctT0,
	}
}

func mustCreateUser(t *testing.T, s *store.Accounts, u account.User) {
	t.Helper()
	if err := s.CreateUser(context.Background(), u, acctHash); err != nil {
		t.Fatalf("create user %s: %v", u.Email, err)
	}
}

func TestAccountsStoresUsers(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		s := store.NewAccounts(db.Gorm)
		if has, err := s.HasUsers(ctx); err != nil || has {
			t.Fatalf("HasUsers on an empty database = %v, %v", has, err)
		}
		tr := acctUser("u-2", "tr@example.nl", account.RoleTranslator, "nl", "en")
		mustCreateUser(t, s, tr)
		mustCreateUser(t, s, acctUser("u-1", "admin@example.nl", account.RoleAdmin))
		checkUsersRead(t, s, tr)
		checkUserLookupErrors(t, s)
		checkUserUpdates(t, s, tr)
	})
}

// checkUsersRead checks that the two users created are read back whole, by
// id, by email and in the list.
func checkUsersRead(t *testing.T, s *store.Accounts, tr account.User) {
	t.Helper()
	ctx := context.Background()
	got, err := s.User(ctx, "u-2")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, tr) {
		t.Fatalf("User = %+v\nwant  %+v", got, tr)
	}
	creds, err := s.Credentials(ctx, "tr@example.nl")
	if err != nil || creds.PasswordHash != acctHash || creds.User.ID != "u-2" {
		t.Fatalf("Credentials = %+v, %v", creds, err)
	}
	users, err := s.Users(ctx)
	if err != nil || len(users) != 2 || users[0].Email != "admin@example.nl" || users[1].Email != "tr@example.nl" {
		t.Fatalf("Users = %+v, %v; want both, by email", users, err)
	}
	if has, err := s.HasUsers(ctx); err != nil || !has {
		t.Fatalf("HasUsers = %v, %v", has, err)
	}
}

func checkUserLookupErrors(t *testing.T, s *store.Accounts) {
	t.Helper()
	ctx := context.Background()
	err := s.CreateUser(ctx, acctUser("u-3", "admin@example.nl", account.RoleEditor), acctHash)
	if apperr.CodeOf(err) != apperr.Conflict {
		t.Fatalf("duplicate email: %v; want CONFLICT", err)
	}
	_, err = s.User(ctx, "nope")
	if apperr.CodeOf(err) != apperr.NotFound {
		t.Fatalf("missing user: %v; want NOT_FOUND", err)
	}
	_, err = s.Credentials(ctx, "nobody@example.nl")
	if apperr.CodeOf(err) != apperr.NotFound {
		t.Fatalf("missing email: %v; want NOT_FOUND", err)
	}
}

func checkUserUpdates(t *testing.T, s *store.Accounts, tr account.User) {
	t.Helper()
	ctx := context.Background()
	// Updates write the zero values too (inactive, no locales).
	later := acctT0.Add(time.Hour)
	tr.Role, tr.Locales, tr.Active, tr.UpdatedAt = account.RoleEditor, nil, false, later
	if err := s.UpdateUser(ctx, tr); err != nil {
		t.Fatal(err)
	}
	if err := s.SetPasswordHash(ctx, tr.ID, acctHash+"x", later); err != nil {
		t.Fatal(err)
	}
	if err := s.RecordLogin(ctx, tr.ID, later); err != nil {
		t.Fatal(err)
	}
	tr.PasswordChangedAt, tr.LastLoginAt = later, later
	got, err := s.User(ctx, tr.ID)
	if err != nil || !reflect.DeepEqual(got, tr) {
		t.Fatalf("after updates User = %+v, %v\nwant %+v", got, err, tr)
	}
	if ids, err := s.LockActiveAdmins(ctx); err != nil || len(ids) != 1 {
		t.Fatalf("LockActiveAdmins = %v, %v; want one", ids, err)
	}
	if err := s.UpdateUser(ctx, acctUser("nope", "x@example.nl", account.RoleEditor)); apperr.CodeOf(err) != apperr.NotFound {
		t.Fatalf("update of a missing user: %v; want NOT_FOUND", err)
	}
	if err := s.SetPasswordHash(ctx, "nope", acctHash, later); apperr.CodeOf(err) != apperr.NotFound {
		t.Fatalf("password of a missing user: %v; want NOT_FOUND", err)
	}
}

func TestAccountsSchemaKeepsTheRoleInvariants(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		s := store.NewAccounts(db.Gorm)
		for name, u := range map[string]account.User{
			"translator without locales": acctUser("u-1", "a@example.nl", account.RoleTranslator),
			"editor with locales":        acctUser("u-2", "b@example.nl", account.RoleEditor, "nl"),
			"unknown role":               acctUser("u-3", "c@example.nl", "ROOT"),
		} {
			if err := s.CreateUser(ctx, u, acctHash); err == nil {
				t.Errorf("%s: the database accepted it", name)
			}
		}
		if err := s.CreateUser(ctx, acctUser("u-4", "d@example.nl", account.RoleEditor), "plaintext"); err == nil {
			t.Error("a password that is not an argon2id hash was stored")
		}
	})
}

func acctToken(id, user, family string, at time.Time) account.RefreshToken {
	return account.RefreshToken{
		ID: id, UserID: user, FamilyID: family, TokenHash: fmt.Sprintf("%064s", id),
		CreatedAt: at, ExpiresAt: at.Add(time.Hour), CreatedByAddr: "192.0.2.1",
	}
}

func TestAccountsRefreshTokens(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		s := store.NewAccounts(db.Gorm)
		mustCreateUser(t, s, acctUser("u-1", "a@example.nl", account.RoleEditor))
		mustCreateUser(t, s, acctUser("u-2", "b@example.nl", account.RoleEditor))
		a1 := acctToken("a1", "u-1", "fa", acctT0)
		for _, rt := range []account.RefreshToken{a1, acctToken("a2", "u-1", "fa", acctT0), acctToken("b1", "u-1", "fb", acctT0), acctToken("c1", "u-2", "fc", acctT0)} {
			if err := s.CreateRefreshToken(ctx, rt); err != nil {
				t.Fatal(err)
			}
		}
		got, err := s.RefreshToken(ctx, a1.TokenHash)
		if err != nil || !reflect.DeepEqual(got, a1) {
			t.Fatalf("RefreshToken = %+v, %v\nwant %+v", got, err, a1)
		}
		if _, err := s.RefreshToken(ctx, fmt.Sprintf("%064d", 0)); apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("unknown hash: %v; want NOT_FOUND", err)
		}
		checkRefreshTokenUsedOnce(t, s, a1)
		checkRefreshRevocation(t, s)
		checkExpiredRefreshTokensDeleted(t, s)
	})
}

func checkRefreshTokenUsedOnce(t *testing.T, s *store.Accounts, a1 account.RefreshToken) {
	t.Helper()
	ctx := context.Background()
	used := acctT0.Add(time.Minute)
	if ok, err := s.MarkRefreshTokenUsed(ctx, "a1", used); err != nil || !ok {
		t.Fatalf("first mark = %v, %v; want true", ok, err)
	}
	if ok, err := s.MarkRefreshTokenUsed(ctx, "a1", used.Add(time.Second)); err != nil || ok {
		t.Fatalf("second mark = %v, %v; want false: a token is used once", ok, err)
	}
	if got, _ := s.RefreshToken(ctx, a1.TokenHash); !got.UsedAt.Equal(used) {
		t.Fatalf("used_at = %v; want the first mark's %v", got.UsedAt, used)
	}
}

// checkRefreshRevocation revokes session fa of u-1, then all of u-1's
// tokens, and checks that nothing else is revoked.
func checkRefreshRevocation(t *testing.T, s *store.Accounts) {
	t.Helper()
	ctx := context.Background()
	if u, err := s.SessionUser(ctx, "u-1", "fa"); err != nil || u.ID != "u-1" {
		t.Fatalf("SessionUser of a live session = %+v, %v", u, err)
	}
	if _, err := s.SessionUser(ctx, "u-2", "fa"); apperr.CodeOf(err) != apperr.NotFound {
		t.Fatalf("SessionUser of another user's session: %v; want NOT_FOUND", err)
	}
	revoked := acctT0.Add(2 * time.Minute)
	if err := s.RevokeRefreshFamily(ctx, "fa", revoked); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SessionUser(ctx, "u-1", "fa"); apperr.CodeOf(err) != apperr.NotFound {
		t.Fatalf("SessionUser of a revoked session: %v; want NOT_FOUND", err)
	}
	if _, err := s.SessionUser(ctx, "u-1", "fb"); err != nil {
		t.Fatalf("revoking one session ended another: %v", err)
	}
	for hash, want := range map[string]bool{"a1": true, "a2": true, "b1": false, "c1": false} {
		rt, err := s.RefreshToken(ctx, fmt.Sprintf("%064s", hash))
		if err != nil || rt.RevokedAt.IsZero() == want {
			t.Errorf("token %s revoked at %v (%v); want revoked=%v", hash, rt.RevokedAt, err, want)
		}
	}
	if ok, _ := s.MarkRefreshTokenUsed(ctx, "a2", revoked); ok {
		t.Fatal("a revoked token was marked used")
	}
	if err := s.RevokeUserRefreshTokens(ctx, "u-1", revoked); err != nil {
		t.Fatal(err)
	}
	if rt, _ := s.RefreshToken(ctx, fmt.Sprintf("%064s", "b1")); rt.RevokedAt.IsZero() {
		t.Fatal("RevokeUserRefreshTokens left one of the user's tokens")
	}
	if rt, _ := s.RefreshToken(ctx, fmt.Sprintf("%064s", "c1")); !rt.RevokedAt.IsZero() {
		t.Fatal("RevokeUserRefreshTokens revoked another user's token")
	}
}

func checkExpiredRefreshTokensDeleted(t *testing.T, s *store.Accounts) {
	t.Helper()
	ctx := context.Background()
	n, err := s.DeleteExpiredRefreshTokens(ctx, "u-2", acctT0.Add(2*time.Hour))
	if err != nil || n != 1 {
		t.Fatalf("DeleteExpiredRefreshTokens(u-2) = %d, %v; want 1", n, err)
	}
	n, err = s.DeleteExpiredRefreshTokens(ctx, "", acctT0.Add(time.Hour)) // expires_at is not before this
	if err != nil || n != 0 {
		t.Fatalf("DeleteExpiredRefreshTokens(not yet expired) = %d, %v; want 0", n, err)
	}
	n, err = s.DeleteExpiredRefreshTokens(ctx, "", acctT0.Add(time.Hour+time.Microsecond))
	if err != nil || n != 3 {
		t.Fatalf("DeleteExpiredRefreshTokens(all) = %d, %v; want 3", n, err)
	}
}

func TestAccountsLoginFailures(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		s := store.NewAccounts(db.Gorm)
		email := fmt.Sprintf("%064d", 1)
		other := fmt.Sprintf("%064d", 2)
		// Whole and fractional seconds mixed, which SQLite compares as text.
		offsets := []time.Duration{0, 500 * time.Millisecond, time.Second, 1500 * time.Millisecond, 10 * time.Second, 11 * time.Second}
		for i, d := range offsets {
			f := account.LoginFailure{ID: fmt.Sprintf("f%d", i), Subject: email, ClientAddr: "192.0.2.1", At: acctT0.Add(d)}
			switch i {
			case 4:
				f.Subject, f.ClientAddr = other, "192.0.2.2"
			case 5:
				f.ClientAddr = "192.0.2.3"
			}
			if err := s.RecordLoginFailure(ctx, f); err != nil {
				t.Fatal(err)
			}
		}
		base := acctT0.Truncate(time.Second)
		times, err := s.LoginFailuresFor(ctx, email, "192.0.2.1", base, 10)
		want := []time.Time{acctT0.Add(1500 * time.Millisecond), acctT0.Add(time.Second), acctT0.Add(500 * time.Millisecond), acctT0}
		if err != nil || !equalTimes(times, want) {
			t.Fatalf("LoginFailuresFor = %v, %v\nwant newest first %v", times, err, want)
		}
		times, _ = s.LoginFailuresFor(ctx, email, "192.0.2.1", acctT0.Add(500*time.Millisecond), 10)
		if !equalTimes(times, want[:2]) {
			t.Fatalf("since is exclusive: got %v; want %v", times, want[:2])
		}
		times, _ = s.LoginFailuresFor(ctx, email, "192.0.2.1", base, 2)
		if !equalTimes(times, want[:2]) {
			t.Fatalf("limit 2: got %v; want %v", times, want[:2])
		}
		if times, _ := s.LoginFailuresFor(ctx, email, "192.0.2.3", base, 10); len(times) != 1 {
			t.Fatalf("failures of the account from another address = %v; want 1", times)
		}
		if times, _ := s.LoginFailuresByAddr(ctx, "192.0.2.1", base, 10); len(times) != 4 {
			t.Fatalf("LoginFailuresByAddr = %v; want 4", times)
		}

		if err := s.ClearLoginFailures(ctx, email, "192.0.2.1"); err != nil {
			t.Fatal(err)
		}
		if times, _ := s.LoginFailuresFor(ctx, email, "192.0.2.1", base, 10); len(times) != 0 {
			t.Fatalf("after clearing, the pair still has %d failures", len(times))
		}
		if times, _ := s.LoginFailuresFor(ctx, email, "192.0.2.3", base, 10); len(times) != 1 {
			t.Fatal("clearing one address's failures cleared another's")
		}
		if times, _ := s.LoginFailuresByAddr(ctx, "192.0.2.1", base, 10); len(times) != 4 {
			t.Fatalf("clearing the account cleared the address too: %d left", len(times))
		}
		if err := s.ClearAccountLoginFailures(ctx, email); err != nil {
			t.Fatal(err)
		}
		if times, _ := s.LoginFailuresFor(ctx, email, "192.0.2.3", base, 10); len(times) != 0 {
			t.Fatal("clearing the account left a failure counting against it")
		}
		if times, _ := s.LoginFailuresFor(ctx, other, "192.0.2.2", base, 10); len(times) != 1 {
			t.Fatal("clearing one account cleared another")
		}
		n, err := s.DeleteLoginFailures(ctx, acctT0.Add(time.Second))
		if err != nil || n != 2 {
			t.Fatalf("DeleteLoginFailures = %d, %v; want 2", n, err)
		}
	})
}

func equalTimes(a, b []time.Time) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !a[i].Equal(b[i]) {
			return false
		}
	}
	return true
}

func TestAccountsTransactionsRollBack(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		s := store.NewAccounts(db.Gorm)
		boom := errors.New("boom")
		err := s.InTx(ctx, func(tx account.Store) error {
			if err := tx.CreateUser(ctx, acctUser("u-1", "a@example.nl", account.RoleAdmin), acctHash); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("InTx = %v", err)
		}
		if has, _ := s.HasUsers(ctx); has {
			t.Fatal("the user created in a failed transaction remained")
		}
	})
}
