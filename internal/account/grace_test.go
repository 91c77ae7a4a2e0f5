package account_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/werkwijzer/werkwijzer/internal/account"
	"github.com/werkwijzer/werkwijzer/internal/apperr"
	"github.com/werkwijzer/werkwijzer/internal/database"
	"github.com/werkwijzer/werkwijzer/internal/dbtest"
)

// pair is what a refresh hands out, comparable.
type pair struct {
	access, refresh            string
	accessExpiry, refreshExpry time.Time
}

func pairOf(t account.Tokens) pair {
	return pair{t.AccessToken, t.RefreshToken, t.AccessTokenExpiresAt, t.RefreshTokenExpiresAt}
}

// refreshAtOnce refreshes token from n goroutines released together and
// returns their pairs; any failure fails the test.
func refreshAtOnce(t *testing.T, svc *account.Service, token string, n int) []pair {
	t.Helper()
	var (
		wg    sync.WaitGroup
		start = make(chan struct{})
		got   = make([]account.Tokens, n)
		errs  = make([]error, n)
	)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			got[i], errs[i] = svc.Refresh(context.Background(), token, "192.0.2.7")
		}()
	}
	close(start)
	wg.Wait()
	pairs := make([]pair, n)
	for i, err := range errs {
		if err != nil {
			t.Fatalf("refresh %d of %d concurrent ones failed: %v", i+1, n, err)
		}
		pairs[i] = pairOf(got[i])
	}
	return pairs
}

// signedIn starts a session from 192.0.2.7 with a settable clock.
func signedIn(t *testing.T, db *database.DB) (*account.Service, *clock, account.Tokens) {
	t.Helper()
	clk := newClock()
	svc := newService(t, db, clk, account.Config{})
	createUser(t, svc, "editor@example.nl", account.RoleEditor)
	tokens, err := svc.Login(context.Background(), "editor@example.nl", password, "192.0.2.7:4000")
	if err != nil {
		t.Fatal(err)
	}
	return svc, clk, tokens
}

// rotated refreshes token from the client's usual address, failing the
// test if that is refused.
func rotated(t *testing.T, svc *account.Service, token string) account.Tokens {
	t.Helper()
	tokens, err := svc.Refresh(context.Background(), token, "192.0.2.7")
	if err != nil {
		t.Fatal(err)
	}
	return tokens
}

// wantFamilyRevoked checks that token, the newest of its family, no
// longer refreshes.
func wantFamilyRevoked(t *testing.T, svc *account.Service, token string) {
	t.Helper()
	_, err := svc.Refresh(context.Background(), token, "192.0.2.7")
	wantCode(t, err, apperr.Unauthenticated)
}

func TestReloadWithinTheGraceWindowGetsTheSamePair(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		svc, clk, first := signedIn(t, db)
		clk.Advance(time.Minute)
		tab1, err := svc.Refresh(ctx, first.RefreshToken, "192.0.2.7:4001")
		if err != nil {
			t.Fatal(err)
		}
		clk.Advance(account.RefreshGraceWindow - time.Microsecond)
		tab2, err := svc.Refresh(ctx, first.RefreshToken, "192.0.2.7:4002")
		if err != nil {
			t.Fatalf("a reload just inside the grace window was refused: %v", err)
		}
		if pairOf(tab1) != pairOf(tab2) {
			t.Fatalf("the two tabs got different pairs:\n%+v\n%+v", pairOf(tab1), pairOf(tab2))
		}
		if tab2.User.Email != "editor@example.nl" {
			t.Fatalf("the replayed answer names user %+v", tab2.User)
		}
		if _, err := svc.Authenticate(ctx, tab2.AccessToken); err != nil {
			t.Fatalf("the replayed access token does not authenticate: %v", err)
		}
		if _, err := svc.Refresh(ctx, tab2.RefreshToken, "192.0.2.7"); err != nil {
			t.Fatalf("the shared refresh token does not rotate: %v", err)
		}
	})
}

func TestReuseAfterTheGraceWindowRevokesTheFamily(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		svc, clk, first := signedIn(t, db)
		second := rotated(t, svc, first.RefreshToken)
		clk.Advance(account.RefreshGraceWindow)
		_, err := svc.Refresh(ctx, first.RefreshToken, "192.0.2.7")
		wantCode(t, err, apperr.Unauthenticated)
		wantFamilyRevoked(t, svc, second.RefreshToken)
	})
}

func TestReuseOfATwiceRotatedTokenRevokesTheFamily(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		svc, clk, first := signedIn(t, db)
		second := rotated(t, svc, first.RefreshToken)
		clk.Advance(time.Second)
		third := rotated(t, svc, second.RefreshToken)
		clk.Advance(time.Second) // the first token is well inside its window
		_, err := svc.Refresh(ctx, first.RefreshToken, "192.0.2.7")
		wantCode(t, err, apperr.Unauthenticated)
		wantFamilyRevoked(t, svc, third.RefreshToken)
	})
}

func TestReuseFromAnotherClientWithinTheGraceWindowRevokesTheFamily(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		svc, _, first := signedIn(t, db)
		second := rotated(t, svc, first.RefreshToken)
		_, err := svc.Refresh(ctx, first.RefreshToken, "198.51.100.9")
		wantCode(t, err, apperr.Unauthenticated)
		wantFamilyRevoked(t, svc, second.RefreshToken)
	})
}

func TestConcurrentRefreshesOfOneTokenGetTheSamePair(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		svc, _, first := signedIn(t, db)
		got := refreshAtOnce(t, svc, first.RefreshToken, 2)
		if got[0] != got[1] {
			t.Fatalf("two concurrent refreshes got different pairs:\n%+v\n%+v", got[0], got[1])
		}
		if got[0].refresh == first.RefreshToken {
			t.Fatal("the refresh did not rotate the token")
		}
		if _, err := svc.Refresh(context.Background(), got[0].refresh, "192.0.2.7"); err != nil {
			t.Fatalf("the shared refresh token does not rotate: %v", err)
		}
	})
}
