package httpserver_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/werkwijzer/werkwijzer/graph"
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

// introspectionQueries are graphql-js's getIntrospectionQuery() texts, as
// GraphiQL, Apollo Sandbox, Postman, graphql-codegen and graphql-inspector
// send them: with default options, and with descriptions, specifiedByUrl,
// directiveIsRepeatable, schemaDescription and inputValueDeprecation on.
func introspectionQueries(t *testing.T) map[string]string {
	t.Helper()
	queries := map[string]string{}
	for _, name := range []string{"introspection-default", "introspection-all-options"} {
		b, err := os.ReadFile(filepath.Join("testdata", name+".graphql"))
		if err != nil {
			t.Fatal(err)
		}
		queries[name] = string(b)
	}
	return queries
}

// TestStandardIntrospectionQueryPassesTheStructuralLimits: the introspection
// part of a document is exempt from the depth, field and alias caps, under
// the default limits and under tight ones; the rest of a document is not.
func TestStandardIntrospectionQueryPassesTheStructuralLimits(t *testing.T) {
	tight := graph.DefaultLimits
	tight.MaxDepth, tight.MaxFields, tight.MaxAliases = 4, 20, 1
	for name, limits := range map[string]graph.Limits{"default limits": graph.DefaultLimits, "tight limits": tight} {
		a := newAPIWithLimits(t, dbtest.SQLite(t), limits)
		for query, text := range introspectionQueries(t) {
			var got struct {
				Schema struct {
					QueryType struct{ Name string }
					Types     []struct {
						Name   string
						Fields []struct{ Name string }
					}
				} `json:"__schema"`
			}
			a.post(text, nil).ok(t, &got)
			if got.Schema.QueryType.Name != "Query" || !slices.ContainsFunc(got.Schema.Types, func(ty struct {
				Name   string
				Fields []struct{ Name string }
			}) bool {
				return ty.Name == "Article" && len(ty.Fields) > 0
			}) {
				t.Fatalf("%s, %s: the answer lacks the schema: %+v", name, query, got.Schema.QueryType)
			}
		}
		if name != "tight limits" {
			continue
		}
		// Depth hidden in a fragment is still refused, alone or next to
		// an introspection selection.
		for _, deep := range []string{
			`{ roles { ...R } } fragment R on RoleConnection { edges { node { faqs { id } } } }`,
			`{ __schema { types { name } } roles { ...R } } fragment R on RoleConnection { edges { node { faqs { id } } } }`,
		} {
			res := a.post(deep, nil)
			if res.code(t) != "BAD_USER_INPUT" || res.Errors[0].Extensions["limit"] != "maxDepth" {
				t.Fatalf("a query 5 levels deep was not refused: %s", res.raw)
			}
		}
	}
}
