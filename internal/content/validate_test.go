package content

import (
	"encoding/json"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/werkwijzer/werkwijzer/internal/apperr"
)

func TestSafeLink(t *testing.T) {
	for link, want := range map[string]bool{
		"https://example.nl/vacatures": true,
		"HTTP://example.nl":            true,
		"/nl/vacatures":                true,
		"#salaris":                     true,
		"mailto:hr@example.nl":         true,
		"tel:+31201234567":             true,
		"javascript:alert(1)":          false,
		"//evil.example/x":             false,
		"https:///no-host":             false,
		"mailto:":                      false,
		"data:text/html,hi":            false,
		"/a b":                         false,
		"/a\\b":                        false,
		"/a\x00":                       false,
		"https://example.nl/%zz":       false,
		"vacatures":                    false,
	} {
		if got := SafeLink(link); got != want {
			t.Errorf("SafeLink(%q) = %v, want %v", link, got, want)
		}
	}
}

func TestAbsoluteHTTPURLAndSiteURL(t *testing.T) {
	for s, want := range map[string]bool{
		"https://www.example.nl/logo.png": true,
		"HTTP://example.nl":               true,
		"ftp://example.nl/logo.png":       false,
		"/logo.png":                       false,
		"https://user@example.nl/":        false,
		`https://example.nl/"onload`:      false,
		"https://example.nl/%zz":          false,
	} {
		if got := AbsoluteHTTPURL(s); got != want {
			t.Errorf("AbsoluteHTTPURL(%q) = %v, want %v", s, got, want)
		}
	}
	for in, want := range map[string]string{"": "", "https://www.example.nl/": "https://www.example.nl", "http://x.nl": "http://x.nl"} {
		if got, err := CheckSiteURL(in); err != nil || got != want {
			t.Errorf("CheckSiteURL(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"www.example.nl", "https://example.nl/?a=b", "https://example.nl/#top"} {
		if _, err := CheckSiteURL(bad); err == nil {
			t.Errorf("CheckSiteURL(%q) accepted it", bad)
		}
	}
}

func TestOversized(t *testing.T) {
	encode := func(v any) json.RawMessage {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	list := func(n int) []string { return make([]string, n) }
	for name, tc := range map[string]struct {
		fields any
		path   string // "" when it fits
	}{
		"fits":                {map[string]any{"title": "T", "tools": list(maxListItems), "blocks": map[string]any{"b": map[string]string{"body": strings.Repeat("x", maxTextBytes)}}}, ""},
		"a text too long":     {map[string]any{"blocks": map[string]any{"b": map[string]string{"body": strings.Repeat("x", maxTextBytes+1)}}}, "blocks.b.body"},
		"a NUL byte":          {map[string]any{"title": "a\x00b"}, "title"},
		"invalid UTF-8":       {map[string]any{"title": "a\xffb"}, "title"},
		"a list too long":     {map[string]any{"tools": list(maxListItems + 1)}, "tools"},
		"a bad item in lists": {map[string]any{"tools": []string{"ok", "a\x00"}}, "tools[1]"},
	} {
		path, ok := oversized(encode(tc.fields))
		if ok != (tc.path == "") || (!ok && path != tc.path) {
			t.Errorf("%s: oversized = %q, %v; want %q", name, path, ok, tc.path)
		}
	}
	if path, ok := oversized(json.RawMessage(`not json`)); ok || path != "fields" {
		t.Errorf("undecodable fields: %q, %v", path, ok)
	}
}

func TestFlattenAndChangedPaths(t *testing.T) {
	got := flatten(json.RawMessage(`{"title":"T","lead":"  ","tools":["a","b"],"none":[],"n":null,"limit":3,"blocks":{"b1":{"body":"B"}}}`))
	want := map[string]string{"title": "T", "tools": `["a","b"]`, "limit": "3", "blocks.b1.body": "B"}
	if !maps.Equal(got, want) {
		t.Fatalf("flatten = %v, want %v", got, want)
	}
	if got := flatten(nil); len(got) != 0 {
		t.Fatalf("flatten(nil) = %v", got)
	}

	then, now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	old := json.RawMessage(`{"title":"T","lead":"L","body":"B"}`)
	times := map[string]time.Time{"title": then, "lead": then}
	changed := changedPaths(old, json.RawMessage(`{"title":"T","lead":"L2","body":"B","tools":["x"]}`), times, now)
	wantTimes := map[string]time.Time{
		"title": then, // unchanged keeps its time
		"lead":  now,  // changed
		"body":  now,  // unchanged but without a time of its own
		"tools": now,  // new
	}
	if !maps.Equal(changed, wantTimes) {
		t.Fatalf("changedPaths = %v, want %v", changed, wantTimes)
	}
}

func TestCheckID(t *testing.T) {
	if err := checkID("0190b7d6-7a3c-7cde-8f00-000000000001"); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"", "x", "0190b7d67a3c7cde8f00000000000001", "{0190b7d6-7a3c-7cde-8f00-000000000001}",
		"urn:uuid:0190b7d6-7a3c-7cde-8f00-000000000001"} {
		if err := checkID(bad); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("checkID(%q) = %v, want NOT_FOUND", bad, err)
		}
	}
}

func TestUniqueIDs(t *testing.T) {
	if err := uniqueIDs("ids", []string{"a", "b"}, 2); err != nil {
		t.Fatal(err)
	}
	if err := uniqueIDs("ids", []string{"a", "b", "c"}, 2); !apperr.Is(err, apperr.BadUserInput) {
		t.Errorf("three ids where two may be: %v", err)
	}
	if err := uniqueIDs("ids", []string{"a", "b", "a"}, 5); !apperr.Is(err, apperr.BadUserInput) {
		t.Errorf("an id twice: %v", err)
	}
}
