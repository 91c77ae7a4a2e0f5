package vacancy_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/werkwijzer/werkwijzer/internal/database"
	"github.com/werkwijzer/werkwijzer/internal/dbtest"
	"github.com/werkwijzer/werkwijzer/internal/store"
	"github.com/werkwijzer/werkwijzer/internal/vacancy"
)

// roleReads is a store that counts the role pages' reads and can answer
// them with nothing, so a test sees which the list cache served.
type roleReads struct {
	vacancy.Store
	mu     sync.Mutex
	pages  []int // the limit of each page read
	counts int
	blank  bool
}

func (s *roleReads) OpenByRoles(ctx context.Context, roleIDs []string, limit int, now time.Time) (map[string][]*vacancy.Vacancy, error) {
	s.mu.Lock()
	s.pages = append(s.pages, limit-1)
	blank := s.blank
	s.mu.Unlock()
	if blank {
		return map[string][]*vacancy.Vacancy{}, nil
	}
	return s.Store.OpenByRoles(ctx, roleIDs, limit, now)
}

func (s *roleReads) CountOpenByRoles(ctx context.Context, roleIDs []string, now time.Time) (map[string]vacancy.OpenCount, error) {
	s.mu.Lock()
	s.counts++
	s.mu.Unlock()
	return s.Store.CountOpenByRoles(ctx, roleIDs, now)
}

func (s *roleReads) take() (pages []int, counts int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	pages, counts = s.pages, s.counts
	s.pages, s.counts = nil, 0
	return pages, counts
}

// cachedEnv is an env whose service caches role lists in maxBytes and
// is never told of a change.
func cachedEnv(t *testing.T, db *database.DB, maxBytes uint64) (*env, *roleReads, string) {
	t.Helper()
	reads := &roleReads{Store: store.NewVacancies(db.Gorm)}
	e := newEnvWithStore(t, db, reads)
	e.svc.UseListCache(vacancy.NewListCache(maxBytes))
	ids, err := reads.RoleIDsBySlug(context.Background(), []string{"office-manager"})
	if err != nil {
		t.Fatal(err)
	}
	return e, reads, ids["office-manager"]
}

func (e *env) rolePage(roleID string, limit int) vacancy.List {
	e.t.Helper()
	pages, err := e.svc.OpenForRoles(context.Background(), []string{roleID}, limit)
	if err != nil {
		e.t.Fatal(err)
	}
	return pages[roleID]
}

func (e *env) roleCount(roleID string) int {
	e.t.Helper()
	counts, err := e.svc.CountForRoles(context.Background(), []string{roleID})
	if err != nil {
		e.t.Fatal(err)
	}
	return counts[roleID]
}

func externalIDs(l vacancy.List) string {
	ids := make([]string, len(l.Items))
	for i, v := range l.Items {
		ids[i] = v.ExternalID
	}
	return strings.Join(ids, ",")
}

// TestListCacheDropsAnExpiredVacancyWithoutInvalidation: a cached page
// and count stop being served when one of their vacancies expires, with
// no invalidation at all; the count even when the vacancy is on no page.
func TestListCacheDropsAnExpiredVacancyWithoutInvalidation(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		e, reads, role := cachedEnv(t, db, 1<<20)
		_, ctx := e.source("expiry", "werkenbij.example.com")
		newest, middle, expiring := item("NEWEST"), item("MIDDLE"), item("EXPIRING")
		newest.DatePosted, middle.DatePosted, expiring.DatePosted = "2026-10-03", "2026-10-02", "2026-10-01"
		expiring.ValidThrough = "2026-10-22"
		e.sync(ctx, vacancy.SyncRequest{Mode: vacancy.ModeUpsert, Items: []vacancy.Item{newest, middle, expiring}})

		if got := externalIDs(e.rolePage(role, 10)); got != "NEWEST,MIDDLE,EXPIRING" {
			t.Fatalf("page %s", got)
		}
		if l := e.rolePage(role, 1); externalIDs(l) != "NEWEST" || !l.HasNextPage {
			t.Fatalf("first page of one: %s, more %v", externalIDs(l), l.HasNextPage)
		}
		if n := e.roleCount(role); n != 3 {
			t.Fatalf("count %d, want 3", n)
		}
		reads.take()
		e.rolePage(role, 10)
		e.rolePage(role, 1)
		e.roleCount(role)
		if pages, counts := reads.take(); len(pages) > 0 || counts > 0 {
			t.Fatalf("the repeat read %d pages and %d counts from the store", len(pages), counts)
		}

		e.clock.Set(time.Date(2026, 10, 23, 12, 0, 0, 0, time.UTC)) // past the 22nd in any time zone
		if got := externalIDs(e.rolePage(role, 10)); got != "NEWEST,MIDDLE" {
			t.Fatalf("after the expiry the page is %s", got)
		}
		if n := e.roleCount(role); n != 2 {
			t.Fatalf("after the expiry the count is %d, want 2", n)
		}
		if l := e.rolePage(role, 1); externalIDs(l) != "NEWEST" || !l.HasNextPage {
			t.Fatalf("first page of one: %s, more %v", externalIDs(l), l.HasNextPage)
		}
		if pages, _ := reads.take(); len(pages) != 1 {
			t.Fatalf("the store read pages of %v: the page of one, which no expiry touched, must stay cached", pages)
		}
	})
}

// TestListCacheExpiresAPageWhoseNewestVacancyExpires: the earliest
// expiry counts wherever it is on the page, also before vacancies that
// never expire.
func TestListCacheExpiresAPageWhoseNewestVacancyExpires(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		e, _, role := cachedEnv(t, db, 1<<20)
		_, ctx := e.source("expiry", "werkenbij.example.com")
		expiring, older := item("EXPIRING"), item("OLDER")
		expiring.DatePosted, older.DatePosted = "2026-10-03", "2026-10-01"
		expiring.ValidThrough = "2026-10-22"
		e.sync(ctx, vacancy.SyncRequest{Mode: vacancy.ModeUpsert, Items: []vacancy.Item{expiring, older}})
		if got := externalIDs(e.rolePage(role, 10)); got != "EXPIRING,OLDER" {
			t.Fatalf("page %s", got)
		}
		e.clock.Set(time.Date(2026, 10, 23, 12, 0, 0, 0, time.UTC))
		if got := externalIDs(e.rolePage(role, 10)); got != "OLDER" {
			t.Fatalf("after the newest vacancy's expiry the page is %s", got)
		}
	})
}

// TestListCacheKeepsWithinItsMemory: pages worth far more than the cache
// holds are not all kept; those that are fit in it.
func TestListCacheKeepsWithinItsMemory(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		const maxBytes = 32 << 10
		e, reads, role := cachedEnv(t, db, maxBytes)
		_, ctx := e.source("memory", "werkenbij.example.com")
		list := items("BIG", 20)
		for i := range list {
			list[i].Description = "<p>" + strings.Repeat("Je houdt het kantoor draaiende. ", 32) + "</p>"
		}
		e.sync(ctx, vacancy.SyncRequest{Mode: vacancy.ModeUpsert, Items: list})
		size := len(e.rolePage(role, 1).Items[0].Description) // a lower bound of a vacancy's weight
		total := 0
		for limit := 1; limit <= 20; limit++ {
			total += len(e.rolePage(role, limit).Items) * size
		}
		if total < 4*maxBytes {
			t.Fatalf("the pages hold only %d bytes of descriptions: the test does not overflow the cache", total)
		}
		// Evictions run in the background: look until what is kept fits.
		reads.blank = true
		deadline := time.Now().Add(2 * time.Second)
		for {
			reads.take()
			kept, keptPages := 0, 0
			for limit := 1; limit <= 20; limit++ {
				if n := len(e.rolePage(role, limit).Items); n > 0 {
					kept += n * size
					keptPages++
				}
			}
			if kept <= maxBytes && keptPages > 0 {
				t.Logf("%d of 20 pages kept, %d bytes of descriptions", keptPages, kept)
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("the cache keeps %d pages with %d bytes of descriptions, over its %d", keptPages, kept, maxBytes)
			}
			time.Sleep(20 * time.Millisecond)
		}
	})
}
