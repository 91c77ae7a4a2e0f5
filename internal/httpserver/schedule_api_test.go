package httpserver_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/werkwijzer/werkwijzer/internal/account"
	"github.com/werkwijzer/werkwijzer/internal/content"
	"github.com/werkwijzer/werkwijzer/internal/database"
	"github.com/werkwijzer/werkwijzer/internal/dbtest"
)

// handClock is a clock the test moves.
type handClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *handClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *handClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

type scheduledView struct {
	ID, Locale, Action, State string
	At                        time.Time
	By                        *struct{ Email string }
	RevisionNumber            *int
	Refusal                   *string
	Entry                     struct{ ID, Label string }
}

const scheduledFields = `scheduled { id locale action state at by { email } revisionNumber refusal entry { id label } }`

// TestSchedulingThroughTheAPI schedules the seed article's changed English
// draft through GraphQL: the entry and the dashboard's list show it, bad
// times and translators are refused with their codes, and when the clock
// reaches the time the public API serves the scheduled text. A cancelled
// unpublication does nothing.
func TestSchedulingThroughTheAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		a := newAPI(t, db)
		clock := &handClock{now: time.Now().UTC().Truncate(time.Second)}
		a.content.UseClock(clock.Now)
		editor := a.signIn(t, "redacteur@example.com", account.RoleEditor)
		translator := a.signIn(t, "vertaler@example.com", account.RoleTranslator, "en")
		article := a.seedArticle(t, editor)
		var patched struct{ UpdateTranslation struct{ Version int } }
		a.post(`mutation($id: ID!, $v: Int!) { updateTranslation(id: $id, expectedVersion: $v, locale: "en", fields: {title: "Scheduled title"}) { version } }`,
			map[string]any{"id": article.ID, "v": article.Version}, editor...).ok(t, &patched)

		at := clock.Now().Add(time.Hour)
		const schedule = `mutation($id: ID!, $at: Time!) { schedulePublish(id: $id, locales: ["en"], at: $at) { ` + scheduledFields + ` } }`
		var res struct {
			SchedulePublish struct{ Scheduled []scheduledView }
		}
		a.post(schedule, map[string]any{"id": article.ID, "at": at}, editor...).ok(t, &res)
		checkScheduledPublication(t, res.SchedulePublish.Scheduled, article.ID, at)
		var list struct{ ScheduledActions []scheduledView }
		a.post(`{ scheduledActions { id locale action entry { id label } } }`, nil, translator...).ok(t, &list)
		if len(list.ScheduledActions) != 1 || list.ScheduledActions[0].Entry.Label == "" {
			t.Fatalf("the dashboard's list: %+v", list.ScheduledActions)
		}
		checkSchedulingRefusals(t, a, schedule, article.ID, clock.Now(), at, editor, translator)
		scheduleAndCancelUnpublication(t, a, article.ID, at, editor)

		// An FAQ scheduled under a slug another FAQ takes meanwhile.
		ctx := account.WithOperator(context.Background())
		question := map[string]content.TranslationInput{"nl": {Slug: "gedeeld", Fields: content.FAQFields{Question: "Wie eerst?", Answer: "De ander."}}}
		late, err := a.content.Create(ctx, content.FAQStructure{}, question)
		if err != nil {
			t.Fatal(err)
		}
		a.post(`mutation($id: ID!, $at: Time!) { schedulePublish(id: $id, locales: ["nl"], at: $at) { id } }`,
			map[string]any{"id": late.ID, "at": at}, editor...).ok(t, &struct{}{})
		a.publishFAQ(t, map[string]content.FAQFields{"nl": {Question: "Wie eerst?", Answer: "Ik."}}, "gedeeld")

		clock.Advance(time.Hour)
		if n, err := a.content.RunScheduled(context.Background()); err != nil || n != 2 {
			t.Fatalf("at the time: %d actions, %v", n, err)
		}
		checkRefusedPublication(t, a, late.ID, clock.Now(), editor)
		var page struct{ Article struct{ Title string } }
		a.post(`{ article(slug: "`+enArticleSlug+`", locale: "en") { title } }`, nil).ok(t, &page)
		if page.Article.Title != "Scheduled title" {
			t.Fatalf("the public English title is %q after the scheduled publication", page.Article.Title)
		}
		a.post(`{ article(slug: "`+nlArticleSlug+`", locale: "nl") { title } }`, nil).ok(t, &page)
		if page.Article.Title == "" {
			t.Fatal("the cancelled unpublication took Dutch offline")
		}
	})
}

// checkScheduledPublication checks what schedulePublish answered.
func checkScheduledPublication(t *testing.T, s []scheduledView, entryID string, at time.Time) {
	t.Helper()
	if len(s) != 1 || s[0].Locale != "en" || s[0].Action != "PUBLISH" || s[0].State != "PENDING" ||
		!s[0].At.Equal(at) || s[0].By == nil || s[0].By.Email != "redacteur@example.com" || s[0].RevisionNumber == nil || s[0].Entry.ID != entryID {
		t.Fatalf("scheduled: %+v", s)
	}
}

// checkSchedulingRefusals: bad times, translators, strangers and an
// over-long list are refused with their codes.
func checkSchedulingRefusals(t *testing.T, a *api, schedule, entryID string, now, at time.Time, editor, translator []string) {
	t.Helper()
	for name, c := range map[string]struct {
		at   time.Time
		auth []string
		code string
	}{
		"a time that has passed": {now.Add(-time.Minute), editor, "BAD_USER_INPUT"},
		"two years ahead":        {now.Add(2 * 365 * 24 * time.Hour), editor, "BAD_USER_INPUT"},
		"a translator":           {at, translator, "FORBIDDEN"},
		"nobody":                 {at, nil, "UNAUTHENTICATED"},
	} {
		if got := a.post(schedule, map[string]any{"id": entryID, "at": c.at}, c.auth...).code(t); got != c.code {
			t.Errorf("%s: %s, want %s", name, got, c.code)
		}
	}
	if got := a.post(`{ scheduledActions(first: 1000) { id } }`, nil, editor...).code(t); got != "BAD_USER_INPUT" {
		t.Errorf("a list of 1000: %s, want BAD_USER_INPUT", got)
	}
}

// scheduleAndCancelUnpublication schedules Dutch offline and cancels it:
// only the English publication stays scheduled.
func scheduleAndCancelUnpublication(t *testing.T, a *api, entryID string, at time.Time, editor []string) {
	t.Helper()
	var unpublish struct {
		ScheduleUnpublish struct{ Scheduled []scheduledView }
	}
	a.post(`mutation($id: ID!, $at: Time!) { scheduleUnpublish(id: $id, locales: ["nl"], at: $at) { `+scheduledFields+` } }`,
		map[string]any{"id": entryID, "at": at}, editor...).ok(t, &unpublish)
	var cancelled struct {
		CancelScheduled struct{ Scheduled []scheduledView }
	}
	for _, s := range unpublish.ScheduleUnpublish.Scheduled {
		if s.Action == "UNPUBLISH" {
			a.post(`mutation($id: ID!) { cancelScheduled(id: $id) { `+scheduledFields+` } }`, map[string]any{"id": s.ID}, editor...).ok(t, &cancelled)
		}
	}
	if s := cancelled.CancelScheduled.Scheduled; len(s) != 1 || s[0].Action != "PUBLISH" {
		t.Fatalf("after cancelling the unpublication: %+v", s)
	}
}

// checkRefusedPublication: a publication refused at its time is recorded
// on the entry with its reason and time, and nothing went live.
func checkRefusedPublication(t *testing.T, a *api, entryID string, now time.Time, editor []string) {
	t.Helper()
	var refused struct {
		Entry struct {
			Live      []struct{ Locale string }
			Scheduled []struct {
				State     string
				Refusal   *string
				RefusedAt *time.Time
			}
		}
	}
	a.post(`query($id: ID!) { entry(id: $id) { live { locale } scheduled { state refusal refusedAt } } }`, map[string]any{"id": entryID}, editor...).ok(t, &refused)
	if s := refused.Entry.Scheduled; len(s) != 1 || s[0].State != "REFUSED" || s[0].Refusal == nil || !strings.Contains(*s[0].Refusal, "gedeeld") ||
		s[0].RefusedAt == nil || !s[0].RefusedAt.Equal(now) || len(refused.Entry.Live) != 0 {
		t.Fatalf("the refused publication: %+v", refused.Entry)
	}
}
