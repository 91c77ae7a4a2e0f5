package httpserver_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/werkwijzer/werkwijzer/internal/account"
	"github.com/werkwijzer/werkwijzer/internal/answercache"
	"github.com/werkwijzer/werkwijzer/internal/content"
	"github.com/werkwijzer/werkwijzer/internal/database"
	"github.com/werkwijzer/werkwijzer/internal/dbtest"
	"github.com/werkwijzer/werkwijzer/internal/httpserver"
	"github.com/werkwijzer/werkwijzer/internal/store"
	"github.com/werkwijzer/werkwijzer/internal/testserver"
)

// replica is one server process's state: its answer cache, the fan-out
// of its invalidations, and the payloads it heard from the others.
type replica struct {
	*api
	replicas *answercache.Replicas
	heard    chan string
}

// replicate wires a's content changes, cache and persisted queries the
// way internal/app does, and listens for the other replicas until the
// test ends.
func replicate(t *testing.T, db *database.DB, build func(func(*httpserver.Config)) *api) *replica {
	t.Helper()
	return replicateCaches(t, db, build, answercache.New(8<<20), nil)
}

// replicateCaches is replicate with the given caches (nil: none).
func replicateCaches(t *testing.T, db *database.DB, build func(func(*httpserver.Config)) *api, answers *answercache.Cache, entities *content.EntityCache) *replica {
	t.Helper()
	r := &replica{heard: make(chan string, 64)}
	r.replicas = answercache.NewReplicas(db, slog.New(slog.NewTextHandler(io.Discard, nil)), answers, entities)
	r.api = build(func(c *httpserver.Config) {
		c.AnswerCache = answers
		c.PersistedQueries = store.NewPersistedQueries(db.Gorm)
		c.Content.UseEntityCache(entities)
		c.Content.OnChange(func(ctx context.Context, tags []string) { r.replicas.Invalidate(ctx, tags...) })
	})
	r.listen(t, db)
	return r
}

// listen hands r the other replicas' notifications until the test ends.
func (r *replica) listen(t *testing.T, db *database.DB) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = db.Listen(ctx, answercache.Channel, func(p string) {
			select {
			case r.heard <- p:
			default:
			}
			r.replicas.Receive(p)
		}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	}()
	t.Cleanup(func() { cancel(); <-done })
}

// unseededAPI is a second server on a database another one seeded.
func unseededAPI(t *testing.T, db *database.DB, configure func(*httpserver.Config)) *api {
	t.Helper()
	return apiOf(t, db, testserver.New(t, db, testserver.Options{Unseeded: true, Configure: configure}))
}

// TestTwoReplicasShareInvalidationsAndPersistedQueries: two servers on
// one PostgreSQL database; a publish through one is served fresh by the
// other within a second, and a persisted query registered on one is known
// to the other.
func TestTwoReplicasShareInvalidationsAndPersistedQueries(t *testing.T) {
	db := dbtest.Postgres(t)
	a := replicate(t, db, func(c func(*httpserver.Config)) *api { return newAPIWith(t, db, c) })
	b := replicate(t, db, func(c func(*httpserver.Config)) *api { return unseededAPI(t, db, c) })

	waitListening(t, a, b)

	vars := map[string]any{"slug": enArticleSlug, "locale": "en"}
	id, before := articleTitle(t, b.get(titleQuery, vars))
	if _, again := articleTitle(t, b.get(titleQuery, vars)); again != before {
		t.Fatal("b's repeat differs")
	}
	ctx := account.WithOperator(context.Background())
	e, err := a.content.Entry(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.content.Update(ctx, id, content.Update{ExpectedVersion: e.Version, Translations: map[string]content.TranslationInput{
		"en": {Patch: json.RawMessage(`{"title":"Published through replica a"}`)},
	}}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.content.Publish(ctx, id, []string{"en"}); err != nil {
		t.Fatal(err)
	}
	published := time.Now()
	for {
		if _, title := articleTitle(t, b.get(titleQuery, vars)); title == "Published through replica a" {
			t.Logf("replica b served the publication after %s", time.Since(published))
			break
		}
		if time.Since(published) > time.Second {
			t.Fatal("replica b still serves the old title a second after the publication on a")
		}
		time.Sleep(10 * time.Millisecond)
	}

	query := `{ locales { code isDefault } }`
	sum := sha256.Sum256([]byte(query))
	ext := fmt.Sprintf(`{"persistedQuery":{"version":1,"sha256Hash":%q}}`, hex.EncodeToString(sum[:]))
	apq := func(r *replica, withQuery bool) gqlResponse {
		q := url.Values{"extensions": {ext}}
		if withQuery {
			q.Set("query", query)
		}
		return r.do(httptest.NewRequest(http.MethodGet, "/graphql?"+q.Encode(), nil))
	}
	if res := apq(b, false); len(res.Errors) == 0 || res.Errors[0].Extensions["code"] != "PERSISTED_QUERY_NOT_FOUND" {
		t.Fatalf("an unregistered hash: %s", res.raw)
	}
	if res := apq(a, true); len(res.Errors) > 0 {
		t.Fatalf("registering on a: %s", res.raw)
	}
	if res := apq(b, false); len(res.Errors) > 0 || len(res.Data) == 0 {
		t.Fatalf("b does not know the hash registered on a: %s", res.raw)
	}
}

// waitListening returns once b hears a: both must be listening before a
// change is made.
func waitListening(t *testing.T, a, b *replica) {
	t.Helper()
	for i := 0; ; i++ {
		a.replicas.Invalidate(context.Background(), fmt.Sprint("probe:", i))
		select {
		case <-b.heard:
			return
		case <-time.After(100 * time.Millisecond):
			if i > 100 {
				t.Fatal("replica b never heard replica a")
			}
		}
	}
}
