package httpserver_test

import (
	"context"
	"io"
	"log/slog"
	"regexp"
	"testing"
	"time"

	"github.com/werkwijzer/werkwijzer/internal/answercache"
	"github.com/werkwijzer/werkwijzer/internal/cachetag"
	"github.com/werkwijzer/werkwijzer/internal/database"
	"github.com/werkwijzer/werkwijzer/internal/dbtest"
	"github.com/werkwijzer/werkwijzer/internal/httpserver"
	"github.com/werkwijzer/werkwijzer/internal/testserver"
	"github.com/werkwijzer/werkwijzer/internal/vacancy"
)

// cachedVacancyAPI is a server whose role pages' vacancy lists are
// cached, with no answer cache, invalidated the way internal/app wires it:
// every vacancy change goes through the replicas' fan-out (nil notifier:
// this process only).
func cachedVacancyAPI(t *testing.T, db *database.DB) *vacancyAPI {
	t.Helper()
	r := &replica{heard: make(chan string, 64)}
	return cachedVacancyReplica(t, db, r, nil, false)
}

// cachedVacancyReplica builds r's server with entity and vacancy-list
// caches that notify tells the other replicas about (nil: none).
func cachedVacancyReplica(t *testing.T, db *database.DB, r *replica, notify answercache.Notifier, unseeded bool) *vacancyAPI {
	t.Helper()
	lists := vacancy.NewListCache(8 << 20)
	r.replicas = answercache.NewReplicas(notify, slog.New(slog.NewTextHandler(io.Discard, nil)), lists)
	s := testserver.New(t, db, testserver.Options{
		Vacancies: true, Unseeded: unseeded,
		VacanciesChanged: func(ctx context.Context) { r.replicas.Invalidate(ctx, cachetag.Vacancies) },
		Configure:        func(c *httpserver.Config) { c.Vacancies.UseListCache(lists) },
	})
	useEntityCache(s.Content)
	va := &vacancyAPI{api: apiOf(t, db, s), vacancies: s.Vacancies, clients: s.Clients}
	r.api = va.api
	return va
}

var vacancyTable = regexp.MustCompile(`\bvacancies\b`)

// TestVacancyListCacheServesSecondRolePageWithoutVacancyStatements: with
// the entries and the vacancy lists cached, the second read of a full
// role page runs no vacancy statement, and says the same.
func TestVacancyListCacheServesSecondRolePageWithoutVacancyStatements(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		va := cachedVacancyAPI(t, db)
		fillRolePage(t, va, benchRole, 10)
		firstSQL, sql := rolePageTwice(t, va.api, logStatements(db))
		if n := len(statementsOn(vacancyTable, firstSQL)); n != 2 {
			t.Fatalf("the first read ran %d vacancy statements, want the page's and the count's", n)
		}
		if v := statementsOn(vacancyTable, sql); len(v) > 0 {
			t.Fatalf("the second read ran %d vacancy statements: %q", len(v), v)
		}
		t.Logf("the second read ran %d statements", len(sql))
	})
}

const roleVacancyTitles = `query($slug: String!) { role(slug: $slug, locale: "nl") { vacancies(first: 10) { totalCount edges { node { title } } } } }`

// servedTitles reads a role's first vacancies and their count.
func servedTitles(t *testing.T, a *api, slug string) ([]string, int) {
	t.Helper()
	var v struct {
		Role struct {
			Vacancies struct {
				TotalCount int
				Edges      []struct{ Node struct{ Title string } }
			}
		}
	}
	a.post(roleVacancyTitles, map[string]any{"slug": slug}).ok(t, &v)
	var titles []string
	for _, e := range v.Role.Vacancies.Edges {
		titles = append(titles, e.Node.Title)
	}
	return titles, v.Role.Vacancies.TotalCount
}

// TestVacancySyncThroughTheAPIInvalidatesTheListCache: a vacancy pushed
// through the API is on the role page (list and count) at the next read,
// although the page was cached.
func TestVacancySyncThroughTheAPIInvalidatesTheListCache(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		va := cachedVacancyAPI(t, db)
		auth := va.token(t, va.createSource(t, "cache-test", "werken.example.nl"))
		va.sync(t, auth, map[string]any{"mode": "UPSERT", "items": []any{vacancyInput("C-1", "office-manager")}})
		before, n := servedTitles(t, va.api, "office-manager")
		if again, m := servedTitles(t, va.api, "office-manager"); len(again) != len(before) || m != n {
			t.Fatal("the repeat differs")
		}
		va.sync(t, auth, map[string]any{"mode": "UPSERT", "items": []any{vacancyInput("C-2", "office-manager")}})
		after, m := servedTitles(t, va.api, "office-manager")
		if len(after) != len(before)+1 || after[0] != "Office manager C-2" || m != n+1 {
			t.Fatalf("after the sync: %q (%d), before %q (%d): the new vacancy is missing", after, m, before, n)
		}
	})
}

// TestTwoReplicasShareVacancyListInvalidations: a vacancy pushed through
// one server is on the other's cached role page within a second.
func TestTwoReplicasShareVacancyListInvalidations(t *testing.T) {
	db := dbtest.Postgres(t)
	a := &replica{heard: make(chan string, 64)}
	va := cachedVacancyReplica(t, db, a, db, false)
	a.listen(t, db)
	b := &replica{heard: make(chan string, 64)}
	cachedVacancyReplica(t, db, b, db, true)
	b.listen(t, db)
	waitListening(t, a, b)

	auth := va.token(t, va.createSource(t, "replica-test", "werken.example.nl"))
	va.sync(t, auth, map[string]any{"mode": "UPSERT", "items": []any{vacancyInput("R-1", "office-manager")}})
	before, n := servedTitles(t, b.api, "office-manager")
	log := logStatements(db)
	if again, _ := servedTitles(t, b.api, "office-manager"); len(again) != len(before) {
		t.Fatal("b's repeat differs")
	}
	if v := statementsOn(vacancyTable, log.take()); len(v) > 0 {
		t.Fatalf("b's repeat read the vacancies from the database: %q", v)
	}
	va.sync(t, auth, map[string]any{"mode": "UPSERT", "items": []any{vacancyInput("R-2", "office-manager")}})
	synced := time.Now()
	for {
		titles, m := servedTitles(t, b.api, "office-manager")
		if len(titles) == len(before)+1 && titles[0] == "Office manager R-2" && m == n+1 {
			break
		}
		if time.Since(synced) > time.Second {
			t.Fatalf("replica b still serves %q (%d) a second after the sync on a", titles, m)
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Logf("replica b served the sync after %s", time.Since(synced))
}
