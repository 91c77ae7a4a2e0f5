package admin_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/werkwijzer/werkwijzer/internal/account"
	"github.com/werkwijzer/werkwijzer/internal/content"
	"github.com/werkwijzer/werkwijzer/internal/dbtest"
	"github.com/werkwijzer/werkwijzer/internal/httpserver"
	"github.com/werkwijzer/werkwijzer/internal/testserver"
)

// testClock is the server's clock in the scheduling test: it starts at
// the real time and moves only when the test says.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// startScheduleServer is startServer with a clock the test moves and the
// runner of scheduled actions, looking every few milliseconds, as
// internal/app starts it beside the server.
func startScheduleServer(t *testing.T, clock *testClock) *server {
	t.Helper()
	ts := testserver.New(t, dbtest.SQLite(t), testserver.Options{
		Configure: func(c *httpserver.Config) { c.Playground = false },
	})
	ts.Content.UseClock(clock.Now)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		runner := &content.Runner{Content: ts.Content, Poll: 20 * time.Millisecond, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
		runner.Run(ctx)
	}()
	t.Cleanup(func() { cancel(); <-done })
	s := &server{accounts: ts.Accounts, bearers: map[string]bool{}}
	hs := httptest.NewServer(s.observe(ts.Handler))
	t.Cleanup(hs.Close)
	s.URL = hs.URL
	return s
}

// TestSchedulingAPublicationInTheEditor changes the seed article's English
// title, schedules English for an hour later in the editor (which saves
// the draft first), sees it waiting there and on the dashboard, and once
// the server's clock passes the time sees it live in the public API and
// the editor. A scheduled unpublication is cancelled and does nothing.
func TestSchedulingAPublicationInTheEditor(t *testing.T) {
	clock := &testClock{now: time.Now().UTC()}
	srv := startScheduleServer(t, clock)
	srv.createUser(t, "redacteur@example.com", account.RoleEditor)
	article := srv.seedArticle(t)
	b := newBrowser(t, srv)

	b.login(t, "redacteur@example.com")
	b.open(t, "#/entry/"+article)
	b.waitVisible(t, `#f-en-title`)
	const title = "Scheduled: office manager or personal assistant?"
	b.typeInto(t, "f-en-title", title)
	b.pickScheduleTime(t, "en", time.Hour)
	b.do(t, chromedp.Click(chromedp.ID("schedule-publish-en")))
	waiting := `.locale-head[data-locale="en"] li.scheduled[data-action="PUBLISH"][data-state="PENDING"]`
	b.waitVisible(t, waiting)
	b.waitText(t, `#notice`, "scheduled")
	if got := srv.publicTitle(t, "en"); got == title {
		t.Fatal("scheduling published at once")
	}

	b.pickScheduleTime(t, "nl", 30*time.Minute)
	b.do(t, chromedp.Click(chromedp.ID("schedule-unpublish-nl")))
	unpublishing := `.locale-head[data-locale="nl"] li.scheduled[data-action="UNPUBLISH"]`
	b.waitVisible(t, unpublishing)
	b.screenshot(t, "editor-scheduled.png", false)
	b.do(t, chromedp.Click(chromedp.CSS(unpublishing+` button`)))
	b.waitNotPresent(t, unpublishing)

	// An FAQ scheduled under a slug another FAQ takes before its time.
	token := srv.apiLogin(t, "redacteur@example.com")
	late := srv.createDutchFAQ(t, token, "Wie publiceert eerst?")
	srv.query(t, token, `mutation($id: ID!, $at: Time!) { schedulePublish(id: $id, locales: ["nl"], at: $at) { id } }`,
		map[string]any{"id": late, "at": clock.Now().Add(time.Hour)}, nil)
	srv.query(t, token, `mutation($id: ID!) { publish(id: $id, locales: ["nl"]) { published } }`,
		map[string]any{"id": srv.createDutchFAQ(t, token, "Ik publiceer eerst.")}, nil)

	b.open(t, "#/")
	b.waitVisible(t, fmt.Sprintf(`.scheduled-overview li[data-entry=%q][data-state="PENDING"]`, article))
	b.screenshot(t, "dashboard-scheduled.png", true)

	clock.Advance(time.Hour + time.Minute)
	deadline := time.Now().Add(stepTimeout)
	for srv.publicTitle(t, "en") != title || srv.scheduledState(t, token, late) != "REFUSED" {
		if time.Now().After(deadline) {
			t.Fatalf("the scheduled actions were not performed %s after their time", stepTimeout)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if srv.publicTitle(t, "nl") == "" {
		t.Fatal("the cancelled unpublication took Dutch offline")
	}
	b.reload(t)
	b.waitVisible(t, `.scheduled-overview`)
	b.waitNotPresent(t, fmt.Sprintf(`.scheduled-overview li[data-entry=%q]`, article))
	b.waitVisible(t, fmt.Sprintf(`.scheduled-overview li[data-entry=%q][data-state="REFUSED"]`, late))
	b.open(t, "#/entry/"+article)
	b.waitVisible(t, `.locale-head[data-locale="en"] .status-published`)
	if b.exists(t, waiting) {
		t.Fatal("the editor still lists the performed publication")
	}

	// The refused one says why in its editor, until it is dismissed.
	b.open(t, "#/entry/"+late)
	refused := `.locale-head[data-locale="nl"] li.scheduled-refused`
	b.waitText(t, refused, `the slug "tablet-vraag" is live for another faq`)
	b.do(t, chromedp.Click(chromedp.CSS(refused+` button`)))
	b.waitNotPresent(t, refused)
}

// scheduledState is the state of an entry's only scheduled action, or ""
// when it has none.
func (s *server) scheduledState(t *testing.T, token, id string) string {
	t.Helper()
	var res struct {
		Entry struct{ Scheduled []struct{ State string } }
	}
	s.query(t, token, `query($id: ID!) { entry(id: $id) { scheduled { state } } }`, map[string]any{"id": id}, &res)
	if len(res.Entry.Scheduled) != 1 {
		return ""
	}
	return res.Entry.Scheduled[0].State
}

// pickScheduleTime opens a locale's scheduling and enters a time ahead of
// now, in the browser's time zone, as the date picker would.
func (b *browser) pickScheduleTime(t *testing.T, loc string, ahead time.Duration) {
	t.Helper()
	b.do(t, chromedp.Click(chromedp.CSS(fmt.Sprintf(`#schedule-%s summary`, loc))))
	id := fmt.Sprintf("schedule-%s-at", loc)
	b.waitVisible(t, "#"+id)
	b.do(t, chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => {
		const d = new Date(Date.now() + %d);
		const pad = (n) => String(n).padStart(2, "0");
		const el = document.getElementById(%q);
		el.value = d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + "T" + pad(d.getHours()) + ":" + pad(d.getMinutes());
		el.dispatchEvent(new Event("input", { bubbles: true }));
	})()`, ahead.Milliseconds(), id)))
}
