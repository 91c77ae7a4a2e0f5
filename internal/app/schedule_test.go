package app

import (
	"context"
	"regexp"
	"testing"
	"time"

	"github.com/werkwijzer/werkwijzer/internal/account"
	"github.com/werkwijzer/werkwijzer/internal/content"
	"github.com/werkwijzer/werkwijzer/internal/database"
	"github.com/werkwijzer/werkwijzer/internal/locale"
	"github.com/werkwijzer/werkwijzer/internal/store"
)

// TestServePerformsScheduledPublications: serve starts the runner of
// scheduled actions, so a publication scheduled a second ahead (before
// the server started) goes live while it serves.
func TestServePerformsScheduledPublications(t *testing.T) {
	t.Setenv("WERKWIJZER_LOG_LEVEL", "warn")
	dir := t.TempDir()
	if code, _, errOut := runMain(t, "", "migrate", "up", "--data-dir", dir); code != 0 {
		t.Fatalf("migrate: %s", errOut)
	}
	db, err := database.Open(context.Background(), database.Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	locales, err := locale.NewSet([]string{"nl", "en"})
	if err != nil {
		t.Fatal(err)
	}
	svc := content.NewService(store.NewContent(db.Gorm), locales)
	operator := account.WithOperator(context.Background())
	e, err := svc.Create(operator, content.FAQStructure{}, map[string]content.TranslationInput{
		"nl": {Slug: "straks", Fields: content.FAQFields{Question: "Straks live?", Answer: "Ja."}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.SchedulePublish(operator, e.ID, []string{"nl"}, time.Now().Add(time.Second)); err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errOut syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- runServe(ctx, []string{"--addr", "127.0.0.1:0", "--data-dir", dir, "--pull-interval", "0", "--seed=false"}, &out, &errOut)
	}()
	serving := regexp.MustCompile(`serving on http://`)
	for deadline := time.Now().Add(30 * time.Second); ; {
		got, err := svc.Entry(operator, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.LiveIn("nl") != nil && serving.MatchString(out.String()) {
			break
		}
		select {
		case err := <-done:
			t.Fatalf("serve returned early: %v\n%s", err, errOut.String())
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("the scheduled publication was not performed within 30 s of serving:\n%s", errOut.String())
		}
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve after its context ended: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop")
	}
}
