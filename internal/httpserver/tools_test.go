package httpserver_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/werkwijzer/werkwijzer/graph"
	"github.com/werkwijzer/werkwijzer/internal/database"
	"github.com/werkwijzer/werkwijzer/internal/dbtest"
	"github.com/werkwijzer/werkwijzer/internal/httpserver"
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
			var header, argument struct {
				Article struct{ Locale, RequestedLocale string }
			}
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

// preflight sends a CORS preflight for a POST with the given request
// headers.
func (a *api) preflight(origin string, headers ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodOptions, "/graphql", nil)
	req.Header.Set("Origin", origin)
	req.Header.Set("Access-Control-Request-Method", "POST")
	req.Header.Set("Access-Control-Request-Headers", strings.ToLower(strings.Join(headers, ",")))
	rec := httptest.NewRecorder()
	a.handler.ServeHTTP(rec, req)
	return rec
}

// allowsHeader checks a preflight answer the way a browser does: the
// header's name, case-insensitively, among Access-Control-Allow-Headers.
func allowsHeader(h http.Header, name string) bool {
	for _, line := range h.Values("Access-Control-Allow-Headers") {
		for allowed := range strings.SplitSeq(line, ",") {
			if strings.EqualFold(strings.TrimSpace(allowed), name) {
				return true
			}
		}
	}
	return false
}

// TestCORSPreflightAllowsRealClientHeaders: the headers Apollo Client,
// Apollo Sandbox and browser tracing SDKs add pass the preflight by
// default, and the list is configurable.
func TestCORSPreflightAllowsRealClientHeaders(t *testing.T) {
	clientHeaders := []string{
		"Content-Type", "Authorization", "Accept-Language",
		"apollo-require-preflight", "apollographql-client-name", "apollographql-client-version",
		"traceparent", "tracestate", "baggage", "sentry-trace",
	}
	for name, origins := range map[string][]string{"any origin": nil, "listed origin": {"https://www.example.nl"}} {
		a := newAPIWith(t, dbtest.SQLite(t), func(c *httpserver.Config) { c.CORSOrigins = origins })
		for _, header := range clientHeaders {
			rec := a.preflight("https://www.example.nl", header)
			if rec.Code != http.StatusNoContent || !allowsHeader(rec.Header(), header) {
				t.Errorf("%s: preflight with %s: %d, Allow-Headers %q", name, header, rec.Code, rec.Header().Values("Access-Control-Allow-Headers"))
			}
		}
		if rec := a.preflight("https://www.example.nl", clientHeaders...); !allowsHeader(rec.Header(), "sentry-trace") {
			t.Errorf("%s: preflight with all of them: Allow-Headers %q", name, rec.Header().Values("Access-Control-Allow-Headers"))
		}
	}
	a := newAPIWith(t, dbtest.SQLite(t), func(c *httpserver.Config) { c.CORSHeaders = []string{"Content-Type", "X-Site"} })
	rec := a.preflight("https://www.example.nl", "X-Site")
	if !allowsHeader(rec.Header(), "X-Site") || allowsHeader(rec.Header(), "traceparent") {
		t.Errorf("configured headers: Allow-Headers %q, want Content-Type and X-Site only", rec.Header().Values("Access-Control-Allow-Headers"))
	}
}

// TestCORSAnswersSayTheyVaryByOrigin: with a list of origins every answer
// depends on the Origin header, whether it is allowed, refused or absent,
// and says so in one Vary line with the cache's own Vary names. With any
// origin allowed, the answer is the same for every origin and needs no
// Vary: Origin.
func TestCORSAnswersSayTheyVaryByOrigin(t *testing.T) {
	query := `{ article(slug: "` + nlArticleSlug + `") { title } }`
	listed := newAPIWith(t, dbtest.SQLite(t), func(c *httpserver.Config) { c.CORSOrigins = []string{"https://www.example.nl"} })
	answers := map[string]http.Header{
		"GET, allowed origin": listed.get(query, nil, "Origin", "https://www.example.nl").headers,
		"GET, other origin":   listed.get(query, nil, "Origin", "https://evil.example").headers,
		"GET, no origin":      listed.get(query, nil).headers,
		"POST, allowed":       listed.post(query, nil, "Origin", "https://www.example.nl").headers,
		"preflight":           listed.preflight("https://www.example.nl", "traceparent").Header(),
	}
	for what, h := range answers {
		vary := h.Values("Vary")
		if len(vary) != 1 || !slices.Contains(strings.Split(vary[0], ", "), "Origin") {
			t.Errorf("%s: Vary %q, want one line naming Origin", what, vary)
		}
	}
	for _, what := range []string{"GET, allowed origin", "GET, no origin"} {
		for _, name := range []string{"Authorization", "Accept-Language"} {
			if !strings.Contains(answers[what].Get("Vary"), name) {
				t.Errorf("%s: Vary %q lacks %s", what, answers[what].Get("Vary"), name)
			}
		}
	}
	if got := answers["GET, other origin"].Get("Access-Control-Allow-Origin"); got != "" {
		t.Errorf("an origin not on the list was allowed: %q", got)
	}

	open := newAPI(t, dbtest.SQLite(t))
	for what, h := range map[string]http.Header{
		"with origin":    open.get(query, nil, "Origin", "https://www.example.nl").headers,
		"without origin": open.get(query, nil).headers,
	} {
		if got := h.Get("Access-Control-Allow-Origin"); got != "*" {
			t.Errorf("any origin, %s: Allow-Origin %q, want *", what, got)
		}
		if strings.Contains(strings.Join(h.Values("Vary"), ","), "Origin") {
			t.Errorf("any origin, %s: Vary %q names Origin though the answer is the same for all", what, h.Values("Vary"))
		}
	}
}

// TestRequestErrorsFollowGraphQLOverHTTP: a request that fails before
// execution is answered, for a client accepting
// application/graphql-response+json, with 400, in that media type and
// without a data entry; for one accepting application/json with 200 and
// the errors. Successful answers are served in the media type asked for.
func TestRequestErrorsFollowGraphQLOverHTTP(t *testing.T) {
	limits := graph.DefaultLimits
	limits.MaxDepth = 4
	a := newAPIWithLimits(t, dbtest.SQLite(t), limits)
	failures := map[string]string{
		"parse":      `{ locales { code }`,
		"validation": `{ nope }`,
		"depth":      `{ roles { edges { node { faqs { id } } } } }`,
	}
	for what, query := range failures {
		for method, send := range map[string]func(string, map[string]any, ...string) gqlResponse{"POST": a.post, "GET": a.get} {
			res := send(query, nil, "Accept", "application/graphql-response+json")
			if res.status != http.StatusBadRequest {
				t.Errorf("%s %s failure, graphql-response+json: status %d, want 400: %s", method, what, res.status, res.raw)
			}
			if got := res.headers.Get("Content-Type"); got != "application/graphql-response+json" {
				t.Errorf("%s %s failure: Content-Type %q", method, what, got)
			}
			var body map[string]any
			if err := json.Unmarshal(res.raw, &body); err != nil {
				t.Fatal(err)
			}
			if _, ok := body["data"]; ok || len(res.Errors) == 0 || res.Errors[0].Extensions["code"] == nil {
				t.Errorf("%s %s failure, graphql-response+json: want coded errors and no data entry: %s", method, what, res.raw)
			}

			res = send(query, nil, "Accept", "application/json")
			if res.status != http.StatusOK || res.headers.Get("Content-Type") != "application/json" || len(res.Errors) == 0 {
				t.Errorf("%s %s failure, application/json: %d %q, want 200 with errors: %s", method, what, res.status, res.headers.Get("Content-Type"), res.raw)
			}
		}
	}
	for method, send := range map[string]func(string, map[string]any, ...string) gqlResponse{"POST": a.post, "GET": a.get} {
		for _, accept := range []string{"application/graphql-response+json", "application/json"} {
			// Twice: the second answer comes from the answer cache.
			for range 2 {
				res := send(`{ locales { code } }`, nil, "Accept", accept)
				var ok struct{ Locales []struct{ Code string } }
				res.ok(t, &ok)
				if got := res.headers.Get("Content-Type"); got != accept || len(ok.Locales) != 2 {
					t.Errorf("%s success, Accept %s: Content-Type %q, %+v", method, accept, got, ok)
				}
			}
		}
	}
}
