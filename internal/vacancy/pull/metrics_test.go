package pull_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/werkwijzer/werkwijzer/internal/database"
	"github.com/werkwijzer/werkwijzer/internal/dbtest"
	"github.com/werkwijzer/werkwijzer/internal/telemetry"
	"github.com/werkwijzer/werkwijzer/internal/vacancy/pull"
)

// TestPullsAreCountedByResult: every pull of a source's feed is told to
// Pulled, which serve points at the metrics; dry runs are not pulls.
func TestPullsAreCountedByResult(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		fs := newFeedServer(t)
		e := newEnv(t, db, fs.URL+"/feed.xml")
		tel := telemetry.New(telemetry.Config{})
		im := importer(e)
		im.Pulled = tel.FeedPulled

		fs.serve(feedOf("a", "b"), http.StatusOK)
		if _, err := im.Pull(operator, e.source(t), "", e.svc.Now()); err != nil {
			t.Fatal(err)
		}
		if _, err := im.PullNow(operator, e.source(t), pull.Options{}); err != nil { // 304
			t.Fatal(err)
		}
		if _, err := im.PullNow(operator, e.source(t), pull.Options{DryRun: true}); err != nil {
			t.Fatal(err)
		}
		fs.busy(http.StatusServiceUnavailable, "")
		if _, err := im.Pull(operator, e.source(t), "", e.svc.Now()); err == nil {
			t.Fatal("a 503 pull succeeded")
		}

		rec := httptest.NewRecorder()
		tel.Handler("").ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
		for _, want := range []string{
			`werkwijzer_vacancy_feed_pulls_total{result="imported",source="feed"} 1`,
			`werkwijzer_vacancy_feed_pulls_total{result="not_modified",source="feed"} 1`,
			`werkwijzer_vacancy_feed_pulls_total{result="failed",source="feed"} 1`,
		} {
			if !strings.Contains(rec.Body.String(), want+"\n") {
				t.Errorf("metrics lack %s", want)
			}
		}
	})
}
