package admin_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/werkwijzer/werkwijzer/internal/account"
	"github.com/werkwijzer/werkwijzer/internal/content"
	"github.com/werkwijzer/werkwijzer/internal/dbtest"
	"github.com/werkwijzer/werkwijzer/internal/httpserver"
	"github.com/werkwijzer/werkwijzer/internal/testserver"
)

// TestWebhookScreen: an admin adds a webhook and sees its secret once, a
// publication shows up as a delivery that can be redelivered, and the
// webhook is deleted only after a confirmation.
func TestWebhookScreen(t *testing.T) {
	ts := testserver.New(t, dbtest.SQLite(t), testserver.Options{
		Webhooks:  true,
		Configure: func(c *httpserver.Config) { c.Playground = false },
	})
	srv := &server{accounts: ts.Accounts, bearers: map[string]bool{}}
	hs := httptest.NewServer(srv.observe(ts.Handler))
	t.Cleanup(hs.Close)
	srv.URL = hs.URL
	var hits atomic.Int64
	recv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { hits.Add(1) }))
	t.Cleanup(recv.Close)

	srv.createUser(t, "admin@example.com", account.RoleAdmin)
	b := newBrowser(t, srv)
	b.login(t, "admin@example.com")
	b.open(t, "#/webhooks")
	b.waitVisible(t, `#webhooks-empty`)
	b.typeInto(t, "new-webhook-url", recv.URL+"/revalidate")
	b.typeInto(t, "new-webhook-description", "Next.js")
	b.do(t, chromedp.Click(chromedp.ID("new-webhook-submit")))
	b.waitVisible(t, `section[data-webhook] .notice code`)
	secret := b.eval(t, `document.querySelector('section[data-webhook] .notice code').textContent`)
	if !strings.HasPrefix(secret, "whsec_") {
		t.Fatalf("the secret shown once is %q", secret)
	}
	id := b.eval(t, `document.querySelector('section[data-webhook]').getAttribute('aria-labelledby').replace(/^webhook-|-title$/g, '')`)

	faq, err := ts.Content.Create(account.WithOperator(context.Background()), content.FAQStructure{}, map[string]content.TranslationInput{
		"nl": {Slug: "webhook-vraag", Fields: content.FAQFields{Question: "Vraag?", Answer: "Antwoord."}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ts.Content.Publish(account.WithOperator(context.Background()), faq.ID, []string{"nl"}); err != nil {
		t.Fatal(err)
	}
	waitHits(t, &hits, 1)
	b.do(t, chromedp.Click(chromedp.ID("webhook-"+id+"-deliveries")))
	b.waitVisible(t, `table.deliveries tr[data-delivery]`)
	b.do(t, chromedp.Click(chromedp.CSS(`table.deliveries tr[data-delivery] button`)))
	b.waitVisible(t, `.notice-success`)
	waitHits(t, &hits, 2)

	b.reload(t)
	b.waitVisible(t, `section[data-webhook]`)
	if b.eval(t, fmt.Sprintf(`String(document.body.innerText.includes(%q))`, secret)) == "true" {
		t.Fatal("the secret is shown again after a reload")
	}
	b.do(t, chromedp.Click(chromedp.ID("webhook-"+id+"-delete")))
	b.waitText(t, "#webhook-"+id+"-delete", "Confirm")
	if !b.exists(t, `section[data-webhook]`) {
		t.Fatal("one click deleted the webhook")
	}
	b.do(t, chromedp.Click(chromedp.ID("webhook-"+id+"-delete")))
	b.waitVisible(t, `#webhooks-empty`)
}

// waitHits waits until the receiver was called n times.
func waitHits(t *testing.T, hits *atomic.Int64, n int64) {
	t.Helper()
	deadline := time.Now().Add(stepTimeout)
	for hits.Load() < n {
		if time.Now().After(deadline) {
			t.Fatalf("the receiver got %d requests, want %d", hits.Load(), n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
