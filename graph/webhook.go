package graph

import (
	"github.com/werkwijzer/werkwijzer/graph/model"
	"github.com/werkwijzer/werkwijzer/internal/apperr"
	"github.com/werkwijzer/werkwijzer/internal/webhook"
)

// webhooks returns the webhook service, or an error when the server was
// built without one.
func (r *Resolver) webhooks() (*webhook.Service, error) {
	if r.Webhooks == nil {
		return nil, apperr.New(apperr.Internal, "webhooks are not available on this server")
	}
	return r.Webhooks, nil
}

func webhookInput(in model.WebhookInput) webhook.Input {
	out := webhook.Input{URL: in.URL, Locales: in.Locales.Value()}
	if d := in.Description.Value(); d != nil {
		out.Description = *d
	}
	for _, e := range in.Events {
		out.Events = append(out.Events, webhook.EventType(e))
	}
	return out
}

func toWebhook(w *webhook.Webhook) *model.Webhook {
	out := &model.Webhook{
		ID: w.ID, URL: w.URL, Description: w.Description, Locales: w.Locales,
		CreatedAt: w.CreatedAt, UpdatedAt: w.UpdatedAt,
	}
	if out.Locales == nil {
		out.Locales = []string{}
	}
	for _, e := range w.Events {
		out.Events = append(out.Events, model.WebhookEvent(e))
	}
	if w.Secret != "" {
		out.Secret = &w.Secret
	}
	if !w.PreviousSecretExpiresAt.IsZero() {
		out.PreviousSecretExpiresAt = &w.PreviousSecretExpiresAt
	}
	return out
}

func toWebhookDelivery(d webhook.Delivery) model.WebhookDelivery {
	out := model.WebhookDelivery{
		ID: d.ID, EventID: d.EventID, Event: model.WebhookEvent(d.EventType), Status: model.WebhookDeliveryStatus(d.Status),
		AttemptCount: d.Attempts, CreatedAt: d.CreatedAt, Attempts: make([]model.WebhookAttempt, len(d.Log)),
	}
	for i, a := range d.Log {
		out.Attempts[i] = model.WebhookAttempt{
			Number: a.Number, StartedAt: a.StartedAt, DurationMs: int(a.Duration.Milliseconds()), ResponseExcerpt: a.ResponseExcerpt,
		}
		if a.StatusCode != 0 {
			out.Attempts[i].StatusCode = &a.StatusCode
		}
		if a.Error != "" {
			out.Attempts[i].Error = &a.Error
		}
	}
	return out
}
