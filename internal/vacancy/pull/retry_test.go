package pull

import (
	"net/http"
	"testing"
	"time"
)

func TestRetryAfterForms(t *testing.T) {
	now := time.Date(2026, 10, 20, 9, 0, 0, 0, time.UTC)
	cases := map[string]time.Duration{
		"120":                     2 * time.Minute,
		" 3600 ":                  time.Hour,
		"0":                       0,
		"":                        0,
		"-5":                      0, // not delay-seconds
		"1.5":                     0,
		"soon":                    0,
		"9999999999":              MaxRetryAfter, // capped
		"99999999999999999999999": MaxRetryAfter,
		now.Add(90 * time.Minute).Format(http.TimeFormat):    90 * time.Minute, // IMF-fixdate
		now.Add(2 * time.Hour).Format(time.RFC850):           2 * time.Hour,    // obsolete forms count too
		now.Add(-time.Hour).Format(http.TimeFormat):          0,                // past
		now.Add(30 * 24 * time.Hour).Format(http.TimeFormat): MaxRetryAfter,
		"Tue, 20 Oct 2026 10:00:00 CEST":                     0, // not GMT: not an HTTP date
	}
	for in, want := range cases {
		if got := retryAfter(in, now); got != want {
			t.Errorf("Retry-After %q: %s, want %s", in, got, want)
		}
	}
}
