package account

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/werkwijzer/werkwijzer/internal/apperr"
)

// LoginLimits are the policy on failed credential checks, editors'
// sign-ins and vacancy sources' token requests alike, after OWASP's
// Authentication Cheat Sheet. Zero fields take the defaults.
//
// Failures are counted per account and client address together, so a
// stranger's guesses slow down only the stranger: after FreeFailures
// failures for one account from one address, that pair must wait
// BaseDelay before its next attempt, twice as long after each further
// failure, at most MaxDelay. An account is never locked as a whole, and a
// correct password from another address always works. Separately, one
// address may fail at most PerAddress times in Window, whatever the
// accounts; past that ceiling it is refused until its failures age out.
// Refused attempts are not checked and not counted. Failures older than
// Window are forgotten.
type LoginLimits struct {
	// FreeFailures per account and address before delays start (default 3).
	FreeFailures int
	// BaseDelay is the first delay (default 2 seconds); MaxDelay caps
	// the doubling (default 15 minutes).
	BaseDelay time.Duration
	MaxDelay  time.Duration
	// PerAddress is the ceiling of failures from one address in Window
	// (default 100: an office behind one NAT address shares it).
	PerAddress int
	// Window is how long a failure counts (default 1 hour). It must be
	// longer than MaxDelay, or the delays never reach it.
	Window time.Duration
}

func (l LoginLimits) withDefaults() (LoginLimits, error) {
	if l.FreeFailures < 0 || l.BaseDelay < 0 || l.MaxDelay < 0 || l.PerAddress < 0 || l.Window < 0 {
		return LoginLimits{}, fmt.Errorf("negative sign-in limit")
	}
	l = LoginLimits{
		FreeFailures: or(l.FreeFailures, 3),
		BaseDelay:    or(l.BaseDelay, 2*time.Second),
		MaxDelay:     or(l.MaxDelay, 15*time.Minute),
		PerAddress:   or(l.PerAddress, 100),
		Window:       or(l.Window, time.Hour),
	}
	if l.MaxDelay < l.BaseDelay || l.Window <= l.MaxDelay {
		return LoginLimits{}, fmt.Errorf("sign-in limits: want BaseDelay <= MaxDelay < Window")
	}
	return l, nil
}

// FailureStore keeps failed credential checks where every replica sees
// them. Subjects are hex SHA-256 hashes (see subjectHash); addresses are
// clientKey values.
type FailureStore interface {
	// RecordLoginFailure inserts f.
	RecordLoginFailure(ctx context.Context, f LoginFailure) error
	// LoginFailuresFor returns the times of the newest (at most limit)
	// failures of one subject from one address after since, newest first.
	LoginFailuresFor(ctx context.Context, subject, addr string, since time.Time, limit int) ([]time.Time, error)
	// LoginFailuresByAddr does the same for an address, any subject.
	LoginFailuresByAddr(ctx context.Context, addr string, since time.Time, limit int) ([]time.Time, error)
	// ClearLoginFailures stops counting the failures of a subject from
	// one address against that pair (they still count against the
	// address's ceiling).
	ClearLoginFailures(ctx context.Context, subject, addr string) error
	// DeleteLoginFailures deletes the failures recorded before before.
	DeleteLoginFailures(ctx context.Context, before time.Time) (int, error)
}

// LoginFailure is one failed credential check, counted against its
// subject (a hash of the normalised email, or of a client id, so typos
// and passwords typed into the email field are not kept in clear) from
// its client address.
type LoginFailure struct {
	ID         string
	Subject    string
	ClientAddr string // "" when unknown
	At         time.Time
}

// throttle applies LoginLimits to one kind of credential.
type throttle struct {
	store  FailureStore
	limits LoginLimits
	log    *slog.Logger
	turns  *turns
}

func newThrottle(store FailureStore, limits LoginLimits, log *slog.Logger) throttle {
	return throttle{store: store, limits: limits, log: log, turns: &turns{waiting: map[string]*turn{}}}
}

// enter waits until no other attempt from addr (or, when the address is
// unknown, at subject) is being checked on this server, and returns the
// function that ends this attempt's turn. Counting failures and recording
// one are separate statements: without turns, a burst of parallel guesses
// would all be counted before any of them failed, and get past the delays
// and the address's ceiling. Turns are per server, so with several
// replicas a burst gets at most one guess past per replica. A caller that
// gives up while waiting gets ctx's error.
func (t throttle) enter(ctx context.Context, subject, addr string) (leave func(), err error) {
	key := "addr " + addr
	if addr == "" {
		key = "subject " + subject
	}
	return t.turns.take(ctx, key)
}

// turns lets one holder at a time have each key; keys nobody holds or
// waits for are forgotten.
type turns struct {
	mu      sync.Mutex
	waiting map[string]*turn
}

type turn struct {
	held  chan struct{} // holds a value while the key is taken
	users int           // holders and waiters
}

func (ts *turns) take(ctx context.Context, key string) (func(), error) {
	ts.mu.Lock()
	tn := ts.waiting[key]
	if tn == nil {
		tn = &turn{held: make(chan struct{}, 1)}
		ts.waiting[key] = tn
	}
	tn.users++
	ts.mu.Unlock()
	forget := func() {
		ts.mu.Lock()
		if tn.users--; tn.users == 0 {
			delete(ts.waiting, key)
		}
		ts.mu.Unlock()
	}
	select {
	case tn.held <- struct{}{}:
		return func() {
			<-tn.held
			forget()
		}, nil
	case <-ctx.Done():
		forget()
		return nil, ctx.Err()
	}
}

// check refuses an attempt with RATE_LIMITED while the subject and address
// must wait, or the address has reached its ceiling.
func (t throttle) check(ctx context.Context, subject, addr string, now time.Time) error {
	since := now.Add(-t.limits.Window)
	// Beyond this many failures the delay is MaxDelay anyway.
	limit := t.limits.FreeFailures + int(math.Ceil(math.Log2(float64(t.limits.MaxDelay)/float64(t.limits.BaseDelay)))) + 1
	own, err := t.store.LoginFailuresFor(ctx, subject, addr, since, limit)
	if err != nil {
		return fmt.Errorf("count failures: %w", err)
	}
	var wait time.Duration
	if len(own) >= t.limits.FreeFailures { // at least 1: zero takes the default
		wait = own[0].Add(t.delay(len(own))).Sub(now)
	}
	if addr != "" {
		byAddr, err := t.store.LoginFailuresByAddr(ctx, addr, since, t.limits.PerAddress)
		if err != nil {
			return fmt.Errorf("count failures: %w", err)
		}
		if len(byAddr) >= t.limits.PerAddress {
			// Until the PerAddress-th newest failure leaves the window.
			wait = max(wait, byAddr[t.limits.PerAddress-1].Add(t.limits.Window).Sub(now))
		}
	}
	if wait <= 0 {
		return nil
	}
	seconds := int(math.Ceil(wait.Seconds()))
	return apperr.New(apperr.RateLimited, "too many failed attempts; try again in %d seconds", seconds).
		With("retryAfterSeconds", seconds)
}

// delay is how long to wait after the n-th failure of a pair, n at least
// FreeFailures: BaseDelay doubled per failure beyond that, at most MaxDelay.
func (t throttle) delay(n int) time.Duration {
	d := t.limits.BaseDelay
	for i := t.limits.FreeFailures; i < n && d < t.limits.MaxDelay; i++ {
		d *= 2
	}
	return min(d, t.limits.MaxDelay)
}

// fail records a failure and prunes the ones that no longer count.
func (t throttle) fail(ctx context.Context, subject, addr string, now time.Time) error {
	id, err := uuid.NewV7()
	if err != nil {
		return err
	}
	if err := t.store.RecordLoginFailure(ctx, LoginFailure{ID: id.String(), Subject: subject, ClientAddr: addr, At: now}); err != nil {
		return fmt.Errorf("record failure: %w", err)
	}
	if _, err := t.store.DeleteLoginFailures(ctx, now.Add(-t.limits.Window)); err != nil {
		t.log.WarnContext(ctx, "could not prune failed sign-ins", "error", err)
	}
	return nil
}

// succeed forgets the pair's failures: its owner has shown the secret.
func (t throttle) succeed(ctx context.Context, subject, addr string) error {
	if err := t.store.ClearLoginFailures(ctx, subject, addr); err != nil {
		return fmt.Errorf("clear failures: %w", err)
	}
	return nil
}
