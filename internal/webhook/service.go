package webhook

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/werkwijzer/werkwijzer/internal/account"
	"github.com/werkwijzer/werkwijzer/internal/apperr"
	"github.com/werkwijzer/werkwijzer/internal/netguard"
)

// MaxWebhooks bounds how many webhooks there may be: every change fans out
// to each inside its transaction.
const MaxWebhooks = 50

// RotationOverlap is how long the previous secret still signs after a
// rotation, so receivers can switch to the new one without a gap.
const RotationOverlap = 24 * time.Hour

// Service manages webhooks and records and delivers their events. Safe
// for concurrent use.
type Service struct {
	store        Store
	locales      func(code string) bool
	allowPrivate bool
	now          func() time.Time
	log          *slog.Logger
	queue        *queue
	client       *http.Client
	retryDelay   func(attempt int) time.Duration
	delivered    func(result string)
}

// Input is what an admin sets on a webhook.
type Input struct {
	URL         string
	Description string
	Events      []EventType
	Locales     []string
}

// ID returns a new UUIDv7, the id of webhooks, events, deliveries and
// attempts.
func newID() string { return uuid.Must(uuid.NewV7()).String() }

// check validates in; the URL must be https on a public host unless
// private addresses are allowed (which also allows http).
func (s *Service) check(in Input) (Input, error) {
	in.URL = strings.TrimSpace(in.URL)
	u, err := url.Parse(in.URL)
	if err != nil || u.Host == "" || u.User != nil || len(in.URL) > 2048 || (u.Scheme != "https" && u.Scheme != "http") {
		return in, apperr.Invalid(apperr.InvalidURL, "the webhook URL must be an absolute https URL without credentials").With("field", "url")
	}
	if u.Scheme == "http" && !s.allowPrivate {
		return in, apperr.Invalid(apperr.InvalidURL, "the webhook URL must use https (plain http only with WERKWIJZER_WEBHOOK_ALLOW_PRIVATE=true)").With("field", "url")
	}
	if problem := netguard.HostProblem(u.Hostname(), s.allowPrivate); problem != "" {
		return in, apperr.Invalid(apperr.URLNotAllowed, "webhooks are delivered to public hosts only, and this URL is refused: %s", problem).With("field", "url")
	}
	in.Description = strings.TrimSpace(in.Description)
	if len(in.Description) > 500 {
		return in, apperr.Invalid(apperr.TooLong, "the description is longer than 500 characters").With("field", "description").
			With("max", 500).With("unit", "characters")
	}
	if len(in.Events) == 0 {
		return in, apperr.Invalid(apperr.Required, "name at least one event").With("field", "events")
	}
	for _, e := range in.Events {
		if !e.Valid() {
			return in, apperr.Invalid(apperr.UnsupportedValue, "unknown event %q", e).With("field", "events").With("allowed", EventTypes)
		}
	}
	slices.Sort(in.Events)
	in.Events = slices.Compact(in.Events)
	for _, loc := range in.Locales {
		if !s.locales(loc) {
			return in, apperr.Invalid(apperr.InvalidLocale, "the locale %q is not one of the configured locales", loc).With("field", "locales")
		}
	}
	slices.Sort(in.Locales)
	in.Locales = slices.Compact(in.Locales)
	if in.Locales == nil {
		in.Locales = []string{}
	}
	return in, nil
}

func (s *Service) authorize(ctx context.Context, action string) (account.Actor, error) {
	return account.Authorize(ctx, account.RoleAdmin, action)
}

// Create registers a webhook and returns it with its secret, which is
// never shown again. Admins only.
func (s *Service) Create(ctx context.Context, in Input) (*Webhook, error) {
	p, err := s.authorize(ctx, "manage webhooks")
	if err != nil {
		return nil, err
	}
	if in, err = s.check(in); err != nil {
		return nil, err
	}
	existing, err := s.store.Webhooks(ctx)
	if err != nil {
		return nil, err
	}
	if len(existing) >= MaxWebhooks {
		return nil, apperr.Invalid(apperr.TooMany, "there are %d webhooks already, the most there may be; delete one first", MaxWebhooks).
			With("max", MaxWebhooks)
	}
	now := s.now()
	w := Webhook{ID: newID(), URL: in.URL, Description: in.Description, Events: in.Events, Locales: in.Locales,
		Secret: newSecret(), CreatedAt: now, CreatedBy: p.UserID, UpdatedAt: now}
	if err := s.store.CreateWebhook(ctx, w); err != nil {
		return nil, err
	}
	return &w, nil
}

// Update changes a webhook's URL, description, events and locales; the
// secret stays. Admins only.
func (s *Service) Update(ctx context.Context, id string, in Input) (*Webhook, error) {
	if _, err := s.authorize(ctx, "manage webhooks"); err != nil {
		return nil, err
	}
	in, err := s.check(in)
	if err != nil {
		return nil, err
	}
	w, err := s.store.Webhook(ctx, id)
	if err != nil {
		return nil, err
	}
	w.URL, w.Description, w.Events, w.Locales, w.UpdatedAt = in.URL, in.Description, in.Events, in.Locales, s.now()
	if err := s.store.UpdateWebhook(ctx, w); err != nil {
		return nil, err
	}
	return hideSecrets(w), nil
}

// RotateSecret gives a webhook a new secret and returns it (shown once);
// the old one goes on signing for RotationOverlap. Admins only.
func (s *Service) RotateSecret(ctx context.Context, id string) (*Webhook, error) {
	if _, err := s.authorize(ctx, "manage webhooks"); err != nil {
		return nil, err
	}
	w, err := s.store.Webhook(ctx, id)
	if err != nil {
		return nil, err
	}
	now := s.now()
	w.PreviousSecret, w.PreviousSecretExpiresAt = w.Secret, now.Add(RotationOverlap)
	w.Secret, w.UpdatedAt = newSecret(), now
	if err := s.store.SetSecrets(ctx, w); err != nil {
		return nil, err
	}
	shown := *hideSecrets(w)
	shown.Secret = w.Secret
	return &shown, nil
}

// Delete removes a webhook with its deliveries. Admins only.
func (s *Service) Delete(ctx context.Context, id string) error {
	if _, err := s.authorize(ctx, "manage webhooks"); err != nil {
		return err
	}
	return s.store.DeleteWebhook(ctx, id)
}

// Webhooks lists every webhook, without secrets. Admins only.
func (s *Service) Webhooks(ctx context.Context) ([]*Webhook, error) {
	if _, err := s.authorize(ctx, "see webhooks"); err != nil {
		return nil, err
	}
	list, err := s.store.Webhooks(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]*Webhook, len(list))
	for i, w := range list {
		out[i] = hideSecrets(w)
	}
	return out, nil
}

// Deliveries pages through a webhook's deliveries, newest first, with
// every attempt. hasNext tells whether more follow. Admins only.
func (s *Service) Deliveries(ctx context.Context, webhookID string, page Page) (list []Delivery, hasNext bool, err error) {
	if _, err := s.authorize(ctx, "see webhook deliveries"); err != nil {
		return nil, false, err
	}
	if _, err := s.store.Webhook(ctx, webhookID); err != nil {
		return nil, false, err
	}
	want := page.Limit
	page.Limit++
	list, err = s.store.Deliveries(ctx, webhookID, page)
	if err != nil {
		return nil, false, err
	}
	if len(list) > want {
		return list[:want], true, nil
	}
	return list, false, nil
}

// Redeliver queues a delivery again, whatever became of it, and returns
// it. Admins only.
func (s *Service) Redeliver(ctx context.Context, deliveryID string) (*Delivery, error) {
	if _, err := s.authorize(ctx, "redeliver webhooks"); err != nil {
		return nil, err
	}
	err := s.store.InTx(ctx, func(tx Tx) error {
		if _, err := tx.Delivery(ctx, deliveryID); err != nil {
			return err
		}
		if err := tx.ResetDelivery(ctx, deliveryID, s.now()); err != nil {
			return err
		}
		return s.queue.enqueue(ctx, tx, []string{deliveryID})
	})
	if err != nil {
		return nil, err
	}
	d, err := s.store.Delivery(ctx, deliveryID)
	return &d, err
}

// Record stores ev with a delivery for each webhook that wants it, and
// queues those, all in tx: the transaction of the change ev describes.
// Without a matching webhook it writes nothing.
func (s *Service) Record(ctx context.Context, tx Tx, ev *Event) error {
	hooks, err := tx.Webhooks(ctx)
	if err != nil {
		return err
	}
	var deliveries []Delivery
	for _, w := range hooks {
		if w.matches(ev) {
			deliveries = append(deliveries, Delivery{ID: newID(), WebhookID: w.ID, EventID: ev.ID, EventType: ev.Type,
				Status: Pending, CreatedAt: ev.OccurredAt, UpdatedAt: ev.OccurredAt})
		}
	}
	if len(deliveries) == 0 {
		return nil
	}
	body, err := json.Marshal(ev)
	if err != nil {
		return fmt.Errorf("encode webhook event: %w", err)
	}
	if err := tx.RecordEvent(ctx, ev.ID, ev.Type, body, ev.OccurredAt, deliveries); err != nil {
		return err
	}
	ids := make([]string, len(deliveries))
	for i, d := range deliveries {
		ids[i] = d.ID
	}
	return s.queue.enqueue(ctx, tx, ids)
}

// Pending counts the deliveries not done yet, for the queue depth metric.
func (s *Service) Pending(ctx context.Context) (int, error) { return s.store.PendingDeliveries(ctx) }

// EventRetention is how long events and their delivery logs are kept
// once every delivery of them is done.
const EventRetention = 30 * 24 * time.Hour

// Prune deletes the events older than EventRetention whose deliveries are
// done, with their delivery logs, so the log does not grow without bound.
func (s *Service) Prune(ctx context.Context) (int, error) {
	return s.store.PruneEvents(ctx, s.now().Add(-EventRetention))
}

// hideSecrets returns w without its secrets.
func hideSecrets(w Webhook) *Webhook {
	w.Secret, w.PreviousSecret = "", ""
	return &w
}
