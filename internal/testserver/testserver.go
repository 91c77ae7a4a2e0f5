// Package testserver wires Werkwijzer's full HTTP handler chain on a test
// database the way internal/app does, for the tests of httpserver and of
// the admin UI: one place to change when the wiring changes.
package testserver

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/werkwijzer/werkwijzer/graph"
	"github.com/werkwijzer/werkwijzer/internal/account"
	"github.com/werkwijzer/werkwijzer/internal/content"
	"github.com/werkwijzer/werkwijzer/internal/database"
	"github.com/werkwijzer/werkwijzer/internal/httpserver"
	"github.com/werkwijzer/werkwijzer/internal/locale"
	"github.com/werkwijzer/werkwijzer/internal/seed"
	"github.com/werkwijzer/werkwijzer/internal/store"
	"github.com/werkwijzer/werkwijzer/internal/vacancy"
	"github.com/werkwijzer/werkwijzer/internal/webhook"
)

// KeySecret signs editors' and sources' tokens, as one key ring does in
// production; two servers on one database verify each other's tokens.
const KeySecret = "api-test-secret-api-test-secret-0123"

// CheapPassword makes password hashing cheap in tests.
var CheapPassword = account.PasswordParams{Memory: 64, Time: 1, Threads: 1}

// Options choose what the server has besides content and accounts.
type Options struct {
	// Unseeded leaves the sample content out: a second replica on a
	// database another server seeded.
	Unseeded bool
	// Vacancies adds the vacancy service and the sources' OAuth clients;
	// SampleVacancies also imports the sample feed, as the first start does.
	Vacancies, SampleVacancies bool
	// VacanciesChanged is the vacancy service's Config.Changed: what
	// internal/app invalidates the caches with after a vacancy change.
	VacanciesChanged func(context.Context)
	// AccessTokenTTL is the editors' access token lifetime (0: the default).
	AccessTokenTTL time.Duration
	// Configure changes the handler's configuration before it is built.
	Configure func(*httpserver.Config)
	// Webhooks adds the webhook service, delivering (to private
	// addresses too, retrying after milliseconds) until the test ends.
	Webhooks bool
}

// Server is the handler chain and the services behind it.
type Server struct {
	Content   *content.Service
	Accounts  *account.Service
	Vacancies *vacancy.Service // nil without Options.Vacancies
	Clients   *account.Clients // nil without Options.Vacancies
	Webhooks  *webhook.Service // nil without Options.Webhooks
	Handler   http.Handler
}

// New builds the server on db with the locales nl and en.
func New(t testing.TB, db *database.DB, opts Options) *Server {
	t.Helper()
	ctx := context.Background()
	locales, err := locale.NewSet([]string{"nl", "en"})
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{Content: content.NewService(store.NewContent(db.Gorm), locales)}
	if !opts.Unseeded {
		sample, err := seed.Sample()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := seed.Load(ctx, s.Content, sample); err != nil {
			t.Fatal(err)
		}
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	keys, err := account.NewKeyRing([]byte(KeySecret))
	if err != nil {
		t.Fatal(err)
	}
	s.Accounts, err = account.NewService(store.NewAccounts(db.Gorm), account.Config{
		Keys: keys, Locales: locales, Log: log, AccessTokenTTL: opts.AccessTokenTTL, Password: CheapPassword,
	})
	if err != nil {
		t.Fatal(err)
	}
	s.Content.UseDirectory(s.Accounts)
	if opts.Vacancies || opts.SampleVacancies {
		s.Vacancies = vacancy.NewService(store.NewVacancies(db.Gorm), vacancy.Config{Log: log, Changed: opts.VacanciesChanged})
		if s.Clients, err = account.NewClients(store.NewVacancies(db.Gorm), account.ClientConfig{Keys: keys}); err != nil {
			t.Fatal(err)
		}
	}
	if opts.SampleVacancies {
		if _, err := seed.LoadVacancies(ctx, s.Vacancies, s.Vacancies.Now()); err != nil {
			t.Fatal(err)
		}
	}
	cfg := httpserver.Config{
		Content: s.Content, Accounts: s.Accounts, Ready: db.Ping, Playground: true,
		Limits: graph.DefaultLimits, PublicMaxAge: time.Minute, Log: log,
	}
	if s.Vacancies != nil {
		cfg.Vacancies, cfg.Clients = s.Vacancies, s.Clients
	}
	if opts.Webhooks {
		s.Webhooks = startWebhooks(t, db, s.Content, log)
		cfg.Webhooks = s.Webhooks
	}
	if opts.Configure != nil {
		opts.Configure(&cfg)
	}
	s.Handler = httpserver.New(cfg)
	return s
}

// startWebhooks records content changes for webhooks and delivers them
// until the test ends.
func startWebhooks(t testing.TB, db *database.DB, c *content.Service, log *slog.Logger) *webhook.Service {
	t.Helper()
	driver, err := db.RiverDriver()
	if err != nil {
		t.Fatal(err)
	}
	st := store.NewWebhooks(db.Gorm)
	svc, err := webhook.New(webhook.Config{
		Store: st, Driver: driver, Locales: c.Locales().Supports, AllowPrivate: true, Log: log,
		RetryDelay: func(int) time.Duration { return 10 * time.Millisecond }, PollInterval: 20 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	c.RecordChanges(svc.ContentRecorder(st.InContentTx))
	if err := svc.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = svc.Stop(ctx)
	})
	return svc
}
