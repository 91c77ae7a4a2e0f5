package httpserver_test

import (
	"strings"
	"testing"

	"github.com/werkwijzer/werkwijzer/internal/database"
	"github.com/werkwijzer/werkwijzer/internal/dbtest"
)

// TestLocaleArgumentIsMatchedLikeTheHeader: routers pass their visitor's
// regional tag as the locale argument; it is served the way the same tag
// in Accept-Language is, and what matches no supported locale is still
// refused with the list.
func TestLocaleArgumentIsMatchedLikeTheHeader(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		a := newAPI(t, db)
		query := `query($locale: String) { article(slug: "` + nlArticleSlug + `", locale: $locale) { locale requestedLocale } }`
		for code, want := range map[string]string{"en-GB": "en", "en_US": "en", "nl-NL": "nl", "nl-BE": "nl", "EN": "en"} {
			var header, argument struct{ Article struct{ Locale, RequestedLocale string } }
			a.post(query, map[string]any{"locale": code}).ok(t, &argument)
			a.post(query, nil, "Accept-Language", code).ok(t, &header)
			if argument.Article.RequestedLocale != want || argument.Article.Locale != want {
				t.Errorf("locale %q: served %s (requested %s), want %s", code, argument.Article.Locale, argument.Article.RequestedLocale, want)
			}
			if header.Article != argument.Article {
				t.Errorf("locale %q: argument gives %+v, Accept-Language gives %+v", code, argument.Article, header.Article)
			}
		}
		for _, code := range []string{"de-NL", "af", "fr"} {
			res := a.post(query, map[string]any{"locale": code})
			if got := res.code(t); got != "BAD_USER_INPUT" {
				t.Fatalf("locale %q: code %q, want BAD_USER_INPUT: %s", code, got, res.raw)
			}
			if msg := res.Errors[0].Message; !strings.Contains(msg, "nl") || !strings.Contains(msg, "en") {
				t.Errorf("locale %q: message does not list the supported locales: %q", code, msg)
			}
			if supported, _ := res.Errors[0].Extensions["supportedLocales"].([]any); len(supported) != 2 {
				t.Errorf("locale %q: extensions lack supportedLocales: %v", code, res.Errors[0].Extensions)
			}
		}
	})
}
