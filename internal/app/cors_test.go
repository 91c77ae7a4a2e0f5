package app

import (
	"slices"
	"testing"
)

func TestParseHeaderNames(t *testing.T) {
	got, err := parseHeaderNames(" Content-Type, traceparent ,sentry-trace,")
	if err != nil || !slices.Equal(got, []string{"Content-Type", "traceparent", "sentry-trace"}) {
		t.Fatalf("parseHeaderNames = %q, %v", got, err)
	}
	for _, bad := range []string{"X Site", "X-Site\r\nSet-Cookie: a=b", "naïve", "X:Y"} {
		if got, err := parseHeaderNames("Content-Type," + bad); err == nil {
			t.Errorf("parseHeaderNames accepted %q: %q", bad, got)
		}
	}
}
