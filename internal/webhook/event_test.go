package webhook

import (
	"slices"
	"testing"
	"time"

	"github.com/werkwijzer/werkwijzer/internal/content"
)

func TestEntryEventsNameTheSlugsAndTagsThatChanged(t *testing.T) {
	live := func(slugs map[string]string) *content.EntryState {
		e := &content.EntryState{ID: "e1", Type: "role"}
		for _, loc := range []string{"en", "nl"} {
			if s, ok := slugs[loc]; ok {
				e.Live = append(e.Live, content.LiveState{Locale: loc, Slug: s})
			}
		}
		return e
	}
	at := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name    string
		change  content.Change
		typ     EventType
		slugs   map[string]LocaleSlugs
		tagSlug []string
	}{
		{"a new slug retires the old one",
			content.Change{Kind: content.ChangePublished, Before: live(map[string]string{"nl": "oud"}), After: live(map[string]string{"nl": "nieuw"}), Locales: []string{"nl"}},
			EntryPublished, map[string]LocaleSlugs{"nl": {Current: "nieuw", Former: []string{"oud"}}}, []string{"nieuw", "oud"}},
		{"a first publication has no former slug",
			content.Change{Kind: content.ChangePublished, Before: live(nil), After: live(map[string]string{"en": "new"}), Locales: []string{"en"}},
			EntryPublished, map[string]LocaleSlugs{"en": {Current: "new"}}, []string{"new"}},
		{"unpublishing one locale leaves the other alone",
			content.Change{Kind: content.ChangeUnpublished, Before: live(map[string]string{"en": "a", "nl": "b"}), After: live(map[string]string{"nl": "b"}), Locales: []string{"en"}},
			EntryUnpublished, map[string]LocaleSlugs{"en": {Former: []string{"a"}}}, []string{"a"}},
		{"a deletion retires every live slug",
			content.Change{Kind: content.ChangeDeleted, Before: live(map[string]string{"en": "a", "nl": "b"}), Locales: []string{"en", "nl"}},
			EntryDeleted, map[string]LocaleSlugs{"en": {Former: []string{"a"}}, "nl": {Former: []string{"b"}}}, []string{"a", "b"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			c.change.At = at
			ev := EntryEvent("ev1", c.change)
			if ev.Type != c.typ || ev.Entry.ID != "e1" || ev.Entry.Type != "role" || !ev.OccurredAt.Equal(at) || !slices.Equal(ev.Locales, c.change.Locales) {
				t.Fatalf("event %+v", ev)
			}
			for loc, want := range c.slugs {
				if got := ev.Slugs[loc]; got.Current != want.Current || !slices.Equal(got.Former, want.Former) {
					t.Errorf("slugs in %s: %+v, want %+v", loc, got, want)
				}
			}
			if len(ev.Slugs) != len(c.slugs) {
				t.Errorf("slugs %+v, want only %+v", ev.Slugs, c.slugs)
			}
			want := []string{"e:e1", "l:role"}
			for _, s := range c.tagSlug {
				want = append(want, "s:role:"+s)
			}
			slices.Sort(want)
			if !slices.Equal(ev.CacheTags, want) {
				t.Errorf("cache tags %v, want %v", ev.CacheTags, want)
			}
		})
	}
}

func TestBackoffReachesADayInTwelveAttempts(t *testing.T) {
	var total time.Duration
	for attempt := 1; attempt < MaxAttempts; attempt++ {
		d := Backoff(attempt)
		nominal := min(time.Minute<<(attempt-1), 8*time.Hour)
		if d < nominal*9/10 || d > nominal*11/10 {
			t.Errorf("retry %d after %s, want %s ± 10%%", attempt, d, nominal)
		}
		total += d
	}
	if total < 22*time.Hour || total > 27*time.Hour {
		t.Errorf("the last attempt comes %s after the first, want about 24 hours", total)
	}
}
