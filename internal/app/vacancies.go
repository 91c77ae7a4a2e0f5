package app

import (
	"context"
	"errors"
	"fmt"

	"github.com/werkwijzer/werkwijzer/internal/account"
	"github.com/werkwijzer/werkwijzer/internal/cachetag"
	"github.com/werkwijzer/werkwijzer/internal/seed"
	"github.com/werkwijzer/werkwijzer/internal/store"
	"github.com/werkwijzer/werkwijzer/internal/vacancy"
	"github.com/werkwijzer/werkwijzer/internal/vacancy/pull"
)

// vacancyService is the vacancy service on the command's database.
func (e *env) vacancyService() *vacancy.Service {
	return vacancy.NewService(store.NewVacancies(e.db.Gorm), vacancy.Config{Log: e.log, AllowPrivateFeeds: e.cfg.FeedAllowPrivate, Changed: func(ctx context.Context) {
		if e.replicas != nil {
			e.replicas.Invalidate(ctx, cachetag.Vacancies)
		}
	}, Synced: e.tel.VacancySynced, RecordSync: e.webhooks.SyncRecorder(e.webhookStore.InVacancyTx)})
}

// feedFetcher fetches vacancy feeds from the addresses the configuration
// allows.
func (e *env) feedFetcher() *pull.Fetcher {
	if e.cfg.FeedAllowPrivate {
		return pull.NewFetcher(pull.AnyAddress)
	}
	return pull.NewFetcher(pull.PublicOnly)
}

// clientService issues and verifies vacancy sources' tokens with the same
// keys as editors' (accountService must have run), under an audience of
// their own.
func (e *env) clientService(cfg *Config) (*account.Clients, error) {
	if e.keys == nil {
		return nil, errors.New("client tokens: the JWT keys are not loaded")
	}
	if cfg.JWTAudience == account.DefaultClientAudience {
		return nil, fmt.Errorf("WERKWIJZER_JWT_AUDIENCE may not be %q: vacancy sources' tokens use that audience, and editors' must differ", account.DefaultClientAudience)
	}
	return account.NewClients(store.NewVacancies(e.db.Gorm), account.ClientConfig{
		Keys: e.keys, Issuer: cfg.JWTIssuer, TokenTTL: cfg.AccessTokenTTL,
	})
}

// seedVacancies imports the sample vacancy feed through the sync engine,
// once: right after the sample content, whose roles it belongs to.
func (e *env) seedVacancies(ctx context.Context) error {
	svc := e.vacancyService()
	rep, err := seed.LoadVacancies(ctx, svc, svc.Now())
	if err != nil {
		return fmt.Errorf("load sample vacancies: %w", err)
	}
	if rep != nil {
		e.log.Info("sample vacancies loaded", "source", seed.DemoSourceName, "created", rep.Created)
	}
	return nil
}

// runScheduler expires vacancies every minute and pulls the feeds of
// pulled sources every cfg.PullInterval, until ctx ends.
func (e *env) runScheduler(ctx context.Context, cfg *Config, svc *vacancy.Service) {
	s := &pull.Scheduler{
		Vacancies: svc,
		Importer:  &pull.Importer{Vacancies: svc, Fetcher: e.feedFetcher(), Log: e.log, Pulled: e.tel.FeedPulled},
		Interval:  cfg.PullInterval,
		Owner:     pull.Owner(),
		Log:       e.log,
	}
	s.Run(ctx)
}
