package webhook_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/werkwijzer/werkwijzer/internal/account"
	"github.com/werkwijzer/werkwijzer/internal/apperr"
	"github.com/werkwijzer/werkwijzer/internal/content"
	"github.com/werkwijzer/werkwijzer/internal/database"
	"github.com/werkwijzer/werkwijzer/internal/dbtest"
	"github.com/werkwijzer/werkwijzer/internal/locale"
	"github.com/werkwijzer/werkwijzer/internal/seed"
	"github.com/werkwijzer/werkwijzer/internal/store"
	"github.com/werkwijzer/werkwijzer/internal/vacancy"
	"github.com/werkwijzer/werkwijzer/internal/webhook"
)

var admin = account.WithOperator(context.Background())

// verify is the README's verification recipe, line for line: split the
// header, reject a timestamp older than five minutes, and accept when any
// v1 equals the HMAC-SHA256 of "<t>.<raw body>" with the secret.
func verify(header string, body []byte, secret string, now time.Time) bool {
	var t string
	var sigs []string
	for _, part := range strings.Split(header, ",") {
		k, v, _ := strings.Cut(part, "=")
		switch k {
		case "t":
			t = v
		case "v1":
			sigs = append(sigs, v)
		}
	}
	ts, err := strconv.ParseInt(t, 10, 64)
	if err != nil || now.Sub(time.Unix(ts, 0)) > 5*time.Minute {
		return false
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(t + "." + string(body)))
	want := hex.EncodeToString(mac.Sum(nil))
	for _, s := range sigs {
		if hmac.Equal([]byte(s), []byte(want)) {
			return true
		}
	}
	return false
}

func TestSignatureVerifiesWithTheDocumentedRecipe(t *testing.T) {
	body := []byte(`{"id":"1","type":"ENTRY_PUBLISHED"}`)
	now := time.Unix(1_800_000_000, 0)
	header := webhook.Signature(now, body, "whsec_current", "whsec_previous")
	if !strings.HasPrefix(header, "t=1800000000,v1=") || strings.Count(header, "v1=") != 2 {
		t.Fatalf("header %q: want t= and two v1= during a rotation", header)
	}
	for _, secret := range []string{"whsec_current", "whsec_previous"} {
		if !verify(header, body, secret, now.Add(time.Minute)) {
			t.Errorf("the recipe refuses a signature made with %s", secret)
		}
	}
	if verify(header, body, "whsec_other", now) {
		t.Error("the recipe accepts another secret")
	}
	if verify(header, append(body, ' '), "whsec_current", now) {
		t.Error("the recipe accepts a changed body")
	}
	if verify(header, body, "whsec_current", now.Add(6*time.Minute)) {
		t.Error("the recipe accepts a signature older than five minutes")
	}
}

// env is a content service whose changes are recorded for webhooks.
type env struct {
	db      *database.DB
	content *content.Service
	store   *store.Webhooks
	hooks   *webhook.Service
}

func newEnv(t *testing.T, db *database.DB, allowPrivate bool) *env {
	t.Helper()
	locales, err := locale.NewSet([]string{"nl", "en"})
	if err != nil {
		t.Fatal(err)
	}
	e := &env{db: db, content: content.NewService(store.NewContent(db.Gorm), locales), store: store.NewWebhooks(db.Gorm)}
	e.hooks = newRunner(t, db, e.store, allowPrivate, locales.Supports)
	e.content.RecordChanges(e.hooks.ContentRecorder(e.store.InContentTx))
	return e
}

// newRunner returns a webhook service with a retry delay of milliseconds,
// started until the test ends.
func newRunner(t *testing.T, db *database.DB, st *store.Webhooks, allowPrivate bool, locales func(string) bool) *webhook.Service {
	t.Helper()
	driver, err := db.RiverDriver()
	if err != nil {
		t.Fatal(err)
	}
	svc, err := webhook.New(webhook.Config{
		Store: st, Driver: driver, AllowPrivate: allowPrivate, Locales: locales, Log: slog.New(slog.DiscardHandler),
		RetryDelay: func(int) time.Duration { return 10 * time.Millisecond }, PollInterval: 20 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
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

// publishFAQ creates an FAQ with slug in nl and publishes it.
func (e *env) publishFAQ(t *testing.T, slug string) *content.EntryState {
	t.Helper()
	created, err := e.content.Create(admin, content.FAQStructure{}, map[string]content.TranslationInput{
		"nl": {Slug: slug, Fields: content.FAQFields{Question: "Vraag " + slug + "?", Answer: "Antwoord."}},
	})
	if err != nil {
		t.Fatal(err)
	}
	pub, err := e.content.Publish(admin, created.ID, []string{"nl"})
	if err != nil {
		t.Fatal(err)
	}
	return pub.Entry
}

// delivery is one request a receiver got.
type delivery struct {
	eventID, signature string
	body               []byte
}

// receiver records deliveries and answers with the statuses of answers in
// turn, then 204.
type receiver struct {
	*httptest.Server
	mu       sync.Mutex
	got      []delivery
	answers  []int
	received chan struct{}
}

func newReceiver(t *testing.T, answers ...int) *receiver {
	r := &receiver{answers: answers, received: make(chan struct{}, 100)}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.got = append(r.got, delivery{req.Header.Get(webhook.EventIDHeader), req.Header.Get(webhook.SignatureHeader), body})
		status := http.StatusNoContent
		if len(r.answers) > 0 {
			status, r.answers = r.answers[0], r.answers[1:]
		}
		r.mu.Unlock()
		w.WriteHeader(status)
		_, _ = w.Write([]byte("receiver says " + strconv.Itoa(status)))
		r.received <- struct{}{}
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *receiver) deliveries() []delivery {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]delivery(nil), r.got...)
}

// waitFor polls cond until it holds or ten seconds pass.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (e *env) createHook(t *testing.T, url string, events ...webhook.EventType) *webhook.Webhook {
	t.Helper()
	if len(events) == 0 {
		events = webhook.EventTypes
	}
	w, err := e.hooks.Create(admin, webhook.Input{URL: url, Events: events})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func TestAReceiverThatFailsTwiceGetsTheEventOnTheThirdTry(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db, true)
		recv := newReceiver(t, http.StatusInternalServerError, http.StatusBadGateway)
		hook := e.createHook(t, recv.URL+"/hook")
		entry := e.publishFAQ(t, "eerste-vraag")

		var d webhook.Delivery
		waitFor(t, "the delivery to succeed", func() bool {
			list, _, err := e.hooks.Deliveries(admin, hook.ID, webhook.Page{Limit: 10})
			if err != nil {
				t.Fatal(err)
			}
			if len(list) == 1 {
				d = list[0]
			}
			return d.Status == webhook.Succeeded
		})
		if d.Attempts != 3 || len(d.Log) != 3 {
			t.Fatalf("%d attempts, %d logged; want 3", d.Attempts, len(d.Log))
		}
		for i, want := range []int{500, 502, 204} {
			a := d.Log[i]
			if a.Number != i+1 || a.StatusCode != want || (want != 204 && !strings.Contains(a.ResponseExcerpt, strconv.Itoa(want))) {
				t.Errorf("attempt %d: number %d, status %d, excerpt %q; want status %d", i+1, a.Number, a.StatusCode, a.ResponseExcerpt, want)
			}
		}
		got := recv.deliveries()
		if len(got) != 3 {
			t.Fatalf("the receiver got %d requests, want 3", len(got))
		}
		var ev webhook.Event
		if err := json.Unmarshal(got[2].body, &ev); err != nil {
			t.Fatal(err)
		}
		if got[0].eventID != ev.ID || got[2].eventID != ev.ID || string(got[0].body) != string(got[2].body) {
			t.Errorf("the retries sent another event or body: %q, %q", got[0].eventID, got[2].eventID)
		}
		if ev.Type != webhook.EntryPublished || ev.Entry.ID != entry.ID || ev.Slugs["nl"].Current != "eerste-vraag" {
			t.Errorf("payload %+v", ev)
		}
		if !verify(got[2].signature, got[2].body, hook.Secret, time.Now()) {
			t.Errorf("signature %q does not verify with the secret createWebhook returned", got[2].signature)
		}
	})
}

func TestARolledBackPublishSendsNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db, true)
		recv := newReceiver(t)
		e.createHook(t, recv.URL)
		record := e.hooks.ContentRecorder(e.store.InContentTx)
		boom := errors.New("a later step of the publication failed")
		e.content.RecordChanges(func(ctx context.Context, tx content.Store, c content.Change) error {
			if err := record(ctx, tx, c); err != nil {
				return err
			}
			return boom // the event and its job were written; now the change rolls back
		})
		created, err := e.content.Create(admin, content.FAQStructure{}, map[string]content.TranslationInput{
			"nl": {Slug: "teruggedraaid", Fields: content.FAQFields{Question: "Vraag?", Answer: "Antwoord."}},
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.content.Publish(admin, created.ID, []string{"nl"}); !errors.Is(err, boom) {
			t.Fatalf("publish: %v, want the failure", err)
		}
		var events, jobs int64
		if err := db.Gorm.Table("webhook_events").Count(&events).Error; err != nil {
			t.Fatal(err)
		}
		if err := db.Gorm.Table("river_job").Count(&jobs).Error; err != nil {
			t.Fatal(err)
		}
		if events != 0 || jobs != 0 {
			t.Fatalf("%d events and %d jobs outlived the rolled-back publish", events, jobs)
		}
		time.Sleep(300 * time.Millisecond) // many poll intervals
		if n := len(recv.deliveries()); n != 0 {
			t.Fatalf("the receiver got %d requests", n)
		}
	})
}

func TestPrivateAddressesAreRefused(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db, false)
		for _, url := range []string{
			"https://127.0.0.1/hook", "https://localhost/hook", "https://10.0.0.8/hook", "https://[::1]/hook",
			"https://169.254.169.254/latest", "https://[fd00::1]/hook", "https://2130706433/hook", "http://example.com/hook",
			"ftp://example.com/hook",
		} {
			_, err := e.hooks.Create(admin, webhook.Input{URL: url, Events: webhook.EventTypes})
			if apperr.CodeOf(err) != apperr.BadUserInput {
				t.Errorf("createWebhook(%s): %v, want BAD_USER_INPUT", url, err)
			}
		}

		// A name may resolve to a private address only at delivery time:
		// the dial refuses it then, and the attempt says why.
		recv := newReceiver(t)
		stored := webhook.Webhook{ID: "0193a8d2-0000-7000-8000-000000000001", URL: strings.Replace(recv.URL, "http://", "https://", 1),
			Events: webhook.EventTypes, Secret: "whsec_test", CreatedAt: time.Now(), UpdatedAt: time.Now()}
		if err := e.store.CreateWebhook(context.Background(), stored); err != nil {
			t.Fatal(err)
		}
		e.publishFAQ(t, "prive")
		var d webhook.Delivery
		waitFor(t, "the delivery to fail", func() bool {
			list, _, err := e.hooks.Deliveries(admin, stored.ID, webhook.Page{Limit: 10})
			if err != nil {
				t.Fatal(err)
			}
			if len(list) == 1 {
				d = list[0]
			}
			return d.Status == webhook.Failed
		})
		if d.Attempts != 1 || !strings.Contains(d.LastError, "non-public address") {
			t.Fatalf("%d attempts, last error %q; want one, refused", d.Attempts, d.LastError)
		}
		if n := len(recv.deliveries()); n != 0 {
			t.Fatalf("the private receiver got %d requests", n)
		}
	})
}

func TestARotationSignsWithBothSecrets(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db, true)
		recv := newReceiver(t)
		hook := e.createHook(t, recv.URL, webhook.EntryPublished)
		rotated, err := e.hooks.RotateSecret(admin, hook.ID)
		if err != nil {
			t.Fatal(err)
		}
		if rotated.Secret == "" || rotated.Secret == hook.Secret || rotated.PreviousSecret != "" {
			t.Fatalf("rotation returned secret %q (was %q), previous %q", rotated.Secret, hook.Secret, rotated.PreviousSecret)
		}
		list, err := e.hooks.Webhooks(admin)
		if err != nil || len(list) != 1 || list[0].Secret != "" {
			t.Fatalf("webhooks: %v, %+v: the secret must not be listed", err, list)
		}
		e.publishFAQ(t, "gedraaid")
		waitFor(t, "a delivery", func() bool { return len(recv.deliveries()) == 1 })
		got := recv.deliveries()[0]
		if n := strings.Count(got.signature, "v1="); n != 2 {
			t.Fatalf("signature %q has %d v1 entries, want 2", got.signature, n)
		}
		for _, secret := range []string{hook.Secret, rotated.Secret} {
			if !verify(got.signature, got.body, secret, time.Now()) {
				t.Errorf("the delivery does not verify with %s", secret)
			}
		}
	})
}

func TestTwoReplicasDeliverEachEventOnce(t *testing.T) {
	// Two replicas: each its own connection pool and job runner on one
	// database.
	url := dbtest.NewPostgresURL(t)
	replica := func() *database.DB {
		db, err := database.Open(context.Background(), database.Config{URL: url})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = db.Close() })
		m, err := db.Migrator()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := m.Up(context.Background()); err != nil {
			t.Fatal(err)
		}
		return db
	}
	e := newEnv(t, replica(), true)
	other := replica()
	newRunner(t, other, store.NewWebhooks(other.Gorm), true, nil)

	recv := newReceiver(t)
	e.createHook(t, recv.URL, webhook.EntryPublished)
	const events = 20
	for i := range events {
		e.publishFAQ(t, "vraag-"+strconv.Itoa(i))
	}
	waitFor(t, "every event", func() bool { return len(recv.deliveries()) >= events })
	time.Sleep(300 * time.Millisecond) // room for a duplicate to arrive
	seen := map[string]int{}
	for _, d := range recv.deliveries() {
		seen[d.eventID]++
	}
	if len(seen) != events {
		t.Fatalf("%d distinct events delivered, want %d", len(seen), events)
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("event %s delivered %d times", id, n)
		}
	}
}

func TestAVacancySyncThatChangedSomethingIsAnEvent(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db, true)
		sample, err := seed.Sample()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := seed.Load(context.Background(), e.content, sample); err != nil {
			t.Fatal(err)
		}
		recv := newReceiver(t)
		e.createHook(t, recv.URL, webhook.VacanciesSynced)
		vacancies := vacancy.NewService(store.NewVacancies(db.Gorm), vacancy.Config{
			RecordSync: e.hooks.SyncRecorder(e.store.InVacancyTx),
		})
		rep, err := seed.LoadVacancies(context.Background(), vacancies, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		src, err := vacancies.SourceByName(admin, seed.DemoSourceName)
		if err != nil {
			t.Fatal(err)
		}
		// Closing a vacancy it does not have changes nothing: no event.
		if _, err := vacancies.SyncSource(admin, src.ID, vacancy.SyncRequest{Mode: vacancy.ModeUpsert, Close: []vacancy.Key{{ExternalID: "no-such-vacancy"}}}); err != nil {
			t.Fatal(err)
		}
		waitFor(t, "the delivery", func() bool { return len(recv.deliveries()) >= 1 })
		time.Sleep(200 * time.Millisecond)
		got := recv.deliveries()
		if len(got) != 1 {
			t.Fatalf("the receiver got %d deliveries, want 1 (the sync that changed nothing is no event)", len(got))
		}
		var ev webhook.Event
		if err := json.Unmarshal(got[0].body, &ev); err != nil {
			t.Fatal(err)
		}
		if ev.Type != webhook.VacanciesSynced || ev.Source.Name != seed.DemoSourceName || ev.Vacancies.Created != rep.Created || rep.Created == 0 ||
			len(ev.CacheTags) != 1 || ev.CacheTags[0] != "vacancies" {
			t.Fatalf("event %s; the sync created %d", got[0].body, rep.Created)
		}
	})
}

func TestLocalesFilterEntryEventsAndAnUpdateKeepsTheSecret(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db, true)
		recv := newReceiver(t)
		hook, err := e.hooks.Create(admin, webhook.Input{URL: recv.URL, Events: []webhook.EventType{webhook.EntryPublished}, Locales: []string{"en"}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.hooks.Create(admin, webhook.Input{URL: recv.URL, Events: webhook.EventTypes, Locales: []string{"de"}}); apperr.CodeOf(err) != apperr.BadUserInput {
			t.Fatalf("a locale that is not configured: %v, want BAD_USER_INPUT", err)
		}
		e.publishFAQ(t, "alleen-nederlands")
		time.Sleep(300 * time.Millisecond)
		if n := len(recv.deliveries()); n != 0 {
			t.Fatalf("a Dutch publication reached a webhook for English: %d deliveries", n)
		}
		updated, err := e.hooks.Update(admin, hook.ID, webhook.Input{URL: recv.URL + "/nl", Events: []webhook.EventType{webhook.EntryPublished}, Locales: []string{"nl"}})
		if err != nil {
			t.Fatal(err)
		}
		if updated.Secret != "" || len(updated.Locales) != 1 || updated.Locales[0] != "nl" {
			t.Fatalf("updated webhook %+v", updated)
		}
		e.publishFAQ(t, "weer-nederlands")
		waitFor(t, "the delivery", func() bool { return len(recv.deliveries()) == 1 })
		got := recv.deliveries()[0]
		if !verify(got.signature, got.body, hook.Secret, time.Now()) {
			t.Fatal("after an update the delivery does not verify with the secret createWebhook returned")
		}
	})
}

func TestOldFinishedEventsArePruned(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db, true)
		recv := newReceiver(t)
		hook := e.createHook(t, recv.URL, webhook.EntryPublished)
		e.publishFAQ(t, "oud-nieuws")
		e.publishFAQ(t, "nog-ouder")
		waitFor(t, "both deliveries", func() bool {
			n, err := e.hooks.Pending(context.Background())
			return err == nil && n == 0 && len(recv.deliveries()) == 2
		})
		list, _, err := e.hooks.Deliveries(admin, hook.ID, webhook.Page{Limit: 10})
		if err != nil || len(list) != 2 {
			t.Fatalf("deliveries: %+v, %v", list, err)
		}
		// One is pending again, as if redelivered: it must stay.
		pending := list[0].ID
		if err := e.store.InTx(context.Background(), func(tx webhook.Tx) error { return tx.ResetDelivery(context.Background(), pending, time.Now()) }); err != nil {
			t.Fatal(err)
		}
		if n, err := e.hooks.Prune(admin); err != nil || n != 0 {
			t.Fatalf("pruning young events: %d, %v; want none", n, err)
		}
		if n, err := e.store.PruneEvents(context.Background(), time.Now().Add(time.Hour)); err != nil || n != 1 {
			t.Fatalf("pruning: %d, %v; want the delivered event", n, err)
		}
		list, _, err = e.hooks.Deliveries(admin, hook.ID, webhook.Page{Limit: 10})
		if err != nil || len(list) != 1 || list[0].ID != pending {
			t.Fatalf("after pruning: %+v, %v; want the pending delivery only", list, err)
		}
	})
}
