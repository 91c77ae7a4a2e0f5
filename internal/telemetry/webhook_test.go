package telemetry

import (
	"context"
	"errors"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestWebhookMetrics(t *testing.T) {
	tel := New(Config{})
	depth, fail := 3, false
	delivered := tel.ObserveWebhooks(func(context.Context) (int, error) {
		if fail {
			return 0, errors.New("database down")
		}
		return depth, nil
	})
	delivered("succeeded")
	delivered("succeeded")
	delivered("retrying")
	scrape := func() string {
		rec := httptest.NewRecorder()
		tel.Handler("").ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
		b, _ := io.ReadAll(rec.Body)
		return string(b)
	}
	out := scrape()
	for _, want := range []string{
		`werkwijzer_webhook_deliveries_total{result="succeeded"} 2`,
		`werkwijzer_webhook_deliveries_total{result="retrying"} 1`,
		`werkwijzer_webhook_deliveries_total{result="failed"} 0`,
		`werkwijzer_webhook_queue_depth 3`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	fail = true
	if out := scrape(); !strings.Contains(out, "werkwijzer_webhook_queue_depth -1") {
		t.Error("a failed count is not reported as -1")
	}
}
