// Package webhook tells frontends the moment published content changes:
// admins register HTTPS endpoints, every publication, unpublication,
// deletion and vacancy sync that changed something is recorded as an event
// in the transaction of the change (a transactional outbox: a change that
// rolls back sends nothing), and River's job queue delivers each event to
// each matching webhook once, signed, retried with backoff until the
// receiver answers 2xx, with every attempt logged.
package webhook

import (
	"context"
	"database/sql"
	"time"
)

// EventType is what happened.
type EventType string

const (
	EntryPublished   EventType = "ENTRY_PUBLISHED"
	EntryUnpublished EventType = "ENTRY_UNPUBLISHED"
	EntryDeleted     EventType = "ENTRY_DELETED"
	VacanciesSynced  EventType = "VACANCIES_SYNCED"
)

// EventTypes lists every event type.
var EventTypes = []EventType{EntryPublished, EntryUnpublished, EntryDeleted, VacanciesSynced}

// Valid reports whether t is a known event type.
func (t EventType) Valid() bool {
	for _, known := range EventTypes {
		if t == known {
			return true
		}
	}
	return false
}

// Webhook is an endpoint told of the events it subscribed to.
type Webhook struct {
	ID          string
	URL         string
	Description string
	Events      []EventType
	// Locales narrows the entry events to those touching one of them;
	// empty is every locale. Vacancy syncs have no locale and always match.
	Locales []string
	// Secret signs the deliveries. Services hand it out only when it is
	// made (create, rotate); PreviousSecret signs as well until
	// PreviousSecretExpiresAt, so receivers can switch without a gap.
	Secret                  string
	PreviousSecret          string
	PreviousSecretExpiresAt time.Time
	CreatedAt               time.Time
	CreatedBy               string
	UpdatedAt               time.Time
}

// matches reports whether the webhook wants ev.
func (w *Webhook) matches(ev *Event) bool {
	subscribed := false
	for _, t := range w.Events {
		if t == ev.Type {
			subscribed = true
		}
	}
	if !subscribed || len(w.Locales) == 0 || ev.Entry == nil {
		return subscribed
	}
	for _, want := range w.Locales {
		for _, loc := range ev.Locales {
			if want == loc {
				return true
			}
		}
	}
	return false
}

// secrets returns the secrets that sign at now: the current one, and the
// previous one while a rotation lasts.
func (w *Webhook) secrets(now time.Time) []string {
	out := []string{w.Secret}
	if w.PreviousSecret != "" && now.Before(w.PreviousSecretExpiresAt) {
		out = append(out, w.PreviousSecret)
	}
	return out
}

// DeliveryStatus is where a delivery stands.
type DeliveryStatus string

const (
	// Pending: not yet delivered; an attempt is due or running.
	Pending DeliveryStatus = "PENDING"
	// Succeeded: the receiver answered 2xx.
	Succeeded DeliveryStatus = "SUCCEEDED"
	// Failed: every attempt failed, or the address was refused; only
	// RedeliverWebhook tries again.
	Failed DeliveryStatus = "FAILED"
)

// Delivery is one event sent (or being sent) to one webhook.
type Delivery struct {
	ID             string
	WebhookID      string
	EventID        string
	EventType      EventType
	Status         DeliveryStatus
	Attempts       int
	LastStatusCode int // 0: no answer
	LastError      string
	CreatedAt      time.Time
	UpdatedAt      time.Time
	// Log is every attempt, oldest first (filled by Deliveries).
	Log []Attempt
}

// Attempt is one try to deliver.
type Attempt struct {
	ID         string
	DeliveryID string
	Number     int
	StartedAt  time.Time
	Duration   time.Duration
	StatusCode int // 0: no answer
	Error      string
	// ResponseExcerpt is the start of the receiver's answer, for the
	// admin to see why it refused.
	ResponseExcerpt string
}

// Page selects deliveries after a cursor, newest first.
type Page struct {
	AfterID string
	Limit   int
}

// Store is the storage of webhooks, events and deliveries. Missing rows
// are *apperr.Error NotFound.
type Store interface {
	// InTx runs fn in one transaction.
	InTx(ctx context.Context, fn func(Tx) error) error
	CreateWebhook(ctx context.Context, w Webhook) error
	// UpdateWebhook changes the URL, description, events and locales.
	UpdateWebhook(ctx context.Context, w Webhook) error
	// SetSecrets replaces the current and previous secrets.
	SetSecrets(ctx context.Context, w Webhook) error
	DeleteWebhook(ctx context.Context, id string) error
	Webhook(ctx context.Context, id string) (Webhook, error)
	// Webhooks lists every webhook, oldest first.
	Webhooks(ctx context.Context) ([]Webhook, error)
	// Deliveries pages through a webhook's deliveries, newest first, with
	// their attempts.
	Deliveries(ctx context.Context, webhookID string, page Page) ([]Delivery, error)
	// Delivery returns one delivery, with its attempts.
	Delivery(ctx context.Context, id string) (Delivery, error)
	// DeliveryBody returns what a delivery sends: its webhook (with
	// secrets), the event's body and the delivery.
	DeliveryBody(ctx context.Context, id string) (Webhook, []byte, Delivery, error)
	// RecordAttempt appends an attempt and sets the delivery's status.
	RecordAttempt(ctx context.Context, a Attempt, status DeliveryStatus) error
	// PendingDeliveries counts the deliveries not yet done: the queue.
	PendingDeliveries(ctx context.Context) (int, error)
	// PruneEvents deletes the events recorded before before whose
	// deliveries are all done, with their deliveries and attempts.
	PruneEvents(ctx context.Context, before time.Time) (int, error)
}

// Tx is a Store inside a transaction, with the transaction itself for the
// job queue to insert its jobs into.
type Tx interface {
	Store
	// SQLTx is the transaction River inserts jobs in.
	SQLTx() (*sql.Tx, error)
	// RecordEvent stores an event and a pending delivery per webhook.
	RecordEvent(ctx context.Context, id string, typ EventType, body []byte, at time.Time, deliveries []Delivery) error
	// ResetDelivery makes a delivery pending again.
	ResetDelivery(ctx context.Context, id string, at time.Time) error
}
