package store_test

import (
	"os"
	"strings"
	"testing"

	"github.com/werkwijzer/werkwijzer/internal/dbtest"
	"github.com/werkwijzer/werkwijzer/internal/vacancy"
)

// TestSearchTermsAreThoseOfPostgres: SQLite's search expands each query
// term to the indexed words with the same vacancy.SearchTerm, so both
// databases find the same vacancies only while SearchTerm is what
// PostgreSQL's dutch and english configurations make of a word: the same
// Snowball stems, the same stop words, numbers left whole. Checked on
// every word of the sample content and vacancies.
func TestSearchTermsAreThoseOfPostgres(t *testing.T) {
	db := dbtest.Postgres(t)
	var text strings.Builder
	for _, f := range []string{"../seed/sample.yaml", "../seed/vacancies.xml"} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		text.Write(b)
	}
	words := append(vacancy.SearchWords(text.String()),
		"kantoormanagers", "assistants", "financiële", "cliëntbesprekingen", "skies", "dying", "2026", "covid19", "b2b", "mp3s", "100s", "covid19s", "a4tjes", "één")
	if len(words) < 1000 {
		t.Fatalf("only %d words", len(words))
	}
	for _, cfg := range []string{vacancy.ConfigDutch, vacancy.ConfigEnglish, vacancy.ConfigSimple} {
		var rows []struct{ Word, Lexemes string }
		err := db.Gorm.Raw(`SELECT w AS word, COALESCE((SELECT string_agg(lexeme, ' ') FROM unnest(to_tsvector(CAST(? AS regconfig), w))), '') AS lexemes
			FROM unnest(CAST(? AS text[])) AS w`, cfg, "{"+strings.Join(words, ",")+"}").Scan(&rows).Error
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != len(words) {
			t.Fatalf("%d words, %d answers", len(words), len(rows))
		}
		bad := 0
		for _, r := range rows {
			term, ok := vacancy.SearchTerm(cfg, r.Word)
			if !ok {
				term = ""
			}
			if term != r.Lexemes {
				bad++
				t.Errorf("%s %q: SearchTerm %q, PostgreSQL %q", cfg, r.Word, term, r.Lexemes)
			}
		}
		if bad > 0 {
			t.Errorf("%s: %d of %d words differ", cfg, bad, len(rows))
		}
	}
}

// TestWordPrefixesCoverEveryWordOfATerm: the SQLite search looks up the
// words of a term by WordPrefixes; a word outside them would be missed.
func TestWordPrefixesCoverEveryWordOfATerm(t *testing.T) {
	b, err := os.ReadFile("../seed/vacancies.xml")
	if err != nil {
		t.Fatal(err)
	}
	words := append(vacancy.SearchWords(string(b)), "één", "ëxtra", "ïnterim", "skies", "dying", "yelling")
	for _, cfg := range []string{vacancy.ConfigDutch, vacancy.ConfigEnglish, vacancy.ConfigSimple} {
		for _, w := range words {
			term, ok := vacancy.SearchTerm(cfg, w)
			if !ok {
				continue
			}
			found := false
			for _, p := range vacancy.WordPrefixes(cfg, term) {
				found = found || strings.HasPrefix(w, p)
			}
			if !found {
				t.Errorf("%s: %q (term %q) starts with none of %q", cfg, w, term, vacancy.WordPrefixes(cfg, term))
			}
		}
	}
}

// TestSearchConfigIsTheMigrations: the configuration a query is stemmed in
// (vacancy.SearchConfig) is the one the PostgreSQL trigger indexed the
// vacancy in.
func TestSearchConfigIsTheMigrations(t *testing.T) {
	db := dbtest.Postgres(t)
	for _, lang := range []string{"nl", "nl-BE", "en", "en-GB", "de", "nds", "enx", "fr-BE"} {
		var got string
		if err := db.Gorm.Raw("SELECT vacancy_search_config(?)", lang).Scan(&got).Error; err != nil {
			t.Fatal(err)
		}
		if want := vacancy.SearchConfig(lang); got != want {
			t.Errorf("%q: migration %s, Go %s", lang, got, want)
		}
	}
}
