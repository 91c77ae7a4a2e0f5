package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/werkwijzer/werkwijzer/internal/apperr"
	"github.com/werkwijzer/werkwijzer/internal/content"
	"github.com/werkwijzer/werkwijzer/internal/store/datatypes"
	"github.com/werkwijzer/werkwijzer/internal/vacancy"
	"github.com/werkwijzer/werkwijzer/internal/webhook"
)

// Webhooks stores webhooks, their events, deliveries and attempts.
type Webhooks struct {
	db *gorm.DB
}

// NewWebhooks returns the webhook store on db.
func NewWebhooks(db *gorm.DB) *Webhooks { return &Webhooks{db: db} }

var _ webhook.Tx = (*Webhooks)(nil)

type webhookRow struct {
	ID                      string
	URL                     string
	Description             string
	Events                  datatypes.JSONType[[]string]
	Locales                 datatypes.JSONType[[]string]
	Secret                  string
	PreviousSecret          *string
	PreviousSecretExpiresAt *time.Time
	CreatedAt               time.Time
	CreatedBy               *string
	UpdatedAt               time.Time
}

func (webhookRow) TableName() string { return "webhooks" }

func toWebhookRow(w webhook.Webhook) webhookRow {
	events := make([]string, len(w.Events))
	for i, e := range w.Events {
		events[i] = string(e)
	}
	locales := w.Locales
	if locales == nil {
		locales = []string{}
	}
	r := webhookRow{
		ID: w.ID, URL: w.URL, Description: w.Description,
		Events: datatypes.NewJSONType(events), Locales: datatypes.NewJSONType(locales),
		Secret: w.Secret, CreatedAt: w.CreatedAt.UTC(), UpdatedAt: w.UpdatedAt.UTC(),
	}
	if w.PreviousSecret != "" {
		r.PreviousSecret, r.PreviousSecretExpiresAt = &w.PreviousSecret, timePtr(w.PreviousSecretExpiresAt)
	}
	if w.CreatedBy != "" {
		r.CreatedBy = &w.CreatedBy
	}
	return r
}

func (r webhookRow) toWebhook() webhook.Webhook {
	w := webhook.Webhook{
		ID: r.ID, URL: r.URL, Description: r.Description, Locales: r.Locales.Data(),
		Secret: r.Secret, PreviousSecret: deref(r.PreviousSecret), PreviousSecretExpiresAt: timeOf(r.PreviousSecretExpiresAt),
		CreatedAt: r.CreatedAt.UTC(), CreatedBy: deref(r.CreatedBy), UpdatedAt: r.UpdatedAt.UTC(),
	}
	for _, e := range r.Events.Data() {
		w.Events = append(w.Events, webhook.EventType(e))
	}
	return w
}

type webhookEventRow struct {
	ID        string
	Type      string
	Body      string
	CreatedAt time.Time
}

func (webhookEventRow) TableName() string { return "webhook_events" }

type webhookDeliveryRow struct {
	ID             string
	WebhookID      string
	EventID        string
	Status         string
	Attempts       int
	LastStatusCode *int
	LastError      string
	CreatedAt      time.Time
	UpdatedAt      time.Time
	// EventType is read from the joined event, never written.
	EventType string `gorm:"->;-:migration"`
}

func (webhookDeliveryRow) TableName() string { return "webhook_deliveries" }

func (r webhookDeliveryRow) toDelivery() webhook.Delivery {
	d := webhook.Delivery{
		ID: r.ID, WebhookID: r.WebhookID, EventID: r.EventID, EventType: webhook.EventType(r.EventType),
		Status: webhook.DeliveryStatus(r.Status), Attempts: r.Attempts, LastError: r.LastError,
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(),
	}
	if r.LastStatusCode != nil {
		d.LastStatusCode = *r.LastStatusCode
	}
	return d
}

type webhookAttemptRow struct {
	ID              string
	DeliveryID      string
	Number          int
	StartedAt       time.Time
	DurationMs      int
	StatusCode      *int
	Error           string
	ResponseExcerpt string
}

func (webhookAttemptRow) TableName() string { return "webhook_attempts" }

func (r webhookAttemptRow) toAttempt() webhook.Attempt {
	a := webhook.Attempt{
		ID: r.ID, DeliveryID: r.DeliveryID, Number: r.Number, StartedAt: r.StartedAt.UTC(),
		Duration: time.Duration(r.DurationMs) * time.Millisecond, Error: r.Error, ResponseExcerpt: r.ResponseExcerpt,
	}
	if r.StatusCode != nil {
		a.StatusCode = *r.StatusCode
	}
	return a
}

func intPtr(n int) *int {
	if n == 0 {
		return nil
	}
	return &n
}

// InTx runs fn in one transaction.
func (s *Webhooks) InTx(ctx context.Context, fn func(webhook.Tx) error) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return fn(&Webhooks{db: tx})
	})
}

// InContentTx returns the webhook store inside the transaction of a
// content change, for the content service's change recorder.
func (s *Webhooks) InContentTx(tx content.Store) (webhook.Tx, error) {
	c, ok := tx.(*Content)
	if !ok {
		return nil, fmt.Errorf("webhooks: a content transaction of type %T is not this store's", tx)
	}
	return &Webhooks{db: c.db}, nil
}

// InVacancyTx returns the webhook store inside the transaction of a
// vacancy sync, for the vacancy service's sync recorder.
func (s *Webhooks) InVacancyTx(tx vacancy.Store) (webhook.Tx, error) {
	v, ok := tx.(*Vacancies)
	if !ok {
		return nil, fmt.Errorf("webhooks: a vacancy transaction of type %T is not this store's", tx)
	}
	return &Webhooks{db: v.db}, nil
}

// SQLTx is the database/sql transaction under the store's, for River.
func (s *Webhooks) SQLTx() (*sql.Tx, error) {
	tx, ok := s.db.Statement.ConnPool.(*sql.Tx)
	if !ok {
		return nil, errors.New("webhooks: not inside a transaction")
	}
	return tx, nil
}

func webhookNotFound(id string) error {
	return apperr.New(apperr.NotFound, "no webhook has the id %q", id).With("field", "id")
}

// CreateWebhook inserts w.
func (s *Webhooks) CreateWebhook(ctx context.Context, w webhook.Webhook) error {
	r := toWebhookRow(w)
	if err := s.db.WithContext(ctx).Create(&r).Error; err != nil {
		return fmt.Errorf("create webhook: %w", err)
	}
	return nil
}

// UpdateWebhook sets the URL, description, events and locales.
func (s *Webhooks) UpdateWebhook(ctx context.Context, w webhook.Webhook) error {
	r := toWebhookRow(w)
	res := s.db.WithContext(ctx).Model(&webhookRow{}).Where("id = ?", w.ID).
		Select("url", "description", "events", "locales", "updated_at").Updates(&r)
	if res.Error != nil {
		return fmt.Errorf("update webhook %s: %w", w.ID, res.Error)
	}
	if res.RowsAffected == 0 {
		return webhookNotFound(w.ID)
	}
	return nil
}

// SetSecrets replaces the current and previous secrets.
func (s *Webhooks) SetSecrets(ctx context.Context, w webhook.Webhook) error {
	r := toWebhookRow(w)
	res := s.db.WithContext(ctx).Model(&webhookRow{}).Where("id = ?", w.ID).
		Select("secret", "previous_secret", "previous_secret_expires_at", "updated_at").Updates(&r)
	if res.Error != nil {
		return fmt.Errorf("set secrets of webhook %s: %w", w.ID, res.Error)
	}
	if res.RowsAffected == 0 {
		return webhookNotFound(w.ID)
	}
	return nil
}

// DeleteWebhook deletes a webhook; its deliveries and their attempts go
// with it (ON DELETE CASCADE).
func (s *Webhooks) DeleteWebhook(ctx context.Context, id string) error {
	res := s.db.WithContext(ctx).Where("id = ?", id).Delete(&webhookRow{})
	if res.Error != nil {
		return fmt.Errorf("delete webhook %s: %w", id, res.Error)
	}
	if res.RowsAffected == 0 {
		return webhookNotFound(id)
	}
	return nil
}

// Webhook returns one webhook with its secrets.
func (s *Webhooks) Webhook(ctx context.Context, id string) (webhook.Webhook, error) {
	var rows []webhookRow
	if err := s.db.WithContext(ctx).Where("id = ?", id).Limit(1).Find(&rows).Error; err != nil {
		return webhook.Webhook{}, fmt.Errorf("read webhook %s: %w", id, err)
	}
	if len(rows) == 0 {
		return webhook.Webhook{}, webhookNotFound(id)
	}
	return rows[0].toWebhook(), nil
}

// Webhooks lists every webhook, oldest first.
func (s *Webhooks) Webhooks(ctx context.Context) ([]webhook.Webhook, error) {
	var rows []webhookRow
	if err := s.db.WithContext(ctx).Order("id").Limit(webhook.MaxWebhooks + 1).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list webhooks: %w", err)
	}
	out := make([]webhook.Webhook, len(rows))
	for i, r := range rows {
		out[i] = r.toWebhook()
	}
	return out, nil
}

func (s *Webhooks) deliveryQuery(ctx context.Context) *gorm.DB {
	return s.db.WithContext(ctx).Table("webhook_deliveries AS d").
		Select("d.*, e.type AS event_type").Joins("JOIN webhook_events AS e ON e.id = d.event_id")
}

// Deliveries pages through a webhook's deliveries, newest first, each with
// its attempts.
func (s *Webhooks) Deliveries(ctx context.Context, webhookID string, page webhook.Page) ([]webhook.Delivery, error) {
	q := s.deliveryQuery(ctx).Where("d.webhook_id = ?", webhookID)
	if page.AfterID != "" {
		q = q.Where("d.id < ?", page.AfterID)
	}
	var rows []webhookDeliveryRow
	if err := q.Order("d.id DESC").Limit(page.Limit).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list deliveries of webhook %s: %w", webhookID, err)
	}
	return s.withAttempts(ctx, rows)
}

// Delivery returns one delivery with its attempts.
func (s *Webhooks) Delivery(ctx context.Context, id string) (webhook.Delivery, error) {
	var rows []webhookDeliveryRow
	if err := s.deliveryQuery(ctx).Where("d.id = ?", id).Limit(1).Find(&rows).Error; err != nil {
		return webhook.Delivery{}, fmt.Errorf("read delivery %s: %w", id, err)
	}
	if len(rows) == 0 {
		return webhook.Delivery{}, apperr.New(apperr.NotFound, "no webhook delivery has the id %q", id).With("field", "deliveryId")
	}
	list, err := s.withAttempts(ctx, rows)
	if err != nil {
		return webhook.Delivery{}, err
	}
	return list[0], nil
}

// withAttempts converts rows and reads their attempts in one statement.
func (s *Webhooks) withAttempts(ctx context.Context, rows []webhookDeliveryRow) ([]webhook.Delivery, error) {
	out := make([]webhook.Delivery, len(rows))
	if len(rows) == 0 {
		return out, nil
	}
	ids := make([]string, len(rows))
	at := make(map[string]int, len(rows))
	for i, r := range rows {
		out[i], ids[i], at[r.ID] = r.toDelivery(), r.ID, i
	}
	var attempts []webhookAttemptRow
	if err := s.db.WithContext(ctx).Where("delivery_id IN ?", ids).Order("id").Find(&attempts).Error; err != nil {
		return nil, fmt.Errorf("read delivery attempts: %w", err)
	}
	for _, a := range attempts {
		i := at[a.DeliveryID]
		out[i].Log = append(out[i].Log, a.toAttempt())
	}
	return out, nil
}

// DeliveryBody returns a delivery with its webhook and the event's body.
func (s *Webhooks) DeliveryBody(ctx context.Context, id string) (webhook.Webhook, []byte, webhook.Delivery, error) {
	var rows []webhookDeliveryRow
	if err := s.deliveryQuery(ctx).Where("d.id = ?", id).Limit(1).Find(&rows).Error; err != nil {
		return webhook.Webhook{}, nil, webhook.Delivery{}, fmt.Errorf("read delivery %s: %w", id, err)
	}
	if len(rows) == 0 {
		return webhook.Webhook{}, nil, webhook.Delivery{}, apperr.New(apperr.NotFound, "no webhook delivery has the id %q", id)
	}
	d := rows[0].toDelivery()
	w, err := s.Webhook(ctx, d.WebhookID)
	if err != nil {
		return webhook.Webhook{}, nil, webhook.Delivery{}, err
	}
	var body string
	if err := s.db.WithContext(ctx).Table("webhook_events").Select("body").Where("id = ?", d.EventID).Scan(&body).Error; err != nil {
		return webhook.Webhook{}, nil, webhook.Delivery{}, fmt.Errorf("read event %s: %w", d.EventID, err)
	}
	return w, []byte(body), d, nil
}

// RecordAttempt appends an attempt and updates its delivery, in one
// transaction.
func (s *Webhooks) RecordAttempt(ctx context.Context, a webhook.Attempt, status webhook.DeliveryStatus) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		r := webhookAttemptRow{
			ID: a.ID, DeliveryID: a.DeliveryID, Number: a.Number, StartedAt: a.StartedAt.UTC(),
			DurationMs: int(a.Duration.Milliseconds()), StatusCode: intPtr(a.StatusCode), Error: a.Error, ResponseExcerpt: a.ResponseExcerpt,
		}
		if err := tx.Create(&r).Error; err != nil {
			return fmt.Errorf("record delivery attempt: %w", err)
		}
		err := tx.Table("webhook_deliveries").Where("id = ?", a.DeliveryID).Updates(map[string]any{
			"status": string(status), "attempts": gorm.Expr("attempts + 1"), "last_status_code": intPtr(a.StatusCode),
			"last_error": a.Error, "updated_at": a.StartedAt.Add(a.Duration).UTC(),
		}).Error
		if err != nil {
			return fmt.Errorf("update delivery %s: %w", a.DeliveryID, err)
		}
		return nil
	})
}

// PendingDeliveries counts the deliveries not done yet.
func (s *Webhooks) PendingDeliveries(ctx context.Context) (int, error) {
	var n int64
	if err := s.db.WithContext(ctx).Table("webhook_deliveries").Where("status = ?", string(webhook.Pending)).Count(&n).Error; err != nil {
		return 0, fmt.Errorf("count pending deliveries: %w", err)
	}
	return int(n), nil
}

// RecordEvent stores an event and its deliveries.
func (s *Webhooks) RecordEvent(ctx context.Context, id string, typ webhook.EventType, body []byte, at time.Time, deliveries []webhook.Delivery) error {
	ev := webhookEventRow{ID: id, Type: string(typ), Body: string(body), CreatedAt: at.UTC()}
	if err := s.db.WithContext(ctx).Create(&ev).Error; err != nil {
		return fmt.Errorf("record webhook event: %w", err)
	}
	rows := make([]webhookDeliveryRow, len(deliveries))
	for i, d := range deliveries {
		rows[i] = webhookDeliveryRow{ID: d.ID, WebhookID: d.WebhookID, EventID: id, Status: string(d.Status),
			CreatedAt: d.CreatedAt.UTC(), UpdatedAt: d.UpdatedAt.UTC()}
	}
	if err := s.db.WithContext(ctx).Omit("event_type").Create(&rows).Error; err != nil {
		return fmt.Errorf("record webhook deliveries: %w", err)
	}
	return nil
}

// ResetDelivery makes a delivery pending again.
func (s *Webhooks) ResetDelivery(ctx context.Context, id string, at time.Time) error {
	err := s.db.WithContext(ctx).Table("webhook_deliveries").Where("id = ?", id).
		Updates(map[string]any{"status": string(webhook.Pending), "updated_at": at.UTC()}).Error
	if err != nil {
		return fmt.Errorf("reset delivery %s: %w", id, err)
	}
	return nil
}

// PruneEvents deletes the events recorded before before whose deliveries
// are all done (succeeded or failed), with their deliveries and attempts
// (ON DELETE CASCADE), and returns how many it deleted.
func (s *Webhooks) PruneEvents(ctx context.Context, before time.Time) (int, error) {
	pending := s.db.Table("webhook_deliveries").Select("event_id").Where("status = ?", string(webhook.Pending))
	res := s.db.WithContext(ctx).Where("created_at < ? AND id NOT IN (?)", before.UTC(), pending).Delete(&webhookEventRow{})
	if res.Error != nil {
		return 0, fmt.Errorf("prune webhook events: %w", res.Error)
	}
	return int(res.RowsAffected), nil
}
