package app

import (
	"context"
	"fmt"
	"hash/crc32"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/werkwijzer/werkwijzer/internal/account"
	"github.com/werkwijzer/werkwijzer/internal/database"
	"github.com/werkwijzer/werkwijzer/internal/dbtest"
	"github.com/werkwijzer/werkwijzer/internal/vacancy"
)

// eachCLI runs fn with commands on a fresh SQLite file and a fresh
// PostgreSQL database.
func eachCLI(t *testing.T, fn func(t *testing.T, c *cli)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, newCLI(t)) })
	t.Run("postgres", func(t *testing.T) {
		c, _ := newPostgresCLI(t)
		fn(t, c)
	})
}

// newPostgresCLI runs commands on a fresh PostgreSQL database with the
// sample content, also opened as db.
func newPostgresCLI(t *testing.T) (*cli, *database.DB) {
	t.Helper()
	db, dbURL := dbtest.OpenPostgresWithURL(t)
	return newCLIAt(t, dbURL), db
}

// testFeed serves a feed with an ETag, answering a matching
// If-None-Match with 304, or fails with a status and Retry-After, and counts
// the requests.
type testFeed struct {
	mu                    sync.Mutex
	body                  string
	status                int
	fetches, conditionals atomic.Int32
}

func (f *testFeed) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	b, s := f.body, f.status
	f.mu.Unlock()
	f.fetches.Add(1)
	if s != http.StatusOK {
		w.Header().Set("Retry-After", "120")
		http.Error(w, "busy", s)
		return
	}
	etag := fmt.Sprintf(`"%08x"`, crc32.ChecksumIEEE([]byte(b)))
	if r.Header.Get("If-None-Match") == etag {
		f.conditionals.Add(1)
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("ETag", etag)
	_, _ = w.Write([]byte(b))
}

func (f *testFeed) set(b string, s int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.body, f.status = b, s
}

// TestImportPullsTheSourceFeedLikeTheScheduler: "import vacancies" of a
// source's own feed sends the stored validators, records its outcome on
// the source (last pull, last error, Retry-After) and fetches only from
// the addresses the configuration allows.
func TestImportPullsTheSourceFeedLikeTheScheduler(t *testing.T) {
	eachCLI(t, func(t *testing.T, c *cli) {
		data, err := os.ReadFile(filepath.Join("testdata", "feed.xml"))
		if err != nil {
			t.Fatal(err)
		}
		feed := &testFeed{body: string(data), status: http.StatusOK}
		srv := httptest.NewServer(feed)
		t.Cleanup(srv.Close)
		t.Setenv("WERKWIJZER_FEED_ALLOW_PRIVATE", "true") // the test feed is on loopback
		if _, _, err := c.run(source, "create", "--name", "acme", "--kind", "indeed-xml", "--feed-url", srv.URL+"/feed.xml",
			"--role-rule", "category:office=office-manager"); err != nil {
			t.Fatal(err)
		}
		svc, _ := c.services()
		state := func() vacancy.SyncState {
			t.Helper()
			src, err := svc.SourceByName(account.WithOperator(context.Background()), "acme")
			if err != nil {
				t.Fatal(err)
			}
			return src.State
		}
		checkImportThenNotModified(t, c, feed, state)
		checkImportFailureRecorded(t, c, feed, string(data), state)
		checkLoopbackFeedRefused(t, c, feed, state)
	})
}

func checkImportThenNotModified(t *testing.T, c *cli, feed *testFeed, state func() vacancy.SyncState) {
	t.Helper()
	out, _, err := c.run(importCmd, "vacancies", "--source", "acme")
	if err != nil || !strings.Contains(out, "imported 3 vacancies") {
		t.Fatalf("first import: %v\n%s", err, out)
	}
	if st := state(); st.LastPullAt.IsZero() || st.FeedETag == "" || st.LastError != "" {
		t.Fatalf("state after the first import: %+v", st)
	}
	// Unchanged: the stored validators make it a 304, nothing synced.
	out, _, err = c.run(importCmd, "vacancies", "--source", "acme")
	if err != nil || !strings.Contains(out, "not modified") || feed.conditionals.Load() != 1 {
		t.Fatalf("second import: %v, %d conditional answers\n%s", err, feed.conditionals.Load(), out)
	}
}

func checkImportFailureRecorded(t *testing.T, c *cli, feed *testFeed, data string, state func() vacancy.SyncState) {
	t.Helper()
	// A failure is recorded for the admin, with the host's Retry-After.
	feed.set(data, http.StatusServiceUnavailable)
	if _, _, err := c.run(importCmd, "vacancies", "--source", "acme"); err == nil {
		t.Fatal("a 503 imported")
	}
	st := state()
	if st.LastError != "could not fetch the feed: HTTP 503; the server asked to wait 2m0s" || st.PullNotBefore.IsZero() {
		t.Fatalf("state after a 503: %q, not before %v", st.LastError, st.PullNotBefore)
	}
	// By hand it fetches anyway, says so, and clears the failure.
	feed.set(strings.Replace(data, "CLI-2", "CLI-4", 1), http.StatusOK)
	out, progress, err := c.run(importCmd, "vacancies", "--source", "acme")
	if err != nil || !strings.Contains(out, "1 created") || !strings.Contains(progress, "asked not to be fetched before") {
		t.Fatalf("import after the 503: %v\n%s\n%s", err, out, progress)
	}
	if st := state(); st.LastError != "" || !st.PullNotBefore.IsZero() {
		t.Fatalf("state after recovery: %+v", st)
	}
}

// checkLoopbackFeedRefused: without WERKWIJZER_FEED_ALLOW_PRIVATE a
// loopback feed is refused, when a source is saved and when it is fetched.
func checkLoopbackFeedRefused(t *testing.T, c *cli, feed *testFeed, state func() vacancy.SyncState) {
	t.Helper()
	t.Setenv("WERKWIJZER_FEED_ALLOW_PRIVATE", "false")
	before := feed.fetches.Load()
	if _, _, err := c.run(importCmd, "vacancies", "--source", "acme"); err == nil {
		t.Fatal("fetched from loopback")
	}
	if st := state(); st.LastError != "could not fetch the feed: address not allowed" || feed.fetches.Load() != before {
		t.Fatalf("loopback feed: %q, %d fetches", st.LastError, feed.fetches.Load()-before)
	}
	if _, _, err := c.run(source, "update", "--name", "acme", "--feed-url", "http://127.0.0.1:5432/"); err == nil || !strings.Contains(err.Error(), "public hosts only") {
		t.Fatalf("a loopback feed URL was saved: %v", err)
	}
}
