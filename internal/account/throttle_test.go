package account_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/werkwijzer/werkwijzer/internal/account"
	"github.com/werkwijzer/werkwijzer/internal/apperr"
	"github.com/werkwijzer/werkwijzer/internal/database"
	"github.com/werkwijzer/werkwijzer/internal/dbtest"
	"github.com/werkwijzer/werkwijzer/internal/store"
	"github.com/werkwijzer/werkwijzer/internal/vacancy"
)

// retryAfter returns a RATE_LIMITED error's retryAfterSeconds.
func retryAfter(t *testing.T, err error) int {
	t.Helper()
	wantCode(t, err, apperr.RateLimited)
	var coded *apperr.Error
	errors.As(err, &coded)
	seconds, ok := coded.Details["retryAfterSeconds"].(int)
	if !ok || seconds <= 0 {
		t.Fatalf("retryAfterSeconds = %v", coded.Details["retryAfterSeconds"])
	}
	return seconds
}

func TestStrangersFailuresDoNotLockTheOwnerOut(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		clk := newClock()
		svc := newService(t, db, clk, account.Config{})
		createUser(t, svc, "editor@example.nl", account.RoleEditor)

		// A stranger guesses from one address as fast as allowed.
		failures := 0
		for failures < 10 {
			_, err := svc.Login(ctx, "editor@example.nl", "a guess at it", "203.0.113.66")
			if apperr.CodeOf(err) == apperr.RateLimited {
				clk.Advance(time.Duration(retryAfter(t, err)) * time.Second)
				continue
			}
			wantCode(t, err, apperr.Unauthenticated)
			failures++
		}
		_, err := svc.Login(ctx, "editor@example.nl", password, "203.0.113.66")
		retryAfter(t, err) // the stranger's own address must wait
		// The owner, from their own address, is not refused.
		if _, err := svc.Login(ctx, "editor@example.nl", password, "198.51.100.7"); err != nil {
			t.Fatalf("the owner was refused after a stranger's %d failures: %v", failures, err)
		}
	})
}

func TestOwnFailuresSlowDownAndTheRightPasswordWorksAfterTheDelay(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		clk := newClock()
		svc := newService(t, db, clk, account.Config{})
		createUser(t, svc, "editor@example.nl", account.RoleEditor)
		const addr = "192.0.2.10:5555"
		fail := func() {
			t.Helper()
			_, err := svc.Login(ctx, "editor@example.nl", "mistyped password", addr)
			wantCode(t, err, apperr.Unauthenticated)
		}

		for range 3 { // free failures
			fail()
		}
		// Then the delays double: 2s, 4s, 8s.
		for _, want := range []int{2, 4, 8} {
			_, err := svc.Login(ctx, "editor@example.nl", password, addr)
			if got := retryAfter(t, err); got != want {
				t.Fatalf("retryAfterSeconds = %d; want %d", got, want)
			}
			clk.Advance(time.Duration(want-1) * time.Second)
			_, err = svc.Login(ctx, "editor@example.nl", password, addr)
			if got := retryAfter(t, err); got != 1 {
				t.Fatalf("a second before the end: retryAfterSeconds = %d; want 1", got)
			}
			clk.Advance(time.Second)
			fail()
		}
		_, err := svc.Login(ctx, "editor@example.nl", password, addr)
		wait := retryAfter(t, err)
		clk.Advance(time.Duration(wait) * time.Second)
		if _, err := svc.Login(ctx, "Editor@Example.nl", password, addr); err != nil {
			t.Fatalf("the right password after the delay: %v", err)
		}
		// Success clears the pair: the next typo is free again.
		fail()
		if _, err := svc.Login(ctx, "editor@example.nl", password, addr); err != nil {
			t.Fatalf("one typo after a sign-in delays the next: %v", err)
		}

		// A guesser who keeps going gets a dozen tries an hour at most,
		// and is never told to wait longer than MaxDelay (15 minutes).
		start, guesses := clk.Now(), 0
		for clk.Now().Sub(start) < 6*time.Hour {
			_, err := svc.Login(ctx, "editor@example.nl", "mistyped password", addr)
			if apperr.CodeOf(err) == apperr.RateLimited {
				seconds := retryAfter(t, err)
				if seconds > 15*60 {
					t.Fatalf("retryAfterSeconds %d exceeds MaxDelay", seconds)
				}
				clk.Advance(time.Duration(seconds) * time.Second)
				continue
			}
			wantCode(t, err, apperr.Unauthenticated)
			guesses++
		}
		if guesses > 6*12+3 {
			t.Fatalf("%d guesses in 6 hours from one address at one account", guesses)
		}
		t.Logf("%d guesses in 6 hours", guesses)

		// Unknown accounts are slowed down alike, so delays reveal nothing.
		for range 3 {
			_, err := svc.Login(ctx, "nobody@example.nl", "mistyped password", "192.0.2.11")
			wantCode(t, err, apperr.Unauthenticated)
		}
		_, err = svc.Login(ctx, "nobody@example.nl", "mistyped password", "192.0.2.11")
		retryAfter(t, err)
	})
}

func TestManyFailuresFromOneAddressAreRateLimited(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		clk := newClock()
		svc := newService(t, db, clk, account.Config{LoginLimits: account.LoginLimits{PerAddress: 10}})
		createUser(t, svc, "editor@example.nl", account.RoleEditor)
		createUser(t, svc, "admin@example.nl", account.RoleAdmin)

		t0 := clk.Now()
		for i := range 10 {
			// Different accounts and ports, one address.
			clk.Advance(time.Second)
			_, err := svc.Login(ctx, fmt.Sprintf("guess%d@example.nl", i), "wrong password!", fmt.Sprintf("203.0.113.9:%d", 1000+i))
			wantCode(t, err, apperr.Unauthenticated)
		}
		// Even a correct password from that address waits, until the
		// oldest failure is an hour old...
		_, err := svc.Login(ctx, "editor@example.nl", password, "203.0.113.9:4444")
		if got, want := retryAfter(t, err), int(t0.Add(time.Second+time.Hour).Sub(clk.Now()).Seconds()); got != want {
			t.Fatalf("retryAfterSeconds = %d; want %d", got, want)
		}
		// ...while other addresses are not affected.
		if _, err := svc.Login(ctx, "editor@example.nl", password, "203.0.113.10:4444"); err != nil {
			t.Fatalf("another address is limited: %v", err)
		}
		// A successful sign-in elsewhere does not clear the address's count.
		_, err = svc.Login(ctx, "admin@example.nl", password, "203.0.113.9")
		retryAfter(t, err)
		clk.Advance(time.Hour)
		if _, err := svc.Login(ctx, "admin@example.nl", password, "203.0.113.9"); err != nil {
			t.Fatalf("the address is still limited after the window: %v", err)
		}

		// IPv6 clients count per /64.
		for i := range 10 {
			_, err := svc.Login(ctx, fmt.Sprintf("v6%d@example.nl", i), "wrong password!", fmt.Sprintf("[2001:db8:7:7::%x]:443", i+1))
			wantCode(t, err, apperr.Unauthenticated)
		}
		_, err = svc.Login(ctx, "admin@example.nl", password, "[2001:db8:7:7:ffff::1]:443")
		retryAfter(t, err)
	})
}

// burst makes 12 attempts at once and returns how many were checked
// (failed as UNAUTHENTICATED) rather than refused as RATE_LIMITED.
func burst(t *testing.T, attempt func(i int) error) (checked int) {
	t.Helper()
	const n = 12
	errs := make(chan error, n)
	start := make(chan struct{})
	for i := range n {
		go func() {
			<-start
			errs <- attempt(i)
		}()
	}
	close(start)
	for range n {
		switch err := <-errs; apperr.CodeOf(err) {
		case apperr.Unauthenticated:
			checked++
		case apperr.RateLimited:
		default:
			t.Fatalf("an attempt in the burst: %v", err)
		}
	}
	return checked
}

// TestABurstOfGuessesGetsNoMoreTriesThanOneAfterAnother: guesses sent all
// at once, for one account or for many from one address, are checked
// against the failures recorded before them, so a burst cannot slip past
// the delays or the address's ceiling while the first guesses are still
// being checked. The same holds for sources' token requests.
func TestABurstOfGuessesGetsNoMoreTriesThanOneAfterAnother(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		limits := account.LoginLimits{PerAddress: 5}
		svc := newService(t, db, newClock(), account.Config{LoginLimits: limits})
		createUser(t, svc, "editor@example.nl", account.RoleEditor)
		login := func(email func(i int) string, addr string) func(int) error {
			return func(i int) error {
				_, err := svc.Login(ctx, email(i), "a guess at it", addr)
				return err
			}
		}
		if got := burst(t, login(func(int) string { return "editor@example.nl" }, "203.0.113.7")); got != 3 {
			t.Errorf("a burst of 12 guesses at one account had %d checked; want the 3 free ones", got)
		}
		if got := burst(t, login(func(i int) string { return fmt.Sprintf("guess%d@example.nl", i) }, "203.0.113.8")); got != 5 {
			t.Errorf("a burst of 12 guesses at different accounts from one address had %d checked; want the ceiling of 5", got)
		}

		st := store.NewVacancies(db.Gorm)
		_, creds, err := vacancy.NewService(st, vacancy.Config{}).CreateSource(operator, vacancy.NewSource{Name: "bron"})
		if err != nil {
			t.Fatal(err)
		}
		clients, err := account.NewClients(st, account.ClientConfig{Keys: testRing(t), Limits: limits})
		if err != nil {
			t.Fatal(err)
		}
		guess := func(int) error {
			_, err := clients.IssueToken(ctx, creds.ClientID, "wws_guess", "", "203.0.113.9")
			return err
		}
		if got := burst(t, guess); got != 3 {
			t.Errorf("a burst of 12 token requests with a wrong secret had %d checked; want the 3 free ones", got)
		}
	})
}
