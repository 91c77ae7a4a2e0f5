package httpserver_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/werkwijzer/werkwijzer/internal/account"
	"github.com/werkwijzer/werkwijzer/internal/content"
	"github.com/werkwijzer/werkwijzer/internal/database"
	"github.com/werkwijzer/werkwijzer/internal/dbtest"
	"github.com/werkwijzer/werkwijzer/internal/testserver"
	"github.com/werkwijzer/werkwijzer/internal/webhook"
)

// TestWebhooksThroughTheAPI is the README's walkthrough through GraphQL:
// an admin registers a receiver and gets its secret once, a publication
// reaches the receiver signed, the delivery is listed with its attempt and
// can be redelivered; an editor may do none of it.
func TestWebhooksThroughTheAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		a := apiOf(t, db, testserver.New(t, db, testserver.Options{Webhooks: true}))
		admin := a.signIn(t, "admin@example.com", account.RoleAdmin)
		editor := a.signIn(t, "editor@example.com", account.RoleEditor)

		var mu sync.Mutex
		var got []string // event ids, in arrival order
		recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			if !strings.HasPrefix(r.Header.Get(webhook.SignatureHeader), "t=") || !strings.Contains(string(body), `"type":"ENTRY_PUBLISHED"`) {
				w.WriteHeader(http.StatusBadRequest)
				return
			}
			mu.Lock()
			got = append(got, r.Header.Get(webhook.EventIDHeader))
			mu.Unlock()
		}))
		t.Cleanup(recv.Close)
		received := func() []string {
			mu.Lock()
			defer mu.Unlock()
			return append([]string(nil), got...)
		}

		const create = `mutation($in: WebhookInput!) { createWebhook(input: $in) { id url events locales secret } }`
		input := map[string]any{"in": map[string]any{"url": recv.URL + "/revalidate", "events": []string{"ENTRY_PUBLISHED"}, "locales": []string{"nl"}}}
		if code := a.post(create, input, editor...).code(t); code != "FORBIDDEN" {
			t.Fatalf("an editor creating a webhook: %s, want FORBIDDEN", code)
		}
		var created struct {
			CreateWebhook struct {
				ID, URL, Secret string
				Locales         []string
			}
		}
		a.post(create, input, admin...).ok(t, &created)
		if !strings.HasPrefix(created.CreateWebhook.Secret, "whsec_") {
			t.Fatalf("createWebhook returned the secret %q", created.CreateWebhook.Secret)
		}
		var list struct {
			Webhooks []struct {
				ID     string
				Secret *string
			}
		}
		a.post(`{ webhooks { id secret } }`, nil, admin...).ok(t, &list)
		if len(list.Webhooks) != 1 || list.Webhooks[0].Secret != nil {
			t.Fatalf("webhooks: %+v; want the one, without its secret", list.Webhooks)
		}

		a.publishFAQ(t, map[string]content.FAQFields{"nl": {Question: "Hoe werkt het?", Answer: "Zo."}}, "hoe-werkt-het")
		waitUntil(t, "the delivery", func() bool { return len(received()) == 1 })

		type deliveries struct {
			WebhookDeliveries struct {
				Edges []struct {
					Node struct {
						ID, EventID, Status string
						Attempts            []struct{ StatusCode int }
					}
				}
			}
		}
		const listDeliveries = `query($id: ID!) { webhookDeliveries(webhookId: $id, first: 10) { edges { node { id eventId status attempts { statusCode } } } } }`
		var ds deliveries
		waitUntil(t, "the delivery to be logged", func() bool {
			a.post(listDeliveries, map[string]any{"id": created.CreateWebhook.ID}, admin...).ok(t, &ds)
			return len(ds.WebhookDeliveries.Edges) == 1 && ds.WebhookDeliveries.Edges[0].Node.Status == "SUCCEEDED"
		})
		d := ds.WebhookDeliveries.Edges[0].Node
		if d.EventID != received()[0] || len(d.Attempts) != 1 || d.Attempts[0].StatusCode != 200 {
			t.Fatalf("delivery %+v; the receiver got %v", d, received())
		}

		const redeliver = `mutation($id: ID!) { redeliverWebhook(deliveryId: $id) { id status } }`
		if code := a.post(redeliver, map[string]any{"id": d.ID}, editor...).code(t); code != "FORBIDDEN" {
			t.Fatalf("an editor redelivering: %s, want FORBIDDEN", code)
		}
		var again struct{ RedeliverWebhook struct{ ID, Status string } }
		a.post(redeliver, map[string]any{"id": d.ID}, admin...).ok(t, &again)
		if again.RedeliverWebhook.Status != "PENDING" {
			t.Fatalf("a redelivered delivery is %s, want PENDING", again.RedeliverWebhook.Status)
		}
		waitUntil(t, "the redelivery", func() bool { return len(received()) == 2 })
		if r := received(); r[1] != r[0] {
			t.Fatalf("the redelivery sent event %s, want %s", r[1], r[0])
		}
	})
}

// waitUntil polls cond until it holds or ten seconds pass.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
