package app

import (
	"context"
	"time"

	"github.com/werkwijzer/werkwijzer/internal/store"
	"github.com/werkwijzer/werkwijzer/internal/webhook"
)

// setUpWebhooks builds the webhook service and makes every publication,
// unpublication and deletion record its event in its own transaction, for
// every command (a CLI import that publishes tells the frontends too);
// serve also delivers them (startWebhooks).
func (e *env) setUpWebhooks() error {
	driver, err := e.db.RiverDriver()
	if err != nil {
		return err
	}
	e.webhookStore = store.NewWebhooks(e.db.Gorm)
	e.webhooks, err = webhook.New(webhook.Config{
		Store: e.webhookStore, Driver: driver, Locales: e.content.Locales().Supports,
		AllowPrivate: e.cfg.WebhookAllowPrivate, Log: e.log,
		// The metrics exist only in serve, which sets countDelivery.
		Delivered: func(result string) {
			if e.countDelivery != nil {
				e.countDelivery(result)
			}
		},
	})
	if err != nil {
		return err
	}
	e.content.RecordChanges(e.webhooks.ContentRecorder(e.webhookStore.InContentTx))
	return nil
}

// startWebhooks delivers recorded events until stop, which lets the
// deliveries in flight finish for a few seconds.
func (e *env) startWebhooks(ctx context.Context) (stop func(), err error) {
	e.countDelivery = e.tel.ObserveWebhooks(e.webhooks.Pending)
	// River stops on Stop below, not when ctx ends, so the deliveries in
	// flight can record their attempts.
	if err := e.webhooks.Start(context.WithoutCancel(ctx)); err != nil {
		return nil, err
	}
	pruneCtx, stopPruning := context.WithCancel(ctx)
	go e.pruneWebhookEvents(pruneCtx)
	return func() {
		stopPruning()
		stopCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := e.webhooks.Stop(stopCtx); err != nil {
			e.log.Warn("stopping the webhook deliveries", "error", err)
		}
	}, nil
}

// pruneWebhookEvents deletes old, finished webhook events and their logs
// now and every hour until ctx ends. Every replica does; the deletes are
// idempotent.
func (e *env) pruneWebhookEvents(ctx context.Context) {
	tick := time.NewTicker(time.Hour)
	defer tick.Stop()
	for {
		if n, err := e.webhooks.Prune(ctx); err != nil && ctx.Err() == nil {
			e.log.Warn("pruning old webhook events", "error", err)
		} else if n > 0 {
			e.log.Info("pruned old webhook events", "events", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
