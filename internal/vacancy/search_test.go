package vacancy_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/werkwijzer/werkwijzer/internal/apperr"
	"github.com/werkwijzer/werkwijzer/internal/vacancy"
)

func TestSearchConfigFollowsTheLanguage(t *testing.T) {
	for lang, want := range map[string]string{
		"nl": vacancy.ConfigDutch, "nl-BE": vacancy.ConfigDutch, "en": vacancy.ConfigEnglish, "en-GB": vacancy.ConfigEnglish,
		"de": vacancy.ConfigSimple, "nds": vacancy.ConfigSimple, "enx": vacancy.ConfigSimple, "": vacancy.ConfigSimple,
	} {
		if got := vacancy.SearchConfig(lang); got != want {
			t.Errorf("%q: %s, want %s", lang, got, want)
		}
	}
}

func TestParseQueryStemsPerConfiguration(t *testing.T) {
	q, err := vacancy.ParseQuery("De Kantoormanagers, de  assistants! 2026")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(q.Words, []string{"de", "kantoormanagers", "assistants", "2026"}) {
		t.Errorf("words %q", q.Words)
	}
	want := map[string][]string{
		vacancy.ConfigDutch:   {"kantoormanager", "assistant", "2026"}, // de is a Dutch stop word
		vacancy.ConfigEnglish: {"de", "kantoormanag", "assist", "2026"},
		vacancy.ConfigSimple:  {"de", "kantoormanagers", "assistants", "2026"},
	}
	for cfg, terms := range want {
		if !slices.Equal(q.Terms[cfg], terms) {
			t.Errorf("%s: %q, want %q", cfg, q.Terms[cfg], terms)
		}
	}
	if other, _ := vacancy.ParseQuery("kantoormanagers de ASSISTANTS 2026 de"); other.Key() != q.Key() {
		t.Error("the same words in another spelling make another key")
	}
	if other, _ := vacancy.ParseQuery("assistants kantoormanagers"); other.Key() == q.Key() {
		t.Error("other words make the same key")
	}

	only, err := vacancy.ParseQuery("de het een")
	if err != nil || only.Terms[vacancy.ConfigDutch] != nil || only.Terms[vacancy.ConfigSimple] == nil {
		t.Errorf("stop words only: %+v %v", only, err)
	}
	if none, err := vacancy.ParseQuery(" -- !"); none != nil || err != nil {
		t.Errorf("no words: %+v %v", none, err)
	}
	for _, bad := range []string{string(make([]byte, 201)), "a b c d e f g h i j k"} {
		if _, err := vacancy.ParseQuery(bad); apperr.CodeOf(err) != apperr.BadUserInput {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{"kantoormanagers", "De assistants!", "één 2026 covid19s", "   ", "a-b_c.d"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := vacancy.ParseQuery(raw)
		if err != nil {
			if apperr.CodeOf(err) != apperr.BadUserInput {
				t.Fatalf("error without BAD_USER_INPUT: %v", err)
			}
			return
		}
		if q == nil {
			return
		}
		if len(q.Words) == 0 || len(q.Words) > vacancy.MaxQueryWords {
			t.Fatalf("%d words", len(q.Words))
		}
		for cfg, terms := range q.Terms {
			for _, term := range terms {
				if term == "" {
					t.Fatalf("%s: empty term of %q", cfg, raw)
				}
			}
		}
		// The words alone are the query: parsing them again gives the same.
		again, err := vacancy.ParseQuery(strings.Join(q.Words, " "))
		if err != nil || again.Key() != q.Key() || !slices.Equal(again.Words, q.Words) {
			t.Fatalf("%q: words %q parse again as %+v %v", raw, q.Words, again, err)
		}
	})
}
