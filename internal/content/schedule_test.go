package content_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
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
	"github.com/werkwijzer/werkwijzer/internal/store"
)

// testClock is a clock the test moves by hand.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func newTestClock() *testClock {
	return &testClock{now: time.Date(2030, 3, 4, 8, 0, 0, 0, time.UTC)}
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

// editorID acts in the scheduling tests: scheduled actions are performed
// as whoever scheduled them.
const editorID = "0190a0a0-0000-7000-8000-00000000e0e0"

var editor = account.WithPrincipal(context.Background(), account.Principal{UserID: editorID, Role: account.RoleEditor})

func clockedService(t *testing.T, db *database.DB, clock *testClock) *content.Service {
	t.Helper()
	svc := newService(t, db)
	svc.UseClock(clock.Now)
	return svc
}

func runScheduled(t *testing.T, svc *content.Service) int {
	t.Helper()
	n, err := svc.RunScheduled(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func entry(t *testing.T, svc *content.Service, id string) *content.EntryState {
	t.Helper()
	e, err := svc.Entry(operator, id)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// publications counts an entry's published revisions and its publish
// audit entries in one locale.
func publications(t *testing.T, svc *content.Service, id, loc string) (revisions, audits int) {
	t.Helper()
	revs, err := svc.Revisions(operator, id, loc, content.Page{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range revs.Items {
		if r.Kind == content.RevisionPublished {
			revisions++
		}
	}
	log, err := svc.AuditLog(operator, content.AuditFilter{EntryID: id}, content.Page{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range log.Items {
		if a.Action == "publish" && a.Locale == loc {
			audits++
			if a.ActorID != editorID {
				t.Errorf("the scheduled publication is audited as %q, want the editor who scheduled it", a.ActorID)
			}
		}
	}
	return revisions, audits
}

// TestScheduledPublicationGoesLiveOnceWithTheFrozenDraft schedules the
// Dutch draft, edits it afterwards, and moves the clock: nothing before
// the time, then the draft as it was when scheduled goes live, once.
func TestScheduledPublicationGoesLiveOnceWithTheFrozenDraft(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		clock := newTestClock()
		svc := clockedService(t, db, clock)
		e := newFAQ(t, svc, map[string]string{"nl": "vraag"})
		at := clock.Now().Add(time.Hour)
		scheduled, err := svc.SchedulePublish(editor, e.ID, []string{"nl"}, at)
		if err != nil {
			t.Fatal(err)
		}
		if len(scheduled.Scheduled) != 1 {
			t.Fatalf("scheduled %+v, want one action", scheduled.Scheduled)
		}
		a := scheduled.Scheduled[0]
		if a.Locale != "nl" || a.Action != content.SchedulePublish || !a.At.Equal(at) || a.By != editorID ||
			a.State != content.SchedulePending || a.RevisionNumber != 1 {
			t.Fatalf("scheduled action %+v", a)
		}
		if _, err := svc.Update(operator, e.ID, content.Update{ExpectedVersion: scheduled.Version, Translations: map[string]content.TranslationInput{
			"nl": {Slug: "vraag", Fields: content.FAQFields{Question: "Later bedacht?", Answer: "Later."}},
		}}); err != nil {
			t.Fatal(err)
		}

		clock.Advance(time.Hour - time.Second)
		if n := runScheduled(t, svc); n != 0 || entry(t, svc, e.ID).LiveIn("nl") != nil {
			t.Fatalf("a second early, %d actions ran", n)
		}
		clock.Advance(time.Second)
		if n := runScheduled(t, svc); n != 1 {
			t.Fatalf("at the time %d actions ran, want 1", n)
		}
		after := entry(t, svc, e.ID)
		live := after.LiveIn("nl")
		if live == nil || !strings.Contains(string(live.Document), "Q vraag?") || strings.Contains(string(live.Document), "Later bedacht") {
			t.Fatalf("live is %+v, want the draft as it was when scheduled", live)
		}
		if !live.PublishedAt.Equal(at) || len(after.Scheduled) != 0 {
			t.Fatalf("published at %v (want %v), still scheduled %+v", live.PublishedAt, at, after.Scheduled)
		}
		clock.Advance(time.Minute)
		if n := runScheduled(t, svc); n != 0 {
			t.Fatalf("%d actions ran again", n)
		}
		if revs, audits := publications(t, svc, e.ID, "nl"); revs != 1 || audits != 1 {
			t.Fatalf("%d published revisions and %d publish audit entries, want 1 each", revs, audits)
		}
	})
}

// TestScheduledUnpublicationTakesTheLocaleOffline: a scheduled
// unpublication needs no revision and leaves the other locale live.
func TestScheduledUnpublicationTakesTheLocaleOffline(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		clock := newTestClock()
		svc := clockedService(t, db, clock)
		e := newFAQ(t, svc, map[string]string{"nl": "vraag", "en": "question"})
		publish(t, svc, e.ID, "nl", "en")
		if _, err := svc.ScheduleUnpublish(editor, e.ID, []string{"en"}, clock.Now().Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		clock.Advance(time.Minute)
		if n := runScheduled(t, svc); n != 1 {
			t.Fatalf("%d actions ran, want 1", n)
		}
		after := entry(t, svc, e.ID)
		if after.LiveIn("en") != nil || after.LiveIn("nl") == nil {
			t.Fatalf("live after the scheduled unpublication: %+v", after.Live)
		}
	})
}

// TestCancelledScheduleDoesNothing cancels a scheduled publication: at its
// time nothing happens, and it cannot be cancelled twice.
func TestCancelledScheduleDoesNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		clock := newTestClock()
		svc := clockedService(t, db, clock)
		e := newFAQ(t, svc, map[string]string{"nl": "vraag"})
		scheduled, err := svc.SchedulePublish(editor, e.ID, []string{"nl"}, clock.Now().Add(time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		cancelled, err := svc.CancelScheduled(editor, scheduled.Scheduled[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(cancelled.Scheduled) != 0 {
			t.Fatalf("still scheduled after cancelling: %+v", cancelled.Scheduled)
		}
		clock.Advance(time.Hour)
		if n := runScheduled(t, svc); n != 0 || entry(t, svc, e.ID).LiveIn("nl") != nil {
			t.Fatalf("a cancelled publication ran (%d actions)", n)
		}
		if _, err := svc.CancelScheduled(editor, scheduled.Scheduled[0].ID); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("cancelling twice: %v, want NOT_FOUND", err)
		}
	})
}

// TestRefusedScheduledPublicationIsRecorded: what was publishable when it
// was scheduled may not be at its time (another entry went live under its
// slug, an FAQ it shows was deleted). The refusal is recorded on the
// action, which stays listed, and nothing goes live.
func TestRefusedScheduledPublicationIsRecorded(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		clock := newTestClock()
		svc := clockedService(t, db, clock)
		at := clock.Now().Add(time.Minute)

		slugLater := newFAQ(t, svc, map[string]string{"nl": "gedeeld"})
		if _, err := svc.SchedulePublish(editor, slugLater.ID, []string{"nl"}, at); err != nil {
			t.Fatal(err)
		}
		publish(t, svc, newFAQ(t, svc, map[string]string{"nl": "gedeeld"}).ID, "nl")

		faq := newFAQ(t, svc, map[string]string{"nl": "bij-de-rol"})
		role, err := svc.Create(operator, content.RoleStructure{FAQIDs: []string{faq.ID}}, map[string]content.TranslationInput{
			"nl": {Slug: "kok", Fields: content.RoleFields{Title: "Kok", Summary: "Kookt."}},
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.SchedulePublish(editor, role.ID, []string{"nl"}, at); err != nil {
			t.Fatal(err)
		}
		if err := svc.Delete(operator, faq.ID, entry(t, svc, faq.ID).Version); err != nil {
			t.Fatal(err)
		}
		// A manual publication follows the same rule.
		checkPublishRefusedForMissingReference(t, svc, role.ID, faq.ID)

		clock.Advance(time.Minute)
		if n := runScheduled(t, svc); n != 2 {
			t.Fatalf("%d actions ran, want 2 (both refused)", n)
		}
		checkRefusalsRecorded(t, svc, map[string]string{slugLater.ID: `the slug "gedeeld" is live`, role.ID: faq.ID}, clock.Now())
		if n := runScheduled(t, svc); n != 0 {
			t.Fatalf("refused actions ran again: %d", n)
		}
		upcoming, err := svc.Upcoming(editor, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(upcoming) != 2 || upcoming[0].Entry == nil || upcoming[0].State != content.ScheduleRefused {
			t.Fatalf("upcoming lists %+v, want both refused actions with their entries", upcoming)
		}
	})
}

// checkPublishRefusedForMissingReference: publishing an entry that refers
// to a deleted entry is refused, naming it.
func checkPublishRefusedForMissingReference(t *testing.T, svc *content.Service, id, missing string) {
	t.Helper()
	_, err := svc.Publish(operator, id, []string{"nl"})
	var coded *apperr.Error
	if !errors.As(err, &coded) || coded.Code != apperr.BadUserInput {
		t.Fatalf("publishing a role whose FAQ was deleted: %v, want BAD_USER_INPUT", err)
	}
	if problems, _ := coded.Details["problems"].([]content.PublishProblem); len(problems) != 1 ||
		len(problems[0].MissingReferences) != 1 || problems[0].MissingReferences[0] != missing {
		t.Fatalf("the refusal's problems %+v do not name the deleted FAQ", coded.Details["problems"])
	}
}

// checkRefusalsRecorded: each entry in why stayed offline and has one
// refused action whose reason mentions why, refused at now.
func checkRefusalsRecorded(t *testing.T, svc *content.Service, why map[string]string, now time.Time) {
	t.Helper()
	for id, reason := range why {
		e := entry(t, svc, id)
		if e.LiveIn("nl") != nil {
			t.Errorf("%s went live although its publication was refused", id)
		}
		if len(e.Scheduled) != 1 || e.Scheduled[0].State != content.ScheduleRefused ||
			!strings.Contains(e.Scheduled[0].Refusal, reason) || !e.Scheduled[0].RefusedAt.Equal(now) {
			t.Errorf("%s: scheduled %+v, want one refused action saying %q", id, e.Scheduled, reason)
		}
	}
}

// TestScheduleSurvivesARestart: a new service (a restarted or another
// process) over the same database performs what the first scheduled.
func TestScheduleSurvivesARestart(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		clock := newTestClock()
		first := clockedService(t, db, clock)
		e := newFAQ(t, first, map[string]string{"nl": "vraag"})
		if _, err := first.SchedulePublish(editor, e.ID, []string{"nl"}, clock.Now().Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		clock.Advance(time.Minute)
		restarted := clockedService(t, db, clock)
		if n := runScheduled(t, restarted); n != 1 || entry(t, restarted, e.ID).LiveIn("nl") == nil {
			t.Fatalf("after a restart %d actions ran and nothing went live", n)
		}
	})
}

// TestRacingRunnersPublishEachActionOnce runs four runners over one
// database at once, as four replicas would: every due action is performed
// by exactly one of them, and each entry gets one publication.
func TestRacingRunnersPublishEachActionOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		clock := newTestClock()
		svc := clockedService(t, db, clock)
		const entries = 12
		ids := make([]string, entries)
		for i := range ids {
			e := newFAQ(t, svc, map[string]string{"nl": "vraag-" + string(rune('a'+i)), "en": "question-" + string(rune('a'+i))})
			ids[i] = e.ID
			if _, err := svc.SchedulePublish(editor, e.ID, []string{"nl", "en"}, clock.Now().Add(time.Minute)); err != nil {
				t.Fatal(err)
			}
		}
		clock.Advance(time.Minute)

		const runners = 4
		var wg sync.WaitGroup
		start := make(chan struct{})
		performed := make([]int, runners)
		errs := make([]error, runners)
		for r := range runners {
			replica := clockedService(t, db, clock)
			wg.Go(func() {
				<-start
				performed[r], errs[r] = replica.RunScheduled(context.Background())
			})
		}
		close(start)
		wg.Wait()
		total := 0
		for r := range runners {
			if errs[r] != nil {
				t.Fatalf("runner %d: %v", r, errs[r])
			}
			total += performed[r]
		}
		if total != 2*entries {
			t.Fatalf("the runners performed %d actions (%v), want each of the %d once", total, performed, 2*entries)
		}
		for _, id := range ids {
			for _, loc := range []string{"nl", "en"} {
				if revs, audits := publications(t, svc, id, loc); revs != 1 || audits != 1 {
					t.Fatalf("%s (%s): %d published revisions and %d publish audit entries, want 1 each", id, loc, revs, audits)
				}
			}
		}
	})
}

// TestSchedulingRefusesBadInput: a time that has passed or is more than a
// year ahead, a draft that could not be published now, and a translator
// are refused with typed errors, and nothing is scheduled.
func TestSchedulingRefusesBadInput(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		clock := newTestClock()
		svc := clockedService(t, db, clock)
		e := newFAQ(t, svc, map[string]string{"nl": "vraag"})
		now := clock.Now()
		for name, at := range map[string]time.Time{
			"now":             now,
			"an hour ago":     now.Add(-time.Hour),
			"two years ahead": now.Add(2 * 365 * 24 * time.Hour),
		} {
			_, err := svc.SchedulePublish(editor, e.ID, []string{"nl"}, at)
			var coded *apperr.Error
			if !errors.As(err, &coded) || coded.Code != apperr.BadUserInput || coded.Details["field"] != "at" {
				t.Errorf("%s: %v, want BAD_USER_INPUT on at", name, err)
			}
		}
		if _, err := svc.SchedulePublish(editor, e.ID, []string{"en"}, now.Add(time.Hour)); !apperr.Is(err, apperr.BadUserInput) {
			t.Errorf("scheduling a locale without a translation: %v, want BAD_USER_INPUT", err)
		}
		translator := account.WithPrincipal(context.Background(), account.Principal{UserID: editorID, Role: account.RoleTranslator, Locales: []string{"nl"}})
		if _, err := svc.SchedulePublish(translator, e.ID, []string{"nl"}, now.Add(time.Hour)); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("a translator scheduling: %v, want FORBIDDEN", err)
		}
		if _, err := svc.ScheduleUnpublish(context.Background(), e.ID, []string{"nl"}, now.Add(time.Hour)); !apperr.Is(err, apperr.Unauthenticated) {
			t.Errorf("scheduling anonymously: %v, want UNAUTHENTICATED", err)
		}
		if s := entry(t, svc, e.ID).Scheduled; len(s) != 0 {
			t.Fatalf("refused input was scheduled: %+v", s)
		}
	})
}

// TestRunnerWakesAtTheDueTime runs the runner itself: it performs an
// action once the clock reaches its time, without being told.
func TestRunnerWakesAtTheDueTime(t *testing.T) {
	db := dbtest.SQLite(t)
	clock := newTestClock()
	svc := clockedService(t, db, clock)
	e := newFAQ(t, svc, map[string]string{"nl": "vraag"})
	if _, err := svc.SchedulePublish(editor, e.ID, []string{"nl"}, clock.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		(&content.Runner{Content: svc, Poll: 5 * time.Millisecond, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}).Run(ctx)
	}()
	t.Cleanup(func() { cancel(); <-done })
	clock.Advance(time.Hour)
	deadline := time.Now().Add(10 * time.Second)
	for entry(t, svc, e.ID).LiveIn("nl") == nil {
		if time.Now().After(deadline) {
			t.Fatal("the runner did not publish within 10 s of the due time")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestCancellingWhileTheRunnerPerformsSaysItWasPerformed: on PostgreSQL a
// cancel that reads the action while a runner's transaction performs it
// waits for that transaction, and then must not report success for an
// action that went live.
func TestCancellingWhileTheRunnerPerformsSaysItWasPerformed(t *testing.T) {
	db := dbtest.Postgres(t)
	clock := newTestClock()
	base := store.NewContent(db.Gorm)
	paused := &pausingStore{Store: base, reached: make(chan struct{}), release: make(chan struct{}), once: new(sync.Once)}
	locales, _ := locale.NewSet([]string{"nl", "en"})
	runner := content.NewService(paused, locales)
	runner.UseClock(clock.Now)
	plain := clockedService(t, db, clock)
	e := newFAQ(t, plain, map[string]string{"nl": "vraag"})
	scheduled, err := plain.SchedulePublish(editor, e.ID, []string{"nl"}, clock.Now().Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Minute)

	var wg sync.WaitGroup
	var runErr, cancelErr error
	wg.Go(func() { _, runErr = runner.RunScheduled(context.Background()) })
	<-paused.reached
	wg.Go(func() { _, cancelErr = plain.CancelScheduled(editor, scheduled.Scheduled[0].ID) })
	// Release the runner once the cancel waits for its row lock.
	deadline := time.Now().Add(10 * time.Second)
	for waiting := 0; waiting == 0; {
		if err := db.Gorm.Raw("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'").Scan(&waiting).Error; err != nil {
			t.Fatal(err)
		}
		if time.Now().After(deadline) {
			t.Fatal("the cancel never waited for the runner's transaction")
		}
	}
	close(paused.release)
	wg.Wait()
	if runErr != nil {
		t.Fatal(runErr)
	}
	if !apperr.Is(cancelErr, apperr.NotFound) {
		t.Fatalf("cancelling an action performed meanwhile: %v, want NOT_FOUND", cancelErr)
	}
	if entry(t, plain, e.ID).LiveIn("nl") == nil {
		t.Fatal("the performed publication is not live")
	}
}
