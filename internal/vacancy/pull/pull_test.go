package pull_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/werkwijzer/werkwijzer/internal/account"
	"github.com/werkwijzer/werkwijzer/internal/content"
	"github.com/werkwijzer/werkwijzer/internal/database"
	"github.com/werkwijzer/werkwijzer/internal/dbtest"
	"github.com/werkwijzer/werkwijzer/internal/locale"
	"github.com/werkwijzer/werkwijzer/internal/seed"
	"github.com/werkwijzer/werkwijzer/internal/store"
	"github.com/werkwijzer/werkwijzer/internal/vacancy"
	"github.com/werkwijzer/werkwijzer/internal/vacancy/pull"
)

var operator = account.WithOperator(context.Background())

// feedServer serves an Indeed feed with an ETag, answers conditional GETs
// with 304, and can be made to fail.
type feedServer struct {
	*httptest.Server
	mu         sync.Mutex
	body       string
	status     int
	retryAfter string
	requests   atomic.Int32
}

func newFeedServer(t *testing.T) *feedServer {
	fs := &feedServer{status: http.StatusOK}
	fs.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fs.requests.Add(1)
		fs.mu.Lock()
		body, status, retryAfter := fs.body, fs.status, fs.retryAfter
		fs.mu.Unlock()
		if retryAfter != "" {
			w.Header().Set("Retry-After", retryAfter)
		}
		if status != http.StatusOK {
			http.Error(w, "upstream trouble", status)
			return
		}
		etag := fmt.Sprintf(`"%x"`, len(body)*31+strings.Count(body, "<job>"))
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", etag)
		w.Header().Set("Content-Type", "application/xml")
		_, _ = io.WriteString(w, body)
	}))
	t.Cleanup(fs.Close)
	return fs
}

func (fs *feedServer) serve(body string, status int) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.body, fs.status, fs.retryAfter = body, status, ""
}

// busy makes the server answer status with a Retry-After header.
func (fs *feedServer) busy(status int, retryAfter string) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.status, fs.retryAfter = status, retryAfter
}

func job(id, title string) string {
	return fmt.Sprintf(`<job><title>%s</title><date>2026-10-10</date><referencenumber>%s</referencenumber>
<url>https://jobs.example.com/%s</url><company>Voorbeeld BV</company><city>Utrecht</city><country>NL</country>
<category>Office management</category><description>Een mooie baan.</description></job>`, title, id, id)
}

func feedOf(ids ...string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><source>`)
	for _, id := range ids {
		b.WriteString(job(id, "Office manager "+id))
	}
	b.WriteString(`</source>`)
	return b.String()
}

type env struct {
	svc *vacancy.Service
	now *atomic.Pointer[time.Time]
	src *vacancy.Source
}

func newEnv(t *testing.T, db *database.DB, feedURL string) *env {
	t.Helper()
	locales, _ := locale.NewSet([]string{"nl", "en"})
	sample, err := seed.Sample()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := seed.Load(context.Background(), content.NewService(store.NewContent(db.Gorm), locales), sample); err != nil {
		t.Fatal(err)
	}
	now := &atomic.Pointer[time.Time]{}
	start := time.Date(2026, 10, 20, 9, 0, 0, 0, time.UTC)
	now.Store(&start)
	svc := vacancy.NewService(store.NewVacancies(db.Gorm), vacancy.Config{
		Now: func() time.Time { return *now.Load() }, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		AllowPrivateFeeds: true, // the test feeds are on loopback
	})
	src, _, err := svc.CreateSource(operator, vacancy.NewSource{
		Name: "feed", Kind: vacancy.KindIndeedXML, FeedURL: feedURL, AllowedHosts: []string{"example.com"},
		RoleRules: []vacancy.RoleRule{{Field: "category", Pattern: "office", Role: "office-manager"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return &env{svc: svc, now: now, src: src}
}

func (e *env) advance(d time.Duration) {
	t := e.now.Load().Add(d)
	e.now.Store(&t)
}

func (e *env) source(t *testing.T) *vacancy.Source {
	t.Helper()
	src, err := e.svc.Source(operator, e.src.ID)
	if err != nil {
		t.Fatal(err)
	}
	return src
}

func (e *env) open(t *testing.T) int {
	t.Helper()
	n, err := e.svc.CountOpen(context.Background(), vacancy.Filter{RoleSlug: "office-manager"})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func importer(e *env) *pull.Importer {
	return &pull.Importer{Vacancies: e.svc, Fetcher: pull.NewFetcher(pull.AnyAddress), Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
}

func TestPullUsesConditionalGETAndClosesWhatTheFeedDropped(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		fs := newFeedServer(t)
		e := newEnv(t, db, fs.URL+"/feed.xml")
		im := importer(e)
		fs.serve(feedOf("a", "b", "c", "d", "e"), http.StatusOK)

		res, err := im.Pull(operator, e.source(t), "", e.svc.Now())
		if err != nil || res.Total.Created != 5 || e.open(t) != 5 {
			t.Fatalf("first pull: %+v %v", res, err)
		}
		if src := e.source(t); src.State.FeedETag == "" || src.State.LastPullAt.IsZero() {
			t.Fatalf("validators not stored: %+v", src.State)
		}
		// Unchanged feed: a 304, nothing synced.
		before := fs.requests.Load()
		res, err = im.Pull(operator, e.source(t), "", e.svc.Now())
		if err != nil || !res.NotModified || res.Calls != 0 || fs.requests.Load() != before+1 {
			t.Fatalf("conditional pull: %+v %v", res, err)
		}
		// The feed drops one: it closes.
		fs.serve(feedOf("a", "b", "c", "d"), http.StatusOK)
		res, err = im.Pull(operator, e.source(t), "", e.svc.Now())
		if err != nil || res.Total.Closed != 1 || res.Total.Unchanged != 4 || e.open(t) != 4 {
			t.Fatalf("pull after a drop: %+v %v", res, err)
		}
	})
}

func TestFailedPullsCloseNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		fs := newFeedServer(t)
		e := newEnv(t, db, fs.URL+"/feed.xml")
		im := importer(e)
		fs.serve(feedOf("a", "b", "c"), http.StatusOK)
		if _, err := im.Pull(operator, e.source(t), "", e.svc.Now()); err != nil {
			t.Fatal(err)
		}
		etag := e.source(t).State.FeedETag
		for name, set := range map[string]func(){
			"error status": func() { fs.serve(feedOf(), http.StatusBadGateway) },
			"cut-off body": func() { fs.serve(`<?xml version="1.0"?><source>`+job("a", "x"), http.StatusOK) },
			"html page":    func() { fs.serve(`<html><body><h1>Onderhoud</h1></body>`, http.StatusOK) },
		} {
			set()
			if _, err := im.Pull(operator, e.source(t), "", e.svc.Now()); err == nil {
				t.Fatalf("%s: the pull succeeded", name)
			}
			if n := e.open(t); n != 3 {
				t.Fatalf("%s: %d open after a failed pull", name, n)
			}
			src := e.source(t)
			if src.State.LastError == "" || src.State.FeedETag != etag {
				t.Fatalf("%s: state %+v", name, src.State)
			}
		}
		// Nothing there at all: a failed fetch.
		broken := *e.source(t)
		broken.FeedURL = "http://127.0.0.1:1/feed.xml"
		if _, err := im.Pull(operator, &broken, "", e.svc.Now()); err == nil || e.open(t) != 3 {
			t.Fatalf("unreachable feed: %v, %d open", err, e.open(t))
		}
		// An empty feed is well-formed but would close everything: refused.
		fs.serve(feedOf(), http.StatusOK)
		if _, err := im.Pull(operator, e.source(t), "", e.svc.Now()); err == nil || e.open(t) != 3 {
			t.Fatalf("empty feed: %v, %d open", err, e.open(t))
		}
		// Once the feed is back as it was imported last, the validators of
		// that import still hold: "not modified", and the error clears.
		fs.serve(feedOf("a", "b", "c"), http.StatusOK)
		res, err := im.Pull(operator, e.source(t), "", e.svc.Now())
		if err != nil || !res.NotModified || e.source(t).State.LastError != "" || e.open(t) != 3 {
			t.Fatalf("recovery: %+v %v %q", res, err, e.source(t).State.LastError)
		}
		// A feed changed meanwhile is fetched whole.
		fs.serve(feedOf("a", "b", "c", "d"), http.StatusOK)
		if res, err := im.Pull(operator, e.source(t), "", e.svc.Now()); err != nil || res.NotModified || res.Total.Created != 1 {
			t.Fatalf("changed feed: %+v %v", res, err)
		}
	})
}

func TestImportInBatchesIsOneSnapshot(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db, "")
		im := importer(e)
		var progress strings.Builder
		im.Progress = &progress
		ids := []string{"a", "b", "c", "d", "e", "f", "g"}
		if _, err := im.Import(operator, e.source(t), strings.NewReader(feedOf(ids...)), nil, pull.Options{BatchSize: 3}); err != nil {
			t.Fatal(err)
		}
		// The next feed lacks a and b; in calls of 3 the first call holds
		// c, d and e only, and must not close f and g.
		res, err := im.Import(operator, e.source(t), strings.NewReader(feedOf(ids[2:]...)), nil, pull.Options{BatchSize: 3})
		if err != nil {
			t.Fatal(err)
		}
		if res.Calls != 2 || res.Total.Closed != 2 || res.Total.Unchanged != 5 || e.open(t) != 5 {
			t.Fatalf("batched snapshot: %+v", res)
		}
		if !strings.Contains(progress.String(), "synced 3/5") || !strings.Contains(progress.String(), "synced 5/5") {
			t.Fatalf("progress: %q", progress.String())
		}
		// A dry run of a multi-call import reports the real outcome and
		// writes nothing.
		dry, err := im.Import(operator, e.source(t), strings.NewReader(feedOf("c", "d", "e", "f")), nil, pull.Options{BatchSize: 2, DryRun: true})
		if err != nil || dry.Total.Closed != 1 || dry.Total.Unchanged != 4 || e.open(t) != 5 {
			t.Fatalf("dry run: %+v %v, %d open", dry, err, e.open(t))
		}
		// From a file, as "werkwijzer import vacancies FILE" does.
		path := filepath.Join(t.TempDir(), "feed.xml")
		if err := os.WriteFile(path, []byte(feedOf(ids...)), 0o600); err != nil {
			t.Fatal(err)
		}
		res, err = im.ImportFile(operator, e.source(t), path, pull.Options{})
		if err != nil || res.Total.Reopened != 2 || e.open(t) != 7 {
			t.Fatalf("file import: %+v %v", res, err)
		}
	})
}

func TestOneReplicaPullsEachSourcePerInterval(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		fs := newFeedServer(t)
		e := newEnv(t, db, fs.URL+"/feed.xml")
		fs.serve(feedOf("a", "b"), http.StatusOK)
		replica := func(owner string) *pull.Scheduler {
			return &pull.Scheduler{Vacancies: e.svc, Importer: importer(e), Interval: 15 * time.Minute, Owner: owner,
				Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
		}
		replicas := []*pull.Scheduler{replica("replica-1"), replica("replica-2"), replica("replica-3")}
		pulled := make(chan int, len(replicas))
		var wg sync.WaitGroup
		for _, r := range replicas {
			wg.Add(1)
			go func() {
				defer wg.Done()
				pulled <- r.RunOnce(context.Background())
			}()
		}
		wg.Wait()
		close(pulled)
		total := 0
		for n := range pulled {
			total += n
		}
		if total != 1 || fs.requests.Load() != 1 || e.open(t) != 2 {
			t.Fatalf("%d pulls, %d fetches, %d open; want one of each and 2 open", total, fs.requests.Load(), e.open(t))
		}
		// Not due again within the interval, on any replica.
		e.advance(10 * time.Minute)
		for _, r := range replicas {
			if n := r.RunOnce(context.Background()); n != 0 {
				t.Fatalf("pulled again after 10 minutes")
			}
		}
		// Due after it: one pull, a conditional GET.
		e.advance(6 * time.Minute)
		if n := replicas[1].RunOnce(context.Background()) + replicas[2].RunOnce(context.Background()); n != 1 || fs.requests.Load() != 2 {
			t.Fatalf("after the interval: %d pulls, %d fetches", n, fs.requests.Load())
		}
		// A lease left behind by a replica that died runs out.
		e.advance(16 * time.Minute)
		ok, _, err := e.svc.ClaimPull(operator, e.src.ID, "dead-replica", 15*time.Minute, 30*time.Minute)
		if err != nil || !ok {
			t.Fatalf("claim: %v %v", ok, err)
		}
		e.advance(16 * time.Minute)
		if n := replicas[0].RunOnce(context.Background()); n != 0 {
			t.Fatal("pulled while another replica held the lease")
		}
		e.advance(15 * time.Minute)
		if n := replicas[0].RunOnce(context.Background()); n != 1 {
			t.Fatal("an expired lease was not taken over")
		}
	})
}

// TestScheduledPullsHonourRetryAfter: a feed host that answers 429 or 503
// with Retry-After, in seconds or as a date, is not pulled again before
// then, even when the pull interval has passed; a wait longer than a day
// counts as a day.
func TestScheduledPullsHonourRetryAfter(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		fs := newFeedServer(t)
		e := newEnv(t, db, fs.URL+"/feed.xml")
		s := &pull.Scheduler{Vacancies: e.svc, Importer: importer(e), Interval: 15 * time.Minute, Owner: "replica",
			Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
		fs.serve(feedOf("a", "b"), http.StatusOK)
		if n := s.RunOnce(context.Background()); n != 1 || e.open(t) != 2 {
			t.Fatalf("first pull: %d", n)
		}
		// pullsAfter moves the clock on by d and reports whether the
		// scheduler fetched the feed then.
		pullsAfter := func(d time.Duration) bool {
			e.advance(d)
			before := fs.requests.Load()
			s.RunOnce(context.Background())
			return fs.requests.Load() > before
		}

		fs.busy(http.StatusServiceUnavailable, "3600")
		if !pullsAfter(16 * time.Minute) {
			t.Fatal("not pulled after the interval")
		}
		src := e.source(t)
		if src.State.LastError != "could not fetch the feed: HTTP 503; the server asked to wait 1h0m0s" || src.State.PullNotBefore.IsZero() {
			t.Fatalf("state after a 503: %q, not before %v", src.State.LastError, src.State.PullNotBefore)
		}
		for range 3 { // three more ticks, 48 minutes, all inside the hour
			if pullsAfter(16 * time.Minute) {
				t.Fatal("pulled again within the hour the host asked for")
			}
		}
		// 64 minutes after the 503, a 429 with a date two hours ahead (the
		// date is read against the real clock, as the server wrote it).
		fs.busy(http.StatusTooManyRequests, time.Now().Add(2*time.Hour).UTC().Format(http.TimeFormat))
		if !pullsAfter(16 * time.Minute) {
			t.Fatal("not pulled after Retry-After ran out")
		}
		for range 7 { // 112 minutes
			if pullsAfter(16 * time.Minute) {
				t.Fatal("pulled again within the two hours the host asked for")
			}
		}
		fs.busy(http.StatusServiceUnavailable, "31536000") // a year
		if !pullsAfter(16 * time.Minute) {
			t.Fatal("not pulled after the dated Retry-After ran out")
		}
		if pullsAfter(23*time.Hour + 59*time.Minute) {
			t.Fatal("pulled again within a day")
		}
		// The host is back: the pull succeeds and the wait is cleared.
		fs.serve(feedOf("a", "b", "c"), http.StatusOK)
		if !pullsAfter(2 * time.Minute) {
			t.Fatal("not pulled a day after a year-long Retry-After")
		}
		if src := e.source(t); !src.State.PullNotBefore.IsZero() || src.State.LastError != "" || e.open(t) != 3 {
			t.Fatalf("state after recovery: %+v", src.State)
		}
		// Retry-After on other answers is not a reason to wait.
		fs.busy(http.StatusInternalServerError, "3600")
		if !pullsAfter(16 * time.Minute) {
			t.Fatal("not pulled")
		}
		if !pullsAfter(16 * time.Minute) {
			t.Fatal("a 500's Retry-After held off the next pull")
		}
	})
}
