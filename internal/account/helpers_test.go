package account_test

import (
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/werkwijzer/werkwijzer/internal/account"
	"github.com/werkwijzer/werkwijzer/internal/database"
	"github.com/werkwijzer/werkwijzer/internal/locale"
	"github.com/werkwijzer/werkwijzer/internal/store"
)

// cheapPassword keeps argon2id fast in tests.
var cheapPassword = account.PasswordParams{Memory: 64, Time: 1, Threads: 1}

var testSecret = []byte("test-secret-test-secret-test-secret!")

// clock is a settable clock for the service under test.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock {
	return &clock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func testLocales(t testing.TB) *locale.Set {
	t.Helper()
	set, err := locale.NewSet([]string{"nl", "en", "de"})
	if err != nil {
		t.Fatal(err)
	}
	return set
}

func testRing(t testing.TB) *account.KeyRing {
	t.Helper()
	ring, err := account.NewKeyRing(testSecret)
	if err != nil {
		t.Fatal(err)
	}
	return ring
}

// newService returns a service on db with cheap hashing, test keys, the
// given clock, and cfg's other fields.
func newService(t testing.TB, db *database.DB, clk *clock, cfg account.Config) *account.Service {
	t.Helper()
	if cfg.Keys == nil {
		cfg.Keys = testRing(t)
	}
	if cfg.Locales == nil {
		cfg.Locales = testLocales(t)
	}
	if cfg.Password == (account.PasswordParams{}) {
		cfg.Password = cheapPassword
	}
	cfg.Now = clk.Now
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	svc, err := account.NewService(store.NewAccounts(db.Gorm), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return svc
}
